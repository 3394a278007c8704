import { Observable } from 'rxjs';
import { checkOptions, KassaError } from '../../errors.js';
import type { PaymentEvent, PaymentProvider } from '../types.js';
import { createLedger } from './ledger.js';

/**
 * A card terminal that is not integrated: the customer pays on it and the cashier keys in
 * the approval code (and, if wanted, brand and last four from the terminal slip) with
 * `session.pay({ provider, amount, entry: { authCode } })`.
 */
export function createExternalProvider(options: { id?: string } = {}): PaymentProvider {
  checkOptions(options, ['id'], 'external provider options');
  const ledger = createLedger();
  return {
    id: options.id ?? 'external',
    capabilities: {
      method: 'external',
      partialApproval: false,
      tips: false,
      refunds: true,
      void: true,
      capture: false,
      inquiry: false,
    },
    start(request) {
      return new Observable<PaymentEvent>((subscriber) => {
        const entry = request.entry;
        if (!entry) {
          subscriber.error(new KassaError('payment.not_sent', 'No approval code was keyed in'));
          return;
        }
        subscriber.next({ type: 'progress', stage: 'awaiting_entry' });
        ledger.settle(request.attemptId, {
          status: 'approved',
          amount: request.amount,
          authCode: entry.authCode,
          ...(entry.brand && entry.last4
            ? { card: { brand: entry.brand, last4: entry.last4, entryMode: 'manual' as const } }
            : {}),
        });
        subscriber.next({ type: 'outcome', outcome: ledger.outcome(request.attemptId)! });
        subscriber.complete();
      });
    },
    async inquire(ref) {
      return ledger.inquire(ref.attemptId);
    },
    async cancel(ref) {
      return ledger.outcome(ref.attemptId) ? 'too_late' : 'canceled';
    },
    // The cashier does the refund or void on the standalone terminal; kassa records it.
    async refund(request) {
      return ledger.refund(request.attemptId, request.refundKey, request.amount);
    },
    async void(ref) {
      return ledger.void(ref.attemptId, ref.key);
    },
  };
}
