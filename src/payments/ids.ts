/** A new attempt or refund id, made on the client so it can be journaled before any request leaves. */
export function newPaymentId(prefix: 'pa' | 'rf' = 'pa'): string {
  // Letters only (26 of them, about 122 bits): an id never holds a run of digits that
  // the card-data guard could mistake for a card number.
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(26));
  let id = '';
  for (const b of bytes) id += String.fromCharCode(97 + (b % 26));
  return `${prefix}_${id}`;
}

/** The idempotency key of a void of `attemptId`. */
export function voidKey(attemptId: string): string {
  return `${attemptId}:void`;
}

/** The idempotency key of a capture of `attemptId`. */
export function captureKey(attemptId: string): string {
  return `${attemptId}:capture`;
}

/** The idempotency key of the `n`th refund (1-based) of `attemptId`. */
export function refundKey(attemptId: string, n: number): string {
  return `${attemptId}:refund:${n}`;
}
