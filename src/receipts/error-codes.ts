/**
 * Error codes of `kassa/receipts`.
 *
 * - `receipt.invalid_document`: a receipt document (or a renderer option) is malformed.
 * - `receipt.invalid_sale`: the sale given to `buildReceipt` is malformed.
 * - `receipt.invalid_profile`: a printer profile is malformed.
 * - `receipt.layout_too_wide`: a row's fixed columns do not fit the paper width.
 * - `receipt.invalid_barcode`: a barcode value is not valid for its symbology.
 * - `receipt.barcode_too_wide`: a barcode is wider than the printer's paper even at the thinnest bars.
 * - `receipt.qr_too_large`: QR data (counted in UTF-8 bytes in byte mode) exceeds what a QR code
 *   holds at its error level.
 * - `receipt.columns_too_wide`: `columns` is wider than the printer's smallest font.
 */
export type ReceiptErrorCode =
  | 'receipt.invalid_document'
  | 'receipt.invalid_sale'
  | 'receipt.invalid_profile'
  | 'receipt.layout_too_wide'
  | 'receipt.invalid_barcode'
  | 'receipt.barcode_too_wide'
  | 'receipt.qr_too_large'
  | 'receipt.columns_too_wide';
