/**
 * Promotions, coupons, price lists and loyalty programs as data, and the stages of the
 * pricing pipeline that apply them. Re-exported from `kassa`.
 * @module
 */
export type { LoyaltyProgram, LoyaltyRedemption, LoyaltyTier } from '../loyalty/schema.js';
export { loyaltyProgramSchema, parseLoyaltyProgram } from '../loyalty/schema.js';
export type { PriceList, PriceListEntry } from '../price-lists/schema.js';
export { parsePriceList, priceListSchema, validatePriceLists } from '../price-lists/schema.js';
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
