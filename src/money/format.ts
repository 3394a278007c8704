import { checkOptions, describeValue, KassaError } from '../errors.js';
import { minorUnits } from './currencies.js';
import { decimalToString } from './decimal.js';
import { checkMoney, type Money } from './money.js';

const formatters = new Map<string, Intl.NumberFormat>();

/** Options of {@link format}. */
export interface FormatOptions {
  /** `'symbol'` (default, `€`), `'narrowSymbol'`, `'code'` (`EUR`) or `'name'`. */
  currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code' | 'name';
  /** Show the amount without the currency, grouped and with the locale's decimal sign. */
  hideCurrency?: boolean;
}

/**
 * Formats money for people through `Intl.NumberFormat`, always with the currency's ISO
 * minor units (CLDR disagrees with ISO for a few currencies such as IQD; ISO wins) and
 * without passing through a float, so `12345678901234.56` prints exactly.
 *
 * @example
 * ```ts
 * format(money('1234.5', 'EUR'), 'nl-NL'); // '€ 1.234,50'
 * ```
 */
export function format(
  m: Money,
  locale: string | readonly string[] = 'en-US',
  options: FormatOptions = {},
): string {
  checkMoney(m, ['m']);
  if (
    typeof locale !== 'string' &&
    !(Array.isArray(locale) && locale.length <= 16 && locale.every((l) => typeof l === 'string'))
  ) {
    throw new KassaError('validation.invalid_input', `Invalid locale ${describeValue(locale)}`, {
      path: ['locale'],
      issues: [{ path: ['locale'], message: 'expected a BCP 47 language tag or a list of at most 16' }],
    });
  }
  checkOptions(options, ['currencyDisplay', 'hideCurrency'], 'format options', ['options']);
  const display = options.currencyDisplay;
  if (display !== undefined && !['symbol', 'narrowSymbol', 'code', 'name'].includes(display)) {
    throw new KassaError('validation.invalid_input', `Invalid currencyDisplay ${describeValue(display)}`, {
      path: ['currencyDisplay'],
      issues: [{ path: ['currencyDisplay'], message: "expected 'symbol', 'narrowSymbol', 'code' or 'name'" }],
    });
  }
  const decimals = Math.max(minorUnits(m.currency), m.amount.decimalPlaces());
  const key = `${String(locale)}|${m.currency}|${decimals}|${options.currencyDisplay ?? ''}|${options.hideCurrency ? 1 : 0}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = createFormatter(locale, {
      ...(options.hideCurrency
        ? { style: 'decimal' as const }
        : {
            style: 'currency' as const,
            currency: m.currency,
            currencyDisplay: options.currencyDisplay ?? 'symbol',
          }),
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    formatters.set(key, formatter);
  }
  // Intl formats decimal strings exactly (ES2023); the cast is for older lib typings.
  return formatter.format(decimalToString(m.amount, decimals) as unknown as number);
}

/** Intl throws a bare RangeError for a malformed locale tag; kassa throws a KassaError. */
function createFormatter(
  locale: string | readonly string[],
  options: Intl.NumberFormatOptions,
): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale as string | string[], options);
  } catch (error) {
    throw new KassaError(
      'validation.invalid_input',
      `Invalid locale ${JSON.stringify(locale)}: expected a BCP 47 tag such as "de-CH"`,
      { path: ['locale'], issues: [{ path: ['locale'], message: 'invalid locale' }] },
      { cause: error },
    );
  }
}
