import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';

/*
 * A local Stripe on 127.0.0.1: PaymentIntents (create under an Idempotency-Key, retrieve,
 * search by metadata, confirm, cancel), Refunds, Terminal connection tokens and smart
 * readers (process_payment_intent, cancel_action, retrieve). Form bodies are parsed the way
 * Stripe reads them and refused when they carry a parameter Stripe's own types do not have
 * (the allowed lists are checked against the `stripe` package's param types at compile
 * time); the official `stripe` client is pointed at this server in the tests.
 */

const ALLOWED = {
  createIntent: [
    'amount',
    'currency',
    'allowed_payment_method_types',
    'capture_method',
    'metadata',
  ] satisfies (keyof Stripe.PaymentIntentCreateParams)[],
  retrieveIntent: ['expand', 'client_secret'] satisfies (keyof Stripe.PaymentIntentRetrieveParams)[],
  confirmIntent: ['payment_method', 'expand'] satisfies (keyof Stripe.PaymentIntentConfirmParams)[],
  searchIntent: ['query', 'expand', 'limit', 'page'] satisfies (keyof Stripe.PaymentIntentSearchParams)[],
  refund: ['payment_intent', 'amount'] satisfies (keyof Stripe.RefundCreateParams)[],
  process: [
    'payment_intent',
    'process_config',
  ] satisfies (keyof Stripe.Terminal.ReaderProcessPaymentIntentParams)[],
  token: ['location'] satisfies (keyof Stripe.Terminal.ConnectionTokenCreateParams)[],
};

export type StripeScript =
  | { do: 'approve'; tip?: number }
  | { do: 'decline'; code?: string }
  /** The intent's create never arrives. */
  | { do: 'lost' }
  /** The card is presented only after `ms`. */
  | { do: 'complete_late'; ms: number }
  /** The payment goes through at once; the answer to the till (SDK or process call) comes after `ms`. */
  | { do: 'answer_late'; ms: number }
  /** The reader goes offline after the card is read; the payment completes when it comes back. */
  | { do: 'offline' }
  /** Processing returns a 500 although the charge was made. */
  | { do: 'error_after_payment' };

/** The API version whose parameter names the `stripe` package (and so this server) uses. */
export const STRIPE_API_VERSION: Stripe.LatestApiVersion = '2026-10-28.endive';

type Intent = Stripe.PaymentIntent & { script: StripeScript };

/** Parses `a[b][0]=x` form bodies into nested objects and arrays. */
export function parseForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const parts = k.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> = out;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) node[p] = v;
      else {
        if (node[p] === undefined) node[p] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
        node = node[p] as Record<string, unknown>;
      }
    });
  }
  return out;
}

export interface StripeServer {
  readonly url: string;
  readonly port: number;
  readonly secretKey: string;
  readonly readerId: string;
  enqueue(...s: StripeScript[]): void;
  charged(): string[];
  intents(): Intent[];
  /** Intent creations received per attempt id (duplicates included). */
  creates(attemptId: string): number;
  readonly refused: string[];
  /** Called by the fake SDK reader: the card is presented (the payment is confirmed with Stripe). */
  confirm(
    intentId: string,
  ): Promise<{ ok: true; intent: Intent } | { ok: false; intent: Intent; error: Stripe.StripeRawError }>;
  reconnectReader(): void;
  readerOnline: boolean;
  close(): Promise<void>;
}

