import { afterEach, describe, expect, it } from 'vitest';
import { sampleProducts, sampleRules } from '../../examples/catalog.js';
import { createCart, createMemoryCatalog } from '../../src/index.js';
import { buildReceipt, createFormatters, defaultTemplate, toText } from '../../src/receipts/index.js';

// Issue 18 §5: buildReceipt built new Intl formatters on every call. Count the constructions
// through the real Intl classes (subclasses that count, nothing faked).
const RealNumberFormat = Intl.NumberFormat;
const RealDateTimeFormat = Intl.DateTimeFormat;
let built = 0;
function countIntl(): void {
  const count = <T extends abstract new (...args: never[]) => unknown>(Real: T): T =>
    new Proxy(Real, {
      construct(target, args, newTarget) {
        built += 1;
        return Reflect.construct(target, args, newTarget);
      },
    });
  Intl.NumberFormat = count(RealNumberFormat);
  Intl.DateTimeFormat = count(RealDateTimeFormat);
}
afterEach(() => {
  Intl.NumberFormat = RealNumberFormat;
  Intl.DateTimeFormat = RealDateTimeFormat;
});

function priced() {
  const cart = createCart({
    currency: 'EUR',
    pricesIncludeTax: true,
    rules: sampleRules,
    catalog: createMemoryCatalog(sampleProducts),
  });
  cart.add({ sku: '8712345000011' });
  cart.add({ sku: 'apples-kg', quantity: '0.375' });
  return cart.snapshot();
}

describe('receipt formatters are built once per locale, currency and time zone', () => {
  const cart = priced();
  const receipt = (locale: string, timeZone?: string) =>
    toText(
      buildReceipt(
        {
          cart,
          tenders: [{ method: 'cash', amount: cart.totals.cashTotal }],
          store: { name: 'Shop' },
          receiptNumber: 'R-1',
          time: '2026-11-27T14:03:00Z',
        },
        defaultTemplate,
        { locale, ...(timeZone === undefined ? {} : { timeZone }) },
      ),
    );

  it('a second receipt in the same locale builds no Intl formatter, and prints the same', () => {
    const first = receipt('de-DE', 'Europe/Berlin');
    countIntl();
    built = 0;
    const second = receipt('de-DE', 'Europe/Berlin');
    expect(built).toBe(0);
    expect(second).toBe(first);
  });

  it('another locale or time zone gets its own formatters', () => {
    const nl = receipt('nl-NL', 'UTC');
    const us = receipt('en-US', 'UTC');
    const ny = receipt('en-US', 'America/New_York');
    expect(nl).toContain('0,375');
    expect(us).toContain('0.375');
    expect(ny).not.toBe(us); // the date line follows the zone
    expect(createFormatters('nl-NL', 'EUR', 'UTC')).toBe(createFormatters('nl-NL', 'EUR', 'UTC'));
    expect(createFormatters('nl-NL', 'EUR', 'UTC')).not.toBe(createFormatters('nl-NL', 'USD', 'UTC'));
    expect(createFormatters('nl-NL', 'USD', 'UTC').money('1.5')).toContain('1,50');
  });
});
