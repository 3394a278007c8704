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

// The AI table of the GS1 General Specifications (section 3.2, release 24). Decimal AIs
// (31nn-36nn, 39nn) are keyed by their first three digits; the fourth is the decimal count.
// Compound formats such as N3+X..9 are kept as one alphanumeric field of the total length:
// kassa reads them, it does not need their inner parts.
const AIS: Record<string, AiSpec> = {};
const def = (
  ais: readonly string[],
  label: string,
  kind: ValueKind,
  length: number,
  fixed: boolean,
  cd = false,
) => {
  for (const ai of ais) AIS[ai] = spec(label, kind, length, fixed, cd);
};
const range = (from: number, to: number): string[] => {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(String(i).padStart(2, '0'));
  return out;
};
def(['00'], 'SSCC', 'numeric', 18, true, true);
def(['01'], 'GTIN', 'numeric', 14, true, true);
def(['02'], 'CONTENT', 'numeric', 14, true, true);
def(['03'], 'MTO GTIN', 'numeric', 14, true, true);
def(['10'], 'BATCH/LOT', 'alphanumeric', 20, false);
def(['11'], 'PROD DATE', 'date', 6, true);
def(['12'], 'DUE DATE', 'date', 6, true);
def(['13'], 'PACK DATE', 'date', 6, true);
def(['15'], 'BEST BEFORE', 'date', 6, true);
def(['16'], 'SELL BY', 'date', 6, true);
def(['17'], 'USE BY', 'date', 6, true);
def(['20'], 'VARIANT', 'numeric', 2, true);
def(['21'], 'SERIAL', 'alphanumeric', 20, false);
def(['22'], 'CPV', 'alphanumeric', 20, false);
def(['235'], 'TPX', 'alphanumeric', 28, false);
def(['240'], 'ADDITIONAL ID', 'alphanumeric', 30, false);
def(['241'], 'CUST. PART No.', 'alphanumeric', 30, false);
def(['242'], 'MTO VARIANT', 'numeric', 6, false);
def(['243'], 'PCN', 'alphanumeric', 20, false);
def(['250'], 'SECONDARY SERIAL', 'alphanumeric', 30, false);
def(['251'], 'REF. TO SOURCE', 'alphanumeric', 30, false);
def(['253'], 'GDTI', 'alphanumeric', 30, false);
def(['254'], 'GLN EXTENSION COMPONENT', 'alphanumeric', 20, false);
def(['255'], 'GCN', 'numeric', 25, false);
def(['30'], 'VAR. COUNT', 'numeric', 8, false);
const measures: Record<string, string> = {
  '310': 'NET WEIGHT (kg)',
  '311': 'LENGTH (m)',
  '312': 'WIDTH (m)',
  '313': 'HEIGHT (m)',
  '314': 'AREA (m2)',
  '315': 'NET VOLUME (l)',
  '316': 'NET VOLUME (m3)',
  '320': 'NET WEIGHT (lb)',
  '321': 'LENGTH (in)',
  '322': 'LENGTH (ft)',
  '323': 'LENGTH (yd)',
  '324': 'WIDTH (in)',
  '325': 'WIDTH (ft)',
  '326': 'WIDTH (yd)',
  '327': 'HEIGHT (in)',
  '328': 'HEIGHT (ft)',
  '329': 'HEIGHT (yd)',
  '330': 'GROSS WEIGHT (kg)',
  '331': 'LENGTH (m), log',
  '332': 'WIDTH (m), log',
  '333': 'HEIGHT (m), log',
  '334': 'AREA (m2), log',
  '335': 'VOLUME (l), log',
  '336': 'VOLUME (m3), log',
  '337': 'KG PER m2',
  '340': 'GROSS WEIGHT (lb)',
  '341': 'LENGTH (in), log',
  '342': 'LENGTH (ft), log',
  '343': 'LENGTH (yd), log',
  '344': 'WIDTH (in), log',
  '345': 'WIDTH (ft), log',
  '346': 'WIDTH (yd), log',
  '347': 'HEIGHT (in), log',
  '348': 'HEIGHT (ft), log',
  '349': 'HEIGHT (yd), log',
  '350': 'AREA (in2)',
  '351': 'AREA (ft2)',
  '352': 'AREA (yd2)',
  '353': 'AREA (in2), log',
  '354': 'AREA (ft2), log',
  '355': 'AREA (yd2), log',
  '356': 'NET WEIGHT (t oz)',
  '357': 'NET VOLUME (oz)',
  '360': 'NET VOLUME (qt)',
  '361': 'NET VOLUME (gal.)',
  '362': 'VOLUME (qt), log',
  '363': 'VOLUME (gal.), log',
  '364': 'VOLUME (in3)',
  '365': 'VOLUME (ft3)',
  '366': 'VOLUME (yd3)',
  '367': 'VOLUME (in3), log',
  '368': 'VOLUME (ft3), log',
  '369': 'VOLUME (yd3), log',
};
for (const [ai, label] of Object.entries(measures)) def([ai], label, 'decimal', 6, true);
def(['37'], 'COUNT', 'numeric', 8, false);
def(['390'], 'AMOUNT', 'decimal', 15, false);
def(['391'], 'AMOUNT', 'currency-decimal', 18, false);
def(['392'], 'PRICE', 'decimal', 15, false);
def(['393'], 'PRICE', 'currency-decimal', 18, false);
def(['394'], 'PRCNT OFF', 'decimal', 4, true);
def(['395'], 'PRICE/UoM', 'decimal', 6, true);
def(['400'], 'ORDER NUMBER', 'alphanumeric', 30, false);
def(['401'], 'GINC', 'alphanumeric', 30, false);
def(['402'], 'GSIN', 'numeric', 17, true, true);
def(['403'], 'ROUTE', 'alphanumeric', 30, false);
def(['410', '411', '412', '413', '414', '415', '416', '417'], 'GLN', 'numeric', 13, true, true);
def(['420'], 'SHIP TO POST', 'alphanumeric', 20, false);
def(['421'], 'SHIP TO POST', 'alphanumeric', 12, false);
def(['422', '424', '426'], 'ORIGIN', 'numeric', 3, true);
def(['423', '425'], 'COUNTRY - PROCESS', 'numeric', 15, false);
def(['427'], 'ORIGIN SUBDIVISION', 'alphanumeric', 3, false);
def(['4300', '4301', '4310', '4311', '4320'], 'SHIP/RTN NAME', 'alphanumeric', 35, false);
def(
  ['4302', '4303', '4304', '4305', '4306', '4312', '4313', '4314', '4315', '4316'],
  'ADDRESS',
  'alphanumeric',
  70,
  false,
);
def(['4307', '4317'], 'COUNTRY', 'alphanumeric', 2, true);
def(['4308', '4319'], 'TEL', 'alphanumeric', 30, false);
def(['4309'], 'GEO', 'numeric', 20, true);
def(['4318'], 'RTN TO POST', 'alphanumeric', 20, false);
def(['4321', '4322', '4323'], 'FLAG', 'numeric', 1, true);
def(['4324', '4325'], 'DELIVERY DATE TIME', 'numeric', 10, true);
def(['4326'], 'REL DATE', 'date', 6, true);
def(['4330', '4331', '4332', '4333'], 'TEMPERATURE', 'alphanumeric', 7, false);
def(['7001'], 'NSN', 'numeric', 13, true);
def(['7002'], 'MEAT CUT', 'alphanumeric', 30, false);
def(['7003'], 'EXPIRY TIME', 'numeric', 10, true);
def(['7004'], 'ACTIVE POTENCY', 'numeric', 4, false);
def(['7005'], 'CATCH AREA', 'alphanumeric', 12, false);
def(['7006'], 'FIRST FREEZE DATE', 'date', 6, true);
def(['7007'], 'HARVEST DATE', 'numeric', 12, false);
def(['7008'], 'AQUATIC SPECIES', 'alphanumeric', 3, false);
def(['7009'], 'FISHING GEAR TYPE', 'alphanumeric', 10, false);
def(['7010'], 'PROD METHOD', 'alphanumeric', 2, false);
def(['7011'], 'TEST BY DATE', 'numeric', 10, false);
def(['7020', '7021', '7022'], 'REFURB/STATUS', 'alphanumeric', 20, false);
def(['7023'], 'GIAI - ASSEMBLY', 'alphanumeric', 30, false);
def(range(7030, 7039), 'PROCESSOR # s', 'alphanumeric', 30, false);
def(['7040'], 'UIC+EXT', 'alphanumeric', 4, true);
def(['7041'], 'UFRGT UNIT TYPE', 'alphanumeric', 4, false);
def(['710', '711', '712', '713', '714', '715', '716'], 'NHRN', 'alphanumeric', 20, false);
def(range(7230, 7239), 'CERT # s', 'alphanumeric', 30, false);
def(['7240'], 'PROTOCOL', 'alphanumeric', 20, false);
def(['7241'], 'AIDC MEDIA TYPE', 'numeric', 2, true);
def(['7242'], 'VCN', 'alphanumeric', 25, false);
def(['7250'], 'DOB', 'numeric', 8, true);
def(['7251'], 'DOB TIME', 'numeric', 12, true);
def(['7252'], 'BIO SEX', 'numeric', 1, true);
def(['7253', '7254', '7259'], 'NAME', 'alphanumeric', 40, false);
def(['7255'], 'SUFFIX', 'alphanumeric', 10, false);
def(['7256'], 'FULL NAME', 'alphanumeric', 90, false);
def(['7257'], 'PERSON ADDR', 'alphanumeric', 70, false);
def(['7258'], 'BIRTH SEQUENCE', 'alphanumeric', 3, true);
def(['8001'], 'DIMENSIONS', 'numeric', 14, true);
def(['8002'], 'CMT No.', 'alphanumeric', 20, false);
def(['8003'], 'GRAI', 'alphanumeric', 30, false);
def(['8004'], 'GIAI', 'alphanumeric', 30, false);
def(['8005'], 'PRICE PER UNIT', 'numeric', 6, true);
def(['8006', '8026'], 'ITIP', 'numeric', 18, true);
def(['8007'], 'IBAN', 'alphanumeric', 34, false);
def(['8008'], 'PROD TIME', 'numeric', 12, false);
def(['8009'], 'OPTSEN', 'alphanumeric', 50, false);
def(['8010'], 'CPID', 'alphanumeric', 30, false);
def(['8011'], 'CPID SERIAL', 'numeric', 12, false);
def(['8012'], 'VERSION', 'alphanumeric', 20, false);
def(['8013'], 'GMN', 'alphanumeric', 25, false);
def(['8014'], 'MUDI', 'alphanumeric', 25, false);
def(['8017', '8018'], 'GSRN', 'numeric', 18, true, true);
def(['8019'], 'SRIN', 'numeric', 10, false);
def(['8020'], 'REF No.', 'alphanumeric', 25, false);
def(['8030'], 'DIGSIG', 'alphanumeric', 90, false);
def(['8110', '8112'], 'COUPON', 'alphanumeric', 70, false);
def(['8111'], 'POINTS', 'numeric', 4, true);
def(['8200'], 'PRODUCT URL', 'alphanumeric', 70, false);
def(['90'], 'INTERNAL', 'alphanumeric', 30, false);
def(range(91, 99), 'INTERNAL', 'alphanumeric', 90, false);

