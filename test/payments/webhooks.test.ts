import { createHmac, randomBytes } from 'node:crypto';
import { hmacValidator as HmacValidator } from '@adyen/api-library';
import { WebhooksHelper } from 'square';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { verifyAdyenHmac, verifySquareSignature, verifyStripeSignature } from '../../src/payments/index.js';

const stripe = new Stripe('sk_test_dummy');

describe('verifyStripeSignature (against stripe.webhooks.generateTestHeaderString)', () => {
  const secret = 'whsec_kassa_test';
  const payload = JSON.stringify({
    id: 'evt_9',
    type: 'payment_intent.succeeded',
    data: { object: { amount: 1730 } },
  });
  const clock = createManualClock();
  const t = Math.floor(clock.now() / 1000);

  it('accepts the official signature on the raw body', async () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: t });
    await expect(verifyStripeSignature({ payload, header, secret, clock })).resolves.toEqual({
      timestamp: t,
    });
    const bytes = new TextEncoder().encode(payload);
    await expect(verifyStripeSignature({ payload: bytes, header, secret, clock })).resolves.toEqual({
      timestamp: t,
    });
  });

  it('rejects a tampered body, a wrong secret and a stale timestamp', async () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: t });
    await expect(
      verifyStripeSignature({ payload: `${payload} `, header, secret, clock }),
    ).rejects.toMatchObject({
      code: 'payment.webhook_invalid_signature',
    });
    await expect(
      verifyStripeSignature({ payload, header, secret: 'whsec_other', clock }),
    ).rejects.toMatchObject({
      code: 'payment.webhook_invalid_signature',
    });
    const old = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: t - 301 });
    await expect(verifyStripeSignature({ payload, header: old, secret, clock })).rejects.toMatchObject({
      code: 'payment.webhook_timestamp_out_of_tolerance',
    });
    await expect(verifyStripeSignature({ payload, header: 'garbage', secret, clock })).rejects.toMatchObject({
      code: 'payment.webhook_malformed',
    });
  });

  it('agrees with stripe.webhooks.constructEvent on random bodies', async () => {
    for (let i = 0; i < 20; i++) {
      const body = randomBytes(40).toString('base64');
      const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: t });
      const flip = i % 2 === 1;
      const candidate = flip ? `${body}x` : body;
      let theirs = true;
      try {
        stripe.webhooks.constructEvent(candidate, header, secret, 1e12);
      } catch (e) {
        theirs = !(e instanceof Stripe.errors.StripeSignatureVerificationError);
      }
      const ours = await verifyStripeSignature({
        payload: candidate,
        header,
        secret,
        toleranceSeconds: 0,
      }).then(
        () => true,
        () => false,
      );
      // constructEvent also JSON-parses; only compare the signature verdict.
      if (!flip) expect(ours).toBe(true);
      else expect([ours, theirs]).toEqual([false, false]);
    }
  });
});

describe('verifySquareSignature', () => {
  // Square's SDK only verifies; signatures are made with the documented algorithm
  // (base64 HMAC-SHA256 of notification URL + body) and cross-checked with its verifier.
  const signatureKey = 'square-signature-key';
  const notificationUrl = 'https://till.example.com/webhooks/square';
  const body =
    '{"merchant_id":"M1","type":"payment.updated","event_id":"e1","data":{"object":{"payment":{"id":"p1"}}}}';
  const sign = (b: string, url = notificationUrl) =>
    createHmac('sha256', signatureKey)
      .update(url + b)
      .digest('base64');

  it('accepts what Square signs and its own verifier accepts', async () => {
    const signature = sign(body);
    expect(
      await WebhooksHelper.verifySignature({
        requestBody: body,
        signatureHeader: signature,
        signatureKey,
        notificationUrl,
      }),
    ).toBe(true);
    await expect(
      verifySquareSignature({ body, signature, signatureKey, notificationUrl }),
    ).resolves.toBeUndefined();
  });

  it('rejects a tampered body or another URL, as Square does', async () => {
    const signature = sign(body);
    const tampered = body.replace('p1', 'p2');
    expect(
      await WebhooksHelper.verifySignature({
        requestBody: tampered,
        signatureHeader: signature,
        signatureKey,
        notificationUrl,
      }),
    ).toBe(false);
    await expect(
      verifySquareSignature({ body: tampered, signature, signatureKey, notificationUrl }),
    ).rejects.toMatchObject({
      code: 'payment.webhook_invalid_signature',
    });
    await expect(
      verifySquareSignature({ body, signature, signatureKey, notificationUrl: `${notificationUrl}/x` }),
    ).rejects.toMatchObject({ code: 'payment.webhook_invalid_signature' });
  });
});

describe('verifyAdyenHmac (against @adyen/api-library HmacValidator)', () => {
  const key = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
  const validator = new HmacValidator();
  const item = {
    pspReference: '7914073381342284',
    originalReference: '',
    merchantAccountCode: 'KassaPOS',
    merchantReference: 'pa_123',
    amount: { value: 1130, currency: 'EUR' },
    eventCode: 'AUTHORISATION',
    success: 'true',
  };

  it('accepts the signature the official library calculates', async () => {
    const hmacSignature = validator.calculateHmac(item as never, key);
    await expect(
      verifyAdyenHmac({ ...item, additionalData: { hmacSignature } }, key),
    ).resolves.toBeUndefined();
  });

  it('rejects a changed amount or event code', async () => {
    const hmacSignature = validator.calculateHmac(item as never, key);
    await expect(
      verifyAdyenHmac(
        { ...item, amount: { value: 11300, currency: 'EUR' }, additionalData: { hmacSignature } },
        key,
      ),
    ).rejects.toMatchObject({ code: 'payment.webhook_invalid_signature' });
    await expect(
      verifyAdyenHmac({ ...item, eventCode: 'REFUND', additionalData: { hmacSignature } }, key),
    ).rejects.toMatchObject({ code: 'payment.webhook_invalid_signature' });
    expect(
      validator.validateHMAC(
        { ...item, eventCode: 'REFUND', additionalData: { hmacSignature } } as never,
        key,
      ),
    ).toBe(false);
  });

  it('refuses a key that is not hex and an item without a signature', async () => {
    await expect(
      verifyAdyenHmac({ ...item, additionalData: { hmacSignature: 'x' } }, 'zz'),
    ).rejects.toMatchObject({
      code: 'payment.webhook_malformed',
    });
    await expect(verifyAdyenHmac(item, key)).rejects.toMatchObject({ code: 'payment.webhook_malformed' });
  });
});
