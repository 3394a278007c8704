import * as z from 'zod/mini';
import type { KassaError } from '../../errors.js';
import { isDefined, markDefined } from '../define.js';
import { parseWith, rulesError } from './errors.js';

/** A non-negative decimal string with up to 6 decimals (`'5'`, `'4.99'`). */
const amountString = z
  .string()
  .check(z.regex(/^\d{1,12}(\.\d{1,6})?$/, 'Expected a decimal string like "4.99"'));

/** A percentage in (0, 100], as a decimal string. */
const percentString = z.string().check(
  z.regex(/^\d{1,3}(\.\d{1,6})?$/, 'Expected a percentage like "10" or "12.5"'),
  z.refine((v) => Number(v) > 0 && Number(v) <= 100, 'A percentage must be above 0 and at most 100'),
);

/** A whole count, at least 1. */
const count = z.int().check(z.gte(1), z.lte(1_000_000));

const shortText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** Coupon codes: letters, digits, `-` and `_`, 1 to 64 characters; matched case-insensitively. */
export const couponCodeSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'A coupon code is 1 to 64 letters, digits, "-" or "_"'));

/**
 * Which lines a promotion looks at. Every given field must hold (AND); a list matches when any
 * of its entries does (OR). An empty or absent target matches every line.
 *
 * @example `{ categories: ['drinks'], attributes: { brand: 'acme' }, excludeSkus: ['WATER-6'] }`
 */
export interface LineTarget {
  skus?: readonly string[];
  categories?: readonly string[];
  /** Every attribute given must be equal on the line (`{ brand: 'acme' }`). */
  attributes?: Record<string, string>;
  excludeSkus?: readonly string[];
  excludeCategories?: readonly string[];
}

const targetSchema = z.strictObject({
  skus: z.exactOptional(z.array(shortText(64)).check(z.minLength(1))),
  categories: z.exactOptional(z.array(shortText(64)).check(z.minLength(1))),
  attributes: z.exactOptional(z.record(shortText(64), z.string().check(z.maxLength(128)))),
  excludeSkus: z.exactOptional(z.array(shortText(64))),
  excludeCategories: z.exactOptional(z.array(shortText(64))),
});

/** A weekly time window, read on the wall clock of the cart's `at` (or of `timeZone`). */
export interface Schedule {
  /** Days of the week the promotion runs; default every day. */
  days?: readonly ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
  /** Start time `HH:MM` (inclusive). */
  from?: string;
  /** End time `HH:MM` (exclusive); may be earlier than `from` for a window over midnight. */
  until?: string;
  /** An IANA time zone (`'Europe/Amsterdam'`); default: the UTC offset written in the cart's `at`. */
  timeZone?: string;
}

const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected a time like "17:30"'));

const scheduleSchema = z.strictObject({
  days: z.exactOptional(
    z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).check(z.minLength(1)),
  ),
  from: z.exactOptional(hhmm),
  until: z.exactOptional(hhmm),
  timeZone: z.exactOptional(
    shortText(64).check(
      z.refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'Unknown time zone'),
    ),
  ),
});

/** A coupon a promotion needs, with its usage limit. */
export interface CouponCondition {
  /** The code the customer gives; matched case-insensitively. */
  code: string;
  /** How many sales may use the code in total (see `CouponLedger`). */
  maxUses?: number;
}

/**
 * When a promotion applies. Every given condition must hold.
 *
 * `minQuantity` counts the units of the lines in `target` (default: the reward's lines);
 * `minAmount` sums the amounts of the lines in `target` (default: the whole cart), after
 * the promotions applied before this one and after manual cart discounts, in the cart's price
 * mode (gross when prices include tax). Both are tested again after every application.
 */
export interface PromotionConditions {
  coupon?: CouponCondition;
  /** The cart's customer must be in one of these groups. */
  customerGroups?: readonly string[];
  /** The cart's channel must be one of these (`'store'`, `'online'`). */
  channels?: readonly string[];
  /** ISO 8601 date-time with offset; the promotion starts at this instant. */
  validFrom?: string;
  /** ISO 8601 date-time with offset; the promotion ends at this instant (exclusive). */
  validUntil?: string;
  schedule?: Schedule;
  minQuantity?: number;
  minAmount?: string;
  target?: LineTarget;
}

