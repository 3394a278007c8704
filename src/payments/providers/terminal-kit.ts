/*
 * Plumbing shared by the terminal adapters (Stripe, Square, Adyen): amounts in minor and
 * major units, HTTP calls that say whether a request may have reached the provider, and an
 * Observable built from an async attempt. No provider's protocol lives here, so each
 * adapter's subpath carries only its own.
 */
import { Observable } from 'rxjs';
import type { Clock } from '../../clock.js';
import { KassaError } from '../../errors.js';
import { minorUnits } from '../../money/currencies.js';
import { Decimal } from '../../money/decimal.js';
import { containsCardData } from '../card-data.js';
import type { PaymentEvent, PaymentOutcome } from '../types.js';

/** Minor units of a decimal amount string (`'12.10'` EUR is 1210, `'1250'` JPY is 1250). @internal */
export function toMinor(amount: string, currency: string): number {
  const scaled = new Decimal(amount).mul(new Decimal(10).pow(minorUnits(currency)));
  if (!scaled.isInteger() || !Number.isSafeInteger(scaled.toNumber())) {
    throw new KassaError(
      'validation.invalid_amount',
      `${amount} is not a whole number of ${currency} minor units`,
      {
        path: ['amount'],
      },
    );
  }
  return scaled.toNumber();
}

/** The decimal string of `units` minor units of `currency`. @internal */
export function fromMinor(units: number | string, currency: string): string {
  const d = minorUnits(currency);
  return new Decimal(units).div(new Decimal(10).pow(d)).toFixed(d);
}

/**
 * A decimal amount in major units as a JSON number, as the nexo Terminal API wants it
 * (`12.1` EUR, `1250` JPY, `1.234` KWD). Built from the decimal string, so no float
 * arithmetic is ever done on money; the number is only the wire format. @internal
 */
export function toMajorNumber(amount: string, currency: string): number {
  return Number(new Decimal(amount).toFixed(minorUnits(currency)));
}

/** The decimal string of a major-unit number read from the wire, at the currency's exponent. @internal */
export function fromMajorNumber(value: number | string, currency: string): string {
  return new Decimal(String(value)).toDecimalPlaces(minorUnits(currency)).toFixed(minorUnits(currency));
}

/** A fetch function: the platform's, or one given for tests and proxies. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Thrown by {@link send}: `sent` says whether the request may have reached the provider
 * (a timeout, a reset connection, a 5xx) or certainly did not (connection refused, DNS).
 * @internal
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly sent: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether a fetch rejection certainly happened before the request left (Node's undici exposes the cause). */
function certainlyNotSent(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A response read whole: status and parsed JSON body (or the text when it is not JSON). @internal */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/**
 * One HTTP call with a deadline. Resolves with any HTTP answer (the caller decides what a
 * 4xx means); rejects with a {@link TransportError} when no answer came.
 * @internal
 */
export async function send(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit & { timeoutMs: number },
): Promise<Reply> {
  const { timeoutMs, ...rest } = init;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchFn(url, { ...rest, signal: controller.signal });
    const text = await res.text();
    let body: unknown = text;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: res.status, headers: res.headers, body, text };
  } catch (error) {
    if (controller.signal.aborted) throw new TransportError(`No answer within ${timeoutMs} ms`, true);
    throw new TransportError(
      `The request failed: ${(error as Error)?.message ?? String(error)}`,
      !certainlyNotSent(error),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms` on `clock`; rejects when `signal` aborts. @internal */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      cancel();
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An attempt as an Observable: `run` reports progress through `progress` and resolves with
 * the outcome. Rejecting with a `KassaError` `payment.not_sent` errors the stream (safe to
 * retry); any other rejection ends it with an `unknown` outcome, because money may have
 * moved. `signal` aborts when the till stops listening (the payment itself goes on).
 * @internal
 */
export function attempt(
  run: (
    progress: (event: PaymentEvent & { type: 'progress' }) => void,
    signal: AbortSignal,
  ) => Promise<PaymentOutcome>,
  outer: AbortSignal,
): Observable<PaymentEvent> {
  return new Observable<PaymentEvent>((subscriber) => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    outer.addEventListener('abort', stop, { once: true });
    let last = '';
    run((event) => {
      const key = event.stage;
      if (key === last || controller.signal.aborted) return;
      last = key;
      subscriber.next(event);
    }, controller.signal).then(
      (outcome) => {
        subscriber.next({ type: 'outcome', outcome });
        subscriber.complete();
      },
      (error) => {
        if (error instanceof KassaError && error.code === 'payment.not_sent') subscriber.error(error);
        else {
          subscriber.next({
            type: 'outcome',
            outcome: { status: 'unknown', reason: reasonOf(error) },
          });
          subscriber.complete();
        }
      },
    );
    return () => {
      outer.removeEventListener('abort', stop);
      controller.abort();
    };
  });
}

/** A short reason for an outcome, never longer than the schema allows. @internal */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text || 'unknown error').slice(0, 200);
}

/**
 * An id safe for `providerRef`: letters, digits and `_-.:`, and nothing that reads as a card
 * number (the schema refuses those, and an outcome must never be refused for its reference:
 * the reference is dropped instead, and the attempt id still finds the payment).
 * @internal
 */
export function refOf(id: unknown): string | undefined {
  return typeof id === 'string' && /^[A-Za-z0-9_.:-]{1,128}$/.test(id) && !containsCardData(id)
    ? id
    : undefined;
}

/** A card brand in kassa's form (lower case), when the provider gave one. @internal */
export function brandOf(brand: unknown): string | undefined {
  if (typeof brand !== 'string') return undefined;
  const b = brand.toLowerCase().replace(/[^a-z0-9_ -]/g, '');
  return /^[a-z][a-z0-9_ -]{0,23}$/.test(b) ? b : undefined;
}

/** The card part of an approval when brand and last four are both known. @internal */
export function cardOf(
  brand: unknown,
  last4: unknown,
  entryMode?: 'chip' | 'contactless' | 'swipe' | 'manual' | 'wallet' | 'unknown',
): { brand: string; last4: string; entryMode?: typeof entryMode } | undefined {
  const b = brandOf(brand);
  if (!b || typeof last4 !== 'string' || !/^\d{4}$/.test(last4)) return undefined;
  return entryMode ? { brand: b, last4, entryMode } : { brand: b, last4 };
}

/** An auth code when it fits what a receipt prints. @internal */
export function authCodeOf(code: unknown): string | undefined {
  return typeof code === 'string' && /^[A-Za-z0-9-]{1,12}$/.test(code) ? code : undefined;
}

/** A short reason code (declines) that the schema accepts. @internal */
export function codeOf(code: unknown, fallback: string): string {
  return typeof code === 'string' && code.length > 0 ? code.slice(0, 40) : fallback;
}
