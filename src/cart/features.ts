import { KassaError } from '../errors.js';
import type { LoyaltyStageInput, LoyaltyStageResult } from './loyalty/stage.js';
import type { PriceListStageInput, PriceListStageResult } from './price-lists/stage.js';
import type { PromotionStageInput, PromotionStageResult } from './promotions/stage.js';
import type { PricingRules } from './types.js';

/**
 * The optional stages of the pricing pipeline, passed in as values so that an app that
 * does not use promotions, price lists or loyalty does not ship their code (the cart alone
 * stays small; the promotion engine is larger than the rest of the cart together).
 *
 * @example
 * ```ts
 * import { createCart } from 'kassa';
 * import { priceListsFeature, promotionsFeature } from 'kassa/promotions';
 * import { loyaltyFeature } from 'kassa/customers';
 *
 * const cart = createCart({
 *   currency: 'EUR',
 *   rules: { promotions, priceLists, loyalty: program },
 *   features: { promotions: promotionsFeature, priceLists: priceListsFeature, loyalty: loyaltyFeature },
 * });
 * ```
 */
export interface PricingFeatures {
  /** Applies `rules.priceLists`; from `kassa/promotions`. */
  priceLists?: (input: PriceListStageInput) => PriceListStageResult;
  /** Applies `rules.promotions` and coupons; from `kassa/promotions`. */
  promotions?: (input: PromotionStageInput) => PromotionStageResult;
  /** Computes the points `rules.loyalty` earns; from `kassa/customers`. */
  loyalty?: (input: LoyaltyStageInput) => LoyaltyStageResult;
}

const IMPORTS: Record<keyof PricingFeatures, string> = {
  priceLists: "import { priceListsFeature } from 'kassa/promotions'",
  promotions: "import { promotionsFeature } from 'kassa/promotions'",
  loyalty: "import { loyaltyFeature } from 'kassa/customers'",
};

/**
 * Rules that need a feature the caller did not pass are a programming error, not bad data:
 * pricing without them would silently charge list prices.
 * @internal
 */
export function assertFeatures(rules: PricingRules, features: PricingFeatures): void {
  const needed: [keyof PricingFeatures, boolean][] = [
    ['priceLists', (rules.priceLists?.length ?? 0) > 0],
    ['promotions', (rules.promotions?.length ?? 0) > 0],
    ['loyalty', rules.loyalty !== undefined],
  ];
  for (const [feature, used] of needed) {
    if (used && typeof features[feature] !== 'function') {
      throw new KassaError(
        'validation.feature_missing',
        `rules.${feature} needs the ${feature} feature: ${IMPORTS[feature]} and pass { features: { ${feature}: ... } }`,
        { path: [feature] },
      );
    }
  }
}
