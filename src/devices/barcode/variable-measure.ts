import { priceCheckDigit } from './check-digit.js';
import { impliedDecimal } from './gs1.js';
import { withCheckDigit } from './gtin.js';

/** What the value field of a variable-measure EAN-13 holds. */
export type MeasureKind = 'weight' | 'price' | 'count';

/**
 * The layout of one variable-measure prefix. `template` has 12 letters, one per digit
 * before the EAN check digit: `P` for the prefix and item reference, `C` for the price
 * check digit, `V` for the value. `decimals` places the decimal point in the value.
 *
 * @example
 * ```ts
 * // Germany, prefix 28: 28 IIII C WWWWW, weight in grams
 * { measure: 'weight', template: 'PPPPPPCVVVVV', decimals: 3 }
 * ```
 */
export interface VariableMeasureLayout {
  readonly measure: MeasureKind;
  readonly template: string;
  readonly decimals: number;
  /** Unit of a weight: `'kg'` unless stated. */
  readonly unit?: string;
}

/** A country's rules: its currency and the layout of each two-digit prefix it uses. */
export interface VariableMeasureTable {
  readonly region: string;
  /** ISO 4217 code of embedded prices. */
  readonly currency: string;
  /** Keyed by the first two digits of the EAN-13 (`'02'`, `'20'` to `'29'`). */
  readonly prefixes: Readonly<Record<string, VariableMeasureLayout>>;
}

const de = (measure: MeasureKind, decimals: number): VariableMeasureLayout => ({
  measure,
  template: 'PPPPPPCVVVVV',
  decimals,
});
const se = (measure: MeasureKind, decimals: number): VariableMeasureLayout => ({
  measure,
  template: 'PPPPPPPPVVVV',
  decimals,
});
const gb: VariableMeasureLayout = { measure: 'price', template: 'PPPPPPPCVVVV', decimals: 2 };
// Denmark prints six value digits and no price check digit; 27 keeps a five-digit weight.
const dk = (measure: MeasureKind, decimals: number, itemDigits = 4): VariableMeasureLayout => ({
  measure,
  template: `${'P'.repeat(2 + itemDigits)}${'V'.repeat(10 - itemDigits)}`,
  decimals,
});
// The weight prefixes Finland and the Baltic states share with Sweden: 23-25, kg with 3/2/1 decimals.
const weightsOnly = (region: string): VariableMeasureTable => ({
  region,
  currency: 'EUR',
  prefixes: { '23': se('weight', 3), '24': se('weight', 2), '25': se('weight', 1) },
});

/**
 * Built-in tables. Sources: GS1 Germany (22/23 price, 25/26 count, 28/29 weight, each
 * `2X IIII C VVVVV` with a 5-digit price check digit); GS1 Sweden (20-22 price with 2, 1, 0
 * decimals, 23-25 weight with 3, 2, 1 decimals, `2X IIIIII VVVV`, no price check digit);
 * GS1 UK (`02` and `20`: `2X IIIII C PPPP`, price in pence with a 4-digit price check digit).
 * The Dutch table follows the layout Dutch scale systems print (`2X IIII C VVVVV`: 21-24
 * price in cents, 28-29 weight in grams); confirm it against your scales before relying on it.
 * GS1 Denmark ("EAN-13 intern med pris / med mængde", gs1.dk): 21-24 price in øre and 26/28
 * weight in grams as `2X IIII VVVVVV`, 27 weight as `27 IIIII VVVVV`, no price check digit.
 * GS1 Finland (gs1.fi, "how to identify a product"): 23-25 weight with 3/2/1 decimals,
 * `2X IIIIII VVVV`. GS1 Latvia's "Variable measure in Latvia", which covers the three Baltic
 * member organisations: the same 23-25 weight layout for EE, LV and LT. Norway: GS1 Norway
 * publishes no public layout; the table is the Swedish one, which Norwegian scale labels
 * follow; confirm it against your scales.
 * Pass your own {@link VariableMeasureTable} for anything else.
 */
export const VARIABLE_MEASURE_TABLES: Readonly<
  Record<'DE' | 'SE' | 'GB' | 'NL' | 'DK' | 'NO' | 'FI' | 'EE' | 'LV' | 'LT', VariableMeasureTable>