/** How many digits the AI starting with these two digits has (GS1 General Specifications 3.2). */
function aiLength(two: string): number | undefined {
  if (!/^\d\d$/.test(two)) return undefined;
  const n = Number(two);
  if (n <= 22 || n === 30 || n === 37 || n >= 90) return 2;
  if (n <= 29) return 3;
  if ((n >= 31 && n <= 36) || n === 39 || n === 43) return 4;
  if (n >= 40 && n <= 42) return 3;
  if (n === 71) return 3;
  if (n === 70 || n === 72 || (n >= 80 && n <= 82)) return 4;
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

/** An element string read as far as the AI table reaches. */
export interface Gs1Reading {
  readonly elements: Gs1Element[];
  /**
   * The raw text from the first AI kassa does not know onwards. An AI that is not in the
   * table has no known length, so nothing after it can be split reliably; the elements
   * before it are still good.
   */
  readonly remainder?: string;
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
  const r = readGs1ElementString(input);
  if (r.remainder !== undefined) {
    const at = input.length - r.remainder.length;
    throw new Gs1ParseError(
      `unknown AI at ${at}: "${r.remainder.slice(0, 4)}"`,
      'barcode.invalid_element',
      at,
    );
  }
  return r.elements;
}

/**
 * Like {@link parseGs1ElementString}, but an AI missing from the table ends the reading
 * instead of failing it: the elements before it are returned with the raw `remainder`.
 * A bad value of a known AI still throws.
 *
 * @throws Gs1ParseError on a bad length, a non-numeric value, a wrong check digit, or when not
 * even the first AI is known.
 */
export function readGs1ElementString(input: string): Gs1Reading {
  let s = input;
  if (/^\](C1|d2|Q3|e0|J1)/.test(s)) s = s.slice(3);
  const r = s.startsWith('(') ? parseBracketed(s) : parsePlain(s);
  if (r.elements.length === 0) {
    throw new Gs1ParseError(
      r.remainder ? `unknown AI "${r.remainder.slice(0, 4)}"` : 'empty element string',
      'barcode.invalid_element',
      0,
    );
  }
  return r;
}

