import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isKassaError } from '../../src/errors.js';
import { decodeTable } from '../../src/receipts/codepages.js';
import {
  CODEPAGE_NAMES,
  type CodepageName,
  decodeEscPos,
  epsonTmT20,
  epsonTmT88,
  generic58,
  type PrinterProfile,
  printableText,
  type ReceiptDocument,
  toEscPos,
  toText,
} from '../../src/receipts/index.js';

const doc = (blocks: ReceiptDocument['blocks'], columns = 42): ReceiptDocument => ({ columns, blocks });
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const textOf = (bytes: Uint8Array, profile: PrinterProfile = epsonTmT20): string =>
  toText(decodeEscPos(bytes, { profile }));

function thrown(fn: () => unknown): { code: string; path?: unknown } {
  try {
    fn();
  } catch (e) {
    if (isKassaError(e)) return { code: e.code, path: e.details.path };
    throw e;
  }
  throw new Error('did not throw');
}

const ICONV_NAME: Record<CodepageName, string> = {
  cp437: 'cp437',
  cp858: 'cp858',
  cp1252: 'windows-1252',
  'iso8859-15': 'iso-8859-15',
  cp866: 'cp866',
};

describe('codepage tables', () => {
  for (const name of CODEPAGE_NAMES) {
    it(`${name} matches iconv-lite for every printable byte`, () => {
      const table = decodeTable(name);
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const reference = iconv.decode(bytes, ICONV_NAME[name]);
      for (let b = 0x20; b < 256; b++) {
        if (table[b] === '\u0000') {
          // Unmapped here: C1 controls, undefined slots and DEL only.
          expect(b === 0x7f || (b >= 0x80 && b <= 0x9f) || reference[b] === '\ufffd', `byte ${b}`).toBe(true);
        } else {
          expect(table[b], `${name} byte 0x${b.toString(16)}`).toBe(reference[b]);
        }
      }
    });
  }
});

