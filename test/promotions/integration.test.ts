import { describe, expect, it } from 'vitest';
import {
  type CartInput as CoreCartInput,
  type PricingRules as CoreRules,
  type CreateCartOptions,
  createCart as createCoreCart,
  priceCart as priceCoreCart,
} from '../../src/cart/index.js';
import { appliedCoupons, createMemoryCouponLedger } from '../../src/cart/promotions/coupon-ledger.js';
import { priceListsFeature, promotionsFeature, returnLineFor } from '../../src/cart/promotions/index.js';
import type { CartInput, PricingRules } from '../../src/cart/types.js';
import {
  attachCustomer,
  type Customer,
  detachCustomer,
  loyaltyFeature,
  redemptionDiscount,
} from '../../src/customers/index.js';
import { Decimal } from '../../src/money/decimal.js';

// Promotions, price lists and loyalty are pipeline features passed in as values.
const features = { promotions: promotionsFeature, priceLists: priceListsFeature, loyalty: loyaltyFeature };
const priceCart = (input: CoreCartInput, rules: CoreRules = {}) => priceCoreCart(input, rules, features);
const createCart = (options: CreateCartOptions) => createCoreCart({ ...options, features });

const vat = { taxCategories: { std: [{ id: 'vat-21', rate: '21' }], low: [{ id: 'vat-9', rate: '9' }] } };

const line = (
  id: string,
  sku: string,
  unitPrice: string,
  quantity: number,
  categories: string[],
  taxCategory = 'low',
) => ({
  id,
  sku,
  unitPrice,
  quantity,
  categories,
  taxCategory,
});

function sum(values: string[]): string {
  return values.reduce((a, v) => a.plus(v), new Decimal(0)).toFixed(2);
}

