import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cartInputSchema, isPlainValidCart } from '../../src/cart/schemas.js';
import { cartArb, RUNS } from './arbitraries.js';

/**
 * `priceCart` skips zod's (slow, copying) parse for carts that a plain check finds valid.
 * That check duplicates the schema for the common cart shape, so it must never accept what
 * the schema rejects or would change: these properties pin it to the schema.
 */

// Values that are right somewhere and wrong somewhere else, to probe every field.
const oddValue = fc.oneof(
  fc.constantFrom(
    '',
    ' 1',
    '1 ',
    '1e3',
    '1,5',
    '-1',
    '0',
    '0.0000001',
    '12.5',
    '1.5',
    'NaN',
    'Infinity',
    '12345678901234567',
    'each',
    'kg',
    'KG',
    'k g',
    'percent',
    'amount',
    'fixed',
    'division',
    'XXX',
    'EUR',
    '100.000001',
    '99.999999',
  ),
  fc.constantFrom(0, 1, -1, 1.5, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, true, false, null),
  fc.constant(undefined),
  fc.constant([]),
  fc.constant({}),
  fc.string({ maxLength: 6 }),
);

const FIELDS = {
  cart: ['currency', 'pricesIncludeTax', 'lines', 'discounts', 'customer', 'coupons', 'extra'],
  line: [
    'id',
    'sku',
    'name',
    'unitPrice',
    'quantity',
    'unit',
    'taxCategory',
    'taxes',
    'categories',
    'discounts',
    'priceIncludesTax',
    'priceOverride',
    'extra',
  ],
  tax: ['id', 'kind', 'rate', 'amount', 'priceIncluded', 'compound', 'sequence', 'code', 'extra'],
  discount: ['id', 'kind', 'value', 'amountIncludesTax', 'reason', 'extra'],
} as const;

/** A valid cart in the common shape a register sends: no customer, coupons or overrides. */
const plainCart = cartArb().map((c) => {
  const cart = structuredClone(c.input);
  delete cart.customer;
  delete cart.coupons;
  for (const line of cart.lines) {
    delete line.priceOverride;
    delete line.attributes;
    delete line.returnOf;
  }
  return cart;
});

/** A plain cart with one field somewhere replaced by an odd value (or removed). */
const mutatedCart = fc
  .tuple(plainCart, fc.constantFrom('cart', 'line', 'tax', 'discount'), fc.nat(), fc.nat(), oddValue)
  .map(([plain, where, pick, fieldPick, value]) => {
    const cart = structuredClone(plain) as unknown as Record<string, unknown>;
    const lines = cart.lines as Record<string, unknown>[];
    let target: Record<string, unknown> | undefined = cart;
    if (where === 'line') target = lines[pick % Math.max(1, lines.length)];
    if (where === 'tax') {
      const withTaxes = lines.filter((l) => Array.isArray(l.taxes) && (l.taxes as unknown[]).length > 0);
      const line = withTaxes[pick % Math.max(1, withTaxes.length)];
      const taxes = line?.taxes as Record<string, unknown>[] | undefined;
      target = taxes?.[pick % Math.max(1, taxes.length)];
    }
    if (where === 'discount') {
      const holders = [cart, ...lines].filter(
        (h) => Array.isArray(h.discounts) && (h.discounts as unknown[]).length > 0,
      );
      const holder = holders[pick % Math.max(1, holders.length)];
      const discounts = holder?.discounts as Record<string, unknown>[] | undefined;
      target = discounts?.[pick % Math.max(1, discounts.length)];
    }
    if (target) {
      const fields = FIELDS[where];
      const field = fields[fieldPick % fields.length]!;
      if (value === undefined) delete target[field];
      else target[field] = value;
    }
    return cart;
  });

describe('the plain cart check behind priceCart', () => {
  it('accepts only carts the schema accepts, and returns unchanged', () => {
    fc.assert(
      fc.property(mutatedCart, (cart) => {
        if (!isPlainValidCart(cart)) return;
        const parsed = cartInputSchema.safeParse(cart);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(cart);
      }),
      { numRuns: Math.max(RUNS.numRuns, 2000) },
    );
  });

  it('takes every valid cart in the common shape (otherwise it would be dead code)', () => {
    fc.assert(
      fc.property(plainCart, (cart) => {
        expect(cartInputSchema.safeParse(cart).success).toBe(true);
        expect(isPlainValidCart(cart)).toBe(true);
      }),
      RUNS,
    );
  });
});
