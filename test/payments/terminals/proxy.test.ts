import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdyenTerminal } from '../../../src/payments/providers/adyen/index.js';
import { createPaymentProxy, nodeListener, type ProxyWebhook } from '../../../src/payments/proxy/index.js';
import { type AdyenServer, startAdyenServer } from './adyen-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function serve(handler: (r: Request) => Promise<Response>) {
  const http: Server = createServer(nodeListener(handler));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  closers.push(async () => {
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  });
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

const HMAC_HEX = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

describe('payment proxy: Adyen and Square', () => {
  it("forwards a browser till's Terminal API messages to Adyen with the API key, and nothing else", async () => {
    const adyen: AdyenServer = await startAdyenServer();
    closers.push(() => adyen.close());
    const url = await serve(
      createPaymentProxy({
        basePath: '/kassa',
        authorize: (req) => req.headers.get('authorization') === 'Bearer till',
        adyen: { apiKey: adyen.apiKey, endpoint: `${adyen.url}/sync` },
      }),
    );
    const till = createAdyenTerminal({
      mode: 'cloud',
      endpoint: `${url}/kassa/adyen/sync`,
      poiId: adyen.poiId,
      saleId: 'till-9',
      fetch: (i, init) =>
        fetch(i, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), authorization: 'Bearer till' },
        }),
    });
    const outcome = await new Promise((resolve) =>
      till
        .start(
          { attemptId: 'px_1', saleId: 's', amount: '7.25', currency: 'EUR', allowPartial: false },
          new AbortController().signal,
        )
        .subscribe((e) => e.type === 'outcome' && resolve(e.outcome)),
    );
    expect(outcome).toMatchObject({ status: 'approved', amount: '7.25' });
    const admin = await fetch(`${url}/kassa/adyen/sync`, {
      method: 'POST',
      headers: { authorization: 'Bearer till' },
      body: JSON.stringify({ SaleToPOIRequest: { MessageHeader: { MessageCategory: 'Admin' } } }),
    });
    expect(admin.status).toBe(400);
    expect(adyen.refused).toEqual([]);
  });

  it('verifies Adyen notifications item by item with the HMAC key', async () => {
    const seen: ProxyWebhook[] = [];
    const url = await serve(
      createPaymentProxy({ adyen: { hmacKey: HMAC_HEX }, onWebhook: (e) => void seen.push(e) }),
    );
    const item = {
      pspReference: '7914073381342284',
      originalReference: '',
      merchantAccountCode: 'KassaPOS',
      merchantReference: 'pa_123',
      amount: { value: 1130, currency: 'EUR' },
      eventCode: 'AUTHORISATION',
      success: 'true',
      additionalData: {} as Record<string, string>,
    };
    const signing = [
      item.pspReference,
      item.originalReference,
      item.merchantAccountCode,
      item.merchantReference,
      1130,
      'EUR',
      item.eventCode,
      item.success,
    ].join(':');
    item.additionalData.hmacSignature = createHmac('sha256', Buffer.from(HMAC_HEX, 'hex'))
      .update(signing)
      .digest('base64');
    const post = (body: unknown) =>
      fetch(`${url}/adyen/webhook`, { method: 'POST', body: JSON.stringify(body) });
    const ok = await post({ live: 'false', notificationItems: [{ NotificationRequestItem: item }] });
    expect(await ok.text()).toBe('[accepted]');
    expect(seen[0]?.update).toEqual({
      eventId: '7914073381342284:AUTHORISATION:true',
      attemptId: 'pa_123',
      outcome: { status: 'approved', amount: '11.30' },
    });
    const forged = await post({
      notificationItems: [{ NotificationRequestItem: { ...item, amount: { value: 1, currency: 'EUR' } } }],
    });
    expect(forged.status).toBe(400);
    expect(seen).toHaveLength(1);
  });

  it('verifies Square webhooks against the notification URL and raw body, refusing till routes without authorize', async () => {
    const seen: ProxyWebhook[] = [];
    const notificationUrl = 'https://shop.example/kassa/square/webhook';
    const url = await serve(
      createPaymentProxy({
        basePath: '/kassa',
        square: { signatureKey: 'sq-key', notificationUrl },
        onWebhook: (e) => void seen.push(e),
      }),
    );
    const body = JSON.stringify({
      merchant_id: 'M',
      type: 'terminal.checkout.updated',
      event_id: 'evt-9',
      data: {
        type: 'checkout.event',
        id: 'TC1',
        object: {
          checkout: {
            id: 'TC1',
            reference_id: 'pa_9',
            status: 'COMPLETED',
            amount_money: { amount: 1250, currency: 'JPY' },
            payment_ids: ['PAY1'],
          },
        },
      },
    });
    const signature = createHmac('sha256', 'sq-key')
      .update(notificationUrl + body)
      .digest('base64');
    const post = (b: string, sig: string) =>
      fetch(`${url}/kassa/square/webhook`, {
        method: 'POST',
        body: b,
        headers: { 'x-square-hmacsha256-signature': sig },
      });
    expect((await post(body, signature)).status).toBe(200);
    expect(seen[0]?.update).toEqual({
      eventId: 'evt-9',
      attemptId: 'pa_9',
      outcome: { status: 'approved', amount: '1250', providerRef: 'PAY1' },
    });
    expect((await post(body.replace('1250', '1'), signature)).status).toBe(400);
    expect(seen).toHaveLength(1);
    const till = await fetch(`${url}/kassa/stripe/intents`, { method: 'POST', body: '{}' });
    expect(till.status).toBe(401);
  });
});
