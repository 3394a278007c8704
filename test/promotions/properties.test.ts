import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatePromotions } from '../../src/cart/promotions/schema.js';
import { Decimal } from '../../src/money/decimal.js';
import { perLine, run, type SimpleLine, toLine } from './helpers.js';

const CATEGORIES = ['drinks', 'bakery', 'produce'];
const SKUS = ['S1', 'S2', 'S3', 'S4', 'S5'];

const price = fc.integer({ min: 1, max: 5000 }).map((c) => new Decimal(c).div(100).toFixed(2));
const percent = fc.integer({ min: 1, max: 100 }).map(String);
const target = fc.oneof(
  fc.record({ categories: fc.subarray(CATEGORIES, { minLength: 1 }) }),
  fc.record({ skus: fc.subarray(SKUS, { minLength: 1 }) }),
);

const reward = fc.oneof(
  fc.record({ type: fc.constant('percent-off'), percent, target }),
  fc.record({
    type: fc.constant('amount-off'),
    amount: price,
    per: fc.constantFrom('unit', 'total'),
    target,
  }),
  fc.record({ type: fc.constant('fixed-price'), price, target }),
  fc.record({
    type: fc.constant('buy-x-get-y'),
    buy: fc.record({ quantity: fc.integer({ min: 1, max: 3 }), target }),
    get: fc.record({ quantity: fc.integer({ min: 1, max: 2 }), target, percent }),
    maxApplications: fc.integer({ min: 1, max: 4 }),
    rewardItem: fc.constantFrom('cheapest', 'most-expensive'),
  }),
  fc.record({
    type: fc.constant('bundle'),
    items: fc.array(fc.record({ target, quantity: fc.integer({ min: 1, max: 3 }) }), {
      minLength: 1,
      maxLength: 2,
    }),
    price,
  }),
  fc.record({
    type: fc.constant('quantity-tiers'),
    target,
    tiers: fc.array(fc.record({ minQuantity: fc.integer({ min: 1, max: 6 }), percent }), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
  fc.record({ type: fc.constant('cart'), percent, target }),
  fc.record({
    type: fc.constant('free-item'),
    sku: fc.constantFrom(...SKUS),
    quantity: fc.integer({ min: 1, max: 2 }),
  }),
);

const promotions = fc
  .array(
    fc.record({
      reward,
      priority: fc.integer({ min: 0, max: 2 }),
      group: fc.constantFrom('item', 'item', 'extra'),
      exclusive: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    }),
    { maxLength: 6 },
  )
  .map((ps) => ps.map((p, i) => ({ id: `p${i}`, ...p })));

const lines = fc
  .array(
    fc.record({
      sku: fc.constantFrom(...SKUS),
      price,
      qty: fc.integer({ min: 1, max: 6 }),
      categories: fc.subarray(CATEGORIES, { minLength: 1, maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((ls) => ls.map((l, i): SimpleLine => ({ id: `l${i}`, ...l })));

const threshold = fc.record({
  id: fc.constant('spend'),
  conditions: fc.record({ minAmount: price }),
  reward: fc.record({ type: fc.constant('cart'), amount: price }),
});

describe('promotion properties', () => {
  it('no line is discounted below zero and allocations add up', () => {
    fc.assert(
      fc.property(lines, promotions, fc.option(threshold, { nil: undefined }), (ls, ps, t) => {
        const r = run(ls, t === undefined ? ps : [...ps, t]);
        const byLine = perLine(r);
        for (const l of ls.map(toLine)) {
          const d = new Decimal(byLine[l.id] ?? '0');
          expect(d.gte(0)).toBe(true);
          expect(d.lte(l.amount)).toBe(true);
        }
        for (const a of r.adjustments) expect(a.amount.gt(0)).toBe(true);
        for (const a of r.applied) {
          let sum = new Decimal(0);
          for (const v of Object.values(a.allocation ?? {})) sum = sum.plus(v);
          expect(sum.toFixed(2)).toBe(a.amount);
          expect(new Decimal(a.amount).gt(0)).toBe(true);
        }
        expect(r.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('the result does not depend on the order of the lines', () => {
    fc.assert(
      fc.property(
        lines.chain((ls) =>
          fc.tuple(fc.constant(ls), fc.shuffledSubarray(ls, { minLength: ls.length, maxLength: ls.length })),
        ),
        promotions,
        ([ls, shuffled], ps) => {
          const a = run(ls, ps);
          const b = run(shuffled, ps);
          expect(perLine(b)).toEqual(perLine(a));
          expect(b.applied).toEqual(a.applied);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('adding an item no promotion matches never changes the other lines (without thresholds)', () => {
    fc.assert(
      fc.property(lines, promotions, price, fc.integer({ min: 1, max: 5 }), (ls, ps, p, q) => {
        const before = run(ls, ps);
        const after = run(
          [...ls, { id: 'zz-new', sku: 'UNMATCHED', price: p, qty: q, categories: ['hardware'] }],
          ps,
        );
        expect(perLine(after)).toEqual(perLine(before));
      }),
      { numRuns: 300 },
    );
  });
});

describe('bad promotions never break pricing', () => {
  const junk = fc.oneof(
    fc.anything(),
    fc.record({ id: fc.string(), reward: fc.anything() }),
    fc.record({ id: fc.string({ minLength: 1, maxLength: 10 }), conditions: fc.anything(), reward: reward }),
    reward.map((r) => ({ id: 'x', reward: { ...r, percent: '-5' } })),
  );

  it('any mix of junk and valid promotions prices without throwing; each bad one is a warning', () => {
    fc.assert(
      fc.property(
        lines,
        promotions,
        fc.array(junk, { maxLength: 4 }),
        fc.array(fc.string(), { maxLength: 3 }),
        (ls, good, bad, coupons) => {
          const mixed = [...bad, ...good];
          const r = run(ls, mixed, { coupons });
          const invalid = r.warnings.filter(
            (w) =>
              w.code === 'promotion.invalid' ||
              w.code === 'promotion.duplicate_id' ||
              w.code === 'validation.unknown_field',
          );
          const { errors } = validatePromotions(mixed);
          expect(invalid.length).toBe(errors.length);
          for (const w of invalid) expect(w.path[0]).toBe('promotions');
          expect(r.coupons).toHaveLength(coupons.length);
          // The valid promotions still price as they would alone, unless a junk one happens to be valid.
          if (errors.length === bad.length) expect(perLine(r)).toEqual(perLine(run(ls, good, { coupons })));
        },
      ),
      { numRuns: 200 },
    );
  });
});
