import { parseInput } from '../../errors.js';
import { Decimal } from '../../money/decimal.js';
import { refundKey, voidKey } from '../ids.js';
import { paidBy, toTender } from '../reduce.js';
import { exactRefundableOf, planRefund } from '../refunds.js';
import { RefundInputSchema } from '../schemas.js';
import type { PaymentSession } from '../session.js';
import type { PaymentOutcome, VoidReason } from '../types.js';
import type { SessionCore } from './core.js';
import { checkDecimals, fail, outcomeOfThrow, positive, sameCurrency } from './util.js';

/*
 * Refunds and voids: money going back. Each is journaled with its key before it is sent, so a
 * crash resends under the same key; a cash refund is rounded with the session's cash rule
 * (see ../refunds.ts).
 */

/** @internal */
export function createRefundsAndVoids(ctx: SessionCore) {
  const {
    opts,
    currency,
    decimals,
    clock,
    newId,
    cashRounding,
    sale,
    events,
    ensureOpen,
    append,
    exclusive,
    attempt,
    providerOf,
    refOf,
    parseOutcome,
    track,
  } = ctx;
  async function sendVoid(id: string, reason: VoidReason): Promise<void> {
    const a = attempt(id);
    const key = voidKey(id);
    if (a.void === 'none' || a.void === 'failed') {
      await append({ type: 'void', saleId: opts.saleId, at: clock.now(), attemptId: id, key, reason });
    }
    const provider = providerOf(a);
    let outcome: PaymentOutcome;
    try {
      const ref = { ...refOf(a), key };
      outcome = parseOutcome(
        provider.void
          ? await provider.void(ref)
          : await provider.refund({
              refundKey: key,
              attemptId: id,
              saleId: opts.saleId,
              amount: paidBy(a).toFixed(decimals),
              currency,
              ...(ref.providerRef ? { providerRef: ref.providerRef } : {}),
            }),
      );
    } catch (e) {
      outcome = outcomeOfThrow(e);
    }
    await append({ type: 'void_outcome', saleId: opts.saleId, at: clock.now(), attemptId: id, key, outcome });
    if (attempt(id).void === 'voided') events.next({ type: 'voided', attemptId: id });
  }

  async function sendRefund(refundId: string, attemptId: string, key: string, amount: string): Promise<void> {
    const a = attempt(attemptId);
    let outcome: PaymentOutcome;
    try {
      const ref = refOf(a);
      outcome = parseOutcome(
        await providerOf(a).refund({
          refundKey: key,
          attemptId,
          saleId: opts.saleId,
          amount,
          currency,
          ...(ref.providerRef ? { providerRef: ref.providerRef } : {}),
        }),
      );
    } catch (e) {
      outcome = outcomeOfThrow(e);
    }
    await append({
      type: 'refund_outcome',
      saleId: opts.saleId,
      at: clock.now(),
      refundId,
      attemptId,
      key,
      outcome,
    });
    const r = attempt(attemptId).refunds.find((x) => x.key === key);
    if (r?.status === 'approved') {
      events.next({ type: 'refunded', refundId, attemptId, amount });
      if (a.record.method === 'cash') events.next({ type: 'drawer_open', saleId: opts.saleId, attemptId });
    }
  }

  async function voidTender(attemptId: string) {
    ensureOpen();
    const a = attempt(attemptId);
    if (sale().completed) fail('payment.invalid_state', 'The sale is complete; refund instead');
    if (a.status !== 'approved' && a.status !== 'partially_approved') {
      fail(
        'payment.invalid_state',
        `Attempt ${attemptId} is ${a.status}; only an approved tender can be voided`,
      );
    }
    if (a.void === 'voided' || a.void === 'pending') return toTender(a, decimals);
    if (a.refunds.length > 0) fail('payment.invalid_state', 'A refunded tender cannot be voided');
    await track(exclusive(() => sendVoid(attemptId, 'requested')));
    return toTender(attempt(attemptId), decimals);
  }
  async function refund(input: Parameters<PaymentSession['refund']>[0]) {
    ensureOpen();
    const req = parseInput(RefundInputSchema, input, 'refund');
    sameCurrency(req.currency, currency);
    const amount = checkDecimals(req.amount, currency, ['amount']);
    positive(amount, ['amount']);
    const { refundId, parts } = await exclusive(async () => {
      ensureOpen();
      const tenders = [...sale().attempts.values()].filter((a) => exactRefundableOf(a).gt(0));
      // Card tenders by reference first (they return to the card the customer used), then cash.
      const ordered = [
        ...tenders.filter((a) => a.record.method !== 'cash' && providerOf(a).capabilities.refunds),
        ...tenders.filter((a) => a.record.method === 'cash'),
      ];
      const refundable = ordered.reduce((s, a) => s.plus(exactRefundableOf(a)), new Decimal(0));
      if (amount.gt(refundable)) {
        fail(
          'payment.refund_exceeds_paid',
          `Refund ${amount.toFixed(decimals)} exceeds what can be refunded (${refundable.toFixed(decimals)})`,
          { path: ['amount'], refundable: refundable.toFixed(decimals) },
        );
      }
      const parts = planRefund(ordered, amount, cashRounding, decimals).map((p) => ({
        attemptId: p.attempt.record.attemptId,
        amount: p.amount.toFixed(decimals),
        key: refundKey(p.attempt.record.attemptId, p.attempt.refunds.length + 1),
        ...(p.exact ? { exact: p.exact.toFixed(decimals) } : {}),
      }));
      const refundId = newId('rf');
      await append({
        type: 'refund',
        saleId: opts.saleId,
        at: clock.now(),
        refundId,
        parts,
        ...(req.reason !== undefined ? { reason: req.reason } : {}),
      });
      return { refundId, parts };
    });
    for (const part of parts) await track(sendRefund(refundId, part.attemptId, part.key, part.amount));
    const result = parts.map((p) => {
      const a = attempt(p.attemptId);
      const r = a.refunds.find((x) => x.key === p.key)!;
      return {
        refundId,
        key: p.key,
        amount: p.amount,
        status: r.status,
        attemptId: p.attemptId,
        method: a.record.method,
      };
    });
    const paidOut = parts.reduce((s, p) => s.plus(p.amount), new Decimal(0));
    return { refundId, amount: paidOut.toFixed(decimals), parts: result };
  }
  return { sendVoid, sendRefund, voidTender, refund };
}
