import { KassaError } from '../errors.js';
import type {
  Align,
  BarcodeBlock,
  CutBlock,
  DrawerBlock,
  ImageBlock,
  QrBlock,
  ReceiptDocument,
  RowBlock,
  TextStyle,
} from './document.js';

/**
 * A resolved character style. Instances are interned (one object per combination), so
 * renderers compare styles by identity.
 */
export interface Style {
  readonly bold: boolean;
  readonly underline: boolean;
  readonly invert: boolean;
  readonly width: number;
  readonly height: number;
}

/** Text in one resolved style. */
export interface LaidRun {
  readonly text: string;
  readonly style: Style;
}

/** One printed line of text, wrapped and (for rows) padded to the paper width. */
export interface LaidLine {
  readonly kind: 'line';
  readonly align: Align;
  readonly runs: readonly LaidRun[];
}

/** A block a renderer draws as is: a barcode, a QR code, an image, a cut, a drawer kick. */
export interface LaidGraphic {
  readonly kind: 'graphic';
  readonly block: BarcodeBlock | QrBlock | ImageBlock | CutBlock | DrawerBlock;
  /** The block's index in the document, for error paths. */
  readonly index: number;
}

/** The output of {@link layout}. */
export type LaidItem = LaidLine | LaidGraphic;

const styles: Style[] = [];

/** The interned style for the given attributes. */
export function styleOf(bold: boolean, underline: boolean, invert: boolean, width = 1, height = 1): Style {
  const key =
    (bold ? 1 : 0) | (underline ? 2 : 0) | (invert ? 4 : 0) | ((width - 1) << 3) | ((height - 1) << 6);
  let s = styles[key];
  if (!s) {
    s = Object.freeze({ bold, underline, invert, width, height });
    styles[key] = s;
  }
  return s;
}

/** The plain style. */
export const PLAIN: Style = styleOf(false, false, false);

function resolve(outer: TextStyle | undefined, inner: TextStyle | undefined, sizes: boolean): Style {
  return styleOf(
    inner?.bold ?? outer?.bold ?? false,
    inner?.underline ?? outer?.underline ?? false,
    inner?.invert ?? outer?.invert ?? false,
    sizes ? (inner?.width ?? outer?.width ?? 1) : 1,
    sizes ? (inner?.height ?? outer?.height ?? 1) : 1,
  );
}

// Controls would be commands on a printer; tabs become spaces, anything else a visible '?'.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

// Invisible characters (soft hyphen, zero-width space and joiners, BOM) would print as glyphs.
const INVISIBLE = /[\u00ad\u200b-\u200d\ufeff]/g;
const ASCII = /^[\x20-\x7e]*$/;

/** Normalises text for output: NFC, no controls, no invisible characters. @internal */
export function clean(text: string, map?: (text: string) => string): string {
  if (ASCII.test(text)) return text;
  const out = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '?')
    .replace(INVISIBLE, '');
  return map ? map(out) : out;
}

/** Columns a list of runs takes. */
export function cellsOf(runs: readonly LaidRun[]): number {
  let n = 0;
  for (const r of runs) n += r.text.length * r.style.width;
  return n;
}

function group(chars: string[], st: Style[], from: number, to: number): LaidRun[] {
  const out: LaidRun[] = [];
  let i = from;
  while (i < to) {
    const s = st[i]!;
    let j = i + 1;
    while (j < to && st[j] === s) j++;
    out.push({ text: chars.slice(i, j).join(''), style: s });
    i = j;
  }
  return out;
}

/**
 * Wraps styled text to `max` columns at spaces, breaking inside a word only when the word
 * alone is wider than the line. Leading spaces of the text are kept (they indent); spaces
 * at a wrap are dropped.
 */
