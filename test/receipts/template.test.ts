import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKassaError } from '../../src/errors.js';
import type { Tender } from '../../src/payments/types.js';
import {
  buildReceipt,
  defaultTemplate,
  type ReceiptTemplate,
  receiptLabels,
  toText,
} from '../../src/receipts/index.js';
import { plainSale, returnSale, splitSale } from './fixtures.js';

function thrown(fn: () => unknown): { code: string; path?: unknown } {
  try {
    fn();
  } catch (e) {
    if (isKassaError(e)) return { code: e.code, path: e.details.path };
    throw e;
  }
  throw new Error('did not throw');
}

const build = (sale = plainSale(), locale = 'en-US', columns = 42) =>
  toText(buildReceipt(sale, defaultTemplate, { locale, columns, timeZone: 'Europe/Amsterdam' }));

describe('buildReceipt with the default template', () => {
  it('is pure: the same sale gives the same document, and the input is not changed', () => {
    const sale = splitSale();
    const before = JSON.stringify(sale);
    const a = buildReceipt(sale, defaultTemplate, { locale: 'nl-NL' });
    const b = buildReceipt(sale, defaultTemplate, { locale: 'nl-NL' });
    expect(a).toEqual(b);
    expect(JSON.stringify(sale)).toBe(before);
  });

  it('prints measured items as quantity, unit and price per unit, with the tax letter', () => {
    const text = build(plainSale(), 'nl-NL');
    expect(text).toMatch(/^ {2}0,375 kg x 18,90\/kg +7,09 A$/m);
    expect(text).toMatch(/^ {2}2 x 2,49 +4,98 A$/m);
    expect(text).toMatch(/^Canvas tote bag +12,10 B$/m);
  });

  it('shows promotions with their labels and the tax breakdown per rate', () => {
    const text = build();
    expect(text).toMatch(/^ {2}2nd at half price +-1\.25$/m);
    expect(text).toMatch(/^A 9% +9\.92 +0\.90 +10\.82$/m);
    expect(text).toMatch(/^B 21% +10\.00 +2\.10 +12\.10$/m);
  });

  it('masks cards to brand and last four and shows the auth code and the change', () => {
    const text = build(splitSale());
    expect(text).toContain('VISA **** 4242  Contactless');
    expect(text).toContain('Auth code: A1B2C3');
    expect(text).toMatch(/^Change +2\.10$/m);
  });

  it('rejects a card number longer than the last four digits, naming the field', () => {
    const sale = splitSale();
    sale.tenders[0]!.last4 = '4242424242424242';
    expect(thrown(() => buildReceipt(sale, defaultTemplate, { locale: 'en' }))).toEqual({
      code: 'receipt.invalid_sale',
      path: ['tenders', 0, 'last4'],
    });
  });

  it('rejects amounts that are not decimal strings, unknown currencies and times without an offset', () => {
    const a = plainSale();
    (a.cart.totals as { total: unknown }).total = 22.92;
    expect(thrown(() => buildReceipt(a, defaultTemplate, { locale: 'en' }))).toMatchObject({
      code: 'receipt.invalid_sale',
      path: ['cart', 'totals', 'total'],
    });
    const b = plainSale();
    b.cart.currency = 'EURO';
    expect(thrown(() => buildReceipt(b, defaultTemplate, { locale: 'en' })).path).toEqual([
      'cart',
      'currency',
    ]);
    const c = plainSale();
    c.time = '27/11/2026 14:03';
    expect(thrown(() => buildReceipt(c, defaultTemplate, { locale: 'en' })).path).toEqual(['time']);
    expect(
      thrown(() => buildReceipt(plainSale(), defaultTemplate, { locale: 'en', timeZone: 'Mars/Olympus' }))
        .path,
    ).toEqual(['timeZone']);
  });

  it('marks a reprint as a copy at the top and the bottom, and does not open the drawer', () => {
    const doc = buildReceipt({ ...plainSale(), copy: true }, defaultTemplate, { locale: 'de-DE' });
    const text = toText(doc);
    expect(text.match(/^ +KOPIE$/gm)).toHaveLength(2);
    expect(doc.blocks.some((b) => b.type === 'drawer')).toBe(false);
    expect(buildReceipt(plainSale(), defaultTemplate, { locale: 'de-DE' }).blocks.at(-1)).toEqual({
      type: 'drawer',
      pin: 2,
    });
  });

  it('marks a return with the original receipt and a QR code to find it', () => {
    const doc = buildReceipt(returnSale(), defaultTemplate, { locale: 'fr-FR' });
    const text = toText(doc);
    expect(text).toContain('RETOUR');
    expect(text).toContain('Ticket d’origine: R-2026-000123');
    expect(text).toMatch(/^Remboursement +-12,10$/m);
    expect(doc.blocks.find((b) => b.type === 'qr')).toMatchObject({
      data: 'https://kaasboer.example/r/R-2026-000130',
    });
  });

  it('puts a CODE128 barcode of the receipt number on every sale by default', () => {
    const doc = buildReceipt(plainSale(), defaultTemplate, { locale: 'en' });
    expect(doc.blocks.find((b) => b.type === 'barcode')).toMatchObject({
      symbology: 'code128',
      value: 'R-2026-000123',
    });
  });

  it('translates the labels for en, nl, de and fr, and formats money for the locale', () => {
    const expected: Record<string, [string, string]> = {
      'en-US': [receiptLabels.en.total, '€22.92'],
      'nl-NL': [receiptLabels.nl.total, '€ 22,92'],
      'de-DE': [receiptLabels.de.total, '22,92 €'],
      'fr-FR': [receiptLabels.fr.total, '22,92 €'],
    };
    for (const [locale, [label, total]] of Object.entries(expected)) {
      const line = build(plainSale(), locale)
        .split('\n')
        .find((l) => l.startsWith(label));
      expect(
        line
          ?.replace(/[\u00a0\u202f]/g, ' ')
          .trim()
          .endsWith(total),
        `${locale}: ${line}`,
      ).toBe(true);
    }
  });

  it('formats dates in the requested time zone, never the machine’s', () => {
    const doc = (timeZone: string) =>
      toText(buildReceipt(plainSale(), defaultTemplate, { locale: 'en-GB', timeZone }));
    expect(doc('UTC')).toContain('27/11/2026, 14:03');
    expect(doc('Asia/Tokyo')).toContain('27/11/2026, 23:03');
  });

  it('fits 58 mm paper: no line longer than 32 columns', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('en-US', 'nl-NL', 'de-DE', 'fr-FR'),
        fc.constantFrom(plainSale, splitSale, returnSale),
        (locale, sale) => {
          for (const line of build(sale(), locale, 32).split('\n')) {
            // A link stays whole in text so that it can be clicked.
            if (!line.includes('https://')) expect(line.length, line).toBeLessThanOrEqual(32);
          }
        },
      ),
    );
  });

  it('lets labels be overridden and templates be replaced', () => {
    const text = toText(
      buildReceipt(plainSale(), defaultTemplate, { locale: 'en', labels: { total: 'AMOUNT DUE' } }),
    );
    expect(text).toMatch(/^AMOUNT DUE +€22\.92$/m);
    const mine: ReceiptTemplate = (sale, ctx) => [
      { type: 'text', text: `${sale.store.name}: ${ctx.money(sale.cart.totals.total)}` },
    ];
    expect(toText(buildReceipt(plainSale(), mine, { locale: 'nl-NL' }))).toBe('De Kaasboer: €\u00a022,92\n');
  });

  it('rejects a template that returns malformed blocks', () => {
    const broken: ReceiptTemplate = () => [{ type: 'barcode', symbology: 'ean13', value: 'abc' }];
    expect(thrown(() => buildReceipt(plainSale(), broken, { locale: 'en' })).code).toBe(
      'receipt.invalid_barcode',
    );
  });
});

