import { isKassaError, KassaError, type KassaErrorCode } from '../../errors.js';
import { minorUnits } from '../../money/currencies.js';
import { Decimal } from '../../money/decimal.js';
import type { PaymentOutcome } from '../types.js';

/* Small checks and conversions the parts of a payment session share. */

/** @internal */
export type StartResult =
  | { kind: 'outcome'; outcome: PaymentOutcome; source: 'start' | 'cancel' | 'webhook' }
  | { kind: 'unknown'; reason: string; source: 'start' | 'timeout' };

/** @internal */
export function fail(code: KassaErrorCode, message: string, details = {}): never {
  throw new KassaError(code, message, details);
}

/** @internal */
export function checkDecimals(value: string, currency: string, path: (string | number)[]): Decimal {
  const d = new Decimal(value);
  if (d.decimalPlaces() > minorUnits(currency)) {
    fail(
      'validation.too_many_decimals',
      `${value} has more decimals than ${currency} allows (${minorUnits(currency)})`,
      { path },
    );
  }
  return d;
}

/** @internal */
export function sameCurrency(given: string | undefined, currency: string): void {
  if (given !== undefined && given !== currency) {
    fail('validation.currency_mismatch', `Amount in ${given}, but the sale is in ${currency}`, {
      path: ['currency'],
    });
  }
}

/** @internal */
export function positive(d: Decimal, path: (string | number)[]): void {
  if (d.lte(0)) fail('validation.invalid_amount', 'Amount must be greater than zero', { path });
}

/** @internal */
export function sanitizeReason(e: unknown): string {
  const raw = isKassaError(e) ? e.code : e instanceof Error ? e.message : 'provider error';
  const cleaned = raw.replace(/\d/g, '#').slice(0, 200);
  return cleaned.length > 0 ? cleaned : 'provider error';
}

/** What a void or refund call that threw means: not sent is safe to retry; anything else may have moved money. */
/** @internal */
export function outcomeOfThrow(e: unknown): PaymentOutcome {
  return isKassaError(e) && e.code === 'payment.not_sent'
    ? { status: 'failed', reason: 'not sent' }
    : { status: 'unknown', reason: sanitizeReason(e) };
}
