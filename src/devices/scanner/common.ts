import { decodeAim, type Symbology } from '../barcode/aim.js';
import type { Scan } from './types.js';

/** Builds a Scan, splitting an AIM identifier off the data when there is one. @internal */
export function makeScan(
  raw: string,
  source: string,
  at: number,
  hint?: { aim?: string; symbology?: Symbology },
): Scan {
  const inline = decodeAim(raw);
  if (inline) return { data: inline.data, symbology: inline.symbology, aim: inline.aim, source, at };
  const fromHint = hint?.aim ? decodeAim(`${hint.aim}`) : undefined;
  if (hint?.aim && fromHint) return { data: raw, symbology: fromHint.symbology, aim: hint.aim, source, at };
  return { data: raw, symbology: hint?.symbology ?? 'unknown', source, at };
}

/** Keeps printable text and the GS separator; drops other control bytes a noisy line adds. @internal */
export function cleanScanText(s: string): string {
  return s.replace(/[\u0000-\u001c\u001e\u001f\u007f]/g, '');
}
