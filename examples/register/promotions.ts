/**
 * Promotions, a price list and a loyalty customer for the demo basket of `examples/catalog.ts`.
 * The lead's demo merges `rules` into the store's rules and attaches `customer` to the cart:
 *
 * ```ts
 * const { rules, customer } = demoPromotions();
 * const cart = createCart({ currency: 'EUR', pricesIncludeTax: true, rules: { ...sampleRules, ...rules }, catalog,
 *   features: { promotions: promotionsFeature, priceLists: priceListsFeature, loyalty: loyaltyFeature } });
 * cart.setCustomer(customer);
 * ```
 */
import type { LoyaltyProgram } from '../../src/cart/loyalty/schema.js';
import type { PriceList } from '../../src/cart/price-lists/schema.js';
import type { Promotion } from '../../src/cart/promotions/schema.js';
import { type CartCustomerRef, type Customer, toCartCustomer } from '../../src/customers/index.js';

/** What {@link demoPromotions} returns. */
export interface DemoPromotions {
  rules: { promotions: Promotion[]; priceLists: PriceList[]; loyalty: LoyaltyProgram };
  /** Ready for `cart.setCustomer(customer)`: id, groups (with the loyalty tier), no personal data. */
  customer: CartCustomerRef;
  /** The full record, as a customer store holds it. */
  customerRecord: Customer;
  /** The customer's lifetime points, which put them in the silver tier. */
  lifetimePoints: string;
}

/** Promotions on the demo categories ('drinks', 'bakery', 'produce', 'dairy') and a loyalty member. */
export function demoPromotions(): DemoPromotions {
  const promotions: Promotion[] = [
    {
      id: 'drinks-3-for-5',
      label: 'Mix & match drinks',
      reward: {
        type: 'bundle',
        items: [{ target: { categories: ['drinks'], excludeCategories: ['alcohol'] }, quantity: 3 }],
        price: '5.00',
      },
    },
    {
      id: 'croissants-4-for-3',
      label: 'Croissants 4 for 3',
      reward: {
        type: 'buy-x-get-y',
        buy: { quantity: 3, target: { skus: ['croissant'] } },
        get: { quantity: 1, target: { skus: ['croissant'] } },
      },
    },
    {
      id: 'club-produce',
      label: 'Club: fruit -10%',
      conditions: { customerGroups: ['club'] },
      reward: { type: 'percent-off', percent: '10', target: { categories: ['produce'] } },
    },
    {
      id: 'spend-40',
      label: 'Spend 40, save 2',
      conditions: { minAmount: '40' },
      reward: { type: 'cart', amount: '2.00' },
    },
  ];
  const priceLists: PriceList[] = [
    {
      id: 'club-prices',
      label: 'Club price',
      customerGroups: ['club'],
      prices: [{ sku: 'coffee-beans-500', unitPrice: '7.99' }],
    },
  ];
  const loyalty: LoyaltyProgram = {
    id: 'kassa-club',
    label: 'Club points',
    pointsPerUnit: '1',
    categoryMultipliers: { produce: '2' },
    excluded: { categories: ['gift-cards', 'tobacco'] },
    tiers: [
      { id: 'silver', label: 'Silver', minPoints: '1000', multiplier: '1.25' },
      { id: 'gold', label: 'Gold', minPoints: '5000', multiplier: '1.5' },
    ],
    redemption: { pointValue: '0.01', minPoints: '100', pointStep: '100', maxPercent: '50' },
  };
  const customerRecord: Customer = {
    id: 'cust-0042',
    name: 'Demo Customer',
    email: 'demo.customer@example.com',
    groups: ['club'],
  };
  const lifetimePoints = '1250';
  return {
    rules: { promotions, priceLists, loyalty },
    customer: toCartCustomer(customerRecord, { program: loyalty, lifetimePoints }),
    customerRecord,
    lifetimePoints,
  };
}
