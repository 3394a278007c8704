import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serialization } from 'square';

/*
 * A local Square on 127.0.0.1 speaking the Terminal, Payments, Refunds and Devices APIs as
 * Square documents them. Every request body is parsed with Square's own serializer with
 * unknown keys refused, and every response body is checked the same way before it leaves,
 * so a field name kassa or this server gets wrong fails the test.
 */

const strict = { unrecognizedObjectKeys: 'fail' as const };

/** What the device does with the next checkout. */
export type SquareScript =
  | { do: 'approve'; tip?: number }
  | { do: 'decline'; code?: string }
  /** The create never arrives: the connection is dropped, nothing is created. */
  | { do: 'lost' }
  /** The checkout is created and paid, but the create's answer is a 500 (once). */
  | { do: 'error_after_payment' }
  /** The create's answer comes after `ms` (the payment goes on meanwhile). */
  | { do: 'slow_answer'; ms: number }
  /** The device goes offline after the card is read; it comes back after `ms` and completes (or never). */
  | { do: 'offline'; ms?: number }
  /** The buyer never taps: the checkout waits until canceled or its deadline. */
  | { do: 'wait' };

type Checkout = {
  id: string;
  amount_money: { amount: number; currency: string };
  reference_id?: string;
  note?: string;
  device_options: {
    device_id: string;
    skip_receipt_screen?: boolean;
    tip_settings?: { allow_tipping?: boolean };
  };
  deadline_duration: string;
  status: 'PENDING' | 'IN_PROGRESS' | 'CANCEL_REQUESTED' | 'CANCELED' | 'COMPLETED';
  cancel_reason?: 'BUYER_CANCELED' | 'SELLER_CANCELED' | 'TIMED_OUT';
  payment_ids: string[];
  created_at: string;
  updated_at: string;
  app_id: string;
  location_id: string;
  payment_type: 'CARD_PRESENT';
  tip_money?: { amount: number; currency: string };
};

type Payment = {
  id: string;
  status: 'COMPLETED' | 'FAILED';
  amount_money: { amount: number; currency: string };
  tip_money?: { amount: number; currency: string };
  total_money: { amount: number; currency: string };
  refunded_money?: { amount: number; currency: string };
  source_type: 'CARD';
  location_id: string;
  reference_id?: string;
  created_at: string;
  updated_at: string;
  card_details: {
    status: 'CAPTURED' | 'FAILED';
    entry_method: 'EMV' | 'CONTACTLESS';
    auth_result_code?: string;
    card: { card_brand: 'VISA'; last_4: string; exp_month: number; exp_year: number };
    errors?: { category: 'PAYMENT_METHOD_ERROR'; code: string; detail: string }[];
  };
};

export interface SquareServerOptions {
  /** Milliseconds between the device's steps (PENDING, IN_PROGRESS, done). */
  stepMs?: number;
  /** Where to post signed webhooks (terminal.checkout.updated), and how late. */
  webhook?: { url: string; signatureKey: string; delayMs?: number; duplicate?: boolean };
}

export interface SquareServer {
  readonly url: string;
  readonly token: string;
  readonly deviceId: string;
  readonly locationId: string;
  /** Scripts the next checkouts, in order; default approve. */
  enqueue(...scripts: SquareScript[]): void;
  /** Reference ids (attempt ids) of completed checkouts not wholly refunded. */
  charged(): string[];
  /** Every checkout create received, duplicates included. */
  readonly creates: { key: string; reference?: string }[];
  /** Brings an offline device back: its checkouts complete. */
  reconnect(): void;
  /** Resolves once no checkout is still running. */
  idle(): Promise<void>;
  checkouts(): Checkout[];
  /** Request bodies Square's serializer refused (must stay empty). */
  readonly refused: { path: string; errors: unknown }[];
  close(): Promise<void>;
}

const now = () => new Date().toISOString();
const iso8601Ms = (d: string) => {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(d);
  return m ? ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000 : 300_000;
};

