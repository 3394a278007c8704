import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import fc from 'fast-check';
import receiptline from 'receiptline';
import { describe, expect, it } from 'vitest';
import { barWidths } from '../../src/receipts/bars.js';
import { gs1CheckDigit } from '../../src/receipts/document.js';

/** receiptline's own barcode generator, as an independent reference: widths in modules, bars first. */
function reference(
  data: string,
  type: 'code128' | 'ean' | 'upc' | 'code39' | 'itf' | 'nw7' | 'code93',
): number[] {
  const generated = (
    receiptline as unknown as {
      barcode: { generate(o: object): { widths: number[] } };
    }
  ).barcode.generate({ data, type, width: 1, height: 40, hri: false });
  return generated.widths.filter((w) => w > 0);
}

/** Draws the bars two pixels per module with a quiet zone and reads them with ZXing. */
function scan(widths: number[], format: BarcodeFormat): string {
  const module = 2;
  const quiet = 20;
  const height = 24;
  const total = widths.reduce((a, b) => a + b, 0);
  const width = (total + 2 * quiet) * module;
  const luminance = new Uint8ClampedArray(width * height).fill(255);
  let x = quiet * module;
  widths.forEach((w, i) => {
    if (i % 2 === 0)
      for (let y = 0; y < height; y++) luminance.fill(0, y * width + x, y * width + x + w * module);
    x += w * module;
  });
  const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.POSSIBLE_FORMATS, [format]]]);
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height)));
  const result = new MultiFormatReader().decode(bitmap, hints);
  expect(result.getBarcodeFormat()).toBe(format);
  return result.getText();
}

const bars = (symbology: Parameters<typeof barWidths>[0]['symbology'], value: string): number[] => {
  const widths = barWidths({ symbology, value });
  expect(widths, `${symbology} ${value}`).toBeDefined();
  return widths!;
};

describe('barcode bars for the SVG preview', () => {
  it('draws CODE128 in code set B as receiptline does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z !#-/:-@[-`{-~]{1,24}$/), (value) => {
        expect(barWidths({ symbology: 'code128', value })).toEqual(reference(value, 'code128'));
      }),
    );
  });

  it('draws CODE128 digits in code set C as receiptline does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(?:[0-9]{2}){2,12}$/), (value) => {
        expect(barWidths({ symbology: 'code128', value })).toEqual(reference(value, 'code128'));
      }),
    );
  });

  it('draws EAN-13, EAN-8 and UPC-A as receiptline does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{12}$/), fc.stringMatching(/^[0-9]{7}$/), (twelve, seven) => {
        const ean13 = twelve + String(gs1CheckDigit(twelve));
        expect(barWidths({ symbology: 'ean13', value: ean13 })).toEqual(reference(ean13, 'ean'));
        const ean8 = seven + String(gs1CheckDigit(seven));
        expect(barWidths({ symbology: 'ean8', value: ean8 })).toEqual(reference(ean8, 'ean'));
        const upc = twelve.slice(1);
        const upca = upc + String(gs1CheckDigit(upc));
        expect(barWidths({ symbology: 'upca', value: upca })).toEqual(reference(upca, 'upc'));
      }),
    );
  });

  it('draws CODE39, ITF and Codabar as receiptline does', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9A-Z $%+\-./]{1,20}$/),
        fc.stringMatching(/^(?:[0-9]{2}){1,10}$/),
        fc.stringMatching(/^[A-D][0-9$+\-./:]{1,16}[A-D]$/),
        (c39, itf, codabar) => {
          expect(bars('code39', c39)).toEqual(reference(c39, 'code39'));
          expect(bars('itf', itf)).toEqual(reference(itf, 'itf'));
          expect(bars('codabar', codabar)).toEqual(reference(codabar, 'nw7'));
        },
      ),
    );
  });

  it('draws CODE93 in full ASCII with its two check characters, as receiptline does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x20-\x7e]{1,20}$/), (value) => {
        expect(bars('code93', value)).toEqual(reference(value, 'code93'));
      }),
    );
  });

  it('draws UPC-E as receiptline does, with the check digit of the expanded UPC-A', () => {
    // 0425261 stands for UPC-A 04210000526, check digit 4 (number system 0, parity EOEEOO).
    expect(bars('upce', '0425261')).toEqual(reference('04252614', 'upc'));
    expect(bars('upce', '425261')).toEqual(bars('upce', '0425261'));
    fc.assert(
      // receiptline draws number system 0 only.
      fc.property(fc.stringMatching(/^0[0-9]{6}$/), (value) => {
        expect(bars('upce', value)).toEqual(reference(value, 'upc'));
      }),
    );
    // Number system 1 takes the opposite parity of every digit; others have none (drawn as a box).
    const ns0 = bars('upce', '0425261');
    const ns1 = bars('upce', '1425261');
    expect(ns1.length).toBe(ns0.length);
    expect(ns1).not.toEqual(ns0);
    expect(barWidths({ symbology: 'upce', value: '2425261' })).toBeUndefined();
  });

  it('reads back with ZXing as the value the printer encodes', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9A-Z $%+\-./]{1,20}$/),
        // ZXing reads ITF of 6 digits or more.
        fc.stringMatching(/^(?:[0-9]{2}){3,10}$/),
        // ZXing for JS has a wrong pattern for the Codabar '+' (nnwwwww; the standard's is
        // nnwnwnw, which receiptline draws too), so the reading leaves '+' out.
        fc.stringMatching(/^[A-Da-d][0-9$\-./:]{1,16}[A-Da-d]$/),
        fc.stringMatching(/^[\x20-\x7e]{1,20}$/),
        fc.stringMatching(/^[0-9]{12}$/),
        (c39, itf, codabar, c128, twelve) => {
          expect(scan(bars('code39', c39), BarcodeFormat.CODE_39)).toBe(c39);
          expect(scan(bars('itf', itf), BarcodeFormat.ITF)).toBe(itf);
          expect(scan(bars('codabar', codabar), BarcodeFormat.CODABAR)).toBe(codabar.toUpperCase());
          expect(scan(bars('code128', c128), BarcodeFormat.CODE_128)).toBe(c128);
          expect(scan(bars('code93', c128), BarcodeFormat.CODE_93)).toBe(c128);
          const ean13 = twelve + String(gs1CheckDigit(twelve));
          expect(scan(bars('ean13', twelve), BarcodeFormat.EAN_13)).toBe(ean13);
          expect(scan(bars('ean8', twelve.slice(0, 7)), BarcodeFormat.EAN_8)).toBe(
            twelve.slice(0, 7) + String(gs1CheckDigit(twelve.slice(0, 7))),
          );
          const upc = twelve.slice(1);
          expect(scan(bars('upca', upc), BarcodeFormat.UPC_A)).toBe(upc + String(gs1CheckDigit(upc)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
