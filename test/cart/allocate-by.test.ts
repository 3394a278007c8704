import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCart, priceCart } from '../../src/cart/index.js';
import type { CartDiscountInput, CartInput, PricedCart } from '../../src/cart/types.js';
import { isKassaError } from '../../src/errors.js';
import { Decimal } from '../../src/money/decimal.js';

const cartShares = (c: PricedCart) =>
  c.lines.map((l) => l.adjustments.find((a) => a.source === 'cart-discount')?.amount ?? '0.00');

function cartWith(discount: CartDiscountInput, pricesIncludeTax = false): CartInput {
  return {
    currency: 'EUR',
    pricesIncludeTax,
    lines: [
      { id: 'a', sku: 'a', unitPrice: '100.00', quantity: 1 },
      { id: 'b', sku: 'b', unitPrice: '100.00', quantity: 1, taxes: [{ id: 'vat', rate: '25' }] },
    ],
    discounts: [discount],
  };
}

describe('allocateBy: how a cart-level amount is split (issue #11 §1.4)', () => {
  it('a net amount is split by net amounts by default, by gross amounts on request', () => {
    const byNet = priceCart(cartWith({ id: 'd', kind: 'amount', value: '10.00' }));
    expect(cartShares(byNet)).toEqual(['5.00', '5.00']);
    const byGross = priceCart(cartWith({ id: 'd', kind: 'amount', value: '10.00', allocateBy: 'gross' }));
    // Weights 100 and 125: 10 × 100/225 = 4.44, 10 × 125/225 = 5.56.
    expect(cartShares(byGross)).toEqual(['4.44', '5.56']);
    expect(byGross.totals.discount).toBe('10.00');
  });

  it('a gross amount is split by gross amounts by default, by net amounts on request', () => {
    const lines = (d: CartDiscountInput) => cartWith(d, true);
    // Gross cart: a is 100.00, b is 100.00 gross (80.00 net).
    expect(cartShares(priceCart(lines({ id: 'd', kind: 'amount', value: '10.00' })))).toEqual([
      '5.00',
      '5.00',
    ]);
    // By net: weights 100 and 80: 10 × 100/180 = 5.56 and 4.44.
    expect(
      cartShares(priceCart(lines({ id: 'd', kind: 'amount', value: '10.00', allocateBy: 'net' }))),
    ).toEqual(['5.56', '4.44']);
  });

  it('the store accepts it on cart discounts only; a bad value is a validation error', () => {
    const cart = createCart({ currency: 'EUR' });
    cart.add({ sku: 'a', unitPrice: '10.00' });
    cart.applyDiscount({ id: 'd', kind: 'amount', value: '1.00', allocateBy: 'gross' });
    expect(cart.snapshot().totals.discount).toBe('1.00');
    let code: string | undefined;
    try {
      priceCart(cartWith({ id: 'd', kind: 'amount', value: '1', allocateBy: 'banana' as 'net' }));
    } catch (e) {
      code = isKassaError(e) ? e.code : String(e);
    }
    expect(code).toMatch(/^validation\./);
  });

  // A net amount on a net cart: the shares need no conversion, so the total is exact either way.
  it('either split takes the same amount in total while every line has room', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 100, max: 100_000 }), fc.constantFrom('0', '7', '19', '25')), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 50 }),
        (spec, percentOfCart) => {
          const lines = spec.map(([cents, rate], i) => ({
            id: `l${i}`,
            sku: `s${i}`,
            unitPrice: (cents / 100).toFixed(2),
            quantity: 1,
            taxes: [{ id: `vat-${rate}`, rate }],
          }));
          const cartNet = spec.reduce((s, [c]) => s + c, 0);
          const value = new Decimal(cartNet).mul(percentOfCart).div(10_000).toFixed(2);
          const price = (allocateBy: 'net' | 'gross') =>
            priceCart({
              currency: 'EUR',
              lines,
              discounts: [{ id: 'd', kind: 'amount', value, allocateBy }],
            });
          const a = price('net');
          const b = price('gross');
          expect(a.discounts[0]!.amount).toBe(b.discounts[0]!.amount);
        },
      ),
      { numRuns: 100 },
    );
  });
});
