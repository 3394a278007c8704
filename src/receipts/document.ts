import * as z from 'zod/mini';
import { parseInput } from '../errors.js';
import { hasOnlyKeys, isPlainArray, isPlainRecord } from '../plain.js';
import { gs1CheckDigit, upcEToUpcABody } from '../symbology/index.js';

/** Horizontal alignment of a block or a column. */
export type Align = 'left' | 'center' | 'right';

/**
 * Character style. `width` and `height` are the printer's magnification (1 to 8); a
 * character of width 2 takes two columns.
 */
export interface TextStyle {
  bold?: boolean;
  underline?: boolean;
  /** White on black. */
  invert?: boolean;
  width?: number;
  height?: number;
}

/** A piece of text in one style. */
export interface TextRun extends TextStyle {
  text: string;
}

/** Text that wraps at word boundaries to the paper width. `\n` forces a line break. */
export interface TextBlock {
  type: 'text';
  /** A string in the block's style, or styled runs. */
  text: string | readonly TextRun[];
  align?: Align;
  /** Applies to every run; a run's own style wins. */
  style?: TextStyle;
}

/** One column of a {@link RowBlock}. */
export interface RowColumn {
  text: string;
  /**
   * Width in columns of normal-size text. Columns without a width share what is left.
   * A layout whose fixed widths do not fit the paper is rejected (`receipt.layout_too_wide`).
   */
  width?: number;
  align?: Align;
  style?: TextStyle;
}

/** Columns side by side; each column wraps within its own width. */
export interface RowBlock {
  type: 'row';
  columns: readonly RowColumn[];
  /** Spaces between columns; default 1. */
  gap?: number;
  style?: TextStyle;
}

/** A horizontal line of one repeated character across the paper. */
export interface RuleBlock {
  type: 'rule';
  /** Default `'-'`. */
  char?: string;
}

/** Empty lines. */
export interface BlankBlock {
  type: 'blank';
  /** Default 1. */
  lines?: number;
}

/** Barcode symbologies ESC/POS printers draw natively (GS k). */
export type Symbology =
  | 'upca'
  | 'upce'
  | 'ean13'
  | 'ean8'
  | 'code39'
  | 'itf'
  | 'codabar'
  | 'code93'
  | 'code128';

/** A one-dimensional barcode, drawn by the printer itself. */
export interface BarcodeBlock {
  type: 'barcode';
  symbology: Symbology;
  /** The data; for EAN/UPC with or without the check digit (it is computed when absent). */
  value: string;
  /** Bar height in dots; default 60. */
  height?: number;
  /** Print the human-readable value below the bars; default true. */
  hri?: boolean;
  /** Default `'center'`. */
  align?: Align;
}

/** A QR code (model 2), drawn by the printer itself. */
export interface QrBlock {
  type: 'qr';
  data: string;
  /** Module size in dots, 1 to 16; default 6. */
  size?: number;
  /** Error correction level; default `'M'`. */
  errorLevel?: 'L' | 'M' | 'Q' | 'H';
  /** Default `'center'`. */
  align?: Align;
}

/**
 * A bitmap (a logo). `pixels` holds grey levels (one byte per pixel, 0 black, 255 white) or
 * RGBA (four bytes per pixel, as a canvas `ImageData` gives them), row by row. Images wider
 * than the printer are scaled down; they are dithered to black and white at print time.
 */
export interface ImageBlock {
  type: 'image';
  width: number;
  height: number;
  pixels: Uint8Array | Uint8ClampedArray;
  /** Default `'center'`. */
  align?: Align;
  /** Default `'floyd-steinberg'`. */
  dither?: 'floyd-steinberg' | 'threshold';
}

/** Feed to the cutter and cut the paper. */
export interface CutBlock {
  type: 'cut';
  /** Leave a hinge; default false. */
  partial?: boolean;
}

/** Kick the cash drawer. */
export interface DrawerBlock {
  type: 'drawer';
  /** The connector pin the drawer is wired to; default 2. */
  pin?: 2 | 5;
  /** Pulse on time in milliseconds (2 to 510); default 100. */
  onMs?: number;
  /** Pulse off time in milliseconds (2 to 510); default 500. */
  offMs?: number;
}

