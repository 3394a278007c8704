import { describe, expect, it } from 'vitest';
import { sampleProducts, sampleRules } from '../../examples/catalog.js';
import { demoPromotions } from '../../examples/register/promotions.js';
import { createCart, createMemoryCatalog } from '../../src/cart/index.js';
import { priceListsFeature, promotionsFeature } from '../../src/cart/promotions/index.js';
import { loyaltyFeature } from '../../src/customers/index.js';

describe('examples/register/promotions.ts on the demo basket', () => {
  it('shows a mix-and-match, a buy-X-get-Y, a club price and the points a club member earns', () => {
    const { rules, customer } = demoPromotions();
    const cart = createCart({
      currency: 'EUR',
      pricesIncludeTax: true,
      rules: { ...sampleRules, ...rules },
      catalog: createMemoryCatalog(sampleProducts),
      features: { promotions: promotionsFeature, priceLists: priceListsFeature, loyalty: loyaltyFeature },
    });
    cart.setCustomer(customer);
    cart.add({ sku: 'coffee-beans-500' });
    cart.add({ sku: 'oat-milk-1l', quantity: 2 });
    cart.add({ sku: 'croissant', quantity: 4 });
    cart.add({ sku: 'apples-kg', quantity: '0.375' });
    cart.add({ sku: 'red-wine' });
    cart.add({ sku: 'cola-1-5l', quantity: 2 });
    const s = cart.snapshot();
    expect(s.warnings).toEqual([]);
    // In the order the engine applied them: item promotions by saving, then the club price.
    expect(s.appliedPromotions.map((p) => p.id)).toEqual([
      'drinks-3-for-5',
      'croissants-4-for-3',
      'club-produce',
    ]);
    // Three of the four soft drinks (the wine is alcohol) for 5.00: 2.29 + 2.29 + 2.19 = 6.77.
    expect(s.appliedPromotions.find((p) => p.id === 'drinks-3-for-5')?.amount).toBe('1.77');
    expect(s.lines.find((l) => l.sku === 'coffee-beans-500')?.unitPrice).toBe('7.99');
    expect(s.loyalty).toMatchObject({ programId: 'kassa-club', tier: 'silver' });
    expect(Number(s.loyalty?.points)).toBeGreaterThan(0);
    expect(customer).toEqual({ id: 'cust-0042', groups: ['club', 'silver'], taxExempt: false });
  });
});
