import { Decimal, decimalToString } from './decimal.js';

/** decimal.js keeps its digits in limbs of this many decimal digits (its `LOG_BASE`). */
const LIMB_DIGITS = 7;
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * A running sum of decimals, counted in whole units of `10^-decimals` while it can be.
 *
 * The cart engine adds every line's amounts into a handful of totals (subtotal, net, tax per
 * rate, ...), and the promotion engine sums every line's discount. A decimal.js addition
 * allocates and normalises a new Decimal; counting whole units is several times cheaper and
 * just as exact. The count is an integer throughout, held in a JavaScript number only while
 * it is a safe integer (where integer addition is exact). Amounts finer than the unit, and
 * counts past 2^53, go to a decimal.js remainder instead, so the sum is exactly what decimal.js
 * would give. No amount is ever held as a binary fraction.
 */
export class ExactSum {
  /** Whole units, a safe integer. */
  private units = 0;
  /** What was not counted in units. */
  private rest: Decimal | undefined;
  private readonly decimals: number;

  constructor(decimals: number) {
    this.decimals = decimals;
  }

  /** Adds `value`. */
  add(value: Decimal): this {
    const units = wholeUnits(value, this.decimals);
    if (units === undefined) {
      this.rest = this.rest === undefined ? value : this.rest.plus(value);
      return this;
    }
    const next = this.units + units;
    if (Number.isSafeInteger(next)) {
      this.units = next;
    } else {
      this.rest = this.toDecimal();
      this.units = units;
    }
    return this;
  }

  /** Adds another sum. */
  addSum(other: ExactSum): this {
    return this.add(other.toDecimal());
  }

  /** The sum as a Decimal. */
  toDecimal(): Decimal {
    const counted = fromUnits(this.units, this.decimals);
    return this.rest === undefined ? counted : this.rest.plus(counted);
  }

  /**
   * The sum printed as {@link decimalToString} prints a Decimal with this sum's decimals
   * (rounded to them only if an amount with more decimals was added).
   */
  toString(): string {
    if (this.rest === undefined) return printUnits(this.units, this.decimals);
    return decimalToString(this.toDecimal(), this.decimals);
  }
}

/**
 * `value` in whole units of `10^-scale` (`12.34` at scale 2 is 1234), read from decimal.js's
 * documented `d` (limbs, most significant first), `e` (exponent of the leading digit) and `s`
 * (sign). Undefined when the value is not a whole number of such units or the count is not a
 * safe integer; every term is a whole number and none is negative, so an unsafe term makes
 * the sum unsafe and is caught. {@link floorUnits} walks the limbs the same way but keeps the
 * fraction; this one stays separate because it runs for every amount the engine adds, and
 * returns a number rather than an object. @internal
 */
export function wholeUnits(value: Decimal, scale: number): number | undefined {
  const limbs = value.d;
  if (!limbs) return undefined;
  const top = Math.floor(value.e / LIMB_DIGITS);
  let units = 0;
  for (let i = 0; i < limbs.length; i++) {
    const limb = limbs[i]!;
    const power = LIMB_DIGITS * (top - i) + scale;
    if (power >= 0) {
      const factor = POWERS_OF_TEN[power];
      if (factor === undefined) return undefined;
      units += limb * factor;
    } else {
      const divisor = POWERS_OF_TEN[-power];
      if (divisor === undefined) {
        if (limb !== 0) return undefined;
        continue;
      }
      if (limb % divisor !== 0) return undefined;
      units += limb / divisor;
    }
  }
  if (!Number.isSafeInteger(units)) return undefined;
  return value.s < 0 ? -units : units;
}

/** A whole count of `10^-decimals` units printed as {@link decimalToString} prints it. */
function printUnits(units: number, decimals: number): string {
  if (units === 0) return decimals === 0 ? '0' : `0.${'0'.repeat(decimals)}`;
  const negative = units < 0;
  const digits = String(negative ? -units : units);
  const sign = negative ? '-' : '';
  if (decimals === 0) return sign + digits;
  const padded = digits.length > decimals ? digits : digits.padStart(decimals + 1, '0');
  const cut = padded.length - decimals;
  return `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/**
 * `a + b` printed with `decimals` decimals, as `decimalToString(a.plus(b), decimals)` would
 * print it, counted in whole units when both are whole numbers of units (no Decimal is made).
 */
export function printSum(a: Decimal, b: Decimal, decimals: number): string {
  const x = wholeUnits(a, decimals);
  const y = x === undefined ? undefined : wholeUnits(b, decimals);
  if (x !== undefined && y !== undefined && Number.isSafeInteger(x + y)) return printUnits(x + y, decimals);
  return decimalToString(a.plus(b), decimals);
}

/** A Decimal of `units` whole units of `10^-decimals`. @internal */
export function fromUnits(units: number, decimals: number): Decimal {
  return new Decimal(printUnits(units, decimals));
}

/**
 * A non-negative `value × 10^decimals` split into its floor, a safe integer, and what is left,
 * in [0, 1) as a float that is only good for ordering remainders (as largest-remainder
 * allocation does). Undefined for a negative value or a floor that is not a safe integer.
 * @internal
 */
export function floorUnits(
  value: Decimal,
  decimals: number,
): { units: number; fraction: number } | undefined {
  const limbs = value.d;
  if (!limbs || value.s < 0) return undefined;
  const top = Math.floor(value.e / LIMB_DIGITS);
  let units = 0;
  let fraction = 0;
  for (let i = 0; i < limbs.length; i++) {
    const limb = limbs[i]!;
    const power = LIMB_DIGITS * (top - i) + decimals;
    if (power >= 0) {
      const factor = POWERS_OF_TEN[power];
      if (factor === undefined) return undefined;
      units += limb * factor;
    } else if (power > -LIMB_DIGITS) {
      // The limb straddles the point: its high digits are units, its low digits a fraction.
      const divisor = POWERS_OF_TEN[-power]!;
      const whole = Math.floor(limb / divisor);
      units += whole;
      fraction += (limb - whole * divisor) / divisor;
    } else {
      fraction += limb / 10 ** -power;
    }
  }
  return Number.isSafeInteger(units) ? { units, fraction } : undefined;
}
