import { describe, expect, it } from 'vitest';
import { money, ROUNDING_MODES, type RoundingMode, round, toDecimalString } from '../../src/money/index.js';

/**
 * A value exactly halfway between two multiples of `step`: `low` is the neighbour nearer
 * zero, `high` the one further from zero, `even` the one whose count of steps is even.
 * The expected result of each mode follows from its definition, written out per sign.
 */
interface Half {
  step: string;
  value: string;
  low: string;
  high: string;
  even: string;
}

const HALVES: Half[] = [
  { step: '0.01', value: '2.345', low: '2.34', high: '2.35', even: '2.34' },
  { step: '0.01', value: '2.355', low: '2.35', high: '2.36', even: '2.36' },
  { step: '0.05', value: '2.325', low: '2.30', high: '2.35', even: '2.30' },
  { step: '0.05', value: '2.375', low: '2.35', high: '2.40', even: '2.40' },
  { step: '1', value: '2.5', low: '2.00', high: '3.00', even: '2.00' },
  { step: '1', value: '3.5', low: '3.00', high: '4.00', even: '4.00' },
  { step: '0.5', value: '2.25', low: '2.00', high: '2.50', even: '2.00' },
  { step: '0.5', value: '2.75', low: '2.50', high: '3.00', even: '3.00' },
];

const neg = (s: string): string => `-${s}`;

function expectedPositive(h: Half, mode: RoundingMode): string {
  switch (mode) {
    case 'half-up':
    case 'up':
    case 'ceiling':
      return h.high;
    case 'half-down':
    case 'down':
    case 'floor':
      return h.low;
    case 'half-even':
      return h.even;
  }
}

function expectedNegative(h: Half, mode: RoundingMode): string {
  switch (mode) {
    case 'half-up':
    case 'up':
    case 'floor':
      return neg(h.high);
    case 'half-down':
    case 'down':
    case 'ceiling':
      return neg(h.low);
    case 'half-even':
      return neg(h.even);
  }
}

describe('round() on exact halves', () => {
  for (const h of HALVES) {
    for (const mode of ROUNDING_MODES) {
      it(`${h.value} and -${h.value} to ${h.step}, ${mode}`, () => {
        const pos = round(money(h.value, 'EUR'), { step: h.step, mode });
        const negative = round(money(neg(h.value), 'EUR'), { step: h.step, mode });
        expect(toDecimalString(pos)).toBe(expectedPositive(h, mode));
        expect(toDecimalString(negative)).toBe(expectedNegative(h, mode));
      });
    }
  }
});

describe('round() off the half', () => {
  // 2.341 and 2.349 to 0.01: the half modes go to the nearer neighbour whatever the tie rule.
  const cases: [string, RoundingMode, string][] = [
    ['2.341', 'half-up', '2.34'],
    ['2.341', 'half-even', '2.34'],
    ['2.341', 'half-down', '2.34'],
    ['2.341', 'up', '2.35'],
    ['2.341', 'ceiling', '2.35'],
    ['2.341', 'down', '2.34'],
    ['2.341', 'floor', '2.34'],
    ['2.349', 'half-down', '2.35'],
    ['-2.341', 'up', '-2.35'],
    ['-2.341', 'ceiling', '-2.34'],
    ['-2.341', 'floor', '-2.35'],
    ['-2.349', 'half-down', '-2.35'],
  ];
  for (const [value, mode, expected] of cases) {
    it(`${value} ${mode} → ${expected}`, () => {
      expect(toDecimalString(round(money(value, 'EUR'), { mode }))).toBe(expected);
    });
  }

  it('defaults to half-up at the currency minor unit', () => {
    expect(toDecimalString(round(money('2.345', 'EUR')))).toBe('2.35');
    expect(toDecimalString(round(money('-2.345', 'EUR')))).toBe('-2.35');
    expect(toDecimalString(round(money('1234.5', 'JPY')))).toBe('1235');
    expect(toDecimalString(round(money('1.2345', 'KWD')))).toBe('1.235');
    expect(toDecimalString(round(money('1.23445', 'CLF')))).toBe('1.2345');
  });

  it('Swiss 5-rappen steps, as the Swiss cash rule rounds (…1, …2 down; …3, …4 up)', () => {
    // Source: Swiss cash rounding ("Rappenrundung") to 0.05: 12.41/12.42 → 12.40, 12.43/12.44 → 12.45.
    const r = (v: string) => toDecimalString(round(money(v, 'CHF'), { step: '0.05' }));
    expect([r('12.41'), r('12.42'), r('12.43'), r('12.44'), r('12.46'), r('12.47'), r('12.48')]).toEqual([
      '12.40',
      '12.40',
      '12.45',
      '12.45',
      '12.45',
      '12.45',
      '12.50',
    ]);
  });

  it('a negative zero comes out as zero', () => {
    expect(toDecimalString(round(money('-0.001', 'EUR')))).toBe('0.00');
    expect(round(money('-0.001', 'EUR')).amount.isNegative()).toBe(false);
  });

  it('rejects a zero, negative or malformed step', () => {
    for (const step of ['0', '-0.05', 'abc', '1e-2']) {
      expect(() => round(money('1', 'EUR'), { step })).toThrow(
        expect.objectContaining({ code: 'validation.invalid_amount' }),
      );
    }
  });
});
