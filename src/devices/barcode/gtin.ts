import { upcEToUpcABody } from '../../symbology/index.js';
import { gs1CheckDigit, hasValidGs1CheckDigit, mod11CheckChar } from './check-digit.js';

/** The GTIN family member a code belongs to, by its length. */
export type GtinFormat = 'GTIN-8' | 'GTIN-12' | 'GTIN-13' | 'GTIN-14';

const FORMATS: Record<number, GtinFormat> = { 8: 'GTIN-8', 12: 'GTIN-12', 13: 'GTIN-13', 14: 'GTIN-14' };

/** The format of a GTIN by its length, or undefined for any other length or a non-digit. */
export function gtinFormat(code: string): GtinFormat | undefined {
  return /^\d+$/.test(code) ? FORMATS[code.length] : undefined;
}

/**
 * The format of a GTIN from its 14-digit form, whatever length it was sent in: leading
 * zeros are padding (GS1 General Specifications 3.3.2), so `'05901234123457'` is a GTIN-13.
 */
export function gtinFormatOf(gtin14: string): GtinFormat {
  if (gtin14.startsWith('000000')) return 'GTIN-8';
  if (gtin14.startsWith('00')) return 'GTIN-12';
  if (gtin14.startsWith('0')) return 'GTIN-13';
  return 'GTIN-14';
}

/** True for an 8, 12, 13 or 14 digit code with a correct check digit. */
export function isValidGtin(code: string): boolean {
  return gtinFormat(code) !== undefined && hasValidGs1CheckDigit(code);
}

/**
 * The 14-digit form of a GTIN (left-padded with zeros), the one key a catalog needs:
 * `4006381333931` and `04006381333931` are the same item. Expands a UPC-E code first.
 * Returns undefined when the code is not a valid GTIN.
 */
export function normalizeGtin(code: string): string | undefined {
  let c = code.trim();
  if (c.length === 8 && (c[0] === '0' || c[0] === '1') && !isValidGtin(c)) {
    // An 8-digit code that fails as GTIN-8 may still be a UPC-E.
    const expanded = expandUpcE(c);
    if (expanded) c = expanded;
  }
  if (!isValidGtin(c)) return undefined;
  return c.padStart(14, '0');
}

/** Appends the GS1 check digit to `body`. */
export function withCheckDigit(body: string): string {
  return body + String(gs1CheckDigit(body));
}

/**
 * Expands a UPC-E code (8 digits: number system 0 or 1, six digits, check digit; or the
 * six middle digits alone, taken as number system 0) to its 12-digit UPC-A. Returns
 * undefined when the input is not a UPC-E or its check digit is wrong.
 */
export function expandUpcE(code: string): string | undefined {
  let ns: string;
  let six: string;
  let check: string | undefined;
  if (/^\d{6}$/.test(code)) {
    ns = '0';
    six = code;
  } else if (/^[01]\d{7}$/.test(code)) {
    ns = code[0]!;
    six = code.slice(1, 7);
    check = code[7];
  } else {
    return undefined;
  }
  const body = upcEToUpcABody(ns, six);
  const upcA = withCheckDigit(body);
  if (check !== undefined && upcA[11] !== check) return undefined;
  return upcA;
}

/** What a Bookland or serial EAN-13 stands for. */
export type BookNumber =
  | { kind: 'isbn'; isbn13: string; isbn10?: string }
  | { kind: 'issn'; issn: string; variant: string };

/**
 * Recognises an ISBN (EAN-13 prefix 978 or 979) or an ISSN (prefix 977) in a valid EAN-13.
 * ISBN-10 exists only for 978; an ISSN is shown in its usual `1234-5679` form.
 */
export function bookNumber(ean13: string): BookNumber | undefined {
  if (ean13.length !== 13 || !isValidGtin(ean13)) return undefined;
  if (ean13.startsWith('978') || ean13.startsWith('979')) {
    if (ean13.startsWith('979')) return { kind: 'isbn', isbn13: ean13 };
    const body = ean13.slice(3, 12);
    return { kind: 'isbn', isbn13: ean13, isbn10: body + mod11CheckChar(body) };
  }
  if (ean13.startsWith('977')) {
    const body = ean13.slice(3, 10);
    const issn = body + mod11CheckChar(body);
    return { kind: 'issn', issn: `${issn.slice(0, 4)}-${issn.slice(4)}`, variant: ean13.slice(10, 12) };
  }
  return undefined;
}
