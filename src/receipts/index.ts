/**
 * `kassa/receipts`: one receipt model, a default template, and renderers to ESC/POS bytes,
 * monospace text, email HTML and an SVG preview, plus an ESC/POS decoder.
 *
 * @packageDocumentation
 */
export { CODEPAGE_NAMES, type CodepageName, transliterate } from './codepages.js';
export { type DecodedReceipt, type DecodeOptions, decodeEscPos } from './decode.js';
export type {
  Align,
  BarcodeBlock,
  BlankBlock,
  CutBlock,
  DrawerBlock,
  ImageBlock,
  QrBlock,
  ReceiptBlock,
  ReceiptDocument,
  RowBlock,
  RowColumn,
  RuleBlock,
  Symbology,
  TextBlock,
  TextRun,
  TextStyle,
} from './document.js';
export { freezeDocument } from './document.js';
export type { ReceiptErrorCode } from './error-codes.js';
export { type EscPosOptions, printableText, toEscPos, toPrinterBytes, toStarPrnt } from './escpos.js';
export { createFormatters, type ReceiptFormatters } from './format.js';
export { type HtmlOptions, toHtml } from './html.js';
export { labelsFor, type ReceiptLabels, receiptLabels } from './labels.js';
export {
  epsonTmT20,
  epsonTmT88,
  generic58,
  type PrinterProfile,
  printerProfiles,
  starEscPos,
  starTsp100,
} from './profiles.js';
export { type SvgOptions, toSvg } from './svg.js';
export {
  type BuildReceiptOptions,
  buildReceipt,
  defaultTemplate,
  type ReceiptCart,
  type ReceiptSale,
  type ReceiptStore,
  type ReceiptTemplate,
  type ReceiptTender,
  type TemplateContext,
} from './template.js';
export { type TextOptions, toText } from './text.js';