export async function startSquareServer(options: SquareServerOptions = {}): Promise<SquareServer> {
  const stepMs = options.stepMs ?? 20;
  const token = 'EAAAtest_token';
  const deviceId = 'DEVICE_R5WNWB5BKNG9R';
  const locationId = 'L8GRNAPK0QA5T';
  const scripts: SquareScript[] = [];
  const checkouts = new Map<string, Checkout>();
  const scriptOf = new Map<string, SquareScript>();
  const payments = new Map<string, Payment>();
  const refunds = new Map<string, { id: string; payment_id: string; amount: number; status: string }>();
  const idem = new Map<string, { body: string; status: number; response: unknown }>();
  const deviceCodes = new Map<
    string,
    { id: string; code: string; status: string; device_id?: string; location_id: string }
  >();
  const creates: { key: string; reference?: string }[] = [];
  const refused: { path: string; errors: unknown }[] = [];
  const offline = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  const id = (p: string) => `${p}${(++seq).toString(36).toUpperCase().padStart(6, '0')}`;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const check = (
    schema: { parse: (v: unknown, o: typeof strict) => { ok: boolean; errors?: unknown } },
    value: unknown,
    path: string,
  ) => {
    const r = schema.parse(value, strict);
    if (!r.ok) refused.push({ path, errors: r.errors });
    return r.ok;
  };

  const webhook = (c: Checkout) => {
    const w = options.webhook;
    if (!w) return;
    const body = JSON.stringify({
      merchant_id: 'MLTEST',
      type: 'terminal.checkout.updated',
      event_id: `evt-${c.id}-${c.status}`,
      created_at: now(),
      data: { type: 'checkout.event', id: c.id, object: { checkout: c } },
    });
    check(serialization.TerminalCheckoutUpdatedEvent, JSON.parse(body), 'webhook');
    const signature = createHmac('sha256', w.signatureKey)
      .update(w.url + body)
      .digest('base64');
    const post = () =>
      fetch(w.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-square-hmacsha256-signature': signature },
      }).catch(() => undefined);
    later(w.delayMs ?? 0, () => {
      void post();
      if (w.duplicate) later(5, () => void post());
    });
  };

  const setStatus = (c: Checkout, status: Checkout['status'], reason?: Checkout['cancel_reason']) => {
    c.status = status;
    c.updated_at = now();
    if (reason) c.cancel_reason = reason;
    if (status === 'COMPLETED' || status === 'CANCELED') webhook(c);
  };

  const pay = (c: Checkout, ok: boolean, script: SquareScript) => {
    const pid = id('PAY');
    const tip = script.do === 'approve' && script.tip ? script.tip : 0;
    const payment: Payment = {
      id: pid,
      status: ok ? 'COMPLETED' : 'FAILED',
      amount_money: { ...c.amount_money },
      ...(tip ? { tip_money: { amount: tip, currency: c.amount_money.currency } } : {}),
      total_money: { amount: c.amount_money.amount + tip, currency: c.amount_money.currency },
      source_type: 'CARD',
      location_id: locationId,
      ...(c.reference_id ? { reference_id: c.reference_id } : {}),
      created_at: now(),
      updated_at: now(),
      card_details: {
        status: ok ? 'CAPTURED' : 'FAILED',
        entry_method: 'EMV',
        ...(ok ? { auth_result_code: 'Kq9xT2' } : {}),
        card: { card_brand: 'VISA', last_4: '1111', exp_month: 12, exp_year: 2030 },
        ...(ok
          ? {}
          : {
              errors: [
                {
                  category: 'PAYMENT_METHOD_ERROR' as const,
                  code: script.do === 'decline' && script.code ? script.code : 'GENERIC_DECLINE',
                  detail: 'Authorization error: GENERIC_DECLINE',
                },
              ],
            }),
      },
    };
    check(serialization.Payment, payment, 'payment');
    payments.set(pid, payment);
    c.payment_ids.push(pid);
    if (tip) c.tip_money = { amount: tip, currency: c.amount_money.currency };
  };

  const runDevice = (c: Checkout, script: SquareScript) => {
    const deadline = setTimeout(() => {
      timers.delete(deadline);
      if (c.status === 'PENDING' || c.status === 'IN_PROGRESS' || c.status === 'CANCEL_REQUESTED') {
        setStatus(c, 'CANCELED', 'TIMED_OUT');
      }
    }, iso8601Ms(c.deadline_duration));
    timers.add(deadline);
    if (script.do === 'wait') return;
    later(stepMs, () => {
      if (c.status !== 'PENDING') return;
      setStatus(c, 'IN_PROGRESS');
      if (script.do === 'offline') {
        offline.add(c.id);
        if (script.ms !== undefined) later(script.ms, () => finishOffline(c));
        return;
      }
      later(stepMs, () => {
        if (c.status !== 'IN_PROGRESS' && c.status !== 'CANCEL_REQUESTED') return;
        if (script.do === 'decline') {
          pay(c, false, script);
          setStatus(c, 'CANCELED', 'BUYER_CANCELED');
        } else {
          pay(c, true, script);
          setStatus(c, 'COMPLETED');
        }
      });
    });
  };

  const finishOffline = (c: Checkout) => {
    if (!offline.delete(c.id)) return;
    if (c.status !== 'IN_PROGRESS' && c.status !== 'CANCEL_REQUESTED') return;
    pay(c, true, { do: 'approve' });
    setStatus(c, 'COMPLETED');
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
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const error = (
    res: ServerResponse,
    status: number,
    code: string,
    detail: string,
    category = 'INVALID_REQUEST_ERROR',
  ) => reply(res, status, { errors: [{ category, code, detail }] });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await read(req);
    if (req.headers.authorization !== `Bearer ${token}`)
      return error(res, 401, 'UNAUTHORIZED', 'bad token', 'AUTHENTICATION_ERROR');
    if (!req.headers['square-version']) return error(res, 400, 'BAD_REQUEST', 'Square-Version missing');
    const body = raw ? JSON.parse(raw) : undefined;
    const path = url.pathname;
    const m = (re: RegExp) => re.exec(path);

    if (req.method === 'POST' && path === '/v2/terminals/checkouts') {
      if (!check(serialization.terminal.checkouts.CreateTerminalCheckoutRequest, body, path))
        return error(res, 400, 'BAD_REQUEST', 'unknown or bad field');
      creates.push({ key: body.idempotency_key, reference: body.checkout.reference_id });
      const seen = idem.get(body.idempotency_key);
      const known = seen ? undefined : [...scriptOf.entries()].find(([k]) => k === body.idempotency_key);
      if (seen) {
        if (seen.body !== JSON.stringify(body))
          return error(res, 400, 'IDEMPOTENCY_KEY_REUSED', 'different body');
        const c = checkouts.get((seen.response as { checkout: Checkout }).checkout.id)!;
        return reply(res, 200, { checkout: c });
      }
      const script = known?.[1] ?? scripts.shift() ?? { do: 'approve' };
      if (script.do === 'lost') {
        scriptOf.set(body.idempotency_key, script);
        req.socket.destroy();
        return;
      }
      const c: Checkout = {
        id: id('TC'),
        amount_money: body.checkout.amount_money,
        ...(body.checkout.reference_id ? { reference_id: body.checkout.reference_id } : {}),
        ...(body.checkout.note ? { note: body.checkout.note } : {}),
        device_options: body.checkout.device_options,
        deadline_duration: body.checkout.deadline_duration ?? 'PT5M',
        status: 'PENDING',
        payment_ids: [],
        created_at: now(),
        updated_at: now(),
        app_id: 'sq0idp-kassa',
        location_id: locationId,
        payment_type: 'CARD_PRESENT',
      };
      if (c.device_options.device_id !== deviceId)
        return error(res, 404, 'NOT_FOUND', 'device not paired', 'INVALID_REQUEST_ERROR');
      checkouts.set(c.id, c);
      idem.set(body.idempotency_key, { body: JSON.stringify(body), status: 200, response: { checkout: c } });
      runDevice(c, script);
      check(serialization.CreateTerminalCheckoutResponse, { checkout: c }, 'create response');
      if (script.do === 'error_after_payment') {
        // The payment is taken at once, then Square's edge fails the answer.
        setStatus(c, 'IN_PROGRESS');
        pay(c, true, script);
        setStatus(c, 'COMPLETED');
        return error(res, 500, 'INTERNAL_SERVER_ERROR', 'upstream failure', 'API_ERROR');
      }
      if (script.do === 'slow_answer') {
        later(script.ms, () => reply(res, 200, { checkout: c }));
        return;
      }
      return reply(res, 200, { checkout: c });
    }
    if (req.method === 'POST' && path === '/v2/terminals/checkouts/search') {
      if (!check(serialization.terminal.checkouts.SearchTerminalCheckoutsRequest, body, path))
        return error(res, 400, 'BAD_REQUEST', 'unknown or bad field');
      const all = [...checkouts.values()]
        .filter(
          (c) => !body.query?.filter?.device_id || c.device_options.device_id === body.query.filter.device_id,
        )
        .reverse();
      const start = body.cursor ? Number(body.cursor) : 0;
      const limit = body.limit ?? 100;
      const page = all.slice(start, start + limit);
      const out = {
        checkouts: page,
        ...(start + limit < all.length ? { cursor: String(start + limit) } : {}),
      };
      check(serialization.SearchTerminalCheckoutsResponse, out, 'search response');
      return reply(res, 200, out);
    }
    let hit = m(/^\/v2\/terminals\/checkouts\/([^/]+)\/cancel$/);
    if (req.method === 'POST' && hit) {
      const c = checkouts.get(hit[1]!);
      if (!c) return error(res, 404, 'NOT_FOUND', 'no checkout');
      if (c.status === 'COMPLETED' || c.status === 'CANCELED')
        return error(res, 400, 'BAD_REQUEST', `checkout is ${c.status}`);
      if (c.status === 'PENDING') setStatus(c, 'CANCELED', 'SELLER_CANCELED');
      else if (offline.has(c.id)) c.status = 'CANCEL_REQUESTED';
      else setStatus(c, 'CANCELED', 'SELLER_CANCELED');
      check(serialization.CancelTerminalCheckoutResponse, { checkout: c }, 'cancel response');
      return reply(res, 200, { checkout: c });
    }
    hit = m(/^\/v2\/terminals\/checkouts\/([^/]+)$/);
    if (req.method === 'GET' && hit) {
      const c = checkouts.get(hit[1]!);
      if (!c) return error(res, 404, 'NOT_FOUND', 'no checkout');
      check(serialization.GetTerminalCheckoutResponse, { checkout: c }, 'get response');
      return reply(res, 200, { checkout: c });
    }
    hit = m(/^\/v2\/payments\/([^/]+)$/);
    if (req.method === 'GET' && hit) {
      const p = payments.get(hit[1]!);
      if (!p) return error(res, 404, 'NOT_FOUND', 'no payment');
      check(serialization.GetPaymentResponse, { payment: p }, 'payment response');
      return reply(res, 200, { payment: p });
    }
    if (req.method === 'POST' && path === '/v2/refunds') {
      if (!check(serialization.refunds.RefundPaymentRequest, body, path))
        return error(res, 400, 'BAD_REQUEST', 'bad field');
      const seen = idem.get(`refund:${body.idempotency_key}`);
      if (seen) return reply(res, seen.status, seen.response);
      const p = payments.get(body.payment_id);
      if (p?.status !== 'COMPLETED') return error(res, 404, 'NOT_FOUND', 'no payment');
      const done = p.refunded_money?.amount ?? 0;
      if (done + body.amount_money.amount > p.amount_money.amount) {
        const out = {
          errors: [
            { category: 'INVALID_REQUEST_ERROR', code: 'REFUND_AMOUNT_INVALID', detail: 'exceeds payment' },
          ],
        };
        idem.set(`refund:${body.idempotency_key}`, { body: raw, status: 400, response: out });
        return reply(res, 400, out);
      }
      p.refunded_money = { amount: done + body.amount_money.amount, currency: p.amount_money.currency };
      const r = {
        id: id('RF'),
        status: 'PENDING',
        amount_money: body.amount_money,
        payment_id: p.id,
        location_id: locationId,
        created_at: now(),
        updated_at: now(),
      };
      refunds.set(r.id, { id: r.id, payment_id: p.id, amount: body.amount_money.amount, status: 'PENDING' });
      const out = { refund: r };
      check(serialization.RefundPaymentResponse, out, 'refund response');
      idem.set(`refund:${body.idempotency_key}`, { body: raw, status: 200, response: out });
      return reply(res, 200, out);
    }
    if (req.method === 'POST' && path === '/v2/devices/codes') {
      if (!check(serialization.devices.codes.CreateDeviceCodeRequest, body, path))
        return error(res, 400, 'BAD_REQUEST', 'bad field');
      const d = {
        id: id('DC'),
        code: 'EFBXLN',
        status: 'UNPAIRED',
        location_id: body.device_code.location_id,
      };
      deviceCodes.set(d.id, d);
      // The seller signs in on the device a moment later.
      later(stepMs, () => {
        d.status = 'PAIRED';
        (d as { device_id?: string }).device_id = deviceId;
      });
      const out = {
        device_code: {
          ...d,
          product_type: 'TERMINAL_API',
          name: body.device_code.name,
          pair_by: new Date(Date.now() + 300_000).toISOString(),
        },
      };
      check(serialization.CreateDeviceCodeResponse, out, 'device code response');
      return reply(res, 200, out);
    }
    hit = m(/^\/v2\/devices\/codes\/([^/]+)$/);
    if (req.method === 'GET' && hit) {
      const d = deviceCodes.get(hit[1]!);
      if (!d) return error(res, 404, 'NOT_FOUND', 'no device code');
      const out = { device_code: { ...d, product_type: 'TERMINAL_API' } };
      check(serialization.GetDeviceCodeResponse, out, 'device code response');
      return reply(res, 200, out);
    }
    return error(res, 404, 'NOT_FOUND', `${req.method} ${path}`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) error(res, 500, 'INTERNAL_SERVER_ERROR', String(e), 'API_ERROR');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    deviceId,
    locationId,
    creates,
    refused,
    enqueue: (...s) => scripts.push(...s),
    charged: () =>
      [...checkouts.values()]
        .filter((c) => c.status === 'COMPLETED')
        .filter((c) => {
          const p = payments.get(c.payment_ids.at(-1)!);
          return !p || (p.refunded_money?.amount ?? 0) < p.amount_money.amount;
        })
        .map((c) => c.reference_id ?? c.id),
    reconnect: () => {
      for (const cid of [...offline]) finishOffline(checkouts.get(cid)!);
    },
    async idle() {
      for (let i = 0; i < 500; i++) {
        if (
          [...checkouts.values()].every(
            (c) => c.status === 'COMPLETED' || c.status === 'CANCELED' || offline.has(c.id),
          )
        )
          return;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    checkouts: () => [...checkouts.values()],
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
