/**
 * `kassa/checkout`: the orchestrator that wires a sale's lifecycle (scan, cart, payments,
 * journal, stock, receipt, drawer, shift) in one place. Browser safe.
 * @packageDocumentation
 */
export {
  type Checkout,
  type CheckoutDevices,
  type CheckoutEvent,
  type CheckoutJournal,
  type CheckoutOptions,
  type CheckoutState,
  type ClaimStore,
  type CompletedReturn,
  type CompletedSale,
  createCheckout,
  createMemoryClaims,
  type ReturnLine,
  type ShiftCount,
  type ShiftState,
} from './checkout.js';
export type { CheckoutErrorCode } from './error-codes.js';
export {
  type FiscalProductInfo,
  fiscalRecord,
  saleMovements,
  settledTenders,
  tenderRecord,
} from './fiscal.js';
export { nextSaleState, SALE_TRANSITIONS, type SaleCommand, type SaleState } from './lifecycle.js';