export async function startStripeServer(o: { stepMs?: number } = {}): Promise<StripeServer> {
  const stepMs = o.stepMs ?? 15;
  const secretKey = 'sk_test_kassa';
  const readerId = 'tmr_FDOt2wlRZEdpd7';
  const scripts: StripeScript[] = [];
  const intents = new Map<string, Intent>();
  const charges = new Map<string, Stripe.Charge>();
  const idem = new Map<string, { params: string; status: number; body: unknown }>();
  const createsBy = new Map<string, number>();
  const refused: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const lostKeys = new Set<string>();
  let reader: {
    action: Stripe.Terminal.Reader.Action | null;
    online: boolean;
    pending?: (() => void) | undefined;
  } = {
    action: null,
    online: true,
  };
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  // Stripe ids are base62; hex ids would now and then hold a digit run that reads as a card number.
  const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const rid = (p: string) => `${p}_3${[...randomBytes(23)].map((b) => B62[b % 62]).join('')}`;
  const now = () => Math.floor(Date.now() / 1000);

  const check = (params: Record<string, unknown>, allowed: readonly string[], where: string) => {
    for (const k of Object.keys(params)) if (!allowed.includes(k)) refused.push(`${where}: ${k}`);
  };

  const view = (pi: Intent, expand: unknown): Stripe.PaymentIntent => {
    const { script: _s, ...rest } = pi;
    const expanded =
      Array.isArray(expand) && expand.some((e) => e === 'latest_charge' || e === 'data.latest_charge');
    return {
      ...rest,
      latest_charge:
        expanded && typeof pi.latest_charge === 'string'
          ? (charges.get(pi.latest_charge) ?? null)
          : pi.latest_charge,
    } as Stripe.PaymentIntent;
  };

  const charge = (pi: Intent, ok: boolean, code?: string) => {
    const tip = pi.script.do === 'approve' ? (pi.script.tip ?? 0) : 0;
    const ch = {
      id: rid('ch'),
      object: 'charge',
      amount: pi.amount,
      amount_captured: ok ? pi.amount : 0,
      amount_refunded: 0,
      captured: ok,
      currency: pi.currency,
      paid: ok,
      status: ok ? 'succeeded' : 'failed',
      payment_intent: pi.id,
      refunded: false,
      created: now(),
      livemode: false,
      metadata: {},
      failure_code: ok ? null : 'card_declined',
      payment_method_details: {
        type: 'card_present',
        card_present: {
          brand: 'visa',
          last4: '4242',
          read_method: 'contactless_emv',
          receipt: { authorization_code: ok ? '123456' : null },
        },
      },
    } as unknown as Stripe.Charge;
    charges.set(ch.id, ch);
    pi.latest_charge = ch.id;
    if (ok) {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      if (tip) {
        pi.amount += tip;
        pi.amount_received = pi.amount;
        (ch as { amount: number }).amount = pi.amount;
        (ch as { amount_captured: number }).amount_captured = pi.amount;
        pi.amount_details = { tip: { amount: tip } } as Stripe.PaymentIntent.AmountDetails;
      }
    } else {
      pi.status = 'requires_payment_method';
      pi.last_payment_error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: code ?? 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      } as Stripe.PaymentIntent.LastPaymentError;
    }
  };

  const confirm: StripeServer['confirm'] = async (intentId) => {
    const pi = intents.get(intentId)!;
    if (pi.status === 'succeeded') return { ok: true, intent: pi };
    if (pi.status === 'canceled') {
      return {
        ok: false,
        intent: pi,
        error: {
          type: 'invalid_request_error',
          code: 'payment_intent_unexpected_state',
          message: 'canceled',
        },
      };
    }
    if (pi.script.do === 'decline') {
      charge(pi, false, pi.script.code);
      return {
        ok: false,
        intent: pi,
        error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: pi.script.code ?? 'insufficient_funds',
          message: 'Your card was declined.',
        },
      };
    }
    charge(pi, true);
    return { ok: true, intent: pi };
  };

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.setEncoding('utf8');
      req.on('data', (d) => {
        s += d;
      });
      req.on('end', () => resolve(s));
    });
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': rid('req') });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, type: string, code: string, message: string) =>
    reply(res, status, { error: { type, code, message } });

  const readerView = (): Stripe.Terminal.Reader =>
    ({
      id: readerId,
      object: 'terminal.reader',
      device_type: 'bbpos_wisepos_e',
      label: 'Till 1',
      livemode: false,
      location: 'tml_kassa',
      metadata: {},
      serial_number: 'WSC513105011295',
      status: reader.online ? 'online' : 'offline',
      action: reader.action,
      ip_address: '127.0.0.1',
      device_sw_version: '2.20.0',
    }) as unknown as Stripe.Terminal.Reader;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await read(req);
    if (req.headers['stripe-version'] !== undefined && req.headers['stripe-version'] !== STRIPE_API_VERSION)
      refused.push(`Stripe-Version ${String(req.headers['stripe-version'])}`);
    if (req.headers.authorization !== `Bearer ${secretKey}`)
      return error(res, 401, 'invalid_request_error', 'api_key_invalid', 'Invalid API Key provided');
    const params = req.method === 'GET' ? parseForm(url.search.slice(1)) : parseForm(raw);
    const path = url.pathname;
    const key = req.headers['idempotency-key'] as string | undefined;
    const replay = (where: string) => {
      if (!key) return false;
      const seen = idem.get(`${where}:${key}`);
      if (!seen) return false;
      if (seen.params !== raw) {
        error(
          res,
          400,
          'idempotency_error',
          'idempotency_key_in_use',
          'Keys for idempotent requests can only be used with the same parameters they were first used with.',
        );
        return true;
      }
      // Stripe replays the first answer as it was, and says so.
      res.setHeader('idempotent-replayed', 'true');
      reply(res, seen.status, seen.body);
      return true;
    };
    const remember = (where: string, status: number, body: unknown) => {
      if (key) idem.set(`${where}:${key}`, { params: raw, status, body });
    };
    let m: RegExpExecArray | null;

    if (req.method === 'POST' && path === '/v1/payment_intents') {
      check(params, ALLOWED.createIntent, 'create intent');
      const attempt = (params.metadata as Record<string, string> | undefined)?.kassa_attempt ?? '';
      createsBy.set(attempt, (createsBy.get(attempt) ?? 0) + 1);
      if (key && lostKeys.has(key)) {
        req.socket.destroy();
        return;
      }
      if (replay('pi')) return;
      const script = scripts.shift() ?? { do: 'approve' };
      if (script.do === 'lost') {
        if (key) lostKeys.add(key);
        req.socket.destroy();
        return;
      }
      const id = rid('pi');
      const pi = {
        id,
        object: 'payment_intent',
        amount: Number(params.amount),
        amount_capturable: 0,
        amount_received: 0,
        capture_method: params.capture_method ?? 'automatic',
        client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
        confirmation_method: 'automatic',
        created: now(),
        currency: String(params.currency),
        last_payment_error: null,
        latest_charge: null,
        livemode: false,
        metadata: (params.metadata as Record<string, string>) ?? {},
        payment_method_types: (params.allowed_payment_method_types as string[]) ?? ['card_present'],
        status: 'requires_payment_method',
        script,
      } as unknown as Intent;
      intents.set(id, pi);
      const body = view(pi, []);
      remember('pi', 200, body);
      return reply(res, 200, body);
    }
    if (req.method === 'GET' && path === '/v1/payment_intents/search') {
      check(params, ALLOWED.searchIntent, 'search intent');
      const q = /^metadata\['([a-z_]+)'\]:'([^']*)'$/.exec(String(params.query));
      if (!q) return error(res, 400, 'invalid_request_error', 'parameter_invalid', 'bad query');
      const data = [...intents.values()]
        .filter((pi) => pi.metadata[q[1]!] === q[2])
        .map((pi) => view(pi, params.expand));
      return reply(res, 200, {
        object: 'search_result',
        data,
        has_more: false,
        next_page: null,
        url: '/v1/payment_intents/search',
      });
    }
    m = /^\/v1\/payment_intents\/(pi_\w+)$/.exec(path);
    if (m && req.method === 'GET') {
      check(params, ALLOWED.retrieveIntent, 'retrieve intent');
      const pi = intents.get(m[1]!);
      if (!pi) return error(res, 404, 'invalid_request_error', 'resource_missing', 'No such payment_intent');
      return reply(res, 200, view(pi, params.expand));
    }
    m = /^\/v1\/payment_intents\/(pi_\w+)\/confirm$/.exec(path);
    if (m && req.method === 'POST') {
      check(params, ALLOWED.confirmIntent, 'confirm intent');
      const result = await confirm(m[1]!);
      if (!result.ok)
        return reply(res, 402, { error: { ...result.error, payment_intent: view(result.intent, []) } });
      return reply(res, 200, view(result.intent, params.expand));
    }
    m = /^\/v1\/payment_intents\/(pi_\w+)\/cancel$/.exec(path);
    if (m && req.method === 'POST') {
      const pi = intents.get(m[1]!);
      if (!pi) return error(res, 404, 'invalid_request_error', 'resource_missing', 'No such payment_intent');
      if (pi.status === 'succeeded' || pi.status === 'canceled' || pi.status === 'processing')
        return error(
          res,
          400,
          'invalid_request_error',
          'payment_intent_unexpected_state',
          `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`,
        );
      pi.status = 'canceled';
      pi.canceled_at = now();
      pi.cancellation_reason = 'requested_by_customer';
      if (reader.action?.process_payment_intent?.payment_intent === pi.id) reader.action = null;
      return reply(res, 200, view(pi, []));
    }
    if (req.method === 'POST' && path === '/v1/refunds') {
      check(params, ALLOWED.refund, 'refund');
      if (replay('re')) return;
      const pi = intents.get(String(params.payment_intent));
      if (pi?.status !== 'succeeded')
        return error(res, 400, 'invalid_request_error', 'resource_missing', 'No such payment_intent');
      const ch = charges.get(String(pi.latest_charge))!;
      const amount = params.amount ? Number(params.amount) : ch.amount - ch.amount_refunded;
      if (ch.amount_refunded + amount > ch.amount) {
        const body = {
          error: {
            type: 'invalid_request_error',
            code: 'amount_too_large',
            message: 'Refund amount is greater than unrefunded amount on charge',
          },
        };
        remember('re', 400, body);
        return reply(res, 400, body);
      }
      (ch as { amount_refunded: number }).amount_refunded += amount;
      const re = {
        id: rid('re'),
        object: 'refund',
        amount,
        currency: pi.currency,
        charge: ch.id,
        payment_intent: pi.id,
        status: 'succeeded',
        created: now(),
        metadata: {},
      };
      remember('re', 200, re);
      return reply(res, 200, re);
    }
    if (req.method === 'POST' && path === '/v1/terminal/connection_tokens') {
      check(params, ALLOWED.token, 'connection token');
      return reply(res, 200, {
        object: 'terminal.connection_token',
        secret: `pst_test_${randomBytes(12).toString('hex')}`,
      });
    }
    m = /^\/v1\/terminal\/readers\/(tmr_\w+)$/.exec(path);
    if (m && req.method === 'GET') {
      if (m[1] !== readerId)
        return error(res, 404, 'invalid_request_error', 'resource_missing', 'No such reader');
      return reply(res, 200, readerView());
    }
    m = /^\/v1\/terminal\/readers\/(tmr_\w+)\/process_payment_intent$/.exec(path);
    if (m && req.method === 'POST') {
      check(params, ALLOWED.process, 'process_payment_intent');
      if (replay('rd')) return;
      const pi = intents.get(String(params.payment_intent));
      if (!pi) return error(res, 404, 'invalid_request_error', 'resource_missing', 'No such payment_intent');
      if (!reader.online)
        return error(res, 400, 'invalid_request_error', 'terminal_reader_offline', 'Reader is offline');
      if (reader.action?.status === 'in_progress')
        return error(res, 409, 'invalid_request_error', 'terminal_reader_busy', 'Reader is busy');
      reader.action = {
        type: 'process_payment_intent',
        status: 'in_progress',
        failure_code: null,
        failure_message: null,
        process_payment_intent: { payment_intent: pi.id },
      } as unknown as Stripe.Terminal.Reader.Action;
      const action = reader.action;
      const finish = async () => {
        if (action !== reader.action || action.status !== 'in_progress') return;
        const r = await confirm(pi.id);
        action.status = r.ok ? 'succeeded' : 'failed';
        if (!r.ok) {
          action.failure_code = 'card_declined';
          action.failure_message = 'Your card was declined.';
        }
      };
      const s = pi.script;
      if (s.do === 'offline') {
        reader.online = false;
        reader.pending = () => void finish();
      } else if (s.do === 'answer_late') {
        await finish();
        const body = readerView();
        remember('rd', 200, body);
        later(s.ms, () => reply(res, 200, body));
        return;
      } else if (s.do === 'error_after_payment') {
        await finish();
        return error(res, 500, 'api_error', 'api_error', 'An error occurred with our connection to Stripe.');
      } else later(s.do === 'complete_late' ? s.ms : stepMs, () => void finish());
      const body = readerView();
      remember('rd', 200, body);
      return reply(res, 200, body);
    }
    m = /^\/v1\/terminal\/readers\/(tmr_\w+)\/cancel_action$/.exec(path);
    if (m && req.method === 'POST') {
      if (!reader.online)
        return error(res, 400, 'invalid_request_error', 'terminal_reader_offline', 'Reader is offline');
      if (reader.action?.status !== 'in_progress')
        return error(
          res,
          400,
          'invalid_request_error',
          'terminal_reader_action_not_allowed',
          'No action in progress',
        );
      reader.action.status = 'failed';
      reader.action.failure_code = 'customer_canceled' as never;
      reader.action.failure_message =
        'This action could not be completed due to an error on the card reader.' as never;
      return reply(res, 200, readerView());
    }
    return error(
      res,
      404,
      'invalid_request_error',
      'resource_missing',
      `Unrecognized request URL (${req.method}: ${path})`,
    );
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      refused.push(`server error: ${String(e)}`);
      if (!res.headersSent) error(res, 500, 'api_error', 'api_error', String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    secretKey,
    readerId,
    refused,
    enqueue: (...s) => scripts.push(...s),
    charged: () =>
      [...intents.values()]
        .filter((pi) => pi.status === 'succeeded')
        .filter((pi) => {
          const ch = charges.get(String(pi.latest_charge));
          return !ch || ch.amount_refunded < ch.amount;
        })
        .map((pi) => pi.metadata.kassa_attempt ?? pi.id),
    intents: () => [...intents.values()],
    creates: (attemptId) => createsBy.get(attemptId) ?? 0,
    confirm,
    get readerOnline() {
      return reader.online;
    },
    set readerOnline(v: boolean) {
      reader.online = v;
    },
    reconnectReader() {
      reader.online = true;
      const p = reader.pending;
      reader.pending = undefined;
      p?.();
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      reader = { action: null, online: true };
    },
  };
}