> = {
  DE: {
    region: 'DE',
    currency: 'EUR',
    prefixes: {
      '22': de('price', 2),
      '23': de('price', 2),
      '25': de('count', 0),
      '26': de('count', 0),
      '28': de('weight', 3),
      '29': de('weight', 3),
    },
  },
  SE: {
    region: 'SE',
    currency: 'SEK',
    prefixes: {
      '20': se('price', 2),
      '21': se('price', 1),
      '22': se('price', 0),
      '23': se('weight', 3),
      '24': se('weight', 2),
      '25': se('weight', 1),
    },
  },
  GB: { region: 'GB', currency: 'GBP', prefixes: { '02': gb, '20': gb } },
  NL: {
    region: 'NL',
    currency: 'EUR',
    prefixes: {
      '21': de('price', 2),
      '22': de('price', 2),
      '23': de('price', 2),
      '24': de('price', 2),
      '28': de('weight', 3),
      '29': de('weight', 3),
    },
  },
  DK: {
    region: 'DK',
    currency: 'DKK',
    prefixes: {
      '21': dk('price', 2),
      '22': dk('price', 2),
      '23': dk('price', 2),
      '24': dk('price', 2),
      '26': dk('weight', 3),
      '27': dk('weight', 3, 5),
      '28': dk('weight', 3),
    },
  },
  NO: {
    region: 'NO',
    currency: 'NOK',
    prefixes: {
      '20': se('price', 2),
      '21': se('price', 1),
      '22': se('price', 0),
      '23': se('weight', 3),
      '24': se('weight', 2),
      '25': se('weight', 1),
    },
  },
  FI: weightsOnly('FI'),
  EE: weightsOnly('EE'),
  LV: weightsOnly('LV'),
  LT: weightsOnly('LT'),
};

/** True for the EAN-13 prefixes reserved for restricted circulation in a region (02, 20-29). */
export function isRestrictedCirculation(ean13: string): boolean {
  return ean13.length === 13 && (ean13.startsWith('02') || ean13[0] === '2');
}

/** A variable-measure EAN-13 taken apart. */
export interface VariableMeasure {
  readonly region: string;
  readonly measure: MeasureKind;
  /** A decimal string: kilograms, a price in `currency`, or a whole count. */
  readonly value: string;
  readonly unit?: string;
  readonly currency?: string;
  /** The prefix and item reference digits (`'281234'`). */
  readonly itemReference: string;
  /**
   * The code with its value (and price check digit) set to zero and the EAN check digit
   * recomputed: the one number that identifies the item in a catalog whatever it weighs.
   */
  readonly itemGtin: string;
}

/** Result of {@link decodeVariableMeasure}: the decoded value, no rule, or a bad price check. */
export type VariableMeasureResult =
  | { ok: true; value: VariableMeasure }
  | { ok: false; reason: 'no_rule' | 'price_check_digit' };

function span(template: string, letter: string): [number, number] | undefined {
  const a = template.indexOf(letter);
  return a === -1 ? undefined : [a, template.lastIndexOf(letter) + 1];
}

/**
 * Decodes a valid restricted-circulation EAN-13 with a country table. The EAN check digit
 * must have been verified already; the price check digit is verified here.
 */
export function decodeVariableMeasure(ean13: string, table: VariableMeasureTable): VariableMeasureResult {
  const layout = table.prefixes[ean13.slice(0, 2)];
  if (layout?.template.length !== 12) return { ok: false, reason: 'no_rule' };
  const p = span(layout.template, 'P');
  const v = span(layout.template, 'V');
  if (!p || !v) return { ok: false, reason: 'no_rule' };
  const c = span(layout.template, 'C');
  const valueDigits = ean13.slice(v[0], v[1]);
  if (c) {
    if (valueDigits.length < 4 || valueDigits.length > 5) return { ok: false, reason: 'no_rule' };
    if (priceCheckDigit(valueDigits) !== Number(ean13[c[0]]))
      return { ok: false, reason: 'price_check_digit' };
  }
  const zeroed = [...ean13.slice(0, 12)];
  for (let i = v[0]; i < v[1]; i++) zeroed[i] = '0';
  if (c) zeroed[c[0]] = String(priceCheckDigit('0'.repeat(valueDigits.length)));
  const value: VariableMeasure = {
    region: table.region,
    measure: layout.measure,
    value: impliedDecimal(valueDigits, layout.decimals),
    itemReference: ean13.slice(p[0], p[1]),
    itemGtin: withCheckDigit(zeroed.join('')),
    ...(layout.measure === 'weight' ? { unit: layout.unit ?? 'kg' } : {}),
    ...(layout.measure === 'price' ? { currency: table.currency } : {}),
  };
  return { ok: true, value };
}