describe('toEscPos', () => {
  it('starts with ESC @ and an explicit codepage select before any text', () => {
    const bytes = toEscPos(doc([{ type: 'text', text: 'Hi' }]), epsonTmT20);
    expect(hex(bytes.subarray(0, 5))).toBe('1b401b7413');
    // then GS ( D: real-time drawer pulse and power-off switched off (issue 12 §2.7)
    expect(hex(bytes.subarray(5, 15))).toBe('1d284405001401000200');
    expect(hex(bytes.subarray(15))).toBe('48690a');
  });

  it('prints the euro sign through CP858 on Epson', () => {
    const bytes = toEscPos(doc([{ type: 'text', text: '€ 5' }]), epsonTmT88);
    expect(hex(bytes.subarray(15))).toBe('d520350a');
  });

  it('switches codepage mid-line for Cyrillic and back for the euro sign', () => {
    const bytes = toEscPos(doc([{ type: 'text', text: 'Жук € ok' }]), epsonTmT20);
    expect(hex(bytes)).toContain('1b7411'); // ESC t 17 = CP866
    expect(textOf(bytes).trim()).toBe('Жук € ok');
  });

  it('transliterates what the printer lacks and shows ? for what has no spelling', () => {
    // CP1252 has typographic quotes; CP437 alone does not.
    expect(printableText('Łódź “ő” 中', epsonTmT20)).toBe('Lódz “o” ?');
    expect(printableText('Łódź “ő” 中', { ...epsonTmT20, codepages: [{ name: 'cp437', id: 0 }] })).toBe(
      'Lódz "o" ?',
    );
    const bytes = toEscPos(doc([{ type: 'text', text: 'Łódź “ő” 中文' }]), epsonTmT20);
    expect(textOf(bytes).trim()).toBe('Lódz “o” ??');
    // Every byte is either text or a command the decoder knows (the codepage switches).
    expect(decodeEscPos(bytes).warnings).toEqual([]);
  });

  it('keeps columns aligned when a character is transliterated to several letters', () => {
    const profile: PrinterProfile = { ...epsonTmT20, codepages: [{ name: 'cp437', id: 0 }] };
    const bytes = toEscPos(
      doc([{ type: 'row', columns: [{ text: 'Total' }, { text: '€ 5,00', width: 10, align: 'right' }] }]),
      profile,
    );
    const line = textOf(bytes, profile).split('\n')[0]!;
    expect(line).toBe(`Total${' '.repeat(48 - 5 - 8)}EUR 5,00`);
  });

  it('replaces control characters in text with a visible ?', () => {
    const bytes = toEscPos(doc([{ type: 'text', text: 'a\x1bb\x07c\td' }]), epsonTmT20);
    expect(textOf(bytes).trim()).toBe('a?b?c d');
  });

  it('sends the full five-byte drawer kick with pin and pulse times', () => {
    const bytes = toEscPos(doc([{ type: 'drawer', pin: 5, onMs: 120, offMs: 240 }]), epsonTmT20);
    expect(hex(bytes.subarray(15))).toBe('1b70013c78');
    const defaults = toEscPos(doc([{ type: 'drawer' }]), epsonTmT20);
    expect(hex(defaults.subarray(15))).toBe('1b700032fa');
  });

  it('cuts with GS V, or feeds past the tear bar on a printer without a cutter', () => {
    expect(hex(toEscPos(doc([{ type: 'cut' }]), epsonTmT20).subarray(15))).toBe('1d564100');
    expect(hex(toEscPos(doc([{ type: 'cut', partial: true }]), epsonTmT20).subarray(15))).toBe('1d564200');
    expect(hex(toEscPos(doc([{ type: 'cut' }]), generic58).subarray(5))).toBe('1b6404');
  });

  it('encodes CODE128 digits in code set C and text in code set B', () => {
    const digits = toEscPos(doc([{ type: 'barcode', symbology: 'code128', value: '123456' }]), epsonTmT20);
    expect(hex(digits)).toContain('1d6b4905' + '7b43' + '0c2238');
    const text = toEscPos(doc([{ type: 'barcode', symbology: 'code128', value: 'A{1' }]), epsonTmT20);
    expect(hex(text)).toContain('1d6b4906' + '7b42' + '417b7b31');
    const back = decodeEscPos(text).blocks.find((b) => b.type === 'barcode');
    expect(back).toMatchObject({ symbology: 'code128', value: 'A{1' });
  });

  it('sends EAN-13 without its check digit and decodes it with the digit', () => {
    const bytes = toEscPos(
      doc([{ type: 'barcode', symbology: 'ean13', value: '4006381333931' }]),
      epsonTmT20,
    );
    expect(hex(bytes)).toContain(`1d6b430c${Buffer.from('400638133393').toString('hex')}`);
    expect(decodeEscPos(bytes).blocks.find((b) => b.type === 'barcode')).toMatchObject({
      value: '4006381333931',
    });
  });

  it('rejects a barcode value wrong for its symbology', () => {
    expect(
      thrown(() =>
        toEscPos(doc([{ type: 'barcode', symbology: 'ean13', value: '4006381333932' }]), epsonTmT20),
      ),
    ).toEqual({
      code: 'receipt.invalid_barcode',
      path: ['blocks', 0, 'value'],
    });
    expect(
      thrown(() => toEscPos(doc([{ type: 'barcode', symbology: 'ean8', value: '12ab' }]), epsonTmT20)).code,
    ).toBe('receipt.invalid_barcode');
  });

  it('rejects a barcode wider than the paper rather than printing a cut-off one', () => {
    const value = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789';
    expect(
      thrown(() =>
        toEscPos(doc([{ type: 'rule' }, { type: 'barcode', symbology: 'code128', value }]), generic58),
      ),
    ).toEqual({ code: 'receipt.barcode_too_wide', path: ['blocks', 1, 'value'] });
    // The same value fits an 80 mm printer at the thinnest bars.
    expect(() =>
      toEscPos(doc([{ type: 'barcode', symbology: 'code128', value: value.slice(0, 20) }]), epsonTmT20),
    ).not.toThrow();
  });

  it('sends QR codes natively with model, size, error level, data and print', () => {
    const bytes = toEscPos(
      doc([{ type: 'qr', data: 'https://x.example/r/1', size: 5, errorLevel: 'Q' }]),
      epsonTmT20,
    );
    const h = hex(bytes);
    expect(h).toContain('1d286b0400314132' + '00');
    expect(h).toContain('1d286b0300314305');
    expect(h).toContain('1d286b0300314532');
    expect(h).toContain(`1d286b180031503068747470733a2f2f`);
    expect(h.endsWith('1d286b0300315130')).toBe(true);
  });

  it('shrinks the QR module size so a large symbol stays on 58 mm paper', () => {
    const bytes = toEscPos(doc([{ type: 'qr', data: 'x'.repeat(600), size: 8 }], 32), generic58);
    const qr = decodeEscPos(bytes, { profile: generic58 }).blocks.find((b) => b.type === 'qr');
    expect(qr?.type === 'qr' && (qr.size ?? 0) <= 3).toBe(true);
  });

  it('scales an image wider than the paper down to the printer dots and dithers it', () => {
    const width = 1000;
    const height = 100;
    const pixels = new Uint8Array(width * height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = i % width < 500 ? 0 : 128;
    const bytes = toEscPos(doc([{ type: 'image', width, height, pixels }]), generic58);
    const image = decodeEscPos(bytes, { profile: generic58 }).blocks.find((b) => b.type === 'image');
    expect(image?.type).toBe('image');
    if (image?.type !== 'image') return;
    expect(image.width).toBe(384);
    expect(image.height).toBe(38);
    const black = (x0: number, x1: number): number => {
      let n = 0;
      for (let y = 0; y < image.height; y++)
        for (let x = x0; x < x1; x++) n += image.pixels[y * image.width + x] === 0 ? 1 : 0;
      return n / ((x1 - x0) * image.height);
    };
    expect(black(0, 190)).toBe(1); // the black half stays black
    expect(black(200, 384)).toBeGreaterThan(0.35); // mid grey dithers to about half the dots
    expect(black(200, 384)).toBeLessThan(0.65);
  });

  it('reads RGBA pixels, with transparency as paper', () => {
    const pixels = new Uint8Array([0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255, 10, 10, 10, 255]);
    const bytes = toEscPos(
      doc([{ type: 'image', width: 4, height: 1, pixels, dither: 'threshold' }]),
      epsonTmT20,
    );
    const image = decodeEscPos(bytes).blocks.find((b) => b.type === 'image');
    expect(image?.type === 'image' && Array.from(image.pixels.subarray(0, 4))).toEqual([0, 255, 255, 0]);
  });

  it('rejects a row whose fixed columns are wider than the paper', () => {
    const wide = doc(
      [
        {
          type: 'row',
          columns: [
            { text: 'a', width: 30 },
            { text: 'b', width: 20 },
          ],
        },
      ],
      42,
    );
    expect(thrown(() => toEscPos(wide, epsonTmT88))).toEqual({
      code: 'receipt.layout_too_wide',
      path: ['blocks', 0, 'columns'],
    });
    expect(thrown(() => toText(wide)).code).toBe('receipt.layout_too_wide');
  });

  it('wraps a long column within its own width', () => {
    const bytes = toEscPos(
      doc([
        {
          type: 'row',
          columns: [
            { text: 'A very long product name that wraps' },
            { text: '1,00', width: 6, align: 'right' },
          ],
        },
      ]),
      generic58,
    );
    expect(textOf(bytes, generic58).split('\n').slice(0, 2)).toEqual([
      `${'A very long product name'.padEnd(25)}   1,00`,
      'that wraps',
    ]);
  });

  it('rejects malformed documents and profiles with the path of the bad field', () => {
    expect(thrown(() => toEscPos({ columns: 42, blocks: [{ type: 'text' }] } as never, epsonTmT20))).toEqual({
      code: 'receipt.invalid_document',
      path: ['blocks', 0, 'text'],
    });
    expect(thrown(() => toEscPos(doc([]), { ...epsonTmT20, dots: 'wide' } as never))).toEqual({
      code: 'receipt.invalid_profile',
      path: ['dots'],
    });
    expect(
      thrown(() =>
        toEscPos(doc([{ type: 'image', width: 10, height: 10, pixels: new Uint8Array(5) }]), epsonTmT20),
      ).code,
    ).toBe('receipt.invalid_document');
  });
});

describe('decodeEscPos', () => {
  it('reads styles set with ESC ! and skips commands that print nothing', () => {
    const bytes = new Uint8Array([
      0x1b, 0x40, 0x1b, 0x21, 0x38, 0x41, 0x1b, 0x33, 0x10, 0x1b, 0x21, 0x00, 0x42, 0x0a,
    ]);
    const result = decodeEscPos(bytes);
    expect(result.blocks).toEqual([
      { type: 'text', text: [{ text: 'A', bold: true, width: 2, height: 2 }, { text: 'B' }] },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('lists unknown commands as warnings instead of failing', () => {
    const result = decodeEscPos(new Uint8Array([0x1b, 0x99, 0x41, 0x0a]));
    expect(result.warnings).toHaveLength(1);
  });

  it('rejects what is not bytes', () => {
    expect(thrown(() => decodeEscPos('1b40' as never)).code).toBe('receipt.invalid_document');
  });
});

describe('decodeEscPos on truncated jobs', () => {
  it('does not allocate for an image the bytes do not hold', () => {
    const result = decodeEscPos(new Uint8Array([0x1d, 0x76, 0x30, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00]));
    expect(result.blocks).toEqual([]);
  });
});
