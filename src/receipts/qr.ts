/**
 * A QR code (model 2) encoder for the previews: `toEscPos` sends the data to the printer,
 * which draws the symbol itself, so only code that draws QR codes (the SVG) imports this.
 * Versions 1 to 40, levels L, M, Q and H, one segment in numeric, alphanumeric or byte mode
 * (UTF-8, without an ECI header, as receipt printers encode it). Facts from ISO/IEC 18004:2015.
 */

/** Error correction level. */
export type QrLevel = 'L' | 'M' | 'Q' | 'H';

/** A QR symbol: `size` x `size` modules, row by row, 1 for dark. */
export interface QrMatrix {
  readonly version: number;
  readonly size: number;
  readonly mask: number;
  readonly modules: Uint8Array;
}

// Table 9 of the standard, per version 1-40 as two-digit numbers: error correction codewords
// per block, and the number of blocks, for L, M, Q and H.
const EC_PER_BLOCK = {
  L: '07101520261820243018202426302224283028282828283030262830303030303030303030303030',
  M: '10162618241618222226302222242428282626262628282828282828282828282828282828282828',
  Q: '13221826182418222024282624203024282826302830303030283030303030303030303030303030',
  H: '17282216222826262428242822242430282826283024303030303030303030303030303030303030',
} as const;
const BLOCKS = {
  L: '01010101010202020204040404040606060607080809091012121213141516171819192021222425',
  M: '01010102020404040505050809091010111314161717182021232526282931333537384043454749',
  Q: '01010202040406060808081012161217161821202323252729343435384043454851535659626568',
  H: '01010204040405060808111116161816192125252534303235374042454851545760636670747781',
} as const;
const entry = (table: string, version: number): number => Number(table.slice(version * 2 - 2, version * 2));
const blocksFor = (version: number, level: QrLevel): number => entry(BLOCKS[level], version);
const ecFor = (version: number, level: QrLevel): number => entry(EC_PER_BLOCK[level], version);

/** Modules left for data and error correction once the function patterns are placed. @internal */
export function rawDataModules(version: number): number {
  let n = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    n -= (25 * align - 10) * align - 55;
    if (version >= 7) n -= 36; // the two version information blocks
  }
  return n;
}

/** Data codewords of a version at a level. @internal */
export function dataCodewords(version: number, level: QrLevel): number {
  return Math.floor(rawDataModules(version) / 8) - ecFor(version, level) * blocksFor(version, level);
}

/** Centre coordinates of the alignment patterns (Annex E), evenly spaced from 6 to size - 7. @internal */
export function alignmentPositions(version: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const size = version * 4 + 17;
  // The spacing is even and the same between all patterns but the first two; version 32 is
  // the one exception to the rounding.
  const step = version === 32 ? 26 : Math.ceil((size - 13) / (count * 2 - 2)) * 2;
  const out = [6];
  for (let pos = size - 7; out.length < count; pos -= step) out.splice(1, 0, pos);
  return out;
}

// GF(256) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d), as log and antilog tables.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}
const mul = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);

const generators = new Map<number, Uint8Array>();
/** Coefficients of (x - a^0)(x - a^1)...(x - a^(n-1)), highest power first, without the leading 1. */
function generator(n: number): Uint8Array {
  let g = generators.get(n);
  if (g) return g;
  let poly = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let j = 0; j < poly.length; j++) {
      next[j] = next[j]! ^ poly[j]!;
      next[j + 1] = next[j + 1]! ^ mul(poly[j]!, EXP[i]!);
    }
    poly = next;
  }
  g = Uint8Array.from(poly.slice(1));
  generators.set(n, g);
  return g;
}

/** The Reed-Solomon error correction codewords of `data`: the remainder of data(x)·x^n by g(x). @internal */
export function reedSolomon(data: ArrayLike<number>, n: number): Uint8Array {
  const g = generator(n);
  const rem = new Uint8Array(n);
  for (let i = 0; i < data.length; i++) {
    const factor = data[i]! ^ rem[0]!;
    rem.copyWithin(0, 1);
    rem[n - 1] = 0;
    if (factor !== 0) for (let j = 0; j < n; j++) rem[j] = rem[j]! ^ mul(g[j]!, factor);
  }
  return rem;
}

