/** Error codes of `kassa/checkout`: what the orchestrator decides (bad input stays `validation.*`). */
export type CheckoutErrorCode =
  | 'checkout.invalid_transition'
  | 'checkout.not_paid'
  | 'checkout.no_shift'
  | 'checkout.shift_open'
  | 'checkout.shift_closed'
  | 'checkout.count_needs_approval'
  | 'checkout.sale_not_found'
  | 'checkout.already_recalled'
  | 'checkout.nothing_to_return'
  | 'checkout.scan_rejected';
