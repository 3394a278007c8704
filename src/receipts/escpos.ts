import * as z from 'zod/mini';
import { KassaError, parseInput } from '../errors.js';
import { upcEToUpcABody } from '../symbology/index.js';
import { type CodepageName, encodeTable, transliterate } from './codepages.js';
import {
  type Align,
  type BarcodeBlock,
  fullBarcodeValue,
  type QrBlock,
  type ReceiptDocument,
  type Symbology,
  validateDocument,
} from './document.js';
import { type Bitmap, dotAt, rasterize } from './image.js';
import { type LaidLine, layout, PLAIN, type Style } from './layout.js';
import type { PrinterProfile } from './profiles.js';

const ESC = 0x1b;
const GS = 0x1d;
const LF = 0x0a;

/** A growable byte buffer; receipts are built append-only. */
class Bytes {
  buf = new Uint8Array(2048);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  push(...bytes: number[]): void {
    this.ensure(bytes.length);
    for (const b of bytes) this.buf[this.len++] = b;
  }
  pushArray(bytes: ArrayLike<number>): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
  ascii(text: string): void {
    this.ensure(text.length);
    for (let i = 0; i < text.length; i++) this.buf[this.len++] = text.charCodeAt(i);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** For each character a profile can print: the codepage (by index in the profile) and byte. */
type CharMap = Map<number, number>;
const charMaps = new WeakMap<PrinterProfile, CharMap>();

function charMapOf(profile: PrinterProfile): CharMap {
  let map = charMaps.get(profile);
  if (!map) {
    map = new Map();
    profile.codepages.forEach((cp, index) => {
      for (const [code, byte] of encodeTable(cp.name))
        if (!map!.has(code)) map!.set(code, (index << 8) | byte);
    });
    charMaps.set(profile, map);
  }
  return map;
}

/**
 * What a profile prints for `text`: the text itself where a codepage has the character, a
 * transliteration otherwise (`ő` as `o`, `€` as `EUR`), and `?` where there is none. Exposed
 * so an app can show the cashier what the printer will print.
 */
export function printableText(text: string, profile: PrinterProfile): string {
  const map = charMapOf(profile);
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code < 0x7f) || code === 0x0a || map.has(code)) {
      out += ch;
      continue;
    }
    // Full-width and other compatibility forms (ja-JP's U+FFE5 yen sign) have a plain twin.
    const compat = ch.normalize('NFKC');
    if (compat !== ch && [...compat].every((c) => c.charCodeAt(0) < 0x7f || map.has(c.codePointAt(0)!))) {
      out += compat;
      continue;
    }
    out += transliterate(ch) ?? (compat !== ch ? transliterate(compat) : undefined) ?? '?';
  }
  return out;
}

const profileSchema = z.object({
  id: z.string(),
  dots: z.int().check(z.gte(64), z.lte(4096)),
  fonts: z.object({
    A: z.int().check(z.gte(8), z.lte(255)),
    B: z.optional(z.int().check(z.gte(8), z.lte(255))),
  }),
  codepages: z
    .array(
      z.object({
        name: z.enum(['cp437', 'cp858', 'cp1252', 'iso8859-15', 'cp866']),
        id: z.int().check(z.gte(0), z.lte(255)),
      }),
    )
    .check(z.minLength(1)),
  barcodes: z.array(z.string()),
  language: z.optional(z.enum(['esc-pos', 'star-prnt'])),
  realtimeSwitch: z.optional(z.boolean()),
  qr: z.boolean(),
  cutter: z.boolean(),
  drawer: z.boolean(),
});
const validProfiles = new WeakSet<PrinterProfile>();

/** @internal */
export function validateProfile(profile: unknown): PrinterProfile {
  if (validProfiles.has(profile as PrinterProfile)) return profile as PrinterProfile;
  parseInput(profileSchema, profile, 'printer profile', 'receipt.invalid_profile');
  validProfiles.add(profile as PrinterProfile);
  return profile as PrinterProfile;
}

