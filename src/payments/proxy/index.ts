/**
 * `kassa/payments/proxy`: a reference merchant-side proxy for the terminal adapters. It is
 * one fetch-style handler, `(Request) => Promise<Response>`, usable from Node's http server
 * (through a small adapter), Hono, Express or an edge worker. It holds the provider secrets
 * so that none is ever in browser code, exposes only the calls the adapters need (with
 * validated inputs), and receives the providers' webhooks, verifying each on the raw body.
 * @packageDocumentation
 */
import * as z from 'zod/mini';
import { KassaError, parseInput } from '../../errors.js';
import {
  STRIPE_ATTEMPT_METADATA,
  STRIPE_TIP_METADATA,
  type StripeIntent,
  stripeIntentOutcome,
} from '../providers/stripe/index.js';
import { fromMinor, send } from '../providers/terminal-kit.js';
import type { PaymentOutcome } from '../types.js';
import { verifyAdyenHmac, verifySquareSignature, verifyStripeSignature } from '../webhooks/verify.js';

/** A verified webhook, and the attempt update it carries when it settles one. */
export interface ProxyWebhook {
  readonly provider: 'stripe' | 'square' | 'adyen';
  /** The provider's event id (deduplicate on it; providers deliver at least once). */
  readonly eventId: string;
  readonly type: string;
  /** Present when the event settles an attempt: apply with `session.applyWebhook`. */
  readonly update?: {
    readonly eventId: string;
    readonly attemptId: string;
    readonly outcome: PaymentOutcome;
  };
  /** The parsed body. */
  readonly body: unknown;
}

/** Options of {@link createPaymentProxy}. Every provider section is optional. */
export interface PaymentProxyOptions {
  /** Path prefix the handler is mounted under (`'/kassa'`); default none. */
  readonly basePath?: string;
  /**
   * Decides whether a till's request may pass (session cookie, mTLS header, API token...).
   * Webhooks do not pass through it: they are verified by signature instead. Default: refuse
   * everything but webhooks, so a proxy is never open by accident.
   */
  readonly authorize?: (request: Request) => boolean | Promise<boolean>;
  readonly stripe?: {
    /** `sk_...` or a restricted key with PaymentIntents, Refunds and Terminal. */
    readonly secretKey: string;
    /** `whsec_...` of the webhook endpoint. */
    readonly webhookSecret?: string;
    /** Default `https://api.stripe.com`. */
    readonly apiBase?: string;
    /**
     * The `Stripe-Version` every call is pinned to, so parameter names do not change under the
     * proxy when the account's default version moves; default `'2026-10-28.endive'`.
     */
    readonly apiVersion?: string;
    /** A Terminal location to scope connection tokens to. */
    readonly location?: string;
  };
  readonly square?: {
    readonly signatureKey: string;
    /** The notification URL exactly as registered with Square (part of what is signed). */
    readonly notificationUrl: string;
  };
  readonly adyen?: {
    /** Cloud Terminal API key (forwarded as `x-api-key` on `/adyen/sync`). */
    readonly apiKey?: string;
    /** Default `https://terminal-api-test.adyen.com/sync`; live: your live region's endpoint. */
    readonly endpoint?: string;
    /** HMAC key (hex) of the standard notification webhook. */
    readonly hmacKey?: string;
  };
  /** Called once per verified webhook before it is acknowledged; throw to have it redelivered. */
  readonly onWebhook?: (event: ProxyWebhook) => void | Promise<void>;
  readonly fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Deadline of calls to the providers; default 30 000 ms. */
  readonly timeoutMs?: number;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const problem = (status: number, code: string, message: string) => json(status, { error: { code, message } });

const Id = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/));
const StripeId = (prefix: string) => z.string().check(z.regex(new RegExp(`^${prefix}_[A-Za-z0-9]{1,200}$`)));
const Minor = z.number().check(z.int(), z.minimum(1), z.maximum(99_999_999_999));
const schemas = {
  intents: z.strictObject({
    attemptId: Id,
    saleId: Id,
    amount: Minor,
    currency: z.string().check(z.regex(/^[a-z]{3}$/)),
    tip: z.optional(Minor),
  }),
  'intents/find': z.strictObject({ attemptId: Id, intentId: z.optional(StripeId('pi')) }),
  'intents/cancel': z.strictObject({ intentId: StripeId('pi') }),
  refunds: z.strictObject({ intentId: StripeId('pi'), amount: Minor, refundKey: Id }),
  'readers/process': z.strictObject({
    readerId: StripeId('tmr'),
    intentId: StripeId('pi'),
    attemptId: Id,
    skipTipping: z.optional(z.boolean()),
  }),
  'readers/cancel': z.strictObject({ readerId: StripeId('tmr') }),
  'readers/get': z.strictObject({ readerId: StripeId('tmr') }),
  'connection-token': z.strictObject({}),
} as const;

