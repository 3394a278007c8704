import * as z from 'zod/mini';
import { parseInput } from '../../errors.js';
import { decodeAim, type Symbology } from './aim.js';
import { type Gs1Element, Gs1ParseError, looksLikeGs1, parseGs1ElementString } from './gs1.js';
import { type BookNumber, bookNumber, expandUpcE, type GtinFormat, gtinFormat, isValidGtin } from './gtin.js';
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
   * `'SE'`, `'GB'`, `'NL'`) or your own table. Without it they are plain GTINs.
   */
  variableMeasure?: keyof typeof VARIABLE_MEASURE_TABLES | VariableMeasureTable;
  /** The symbology the scanner reported, when the data carries no AIM identifier. */
  symbology?: Symbology;
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
}

/** Anything else: a loyalty card, a coupon, a serial number. */
export interface ParsedOther extends Base {
  readonly kind: 'other';
}

/** Data that claims to be a GTIN or GS1 string but fails its checks: never sell it. */
export interface ParsedInvalid extends Base {
  readonly kind: 'invalid';
  readonly code: 'barcode.invalid_check_digit' | 'barcode.invalid_element';
  readonly message: string;
}

/** What {@link parseBarcode} makes of scanned data. */
export type ParsedBarcode = ParsedGtin | ParsedVariableMeasure | ParsedGs1 | ParsedOther | ParsedInvalid;

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
      variableMeasure: z.optional(z.union([z.enum(['DE', 'SE', 'GB', 'NL']), tableSchema])),
      symbology: z.optional(z.string()),
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
  if (!/^\d+$/.test(digits)) return { ...base, kind: 'other' };
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

  if (digits.length === 8 && (symbology === 'upc-e' || !isValidGtin(digits))) {
    const upcA = expandUpcE(digits);
    if (upcA) return gtinResult(upcA, base, digits);
    return invalid();
  }
  if (gtinFormat(digits) === undefined) return { ...base, kind: 'other' };
  if (!isValidGtin(digits)) return invalid();

  if (digits.length === 13 && isRestrictedCirculation(digits) && r?.variableMeasure) {
    const table =
      typeof r.variableMeasure === 'string' ? VARIABLE_MEASURE_TABLES[r.variableMeasure] : r.variableMeasure;
    const vm = decodeVariableMeasure(digits, table);
    if (vm.ok) return { ...base, kind: 'variable-measure', gtin: digits.padStart(14, '0'), ...vm.value };
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

function gtinResult(code: string, base: Base, upcE?: string): ParsedGtin {
  const book = code.length === 13 ? bookNumber(code) : undefined;
  return {
    ...base,
    kind: 'gtin',
    gtin: code.padStart(14, '0'),
    format: gtinFormat(code)!,
    restrictedCirculation: code.length === 13 && isRestrictedCirculation(code),
    ...(upcE ? { upcE } : {}),
    ...(book ? { book } : {}),
  };
}

function parseGs1(text: string, base: Base): ParsedBarcode {
  let elements: Gs1Element[];
  try {
    elements = parseGs1ElementString(text);
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
  };
}
