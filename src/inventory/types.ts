import * as z from 'zod/mini';
import { KassaError } from '../errors.js';

/**
 * Why stock moved. `reservation` and `release` change the reserved quantity, every other reason
 * changes the quantity on hand.
 */
export const MOVEMENT_REASONS = [
  'sale',
  'return',
  'online-sale',
  'receipt',
  'count',
  'transfer',
  'write-off',
  'reservation',
  'release',
] as const;
/** Why stock moved. */
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

const decimal = z
  .string()
  .check(z.regex(/^-?(0|[1-9]\d{0,17})(\.\d{1,6})?$/, 'expected a decimal string like "2" or "-0.5"'));
const id = z.string().check(z.minLength(1), z.maxLength(200));
const instant = z
  .string()
  .check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'expected a UTC instant'));

/** Input schema of one movement given to `record`. */
export const movementInputSchema = z.strictObject({
  /** Globally unique: recording the same id twice is a no-op. */
  id,
  sku: id,
  location: id,
  /** Signed: negative takes stock out. Ignored (computed) for a count: give `counted` instead. */
  quantity: z.optional(decimal),
  /** For `count`: the level counted. The movement records the difference to the ledger's level. */
  counted: z.optional(decimal),
  reason: z.enum(MOVEMENT_REASONS),
  channel: z.optional(id),
  ref: z.optional(id),
  at: z.optional(instant),
});
/** A movement as given to `record`. */
export type MovementInput = z.infer<typeof movementInputSchema>;

/** A stock movement as stored: never updated, never deleted. */
export interface StockMovement {
  readonly id: string;
  readonly sku: string;
  readonly location: string;
  /** Signed decimal string. */
  readonly quantity: string;
  readonly reason: MovementReason;
  readonly channel: string;
  readonly ref?: string;
  /** For a count: what was counted. */
  readonly counted?: string;
  readonly at: string;
}

/** The level of one SKU at one location, derived from the ledger. */
export interface StockLevel {
  readonly sku: string;
  readonly location: string;
  /** Sum of every movement except reservations and releases. */
  readonly onHand: string;
  /** Held by open reservations; never below zero. */
  readonly reserved: string;
  /** onHand - reserved. */
  readonly available: string;
}

/** What the storage did with a batch. */
export interface ApplyResult {
  /** The movements newly recorded (counts with their computed quantity). */
  readonly applied: StockMovement[];
  /** Ids already in the ledger: skipped. */
  readonly duplicates: string[];
  /** The levels touched by the batch, after it. */
  readonly levels: StockLevel[];
  /** The same levels before the batch. */
  readonly before: StockLevel[];
}

/** How the storage must treat a batch. */
export interface ApplyOptions {
  /**
   * When true the batch is refused as a whole (nothing recorded) if a movement that takes stock
   * out would leave `available` below zero at its SKU and location.
   */
  readonly deny: boolean;
}

/** A query over the ledger. */
export interface MovementQuery {
  readonly sku?: string;
  readonly location?: string;
  readonly ref?: string;
  /** Inclusive lower bound on `at`. */
  readonly from?: string;
  /** Exclusive upper bound on `at`. */
  readonly to?: string;
}

/**
 * Where the ledger lives: memory, SQLite (`kassa/inventory/node`) or PostgreSQL
 * (`kassa/inventory/node`). `apply` is atomic: a batch is recorded entirely or not at all, and
 * the deny check and the insert happen under one lock per SKU and location, so concurrent
 * sellers on separate connections never oversell.
 */
export interface InventoryStorage {
  apply(movements: readonly StockMovement[], options: ApplyOptions): Promise<ApplyResult>;
  levels(query?: { sku?: string; location?: string }): Promise<StockLevel[]>;
  movements(query?: MovementQuery): Promise<StockMovement[]>;
  close(): Promise<void>;
}

/** Throws the refusal of a batch under `negative: 'deny'`. @internal */
export function insufficient(sku: string, location: string, available: string, wanted: string): KassaError {
  return new KassaError(
    'inventory.insufficient_stock',
    `Not enough stock of ${sku} at ${location}: ${available} available, ${wanted} wanted`,
    { sku, location, available, wanted },
  );
}

/** Is this reason one that changes the reserved quantity? @internal */
export function isReservationReason(reason: string): boolean {
  return reason === 'reservation' || reason === 'release';
}

/** The key of a SKU at a location. @internal */
export function levelKey(sku: string, location: string): string {
  return `${sku}\u0000${location}`;
}