const ALIGN: Record<Align, number> = { left: 0, center: 1, right: 2 };

/** The GS k function number (format B) of each symbology. */
export const BARCODE_TYPE: Record<Symbology, number> = {
  upca: 65,
  upce: 66,
  ean13: 67,
  ean8: 68,
  code39: 69,
  itf: 70,
  codabar: 71,
  code93: 72,
  code128: 73,
};

/** Printer state, tracked so a command is sent only when something changes. */
interface State {
  bold: boolean;
  underline: boolean;
  invert: boolean;
  size: number;
  align: number;
  codepage: number;
  table: Map<number, number>;
}

/**
 * The command bytes of one printer language. ESC/POS and StarPRNT share the layout, the
 * codepage logic and the state tracking; only these bytes differ.
 */
interface Dialect {
  init(codepage: number): number[];
  /** Selects font B, the narrower one. */
  fontB(): number[];
  /** Switches off real-time commands (`DLE DC4` pulse and power-off) for the job. */
  realtimeOff(): number[];
  codepage(id: number): number[];
  align(n: number): number[];
  bold(on: boolean): number[];
  underline(on: boolean): number[];
  invert(on: boolean): number[];
  /** `size` packs (width - 1) << 4 | (height - 1). */
  size(size: number): number[];
  barcode(out: Bytes, b: BarcodeBlock, module: number): void;
  qr(out: Bytes, data: Uint8Array, size: number, level: 'L' | 'M' | 'Q' | 'H'): void;
  image(out: Bytes, bitmap: Bitmap): void;
  cut(partial: boolean): number[];
  feed(lines: number): number[];
  drawer(pin: 2 | 5, onMs: number, offMs: number): number[];
}

const clampByte = (n: number): number => Math.max(1, Math.min(255, Math.round(n)));

const ESCPOS: Dialect = {
  init: (cp) => [ESC, 0x40, ESC, 0x74, cp],
  fontB: () => [ESC, 0x4d, 1],
  // GS ( D pL pH m=20, then (a, b) pairs: a = 1 the DLE DC4 pulse, a = 2 power-off; b = 0 off.
  realtimeOff: () => [GS, 0x28, 0x44, 5, 0, 20, 1, 0, 2, 0],
  codepage: (id) => [ESC, 0x74, id],
  align: (n) => [ESC, 0x61, n],
  bold: (on) => [ESC, 0x45, on ? 1 : 0],
  underline: (on) => [ESC, 0x2d, on ? 1 : 0],
  invert: (on) => [GS, 0x42, on ? 1 : 0],
  size: (size) => [GS, 0x21, size],
  barcode(out, b, module) {
    const { data } = barcodeData(b);
    out.push(GS, 0x68, b.height ?? 60, GS, 0x77, module, GS, 0x48, b.hri === false ? 0 : 2);
    out.push(GS, 0x6b, BARCODE_TYPE[b.symbology], data.length);
    out.ascii(data);
  },
  qr(out, data, size, level) {
    const n = data.length + 3;
    out.push(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0); // model 2
    out.push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, size);
    out.push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, QR_LEVEL[level]);
    out.push(GS, 0x28, 0x6b, n & 0xff, n >> 8, 0x31, 0x50, 0x30);
    out.pushArray(data);
    out.push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30);
  },
  image(out, bitmap) {
    const x = bitmap.bytesPerRow;
    // Printers buffer a raster command whole; bands of at most 255 rows keep it small.
    for (let y = 0; y < bitmap.height; y += 255) {
      const rows = Math.min(255, bitmap.height - y);
      out.push(GS, 0x76, 0x30, 0, x & 0xff, x >> 8, rows, 0);
      out.pushArray(bitmap.data.subarray(y * x, (y + rows) * x));
    }
  },
  cut: (partial) => [GS, 0x56, partial ? 0x42 : 0x41, 0],
  feed: (lines) => [ESC, 0x64, lines],
  drawer: (pin, onMs, offMs) => [ESC, 0x70, pin === 5 ? 1 : 0, clampByte(onMs / 2), clampByte(offMs / 2)],
};

