/**
 * `kassa/payments/square-terminal`: Square Terminal through Square's Terminal API, run on
 * the merchant's server (it holds the access token). A payment is a terminal checkout
 * created under the attempt id as idempotency key and followed until it is completed or
 * canceled; refunds go through the Refunds API; webhooks are verified with
 * `x-square-hmacsha256-signature`. Uses `fetch` only, no Square SDK.
 * @packageDocumentation
 */
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../../clock.js';
import { KassaError, parseInput } from '../../../errors.js';
import type {
  AttemptRef,
  CancelResult,
  InquiryResult,
  PaymentOutcome,
  PaymentProvider,
  PaymentRequest,
  RefundRequest,
} from '../../types.js';
import { verifySquareSignature } from '../../webhooks/verify.js';
import {
  attempt,
  authCodeOf,
  cardOf,
  codeOf,
  type FetchLike,
  fromMinor,
  type Reply,
  refOf,
  send,
  sleep,
  TransportError,
  toMinor,
} from '../terminal-kit.js';

/** Options of {@link createSquareTerminal}. */
export interface SquareTerminalOptions {
  /** Provider id within a payment session; default `'square-terminal'`. */
  readonly id?: string;
  /** The seller's access token (server side only). */
  readonly accessToken: string;
  /** The paired Square Terminal's device id (see {@link createSquareDeviceCode}). */
  readonly deviceId: string;
  /** Default `https://connect.squareup.com`; `https://connect.squareupsandbox.com` for the sandbox. */
  readonly baseUrl?: string;
  /** The `Square-Version` header; default `'2025-10-16'`. */
  readonly squareVersion?: string;
  /** How long the checkout waits on the device before Square cancels it (ISO 8601, default `'PT5M'`, Square's range is 10 s to 5 h). */
  readonly deadline?: string;
  /** Lets the buyer add a tip on the device; the tip is reported in the outcome. Default false. */
  readonly allowTipping?: boolean;
  /** Skips the receipt screen on the device. Default false. */
  readonly skipReceiptScreen?: boolean;
  /** Milliseconds between status reads of a checkout; default 1000. */
  readonly pollMs?: number;
  /** Deadline of each HTTP call; default 15 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Resends of a create under the same idempotency key after a 5xx or a lost answer; default 3. */
  readonly retries?: number;
  readonly fetch?: FetchLike;
  readonly clock?: Clock;
}

const OptionsSchema = z.strictObject({
  id: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
  accessToken: z.string().check(z.minLength(1)),
  deviceId: z.string().check(z.minLength(1)),
  baseUrl: z.optional(z.string().check(z.regex(/^https?:\/\//))),
  squareVersion: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))),
  deadline: z.optional(z.string().check(z.regex(/^PT(\d+H)?(\d+M)?(\d+S)?$/))),
  allowTipping: z.optional(z.boolean()),
  skipReceiptScreen: z.optional(z.boolean()),
  pollMs: z.optional(z.number().check(z.int(), z.minimum(1))),
  requestTimeoutMs: z.optional(z.number().check(z.int(), z.minimum(1))),
  retries: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(10))),
  fetch: z.optional(z.custom<FetchLike>((v) => typeof v === 'function')),
  clock: z.optional(z.custom<Clock>((v) => typeof v === 'object' && v !== null)),
});

/** A terminal checkout as Square returns it (the fields kassa reads). */
export interface SquareCheckout {
  readonly id: string;
  readonly status: 'PENDING' | 'IN_PROGRESS' | 'CANCEL_REQUESTED' | 'CANCELED' | 'COMPLETED';
  readonly reference_id?: string;
  readonly amount_money: { readonly amount: number; readonly currency: string };
  readonly tip_money?: { readonly amount: number; readonly currency: string };
  readonly payment_ids?: readonly string[];
  readonly cancel_reason?: string;
  readonly created_at?: string;
}

interface SquarePayment {
  readonly id: string;
  readonly status: string;
  readonly amount_money?: { readonly amount: number; readonly currency: string };
  readonly tip_money?: { readonly amount: number; readonly currency: string };
  readonly card_details?: {
    readonly status?: string;
    readonly entry_method?: string;
    readonly auth_result_code?: string;
    readonly card?: { readonly card_brand?: string; readonly last_4?: string };
    readonly errors?: readonly { readonly code?: string; readonly detail?: string }[];
  };
}

/** The Square Terminal provider, with the checkout it knows for an attempt. */
export interface SquareTerminal extends PaymentProvider {
  /** Square's checkout id for an attempt this instance created or found. */
  checkoutOf(attemptId: string): string | undefined;
}

