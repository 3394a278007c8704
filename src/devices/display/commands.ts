/** Pole display command sets kassa speaks. */
export type DisplayCommandSet = 'epson' | 'cd5220';

/** Bytes for one pole display command set. */
export interface DisplayCommands {
  init(): Uint8Array;
  clear(): Uint8Array;
  /** Moves the cursor; column and row start at 1. */
  cursor(column: number, row: number): Uint8Array;
  /** Brightness 1 (dim) to 4 (full). */
  brightness(level: 1 | 2 | 3 | 4): Uint8Array;
}

const clampLevel = (n: number) => Math.min(4, Math.max(1, Math.round(n)));

/** The Epson (ESC/POS customer display) set: ESC @, CLR, US $ x y, US X n. */
export const EPSON_DISPLAY: DisplayCommands = {
  init: () => new Uint8Array([0x1b, 0x40]),
  clear: () => new Uint8Array([0x0c]),
  cursor: (column, row) => new Uint8Array([0x1f, 0x24, column, row]),
  brightness: (level) => new Uint8Array([0x1f, 0x58, clampLevel(level)]),
};

/** The CD5220 set: ESC @, CLR, ESC l x y, ESC * n; overwrite mode (ESC DC1) after init. */
export const CD5220_DISPLAY: DisplayCommands = {
  init: () => new Uint8Array([0x1b, 0x40, 0x1b, 0x11]),
  clear: () => new Uint8Array([0x0c]),
  cursor: (column, row) => new Uint8Array([0x1b, 0x6c, column, row]),
  brightness: (level) => new Uint8Array([0x1b, 0x2a, clampLevel(level)]),
};

/** The command set by name. */
export function displayCommands(set: DisplayCommandSet): DisplayCommands {
  return set === 'cd5220' ? CD5220_DISPLAY : EPSON_DISPLAY;
}

/**
 * Text a pole display can show: accents folded to ASCII (their character ROMs differ per
 * model), control characters removed, cut or padded to the width.
 */
export function toDisplayText(text: string, width: number): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/€/g, 'EUR')
    .replace(/£/g, 'GBP')
    .replace(/[^\x20-\x7e]/g, '?');
  return ascii.length >= width ? ascii.slice(0, width) : ascii.padEnd(width, ' ');
}

/** A left text and a right-aligned amount on one line; the text gives way to the amount. */
export function twoColumns(left: string, right: string, width: number): string {
  const r = toDisplayText(right, right.length).trimEnd();
  if (r.length >= width) return r.slice(0, width);
  const room = width - r.length - 1;
  return `${toDisplayText(left, room)} ${r}`.slice(0, width).padEnd(width, ' ');
}

/** The bytes that show two lines on a display, from a clear screen. */
export function renderLines(cmd: DisplayCommands, lines: readonly string[], width: number): Uint8Array {
  const parts: number[] = [...cmd.clear()];
  lines.slice(0, 2).forEach((line, i) => {
    parts.push(...cmd.cursor(1, i + 1));
    for (const ch of toDisplayText(line, width)) parts.push(ch.charCodeAt(0));
  });
  return new Uint8Array(parts);
}
