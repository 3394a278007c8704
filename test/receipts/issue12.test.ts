import { describe, expect, it } from 'vitest';
import { gs1CheckDigit as devicesCheckDigit } from '../../src/devices/index.js';
import { isKassaError } from '../../src/errors.js';
import { gs1CheckDigit as receiptsCheckDigit } from '../../src/receipts/document.js';
import {
  decodeEscPos,
  epsonTmT20,
  generic58,
  type PrinterProfile,
  type ReceiptDocument,
  toEscPos,
  toText,
} from '../../src/receipts/index.js';

const doc = (blocks: ReceiptDocument['blocks'], columns = 48): ReceiptDocument => ({ columns, blocks });
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const cp437Only: PrinterProfile = { ...epsonTmT20, id: 'cp437-only', codepages: [{ name: 'cp437', id: 0 }] };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isKassaError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

describe('QR data is checked in bytes against the level and mode (issue 12 §2.1)', () => {
  it('rejects 3,000 euro signs (9,000 UTF-8 bytes) at every level', () => {
    for (const errorLevel of ['L', 'M', 'Q', 'H'] as const) {
      const d = doc([{ type: 'qr', data: '€'.repeat(3000), errorLevel }]);
      expect(codeOf(() => toEscPos(d, epsonTmT20))).toBe('receipt.qr_too_large');
    }
  });

  it('holds each mode to its own capacity', () => {
    const at = (data: string, errorLevel: 'L' | 'M' | 'Q' | 'H') =>
      codeOf(() => toEscPos(doc([{ type: 'qr', data, errorLevel }]), epsonTmT20));
    expect(at('1'.repeat(7089), 'L')).toBe('no error');
    expect(at('1'.repeat(3058), 'H')).toBe('receipt.qr_too_large');
    expect(at('A'.repeat(4296), 'L')).toBe('no error');
    expect(at('A'.repeat(4297), 'L')).toBe('receipt.qr_too_large');
    expect(at('a'.repeat(2953), 'L')).toBe('no error');
    expect(at('a'.repeat(2954), 'L')).toBe('receipt.qr_too_large');
    expect(at('é'.repeat(1200), 'M')).toBe('receipt.qr_too_large'); // 2,400 bytes > 2,331
  });
});

describe('UPC-E number system 1 (issue 12 §2.2)', () => {
  it('prints what Epson GS k accepts: the same GTIN-12 as UPC-A', () => {
    const bytes = toEscPos(doc([{ type: 'barcode', symbology: 'upce', value: '1234567' }]), epsonTmT20);
    // GS k 66 (UPC-E) with a leading 1 makes an Epson feed paper and print nothing
    expect(hex(bytes)).not.toContain('1d6b42');
    // 1 234567 expands (last digit 5-9: five digits, four zeros, the last) to 1 23456 0000 7
    expect(hex(bytes)).toContain(`1d6b410b${Buffer.from('12345600007').toString('hex')}`);
    const decoded = decodeEscPos(bytes, { profile: epsonTmT20 });
    expect(decoded.blocks).toContainEqual(
      expect.objectContaining({ symbology: 'upca', value: `12345600007${devicesCheckDigit('12345600007')}` }),
    );
    // number system 0 stays a UPC-E
    const ns0 = toEscPos(doc([{ type: 'barcode', symbology: 'upce', value: '0123456' }]), epsonTmT20);
    expect(hex(ns0)).toContain('1d6b42');
  });

  it('rejects a number system other than 0 and 1, and a wrong UPC-E check digit', () => {
    expect(
      codeOf(() => toEscPos(doc([{ type: 'barcode', symbology: 'upce', value: '2234567' }]), epsonTmT20)),
    ).toBe('receipt.invalid_barcode');
    expect(
      codeOf(() => toEscPos(doc([{ type: 'barcode', symbology: 'upce', value: '01234569' }]), epsonTmT20)),
    ).toBe('receipt.invalid_barcode');
    expect(
      codeOf(() => toEscPos(doc([{ type: 'barcode', symbology: 'upce', value: '01234565' }]), epsonTmT20)),
    ).toBe('no error');
  });
});

