import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPaymentSession, type PaymentProvider } from '../../../src/payments/index.js';
import { type FilePaymentStore, openFilePaymentStore } from '../../../src/payments/node.js';

/**
 * What a real terminal's local server can be made to do for the recovery scenarios.
 * - `complete_late`: the payment is taken only after a while (the reader is slow or went
 *   offline and comes back), and the adapter hears of it only by asking.
 * - `answer_late`: the payment is taken at once, but the answer to the request arrives
 *   long after the session's timeout.
 */
export type RecoveryCase = 'complete_late' | 'answer_late';

export interface RecoverySubject {
  readonly currency: string;
  /** A fresh provider instance, as a restarted process would build it: no memory of earlier attempts. */
  provider(): PaymentProvider;
  arrange(next: RecoveryCase): void | Promise<void>;
  /** Attempt ids whose money moved (per the provider's server). */
  charged(): string[] | Promise<string[]>;
  /** How many payment requests the server received for an attempt (resends included). */
  requestsFor(attemptId: string): number;
  /** Whether the server has seen the payment request of the attempt. */
  received(attemptId: string): boolean;
}

let n = 0;
const stores: FilePaymentStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
const session = async (
  path: string,
  provider: PaymentProvider,
  saleId: string,
  currency: string,
  timeoutMs = 2000,
) => {
  const store = await openFilePaymentStore(path);
  stores.push(store);
  return createPaymentSession({
    saleId,
    total: '24.00',
    currency,
    providers: [provider],
    store,
    timeoutMs,
    inquiry: { maxAttempts: 60, intervalMs: 50 },
    lateApproval: 'keep',
    newId: (kind) => `${kind}_rec_${Date.now().toString(36)}_${++n}`,
  });
};

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/**
 * The recovery scenarios every real terminal adapter must pass against its protocol server:
 * a crash while a payment runs, a timeout resolved by inquiry, and a cancel that comes too
 * late. In each, the customer is charged exactly once and the till ends knowing it.
 */
export function describeRecoveryScenarios(
  name: string,
  make: () => Promise<RecoverySubject & { close(): Promise<void> }>,
) {
  describe(`recovery scenarios: ${name}`, () => {
    it('crash during a payment: a rebuilt session recovers the approval by inquiry, charging once', async () => {
      const s = await make();
      try {
        const path = join(await mkdtemp(join(tmpdir(), 'kassa-term-')), 'payments.jsonl');
        await s.arrange('complete_late');
        const saleId = `sale-crash-${++n}`;
        const first = await session(path, s.provider(), saleId, s.currency);
        const paying = first.pay({ provider: s.provider().id, amount: '24.00' });
        paying.catch(() => undefined);
        await until(() => first.snapshot().tenders.length > 0);
        const attemptId = first.snapshot().tenders[0]!.attemptId;
        await until(() => s.received(attemptId));
        // The process dies: listeners gone, the store is all that is left.
        first.dispose();
        const second = await session(path, s.provider(), saleId, s.currency);
        expect(second.snapshot().busy).toHaveLength(1);
        const tenders = await second.recover();
        expect(tenders.find((t) => t.attemptId === attemptId)).toMatchObject({
          status: 'approved',
          amount: '24.00',
        });
        expect(second.snapshot().status).toBe('paid');
        expect((await s.charged()).filter((id) => id === attemptId)).toHaveLength(1);
        second.dispose();
      } finally {
        await s.close();
      }
    });

    it('timeout then inquiry: the answer never comes in time, the inquiry finds the approval', async () => {
      const s = await make();
      try {
        const path = join(await mkdtemp(join(tmpdir(), 'kassa-term-')), 'payments.jsonl');
        await s.arrange('answer_late');
        const p = s.provider();
        const sess = await session(path, p, `sale-timeout-${++n}`, s.currency, 300);
        const tender = await sess.pay({ provider: p.id, amount: '24.00' });
        expect(tender.status).toBe('approved');
        expect((await s.charged()).filter((id) => id === tender.attemptId)).toHaveLength(1);
        expect(s.requestsFor(tender.attemptId)).toBe(1);
        sess.dispose();
      } finally {
        await s.close();
      }
    });

    it('cancel too late: the terminal already took the money, the cancel says so and the tender stands', async () => {
      const s = await make();
      try {
        const path = join(await mkdtemp(join(tmpdir(), 'kassa-term-')), 'payments.jsonl');
        await s.arrange('answer_late');
        const p = s.provider();
        const sess = await session(path, p, `sale-cancel-${++n}`, s.currency, 5000);
        const paying = sess.pay({ provider: p.id, amount: '24.00' });
        paying.catch(() => undefined);
        await until(() => sess.snapshot().tenders.length > 0);
        const attemptId = sess.snapshot().tenders[0]!.attemptId;
        await until(() => s.received(attemptId));
        await until(() => false, 150).catch(() => undefined); // the terminal approves meanwhile
        expect(await sess.cancel(attemptId)).toBe('too_late');
        const tender = await paying;
        expect(tender).toMatchObject({ status: 'approved', amount: '24.00' });
        expect((await s.charged()).filter((id) => id === attemptId)).toHaveLength(1);
        sess.dispose();
      } finally {
        await s.close();
      }
    });
  });
}
