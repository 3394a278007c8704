import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../src/cart/index.js';
import type { PricedCart } from '../../src/cart/types.js';
import { Decimal } from '../../src/money/index.js';
import { cartArb, RUNS } from './arbitraries.js';

const D = (s: string) => new Decimal(s);
const sumOf = (values: string[]) => values.reduce((acc, v) => acc.plus(D(v)), new Decimal(0)).toFixed();
const same = (a: string, b: string) => D(a).eq(D(b));

function amountsOf(cart: PricedCart): string[] {
  const out: string[] = [];
  for (const l of cart.lines) {
    out.push(l.subtotal, l.discount, l.net, l.tax, l.total);
    for (const t of l.taxes) out.push(t.amount, t.base);
    for (const a of l.adjustments) out.push(a.amount);
  }
  const t = cart.totals;
  out.push(t.subtotal, t.discount, t.net, t.tax, t.total);
  for (const e of cart.taxBreakdown) out.push(e.base, e.amount, e.gross);
  for (const d of cart.discounts) out.push(d.amount);
  return out;
}

describe('cart invariants (fast-check)', () => {
  it('the lines sum exactly to the totals under every policy and mode', () => {
    fc.assert(
      fc.property(cartArb({ allowReturns: true }), ({ input, rules }) => {
        const c = priceCart(input, rules);
        for (const key of ['net', 'tax', 'total'] as const) {
          expect(same(sumOf(c.lines.map((l) => l[key])), c.totals[key]), key).toBe(true);
        }
        // A line's subtotal and discount are in its own price mode; the cart's are in the
        // cart's basis. They sum alike when every line's taxes are in the cart's basis.
        const inBasis = (l: PricedCart['lines'][number]) =>
          l.taxes.every((t) => t.included === c.pricesIncludeTax);
        if (c.lines.every(inBasis)) {
          for (const key of ['subtotal', 'discount'] as const) {
            expect(same(sumOf(c.lines.map((l) => l[key])), c.totals[key]), key).toBe(true);
          }
        }
        expect(same(sumOf(c.taxBreakdown.map((e) => e.amount)), c.totals.tax)).toBe(true);
        for (const l of c.lines) expect(same(sumOf(l.taxes.map((t) => t.amount)), l.tax)).toBe(true);
        expect(
          same(
            sumOf(c.discounts.map((d) => d.amount)),
            sumOf(
              c.lines.flatMap((l) =>
                l.adjustments.filter((a) => a.source === 'cart-discount').map((a) => a.amount),
              ),
            ),
          ),
        ).toBe(true);
      }),
      RUNS,
    );
  });

  it('totals are in one basis on carts mixing price modes: subtotal − discount = net (or total)', () => {
    fc.assert(
      fc.property(cartArb({ allowReturns: true }), ({ input, rules }) => {
        const c = priceCart(input, rules);
        const t = c.totals;
        const after = c.pricesIncludeTax ? t.total : t.net;
        expect(D(t.subtotal).minus(D(t.discount)).eq(D(after))).toBe(true);
        expect(D(t.net).plus(D(t.tax)).eq(D(t.total))).toBe(true);
        // A discount is never negative on a sale line, whatever the conversion.
        if (c.lines.every((l) => !l.quantity.startsWith('-'))) expect(D(t.discount).gte(0)).toBe(true);
      }),
      RUNS,
    );
  });

  it('net + tax = total on every line and on the cart; subtotal − discount is what remains', () => {
    fc.assert(
      fc.property(cartArb({ allowReturns: true }), ({ input, rules }) => {
        const c = priceCart(input, rules);
        for (const l of c.lines) {
          expect(D(l.net).plus(D(l.tax)).eq(D(l.total))).toBe(true);
          expect(
            same(
              sumOf(
                l.adjustments
                  .filter((a) => a.source !== 'price-override' && a.source !== 'price-list')
                  .map((a) => a.amount),
              ),
              l.discount,
            ),
          ).toBe(true);
        }
        expect(D(c.totals.net).plus(D(c.totals.tax)).eq(D(c.totals.total))).toBe(true);
        expect(D(c.totals.cashTotal).minus(D(c.totals.total)).eq(D(c.totals.cashRounding))).toBe(true);
      }),
      RUNS,
    );
  });

  it('with every tax inside the price, a line net + tax is the entered gross after discounts', () => {
    fc.assert(
      fc.property(cartArb({ includedOnly: true, allowReturns: true }), ({ input, rules }) => {
        const c = priceCart(input, rules);
        for (const l of c.lines) {
          expect(
            D(l.net)
              .plus(D(l.tax))
              .eq(D(l.subtotal).minus(D(l.discount))),
          ).toBe(true);
        }
        expect(D(c.totals.total).eq(D(c.totals.subtotal).minus(D(c.totals.discount)))).toBe(true);
      }),
      RUNS,
    );
  });

  it('discounts never take a line or the cart below zero (positive quantities)', () => {
    fc.assert(
      fc.property(cartArb(), ({ input, rules }) => {
        const c = priceCart(input, rules);
        for (const l of c.lines) {
          for (const v of [l.subtotal, l.discount, l.net, l.tax, l.total]) expect(D(v).gte(0)).toBe(true);
          expect(D(l.discount).lte(D(l.subtotal))).toBe(true);
        }
        for (const v of Object.values(c.totals)) {
          if (typeof v === 'string' && v !== c.totals.cashRounding) expect(D(v).gte(0)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('every amount is a whole number of rounding steps with the currency decimals (0, 2 and 3)', () => {
    fc.assert(
      fc.property(cartArb({ allowReturns: true }), ({ input, rules, decimals, step }) => {
        const c = priceCart(input, rules);
        const pattern = decimals === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${decimals}}$`);
        for (const v of amountsOf(c)) {
          expect(v).toMatch(pattern);
          expect(v, 'negative zero').not.toMatch(/^-0(\.0+)?$/);
          // Amounts before tax (subtotals, discounts) are in steps; taxes and nets too.
          expect(D(v).mod(D(step)).isZero(), `${v} is not a multiple of ${step}`).toBe(true);
        }
        const cashStep = rules.rounding?.cash?.step;
        if (cashStep) expect(D(c.totals.cashTotal).mod(D(cashStep)).isZero()).toBe(true);
      }),
      RUNS,
    );
  });

  it('the result does not depend on the order of the lines', () => {
    fc.assert(
      fc.property(
        cartArb({ allowReturns: true }).chain((k) =>
          fc
            .shuffledSubarray([...k.input.lines], { minLength: k.input.lines.length })
            .map((shuffled) => ({ k, shuffled })),
        ),
        ({ k, shuffled }) => {
          const a = priceCart(k.input, k.rules);
          const b = priceCart({ ...k.input, lines: shuffled }, k.rules);
          const byId = (c: PricedCart) => Object.fromEntries(c.lines.map((l) => [l.id, l]));
          expect(byId(b)).toEqual(byId(a));
          expect(b.totals).toEqual(a.totals);
          expect(b.taxBreakdown).toEqual(a.taxBreakdown);
          expect(b.discounts).toEqual(a.discounts);
          expect(b.lines.map((l) => l.id)).toEqual(shuffled.map((l) => l.id));
        },
      ),
      RUNS,
    );
  });

  it('pricing is pure: the input is not changed and a second run gives the same result', () => {
    fc.assert(
      fc.property(cartArb({ allowReturns: true }), ({ input, rules }) => {
        const before = structuredClone({ input, rules });
        const a = priceCart(input, rules);
        expect({ input, rules }).toEqual(before);
        expect(priceCart(input, rules)).toEqual(a);
      }),
      { numRuns: 50 },
    );
  });
});
