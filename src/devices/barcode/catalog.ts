import { KassaError } from '../../errors.js';
import type { ParsedBarcode } from './parse.js';

/** A product as a barcode resolves it. Structurally the cart's `CatalogProduct`. */
export interface CatalogItem {
  readonly sku: string;
  readonly name?: string;
  /** Decimal string; per `unit` for measured goods (price per kg). */
  readonly unitPrice: string;
  /** `'each'` (default) or a measure unit: `'kg'`, `'g'`, `'lb'`. */
  readonly unit?: string;
}

/**
 * The product lookup port barcodes need. Either shape works: a `lookupByGtin` that receives
 * the 14-digit GTIN (pad your keys with `normalizeGtin`), or the cart's own catalog, whose
 * `lookup(code)` ignores leading zeros.
 */
export type BarcodeCatalog =
  | { lookupByGtin(gtin14: string): CatalogItem | undefined }
  | { lookup(code: string): CatalogItem | undefined };

/** The cart's add command: `quantity` is a decimal string; `unitPrice` overrides the catalog. */
export interface CartAddCommand {
  readonly sku: string;
  readonly quantity: string;
  readonly unitPrice?: string;
}

/** A scale reading as {@link toAddCommand} needs it (a `ScaleReading` fits). */
export interface WeightLike {
  /** Decimal string. */
  readonly weight: string;
  readonly unit: string;
  readonly stable: boolean;
}

/** Result of {@link toAddCommand}: a command to send to the cart, or why there is none. */
export type AddCommandResult =
  | {
      readonly ok: true;
      readonly command: CartAddCommand;
      readonly item: CatalogItem;
      readonly parsed: ParsedBarcode;
    }
  | { readonly ok: false; readonly error: KassaError; readonly parsed: ParsedBarcode };

function find(catalog: BarcodeCatalog, gtin14: string): CatalogItem | undefined {
  return 'lookupByGtin' in catalog ? catalog.lookupByGtin(gtin14) : catalog.lookup(gtin14);
}

// Grams per unit as an exact fraction (numerator, power of ten below it): 1 lb is
// 453.59237 g by definition.
const GRAMS_PER: Record<string, readonly [bigint, bigint]> = {
  kg: [1000n, 1n],
  g: [1n, 1n],
  lb: [45359237n, 100000n],
};
const WEIGHT = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const SIX_PLACES = 1000000n;

/**
 * Converts a weight between kg, g and lb exactly, rounded half up to at most 6 decimals.
 * In BigInt rather than decimal.js: this is the only arithmetic of kassa/devices, and a
 * scanner page should not ship a decimal library for it.
 */
