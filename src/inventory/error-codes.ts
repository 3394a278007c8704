/** Error codes of the inventory module (`kassa/inventory`). */
export type InventoryErrorCode =
  | 'validation.unknown_field'
  | 'inventory.insufficient_stock'
  | 'inventory.unknown_reservation'
  | 'inventory.not_stocked'
  | 'inventory.storage_failed';
