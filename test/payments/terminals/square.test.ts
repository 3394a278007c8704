import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SquareClient } from 'square';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryPaymentStore, createPaymentSession } from '../../../src/payments/index.js';
import {
  createSquareDeviceCode,
  createSquareTerminal,
  getSquareDeviceCode,
  parseSquareWebhook,
} from '../../../src/payments/providers/square/index.js';
import { describeProviderConformance } from '../conformance.js';
import { describeRecoveryScenarios } from './recovery-scenarios.js';
import { type SquareServer, startSquareServer } from './square-server.js';

const servers: SquareServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    expect(s.refused).toEqual([]);
    await s.close();
  }
});
const start = async (o?: Parameters<typeof startSquareServer>[0]) => {
  const s = await startSquareServer(o);
  servers.push(s);
  return s;
};
const terminal = (s: SquareServer, extra: Partial<Parameters<typeof createSquareTerminal>[0]> = {}) =>
  createSquareTerminal({ accessToken: s.token, deviceId: s.deviceId, baseUrl: s.url, pollMs: 10, ...extra });

describeProviderConformance('square-terminal', async () => {
  const s = await start();
  return {
    provider: terminal(s),
    currency: 'USD',
    arrange: (next) => {
      if (next === 'partial') return false;
      s.enqueue(
        next === 'approve' ? { do: 'approve' } : next === 'decline' ? { do: 'decline' } : { do: 'lost' },
      );
      return true;
    },
    settle: async () => {
      await new Promise((r) => setTimeout(r, 20));
      await s.idle();
      await new Promise((r) => setTimeout(r, 40));
    },
    charged: () => s.charged(),
  };
});

describeRecoveryScenarios('square-terminal', async () => {
  const s = await startSquareServer();
  return {
    currency: 'USD',
    provider: () => terminal(s),
    arrange: (next) =>
      s.enqueue(next === 'complete_late' ? { do: 'offline', ms: 400 } : { do: 'slow_answer', ms: 1500 }),
    charged: () => s.charged(),
    requestsFor: (id) => s.creates.filter((c) => c.reference === id).length,
    received: (id) => s.creates.some((c) => c.reference === id),
    close: async () => {
      expect(s.refused).toEqual([]);
      await s.close();
    },
  };
});

const request = (attemptId: string, amount = '10.00') => ({
  attemptId,
  saleId: 'sale-sq',
  amount,
  currency: 'USD',
  allowPartial: false,
});

