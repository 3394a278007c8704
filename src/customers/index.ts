/**
 * `kassa/customers`: customer records (with tax exemption certificates), a customer store
 * port, loyalty balances (earn and redeem idempotent by sale id), tiers, and redemption as a
 * cart discount or as a payment tender. Personal data (name, email, phone) never reaches a cart, an error or a log.
 * @packageDocumentation
 */
export type { LoyaltyProgram, LoyaltyRedemption, LoyaltyTier } from '../cart/loyalty/schema.js';
export { defineLoyaltyProgram, loyaltyProgramSchema, parseLoyaltyProgram } from '../cart/loyalty/schema.js';

import { loyaltyStage } from '../cart/loyalty/stage.js';

/** The loyalty stage of the pricing pipeline: pass it as `features.loyalty` so carts show the points they earn. */
export const loyaltyFeature: typeof loyaltyStage = loyaltyStage;
export {
  attachCustomer,
  type CartCustomerRef,
  type Customer,
  type CustomerAttachable,
  customerSchema,
  detachCustomer,
  isTaxExempt,
  parseCustomer,
  redactCustomer,
  type TaxExemption,
  type ToCartCustomerOptions,
  toCartCustomer,
} from './customer.js';
export type { CustomerErrorCode } from './error-codes.js';
export { maxRedeemablePoints, type RedemptionOptions, redemptionDiscount, tierFor } from './loyalty.js';
export {
  createMemoryLoyaltyLedger,
  type LoyaltyBalance,
  type LoyaltyEntry,
  type LoyaltyLedger,
  type LoyaltyMovement,
} from './loyalty-ledger.js';
export { createLoyaltyTender, type LoyaltyTenderOptions } from './loyalty-tender.js';
export { type CustomerStore, createMemoryCustomerStore, requireCustomer } from './store.js';
