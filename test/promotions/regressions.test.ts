import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/money/decimal.js';
import { drinks, perLine, run, total } from './helpers.js';

const b2g1 = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  reward: {
    type: 'buy-x-get-y',
    buy: { quantity: 2, target: { skus: ['COLA'] } },
    get: { quantity: 1, target: { skus: ['COLA'] } },
    ...extra,
  },
});
const cola = (id: string, qty: number, price = '1.50') => ({
  id,
  sku: 'COLA',
  price,
  qty,
  categories: ['drinks'],
});

describe('regressions: the failure modes of other engines', () => {
  it('buy X get Y repeats per multiple', () => {
    for (const [qty, free] of [
      [2, 0],
      [3, 1],
      [5, 1],
      [6, 2],
      [9, 3],
      [10, 3],
    ] as const) {
      expect(total(run([cola('a', qty)], [b2g1('p')]))).toBe(new Decimal('1.50').mul(free).toFixed(2));
    }
  });

  it('buy X get Y respects its maximum number of applications', () => {
    const r = run([cola('a', 12)], [b2g1('p', { maxApplications: 2 })]);
    expect(total(r)).toBe('3.00');
    expect(r.applied[0]?.applications).toBe(2);
  });

  it('the same result whatever the scan order', () => {
    const lines = [
      cola('a', 2),
      cola('b', 1, '1.20'),
      drinks('c', '2.00', 2),
      { id: 'd', sku: 'BREAD', price: '2.50', categories: ['bakery'] },
    ];
    const promos = [
      b2g1('p'),
      {
        id: 'mm',
        reward: {
          type: 'bundle',
          items: [{ target: { categories: ['drinks'] }, quantity: 2 }],
          price: '3.00',
        },
      },
      { id: 'c', conditions: { minAmount: '5' }, reward: { type: 'cart', percent: '5' } },
    ];
    const forward = run(lines, promos);
    const backward = run([...lines].reverse(), promos);
    const shuffled = run([lines[2]!, lines[0]!, lines[3]!, lines[1]!], promos);
    expect(perLine(backward)).toEqual(perLine(forward));
    expect(perLine(shuffled)).toEqual(perLine(forward));
    expect(backward.applied).toEqual(forward.applied);
  });

  it('several buy-X-get-Y promotions on one product never use the same units twice', () => {
    const b1g1half = {
      id: 'half',
      reward: {
        type: 'buy-x-get-y',
        buy: { quantity: 1, target: { skus: ['COLA'] } },
        get: { quantity: 1, target: { skus: ['COLA'] }, percent: '50' },
      },
    };
    // 7 colas: b2g1 takes 6 units (2 free = 3.00); b1g1half on 6 units would save 2.25.
    // The 7th unit alone cannot trigger either.
    const r = run([cola('a', 7)], [b2g1('p'), b1g1half]);
    expect(r.applied.map((a) => a.id)).toEqual(['p']);
    expect(total(r)).toBe('3.00');
    // 8 colas: b2g1 on 6, then b1g1half on the remaining 2.
    const r8 = run([cola('a', 8)], [b2g1('p'), b1g1half]);
    expect(r8.applied.map((a) => a.id)).toEqual(['p', 'half']);
    expect(total(r8)).toBe('3.75');
  });

  it('stacked promotions that would go negative are clamped at zero', () => {
    const lines = [{ id: 'a', sku: 'A', price: '6.00', categories: ['x'] }];
    const r = run(lines, [
      { id: 'one', group: 'g1', reward: { type: 'amount-off', amount: '5.00' } },
      { id: 'two', group: 'g2', reward: { type: 'amount-off', amount: '5.00' } },
      { id: 'three', reward: { type: 'cart', amount: '10.00' } },
    ]);
    expect(total(r)).toBe('6.00');
    expect(r.applied.map((a) => [a.id, a.amount])).toEqual([
      ['one', '5.00'],
      ['two', '1.00'],
    ]);
    const full = run(lines, [
      { id: 'free', reward: { type: 'percent-off', percent: '100' } },
      { id: 'cart', reward: { type: 'cart', amount: '1.00' } },
    ]);
    expect(total(full)).toBe('6.00');
  });

  it('threshold invalidation: an item discount that takes the cart under the threshold removes it', () => {
    const spend = {
      id: 'spend50',
      conditions: { minAmount: '50' },
      reward: { type: 'cart', amount: '5.00' },
    };
    const lines = [drinks('a', '20.00', 1), { id: 'b', sku: 'B', price: '32.00' }];
    expect(total(run(lines, [spend]))).toBe('5.00');
    const r = run(lines, [
      spend,
      { id: 'd', reward: { type: 'percent-off', percent: '20', target: { categories: ['drinks'] } } },
    ]);
    expect(r.applied.map((a) => a.id)).toEqual(['d']);
    expect(r.notApplied).toContainEqual({ promotionId: 'spend50', reason: 'minimum_not_reached' });
  });

  it('threshold invalidation also when the threshold promotion has the higher priority', () => {
    const spend = {
      id: 'spend50',
      priority: 10,
      conditions: { minAmount: '50' },
      reward: { type: 'cart', amount: '5.00' },
    };
    const item = {
      id: 'd',
      reward: { type: 'percent-off', percent: '20', target: { categories: ['drinks'] } },
    };
    const r = run([drinks('a', '20.00', 1), { id: 'b', sku: 'B', price: '32.00' }], [spend, item]);
    expect(r.applied.map((a) => a.id)).toEqual(['d']);
  });

  it('threshold invalidation by a manual cart discount', () => {
    const spend = {
      id: 'spend50',
      conditions: { minAmount: '50' },
      reward: { type: 'cart', amount: '5.00' },
    };
    const lines = [{ id: 'a', sku: 'A', price: '55.00' }];
    expect(total(run(lines, [spend], { cartDiscounts: [{ kind: 'amount', value: new Decimal('4') }] }))).toBe(
      '5.00',
    );
    expect(total(run(lines, [spend], { cartDiscounts: [{ kind: 'amount', value: new Decimal('6') }] }))).toBe(
      '0.00',
    );
    expect(
      total(run(lines, [spend], { cartDiscounts: [{ kind: 'percent', value: new Decimal('10') }] })),
    ).toBe('0.00');
  });

  it('spend tiers drop to the tier the cart still reaches', () => {
    const tiers = {
      id: 't',
      reward: {
        type: 'spend-tiers',
        tiers: [
          { minAmount: '50', amount: '5' },
          { minAmount: '100', amount: '15' },
        ],
      },
    };
    const r = run([{ id: 'a', sku: 'A', price: '104.00' }], [tiers], {
      cartDiscounts: [{ kind: 'amount', value: new Decimal('10') }],
    });
    expect(total(r)).toBe('5.00');
  });

  it('large quantities: bundles and buy-X-get-Y over 100 000 units', () => {
    const r = run(
      [
        { id: 'a', sku: 'CAN', price: '0.99', qty: 100_000, categories: ['drinks'] },
        { id: 'b', sku: 'CAN2', price: '1.19', qty: 50_001, categories: ['drinks'] },
      ],
      [
        {
          id: 'b3',
          reward: {
            type: 'bundle',
            items: [{ target: { categories: ['drinks'] }, quantity: 3 }],
            price: '2.50',
          },
        },
        { id: 'x', group: 'g2', reward: { type: 'buy-x-get-y', buy: { quantity: 2 }, get: { quantity: 1 } } },
      ],
    );
    // Buy 2 get 1: 50 000 rounds, the cheapest 50 000 units (the 0.99 cans) free.
    expect(r.applied[0]).toMatchObject({ id: 'x', amount: '49500.00', applications: 50_000 });
    // Then 3 for 2.50 on what is left: the 1.19 cans make 16 667 bundles saving 1.07 each; the
    // 0.99 cans, now worth 0.495 each after the free ones, make no saving bundle.
    expect(r.applied[1]).toMatchObject({ id: 'b3', amount: '17833.69', applications: 16_667 });
  });

  it('return lines are ignored by promotions', () => {
    const r = run([cola('a', 3), { ...cola('r', -3) }], [b2g1('p')]);
    expect(perLine(r)).toEqual({ a: '1.50' });
  });
});
