import * as z from 'zod/mini';
import { describeValue, type KassaErrorCode } from '../errors.js';
import { isCurrency } from '../money/currencies.js';
import { Decimal, describeDecimalFailure, tryParseDecimal } from '../money/decimal.js';
import { ROUNDING_MODES } from '../money/rounding.js';
import { hasOnlyKeys, isPlainArray, isPlainRecord } from '../plain.js';
import type { CartInput, DiscountInput, LineInput, PricingRules, TaxInput } from './types.js';

type Check = 'any' | 'nonnegative' | 'positive' | 'nonzero';

// A regex of our own instead of z.iso.datetime keeps zod's date machinery out of the core bundle.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

// A plain decimal: /^[+-]?\d+(\.\d+)?$/ (read by hand in decimalFastPath).

function checkWording(check: Check): string {
  return check === 'nonnegative'
    ? 'must not be negative'
    : check === 'positive'
      ? 'must be greater than zero'
      : 'must not be zero';
}

/**
 * The common cases of a decimal field, read without building a Decimal: `null` when the
 * value is valid, the issue's message when it is not, `undefined` when only the full
 * reader can tell.
 */
function decimalFastPath(
  value: unknown,
  maxDecimals: number,
  check: Check,
  allowNumber: boolean,
  maxIntegerDigits: number,
): string | null | undefined {
  if (typeof value === 'string') {
    // A plain decimal, read by hand: a regex match allocates, and this runs for every amount.
    const n = value.length;
    let i = 0;
    const first = value.charCodeAt(0);
    const negative = first === 45;
    if (negative || first === 43) i = 1;
    const wholeStart = i;
    let significant = -1;
    let nonZero = false;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c < 48 || c > 57) break;
      if (c !== 48 && significant < 0) {
        significant = i;
        nonZero = true;
      }
    }
    const wholeEnd = i;
    if (wholeEnd === wholeStart) return undefined;
    let decimals = 0;
    if (i < n) {
      if (value.charCodeAt(i) !== 46) return undefined;
      const fractionStart = ++i;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c < 48 || c > 57) return undefined;
        if (c !== 48) nonZero = true;
      }
      decimals = n - fractionStart;
      if (decimals === 0) return undefined;
    }
    if (decimals > maxDecimals) return undefined;
    if (significant >= 0 && wholeEnd - significant > maxIntegerDigits) {
      return `at most ${maxIntegerDigits} digits before the decimal point`;
    }
    const isZero = !nonZero;
    const bad =
      (check === 'nonnegative' && negative && !isZero) ||
      (check === 'positive' && (negative || isZero)) ||
      (check === 'nonzero' && isZero);
    return bad ? checkWording(check) : null;
  }
  // Whole numbers (the usual quantity).
  if (
    allowNumber &&
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    Math.abs(value) < 10 ** Math.min(maxIntegerDigits, 15)
  ) {
    const bad =
      (check === 'nonnegative' && value < 0) ||
      (check === 'positive' && value <= 0) ||
      (check === 'nonzero' && value === 0);
    return bad ? checkWording(check) : null;
  }
  return undefined;
}

/**
 * A decimal field: a decimal string, or an exact JS number where `allowNumber`. The kassa
 * error code travels in the issue's params so the thrown KassaError carries it.
 * `maxIntegerDigits` bounds the magnitude so that price × quantity summed over a long cart
 * stays within the 40 significant digits kassa computes with (15 digits before the point
 * for amounts, 9 for quantities): past that, totals would be silently inexact.
 */
