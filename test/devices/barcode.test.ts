import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bookNumber,
  decodeAim,
  expandUpcE,
  GS,
  gs1CheckDigit,
  isValidGtin,
  normalizeGtin,
  parseBarcode,
  parseGs1ElementString,
  priceCheckDigit,
  toAddCommand,
  withCheckDigit,
} from '../../src/devices/index.js';
import { isKassaError } from '../../src/errors.js';

describe('GTIN check digits', () => {
  it('accepts real codes and rejects altered ones', () => {
    expect(isValidGtin('4006381333931')).toBe(true); // EAN-13
    expect(isValidGtin('96385074')).toBe(true); // EAN-8
    expect(isValidGtin('036000291452')).toBe(true); // UPC-A
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('400638133393')).toBe(false);
    expect(gs1CheckDigit('950110153100')).toBe(0);
    expect(gs1CheckDigit('9501234')).toBe(6);
  });

  it('detects every single-digit substitution (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(7, 11, 12, 13),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (len, digits, posSeed, delta) => {
          const code = withCheckDigit(digits.slice(0, len).join(''));
          expect(isValidGtin(code)).toBe(true);
          const pos = posSeed % code.length;
          const altered = code.slice(0, pos) + String((Number(code[pos]) + delta) % 10) + code.slice(pos + 1);
          expect(isValidGtin(altered)).toBe(false);
        },
      ),
    );
  });

  it('normalises every length to 14 digits and expands UPC-E', () => {
    expect(normalizeGtin('4006381333931')).toBe('04006381333931');
    expect(normalizeGtin('036000291452')).toBe('00036000291452');
    expect(expandUpcE('01234565')).toBe('012345000065');
    expect(expandUpcE('04252614')).toBe('042100005264');
    expect(expandUpcE('01234566')).toBeUndefined();
    // 01234565 is a valid EAN-8 as well; only the symbology tells them apart.
    expect(normalizeGtin('04252614')).toBe('00042100005264');
    expect(parseBarcode('01234565', { symbology: 'upc-e' })).toMatchObject({
      gtin: '00012345000065',
      upcE: '01234565',
    });
    expect(parseBarcode('01234565')).toMatchObject({ format: 'GTIN-8' });
    expect(normalizeGtin('123')).toBeUndefined();
  });

  it('recognises ISBN and ISSN', () => {
    expect(bookNumber('9783161484100')).toEqual({
      kind: 'isbn',
      isbn13: '9783161484100',
      isbn10: '316148410X',
    });
    expect(bookNumber('9770317847001')).toEqual({ kind: 'issn', issn: '0317-8471', variant: '00' });
    expect(parseBarcode('9783161484100')).toMatchObject({ kind: 'gtin', book: { isbn10: '316148410X' } });
  });
});

describe('price check digits', () => {
  it('matches the GS1 worked examples', () => {
    expect(priceCheckDigit('2875')).toBe(9);
    expect(priceCheckDigit('14685')).toBe(6);
  });
});

describe('AIM identifiers', () => {
  it('splits the identifier and names the symbology', () => {
    expect(decodeAim(']E04006381333931')).toEqual({ aim: ']E0', symbology: 'ean-13', data: '4006381333931' });
    expect(decodeAim(']C1010950110153000317')?.symbology).toBe('gs1-128');
    expect(decodeAim(']E496385074')?.symbology).toBe('ean-8');
    expect(decodeAim(']Q1hello')?.symbology).toBe('qr-code');
    expect(decodeAim(']]]')).toBeUndefined();
    expect(decodeAim('4006381333931')).toBeUndefined();
  });

  it('keeps the symbology through parseBarcode', () => {
    expect(parseBarcode(']E04006381333931')).toMatchObject({
      kind: 'gtin',
      symbology: 'ean-13',
      gtin: '04006381333931',
    });
  });
});

