import { describe, expect, it } from 'vitest';
import { drinks, perLine, run, total } from './helpers.js';

const pct = (id: string, percent: string, extra: Record<string, unknown> = {}) => ({
  id,
  reward: { type: 'percent-off', percent, target: { categories: ['drinks'] } },
  ...extra,
});

describe('stacking matrix', () => {
  const basket = [drinks('a', '10.00', 1)];

  it('same group: promotions compete, the best for the customer wins', () => {
    const r = run(basket, [pct('small', '10'), pct('big', '30')]);
    expect(r.applied.map((a) => a.id)).toEqual(['big']);
    expect(total(r)).toBe('3.00');
    expect(r.notApplied).toContainEqual({ promotionId: 'small', reason: 'not_combinable' });
  });

  it('priority beats best-for-customer: the higher priority takes the units first', () => {
    const r = run(basket, [pct('small', '10', { priority: 5 }), pct('big', '30')]);
    expect(r.applied.map((a) => a.id)).toEqual(['small']);
    expect(total(r)).toBe('1.00');
  });

  it('different groups stack; the later works on what is left', () => {
    const r = run(basket, [pct('member', '10', { group: 'member' }), pct('season', '20')]);
    expect(r.applied.map((a) => a.id)).toEqual(['season', 'member']);
    // 20 % of 10.00 = 2.00, then 10 % of 8.00 = 0.80
    expect(total(r)).toBe('2.80');
  });

  it('item promotions and a cart promotion stack by default', () => {
    const r = run(basket, [pct('season', '20'), { id: 'cart', reward: { type: 'cart', percent: '10' } }]);
    expect(r.applied.map((a) => a.id)).toEqual(['season', 'cart']);
    expect(total(r)).toBe('2.80');
  });

  it('exclusive: the better of "alone" and "the others together" for the customer', () => {
    const others = [pct('season', '20'), pct('member', '10', { group: 'member' })]; // 2.80 together
    const r1 = run(basket, [...others, pct('excl', '25', { exclusive: true })]);
    expect(r1.applied.map((a) => a.id)).toEqual(['season', 'member']);
    expect(r1.notApplied).toContainEqual({ promotionId: 'excl', reason: 'not_combinable' });
    const r2 = run(basket, [...others, pct('excl', '30', { exclusive: true })]);
    expect(r2.applied.map((a) => a.id)).toEqual(['excl']);
    expect(total(r2)).toBe('3.00');
    expect(r2.notApplied).toContainEqual({ promotionId: 'season', reason: 'not_combinable' });
  });

  it('best-for-customer among promotions competing for the same items', () => {
    // Buy 2 get 1 free on 3 drinks (saves 2.00) vs 3 for 7.00 (saves 2.00 + ...) vs 15 %.
    const basket3 = [drinks('a', '3.00', 3)];
    const r = run(basket3, [
      { id: 'b2g1', reward: { type: 'buy-x-get-y', buy: { quantity: 2 }, get: { quantity: 1 } } },
      { id: '3for7', reward: { type: 'bundle', items: [{ target: {}, quantity: 3 }], price: '7.00' } },
      pct('15', '15'),
    ]);
    expect(r.applied.map((a) => a.id)).toEqual(['b2g1']);
    expect(total(r)).toBe('3.00');
  });

  it('competing promotions split the units between them', () => {
    // 4 drinks: a 2-for-3.00 deal on 2 units and 10 % off on the rest.
    const r = run(
      [drinks('a', '2.00', 4)],
      [
        {
          id: 'two',
          reward: {
            type: 'bundle',
            items: [{ target: { categories: ['drinks'] }, quantity: 2 }],
            price: '3.00',
          },
          priority: 1,
        },
        pct('ten', '10'),
      ],
    );
    // bundle repeats: 2 bundles use all 4 units, nothing left for 10 %.
    expect(total(r)).toBe('2.00');
    const r2 = run(
      [drinks('a', '2.00', 5)],
      [
        {
          id: 'two',
          reward: {
            type: 'bundle',
            items: [{ target: { categories: ['drinks'] }, quantity: 2 }],
            price: '3.00',
            maxApplications: 1,
          },
        },
        pct('ten', '10'),
      ],
    );
    // bundle saves 1.00 on 2 units, 10 % on the 3 others saves 0.60
    expect(total(r2)).toBe('1.60');
    expect(perLine(r2)).toEqual({ a: '1.60' });
  });

  it('best for the customer beyond greedy: two smaller promotions beat one bigger on the same units', () => {
    const lines = [
      { id: 'x', sku: 'X', price: '10.00', categories: ['shirts'] },
      { id: 'y', sku: 'Y', price: '10.00', categories: ['trousers'] },
    ];
    const outfit = {
      id: 'outfit',
      reward: {
        type: 'bundle',
        items: [
          { target: { skus: ['X'] }, quantity: 1 },
          { target: { skus: ['Y'] }, quantity: 1 },
        ],
        price: '15.00',
      },
    };
    const shirts = { id: 'shirts', reward: { type: 'percent-off', percent: '30', target: { skus: ['X'] } } };
    const trousers = {
      id: 'trousers',
      reward: { type: 'percent-off', percent: '30', target: { skus: ['Y'] } },
    };
    // Greedy alone would take the outfit (5.00) first; the two 30 % promotions give 6.00.
    const r = run(lines, [outfit, shirts, trousers]);
    expect(r.applied.map((a) => a.id).sort()).toEqual(['shirts', 'trousers']);
    expect(total(r)).toBe('6.00');
    expect(r.notApplied).toContainEqual({ promotionId: 'outfit', reason: 'not_combinable' });
    // With a better outfit price the outfit wins again.
    const cheaper = { ...outfit, reward: { ...outfit.reward, price: '13.00' } };
    expect(run(lines, [cheaper, shirts, trousers]).applied.map((a) => a.id)).toEqual(['outfit']);
  });
});
