import { KassaError } from '../errors.js';
import { fullBarcodeValue, type ReceiptDocument, validateDocument } from './document.js';
import { alignedText, layout } from './layout.js';

/** Options of {@link toText}. */
export interface TextOptions {
  /** Line width; default the document's `columns`. */
  columns?: number;
}

function centre(text: string, columns: number): string {
  const free = columns - text.length;
  return free > 0 ? ' '.repeat(Math.floor(free / 2)) + text : text;
}

/**
 * Renders a receipt as monospace text: the plain part of an email, a console, a log line.
 * Lines break where the printer breaks them (the same layout); double-size text prints at
 * normal size, barcodes and QR codes print their value, images and cuts print nothing.
 *
 * @throws KassaError `receipt.invalid_document` or `receipt.layout_too_wide`.
 *
 * @example
 * ```ts
 * console.log(toText(doc, { columns: 42 }));
 * ```
 */
export function toText(doc: ReceiptDocument, options: TextOptions = {}): string {
  validateDocument(doc);
  const columns = options.columns ?? doc.columns;
  if (!Number.isInteger(columns) || columns < 8 || columns > 255) {
    throw new KassaError('receipt.invalid_document', 'columns must be a whole number from 8 to 255', {
      path: ['columns'],
    });
  }
  const out: string[] = [];
  for (const item of layout(doc, columns, { sizes: false })) {
    if (item.kind === 'line') {
      out.push(alignedText(item, columns));
      continue;
    }
    const block = item.block;
    if (block.type === 'barcode') out.push(centre(fullBarcodeValue(block), columns));
    else if (block.type === 'qr') out.push(centre(block.data, columns));
  }
  return `${out.join('\n')}\n`;
}
