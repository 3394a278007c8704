import { describe, expect, it } from 'vitest';
import { parsePromotion, validatePromotions } from '../../src/cart/promotions/schema.js';
import { isKassaError } from '../../src/errors.js';
import { drinks, run, total } from './helpers.js';

const good = { id: 'good', reward: { type: 'percent-off', percent: '10' } };

describe('malformed promotion definitions', () => {
  const cases: [string, unknown, (string | number)[]][] = [
    [
      'percent above 100',
      { id: 'x', reward: { type: 'percent-off', percent: '150' } },
      ['reward', 'percent'],
    ],
    ['float amount', { id: 'x', reward: { type: 'amount-off', amount: 1.5 } }, ['reward', 'amount']],
    ['unknown reward type', { id: 'x', reward: { type: 'magic' } }, ['reward', 'type']],
    ['typo in a field', { id: 'x', reward: { type: 'percent-off', percnt: '10' } }, ['reward', 'percnt']],
    [
      'zero quantity',
      { id: 'x', reward: { type: 'buy-x-get-y', buy: { quantity: 0 }, get: { quantity: 1 } } },
      ['reward', 'buy', 'quantity'],
    ],
    ['empty id', { id: '', reward: { type: 'cart', percent: '10' } }, ['id']],
    [
      'cart with both percent and amount',
      { id: 'x', reward: { type: 'cart', percent: '10', amount: '1' } },
      ['reward'],
    ],
    [
      'bad coupon code',
      { id: 'x', conditions: { coupon: { code: 'no spaces' } }, reward: { type: 'cart', percent: '10' } },
      ['conditions', 'coupon', 'code'],
    ],
    [
      'window ends before it starts',
      {
        id: 'x',
        conditions: { validFrom: '2026-12-02T00:00:00Z', validUntil: '2026-12-01T00:00:00Z' },
        reward: { type: 'cart', percent: '10' },
      },
      ['conditions', 'validUntil'],
    ],
    [
      'bad time zone',
      {
        id: 'x',
        conditions: { schedule: { timeZone: 'Mars/Olympus' } },
        reward: { type: 'cart', percent: '10' },
      },
      ['conditions', 'schedule', 'timeZone'],
    ],
    ['not an object', 'ten percent', []],
  ];

  for (const [name, promo, path] of cases) {
    it(`${name}: rejected with promotion.invalid and the field path`, () => {
      try {
        parsePromotion(promo);
        expect.unreachable();
      } catch (e) {
        if (!isKassaError(e)) throw e;
        // A typo is the one bad input with a code of its own across kassa (issue #19).
        expect(e.code).toBe(name === 'typo in a field' ? 'validation.unknown_field' : 'promotion.invalid');
        if (path.length > 0) expect(e.details.path?.slice(0, path.length)).toEqual(path);
      }
    });
  }

  it('validatePromotions reports each bad promotion with its index and keeps the good ones', () => {
    const { promotions, errors } = validatePromotions([good, cases[0]![1], good, 7]);
    expect(promotions.map((p) => p.id)).toEqual(['good']);
    expect(errors.map((e) => [e.index, e.id, e.error.code, e.error.details.path])).toEqual([
      [1, 'x', 'promotion.invalid', [1, 'reward', 'percent']],
      [2, 'good', 'promotion.duplicate_id', [2, 'id']],
      [3, undefined, 'promotion.invalid', [3]],
    ]);
  });

  it('a bad promotion never breaks the others silently: it is reported as a warning', () => {
    const r = run([drinks('a', '10.00')], [cases[0]![1], good, cases[3]![1]]);
    expect(total(r)).toBe('1.00');
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([
      ['promotion.invalid', ['promotions', 0, 'reward', 'percent']],
      ['validation.unknown_field', ['promotions', 2, 'reward', 'percnt']],
    ]);
  });
});
