import DecimalJs from 'decimal.js';
import { checkOptions, describeValue, INPUT_LIMITS, KassaError } from '../errors.js';
import { type CurrencyCode, isCurrency, minorUnits } from './currencies.js';
import {
  Decimal,
  type DecimalLike,
  decimalToString,
  describeDecimalFailure,
  tryParseDecimal,
} from './decimal.js';
import { ROUNDING_MODES, type RoundingMode, roundToStep, stepOf } from './rounding.js';

/**
 * An amount of money in one currency. Immutable; the amount is a decimal.js value and is
 * never a JavaScript float. Amounts may carry more decimals than the currency's minor unit
 * while a computation is in progress (unit prices of fuel have 3); `round()` brings them back.
 */
export interface Money {
  readonly amount: Decimal;
  readonly currency: CurrencyCode;
}

/** Largest number of decimals kassa accepts in an amount (unit prices of fuel and bulk goods). */
export const MAX_AMOUNT_DECIMALS = 6;

function assertCurrency(currency: unknown): asserts currency is CurrencyCode {
  if (!isCurrency(currency)) minorUnits(currency as CurrencyCode);
}

/**
 * Reads a decimal amount, throwing `validation.invalid_amount` with a clear reason.
 * @param path where the value sits in the caller's input, for the error details.
 */
export function parseAmount(
  value: DecimalLike,
  maxDecimals = MAX_AMOUNT_DECIMALS,
  path: (string | number)[] = [],
): Decimal {
  if (!Number.isInteger(maxDecimals) || maxDecimals < 0 || maxDecimals > 20) {
    throw new KassaError('validation.invalid_input', `maxDecimals must be a whole number from 0 to 20`, {
      path: ['maxDecimals'],
      issues: [{ path: ['maxDecimals'], message: 'expected a whole number from 0 to 20' }],
    });
  }
  if (
    !Array.isArray(path) ||
    path.length > INPUT_LIMITS.depth ||
    !path.every((p) => typeof p === 'string' || typeof p === 'number')
  ) {
    throw new KassaError('validation.invalid_input', 'path must be a short array of keys and indexes', {
      path: ['path'],
      issues: [{ path: ['path'], message: 'expected an array of strings and numbers' }],
    });
  }
  const parsed = tryParseDecimal(value, maxDecimals);
  if (!parsed.ok) {
    const message = describeDecimalFailure(parsed.reason, maxDecimals);
    throw new KassaError('validation.invalid_amount', `Invalid amount ${describeValue(value)}: ${message}`, {
      path,
      issues: [{ path, message }],
    });
  }
  return parsed.value;
}

/**
 * Creates a Money value. `amount` is a decimal string (`'12.10'`), a Decimal, or an exact
 * JavaScript number (a safe integer or a short literal such as `12.1`; float noise such as
 * `0.1 + 0.2` is rejected).
 *
 * @example
 * ```ts
 * const price = money('12.10', 'EUR');
 * ```
 * @throws KassaError `validation.invalid_currency`, `validation.invalid_amount`
 */
export function money(amount: DecimalLike, currency: CurrencyCode): Money {
  assertCurrency(currency);
  return Object.freeze({ amount: parseAmount(amount), currency });
}

/** Zero in a currency. */
export function zero(currency: CurrencyCode): Money {
  return money(0, currency);
}

const MONEY_KEYS = ['amount', 'currency'];

/**
 * The plain check of a Money argument: a kassa Money (a finite Decimal amount and a known
 * currency), or `validation.invalid_amount` / `validation.invalid_currency` at `path`. Money
 * built by hand (`{ amount: NaN, currency: 'EUR' }`) is refused instead of computing NaN.
 * @internal
 */
export function checkMoney(value: unknown, path: (string | number)[]): asserts value is Money {
  if (typeof value === 'object' && value !== null) {
    checkOptions(value, MONEY_KEYS, 'money', path);
    const { amount, currency } = value as { amount?: unknown; currency?: unknown };
    if (amount instanceof DecimalJs && amount.isFinite()) {
      if (isCurrency(currency)) return;
      const at = [...path, 'currency'];
      throw new KassaError(
        'validation.invalid_currency',
        `Unknown currency ${describeValue(currency)} at ${at.join('.')}`,
        {
          path: at,
          issues: [{ path: at, message: 'unknown currency' }],
        },
      );
    }
    const at = [...path, 'amount'];
    throw new KassaError(
      'validation.invalid_amount',
      `Invalid amount ${describeValue(amount)} at ${at.join('.')}: expected a finite Decimal; build Money with money()`,
      { path: at, issues: [{ path: at, message: 'expected a finite Decimal' }] },
    );
  }
  throw new KassaError(
    'validation.invalid_amount',
    `Invalid money ${describeValue(value)}${path.length ? ` at ${path.join('.')}` : ''}: expected a Money value from money()`,
    { path, issues: [{ path, message: 'expected a Money value' }] },
  );
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new KassaError('validation.currency_mismatch', `Cannot combine ${a.currency} with ${b.currency}`, {
      currencies: [a.currency, b.currency],
    });
  }
}

function make(amount: Decimal, currency: CurrencyCode): Money {
  return Object.freeze({ amount: amount.isZero() ? new Decimal(0) : amount, currency });
}

/** `a + b`; both in the same currency. */
export function add(a: Money, b: Money): Money {
  checkMoney(a, ['a']);
  checkMoney(b, ['b']);
  sameCurrency(a, b);
  return make(a.amount.plus(b.amount), a.currency);
}

