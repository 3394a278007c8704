import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullBarcodeValue } from '../../src/receipts/document.js';
import {
  decodeEscPos,
  epsonTmT20,
  generic58,
  printableText,
  type ReceiptBlock,
  type ReceiptDocument,
  starEscPos,
  toEscPos,
  toSvg,
} from '../../src/receipts/index.js';
import { layout } from '../../src/receipts/layout.js';
import type { PrinterProfile } from '../../src/receipts/profiles.js';

type Token =
  | { t: 'line'; text: string; align: string; styles: string }
  | { t: 'blank' }
  | { t: 'barcode'; symbology: string; value: string }
  | { t: 'qr'; data: string; level: string }
  | { t: 'cut'; partial: boolean }
  | { t: 'drawer'; pin: number; on: number; off: number }
  | { t: 'image'; width: number; height: number };

type StyleLike = { bold?: boolean; underline?: boolean; invert?: boolean; width?: number; height?: number };
const sig = (s: StyleLike): string =>
  `${s.bold ? 'b' : '-'}${s.underline ? 'u' : '-'}${s.invert ? 'i' : '-'}${s.width ?? 1}${s.height ?? 1}`;

/** Style signature per character; spaces without underline or inversion show no style, so they are skipped. */
function lineToken(runs: readonly { text: string; style: StyleLike }[], align: string): Token {
  if (runs.length === 0) return { t: 'blank' };
  let text = '';
  let styles = '';
  for (const r of runs) {
    for (const ch of r.text) {
      text += ch;
      styles += ch.trim() === '' && !r.style.underline && !r.style.invert ? ' ' : sig(r.style);
    }
  }
  return { t: 'line', text, align, styles };
}

function expected(doc: ReceiptDocument, profile: PrinterProfile): Token[] {
  const out: Token[] = [];
  for (const item of layout(doc, profile.fonts.A, { mapText: (t) => printableText(t, profile) })) {
    if (item.kind === 'line') {
      out.push(lineToken(item.runs, item.align));
      continue;
    }
    const b = item.block;
    if (b.type === 'barcode') out.push({ t: 'barcode', symbology: b.symbology, value: fullBarcodeValue(b) });
    else if (b.type === 'qr') out.push({ t: 'qr', data: b.data, level: b.errorLevel ?? 'M' });
    else if (b.type === 'cut') {
      // A printer without a cutter feeds four lines to the tear bar instead.
      if (profile.cutter) out.push({ t: 'cut', partial: b.partial ?? false });
      else out.push({ t: 'blank' }, { t: 'blank' }, { t: 'blank' }, { t: 'blank' });
    } else if (b.type === 'drawer')
      out.push({
        t: 'drawer',
        pin: b.pin ?? 2,
        on: Math.round((b.onMs ?? 100) / 2) * 2,
        off: Math.round((b.offMs ?? 500) / 2) * 2,
      });
    else if (b.type === 'image')
      out.push({ t: 'image', width: Math.min(b.width, profile.dots), height: b.height });
  }
  return out;
}

function decoded(bytes: Uint8Array, profile: PrinterProfile): Token[] {
  const out: Token[] = [];
  for (const b of decodeEscPos(bytes, { profile }).blocks) {
    switch (b.type) {
      case 'text': {
        const runs =
          typeof b.text === 'string'
            ? [{ text: b.text, style: b.style ?? {} }]
            : b.text.map((r) => ({ text: r.text, style: r }));
        out.push(lineToken(runs, b.align ?? 'left'));
        break;
      }
      case 'blank':
        out.push({ t: 'blank' });
        break;
      case 'barcode':
        out.push({ t: 'barcode', symbology: b.symbology, value: b.value });
        break;
      case 'qr':
        out.push({ t: 'qr', data: b.data, level: b.errorLevel ?? 'M' });
        break;
      case 'cut':
        out.push({ t: 'cut', partial: b.partial ?? false });
        break;
      case 'drawer':
        out.push({ t: 'drawer', pin: b.pin ?? 2, on: b.onMs ?? 0, off: b.offMs ?? 0 });
        break;
      case 'image':
        out.push({ t: 'image', width: b.width, height: b.height });
        break;
      default:
        throw new Error(`unexpected decoded block ${b.type}`);
    }
  }
  return out;
}

