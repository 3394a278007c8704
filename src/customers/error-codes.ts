/** Error codes of the customers and loyalty module (`kassa/customers`). */
export type CustomerErrorCode =
  | 'customer.invalid'
  | 'customer.not_found'
  | 'loyalty.invalid_entry'
  | 'loyalty.insufficient_points'
  | 'loyalty.conflict'
  | 'loyalty.invalid_redemption';
