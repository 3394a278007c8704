import { upcEToUpcABody } from '../symbology/index.js';
import type { BarcodeBlock } from './document.js';
import { fullBarcodeValue, gs1CheckDigit } from './document.js';

// CODE128 symbol patterns 0-106: widths of bar, space, bar, space, bar, space (stop adds a bar).
const C128 =
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112'.split(
    ' ',
  );

// EAN/UPC left-hand odd-parity digit patterns; even parity and right-hand patterns derive from them.
const EAN_L = [
  '0001101',
  '0011001',
  '0010011',
  '0111101',
  '0100011',
  '0110001',
  '0101111',
  '0111011',
  '0110111',
  '0001011',
];
const EAN_PARITY = [
  '000000',
  '001011',
  '001101',
  '001110',
  '010011',
  '011001',
  '011100',
  '010101',
  '010110',
  '011010',
];

const invert = (bits: string): string => bits.replace(/./g, (b) => (b === '0' ? '1' : '0'));

function runs(bits: string): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < bits.length) {
    let j = i;
    while (j < bits.length && bits[j] === bits[i]) j++;
    out.push(j - i);
    i = j;
  }
  return out;
}

function ean(digits: string): number[] {
  const n = digits.length;
  const left = n === 13 ? digits.slice(1, 7) : digits.slice(0, 4);
  const right = n === 13 ? digits.slice(7) : digits.slice(4);
  const parity = n === 13 ? EAN_PARITY[Number(digits[0])]! : '0000';
  let bits = '101';
  for (let i = 0; i < left.length; i++) {
    const l = EAN_L[Number(left[i])]!;
    bits += parity[i] === '1' ? [...invert(l)].reverse().join('') : l;
  }
  bits += '01010';
  for (const d of right) bits += invert(EAN_L[Number(d)]!);
  return runs(`${bits}101`);
}

function code128(value: string): number[] {
  const codes: number[] = [];
  if (/^(?:[0-9]{2}){2,}$/.test(value)) {
    codes.push(105);
    for (let i = 0; i < value.length; i += 2) codes.push(Number(value.slice(i, i + 2)));
  } else {
    codes.push(104);
    for (let i = 0; i < value.length; i++) codes.push(value.charCodeAt(i) - 32);
  }
  let check = codes[0]!;
  for (let i = 1; i < codes.length; i++) check += codes[i]! * i;
  codes.push(check % 103, 106);
  return codes.flatMap((c) => [...C128[c]!].map(Number));
}

// UPC-E parity of the six digits (1 = even, a G code) for number system 0, by check digit;
// number system 1 uses the opposite parities.
const UPCE_PARITY = [
  '111000',
  '110100',
  '110010',
  '110001',
  '101100',
  '100110',
  '100011',
  '101010',
  '101001',
  '100101',
];

function upce(value: string): number[] | undefined {
  // 6 digits: number system 0; 7 or 8: the number system first (0 or 1), then the six digits.
  const ns = value.length === 6 ? '0' : value[0]!;
  if (ns !== '0' && ns !== '1') return undefined;
  const digits = value.length === 6 ? value : value.slice(1, 7);
  const check = gs1CheckDigit(upcEToUpcABody(ns, digits));
  const parity = UPCE_PARITY[check]!;
  let bits = '101';
  for (let i = 0; i < 6; i++) {
    const l = EAN_L[Number(digits[i])]!;
    const even = (parity[i] === '1') === (ns === '0');
    bits += even ? [...invert(l)].reverse().join('') : l;
  }
  return runs(`${bits}010101`);
}

// CODE39, ITF and Codabar elements are narrow or wide; kassa draws wide as three narrow (the
// printers' module counts assume the same), with a narrow gap between CODE39 and Codabar characters.
const WIDE = 3;
const elements = (pattern: number, count: number): number[] => {
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i--) out.push((pattern >> i) & 1 ? WIDE : 1);
  return out;
};

// Nine elements per character (bar first), 1 = wide; '*' is the start and stop character.
const C39_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%*';
const C39 = [
  0x034, 0x121, 0x061, 0x160, 0x031, 0x130, 0x070, 0x025, 0x124, 0x064, 0x109, 0x049, 0x148, 0x019, 0x118,
  0x058, 0x00d, 0x10c, 0x04c, 0x01c, 0x103, 0x043, 0x142, 0x013, 0x112, 0x052, 0x007, 0x106, 0x046, 0x016,
  0x181, 0x0c1, 0x1c0, 0x091, 0x190, 0x0d0, 0x085, 0x184, 0x0c4, 0x0a8, 0x0a2, 0x08a, 0x02a, 0x094,
];

function code39(value: string): number[] {
  const out: number[] = [];
  for (const ch of `*${value}*`) {
    if (out.length > 0) out.push(1);
    out.push(...elements(C39[C39_CHARS.indexOf(ch)]!, 9));
  }
  return out;
}

