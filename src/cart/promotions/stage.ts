import { Decimal, decimalToString, isAboveZero } from '../../money/decimal.js';
import type { RoundingMode } from '../../money/rounding.js';
import type { AppliedPromotion, PricingWarning } from '../types.js';
import { type ConditionContext, isTimeBound, parseAt } from './conditions.js';
import { type ManualCartDiscount, type NotAppliedReason, solve } from './engine.js';
import type { EngineLine } from './evaluate.js';
import { defaultLabel } from './labels.js';
import { couponCodeSchema, type Promotion, validatePromotions } from './schema.js';

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

/**
 * A line as the engine reads it. A class rather than a literal with a getter: every cart
 * makes one per line, and instances of one class share their shape and their getter.
 */
class StageLine implements EngineLine {
  readonly id: string;
  readonly sku: string;
  readonly categories: readonly string[];
  readonly attributes: Readonly<Record<string, string>>;
  readonly each: boolean;
  readonly quantity: Decimal;
  readonly amount: Decimal;
  private perUnit: Decimal | undefined;

  constructor(l: PromotionLine) {
    this.id = l.id;
    this.sku = l.sku;
    this.categories = l.categories;
    this.attributes = l.attributes;
    this.each = l.unit === 'each' && l.quantity.isInteger();
    this.quantity = l.quantity;
    this.amount = l.amount;
  }

  /** Only unit-based rewards need it: divided out on first use. */
  get unitAmount(): Decimal {
    this.perUnit ??= this.quantity.eq(1) ? this.amount : this.amount.div(this.quantity);
    return this.perUnit;
  }
}

/** What the promotion stage is given. Pure data: no clock, no I/O. */
export interface PromotionStageInput {
  currency: string;
  /** The currency step amounts round to (`0.01`). */
  step: Decimal;
  /** `rules.rounding.mode`: every rounding of a promotion's amount uses it. Default `'half-up'`. */
  mode?: RoundingMode;
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
    /**
     * The cart-level manual discounts the engine applies after this stage. Optional: when
     * given, spend thresholds (`minAmount`, spend tiers) are tested on the amount left after
     * them, so a manual discount that takes the cart under a threshold removes the promotion.
     */
    cartDiscounts?: readonly { kind: 'percent' | 'amount'; value: Decimal }[];
  };
}

/** One amount a promotion takes off one line (positive, in the cart's price mode). */
export interface PromotionAdjustment {
  lineId: string;
  promotionId: string;
  amount: Decimal;
  label: string;
}

/** Why a coupon was not applied; `reason` is the same in words a cashier can read out. */
export type CouponRejection =
  | 'malformed'
  | 'duplicate'
  | 'unknown'
  | 'expired'
  | 'not_yet_valid'
  | 'not_valid_now'
  | 'minimum_not_reached'
  | 'not_combinable'
  | 'already_used'
  | 'not_eligible'
  | 'wrong_channel'
  | 'no_matching_items';

/** The outcome of one coupon code the customer gave. */
export interface CouponResult {
  /** The code, upper-cased (as entered when malformed). */
  code: string;
  status: 'applied' | 'rejected';
  /** A sentence for the cashier: "This coupon has expired". */
  reason?: string;
  /** The stable reason, to branch on. */
  reasonCode?: CouponRejection;
  /** The promotions the coupon unlocked. */
  promotionIds?: string[];
}

/** An applied promotion with how it applied, for explanations and audits. */
export interface PromotionApplication extends AppliedPromotion {
  /** The reward type (`'buy-x-get-y'`, `'bundle'` ...). */
  kind: Promotion['reward']['type'];
  /** The stacking group it used. */
  group: string;
  /** How many times it applied (buy-X-get-Y rounds, bundles made); 1 for the others. */
  applications: number;
  /** The coupon that unlocked it. */
  coupon?: string;
  /** One sentence on why and how it applied. */
  explanation: string;
}

/** What the promotion stage returns. */
export interface PromotionStageResult {
  adjustments: PromotionAdjustment[];
  /** In the order they were applied. */
  applied: PromotionApplication[];
  coupons: CouponResult[];
  warnings: PricingWarning[];
  /** Valid promotions that did not apply, and why (`'expired'`, `'not_combinable'` ...). */
  notApplied?: { promotionId: string; reason: NotAppliedReason }[];
}

