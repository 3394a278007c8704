export { type Catalog, type CatalogProduct, createMemoryCatalog } from './catalog.js';
export { definePricingRules, defineTaxRules } from './define-rules.js';
export type { PricingFeatures } from './features.js';
export type { LoyaltyStageInput, LoyaltyStageResult } from './loyalty/stage.js';
export { priceCart } from './price-cart.js';
export type {
  PriceListLine,
  PriceListResolution,
  PriceListStageInput,
  PriceListStageResult,
} from './price-lists/stage.js';
export type {
  PromotionAdjustment,
  PromotionLine,
  PromotionStageInput,
  PromotionStageResult,
} from './promotions/stage.js';
export {
  cartDiscountInputSchema,
  cartInputSchema,
  discountInputSchema,
  lineInputSchema,
  pricingRulesSchema,
  taxCategoriesSchema,
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