/** StarPRNT symbology numbers (`ESC b n1`). */
const STAR_BARCODE: Record<Symbology, number> = {
  upce: 0,
  upca: 1,
  ean8: 2,
  ean13: 3,
  code39: 4,
  itf: 5,
  code128: 6,
  code93: 7,
  codabar: 8,
};

const STAR: Dialect = {
  init: (cp) => [ESC, 0x40, 0x18, ESC, GS, 0x74, cp],
  fontB: () => [ESC, 0x1e, 0x46, 1],
  realtimeOff: () => [],
  codepage: (id) => [ESC, GS, 0x74, id],
  align: (n) => [ESC, GS, 0x61, n],
  bold: (on) => [ESC, on ? 0x45 : 0x46],
  underline: (on) => [ESC, 0x2d, on ? 1 : 0],
  invert: (on) => [ESC, on ? 0x34 : 0x35],
  // ESC i takes the height first; Star magnifies up to six times.
  size: (size) => [ESC, 0x69, Math.min(5, size & 0x0f), Math.min(5, size >> 4)],
  barcode(out, b, module) {
    // Star picks the CODE128 code set itself, so the value goes as it is.
    const value = fullBarcodeValue(b);
    const data =
      b.symbology === 'ean13' || b.symbology === 'ean8' || b.symbology === 'upca'
        ? value.slice(0, -1)
        : value;
    out.push(ESC, 0x62, STAR_BARCODE[b.symbology], b.hri === false ? 1 : 2, module - 1, b.height ?? 60);
    out.ascii(data);
    out.push(0x1e);
  },
  qr(out, data, size, level) {
    out.push(ESC, GS, 0x79, 0x53, 0x30, 2); // model 2
    out.push(ESC, GS, 0x79, 0x53, 0x31, 'LMQH'.indexOf(level));
    out.push(ESC, GS, 0x79, 0x53, 0x32, Math.min(8, size));
    out.push(ESC, GS, 0x79, 0x44, 0x31, 0, data.length & 0xff, data.length >> 8);
    out.pushArray(data);
    out.push(ESC, GS, 0x79, 0x50);
  },
  image(out, bitmap) {
    // 24-dot bands of columns (3 bytes per column), with no gap between the bands.
    out.push(ESC, 0x30);
    const w = bitmap.width;
    for (let y = 0; y < bitmap.height; y += 24) {
      out.push(ESC, 0x58, w & 0xff, w >> 8);
      out.ensure(w * 3);
      for (let x = 0; x < w; x++) {
        for (let k = 0; k < 3; k++) {
          let byte = 0;
          for (let bit = 0; bit < 8; bit++) {
            const yy = y + k * 8 + bit;
            if (yy < bitmap.height && dotAt(bitmap, x, yy)) byte |= 0x80 >> bit;
          }
          out.buf[out.len++] = byte;
        }
      }
      out.push(LF, 0x0d);
    }
    out.push(ESC, 0x7a, 1);
  },
  cut: (partial) => [ESC, 0x64, partial ? 3 : 2],
  feed: (lines) => [ESC, 0x61, lines],
  drawer: (pin, onMs, offMs) => [
    ESC,
    0x07,
    clampByte(onMs / 10),
    clampByte(offMs / 10),
    pin === 5 ? 0x1a : 0x07,
  ],
};

class Encoder {
  readonly out = new Bytes();
  readonly map: CharMap;
  readonly state: State;

  constructor(
    readonly profile: PrinterProfile,
    readonly dialect: Dialect,
    fontB: boolean,
    readonly columns: number,
  ) {
    this.map = charMapOf(profile);
    const first = profile.codepages[0]!;
    this.out.push(...dialect.init(first.id));
    if (profile.realtimeSwitch) this.out.push(...dialect.realtimeOff());
    if (fontB) this.out.push(...dialect.fontB());
    this.state = {
      bold: false,
      underline: false,
      invert: false,
      size: 0,
      align: 0,
      codepage: 0,
      table: encodeTable(first.name as CodepageName),
    };
  }

