import { Observable, Subject } from 'rxjs';
import { checkOptions } from '../../errors.js';
import { minorUnits } from '../../money/currencies.js';
import { Decimal } from '../../money/decimal.js';
import type { PaymentEvent, PaymentProvider } from '../types.js';
import { createLedger } from './ledger.js';

/** A request to open the cash drawer; the drawer driver subscribes to these. */
export interface DrawerOpenRequest {
  readonly saleId: string;
  readonly attemptId: string;
  readonly reason: 'payment' | 'refund' | 'void';
}

/** The cash provider: it approves what the session computed and asks for the drawer. */
export interface CashProvider extends PaymentProvider {
  /** Every time money goes in or out of the drawer. */
  readonly drawer$: Observable<DrawerOpenRequest>;
}

/**
 * Cash. The session decides the amount kept, the change and the cash rounding; this
 * provider records the tender and asks for the drawer to open.
 * @example
 * ```ts
 * const cash = createCashProvider();
 * cash.drawer$.subscribe(() => drawer.open());
 * ```
 */
export function createCashProvider(options: { id?: string } = {}): CashProvider {
  checkOptions(options, ['id'], 'cash provider options');
  const drawer = new Subject<DrawerOpenRequest>();
  const ledger = createLedger();
  return {
    id: options.id ?? 'cash',
    capabilities: {
      method: 'cash',
      partialApproval: false,
      tips: false,
      refunds: true,
      void: true,
      capture: false,
      inquiry: false,
    },
    drawer$: drawer.asObservable(),
    start(request) {
      return new Observable<PaymentEvent>((subscriber) => {
        const seen = ledger.outcome(request.attemptId);
        if (!seen) {
          ledger.settle(request.attemptId, { status: 'approved', amount: request.amount });
          drawer.next({ saleId: request.saleId, attemptId: request.attemptId, reason: 'payment' });
          subscriber.next({ type: 'progress', stage: 'drawer_open' });
        }
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
    async refund(request) {
      const outcome = ledger.refund(request.attemptId, request.refundKey, request.amount);
      if (outcome.status === 'approved') {
        drawer.next({ saleId: request.saleId, attemptId: request.attemptId, reason: 'refund' });
      }
      return outcome;
    },
    async void(ref) {
      const outcome = ledger.void(ref.attemptId, ref.key);
      if (outcome.status === 'approved')
        drawer.next({ saleId: ref.saleId, attemptId: ref.attemptId, reason: 'void' });
      return outcome;
    },
  };
}

/**
 * Amounts a customer is likely to hand over for `due`: the exact amount, then the next
 * round amounts of each denomination, smallest first (at most `limit`).
 * @example
 * ```ts
 * suggestCashAmounts('12.40', 'EUR'); // ['12.40', '15.00', '20.00', '50.00']
 * ```
 */
export function suggestCashAmounts(
  due: string,
  currency: string,
  denominations: readonly string[] = ['5', '10', '20', '50', '100'],
  limit = 4,
): string[] {
  const decimals = minorUnits(currency);
  const d = new Decimal(due);
  const out = new Set<string>([d.toFixed(decimals)]);
  for (const denom of denominations) {
    const step = new Decimal(denom);
    if (step.lte(0)) continue;
    out.add(d.div(step).ceil().mul(step).toFixed(decimals));
  }
  return [...out].sort((a, b) => new Decimal(a).comparedTo(b)).slice(0, limit);
}
