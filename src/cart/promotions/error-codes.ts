/**
 * Error codes of promotions, coupons, price lists and loyalty programs (the pricing rules
 * that are data). Stable: callers switch on them.
 */
export type PromotionErrorCode =
  | 'promotion.invalid'
  | 'promotion.duplicate_id'
  | 'promotion.invalid_coupon_code'
  | 'promotion.coupon_conflict'
  | 'price_list.invalid'
  | 'loyalty.invalid_program';
