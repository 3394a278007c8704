import { describe, expect, it } from 'vitest';
import {
  CASH_ROUNDING_DEFAULTS,
  cashRoundingFor,
  currencyCodes,
  isCurrency,
  minorUnits,
} from '../../src/money/index.js';

/**
 * Where CLDR (what `Intl.NumberFormat` formats with) disagrees with ISO 4217 on this Node
 * (20, ICU 74+). CLDR drops decimals that are not used in practice; ISO keeps the legal
 * minor unit, and kassa follows ISO (a bank transfer in HUF still has fillér, an Iraqi
 * invoice still has fils). Each entry is ISO's value, which overrides Intl's.
 */
const ISO_OVERRIDES_INTL: Readonly<Record<string, { iso: number; why: string }>> = {
  AFN: { iso: 2, why: 'puls are not used in cash; CLDR 0' },
  ALL: { iso: 2, why: 'qindarka not used; CLDR 0' },
  COP: { iso: 2, why: 'centavos not used; CLDR 0' },
  HUF: { iso: 2, why: 'fillér abolished 1999 in cash; CLDR 0 (cash rounding is to 5 forint)' },
  IDR: { iso: 2, why: 'sen not used; CLDR 0' },
  IQD: { iso: 3, why: 'fils not used; CLDR 0' },
  IRR: { iso: 2, why: 'dinar subunit not used; CLDR 0' },
  KPW: { iso: 2, why: 'chon not used; CLDR 0' },
  LAK: { iso: 2, why: 'att not used; CLDR 0' },
  LBP: { iso: 2, why: 'piastres not used; CLDR 0' },
  MGA: { iso: 2, why: 'iraimbilanja (1/5) not decimal; ISO lists 2; CLDR 0' },
  MMK: { iso: 2, why: 'pya not used; CLDR 0' },
  PKR: { iso: 2, why: 'paisa not used; CLDR 0' },
  SOS: { iso: 2, why: 'senti not used; CLDR 0' },
  SYP: { iso: 2, why: 'piastres not used; CLDR 0' },
  YER: { iso: 2, why: 'fils not used; CLDR 0' },
};

function intlDigits(code: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
    .maximumFractionDigits as number;
}

describe('minor units', () => {
  it('agree with Intl for every known currency, except the listed ISO overrides', () => {
    const codes = currencyCodes();
    expect(codes.length).toBeGreaterThan(150);
    const mismatches: string[] = [];
    for (const code of codes) {
      const expected = ISO_OVERRIDES_INTL[code]?.iso ?? intlDigits(code);
      if (minorUnits(code) !== expected)
        mismatches.push(`${code}: kassa ${minorUnits(code)}, expected ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('lists exactly the currencies where this Node disagrees (a new ICU is noticed)', () => {
    const disagreeing = currencyCodes().filter((code) => intlDigits(code) !== minorUnits(code));
    expect(disagreeing).toEqual(Object.keys(ISO_OVERRIDES_INTL).sort());
  });

  it('has the well-known values', () => {
    expect([minorUnits('JPY'), minorUnits('EUR'), minorUnits('KWD'), minorUnits('CLF')]).toEqual([
      0, 2, 3, 4,
    ]);
    expect([minorUnits('BHD'), minorUnits('TND'), minorUnits('ISK'), minorUnits('KRW')]).toEqual([
      3, 3, 0, 0,
    ]);
  });

  it('rejects unknown and badly written codes', () => {
    for (const code of ['XXX', 'eur', 'EURO', '', 'XTS', 'XAU']) {
      expect(isCurrency(code)).toBe(false);
      expect(() => minorUnits(code)).toThrow(
        expect.objectContaining({ code: 'validation.invalid_currency' }),
      );
    }
    expect(isCurrency(undefined)).toBe(false);
    expect(isCurrency(978)).toBe(false);
  });

  it('currencyCodes() is sorted and every code is three capitals', () => {
    const codes = currencyCodes();
    expect([...codes].sort()).toEqual(codes);
    for (const c of codes) expect(c).toMatch(/^[A-Z]{3}$/);
  });
});

describe('cashRoundingFor', () => {
  it('gives the documented defaults', () => {
    expect(cashRoundingFor('CHF')).toEqual({ step: '0.05' });
    expect(cashRoundingFor('SEK')).toEqual({ step: '1' });
    expect(cashRoundingFor('NOK')).toEqual({ step: '1' });
    expect(cashRoundingFor('DKK')).toEqual({ step: '0.50' });
    expect(cashRoundingFor('CAD')).toEqual({ step: '0.05' });
    expect(cashRoundingFor('AUD')).toEqual({ step: '0.05' });
    expect(cashRoundingFor('NZD')).toEqual({ step: '0.10' });
    expect(cashRoundingFor('CZK')).toEqual({ step: '1' });
    expect(cashRoundingFor('HUF')).toEqual({ step: '5' });
  });

  it('rounds the euro by country', () => {
    for (const country of ['NL', 'BE', 'FI', 'IE', 'IT', 'SK']) {
      expect(cashRoundingFor('EUR', country)).toEqual({ step: '0.05' });
    }
    expect(cashRoundingFor('EUR', 'DE')).toBeUndefined();
    expect(cashRoundingFor('EUR', 'FR')).toBeUndefined();
    expect(cashRoundingFor('EUR')).toBeUndefined();
  });

  it('gives nothing for currencies paid to the minor unit', () => {
    expect(cashRoundingFor('USD')).toBeUndefined();
    expect(cashRoundingFor('JPY')).toBeUndefined();
    expect(cashRoundingFor('GBP', 'GB')).toBeUndefined();
  });

  it('rejects an unknown currency instead of reading it as "no rounding"', () => {
    for (const code of ['eur', 'XXX', '']) {
      expect(() => cashRoundingFor(code, 'NL')).toThrow(
        expect.objectContaining({ code: 'validation.invalid_currency' }),
      );
    }
  });

  it('rejects a country that is not ISO 3166 alpha-2', () => {
    for (const country of ['nl', 'NLD', 'N', '']) {
      expect(() => cashRoundingFor('EUR', country)).toThrow(
        expect.objectContaining({
          code: 'validation.invalid_input',
          details: expect.objectContaining({ path: ['country'] }),
        }),
      );
    }
  });

  it('returns a copy: changing it does not change the defaults', () => {
    const r = cashRoundingFor('CHF')!;
    r.step = '1';
    expect(cashRoundingFor('CHF')).toEqual({ step: '0.05' });
    const nl = cashRoundingFor('EUR', 'NL')!;
    nl.step = '1';
    expect(cashRoundingFor('EUR', 'NL')).toEqual({ step: '0.05' });
    expect(Object.isFrozen(CASH_ROUNDING_DEFAULTS)).toBe(true);
  });

  it('every default step is a whole number of the currency minor unit', () => {
    for (const [currency, entry] of Object.entries(CASH_ROUNDING_DEFAULTS)) {
      const steps = 'step' in entry ? [entry.step as string] : Object.values(entry).map((e) => e.step);
      for (const step of steps) {
        const units = Number(step) * 10 ** minorUnits(currency);
        expect(Number.isInteger(Math.round(units * 1e6) / 1e6)).toBe(true);
      }
    }
  });
});
