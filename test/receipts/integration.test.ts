import { describe, expect, it } from 'vitest';
import { sampleProducts, sampleRules } from '../../examples/catalog.js';
import { createCart, createMemoryCatalog } from '../../src/index.js';
import {
  buildReceipt,
  createFormatters,
  decodeEscPos,
  defaultTemplate,
  epsonTmT88,
  toEscPos,
  toText,
} from '../../src/receipts/index.js';

// The real pricing engine's output, not a fixture: what the till will actually print.
function sale() {
  const cart = createCart({
    currency: 'EUR',
    pricesIncludeTax: true,
    rules: sampleRules,
    catalog: createMemoryCatalog(sampleProducts),
  });
  cart.add({ sku: '8712345000011' });
  cart.add({ sku: '8712345000028', quantity: 2 });
  cart.add({ sku: 'apples-kg', quantity: '0.375' });
  cart.add({ sku: '8712345000066', quantity: 2 });
  return cart.snapshot();
}

describe('a receipt of a cart priced by kassa', () => {
  const priced = sale();
  const doc = buildReceipt(
    {
      cart: priced,
      tenders: [{ method: 'cash', amount: priced.totals.cashTotal }],
      store: { name: 'Test shop' },
      receiptNumber: 'T-1',
      time: '2026-11-27T14:03:00Z',
    },
    defaultTemplate,
    { locale: 'nl-NL' },
  );
  const text = toText(doc);
  const f = createFormatters('nl-NL', 'EUR', 'UTC');

  it('shows every line with its amount and tax letters, and the total', () => {
    for (const line of priced.lines) {
      expect(text).toContain(line.name ?? line.sku);
      const codes = line.taxes.map((t) => t.code).join('');
      expect(text).toMatch(new RegExp(` ${f.amount(line.subtotal).replace('.', '\\.')} ${codes}\\n`));
    }
    expect(text).toContain(f.money(priced.totals.total));
  });

  it('lists each tax of the breakdown with its base and amount', () => {
    expect(priced.taxBreakdown.length).toBeGreaterThan(1);
    for (const t of priced.taxBreakdown) {
      const line = text.split('\n').find((l) => l.startsWith(`${t.code} `));
      expect(line, t.code).toBeDefined();
      expect(line).toContain(f.amount(t.base));
      expect(line).toContain(f.amount(t.amount));
    }
  });

  it('prints the same text on paper as in the text rendering', () => {
    const decoded = decodeEscPos(toEscPos(doc, epsonTmT88), { profile: epsonTmT88 });
    const paper = toText(decoded).replace(/\u00a0/g, ' ');
    const expected = toText(doc, { columns: 42 }).replace(/\u00a0/g, ' ');
    expect(paper.trim()).toBe(expected.trim());
  });
});