class BitBuffer {
  bits: number[] = [];
  put(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bits.push((value >>> i) & 1);
  }
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const NUMERIC_RE = /^[0-9]*$/;
const ALNUM_RE = /^[0-9A-Z $%*+\-./:]*$/;

type Mode = 'numeric' | 'alphanumeric' | 'byte';
const MODE_BITS: Record<Mode, number> = { numeric: 1, alphanumeric: 2, byte: 4 };
// Character count indicator lengths for versions 1-9, 10-26, 27-40 (Table 3).
const COUNT_BITS: Record<Mode, [number, number, number]> = {
  numeric: [10, 12, 14],
  alphanumeric: [9, 11, 13],
  byte: [8, 16, 16],
};
const countBits = (mode: Mode, version: number): number =>
  COUNT_BITS[mode][version < 10 ? 0 : version < 27 ? 1 : 2];

interface Segment {
  mode: Mode;
  count: number;
  /** The data bits, without mode and count. */
  bits: BitBuffer;
}

function segmentOf(text: string): Segment {
  const bits = new BitBuffer();
  if (NUMERIC_RE.test(text)) {
    for (let i = 0; i < text.length; i += 3) {
      const group = text.slice(i, i + 3);
      bits.put(Number(group), group.length * 3 + 1);
    }
    return { mode: 'numeric', count: text.length, bits };
  }
  if (ALNUM_RE.test(text)) {
    for (let i = 0; i + 1 < text.length; i += 2)
      bits.put(ALNUM.indexOf(text[i]!) * 45 + ALNUM.indexOf(text[i + 1]!), 11);
    if (text.length % 2 === 1) bits.put(ALNUM.indexOf(text[text.length - 1]!), 6);
    return { mode: 'alphanumeric', count: text.length, bits };
  }
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) bits.put(b, 8);
  return { mode: 'byte', count: bytes.length, bits };
}

/** Whether module (row, col) is dark under mask `m` (Table 10), before XOR with the data. */
function maskBit(m: number, r: number, c: number): boolean {
  switch (m) {
    case 0:
      return (r + c) % 2 === 0;
    case 1:
      return r % 2 === 0;
    case 2:
      return c % 3 === 0;
    case 3:
      return (r + c) % 3 === 0;
    case 4:
      return (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0;
    case 5:
      return ((r * c) % 2) + ((r * c) % 3) === 0;
    case 6:
      return (((r * c) % 2) + ((r * c) % 3)) % 2 === 0;
    default:
      return (((r + c) % 2) + ((r * c) % 3)) % 2 === 0;
  }
}

/** Remainder of value·x^(degree of poly) divided by poly, over GF(2): the BCH check bits. */
function bchRemainder(value: number, poly: number, bits: number): number {
  let rem = value << bits;
  for (let i = 31 - Math.clz32(rem); i >= bits; i--) if ((rem >>> i) & 1) rem ^= poly << (i - bits);
  return rem;
}

const LEVEL_BITS: Record<QrLevel, number> = { L: 1, M: 0, Q: 3, H: 2 };

/** The 15 format information bits of a level and mask: BCH(15,5), masked with 101010000010010. @internal */
export function formatBits(level: QrLevel, mask: number): number {
  const data = (LEVEL_BITS[level] << 3) | mask;
  return ((data << 10) | bchRemainder(data, 0x537, 10)) ^ 0x5412;
}

/** The 18 version information bits: BCH(18,6). @internal */
export function versionBits(version: number): number {
  return (version << 12) | bchRemainder(version, 0x1f25, 12);
}

class Grid {
  readonly dark: Uint8Array;
  /** Function patterns, which data and masks leave alone. */
  readonly reserved: Uint8Array;
  constructor(readonly size: number) {
    this.dark = new Uint8Array(size * size);
    this.reserved = new Uint8Array(size * size);
  }
  set(r: number, c: number, dark: boolean): void {
    this.dark[r * this.size + c] = dark ? 1 : 0;
    this.reserved[r * this.size + c] = 1;
  }
}

function drawFunctionPatterns(g: Grid, version: number): void {
  const n = g.size;
  // Finder patterns with their separators: rings at Chebyshev distance 0-1 and 3 are dark.
  for (const [fr, fc] of [
    [3, 3],
    [3, n - 4],
    [n - 4, 3],
  ] as const) {
    for (let dr = -4; dr <= 4; dr++) {
      for (let dc = -4; dc <= 4; dc++) {
        const r = fr + dr;
        const c = fc + dc;
        if (r < 0 || r >= n || c < 0 || c >= n) continue;
        const d = Math.max(Math.abs(dr), Math.abs(dc));
        g.set(r, c, d !== 2 && d !== 4);
      }
    }
  }
  for (let i = 8; i < n - 8; i++) {
    g.set(6, i, i % 2 === 0);
    g.set(i, 6, i % 2 === 0);
  }
  const centres = alignmentPositions(version);
  for (const r of centres) {
    for (const c of centres) {
      // None over the finder patterns.
      if ((r === 6 && c === 6) || (r === 6 && c === n - 7) || (r === n - 7 && c === 6)) continue;
      for (let dr = -2; dr <= 2; dr++)
        for (let dc = -2; dc <= 2; dc++) g.set(r + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
    }
  }
  // Format information areas (filled per mask later) and the dark module.
  drawFormat(g, 0);
  g.set(n - 8, 8, true);
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = n - 11 + (i % 3);
      const b = Math.floor(i / 3);
      g.set(b, a, dark);
      g.set(a, b, dark);
    }
  }
}

