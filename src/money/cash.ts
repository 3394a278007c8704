import { KassaError } from '../errors.js';
import { type CurrencyCode, minorUnits } from './currencies.js';
import type { RoundingMode } from './rounding.js';

/** How cash payments are rounded when the smallest coins are not in circulation. */
export interface CashRounding {
  /** The smallest amount cash can pay, e.g. `'0.05'`. */
  step: string;
  /** Default `'half-up'`. */
  mode?: RoundingMode;
}

/**
 * Documented defaults for cash rounding; a till's own configuration always wins, these
 * only save looking them up. Keyed by currency, then by ISO 3166 country where the same
 * currency rounds differently.
 * - CHF 0.05 (the 0.01 and 0.02 coins were withdrawn)
 * - SEK 1 and NOK 1 (no öre coins since 2010 and 2012)
 * - DKK 0.50 (the 0.25 krone was withdrawn in 2008)
 * - EUR 0.05 in NL, BE, FI, IE, IT (since 2018) and SK (since 2022), by national rounding
 *   rules; elsewhere in the euro area none
 * - CAD 0.05 (the cent was withdrawn in 2013), AUD 0.05, NZD 0.10
 * - CZK 1 (no haléř coins since 2008), HUF 5 (the 1 and 2 forint coins were withdrawn in 2008)
 */
export const CASH_ROUNDING_DEFAULTS: Readonly<
  Record<CurrencyCode, CashRounding | Readonly<Record<string, CashRounding>>>
> = Object.freeze({
  CHF: { step: '0.05' },
  SEK: { step: '1' },
  NOK: { step: '1' },
  DKK: { step: '0.50' },
  CAD: { step: '0.05' },
  AUD: { step: '0.05' },
  NZD: { step: '0.10' },
  CZK: { step: '1' },
  HUF: { step: '5' },
  EUR: {
    NL: { step: '0.05' },
    BE: { step: '0.05' },
    FI: { step: '0.05' },
    IE: { step: '0.05' },
    IT: { step: '0.05' },
    SK: { step: '0.05' },
  },
});

/**
 * The default cash rounding for a currency (and, for the euro, a country), or `undefined`
 * when cash pays to the minor unit.
 * @example
 * ```ts
 * cashRoundingFor('EUR', 'NL'); // { step: '0.05' }
 * cashRoundingFor('EUR', 'DE'); // undefined
 * ```
 */
export function cashRoundingFor(currency: CurrencyCode, country?: string): CashRounding | undefined {
  // A typo ('eur') would otherwise read as "no cash rounding".
  minorUnits(currency);
  if (country !== undefined && typeof country !== 'string') {
    throw new KassaError('validation.invalid_input', 'Country must be an ISO 3166 alpha-2 code', {
      path: ['country'],
      issues: [{ path: ['country'], message: 'expected a string such as "NL"' }],
    });
  }
  const entry = CASH_ROUNDING_DEFAULTS[currency];
  if (entry === undefined) return undefined;
  if ('step' in entry && typeof entry.step === 'string') return { ...(entry as CashRounding) };
  if (country === undefined) return undefined;
  if (!/^[A-Z]{2}$/.test(country)) {
    throw new KassaError(
      'validation.invalid_input',
      `Country must be an ISO 3166 alpha-2 code, got "${country}"`,
      {
        path: ['country'],
      },
    );
  }
  const byCountry = (entry as Readonly<Record<string, CashRounding>>)[country];
  return byCountry ? { ...byCountry } : undefined;
}
