/**
 * The engine against independent oracles: exact BigInt arithmetic for subtotals at the
 * largest accepted magnitudes, and direct formulas for per-line and per-total tax on simple
 * carts. These catch errors the invariants alone cannot (a total that is consistent but wrong).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../src/cart/index.js';
import type { LineInput } from '../../src/cart/types.js';
import { decimalString, RUNS } from './arbitraries.js';

/** Rounds `n / 10^shift` half away from zero, as a BigInt. */
function roundHalfUp(n: bigint, shift: number): bigint {
  const d = 10n ** BigInt(shift);
  const q = n / d;
  const r = n % d;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
}

describe('oracles (fast-check)', () => {
  it('subtotals and totals are exact at the largest accepted magnitudes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            price: fc.bigInt({ min: 0n, max: 10n ** 21n - 1n }), // < 10^15 with 6 decimals
            qty: fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }), // < 10^9 with 6 decimals
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (lines) => {
          const input: LineInput[] = lines.map((l, i) => ({
            id: `l${i}`,
            sku: 's',
            unit: 'kg',
            unitPrice: decimalString(l.price, 6),
            quantity: decimalString(l.qty, 6),
          }));
          const c = priceCart({ currency: 'EUR', lines: input });
          let total = 0n;
          lines.forEach((l, i) => {
            const cents = roundHalfUp(l.price * l.qty, 10); // 12 decimals → 2
            total += cents;
            expect(c.lines[i]!.subtotal).toBe(decimalString(cents, 2));
          });
          expect(c.totals.total).toBe(decimalString(total, 2));
        },
      ),
      RUNS,
    );
  });

  it('per line, prices excluding tax: tax = round(rate × subtotal), half up', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cents: fc.integer({ min: 0, max: 10_000_000 }),
            qty: fc.integer({ min: 1, max: 50 }),
            rate: fc.integer({ min: 0, max: 30_000 }), // hundredths of a percent: 0 to 300 %
          }),
          { minLength: 1, maxLength: 10 },
        ),
        (lines) => {
          const c = priceCart({
            currency: 'EUR',
            lines: lines.map((l, i) => ({
              id: `l${i}`,
              sku: 's',
              unitPrice: decimalString(l.cents, 2),
              quantity: l.qty,
              taxes: [{ id: `t${i}`, rate: decimalString(l.rate, 2) }],
            })),
          });
          lines.forEach((l, i) => {
            const subtotal = BigInt(l.cents * l.qty);
            // cents × (rate/100 as hundredths) → 4 more decimals
            const tax = roundHalfUp(subtotal * BigInt(l.rate), 4);
            expect(c.lines[i]!.tax).toBe(decimalString(tax, 2));
          });
        },
      ),
      RUNS,
    );
  });

  it('per line, prices including tax: tax = round(gross × rate / (1 + rate)), net = gross − tax', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (cents, rate) => {
          const c = priceCart({
            currency: 'EUR',
            pricesIncludeTax: true,
            lines: [
              {
                id: 'a',
                sku: 's',
                unitPrice: decimalString(cents, 2),
                quantity: 1,
                taxes: [{ id: 't', rate: decimalString(rate, 2) }],
              },
            ],
          });
          // tax = cents × rate / (10000 + rate), in cents, half up: compare 2 × remainder with the divisor.
          const num = BigInt(cents) * BigInt(rate);
          const den = 10_000n + BigInt(rate);
          let tax = num / den;
          if ((num % den) * 2n >= den) tax += 1n;
          expect(c.lines[0]!.tax).toBe(decimalString(tax, 2));
          expect(c.lines[0]!.net).toBe(decimalString(BigInt(cents) - tax, 2));
        },
      ),
      RUNS,
    );
  });

  it('per total: each tax of the breakdown is the rounded sum of the exact line taxes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cents: fc.integer({ min: 0, max: 1_000_000 }),
            rateIndex: fc.integer({ min: 0, max: 2 }),
          }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        (lines) => {
          const rates = [700, 1900, 2100]; // hundredths of a percent
          const c = priceCart(
            {
              currency: 'EUR',
              lines: lines.map((l, i) => ({
                id: `l${i}`,
                sku: 's',
                unitPrice: decimalString(l.cents, 2),
                quantity: 1,
                taxes: [{ id: `vat${rates[l.rateIndex]}`, rate: decimalString(rates[l.rateIndex]!, 2) }],
              })),
            },
            { rounding: { tax: 'per-total' } },
          );
          for (const [k, rate] of rates.entries()) {
            const members = lines.filter((l) => l.rateIndex === k);
            if (members.length === 0) continue;
            const exact = members.reduce((acc, l) => acc + BigInt(l.cents) * BigInt(rate), 0n);
            const entry = c.taxBreakdown.find((e) => e.id === `vat${rate}`)!;
            expect(entry.amount).toBe(decimalString(roundHalfUp(exact, 4), 2));
            // Each line gets its exact share rounded down, or one cent more; the extra cents go
            // to the largest remainders: no line rounded down has a larger remainder than one
            // rounded up.
            const roundedUp: bigint[] = [];
            const roundedDown: bigint[] = [];
            for (const [i, l] of lines.entries()) {
              if (l.rateIndex !== k) continue;
              const lineExact = BigInt(l.cents) * BigInt(rate); // 4 more decimals than cents
              const floor = lineExact / 10_000n;
              const remainder = lineExact % 10_000n;
              const got = BigInt(c.lines[i]!.tax.replace('.', ''));
              expect(got === floor || got === floor + 1n).toBe(true);
              (got === floor + 1n ? roundedUp : roundedDown).push(remainder);
            }
            if (roundedUp.length > 0 && roundedDown.length > 0) {
              const ascending = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
              const minUp = [...roundedUp].sort(ascending)[0]!;
              const maxDown = [...roundedDown].sort(ascending).at(-1)!;
              expect(minUp >= maxDown).toBe(true);
            }
          }
        },
      ),
      RUNS,
    );
  });
});
