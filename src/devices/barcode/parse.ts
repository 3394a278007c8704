import * as z from 'zod/mini';
import { parseInput } from '../../errors.js';
import { decodeAim, type Symbology } from './aim.js';
import { type Gs1Element, Gs1ParseError, looksLikeGs1, readGs1ElementString } from './gs1.js';
import {
  type BookNumber,
  bookNumber,
  expandUpcE,
  type GtinFormat,
  gtinFormat,
  gtinFormatOf,
  isValidGtin,
} from './gtin.js';
import {
  decodeVariableMeasure,
  isRestrictedCirculation,
  VARIABLE_MEASURE_TABLES,
  type VariableMeasure,
  type VariableMeasureTable,
} from './variable-measure.js';

/** Options for {@link parseBarcode}. */
export interface BarcodeRules {
  /**
   * How to read variable-measure EAN-13s (prefixes 02, 20-29): a built-in region (`'DE'`,
   * `'SE'`, `'GB'`, `'NL'`, `'DK'`, `'NO'`, `'FI'`, `'EE'`, `'LV'`, `'LT'`) or your own table.
   * Without it they are plain GTINs.
   */
  variableMeasure?: RegionCode | VariableMeasureTable;
  /** The symbology the scanner reported, when the data carries no AIM identifier. */
  symbology?: Symbology;
  /**
   * `'detect'` reads data with no AIM identifier, no leading FNC1 and no brackets as a GS1
   * element string when it is not a GTIN and parses cleanly: every AI known, every value
   * valid, and at least one check-digit-carrying key (GTIN, SSCC, GLN) with a correct
   * check digit. Keyboard-wedge scanners send GS1 DataBar that way. Turning AIM identifiers
   * on in the scanner is still better where it can be done: it removes all guessing.
   * Default `'marked'`: only marked data is read as GS1.
   */
  gs1?: 'marked' | 'detect';
}

interface Base {
  /** The data as given (after an AIM identifier was split off). */
  readonly data: string;
  readonly symbology?: Symbology;
}

/** A GTIN of any length: a product number to look up. */
export interface ParsedGtin extends Base {
  readonly kind: 'gtin';
  /** The 14-digit form (see `normalizeGtin`). */
  readonly gtin: string;
  /**
   * The GTIN's own format, from its 14-digit form: `'05901234123457'` is a GTIN-13 sent in
   * 14 digits, a UPC-A sent under `]E0` (13 digits) is a GTIN-12.
   */
  readonly format: GtinFormat;
  /** The UPC-E as scanned, when the GTIN was expanded from one. */
  readonly upcE?: string;
  /** ISBN or ISSN when the GTIN is a Bookland or serial number. */
  readonly book?: BookNumber;
  /** A 02/20-29 number whose meaning is local; no table was given or none applies. */
  readonly restrictedCirculation: boolean;
}

/** A variable-measure EAN-13 with an embedded weight, price or count. */
export interface ParsedVariableMeasure extends Base, VariableMeasure {
  readonly kind: 'variable-measure';
  /** The whole code in 14-digit form. */
  readonly gtin: string;
}

/** A GS1 element string (GS1-128, GS1 DataMatrix, GS1 QR, DataBar). */
export interface ParsedGs1 extends Base {
  readonly kind: 'gs1';
  readonly elements: readonly Gs1Element[];
  /** AI (01), when present. */
  readonly gtin?: string;
  /** AI 310n (kg) or 320n (lb). */
  readonly netWeight?: { readonly value: string; readonly unit: 'kg' | 'lb' };
  /** AI 392n or 393n. */
  readonly price?: { readonly amount: string; readonly currencyNumeric?: string };
  /** AI (30) or (37). */
  readonly count?: string;
  /** AI (17), an ISO date. */
  readonly expiry?: string;
  /**
   * The raw rest of the data from the first AI kassa's table does not know: the elements
   * before it are kept, this part is left for the app to read.
   */
  readonly remainder?: string;
}

/** Anything else: a loyalty card, a coupon, a serial number. */
export interface ParsedOther extends Base {
  readonly kind: 'other';
}