const dateTime = z.iso.datetime({ offset: true });

const conditionsSchema = z.strictObject({
  coupon: z.exactOptional(z.strictObject({ code: couponCodeSchema, maxUses: z.exactOptional(count) })),
  customerGroups: z.exactOptional(z.array(shortText(64)).check(z.minLength(1))),
  channels: z.exactOptional(z.array(shortText(32)).check(z.minLength(1))),
  validFrom: z.exactOptional(dateTime),
  validUntil: z.exactOptional(dateTime),
  schedule: z.exactOptional(scheduleSchema),
  minQuantity: z.exactOptional(count),
  minAmount: z.exactOptional(amountString),
  target: z.exactOptional(targetSchema),
});

/** Percent off the matching lines (`'10'` is 10 %). */
export interface PercentOffReward {
  type: 'percent-off';
  percent: string;
  target?: LineTarget;
}
/** An amount off each matching unit (`per: 'unit'`, default) or off the matching lines together. */
export interface AmountOffReward {
  type: 'amount-off';
  amount: string;
  per?: 'unit' | 'total';
  target?: LineTarget;
}
/** Each matching unit sells at `price` (never more than its own price). */
export interface FixedPriceReward {
  type: 'fixed-price';
  price: string;
  target?: LineTarget;
}
/**
 * Buy `buy.quantity`, get `get.quantity` free or discounted; repeats per multiple up to
 * `maxApplications`. `rewardItem` picks which units are the reward: the cheapest (default)
 * or the most expensive. With the same target on both sides, "buy 2, get the 3rd free" is
 * `{ buy: { quantity: 2 }, get: { quantity: 1 } }`.
 */
export interface BuyXGetYReward {
  type: 'buy-x-get-y';
  buy: { quantity: number; target?: LineTarget };
  /** The reward units: `percent` off (default 100, free), `amount` off each, or sold at `price`. */
  get: { quantity: number; target?: LineTarget; percent?: string; amount?: string; price?: string };
  maxApplications?: number;
  rewardItem?: 'cheapest' | 'most-expensive';
}
/**
 * A bundle or mix-and-match at a fixed price: "any 3 drinks for 5.00" is
 * `{ items: [{ target: { categories: ['drinks'] }, quantity: 3 }], price: '5.00' }`;
 * "a sandwich and a drink for 6.00" has two items. The most expensive eligible units go
 * into bundles first (best for the customer); a bundle never costs more than its units.
 */
export interface BundleReward {
  type: 'bundle';
  items: { target: LineTarget; quantity: number }[];
  price: string;
  maxApplications?: number;
}
/**
 * Quantity breaks over the matching units together: the highest tier whose `minQuantity` is
 * reached applies to every matching unit, as `percent` off, `amount` off each, or a unit `price`.
 */
export interface QuantityTiersReward {
  type: 'quantity-tiers';
  target?: LineTarget;
  tiers: { minQuantity: number; percent?: string; amount?: string; price?: string }[];
}
/** Percent or an amount off the cart (or off the lines in `target`), spread over the lines. */
export interface CartReward {
  type: 'cart';
  percent?: string;
  amount?: string;
  target?: LineTarget;
}
/**
 * Spend thresholds: the highest tier whose `minAmount` the cart reaches gives its `percent` or
 * `amount` off ("spend 50, get 5 off; spend 100, get 10 %").
 */
export interface SpendTiersReward {
  type: 'spend-tiers';
  tiers: { minAmount: string; percent?: string; amount?: string }[];
  target?: LineTarget;
}
/** Up to `quantity` units of `sku` free, when they are in the cart (the cashier scans the gift). */
export interface FreeItemReward {
  type: 'free-item';
  sku: string;
  quantity?: number;
}

/** What a promotion gives. */
export type Reward =
  | PercentOffReward
  | AmountOffReward
  | FixedPriceReward
  | BuyXGetYReward
  | BundleReward
  | QuantityTiersReward
  | CartReward
  | SpendTiersReward
  | FreeItemReward;