describe('promotions through priceCart', () => {
  const mixMatch = {
    id: 'mm-drinks',
    label: 'Mix & match drinks',
    reward: { type: 'bundle', items: [{ target: { categories: ['drinks'] }, quantity: 3 }], price: '5.00' },
  };

  it('applies a promotion before tax, with its label, allocation and per-line adjustments', () => {
    const cart: CartInput = {
      currency: 'EUR',
      pricesIncludeTax: true,
      lines: [
        line('a', 'COLA', '2.00', 2, ['drinks']),
        line('b', 'JUICE', '2.50', 1, ['drinks']),
        line('c', 'BREAD', '3.00', 1, ['bakery']),
      ],
    };
    const priced = priceCart(cart, { ...vat, promotions: [mixMatch] });
    expect(priced.appliedPromotions).toEqual([
      expect.objectContaining({
        id: 'mm-drinks',
        amount: '1.50',
        label: 'Mix & match drinks',
        lineIds: ['a', 'b'],
      }),
    ]);
    expect(priced.totals.discount).toBe('1.50');
    expect(priced.totals.total).toBe('8.00');
    const a = priced.lines.find((l) => l.id === 'a')!;
    expect(a.adjustments).toEqual([
      expect.objectContaining({ source: 'promotion', id: 'mm-drinks', label: 'Mix & match drinks' }),
    ]);
    expect(sum(priced.lines.map((l) => l.total))).toBe(priced.totals.total);
    // lines carry the allocation
    const alloc = priced.appliedPromotions[0]!.allocation!;
    expect(sum(Object.values(alloc))).toBe('1.50');
  });

  it('threshold invalidation after a manual cart discount', () => {
    const spend = {
      id: 'spend50',
      conditions: { minAmount: '50' },
      reward: { type: 'cart', amount: '5.00' },
    };
    const cart: CartInput = {
      currency: 'EUR',
      pricesIncludeTax: true,
      lines: [line('a', 'WINE', '52.00', 1, ['drinks'])],
    };
    const rules: PricingRules = { ...vat, promotions: [spend] };
    expect(priceCart(cart, rules).totals.total).toBe('47.00');
    const discounted = priceCart({ ...cart, discounts: [{ id: 'd', kind: 'amount', value: '5.00' }] }, rules);
    // The cashier's 5.00 takes the cart to 47.00, under the threshold: the promotion is gone.
    expect(discounted.appliedPromotions).toEqual([]);
    expect(discounted.totals.total).toBe('47.00');
  });

  it('a return refunds the discounted price, not the list price', () => {
    const b2g1 = { id: 'b2g1', reward: { type: 'buy-x-get-y', buy: { quantity: 2 }, get: { quantity: 1 } } };
    const rules: PricingRules = { ...vat, promotions: [b2g1] };
    const sale = priceCart(
      { currency: 'EUR', pricesIncludeTax: true, lines: [line('l1', 'COLA', '1.50', 3, ['drinks'])] },
      rules,
    );
    expect(sale.totals.total).toBe('3.00');
    const returnAll = priceCart(
      {
        currency: 'EUR',
        pricesIncludeTax: true,
        lines: [returnLineFor(sale, 'l1', 3, { saleId: 'S-1', taxCategory: 'low' })],
      },
      rules,
    );
    expect(returnAll.totals.total).toBe('-3.00');
    expect(returnAll.totals.tax).toBe(new Decimal(sale.totals.tax).neg().toFixed(2));
    const returnOne = priceCart(
      {
        currency: 'EUR',
        pricesIncludeTax: true,
        lines: [returnLineFor(sale, 'l1', 1, { saleId: 'S-1', taxCategory: 'low' })],
      },
      rules,
    );
    expect(returnOne.totals.total).toBe('-1.00');
    expect(returnOne.appliedPromotions).toEqual([]);
  });

  it('a return through the cart store refunds the discounted amount', () => {
    const mm = {
      id: 'mm',
      reward: { type: 'bundle', items: [{ target: { categories: ['drinks'] }, quantity: 3 }], price: '5.00' },
    };
    const rules: PricingRules = { ...vat, promotions: [mm] };
    const sale = createCart({ currency: 'EUR', pricesIncludeTax: true, rules });
    const cola = sale.add({
      sku: 'COLA',
      unitPrice: '2.00',
      quantity: 3,
      categories: ['drinks'],
      taxCategory: 'low',
    });
    const sold = sale.snapshot();
    expect(sold.totals.total).toBe('5.00');
    // The customer brings one cola back the next day: the promotion is gone, the refund is not 2.00.
    const back = createCart({ currency: 'EUR', pricesIncludeTax: true, rules });
    const ret = returnLineFor(sold, cola, 1, { saleId: 'S-9', taxCategory: 'low' });
    const id = back.add({
      sku: ret.sku,
      quantity: ret.quantity,
      unitPrice: ret.unitPrice,
      categories: ret.categories ?? [],
      taxCategory: 'low',
      returnOf: ret.returnOf!,
    });
    back.overridePrice(id, ret.priceOverride!);
    expect(back.snapshot().totals.total).toBe('-1.67');
    expect(back.snapshot().lines[0]?.returnOf).toEqual({ saleId: 'S-9', lineId: cola });
  });

  it('returns one by one add up exactly to what was paid', () => {
    const mm = {
      id: 'mm',
      reward: { type: 'bundle', items: [{ target: { categories: ['drinks'] }, quantity: 3 }], price: '5.00' },
    };
    const rules: PricingRules = { ...vat, promotions: [mm] };
    const sale = priceCart(
      { currency: 'EUR', pricesIncludeTax: true, lines: [line('l1', 'COLA', '2.00', 3, ['drinks'])] },
      rules,
    );
    const refunds = [0, 1, 2].map(
      (returned) =>
        priceCart(
          {
            currency: 'EUR',
            pricesIncludeTax: true,
            lines: [returnLineFor(sale, 'l1', 1, { saleId: 'S-1', taxCategory: 'low', returned })],
          },
          rules,
        ).totals.total,
    );
    expect(refunds).toEqual(['-1.67', '-1.66', '-1.67']);
    expect(sum(refunds)).toBe('-5.00');
  });

  it('a return of an item with a deposit refunds the discounted price and the deposit once', () => {
    const taxes = [
      { id: 'vat-9', rate: '9' },
      { id: 'deposit', kind: 'fixed' as const, amount: '0.25', priceIncluded: false },
    ];
    const b2g1 = { id: 'b2g1', reward: { type: 'buy-x-get-y', buy: { quantity: 2 }, get: { quantity: 1 } } };
    const rules: PricingRules = { promotions: [b2g1] };
    const sale = priceCart(
      {
        currency: 'EUR',
        pricesIncludeTax: true,
        lines: [{ id: 'c', sku: 'COLA', unitPrice: '1.50', quantity: 3, taxes }],
      },
      rules,
    );
    expect(sale.totals.total).toBe('3.75');
    const refund = priceCart(
      {
        currency: 'EUR',
        pricesIncludeTax: true,
        lines: [returnLineFor(sale, 'c', 3, { saleId: 'S-2', taxes })],
      },
      rules,
    );
    expect(refund.totals.total).toBe('-3.75');
  });

  it('a bad promotion is reported in warnings and the others still price', () => {
    const priced = priceCart(
      { currency: 'EUR', lines: [line('a', 'COLA', '2.00', 3, ['drinks'])] },
      { ...vat, promotions: [{ id: 'bad', reward: { type: 'percent-off', percent: '120' } }, mixMatch] },
    );
    expect(priced.appliedPromotions.map((p) => p.id)).toEqual(['mm-drinks']);
    expect(priced.warnings).toContainEqual(
      expect.objectContaining({ code: 'promotion.invalid', path: ['promotions', 0, 'reward', 'percent'] }),
    );
  });

  it('coupons: reasons reach the priced cart; usage comes from a CouponLedger snapshot', async () => {
    const once = {
      id: 'welcome',
      conditions: { coupon: { code: 'WELCOME', maxUses: 1 } },
      reward: { type: 'cart', percent: '10' },
    };
    const ledger = createMemoryCouponLedger();
    const cart: CartInput = {
      currency: 'EUR',
      coupons: ['welcome', 'NOPE'],
      lines: [line('a', 'COLA', '2.00', 5, ['drinks'])],
    };
    const first = priceCart(cart, {
      ...vat,
      promotions: [once],
      couponUsage: await ledger.usage(['WELCOME']),
    });
    expect(first.coupons.map((c) => [c.code, c.status])).toEqual([
      ['WELCOME', 'applied'],
      ['NOPE', 'rejected'],
    ]);
    for (const code of appliedCoupons(first)) await ledger.redeem(code, 'sale-1');
    await ledger.redeem('WELCOME', 'sale-1'); // a retried completion
    expect(await ledger.usage(['WELCOME'])).toEqual({ WELCOME: 1 });
    const second = priceCart(cart, {
      ...vat,
      promotions: [once],
      couponUsage: await ledger.usage(['WELCOME']),
    });
    expect(second.coupons[0]).toMatchObject({
      code: 'WELCOME',
      status: 'rejected',
      reason: 'This coupon has already been used',
    });
  });
});

