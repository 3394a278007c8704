import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { receiptEmail } from '../../src/checkout/index.js';
import { isKassaError } from '../../src/errors.js';
import { priceCart } from '../../src/index.js';
import { buildReceipt, toHtml, toText } from '../../src/receipts/index.js';

const doc = buildReceipt(
  {
    cart: priceCart(
      {
        currency: 'EUR',
        pricesIncludeTax: true,
        lines: [
          {
            id: 'a',
            sku: 'brie',
            name: 'Brie de Meaux – affiné',
            unitPrice: '4.95',
            quantity: 2,
            taxes: [{ id: 'vat', rate: '9' }],
          },
        ],
      },
      {},
    ),
    tenders: [{ method: 'card', amount: '9.90', brand: 'visa', last4: '4242' }],
    store: { name: 'Kaas & Koffie' },
    receiptNumber: 'till-1-000001',
    time: '2026-12-03T08:12:00Z',
  },
  undefined,
  { locale: 'nl-NL', timeZone: 'Europe/Amsterdam' },
);

describe('the receipt by e-mail', () => {
  it('is a MIME message an independent parser reads back: headers, the text and the HTML version', async () => {
    const raw = receiptEmail(doc, {
      from: '"Kaas & Koffie" <bon@kaasenkoffie.example>',
      to: 'klant@example.org',
      subject: 'Uw bon – Kaas & Koffie',
      date: '2026-12-03T08:12:00Z',
      messageId: 'till-1-000001@kaasenkoffie.example',
    });
    expect(raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe('Uw bon – Kaas & Koffie');
    expect(parsed.from).toMatchObject({ address: 'bon@kaasenkoffie.example', name: 'Kaas & Koffie' });
    expect(parsed.messageId).toBe('<till-1-000001@kaasenkoffie.example>');
    expect(new Date(parsed.date!).toISOString()).toBe('2026-12-03T08:12:00.000Z');
    expect(parsed.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(toText(doc).trimEnd());
    expect(parsed.html).toBe(toHtml(doc));
    expect(parsed.text).toContain('Brie de Meaux – affiné');
  });

  it('refuses header injection and unknown options', () => {
    const base = {
      from: 'bon@kaasenkoffie.example',
      to: 'klant@example.org',
      subject: 'Uw bon',
      date: '2026-12-03T08:12:00Z',
      messageId: 'x@y.example',
    };
    for (const bad of [
      { ...base, subject: 'Uw bon\r\nBcc: everyone@example.org' },
      { ...base, to: 'klant@example.org\r\nBcc: x@y.z' },
      { ...base, date: 'yesterday' },
      { ...base, sbject: 'typo' },
    ]) {
      let error: unknown;
      try {
        receiptEmail(doc, bad as typeof base);
      } catch (e) {
        error = e;
      }
      expect(isKassaError(error) && error.code).toMatch(/^validation\./);
    }
  });
});