function parsePlain(s: string): Gs1Reading {
  const out: Gs1Element[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === GS) {
      i++;
      continue;
    }
    const len = aiLength(s.slice(i, i + 2));
    const ai = s.slice(i, i + (len ?? 2));
    const def = len === undefined || ai.length < len || !/^\d+$/.test(ai) ? undefined : lookup(ai);
    if (!def) return { elements: out, remainder: s.slice(i) };
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
  return { elements: out };
}

function parseBracketed(s: string): Gs1Reading {
  const out: Gs1Element[] = [];
  const re = /\((\d{2,4})\)([^(]*)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  // biome-ignore lint/suspicious/noAssignInExpressions: the classic regex loop
  while ((m = re.exec(s)) !== null) {
    const ai = m[1]!;
    const def = lookup(ai);
    if (!def || aiLength(ai.slice(0, 2)) !== ai.length) return { elements: out, remainder: s.slice(m.index) };
    out.push(toElement(ai, def, m[2]!, m.index + ai.length + 2));
    last = re.lastIndex;
  }
  if (last !== s.length || out.length === 0) {
    throw new Gs1ParseError('malformed bracketed element string', 'barcode.invalid_element', last);
  }
  return { elements: out };
}

/** True when `data` looks like a GS1 element string rather than a plain number or text. */
export function looksLikeGs1(data: string): boolean {
  return /^\](C1|d2|Q3|e0|J1)/.test(data) || data.startsWith(GS) || /^\(\d{2,4}\)/.test(data);
}
