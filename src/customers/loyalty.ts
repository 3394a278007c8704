import { type LoyaltyProgram, type LoyaltyTier, parseLoyaltyProgram } from '../cart/loyalty/schema.js';
import type { DiscountInput } from '../cart/types.js';
import { Decimal } from '../money/decimal.js';
import { customerError } from './errors.js';

/** The tier a customer with `lifetimePoints` has reached, if the program has tiers. */
export function tierFor(
  program: LoyaltyProgram,
  lifetimePoints: Decimal | string | number,
): LoyaltyTier | undefined {
  const p = parseLoyaltyProgram(program);
  const points = new Decimal(lifetimePoints);
  let best: LoyaltyTier | undefined;
  for (const t of p.tiers ?? []) {
    if (points.lt(t.minPoints)) continue;
    if (best === undefined || new Decimal(t.minPoints).gt(best.minPoints)) best = t;
  }
  return best;
}

function redemptionOf(program: LoyaltyProgram) {
  const p = parseLoyaltyProgram(program);
  if (p.redemption === undefined) {
    throw customerError(
      'loyalty.invalid_redemption',
      `Loyalty program ${JSON.stringify(p.id)} has no redemption`,
      {
        path: ['redemption'],
      },
    );
  }
  return { program: p, redemption: p.redemption };
}

/**
 * The most points a customer can redeem on a cart: limited by the balance, by the program's
 * `maxPercent` of `cartTotal`, never worth more than the cart, and a multiple of `pointStep`.
 * Zero when that is below `minPoints`.
 */
export function maxRedeemablePoints(
  program: LoyaltyProgram,
  balance: Decimal | string | number,
  cartTotal: Decimal | string,
): Decimal {
  const { redemption } = redemptionOf(program);
  const value = new Decimal(redemption.pointValue);
  const step = new Decimal(redemption.pointStep ?? '1');
  const total = new Decimal(cartTotal);
  if (total.lte(0)) return new Decimal(0);
  const cap = total.mul(new Decimal(redemption.maxPercent ?? '100')).div(100);
  let points = Decimal.min(new Decimal(balance), cap.div(value).floor());
  points = points.div(step).floor().mul(step);
  if (points.lt(redemption.minPoints ?? '0') || points.lte(0)) return new Decimal(0);
  return points;
}

/** Options of {@link redemptionDiscount}. */
export interface RedemptionOptions {
  points: string | number;
  /** The customer's balance; redeeming more is refused. */
  balance: string | number;
  /** The cart total the points pay towards, in the cart's price mode. */
  cartTotal: string;
  /** Id of the discount in the cart (default `'loyalty'`). */
  id?: string;
  /** Decimals of the currency (default 2). */
  decimals?: number;
}

/**
 * Redemption as a discount: turns points into a cart `DiscountInput` to pass to
 * `cart.applyDiscount(...)`. Record the redemption with `LoyaltyLedger.redeem` when the sale
 * completes (idempotent by sale id).
 *
 * @example
 * ```ts
 * cart.applyDiscount(redemptionDiscount(program, { points: 500, balance: '740', cartTotal: cart.snapshot().totals.total }));
 * ```
 * @throws KassaError `loyalty.invalid_redemption` (below the minimum, not a multiple of the
 *   step, over the cap), `loyalty.insufficient_points`
 */
export function redemptionDiscount(program: LoyaltyProgram, options: RedemptionOptions): DiscountInput {
  const { program: p, redemption } = redemptionOf(program);
  let points: Decimal;
  try {
    points = new Decimal(options.points);
  } catch {
    throw customerError('loyalty.invalid_redemption', 'Points must be a number', { path: ['points'] });
  }
  if (!points.isFinite() || points.lte(0)) {
    throw customerError('loyalty.invalid_redemption', 'Points to redeem must be above zero', {
      path: ['points'],
    });
  }
  if (points.gt(new Decimal(options.balance))) {
    throw customerError('loyalty.insufficient_points', 'The balance does not cover these points', {
      path: ['points'],
    });
  }
  const step = new Decimal(redemption.pointStep ?? '1');
  if (!points.div(step).isInteger()) {
    throw customerError(
      'loyalty.invalid_redemption',
      `Points are redeemed in multiples of ${step.toFixed()}`,
      {
        path: ['points'],
      },
    );
  }
  if (points.lt(redemption.minPoints ?? '0')) {
    throw customerError(
      'loyalty.invalid_redemption',
      `At least ${redemption.minPoints} points must be redeemed`,
      {
        path: ['points'],
      },
    );
  }
  const max = maxRedeemablePoints(p, options.balance, options.cartTotal);
  if (points.gt(max)) {
    throw customerError(
      'loyalty.invalid_redemption',
      `At most ${max.toFixed()} points can be redeemed on this cart`,
      {
        path: ['points'],
        max: max.toFixed(),
      },
    );
  }
  const value = points.mul(redemption.pointValue).toDecimalPlaces(options.decimals ?? 2, Decimal.ROUND_DOWN);
  return {
    id: options.id ?? 'loyalty',
    kind: 'amount',
    value: value.toFixed(options.decimals ?? 2),
    amountIncludesTax: true,
    reason: `${p.label ?? 'Loyalty'}: ${points.toFixed()} points`,
  };
}