const COUPON_TEXT: Record<CouponRejection, string> = {
  malformed: 'This is not a valid coupon code',
  duplicate: 'This coupon was already entered',
  unknown: 'Unknown coupon code',
  expired: 'This coupon has expired',
  not_yet_valid: 'This coupon is not valid yet',
  not_valid_now: 'This coupon is not valid at this day or time',
  minimum_not_reached: 'The cart does not reach the minimum for this coupon',
  not_combinable: 'This coupon cannot be combined with another promotion in the cart',
  already_used: 'This coupon has already been used',
  not_eligible: 'This coupon is not valid for this customer',
  wrong_channel: 'This coupon is not valid in this sales channel',
  no_matching_items: 'No item in the cart qualifies for this coupon',
};

// Which reason to give when several promotions share a code: the one closest to applying.
const REASON_RANK: NotAppliedReason[] = [
  'not_combinable',
  'minimum_not_reached',
  'no_matching_items',
  'already_used',
  'not_eligible',
  'wrong_channel',
  'outside_schedule',
  'expired',
  'not_yet_valid',
  'no_time',
  'coupon_missing',
  'disabled',
];

function couponRejection(reason: NotAppliedReason): CouponRejection {
  switch (reason) {
    case 'outside_schedule':
    case 'no_time':
      return 'not_valid_now';
    case 'disabled':
    case 'coupon_missing':
      return 'unknown';
    default:
      return reason;
  }
}

/**
 * The promotions stage of the pricing pipeline; runs before cart discounts and tax.
 * Validates `input.promotions` one by one (a bad one becomes a warning and never stops the
 * others), then finds the promotions to apply (see `docs/promotions.md` for the rules).
 * @internal called by `priceCart`.
 */
export function promotionStage(input: PromotionStageInput): PromotionStageResult {
  const warnings: PricingWarning[] = [];
  const { promotions, errors } = validatePromotions(input.promotions);
  for (const e of errors) {
    warnings.push({
      code: e.error.code,
      message: e.error.message,
      path: ['promotions', ...(e.error.details.path ?? [e.index])],
    });
  }
  const ctx = input.context;
  const time = ctx.at === undefined ? undefined : parseAt(ctx.at);
  if (ctx.at !== undefined && time === undefined) {
    warnings.push({
      code: 'promotion.invalid_time',
      message:
        'The cart time is not an ISO 8601 date-time with an offset; time-bound promotions were skipped',
      path: ['at'],
    });
  }
  if (time === undefined) {
    for (const [i, p] of promotions.entries()) {
      if (isTimeBound(p) && p.enabled !== false) {
        warnings.push({
          code: 'promotion.no_time',
          message: `Promotion ${JSON.stringify(p.id)} has a time window but the cart has no time; it was skipped`,
          path: ['promotions', indexOf(input.promotions, p, i)],
        });
      }
    }
  }

  // Coupon codes: shape, duplicates, normalisation.
  const couponResults: CouponResult[] = [];
  const entered = new Set<string>();
  const pending: CouponResult[] = [];
  for (const entry of ctx.coupons) {
    // Codes are typed or scanned at a till: surrounding spaces are noise, not part of the code.
    const raw = typeof entry === 'string' ? entry.trim() : entry;
    if (!couponCodeSchema.safeParse(raw).success) {
      couponResults.push(reject(String(raw), 'malformed'));
      continue;
    }
    const code = raw.toUpperCase();
    if (entered.has(code)) {
      couponResults.push(reject(code, 'duplicate'));
      continue;
    }
    entered.add(code);
    const result: CouponResult = { code, status: 'rejected' };
    couponResults.push(result);
    pending.push(result);
  }
  const usage: Record<string, number> = {};
  for (const [code, n] of Object.entries(ctx.couponUsage ?? {})) {
    const key = code.toUpperCase();
    usage[key] = (usage[key] ?? 0) + n;
  }

  const conditions: ConditionContext = {
    groups: new Set(ctx.customer?.groups ?? []),
    coupons: entered,
    couponUsage: usage,
  };
  if (time !== undefined) conditions.time = time;
  if (ctx.channel !== undefined) conditions.channel = ctx.channel;

  const lines: EngineLine[] = [];
  for (const l of input.lines) {
    if (!isAboveZero(l.quantity) || !isAboveZero(l.amount)) continue;
    lines.push(new StageLine(l));
  }
  const cartDiscounts: ManualCartDiscount[] = (ctx.cartDiscounts ?? []).map((d) => ({
    kind: d.kind,
    value: new Decimal(d.value),
  }));

  const solution = solve({
    lines,
    promotions,
    step: input.step,
    ...(input.mode === undefined ? {} : { mode: input.mode }),
    conditions,
    cartDiscounts,
  });

  const decimals = input.step.decimalPlaces();
  // Amounts here are whole steps: printing them needs no rounding pass.
  const fmt = (d: Decimal) => decimalToString(d, decimals);
  const adjustments: PromotionAdjustment[] = [];
  const applied: PromotionApplication[] = [];
  for (const a of solution.applied) {
    const p = a.promotion;
    const label = p.label ?? defaultLabel(p, a.tier);
    const lineIds = [...a.perLine.keys()];
    const allocation: Record<string, string> = {};
    for (const id of lineIds) {
      const amount = a.perLine.get(id)!;
      allocation[id] = fmt(amount);
      adjustments.push({ lineId: id, promotionId: p.id, amount, label });
    }
    const record: PromotionApplication = {
      id: p.id,
      amount: fmt(a.total),
      lineIds,
      label,
      allocation,
      kind: p.reward.type,
      group: a.group,
      applications: a.applications,
      explanation: explain(p, a.applications, a.tier, lineIds.length),
    };
    const coupon = p.conditions?.coupon?.code.toUpperCase();
    if (coupon !== undefined) record.coupon = coupon;
    applied.push(record);
  }

  const appliedIds = new Set(applied.map((a) => a.id));
  for (const result of pending) {
    const owners = promotions.filter((p) => p.conditions?.coupon?.code.toUpperCase() === result.code);
    if (owners.length > 0) result.promotionIds = owners.map((p) => p.id);
    const used = owners.filter((p) => appliedIds.has(p.id));
    if (used.length > 0) {
      result.status = 'applied';
      result.promotionIds = used.map((p) => p.id);
      continue;
    }
    let reason: NotAppliedReason | undefined;
    for (const p of owners) {
      const r = solution.reasons.get(p.id) ?? 'no_matching_items';
      if (reason === undefined || REASON_RANK.indexOf(r) < REASON_RANK.indexOf(reason)) reason = r;
    }
    const code: CouponRejection = reason === undefined ? 'unknown' : couponRejection(reason);
    result.reasonCode = code;
    result.reason = COUPON_TEXT[code];
  }

  const notApplied = [...solution.reasons]
    .filter(([, reason]) => reason !== 'disabled')
    .map(([promotionId, reason]) => ({ promotionId, reason }))
    .sort((a, b) => (a.promotionId < b.promotionId ? -1 : a.promotionId > b.promotionId ? 1 : 0));

  return { adjustments, applied, coupons: couponResults, warnings, notApplied };
}