describe('GS1 element strings', () => {
  it('reads fixed, variable, decimal and date AIs with GS separators', () => {
    const els = parseGs1ElementString(
      `]C10109501101530003${'3103'}000375${'10'}LOT42${GS}17260531${'3922'}499`,
    );
    expect(els.map((e) => [e.ai, e.value])).toEqual([
      ['01', '09501101530003'],
      ['3103', '0.375'],
      ['10', 'LOT42'],
      ['17', '2026-05-31'],
      ['3922', '4.99'],
    ]);
  });

  it('reads the bracketed form and day 00 as the end of the month', () => {
    const els = parseGs1ElementString('(01)09501101530003(15)260200');
    expect(els[1]).toMatchObject({ ai: '15', value: '2026-02-28' });
  });

  it('reports a wrong GTIN check digit inside the string as invalid, not as an item', () => {
    const p = parseBarcode(`]C10109501101530004${'3103'}000375`);
    expect(p).toMatchObject({ kind: 'invalid', code: 'barcode.invalid_check_digit' });
  });

  it('rejects unknown AIs and truncated fixed fields', () => {
    expect(parseBarcode(']C1010950110153')).toMatchObject({
      kind: 'invalid',
      code: 'barcode.invalid_element',
    });
    expect(parseBarcode(']C1550000')).toMatchObject({ kind: 'invalid' });
    expect(parseBarcode(']C11713')).toMatchObject({ kind: 'invalid' });
  });

  it('round-trips generated element strings (property)', () => {
    const gtin = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 })
      .map((d) => withCheckDigit(d.join('')));
    const lot = fc.stringMatching(/^[A-Z0-9]{1,20}$/);
    const grams = fc.integer({ min: 0, max: 999_999 });
    fc.assert(
      fc.property(gtin, lot, grams, (g, l, w) => {
        const data = `]C101${g}10${l}${GS}3103${String(w).padStart(6, '0')}`;
        const p = parseBarcode(data);
        expect(p.kind).toBe('gs1');
        if (p.kind !== 'gs1') return;
        expect(p.gtin).toBe(g);
        expect(p.elements[1]?.value).toBe(l);
        expect(Number(p.netWeight?.value) * 1000).toBeCloseTo(w, 6);
      }),
    );
  });
});

function ean13WithWeight(prefixAndItem: string, value: string, withPriceCheck: boolean): string {
  const body = withPriceCheck
    ? `${prefixAndItem}${priceCheckDigit(value)}${value}`
    : `${prefixAndItem}${value}`;
  return withCheckDigit(body);
}

describe('variable-measure EAN-13', () => {
  it('Germany 28: weight with price check digit', () => {
    const code = ean13WithWeight('281234', '00375', true);
    const p = parseBarcode(code, { variableMeasure: 'DE' });
    expect(p).toMatchObject({
      kind: 'variable-measure',
      measure: 'weight',
      value: '0.375',
      unit: 'kg',
      region: 'DE',
    });
    if (p.kind === 'variable-measure') {
      expect(p.itemGtin).toBe(withCheckDigit(`281234${priceCheckDigit('00000')}00000`));
      expect(isValidGtin(p.itemGtin)).toBe(true);
    }
  });

  it('Germany: a wrong price check digit is invalid even with a correct EAN check digit', () => {
    const good = ean13WithWeight('281234', '00375', true);
    const wrongC = String((Number(good[6]) + 1) % 10);
    const bad = withCheckDigit(`${good.slice(0, 6)}${wrongC}${good.slice(7, 12)}`);
    expect(parseBarcode(bad, { variableMeasure: 'DE' })).toMatchObject({
      kind: 'invalid',
      code: 'barcode.invalid_check_digit',
    });
  });

  it('Sweden 23/24/20: weight with 3 and 2 decimals, price with 2', () => {
    expect(parseBarcode(ean13WithWeight('23123456', '0375', false), { variableMeasure: 'SE' })).toMatchObject(
      {
        measure: 'weight',
        value: '0.375',
      },
    );
    expect(parseBarcode(ean13WithWeight('24123456', '1234', false), { variableMeasure: 'SE' })).toMatchObject(
      {
        measure: 'weight',
        value: '12.34',
      },
    );
    expect(parseBarcode(ean13WithWeight('20123456', '0499', false), { variableMeasure: 'SE' })).toMatchObject(
      {
        measure: 'price',
        value: '4.99',
        currency: 'SEK',
      },
    );
  });

  it('UK 02 and 20: price in pence with a 4-digit price check', () => {
    const code = ean13WithWeight('0212345', '2875', true);
    expect(code[7]).toBe('9');
    expect(parseBarcode(code, { variableMeasure: 'GB' })).toMatchObject({
      measure: 'price',
      value: '28.75',
      currency: 'GBP',
    });
  });

  it('Netherlands 28: weight in grams', () => {
    expect(parseBarcode(ean13WithWeight('281234', '01250', true), { variableMeasure: 'NL' })).toMatchObject({
      measure: 'weight',
      value: '1.250',
    });
  });

  it('decodes any weight and keeps the item key stable (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9999 }), (grams, item) => {
        const ref = `28${String(item).padStart(4, '0')}`;
        const code = ean13WithWeight(ref, String(grams).padStart(5, '0'), true);
        const p = parseBarcode(code, { variableMeasure: 'DE' });
        expect(p.kind).toBe('variable-measure');
        if (p.kind !== 'variable-measure') return;
        expect(Math.round(Number(p.value) * 1000)).toBe(grams);
        expect(p.itemGtin).toBe(ean13WithWeight(ref, '00000', true));
      }),
    );
  });

  it('without a table a 2x code is a restricted-circulation GTIN', () => {
    const code = ean13WithWeight('281234', '00375', true);
    expect(parseBarcode(code)).toMatchObject({ kind: 'gtin', restrictedCirculation: true });
  });
});

