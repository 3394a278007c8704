import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  type CancelResult,
  InquiryResultSchema,
  PaymentEventSchema,
  PaymentOutcomeSchema,
  type PaymentProvider,
  type PaymentRequest,
} from '../../src/payments/index.js';

/** What the conformance suite can ask a provider's test harness to arrange for the next attempt. */
export type ConformanceCase = 'approve' | 'decline' | 'partial' | 'lost';

/** A provider under test and the means to script it (test mode, magic amounts, a sandbox). */
export interface ConformanceSubject {
  readonly provider: PaymentProvider;
  readonly currency: string;
  /** Makes the next attempt end as asked; returns false when the provider cannot be made to. */
  arrange(next: ConformanceCase): boolean | Promise<boolean>;
  /** Lets the provider run (advance a manual clock, wait for a sandbox). */
  settle(): Promise<void>;
  /** Attempt ids whose money moved and was not voided, when the harness can tell. */
  charged?(): string[] | Promise<string[]>;
}

let seq = 0;
const request = (amount: string, currency: string, extra: Partial<PaymentRequest> = {}): PaymentRequest => ({
  attemptId: `conf_${Date.now().toString(36)}_${++seq}`,
  saleId: `conf-sale-${seq}`,
  amount,
  currency,
  allowPartial: true,
  ...extra,
});

async function run(subject: ConformanceSubject, req: PaymentRequest) {
  const events = lastValueFrom(subject.provider.start(req, new AbortController().signal).pipe(toArray()));
  await subject.settle();
  return events;
}

/**
 * The provider conformance suite: every provider, the in-package ones now and Stripe
 * Terminal, Square and Adyen later, must pass it. Call it inside a test file with a
 * factory that returns a fresh subject.
 */
