import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EngineLine,
  type EvalContext,
  evaluate,
  PassState,
} from '../../src/cart/promotions/evaluate.js';
import type { Promotion } from '../../src/cart/promotions/schema.js';
import { Decimal } from '../../src/money/decimal.js';

// Issue 18: a bundle's rounds used to rescan each pool from its start and copy the used units,
// quadratic in the lines. The bounded version keeps a cursor per pool; this is the previous
// method, kept as the oracle: same picks, same exact discounts, same units, same count. The
// engine makes identical rounds at once (d × times), the oracle one by one, so the exact
// discounts may differ in the 40th digit of decimal.js's precision: they are compared at 30.
const ZERO = new Decimal(0);
function reference(
  lines: EngineLine[],
  items: { cats: string[]; quantity: number }[],
  price: string,
  max?: number,
) {
  const pools = items.map((it) =>
    lines
      .filter((l) => l.each && l.categories.some((c) => it.cats.includes(c)))
      .sort((a, b) => b.unitAmount.comparedTo(a.unitAmount) || (a.id < b.id ? -1 : 1)),
  );
  if (pools.some((p) => p.length === 0)) return 'no_matching_items';
  const used = new Map<string, Decimal>();
  const exact = new Map<string, Decimal>();
  const add = (m: Map<string, Decimal>, id: string, v: Decimal) => m.set(id, (m.get(id) ?? ZERO).plus(v));
  let made = 0;
  const cap = max ?? Number.POSITIVE_INFINITY;
  while (made < cap) {
    const trial = new Map(used);
    const picks: Map<string, Decimal>[] = [];
    let ok = true;
    for (const [i, it] of items.entries()) {
      const pick = new Map<string, Decimal>();
      let left = new Decimal(it.quantity);
      for (const l of pools[i]!) {
        if (left.lte(0)) break;
        const free = l.quantity.minus(trial.get(l.id) ?? ZERO);
        if (free.lte(0)) continue;
        const n = Decimal.min(free, left);
        pick.set(l.id, n);
        add(trial, l.id, n);
        left = left.minus(n);
      }
      if (left.gt(0)) ok = false;
      picks.push(pick);
    }
    if (!ok) break;
    let worth = ZERO;
    for (const p of picks)
      for (const [id, n] of p) worth = worth.plus(lines.find((l) => l.id === id)!.unitAmount.mul(n));
    if (worth.lte(price)) break;
    const saving = worth.minus(price);
    for (const p of picks)
      for (const [id, n] of p)
        add(exact, id, saving.mul(lines.find((l) => l.id === id)!.unitAmount.mul(n)).div(worth));
    for (const [id, n] of trial) used.set(id, n);
    made += 1;
  }
  if (made === 0) return 'none';
  return { exact, consume: used, applications: made };
}

const lineArb = fc.record({
  price: fc.integer({ min: 1, max: 2000 }),
  quantity: fc.integer({ min: 1, max: 4 }),
  cats: fc.subarray(['drinks', 'snacks', 'bakery'], { minLength: 1 }),
});

describe('bundle rounds bounded by the units they take', () => {
  it('make the same bundles as the full rescan of every pool', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 30 }),
        fc.array(
          fc.record({
            cats: fc.subarray(['drinks', 'snacks', 'bakery'], { minLength: 1 }),
            quantity: fc.integer({ min: 1, max: 3 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.integer({ min: 0, max: 3000 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        (specs, items, priceCents, max) => {
          const lines: EngineLine[] = specs.map((s, i) => {
            const unit = new Decimal(s.price).div(100);
            const quantity = new Decimal(s.quantity);
            return {
              id: `l${String(i).padStart(2, '0')}`,
              sku: `S${i}`,
              categories: s.cats,
              attributes: {},
              each: true,
              quantity,
              amount: unit.mul(quantity),
              unitAmount: unit,
            };
          });
          const price = new Decimal(priceCents).div(100).toFixed(2);
          const promotion = {
            id: 'b',
            reward: {
              type: 'bundle',
              items: items.map((it) => ({ target: { categories: it.cats }, quantity: it.quantity })),
              price,
              ...(max === undefined ? {} : { maxApplications: max }),
            },
          } as unknown as Promotion;
          const ctx: EvalContext = {
            lines,
            linesFor: (t) =>
              lines.filter((l) => l.categories.some((c) => t?.categories?.includes(c) ?? true)),
            basis: () => ZERO,
            tierCap: () => undefined,
          };
          const got = evaluate(promotion, new PassState(), ctx);
          const want = reference(lines, items, price, max);
          if (typeof want === 'string') {
            expect(typeof got).toBe('string');
            return;
          }
          expect(typeof got).toBe('object');
          const outcome = got as Exclude<typeof got, string>;
          expect(outcome.applications).toBe(want.applications);
          const plain = (m: Map<string, Decimal>) =>
            Object.fromEntries(
              [...m].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toSignificantDigits(30).toFixed()]),
            );
          expect(plain(outcome.exact)).toEqual(plain(want.exact));
          expect(plain(outcome.consume)).toEqual(plain(want.consume));
        },
      ),
      { numRuns: 400 },
    );
  });
});