/** Any block of a receipt. */
export type ReceiptBlock =
  | TextBlock
  | RowBlock
  | RuleBlock
  | BlankBlock
  | BarcodeBlock
  | QrBlock
  | ImageBlock
  | CutBlock
  | DrawerBlock;

/**
 * A receipt as plain data: what to print, not how a given printer prints it. Build one by
 * hand or with `buildReceipt`, then render it with `toEscPos`, `toText`, `toHtml` or `toSvg`.
 */
export interface ReceiptDocument {
  /** Paper width in columns of normal text: 32 for 58 mm paper, 42 or 48 for 80 mm. */
  columns: number;
  blocks: ReceiptBlock[];
  /** BCP 47 language of the text, for the `lang` attribute of HTML. */
  lang?: string;
  /** A title for the HTML page and the SVG. */
  title?: string;
}

const size = z.optional(z.int().check(z.gte(1), z.lte(8)));
const styleShape = {
  bold: z.optional(z.boolean()),
  underline: z.optional(z.boolean()),
  invert: z.optional(z.boolean()),
  width: size,
  height: size,
};
const style = z.optional(z.object(styleShape));
const align = z.optional(z.enum(['left', 'center', 'right']));

const NUMERIC = /^[0-9]+$/;
const barcodeRules: Record<Symbology, { test: RegExp; what: string }> = {
  ean13: { test: /^[0-9]{12,13}$/, what: '12 or 13 digits' },
  ean8: { test: /^[0-9]{7,8}$/, what: '7 or 8 digits' },
  upca: { test: /^[0-9]{11,12}$/, what: '11 or 12 digits' },
  upce: { test: /^[0-9]{6,8}$/, what: '6 to 8 digits' },
  itf: { test: /^(?:[0-9]{2}){1,127}$/, what: 'an even number of digits' },
  code39: { test: /^[0-9A-Z $%+\-./]{1,200}$/, what: 'digits, capitals, space and $%+-./' },
  codabar: { test: /^[A-Da-d][0-9$+\-./:]{1,200}[A-Da-d]$/, what: 'A-D, digits and $+-./:, A-D' },
  code93: { test: /^[\x20-\x7e]{1,200}$/, what: 'printable ASCII' },
  code128: { test: /^[\x20-\x7e]{1,200}$/, what: 'printable ASCII' },
};

export { gs1CheckDigit };

// The capacity of the largest QR symbol (version 40) per error level, in characters of each
// mode (ISO/IEC 18004 table 7). Epson's GS ( k store command takes at most 7,089 data bytes,
// which is the numeric-mode limit, so the symbol's limit is the one that bites.
const QR_CAPACITY = {
  numeric: { L: 7089, M: 5596, Q: 3993, H: 3057 },
  alphanumeric: { L: 4296, M: 3391, Q: 2420, H: 1852 },
  byte: { L: 2953, M: 2331, Q: 1663, H: 1273 },
} as const;
const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;
const utf8 = new TextEncoder();

/**
 * Why QR data does not fit a QR code at its error level, or `undefined`. Printers encode the
 * UTF-8 bytes, so the limit is checked in bytes for byte mode (3,000 euro signs are 9,000
 * bytes), in characters for the numeric and alphanumeric modes. @internal
 */
export function qrIssue(q: {
  data: string;
  errorLevel?: QrBlock['errorLevel'] | undefined;
}): string | undefined {
  const level = q.errorLevel ?? 'M';
  const mode = /^[0-9]*$/.test(q.data) ? 'numeric' : QR_ALPHANUMERIC.test(q.data) ? 'alphanumeric' : 'byte';
  const length = mode === 'byte' ? utf8.encode(q.data).length : q.data.length;
  const max = QR_CAPACITY[mode][level];
  if (length <= max) return undefined;
  const unit = mode === 'byte' ? 'bytes' : 'characters';
  return `QR data is ${length} ${unit} in ${mode} mode; level ${level} holds at most ${max}`;
}

const FULL_LENGTH: Partial<Record<Symbology, number>> = { ean13: 13, ean8: 8, upca: 12 };

