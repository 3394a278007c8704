import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimals, Decimal, decimalToString } from '../../src/money/decimal.js';
import { ExactSum, floorUnits, fromUnits, printSum, wholeUnits } from '../../src/money/exact-sum.js';
import { decimalString } from '../properties/arbitraries.js';

/**
 * Amounts with 0 to 8 decimals, from cents to far past 2^53 units, so that the whole-unit
 * count, its move to a BigInt and the widening of the scale are all exercised.
 */
const amount = fc
  .tuple(
    fc.oneof(
      fc.bigInt({ min: -10_000_000n, max: 10_000_000n }),
      fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
      fc.constantFrom(0n, 1n, -1n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) + 1n, 9_999_999n, 10_000_000n),
    ),
    fc.integer({ min: 0, max: 8 }),
  )
  .map(([units, decimals]) => new Decimal(decimalString(units, decimals)));

describe('ExactSum', () => {
  it('prints what a decimal.js sum prints, for any amounts and any decimals', () => {
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 40 }), fc.constantFrom(0, 2, 3, 4), (values, decimals) => {
        const sum = new ExactSum(decimals);
        let expected = new Decimal(0);
        for (const v of values) {
          sum.add(v);
          expected = expected.plus(v);
        }
        expect(sum.toString()).toBe(decimalToString(expected, decimals));
        expect(sum.toDecimal().eq(expected)).toBe(true);
      }),
    );
  });

  it('adds sums exactly', () => {
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 10 }), fc.array(amount, { maxLength: 10 }), (xs, ys) => {
        const a = new ExactSum(2);
        const b = new ExactSum(2);
        for (const x of xs) a.add(x);
        for (const y of ys) b.add(y);
        const expected = [...xs, ...ys].reduce((s, v) => s.plus(v), new Decimal(0));
        expect(new ExactSum(2).addSum(a).addSum(b).toDecimal().eq(expected)).toBe(true);
      }),
    );
  });

  it('counts past 2^53 units without losing a unit', () => {
    const sum = new ExactSum(2);
    const big = new Decimal('90071992547409.91'); // 2^53 - 1 cents
    sum.add(big).add(big).add(new Decimal('0.01'));
    expect(sum.toString()).toBe('180143985094819.83');
  });

  it('widens to the decimals of an amount finer than its own, and prints rounded like decimalToString', () => {
    const sum = new ExactSum(2).add(new Decimal('1.10')).add(new Decimal('0.005'));
    expect(sum.toDecimal().toFixed()).toBe('1.105');
    expect(sum.toString()).toBe(decimalToString(new Decimal('1.105'), 2));
  });
});

describe('printSum', () => {
  it('prints a + b as decimalToString(a.plus(b)) does', () => {
    fc.assert(
      fc.property(amount, amount, fc.constantFrom(0, 2, 3), (a, b, decimals) => {
        expect(printSum(a, b, decimals)).toBe(decimalToString(a.plus(b), decimals));
      }),
    );
  });
});

describe('whole units', () => {
  it('floorUnits is the floor of value × 10^decimals, with what is left as a fraction', () => {
    fc.assert(
      fc.property(amount, fc.constantFrom(0, 2, 3, 4), (a, decimals) => {
        const split = floorUnits(a, decimals);
        const scaled = a.mul(new Decimal(10).pow(decimals));
        const floor = scaled.floor();
        if (a.isNegative() || floor.abs().gt(Number.MAX_SAFE_INTEGER)) {
          expect(split).toBeUndefined();
          return;
        }
        expect(split).toBeDefined();
        expect(split!.units).toBe(floor.toNumber());
        expect(split!.fraction).toBeGreaterThanOrEqual(0);
        expect(split!.fraction).toBeLessThan(1);
        expect(Math.abs(split!.fraction - scaled.minus(floor).toNumber())).toBeLessThan(1e-12);
      }),
    );
  });

  it('wholeUnits and fromUnits are inverse for amounts on the step', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }),
        fc.constantFrom(0, 2, 3),
        (n, decimals) => {
          const value = fromUnits(Number(n), decimals);
          expect(value.eq(new Decimal(decimalString(n, decimals)))).toBe(true);
          expect(wholeUnits(value, decimals)).toBe(Number(n));
        },
      ),
    );
  });
});

describe('compareDecimals', () => {
  it('orders as decimal.js comparedTo does, zeros and signs included', () => {
    const near = fc.oneof(amount, fc.constantFrom(new Decimal(0), new Decimal('-0'), new Decimal('0.00')));
    fc.assert(
      fc.property(near, near, (a, b) => {
        expect(compareDecimals(a, b)).toBe(a.comparedTo(b));
        expect(compareDecimals(a, a.plus(0))).toBe(0);
      }),
    );
  });
});
