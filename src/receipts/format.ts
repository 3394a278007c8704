import { minorUnits } from '../money/currencies.js';

/** Locale-aware formatting of the decimal strings a priced cart holds. */
export interface ReceiptFormatters {
  /** `'12.1'` as `€ 12,10` (nl-NL): the amount with its currency, in the currency's minor units. */
  money(amount: string): string;
  /** `'12.1'` as `12,10`: grouped, the currency's decimals, no symbol (for columns of amounts). */
  amount(amount: string): string;
  /** A unit price, with as many decimals as it has (at least the currency's): `0,899`. */
  unitPrice(price: string): string;
  /** A quantity as entered: `0,375`, `2`. */
  quantity(quantity: string): string;
  /** A tax rate in percent: `21%`, `5,5%`. */
  rate(rate: string): string;
  /** An ISO 8601 time as a short local date and time in the configured time zone. */
  dateTime(iso: string): string;
}

function decimalsOf(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** Formatters built so far, per locale, currency and time zone (bounded: an app uses a handful). */
const built = new Map<string, ReceiptFormatters>();
const BUILT_LIMIT = 64;

/**
 * Formatters for one locale, currency and time zone, built once and shared: building the
 * `Intl` formatters is a large part of a receipt's fixed cost, and they hold no state. Amounts go to `Intl.NumberFormat` as
 * decimal strings, which it formats exactly (no float on the way), with the currency's
 * ISO 4217 decimals.
 */
export function createFormatters(locale: string, currency: string, timeZone: string): ReceiptFormatters {
  const key = `${locale}\u0000${currency}\u0000${timeZone}`;
  const hit = built.get(key);
  if (hit !== undefined) return hit;
  const made = Object.freeze(buildFormatters(locale, currency, timeZone));
  // Oldest out first, so an app cycling through many locales cannot grow the cache without end.
  if (built.size >= BUILT_LIMIT) built.delete(built.keys().next().value!);
  built.set(key, made);
  return made;
}

function buildFormatters(locale: string, currency: string, timeZone: string): ReceiptFormatters {
  const minor = minorUnits(currency);
  const cache = new Map<string, Intl.NumberFormat>();
  const nf = (key: string, make: () => Intl.NumberFormat): Intl.NumberFormat => {
    let f = cache.get(key);
    if (!f) {
      f = make();
      cache.set(key, f);
    }
    return f;
  };
  // Intl formats decimal strings exactly (ES2023); the cast is for older lib typings.
  const fmt = (f: Intl.NumberFormat, value: string): string => f.format(value as unknown as number);
  const decimal = (min: number, max: number): Intl.NumberFormat =>
    nf(
      `d${min}-${max}`,
      () => new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: max }),
    );
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone });
  return {
    money: (amount) =>
      fmt(
        nf(
          'money',
          () =>
            new Intl.NumberFormat(locale, {
              style: 'currency',
              currency,
              minimumFractionDigits: minor,
              maximumFractionDigits: minor,
            }),
        ),
        amount,
      ),
    amount: (amount) => fmt(decimal(minor, minor), amount),
    unitPrice: (price) => {
      const d = Math.min(6, Math.max(minor, decimalsOf(price)));
      return fmt(decimal(minor, d), price);
    },
    quantity: (q) => fmt(decimal(0, Math.min(6, decimalsOf(q))), q),
    rate: (r) => `${fmt(decimal(0, Math.min(6, decimalsOf(r))), r)}%`,
    dateTime: (iso) => dates.format(new Date(iso)),
  };
}
