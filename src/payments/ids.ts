/** A new attempt or refund id, made on the client so it can be journaled before any request leaves. */
export function newPaymentId(prefix: 'pa' | 'rf' = 'pa'): string {
  return `${prefix}_${globalThis.crypto.randomUUID().replace(/-/g, '')}`;
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
