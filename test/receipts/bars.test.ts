import fc from 'fast-check';
import receiptline from 'receiptline';
import { describe, expect, it } from 'vitest';
import { barWidths } from '../../src/receipts/bars.js';
import { gs1CheckDigit } from '../../src/receipts/document.js';

/** receiptline's own barcode generator, as an independent reference: widths in modules, bars first. */
function reference(data: string, type: 'code128' | 'ean' | 'upc'): number[] {
  const generated = (
    receiptline as unknown as {
      barcode: { generate(o: object): { widths: number[] } };
    }
  ).barcode.generate({ data, type, width: 1, height: 40, hri: false });
  return generated.widths.filter((w) => w > 0);
}

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
});