const chars = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,-:;!?()/%&@#',
  ' ',
  ' ',
  'é',
  'ü',
  'ß',
  '€',
  'ø',
  'Ж',
  'я',
  'Š',
  'ő',
  '中',
  '✓',
  '“',
  '\n',
);
const text = fc.array(chars, { maxLength: 60 }).map((a) => a.join(''));
const style = fc.record(
  {
    bold: fc.boolean(),
    underline: fc.boolean(),
    invert: fc.boolean(),
    width: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 3 }),
  },
  { requiredKeys: [] },
);
const align = fc.constantFrom('left', 'center', 'right') as fc.Arbitrary<'left' | 'center' | 'right'>;

const block: fc.Arbitrary<ReceiptBlock> = fc.oneof(
  fc.record({ type: fc.constant('text' as const), text, align, style }),
  fc.record({
    type: fc.constant('text' as const),
    text: fc.array(
      fc.record({ text, bold: fc.boolean(), underline: fc.boolean(), width: fc.integer({ min: 1, max: 2 }) }),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    align,
  }),
  fc.record({
    type: fc.constant('row' as const),
    columns: fc.array(
      fc.record(
        {
          text,
          width: fc.integer({ min: 3, max: 8 }),
          align,
          style: fc.record({ bold: fc.boolean(), invert: fc.boolean() }),
        },
        { requiredKeys: ['text'] },
      ),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({ type: fc.constant('rule' as const), char: fc.constantFrom('-', '=', '*') }),
  fc.record({ type: fc.constant('blank' as const), lines: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    type: fc.constant('barcode' as const),
    symbology: fc.constant('code128' as const),
    value: fc.stringMatching(/^[\x20-\x7e]{1,20}$/),
    align,
  }),
  fc.record({
    type: fc.constant('barcode' as const),
    symbology: fc.constant('ean13' as const),
    value: fc.stringMatching(/^[0-9]{12}$/),
  }),
  fc.record({
    type: fc.constant('qr' as const),
    data: fc.string({ minLength: 1, maxLength: 120, unit: 'grapheme' }),
    errorLevel: fc.constantFrom('L', 'M', 'Q', 'H') as fc.Arbitrary<'L' | 'M' | 'Q' | 'H'>,
  }),
  fc.record({ type: fc.constant('cut' as const), partial: fc.boolean() }),
  fc.record({
    type: fc.constant('drawer' as const),
    pin: fc.constantFrom(2, 5) as fc.Arbitrary<2 | 5>,
    onMs: fc.integer({ min: 1, max: 255 }).map((n) => n * 2),
    offMs: fc.integer({ min: 1, max: 255 }).map((n) => n * 2),
  }),
);

const doc = fc.record({ columns: fc.constant(42), blocks: fc.array(block, { maxLength: 12 }) });

describe('ESC/POS round trip through decodeEscPos', () => {
  for (const profile of [epsonTmT20, starEscPos, generic58]) {
    it(`gives back text, styles, alignment, barcodes, QR data, cuts and drawer kicks (${profile.id})`, () => {
      fc.assert(
        fc.property(doc, (d) => {
          expect(decoded(toEscPos(d, profile), profile)).toEqual(expected(d, profile));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('replaces what no codepage has, and never sends a control byte as text', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const bytes = toEscPos(d, generic58);
        const result = decodeEscPos(bytes, { profile: generic58 });
        expect(result.warnings).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('decodeEscPos on any bytes', () => {
  it('never throws, and always gives a document the renderers accept', () => {
    const command = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc
        .constantFrom(
          [0x1b, 0x40],
          [0x1b, 0x21, 0x38],
          [0x1d, 0x21, 0x77],
          [0x1d, 0x6b, 0x43, 0x03, 0x31, 0x32, 0x33],
          [0x1d, 0x6b, 0x02, 0x31, 0x00],
          [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30],
          [0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x03, 0x00],
          [0x1b, 0x70, 0x00, 0xff, 0xff],
          [0x1d, 0x56, 0x41],
        )
        .map((a) => new Uint8Array(a)),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (parts) => {
        const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let offset = 0;
        for (const p of parts) {
          bytes.set(p, offset);
          offset += p.length;
        }
        const decoded = decodeEscPos(bytes);
        expect(() => toSvg(decoded)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
