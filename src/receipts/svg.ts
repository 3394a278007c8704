import { KassaError } from '../errors.js';
import { barWidths } from './bars.js';
import { fullBarcodeValue, type ReceiptDocument, validateDocument } from './document.js';
import { escapeXml } from './escape.js';
import { dotAt, rasterize } from './image.js';
import { cellsOf, layout } from './layout.js';
import { encodeQr } from './qr.js';

/** Options of {@link toSvg}. */
export interface SvgOptions {
  /** Line width in columns; default the document's `columns`. */
  columns?: number;
}

// A printer's font A cell is 12 x 24 dots; the preview uses one pixel per dot.
const CELL_W = 12;
const CELL_H = 24;
const MARGIN = 12;
const FONT = "ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace";

/**
 * Renders a receipt as an SVG preview, one pixel per printer dot (a 12 x 24 cell per
 * character), for kiosks, docs and the decoded view of an ESC/POS job. Uses only local
 * monospace fonts (no web fonts, no remote resources); every text run is stretched to its
 * exact cell width so columns line up whatever font the viewer has. Images are dithered as
 * the printer would. Barcodes are drawn bar for bar (CODE128 in the code set `toEscPos` sends)
 * and QR codes module for module, at the level the block asks for, so the preview scans; a
 * QR code holding more than version 40 can (and a UPC-E value whose number system is not 0 or
 * 1) is drawn as a labelled box with its value.
 *
 * @throws KassaError `receipt.invalid_document` or `receipt.layout_too_wide`.
 */
