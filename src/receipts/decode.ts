import * as z from 'zod/mini';
import { parseInput } from '../errors.js';
import { type CodepageName, decodeTable } from './codepages.js';
import type { Align, ReceiptBlock, ReceiptDocument, Symbology, TextRun } from './document.js';
import { barcodeIssue, gs1CheckDigit } from './document.js';
import { BARCODE_TYPE } from './escpos.js';
import { epsonTmT20, type PrinterProfile } from './profiles.js';

/** A decoded job: a receipt document (so every renderer can show it) plus what was not understood. */
export interface DecodedReceipt extends ReceiptDocument {
  /** Commands the decoder skipped, with their byte offsets. */
  warnings: string[];
}

/** Options of {@link decodeEscPos}. */
export interface DecodeOptions {
  /** Whose `ESC t` numbers to read codepages by, and the default width. Default Epson TM-T20. */
  profile?: PrinterProfile;
  /** Columns of the preview; default the profile's font A width. */
  columns?: number;
}

const SYMBOLOGY_BY_TYPE = new Map<number, Symbology>();
for (const [name, type] of Object.entries(BARCODE_TYPE)) {
  SYMBOLOGY_BY_TYPE.set(type, name as Symbology);
  SYMBOLOGY_BY_TYPE.set(type - 65, name as Symbology); // format A: m = 0..6
}

const ALIGNS: Align[] = ['left', 'center', 'right'];
const LEVELS = ['L', 'M', 'Q', 'H'] as const;

function code128Value(data: number[]): string {
  let set: 'A' | 'B' | 'C' = 'B';
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x7b && i + 1 < data.length) {
      const next = String.fromCharCode(data[i + 1]!);
      if (next === 'A' || next === 'B' || next === 'C') {
        set = next;
        i++;
        continue;
      }
      if (next === '{') {
        out += '{';
        i++;
        continue;
      }
    }
    out += set === 'C' ? String(c).padStart(2, '0') : String.fromCharCode(c);
  }
  return out;
}

const optionsSchema = z.object({
  profile: z.optional(z.object({ codepages: z.array(z.object({ name: z.string(), id: z.int() })) })),
  columns: z.optional(z.int().check(z.gte(8), z.lte(255))),
});

/**
 * Reads an ESC/POS byte stream back into a receipt document: one text block per printed
 * line (with its styles and alignment), barcodes with their values, QR codes with their
 * data, raster images, cuts and drawer kicks. Render the result with `toSvg` to see a job
 * without a printer; the tests use it as the oracle for `toEscPos`.
 *
 * Commands that do not change what is printed (line spacing, margins, status requests)
 * are skipped; unknown ones are listed in `warnings`.
 *
 * @throws KassaError `receipt.invalid_document` when `bytes` is not a `Uint8Array` or the options are malformed.
 */
