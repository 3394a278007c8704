import type { PricedCart, PricingWarning } from '../types.js';

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

/**
 * Computes the points a sale earns.
 * @internal called by `priceCart` when `rules.loyalty` is set.
 */
export function loyaltyStage(_input: LoyaltyStageInput): LoyaltyStageResult {
  return {
    warnings: [{ code: 'loyalty.unsupported', message: 'loyalty is not evaluated yet', path: ['loyalty'] }],
  };
}
