import { KassaError } from '../errors.js';
import { Decimal } from '../money/decimal.js';
import { type RoundingMode, roundToStep } from '../money/rounding.js';
import { type AttemptModel, refundableOf } from './reduce.js';

/*
 * How a refund is spread over the tenders of a sale, and the cash rule: a cash refund pays
 * out coins that exist. Each cash tender carries the exact part of the sale it settled
 * (`amount - rounding`); a refund asks for exact amounts, and the cash part is rounded with
 * the session's cash rule, except that refunding the rest of a cash tender gives back all
 * that is left of what was taken (12.43 paid as 12.45 in cash: a refund of 12.43 pays 12.45,
 * and nothing more can be refunded from that tender).
 */

/** What is left to refund of a tender, in the sale's exact terms. @internal */
export function exactRefundableOf(a: AttemptModel): Decimal {
  if (a.record.method !== 'cash') return refundableOf(a);
  if (refundableOf(a).lte(0)) return new Decimal(0);
  let left = new Decimal(a.record.amount).minus(a.record.rounding ?? 0);
  for (const r of a.refunds) {
    if (r.status !== 'declined' && r.status !== 'failed') left = left.minus(r.exact ?? r.amount);
  }
  return Decimal.max(left, 0);
}

/** One part of a planned refund: `amount` is paid out, `exact` is what it refunds of the sale (cash only). @internal */
export interface RefundPart {
  readonly attempt: AttemptModel;
  readonly amount: Decimal;
  readonly exact?: Decimal;
}

/**
 * Spreads `amount` (exact, in sale terms) over `ordered` tenders. The caller has checked that
 * `amount` does not exceed the sum of {@link exactRefundableOf}.
 * @throws KassaError `validation.invalid_amount` when a cash part rounds to nothing.
 * @internal
 */
export function planRefund(
  ordered: readonly AttemptModel[],
  amount: Decimal,
  cashRule: { readonly step: string; readonly mode?: RoundingMode | undefined } | undefined,
  decimals: number,
): RefundPart[] {
  const parts: RefundPart[] = [];
  let left = amount;
  for (const a of ordered) {
    if (left.lte(0)) break;
    const exactLeft = exactRefundableOf(a);
    if (exactLeft.lte(0)) continue;
    const take = Decimal.min(left, exactLeft);
    left = left.minus(take);
    if (a.record.method !== 'cash') {
      parts.push({ attempt: a, amount: take });
      continue;
    }
    const refundable = refundableOf(a);
    const step = cashRule ? new Decimal(cashRule.step) : new Decimal(1).div(10 ** decimals);
    const out = take.eq(exactLeft)
      ? refundable
      : Decimal.min(roundToStep(take, step, cashRule?.mode ?? 'half-up'), refundable);
    if (out.lte(0)) {
      throw new KassaError(
        'validation.invalid_amount',
        `A cash refund of ${take.toFixed(decimals)} rounds to nothing with the cash step ${step.toFixed()}`,
        { path: ['amount'] },
      );
    }
    parts.push({ attempt: a, amount: out, exact: take });
  }
  return parts;
}
