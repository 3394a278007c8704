import { hasValidGs1CheckDigit } from './check-digit.js';

/** The group separator that stands for FNC1 inside a GS1 element string. */
export const GS = '\u001d';

type ValueKind = 'numeric' | 'alphanumeric' | 'date' | 'decimal' | 'currency-decimal';

interface AiSpec {
  readonly label: string;
  readonly kind: ValueKind;
  /** Exact length when fixed, else the maximum length. */
  readonly length: number;
  readonly fixed: boolean;
  /** The value carries a GS1 check digit (GTIN, SSCC, GLN). */
  readonly checkDigit?: boolean;
}

const spec = (
  label: string,
  kind: ValueKind,
  length: number,
  fixed: boolean,
  checkDigit = false,
): AiSpec => ({
  label,
  kind,
  length,
  fixed,
  checkDigit,
});

// Application identifiers a till meets on consumer goods and their cases. The decimal AIs
// (31nn-36nn, 39nn) are keyed by their first three digits; the fourth is the decimal count.
const AIS: Record<string, AiSpec> = {
  '00': spec('SSCC', 'numeric', 18, true, true),
  '01': spec('GTIN', 'numeric', 14, true, true),
  '02': spec('CONTENT', 'numeric', 14, true, true),
  '10': spec('BATCH/LOT', 'alphanumeric', 20, false),
  '11': spec('PROD DATE', 'date', 6, true),
  '12': spec('DUE DATE', 'date', 6, true),
  '13': spec('PACK DATE', 'date', 6, true),
  '15': spec('BEST BEFORE', 'date', 6, true),
  '16': spec('SELL BY', 'date', 6, true),
  '17': spec('USE BY', 'date', 6, true),
  '20': spec('VARIANT', 'numeric', 2, true),
  '21': spec('SERIAL', 'alphanumeric', 20, false),
  '22': spec('CPV', 'alphanumeric', 20, false),
  '240': spec('ADDITIONAL ID', 'alphanumeric', 30, false),
  '241': spec('CUST. PART No.', 'alphanumeric', 30, false),
  '250': spec('SECONDARY SERIAL', 'alphanumeric', 30, false),
  '251': spec('REF. TO SOURCE', 'alphanumeric', 30, false),
  '30': spec('VAR. COUNT', 'numeric', 8, false),
  '310': spec('NET WEIGHT (kg)', 'decimal', 6, true),
  '320': spec('NET WEIGHT (lb)', 'decimal', 6, true),
  '330': spec('GROSS WEIGHT (kg)', 'decimal', 6, true),
  '315': spec('NET VOLUME (l)', 'decimal', 6, true),
  '37': spec('COUNT', 'numeric', 8, false),
  '390': spec('AMOUNT', 'decimal', 15, false),
  '391': spec('AMOUNT', 'currency-decimal', 18, false),
  '392': spec('PRICE', 'decimal', 15, false),
  '393': spec('PRICE', 'currency-decimal', 18, false),
  '400': spec('ORDER NUMBER', 'alphanumeric', 30, false),
  '410': spec('SHIP TO LOC', 'numeric', 13, true, true),
  '414': spec('LOC No.', 'numeric', 13, true, true),
  '420': spec('SHIP TO POST', 'alphanumeric', 20, false),
  '422': spec('ORIGIN', 'numeric', 3, true),
  '7003': spec('EXPIRY TIME', 'numeric', 10, true),
  '8020': spec('REF No.', 'alphanumeric', 25, false),
  '90': spec('INTERNAL', 'alphanumeric', 30, false),
};
for (let i = 91; i <= 99; i++) AIS[String(i)] = spec('INTERNAL', 'alphanumeric', 90, false);

/** How many digits the AI starting with these two digits has (GS1 General Specifications 3.2). */
function aiLength(two: string): number | undefined {
  const n = Number(two);
  if (n <= 22) return 2;
  if (n <= 29) return 3;
  if (n === 30 || n === 37) return 2;
  if (n >= 31 && n <= 36) return 4;
  if (n === 39) return 4;
  if (n >= 40 && n <= 49) return 3;
  if (n >= 70 && n <= 72) return 4;
  if (n >= 80 && n <= 82) return 4;
  if (n >= 90) return 2;
  return undefined;
}

function lookup(ai: string): AiSpec | undefined {
  return AIS[ai] ?? (ai.length === 4 && /^3[1-69]/.test(ai) ? AIS[ai.slice(0, 3)] : undefined);
}

/** One element of a GS1 element string. */
export interface Gs1Element {
  /** The application identifier, e.g. `'01'`, `'3103'`. */
  readonly ai: string;
  /** Its data title, e.g. `'NET WEIGHT (kg)'`. */
  readonly label: string;
  /** The digits or characters as encoded. */
  readonly raw: string;
  /**
   * The value: the raw text; a decimal string for decimal AIs (`'0.375'` for 3103 000375);
   * an ISO date (`'2026-05-31'`) for dates.
   */
  readonly value: string;
  /** ISO 4217 numeric code of AIs 391n and 393n. */
  readonly currencyNumeric?: string;
}

/** Why a GS1 element string could not be read. */
export class Gs1ParseError extends Error {
  override readonly name = 'Gs1ParseError';
  constructor(
    message: string,
    readonly code: 'barcode.invalid_element' | 'barcode.invalid_check_digit',
    readonly position: number,
  ) {
    super(message);
  }
}