describe('customers through createCart', () => {
  const wholesale = {
    id: 'wholesale',
    label: 'Wholesale price',
    customerGroups: ['wholesale'],
    prices: [{ sku: 'COLA', unitPrice: '1.00' }],
  };
  const staffPromo = {
    id: 'staff',
    label: 'Staff 20%',
    conditions: { customerGroups: ['staff'] },
    reward: { type: 'cart', percent: '20' },
  };
  const loyalty = {
    id: 'club',
    pointsPerUnit: '1',
    tiers: [{ id: 'gold', minPoints: '1000', multiplier: '2' }],
    redemption: { pointValue: '0.01' },
  };
  const rules: PricingRules = { ...vat, priceLists: [wholesale], promotions: [staffPromo], loyalty };

  const bob: Customer = { id: 'c-bob', name: 'Bob Builder', email: 'bob@example.org', groups: ['wholesale'] };
  const sam: Customer = {
    id: 'c-sam',
    name: 'Sam Staff',
    groups: ['staff'],
    taxExemption: { certificate: 'EX-1' },
  };

  function newCart() {
    const cart = createCart({ currency: 'EUR', rules });
    cart.add({ sku: 'COLA', unitPrice: '1.50', quantity: 10, categories: ['drinks'], taxCategory: 'std' });
    return cart;
  }

  it('attaching a wholesale customer switches to the wholesale price list; detaching switches back', () => {
    const cart = newCart();
    expect(cart.snapshot().totals.net).toBe('15.00');
    attachCustomer(cart, bob);
    expect(cart.snapshot().lines[0]?.unitPrice).toBe('1.00');
    expect(cart.snapshot().totals.net).toBe('10.00');
    detachCustomer(cart);
    expect(cart.snapshot().totals.net).toBe('15.00');
  });

  it('attaching a staff customer with an exemption applies the staff promotion and removes tax', () => {
    const cart = newCart();
    expect(cart.snapshot().totals.tax).toBe('3.15');
    attachCustomer(cart, sam);
    const s = cart.snapshot();
    expect(s.appliedPromotions.map((p) => p.id)).toEqual(['staff']);
    expect(s.totals.tax).toBe('0.00');
    expect(s.totals.total).toBe('12.00');
    expect(s.customer).toEqual({ id: 'c-sam', groups: ['staff'], taxExempt: true });
    expect(JSON.stringify(s)).not.toContain('Sam Staff');
  });

  it('the priced cart shows the points the sale earns, with the tier', () => {
    const cart = newCart();
    attachCustomer(cart, bob, { program: loyalty, lifetimePoints: 1500 });
    // 10 x 1.00 net + 21 % = 12.10 -> 12 points x 2 (gold) = 24
    expect(cart.snapshot().loyalty).toEqual({ programId: 'club', points: '24', tier: 'gold' });
  });

  it('redemption as a discount lowers the total and the points earned', () => {
    const cart = newCart();
    attachCustomer(cart, bob);
    cart.applyDiscount(
      redemptionDiscount(loyalty, { points: 200, balance: 500, cartTotal: cart.snapshot().totals.total }),
    );
    expect(cart.snapshot().totals.total).toBe('10.10');
    expect(cart.snapshot().loyalty?.points).toBe('10');
  });
});
