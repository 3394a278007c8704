/**
 * Barcode facts shared by `kassa/devices` (reading scans) and `kassa/receipts` (printing
 * codes): one symbology vocabulary and one GS1 check digit, so a scanned code and a printed
 * code are spoken of in the same words. Internal: both subpaths re-export what they need.
 * @module
 */

/**
 * Symbology names, spelled as the AIM identifiers' symbologies are spelled in kassa
 * (`'ean-13'`, `'upc-e'`, `'code-128'`); `'unknown'` when a scanner gave no usable hint.
 */
export type Symbology =
  | 'ean-13'
  | 'ean-8'
  | 'upc-a'
  | 'upc-e'
  | 'ean-addon'
  | 'code-128'
  | 'gs1-128'
  | 'code-39'
  | 'code-93'
  | 'code-11'
  | 'codabar'
  | 'itf'
  | 'gs1-databar'
  | 'data-matrix'
  | 'gs1-data-matrix'
  | 'qr-code'
  | 'gs1-qr-code'
  | 'pdf417'
  | 'aztec'
  | 'maxicode'
  | 'msi'
  | 'telepen'
  | 'other'
  | 'unknown';

/**
 * The GS1 mod-10 check digit of `body` (all digits but the check digit), weights 3 and 1
 * counted from the right. Used by GTIN-8/12/13/14, SSCC and GLN alike.
 */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += (body.charCodeAt(i) - 48) * weight;
    weight = weight === 3 ? 1 : 3;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * The 11 UPC-A digits (without check digit) that a UPC-E's number system and six middle
 * digits stand for (the zero-suppression rules keyed by the sixth digit).
 */
export function upcEToUpcABody(ns: string, six: string): string {
  const last = six[5]!;
  if (last <= '2') return `${ns}${six.slice(0, 2)}${last}0000${six.slice(2, 5)}`;
  if (last === '3') return `${ns}${six.slice(0, 3)}00000${six.slice(3, 5)}`;
  if (last === '4') return `${ns}${six.slice(0, 4)}00000${six[4]}`;
  return `${ns}${six.slice(0, 5)}0000${last}`;
}
