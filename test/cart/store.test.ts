import { describe, expect, it } from 'vitest';
import { type CatalogProduct, createCart, createMemoryCatalog } from '../../src/cart/index.js';
import type { LineInput, PricedCart, PricingRules } from '../../src/cart/types.js';

const RULES: PricingRules = {
  taxCategories: {
    standard: [{ id: 'vat19', rate: '19' }],
    food: [{ id: 'vat7', rate: '7' }],
  },
};

const PRODUCTS: CatalogProduct[] = [
  { sku: 'milk-1l', name: 'Milk 1 l', unitPrice: '1.19', taxCategory: 'food', gtins: ['4006381333931'] },
  { sku: 'cola', name: 'Cola 0.5 l', unitPrice: '1.49', taxCategory: 'standard', gtins: ['036000291452'] },
  { sku: 'apples', name: 'Apples', unitPrice: '2.99', unit: 'kg', taxCategory: 'food' },
  {
    sku: 'cheese',
    name: 'Cheese',
    unitPrice: '18.90',
    unit: 'kg',
    taxCategory: 'food',
    gtins: ['2012345000008'],
  },
];

function newCart(options: Partial<Parameters<typeof createCart>[0]> = {}) {
  return createCart({ currency: 'EUR', rules: RULES, catalog: createMemoryCatalog(PRODUCTS), ...options });
}

describe('cart store commands', () => {
  it('starts empty and prices every change', () => {
    const cart = newCart();
    expect(cart.snapshot().lines).toEqual([]);
    expect(cart.snapshot().totals.total).toBe('0.00');
    const id = cart.add({ sku: 'milk-1l', quantity: 2 });
    expect(id).toBe('line-1');
    expect(cart.snapshot().lines[0]).toMatchObject({
      id,
      sku: 'milk-1l',
      name: 'Milk 1 l',
      quantity: '2',
      subtotal: '2.38',
    });
    expect(cart.snapshot().totals).toMatchObject({ net: '2.38', tax: '0.17', total: '2.55' });
  });

  it('setQuantity, overridePrice, clearPriceOverride and remove', () => {
    const cart = newCart();
    const id = cart.add({ sku: 'cola' });
    cart.setQuantity(id, 3);
    expect(cart.snapshot().lines[0]!.subtotal).toBe('4.47');
    cart.overridePrice(id, { unitPrice: '1.00', reason: 'price match', approvedBy: 'mgr' });
    expect(cart.snapshot().lines[0]!.subtotal).toBe('3.00');
    cart.clearPriceOverride(id);
    expect(cart.snapshot().lines[0]!.subtotal).toBe('4.47');
    expect(cart.snapshot().lines[0]!.priceOverride).toBeUndefined();
    cart.remove(id);
    expect(cart.snapshot().lines).toEqual([]);
  });

  it('line and cart discounts, replaced by id and removed', () => {
    const cart = newCart();
    const id = cart.add({ sku: 'cola', quantity: 2 });
    cart.applyDiscount({ id: 'staff', kind: 'percent', value: '10' }, { lineId: id });
    expect(cart.snapshot().lines[0]!.discount).toBe('0.30');
    cart.applyDiscount({ id: 'staff', kind: 'percent', value: '20' }, { lineId: id });
    expect(cart.snapshot().lines[0]!.adjustments).toHaveLength(1);
    expect(cart.snapshot().lines[0]!.discount).toBe('0.60');
    cart.applyDiscount({ id: 'round', kind: 'amount', value: '0.38' });
    expect(cart.snapshot().totals.discount).toBe('0.98');
    cart.removeDiscount('staff', { lineId: id });
    cart.removeDiscount('round');
    expect(cart.snapshot().totals.discount).toBe('0.00');
  });

  it('coupons are kept once and can be removed', () => {
    const cart = newCart();
    cart.applyCoupon('WELCOME');
    cart.applyCoupon('WELCOME');
    expect(cart.input().coupons).toEqual(['WELCOME']);
    cart.removeCoupon('WELCOME');
    expect(cart.input().coupons).toEqual([]);
  });

  it('setRules re-prices the cart with the new rules', () => {
    const cart = newCart();
    cart.add({ sku: 'milk-1l' });
    cart.setRules({ ...RULES, taxCategories: { ...RULES.taxCategories, food: [{ id: 'vat9', rate: '9' }] } });
    expect(cart.snapshot().lines[0]!.taxes[0]!.id).toBe('vat9');
    expect(cart.rules().taxCategories?.food?.[0]?.rate).toBe('9');
  });

  it('clear empties lines, discounts, coupons and customer', () => {
    const cart = newCart();
    cart.add({ sku: 'cola' });
    cart.applyDiscount({ id: 'd', kind: 'percent', value: '5' });
    cart.applyCoupon('X');
    cart.setCustomer({ id: 'c-1' });
    cart.clear();
    expect(cart.input()).toEqual({ currency: 'EUR', lines: [] });
    expect(cart.snapshot().customer).toBeUndefined();
  });

  it('starts from an initial cart, with its own id maker and price mode', () => {
    let n = 100;
    const cart = newCart({
      pricesIncludeTax: true,
      newLineId: () => `L${++n}`,
      initial: {
        lines: [{ id: 'parked-1', sku: 'cola', unitPrice: '1.49', quantity: 1, taxCategory: 'standard' }],
      },
    });
    expect(cart.snapshot().lines[0]!.id).toBe('parked-1');
    expect(cart.snapshot().totals.total).toBe('1.49');
    expect(cart.add({ sku: 'milk-1l' })).toBe('L101');
  });

  it('input() and rules() are copies: changing them changes nothing', () => {
    const cart = newCart();
    cart.add({ sku: 'cola' });
    const input = cart.input();
    input.lines[0]!.quantity = 99;
    (input.lines as LineInput[]).push({ id: 'x', sku: 'x', unitPrice: '1', quantity: 1 });
    expect(cart.input().lines).toHaveLength(1);
    expect(cart.input().lines[0]!.quantity).toBe(1);
    const rules = cart.rules();
    rules.taxCategories!.standard = [];
    expect(cart.snapshot().lines[0]!.tax).toBe('0.28');
    cart.setQuantity(cart.snapshot().lines[0]!.id, 1);
    expect(cart.snapshot().lines[0]!.tax).toBe('0.28');
  });

  it('the priced cart is deeply frozen', () => {
    const cart = newCart();
    cart.add({ sku: 'cola' });
    const s = cart.snapshot();
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.lines[0]!)).toBe(true);
    expect(Object.isFrozen(s.totals)).toBe(true);
    expect(() => {
      (s.totals as { total: string }).total = '0';
    }).toThrow(TypeError);
  });
});