  align(a: Align): void {
    const n = ALIGN[a];
    if (this.state.align !== n) {
      this.out.push(...this.dialect.align(n));
      this.state.align = n;
    }
  }

  style(s: Style, spaces: boolean): void {
    const st = this.state;
    // Boldness and height do not show on spaces, so padding leaves them as they are.
    if (!spaces && st.bold !== s.bold) {
      this.out.push(...this.dialect.bold(s.bold));
      st.bold = s.bold;
    }
    if (st.underline !== s.underline) {
      this.out.push(...this.dialect.underline(s.underline));
      st.underline = s.underline;
    }
    if (st.invert !== s.invert) {
      this.out.push(...this.dialect.invert(s.invert));
      st.invert = s.invert;
    }
    const size = spaces ? ((s.width - 1) << 4) | (st.size & 0x0f) : ((s.width - 1) << 4) | (s.height - 1);
    if (st.size !== size) {
      this.out.push(...this.dialect.size(size));
      st.size = size;
    }
  }

  text(text: string): void {
    const out = this.out;
    const st = this.state;
    out.ensure(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f) {
        out.buf[out.len++] = c;
        continue;
      }
      const code = text.codePointAt(i)!;
      if (code > 0xffff) i++;
      const byte = st.table.get(code);
      if (byte !== undefined) {
        out.push(byte);
        continue;
      }
      const entry = this.map.get(code);
      if (entry !== undefined) {
        const cp = this.profile.codepages[entry >> 8]!;
        out.push(...this.dialect.codepage(cp.id), entry & 0xff);
        st.codepage = entry >> 8;
        st.table = encodeTable(cp.name);
        continue;
      }
      // Layout already transliterated; this is the last guard against sending garbage.
      out.push(0x3f);
    }
  }

  line(line: LaidLine): void {
    if (line.runs.length > 0) {
      this.align(line.align);
      for (const run of line.runs) {
        const spaces =
          run.style.width === 1 && !run.style.underline && !run.style.invert && run.text.trim() === '';
        this.style(spaces ? PLAIN : run.style, spaces);
        this.text(run.text);
      }
    }
    // A size left on would apply to the next line's leading padding, which skips style changes.
    if (this.state.size !== 0) {
      this.out.push(...this.dialect.size(0));
      this.state.size = 0;
    }
    this.out.push(LF);
  }

  plainLine(text: string, align: Align): void {
    this.line({ kind: 'line', align, runs: [{ text, style: PLAIN }] });
  }
}

const BARCODE_MODULES: Record<Symbology, (n: number) => number> = {
  ean13: () => 95,
  upca: () => 95,
  ean8: () => 67,
  upce: () => 51,
  code39: (n) => (n + 2) * 16,
  itf: (n) => n * 9 + 10,
  codabar: (n) => n * 12,
  code93: (n) => (n + 4) * 9 + 1,
  code128: (n) => n * 11 + 35,
};

/** The bytes GS k sends for a barcode, and the number of symbol characters they make. */
function barcodeData(b: BarcodeBlock): { data: string; symbols: number } {
  const value = fullBarcodeValue(b);
  switch (b.symbology) {
    case 'ean13':
    case 'ean8':
    case 'upca':
      // The printer computes the check digit itself.
      return { data: value.slice(0, -1), symbols: value.length };
    case 'code128':
      if (/^(?:[0-9]{2}){2,}$/.test(value)) {
        // Code set C packs two digits per symbol: half the width of code set B.
        let data = '{C';
        for (let i = 0; i < value.length; i += 2) data += String.fromCharCode(Number(value.slice(i, i + 2)));
        return { data, symbols: value.length / 2 };
      }
      return { data: `{B${value.replace(/\{/g, '{{')}`, symbols: value.length };
    default:
      return { data: value, symbols: value.length };
  }
}

