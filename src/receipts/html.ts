import type { ReceiptDocument, TextRun, TextStyle } from './document.js';
import { fullBarcodeValue, validateDocument } from './document.js';
import { escapeXml } from './escape.js';
import { clean } from './layout.js';

const FONT = "ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono','Courier New',monospace";

function css(style: TextStyle | undefined): string {
  if (!style) return '';
  let out = '';
  if (style.bold) out += 'font-weight:bold;';
  if (style.underline) out += 'text-decoration:underline;';
  if (style.invert) out += 'background:#111;color:#fff;';
  const scale = Math.max(style.width ?? 1, style.height ?? 1);
  if (scale > 1) out += `font-size:${1 + (scale - 1) * 0.4}em;`;
  return out;
}

function span(text: string, style: TextStyle | undefined): string {
  const s = css(style);
  const body = escapeXml(clean(text)).replace(/\n/g, '<br>');
  return s ? `<span style="${s}">${body}</span>` : body;
}

function merged(outer: TextStyle | undefined, run: TextRun): TextStyle {
  return { ...outer, ...run };
}

/** Options of {@link toHtml}. */
export interface HtmlOptions {
  /** A whole HTML document (default) or only the receipt's `<div>`, to embed in your own mail layout. */
  fragment?: boolean;
}

/**
 * Renders a receipt as HTML for an email or a web page: tables for columns and inline CSS
 * only (what mail clients keep), a 420 px column that fits a phone, and no remote
 * resources, fonts or images. Text wraps at the reader's width rather than the printer's.
 * Barcodes and QR codes show their value (a link when the QR data is a web address);
 * images, cuts and drawer kicks are printer matters and are left out.
 *
 * @throws KassaError `receipt.invalid_document`.
 */
export function toHtml(doc: ReceiptDocument, options: HtmlOptions = {}): string {
  validateDocument(doc);
  const body: string[] = [];
  for (const block of doc.blocks) {
    switch (block.type) {
      case 'text': {
        const content =
          typeof block.text === 'string'
            ? span(block.text, block.style)
            : block.text.map((r) => span(r.text, merged(block.style, r))).join('');
        body.push(
          `<div style="text-align:${block.align ?? 'left'};white-space:pre-wrap;">${content || '&nbsp;'}</div>`,
        );
        break;
      }
      case 'row': {
        const cells = block.columns.map((c) => {
          const width = c.width !== undefined ? `width:${Math.round((c.width / doc.columns) * 100)}%;` : '';
          const nowrap =
            c.width !== undefined && c.width <= 12 ? 'white-space:nowrap;' : 'white-space:pre-wrap;';
          return `<td style="text-align:${c.align ?? 'left'};vertical-align:top;padding:0 0 0 4px;${width}${nowrap}">${span(c.text, { ...block.style, ...c.style })}</td>`;
        });
        body.push(
          `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;font:inherit;"><tr>${cells.join('')}</tr></table>`,
        );
        break;
      }
      case 'rule':
        body.push(
          `<hr style="border:0;border-top:${block.char === '=' ? '3px double' : '1px dashed'} #888;margin:6px 0;">`,
        );
        break;
      case 'blank':
        body.push(`<div style="height:${1.4 * (block.lines ?? 1)}em;"></div>`);
        break;
      case 'barcode':
        body.push(
          `<div style="text-align:${block.align ?? 'center'};letter-spacing:2px;margin:8px 0;">${escapeXml(fullBarcodeValue(block))}</div>`,
        );
        break;
      case 'qr': {
        const data = escapeXml(block.data);
        const content = /^https?:\/\/\S+$/.test(block.data)
          ? `<a href="${data}" style="color:#0645ad;">${data}</a>`
          : data;
        body.push(
          `<div style="text-align:${block.align ?? 'center'};margin:8px 0;word-break:break-all;">${content}</div>`,
        );
        break;
      }
      default:
        break;
    }
  }
  const receipt = `<div style="max-width:420px;margin:0 auto;background:#fff;color:#111;padding:16px;font-family:${escapeXml(FONT)};font-size:14px;line-height:1.4;">${body.join('\n')}</div>`;
  if (options.fragment) return receipt;
  const lang = doc.lang ? ` lang="${escapeXml(doc.lang)}"` : '';
  const title = escapeXml(doc.title ?? 'Receipt');
  return `<!DOCTYPE html>
<html${lang}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title>
</head>
<body style="margin:0;padding:12px;background:#f2f2f2;">
${receipt}
</body>
</html>
`;
}
