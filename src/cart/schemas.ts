import * as z from 'zod/mini';
import type { KassaErrorCode } from '../errors.js';
import { isCurrency } from '../money/currencies.js';
import { Decimal, describeDecimalFailure, tryParseDecimal } from '../money/decimal.js';
import { ROUNDING_MODES } from '../money/rounding.js';
import type { CartInput, DiscountInput, LineInput, PricingRules, TaxInput } from './types.js';

type Check = 'any' | 'nonnegative' | 'positive' | 'nonzero';

// A regex of our own instead of z.iso.datetime keeps zod's date machinery out of the core bundle.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

function checkWording(check: Check): string {
  return check === 'nonnegative'
    ? 'must not be negative'
    : check === 'positive'
      ? 'must be greater than zero'
      : 'must not be zero';
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
  const numberLimit = 10 ** Math.min(maxIntegerDigits, 15);
  return z.unknown().check(
    z.superRefine((value, ctx) => {
      if (typeof value !== 'string' && !(allowNumber && typeof value === 'number')) {
        ctx.addIssue({
          code: 'custom',
          message: allowNumber
            ? 'expected a decimal string or an exact number'
            : 'expected a decimal string such as "12.50"',
          params: { code },
          input: value,
        });
        return;
      }
      // Fast path for well-formed strings: no Decimal is built just to validate.
      if (typeof value === 'string') {
        const match = PLAIN_DECIMAL.exec(value);
        if (match && (match[3]?.length ?? 0) <= maxDecimals) {
          if (match[2]!.replace(/^0+/, '').length > maxIntegerDigits) {
            ctx.addIssue({ code: 'custom', message: tooLarge, params: { code }, input: value });
            return;
          }
          const isZero = !/[1-9]/.test(value);
          const bad =
            (check === 'nonnegative' && match[1] === '-' && !isZero) ||
            (check === 'positive' && (match[1] === '-' || isZero)) ||
            (check === 'nonzero' && isZero);
          if (bad)
            ctx.addIssue({ code: 'custom', message: checkWording(check), params: { code }, input: value });
          return;
        }
      }
      // Fast path for whole numbers (the usual quantity): no Decimal either.
      if (typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) < numberLimit) {
        const bad =
          (check === 'nonnegative' && value < 0) ||
          (check === 'positive' && value <= 0) ||
          (check === 'nonzero' && value === 0);
        if (bad)
          ctx.addIssue({ code: 'custom', message: checkWording(check), params: { code }, input: value });
        return;
      }
      // The engine reads the stored string again later; padding would pass the parser
      // (which trims) and then break there, so a field must be the bare decimal.
      const parsed =
        typeof value === 'string' && value !== value.trim()
          ? ({ ok: false, reason: 'syntax' } as const)
          : tryParseDecimal(value, maxDecimals);
      if (!parsed.ok) {
        ctx.addIssue({
          code: 'custom',
          message: describeDecimalFailure(parsed.reason, maxDecimals),
          params: { code },
          input: value,
        });
        return;
      }
      const d = parsed.value;
      if (d.abs().gte(limit)) {
        ctx.addIssue({ code: 'custom', message: tooLarge, params: { code }, input: value });
        return;
      }
      const bad =
        (check === 'nonnegative' && d.isNegative() && !d.isZero()) ||
        (check === 'positive' && !d.gt(0)) ||
        (check === 'nonzero' && d.isZero());
      if (bad) ctx.addIssue({ code: 'custom', message: checkWording(check), params: { code }, input: value });
    }),
  ) as unknown as z.ZodMiniType<T>;
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

/** A list of taxes; the same tax twice on one line is a mistake that would charge it twice. */
const taxList = z.array(taxInputSchema).check(
  z.superRefine((taxes, ctx) => {
    const seen = new Set<string>();
    for (const [i, tax] of taxes.entries()) {
      if (seen.has(tax.id)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate tax id "${tax.id}"`,
          path: [i, 'id'],
          params: { code: 'validation.duplicate_tax' },
          input: taxes,
        });
      }
      seen.add(tax.id);
    }
  }),
);

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
      const whole = typeof q === 'number' ? Number.isInteger(q) : !/\.\d*[1-9]/.test(q);
      if (unit === 'each' && !whole) {
        ctx.addIssue({
          code: 'custom',
          message: `"each" items are sold in whole numbers; got ${String(line.quantity)}`,
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
      if (!line.discounts || line.discounts.length < 2) return;
      const seen = new Set<string>();
      for (const [i, d] of line.discounts.entries()) {
        if (seen.has(d.id))
          ctx.addIssue({
            code: 'custom',
            message: `duplicate discount id "${d.id}"`,
            path: ['discounts', i, 'id'],
            params: { code: 'validation.duplicate_discount' },
            input: line,
          });
        seen.add(d.id);
      }
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
      const seen = new Set<string>();
      for (const [i, line] of cart.lines.entries()) {
        if (seen.has(line.id)) {
          ctx.addIssue({
            code: 'custom',
            message: `duplicate line id "${line.id}"`,
            path: ['lines', i, 'id'],
            params: { code: 'validation.duplicate_line' },
            input: cart,
          });
        }
        seen.add(line.id);
      }
      const discountIds = new Set<string>();
      for (const [i, d] of (cart.discounts ?? []).entries()) {
        if (discountIds.has(d.id)) {
          ctx.addIssue({
            code: 'custom',
            message: `duplicate discount id "${d.id}"`,
            path: ['discounts', i, 'id'],
            params: { code: 'validation.duplicate_discount' },
            input: cart,
          });
        }
        discountIds.add(d.id);
      }
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