/** Data that claims to be a GTIN or GS1 string but fails its checks: never sell it. */
export interface ParsedInvalid extends Base {
  readonly kind: 'invalid';
  readonly code: 'barcode.invalid_check_digit' | 'barcode.invalid_element' | 'barcode.invalid_length';
  readonly message: string;
}

/** What {@link parseBarcode} makes of scanned data. */
export type ParsedBarcode = ParsedGtin | ParsedVariableMeasure | ParsedGs1 | ParsedOther | ParsedInvalid;

type RegionCode = keyof typeof VARIABLE_MEASURE_TABLES;

// How many digits an AIM identifier carries (ISO/IEC 15420: ]E0 is always 13 digits, a UPC-A
// or UPC-E padded with leading zeros; ]E4 is an EAN-8).
const AIM_LENGTH: Readonly<Record<string, number>> = { ']E0': 13, ']E4': 8 };

const GTIN_SYMBOLOGIES = new Set<Symbology>(['ean-13', 'ean-8', 'upc-a', 'upc-e', 'unknown']);

const tableSchema = z.object({
  region: z.string(),
  currency: z.string(),
  prefixes: z.record(
    z.string(),
    z.object({
      measure: z.enum(['weight', 'price', 'count']),
      template: z.string().check(z.regex(/^[PCV]{12}$/)),
      decimals: z.number().check(z.int(), z.minimum(0), z.maximum(5)),
      unit: z.optional(z.string()),
    }),
  ),
});

const inputSchema = z.object({
  data: z.string().check(z.minLength(1), z.maxLength(4096)),
  rules: z.optional(
    z.object({
      variableMeasure: z.optional(
        z.union([z.enum(Object.keys(VARIABLE_MEASURE_TABLES) as [RegionCode, ...RegionCode[]]), tableSchema]),
      ),
      symbology: z.optional(z.string()),
      gs1: z.optional(z.enum(['marked', 'detect'])),
    }),
  ),
});

/**
 * Reads scanned data: strips an AIM identifier, then recognises a GTIN (with UPC-E
 * expansion and ISBN/ISSN), a variable-measure EAN-13 (with a country table), a GS1
 * element string, or other data. Pure: same data, same result.
 *
 * A code that fails its check digit comes back as `{ kind: 'invalid' }`, never as an item.
 *
 * @example
 * ```ts
 * parseBarcode('2812342003759', { variableMeasure: 'DE' });
 * // { kind: 'variable-measure', measure: 'weight', value: '0.375', unit: 'kg', itemGtin: '2812340000002', ... }
 * ```
 * @throws KassaError `device.invalid_input` when `data` is not a non-empty string or the rules are malformed.
 */
export function parseBarcode(data: string, rules?: BarcodeRules): ParsedBarcode {
  const input = parseInput(inputSchema, { data, rules }, 'barcode', 'device.invalid_input');
  const r = input.rules as BarcodeRules | undefined;
  let text = input.data.replace(/[\r\n]+$/, '');
  let symbology = r?.symbology;
  const aim = decodeAim(text);
  if (aim) {
    text = aim.data;
    symbology = aim.symbology;
  }
  const base: Base = symbology ? { data: text, symbology } : { data: text };

  const aimLength = aim ? AIM_LENGTH[aim.aim] : undefined;
  if (aimLength !== undefined && !(text.length === aimLength && /^\d+$/.test(text))) {
    return {
      ...base,
      kind: 'invalid',
      code: 'barcode.invalid_length',
      message: `${aim!.aim} carries ${aimLength} digits, got "${text}"`,
    };
  }

  if (
    symbology === 'gs1-128' ||
    symbology === 'gs1-data-matrix' ||
    symbology === 'gs1-qr-code' ||
    symbology === 'gs1-databar' ||
    looksLikeGs1(text)
  ) {
    return parseGs1(text, base);
  }

  const digits = text.trim();
  const detect = r?.gs1 === 'detect' && !aim && (symbology === undefined || symbology === 'unknown');
  if (!/^\d+$/.test(digits)) return (detect && detectGs1(text, base)) || { ...base, kind: 'other' };
  const mayBeGtin = symbology === undefined || GTIN_SYMBOLOGIES.has(symbology);
  const invalid = (): ParsedBarcode =>
    mayBeGtin
      ? {
          ...base,
          kind: 'invalid',
          code: 'barcode.invalid_check_digit',
          message: `${digits}: wrong check digit`,
        }
      : { ...base, kind: 'other' };

  // Only the symbology can say an 8-digit code is a UPC-E: an EAN-8 that fails its check
  // digit is a misread, and re-reading it as UPC-E would ring up another product.
  if (digits.length === 8 && symbology === 'upc-e') {
    const upcA = expandUpcE(digits);
    if (upcA) return gtinResult(upcA, base, digits);
    return invalid();
  }
  if (gtinFormat(digits) === undefined)
    return (detect && detectGs1(digits, base)) || { ...base, kind: 'other' };
  if (!isValidGtin(digits)) return invalid();

  // Restricted circulation is a property of the GTIN, not of how many digits were sent: the
  // 13-digit form of a 12-, 13- or 14-digit code decides.
  const gtin14 = digits.padStart(14, '0');
  const ean13 = gtin14.slice(1);
  if (gtin14[0] === '0' && isRestrictedCirculation(ean13) && r?.variableMeasure) {
    const table =
      typeof r.variableMeasure === 'string' ? VARIABLE_MEASURE_TABLES[r.variableMeasure] : r.variableMeasure;
    const vm = decodeVariableMeasure(ean13, table);
    if (vm.ok) return { ...base, kind: 'variable-measure', gtin: gtin14, ...vm.value };
    if (vm.reason === 'price_check_digit') {
      return {
        ...base,
        kind: 'invalid',
        code: 'barcode.invalid_check_digit',
        message: `${digits}: wrong price check digit`,
      };
    }
  }
  return gtinResult(digits, base);
}

