/** Error codes of `kassa/receipts`. */
export type ReceiptErrorCode = 'receipt.invalid_document';
