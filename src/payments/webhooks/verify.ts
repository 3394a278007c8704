import type { Clock } from '../../clock.js';
import { KassaError } from '../../errors.js';
import { bytesOf, constantTimeEqual, fromHex, hmacSha256, toBase64 } from './crypto.js';

function invalid(provider: string): never {
  throw new KassaError(
    'payment.webhook_invalid_signature',
    `The ${provider} webhook signature does not match`,
    {
      provider,
    },
  );
}

function malformed(provider: string, message: string): never {
  throw new KassaError('payment.webhook_malformed', `Malformed ${provider} webhook: ${message}`, {
    provider,
  });
}

/** Options of {@link verifyStripeSignature}. */
export interface StripeSignatureOptions {
  /** The raw request body, exactly as received (not re-serialised JSON). */
  readonly payload: string | Uint8Array;
  /** The `Stripe-Signature` header. */
  readonly header: string;
  /** The endpoint's signing secret (`whsec_...`). */
  readonly secret: string;
  /** Largest accepted age of the signature in seconds (default 300, Stripe's own default). */
  readonly toleranceSeconds?: number;
  /** Default: `Date.now()`. */
  readonly clock?: Pick<Clock, 'now'>;
}

/**
 * Verifies Stripe's `Stripe-Signature` header (`t=<unix seconds>,v1=<hex>,...`): an
 * HMAC-SHA256 of `"<t>.<raw body>"` under the signing secret, any `v1` may match, and the
 * timestamp must be within the tolerance. Resolves with the signed timestamp.
 * @throws KassaError `payment.webhook_malformed`, `payment.webhook_invalid_signature`,
 * `payment.webhook_timestamp_out_of_tolerance`
 */
export async function verifyStripeSignature(options: StripeSignatureOptions): Promise<{ timestamp: number }> {
  const { payload, header, secret } = options;
  if (typeof header !== 'string' || typeof secret !== 'string' || secret.length === 0) {
    malformed('Stripe', 'header and secret are required');
  }
  let timestamp: number | undefined;
  const signatures: Uint8Array[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === 'v1') {
      const sig = fromHex(value);
      if (sig) signatures.push(sig);
    }
  }
  if (timestamp === undefined || signatures.length === 0)
    malformed('Stripe', 'no timestamp or no v1 signature');
  const signed = new Uint8Array([...bytesOf(`${timestamp}.`), ...bytesOf(payload)]);
  const expected = await hmacSha256(bytesOf(secret), signed);
  let ok = false;
  // Check every candidate so the time taken does not tell which one matched.
  for (const sig of signatures) ok = constantTimeEqual(expected, sig) || ok;
  if (!ok) invalid('Stripe');
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor((options.clock?.now() ?? Date.now()) / 1000);
  if (tolerance > 0 && Math.abs(now - timestamp) > tolerance) {
    throw new KassaError(
      'payment.webhook_timestamp_out_of_tolerance',
      `The Stripe webhook was signed ${now - timestamp}s ago (tolerance ${tolerance}s)`,
      { provider: 'Stripe', timestamp },
    );
  }
  return { timestamp };
}

/** Options of {@link verifySquareSignature}. */
export interface SquareSignatureOptions {
  /** The raw request body. */
  readonly body: string | Uint8Array;
  /** The `x-square-hmacsha256-signature` header. */
  readonly signature: string;
  /** The subscription's signature key. */
  readonly signatureKey: string;
  /** The notification URL exactly as registered with Square. */
  readonly notificationUrl: string;
}

/**
 * Verifies Square's `x-square-hmacsha256-signature`: base64 HMAC-SHA256 of the
 * notification URL followed by the raw body, under the signature key.
 * @throws KassaError `payment.webhook_malformed`, `payment.webhook_invalid_signature`
 */
export async function verifySquareSignature(options: SquareSignatureOptions): Promise<void> {
  const { body, signature, signatureKey, notificationUrl } = options;
  if (!signature || !signatureKey || !notificationUrl) {
    malformed('Square', 'signature, signature key and notification URL are required');
  }
  const data = new Uint8Array([...bytesOf(notificationUrl), ...bytesOf(body)]);
  const expected = toBase64(await hmacSha256(bytesOf(signatureKey), data));
  if (!constantTimeEqual(bytesOf(expected), bytesOf(signature.trim()))) invalid('Square');
}

/** The fields of an Adyen `NotificationRequestItem` that its HMAC covers. */
export interface AdyenNotificationItem {
  readonly pspReference?: string;
  readonly originalReference?: string;
  readonly merchantAccountCode?: string;
  readonly merchantReference?: string;
  readonly amount?: { readonly value?: number | string; readonly currency?: string };
  readonly eventCode?: string;
  readonly success?: string | boolean;
  readonly additionalData?: { readonly hmacSignature?: string; readonly [key: string]: unknown };
}

/**
 * Verifies the HMAC of one Adyen notification item: base64 HMAC-SHA256, under the
 * hex-encoded key, of `pspReference:originalReference:merchantAccountCode:merchantReference:
 * value:currency:eventCode:success` (missing fields are empty), compared with
 * `additionalData.hmacSignature`.
 * @throws KassaError `payment.webhook_malformed`, `payment.webhook_invalid_signature`
 */
export async function verifyAdyenHmac(item: AdyenNotificationItem, hmacKeyHex: string): Promise<void> {
  const key = fromHex(hmacKeyHex ?? '');
  if (!key || key.length === 0) malformed('Adyen', 'the HMAC key must be hex');
  const given = item?.additionalData?.hmacSignature;
  if (typeof given !== 'string' || given.length === 0) malformed('Adyen', 'no additionalData.hmacSignature');
  const field = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const signing = [
    item.pspReference,
    item.originalReference,
    item.merchantAccountCode,
    item.merchantReference,
    item.amount?.value,
    item.amount?.currency,
    item.eventCode,
    item.success,
  ]
    .map(field)
    .join(':');
  const expected = toBase64(await hmacSha256(key, bytesOf(signing)));
  if (!constantTimeEqual(bytesOf(expected), bytesOf(given))) invalid('Adyen');
}
