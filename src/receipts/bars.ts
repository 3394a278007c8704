import type { BarcodeBlock } from './document.js';
import { fullBarcodeValue } from './document.js';

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

/**
 * The bar and space widths in modules, starting with a bar, of the barcodes the preview can
 * draw (CODE128 in the code set kassa sends, EAN-13, EAN-8, UPC-A); `undefined` for the rest.
 * @internal
 */
export function barWidths(b: Pick<BarcodeBlock, 'symbology' | 'value'>): number[] | undefined {
  const value = fullBarcodeValue(b);
  if (b.symbology === 'code128') return code128(value);
  if (b.symbology === 'ean13' || b.symbology === 'ean8') return ean(value);
  if (b.symbology === 'upca') return ean(`0${value}`);
  return undefined;
}