export function wrapRuns(runs: readonly { text: string; style: Style }[], max: number): LaidRun[][] {
  // Most cells are one short run that fits: no need to split it into characters.
  if (runs.length === 1) {
    const r = runs[0]!;
    if (r.text.length * r.style.width <= max && !r.text.includes('\n') && !/[\ud800-\udfff]/.test(r.text)) {
      const text = trimSpaces(r.text);
      return [text === '' ? [] : [{ text, style: r.style }]];
    }
  }
  const chars: string[] = [];
  const st: Style[] = [];
  for (const r of runs) {
    for (const ch of r.text) {
      chars.push(ch);
      st.push(r.style);
    }
  }
  const n = chars.length;
  const lines: LaidRun[][] = [];
  let i = 0;
  let first = true;
  while (i < n || first) {
    first = false;
    const start = i;
    let cells = 0;
    let j = i;
    while (j < n && chars[j] !== '\n') {
      const w = st[j]!.width;
      if (cells + w > max && j > start) break;
      cells += w;
      j++;
    }
    if (j >= n || chars[j] === '\n') {
      lines.push(group(chars, st, start, trimEnd(chars, start, j)));
      i = j + 1;
      if (j < n && i >= n) first = true; // a trailing newline ends with an empty line
      continue;
    }
    let end = j;
    let next = j;
    if (chars[j] !== ' ') {
      let k = j - 1;
      while (k > start && chars[k] !== ' ') k--;
      if (k > start && trimEnd(chars, start, k) > start) {
        end = k;
        next = k + 1;
      }
    }
    lines.push(group(chars, st, start, trimEnd(chars, start, end)));
    while (next < n && chars[next] === ' ') next++;
    i = next;
  }
  return lines;
}

function trimEnd(chars: string[], from: number, to: number): number {
  while (to > from && chars[to - 1] === ' ') to--;
  return to;
}

function layoutRow(
  block: RowBlock,
  columns: number,
  sizes: boolean,
  map: ((text: string) => string) | undefined,
  index: number,
): LaidLine[] {
  const gap = block.gap ?? 1;
  const cols = block.columns;
  let fixed = 0;
  let flex = 0;
  for (const c of cols) {
    if (c.width === undefined) flex++;
    else fixed += c.width;
  }
  const remaining = columns - fixed - gap * (cols.length - 1);
  if (remaining < flex || (flex === 0 && remaining < 0)) {
    throw new KassaError(
      'receipt.layout_too_wide',
      `A row needs ${fixed + gap * (cols.length - 1) + flex} columns but the paper has ${columns}`,
      { path: ['blocks', index, 'columns'], columns, needed: fixed + gap * (cols.length - 1) + flex },
    );
  }
  const share = flex > 0 ? Math.floor(remaining / flex) : 0;
  let extra = flex > 0 ? remaining - share * flex : 0;
  const cells: { width: number; align: Align; lines: LaidRun[][] }[] = [];
  for (const c of cols) {
    let width = c.width;
    if (width === undefined) {
      width = share + extra;
      extra = 0;
    }
    const style = resolve(block.style, c.style, sizes);
    if (style.width > width) {
      throw new KassaError(
        'receipt.layout_too_wide',
        `A column of ${width} cannot hold characters ${style.width} columns wide`,
        { path: ['blocks', index, 'columns'], columns, needed: style.width },
      );
    }
    cells.push({
      width,
      align: c.align ?? 'left',
      lines: wrapRuns([{ text: clean(c.text, map), style }], width),
    });
  }
  let height = 0;
  for (const c of cells) height = Math.max(height, c.lines.length);
  const out: LaidLine[] = [];
  for (let l = 0; l < height; l++) {
    const b = new LineBuilder();
    for (let index = 0; index < cells.length; index++) {
      const c = cells[index]!;
      if (index > 0) b.add(spaces(gap), PLAIN);
      const line = c.lines[l] ?? [];
      const free = c.width - cellsOf(line);
      const before = c.align === 'right' ? free : c.align === 'center' ? Math.floor(free / 2) : 0;
      b.add(spaces(before), PLAIN);
      for (const r of line) b.add(r.text, r.style);
      b.add(spaces(free - before), PLAIN);
    }
    out.push({ kind: 'line', align: 'left', runs: b.finish() });
  }
  return out;
}