/** `a - b`; both in the same currency. */
export function subtract(a: Money, b: Money): Money {
  checkMoney(a, ['a']);
  checkMoney(b, ['b']);
  sameCurrency(a, b);
  return make(a.amount.minus(b.amount), a.currency);
}

/** Sum of amounts in one currency; an empty list needs the currency. */
export function sum(items: readonly Money[], currency?: CurrencyCode): Money {
  if (!Array.isArray(items)) checkMoney(undefined, ['items']);
  if (currency !== undefined) assertCurrency(currency);
  for (let i = 0; i < items.length; i++) checkMoney(items[i], ['items', i]);
  const cur = currency ?? items[0]?.currency;
  if (cur === undefined)
    throw new KassaError('validation.invalid_currency', 'sum() of no amounts needs a currency');
  let total = new Decimal(0);
  for (const m of items) {
    if (m.currency !== cur) sameCurrency({ amount: total, currency: cur }, m);
    total = total.plus(m.amount);
  }
  return make(total, cur);
}

/** `m × factor`, unrounded (a quantity of 0.375 kg keeps all its decimals). */
export function multiply(m: Money, factor: DecimalLike): Money {
  checkMoney(m, ['m']);
  return make(m.amount.mul(parseAmount(factor, 20, ['factor'])), m.currency);
}

/** `-m`. */
export function negate(m: Money): Money {
  checkMoney(m, ['m']);
  return make(m.amount.neg(), m.currency);
}

/** Options of {@link round}. */
export interface RoundOptions {
  /** Default `'half-up'`. */
  mode?: RoundingMode;
  /** A step such as `'0.05'`; default: the currency's minor unit. */
  step?: DecimalLike;
}

/**
 * Rounds to the currency's minor unit, or to any step (`'0.05'` for Swiss cash).
 * @example
 * ```ts
 * round(money('12.43', 'CHF'), { step: '0.05' }); // 12.45
 * ```
 */
export function round(m: Money, options: RoundOptions = {}): Money {
  checkMoney(m, ['m']);
  checkOptions(options, ['mode', 'step'], 'rounding options', ['options']);
  if (options.mode !== undefined && !ROUNDING_MODES.includes(options.mode)) {
    throw new KassaError('validation.invalid_input', `Unknown rounding mode ${describeValue(options.mode)}`, {
      path: ['options', 'mode'],
      issues: [{ path: ['options', 'mode'], message: `expected one of ${ROUNDING_MODES.join(', ')}` }],
    });
  }
  const step =
    options.step === undefined
      ? stepOf(minorUnits(m.currency))
      : parseAmount(options.step, MAX_AMOUNT_DECIMALS, ['step']);
  return make(roundToStep(m.amount, step, options.mode ?? 'half-up'), m.currency);
}

/** The amount in minor units (cents) as a bigint; the amount must already be rounded. */
export function toMinorUnits(m: Money): bigint {
  checkMoney(m, ['m']);
  const scaled = m.amount.mul(new Decimal(10).pow(minorUnits(m.currency)));
  if (!scaled.isInteger()) {
    throw new KassaError(
      'validation.too_many_decimals',
      `${m.amount.toFixed()} ${m.currency} has more decimals than the currency's minor unit; round it first`,
      { path: ['amount'] },
    );
  }
  return BigInt(scaled.toFixed(0));
}

/** Money from an integer count of minor units (`1210n` EUR is 12.10). */
export function fromMinorUnits(units: bigint | number, currency: CurrencyCode): Money {
  assertCurrency(currency);
  if (typeof units !== 'bigint' && !(typeof units === 'number' && Number.isSafeInteger(units))) {
    throw new KassaError(
      'validation.invalid_amount',
      `Minor units must be a bigint or a safe integer, got ${describeValue(units)}`,
      {
        path: [],
      },
    );
  }
  return make(new Decimal(units.toString()).div(new Decimal(10).pow(minorUnits(currency))), currency);
}

/** The amount as a plain decimal string with the currency's decimals (`'12.10'`, `'500'` JPY). */
export function toDecimalString(m: Money): string {
  checkMoney(m, ['m']);
  const units = minorUnits(m.currency);
  return decimalToString(m.amount, Math.max(units, m.amount.decimalPlaces()));
}

/** JSON form: `{ amount: '12.10', currency: 'EUR' }`; amounts are strings, never numbers. */
export function toJSON(m: Money): { amount: string; currency: CurrencyCode } {
  checkMoney(m, ['m']);
  return { amount: toDecimalString(m), currency: m.currency };
}

/** Exact equality of amount and currency. */
export function equals(a: Money, b: Money): boolean {
  checkMoney(a, ['a']);
  checkMoney(b, ['b']);
  return a.currency === b.currency && a.amount.eq(b.amount);
}

/** -1, 0 or 1; both in the same currency. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  checkMoney(a, ['a']);
  checkMoney(b, ['b']);
  sameCurrency(a, b);
  return a.amount.comparedTo(b.amount) as -1 | 0 | 1;
}

/** True for a zero amount. */
export function isZero(m: Money): boolean {
  checkMoney(m, ['m']);
  return m.amount.isZero();
}

/** True for an amount below zero. */
export function isNegative(m: Money): boolean {
  checkMoney(m, ['m']);
  return m.amount.isNegative() && !m.amount.isZero();
}