const ENTRY: Record<string, 'chip' | 'contactless' | 'swipe' | 'manual' | 'wallet'> = {
  EMV: 'chip',
  CONTACTLESS: 'contactless',
  SWIPED: 'swipe',
  KEYED: 'manual',
  ON_FILE: 'manual',
};

function squareErrors(body: unknown): { code: string; detail?: string }[] {
  const errors = (body as { errors?: unknown })?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e) => ({ code: String(e?.code ?? 'UNKNOWN'), detail: e?.detail }));
}

/**
 * Creates the Square Terminal provider. Run it where the access token may live: the
 * merchant's server or a till app that is itself a trusted server process.
 * @example
 * ```ts
 * import { createSquareTerminal } from 'kassa/payments/square-terminal';
 * const square = createSquareTerminal({ accessToken: process.env.SQUARE_TOKEN!, deviceId: 'R5WNWB5BKNG9R' });
 * const session = await createPaymentSession({ saleId, total, currency: 'USD', providers: [square] });
 * ```
 * @throws KassaError `validation.invalid_input` for bad options
 */
export function createSquareTerminal(options: SquareTerminalOptions): SquareTerminal {
  const o = parseInput(OptionsSchema, options, 'Square Terminal options');
  const fetchFn: FetchLike = o.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const clock = o.clock ?? systemClock;
  const base = (o.baseUrl ?? 'https://connect.squareup.com').replace(/\/$/, '');
  const pollMs = o.pollMs ?? 1000;
  const timeoutMs = o.requestTimeoutMs ?? 15_000;
  const retries = o.retries ?? 3;
  const checkouts = new Map<string, string>();
  const requests = new Map<string, PaymentRequest>();

  const call = (method: string, path: string, body?: unknown): Promise<Reply> =>
    send(fetchFn, `${base}${path}`, {
      method,
      timeoutMs,
      headers: {
        authorization: `Bearer ${o.accessToken}`,
        'square-version': o.squareVersion ?? '2025-10-16',
        'content-type': 'application/json',
        accept: 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** A call Square treats idempotently: resent under the same key after a 5xx or a lost answer. */
  async function idempotent(method: string, path: string, body: unknown): Promise<Reply> {
    let lastError: unknown;
    for (let i = 0; i <= retries; i++) {
      try {
        const reply = await call(method, path, body);
        if (reply.status < 500) return reply;
        lastError = new TransportError(`Square answered ${reply.status}`, true, reply.status);
      } catch (e) {
        lastError = e;
      }
      if (i < retries) await sleep(clock, Math.min(pollMs * 2 ** i, 30_000));
    }
    throw lastError;
  }

  async function getCheckout(id: string): Promise<SquareCheckout | undefined> {
    const reply = await call('GET', `/v2/terminals/checkouts/${encodeURIComponent(id)}`);
    if (reply.status === 404) return undefined;
    if (reply.status !== 200) throw new TransportError(`Square answered ${reply.status}`, true, reply.status);
    return (reply.body as { checkout: SquareCheckout }).checkout;
  }

  /** Finds the checkout of an attempt by its reference id, without creating anything. */
  async function findCheckout(ref: AttemptRef): Promise<SquareCheckout | undefined> {
    const known = checkouts.get(ref.attemptId);
    if (known) return getCheckout(known);
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const reply = await call('POST', '/v2/terminals/checkouts/search', {
        query: { filter: { device_id: o.deviceId }, sort: { sort_order: 'DESC' } },
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      if (reply.status !== 200)
        throw new TransportError(`Square answered ${reply.status}`, true, reply.status);
      const body = reply.body as { checkouts?: SquareCheckout[]; cursor?: string };
      const hit = body.checkouts?.find((c) => c.reference_id === ref.attemptId);
      if (hit) {
        checkouts.set(ref.attemptId, hit.id);
        return hit;
      }
      cursor = body.cursor;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  async function getPayment(id: string): Promise<SquarePayment | undefined> {
    const reply = await call('GET', `/v2/payments/${encodeURIComponent(id)}`);
    if (reply.status !== 200) return undefined;
    return (reply.body as { payment: SquarePayment }).payment;
  }

  /** The outcome of a finished checkout, or undefined while it runs. */
  async function outcomeOf(c: SquareCheckout): Promise<PaymentOutcome | undefined> {
    const currency = c.amount_money.currency;
    if (c.status === 'COMPLETED') {
      const paymentId = c.payment_ids?.at(-1);
      const payment = paymentId ? await getPayment(paymentId) : undefined;
      const card = payment?.card_details;
      const tip = c.tip_money ?? payment?.tip_money;
      const cardDetails = cardOf(card?.card?.card_brand, card?.card?.last_4, ENTRY[card?.entry_method ?? '']);
      const authCode = authCodeOf(card?.auth_result_code);
      const providerRef = refOf(paymentId);
      return {
        status: 'approved',
        amount: fromMinor(c.amount_money.amount, currency),
        ...(tip && tip.amount > 0 ? { tip: fromMinor(tip.amount, currency) } : {}),
        ...(cardDetails ? { card: cardDetails } : {}),
        ...(authCode ? { authCode } : {}),
        ...(providerRef ? { providerRef } : {}),
      };
    }
    if (c.status === 'CANCELED') {
      // A declined card leaves a failed payment on the checkout; the buyer may have tried
      // again, so the last payment tells.
      const lastId = c.payment_ids?.at(-1);
      const last = lastId ? await getPayment(lastId) : undefined;
      if (last && last.status === 'FAILED') {
        const error = last.card_details?.errors?.[0];
        return {
          status: 'declined',
          reasonCode: codeOf(error?.code, 'GENERIC_DECLINE'),
          ...(error?.detail ? { message: String(error.detail).slice(0, 200) } : {}),
          ...(refOf(last.id) ? { providerRef: last.id } : {}),
        };
      }
      return { status: 'canceled', ...(refOf(c.id) ? { providerRef: c.id } : {}) };
    }
    return undefined;
  }

  async function follow(
    id: string,
    progress: Parameters<Parameters<typeof attempt>[0]>[0],
    signal: AbortSignal,
  ): Promise<PaymentOutcome> {
    let failures = 0;
    for (;;) {
      let c: SquareCheckout | undefined;
      try {
        c = await getCheckout(id);
        failures = 0;
      } catch (e) {
        // Square or the network is away; the checkout goes on, the session's timeout and
        // inquiries decide when to stop waiting.
        failures += 1;
        if (failures > 20) throw e;
      }
      if (c) {
        if (c.status === 'PENDING') progress({ type: 'progress', stage: 'waiting_for_card' });
        if (c.status === 'IN_PROGRESS') progress({ type: 'progress', stage: 'processing' });
        const outcome = await outcomeOf(c);
        if (outcome) return outcome;
      }
      await sleep(clock, pollMs, signal);
    }
  }

  const provider: SquareTerminal = {
    id: o.id ?? 'square-terminal',
    capabilities: {
      method: 'card',
      partialApproval: false,
      tips: false,
      refunds: true,
      void: false,
      capture: false,
    },
    checkoutOf: (attemptId) => checkouts.get(attemptId),
    start(request, signal) {
      return attempt(async (progress, inner) => {
        requests.set(request.attemptId, request);
        let amount: number;
        try {
          amount = toMinor(request.amount, request.currency);
        } catch (e) {
          throw new KassaError('payment.not_sent', (e as Error).message);
        }
        const body = {
          idempotency_key: request.attemptId,
          checkout: {
            amount_money: { amount, currency: request.currency },
            reference_id: request.attemptId,
            note: `kassa sale ${request.saleId}`.slice(0, 500),
            device_options: {
              device_id: o.deviceId,
              skip_receipt_screen: o.skipReceiptScreen ?? false,
              tip_settings: { allow_tipping: o.allowTipping ?? false },
            },
            deadline_duration: o.deadline ?? 'PT5M',
          },
        };
        let reply: Reply;
        try {
          reply = await idempotent('POST', '/v2/terminals/checkouts', body);
        } catch (e) {
          if (e instanceof TransportError && !e.sent) throw new KassaError('payment.not_sent', e.message);
          throw e;
        }
        if (reply.status !== 200) {
          const [first] = squareErrors(reply.body);
          // A 4xx is Square refusing the request: nothing was created, nothing charged.
          throw new KassaError(
            'payment.not_sent',
            `Square refused the checkout: ${first?.code ?? reply.status} ${first?.detail ?? ''}`.trim(),
            { provider: 'square', code: first?.code },
          );
        }
        const checkout = (reply.body as { checkout: SquareCheckout }).checkout;
        checkouts.set(request.attemptId, checkout.id);
        const done = await outcomeOf(checkout);
        if (done) return done;
        return follow(checkout.id, progress, inner);
      }, signal);
    },
    async inquire(ref): Promise<InquiryResult> {
      const c = await findCheckout(ref);
      if (!c) return { status: 'not_found' };
      return (await outcomeOf(c)) ?? { status: 'in_progress' };
    },
    async cancel(ref): Promise<CancelResult> {
      let c: SquareCheckout | undefined;
      try {
        c = await findCheckout(ref);
      } catch {
        return 'unknown';
      }
      if (!c) return 'unknown';
      if (c.status === 'COMPLETED') return 'too_late';
      if (c.status === 'CANCELED') return 'canceled';
      let reply: Reply;
      try {
        reply = await call('POST', `/v2/terminals/checkouts/${encodeURIComponent(c.id)}/cancel`, {});
      } catch {
        return 'unknown';
      }
      const answered = (reply.body as { checkout?: SquareCheckout })?.checkout;
      let status = reply.status === 200 ? answered?.status : undefined;
      // Square answers CANCEL_REQUESTED while the device finishes what it does: wait for the end.
      for (let i = 0; i < 30 && status !== 'CANCELED' && status !== 'COMPLETED'; i++) {
        try {
          status = (await getCheckout(c.id))?.status;
        } catch {
          status = undefined;
        }
        if (status === 'CANCELED' || status === 'COMPLETED') break;
        await sleep(clock, pollMs);
      }
      if (status === 'CANCELED') return 'canceled';
      if (status === 'COMPLETED') return 'too_late';
      return 'unknown';
    },
    async refund(request: RefundRequest): Promise<PaymentOutcome> {
      let paymentId = request.providerRef;
      if (!paymentId) {
        const found = await provider.inquire(request);
        paymentId = 'providerRef' in found && found.status === 'approved' ? found.providerRef : undefined;
      }
      if (!paymentId) return { status: 'failed', reason: 'No Square payment is known for this attempt' };
      let reply: Reply;
      try {
        reply = await idempotent('POST', '/v2/refunds', {
          idempotency_key: request.refundKey,
          payment_id: paymentId,
          amount_money: { amount: toMinor(request.amount, request.currency), currency: request.currency },
          reason: `kassa refund ${request.refundKey}`.slice(0, 192),
        });
      } catch (e) {
        if (e instanceof TransportError && !e.sent) return { status: 'failed', reason: e.message };
        return { status: 'unknown', reason: (e as Error).message.slice(0, 200) };
      }
      if (reply.status !== 200) {
        const [first] = squareErrors(reply.body);
        return {
          status: 'declined',
          reasonCode: codeOf(first?.code, `HTTP_${reply.status}`),
          ...(first?.detail ? { message: String(first.detail).slice(0, 200) } : {}),
        };
      }
      const refund = (
        reply.body as { refund: { id: string; status: string; amount_money: { amount: number } } }
      ).refund;
      if (refund.status === 'REJECTED' || refund.status === 'FAILED') {
        return {
          status: 'declined',
          reasonCode: refund.status,
          ...(refOf(refund.id) ? { providerRef: refund.id } : {}),
        };
      }
      // PENDING is how card refunds start at Square; they complete without the till.
      return {
        status: 'approved',
        amount: fromMinor(refund.amount_money.amount, request.currency),
        ...(refOf(refund.id) ? { providerRef: refund.id } : {}),
      };
    },
  };
  return provider;
}

/** Options of {@link createSquareDeviceCode}. */
export interface SquareDeviceCodeOptions {
  readonly accessToken: string;
  readonly locationId: string;
  /** A name shown in the Square dashboard. */
  readonly name?: string;
  /** Idempotency key of the create (one per pairing you start). */
  readonly idempotencyKey: string;
  readonly baseUrl?: string;
  readonly squareVersion?: string;
  readonly fetch?: FetchLike;
}

/** A device pairing code: show `code` to the person signing in on the Square Terminal. */
export interface SquareDeviceCode {
  readonly id: string;
  readonly code: string;
  readonly status: 'UNKNOWN' | 'UNPAIRED' | 'PAIRED' | 'EXPIRED';
  /** Set once paired: the `deviceId` of {@link createSquareTerminal}. */
  readonly deviceId?: string;
  readonly pairBy?: string;
}

function deviceCodeOf(body: unknown): SquareDeviceCode {
  const d = (body as { device_code: Record<string, string> }).device_code;
  return {
    id: d.id!,
    code: d.code!,
    status: d.status as SquareDeviceCode['status'],
    ...(d.device_id ? { deviceId: d.device_id } : {}),
    ...(d.pair_by ? { pairBy: d.pair_by } : {}),
  };
}

const squareHeaders = (o: { accessToken: string; squareVersion?: string }) => ({
  authorization: `Bearer ${o.accessToken}`,
  'square-version': o.squareVersion ?? '2025-10-16',
  'content-type': 'application/json',
});

/**
 * Starts pairing a Square Terminal: creates a device code for the Terminal API at a
 * location. The seller signs in on the device with the code; {@link getSquareDeviceCode}
 * then reports `PAIRED` and the device id.
 * @throws KassaError `payment.not_sent` when Square refuses or cannot be reached
 */
export async function createSquareDeviceCode(options: SquareDeviceCodeOptions): Promise<SquareDeviceCode> {
  const fetchFn: FetchLike = options.fetch ?? ((i, init) => globalThis.fetch(i, init));
  const base = (options.baseUrl ?? 'https://connect.squareup.com').replace(/\/$/, '');
  const reply = await send(fetchFn, `${base}/v2/devices/codes`, {
    method: 'POST',
    timeoutMs: 15_000,
    headers: squareHeaders(options),
    body: JSON.stringify({
      idempotency_key: options.idempotencyKey,
      device_code: {
        product_type: 'TERMINAL_API',
        location_id: options.locationId,
        ...(options.name ? { name: options.name } : {}),
      },
    }),
  }).catch((e: Error) => {
    throw new KassaError('payment.not_sent', e.message);
  });
  if (reply.status !== 200) {
    throw new KassaError('payment.not_sent', `Square refused the device code (${reply.status})`, {
      provider: 'square',
      code: squareErrors(reply.body)[0]?.code,
    });
  }
  return deviceCodeOf(reply.body);
}

/** Reads a device code: whether it was paired, and the device id once it was. */
export async function getSquareDeviceCode(
  options: Omit<SquareDeviceCodeOptions, 'locationId' | 'idempotencyKey' | 'name'> & { readonly id: string },
): Promise<SquareDeviceCode> {
  const fetchFn: FetchLike = options.fetch ?? ((i, init) => globalThis.fetch(i, init));
  const base = (options.baseUrl ?? 'https://connect.squareup.com').replace(/\/$/, '');
  const reply = await send(fetchFn, `${base}/v2/devices/codes/${encodeURIComponent(options.id)}`, {
    method: 'GET',
    timeoutMs: 15_000,
    headers: squareHeaders(options),
  });
  if (reply.status !== 200) {
    throw new KassaError('payment.unknown_attempt', `Square has no device code ${options.id}`, {
      provider: 'square',
    });
  }
  return deviceCodeOf(reply.body);
}

/** What a Square webhook says about an attempt, ready for `session.applyWebhook`. */
export interface SquareWebhookUpdate {
  readonly eventId: string;
  readonly attemptId: string;
  readonly outcome: PaymentOutcome;
}

/**
 * Verifies a Square webhook on its raw body and, for `terminal.checkout.updated` events of
 * a finished checkout, returns the update to apply. Other events and checkouts still
 * running give `undefined`. Card details are not in the event; the inquiry fills them in.
 * @throws KassaError `payment.webhook_invalid_signature`, `payment.webhook_malformed`
 */
export async function parseSquareWebhook(options: {
  readonly body: string | Uint8Array;
  readonly signature: string;
  readonly signatureKey: string;
  readonly notificationUrl: string;
}): Promise<SquareWebhookUpdate | undefined> {
  await verifySquareSignature(options);
  const text = typeof options.body === 'string' ? options.body : new TextDecoder().decode(options.body);
  let event: {
    type?: string;
    event_id?: string;
    data?: { object?: { checkout?: SquareCheckout } };
  };
  try {
    event = JSON.parse(text);
  } catch {
    throw new KassaError('payment.webhook_malformed', 'The Square webhook body is not JSON', {
      provider: 'Square',
    });
  }
  if (event.type !== 'terminal.checkout.updated') return undefined;
  const c = event.data?.object?.checkout;
  if (!c || typeof event.event_id !== 'string' || !c.reference_id) return undefined;
  const currency = c.amount_money?.currency;
  if (c.status === 'COMPLETED') {
    const providerRef = refOf(c.payment_ids?.at(-1));
    return {
      eventId: event.event_id,
      attemptId: c.reference_id,
      outcome: {
        status: 'approved',
        amount: fromMinor(c.amount_money.amount, currency),
        ...(providerRef ? { providerRef } : {}),
      },
    };
  }
  if (c.status === 'CANCELED' && (c.payment_ids?.length ?? 0) === 0) {
    return { eventId: event.event_id, attemptId: c.reference_id, outcome: { status: 'canceled' } };
  }
  return undefined;
}
