import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitInSteps, splitInUnits } from '../../src/cart/promotions/engine.js';
import { Decimal } from '../../src/money/decimal.js';
import { decimalString } from '../properties/arbitraries.js';

/** Exact per-line discounts as rewards make them: up to 8 decimals, some from a division. */
const weight = fc.oneof(
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.integer({ min: 0, max: 8 }))
    .map(([units, decimals]) => new Decimal(decimalString(units, decimals))),
  fc
    .tuple(fc.integer({ min: 0, max: 10_000_00 }), fc.integer({ min: 1, max: 97 }))
    .map(([cents, divisor]) => new Decimal(cents).div(100).div(divisor)),
);

describe('promotion split in whole steps', () => {
  it('gives what the decimal.js split gives, part for part', () => {
    fc.assert(
      fc.property(
        fc.array(weight, { minLength: 2, maxLength: 30 }),
        fc.constantFrom(0, 2, 3),
        fc.integer({ min: 0, max: 3 }),
        (weights, decimals, cut) => {
          const step = new Decimal(1).div(new Decimal(10).pow(decimals));
          const exact = weights.reduce((s, w) => s.plus(w), new Decimal(0));
          // The total is the rounded sum, sometimes capped a few steps lower.
          const rounded = exact.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
          const total = Decimal.max(0, rounded.minus(step.mul(cut)));
          const counted = splitInUnits(total, weights, step, decimals);
          const general = splitInSteps(total, weights, step);
          // Uncapped, the leftover steps always fit the lines: the whole-step path must answer.
          if (cut === 0) expect(counted).toBeDefined();
          if (counted === undefined) return;
          expect(counted.map((p) => p.toFixed())).toEqual(general.map((p) => p.toFixed()));
          expect(counted.reduce((s, p) => s.plus(p), new Decimal(0)).eq(total)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