function decimal<T extends string | number = string>(
  maxDecimals: number,
  code: KassaErrorCode,
  check: Check = 'any',
  allowNumber = false,
  maxIntegerDigits = 15,
): z.ZodMiniType<T> {
  const tooLarge = `at most ${maxIntegerDigits} digits before the decimal point`;
  const limit = new Decimal(10).pow(maxIntegerDigits);
  // A bare check rather than superRefine, which builds an addIssue closure for every value
  // parsed; the issue pushed is the one superRefine would have built.
  const fail = (payload: { issues: unknown[] }, message: string, value: unknown): void => {
    payload.issues.push({
      code: 'custom',
      message,
      params: { code },
      input: value,
      inst: ch,
      continue: true,
    });
  };
  const ch = z.check<unknown>((payload) => {
    const value = payload.value;
    if (typeof value !== 'string' && !(allowNumber && typeof value === 'number')) {
      fail(
        payload,
        allowNumber
          ? 'expected a decimal string or an exact number'
          : 'expected a decimal string such as "12.50"',
        value,
      );
      return;
    }
    // No Decimal is built just to validate the common cases.
    const fast = decimalFastPath(value, maxDecimals, check, allowNumber, maxIntegerDigits);
    if (fast !== undefined) {
      if (fast !== null) fail(payload, fast, value);
      return;
    }
    // The engine reads the stored string again later; padding would pass the parser
    // (which trims) and then break there, so a field must be the bare decimal.
    const parsed =
      typeof value === 'string' && value !== value.trim()
        ? ({ ok: false, reason: 'syntax' } as const)
        : tryParseDecimal(value, maxDecimals);
    if (!parsed.ok) {
      fail(payload, describeDecimalFailure(parsed.reason, maxDecimals), value);
      return;
    }
    const d = parsed.value;
    if (d.abs().gte(limit)) {
      fail(payload, tooLarge, value);
      return;
    }
    const bad =
      (check === 'nonnegative' && d.isNegative() && !d.isZero()) ||
      (check === 'positive' && !d.gt(0)) ||
      (check === 'nonzero' && d.isZero());
    if (bad) fail(payload, checkWording(check), value);
  });
  return z.unknown().check(ch) as unknown as z.ZodMiniType<T>;
}

const id = z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(200, 'at most 200 characters'));
const text = z.string().check(z.maxLength(500, 'at most 500 characters'));

const currency = z.string().check(
  z.refine((c) => isCurrency(c), {
    message: 'unknown currency; expected an ISO 4217 code such as "EUR"',
    params: { code: 'validation.invalid_currency' },
  }),
);

/** Schema of {@link TaxInput}. */
export const taxInputSchema = z
  .strictObject({
    id,
    name: z.optional(text),
    kind: z.optional(z.enum(['percent', 'fixed', 'division'])),
    rate: z.optional(decimal(6, 'validation.invalid_amount', 'nonnegative', false, 4)),
    amount: z.optional(decimal(6, 'validation.invalid_amount', 'nonnegative')),
    priceIncluded: z.optional(z.boolean()),
    compound: z.optional(z.boolean()),
    sequence: z.optional(z.int()),
    code: z.optional(z.string().check(z.minLength(1), z.maxLength(4))),
  })
  .check(
    z.superRefine((tax, ctx) => {
      const kind = tax.kind ?? 'percent';
      if (kind === 'fixed' && tax.amount === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'a fixed tax needs an amount per unit',
          path: ['amount'],
          params: { code: 'validation.invalid_amount' },
          input: tax,
        });
      }
      if (kind !== 'fixed' && tax.rate === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `a ${kind} tax needs a rate`,
          path: ['rate'],
          params: { code: 'validation.invalid_amount' },
          input: tax,
        });
      }
      if (kind === 'division' && tax.rate !== undefined && !(Number(tax.rate) < 100)) {
        ctx.addIssue({
          code: 'custom',
          message: 'a division tax rate must be below 100',
          path: ['rate'],
          params: { code: 'validation.invalid_amount' },
          input: tax,
        });
      }
    }),
  ) as unknown as z.ZodMiniType<TaxInput>;