// Five elements per digit, 1 = wide; ITF puts a pair's first digit in the bars, the second in the spaces.
const ITF = [0x06, 0x11, 0x09, 0x18, 0x05, 0x14, 0x0c, 0x03, 0x12, 0x0a];

function itf(value: string): number[] {
  const out = [1, 1, 1, 1];
  for (let i = 0; i < value.length; i += 2) {
    const bars = elements(ITF[Number(value[i])]!, 5);
    const spaces = elements(ITF[Number(value[i + 1])]!, 5);
    for (let k = 0; k < 5; k++) out.push(bars[k]!, spaces[k]!);
  }
  out.push(WIDE, 1, 1);
  return out;
}

// Seven elements per character (bar first), 1 = wide.
const CODABAR_CHARS = '0123456789-$:/.+ABCD';
const CODABAR = [
  0x03, 0x06, 0x09, 0x60, 0x12, 0x42, 0x21, 0x24, 0x30, 0x48, 0x0c, 0x18, 0x45, 0x51, 0x54, 0x15, 0x1a, 0x29,
  0x0b, 0x0e,
];

function codabar(value: string): number[] {
  const out: number[] = [];
  for (const ch of value.toUpperCase()) {
    if (out.length > 0) out.push(1);
    out.push(...elements(CODABAR[CODABAR_CHARS.indexOf(ch)]!, 7));
  }
  return out;
}

// CODE93: 9 modules per character as six widths (bar first), values 0-46 in this order; the
// last four are the shifts ($) (%) (/) (+) of full ASCII, then the start/stop character.
const C93_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';
const C93 = [
  0x114, 0x148, 0x144, 0x142, 0x128, 0x124, 0x122, 0x150, 0x112, 0x10a, 0x1a8, 0x1a4, 0x1a2, 0x194, 0x192,
  0x18a, 0x168, 0x164, 0x162, 0x134, 0x11a, 0x158, 0x14c, 0x146, 0x12c, 0x116, 0x1b4, 0x1b2, 0x1ac, 0x1a6,
  0x196, 0x19a, 0x16c, 0x166, 0x136, 0x13a, 0x12e, 0x1d4, 0x1d2, 0x1ca, 0x16e, 0x176, 0x1ae, 0x126, 0x1da,
  0x1d6, 0x132, 0x15e,
];
const SHIFT = { $: 43, '%': 44, '/': 45, '+': 46 } as const;
// Printable ASCII outside the 43 characters, as (shift, letter) in full ASCII.
const C93_FULL: Record<string, [keyof typeof SHIFT, string]> = {};
for (const [shift, chars, letters] of [
  ['/', '!"#&\'()*,:', 'ABCFGHIJLZ'],
  ['%', ';<=>?[\\]^_{|}~@`', 'FGHIJKLMNOPQRSVW'],
] as const) {
  for (let i = 0; i < chars.length; i++) C93_FULL[chars[i]!] = [shift, letters[i]!];
}

function code93(value: string): number[] {
  const values: number[] = [];
  for (const ch of value) {
    const direct = C93_CHARS.indexOf(ch);
    if (direct >= 0) values.push(direct);
    else if (ch >= 'a' && ch <= 'z') values.push(SHIFT['+'], C93_CHARS.indexOf(ch.toUpperCase()));
    else {
      const [shift, letter] = C93_FULL[ch]!;
      values.push(SHIFT[shift], C93_CHARS.indexOf(letter));
    }
  }
  // Two modulo-47 check characters, weights 1-20 and then 1-15 from the right.
  for (const cycle of [20, 15]) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[values.length - 1 - i]! * ((i % cycle) + 1);
    values.push(sum % 47);
  }
  const out: number[] = [];
  for (const v of [47, ...values, 47]) out.push(...runs(C93[v]!.toString(2)));
  out.push(1); // termination bar
  return out;
}

/**
 * The bar and space widths in modules (narrow elements), starting with a bar, of a barcode as
 * the printer draws it: CODE128 in the code set kassa sends, EAN-13, EAN-8, UPC-A, UPC-E,
 * CODE39, ITF, Codabar and CODE93 (full ASCII, with its two check characters). `undefined`
 * for a UPC-E value whose number system is neither 0 nor 1, which has no UPC-E parity.
 * @internal
 */
export function barWidths(b: Pick<BarcodeBlock, 'symbology' | 'value'>): number[] | undefined {
  const value = fullBarcodeValue(b);
  switch (b.symbology) {
    case 'code128':
      return code128(value);
    case 'ean13':
    case 'ean8':
      return ean(value);
    case 'upca':
      return ean(`0${value}`);
    case 'upce':
      return upce(value);
    case 'code39':
      return code39(value);
    case 'itf':
      return itf(value);
    case 'codabar':
      return codabar(value);
    case 'code93':
      return code93(value);
  }
}