/**
 * A promotion as data: what a back office stores. See `docs/promotions.md`.
 *
 * Stacking: promotions apply in `priority` order (higher first). Within one priority, the
 * promotion that saves the customer most applies first. A unit of a line can be discounted by
 * one promotion per `group`: promotions of the same group compete for units, promotions of
 * different groups stack (the later one works on what is left). The default group is `'item'`
 * for item rewards and `'cart'` for `cart` and `spend-tiers`, so by default item promotions
 * compete with each other and a cart promotion stacks on top of them. An `exclusive`
 * promotion never combines with any other; kassa keeps the better of "this one alone" and
 * "the others together" for the customer.
 */
export interface Promotion {
  id: string;
  /** Short text for the receipt and the customer display (`'Mix & match drinks'`). */
  label?: string;
  /** Default 0; higher applies first. */
  priority?: number;
  exclusive?: boolean;
  group?: string;
  /** Default true; a disabled promotion is ignored. */
  enabled?: boolean;
  conditions?: PromotionConditions;
  reward: Reward;
}

const tierOff = {
  percent: z.exactOptional(percentString),
  amount: z.exactOptional(amountString),
  price: z.exactOptional(amountString),
};

function exactlyOne(keys: string[], what: string) {
  return z.refine<Record<string, unknown>>(
    (v) => keys.filter((k) => v[k] !== undefined).length === 1,
    `${what} needs exactly one of ${keys.join(', ')}`,
  );
}

function atMostOne(keys: string[], what: string) {
  return z.refine<Record<string, unknown>>(
    (v) => keys.filter((k) => v[k] !== undefined).length <= 1,
    `${what} takes at most one of ${keys.join(', ')}`,
  );
}

const rewardSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('percent-off'),
    percent: percentString,
    target: z.exactOptional(targetSchema),
  }),
  z.strictObject({
    type: z.literal('amount-off'),
    amount: amountString,
    per: z.exactOptional(z.enum(['unit', 'total'])),
    target: z.exactOptional(targetSchema),
  }),
  z.strictObject({
    type: z.literal('fixed-price'),
    price: amountString,
    target: z.exactOptional(targetSchema),
  }),
  z.strictObject({
    type: z.literal('buy-x-get-y'),
    buy: z.strictObject({ quantity: count, target: z.exactOptional(targetSchema) }),
    get: z
      .strictObject({ quantity: count, target: z.exactOptional(targetSchema), ...tierOff })
      .check(atMostOne(['percent', 'amount', 'price'], 'get')),
    maxApplications: z.exactOptional(count),
    rewardItem: z.exactOptional(z.enum(['cheapest', 'most-expensive'])),
  }),
  z.strictObject({
    type: z.literal('bundle'),
    items: z
      .array(z.strictObject({ target: targetSchema, quantity: count }))
      .check(z.minLength(1), z.maxLength(20)),
    price: amountString,
    maxApplications: z.exactOptional(count),
  }),
  z.strictObject({
    type: z.literal('quantity-tiers'),
    target: z.exactOptional(targetSchema),
    tiers: z
      .array(
        z
          .strictObject({ minQuantity: count, ...tierOff })
          .check(exactlyOne(['percent', 'amount', 'price'], 'A tier')),
      )
      .check(z.minLength(1), z.maxLength(50)),
  }),
  z
    .strictObject({
      type: z.literal('cart'),
      percent: z.exactOptional(percentString),
      amount: z.exactOptional(amountString),
      target: z.exactOptional(targetSchema),
    })
    .check(exactlyOne(['percent', 'amount'], 'A cart reward')),
  z.strictObject({
    type: z.literal('spend-tiers'),
    tiers: z
      .array(
        z
          .strictObject({
            minAmount: amountString,
            percent: z.exactOptional(percentString),
            amount: z.exactOptional(amountString),
          })
          .check(exactlyOne(['percent', 'amount'], 'A tier')),
      )
      .check(z.minLength(1), z.maxLength(50)),
    target: z.exactOptional(targetSchema),
  }),
  z.strictObject({
    type: z.literal('free-item'),
    sku: shortText(64),
    quantity: z.exactOptional(count),
  }),
]);

/**
 * The zod schema of one promotion. Unknown fields are rejected, so a typo in a back office
 * (`"percnt"`) is an error rather than a promotion that silently gives nothing.
 */