export function decodeEscPos(bytes: Uint8Array, options: DecodeOptions = {}): DecodedReceipt {
  if (!(bytes instanceof Uint8Array)) {
    parseInput(
      z.custom(() => false, { message: 'expected a Uint8Array' }),
      bytes,
      'ESC/POS bytes',
      'receipt.invalid_document',
    );
  }
  parseInput(optionsSchema, options, 'decode options', 'receipt.invalid_document');
  const profile = options.profile ?? epsonTmT20;
  const columns = options.columns ?? profile.fonts.A;
  const blocks: ReceiptBlock[] = [];
  const warnings: string[] = [];

  let bold = false;
  let underline = false;
  let invert = false;
  let width = 1;
  let height = 1;
  let align: Align = 'left';
  let table = decodeTable((profile.codepages[0]?.name ?? 'cp437') as CodepageName);
  let runs: TextRun[] = [];
  let current = '';
  let pendingLine = false;
  let qrData = new Uint8Array(0);
  let qrSize = 3;
  let qrLevel: 'L' | 'M' | 'Q' | 'H' = 'L';
  let barHeight = 162;
  let hri = false;
  let openImage: ReceiptBlock | undefined;

  const closeRun = (): void => {
    if (current === '') return;
    const run: TextRun = { text: current };
    if (bold) run.bold = true;
    if (underline) run.underline = true;
    if (invert) run.invert = true;
    if (width !== 1) run.width = width;
    if (height !== 1) run.height = height;
    runs.push(run);
    current = '';
  };
  const styleChange = (apply: () => void): void => {
    closeRun();
    apply();
  };
  const flush = (force: boolean): void => {
    closeRun();
    if (runs.length === 0 && !pendingLine && !force) return;
    if (runs.length === 0) blocks.push({ type: 'blank' });
    else blocks.push(align === 'left' ? { type: 'text', text: runs } : { type: 'text', text: runs, align });
    runs = [];
    pendingLine = false;
  };
  const reset = (): void => {
    bold = underline = invert = false;
    width = height = 1;
    align = 'left';
    table = decodeTable((profile.codepages[0]?.name ?? 'cp437') as CodepageName);
  };

  const n = bytes.length;
  let i = 0;
  const at = (k: number): number => bytes[k] ?? 0;
  while (i < n) {
    const b = bytes[i];
    // A command's length field may point anywhere; a garbage stream must end, not crash.
    if (b === undefined) break;
    if (b === 0x0a) {
      flush(true);
      i++;
      continue;
    }
    if (b >= 0x20 && b !== 0x7f) {
      const ch = table[b]!;
      current += ch === '\u0000' ? '?' : ch;
      pendingLine = true;
      i++;
      continue;
    }
    if (b === 0x0d || b === 0x09) {
      i++;
      continue;
    }
    const c = at(i + 1);
    if (b === 0x1b) {
      switch (c) {
        case 0x40: // ESC @
          closeRun();
          reset();
          i += 2;
          continue;
        case 0x74: {
          // ESC t n
          const id = at(i + 2);
          const cp = profile.codepages.find((p) => p.id === id);
          closeRun();
          if (cp) table = decodeTable(cp.name);
          else warnings.push(`offset ${i}: unknown codepage ${id}`);
          i += 3;
          continue;
        }
        case 0x45:
        case 0x47: // ESC E n, ESC G n (double strike prints as bold)
          styleChange(() => {
            bold = (at(i + 2) & 1) === 1;
          });
          i += 3;
          continue;
        case 0x2d: // ESC - n
          styleChange(() => {
            underline = (at(i + 2) & 3) !== 0;
          });
          i += 3;
          continue;
        case 0x21: {
          // ESC ! n
          const m = at(i + 2);
          styleChange(() => {
            bold = (m & 0x08) !== 0;
            height = m & 0x10 ? 2 : 1;
            width = m & 0x20 ? 2 : 1;
            underline = (m & 0x80) !== 0;
          });
          i += 3;
          continue;
        }
        case 0x61: // ESC a n
          align = ALIGNS[at(i + 2) & 3] ?? 'left';
          i += 3;
          continue;
        case 0x64: {
          // ESC d n
          flush(false);
          for (let k = 0; k < at(i + 2); k++) blocks.push({ type: 'blank' });
          i += 3;
          continue;
        }
        case 0x70: {
          // ESC p m t1 t2
          flush(false);
          blocks.push({
            type: 'drawer',
            pin: (at(i + 2) & 1) === 1 ? 5 : 2,
            onMs: Math.max(2, at(i + 3) * 2),
            offMs: Math.max(2, at(i + 4) * 2),
          });
          i += 5;
          continue;
        }
        case 0x32: // ESC 2
          i += 2;
          continue;
        case 0x33: // ESC 3 n
        case 0x4a: // ESC J n
        case 0x4d: // ESC M n
        case 0x20: // ESC SP n
        case 0x52: // ESC R n
        case 0x3d: // ESC = n
        case 0x7b: // ESC { n
        case 0x56: // ESC V n
          i += 3;
          continue;
        case 0x63: // ESC c 3/4/5 n
        case 0x24: // ESC $ nL nH
        case 0x5c: // ESC \\ nL nH
          i += 4;
          continue;
        case 0x2a: {
          // ESC * m nL nH d: bit image, 1 or 3 bytes per column
          const columnsOfDots = at(i + 3) | (at(i + 4) << 8);
          i += 5 + columnsOfDots * (at(i + 2) >= 32 ? 3 : 1);
          warnings.push('ESC * bit image not shown');
          continue;
        }
        default:
          warnings.push(`offset ${i}: unknown command ESC 0x${c.toString(16)}`);
          i += 2;
          continue;
      }
    }
    if (b === 0x1d) {
      switch (c) {
        case 0x21: {
          // GS ! n
          const m = at(i + 2);
          styleChange(() => {
            width = ((m >> 4) & 7) + 1;
            height = (m & 7) + 1;
          });
          i += 3;
          continue;
        }
        case 0x42: // GS B n
          styleChange(() => {
            invert = (at(i + 2) & 1) === 1;
          });
          i += 3;
          continue;
        case 0x68: // GS h n
          barHeight = at(i + 2);
          i += 3;
          continue;
        case 0x48: // GS H n
          hri = (at(i + 2) & 3) !== 0;
          i += 3;
          continue;
        case 0x77: // GS w n
        case 0x66: // GS f n
        case 0x61: // GS a n (status)
          i += 3;
          continue;
        case 0x38: {
          // GS 8 L p1 p2 p3 p4 ...: graphics with a four-byte length
          // Multiplied, not shifted: `<< 24` of a byte over 127 turns the length negative.
          const len = at(i + 3) + at(i + 4) * 0x100 + at(i + 5) * 0x10000 + at(i + 6) * 0x1000000;
          warnings.push(`offset ${i}: skipped GS 8 L graphics`);
          i += 7 + len;
          continue;
        }
        case 0x4c: // GS L nL nH
        case 0x50: // GS P x y
        case 0x57: // GS W nL nH
          i += 4;
          continue;
        case 0x56: {
          // GS V m [n]
          flush(false);
          const m = at(i + 2);
          blocks.push(
            m === 1 || m === 49 || m === 66 || m === 98 ? { type: 'cut', partial: true } : { type: 'cut' },
          );
          i += m >= 65 ? 4 : 3;
          continue;
        }
        case 0x6b: {
          // GS k m ...
          flush(false);
          const m = at(i + 2);
          const symbology = SYMBOLOGY_BY_TYPE.get(m);
          let data: number[];
          if (m < 65) {
            let end = i + 3;
            while (end < n && bytes[end] !== 0) end++;
            data = Array.from(bytes.subarray(i + 3, end));
            i = end + 1;
          } else {
            const len = at(i + 3);
            data = Array.from(bytes.subarray(i + 4, i + 4 + len));
            i += 4 + len;
          }
          if (!symbology) {
            warnings.push(`offset ${i}: unknown barcode type ${m}`);
            continue;
          }
          let value = symbology === 'code128' ? code128Value(data) : String.fromCharCode(...data);
          if (
            (symbology === 'ean13' && value.length === 12) ||
            (symbology === 'ean8' && value.length === 7) ||
            (symbology === 'upca' && value.length === 11)
          ) {
            value += String(gs1CheckDigit(value));
          }
          const issue = barcodeIssue({ symbology, value });
          if (issue) {
            // The printer would refuse it too; show the data so the job can be debugged.
            warnings.push(`offset ${i}: ${issue}`);
            blocks.push({ type: 'text', text: `[${symbology}] ${value}`, align });
          } else {
            blocks.push({ type: 'barcode', symbology, value, height: Math.max(1, barHeight), hri, align });
          }
          continue;
        }
        case 0x28: {
          // GS ( k pL pH cn fn ...
          const len = at(i + 3) | (at(i + 4) << 8);
          const body = bytes.subarray(i + 5, i + 5 + len);
          if (at(i + 2) === 0x6b && body[0] === 0x31) {
            const fn = body[1];
            if (fn === 0x43) qrSize = body[2] ?? qrSize;
            else if (fn === 0x45) qrLevel = LEVELS[(body[2] ?? 48) - 48] ?? 'L';
            else if (fn === 0x50) qrData = body.slice(3);
            else if (fn === 0x51 && qrData.length === 0) warnings.push(`offset ${i}: QR print with no data`);
            else if (fn === 0x51) {
              flush(false);
              blocks.push({
                type: 'qr',
                data: new TextDecoder().decode(qrData),
                size: qrSize,
                errorLevel: qrLevel,
                align,
              });
            }
          } else if (at(i + 2) !== 0x6b && at(i + 2) !== 0x44) {
            // GS ( D (real-time command switch) prints nothing; anything else is worth a note.
            warnings.push(`offset ${i}: skipped GS ( 0x${at(i + 2).toString(16)}`);
          }
          i += 5 + len;
          continue;
        }
        case 0x76: {
          // GS v 0 m xL xH yL yH d...
          flush(false);
          const bytesPerRow = at(i + 4) | (at(i + 5) << 8);
          const start = i + 8;
          // A truncated job holds fewer rows than announced; never allocate for data that is not there.
          const rows = Math.min(
            at(i + 6) | (at(i + 7) << 8),
            bytesPerRow > 0 ? Math.floor((n - start) / bytesPerRow) : 0,
          );
          const w = bytesPerRow * 8;
          const pixels = new Uint8Array(w * rows).fill(255);
          for (let y = 0; y < rows; y++) {
            for (let x = 0; x < w; x++) {
              if (at(start + y * bytesPerRow + (x >> 3)) & (0x80 >> (x & 7))) pixels[y * w + x] = 0;
            }
          }
          // Consecutive bands of one image come back as one image.
          const last = blocks[blocks.length - 1];
          if (last?.type === 'image' && last === openImage && last.width === w) {
            const merged = new Uint8Array(last.pixels.length + pixels.length);
            merged.set(last.pixels);
            merged.set(pixels, last.pixels.length);
            openImage = { ...last, height: last.height + rows, pixels: merged };
            blocks[blocks.length - 1] = openImage;
          } else if (rows > 0 && w > 0) {
            openImage = { type: 'image', width: w, height: rows, pixels, align, dither: 'threshold' };
            blocks.push(openImage);
          }
          i = start + bytesPerRow * rows;
          continue;
        }
        default:
          warnings.push(`offset ${i}: unknown command GS 0x${c.toString(16)}`);
          i += 2;
          continue;
      }
    }
    if (b === 0x10 && c === 0x04) {
      // DLE EOT n: a status request
      i += 3;
      continue;
    }
    if (b === 0x1c) {
      // FS commands select kanji modes; none change single-byte text.
      i += at(i + 1) === 0x2e || at(i + 1) === 0x26 ? 2 : at(i + 1) === 0x70 ? 4 : 3;
      continue;
    }
    warnings.push(`offset ${i}: unexpected byte 0x${b.toString(16)}`);
    i++;
  }
  flush(false);
  return { columns, blocks, warnings };
}