export function toSvg(doc: ReceiptDocument, options: SvgOptions = {}): string {
  validateDocument(doc);
  const columns = options.columns ?? doc.columns;
  if (!Number.isInteger(columns) || columns < 8 || columns > 255) {
    throw new KassaError('receipt.invalid_document', 'columns must be a whole number from 8 to 255', {
      path: ['columns'],
    });
  }
  const paper = columns * CELL_W;
  const parts: string[] = [];
  let y = MARGIN;
  const xFor = (align: string | undefined, w: number): number =>
    MARGIN + (align === 'left' ? 0 : align === 'right' ? paper - w : Math.floor((paper - w) / 2));
  const box = (w: number, h: number, align: string | undefined, label: string, value: string): void => {
    const x = xFor(align, w);
    parts.push(
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="#000" stroke-dasharray="4 3"/>`,
      `<text x="${x + w / 2}" y="${y + h / 2 - 4}" text-anchor="middle" font-size="14">${escapeXml(label)}</text>`,
      `<text x="${x + w / 2}" y="${y + h / 2 + 14}" text-anchor="middle" font-size="12">${escapeXml(value.length > 40 ? `${value.slice(0, 39)}…` : value)}</text>`,
    );
    y += h + 8;
  };
  for (const item of layout(doc, columns)) {
    if (item.kind === 'line') {
      let lineHeight = 1;
      for (const r of item.runs) lineHeight = Math.max(lineHeight, r.style.height);
      const free = paper - cellsOf(item.runs) * CELL_W;
      let x =
        MARGIN +
        (item.align === 'right'
          ? free
          : item.align === 'center'
            ? Math.floor(free / (2 * CELL_W)) * CELL_W
            : 0);
      const base = y + lineHeight * CELL_H - 6;
      for (const r of item.runs) {
        const w = r.text.length * r.style.width * CELL_W;
        if (r.style.invert)
          parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${lineHeight * CELL_H}"/>`);
        const cell = r.style.width * CELL_W;
        if (r.style.underline) {
          parts.push(
            `<rect x="${x}" y="${base + 3}" width="${w}" height="2"${r.style.invert ? ' fill="#fff"' : ''}/>`,
          );
        }
        // Each word is placed at its own cell and stretched to its exact width, so columns line
        // up whatever monospace font the viewer has, and runs of spaces need no white-space support.
        const words = / *([^ ]+)/g;
        for (let m = words.exec(r.text); m !== null; m = words.exec(r.text)) {
          const word = m[1]!;
          const wx = x + (m.index + m[0].length - word.length) * cell;
          const attrs = [
            `textLength="${(word.length * cell) / r.style.width}"`,
            'lengthAdjust="spacingAndGlyphs"',
            r.style.bold ? 'font-weight="bold"' : '',
            r.style.invert ? 'fill="#fff"' : '',
          ]
            .filter(Boolean)
            .join(' ');
          const place =
            r.style.width === 1 && r.style.height === 1
              ? `x="${wx}" y="${base}"`
              : `transform="translate(${wx} ${base}) scale(${r.style.width} ${r.style.height})"`;
          parts.push(`<text ${place} ${attrs}>${escapeXml(word)}</text>`);
        }
        x += w;
      }
      y += lineHeight * CELL_H;
      continue;
    }
    const block = item.block;
    switch (block.type) {
      case 'barcode': {
        const widths = barWidths(block);
        const height = block.height ?? 60;
        if (!widths) {
          box(
            Math.min(paper, 320),
            height,
            block.align,
            block.symbology.toUpperCase(),
            fullBarcodeValue(block),
          );
          break;
        }
        const total = widths.reduce((a, b) => a + b, 0);
        // Bars two dots per module, as the printer draws them, or one when that is too wide.
        const module = total * 2 <= paper ? 2 : 1;
        let x = xFor(block.align ?? 'center', total * module);
        let d = '';
        widths.forEach((w, i) => {
          if (i % 2 === 0) d += `M${x} ${y}h${w * module}v${height}h${-w * module}z`;
          x += w * module;
        });
        parts.push(`<path d="${d}"/>`);
        y += height;
        if (block.hri !== false) {
          const mid = xFor(block.align ?? 'center', total * module) + (total * module) / 2;
          parts.push(
            `<text x="${mid}" y="${y + 18}" text-anchor="middle" font-size="16">${escapeXml(fullBarcodeValue(block))}</text>`,
          );
          y += 24;
        }
        y += 8;
        break;
      }
      case 'qr': {
        const qr = encodeQr(block.data, block.errorLevel ?? 'M');
        if (!qr) {
          // More data than a version 40 symbol holds: the printer would refuse it too.
          box(160, 160, block.align, 'QR (too long)', block.data);
          break;
        }
        // The module size the printer is sent (toEscPos shrinks it to fit the paper), with a
        // quiet zone of four modules above and below so the preview scans from a screen.
        const module = Math.max(1, Math.min(block.size ?? 6, Math.floor(paper / (qr.size + 8))));
        const side = qr.size * module;
        const x0 = xFor(block.align ?? 'center', side);
        y += 4 * module;
        let d = '';
        for (let r = 0; r < qr.size; r++) {
          let c = 0;
          while (c < qr.size) {
            if (!qr.modules[r * qr.size + c]) {
              c++;
              continue;
            }
            const start = c;
            while (c < qr.size && qr.modules[r * qr.size + c]) c++;
            d += `M${x0 + start * module} ${y + r * module}h${(c - start) * module}v${module}h${(start - c) * module}z`;
          }
        }
        parts.push(`<path d="${d}"/>`);
        y += side + 4 * module;
        break;
      }
      case 'image': {
        const bitmap = rasterize(block, paper);
        const x0 = xFor(block.align ?? 'center', bitmap.width);
        let d = '';
        for (let row = 0; row < bitmap.height; row++) {
          let x = 0;
          while (x < bitmap.width) {
            if (!dotAt(bitmap, x, row)) {
              x++;
              continue;
            }
            const start = x;
            while (x < bitmap.width && dotAt(bitmap, x, row)) x++;
            d += `M${x0 + start} ${y + row}h${x - start}v1h${start - x}z`;
          }
        }
        if (d) parts.push(`<path d="${d}"/>`);
        y += bitmap.height + 4;
        break;
      }
      case 'cut':
        parts.push(
          `<line x1="0" y1="${y + 8}" x2="${paper + 2 * MARGIN}" y2="${y + 8}" stroke="#888" stroke-dasharray="6 4"/>`,
        );
        y += 16;
        break;
      case 'drawer':
        break;
    }
  }
  const height = y + MARGIN;
  const width = paper + 2 * MARGIN;
  const title = doc.title ? `<title>${escapeXml(doc.title)}</title>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}" font-size="20">` +
    `${title}<rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>\n`
  );
}