/** Why a value cannot be encoded in its symbology, or `undefined`. @internal */
export function barcodeIssue(b: { symbology: Symbology; value: string }): string | undefined {
  const rule = barcodeRules[b.symbology];
  if (!rule.test.test(b.value)) return `a ${b.symbology} value must be ${rule.what}`;
  if (b.symbology === 'upce' && b.value.length >= 7) {
    const ns = b.value[0]!;
    if (ns !== '0' && ns !== '1') return `a UPC-E number system is 0 or 1, not ${ns}`;
    const check = gs1CheckDigit(upcEToUpcABody(ns, b.value.slice(1, 7)));
    if (b.value.length === 8 && String(check) !== b.value[7]) return `wrong check digit, expected ${check}`;
  }
  const full = FULL_LENGTH[b.symbology];
  if (full !== undefined && b.value.length === full && NUMERIC.test(b.value)) {
    const expected = gs1CheckDigit(b.value.slice(0, -1));
    if (String(expected) !== b.value.slice(-1)) return `wrong check digit, expected ${expected}`;
  }
  return undefined;
}

const ms = z.optional(z.int().check(z.gte(2), z.lte(510)));

const blockSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.union([z.string(), z.array(z.object({ text: z.string(), ...styleShape }))]),
    align,
    style,
  }),
  z.object({
    type: z.literal('row'),
    columns: z
      .array(
        z.object({
          text: z.string(),
          width: z.optional(z.int().check(z.gte(1))),
          align,
          style,
        }),
      )
      .check(z.minLength(1)),
    gap: z.optional(z.int().check(z.gte(0), z.lte(16))),
    style,
  }),
  z.object({ type: z.literal('rule'), char: z.optional(z.string().check(z.length(1))) }),
  z.object({ type: z.literal('blank'), lines: z.optional(z.int().check(z.gte(1), z.lte(255))) }),
  z
    .object({
      type: z.literal('barcode'),
      symbology: z.enum(['upca', 'upce', 'ean13', 'ean8', 'code39', 'itf', 'codabar', 'code93', 'code128']),
      value: z.string(),
      height: z.optional(z.int().check(z.gte(1), z.lte(255))),
      hri: z.optional(z.boolean()),
      align,
    })
    .check(
      z.refine((b) => barcodeIssue(b) === undefined, {
        error: (issue) => barcodeIssue(issue.input as BarcodeBlock) ?? 'invalid barcode',
        path: ['value'],
        params: { code: 'receipt.invalid_barcode' },
      }),
    ),
  z
    .object({
      type: z.literal('qr'),
      data: z.string().check(z.minLength(1), z.maxLength(7089)),
      size: z.optional(z.int().check(z.gte(1), z.lte(16))),
      errorLevel: z.optional(z.enum(['L', 'M', 'Q', 'H'])),
      align,
    })
    .check(
      z.refine((q) => qrIssue(q) === undefined, {
        error: (issue) => qrIssue(issue.input as QrBlock) ?? 'QR data too long',
        path: ['data'],
        params: { code: 'receipt.qr_too_large' },
      }),
    ),
  z
    .object({
      type: z.literal('image'),
      width: z.int().check(z.gte(1), z.lte(65535)),
      height: z.int().check(z.gte(1), z.lte(65535)),
      pixels: z.custom<Uint8Array | Uint8ClampedArray>(
        (v) => v instanceof Uint8Array || v instanceof Uint8ClampedArray,
        { message: 'expected a Uint8Array or Uint8ClampedArray' },
      ),
      align,
      dither: z.optional(z.enum(['floyd-steinberg', 'threshold'])),
    })
    .check(
      z.refine((i) => i.pixels.length === i.width * i.height || i.pixels.length === i.width * i.height * 4, {
        message: 'pixels must hold width x height grey bytes or RGBA quadruples',
        path: ['pixels'],
      }),
    ),
  z.object({ type: z.literal('cut'), partial: z.optional(z.boolean()) }),
  z.object({
    type: z.literal('drawer'),
    pin: z.optional(z.union([z.literal(2), z.literal(5)])),
    onMs: ms,
    offMs: ms,
  }),
]);

