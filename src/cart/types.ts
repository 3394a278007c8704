import type { RoundingMode } from '../money/rounding.js';

/**
 * A tax as data. Percent taxes take `rate` in percent (`'21'`); fixed taxes take `amount`
 * per unit (a bottle deposit, an excise); division taxes are a share of the price that
 * includes them (`rate` 10 on 110 is 11, not 10). See the tax guide in `docs/tax.md`.
 */
export interface TaxInput {
  id: string;
  name?: string | undefined;
  /** Default `'percent'`. */
  kind?: 'percent' | 'fixed' | 'division' | undefined;
  /** Percent, as a decimal string: `'21'`, `'5.5'`. Required for percent and division taxes. */
  rate?: string | undefined;
  /** Amount per unit, as a decimal string. Required for fixed taxes. */
  amount?: string | undefined;
  /** This tax is inside the entered price. Default: the line's price mode. */
  priceIncluded?: boolean | undefined;
  /** Its base includes the amounts of the taxes applied before it. */
  compound?: boolean | undefined;
  /** Order of application; lower first. Default 0, ties by position. */
  sequence?: number | undefined;
  /** A short code printed on receipts next to each line ("A", "B"); defaults by rate order. */
  code?: string | undefined;
}

/** A manual discount on a line or on the whole cart. */
export interface DiscountInput {
  id: string;
  kind: 'percent' | 'amount';
  /** Percent (`'10'`) or an amount (`'2.50'`), as a decimal string. */
  value: string;
  /**
   * For amount discounts on a cart whose prices exclude tax: is the amount a gross amount
   * (the customer sees 5.00 off the total) or a net amount? Default: the cart's price mode.
   */
  amountIncludesTax?: boolean | undefined;
  reason?: string | undefined;
}

/** A cart line as entered. */
export interface LineInput {
  id: string;
  sku: string;
  name?: string | undefined;
  categories?: string[] | undefined;
  /** Decimal string with up to 6 decimals (fuel, bulk goods). */
  unitPrice: string;
  /** Decimal string or exact number; whole for `each` items; negative for returned items. */
  quantity: string | number;
  /** `'each'` (default, whole numbers) or a measure unit such as `'kg'`, `'l'`, `'m'`. */
  unit?: string | undefined;
  /** Resolved through `rules.taxCategories`. */
  taxCategory?: string | undefined;
  /** The line's taxes given directly, instead of a category. */
  taxes?: TaxInput[] | undefined;
  /** Overrides the cart's `pricesIncludeTax` for this line. */
  priceIncludesTax?: boolean | undefined;
  discounts?: DiscountInput[] | undefined;
  /** A price set by the cashier, with the reason and who approved it. */
  priceOverride?: { unitPrice: string; reason: string; approvedBy?: string | undefined } | undefined;
  /** Free-form attributes promotions can match on (`{ brand: 'acme' }`). */
  attributes?: Record<string, string> | undefined;
  /** For returns: the sale and line this line returns, to refund the price actually paid. */
  returnOf?: { saleId: string; lineId: string } | undefined;
}

/** A manual discount on the whole cart. */
export interface CartDiscountInput extends DiscountInput {
  /**
   * How an amount discount is split over the lines: in proportion to their net amounts
   * (`'net'`) or their gross amounts (`'gross'`, as some engines do; lines with a higher tax
   * rate take a larger share). Default: the basis of the amount itself (`amountIncludesTax`,
   * else the cart's price mode). Percent discounts take the same percentage of every line
   * either way. A share larger than what a line has left is cut at zero, and the part cut is
   * not moved to other lines (only possible when the discount takes nearly the whole cart).
   */
  allocateBy?: 'net' | 'gross' | undefined;
}

/** A cart as entered, before pricing. */
export interface CartInput {
  /** ISO 4217 code. */
  currency: string;
  /** Default `false`: prices are net and taxes are added on top. */
  pricesIncludeTax?: boolean | undefined;
  lines: LineInput[];
  /** Cart-level manual discounts, spread over the lines by largest remainder (see `allocateBy`). */
  discounts?: CartDiscountInput[] | undefined;
  customer?: { id: string; groups?: string[] | undefined; taxExempt?: boolean | undefined } | undefined;
  coupons?: string[] | undefined;
  /** Sales channel, for promotions: `'store'`, `'online'` ... */
  channel?: string | undefined;
  /** ISO 8601 time the cart is priced at, for time-bound promotions and price lists. Pure: never read from a clock. */
  at?: string | undefined;
}

/** Tax rounding policy. */
export type TaxRoundingPolicy = 'per-line' | 'per-unit' | 'per-total';

/** Rounding configuration of the engine. */
export interface RoundingRules {
  /**
   * - `per-line` (default): each line's tax is rounded;
   * - `per-unit`: the tax of one unit is rounded, then multiplied by the quantity;
   * - `per-total`: each tax is rounded once over the document, and the rounding difference
   *   is spread back to the lines so that they still sum to the totals.
   */
  tax?: TaxRoundingPolicy | undefined;
  /** Default `'half-up'`. */
  mode?: RoundingMode | undefined;
  /** Default: the currency's minor unit (`'0.01'`); `'0.05'` for currencies that round to 5 cents. */
  step?: string | undefined;
  /** Cash rounding, e.g. `{ step: '0.05' }`: a separate rounding amount that never changes the tax. */
  cash?: { step: string; mode?: RoundingMode | undefined } | undefined;
}