/** Reports each item whose id an earlier item of the same list already has. */
function reportDuplicateIds(
  ctx: z.core.$RefinementCtx<unknown>,
  items: readonly { id: string }[],
  what: 'line' | 'tax' | 'discount',
  path: readonly PropertyKey[],
  input: unknown,
): void {
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (seen.has(item.id)) {
      ctx.addIssue({
        code: 'custom',
        message: `duplicate ${what} id "${item.id}"`,
        path: [...path, i, 'id'],
        params: { code: `validation.duplicate_${what}` },
        input,
      });
    }
    seen.add(item.id);
  }
}

/** A list of taxes; the same tax twice on one line is a mistake that would charge it twice. */
const taxList = z
  .array(taxInputSchema)
  .check(z.superRefine((taxes, ctx) => reportDuplicateIds(ctx, taxes, 'tax', [], taxes)));

/** Schema of {@link DiscountInput}. */
export const discountInputSchema = z
  .strictObject({
    id,
    kind: z.enum(['percent', 'amount']),
    value: decimal(6, 'validation.invalid_discount', 'nonnegative'),
    amountIncludesTax: z.optional(z.boolean()),
    reason: z.optional(text),
  })
  .check(
    z.superRefine((d, ctx) => {
      if (d.kind === 'percent' && tryParseDecimal(d.value).ok && Number(d.value) > 100) {
        ctx.addIssue({
          code: 'custom',
          message: 'a percent discount cannot exceed 100',
          path: ['value'],
          params: { code: 'validation.invalid_discount' },
          input: d,
        });
      }
    }),
  ) as unknown as z.ZodMiniType<DiscountInput>;

const MEASURE_UNIT = /^[a-z][a-z0-9_]{0,15}$/i;

/** Schema of {@link LineInput}. */
export const lineInputSchema = z
  .strictObject({
    id,
    sku: id,
    name: z.optional(text),
    categories: z.optional(z.array(id)),
    unitPrice: decimal(6, 'validation.invalid_amount', 'nonnegative'),
    quantity: decimal<string | number>(6, 'validation.invalid_quantity', 'nonzero', true, 9),
    unit: z.optional(z.string().check(z.regex(MEASURE_UNIT, 'a unit such as "each", "kg", "l" or "m"'))),
    taxCategory: z.optional(id),
    taxes: z.optional(taxList),
    priceIncludesTax: z.optional(z.boolean()),
    discounts: z.optional(z.array(discountInputSchema)),
    priceOverride: z.optional(
      z.strictObject({
        unitPrice: decimal(6, 'validation.invalid_amount', 'nonnegative'),
        reason: z.string().check(z.minLength(1, 'a price override needs a reason'), z.maxLength(500)),
        approvedBy: z.optional(id),
      }),
    ),
    attributes: z.optional(z.record(z.string(), z.string())),
    returnOf: z.optional(z.strictObject({ saleId: id, lineId: id })),
  })
  .check(
    z.superRefine((line, ctx) => {
      const unit = line.unit ?? 'each';
      const q = line.quantity;
      // The quantity's own check has reported anything that is not a string or a number.
      const whole =
        typeof q === 'number' ? Number.isInteger(q) : typeof q !== 'string' || !/\.\d*[1-9]/.test(q);
      if (unit === 'each' && !whole) {
        ctx.addIssue({
          code: 'custom',
          message: `"each" items are sold in whole numbers; got ${describeValue(line.quantity)}`,
          path: ['quantity'],
          params: { code: 'validation.invalid_quantity' },
          input: line,
        });
      }
      if (line.taxes !== undefined && line.taxCategory !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'give either taxes or a taxCategory, not both',
          path: ['taxes'],
          params: { code: 'validation.invalid_input' },
          input: line,
        });
      }
      if (line.discounts && line.discounts.length > 1)
        reportDuplicateIds(ctx, line.discounts, 'discount', ['discounts'], line);
    }),
  ) as unknown as z.ZodMiniType<LineInput>;