describe('state$, subscribe and snapshot', () => {
  it('state$ replays the current cart and emits once per accepted command', () => {
    const cart = newCart();
    const seen: PricedCart[] = [];
    const sub = cart.state$.subscribe((s) => seen.push(s));
    expect(seen).toHaveLength(1);
    cart.add({ sku: 'cola' });
    cart.add({ sku: 'milk-1l' });
    cart.setQuantity('line-1', 2);
    expect(seen.map((s) => s.lines.length)).toEqual([0, 1, 2, 2]);
    expect(seen[3]).toBe(cart.snapshot());
    sub.unsubscribe();
    cart.remove('line-1');
    expect(seen).toHaveLength(4);
  });

  it('useSyncExternalStore contract: a stable snapshot, a listener per change, an unsubscribe', () => {
    const cart = newCart();
    // The same reference until something changes (React would loop otherwise).
    expect(cart.snapshot()).toBe(cart.snapshot());
    const calls: PricedCart[] = [];
    const unsubscribe = cart.subscribe((s) => calls.push(s));
    expect(calls).toHaveLength(0); // not called on subscribe
    const before = cart.snapshot();
    cart.add({ sku: 'cola' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBe(cart.snapshot());
    expect(cart.snapshot()).not.toBe(before);
    unsubscribe();
    cart.add({ sku: 'milk-1l' });
    expect(calls).toHaveLength(1);
  });

  it('several subscribers each hear every change', () => {
    const cart = newCart();
    const a: number[] = [];
    const b: number[] = [];
    const ua = cart.subscribe((s) => a.push(s.lines.length));
    const ub = cart.subscribe((s) => b.push(s.lines.length));
    cart.add({ sku: 'cola' });
    ua();
    cart.add({ sku: 'milk-1l' });
    ub();
    expect([a, b]).toEqual([[1], [1, 2]]);
  });
});

describe('rescans merge', () => {
  it('scanning the same item again adds to its line', () => {
    const cart = newCart();
    const first = cart.add({ sku: 'cola' });
    const second = cart.add({ sku: 'cola' });
    const third = cart.add({ sku: 'cola', quantity: '2' });
    expect([second, third]).toEqual([first, first]);
    expect(cart.snapshot().lines.map((l) => [l.id, l.quantity])).toEqual([[first, '4']]);
  });

  it('does not merge measured goods, discounted lines, returns, other prices or explicit ids', () => {
    const cart = newCart();
    cart.add({ sku: 'apples', quantity: '0.5' });
    cart.add({ sku: 'apples', quantity: '0.5' });
    const discounted = cart.add({ sku: 'cola' });
    cart.applyDiscount({ id: 'd', kind: 'percent', value: '10' }, { lineId: discounted });
    cart.add({ sku: 'cola' });
    cart.add({ sku: 'cola', unitPrice: '0.99' });
    cart.add({ sku: 'cola', quantity: -1, returnOf: { saleId: 's1', lineId: 'l1' } });
    cart.add({ sku: 'cola', id: 'manual' });
    expect(cart.snapshot().lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['apples', '0.5'],
      ['apples', '0.5'],
      ['cola', '1'],
      ['cola', '1'],
      ['cola', '1'],
      ['cola', '-1'],
      ['cola', '1'],
    ]);
  });

  it('mergeLines: false keeps every scan on its own line', () => {
    const cart = newCart({ mergeLines: false });
    cart.add({ sku: 'cola' });
    cart.add({ sku: 'cola' });
    expect(cart.snapshot().lines).toHaveLength(2);
  });

  it('a rejected rescan leaves the merged line as it was', () => {
    const cart = newCart();
    cart.add({ sku: 'cola', quantity: 2 });
    const snapshot = cart.snapshot();
    expect(() => cart.add({ sku: 'cola', quantity: 1.5 })).toThrow(
      expect.objectContaining({
        code: 'validation.invalid_quantity',
        details: expect.objectContaining({ path: ['quantity'] }),
      }),
    );
    expect(cart.snapshot()).toBe(snapshot);
    // The message names what was entered, not the merged quantity.
    expect(() => cart.add({ sku: 'cola', quantity: 1.5 })).toThrow(/got 1\.5/);
  });
});

describe('catalog', () => {
  it('finds products by SKU and by GTIN, whatever the leading zeros', () => {
    const catalog = createMemoryCatalog(PRODUCTS);
    expect(catalog.lookup('milk-1l')?.sku).toBe('milk-1l');
    expect(catalog.lookup('4006381333931')?.sku).toBe('milk-1l');
    expect(catalog.lookup('04006381333931')?.sku).toBe('milk-1l');
    // UPC-A 036000291452 is EAN-13 0036000291452 and GTIN-14 00036000291452.
    expect(catalog.lookup('036000291452')?.sku).toBe('cola');
    expect(catalog.lookup('0036000291452')?.sku).toBe('cola');
    expect(catalog.lookup('00036000291452')?.sku).toBe('cola');
    expect(catalog.lookup('4006381333932')).toBeUndefined();
    expect(catalog.lookup('unknown')).toBeUndefined();
  });

  it('a scanned GTIN adds the product with its price, name and tax', () => {
    const cart = newCart();
    cart.add({ sku: '4006381333931' });
    cart.add({ sku: '04006381333931' });
    expect(cart.snapshot().lines.map((l) => [l.sku, l.name, l.quantity, l.taxes[0]?.id])).toEqual([
      ['milk-1l', 'Milk 1 l', '2', 'vat7'],
    ]);
  });

  it('a price from the scan (a price-embedded barcode) still takes the tax from the catalog', () => {
    const cart = newCart();
    cart.add({ sku: 'cheese', unitPrice: '4.73', unit: 'each' });
    expect(cart.snapshot().lines[0]).toMatchObject({
      sku: 'cheese',
      name: 'Cheese',
      unit: 'each',
      subtotal: '4.73',
      tax: '0.33',
    });
  });

  it('the command wins over the catalog for what it gives', () => {
    const cart = newCart();
    cart.add({ sku: 'cola', name: 'Cola (promo can)', taxCategory: 'food' });
    expect(cart.snapshot().lines[0]).toMatchObject({ name: 'Cola (promo can)', tax: '0.10' });
  });

  it('an unknown code is rejected with the sku path', () => {
    const cart = newCart();
    expect(() => cart.add({ sku: '9999999999994' })).toThrow(
      expect.objectContaining({
        code: 'validation.unknown_product',
        details: expect.objectContaining({ path: ['sku'] }),
      }),
    );
    expect(() => createCart({ currency: 'EUR' }).add({ sku: 'cola' })).toThrow(
      expect.objectContaining({ code: 'validation.unknown_product' }),
    );
  });

  it('a bad price or tax is reported against the product when the catalog is made', () => {
    const bad = (product: object, code: string, path: (string | number)[]) =>
      expect(() => createMemoryCatalog([PRODUCTS[0]!, product as CatalogProduct])).toThrow(
        expect.objectContaining({ code, details: expect.objectContaining({ path }) }),
      );
    bad({ sku: 'x', unitPrice: '1,50' }, 'validation.invalid_amount', [1, 'unitPrice']);
    bad({ sku: 'x', unitPrice: '-1' }, 'validation.invalid_amount', [1, 'unitPrice']);
    bad({ sku: 'x', unitPrice: '1', taxes: [{ id: 't' }] }, 'validation.invalid_amount', [
      1,
      'taxes',
      0,
      'rate',
    ]);
    bad({ sku: 'x', unitPrice: '1', unit: 'k g' }, 'validation.invalid_input', [1, 'unit']);
  });

  it('a malformed product list is rejected when the catalog is made', () => {
    expect(() => createMemoryCatalog([{ sku: '', unitPrice: '1' }])).toThrow(
      expect.objectContaining({
        code: 'validation.invalid_input',
        details: expect.objectContaining({ path: [0, 'sku'] }),
      }),
    );
  });
});

describe('customer and tax exemption', () => {
  it('setting an exempt customer removes the tax; removing the customer brings it back', () => {
    const cart = newCart({ pricesIncludeTax: true });
    cart.add({ sku: 'cola', quantity: 2 });
    expect(cart.snapshot().totals).toMatchObject({ total: '2.98', tax: '0.48' });
    cart.setCustomer({ id: 'diplomat', taxExempt: true });
    expect(cart.snapshot().totals).toMatchObject({ total: '2.50', tax: '0.00' });
    expect(cart.snapshot().customer).toEqual({ id: 'diplomat', groups: [], taxExempt: true });
    cart.setCustomer(undefined);
    expect(cart.snapshot().totals).toMatchObject({ total: '2.98', tax: '0.48' });
    expect(cart.input().customer).toBeUndefined();
  });

  it('a rejected customer leaves the current one in place', () => {
    const cart = newCart();
    cart.setCustomer({ id: 'c-1', groups: ['staff'] });
    const snapshot = cart.snapshot();
    expect(() => cart.setCustomer({ id: 'c-2', groups: [''] })).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ path: ['groups', 0] }) }),
    );
    expect(cart.snapshot()).toBe(snapshot);
    expect(cart.input().customer).toEqual({ id: 'c-1', groups: ['staff'] });
  });
});

