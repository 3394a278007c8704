import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePriceList } from '../../src/cart/price-lists/schema.js';
import { type PriceListLine, priceListStage } from '../../src/cart/price-lists/stage.js';
import { isKassaError } from '../../src/errors.js';
import { Decimal } from '../../src/money/decimal.js';

const line = (
  id: string,
  sku: string,
  price: string,
  qty: string | number = 1,
  categories: string[] = [],
): PriceListLine => ({
  id,
  sku,
  categories,
  unit: 'each',
  unitPrice: new Decimal(price),
  quantity: new Decimal(qty),
});

function resolve(lines: PriceListLine[], priceLists: unknown[], context: Record<string, unknown> = {}) {
  const r = priceListStage({ currency: 'EUR', lines, priceLists, context });
  return {
    prices: Object.fromEntries(r.prices.map((p) => [p.lineId, `${p.unitPrice.toFixed()}@${p.priceListId}`])),
    warnings: r.warnings,
  };
}

const wholesale = {
  id: 'wholesale',
  label: 'Wholesale price',
  customerGroups: ['wholesale'],
  prices: [
    { sku: 'COLA', unitPrice: '1.10' },
    { sku: 'COLA', unitPrice: '0.95', minQuantity: '24' },
    { category: 'bakery', percentOff: '15' },
  ],
};
const staff = { id: 'staff', customerGroups: ['staff'], prices: [{ category: 'drinks', percentOff: '20' }] };
const base = { id: 'base', prices: [{ sku: 'COLA', unitPrice: '1.45' }] };

describe('price lists', () => {
  const cart = [line('a', 'COLA', '1.50', 6, ['drinks']), line('b', 'BREAD', '2.00', 1, ['bakery'])];

  it('base prices apply to everyone', () => {
    expect(resolve(cart, [base, wholesale]).prices).toEqual({ a: '1.45@base' });
  });

  it('customer-group lists: wholesale and staff', () => {
    const w = { customer: { id: 'c1', groups: ['wholesale'] } };
    expect(resolve(cart, [base, wholesale], w).prices).toEqual({ a: '1.1@wholesale', b: '1.7@wholesale' });
    const s = { customer: { id: 'c2', groups: ['staff'] } };
    expect(resolve(cart, [base, staff], s).prices).toEqual({ a: '1.2@staff' });
  });

  it('quantity breaks count the sku over the whole cart, whatever the lines', () => {
    const w = { customer: { id: 'c1', groups: ['wholesale'] } };
    const split = [line('a', 'COLA', '1.50', 12), line('c', 'COLA', '1.50', 12)];
    expect(resolve(split, [wholesale], w).prices).toEqual({ a: '0.95@wholesale', c: '0.95@wholesale' });
    expect(resolve([line('a', 'COLA', '1.50', 23)], [wholesale], w).prices).toEqual({ a: '1.1@wholesale' });
  });

  it('priority wins over price; equal priority: the lower price', () => {
    const promoList = { id: 'promo', priority: 5, prices: [{ sku: 'COLA', unitPrice: '1.49' }] };
    const w = { customer: { id: 'c1', groups: ['wholesale'] } };
    expect(resolve(cart, [wholesale, promoList], w).prices.a).toBe('1.49@promo');
  });

  it('validity windows and currency', () => {
    const xmas = {
      id: 'xmas',
      validFrom: '2026-12-01T00:00:00Z',
      validUntil: '2026-12-27T00:00:00Z',
      prices: [{ sku: 'COLA', unitPrice: '1.00' }],
    };
    expect(resolve(cart, [xmas], { at: '2026-12-10T10:00:00Z' }).prices).toEqual({ a: '1@xmas' });
    expect(resolve(cart, [xmas], { at: '2026-11-10T10:00:00Z' }).prices).toEqual({});
    const noTime = resolve(cart, [xmas]);
    expect(noTime.prices).toEqual({});
    expect(noTime.warnings.map((w) => w.code)).toEqual(['price_list.no_time']);
    expect(resolve(cart, [{ ...base, currency: 'USD' }]).prices).toEqual({});
  });

  it('a malformed list is reported and the others still apply', () => {
    const bad = { id: 'bad', prices: [{ sku: 'COLA', unitPrice: 1.2 }] };
    const r = resolve(cart, [bad, base]);
    expect(r.prices).toEqual({ a: '1.45@base' });
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([
      ['price_list.invalid', ['priceLists', 0, 'prices', 0, 'unitPrice']],
    ]);
  });

  it('parsePriceList throws price_list.invalid with the path', () => {
    try {
      parsePriceList({ id: 'x', prices: [{ sku: 'A', category: 'b', unitPrice: '1' }] });
      expect.unreachable();
    } catch (e) {
      expect(isKassaError(e) && e.code).toBe('price_list.invalid');
      expect(isKassaError(e) && e.details.path).toEqual(['prices', 0]);
    }
  });
});

describe('price list properties', () => {
  it('the resolved prices do not depend on the order of the lines or of the lists', () => {
    const skus = ['COLA', 'BREAD', 'MILK'];
    const arbLines = fc
      .array(fc.record({ sku: fc.constantFrom(...skus), qty: fc.integer({ min: -2, max: 30 }) }), {
        minLength: 1,
        maxLength: 8,
      })
      .map((ls) =>
        ls
          .filter((l) => l.qty !== 0)
          .map((l, i) => line(`l${i}`, l.sku, '2.00', l.qty, l.sku === 'BREAD' ? ['bakery'] : ['drinks'])),
      );
    const lists = [
      base,
      wholesale,
      staff,
      { id: 'promo', priority: 1, prices: [{ sku: 'MILK', unitPrice: '0.99' }] },
    ];
    const ctx = { customer: { id: 'c', groups: ['wholesale', 'staff'] } };
    fc.assert(
      fc.property(arbLines, (ls) => {
        const a = resolve(ls, lists, ctx).prices;
        expect(resolve([...ls].reverse(), [...lists].reverse(), ctx).prices).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });
});
