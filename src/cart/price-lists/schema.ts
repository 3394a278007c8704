import * as z from 'zod/mini';
import type { KassaError } from '../../errors.js';
import { isDefined, markDefined } from '../define.js';
import { parseWith } from '../promotions/errors.js';

const amountString = z
  .string()
  .check(z.regex(/^\d{1,12}(\.\d{1,6})?$/, 'Expected a decimal string like "4.99"'));
const percentString = z.string().check(
  z.regex(/^\d{1,3}(\.\d{1,6})?$/, 'Expected a percentage like "10"'),
  z.refine((v) => Number(v) > 0 && Number(v) <= 100, 'A percentage must be above 0 and at most 100'),
);
const quantityString = z
  .string()
  .check(z.regex(/^\d{1,9}(\.\d{1,6})?$/, 'Expected a quantity like "5" or "2.5"'));
const shortText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const dateTime = z.iso.datetime({ offset: true });

/**
 * One price in a price list: for a `sku` (or every item of a `category`), a `unitPrice` or a
 * `percentOff` the entered price, from `minQuantity` units of that sku in the cart on
 * (quantity breaks: give several entries with rising `minQuantity`).
 */
export interface PriceListEntry {
  sku?: string;
  category?: string;
  unitPrice?: string;
  percentOff?: string;
  /** Decimal string; the sum of the sku's quantities over the cart's sale lines. Default `'0'`. */
  minQuantity?: string;
}

/**
 * A price list as data: base prices, customer-group prices (wholesale, staff), quantity breaks
 * and validity windows. Resolved before promotions; a cashier's price override still wins.
 *
 * Resolution per line: among the lists that apply (customer group, channel, currency, validity),
 * the highest `priority` that has a price for the line wins; within it a sku entry beats a
 * category entry and the highest reached `minQuantity` beats lower ones; between lists of the
 * same priority the lower price wins (best for the customer), then the lower list id.
 */
export interface PriceList {
  id: string;
  /** Shown as the adjustment label (`'Wholesale price'`). */
  label?: string;
  /** Only for customers in one of these groups; absent: for everyone (base prices). */
  customerGroups?: readonly string[];
  channels?: readonly string[];
  /** Only for carts in this currency. */
  currency?: string;
  validFrom?: string;
  validUntil?: string;
  /** Default 0; higher wins. */
  priority?: number;
  enabled?: boolean;
  prices: readonly PriceListEntry[];
}

const entrySchema = z
  .strictObject({
    sku: z.exactOptional(shortText(64)),
    category: z.exactOptional(shortText(64)),
    unitPrice: z.exactOptional(amountString),
    percentOff: z.exactOptional(percentString),
    minQuantity: z.exactOptional(quantityString),
  })
  .check(
    z.refine(
      (e) => (e.sku === undefined) !== (e.category === undefined),
      'An entry needs exactly one of sku, category',
    ),
    z.refine(
      (e) => (e.unitPrice === undefined) !== (e.percentOff === undefined),
      'An entry needs exactly one of unitPrice, percentOff',
    ),
  );

/** The zod schema of a price list. */
export const priceListSchema: z.ZodMiniType<PriceList> = z
  .strictObject({
    id: shortText(64),
    label: z.exactOptional(shortText(48)),
    customerGroups: z.exactOptional(z.array(shortText(64)).check(z.minLength(1))),
    channels: z.exactOptional(z.array(shortText(32)).check(z.minLength(1))),
    currency: z.exactOptional(z.string().check(z.regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code'))),
    validFrom: z.exactOptional(dateTime),
    validUntil: z.exactOptional(dateTime),
    priority: z.exactOptional(z.int().check(z.gte(-1_000_000), z.lte(1_000_000))),
    enabled: z.exactOptional(z.boolean()),
    prices: z.array(entrySchema).check(z.maxLength(100_000)),
  })
  .check(
    z.superRefine((p, ctx) => {
      if (
        p.validFrom !== undefined &&
        p.validUntil !== undefined &&
        Date.parse(p.validFrom) >= Date.parse(p.validUntil)
      )
        ctx.issues.push({
          code: 'custom',
          message: 'validUntil must be after validFrom',
          path: ['validUntil'],
          input: p.validUntil,
        });
    }),
  );

/**
 * Parses one price list.
 * @throws KassaError `price_list.invalid` with the field path
 */
export function parsePriceList(input: unknown): PriceList {
  return parseWith(priceListSchema, input, 'price_list.invalid', 'price list');
}

/** Validates price lists one by one; errors carry `price_list.invalid` and the path from the list root. */
export function validatePriceLists(input: readonly unknown[]): {
  priceLists: PriceList[];
  errors: { index: number; error: KassaError }[];
} {
  const priceLists: PriceList[] = [];
  const errors: { index: number; error: KassaError }[] = [];
  for (const [index, raw] of input.entries()) {
    try {
      priceLists.push(parseCached(raw, index));
    } catch (error) {
      errors.push({ index, error: error as KassaError });
    }
  }
  return { priceLists, errors };
}

// A price list from definePriceLists is frozen and valid: it is used as it is. Any other
// object is validated on every pricing, so an edit made in place is never missed.
function parseCached(raw: unknown, index: number): PriceList {
  if (isDefined(raw)) return raw as PriceList;
  return parseWith(priceListSchema, raw, 'price_list.invalid', 'price list', [index]);
}

/**
 * Validates price lists once and returns them frozen; pass the result in `rules.priceLists`
 * and pricing skips the validation (and keeps its lookup index between carts). A raw array
 * is validated on every pricing instead.
 *
 * @example
 * ```ts
 * const priceLists = definePriceLists([{ id: 'staff', customerGroups: ['staff'], prices: [{ sku: 'coffee', unitPrice: '1.80' }] }]);
 * ```
 * @throws KassaError `price_list.invalid` for the first bad price list, with its path.
 */
export function definePriceLists(input: readonly unknown[]): readonly PriceList[] {
  if (isDefined(input)) return input as readonly PriceList[];
  if (!Array.isArray(input)) parseWith(z.array(z.unknown()), input, 'price_list.invalid', 'price lists');
  const { priceLists, errors } = validatePriceLists(input);
  if (errors.length > 0) throw errors[0]!.error;
  for (const p of priceLists) markDefined(p);
  return markDefined(priceLists);
}
