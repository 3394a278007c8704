import DecimalJs from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { allocate, type Money, money, toDecimalString } from '../../src/money/index.js';

const amounts = (parts: Money[]): string[] => parts.map(toDecimalString);

describe('allocate', () => {
  it('splits 10.00 in three, the extra cent to the first', () => {
    expect(amounts(allocate(money('10.00', 'EUR'), [1, 1, 1]))).toEqual(['3.34', '3.33', '3.33']);
  });

  it('follows the weights exactly when they divide evenly', () => {
    expect(amounts(allocate(money('100', 'JPY'), ['70', '30']))).toEqual(['70', '30']);
    expect(amounts(allocate(money('5.00', 'EUR'), [1, 2, 2]))).toEqual(['1.00', '2.00', '2.00']);
  });

  it('gives the leftover units to the largest remainders', () => {
    // 1.00 over 1:1:4 → exact 0.1666.., 0.1666.., 0.6666..: floors 16, 16, 66 cents, 2 left,
    // remainders 0.67, 0.67, 0.67 tie → larger weight first, then index.
    expect(amounts(allocate(money('1.00', 'EUR'), [1, 1, 4]))).toEqual(['0.17', '0.16', '0.67']);
  });

  it('breaks equal remainders by the larger weight, then by position', () => {
    // 2 cents over 1:3 → exact 0.5 and 1.5 cents: the tie goes to the weight 3.
    expect(amounts(allocate(money('0.02', 'EUR'), [1, 3]))).toEqual(['0.00', '0.02']);
    // 2 cents over 1:1:1 → the first two.
    expect(amounts(allocate(money('0.02', 'EUR'), [1, 1, 1]))).toEqual(['0.01', '0.01', '0.00']);
  });

  it('is deterministic: the same input gives the same output', () => {
    const a = amounts(allocate(money('99.99', 'EUR'), ['3', '7', '11', '13']));
    const b = amounts(allocate(money('99.99', 'EUR'), ['3', '7', '11', '13']));
    expect(a).toEqual(b);
  });

  it('gives nothing to a zero weight, even with units left over', () => {
    expect(amounts(allocate(money('1.00', 'EUR'), [0, 1, 1]))).toEqual(['0.00', '0.50', '0.50']);
    expect(amounts(allocate(money('0.01', 'EUR'), [0, 1]))).toEqual(['0.00', '0.01']);
    expect(amounts(allocate(money('0.03', 'EUR'), [1, 0, 1]))).toEqual(['0.02', '0.00', '0.01']);
  });

  it('splits negative amounts symmetrically (a refund allocates like a sale)', () => {
    expect(amounts(allocate(money('-10.00', 'EUR'), [1, 1, 1]))).toEqual(['-3.34', '-3.33', '-3.33']);
    expect(amounts(allocate(money('-0.02', 'EUR'), [1, 3]))).toEqual(['0.00', '-0.02']);
  });

  it('splits zero into zeros', () => {
    expect(amounts(allocate(money('0', 'EUR'), [1, 2]))).toEqual(['0.00', '0.00']);
  });

  it('uses whole yen and whole fils', () => {
    expect(amounts(allocate(money('100', 'JPY'), [1, 1, 1]))).toEqual(['34', '33', '33']);
    expect(amounts(allocate(money('1.000', 'KWD'), [1, 1, 1]))).toEqual(['0.334', '0.333', '0.333']);
    expect(amounts(allocate(money('0.010', 'KWD'), [1, 2]))).toEqual(['0.003', '0.007']);
  });

  it('splits in a custom step (5 rappen)', () => {
    expect(amounts(allocate(money('10.00', 'CHF'), [1, 1, 1], { step: '0.05' }))).toEqual([
      '3.35',
      '3.35',
      '3.30',
    ]);
  });

  it('accepts weights as strings, exact numbers and Decimals', () => {
    const parts = allocate(money('1.00', 'EUR'), ['1.5', 2.5, new DecimalJs(1)]);
    expect(amounts(parts)).toEqual(['0.30', '0.50', '0.20']);
    expect(parts.every((p) => p.currency === 'EUR' && Object.isFrozen(p))).toBe(true);
  });

  it('rejects an amount with more decimals than the step', () => {
    expect(() => allocate(money('1.005', 'EUR'), [1, 1])).toThrow(
      expect.objectContaining({ code: 'validation.too_many_decimals' }),
    );
    expect(() => allocate(money('10.01', 'CHF'), [1, 1], { step: '0.05' })).toThrow(
      expect.objectContaining({ code: 'validation.too_many_decimals' }),
    );
  });

  it('rejects bad weights with the index in the path', () => {
    const bad = (weights: unknown[], path: unknown[]) =>
      expect(() => allocate(money('1.00', 'EUR'), weights as string[])).toThrow(
        expect.objectContaining({
          code: 'validation.invalid_weights',
          details: expect.objectContaining({ path }),
        }),
      );
    bad([], ['weights']);
    bad([0, 0], ['weights']);
    bad([1, -1], ['weights', 1]);
    bad([1, 0.1 + 0.2], ['weights', 1]);
    bad([1, Number.NaN], ['weights', 1]);
    bad(['1', 'abc'], ['weights', 1]);
  });
});
