import { describe, expect, it } from 'vitest';
import {
  GS,
  gs1CheckDigit,
  parseBarcode,
  parseGs1ElementString,
  withCheckDigit,
} from '../../src/devices/index.js';

describe('8-digit codes (issue 12 §1.1)', () => {
  it('an EAN-8 with a bad check digit is invalid, never re-read as UPC-E', () => {
    for (const [data, rules] of [
      [']E415156026', undefined],
      ['15156026', undefined],
      ['15156026', { symbology: 'ean-8' as const }],
      ['01234566', undefined],
    ] as const) {
      const r = parseBarcode(data, rules);
      expect(r.kind, data).toBe('invalid');
    }
  });

  it('8 digits are a UPC-E only when the symbology says so', () => {
    expect(parseBarcode('01234565', { symbology: 'upc-e' })).toMatchObject({
      kind: 'gtin',
      gtin: '00012345000065',
      format: 'GTIN-12',
      upcE: '01234565',
    });
    expect(parseBarcode('01234565')).toMatchObject({ kind: 'gtin', format: 'GTIN-8' });
  });
});

describe('variable-measure numbers in every GTIN form (issue 12 §1.2)', () => {
  it('decodes the 14-digit form and the 12-digit UPC-A form', () => {
    expect(parseBarcode('02211114002394', { variableMeasure: 'DE' })).toMatchObject({
      kind: 'variable-measure',
      measure: 'price',
      value: '2.39',
      gtin: '02211114002394',
    });
    expect(parseBarcode('2211114002394', { variableMeasure: 'DE' })).toMatchObject({ value: '2.39' });
    expect(parseBarcode('211122912342', { variableMeasure: 'GB' })).toMatchObject({
      kind: 'variable-measure',
      measure: 'price',
      value: '12.34',
      currency: 'GBP',
    });
    expect(parseBarcode(']E00211122912342', { variableMeasure: 'GB' })).toMatchObject({ value: '12.34' });
  });

  it('a GTIN-14 with an indicator digit is not restricted circulation', () => {
    const code = withCheckDigit('1221111400239');
    expect(parseBarcode(code, { variableMeasure: 'DE' })).toMatchObject({
      kind: 'gtin',
      restrictedCirculation: false,
    });
    expect(parseBarcode('02211114002394')).toMatchObject({ kind: 'gtin', restrictedCirculation: true });
  });
});

describe('format is the GTIN format (issue 12 §1.3)', () => {
  it('reads the format from the 14-digit form', () => {
    expect(parseBarcode('05901234123457')).toMatchObject({ format: 'GTIN-13' });
    expect(parseBarcode('5901234123457')).toMatchObject({ format: 'GTIN-13' });
    expect(parseBarcode(']E00036000291452')).toMatchObject({ format: 'GTIN-12', gtin: '00036000291452' });
    expect(parseBarcode('00000096385074')).toMatchObject({ format: 'GTIN-8' });
    expect(parseBarcode(withCheckDigit('1590123412345'))).toMatchObject({ format: 'GTIN-14' });
  });
});

describe('AIM data length (issue 12 §1.4)', () => {
  it(']E0 carries exactly 13 digits and ]E4 exactly 8', () => {
    for (const data of [']E0036000291452', ']E096385074', ']E040063813339310', ']E0400638133393A']) {
      expect(parseBarcode(data), data).toMatchObject({ kind: 'invalid', code: 'barcode.invalid_length' });
    }
    expect(parseBarcode(']E44006381333931')).toMatchObject({
      kind: 'invalid',
      code: 'barcode.invalid_length',
    });
    expect(parseBarcode(']E04006381333931')).toMatchObject({ kind: 'gtin', format: 'GTIN-13' });
    expect(parseBarcode(']E496385074')).toMatchObject({ kind: 'gtin', format: 'GTIN-8' });
  });
});

describe("gs1: 'detect' (issue 12 §1.5)", () => {
  const databar = `0109501101530003${'3103000375'}`;
  it('reads an unmarked element string only when asked', () => {
    expect(parseBarcode(databar).kind).toBe('other');
    expect(parseBarcode(databar, { gs1: 'detect' })).toMatchObject({
      kind: 'gs1',
      gtin: '09501101530003',
      netWeight: { value: '0.375', unit: 'kg' },
    });
    expect(parseBarcode(`0109501101530003${'10LOT7'}${GS}${'3103000375'}`, { gs1: 'detect' })).toMatchObject({
      kind: 'gs1',
      netWeight: { value: '0.375' },
    });
  });

  it('leaves data alone that does not parse cleanly with valid check digits', () => {
    // wrong GTIN check digit, unknown AI, no check-digit key, a plain GTIN, a loyalty number
    for (const data of ['0109501101530004', '01095011015300038912', '10ABC', '4006381333931', '1234567']) {
      const r = parseBarcode(data, { gs1: 'detect' });
      expect(r.kind === 'gs1', data).toBe(false);
    }
    expect(parseBarcode('4006381333931', { gs1: 'detect' }).kind).toBe('gtin');
  });
});