function encodeBarcode(enc: Encoder, block: BarcodeBlock, index: number): void {
  const align = block.align ?? 'center';
  let b = block;
  if (enc.dialect === ESCPOS && b.symbology === 'upce' && b.value.length >= 7 && b.value[0] !== '0') {
    // Epson's GS k takes UPC-E data only with number system 0; other printers feed paper and
    // print nothing. The same GTIN-12 as a UPC-A is what the printer can draw.
    b = { ...b, symbology: 'upca', value: upcEToUpcABody(b.value[0]!, b.value.slice(1, 7)) };
  }
  if (!enc.profile.barcodes.includes(b.symbology)) {
    fallbackText(enc, fullBarcodeValue(b), align);
    return;
  }
  const { data, symbols } = barcodeData(b);
  const modules = BARCODE_MODULES[b.symbology](symbols);
  const module = modules * 3 <= enc.profile.dots ? 3 : 2;
  if (modules * module > enc.profile.dots || data.length > 255) {
    throw new KassaError(
      'receipt.barcode_too_wide',
      `A ${b.symbology} barcode of "${b.value}" needs ${modules * 2} dots; the printer has ${enc.profile.dots}`,
      { path: ['blocks', index, 'value'], value: b.value, dots: enc.profile.dots },
    );
  }
  enc.align(align);
  enc.dialect.barcode(enc.out, b, module);
}

const QR_LEVEL = { L: 48, M: 49, Q: 50, H: 51 } as const;
const QR_DENSITY = { L: 0.6, M: 0.47, Q: 0.34, H: 0.26 } as const;

/** A generous estimate of a QR symbol's width in modules, to keep it on the paper. */
function qrModules(bytes: number, level: keyof typeof QR_DENSITY): number {
  const bits = bytes * 8 + 20;
  for (let v = 1; v <= 40; v++) {
    const side = 17 + 4 * v;
    if (side * side * QR_DENSITY[level] >= bits) return side;
  }
  return 177;
}

const utf8 = new TextEncoder();

/** A code the printer cannot draw prints as its text, wrapped and mapped like any other text. */
function fallbackText(enc: Encoder, text: string, align: Align): void {
  const items = layout({ columns: enc.columns, blocks: [{ type: 'text', text, align }] }, enc.columns, {
    mapText: (t) => printableText(t, enc.profile),
  });
  for (const item of items) if (item.kind === 'line') enc.line(item);
}

function encodeQr(enc: Encoder, q: QrBlock): void {
  const align = q.align ?? 'center';
  if (!enc.profile.qr) {
    fallbackText(enc, q.data, align);
    return;
  }
  const data = utf8.encode(q.data);
  const level = q.errorLevel ?? 'M';
  const modules = qrModules(data.length, level);
  const size = Math.max(1, Math.min(q.size ?? 6, Math.floor(enc.profile.dots / modules)));
  enc.align(align);
  enc.dialect.qr(enc.out, data, size, level);
}

/** Options of {@link toEscPos}. */
export interface EscPosOptions {
  /** Lay the text out in this many columns instead of the profile's font A width. */
  columns?: number;
}

/**
 * Encodes a receipt as ESC/POS bytes for one printer profile.
 *
 * The text is laid out at the printer's own width (`profile.fonts.A`) unless `columns` says
 * otherwise. The job starts with `ESC @` and an explicit codepage select; characters are
 * encoded through the profile's codepages in order of preference (switching with `ESC t`
 * mid-line when another codepage has the character), then transliterated, then printed as
 * `?`. Barcodes (`GS k`) and QR codes (`GS ( k`) are drawn by the printer; images are
 * dithered and sent as raster (`GS v 0`), scaled down to the paper when wider; the drawer
 * kick is the full `ESC p m t1 t2`.
 *
 * @throws KassaError `receipt.invalid_document`, `receipt.invalid_profile`,
 *   `receipt.layout_too_wide` or `receipt.barcode_too_wide`; nothing is returned half-done.
 *
 * @example
 * ```ts
 * const bytes = toEscPos(buildReceipt(sale, defaultTemplate, { locale: 'nl-NL' }), epsonTmT20);
 * await printer.print(bytes);
 * ```
 */
