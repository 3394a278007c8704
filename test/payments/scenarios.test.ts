import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { verifyStripeSignature } from '../../src/payments/index.js';
import { harness, MODES } from './harness.js';

for (const mode of MODES) {
  describe(`payment scenarios (${mode})`, () => {
    it('splits 47.30 into 30.00 cash and 17.30 card', async () => {
      const h = await harness(mode, { total: '47.30' });
      const cash = await h.pay({ provider: 'cash', amount: '30.00' });
      expect(cash).toMatchObject({ method: 'cash', amount: '30.00', change: '0.00' });
      expect(h.session.snapshot().due).toBe('17.30');
      const p = h.pay({ provider: 'terminal', amount: '17.30' });
      await h.untilJournaled();
      await h.crashPoint();
      await h.clock.advance(60_000);
      await h.settled(p);
      const s = h.session.snapshot();
      expect(s).toMatchObject({ paid: '47.30', due: '0.00', status: 'paid', change: '0.00' });
      expect(s.tenders.map((t) => [t.method, t.amount, t.status])).toEqual([
        ['cash', '30.00', 'approved'],
        ['card', '17.30', 'approved'],
      ]);
      expect(h.tender(1).card).toEqual({ brand: 'visa', last4: '4242', entryMode: 'chip' });
      expect(h.tender(1).authCode).toMatch(/^A/);
      expect(h.terminal.requests.filter((r) => !r.replay)).toHaveLength(1);
      expect(h.terminal.charged()).toHaveLength(1);
    });

    it('gives 7.60 change on 20.00 cash for 12.40', async () => {
      const h = await harness(mode, { total: '12.40' });
      const opened: string[] = [];
      h.cash.drawer$.subscribe((d) => opened.push(d.reason));
      await h.pay({ provider: 'cash', amount: '20.00' });
      await h.crashPoint();
      await h.settled(Promise.resolve());
      expect(h.session.snapshot()).toMatchObject({ paid: '12.40', due: '0.00', change: '7.60' });
      expect(h.tender(0)).toMatchObject({
        tendered: '20.00',
        amount: '12.40',
        change: '7.60',
        rounding: '0.00',
      });
      expect(opened).toEqual(['payment']);
    });

    it('rounds 12.43 to 12.45 in cash while a card pays 12.43', async () => {
      const h = await harness(mode, { total: '12.43', session: { cashRounding: { step: '0.05' } } });
      await h.pay({ provider: 'cash', amount: '20.00' });
      await h.crashPoint();
      await h.settled(Promise.resolve());
      expect(h.tender(0)).toMatchObject({
        amount: '12.45',
        change: '7.55',
        rounding: '0.02',
        requested: '12.43',
      });
      expect(h.session.snapshot()).toMatchObject({
        total: '12.43',
        rounding: '0.02',
        paid: '12.45',
        due: '0.00',
      });

      const card = await harness(mode, {
        saleId: 'sale-2',
        total: '12.43',
        session: { cashRounding: { step: '0.05' } },
      });
      const p = card.pay({ provider: 'terminal', amount: '12.43' });
      await card.untilJournaled();
      await card.crashPoint();
      await card.clock.advance(30_000);
      await card.settled(p);
      expect(card.tender(0)).toMatchObject({ method: 'card', amount: '12.43', status: 'approved' });
      expect(card.session.snapshot()).toMatchObject({ rounding: '0.00', paid: '12.43', due: '0.00' });
    });

    it('retries a decline under a new key', async () => {
      const h = await harness(mode, {
        total: '25.00',
        script: [{ do: 'decline', code: '51' }, { do: 'approve' }],
      });
      const p1 = h.pay({ provider: 'terminal', amount: '25.00' });
      const err = p1.catch((e) => e);
      await h.drive(err);
      if (mode === 'live')
        expect(await err).toMatchObject({ code: 'payment.declined', details: { retry: 'new_attempt' } });
      await h.crashPoint();
      await h.settled(p1);
      expect(h.tender(0)).toMatchObject({ status: 'declined', declineCode: '51' });
      await h.drive(h.pay({ provider: 'terminal', amount: '25.00' }));
      const ids = h.terminal.requests.map((r) => r.attemptId);
      expect(new Set(ids).size).toBe(2);
      expect(h.terminal.charged()).toEqual([h.tender(1).attemptId]);
      expect(h.session.snapshot().due).toBe('0.00');
    });

    it('finds a timed-out payment approved by inquiry, with exactly one request sent', async () => {
      const h = await harness(mode, { total: '30.00', script: [{ do: 'approve_after_timeout' }] });
      const p = h.pay({ provider: 'terminal', amount: '30.00' });
      await h.untilJournaled();
      await h.crashPoint();
      await h.clock.advance(120_000);
      await h.settled(p);
      expect(h.tender(0).status).toBe('approved');
      expect(h.terminal.requests).toHaveLength(1);
      expect(h.terminal.charged()).toHaveLength(1);
      expect(h.session.snapshot().due).toBe('0.00');
    });

    it('allows a new attempt after a timeout whose inquiry says not found', async () => {
      const h = await harness(mode, { total: '30.00', script: [{ do: 'not_found' }, { do: 'approve' }] });
      const p = h.pay({ provider: 'terminal', amount: '30.00' });
      await h.untilJournaled();
      await h.crashPoint();
      await h.clock.advance(120_000);
      await h.settled(p);
      expect(h.tender(0)).toMatchObject({ status: 'failed' });
      expect(h.session.snapshot().busy).toEqual([]);
      const p2 = h.drive(h.pay({ provider: 'terminal', amount: '30.00' }));
      await expect(p2).resolves.toMatchObject({ status: 'approved' });
      expect(h.terminal.charged()).toEqual([h.tender(1).attemptId]);
    });

    it('blocks the terminal while inquiries answer "in progress", then needs attention and a person resolves it', async () => {
      const h = await harness(mode, {
        total: '20.00',
        script: [{ do: 'timeout' }],
        session: { inquiry: { maxAttempts: 3, intervalMs: 10_000 } },
      });
      const p = h.pay({ provider: 'terminal', amount: '20.00' });
      await h.untilJournaled();
      await h.clock.advance(120_000);
      await h.crashPoint();
      await h.clock.advance(60_000);
      await h.settled(p);
      if (mode === 'live') await expect(p).rejects.toMatchObject({ code: 'payment.needs_attention' });
      expect(h.tender(0)).toMatchObject({ status: 'needs_attention', inquiries: 3 });
      expect(h.session.snapshot().busy).toEqual(['terminal']);
      await expect(h.pay({ provider: 'terminal', amount: '20.00' })).rejects.toMatchObject({
        code: 'payment.terminal_busy',
      });
      // The unresolved 20.00 may have been charged: nothing else may be taken for it.
      await expect(h.pay({ provider: 'cash', amount: '20.00' })).rejects.toMatchObject({
        code: 'payment.nothing_due',
      });
      const starts = h.terminal.requests.length;
      const resolved = await h.session.resolve(h.tender(0).attemptId, {
        resolution: 'not_charged',
        by: 'manager-7',
        note: 'terminal journal shows no transaction',
      });
      expect(resolved).toMatchObject({ status: 'failed', resolution: { by: 'manager-7' } });
      expect(h.session.snapshot().busy).toEqual([]);
      expect(h.terminal.requests).toHaveLength(starts);
      await h.pay({ provider: 'cash', amount: '20.00' });
      expect(h.session.snapshot().due).toBe('0.00');
    });

    it('recovers an approved payment after a reload mid-payment without a second start', async () => {
      const h = await harness(mode, { total: '42.00', script: [{ do: 'slow', delayMs: 30_000 }] });
      const p = h.pay({ provider: 'terminal', amount: '42.00' });
      await h.untilJournaled();
      await h.clock.advance(2_000);
      await h.crashPoint();
      await h.clock.advance(90_000);
      await h.settled(p);
      expect(h.tender(0).status).toBe('approved');
      expect(h.terminal.requests).toHaveLength(1);
      expect(h.terminal.charged()).toHaveLength(1);
      expect(h.session.snapshot().due).toBe('0.00');
    });

    it('cancels too late, finds the payment approved by inquiry and voids it', async () => {
      const h = await harness(mode, {
        total: '15.00',
        script: [{ do: 'slow', delayMs: 30_000, onCancel: 'too_late' }],
      });
      const p = h.pay({ provider: 'terminal', amount: '15.00' });
      await h.untilJournaled();
      await h.clock.advance(2_000);
      expect(await h.session.cancel(h.tender(0).attemptId)).toBe('too_late');
      await h.crashPoint();
      await h.clock.advance(30_000);
      await h.settled(p);
      expect(h.tender(0)).toMatchObject({ status: 'approved', void: 'voided', voidReason: 'late_approval' });
      expect(h.session.snapshot()).toMatchObject({ paid: '0.00', due: '15.00' });
      expect(h.terminal.charged()).toEqual([]);
      expect(h.terminal.requests).toHaveLength(1);
    });

    it('refunds 25.00 of 30 cash + 20 card as 20 to the card and 5 in cash, and rejects 30 more', async () => {
      const h = await harness(mode, { total: '50.00' });
      await h.pay({ provider: 'cash', amount: '30.00' });
      await h.drive(h.pay({ provider: 'terminal', amount: '20.00' }));
      const r = await h.session.refund({ amount: '25.00', reason: 'returned item' });
      expect(r.parts.map((x) => [x.method, x.amount, x.status])).toEqual([
        ['card', '20.00', 'approved'],
        ['cash', '5.00', 'approved'],
      ]);
      expect(r.parts[0]!.key).toBe(`${h.tender(1).attemptId}:refund:1`);
      await h.crashPoint();
      await h.settled(Promise.resolve());
      expect(h.session.snapshot().refunded).toBe('25.00');
      const before = await h.store.records();
      await expect(h.session.refund({ amount: '30.00' })).rejects.toMatchObject({
        code: 'payment.refund_exceeds_paid',
        details: { refundable: '25.00' },
      });
      expect(await h.store.records()).toHaveLength(before.length);
    });

    it('keeps a 6.00 tip on a 40.00 card payment apart from what is due', async () => {
      const h = await harness(mode, { total: '40.00' });
      const p = h.pay({ provider: 'terminal', amount: '40.00', tip: '6.00' });
      await h.untilJournaled();
      await h.crashPoint();
      await h.clock.advance(10_000);
      await h.settled(p);
      expect(h.tender(0)).toMatchObject({ amount: '40.00', tip: '6.00', status: 'approved' });
      expect(h.session.snapshot()).toMatchObject({ paid: '40.00', tips: '6.00', due: '0.00' });
    });

    it('leaves 20 due after a partial approval of 30 on 50', async () => {
      const h = await harness(mode, { total: '50.00', script: [{ do: 'partial', amount: '30.00' }] });
      const p = h.pay({ provider: 'terminal', amount: '50.00' });
      await h.untilJournaled();
      await h.crashPoint();
      await h.clock.advance(10_000);
      await h.settled(p);
      expect(h.tender(0)).toMatchObject({
        status: 'partially_approved',
        amount: '30.00',
        requested: '50.00',
      });
      expect(h.session.snapshot().due).toBe('20.00');
      await h.drive(h.pay({ provider: 'terminal', amount: '20.00' }));
      expect(h.session.snapshot()).toMatchObject({ due: '0.00', paid: '50.00' });
    });

    it('voids a partial approval at once when the sale takes no partials', async () => {
      const h = await harness(mode, {
        total: '50.00',
        script: [{ do: 'partial', amount: '30.00' }],
        session: { acceptPartial: false },
      });
      const p = h.pay({ provider: 'terminal', amount: '50.00', allowPartial: true });
      await h.untilJournaled();
      await h.crashPoint();
      await h.clock.advance(10_000);
      await h.settled(p);
      if (mode === 'live') await expect(p).rejects.toMatchObject({ code: 'payment.partial_voided' });
      expect(h.tender(0)).toMatchObject({ status: 'partially_approved', void: 'voided' });
      expect(h.session.snapshot().due).toBe('50.00');
      expect(h.terminal.charged()).toEqual([]);
    });

    it('rejects a tampered webhook and applies a duplicate once', async () => {
      const secret = 'whsec_test_secret';
      const stripe = new Stripe('sk_test_dummy');
      const h = await harness(mode, { total: '18.00', script: [{ do: 'timeout' }] });
      const p = h.pay({ provider: 'terminal', amount: '18.00' });
      await h.untilJournaled();
      const attemptId = h.tender(0).attemptId;
      const body = JSON.stringify({
        id: 'evt_1',
        type: 'payment_intent.succeeded',
        data: { object: { metadata: { attemptId }, amount: 1800 } },
      });
      const nowSec = Math.floor(h.clock.now() / 1000);
      const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: nowSec });
      const tampered = body.replace('1800', '18000');
      await expect(
        verifyStripeSignature({ payload: tampered, header, secret, clock: h.clock }),
      ).rejects.toMatchObject({
        code: 'payment.webhook_invalid_signature',
      });
      await verifyStripeSignature({ payload: body, header, secret, clock: h.clock });
      await h.crashPoint();
      const update = {
        eventId: 'evt_1',
        attemptId,
        outcome: { status: 'approved' as const, amount: '18.00', providerRef: 'pi_1' },
      };
      expect(await h.session.applyWebhook(update)).toBe('applied');
      await h.settled(p);
      const count = (await h.store.records()).length;
      expect(await h.session.applyWebhook(update)).toBe('duplicate');
      expect(await h.store.records()).toHaveLength(count);
      expect(h.tender(0)).toMatchObject({ status: 'approved', providerRef: 'pi_1' });
      expect(h.session.snapshot().due).toBe('0.00');
      const outcomes = (await h.store.records()).filter(
        (r) => r.type === 'outcome' && r.attemptId === attemptId,
      );
      expect(outcomes.filter((r) => r.type === 'outcome' && r.outcome.status === 'approved')).toHaveLength(1);
    });
  });
}
