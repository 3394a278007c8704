import DecimalJs from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  add,
  compare,
  equals,
  format,
  fromMinorUnits,
  isNegative,
  isZero,
  money,
  multiply,
  negate,
  parseAmount,
  subtract,
  sum,
  toDecimalString,
  toJSON,
  toMinorUnits,
  zero,
} from '../../src/money/index.js';

const rejects = (fn: () => unknown, code: string) => expect(fn).toThrow(expect.objectContaining({ code }));

describe('money() parsing', () => {
  it('accepts decimal strings and exact numbers', () => {
    expect(toDecimalString(money('12.10', 'EUR'))).toBe('12.10');
    expect(toDecimalString(money(12.1, 'EUR'))).toBe('12.10');
    expect(toDecimalString(money(12, 'EUR'))).toBe('12.00');
    expect(toDecimalString(money('-0.5', 'EUR'))).toBe('-0.50');
    expect(toDecimalString(money('+3', 'EUR'))).toBe('3.00');
    expect(toDecimalString(money(new DecimalJs('1.5'), 'EUR'))).toBe('1.50');
    expect(toDecimalString(money('1.123456', 'EUR'))).toBe('1.123456');
  });

  it('rejects float noise: 0.1 + 0.2 is not an amount', () => {
    rejects(() => money(0.1 + 0.2, 'EUR'), 'validation.invalid_amount');
    rejects(() => money(1 / 3, 'EUR'), 'validation.invalid_amount');
    rejects(() => money(2 ** 60, 'EUR'), 'validation.invalid_amount');
    rejects(() => money(1e-7, 'EUR'), 'validation.invalid_amount');
  });

  it('rejects exponents, commas, separators and words', () => {
    for (const bad of ['1e5', '1E5', '12,50', '1,234.50', '1 234', '12.', '.5', '', 'abc', '0x10', '١٢']) {
      rejects(() => money(bad, 'EUR'), 'validation.invalid_amount');
    }
  });

  it('rejects NaN and Infinity as numbers and as strings', () => {
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      'NaN',
      'Infinity',
      '-Infinity',
    ]) {
      rejects(() => money(bad as string, 'EUR'), 'validation.invalid_amount');
    }
    rejects(() => money(new DecimalJs(Number.NaN), 'EUR'), 'validation.invalid_amount');
  });

  it('rejects more than 6 decimals', () => {
    rejects(() => money('1.1234567', 'EUR'), 'validation.invalid_amount');
    expect(() => parseAmount('1.1234567', 7)).not.toThrow();
  });

  it('rejects an unknown currency', () => {
    rejects(() => money('1', 'XXX'), 'validation.invalid_currency');
    rejects(() => money('1', 'eur'), 'validation.invalid_currency');
  });

  it('reports the path given to parseAmount', () => {
    expect(() => parseAmount('1e5', 6, ['lines', 0, 'unitPrice'])).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ path: ['lines', 0, 'unitPrice'] }) }),
    );
  });
});

describe('arithmetic', () => {
  it('adds, subtracts, sums, multiplies and negates exactly', () => {
    expect(toDecimalString(add(money('0.1', 'EUR'), money('0.2', 'EUR')))).toBe('0.30');
    expect(toDecimalString(subtract(money('1.00', 'EUR'), money('0.99', 'EUR')))).toBe('0.01');
    expect(toDecimalString(sum([money('0.1', 'EUR'), money('0.2', 'EUR'), money('0.3', 'EUR')]))).toBe(
      '0.60',
    );
    expect(toDecimalString(sum([], 'JPY'))).toBe('0');
    expect(toDecimalString(multiply(money('2.99', 'EUR'), '0.375'))).toBe('1.12125');
    expect(toDecimalString(negate(money('1.5', 'EUR')))).toBe('-1.50');
    expect(toDecimalString(negate(zero('EUR')))).toBe('0.00');
  });

  it('never mixes currencies', () => {
    rejects(() => add(money('1', 'EUR'), money('1', 'USD')), 'validation.currency_mismatch');
    rejects(() => sum([money('1', 'EUR'), money('1', 'USD')]), 'validation.currency_mismatch');
    rejects(() => compare(money('1', 'EUR'), money('1', 'USD')), 'validation.currency_mismatch');
    rejects(() => sum([]), 'validation.invalid_currency');
  });

  it('compares and tests', () => {
    expect(compare(money('1.00', 'EUR'), money('1', 'EUR'))).toBe(0);
    expect(compare(money('0.99', 'EUR'), money('1', 'EUR'))).toBe(-1);
    expect(equals(money('1.0', 'EUR'), money('1', 'EUR'))).toBe(true);
    expect(equals(money('1', 'EUR'), money('1', 'USD'))).toBe(false);
    expect(isZero(money('-0', 'EUR'))).toBe(true);
    expect(isNegative(money('-0', 'EUR'))).toBe(false);
    expect(isNegative(money('-0.01', 'EUR'))).toBe(true);
  });

  it('serialises amounts as strings with the currency decimals', () => {
    expect(toJSON(money('5', 'JPY'))).toEqual({ amount: '5', currency: 'JPY' });
    expect(toJSON(money('5', 'KWD'))).toEqual({ amount: '5.000', currency: 'KWD' });
    expect(JSON.stringify(toJSON(money('12.1', 'EUR')))).toBe('{"amount":"12.10","currency":"EUR"}');
  });
});

