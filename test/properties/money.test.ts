import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  Decimal,
  fromMinorUnits,
  minorUnits,
  money,
  ROUNDING_MODES,
  round,
  toDecimalString,
  toMinorUnits,
} from '../../src/money/index.js';
import { decimalString } from './arbitraries.js';

const currencyArb = fc.constantFrom('EUR', 'JPY', 'KWD', 'CLF', 'USD');

describe('money properties (fast-check)', () => {
  it('allocate: parts sum exactly, each within one unit of its exact share, zero weights get zero', () => {
    fc.assert(
      fc.property(
        currencyArb,
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc
          .array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 })
          .filter((w) => w.some((x) => x > 0)),
        (currency, units, weights) => {
          const m = fromMinorUnits(units, currency);
          const parts = allocate(m, weights);
          const total = parts.reduce((acc, p) => acc.plus(p.amount), new Decimal(0));
          expect(total.eq(m.amount)).toBe(true);
          const unit = new Decimal(1).div(new Decimal(10).pow(minorUnits(currency)));
          const weightSum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            const exact = m.amount.mul(weights[i]!).div(weightSum);
            expect(p.amount.minus(exact).abs().lt(unit)).toBe(true);
            if (weights[i] === 0) expect(p.amount.isZero()).toBe(true);
            expect(toMinorUnits(p)).toBeTypeOf('bigint');
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('toMinorUnits and fromMinorUnits are inverse', () => {
    fc.assert(
      fc.property(currencyArb, fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (currency, units) => {
        const m = fromMinorUnits(units, currency);
        expect(toMinorUnits(m)).toBe(units);
        expect(toMinorUnits(money(toDecimalString(m), currency))).toBe(units);
      }),
      { numRuns: 300 },
    );
  });

  it('round() gives a multiple of the step, within one step, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.constantFrom('0.01', '0.05', '1', '0.5', '0.10'),
        fc.constantFrom(...ROUNDING_MODES),
        (units, step, mode) => {
          const m = money(decimalString(units, 4), 'EUR');
          const r = round(m, { step, mode });
          expect(r.amount.mod(step).isZero()).toBe(true);
          expect(r.amount.minus(m.amount).abs().lt(new Decimal(step))).toBe(true);
          expect(round(r, { step, mode }).amount.eq(r.amount)).toBe(true);
          // Symmetric modes: rounding −x is −(rounding x).
          if (
            mode === 'half-up' ||
            mode === 'half-down' ||
            mode === 'half-even' ||
            mode === 'up' ||
            mode === 'down'
          ) {
            const n = round(money(decimalString(-units, 4), 'EUR'), { step, mode });
            expect(n.amount.eq(r.amount.neg())).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