describe('parseBarcode input and odd data', () => {
  it('throws a KassaError for non-strings', () => {
    try {
      parseBarcode(42 as unknown as string);
      expect.unreachable();
    } catch (e) {
      expect(isKassaError(e) && e.code).toBe('device.invalid_input');
    }
    expect(() => parseBarcode('')).toThrow(/barcode/);
  });

  it('treats text and numeric codes of other symbologies as other', () => {
    expect(parseBarcode('LOYALTY-1234')).toMatchObject({ kind: 'other' });
    expect(parseBarcode(']C04006381333932')).toMatchObject({ kind: 'other', symbology: 'code-128' });
    expect(parseBarcode('4006381333932')).toMatchObject({ kind: 'invalid' });
  });
});

describe('toAddCommand', () => {
  const items = new Map([
    ['04006381333931', { sku: 'pen', name: 'Pen', unitPrice: '1.99' }],
    [
      `0${ean13WithWeight('281234', '00000', true)}`,
      { sku: 'cheese', name: 'Gouda', unitPrice: '12.90', unit: 'kg' },
    ],
    [
      `0${ean13WithWeight('231234', '00000', true)}`,
      { sku: 'cake', name: 'Cake', unitPrice: '0', unit: 'each' },
    ],
    ['09501101530003', { sku: 'apples', unitPrice: '2.40', unit: 'kg' }],
  ]);
  const catalog = { lookupByGtin: (g: string) => items.get(g) };

  it('adds one unit of a plain GTIN', () => {
    const r = toAddCommand(parseBarcode('4006381333931'), catalog);
    expect(r).toMatchObject({ ok: true, command: { sku: 'pen', quantity: '1' } });
  });

  it('adds the measured quantity of an embedded weight', () => {
    const r = toAddCommand(
      parseBarcode(ean13WithWeight('281234', '00375', true), { variableMeasure: 'DE' }),
      catalog,
    );
    expect(r).toMatchObject({ ok: true, command: { sku: 'cheese', quantity: '0.375', unitPrice: '12.90' } });
  });

  it('turns an embedded price into a price override on one unit', () => {
    const r = toAddCommand(
      parseBarcode(ean13WithWeight('231234', '00499', true), { variableMeasure: 'DE' }),
      catalog,
    );
    expect(r).toMatchObject({ ok: true, command: { sku: 'cake', quantity: '1', unitPrice: '4.99' } });
  });

  it('uses the net weight of a GS1 string', () => {
    const r = toAddCommand(
      parseBarcode(']C10109501101530003310300123'.replace('30003310300123', '300033103001234')),
      catalog,
    );
    expect(r).toMatchObject({ ok: true, command: { sku: 'apples', quantity: '1.234' } });
  });

  it('never turns a wrong check digit into a line', () => {
    const r = toAddCommand(parseBarcode('4006381333932'), catalog);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('barcode.invalid_check_digit');
  });

  it('needs a stable, positive weight for a weighed item scanned by its plain GTIN', () => {
    const p = parseBarcode('09501101530003');
    const noWeight = toAddCommand(p, catalog);
    expect(!noWeight.ok && noWeight.error.code).toBe('barcode.weight_required');
    const unstable = toAddCommand(p, catalog, { weight: { weight: '0.500', unit: 'kg', stable: false } });
    expect(!unstable.ok && unstable.error.code).toBe('device.unstable_weight');
    const zero = toAddCommand(p, catalog, { weight: { weight: '0.000', unit: 'kg', stable: true } });
    expect(!zero.ok && zero.error.code).toBe('device.invalid_weight');
    const ok = toAddCommand(p, catalog, { weight: { weight: '0.500', unit: 'kg', stable: true } });
    expect(ok).toMatchObject({ ok: true, command: { quantity: '0.500' } });
  });

  it('reports unknown products', () => {
    const r = toAddCommand(parseBarcode('96385074'), catalog);
    expect(!r.ok && r.error.code).toBe('barcode.unknown_product');
  });

  it('works with the cart catalog shape (lookup ignoring leading zeros)', () => {
    const cartCatalog = {
      lookup: (code: string) =>
        code.replace(/^0+/, '') === '4006381333931' ? { sku: 'pen', unitPrice: '1.99' } : undefined,
    };
    expect(toAddCommand(parseBarcode('4006381333931'), cartCatalog)).toMatchObject({ ok: true });
  });
});
