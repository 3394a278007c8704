/**
 * The store against its model: after any sequence of commands, accepted or rejected, the
 * snapshot is exactly `priceCart(cart.input(), cart.rules())`, a rejected command changes
 * nothing, and `state$` emitted once per accepted command.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CartStore, createCart, createMemoryCatalog, priceCart } from '../../src/cart/index.js';
import { isKassaError } from '../../src/errors.js';
import { RUNS } from './arbitraries.js';

const catalog = createMemoryCatalog([
  { sku: 'cola', unitPrice: '1.49', taxCategory: 'standard', gtins: ['036000291452'] },
  { sku: 'milk', unitPrice: '1.19', taxCategory: 'food', priceIncludesTax: true },
  { sku: 'apples', unitPrice: '2.99', unit: 'kg', taxCategory: 'food' },
  {
    sku: 'beer',
    unitPrice: '1.29',
    taxes: [
      { id: 'deposit', kind: 'fixed', amount: '0.08' },
      { id: 'vat19', rate: '19', compound: true },
    ],
  },
]);

const rules = {
  taxCategories: { standard: [{ id: 'vat19', rate: '19' }], food: [{ id: 'vat7', rate: '7' }] },
  rounding: { cash: { step: '0.05' } },
};

type Command = (cart: CartStore, lineIds: string[]) => void;

const lineRef = fc.integer({ min: 0, max: 6 });
const pick = (ids: string[], i: number) => ids[i % Math.max(1, ids.length)] ?? 'missing';
const quantityArb = fc.oneof(
  fc.integer({ min: -3, max: 6 }),
  fc.constantFrom('0.5', '1.250', 'abc', '1e3', Number.NaN, 1.5),
);
const valueArb = fc.constantFrom('0', '5', '10', '100', '150', '-1', '2.50', '1,5');

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc
    .tuple(fc.constantFrom('cola', '036000291452', 'milk', 'apples', 'beer', 'nothing'), quantityArb)
    .map(([sku, quantity]) => (cart: CartStore) => {
      cart.add({ sku, quantity });
    }),
  fc.tuple(lineRef, quantityArb).map(
    ([i, q]) =>
      (cart: CartStore, ids: string[]) =>
        cart.setQuantity(pick(ids, i), q),
  ),
  lineRef.map((i) => (cart: CartStore, ids: string[]) => cart.remove(pick(ids, i))),
  fc.tuple(lineRef, fc.constantFrom('percent' as const, 'amount' as const), valueArb, fc.boolean()).map(
    ([i, kind, value, onLine]) =>
      (cart: CartStore, ids: string[]) =>
        cart.applyDiscount({ id: `d-${kind}`, kind, value }, onLine ? { lineId: pick(ids, i) } : undefined),
  ),
  fc.tuple(lineRef, fc.boolean()).map(
    ([i, onLine]) =>
      (cart: CartStore, ids: string[]) =>
        cart.removeDiscount('d-percent', onLine ? { lineId: pick(ids, i) } : undefined),
  ),
  fc.tuple(lineRef, fc.constantFrom('0.99', '0', '-1', '0.05')).map(
    ([i, unitPrice]) =>
      (cart: CartStore, ids: string[]) =>
        cart.overridePrice(pick(ids, i), { unitPrice, reason: 'manager' }),
  ),
  lineRef.map((i) => (cart: CartStore, ids: string[]) => cart.clearPriceOverride(pick(ids, i))),
  fc
    .constantFrom(undefined, true, false)
    .map(
      (exempt) => (cart: CartStore) =>
        cart.setCustomer(exempt === undefined ? undefined : { id: 'c', taxExempt: exempt }),
    ),
  fc.constant((cart: CartStore) => cart.clear()),
);

describe('cart store model (fast-check)', () => {
  it('the snapshot is always priceCart(input, rules); rejected commands change nothing', () => {
    fc.assert(
      fc.property(
        fc.array(commandArb, { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        (commands, includeTax) => {
          const cart = createCart({ currency: 'EUR', rules, catalog, pricesIncludeTax: includeTax });
          let emissions = 0;
          const sub = cart.state$.subscribe(() => emissions++);
          let accepted = 0;
          for (const command of commands) {
            const before = cart.snapshot();
            const inputBefore = cart.input();
            try {
              command(
                cart,
                cart.snapshot().lines.map((l) => l.id),
              );
              accepted++;
            } catch (error) {
              if (!isKassaError(error)) throw error;
              expect(error.code).toMatch(/^validation\./);
              expect(Array.isArray(error.details.path)).toBe(true);
              expect(cart.snapshot()).toBe(before);
              expect(cart.input()).toEqual(inputBefore);
            }
            expect(cart.snapshot()).toEqual(priceCart(cart.input(), cart.rules()));
          }
          sub.unsubscribe();
          expect(emissions).toBe(accepted + 1);
        },
      ),
      { numRuns: Math.ceil((RUNS.numRuns * 2) / 3) },
    );
  });
});