/** Schema of {@link CartInput}. */
export const cartInputSchema = z
  .strictObject({
    currency,
    pricesIncludeTax: z.optional(z.boolean()),
    lines: z.array(lineInputSchema).check(z.maxLength(10_000, 'at most 10000 lines')),
    discounts: z.optional(z.array(discountInputSchema)),
    customer: z.optional(
      z.strictObject({ id, groups: z.optional(z.array(id)), taxExempt: z.optional(z.boolean()) }),
    ),
    coupons: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(100)))),
    channel: z.optional(id),
    at: z.optional(
      z.string().check(
        z.refine((t) => ISO_DATE_TIME.test(t) && !Number.isNaN(Date.parse(t)), {
          message: 'expected an ISO 8601 date and time with an offset, such as "2026-11-27T14:03:00+01:00"',
        }),
      ),
    ),
  })
  .check(
    z.superRefine((cart, ctx) => {
      reportDuplicateIds(ctx, cart.lines, 'line', ['lines'], cart);
      reportDuplicateIds(ctx, cart.discounts ?? [], 'discount', ['discounts'], cart);
    }),
  ) as unknown as z.ZodMiniType<CartInput>;

/** Schema of {@link PricingRules}. */
export const pricingRulesSchema = z.strictObject({
  taxCategories: z.optional(z.record(id, taxList)),
  rounding: z.optional(
    z.strictObject({
      tax: z.optional(z.enum(['per-line', 'per-unit', 'per-total'])),
      mode: z.optional(z.enum(ROUNDING_MODES as unknown as ['half-up'])),
      step: z.optional(decimal(6, 'validation.invalid_amount', 'positive')),
      cash: z.optional(
        z.strictObject({
          step: decimal(6, 'validation.invalid_amount', 'positive'),
          mode: z.optional(z.enum(ROUNDING_MODES as unknown as ['half-up'])),
        }),
      ),
    }),
  ),
  promotions: z.optional(z.array(z.unknown())),
  priceLists: z.optional(z.array(z.unknown())),
  loyalty: z.optional(z.unknown()),
  couponUsage: z.optional(z.record(z.string(), z.int().check(z.nonnegative()))),
}) as unknown as z.ZodMiniType<PricingRules>;

// The fast check below accepts a subset of what the schemas accept, for the carts a
// register sends on every scan; anything else (and every error) goes through zod, so the
// issues reported are zod's. It must be kept in step with the schemas above.

const LINE_KEYS = new Set([
  'id',
  'sku',
  'name',
  'categories',
  'unitPrice',
  'quantity',
  'unit',
  'taxCategory',
  'taxes',
  'priceIncludesTax',
  'discounts',
]);
const TAX_KEYS = new Set([
  'id',
  'name',
  'kind',
  'rate',
  'amount',
  'priceIncluded',
  'compound',
  'sequence',
  'code',
]);
const DISCOUNT_KEYS = new Set(['id', 'kind', 'value', 'amountIncludesTax', 'reason']);

// Lengths in UTF-16 units: never fewer than the code points zod may count.
function isId(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= 200;
}

function isOptionalText(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value.length <= 500);
}

function isOptionalBoolean(value: unknown): boolean {
  return value === undefined || typeof value === 'boolean';
}

function isPlainTax(tax: unknown): boolean {
  if (!isPlainRecord(tax) || !hasOnlyKeys(tax, TAX_KEYS)) return false;
  const kind = tax.kind === undefined ? 'percent' : tax.kind;
  if (kind !== 'percent' && kind !== 'fixed' && kind !== 'division') return false;
  if (!isId(tax.id) || !isOptionalText(tax.name)) return false;
  if (!isOptionalBoolean(tax.priceIncluded) || !isOptionalBoolean(tax.compound)) return false;
  if (tax.sequence !== undefined && !Number.isSafeInteger(tax.sequence)) return false;
  const code = tax.code;
  if (code !== undefined && !(typeof code === 'string' && code.length >= 1 && code.length <= 4)) return false;
  if (
    tax.rate === undefined ? kind !== 'fixed' : decimalFastPath(tax.rate, 6, 'nonnegative', false, 4) !== null
  )
    return false;
  if (
    tax.amount === undefined
      ? kind === 'fixed'
      : decimalFastPath(tax.amount, 6, 'nonnegative', false, 15) !== null
  )
    return false;
  return kind !== 'division' || Number(tax.rate) < 100;
}

