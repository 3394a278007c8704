import type { Decimal as DecimalJs } from 'decimal.js';
import { KassaError } from '../errors.js';
import { Decimal } from './decimal.js';

/**
 * How a value is rounded to a step.
 * - `half-up`: halves away from zero (commercial rounding, the default)
 * - `half-even`: halves to the even neighbour (banker's rounding)
 * - `half-down`: halves towards zero
 * - `up`: away from zero; `down`: towards zero (truncation)
 * - `ceiling`: towards +∞; `floor`: towards −∞
 */
export type RoundingMode = 'half-up' | 'half-even' | 'half-down' | 'up' | 'down' | 'ceiling' | 'floor';

/** Every rounding mode, for schemas and property tests. */
export const ROUNDING_MODES: readonly RoundingMode[] = [
  'half-up',
  'half-even',
  'half-down',
  'up',
  'down',
  'ceiling',
  'floor',
];

/** decimal.js's constant for each mode. @internal */
export const DECIMAL_JS_MODES: Record<RoundingMode, DecimalJs.Rounding> = {
  'half-up': Decimal.ROUND_HALF_UP,
  'half-even': Decimal.ROUND_HALF_EVEN,
  'half-down': Decimal.ROUND_HALF_DOWN,
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
  ceiling: Decimal.ROUND_CEIL,
  floor: Decimal.ROUND_FLOOR,
};

/**
 * Rounds `value` to a multiple of `step` (`0.01`, `0.05`, `1`, `0.5` ...).
 * @internal the public form is `round()` on Money.
 */
export function roundToStep(value: Decimal, step: Decimal, mode: RoundingMode = 'half-up'): Decimal {
  if (!step.isFinite() || step.lte(0)) {
    throw new KassaError(
      'validation.invalid_amount',
      `Rounding step must be positive, got ${step.toString()}`,
      {
        path: ['step'],
      },
    );
  }
  const units = value.div(step).toDecimalPlaces(0, DECIMAL_JS_MODES[mode]);
  const result = units.mul(step);
  return result.isZero() ? new Decimal(0) : result;
}

/** Rounds `value` to `decimals` decimal places. @internal */
export function roundToDecimals(value: Decimal, decimals: number, mode: RoundingMode = 'half-up'): Decimal {
  const result = value.toDecimalPlaces(decimals, DECIMAL_JS_MODES[mode]);
  return result.isZero() ? new Decimal(0) : result;
}

// Decimals are immutable, so the few steps in use (0 to 4 decimals) can be shared.
const STEPS: Decimal[] = [];

/** The step of one minor unit for `decimals` decimals: 2 gives 0.01. @internal */
export function stepOf(decimals: number): Decimal {
  if (Number.isInteger(decimals) && decimals >= 0 && decimals <= 20) {
    let step = STEPS[decimals];
    if (step === undefined) {
      step = new Decimal(1).div(new Decimal(10).pow(decimals));
      STEPS[decimals] = step;
    }
    return step;
  }
  return new Decimal(1).div(new Decimal(10).pow(decimals));
}
