export { type Catalog, type CatalogProduct, createMemoryCatalog } from './catalog.js';
export { priceCart } from './price-cart.js';
export {
  cartInputSchema,
  discountInputSchema,
  lineInputSchema,
  pricingRulesSchema,
  taxInputSchema,
} from './schemas.js';
export {
  type AddLineCommand,
  type CartCustomer,
  type CartStore,
  type CreateCartOptions,
  createCart,
} from './store.js';
export type * from './types.js';
