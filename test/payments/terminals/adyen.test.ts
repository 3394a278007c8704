import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import type { PaymentRequest } from '../../../src/payments/index.js';
import { decryptNexo, encryptNexo } from '../../../src/payments/providers/adyen/crypto.js';
import { adyenServiceId, createAdyenTerminal } from '../../../src/payments/providers/adyen/index.js';
import { describeProviderConformance } from '../conformance.js';
import { type AdyenServer, startAdyenServer } from './adyen-server.js';
import { describeRecoveryScenarios } from './recovery-scenarios.js';

const NexoCrypto = createRequire(import.meta.url)('@adyen/api-library/lib/src/security/nexoCrypto')
  .default as {
  encrypt(header: unknown, json: string, key: unknown): unknown;
};
const servers: AdyenServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    expect(s.refused).toEqual([]);
    await s.close();
  }
});
const start = async () => {
  const s = await startAdyenServer();
  servers.push(s);
  return s;
};
const local = (s: AdyenServer, extra: Partial<Parameters<typeof createAdyenTerminal>[0]> = {}) =>
  createAdyenTerminal({
    mode: 'local',
    endpoint: `${s.url}/nexo`,
    poiId: s.poiId,
    saleId: 'till-1',
    encryption: {
      keyIdentifier: s.key.KeyIdentifier,
      passphrase: s.key.Passphrase,
      keyVersion: s.key.KeyVersion,
    },
    pollMs: 10,
    ...extra,
  });
const cloud = (s: AdyenServer) =>
  createAdyenTerminal({
    mode: 'cloud',
    endpoint: `${s.url}/sync`,
    poiId: s.poiId,
    saleId: 'till-1',
    apiKey: s.apiKey,
    pollMs: 10,
  });

for (const [name, make] of [
  ['adyen-terminal (local, encrypted)', local],
  ['adyen-terminal (cloud)', cloud],
] as const) {
  describeProviderConformance(name, async () => {
    const s = await start();
    return {
      provider: make(s),
      currency: 'EUR',
      arrange: (next) => {
        s.enqueue(
          next === 'approve'
            ? { do: 'approve' }
            : next === 'decline'
              ? { do: 'decline' }
              : next === 'partial'
                ? { do: 'partial', amount: 30 }
                : { do: 'lost' },
        );
        return true;
      },
      settle: async () => {
        await new Promise((r) => setTimeout(r, 20));
        await s.idle();
        await new Promise((r) => setTimeout(r, 30));
      },
      charged: () => s.charged(),
    };
  });

  describeRecoveryScenarios(name, async () => {
    const s = await startAdyenServer();
    return {
      currency: 'EUR',
      provider: () => make(s),
      arrange: (next) =>
        s.enqueue(
          next === 'complete_late' ? { do: 'complete_late', ms: 400 } : { do: 'answer_late', ms: 1500 },
        ),
      charged: () => s.charged(),
      requestsFor: (id) => s.payments.filter((p) => p.attemptId === id).length,
      received: (id) => s.received(id),
      close: async () => {
        expect(s.refused).toEqual([]);
        await s.close();
      },
    };
  });
}

const request = (attemptId: string, amount = '10.00', currency = 'EUR'): PaymentRequest => ({
  attemptId,
  saleId: 'sale-ad',
  amount,
  currency,
  allowPartial: false,
});
const outcomeOf = (p: ReturnType<typeof local>, r: ReturnType<typeof request>) =>
  new Promise((resolve, reject) =>
    p
      .start(r, new AbortController().signal)
      .subscribe({ next: (e) => e.type === 'outcome' && resolve(e.outcome), error: reject }),
  );