/** Rules the engine prices with. Promotions and price lists are typed in their own modules. */
export interface PricingRules {
  taxCategories?: Record<string, readonly TaxInput[]> | undefined;
  rounding?: RoundingRules | undefined;
  /** Promotion definitions (data); see `docs/promotions.md` for the shape. */
  promotions?: readonly unknown[] | undefined;
  /** Price lists (data): customer-group prices, quantity breaks, validity windows. */
  priceLists?: readonly unknown[] | undefined;
  /** A loyalty program (data); the priced cart then shows the points the sale earns. */
  loyalty?: unknown | undefined;
  /** Uses so far per coupon code (a snapshot from a `CouponLedger`), for usage limits. */
  couponUsage?: Record<string, number> | undefined;
}

/** Something the engine could not apply but that did not stop pricing (a malformed promotion). */
export interface PricingWarning {
  code: string;
  message: string;
  path: (string | number)[];
}

/** One tax on one priced line. */
export interface PricedLineTax {
  id: string;
  name?: string;
  kind: 'percent' | 'fixed' | 'division';
  rate?: string;
  /** Receipt letter code of the tax. */
  code: string;
  /** The amount the tax was computed on. */
  base: string;
  amount: string;
  /** The tax was inside the entered price. */
  included: boolean;
}

/** Why a line's amount changed: a discount, a promotion, an override, a price list. */
export interface Adjustment {
  source: 'line-discount' | 'cart-discount' | 'promotion' | 'price-override' | 'price-list' | 'loyalty';
  /** The id of the discount, promotion or price list. */
  id: string;
  /** The amount taken off the line, in the line's price mode (positive for a discount). */
  amount: string;
  /** Short text for the receipt and the customer display. */
  label: string;
}

/** A line after pricing. Amounts are decimal strings with the currency's decimals. */
export interface PricedLine {
  id: string;
  sku: string;
  name?: string;
  categories: string[];
  unit: string;
  /** The unit price charged (after a price override or price list), as entered (up to 6 decimals). */
  unitPrice: string;
  /** The unit price before any override or price list. */
  listUnitPrice: string;
  quantity: string;
  priceIncludesTax: boolean;
  /** `unitPrice × quantity`, rounded, in the line's price mode. */
  subtotal: string;
  /** All discounts and promotions on this line, in the line's price mode (positive). */
  discount: string;
  /** The tax base after discounts. */
  net: string;
  tax: string;
  /** `net + tax`: what the customer pays for this line. */
  total: string;
  taxes: PricedLineTax[];
  adjustments: Adjustment[];
  priceOverride?: { unitPrice: string; reason: string; approvedBy?: string };
  attributes?: Record<string, string>;
  returnOf?: { saleId: string; lineId: string };
}

/** The tax of one rate over the whole cart, as European receipts print it. */
export interface TaxBreakdownEntry {
  id: string;
  name?: string;
  kind: 'percent' | 'fixed' | 'division';
  rate?: string;
  code: string;
  base: string;
  amount: string;
  /** base + amount. */
  gross: string;
}

/** A promotion applied to the cart. */
export interface AppliedPromotion {
  id: string;
  amount: string;
  lineIds: string[];
  label: string;
  /** The amount per line, so that a return refunds the discounted price. */
  allocation?: Record<string, string>;
  /** The reward kind (`buy_x_get_y`, `bundle`, ...). */
  kind?: string;
  /** Why it applied, in words (for support and audits). */
  explanation?: string;
}

/**
 * The totals of a priced cart. `subtotal` and `discount` are in the cart's basis: net (no
 * tax) when `pricesIncludeTax` is false, gross (every tax) when it is true, whatever the
 * lines' own price modes; a line in another basis is converted (see `docs/cart.md`). So
 * `subtotal - discount = net` in a net cart and `subtotal - discount = total` in a gross
 * cart, always. `net`, `tax` and `total` do not depend on the basis.
 */
export interface CartTotals {
  /** Before discounts, in the cart's basis (net, or gross when prices include tax). */
  subtotal: string;
  /** All discounts and promotions, in the cart's basis (positive). */
  discount: string;
  /** Net, after discounts: the sum of the lines' nets (their tax bases without any tax). */
  net: string;
  tax: string;
  /** `net + tax`: what is due before cash rounding. */
  total: string;
  /** Cash total minus total: the rounding a cash payment adds (may be negative). */
  cashRounding: string;
  /** What a cash payment of the whole sale is. */
  cashTotal: string;
  /**
   * The cash rule `cashTotal` was rounded with, when the rules have one: what a payment
   * session needs to round cash tenders the same way (`paymentSessionFromCart`).
   */
  cashRule?: { step: string; mode: RoundingMode };
  /** Number of items: the sum of `each` quantities plus one per measured line. */
  itemCount: string;
}

/** A cart after pricing: immutable data, the same for the same input. */
export interface PricedCart {
  currency: string;
  pricesIncludeTax: boolean;
  lines: PricedLine[];
  totals: CartTotals;
  taxBreakdown: TaxBreakdownEntry[];
  appliedPromotions: AppliedPromotion[];
  /** Cart-level discounts as entered, with the amount each took. */
  discounts: { id: string; kind: 'percent' | 'amount'; value: string; amount: string; reason?: string }[];
  customer?: { id: string; groups: string[]; taxExempt: boolean };
  /** Each coupon entered, with a reason the cashier can read when it was rejected. */
  coupons: {
    code: string;
    status: 'applied' | 'rejected';
    reason?: string;
    /** Stable reason code (`unknown`, `expired`, `minimum_not_reached`, ...). */
    reasonCode?: string;
    /** The promotions the coupon unlocked. */
    promotionIds?: string[];
  }[];
  /** Rules that could not be applied (a malformed promotion, an unknown coupon); never silent. */
  warnings: PricingWarning[];
  /** Points this sale earns, when a loyalty program is configured. */
  loyalty?: { programId: string; points: string; tier?: string };
}