/** The schema of a document. @internal */
export const documentSchema = z.object({
  columns: z.int().check(z.gte(8), z.lte(255)),
  blocks: z.array(blockSchema),
  lang: z.optional(z.string()),
  title: z.optional(z.string()),
});

/**
 * The value a barcode encodes, with its check digit for EAN-13, EAN-8 and UPC-A (the
 * printer adds it; the decoder gives it back).
 */
export function fullBarcodeValue(b: Pick<BarcodeBlock, 'symbology' | 'value'>): string {
  const full = FULL_LENGTH[b.symbology];
  if (full === undefined || b.value.length === full) return b.value;
  return b.value + String(gs1CheckDigit(b.value));
}

// The plain check: the schema above restated as plain code for documents zod would accept and
// return unchanged. zod/mini parses by copying every object, which costs as much as encoding the
// receipt; this check costs a tenth of that. It never decides an error: whatever it does not
// accept goes to zod, so codes, paths and messages stay zod's. test/receipts/plain-check.test.ts
// pins it to the schema.

const intIn = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const optInt = (v: unknown, min: number, max: number): boolean => v === undefined || intIn(v, min, max);
const optBool = (v: unknown): boolean => v === undefined || typeof v === 'boolean';
const optAlign = (v: unknown): boolean => v === undefined || v === 'left' || v === 'center' || v === 'right';

const STYLE_KEYS = new Set(['bold', 'underline', 'invert', 'width', 'height']);
const RUN_KEYS = new Set(['text', ...STYLE_KEYS]);
const KEYS: Record<ReceiptBlock['type'], ReadonlySet<string>> = {
  text: new Set(['type', 'text', 'align', 'style']),
  row: new Set(['type', 'columns', 'gap', 'style']),
  rule: new Set(['type', 'char']),
  blank: new Set(['type', 'lines']),
  barcode: new Set(['type', 'symbology', 'value', 'height', 'hri', 'align']),
  qr: new Set(['type', 'data', 'size', 'errorLevel', 'align']),
  image: new Set(['type', 'width', 'height', 'pixels', 'align', 'dither']),
  cut: new Set(['type', 'partial']),
  drawer: new Set(['type', 'pin', 'onMs', 'offMs']),
};
const COLUMN_KEYS = new Set(['text', 'width', 'align', 'style']);
const DOCUMENT_KEYS = new Set(['columns', 'blocks', 'lang', 'title']);

function styleFields(s: Record<string, unknown>): boolean {
  return (
    optBool(s.bold) &&
    optBool(s.underline) &&
    optBool(s.invert) &&
    optInt(s.width, 1, 8) &&
    optInt(s.height, 1, 8)
  );
}

function optStyle(s: unknown): boolean {
  return s === undefined || (isPlainRecord(s) && hasOnlyKeys(s, STYLE_KEYS) && styleFields(s));
}