/** Places the 15 format bits twice: around the top-left finder, and split below/right of the others. */
function drawFormat(g: Grid, bits: number): void {
  const n = g.size;
  const bit = (i: number): boolean => ((bits >>> i) & 1) === 1;
  for (let i = 0; i <= 5; i++) g.set(i, 8, bit(i));
  g.set(7, 8, bit(6));
  g.set(8, 8, bit(7));
  g.set(8, 7, bit(8));
  for (let i = 9; i < 15; i++) g.set(8, 14 - i, bit(i));
  for (let i = 0; i < 8; i++) g.set(8, n - 1 - i, bit(i));
  for (let i = 8; i < 15; i++) g.set(n - 15 + i, 8, bit(i));
}

/** Places the codewords in the two-module-wide zigzag from the bottom right, skipping function patterns. */
function placeData(g: Grid, codewords: Uint8Array): void {
  const n = g.size;
  const total = codewords.length * 8;
  let i = 0;
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5; // the vertical timing pattern takes a whole column
    const upward = ((n - 1 - right) >> 1) % 2 === 0;
    for (let k = 0; k < n; k++) {
      const r = upward ? n - 1 - k : k;
      for (let j = 0; j < 2; j++) {
        const c = right - j;
        const idx = r * n + c;
        if (g.reserved[idx]) continue;
        // Remainder bits past the last codeword stay light.
        if (i < total) g.dark[idx] = (codewords[i >> 3]! >>> (7 - (i & 7))) & 1;
        i++;
      }
    }
  }
}

/** Penalty score of a masked symbol (rules N1 to N4, section 7.8.3). */
function penalty(dark: Uint8Array, n: number): number {
  let score = 0;
  // One row or column at a time, with four light modules either side: the quiet zone, which
  // counts as light when looking for finder-like patterns.
  const line = new Uint8Array(n + 8);
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) line[b + 4] = pass === 0 ? dark[a * n + b]! : dark[b * n + a]!;
      // N1: a run of five or more modules of one colour scores 3, plus 1 per module beyond five.
      let run = 1;
      for (let b = 5; b < n + 4; b++) {
        if (line[b] === line[b - 1]) run++;
        else {
          if (run >= 5) score += run - 2;
          run = 1;
        }
      }
      if (run >= 5) score += run - 2;
      // N3: dark-light-dark x3-light-dark (1:1:3:1:1) with four light modules before or after.
      for (let b = 4; b + 7 <= n + 4; b++) {
        if (
          line[b] === 1 &&
          line[b + 1] === 0 &&
          line[b + 2] === 1 &&
          line[b + 3] === 1 &&
          line[b + 4] === 1 &&
          line[b + 5] === 0 &&
          line[b + 6] === 1 &&
          ((line[b - 1]! | line[b - 2]! | line[b - 3]! | line[b - 4]!) === 0 ||
            (line[b + 7]! | line[b + 8]! | line[b + 9]! | line[b + 10]!) === 0)
        )
          score += 40;
      }
    }
  }
  // N2: each 2 x 2 block of one colour scores 3.
  for (let r = 0; r + 1 < n; r++) {
    for (let c = 0; c + 1 < n; c++) {
      const v = dark[r * n + c];
      if (v === dark[r * n + c + 1] && v === dark[(r + 1) * n + c] && v === dark[(r + 1) * n + c + 1])
        score += 3;
    }
  }
  // N4: 10 points per full 5 % the share of dark modules is away from half.
  let darkCount = 0;
  for (let i = 0; i < dark.length; i++) darkCount += dark[i]!;
  const total = n * n;
  score += Math.floor(Math.abs(darkCount * 20 - total * 10) / total) * 10;
  return score;
}