// Unmarked data is only taken for an element string when nothing in it is a guess.
function detectGs1(text: string, base: Base): ParsedGs1 | undefined {
  if (!/^\d{2}/.test(text)) return undefined;
  const parsed = parseGs1(text, base);
  if (parsed.kind !== 'gs1' || parsed.remainder !== undefined) return undefined;
  return parsed.elements.some((el) => CHECKED_AIS.has(el.ai)) ? parsed : undefined;
}

const CHECKED_AIS = new Set(['00', '01', '02', '03', '410', '411', '412', '413', '414', '415', '416', '417']);

function gtinResult(code: string, base: Base, upcE?: string): ParsedGtin {
  const gtin = code.padStart(14, '0');
  const format = gtinFormatOf(gtin);
  const book = format === 'GTIN-13' ? bookNumber(gtin.slice(1)) : undefined;
  return {
    ...base,
    kind: 'gtin',
    gtin,
    format,
    restrictedCirculation: gtin[0] === '0' && isRestrictedCirculation(gtin.slice(1)),
    ...(upcE ? { upcE } : {}),
    ...(book ? { book } : {}),
  };
}

function parseGs1(text: string, base: Base): ParsedGs1 | ParsedInvalid {
  let elements: Gs1Element[];
  let remainder: string | undefined;
  try {
    ({ elements, remainder } = readGs1ElementString(text));
  } catch (e) {
    if (e instanceof Gs1ParseError) return { ...base, kind: 'invalid', code: e.code, message: e.message };
    throw e;
  }
  const find = (test: (ai: string) => boolean) => elements.find((el) => test(el.ai));
  const gtin = find((ai) => ai === '01');
  const kg = find((ai) => ai.startsWith('310'));
  const lb = find((ai) => ai.startsWith('320'));
  const price = find((ai) => ai.startsWith('392') || ai.startsWith('393'));
  const count = find((ai) => ai === '30' || ai === '37');
  const expiry = find((ai) => ai === '17');
  return {
    ...base,
    kind: 'gs1',
    elements,
    ...(gtin ? { gtin: gtin.value } : {}),
    ...(kg
      ? { netWeight: { value: kg.value, unit: 'kg' as const } }
      : lb
        ? { netWeight: { value: lb.value, unit: 'lb' as const } }
        : {}),
    ...(price
      ? {
          price: price.currencyNumeric
            ? { amount: price.value, currencyNumeric: price.currencyNumeric }
            : { amount: price.value },
        }
      : {}),
    ...(count ? { count: count.value } : {}),
    ...(expiry ? { expiry: expiry.value } : {}),
    ...(remainder !== undefined ? { remainder } : {}),
  };
}