function isPlainDiscountList(discounts: unknown): boolean {
  if (!isPlainArray(discounts)) return false;
  const ids = new Set<unknown>();
  for (let i = 0; i < discounts.length; i++) {
    const d: unknown = discounts[i];
    if (!isPlainRecord(d) || !hasOnlyKeys(d, DISCOUNT_KEYS)) return false;
    if (!isId(d.id) || ids.has(d.id)) return false;
    ids.add(d.id);
    if (d.kind !== 'percent' && d.kind !== 'amount') return false;
    if (decimalFastPath(d.value, 6, 'nonnegative', false, 15) !== null) return false;
    if (d.kind === 'percent' && Number(d.value) > 100) return false;
    if (!isOptionalBoolean(d.amountIncludesTax) || !isOptionalText(d.reason)) return false;
  }
  return true;
}

function isPlainLine(line: unknown): boolean {
  if (!isPlainRecord(line) || !hasOnlyKeys(line, LINE_KEYS)) return false;
  if (!isId(line.id) || !isId(line.sku) || !isOptionalText(line.name)) return false;
  if (decimalFastPath(line.unitPrice, 6, 'nonnegative', false, 15) !== null) return false;
  const q = line.quantity;
  if (decimalFastPath(q, 6, 'nonzero', true, 9) !== null) return false;
  const unit = line.unit === undefined ? 'each' : line.unit;
  if (typeof unit !== 'string' || !MEASURE_UNIT.test(unit)) return false;
  if (unit === 'each' && (typeof q === 'number' ? !Number.isInteger(q) : /\.\d*[1-9]/.test(q as string)))
    return false;
  if (line.categories !== undefined) {
    if (!isPlainArray(line.categories)) return false;
    for (let i = 0; i < line.categories.length; i++) if (!isId(line.categories[i])) return false;
  }
  if (line.taxCategory !== undefined && (!isId(line.taxCategory) || line.taxes !== undefined)) return false;
  if (line.taxes !== undefined) {
    if (!isPlainArray(line.taxes)) return false;
    const ids = new Set<unknown>();
    for (let i = 0; i < line.taxes.length; i++) {
      const tax: unknown = line.taxes[i];
      if (!isPlainTax(tax)) return false;
      const taxId = (tax as Record<string, unknown>).id;
      if (ids.has(taxId)) return false;
      ids.add(taxId);
    }
  }
  if (!isOptionalBoolean(line.priceIncludesTax)) return false;
  return line.discounts === undefined || isPlainDiscountList(line.discounts);
}

const CART_KEYS = new Set(['currency', 'pricesIncludeTax', 'lines', 'discounts']);

/**
 * Whether `input` is a cart that {@link cartInputSchema} accepts and would return unchanged
 * (it only copies), in its common shape: a false answer says nothing about validity.
 * @internal
 */
export function isPlainValidCart(input: unknown): input is CartInput {
  if (!isPlainRecord(input) || !hasOnlyKeys(input, CART_KEYS)) return false;
  if (!isCurrency(input.currency) || !isOptionalBoolean(input.pricesIncludeTax)) return false;
  const lines = input.lines;
  if (!isPlainArray(lines) || lines.length > 10_000) return false;
  const ids = new Set<unknown>();
  for (let i = 0; i < lines.length; i++) {
    const line: unknown = lines[i];
    if (!isPlainLine(line)) return false;
    const lineId = (line as Record<string, unknown>).id;
    if (ids.has(lineId)) return false;
    ids.add(lineId);
  }
  return input.discounts === undefined || isPlainDiscountList(input.discounts);
}
