/** Error codes of `kassa/payments`. */
export type PaymentErrorCode = 'payment.declined';