describe('square terminal', () => {
  it('reports the card, the auth code and the payment id, and tips added on the device', async () => {
    const s = await start();
    s.enqueue({ do: 'approve', tip: 150 });
    const p = terminal(s, { allowTipping: true });
    const events: unknown[] = [];
    await new Promise<void>((resolve) =>
      p
        .start(request('sq_card_1'), new AbortController().signal)
        .subscribe({ next: (e) => events.push(e), complete: resolve }),
    );
    expect(events.at(-1)).toEqual({
      type: 'outcome',
      outcome: {
        status: 'approved',
        amount: '10.00',
        tip: '1.50',
        card: { brand: 'visa', last4: '1111', entryMode: 'chip' },
        authCode: 'Kq9xT2',
        providerRef: s.checkouts()[0]!.payment_ids[0],
      },
    });
    expect(events.some((e) => (e as { stage?: string }).stage === 'waiting_for_card')).toBe(true);
    expect(s.checkouts()[0]!.device_options.tip_settings?.allow_tipping).toBe(true);
  });

  it('resends a create after a 500 under the same idempotency key and gets the payment already taken', async () => {
    const s = await start();
    s.enqueue({ do: 'error_after_payment' });
    const p = terminal(s);
    const outcome = await new Promise((resolve) =>
      p
        .start(request('sq_500'), new AbortController().signal)
        .subscribe((e) => e.type === 'outcome' && resolve(e.outcome)),
    );
    expect(outcome).toMatchObject({ status: 'approved', amount: '10.00' });
    expect(s.creates.filter((c) => c.key === 'sq_500')).toHaveLength(2);
    expect(s.checkouts()).toHaveLength(1);
    expect(s.charged()).toEqual(['sq_500']);
  });

  it('converts amounts with the currency exponent (JPY has none)', async () => {
    const s = await start();
    const p = terminal(s);
    await new Promise((resolve) =>
      p
        .start({ ...request('sq_jpy', '1250'), currency: 'JPY' }, new AbortController().signal)
        .subscribe((e) => e.type === 'outcome' && resolve(e)),
    );
    expect(s.checkouts()[0]!.amount_money).toEqual({ amount: 1250, currency: 'JPY' });
  });

  it('a reader offline mid-payment: cancel is requested, the device comes back and completes: too late', async () => {
    const s = await start();
    s.enqueue({ do: 'offline' });
    const p = terminal(s);
    const outcome = new Promise((resolve) =>
      p
        .start(request('sq_off'), new AbortController().signal)
        .subscribe((e) => e.type === 'outcome' && resolve(e.outcome)),
    );
    await new Promise((r) => setTimeout(r, 80));
    const cancel = p.cancel({ attemptId: 'sq_off', saleId: 'sale-sq' });
    await new Promise((r) => setTimeout(r, 50));
    expect(s.checkouts()[0]!.status).toBe('CANCEL_REQUESTED');
    s.reconnect();
    expect(await cancel).toBe('too_late');
    expect(await outcome).toMatchObject({ status: 'approved' });
  });

  it('the deadline passes with no card: the checkout ends canceled, nothing charged', async () => {
    const s = await start();
    s.enqueue({ do: 'wait' });
    const p = terminal(s, { deadline: 'PT1S' });
    const outcome = await new Promise((resolve) =>
      p
        .start(request('sq_deadline'), new AbortController().signal)
        .subscribe((e) => e.type === 'outcome' && resolve(e.outcome)),
    );
    expect(outcome).toMatchObject({ status: 'canceled' });
    expect(s.checkouts()[0]!.cancel_reason).toBe('TIMED_OUT');
    expect(s.charged()).toEqual([]);
  });

  it('cancels a checkout still waiting for a card', async () => {
    const s = await start();
    s.enqueue({ do: 'wait' });
    const p = terminal(s);
    const outcome = new Promise((resolve) =>
      p
        .start(request('sq_cancel'), new AbortController().signal)
        .subscribe((e) => e.type === 'outcome' && resolve(e.outcome)),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(await p.cancel({ attemptId: 'sq_cancel', saleId: 'sale-sq' })).toBe('canceled');
    expect(await outcome).toMatchObject({ status: 'canceled' });
  });

  it('an unreachable Square is "not sent": nothing can have been charged', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as AddressInfo;
    await new Promise((r) => blocker.close(r));
    const p = createSquareTerminal({
      accessToken: 't',
      deviceId: 'd',
      baseUrl: `http://127.0.0.1:${port}`,
      retries: 0,
    });
    const error = await new Promise((resolve) =>
      p.start(request('sq_down'), new AbortController().signal).subscribe({ error: resolve }),
    );
    expect(error).toMatchObject({ code: 'payment.not_sent' });
  });

  it('rejects unknown option keys', () => {
    expect(() => createSquareTerminal({ accessToken: 't', deviceId: 'd', secret: 'x' } as never)).toThrow(
      expect.objectContaining({ code: 'validation.unknown_field' }),
    );
  });

  it('pairs a device with a device code', async () => {
    const s = await start();
    const base = { accessToken: s.token, baseUrl: s.url };
    const code = await createSquareDeviceCode({
      ...base,
      locationId: s.locationId,
      idempotencyKey: 'pair-1',
      name: 'Till 1',
    });
    expect(code).toMatchObject({ code: 'EFBXLN', status: 'UNPAIRED' });
    await new Promise((r) => setTimeout(r, 60));
    expect(await getSquareDeviceCode({ ...base, id: code.id })).toMatchObject({
      status: 'PAIRED',
      deviceId: s.deviceId,
    });
  });

  it("Square's own client reads the checkouts this server keeps for kassa", async () => {
    const s = await start();
    const p = terminal(s);
    await new Promise((resolve) =>
      p
        .start(request('sq_client'), new AbortController().signal)
        .subscribe((e) => e.type === 'outcome' && resolve(e)),
    );
    const client = new SquareClient({ token: s.token, baseUrl: s.url });
    const got = await client.terminal.checkouts.get({ checkoutId: p.checkoutOf('sq_client')! });
    expect(got.checkout).toMatchObject({ referenceId: 'sq_client', status: 'COMPLETED' });
    expect(got.checkout?.amountMoney?.amount).toBe(1000n);
  });

  it('late and duplicate webhooks, verified on the raw body, apply once', async () => {
    const received: { body: string; signature: string }[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-square-hmacsha256-signature']) });
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/webhooks/square`;
    const s = await start({ webhook: { url, signatureKey: 'sig-key', delayMs: 200, duplicate: true } });
    const sess = await createPaymentSession({
      saleId: 'sale-hook',
      total: '10.00',
      currency: 'USD',
      providers: [terminal(s)],
      store: createMemoryPaymentStore(),
    });
    const tender = await sess.pay({ provider: 'square-terminal', amount: '10.00' });
    expect(tender.status).toBe('approved');
    for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received).toHaveLength(2);
    const results = [];
    for (const r of received) {
      const update = await parseSquareWebhook({
        body: r.body,
        signature: r.signature,
        signatureKey: 'sig-key',
        notificationUrl: url,
      });
      expect(update).toMatchObject({
        attemptId: tender.attemptId,
        outcome: { status: 'approved', amount: '10.00' },
      });
      results.push(await sess.applyWebhook(update!));
    }
    expect(results).not.toContain('applied');
    expect(sess.snapshot().paid).toBe('10.00');
    await expect(
      parseSquareWebhook({
        body: `${received[0]!.body} `,
        signature: received[0]!.signature,
        signatureKey: 'sig-key',
        notificationUrl: url,
      }),
    ).rejects.toMatchObject({ code: 'payment.webhook_invalid_signature' });
    sess.dispose();
    await new Promise((r) => hook.close(r));
  });
});