describe('rejected commands', () => {
  it('leave the line id sequence untouched', () => {
    const cart = newCart();
    expect(() => cart.add({ sku: 'cola', taxCategory: 'nope' })).toThrow(
      expect.objectContaining({
        code: 'validation.unknown_tax_category',
        details: expect.objectContaining({ path: ['taxCategory'] }),
      }),
    );
    expect(() => cart.add({ sku: 'cola', quantity: 0 })).toThrow(
      expect.objectContaining({ code: 'validation.invalid_quantity' }),
    );
    // Rejected while pricing, after the line got its id: a price below its included deposit.
    expect(() =>
      cart.add({
        sku: 'returnable',
        unitPrice: '0.10',
        priceIncludesTax: true,
        taxes: [{ id: 'deposit', kind: 'fixed', amount: '0.25' }],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'validation.invalid_amount',
        details: expect.objectContaining({ path: ['unitPrice'] }),
      }),
    );
    expect(cart.add({ sku: 'cola' })).toBe('line-1');
  });

  it('bad options to createCart are rejected', () => {
    expect(() => createCart({ currency: 'EUR', rules: { rounding: { tax: 'sometimes' } } as never })).toThrow(
      expect.objectContaining({
        code: 'validation.invalid_input',
        details: expect.objectContaining({ path: ['rounding', 'tax'] }),
      }),
    );
    expect(() =>
      createCart({
        currency: 'EUR',
        initial: { lines: [{ id: 'a', sku: 'a', unitPrice: 'x', quantity: 1 }] },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'validation.invalid_amount',
        details: expect.objectContaining({ path: ['lines', 0, 'unitPrice'] }),
      }),
    );
  });
});
