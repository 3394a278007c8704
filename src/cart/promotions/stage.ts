import type { Decimal } from '../../money/decimal.js';
import type { AppliedPromotion, PricingWarning } from '../types.js';

/**
 * A line as the promotion stage sees it: after price lists, overrides and manual line
 * discounts, before cart discounts and tax. Amounts are in the cart's price mode (gross
 * when prices include tax) and already rounded to the currency's step.
 */
export interface PromotionLine {
  id: string;
  sku: string;
  categories: readonly string[];
  attributes: Readonly<Record<string, string>>;
  unit: string;
  /** Effective unit price (after price list / override), unrounded, up to 6 decimals. */
  unitPrice: Decimal;
  /** Negative for returned items; promotions ignore return lines. */
  quantity: Decimal;
  /** unitPrice × quantity rounded, minus manual line discounts. */
  amount: Decimal;
}

/** What the promotion stage is given. Pure data: no clock, no I/O. */
export interface PromotionStageInput {
  currency: string;
  /** The currency step amounts round to (`0.01`). */
  step: Decimal;
  lines: readonly PromotionLine[];
  /** Raw promotion definitions from `rules.promotions`; the stage validates them. */
  promotions: readonly unknown[];
  context: {
    /** ISO 8601 time the cart is priced at. */
    at?: string;
    channel?: string;
    customer?: { id: string; groups: readonly string[] };
    coupons: readonly string[];
    /** Uses so far per coupon code (a snapshot from a CouponLedger), for usage limits. */
    couponUsage?: Readonly<Record<string, number>>;
  };
}

/** One amount a promotion takes off one line (positive, in the cart's price mode). */
export interface PromotionAdjustment {
  lineId: string;
  promotionId: string;
  amount: Decimal;
  label: string;
}

/** What the promotion stage returns. */
export interface PromotionStageResult {
  adjustments: PromotionAdjustment[];
  applied: AppliedPromotion[];
  coupons: { code: string; status: 'applied' | 'rejected'; reason?: string }[];
  warnings: PricingWarning[];
}

/**
 * The promotions stage of the pricing pipeline; runs before cart discounts and tax.
 * @internal called by `priceCart`.
 */
export function promotionStage(input: PromotionStageInput): PromotionStageResult {
  return {
    adjustments: [],
    applied: [],
    coupons: input.context.coupons.map((code) => ({ code, status: 'rejected' as const, reason: 'unknown' })),
    warnings: input.promotions.map((_, i) => ({
      code: 'promotion.unsupported',
      message: 'promotions are not evaluated yet',
      path: ['promotions', i],
    })),
  };
}
