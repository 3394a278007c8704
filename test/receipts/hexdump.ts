/** An annotated hex dump of an ESC/POS job: one command or text run per line, for readable golden diffs. */
export function annotate(bytes: Uint8Array): string {
  const out: string[] = [];
  const hex = (from: number, to: number): string =>
    Array.from(bytes.subarray(from, to), (b) => b.toString(16).padStart(2, '0')).join(' ');
  let i = 0;
  const at = (k: number): number => bytes[k] ?? 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b >= 0x20 && b !== 0x7f) {
      let j = i;
      while (j < bytes.length && bytes[j]! >= 0x20 && bytes[j] !== 0x7f) j++;
      const text = Array.from(bytes.subarray(i, j), (c) =>
        c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16)}`,
      ).join('');
      out.push(`TEXT ${JSON.stringify(text)}`);
      i = j;
      continue;
    }
    let len = 1;
    let name = `0x${b.toString(16)}`;
    const c = at(i + 1);
    if (b === 0x0a) name = 'LF';
    else if (b === 0x1b) {
      const names: Record<number, [string, number]> = {
        64: ['ESC @ init', 2],
        116: ['ESC t codepage', 3],
        69: ['ESC E bold', 3],
        45: ['ESC - underline', 3],
        97: ['ESC a align', 3],
        100: ['ESC d feed', 3],
        112: ['ESC p drawer', 5],
      };
      [name, len] = names[c] ?? [`ESC 0x${c.toString(16)}`, 2];
    } else if (b === 0x1d) {
      if (c === 0x6b) {
        name = 'GS k barcode';
        len = 4 + at(i + 3);
      } else if (c === 0x28) {
        name = at(i + 2) === 0x44 ? 'GS ( D realtime' : 'GS ( k qr';
        len = 5 + (at(i + 3) | (at(i + 4) << 8));
      } else if (c === 0x76) {
        name = 'GS v 0 raster';
        len = 8 + (at(i + 4) | (at(i + 5) << 8)) * (at(i + 6) | (at(i + 7) << 8));
      } else if (c === 0x56) {
        name = 'GS V cut';
        len = at(i + 2) >= 65 ? 4 : 3;
      } else {
        const names: Record<number, string> = {
          33: 'GS ! size',
          66: 'GS B invert',
          104: 'GS h height',
          119: 'GS w width',
          72: 'GS H hri',
        };
        name = names[c] ?? `GS 0x${c.toString(16)}`;
        len = 3;
      }
    }
    const shown = len > 48 ? `${hex(i, i + 24)} ... (${len} bytes)` : hex(i, i + len);
    out.push(`${name.padEnd(16)} ${shown}`);
    i += len;
  }
  return `${out.join('\n')}\n`;
}