export function toEscPos(
  doc: ReceiptDocument,
  profile: PrinterProfile,
  options: EscPosOptions = {},
): Uint8Array {
  return encode(doc, profile, options, 'esc-pos', ESCPOS);
}

/**
 * Encodes a receipt in Star's StarPRNT language, for Star printers in their native mode
 * (TSP100IV, TSP143IV, mC-Print, mPOP) with a profile whose `language` is `'star-prnt'`, such as
 * `starTsp100`. The same layout, codepage selection and transliteration as
 * {@link toEscPos}; Star magnifies characters at most six times, so larger sizes print at six.
 *
 * @throws KassaError as {@link toEscPos}, and `receipt.invalid_profile` for an ESC/POS profile.
 */
export function toStarPrnt(
  doc: ReceiptDocument,
  profile: PrinterProfile,
  options: EscPosOptions = {},
): Uint8Array {
  return encode(doc, profile, options, 'star-prnt', STAR);
}

/**
 * Encodes a receipt in the language of the profile: ESC/POS or StarPRNT.
 * @throws KassaError as {@link toEscPos}.
 */
export function toPrinterBytes(
  doc: ReceiptDocument,
  profile: PrinterProfile,
  options: EscPosOptions = {},
): Uint8Array {
  return profile?.language === 'star-prnt'
    ? toStarPrnt(doc, profile, options)
    : toEscPos(doc, profile, options);
}

function encode(
  doc: ReceiptDocument,
  profile: PrinterProfile,
  options: EscPosOptions,
  language: 'esc-pos' | 'star-prnt',
  dialect: Dialect,
): Uint8Array {
  validateDocument(doc);
  validateProfile(profile);
  if ((profile.language ?? 'esc-pos') !== language) {
    throw new KassaError(
      'receipt.invalid_profile',
      `Profile ${profile.id} speaks ${profile.language ?? 'esc-pos'}, not ${language}; use toPrinterBytes to follow the profile`,
      { path: ['language'] },
    );
  }
  const columns = options.columns ?? profile.fonts.A;
  if (!Number.isInteger(columns) || columns < 8 || columns > 255) {
    throw new KassaError('receipt.invalid_document', 'columns must be a whole number from 8 to 255', {
      path: ['columns'],
    });
  }
  // More columns than font A holds would wrap every line on paper: the narrower font B
  // holds them, or nothing does.
  const fontB = columns > profile.fonts.A;
  if (fontB && (profile.fonts.B === undefined || columns > profile.fonts.B)) {
    throw new KassaError(
      'receipt.columns_too_wide',
      `${columns} columns do not fit ${profile.id}: font A holds ${profile.fonts.A}${
        profile.fonts.B === undefined ? '' : `, font B ${profile.fonts.B}`
      }`,
      { path: ['columns'], columns, fonts: { ...profile.fonts } },
    );
  }
  const items = layout(doc, columns, { mapText: (text) => printableText(text, profile) });
  const enc = new Encoder(profile, dialect, fontB, columns);
  for (const item of items) {
    if (item.kind === 'line') {
      enc.line(item);
      continue;
    }
    const block = item.block;
    switch (block.type) {
      case 'barcode':
        encodeBarcode(enc, block, item.index);
        break;
      case 'qr':
        encodeQr(enc, block);
        break;
      case 'image': {
        enc.align(block.align ?? 'center');
        enc.dialect.image(enc.out, rasterize(block, profile.dots));
        break;
      }
      case 'cut':
        // Without a cutter, feed the print past the tear bar.
        enc.out.push(...(profile.cutter ? enc.dialect.cut(block.partial ?? false) : enc.dialect.feed(4)));
        break;
      case 'drawer': {
        if (!profile.drawer) break;
        enc.out.push(...enc.dialect.drawer(block.pin ?? 2, block.onMs ?? 100, block.offMs ?? 500));
        break;
      }
    }
  }
  return enc.out.result();
}
