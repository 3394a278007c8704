import { isKassaError } from '../../errors.js';
import { Decimal } from '../../money/decimal.js';
import type { PricedCart, PricingWarning } from '../types.js';
import { type LoyaltyProgram, type LoyaltyTier, parseLoyaltyProgram } from './schema.js';

/** Input of the loyalty stage: the priced cart (without loyalty) and the program. */
export interface LoyaltyStageInput {
  cart: Omit<PricedCart, 'loyalty'>;
  /** Raw program definition from `rules.loyalty`; the stage validates it. */
  program: unknown;
}

/** Output of the loyalty stage. */
export interface LoyaltyStageResult {
  loyalty?: NonNullable<PricedCart['loyalty']>;
  warnings: PricingWarning[];
}

const ONE = new Decimal(1);

/**
 * The customer's tier in the cart: the cart's customer groups name it (attach the customer with
 * `toCartCustomer(customer, { program, lifetimePoints })` from `kassa/customers` to add it).
 * The highest tier named wins. @internal
 */
export function tierInGroups(program: LoyaltyProgram, groups: readonly string[]): LoyaltyTier | undefined {
  let best: LoyaltyTier | undefined;
  for (const t of program.tiers ?? []) {
    if (!groups.includes(t.id)) continue;
    if (best === undefined || new Decimal(t.minPoints).gt(best.minPoints)) best = t;
  }
  return best;
}

/**
 * Computes the points a sale earns.
 * @internal called by `priceCart` when `rules.loyalty` is set.
 */
export function loyaltyStage(input: LoyaltyStageInput): LoyaltyStageResult {
  let program: LoyaltyProgram;
  try {
    program = parseLoyaltyProgram(input.program);
  } catch (error) {
    if (!isKassaError(error)) throw error;
    return {
      warnings: [
        { code: error.code, message: error.message, path: ['loyalty', ...(error.details.path ?? [])] },
      ],
    };
  }
  const cart = input.cart;
  if (program.currency !== undefined && program.currency !== cart.currency) {
    return {
      warnings: [
        {
          code: 'loyalty.currency_mismatch',
          message: `Loyalty program ${JSON.stringify(program.id)} earns in ${program.currency}, the cart is in ${cart.currency}`,
          path: ['loyalty', 'currency'],
        },
      ],
    };
  }
  const tier = tierInGroups(program, cart.customer?.groups ?? []);
  const tierMultiplier = new Decimal(tier?.multiplier ?? '1');
  const perUnit = new Decimal(program.pointsPerUnit);
  const excludedSkus = new Set(program.excluded?.skus ?? []);
  const excludedCategories = new Set(program.excluded?.categories ?? []);
  let points = new Decimal(0);
  for (const line of cart.lines) {
    if (excludedSkus.has(line.sku) || line.categories.some((c) => excludedCategories.has(c))) continue;
    let multiplier = ONE;
    let matched = false;
    for (const c of line.categories) {
      const m = program.categoryMultipliers?.[c];
      if (m === undefined) continue;
      if (!matched || new Decimal(m).gt(multiplier)) multiplier = new Decimal(m);
      matched = true;
    }
    const basis = new Decimal(program.basis === 'net' ? line.net : line.total);
    points = points.plus(basis.mul(perUnit).mul(multiplier));
  }
  points = points.mul(tierMultiplier).toDecimalPlaces(program.pointDecimals ?? 0, Decimal.ROUND_DOWN);
  if (points.isZero()) points = new Decimal(0);
  const loyalty: NonNullable<PricedCart['loyalty']> = { programId: program.id, points: points.toFixed() };
  if (tier !== undefined) loyalty.tier = tier.id;
  return { loyalty, warnings: [] };
}