/** Stripe's form encoding, with nested keys in brackets (`metadata[kassa_attempt]=...`). */
function form(params: Record<string, unknown>, prefix = '', out = new URLSearchParams()): URLSearchParams {
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    const key = prefix ? `${prefix}[${k}]` : k;
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) out.append(`${key}[${i}]`, String(item));
    } else if (typeof v === 'object' && v !== null) form(v as Record<string, unknown>, key, out);
    else out.append(key, String(v));
  }
  return out;
}

/**
 * Creates the proxy handler. Routes (under `basePath`), all `POST` with JSON bodies:
 * - `stripe/connection-token`, `stripe/intents`, `stripe/intents/find`, `stripe/intents/cancel`,
 *   `stripe/refunds`, `stripe/readers/process`, `stripe/readers/cancel`, `stripe/readers/get`
 * - `adyen/sync`: a Terminal API message forwarded to Adyen's cloud with the API key
 * - `stripe/webhook`, `square/webhook`, `adyen/webhook`: verified on the raw body, then `onWebhook`
 * @example
 * ```ts
 * import { createPaymentProxy } from 'kassa/payments/proxy';
 * const proxy = createPaymentProxy({
 *   basePath: '/kassa',
 *   authorize: (req) => req.headers.get('authorization') === `Bearer ${process.env.TILL_TOKEN}`,
 *   stripe: { secretKey: process.env.STRIPE_SECRET_KEY!, webhookSecret: process.env.STRIPE_WEBHOOK_SECRET },
 *   onWebhook: async (event) => { if (event.update) await queue.push(event.update); },
 * });
 * export default { fetch: proxy }; // Hono, Bun, Deno, workers; see the guide for Node and Express
 * ```
 */
