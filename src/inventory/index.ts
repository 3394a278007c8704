/**
 * kassa/inventory: stock as a ledger of movements per SKU and location, with derived levels,
 * reservations, allocation across locations, low-stock alerts and reorder suggestions. Browser
 * safe; the SQLite and PostgreSQL storages live in `kassa/inventory/node`.
 * @packageDocumentation
 */
export type { InventoryErrorCode } from './error-codes.js';
export {
  createInventory,
  type Hold,
  type Inventory,
  type InventoryOptions,
  type NegativePolicy,
  type ReorderPoint,
  type ReorderSuggestion,
  type Reservation,
  type StockAlert,
} from './inventory.js';
export { createMemoryInventoryStorage } from './storage/memory.js';
export {
  type ApplyOptions,
  type ApplyResult,
  type InventoryStorage,
  MOVEMENT_REASONS,
  type MovementInput,
  type MovementQuery,
  type MovementReason,
  movementInputSchema,
  type StockLevel,
  type StockMovement,
} from './types.js';