describe('GS1 AI table (issue 12 §1.6)', () => {
  it('knows the AIs of the General Specifications a till meets', () => {
    const s = `]C1${[
      '0109501101530003',
      `235TPX123${GS}`,
      `421276D-10115${GS}`,
      `4300ACME${GS}`,
      '7006260131',
      `7030276ABC${GS}`,
      `7230EMFOO${GS}`,
      `800309501101530003AB12${GS}`,
      '3370000125',
      '3662001500',
      '39420500',
      `4330000250-${GS}`,
      `712X1${GS}`,
      '4321',
      '1',
    ].join('')}`;
    const r = parseBarcode(s);
    expect(r.kind).toBe('gs1');
    if (r.kind !== 'gs1') return;
    expect(r.remainder).toBeUndefined();
    expect(r.elements.map((e) => e.ai)).toEqual([
      '01',
      '235',
      '421',
      '4300',
      '7006',
      '7030',
      '7230',
      '8003',
      '3370',
      '3662',
      '3942',
      '4330',
      '712',
      '4321',
    ]);
    expect(r.elements.find((e) => e.ai === '7006')?.value).toBe('2026-01-31');
    expect(r.elements.find((e) => e.ai === '3942')?.value).toBe('5.00');
  });

  it('keeps the elements before an unknown AI and reports the raw remainder', () => {
    const r = parseBarcode(`]C10109501101530003${'10AB'}${GS}8999XYZ${GS}17260101`);
    expect(r).toMatchObject({ kind: 'gs1', gtin: '09501101530003', remainder: `8999XYZ${GS}17260101` });
    if (r.kind === 'gs1') expect(r.elements.map((e) => e.ai)).toEqual(['01', '10']);
    expect(parseBarcode('(01)09501101530003(89)X')).toMatchObject({ kind: 'gs1', remainder: '(89)X' });
    // the strict parser still refuses, and a first AI that is unknown is still invalid
    expect(() => parseGs1ElementString(`0109501101530003${'8999X'}`)).toThrow(/unknown AI/);
    expect(parseBarcode(']C18999XYZ')).toMatchObject({ kind: 'invalid', code: 'barcode.invalid_element' });
  });

  it('checks the check digit of the new key AIs', () => {
    const body = '0950110153000';
    const bad = (gs1CheckDigit(body) + 1) % 10;
    expect(parseBarcode(`]C1417${body}${bad}`)).toMatchObject({ code: 'barcode.invalid_check_digit' });
  });
});

describe('national variable-measure tables (issue 12 §1.7)', () => {
  it("decodes GS1 Denmark's worked examples: a price in øre and a weight in grams", () => {
    // gs1.dk "EAN-13, intern med pris": kr. 39,75; "intern med mængde": 1,505 grams
    expect(parseBarcode(withCheckDigit('211234003975'), { variableMeasure: 'DK' })).toMatchObject({
      kind: 'variable-measure',
      region: 'DK',
      measure: 'price',
      value: '39.75',
      currency: 'DKK',
      itemReference: '211234',
      itemGtin: withCheckDigit('211234000000'),
    });
    expect(parseBarcode(withCheckDigit('281234001505'), { variableMeasure: 'DK' })).toMatchObject({
      measure: 'weight',
      value: '1.505',
      unit: 'kg',
    });
    expect(parseBarcode(withCheckDigit('271234501505'), { variableMeasure: 'DK' })).toMatchObject({
      measure: 'weight',
      value: '1.505',
      itemReference: '2712345',
    });
  });

  it('reads the 23-25 weights of Finland and the Baltic states with 3, 2 and 1 decimals', () => {
    for (const region of ['FI', 'EE', 'LV', 'LT'] as const) {
      for (const [prefix, value] of [
        ['23', '1.234'],
        ['24', '12.34'],
        ['25', '123.4'],
      ] as const) {
        const r = parseBarcode(withCheckDigit(`${prefix}1234561234`), { variableMeasure: region });
        expect(r, `${region} ${prefix}`).toMatchObject({
          kind: 'variable-measure',
          region,
          measure: 'weight',
          value,
          itemGtin: withCheckDigit(`${prefix}1234560000`),
        });
      }
      // no price prefix is defined there: a 20 code stays a plain restricted GTIN
      expect(parseBarcode(withCheckDigit('201234561234'), { variableMeasure: region }).kind).not.toBe(
        'variable-measure',
      );
    }
  });

  it('reads Norwegian prices in NOK and weights in kg', () => {
    expect(parseBarcode(withCheckDigit('201234561234'), { variableMeasure: 'NO' })).toMatchObject({
      measure: 'price',
      value: '12.34',
      currency: 'NOK',
    });
    expect(parseBarcode(withCheckDigit('221234561234'), { variableMeasure: 'NO' })).toMatchObject({
      measure: 'price',
      value: '1234',
    });
    expect(parseBarcode(withCheckDigit('231234561234'), { variableMeasure: 'NO' })).toMatchObject({
      measure: 'weight',
      value: '1.234',
    });
  });

  it('decodes the same number in its 12, 13 and 14 digit forms under every table', () => {
    const code = withCheckDigit('231234561234');
    for (const region of ['DK', 'NO', 'FI', 'EE', 'LV', 'LT', 'SE'] as const) {
      const thirteen = parseBarcode(code, { variableMeasure: region });
      expect(parseBarcode(`0${code}`, { variableMeasure: region })).toEqual({
        ...thirteen,
        data: `0${code}`,
      });
    }
  });
});