/** Joins runs of one style as they are added, so a plain row is a single run. */
class LineBuilder {
  private runs: LaidRun[] = [];
  private text = '';
  private style: Style = PLAIN;

  add(t: string, s: Style): void {
    if (t === '') return;
    if (this.text === '') {
      this.text = t;
      this.style = s;
    } else if (s === this.style) {
      this.text += t;
    } else {
      this.runs.push({ text: this.text, style: this.style });
      this.text = t;
      this.style = s;
    }
  }

  finish(): LaidRun[] {
    // Trailing plain spaces print nothing; dropping them saves bytes and keeps text output tidy.
    const text = this.style.underline || this.style.invert ? this.text : trimSpaces(this.text);
    if (text !== '') this.runs.push({ text, style: this.style });
    return this.runs;
  }
}

function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end === text.length ? text : text.slice(0, end);
}

const SPACES = ' '.repeat(256);

function spaces(count: number): string {
  return count <= 0 ? '' : count <= 256 ? SPACES.slice(0, count) : ' '.repeat(count);
}

/** Options of {@link layout}. */
export interface LayoutOptions {
  /** Honour character widths and heights; plain text output turns this off. Default true. */
  sizes?: boolean;
  /**
   * Rewrites text before it is measured, so a renderer's substitutions (a printer's missing
   * characters) cannot push a column out of line.
   */
  mapText?: (text: string) => string;
}

/**
 * Lays a document out in `columns` columns: text wrapped, rows padded, rules drawn. The
 * one layout all renderers share, so text, ESC/POS and SVG break lines at the same places.
 * @throws KassaError `receipt.layout_too_wide` when a row's fixed columns do not fit.
 */
export function layout(doc: ReceiptDocument, columns: number, options: LayoutOptions = {}): LaidItem[] {
  const sizes = options.sizes ?? true;
  const map = options.mapText;
  const out: LaidItem[] = [];
  for (let index = 0; index < doc.blocks.length; index++) {
    const block = doc.blocks[index]!;
    switch (block.type) {
      case 'text': {
        const runs =
          typeof block.text === 'string'
            ? [{ text: clean(block.text, map), style: resolve(block.style, undefined, sizes) }]
            : block.text.map((r) => ({ text: clean(r.text, map), style: resolve(block.style, r, sizes) }));
        for (const line of wrapRuns(runs, columns)) {
          out.push({ kind: 'line', align: block.align ?? 'left', runs: line });
        }
        break;
      }
      case 'row':
        out.push(...layoutRow(block, columns, sizes, map, index));
        break;
      case 'rule': {
        // The rule character goes through the printer's mapping like any text (an em dash on
        // a CP437 printer is a hyphen, not '?'); a spelling of several letters is cut to fit.
        const unit = clean(block.char ?? '-', map) || '-';
        out.push({
          kind: 'line',
          align: 'left',
          runs: [{ text: unit.repeat(Math.ceil(columns / unit.length)).slice(0, columns), style: PLAIN }],
        });
        break;
      }
      case 'blank':
        for (let i = 0; i < (block.lines ?? 1); i++) out.push({ kind: 'line', align: 'left', runs: [] });
        break;
      default:
        out.push({ kind: 'graphic', block, index });
    }
  }
  return out;
}

/** Text of a laid-out line aligned within `columns`, for monospace output. @internal */
export function alignedText(line: LaidLine, columns: number): string {
  let text = '';
  for (const r of line.runs) text += r.text;
  const free = columns - cellsOf(line.runs);
  if (free <= 0 || line.align === 'left') return text;
  return ' '.repeat(line.align === 'right' ? free : Math.floor(free / 2)) + text;
}