export function createPaymentProxy(options: PaymentProxyOptions): (request: Request) => Promise<Response> {
  const fetchFn = options.fetch ?? ((i: string, init?: RequestInit) => globalThis.fetch(i, init));
  const basePath = (options.basePath ?? '').replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function stripeCall(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, unknown> = {},
    idempotencyKey?: string,
  ): Promise<{ status: number; body: Record<string, unknown>; replayed: boolean }> {
    const s = options.stripe!;
    const base = (s.apiBase ?? 'https://api.stripe.com').replace(/\/$/, '');
    const encoded = form(params).toString();
    const url = method === 'GET' && encoded ? `${base}${path}?${encoded}` : `${base}${path}`;
    const reply = await send(fetchFn, url, {
      method,
      timeoutMs,
      headers: {
        authorization: `Bearer ${s.secretKey}`,
        'stripe-version': s.apiVersion ?? '2026-10-28.endive',
        'content-type': 'application/x-www-form-urlencoded',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      ...(method === 'POST' ? { body: encoded } : {}),
    });
    return {
      status: reply.status,
      body: (reply.body ?? {}) as Record<string, unknown>,
      replayed: reply.headers.get('idempotent-replayed') === 'true',
    };
  }

  const passOn = (r: { status: number; body: Record<string, unknown> }): Response =>
    r.status >= 400 ? json(r.status >= 500 ? 502 : r.status === 402 ? 402 : 400, r.body) : json(200, r.body);

  async function stripeRoute(route: keyof typeof schemas, input: unknown): Promise<Response> {
    if (!options.stripe) return problem(404, 'not_configured', 'Stripe is not configured');
    switch (route) {
      case 'connection-token': {
        parseInput(schemas[route], input, 'connection token request');
        const r = await stripeCall(
          'POST',
          '/v1/terminal/connection_tokens',
          options.stripe.location ? { location: options.stripe.location } : {},
        );
        return passOn(r);
      }
      case 'intents': {
        const i = parseInput(schemas.intents, input, 'intent request');
        // The attempt id is the idempotency key: a resend returns the same intent, never a second one.
        const r = await stripeCall(
          'POST',
          '/v1/payment_intents',
          {
            amount: i.amount,
            currency: i.currency,
            allowed_payment_method_types: ['card_present'],
            capture_method: 'automatic',
            metadata: {
              [STRIPE_ATTEMPT_METADATA]: i.attemptId,
              kassa_sale: i.saleId,
              ...(i.tip ? { [STRIPE_TIP_METADATA]: String(i.tip) } : {}),
            },
          },
          `kassa:${i.attemptId}`,
        );
        // A replayed create answers the intent as it was then; the till needs it as it is now.
        if (r.status === 200 && r.replayed && typeof r.body.id === 'string') {
          return passOn(
            await stripeCall('GET', `/v1/payment_intents/${r.body.id}`, { expand: ['latest_charge'] }),
          );
        }
        return passOn(r);
      }
      case 'intents/find': {
        const i = parseInput(schemas['intents/find'], input, 'intent lookup');
        if (i.intentId) {
          const r = await stripeCall('GET', `/v1/payment_intents/${i.intentId}`, {
            expand: ['latest_charge'],
          });
          if (r.status === 404) return problem(404, 'not_found', 'no such intent');
          if (
            r.status === 200 &&
            (r.body.metadata as Record<string, string>)?.[STRIPE_ATTEMPT_METADATA] !== i.attemptId
          )
            return problem(404, 'not_found', 'the intent belongs to another attempt');
          return passOn(r);
        }
        const r = await stripeCall('GET', '/v1/payment_intents/search', {
          query: `metadata['${STRIPE_ATTEMPT_METADATA}']:'${i.attemptId}'`,
          expand: ['data.latest_charge'],
        });
        if (r.status !== 200) return passOn(r);
        const found = (r.body.data as StripeIntent[] | undefined)?.[0];
        return found ? json(200, found) : problem(404, 'not_found', 'no intent for this attempt');
      }
      case 'intents/cancel': {
        const i = parseInput(schemas['intents/cancel'], input, 'cancel request');
        const r = await stripeCall('POST', `/v1/payment_intents/${i.intentId}/cancel`);
        if (r.status === 400) {
          // Already succeeded or canceled: answer the intent as it stands.
          return passOn(
            await stripeCall('GET', `/v1/payment_intents/${i.intentId}`, { expand: ['latest_charge'] }),
          );
        }
        return passOn(r);
      }
      case 'refunds': {
        const i = parseInput(schemas.refunds, input, 'refund request');
        const r = await stripeCall(
          'POST',
          '/v1/refunds',
          { payment_intent: i.intentId, amount: i.amount },
          `kassa:${i.refundKey}`,
        );
        // A refused refund (more than captured, already refunded) is an answer, not an outage.
        if (r.status === 400) return json(402, r.body);
        return passOn(r);
      }
      case 'readers/process': {
        const i = parseInput(schemas['readers/process'], input, 'reader request');
        const r = await stripeCall(
          'POST',
          `/v1/terminal/readers/${i.readerId}/process_payment_intent`,
          {
            payment_intent: i.intentId,
            ...(i.skipTipping ? { process_config: { skip_tipping: true } } : {}),
          },
          `kassa:${i.attemptId}:process`,
        );
        return passOn(r);
      }
      case 'readers/cancel': {
        const i = parseInput(schemas['readers/cancel'], input, 'reader request');
        return passOn(await stripeCall('POST', `/v1/terminal/readers/${i.readerId}/cancel_action`));
      }
      case 'readers/get': {
        const i = parseInput(schemas['readers/get'], input, 'reader request');
        return passOn(await stripeCall('GET', `/v1/terminal/readers/${i.readerId}`));
      }
    }
  }

  async function webhook(provider: 'stripe' | 'square' | 'adyen', request: Request): Promise<Response> {
    const raw = new Uint8Array(await request.arrayBuffer());
    const text = new TextDecoder().decode(raw);
    let events: ProxyWebhook[] = [];
    if (provider === 'stripe') {
      if (!options.stripe?.webhookSecret)
        return problem(404, 'not_configured', 'Stripe webhooks are not configured');
      await verifyStripeSignature({
        payload: raw,
        header: request.headers.get('stripe-signature') ?? '',
        secret: options.stripe.webhookSecret,
      });
      const event = JSON.parse(text) as { id: string; type: string; data?: { object?: StripeIntent } };
      const intent = event.data?.object;
      const attemptId = intent?.metadata?.[STRIPE_ATTEMPT_METADATA];
      const outcome = intent?.object === 'payment_intent' ? stripeIntentOutcome(intent) : undefined;
      events = [
        {
          provider,
          eventId: event.id,
          type: event.type,
          body: event,
          ...(attemptId && outcome ? { update: { eventId: event.id, attemptId, outcome } } : {}),
        },
      ];
    } else if (provider === 'square') {
      if (!options.square) return problem(404, 'not_configured', 'Square webhooks are not configured');
      await verifySquareSignature({
        body: raw,
        signature: request.headers.get('x-square-hmacsha256-signature') ?? '',
        signatureKey: options.square.signatureKey,
        notificationUrl: options.square.notificationUrl,
      });
      const event = JSON.parse(text) as {
        event_id: string;
        type: string;
        data?: {
          object?: {
            checkout?: {
              reference_id?: string;
              status?: string;
              amount_money?: { amount: number; currency: string };
              payment_ids?: string[];
            };
          };
        };
      };
      const c = event.data?.object?.checkout;
      let update: ProxyWebhook['update'];
      if (event.type === 'terminal.checkout.updated' && c?.reference_id && c.amount_money) {
        if (c.status === 'COMPLETED') {
          const ref = c.payment_ids?.at(-1);
          update = {
            eventId: event.event_id,
            attemptId: c.reference_id,
            outcome: {
              status: 'approved',
              amount: fromMinor(c.amount_money.amount, c.amount_money.currency),
              ...(ref && /^[A-Za-z0-9_.:-]{1,128}$/.test(ref) ? { providerRef: ref } : {}),
            },
          };
        } else if (c.status === 'CANCELED' && (c.payment_ids?.length ?? 0) === 0) {
          update = { eventId: event.event_id, attemptId: c.reference_id, outcome: { status: 'canceled' } };
        }
      }
      events = [
        { provider, eventId: event.event_id, type: event.type, body: event, ...(update ? { update } : {}) },
      ];
    } else {
      if (!options.adyen?.hmacKey) return problem(404, 'not_configured', 'Adyen webhooks are not configured');
      const body = JSON.parse(text) as {
        notificationItems?: {
          NotificationRequestItem: {
            pspReference?: string;
            merchantReference?: string;
            eventCode?: string;
            success?: string;
            amount?: { value?: number; currency?: string };
            reason?: string;
            additionalData?: Record<string, string>;
          };
        }[];
      };
      for (const { NotificationRequestItem: item } of body.notificationItems ?? []) {
        await verifyAdyenHmac(item, options.adyen.hmacKey);
        const eventId = `${item.pspReference}:${item.eventCode}:${item.success}`;
        let update: ProxyWebhook['update'];
        // For terminal payments the merchant reference is the SaleTransactionID: the attempt id.
        if (item.eventCode === 'AUTHORISATION' && item.merchantReference && item.amount?.currency) {
          update =
            item.success === 'true'
              ? {
                  eventId,
                  attemptId: item.merchantReference,
                  outcome: {
                    status: 'approved',
                    amount: fromMinor(item.amount.value ?? 0, item.amount.currency),
                  },
                }
              : {
                  eventId,
                  attemptId: item.merchantReference,
                  outcome: { status: 'declined', reasonCode: (item.reason ?? 'Refused').slice(0, 40) },
                };
        }
        events.push({
          provider,
          eventId,
          type: item.eventCode ?? 'unknown',
          body: item,
          ...(update ? { update } : {}),
        });
      }
    }
    for (const e of events) await options.onWebhook?.(e);
    return provider === 'adyen' ? new Response('[accepted]', { status: 200 }) : json(200, { received: true });
  }

  async function adyenSync(request: Request): Promise<Response> {
    if (!options.adyen?.apiKey) return problem(404, 'not_configured', 'Adyen cloud is not configured');
    const body = (await request.json()) as {
      SaleToPOIRequest?: { MessageHeader?: { MessageCategory?: string } };
    };
    const category = body?.SaleToPOIRequest?.MessageHeader?.MessageCategory;
    // Only what the adapter sends: no admin, no stored value, no card acquisition.
    if (!['Payment', 'Abort', 'TransactionStatus', 'Reversal'].includes(String(category))) {
      return problem(
        400,
        'validation.invalid_input',
        `Message category ${String(category)} is not forwarded`,
      );
    }
    const reply = await send(fetchFn, options.adyen.endpoint ?? 'https://terminal-api-test.adyen.com/sync', {
      method: 'POST',
      timeoutMs: Math.max(timeoutMs, 160_000),
      headers: { 'content-type': 'application/json', 'x-api-key': options.adyen.apiKey },
      body: JSON.stringify(body),
    });
    return new Response(reply.text, {
      status: reply.status >= 500 ? 502 : reply.status,
      headers: { 'content-type': 'application/json' },
    });
  }

  return async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (basePath && !path.startsWith(`${basePath}/`)) return problem(404, 'not_found', 'not a proxy route');
    const route = path.slice(basePath.length + 1);
    if (request.method !== 'POST') return problem(405, 'method_not_allowed', 'POST only');
    try {
      if (route === 'stripe/webhook') return await webhook('stripe', request);
      if (route === 'square/webhook') return await webhook('square', request);
      if (route === 'adyen/webhook') return await webhook('adyen', request);
      if (!(await (options.authorize ?? (() => false))(request))) {
        return problem(401, 'unauthorized', 'The till is not authorized');
      }
      if (route === 'adyen/sync') return await adyenSync(request);
      if (route.startsWith('stripe/')) {
        const name = route.slice('stripe/'.length);
        if (!Object.hasOwn(schemas, name)) return problem(404, 'not_found', 'no such route');
        let input: unknown;
        try {
          input = await request.json();
        } catch {
          return problem(400, 'validation.invalid_input', 'The body is not JSON');
        }
        return await stripeRoute(name as keyof typeof schemas, input);
      }
      return problem(404, 'not_found', 'no such route');
    } catch (e) {
      if (e instanceof KassaError) {
        const status = e.code.startsWith('payment.webhook') || e.code.startsWith('validation.') ? 400 : 502;
        return problem(status, e.code, e.message);
      }
      if (e instanceof SyntaxError) return problem(400, 'validation.invalid_input', 'The body is not JSON');
      return problem(502, 'upstream_unavailable', 'The provider could not be reached');
    }
  };
}

/** The parts of Node's `IncomingMessage` the adapter reads (typed here so this module needs no Node types). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}
/** The parts of Node's `ServerResponse` the adapter writes. */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: Uint8Array): unknown;
}

/**
 * Adapts a fetch-style handler to Node's `http.createServer` (and Express, whose `req` and
 * `res` are Node's): the body is read raw, as webhook verification requires, so mount it
 * before any body-parsing middleware.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(nodeListener(proxy)).listen(8787);
 * // Express: app.use('/kassa', nodeListener(proxy)) with basePath '' and no express.json() before it
 * ```
 */
export function nodeListener(
  handler: (request: Request) => Promise<Response>,
  origin = 'http://localhost',
): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  return async (req, res) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of req)
      chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const body = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      body.set(c, at);
      at += c.length;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string') headers.set(k, v);
      else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    }
    const method = req.method ?? 'GET';
    const response = await handler(
      new Request(new URL(req.url ?? '/', origin), {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
      }),
    );
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      out[k] = v;
    });
    res.writeHead(response.status, out);
    res.end(new Uint8Array(await response.arrayBuffer()));
  };
}