describe('adyen terminal', () => {
  it('derives a service id of at most 10 characters from the attempt id, the same after a restart', async () => {
    const a = await adyenServiceId('pa_0a1b2c3d-4e5f-6789-abcd-ef0123456789');
    expect(a).toMatch(/^[0-9A-Za-z]{10}$/);
    expect(await adyenServiceId('pa_0a1b2c3d-4e5f-6789-abcd-ef0123456789')).toBe(a);
    expect(await adyenServiceId('pa_0a1b2c3d-4e5f-6789-abcd-ef012345678a')).not.toBe(a);
  });

  it('encrypts every local message (Adyen NexoCrypto decrypts it) and reads the encrypted answers', async () => {
    const s = await start();
    expect(await outcomeOf(local(s), request('ad_enc'))).toMatchObject({
      status: 'approved',
      amount: '10.00',
      card: { brand: 'mc', last4: '9999', entryMode: 'contactless' },
      authCode: '123456',
    });
    expect(s.plain).toBe(0);
  });

  it('a terminal that cannot decrypt (another key) rejects the message: not sent, nothing charged', async () => {
    const s = await start();
    const p = local(s, { encryption: { keyIdentifier: 'kassa', passphrase: 'wrong', keyVersion: 1 } });
    await expect(outcomeOf(p, request('ad_key'))).rejects.toMatchObject({ code: 'payment.not_sent' });
    expect(s.payments).toHaveLength(0);
  });

  it('refuses a message whose HMAC does not match, and decrypts what Adyen NexoCrypto encrypted', async () => {
    const key = { keyIdentifier: 'k', passphrase: 'p4ss phrase', keyVersion: 1 };
    const json = JSON.stringify({ SaleToPOIResponse: { x: 'é€' } });
    const sealed = await encryptNexo(json, key);
    expect(await decryptNexo(sealed, key)).toBe(json);
    const theirs = NexoCrypto.encrypt({}, json, {
      KeyIdentifier: 'k',
      Passphrase: 'p4ss phrase',
      KeyVersion: 1,
      AdyenCryptoVersion: 1,
    }) as {
      NexoBlob: string;
      SecurityTrailer: { Hmac: string; Nonce: string };
    };
    expect(await decryptNexo(theirs, key)).toBe(json);
    // The HMAC covers the plain message: the same message under both implementations, the same HMAC.
    expect(sealed.SecurityTrailer.Hmac).toBe(theirs.SecurityTrailer.Hmac);
    const forged = {
      ...theirs,
      SecurityTrailer: { ...theirs.SecurityTrailer, Hmac: btoa('\0'.repeat(32)) },
    };
    await expect(decryptNexo(forged, key)).rejects.toMatchObject({
      code: 'payment.webhook_invalid_signature',
    });
  });

  it('sends amounts in major units at the currency exponent', async () => {
    for (const [amount, currency, wire] of [
      ['12.10', 'EUR', 12.1],
      ['1250', 'JPY', 1250],
      ['1.234', 'KWD', 1.234],
    ] as const) {
      const s = await start();
      await outcomeOf(cloud(s), request(`ad_${currency}`, amount, currency));
      const req = s.lastPayment() as {
        PaymentTransaction: { AmountsReq: { RequestedAmount: number; Currency: string } };
      };
      expect(req.PaymentTransaction.AmountsReq).toEqual({ Currency: currency, RequestedAmount: wire });
    }
  });

  it('maps error conditions: wrong PIN declines, busy fails (nothing ran), abort cancels', async () => {
    const s = await start();
    s.enqueue({ do: 'decline', condition: 'WrongPIN' }, { do: 'busy' }, { do: 'wait' });
    const p = cloud(s);
    expect(await outcomeOf(p, request('ad_pin'))).toMatchObject({ status: 'declined', reasonCode: '51' });
    expect(await outcomeOf(p, request('ad_busy'))).toMatchObject({ status: 'failed' });
    const waiting = outcomeOf(p, request('ad_abort'));
    await new Promise((r) => setTimeout(r, 50));
    expect(await p.cancel({ attemptId: 'ad_abort', saleId: 'sale-ad' })).toBe('canceled');
    expect(await waiting).toMatchObject({ status: 'canceled' });
    expect(s.charged()).toEqual([]);
  });

  it('a 500 after the payment was taken: the outcome is unknown and the inquiry finds the approval', async () => {
    const s = await start();
    s.enqueue({ do: 'error_after_payment' });
    const p = cloud(s);
    expect(await outcomeOf(p, request('ad_500'))).toMatchObject({ status: 'unknown' });
    expect(await p.inquire({ attemptId: 'ad_500', saleId: 'sale-ad' })).toMatchObject({
      status: 'approved',
      amount: '10.00',
    });
    // A resend under the same attempt does not pay again.
    expect(await outcomeOf(p, request('ad_500'))).toMatchObject({ status: 'approved' });
    expect(s.payments.filter((x) => x.attemptId === 'ad_500')).toHaveLength(1);
  });

  it('a terminal that goes offline mid-payment: the payment times out as unknown, the inquiry says in progress, then approved', async () => {
    const s = await start();
    s.enqueue({ do: 'offline', ms: 300 });
    const p = createAdyenTerminal({
      mode: 'cloud',
      endpoint: `${s.url}/sync`,
      poiId: s.poiId,
      saleId: 'till-1',
      apiKey: s.apiKey,
      paymentTimeoutMs: 100,
    });
    expect(await outcomeOf(p, request('ad_off'))).toMatchObject({ status: 'unknown' });
    expect(await p.inquire({ attemptId: 'ad_off', saleId: 'sale-ad' })).toEqual({ status: 'in_progress' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await p.inquire({ attemptId: 'ad_off', saleId: 'sale-ad' })).toMatchObject({ status: 'approved' });
  });

  it('reports a tip and refunds in parts by reversal, refusing more than was taken', async () => {
    const s = await start();
    s.enqueue({ do: 'approve', tip: 2 });
    const p = cloud(s);
    const o = (await outcomeOf(p, { ...request('ad_tip', '20.00'), tip: '2.00' })) as {
      providerRef: string;
      tip: string;
    };
    expect(o.tip).toBe('2.00');
    const ref = { attemptId: 'ad_tip', saleId: 'sale-ad', currency: 'EUR', providerRef: o.providerRef };
    expect(await p.refund({ ...ref, refundKey: 'r1', amount: '5.50' })).toMatchObject({
      status: 'approved',
      amount: '5.50',
    });
    expect(await p.refund({ ...ref, refundKey: 'r2', amount: '14.51' })).toMatchObject({
      status: 'declined',
      reasonCode: 'NotAllowed',
    });
    expect(await p.refund({ ...ref, refundKey: 'r3', amount: '14.50' })).toMatchObject({
      status: 'approved',
    });
    expect(s.charged()).toEqual([]);
  });

  it('refuses the cloud API without the key and unknown options', async () => {
    const s = await start();
    const p = createAdyenTerminal({
      mode: 'cloud',
      endpoint: `${s.url}/sync`,
      poiId: s.poiId,
      saleId: 'till-1',
    });
    await expect(outcomeOf(p, request('ad_nokey'))).rejects.toMatchObject({ code: 'payment.not_sent' });
    expect(() =>
      createAdyenTerminal({ mode: 'cloud', endpoint: 'x', poiId: 'p', saleId: 's', password: 'x' } as never),
    ).toThrow(expect.objectContaining({ code: 'validation.unknown_field' }));
  });
});
