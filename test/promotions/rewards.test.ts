import { describe, expect, it } from 'vitest';
import { drinks, perLine, run, total } from './helpers.js';

describe('worked examples per reward kind', () => {
  it('percent off matching lines by category', () => {
    const r = run(
      [drinks('a', '2.00', 3), { id: 'b', sku: 'BREAD', price: '3.00', categories: ['bakery'] }],
      [{ id: 'p', reward: { type: 'percent-off', percent: '10', target: { categories: ['drinks'] } } }],
    );
    expect(perLine(r)).toEqual({ a: '0.60' });
    expect(r.applied[0]).toMatchObject({ id: 'p', amount: '0.60', lineIds: ['a'], label: '10% off' });
    expect(r.applied[0]?.allocation).toEqual({ a: '0.60' });
  });

  it('percent off by sku and by attribute', () => {
    const lines = [
      { id: 'a', sku: 'X', price: '10.00', attributes: { brand: 'acme' } },
      { id: 'b', sku: 'Y', price: '10.00', attributes: { brand: 'other' } },
      { id: 'c', sku: 'Z', price: '10.00', attributes: { brand: 'acme' } },
    ];
    expect(
      perLine(
        run(lines, [{ id: 'p', reward: { type: 'percent-off', percent: '20', target: { skus: ['Y'] } } }]),
      ),
    ).toEqual({ b: '2.00' });
    expect(
      perLine(
        run(lines, [
          {
            id: 'p',
            reward: { type: 'percent-off', percent: '20', target: { attributes: { brand: 'acme' } } },
          },
        ]),
      ),
    ).toEqual({ a: '2.00', c: '2.00' });
  });

  it('amount off each unit and amount off in total', () => {
    const lines = [drinks('a', '2.00', 3), drinks('b', '0.50', 2)];
    expect(
      perLine(
        run(lines, [
          { id: 'p', reward: { type: 'amount-off', amount: '1.00', target: { categories: ['drinks'] } } },
        ]),
      ),
    ).toEqual({ a: '3.00', b: '1.00' }); // 0.50 items cannot go below zero
    const t = run(lines, [
      {
        id: 'p',
        reward: { type: 'amount-off', amount: '1.40', per: 'total', target: { categories: ['drinks'] } },
      },
    ]);
    expect(total(t)).toBe('1.40');
    // spread by value: 6.00 and 1.00 of 7.00
    expect(perLine(t)).toEqual({ a: '1.20', b: '0.20' });
  });

  it('fixed price never raises a price', () => {
    const r = run(
      [drinks('a', '2.00', 2), drinks('b', '1.00', 1)],
      [{ id: 'p', reward: { type: 'fixed-price', price: '1.50', target: { categories: ['drinks'] } } }],
    );
    expect(perLine(r)).toEqual({ a: '1.00' });
  });

  it('buy 2 get the 3rd free repeats per multiple, cheapest free', () => {
    const promo = {
      id: 'b2g1',
      reward: {
        type: 'buy-x-get-y',
        buy: { quantity: 2, target: { categories: ['drinks'] } },
        get: { quantity: 1, target: { categories: ['drinks'] } },
      },
    };
    // 7 units: 2 full rounds; the two cheapest units are free.
    const r = run([drinks('a', '3.00', 4), drinks('b', '1.00', 3)], [promo]);
    expect(perLine(r)).toEqual({ b: '2.00' });
    expect(r.applied[0]?.applications).toBe(2);
    expect(r.applied[0]?.label).toBe('Buy 2 get 1 free');
  });

  it('buy X get Y respects maxApplications and most-expensive reward', () => {
    const promo = {
      id: 'b1g1',
      reward: {
        type: 'buy-x-get-y',
        buy: { quantity: 1, target: { categories: ['drinks'] } },
        get: { quantity: 1, target: { categories: ['drinks'] }, percent: '50' },
        maxApplications: 1,
        rewardItem: 'most-expensive',
      },
    };
    const r = run([drinks('a', '4.00', 1), drinks('b', '2.00', 3)], [promo]);
    expect(perLine(r)).toEqual({ a: '2.00' });
    expect(r.applied[0]?.applications).toBe(1);
  });

  it('buy X get Y with different products (buy shampoo, get conditioner at 1.00)', () => {
    const promo = {
      id: 'p',
      reward: {
        type: 'buy-x-get-y',
        buy: { quantity: 1, target: { skus: ['SHAMPOO'] } },
        get: { quantity: 1, target: { skus: ['COND'] }, price: '1.00' },
      },
    };
    const lines = [
      { id: 's', sku: 'SHAMPOO', price: '5.00', qty: 2 },
      { id: 'c', sku: 'COND', price: '4.00', qty: 3 },
    ];
    expect(perLine(run(lines, [promo]))).toEqual({ c: '6.00' });
  });

  it('mix and match: any 3 drinks for 5.00, most expensive units first', () => {
    const promo = {
      id: 'mm',
      label: 'Mix & match drinks',
      reward: { type: 'bundle', items: [{ target: { categories: ['drinks'] }, quantity: 3 }], price: '5.00' },
    };
    // units 2.50, 2.50, 2.00, 2.00, 1.00 -> one bundle of 2.50+2.50+2.00 = 7.00 -> saves 2.00.
    // second bundle would need 3 more units: only 2 left.
    const r = run([drinks('a', '2.50', 2), drinks('b', '2.00', 2), drinks('c', '1.00', 1)], [promo]);
    expect(total(r)).toBe('2.00');
    expect(r.applied[0]?.label).toBe('Mix & match drinks');
    expect(r.applied[0]?.applications).toBe(1);
    // 2.00 saved, split by value: a 5.00/7.00, b 2.00/7.00
    expect(perLine(r)).toEqual({ a: '1.43', b: '0.57' });
  });

  it('a bundle never costs more than its units', () => {
    const promo = {
      id: 'mm',
      reward: { type: 'bundle', items: [{ target: { categories: ['drinks'] }, quantity: 3 }], price: '5.00' },
    };
    const r = run([drinks('a', '1.00', 6)], [promo]);
    expect(r.applied).toEqual([]);
    expect(r.notApplied).toContainEqual({ promotionId: 'mm', reason: 'no_matching_items' });
  });

  it('bundle of different items: sandwich and drink for 6.00', () => {
    const promo = {
      id: 'meal',
      reward: {
        type: 'bundle',
        items: [
          { target: { categories: ['sandwich'] }, quantity: 1 },
          { target: { categories: ['drinks'] }, quantity: 1 },
        ],
        price: '6.00',
      },
    };
    const r = run(
      [{ id: 's', sku: 'S', price: '5.00', qty: 2, categories: ['sandwich'] }, drinks('d', '2.00', 1)],
      [promo],
    );
    expect(total(r)).toBe('1.00');
    expect(r.applied[0]?.applications).toBe(1);
  });

  it('tiered quantity breaks', () => {
    const promo = {
      id: 'tiers',
      reward: {
        type: 'quantity-tiers',
        target: { categories: ['drinks'] },
        tiers: [
          { minQuantity: 3, percent: '10' },
          { minQuantity: 6, price: '1.50' },
        ],
      },
    };
    expect(total(run([drinks('a', '2.00', 2)], [promo]))).toBe('0.00');
    expect(total(run([drinks('a', '2.00', 4)], [promo]))).toBe('0.80');
    expect(total(run([drinks('a', '2.00', 4), drinks('b', '2.00', 2)], [promo]))).toBe('3.00');
  });

  it('spend threshold: spend 50 get 5 off; spend tiers', () => {
    const promo = { id: 'spend', conditions: { minAmount: '50' }, reward: { type: 'cart', amount: '5.00' } };
    const big = [
      { id: 'a', sku: 'A', price: '30.00' },
      { id: 'b', sku: 'B', price: '20.00' },
    ];
    const r = run(big, [promo]);
    expect(total(r)).toBe('5.00');
    expect(perLine(r)).toEqual({ a: '3.00', b: '2.00' });
    expect(total(run([{ id: 'a', sku: 'A', price: '49.99' }], [promo]))).toBe('0.00');
    const tiers = {
      id: 'tiers',
      reward: {
        type: 'spend-tiers',
        tiers: [
          { minAmount: '100', percent: '10' },
          { minAmount: '50', amount: '5' },
        ],
      },
    };
    expect(total(run(big, [tiers]))).toBe('5.00');
    const r2 = run([{ id: 'a', sku: 'A', price: '120.00' }], [tiers]);
    expect(total(r2)).toBe('12.00');
    expect(r2.applied[0]?.label).toBe('Spend 100: 10% off');
  });

  it('cart-level percent', () => {
    const r = run(
      [
        { id: 'a', sku: 'A', price: '3.33' },
        { id: 'b', sku: 'B', price: '3.33' },
      ],
      [{ id: 'p', reward: { type: 'cart', percent: '10' } }],
    );
    // 0.333 + 0.333 = 0.666 -> 0.67 in one rounding, spread by largest remainder
    expect(total(r)).toBe('0.67');
  });

  it('free item: the cheapest unit of the sku is free', () => {
    const promo = { id: 'gift', conditions: { minAmount: '20' }, reward: { type: 'free-item', sku: 'TOTE' } };
    const r = run(
      [
        { id: 'a', sku: 'A', price: '25.00' },
        { id: 't', sku: 'TOTE', price: '1.50', qty: 2 },
      ],
      [promo],
    );
    expect(perLine(r)).toEqual({ t: '1.50' });
  });

  it('a 100 % discount makes the line free, not negative', () => {
    const r = run([drinks('a', '2.00', 2)], [{ id: 'p', reward: { type: 'percent-off', percent: '100' } }]);
    expect(perLine(r)).toEqual({ a: '4.00' });
  });

  it('measured lines take percent discounts but not unit-count rewards', () => {
    const apples = {
      id: 'k',
      sku: 'APPLE',
      price: '2.49',
      qty: '1.235',
      unit: 'kg',
      categories: ['produce'],
    };
    expect(
      perLine(
        run(
          [apples],
          [{ id: 'p', reward: { type: 'percent-off', percent: '10', target: { categories: ['produce'] } } }],
        ),
      ),
    ).toEqual({ k: '0.31' });
    expect(
      total(
        run(
          [apples],
          [{ id: 'b', reward: { type: 'buy-x-get-y', buy: { quantity: 1 }, get: { quantity: 1 } } }],
        ),
      ),
    ).toBe('0.00');
  });
});