describe('minor units round trip', () => {
  const cases: [string, string, bigint][] = [
    ['12.10', 'EUR', 1210n],
    ['-12.10', 'EUR', -1210n],
    ['500', 'JPY', 500n],
    ['1.234', 'KWD', 1234n],
    ['0.0001', 'CLF', 1n],
    ['0', 'EUR', 0n],
    ['92233720368547758.07', 'USD', 9223372036854775807n],
  ];
  for (const [amount, currency, units] of cases) {
    it(`${amount} ${currency} ⇄ ${units}`, () => {
      expect(toMinorUnits(money(amount, currency))).toBe(units);
      expect(equals(fromMinorUnits(units, currency), money(amount, currency))).toBe(true);
    });
  }

  it('accepts safe integer numbers and rejects others', () => {
    expect(toDecimalString(fromMinorUnits(1210, 'EUR'))).toBe('12.10');
    rejects(() => fromMinorUnits(1.5, 'EUR'), 'validation.invalid_amount');
    rejects(() => fromMinorUnits(2 ** 60, 'EUR'), 'validation.invalid_amount');
    rejects(() => fromMinorUnits(1n, 'XXX'), 'validation.invalid_currency');
  });

  it('refuses to truncate an unrounded amount', () => {
    rejects(() => toMinorUnits(money('1.005', 'EUR')), 'validation.too_many_decimals');
    rejects(() => toMinorUnits(money('0.5', 'JPY')), 'validation.too_many_decimals');
  });
});

describe('format', () => {
  it('formats in several locales with the locale separators', () => {
    expect(format(money('1234.5', 'USD'), 'en-US')).toBe('$1,234.50');
    expect(format(money('1234.5', 'EUR'), 'de-DE')).toBe('1.234,50\u00a0€');
    expect(format(money('1234.5', 'EUR'), 'nl-NL')).toBe('€\u00a01.234,50');
    expect(format(money('1234.5', 'EUR'), 'fr-FR')).toBe('1\u202f234,50\u00a0€');
    expect(format(money('1234.5', 'SEK'), 'sv-SE')).toBe('1\u00a0234,50\u00a0kr');
    expect(format(money('123456.5', 'INR'), 'en-IN')).toBe('₹1,23,456.50');
    expect(format(money('-1234.5', 'CHF'), 'de-CH')).toBe("CHF-1'234.50");
  });

  it('uses the ISO minor units, not CLDR: JPY 0, KWD 3, IQD 3', () => {
    expect(format(money('1234', 'JPY'), 'ja-JP')).toBe('￥1,234');
    expect(format(money('1234', 'JPY'), 'en-US')).toBe('¥1,234');
    expect(format(money('1.234', 'KWD'), 'en-US')).toBe('KWD\u00a01.234');
    // CLDR formats IQD without decimals; ISO 4217 has 3.
    expect(format(money('1234.5', 'IQD'), 'en-US')).toBe('IQD\u00a01,234.500');
  });

  it('never goes through a float', () => {
    expect(format(money('12345678901234.56', 'USD'), 'en-US')).toBe('$12,345,678,901,234.56');
    expect(format(money('0.1', 'USD'), 'en-US')).toBe('$0.10');
  });

  it('keeps the extra decimals of an unrounded amount instead of hiding them', () => {
    expect(format(money('2.125', 'EUR'), 'en-US')).toBe('€2.125');
  });

  it('supports currency display options', () => {
    expect(format(money('1234.5', 'EUR'), 'en-US', { currencyDisplay: 'code' })).toBe('EUR\u00a01,234.50');
    expect(format(money('1234.5', 'EUR'), 'de-DE', { hideCurrency: true })).toBe('1.234,50');
    expect(format(money('1', 'EUR'), 'en-US', { currencyDisplay: 'name' })).toBe('1.00 euros');
  });

  it('rejects a malformed locale or display with a KassaError, not a RangeError', () => {
    for (const locale of ['not a locale!', 'en_US_', '']) {
      expect(() => format(money('1', 'EUR'), locale)).toThrow(
        expect.objectContaining({
          code: 'validation.invalid_input',
          details: expect.objectContaining({ path: ['locale'] }),
        }),
      );
    }
    expect(() => format(money('1', 'EUR'), 'en-US', { currencyDisplay: 'bogus' as never })).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ path: ['currencyDisplay'] }) }),
    );
  });

  it('accepts a list of locales', () => {
    expect(format(money('1234.5', 'EUR'), ['de-DE', 'en-US'])).toBe('1.234,50\u00a0€');
  });
});
