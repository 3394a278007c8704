import { describe, expect, it } from 'vitest';
import { loyaltyStage } from '../../src/cart/loyalty/stage.js';
import type { PricedCart, PricedLine } from '../../src/cart/types.js';
import {
  type LoyaltyProgram,
  maxRedeemablePoints,
  redemptionDiscount,
  tierFor,
  toCartCustomer,
} from '../../src/customers/index.js';
import { isKassaError } from '../../src/errors.js';

const program: LoyaltyProgram = {
  id: 'club',
  label: 'Club points',
  pointsPerUnit: '1',
  categoryMultipliers: { produce: '2', dairy: '1.5' },
  excluded: { categories: ['gift-card', 'tobacco'] },
  tiers: [
    { id: 'silver', minPoints: '500', multiplier: '1.25' },
    { id: 'gold', minPoints: '2000', multiplier: '1.5' },
  ],
  redemption: { pointValue: '0.01', minPoints: '100', pointStep: '50', maxPercent: '50' },
};

function line(id: string, total: string, categories: string[], net = total): PricedLine {
  return {
    id,
    sku: id.toUpperCase(),
    categories,
    unit: 'each',
    unitPrice: total,
    listUnitPrice: total,
    quantity: '1',
    priceIncludesTax: true,
    subtotal: total,
    discount: '0.00',
    net,
    tax: '0.00',
    total,
    taxes: [],
    adjustments: [],
  };
}

function cart(lines: PricedLine[], groups: string[] = []): Omit<PricedCart, 'loyalty'> {
  return {
    currency: 'EUR',
    pricesIncludeTax: true,
    lines,
    totals: {
      subtotal: '0',
      discount: '0',
      net: '0',
      tax: '0',
      total: '0',
      cashRounding: '0',
      cashTotal: '0',
      itemCount: '0',
    },
    taxBreakdown: [],
    appliedPromotions: [],
    discounts: [],
    customer: { id: 'c1', groups, taxExempt: false },
    coupons: [],
    warnings: [],
  };
}

describe('loyalty stage', () => {
  const lines = [
    line('bread', '3.49', ['bakery']),
    line('apples', '4.00', ['produce']),
    line('milk', '2.00', ['dairy']),
    line('giftcard', '25.00', ['gift-card']),
    line('cigs', '9.00', ['tobacco']),
  ];

  it('earns per currency unit with category multipliers and exclusions, rounded down', () => {
    // 3.49 + 8.00 + 3.00 = 14.49 -> 14
    expect(loyaltyStage({ cart: cart(lines), program }).loyalty).toEqual({ programId: 'club', points: '14' });
  });

  it('the tier multiplies (tier named in the customer groups)', () => {
    expect(loyaltyStage({ cart: cart(lines, ['gold']), program }).loyalty).toEqual({
      programId: 'club',
      points: '21', // 14.49 * 1.5 = 21.735
      tier: 'gold',
    });
  });

  it('a return earns negative points at the price paid', () => {
    const r = loyaltyStage({
      cart: cart([{ ...line('apples', '-3.60', ['produce']), quantity: '-1' }]),
      program,
    });
    expect(r.loyalty?.points).toBe('-7');
  });

  it('net basis', () => {
    const r = loyaltyStage({
      cart: cart([line('bread', '10.70', ['bakery'], '10.00')]),
      program: { ...program, basis: 'net' },
    });
    expect(r.loyalty?.points).toBe('10');
  });

  it('a malformed program is a warning, not a crash', () => {
    const r = loyaltyStage({ cart: cart(lines), program: { id: 'x', pointsPerUnit: 1 } });
    expect(r.loyalty).toBeUndefined();
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([
      ['loyalty.invalid_program', ['loyalty', 'pointsPerUnit']],
    ]);
  });
});

describe('tiers and redemption', () => {
  it('tierFor and toCartCustomer put the tier in the groups', () => {
    expect(tierFor(program, 499)).toBeUndefined();
    expect(tierFor(program, '500')?.id).toBe('silver');
    expect(tierFor(program, 2500)?.id).toBe('gold');
    expect(
      toCartCustomer({ id: 'c1', name: 'N', groups: ['staff'] }, { program, lifetimePoints: 700 }).groups,
    ).toEqual(['staff', 'silver']);
  });

  it('maxRedeemablePoints respects balance, cap, step and minimum', () => {
    expect(maxRedeemablePoints(program, 740, '20.00').toFixed()).toBe('700'); // 50 % of 20.00 = 10.00 = 1000 points; balance 740 -> 700
    expect(maxRedeemablePoints(program, 5000, '20.00').toFixed()).toBe('1000');
    expect(maxRedeemablePoints(program, 90, '20.00').toFixed()).toBe('0');
  });

  it('redemption as a discount produces a cart DiscountInput', () => {
    expect(redemptionDiscount(program, { points: 500, balance: '740', cartTotal: '20.00' })).toEqual({
      id: 'loyalty',
      kind: 'amount',
      value: '5.00',
      amountIncludesTax: true,
      reason: 'Club points: 500 points',
    });
  });

  it('refuses bad redemptions with stable codes', () => {
    const codeOf = (points: number, balance = '5000') => {
      try {
        redemptionDiscount(program, { points, balance, cartTotal: '20.00' });
      } catch (e) {
        return isKassaError(e) ? e.code : 'not a KassaError';
      }
      return 'accepted';
    };
    expect(codeOf(1000)).toBe('accepted');
    expect(codeOf(1050)).toBe('loyalty.invalid_redemption'); // over 50 %
    expect(codeOf(75)).toBe('loyalty.invalid_redemption'); // not a multiple of 50
    expect(codeOf(50)).toBe('loyalty.invalid_redemption'); // under the minimum
    expect(codeOf(600, '500')).toBe('loyalty.insufficient_points');
    expect(codeOf(-100)).toBe('loyalty.invalid_redemption');
  });
});
