import { describe, expect, it } from 'vitest';
import { definePricingRules, defineTaxRules, priceCart } from '../../src/cart/index.js';
import {
  defineLoyaltyProgram,
  definePriceLists,
  definePromotions,
  priceListsFeature,
  promotionsFeature,
} from '../../src/cart/promotions/index.js';
import type { CartInput, PricingRules } from '../../src/cart/types.js';
import { loyaltyFeature } from '../../src/customers/index.js';
import { isKassaError } from '../../src/errors.js';

const features = { promotions: promotionsFeature, priceLists: priceListsFeature, loyalty: loyaltyFeature };
const cart: CartInput = {
  currency: 'EUR',
  lines: [{ id: 'a', sku: 'COLA', unitPrice: '20.00', quantity: 1 }],
};

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isKassaError(e) ? e.code : `not a KassaError: ${String(e)}`;
  }
  return undefined;
}

describe('raw rules are read as they are now: no identity cache (issue #11 §1.3)', () => {
  it('a promotion edited in place prices with its new value, and an invalid edit is reported', () => {
    const promotion = { id: 'off', reward: { type: 'amount-off', amount: '5.00', per: 'total' } };
    const rules = { promotions: [promotion] };
    expect(priceCart(cart, rules, features).totals.discount).toBe('5.00');
    promotion.reward.amount = '2.00';
    expect(priceCart(cart, rules, features).totals.discount).toBe('2.00');
    promotion.reward.amount = 'banana';
    const priced = priceCart(cart, rules, features);
    expect(priced.totals.discount).toBe('0.00');
    expect(priced.warnings.map((w) => w.code)).toContain('promotion.invalid');
  });

  it('a price list edited in place prices with its new value', () => {
    const list = { id: 'all', prices: [{ sku: 'COLA', unitPrice: '15.00' }] };
    const rules = { priceLists: [list] };
    expect(priceCart(cart, rules, features).lines[0]!.unitPrice).toBe('15.00');
    list.prices[0]!.unitPrice = '12.00';
    expect(priceCart(cart, rules, features).lines[0]!.unitPrice).toBe('12.00');
    list.prices[0]!.unitPrice = 'banana';
    expect(priceCart(cart, rules, features).warnings.map((w) => w.code)).toContain('price_list.invalid');
  });

  it('a loyalty program edited in place earns by its new value', () => {
    const program = { id: 'club', pointsPerUnit: '1' };
    const rules = { loyalty: program };
    expect(priceCart(cart, rules, features).loyalty?.points).toBe('20');
    program.pointsPerUnit = '2';
    expect(priceCart(cart, rules, features).loyalty?.points).toBe('40');
  });

  it('rules edited in place are validated again', () => {
    const rules: PricingRules = { rounding: { mode: 'half-up' } };
    priceCart(cart, rules);
    (rules.rounding as { mode: string }).mode = 'banana';
    expect(codeOf(() => priceCart(cart, rules))).toMatch(/^validation\./);
  });
});

describe('define*: validate once, frozen after', () => {
  it('definePromotions validates, freezes, and prices like the raw list', () => {
    const raw = [{ id: 'off', reward: { type: 'amount-off', amount: '5.00', per: 'total' } }];
    const promotions = definePromotions(raw);
    expect(Object.isFrozen(promotions)).toBe(true);
    expect(Object.isFrozen(promotions[0]!.reward)).toBe(true);
    expect(() => {
      (promotions[0]!.reward as { amount: string }).amount = '1.00';
    }).toThrow(TypeError);
    expect(priceCart(cart, { promotions }, features).totals.discount).toBe('5.00');
    // The caller's object is not frozen, and editing it does not change the defined value.
    raw[0]!.reward.amount = '1.00';
    expect(priceCart(cart, { promotions }, features).totals.discount).toBe('5.00');
    expect(
      codeOf(() => definePromotions([{ id: 'x', reward: { type: 'amount-off', amount: 'banana' } }])),
    ).toBe('promotion.invalid');
    expect(codeOf(() => definePromotions([raw[0], raw[0]]))).toBe('promotion.duplicate_id');
  });

  it('definePriceLists and defineLoyaltyProgram validate and freeze', () => {
    const lists = definePriceLists([{ id: 'all', prices: [{ sku: 'COLA', unitPrice: '15.00' }] }]);
    expect(Object.isFrozen(lists[0]!.prices[0])).toBe(true);
    expect(priceCart(cart, { priceLists: lists }, features).lines[0]!.unitPrice).toBe('15.00');
    expect(codeOf(() => definePriceLists([{ id: 'x', prices: [{ sku: 'A', unitPrice: 'banana' }] }]))).toBe(
      'price_list.invalid',
    );
    const program = defineLoyaltyProgram({ id: 'club', pointsPerUnit: '2' });
    expect(Object.isFrozen(program)).toBe(true);
    expect(priceCart(cart, { loyalty: program }, features).loyalty?.points).toBe('40');
    expect(codeOf(() => defineLoyaltyProgram({ id: 'club', pointsPerUnit: 'banana' }))).toBe(
      'loyalty.invalid_program',
    );
  });

  it('definePricingRules and defineTaxRules validate and freeze', () => {
    const taxCategories = defineTaxRules({ std: [{ id: 'vat', rate: '21' }] });
    expect(Object.isFrozen(taxCategories.std![0])).toBe(true);
    const rules = definePricingRules({ taxCategories, rounding: { mode: 'half-even' } });
    expect(Object.isFrozen(rules.rounding)).toBe(true);
    const priced = priceCart({ ...cart, lines: [{ ...cart.lines[0]!, taxCategory: 'std' }] }, rules);
    expect(priced.totals.total).toBe('24.20');
    expect(codeOf(() => defineTaxRules({ std: [{ id: 'vat', rate: 'banana' }] }))).toBe(
      'validation.invalid_amount',
    );
    expect(codeOf(() => definePricingRules({ rounding: { mode: 'banana' as 'half-up' } }))).toMatch(
      /^validation\./,
    );
  });
});
