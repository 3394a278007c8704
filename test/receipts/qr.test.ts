import fc from 'fast-check';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import {
  alignmentPositions,
  dataCodewords,
  encodeQr,
  formatBits,
  type QrLevel,
  type QrMatrix,
  rawDataModules,
  reedSolomon,
  versionBits,
} from '../../src/receipts/qr.js';

/** The symbol as an RGBA image, `scale` pixels per module, with a four-module quiet zone. */
function qrPixels(m: QrMatrix, scale = 3): { data: Uint8ClampedArray; width: number } {
  const width = (m.size + 8) * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) {
      if (!m.modules[r * m.size + c]) continue;
      for (let y = 0; y < scale; y++) {
        for (let x = 0; x < scale; x++) {
          const i = (((r + 4) * scale + y) * width + (c + 4) * scale + x) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
      }
    }
  }
  return { data, width };
}

function decode(m: QrMatrix) {
  const { data, width } = qrPixels(m);
  return jsQR(data, width, width, { inversionAttempts: 'dontInvert' });
}

/** The format information as placed around the top-left finder, bit 14 first. */
function readFormat(m: QrMatrix): number {
  const at = (r: number, c: number): number => m.modules[r * m.size + c]!;
  const cells: [number, number][] = [];
  for (let i = 0; i <= 5; i++) cells.push([i, 8]);
  cells.push([7, 8], [8, 8], [8, 7]);
  for (let i = 9; i < 15; i++) cells.push([8, 14 - i]);
  let bits = 0;
  cells.forEach(([r, c], i) => {
    bits |= at(r, c) << i;
  });
  return bits;
}

const LEVELS: QrLevel[] = ['L', 'M', 'Q', 'H'];
const utf8 = new TextEncoder();

describe('QR encoder: known answers from ISO/IEC 18004', () => {
  it('Reed-Solomon: the error correction codewords of the standard 5-Q example block', () => {
    const data = [67, 85, 70, 134, 87, 38, 85, 194, 119, 50, 6, 18, 6, 103, 38];
    expect([...reedSolomon(data, 18)]).toEqual([
      213, 199, 11, 45, 115, 247, 241, 223, 229, 248, 154, 117, 154, 111, 86, 161, 111, 39,
    ]);
  });

  it('format information (Annex C)', () => {
    const table: Record<string, string> = {
      L0: '111011111000100',
      L4: '110011000101111',
      M0: '101010000010010',
      M5: '100000011001110',
      Q0: '011010101011111',
      Q7: '010101111101101',
      H0: '001011010001001',
      H3: '001100111010000',
    };
    for (const [key, bits] of Object.entries(table)) {
      expect(
        formatBits(key[0] as QrLevel, Number(key[1]))
          .toString(2)
          .padStart(15, '0'),
        key,
      ).toBe(bits);
    }
  });

  it('version information (Annex D)', () => {
    expect(versionBits(7).toString(2).padStart(18, '0')).toBe('000111110010010100');
    expect(versionBits(8).toString(2).padStart(18, '0')).toBe('001000010110111100');
    expect(versionBits(40).toString(2).padStart(18, '0')).toBe('101000110001101001');
  });

  it('alignment pattern centres (Annex E)', () => {
    expect(alignmentPositions(1)).toEqual([]);
    expect(alignmentPositions(2)).toEqual([6, 18]);
    expect(alignmentPositions(7)).toEqual([6, 22, 38]);
    expect(alignmentPositions(15)).toEqual([6, 26, 48, 70]);
    expect(alignmentPositions(16)).toEqual([6, 26, 50, 74]);
    expect(alignmentPositions(32)).toEqual([6, 34, 60, 86, 112, 138]);
    expect(alignmentPositions(36)).toEqual([6, 24, 50, 76, 102, 128, 154]);
    expect(alignmentPositions(40)).toEqual([6, 30, 58, 86, 114, 142, 170]);
  });

  it('codewords per version (Table 1) and data codewords per level (Table 7)', () => {
    const total = [
      26, 44, 70, 100, 134, 172, 196, 242, 292, 346, 404, 466, 532, 581, 655, 733, 815, 901, 991, 1085, 1156,
      1258, 1364, 1474, 1588, 1706, 1828, 1921, 2051, 2185, 2323, 2465, 2611, 2761, 2876, 3034, 3196, 3362,
      3532, 3706,
    ];
    for (let v = 1; v <= 40; v++)
      expect(Math.floor(rawDataModules(v) / 8), `version ${v}`).toBe(total[v - 1]);
    expect(LEVELS.map((l) => dataCodewords(1, l))).toEqual([19, 16, 13, 9]);
    expect(LEVELS.map((l) => dataCodewords(10, l))).toEqual([274, 216, 154, 122]);
    expect(LEVELS.map((l) => dataCodewords(40, l))).toEqual([2956, 2334, 1666, 1276]);
  });

  it('picks the smallest version by the capacities of Table 7, per mode and level', () => {
    // Version 1 capacities: numeric, alphanumeric, byte.
    const v1: Record<QrLevel, [number, number, number]> = {
      L: [41, 25, 17],
      M: [34, 20, 14],
      Q: [27, 16, 11],
      H: [17, 10, 7],
    };
    for (const level of LEVELS) {
      const [numeric, alnum, bytes] = v1[level];
      for (const [char, n] of [
        ['7', numeric],
        ['K', alnum],
        ['k', bytes],
      ] as const) {
        expect(encodeQr(char.repeat(n), level)!.version, `${level} ${char} x ${n}`).toBe(1);
        expect(encodeQr(char.repeat(n + 1), level)!.version, `${level} ${char} x ${n + 1}`).toBe(2);
      }
    }
    expect(encodeQr('1'.repeat(7089), 'L')!.version).toBe(40);
    expect(encodeQr('1'.repeat(7090), 'L')).toBeUndefined();
    expect(encodeQr('x'.repeat(2953), 'L')!.version).toBe(40);
    expect(encodeQr('x'.repeat(1273), 'H')!.version).toBe(40);
    expect(encodeQr('x'.repeat(1274), 'H')).toBeUndefined();
  });
});

