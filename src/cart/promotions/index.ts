/**
 * `kassa/promotions`: promotions, coupons and price lists as data, and the pricing
 * features that apply them. Pass the features to `createCart` or `priceCart`:
 * `createCart({ ..., features: { promotions: promotionsFeature, priceLists: priceListsFeature } })`.
 * @packageDocumentation
 */
import { priceListStage } from '../price-lists/stage.js';
import { promotionStage } from './stage.js';

/** The promotions stage of the pricing pipeline: pass it as `features.promotions`. */
export const promotionsFeature: typeof promotionStage = promotionStage;
/** The price-list stage of the pricing pipeline: pass it as `features.priceLists`. */
export const priceListsFeature: typeof priceListStage = priceListStage;
export type { LoyaltyProgram, LoyaltyRedemption, LoyaltyTier } from '../loyalty/schema.js';
export { defineLoyaltyProgram, loyaltyProgramSchema, parseLoyaltyProgram } from '../loyalty/schema.js';
export type { PriceList, PriceListEntry } from '../price-lists/schema.js';
export {
  definePriceLists,
  parsePriceList,
  priceListSchema,
  validatePriceLists,
} from '../price-lists/schema.js';
export {
  appliedCoupons,
  type CouponLedger,
  type CouponRedemption,
  createMemoryCouponLedger,
} from './coupon-ledger.js';
export type { PromotionErrorCode } from './error-codes.js';
export { returnLineFor } from './returns.js';
export {
  type AmountOffReward,
  type BundleReward,
  type BuyXGetYReward,
  type CartReward,
  type CouponCondition,
  couponCodeSchema,
  definePromotions,
  type FixedPriceReward,
  type FreeItemReward,
  type LineTarget,
  type PercentOffReward,
  type Promotion,
  type PromotionConditions,
  type PromotionValidationError,
  parseCouponCode,
  parsePromotion,
  promotionSchema,
  type QuantityTiersReward,
  type Reward,
  type Schedule,
  type SpendTiersReward,
  validatePromotions,
} from './schema.js';
export type { CouponRejection, CouponResult, PromotionApplication } from './stage.js';