export const promotionSchema: z.ZodMiniType<Promotion> = z
  .strictObject({
    id: shortText(64),
    label: z.exactOptional(shortText(48)),
    priority: z.exactOptional(z.int().check(z.gte(-1_000_000), z.lte(1_000_000))),
    exclusive: z.exactOptional(z.boolean()),
    group: z.exactOptional(shortText(32)),
    enabled: z.exactOptional(z.boolean()),
    conditions: z.exactOptional(conditionsSchema),
    reward: rewardSchema,
  })
  .check(
    z.superRefine((p, ctx) => {
      const from = p.conditions?.validFrom;
      const until = p.conditions?.validUntil;
      if (from !== undefined && until !== undefined && Date.parse(from) >= Date.parse(until)) {
        ctx.issues.push({
          code: 'custom',
          message: 'validUntil must be after validFrom',
          path: ['conditions', 'validUntil'],
          input: until,
        });
      }
    }),
  );

/** A promotion that failed validation: its position, its id when readable, and the error. */
export interface PromotionValidationError {
  index: number;
  id?: string;
  error: KassaError;
}

/**
 * Validates a list of promotions one by one, so one bad definition never hides the others.
 * Errors carry `promotion.invalid` (or `promotion.duplicate_id`) and the path of the bad
 * field from the list root (`[3, 'reward', 'percent']`).
 *
 * @example
 * ```ts
 * const { promotions, errors } = validatePromotions(await backOffice.load());
 * for (const e of errors) console.warn(e.error.code, e.error.details.path);
 * ```
 */
export function validatePromotions(input: readonly unknown[]): {
  promotions: Promotion[];
  errors: PromotionValidationError[];
} {
  const promotions: Promotion[] = [];
  const errors: PromotionValidationError[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of input.entries()) {
    const id = readId(raw);
    try {
      const promotion = parseCached(raw, index);
      if (seen.has(promotion.id)) {
        throw rulesError(
          'promotion.duplicate_id',
          `Promotion id ${JSON.stringify(promotion.id)} is used twice`,
          {
            path: [index, 'id'],
            issues: [{ path: [index, 'id'], message: 'duplicate id' }],
          },
        );
      }
      seen.add(promotion.id);
      promotions.push(promotion);
    } catch (error) {
      errors.push(
        id === undefined ? { index, error: error as KassaError } : { index, id, error: error as KassaError },
      );
    }
  }
  return { promotions, errors };
}

/**
 * Parses one promotion, throwing `KassaError` `promotion.invalid` with the field path.
 * @throws KassaError `promotion.invalid`
 */
export function parsePromotion(input: unknown): Promotion {
  return parseWith(promotionSchema, input, 'promotion.invalid', 'promotion');
}

/**
 * Checks a coupon code's shape (not whether a promotion knows it) and returns it normalised
 * to upper case.
 * @throws KassaError `promotion.invalid_coupon_code`
 */
export function parseCouponCode(code: unknown): string {
  return parseWith(couponCodeSchema, code, 'promotion.invalid_coupon_code', 'coupon code').toUpperCase();
}

// A promotion from definePromotions is frozen and valid: it is used as it is. Any other
// object is validated on every pricing, so an edit made in place is never missed.
function parseCached(raw: unknown, index: number): Promotion {
  if (isDefined(raw)) return raw as Promotion;
  return parseWith(promotionSchema, raw, 'promotion.invalid', 'promotion', [index]);
}

/**
 * Validates promotions once and returns them frozen. Pass the result in
 * `rules.promotions`: pricing then skips the validation. A raw array is validated on every
 * pricing instead (so an object edited in place is always read as it is now); to change a
 * defined promotion, define the list again.
 *
 * @example
 * ```ts
 * const promotions = definePromotions([
 *   { id: 'drinks-10', reward: { type: 'percent-off', percent: '10', target: { categories: ['drinks'] } } },
 * ]);
 * priceCart(cart, { promotions }, { promotions: promotionsFeature });
 * ```
 * @throws KassaError `promotion.invalid` or `promotion.duplicate_id` for the first bad promotion, with its path.
 */
export function definePromotions(input: readonly unknown[]): readonly Promotion[] {
  if (isDefined(input)) return input as readonly Promotion[];
  if (!Array.isArray(input)) parseWith(promotionListShape, input, 'promotion.invalid', 'promotions');
  const { promotions, errors } = validatePromotions(input);
  if (errors.length > 0) throw errors[0]!.error;
  for (const p of promotions) markDefined(p);
  return markDefined(promotions);
}

const promotionListShape = z.array(z.unknown());

function readId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}
