import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../src/cart/index.js';
import { promotionsFeature } from '../../src/cart/promotions/index.js';
import { ROUNDING_MODES } from '../../src/money/rounding.js';

const features = { promotions: promotionsFeature };
const half = { id: 'half', reward: { type: 'percent-off', percent: '50' } };

describe('promotions round in the rules’ mode (issue #11 §1.2)', () => {
  it('83.33 at 50 % off, half-even: 41.66 off, as the same manual discount gives', () => {
    const rules = { rounding: { mode: 'half-even' as const }, promotions: [half] };
    const promoted = priceCart(
      { currency: 'EUR', lines: [{ id: 'a', sku: 'a', unitPrice: '83.33', quantity: 1 }] },
      rules,
      features,
    );
    const manual = priceCart(
      {
        currency: 'EUR',
        lines: [
          {
            id: 'a',
            sku: 'a',
            unitPrice: '83.33',
            quantity: 1,
            discounts: [{ id: 'd', kind: 'percent', value: '50' }],
          },
        ],
      },
      { rounding: { mode: 'half-even' } },
    );
    expect(manual.totals.discount).toBe('41.66');
    expect(promoted.totals.discount).toBe('41.66');
    expect(promoted.appliedPromotions[0]!.amount).toBe('41.66');
  });

  it('a percent promotion on one line takes what a manual percent discount takes, in every mode', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_00 }),
        fc.integer({ min: 1, max: 99 }),
        fc.constantFrom(...ROUNDING_MODES),
        (cents, percent, mode) => {
          const unitPrice = (cents / 100).toFixed(2);
          const rules = { rounding: { mode } };
          const promoted = priceCart(
            { currency: 'EUR', lines: [{ id: 'a', sku: 'a', unitPrice, quantity: 1 }] },
            {
              ...rules,
              promotions: [{ id: 'p', reward: { type: 'percent-off', percent: String(percent) } }],
            },
            features,
          );
          const manual = priceCart(
            {
              currency: 'EUR',
              lines: [
                {
                  id: 'a',
                  sku: 'a',
                  unitPrice,
                  quantity: 1,
                  discounts: [{ id: 'd', kind: 'percent', value: String(percent) }],
                },
              ],
            },
            rules,
          );
          expect(promoted.totals.discount).toBe(manual.totals.discount);
        },
      ),
      { numRuns: 200 },
    );
  });
});