function reject(code: string, reasonCode: CouponRejection): CouponResult {
  return { code, status: 'rejected', reasonCode, reason: COUPON_TEXT[reasonCode] };
}

function indexOf(raw: readonly unknown[], p: Promotion, fallback: number): number {
  const i = raw.findIndex((r) => typeof r === 'object' && r !== null && (r as { id?: unknown }).id === p.id);
  return i < 0 ? fallback : i;
}

function explain(p: Promotion, applications: number, tier: number | undefined, lineCount: number): string {
  const on = `on ${lineCount} line${lineCount === 1 ? '' : 's'}`;
  const why: string[] = [];
  const c = p.conditions;
  if (c?.coupon !== undefined) why.push(`coupon ${c.coupon.code.toUpperCase()}`);
  if (c?.customerGroups !== undefined) why.push(`customer group ${c.customerGroups.join('/')}`);
  if (c?.minAmount !== undefined) why.push(`cart reached ${c.minAmount}`);
  if (c?.minQuantity !== undefined) why.push(`at least ${c.minQuantity} items`);
  const because = why.length > 0 ? ` (${why.join(', ')})` : '';
  const r = p.reward;
  switch (r.type) {
    case 'buy-x-get-y':
      return `Buy ${r.buy.quantity} get ${r.get.quantity}: applied ${applications} time${applications === 1 ? '' : 's'} ${on}${because}`;
    case 'bundle':
      return `${applications} bundle${applications === 1 ? '' : 's'} at ${r.price} ${on}${because}`;
    case 'spend-tiers': {
      const sorted = [...r.tiers].sort((a, b) => new Decimal(a.minAmount).comparedTo(b.minAmount));
      const t = sorted[tier ?? 0];
      return `Spend tier ${t?.minAmount ?? '?'} reached ${on}${because}`;
    }
    default:
      return `${defaultLabel(p, tier)} ${on}${because}`;
  }
}
