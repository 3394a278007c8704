import { checkOptions, describeValue, KassaError } from '../errors.js';
import { minorUnits } from './currencies.js';
import { Decimal, type DecimalLike, tryParseDecimal } from './decimal.js';
import { checkMoney, type Money, parseAmount } from './money.js';
import { stepOf } from './rounding.js';

/** The most parts {@link allocate} splits into; more is `validation.too_large` at once. */
export const MAX_ALLOCATION_PARTS = 100_000;

/**
 * Splits `total` (a whole number of `step`s) over `weights` by the largest-remainder
 * method. The parts always sum exactly to `total`. Ties in the remainder go to the larger
 * weight, then to the earlier index, so the result is deterministic.
 * Weights must be non-negative with a positive sum; a weight of zero gets zero.
 * @internal the engine's splitting primitive; the public form is {@link allocate}.
 */
export function allocateDecimal(total: Decimal, weights: readonly Decimal[], step: Decimal): Decimal[] {
  if (weights.length === 0) {
    throw new KassaError('validation.invalid_weights', 'allocate() needs at least one weight', {
      path: ['weights'],
    });
  }
  let weightSum = new Decimal(0);
  for (const [i, w] of weights.entries()) {
    if (w.isNegative() && !w.isZero()) {
      throw new KassaError('validation.invalid_weights', `Weight ${i} is negative`, { path: ['weights', i] });
    }
    weightSum = weightSum.plus(w);
  }
  if (weightSum.isZero()) {
    throw new KassaError('validation.invalid_weights', 'allocate() needs at least one positive weight', {
      path: ['weights'],
    });
  }
  const units = total.div(step);
  if (!units.isInteger()) {
    throw new KassaError(
      'validation.too_many_decimals',
      `Cannot allocate ${total.toFixed()} in steps of ${step.toFixed()}; round it first`,
      { path: ['amount'] },
    );
  }
  const sign = units.isNegative() ? -1 : 1;
  const whole = units.abs();
  const floors: Decimal[] = [];
  const remainders: { index: number; remainder: Decimal; weight: Decimal }[] = [];
  let given = new Decimal(0);
  for (const [index, weight] of weights.entries()) {
    const exact = whole.mul(weight).div(weightSum);
    const floor = exact.floor();
    floors.push(floor);
    given = given.plus(floor);
    remainders.push({ index, remainder: exact.minus(floor), weight });
  }
  let leftover = whole.minus(given).toNumber();
  remainders.sort(
    (a, b) => b.remainder.comparedTo(a.remainder) || b.weight.comparedTo(a.weight) || a.index - b.index,
  );
  for (const r of remainders) {
    if (leftover <= 0) break;
    if (r.weight.isZero()) continue;
    floors[r.index] = floors[r.index]!.plus(1);
    leftover -= 1;
  }
  return floors.map((f) => {
    const part = f.mul(step).mul(sign);
    return part.isZero() ? new Decimal(0) : part;
  });
}

/**
 * Splits `m` into parts proportional to `weights`, in whole minor units of its currency
 * (or whole `step`s), so that the parts always add up to exactly `m`.
 *
 * @example
 * ```ts
 * allocate(money('10.00', 'EUR'), [1, 1, 1]); // 3.34, 3.33, 3.33
 * allocate(money('100', 'JPY'), ['70', '30']); // 70, 30
 * ```
 * @throws KassaError `validation.invalid_weights` when a weight is negative or all are zero;
 *   `validation.too_many_decimals` when `m` is not a whole number of minor units.
 */
export function allocate(
  m: Money,
  weights: readonly DecimalLike[],
  options: { step?: DecimalLike } = {},
): Money[] {
  checkMoney(m, ['m']);
  checkOptions(options, ['step'], 'allocation options', ['options']);
  if (!Array.isArray(weights)) {
    throw new KassaError(
      'validation.invalid_weights',
      `Weights must be an array, got ${describeValue(weights)}`,
      {
        path: ['weights'],
      },
    );
  }
  if (weights.length > MAX_ALLOCATION_PARTS) {
    throw new KassaError(
      'validation.too_large',
      `At most ${MAX_ALLOCATION_PARTS} weights, got ${weights.length}`,
      {
        path: ['weights'],
      },
    );
  }
  const parsed = weights.map((w, i) => {
    const r = tryParseDecimal(w, 20);
    if (!r.ok)
      throw new KassaError('validation.invalid_weights', `Weight ${i} is not a decimal`, {
        path: ['weights', i],
      });
    return r.value;
  });
  const step =
    options.step === undefined ? stepOf(minorUnits(m.currency)) : parseAmount(options.step, 6, ['step']);
  return allocateDecimal(m.amount, parsed, step).map((amount) =>
    Object.freeze({ amount, currency: m.currency }),
  );
}
