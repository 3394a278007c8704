/**
 * Error codes of `kassa/payments`.
 *
 * The three provider error codes say whether money may have moved, which decides what a
 * caller may do next:
 * - `payment.not_sent`: the request never reached the provider; retrying is safe.
 * - `payment.declined`: the provider answered no; retry only as a new attempt.
 * - `payment.outcome_unknown`: money may have moved; only `inquire` may resolve it, and the
 *   terminal takes no new attempt until it is resolved.
 * - `payment.provider_error`: the provider answered something its request cannot explain
 *   (an approval above the amount asked); the attempt needs a person's attention.
 * - `payment.store_locked`: another process held the file store's lock past the timeout.
 */
export type PaymentErrorCode =
  | 'payment.not_sent'
  | 'payment.declined'
  | 'payment.outcome_unknown'
  | 'payment.canceled'
  | 'payment.needs_attention'
  | 'payment.partial_voided'
  | 'payment.unknown_provider'
  | 'payment.unknown_attempt'
  | 'payment.terminal_busy'
  | 'payment.amount_exceeds_due'
  | 'payment.nothing_due'
  | 'payment.refund_exceeds_paid'
  | 'payment.unsupported'
  | 'payment.invalid_state'
  | 'payment.session_closed'
  | 'payment.session_mismatch'
  | 'payment.store_corrupt'
  | 'payment.store_locked'
  | 'payment.provider_error'
  | 'payment.webhook_invalid_signature'
  | 'payment.webhook_timestamp_out_of_tolerance'
  | 'payment.webhook_malformed';