/** `'000375'` with 3 decimals becomes `'0.375'`; never goes through a float. */
export function impliedDecimal(digits: string, decimals: number): string {
  const padded = digits.padStart(decimals + 1, '0');
  const int = padded.slice(0, padded.length - decimals).replace(/^0+(?=\d)/, '');
  const frac = padded.slice(padded.length - decimals);
  return decimals === 0 ? int : `${int}.${frac}`;
}

function gs1Date(raw: string, at: number): string {
  const yy = Number(raw.slice(0, 2));
  const mm = Number(raw.slice(2, 4));
  let dd = Number(raw.slice(4, 6));
  if (mm < 1 || mm > 12)
    throw new Gs1ParseError(`month ${raw.slice(2, 4)} out of range`, 'barcode.invalid_element', at);
  const year = 2000 + yy;
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  // Day 00 means the last day of the month (GS1 General Specifications 3.4.2).
  if (dd === 0) dd = last;
  if (dd > last)
    throw new Gs1ParseError(`day ${raw.slice(4, 6)} out of range`, 'barcode.invalid_element', at);
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

function toElement(ai: string, s: AiSpec, raw: string, at: number): Gs1Element {
  const numeric = s.kind !== 'alphanumeric';
  if (numeric && !/^\d+$/.test(raw)) {
    throw new Gs1ParseError(`AI (${ai}) must be numeric, got "${raw}"`, 'barcode.invalid_element', at);
  }
  if (!numeric && !/^[\x21-\x7e]+$/.test(raw)) {
    throw new Gs1ParseError(`AI (${ai}) has characters outside the GS1 set`, 'barcode.invalid_element', at);
  }
  if (s.fixed && raw.length !== s.length) {
    throw new Gs1ParseError(
      `AI (${ai}) needs ${s.length} characters, got ${raw.length}`,
      'barcode.invalid_element',
      at,
    );
  }
  if (raw.length === 0 || raw.length > s.length) {
    throw new Gs1ParseError(`AI (${ai}) length ${raw.length} out of range`, 'barcode.invalid_element', at);
  }
  if (s.checkDigit && !hasValidGs1CheckDigit(raw)) {
    throw new Gs1ParseError(`AI (${ai}) ${raw} has a wrong check digit`, 'barcode.invalid_check_digit', at);
  }
  const base = { ai, label: s.label, raw };
  switch (s.kind) {
    case 'date':
      return { ...base, value: gs1Date(raw, at) };
    case 'decimal':
      return { ...base, value: impliedDecimal(raw, Number(ai[3])) };
    case 'currency-decimal':
      if (raw.length < 4)
        throw new Gs1ParseError(`AI (${ai}) needs a currency and an amount`, 'barcode.invalid_element', at);
      return {
        ...base,
        value: impliedDecimal(raw.slice(3), Number(ai[3])),
        currencyNumeric: raw.slice(0, 3),
      };
    default:
      return { ...base, value: raw };
  }
}

/**
 * Parses a GS1 element string: AIs concatenated, variable-length fields ended by FNC1
 * (transmitted as the GS character, `\x1d`) unless they come last. A leading FNC1 or a GS1
 * symbology identifier (`]C1`, `]d2`, `]Q3`, `]e0`) is skipped. The bracketed human-readable
 * form `(01)09501101530003(3103)000375` is accepted too.
 *
 * @throws Gs1ParseError on an unknown AI, a bad length, a non-numeric value or a wrong check digit.
 */
export function parseGs1ElementString(input: string): Gs1Element[] {
  let s = input;
  if (/^\](C1|d2|Q3|e0|J1)/.test(s)) s = s.slice(3);
  if (s.startsWith('(')) return parseBracketed(s);
  const out: Gs1Element[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === GS) {
      i++;
      continue;
    }
    const len = aiLength(s.slice(i, i + 2));
    const ai = s.slice(i, i + (len ?? 2));
    const def = len === undefined || ai.length < len ? undefined : lookup(ai);
    if (!def || !/^\d+$/.test(ai))
      throw new Gs1ParseError(`unknown AI at ${i}: "${ai}"`, 'barcode.invalid_element', i);
    const start = i + ai.length;
    let end: number;
    if (def.fixed) {
      end = start + def.length;
      if (end > s.length)
        throw new Gs1ParseError(`AI (${ai}) is cut short`, 'barcode.invalid_element', start);
    } else {
      const gs = s.indexOf(GS, start);
      end = gs === -1 ? s.length : gs;
    }
    out.push(toElement(ai, def, s.slice(start, end), start));
    i = end;
  }
  if (out.length === 0) throw new Gs1ParseError('empty element string', 'barcode.invalid_element', 0);
  return out;
}

function parseBracketed(s: string): Gs1Element[] {
  const out: Gs1Element[] = [];
  const re = /\((\d{2,4})\)([^(]*)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  // biome-ignore lint/suspicious/noAssignInExpressions: the classic regex loop
  while ((m = re.exec(s)) !== null) {
    const ai = m[1]!;
    const def = lookup(ai);
    if (!def || aiLength(ai.slice(0, 2)) !== ai.length) {
      throw new Gs1ParseError(`unknown AI (${ai})`, 'barcode.invalid_element', m.index);
    }
    out.push(toElement(ai, def, m[2]!, m.index + ai.length + 2));
    last = re.lastIndex;
  }
  if (last !== s.length || out.length === 0) {
    throw new Gs1ParseError('malformed bracketed element string', 'barcode.invalid_element', last);
  }
  return out;
}

/** True when `data` looks like a GS1 element string rather than a plain number or text. */
export function looksLikeGs1(data: string): boolean {
  return /^\](C1|d2|Q3|e0|J1)/.test(data) || data.startsWith(GS) || /^\(\d{2,4}\)/.test(data);
}