describe('rules and Intl currency signs are transliterated (issue 12 §2.4)', () => {
  it('prints no ? on a CP437-only printer for an em-dash rule, ￥ and ₽', () => {
    const d = doc([
      { type: 'rule', char: '—' },
      { type: 'text', text: '￥1,258' },
      { type: 'text', text: '1 258,00 ₽' },
      { type: 'rule', char: '€' },
    ]);
    const text = toText(decodeEscPos(toEscPos(d, cp437Only), { profile: cp437Only }));
    expect(text).not.toContain('?');
    const lines = text.split('\n');
    expect(lines[0]).toBe('-'.repeat(48));
    expect(lines[1]).toBe('¥1,258');
    expect(lines[2]).toBe('1 258,00 RUB');
    expect(lines[3]).toHaveLength(48);
  });
});

describe('columns wider than font A (issue 12 §2.5)', () => {
  it('selects font B when it holds the columns, and rejects what no font holds', () => {
    const d = doc([{ type: 'text', text: 'x'.repeat(64) }], 64);
    const bytes = toEscPos(d, epsonTmT20, { columns: 64 });
    expect(hex(bytes)).toContain('1b4d01');
    expect(hex(toEscPos(d, epsonTmT20))).not.toContain('1b4d01');
    expect(codeOf(() => toEscPos(d, epsonTmT20, { columns: 65 }))).toBe('receipt.columns_too_wide');
    const noFontB: PrinterProfile = { ...epsonTmT20, id: 'no-b', fonts: { A: 48 } };
    expect(codeOf(() => toEscPos(d, noFontB, { columns: 64 }))).toBe('receipt.columns_too_wide');
  });
});

describe('QR and barcode fallback text (issue 12 §2.6)', () => {
  it('wraps and transliterates the text a profile without QR prints instead', () => {
    const noQr: PrinterProfile = {
      ...generic58,
      id: 'no-qr',
      qr: false,
      codepages: [{ name: 'cp437', id: 0 }],
    };
    const data = `https://example.com/r/${'ab'.repeat(20)}?s=€`;
    const text = toText(decodeEscPos(toEscPos(doc([{ type: 'qr', data }], 32), noQr), { profile: noQr }));
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(32);
    expect(text).not.toContain('?s=?');
    expect(text.replace(/\s+/g, '')).toBe(data.replace('€', 'EUR'));
  });
});

describe('real-time commands are switched off where the profile can (issue 12 §2.7)', () => {
  it('sends GS ( D after ESC @ on Epson, not on a profile without it', () => {
    const d = doc([{ type: 'barcode', symbology: 'code128', value: '10200114' }]);
    const epson = toEscPos(d, epsonTmT20);
    expect(hex(epson.subarray(5, 15))).toBe('1d284405001401000200');
    // the CODE128 code set C data holds 0a 14 01 0e: DLE DC4 1 would pulse the drawer
    expect(hex(epson)).toContain('0a14010e');
    expect(hex(toEscPos(d, generic58))).not.toContain('1d2844');
    expect(decodeEscPos(epson, { profile: epsonTmT20 }).warnings ?? []).toEqual([]);
  });
});

describe('sizes end with the line (issue 12 §2.8)', () => {
  it('resets double height before the line feed, so the next line pads at normal height', () => {
    const d = doc([
      { type: 'text', text: 'BIG', style: { height: 2 } },
      { type: 'text', text: 'small', align: 'right' },
    ]);
    const h = hex(toEscPos(d, epsonTmT20));
    const big = h.indexOf(Buffer.from('BIG').toString('hex'));
    const after = h.slice(big + 6);
    expect(after.startsWith('1d2100' + '0a')).toBe(true);
  });
});

describe('one gs1CheckDigit below devices and receipts (issue 12 §3.3)', () => {
  it('is the same function in both', () => {
    expect(receiptsCheckDigit).toBe(devicesCheckDigit);
  });
});
