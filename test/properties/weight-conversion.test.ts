import DecimalJs from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertWeight } from '../../src/devices/barcode/catalog.js';

// kassa/devices converts weights in BigInt so that it does not bundle decimal.js; decimal.js
// is the oracle here: the same exact product and quotient, rounded half up to 6 decimals.
const Oracle = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP });
const grams: Record<string, string> = { kg: '1000', g: '1', lb: '453.59237' };
const unit = fc.constantFrom('kg', 'g', 'lb');
const weight = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.integer({ min: 0, max: 6 }))
  .map(([negative, digits, decimals]) => {
    const text = digits.toString().padStart(decimals + 1, '0');
    const body = decimals === 0 ? text : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
    return `${negative ? '-' : ''}${body}`;
  });

describe('weight conversion of kassa/devices', () => {
  it('equals decimal.js: value × grams(from) / grams(to), half up to 6 decimals', () => {
    fc.assert(
      fc.property(weight, unit, unit, (value, from, to) => {
        fc.pre(from !== to);
        const expected = new Oracle(value)
          .times(grams[from]!)
          .dividedBy(grams[to]!)
          .toDecimalPlaces(6)
          .toString();
        expect(convertWeight(value, from, to)).toBe(expected === '-0' ? '0' : expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the value as it is in the same unit, and refuses unknown units and non-numbers', () => {
    expect(convertWeight('0.375', 'kg', 'kg')).toBe('0.375');
    expect(convertWeight('1', 'lb', 'kg')).toBe('0.453592');
    expect(convertWeight('375', 'g', 'kg')).toBe('0.375');
    expect(convertWeight('1', 'oz', 'kg')).toBeUndefined();
    expect(convertWeight('abc', 'g', 'kg')).toBeUndefined();
    expect(convertWeight('.', 'g', 'kg')).toBeUndefined();
  });
});