export function describeProviderConformance(
  name: string,
  make: () => ConformanceSubject | Promise<ConformanceSubject>,
) {
  describe(`provider conformance: ${name}`, () => {
    it('declares its capabilities', async () => {
      const { provider } = await make();
      expect(typeof provider.id).toBe('string');
      expect(['cash', 'card', 'external']).toContain(provider.capabilities.method);
      for (const k of ['partialApproval', 'tips', 'refunds', 'void', 'capture'] as const) {
        expect(typeof provider.capabilities[k]).toBe('boolean');
      }
      expect(typeof provider.void === 'function').toBe(provider.capabilities.void);
    });

    it('emits valid progress events and then exactly one outcome, last', async () => {
      const s = await make();
      if (!(await s.arrange('approve'))) return;
      const events = await run(s, request('10.00', s.currency, { entry: { authCode: 'AB12' } }));
      for (const e of events) expect(PaymentEventSchema.safeParse(e).success).toBe(true);
      const outcomes = events.filter((e) => e.type === 'outcome');
      expect(outcomes).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('outcome');
      expect(outcomes[0]).toMatchObject({ outcome: { status: 'approved', amount: '10.00' } });
    });

    it('charges once when the same start is replayed under the same key', async () => {
      const s = await make();
      if (!(await s.arrange('approve'))) return;
      const req = request('12.00', s.currency, { entry: { authCode: 'AB12' } });
      const first = await run(s, req);
      const second = await run(s, req);
      expect(second.at(-1)).toEqual(first.at(-1));
      if (s.charged) expect((await s.charged()).filter((id) => id === req.attemptId)).toHaveLength(1);
      const inquiry = await s.provider.inquire({ attemptId: req.attemptId, saleId: req.saleId });
      expect(inquiry).toMatchObject({ status: 'approved', amount: '12.00' });
    });

    it('answers inquiries from its own record, and "not found" for an attempt it never saw', async () => {
      const s = await make();
      const unseen = await s.provider.inquire({ attemptId: `never_${++seq}`, saleId: 'none' });
      expect(InquiryResultSchema.safeParse(unseen).success).toBe(true);
      expect(unseen.status).toBe('not_found');
    });

    it('declines with a reason code', async () => {
      const s = await make();
      if (!(await s.arrange('decline'))) return;
      const events = await run(s, request('13.00', s.currency));
      const o = events.at(-1);
      expect(o?.type === 'outcome' && o.outcome.status).toBe('declined');
      if (o?.type === 'outcome' && o.outcome.status === 'declined')
        expect(o.outcome.reasonCode.length).toBeGreaterThan(0);
    });

    it('reports a partial approval with the approved and requested amounts', async () => {
      const s = await make();
      if (!s.provider.capabilities.partialApproval || !(await s.arrange('partial'))) return;
      const events = await run(s, request('50.00', s.currency));
      const o = events.at(-1);
      expect(o).toMatchObject({
        type: 'outcome',
        outcome: { status: 'partially_approved', requested: '50.00' },
      });
    });

    it('refunds by reference, idempotently under the refund key, never above what was captured', async () => {
      const s = await make();
      if (!s.provider.capabilities.refunds || !(await s.arrange('approve'))) return;
      const req = request('20.00', s.currency, { entry: { authCode: 'AB12' } });
      await run(s, req);
      const base = { attemptId: req.attemptId, saleId: req.saleId, currency: s.currency };
      const r1 = await s.provider.refund({
        ...base,
        refundKey: `${req.attemptId}:refund:1`,
        amount: '15.00',
      });
      expect(PaymentOutcomeSchema.safeParse(r1).success).toBe(true);
      expect(r1.status).toBe('approved');
      const again = await s.provider.refund({
        ...base,
        refundKey: `${req.attemptId}:refund:1`,
        amount: '15.00',
      });
      expect(again).toEqual(r1);
      const over = await s.provider.refund({
        ...base,
        refundKey: `${req.attemptId}:refund:2`,
        amount: '6.00',
      });
      expect(over.status).not.toBe('approved');
    });

    it('voids an approved attempt once', async () => {
      const s = await make();
      if (!s.provider.void || !(await s.arrange('approve'))) return;
      const req = request('9.00', s.currency, { entry: { authCode: 'AB12' } });
      await run(s, req);
      const ref = { attemptId: req.attemptId, saleId: req.saleId, key: `${req.attemptId}:void` };
      const v1 = await s.provider.void(ref);
      expect(v1.status).toBe('approved');
      expect(await s.provider.void(ref)).toEqual(v1);
      if (s.charged) expect(await s.charged()).not.toContain(req.attemptId);
    });

    it('answers a cancel with canceled, too_late or unknown', async () => {
      const s = await make();
      if (!(await s.arrange('approve'))) return;
      const req = request('7.00', s.currency, { entry: { authCode: 'AB12' } });
      await run(s, req);
      const answer: CancelResult = await s.provider.cancel({ attemptId: req.attemptId, saleId: req.saleId });
      expect(['too_late', 'unknown']).toContain(answer);
    });

    it('keeps quiet about an attempt lost on the way, which inquiry then reports as not found', async () => {
      const s = await make();
      if (!(await s.arrange('lost'))) return;
      const req = request('8.00', s.currency);
      const sub = s.provider.start(req, new AbortController().signal).subscribe({ error: () => undefined });
      await s.settle();
      sub.unsubscribe();
      expect(await s.provider.inquire({ attemptId: req.attemptId, saleId: req.saleId })).toEqual({
        status: 'not_found',
      });
    });

    it('ends with an outcome even if the first event is awaited alone', async () => {
      const s = await make();
      if (!(await s.arrange('approve'))) return;
      const first = firstValueFrom(
        s.provider.start(
          request('5.00', s.currency, { entry: { authCode: 'AB12' } }),
          new AbortController().signal,
        ),
      );
      await s.settle();
      expect(PaymentEventSchema.safeParse(await first).success).toBe(true);
    });
  });
}