function plainBlock(b: unknown): boolean {
  if (!isPlainRecord(b)) return false;
  const type = b.type;
  if (typeof type !== 'string' || !Object.hasOwn(KEYS, type)) return false;
  if (!hasOnlyKeys(b, KEYS[type as ReceiptBlock['type']])) return false;
  switch (type as ReceiptBlock['type']) {
    case 'text': {
      const text = b.text;
      if (typeof text !== 'string') {
        if (!isPlainArray(text)) return false;
        for (let i = 0; i < text.length; i++) {
          const run = text[i];
          if (
            !isPlainRecord(run) ||
            !hasOnlyKeys(run, RUN_KEYS) ||
            typeof run.text !== 'string' ||
            !styleFields(run)
          )
            return false;
        }
      }
      return optAlign(b.align) && optStyle(b.style);
    }
    case 'row': {
      const cols = b.columns;
      if (!isPlainArray(cols) || cols.length < 1) return false;
      for (let i = 0; i < cols.length; i++) {
        const c = cols[i];
        if (!isPlainRecord(c) || !hasOnlyKeys(c, COLUMN_KEYS) || typeof c.text !== 'string') return false;
        if (!optInt(c.width, 1, Number.MAX_SAFE_INTEGER) || !optAlign(c.align) || !optStyle(c.style))
          return false;
      }
      return optInt(b.gap, 0, 16) && optStyle(b.style);
    }
    case 'rule':
      return b.char === undefined || (typeof b.char === 'string' && b.char.length === 1);
    case 'blank':
      return optInt(b.lines, 1, 255);
    case 'barcode':
      return (
        typeof b.symbology === 'string' &&
        Object.hasOwn(barcodeRules, b.symbology) &&
        typeof b.value === 'string' &&
        optInt(b.height, 1, 255) &&
        optBool(b.hri) &&
        optAlign(b.align) &&
        barcodeIssue(b as unknown as BarcodeBlock) === undefined
      );
    case 'qr':
      return (
        typeof b.data === 'string' &&
        b.data.length >= 1 &&
        b.data.length <= 7089 &&
        optInt(b.size, 1, 16) &&
        qrIssue(b as unknown as QrBlock) === undefined &&
        (b.errorLevel === undefined ||
          b.errorLevel === 'L' ||
          b.errorLevel === 'M' ||
          b.errorLevel === 'Q' ||
          b.errorLevel === 'H') &&
        optAlign(b.align)
      );
    case 'image': {
      const { width, height, pixels } = b;
      if (!intIn(width, 1, 65535) || !intIn(height, 1, 65535)) return false;
      if (!(pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray)) return false;
      const area = (width as number) * (height as number);
      return (
        (pixels.length === area || pixels.length === area * 4) &&
        optAlign(b.align) &&
        (b.dither === undefined || b.dither === 'floyd-steinberg' || b.dither === 'threshold')
      );
    }
    case 'cut':
      return optBool(b.partial);
    case 'drawer':
      return (
        (b.pin === undefined || b.pin === 2 || b.pin === 5) &&
        optInt(b.onMs, 2, 510) &&
        optInt(b.offMs, 2, 510)
      );
  }
}

/**
 * Whether the document schema would accept `doc` and return it unchanged. `false` says
 * nothing about validity: such a document is checked by zod.
 * @internal
 */
export function isPlainValidDocument(doc: unknown): doc is ReceiptDocument {
  if (!isPlainRecord(doc) || !hasOnlyKeys(doc, DOCUMENT_KEYS)) return false;
  if (!intIn(doc.columns, 8, 255)) return false;
  if (doc.lang !== undefined && typeof doc.lang !== 'string') return false;
  if (doc.title !== undefined && typeof doc.title !== 'string') return false;
  const blocks = doc.blocks;
  if (!isPlainArray(blocks)) return false;
  for (let i = 0; i < blocks.length; i++) if (!plainBlock(blocks[i])) return false;
  return true;
}

const frozen = new WeakSet<object>();

/**
 * Checks a document and returns it unchanged (the caller's own object, so images are not
 * copied). A document from {@link freezeDocument} was checked once and cannot have changed
 * since, so it is not checked again.
 * @throws KassaError `receipt.invalid_document` (or `receipt.invalid_barcode`) naming the bad field.
 * @internal
 */
export function validateDocument(doc: unknown): ReceiptDocument {
  if (typeof doc === 'object' && doc !== null && frozen.has(doc)) return doc as ReceiptDocument;
  if (isPlainValidDocument(doc)) return doc;
  parseInput(documentSchema, doc, 'receipt document', 'receipt.invalid_document');
  return doc as ReceiptDocument;
}

function deepFreeze(value: unknown): void {
  // Typed arrays cannot be frozen; their length cannot change, which is all validation checked.
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value))
    return;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  Object.freeze(value);
}

/**
 * Validates a document once and freezes it (deeply), so that every renderer it is then
 * given skips validation: render one receipt to ESC/POS, text and HTML for the price of
 * one check. `buildReceipt` returns frozen documents already.
 *
 * @throws KassaError `receipt.invalid_document` (or `receipt.invalid_barcode`) naming the bad field.
 */
export function freezeDocument<T extends ReceiptDocument>(doc: T): Readonly<T> {
  validateDocument(doc);
  deepFreeze(doc);
  frozen.add(doc);
  return doc;
}
