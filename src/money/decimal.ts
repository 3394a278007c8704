import { Decimal as DecimalJs } from 'decimal.js';

/**
 * kassa's own Decimal constructor. A clone, so an app that reconfigures the global
 * decimal.js (precision, rounding) cannot change how kassa computes money.
 * 40 significant digits hold any realistic amount times any realistic quantity exactly.
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
/** A decimal.js value as produced by kassa. */
export type Decimal = DecimalJs;

/** A value kassa accepts as an amount: a decimal string, a Decimal, or an exact number. */
export type DecimalLike = string | number | DecimalJs;

const DECIMAL_STRING = /^[+-]?\d+(\.\d+)?$/;

/** Why a value could not be read as a decimal; used to build precise error messages. */
export type DecimalParseFailure =
  | 'not_a_number'
  | 'not_finite'
  | 'float_noise'
  | 'syntax'
  | 'too_many_decimals';

/**
 * Reads a decimal without ever going through a binary float.
 * Strings must look like `-12.50` (no exponent, no thousands separator, no comma).
 * Numbers are accepted only when exact: a safe integer, or a literal whose shortest
 * representation has at most `maxDecimals` decimals (so `0.1 + 0.2` is rejected).
 */
export function tryParseDecimal(
  value: unknown,
  maxDecimals = 20,
): { ok: true; value: Decimal } | { ok: false; reason: DecimalParseFailure } {
  if (value instanceof DecimalJs) {
    if (!value.isFinite()) return { ok: false, reason: 'not_finite' };
    if (value.decimalPlaces() > maxDecimals) return { ok: false, reason: 'too_many_decimals' };
    return { ok: true, value: new Decimal(value) };
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { ok: false, reason: 'not_a_number' };
    if (!Number.isFinite(value)) return { ok: false, reason: 'not_finite' };
    if (Number.isInteger(value)) {
      if (!Number.isSafeInteger(value)) return { ok: false, reason: 'float_noise' };
      return { ok: true, value: new Decimal(value) };
    }
    const text = String(value);
    if (!DECIMAL_STRING.test(text)) return { ok: false, reason: 'float_noise' };
    const decimals = text.split('.')[1]?.length ?? 0;
    // Past 6 decimals a float literal is almost always arithmetic noise, not an entered price.
    if (decimals > Math.min(maxDecimals, 6)) return { ok: false, reason: 'float_noise' };
    return { ok: true, value: new Decimal(text) };
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === 'NaN') return { ok: false, reason: 'not_a_number' };
    if (/^[+-]?Infinity$/.test(text)) return { ok: false, reason: 'not_finite' };
    if (!DECIMAL_STRING.test(text)) return { ok: false, reason: 'syntax' };
    const decimals = text.split('.')[1]?.length ?? 0;
    if (decimals > maxDecimals) return { ok: false, reason: 'too_many_decimals' };
    return { ok: true, value: new Decimal(text) };
  }
  return { ok: false, reason: 'not_a_number' };
}

/** Human wording for a parse failure, shared by every schema that reads decimals. */
export function describeDecimalFailure(reason: DecimalParseFailure, maxDecimals: number): string {
  switch (reason) {
    case 'not_a_number':
      return 'expected a decimal string such as "12.50"';
    case 'not_finite':
      return 'must be a finite amount';
    case 'float_noise':
      return 'a JavaScript number with float noise is not an exact amount; pass a decimal string';
    case 'syntax':
      return 'expected digits with an optional "." and decimals, such as "12.50" (no exponent, comma or separators)';
    case 'too_many_decimals':
      return `at most ${maxDecimals} decimals allowed`;
  }
}

/** Canonical string of a decimal: plain notation, no exponent, `-0` normalised to `0`. */
export function decimalToString(value: Decimal, decimals?: number): string {
  if (value.isZero()) return decimals ? `0.${'0'.repeat(decimals)}` : '0';
  if (decimals === undefined) return value.toFixed();
  const places = value.decimalPlaces();
  if (places > decimals) return value.toFixed(decimals);
  // toFixed() without an argument only prints; padding by hand avoids a rounding pass.
  const text = value.toFixed();
  if (places === decimals) return text;
  return places === 0 ? `${text}.${'0'.repeat(decimals)}` : text + '0'.repeat(decimals - places);
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
  return isBelowZero(x) ? ZERO_DECIMAL : x;
}

const ZERO_DECIMAL = /* @__PURE__ */ new Decimal(0);

/**
 * `a.comparedTo(b)` for finite decimals, without the copy of `b` that decimal.js makes for
 * every comparison (the engine compares amounts in its innermost loops). Reads the documented
 * `d`, `e` and `s`: limbs are aligned on the exponent, so equal exponents compare limb by limb.
 * @internal
 */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const ad = a.d;
  const bd = b.d;
  if (!ad || !bd) return a.comparedTo(b);
  const aZero = ad[0] === 0;
  const bZero = bd[0] === 0;
  if (aZero || bZero) {
    if (aZero && bZero) return 0;
    return aZero ? -b.s : a.s;
  }
  if (a.s !== b.s) return a.s;
  const sign = a.s;
  if (a.e !== b.e) return a.e > b.e ? sign : -sign;
  const n = Math.min(ad.length, bd.length);
  for (let i = 0; i < n; i++) if (ad[i] !== bd[i]) return ad[i]! > bd[i]! ? sign : -sign;
  return ad.length === bd.length ? 0 : ad.length > bd.length ? sign : -sign;
}
