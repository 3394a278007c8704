import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../src/cart/price-cart.js';
import { Decimal, decimalToString } from '../../src/money/decimal.js';

/** Price strings as tills send them, canonical or not: leading zeros, trailing zeros, a sign. */
const priceText = fc
  .tuple(
    fc.constantFrom('', '+', '0', '00'),
    fc.integer({ min: 0, max: 99_999 }),
    fc.integer({ min: 0, max: 6 }),
    fc.integer({ min: 0, max: 999_999 }),
  )
  .map(([prefix, whole, places, fraction]) => {
    const digits = String(fraction).padStart(6, '0').slice(0, places);
    return `${prefix}${whole}${places > 0 ? `.${digits}` : ''}`;
  });

describe('unit prices in the priced cart', () => {
  it('print as decimalToString prints the entered price, however it was written', () => {
    fc.assert(
      fc.property(priceText, fc.constantFrom('EUR', 'JPY', 'KWD'), (text, currency) => {
        const cart = priceCart(
          { currency, lines: [{ id: 'a', sku: 'a', unitPrice: text, quantity: 1 }] },
          {},
        );
        const value = new Decimal(text);
        const decimals = currency === 'JPY' ? 0 : currency === 'KWD' ? 3 : 2;
        const expected = decimalToString(value, Math.max(decimals, value.decimalPlaces()));
        expect(cart.lines[0]!.unitPrice).toBe(expected);
        expect(cart.lines[0]!.listUnitPrice).toBe(expected);
      }),
    );
  });
});
