import type { InquiryResult, PaymentOutcome } from '../types.js';

/**
 * Idempotency bookkeeping shared by the in-package providers: outcomes by attempt id,
 * voids and refunds by key, so that a resend under the same key never moves money twice.
 * @internal
 */
export interface Ledger {
  outcome(attemptId: string): PaymentOutcome | undefined;
  settle(attemptId: string, outcome: PaymentOutcome): void;
  inquire(attemptId: string): InquiryResult;
  void(attemptId: string, key: string): PaymentOutcome;
  refund(attemptId: string, key: string, amount: string): PaymentOutcome;
  /** Attempts whose money moved and was not voided. */
  charged(): string[];
}

/** @internal */
export function createLedger(decimals: (amount: string) => string = (a) => a): Ledger {
  const outcomes = new Map<string, PaymentOutcome>();
  const voids = new Map<string, PaymentOutcome>();
  const refunds = new Map<string, { attemptId: string; amount: string; outcome: PaymentOutcome }>();
  const voided = new Set<string>();
  const captured = (id: string) => {
    const o = outcomes.get(id);
    return o && (o.status === 'approved' || o.status === 'partially_approved') ? Number(o.amount) : 0;
  };
  // Amounts are compared in minor units of a fixed 6-decimal scale to stay exact.
  const units = (s: string) => {
    const [i = '0', f = ''] = s.split('.');
    return BigInt(i) * 1_000_000n + BigInt(`${f}000000`.slice(0, 6));
  };
  return {
    outcome: (id) => outcomes.get(id),
    settle(id, outcome) {
      if (!outcomes.has(id)) outcomes.set(id, outcome);
    },
    inquire(id) {
      return outcomes.get(id) ?? { status: 'not_found' };
    },
    void(id, key) {
      const seen = voids.get(key);
      if (seen) return seen;
      const o = outcomes.get(id);
      let result: PaymentOutcome;
      if (!o || (o.status !== 'approved' && o.status !== 'partially_approved') || voided.has(id)) {
        result = { status: 'declined', reasonCode: 'not_voidable' };
      } else {
        voided.add(id);
        result = { status: 'approved', amount: o.amount, providerRef: key.replace(/[^A-Za-z0-9_.:-]/g, '_') };
      }
      voids.set(key, result);
      return result;
    },
    refund(id, key, amount) {
      const seen = refunds.get(key);
      if (seen) return seen.outcome;
      const o = outcomes.get(id);
      let already = 0n;
      for (const r of refunds.values())
        if (r.attemptId === id && r.outcome.status === 'approved') already += units(r.amount);
      let result: PaymentOutcome;
      if (!o || captured(id) === 0 || voided.has(id))
        result = { status: 'declined', reasonCode: 'not_refundable' };
      else if (already + units(amount) > units((o as { amount: string }).amount)) {
        result = { status: 'declined', reasonCode: 'exceeds_captured' };
      } else result = { status: 'approved', amount: decimals(amount), providerRef: key };
      refunds.set(key, { attemptId: id, amount, outcome: result });
      return result;
    },
    charged() {
      return [...outcomes.entries()]
        .filter(
          ([id, o]) => (o.status === 'approved' || o.status === 'partially_approved') && !voided.has(id),
        )
        .map(([id]) => id);
    },
  };
}
