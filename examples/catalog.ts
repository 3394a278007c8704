import type { CatalogProduct, PricingRules } from '../src/index.js';

/**
 * A small Dutch grocery: prices include VAT (21 % standard, 9 % reduced for food and
 * drinks), a 0.25 bottle deposit that is not subject to VAT, and cash rounded to 0.05
 * as Dutch shops do. The GTINs carry valid check digits; apples and Gouda are sold per kg.
 */
export const sampleProducts: CatalogProduct[] = [
  {
    sku: 'coffee-beans-500',
    name: 'Coffee beans 500 g',
    unitPrice: '8.99',
    taxCategory: 'reduced',
    categories: ['pantry'],
    gtins: ['8712345000011'],
  },
  {
    sku: 'oat-milk-1l',
    name: 'Oat milk 1 l',
    unitPrice: '2.29',
    taxCategory: 'reduced',
    categories: ['dairy', 'drinks'],
    gtins: ['8712345000028'],
  },
  {
    sku: 'croissant',
    name: 'Croissant',
    unitPrice: '1.45',
    taxCategory: 'reduced',
    categories: ['bakery'],
    gtins: ['8712345000035'],
  },
  {
    sku: 'apples-kg',
    name: 'Apples Elstar',
    unitPrice: '2.99',
    unit: 'kg',
    taxCategory: 'reduced',
    categories: ['produce'],
    gtins: ['8712345000042'],
  },
  // Weighed at the counter: the scale label is 28 1234 C WWWWW K with the weight in grams.
  {
    sku: 'gouda-kg',
    name: 'Gouda jong belegen',
    unitPrice: '12.90',
    unit: 'kg',
    taxCategory: 'reduced',
    categories: ['dairy'],
    gtins: ['2812340000002'],
  },
  {
    sku: 'red-wine',
    name: 'Rioja red 75 cl',
    unitPrice: '7.49',
    taxCategory: 'standard',
    categories: ['drinks', 'alcohol'],
    gtins: ['8712345000059'],
  },
  {
    sku: 'cola-1-5l',
    name: 'Cola 1.5 l',
    unitPrice: '2.19',
    taxes: [
      { id: 'vat-9', name: 'VAT 9%', rate: '9', code: 'B' },
      { id: 'deposit', name: 'Deposit', kind: 'fixed', amount: '0.25', priceIncluded: false, code: 'D' },
    ],
    categories: ['drinks'],
    gtins: ['8712345000066'],
  },
  {
    sku: 'usb-charger',
    name: 'USB-C charger 20 W',
    unitPrice: '14.95',
    taxCategory: 'standard',
    categories: ['electronics'],
    gtins: ['8712345000073'],
  },
  {
    sku: 'gift-card-25',
    name: 'Gift card 25.00',
    unitPrice: '25.00',
    taxCategory: 'exempt',
    categories: ['gift-cards'],
    gtins: ['8712345000080'],
  },
];

/** The store's pricing rules: tax categories, per-line tax rounding, Dutch cash rounding. */
export const sampleRules: PricingRules = {
  taxCategories: {
    standard: [{ id: 'vat-21', name: 'VAT 21%', rate: '21', code: 'A' }],
    reduced: [{ id: 'vat-9', name: 'VAT 9%', rate: '9', code: 'B' }],
    exempt: [],
  },
  rounding: { tax: 'per-line', mode: 'half-up', cash: { step: '0.05' } },
};