export function convertWeight(value: string, from: string, to: string): string | undefined {
  if (from === to) return value;
  const f = GRAMS_PER[from];
  const t = GRAMS_PER[to];
  const m = WEIGHT.exec(value.trim());
  if (!f || !t || !m || (m[2] === '' && !m[3])) return undefined;
  const decimals = m[3] ?? '';
  const digits = BigInt(`${m[2] || '0'}${decimals}`);
  // value × f / t = (digits / 10^d) × (f0 / f1) / (t0 / t1), computed in millionths.
  const num = digits * f[0] * t[1] * SIX_PLACES;
  const den = 10n ** BigInt(decimals.length) * f[1] * t[0];
  let q = num / den;
  if ((num % den) * 2n >= den) q += 1n; // half up (away from zero; the sign is applied after)
  const whole = q / SIX_PLACES;
  const fraction = (q % SIX_PLACES).toString().padStart(6, '0').replace(/0+$/, '');
  const negative = m[1] === '-' && q !== 0n;
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Whether a decimal string is above zero. */
function isPositive(value: string): boolean {
  const m = WEIGHT.exec(value.trim());
  return m !== null && m[1] !== '-' && /[1-9]/.test(`${m[2]}${m[3] ?? ''}`);
}

function isMeasured(item: CatalogItem): boolean {
  return item.unit !== undefined && item.unit !== 'each';
}

function fail(
  parsed: ParsedBarcode,
  code: KassaError['code'],
  message: string,
  details = {},
): AddCommandResult {
  return { ok: false, parsed, error: new KassaError(code, message, { data: parsed.data, ...details }) };
}

function weighed(parsed: ParsedBarcode, item: CatalogItem, weight: string, unit: string): AddCommandResult {
  const quantity = convertWeight(weight, unit, item.unit ?? 'kg');
  if (quantity === undefined) {
    return fail(
      parsed,
      'barcode.unit_mismatch',
      `${item.sku} is sold per ${item.unit}, the code carries ${unit}`,
    );
  }
  if (!isPositive(quantity))
    return fail(parsed, 'device.invalid_weight', `weight ${weight} ${unit} is not positive`);
  return { ok: true, parsed, item, command: { sku: item.sku, quantity, unitPrice: item.unitPrice } };
}

/**
 * Turns a parsed barcode into the cart's add command, through the catalog. Pure.
 *
 * - A GTIN adds one unit at the catalog price. An item sold by weight needs a `weight`
 *   (a stable, positive scale reading); without one the result is `barcode.weight_required`.
 * - An embedded weight (variable-measure EAN-13, or GS1 AI 310n/320n) becomes the measured
 *   quantity in the item's unit (`'0.375'` kg) at the catalog's price per unit.
 * - An embedded price (EAN-13 price layouts, AI 392n) becomes quantity 1 with `unitPrice`
 *   set to the printed price: the label is what the customer pays, so kassa never turns it
 *   back into a rounded weight.
 * - An embedded count becomes the quantity.
 * - An invalid code (wrong check digit) is never an item: the result is an error.
 */
export function toAddCommand(
  parsed: ParsedBarcode,
  catalog: BarcodeCatalog,
  options: { weight?: WeightLike } = {},
): AddCommandResult {
  switch (parsed.kind) {
    case 'invalid':
      return fail(parsed, parsed.code, parsed.message);
    case 'other':
      return fail(parsed, 'barcode.unknown_product', `"${parsed.data}" is not a product code`);
    case 'variable-measure': {
      const item = find(catalog, parsed.itemGtin.padStart(14, '0'));
      if (!item)
        return fail(parsed, 'barcode.unknown_product', `no product for item ${parsed.itemReference}`);
      if (parsed.measure === 'weight') return weighed(parsed, item, parsed.value, parsed.unit ?? 'kg');
      if (parsed.measure === 'price') {
        return { ok: true, parsed, item, command: { sku: item.sku, quantity: '1', unitPrice: parsed.value } };
      }
      return { ok: true, parsed, item, command: { sku: item.sku, quantity: parsed.value } };
    }
    case 'gs1': {
      if (!parsed.gtin) return fail(parsed, 'barcode.unknown_product', 'the element string has no GTIN (01)');
      const item = find(catalog, parsed.gtin);
      if (!item) return fail(parsed, 'barcode.unknown_product', `no product for GTIN ${parsed.gtin}`);
      if (parsed.netWeight) return weighed(parsed, item, parsed.netWeight.value, parsed.netWeight.unit);
      if (parsed.price) {
        return {
          ok: true,
          parsed,
          item,
          command: { sku: item.sku, quantity: '1', unitPrice: parsed.price.amount },
        };
      }
      if (parsed.count && !isMeasured(item)) {
        return { ok: true, parsed, item, command: { sku: item.sku, quantity: String(Number(parsed.count)) } };
      }
      return plain(parsed, item, options.weight);
    }
    case 'gtin': {
      const item = find(catalog, parsed.gtin);
      if (!item) return fail(parsed, 'barcode.unknown_product', `no product for GTIN ${parsed.gtin}`);
      return plain(parsed, item, options.weight);
    }
  }
}

function plain(parsed: ParsedBarcode, item: CatalogItem, weight: WeightLike | undefined): AddCommandResult {
  if (!isMeasured(item)) return { ok: true, parsed, item, command: { sku: item.sku, quantity: '1' } };
  if (!weight)
    return fail(parsed, 'barcode.weight_required', `${item.sku} is sold per ${item.unit}; weigh it`);
  if (!weight.stable) return fail(parsed, 'device.unstable_weight', 'the scale is not stable');
  return weighed(parsed, item, weight.weight, weight.unit);
}
