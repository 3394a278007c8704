import { Decimal, decimalToString } from './decimal.js';

/** decimal.js keeps its digits in limbs of this many decimal digits (its `LOG_BASE`). */
const LIMB_DIGITS = 7;
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * An exact running sum of decimals, counted in whole units of `10^-decimals`.
 *
 * The cart engine adds every line's amounts into a handful of totals (subtotal, net, tax per
 * rate, ...). A decimal.js addition allocates and normalises a new Decimal; counting whole
 * units is several times cheaper and just as exact. The count is an integer throughout: it
 * lives in a JavaScript number only while it is a safe integer, where integer addition is
 * exact, and moves to a BigInt past that. An amount with more decimals than the sum's widens
 * the sum's scale rather than being rounded. No amount is ever held as a binary fraction.
 */
export class ExactSum {
  /** Whole units while the count is a safe integer. */
  private small = 0;
  /** Whole units beyond what `small` holds. */
  private large = 0n;
  private scale: number;
  /** The number of decimals the result is printed with. */
  private readonly decimals: number;

  constructor(decimals: number) {
    this.scale = decimals;
    this.decimals = decimals;
  }

  /** Adds `value`. */
  add(value: Decimal): this {
    const units = this.scale === this.decimals ? wholeUnits(value, this.scale) : undefined;
    if (units === undefined) return this.addText(value.toFixed());
    const next = this.small + units;
    if (Number.isSafeInteger(next)) {
      this.small = next;
    } else {
      this.large += BigInt(this.small) + BigInt(units);
      this.small = 0;
    }
    return this;
  }

  /** Adds another sum. */
  addSum(other: ExactSum): this {
    return this.addText(other.toExactString());
  }

  /** The sum as a Decimal. */
  toDecimal(): Decimal {
    return new Decimal(this.toExactString());
  }

  /**
   * The sum printed as {@link decimalToString} prints a Decimal with this sum's decimals
   * (rounded to them only if an amount with more decimals was added).
   */
  toString(): string {
    if (this.scale !== this.decimals) return decimalToString(this.toDecimal(), this.decimals);
    return this.toExactString();
  }

  private toExactString(): string {
    const units = this.large + BigInt(this.small);
    if (units === 0n) return this.scale === 0 ? '0' : `0.${'0'.repeat(this.scale)}`;
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString();
    const sign = negative ? '-' : '';
    if (this.scale === 0) return sign + digits;
    const padded = digits.padStart(this.scale + 1, '0');
    const cut = padded.length - this.scale;
    return `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`;
  }

  private addText(text: string): this {
    const point = text.indexOf('.');
    const places = point < 0 ? 0 : text.length - point - 1;
    if (places > this.scale) {
      this.large = (this.large + BigInt(this.small)) * 10n ** BigInt(places - this.scale);
      this.small = 0;
      this.scale = places;
    }
    const whole = point < 0 ? text : text.slice(0, point) + text.slice(point + 1);
    this.large += BigInt(whole) * 10n ** BigInt(this.scale - places);
    return this;
  }
}

/**
 * `value` in whole units of `10^-scale` (`12.34` at scale 2 is 1234), read from decimal.js's documented `d` (limbs, most
 * significant first), `e` (exponent of the leading digit) and `s` (sign). Undefined when the
 * value is not a whole number of such units or the count is not a safe integer; every term
 * is a whole number and none is negative, so an unsafe term makes the sum unsafe and is caught.
 */
/** @internal */
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

/** `x > 0`, without the copy of its argument a decimal.js comparison makes. @internal */
export function isAboveZero(x: Decimal): boolean {
  return !x.isZero() && !x.isNegative();
}

/** `x < 0`, without the copy of its argument a decimal.js comparison makes. @internal */
export function isBelowZero(x: Decimal): boolean {
  return x.isNegative() && !x.isZero();
}

/** `max(x, 0)`, without allocating when `x` is not negative. @internal */
export function atLeastZero(x: Decimal): Decimal {
  return isBelowZero(x) ? ZERO_UNITS : x;
}

const ZERO_UNITS = new Decimal(0);
