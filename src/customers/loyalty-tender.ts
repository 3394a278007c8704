import { Observable } from 'rxjs';
import { type LoyaltyProgram, parseLoyaltyProgram } from '../cart/loyalty/schema.js';
import { Decimal } from '../money/decimal.js';
import type {
  AttemptRef,
  InquiryResult,
  PaymentEvent,
  PaymentOutcome,
  PaymentProvider,
  RefundRequest,
} from '../payments/types.js';
import { customerError } from './errors.js';
import type { LoyaltyLedger } from './loyalty-ledger.js';

/** Options of {@link createLoyaltyTender}. */
export interface LoyaltyTenderOptions {
  /** Provider id in the payment session; default `'loyalty'`. */
  id?: string;
  ledger: LoyaltyLedger;
  /** The program; needs `redemption.pointValue`. */
  program: LoyaltyProgram;
  /** The customer whose points pay. */
  customerId: string;
}

/**
 * Redemption as a tender: a `PaymentProvider` that pays with a customer's points, for
 * `createPaymentSession({ providers: [createLoyaltyTender({ ledger, program, customerId })] })`.
 *
 * Each attempt redeems `amount / pointValue` points under the key `<saleId>:<attemptId>`, so a
 * retried attempt never spends twice and `inquire` finds it again after a crash. With
 * `allowPartial`, a short balance pays what it covers (in whole `pointStep`s); without, the
 * attempt is declined (`insufficient_points`). Refunds credit the points back; a void
 * removes the redemption.
 */
export function createLoyaltyTender(options: LoyaltyTenderOptions): PaymentProvider {
  const program = parseLoyaltyProgram(options.program);
  const redemption = program.redemption;
  if (redemption === undefined) {
    throw customerError(
      'loyalty.invalid_redemption',
      `Loyalty program ${JSON.stringify(program.id)} has no redemption`,
      {
        path: ['program', 'redemption'],
      },
    );
  }
  const value = new Decimal(redemption.pointValue);
  const step = new Decimal(redemption.pointStep ?? '1');
  const { ledger, customerId } = options;
  const key = (ref: { saleId: string; attemptId: string }) => `${ref.saleId}:${ref.attemptId}`;
  const outcomes = new Map<string, PaymentOutcome>();
  const refunds = new Map<string, PaymentOutcome>();
  const voids = new Map<string, PaymentOutcome>();
  const refunded = new Map<string, Decimal>();

  async function pay(request: {
    attemptId: string;
    saleId: string;
    amount: string;
    allowPartial: boolean;
  }): Promise<PaymentOutcome> {
    const seen = outcomes.get(request.attemptId);
    if (seen !== undefined) return seen;
    const amount = new Decimal(request.amount);
    const wanted = amount.div(value);
    if (!wanted.isInteger() || !wanted.div(step).isInteger()) {
      return {
        status: 'declined',
        reasonCode: 'invalid_amount',
        message: 'The amount is not a whole number of points',
      };
    }
    const existing = (await ledger.entries(customerId)).find(
      (e) => e.kind === 'redeem' && e.saleId === key(request),
    );
    let points = existing === undefined ? wanted : new Decimal(existing.points);
    if (existing === undefined) {
      const balance = new Decimal((await ledger.balance(customerId)).points);
      if (balance.lt(wanted)) {
        if (!request.allowPartial) return { status: 'declined', reasonCode: 'insufficient_points' };
        points = balance.div(step).floor().mul(step);
        if (points.lt(redemption?.minPoints ?? '0') || points.lte(0)) {
          return { status: 'declined', reasonCode: 'insufficient_points' };
        }
      }
      await ledger.redeem({ customerId, saleId: key(request), points: points.toFixed() });
    }
    const decimals = request.amount.split('.')[1]?.length ?? 0;
    const paid = points.mul(value).toFixed(decimals);
    const outcome: PaymentOutcome = points.eq(wanted)
      ? { status: 'approved', amount: paid, providerRef: `loyalty:${request.attemptId}` }
      : {
          status: 'partially_approved',
          requested: request.amount,
          amount: paid,
          providerRef: `loyalty:${request.attemptId}`,
        };
    outcomes.set(request.attemptId, outcome);
    return outcome;
  }

  async function inquire(ref: AttemptRef): Promise<InquiryResult> {
    const known = outcomes.get(ref.attemptId);
    if (known !== undefined) return known;
    const entry = (await ledger.entries(customerId)).find(
      (e) => e.kind === 'redeem' && e.saleId === key(ref),
    );
    if (entry === undefined) return { status: 'not_found' };
    return {
      status: 'approved',
      amount: new Decimal(entry.points).mul(value).toFixed(),
      providerRef: `loyalty:${ref.attemptId}`,
    };
  }

  return {
    id: options.id ?? 'loyalty',
    capabilities: {
      // The session knows no stored-value method; 'card' gets the right treatment (no approval
      // code to key in, refunds by reference).
      method: 'card',
      partialApproval: true,
      tips: false,
      refunds: true,
      void: true,
      capture: false,
    },
    start(request) {
      return new Observable<PaymentEvent>((subscriber) => {
        subscriber.next({ type: 'progress', stage: 'processing' });
        pay(request).then(
          (outcome) => {
            subscriber.next({ type: 'outcome', outcome });
            subscriber.complete();
          },
          (error: unknown) => subscriber.error(error),
        );
      });
    },
    inquire,
    async cancel(ref) {
      return outcomes.has(ref.attemptId) ? 'too_late' : 'canceled';
    },
    async refund(request: RefundRequest): Promise<PaymentOutcome> {
      const seen = refunds.get(request.refundKey);
      if (seen !== undefined) return seen;
      const paid = outcomes.get(request.attemptId) ?? (await inquire(request));
      const captured =
        paid.status === 'approved' || paid.status === 'partially_approved'
          ? new Decimal(paid.amount)
          : new Decimal(0);
      const already = refunded.get(request.attemptId) ?? new Decimal(0);
      if (new Decimal(request.amount).plus(already).gt(captured)) {
        return { status: 'declined', reasonCode: 'exceeds_captured', message: 'More than the points paid' };
      }
      const points = new Decimal(request.amount).div(value);
      if (!points.isInteger() || points.lte(0)) {
        return {
          status: 'declined',
          reasonCode: 'invalid_amount',
          message: 'The amount is not a whole number of points',
        };
      }
      await ledger.credit({
        customerId,
        saleId: `${key(request)}:refund:${request.refundKey}`,
        points: points.toFixed(),
      });
      const outcome: PaymentOutcome = {
        status: 'approved',
        amount: request.amount,
        providerRef: `loyalty:${request.attemptId}`,
      };
      refunds.set(request.refundKey, outcome);
      refunded.set(request.attemptId, already.plus(request.amount));
      return outcome;
    },
    async void(ref) {
      const seen = voids.get(ref.key);
      if (seen !== undefined) return seen;
      const removed = await ledger.reverse(key(ref));
      const redeemed = removed.find((e) => e.kind === 'redeem');
      outcomes.delete(ref.attemptId);
      const outcome: PaymentOutcome =
        redeemed === undefined
          ? { status: 'declined', reasonCode: 'not_voidable' }
          : {
              status: 'approved',
              amount: new Decimal(redeemed.points).mul(value).toFixed(),
              providerRef: `loyalty:${ref.attemptId}`,
            };
      voids.set(ref.key, outcome);
      return outcome;
    },
  };
}