describe('tenders from kassa/payments', () => {
  it('prints the payments module’s Tender objects as they are: approved only, cash as handed over', () => {
    const base = {
      provider: 'x',
      status: 'approved',
      refunded: '0.00',
      refunds: [],
      inquiries: 0,
      cancelRequested: false,
      createdAt: 0,
      void: 'none',
    } as const;
    const tenders: Tender[] = [
      {
        ...base,
        attemptId: 'a1',
        method: 'card',
        status: 'declined',
        requested: '22.90',
        amount: '0.00',
        declineCode: '05',
      },
      {
        ...base,
        attemptId: 'a2',
        method: 'card',
        requested: '10.00',
        amount: '10.00',
        card: { brand: 'Mastercard', last4: '0005', entryMode: 'chip' },
        authCode: '123456',
      },
      {
        ...base,
        attemptId: 'a3',
        method: 'cash',
        requested: '12.92',
        amount: '12.90',
        tendered: '20.00',
        change: '7.10',
      },
      { ...base, attemptId: 'a4', method: 'cash', requested: '1.00', amount: '1.00', void: 'voided' },
    ];
    const text = toText(buildReceipt({ ...plainSale(), tenders }, defaultTemplate, { locale: 'en-US' }));
    expect(text).toMatch(/^Card +10\.00$/m);
    expect(text).toContain('Mastercard **** 0005  Chip');
    expect(text).toMatch(/^Cash +20\.00$/m);
    expect(text).toMatch(/^Change +7\.10$/m);
    expect(text.match(/^Card /gm)).toHaveLength(1);
    expect(text.match(/^Cash /gm)).toHaveLength(1);
  });
});

describe('buildReceipt and the caller’s objects', () => {
  it('freezes the document it returns but not the objects the sale holds', () => {
    const logo = { type: 'image' as const, width: 2, height: 1, pixels: new Uint8Array([0, 255]) };
    const sale = { ...plainSale(), store: { ...plainSale().store, logo } };
    const doc = buildReceipt(sale, defaultTemplate, { locale: 'en' });
    expect(Object.isFrozen(doc)).toBe(true);
    expect(Object.isFrozen(doc.blocks[0])).toBe(true);
    expect(doc.blocks[0]).toEqual(logo);
    expect(Object.isFrozen(logo)).toBe(false);
    expect(Object.isFrozen(sale)).toBe(false);
  });
});

describe('cash rounding on the receipt', () => {
  it('shows the cart’s cash rounding when everything is paid in cash', () => {
    const text = build(plainSale());
    expect(text).toMatch(/^Rounding +-0\.02$/m);
    expect(text).toMatch(/^Total cash +€22\.90$/m);
  });

  it('shows what the cash part of a split payment rounded, as the tenders carry it', () => {
    const sale = splitSale();
    sale.tenders = [
      { method: 'card', amount: '10.00', brand: 'VISA', last4: '4242' },
      { method: 'cash', amount: '12.90', tendered: '15.00', change: '2.10', rounding: '-0.02' },
    ];
    const text = build(sale);
    expect(text).toMatch(/^Rounding +-0\.02$/m);
    expect(text).toMatch(/^Total cash +€22\.90$/m);
    expect(text).toMatch(/^Cash +15\.00$/m);
  });

  it('leaves rounding out of a split payment that does not say what it rounded', () => {
    const sale = splitSale();
    sale.tenders = [
      { method: 'card', amount: '10.00' },
      { method: 'cash', amount: '15.00', change: '2.10' },
    ];
    expect(build(sale)).not.toMatch(/^Rounding/m);
  });
});