describe('QR encoder: read back by an independent decoder (jsQR)', () => {
  it('decodes every mask, with the level and mask in the format information', () => {
    for (const level of LEVELS) {
      for (let mask = 0; mask < 8; mask++) {
        const m = encodeQr('https://kaasboer.example/r/R-2026-000123', level, mask)!;
        expect(m.mask).toBe(mask);
        expect(readFormat(m)).toBe(formatBits(level, mask));
        expect(decode(m)?.data, `${level} mask ${mask}`).toBe('https://kaasboer.example/r/R-2026-000123');
      }
    }
  });

  it('decodes random payloads in every mode and level to the same bytes and version', () => {
    const payload = fc.oneof(
      fc.stringMatching(/^[0-9]{1,300}$/),
      fc.stringMatching(/^[0-9A-Z $%*+\-./:]{1,200}$/),
      fc.string({ minLength: 1, maxLength: 150, unit: 'grapheme' }),
      fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
    );
    fc.assert(
      fc.property(payload, fc.constantFrom(...LEVELS), (text, level) => {
        const m = encodeQr(text, level)!;
        expect(m.size).toBe(m.version * 4 + 17);
        expect(readFormat(m)).toBe(formatBits(level, m.mask));
        const result = decode(m);
        expect(result).not.toBeNull();
        expect(result!.version).toBe(m.version);
        expect(Uint8Array.from(result!.binaryData)).toEqual(utf8.encode(text));
      }),
      { numRuns: 150 },
    );
  });

  it('decodes the large versions, which carry version information', () => {
    for (const [text, level] of [
      ['x'.repeat(400), 'M'],
      ['0123456789'.repeat(150), 'Q'],
      ['€'.repeat(300), 'L'],
    ] as const) {
      const m = encodeQr(text, level)!;
      expect(m.version).toBeGreaterThanOrEqual(7);
      expect(decode(m)?.data).toBe(text);
    }
  });
});
