import { gs1CheckDigit } from '../../symbology/index.js';

export { gs1CheckDigit };

/** True when `code` is all digits and its last digit is the GS1 check digit of the rest. */
export function hasValidGs1CheckDigit(code: string): boolean {
  if (!/^\d{2,}$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

// The weighting functions of GS1 General Specifications 7.9.2: a product, then the sum or the
// difference of its two digits. Written as arithmetic instead of lookup tables.
const twoMinus = (d: number): number => {
  const p = 2 * d;
  return ((((p % 10) - Math.floor(p / 10)) % 10) + 10) % 10;
};
const three = (d: number): number => (3 * d) % 10;
const fivePlus = (d: number): number => {
  const p = 5 * d;
  return ((p % 10) + Math.floor(p / 10)) % 10;
};
const fiveMinus = (d: number): number => {
  const p = 5 * d;
  return ((((p % 10) - Math.floor(p / 10)) % 10) + 10) % 10;
};

/**
 * The price (or weight) check digit that variable-measure EAN-13 layouts put in front of a
 * 4- or 5-digit value field (GS1 General Specifications 7.9.3 and 7.9.4).
 */
export function priceCheckDigit(value: string): number {
  if (!/^\d{4,5}$/.test(value)) throw new RangeError(`price check digit needs 4 or 5 digits, got ${value}`);
  const d = [...value].map((c) => c.charCodeAt(0) - 48);
  if (d.length === 4) {
    const sum = twoMinus(d[0]!) + twoMinus(d[1]!) + three(d[2]!) + fiveMinus(d[3]!);
    return (sum * 3) % 10;
  }
  const sum = fivePlus(d[0]!) + twoMinus(d[1]!) + fiveMinus(d[2]!) + fivePlus(d[3]!) + twoMinus(d[4]!);
  const target = (10 - (sum % 10)) % 10;
  // The result is the digit whose 5- weight equals the target.
  for (let c = 0; c < 10; c++) if (fiveMinus(c) === target) return c;
  /* c8 ignore next */
  throw new Error('unreachable');
}

/** ISBN-10 / ISSN style mod-11 check character ('X' for 10) of `body`. */
export function mod11CheckChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (body.charCodeAt(i) - 48) * (body.length + 1 - i);
  const c = (11 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}