/** The smallest version that holds the text at the level, with its segment; `undefined` when none does. */
function smallestVersion(text: string, level: QrLevel): { version: number; segment: Segment } | undefined {
  const segment = segmentOf(text);
  for (let version = 1; version <= 40; version++) {
    const needed = 4 + countBits(segment.mode, version) + segment.bits.bits.length;
    if (segment.count < 2 ** countBits(segment.mode, version) && needed <= dataCodewords(version, level) * 8)
      return { version, segment };
  }
  return undefined;
}

/** The interleaved data and error correction codewords of a version and level (section 7.6). */
function codewordsFor(segment: Segment, version: number, level: QrLevel): Uint8Array {
  const capacity = dataCodewords(version, level);
  const buf = new BitBuffer();
  buf.put(MODE_BITS[segment.mode], 4);
  buf.put(segment.count, countBits(segment.mode, version));
  for (const b of segment.bits.bits) buf.bits.push(b);
  // Terminator (up to four zeros), zeros to a whole byte, then the pad bytes 11101100 00010001.
  buf.put(0, Math.min(4, capacity * 8 - buf.bits.length));
  buf.put(0, (8 - (buf.bits.length % 8)) % 8);
  const data = new Uint8Array(capacity);
  for (let i = 0; i < buf.bits.length; i += 8) {
    let byte = 0;
    for (let j = 0; j < 8; j++) byte = (byte << 1) | buf.bits[i + j]!;
    data[i >> 3] = byte;
  }
  for (let i = buf.bits.length / 8, pad = 0; i < capacity; i++, pad ^= 1) data[i] = pad ? 0x11 : 0xec;

  const blocks = blocksFor(version, level);
  const ec = ecFor(version, level);
  const total = Math.floor(rawDataModules(version) / 8);
  // Blocks of the second group hold one data codeword more than those of the first.
  const short = blocks - (total % blocks);
  const shortData = Math.floor(total / blocks) - ec;
  const dataBlocks: Uint8Array[] = [];
  const ecBlocks: Uint8Array[] = [];
  for (let b = 0, at = 0; b < blocks; b++) {
    const len = shortData + (b < short ? 0 : 1);
    const block = data.subarray(at, at + len);
    at += len;
    dataBlocks.push(block);
    ecBlocks.push(reedSolomon(block, ec));
  }
  const out = new Uint8Array(total);
  let k = 0;
  for (let i = 0; i <= shortData; i++)
    for (const block of dataBlocks) if (i < block.length) out[k++] = block[i]!;
  for (let i = 0; i < ec; i++) for (const block of ecBlocks) out[k++] = block[i]!;
  return out;
}

/**
 * Encodes `text` as a QR code at `level`, in the smallest version that holds it, with the mask
 * of lowest penalty (or `mask` when given). Returns `undefined` when no version holds it.
 * @internal
 */
export function encodeQr(text: string, level: QrLevel, mask?: number): QrMatrix | undefined {
  const found = smallestVersion(text, level);
  if (!found) return undefined;
  const { version, segment } = found;
  const size = version * 4 + 17;
  const g = new Grid(size);
  drawFunctionPatterns(g, version);
  placeData(g, codewordsFor(segment, version, level));
  const base = g.dark.slice();
  let best: Uint8Array | undefined;
  let bestMask = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let m = 0; m < 8; m++) {
    if (mask !== undefined && m !== mask) continue;
    g.dark.set(base);
    for (let r = 0; r < size; r++)
      for (let c = 0; c < size; c++)
        if (!g.reserved[r * size + c] && maskBit(m, r, c)) g.dark[r * size + c] = g.dark[r * size + c]! ^ 1;
    drawFormat(g, formatBits(level, m));
    const score = mask === undefined ? penalty(g.dark, size) : 0;
    if (score < bestScore) {
      bestScore = score;
      bestMask = m;
      best = g.dark.slice();
    }
  }
  return { version, size, mask: bestMask, modules: best! };
}
