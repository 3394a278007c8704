import type BetterSqlite3 from 'better-sqlite3';
import Decimal from 'decimal.js';
import { isKassaError, KassaError } from '../../errors.js';
import {
  type InventoryStorage,
  levelKey,
  type MovementQuery,
  type StockLevel,
  type StockMovement,
} from '../types.js';
import { batchKeys, planBatch } from './plan.js';

/** The inventory's SQLite schema: the ledger and the sums of the ledger, written in one transaction. */
export const SQLITE_INVENTORY_SCHEMA = `
CREATE TABLE IF NOT EXISTS kassa_stock_movements (
  no INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  sku TEXT NOT NULL,
  location TEXT NOT NULL,
  quantity TEXT NOT NULL,
  reason TEXT NOT NULL,
  channel TEXT NOT NULL,
  ref TEXT,
  counted TEXT,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS kassa_stock_movements_sku_location_at ON kassa_stock_movements (sku, location, at);
CREATE INDEX IF NOT EXISTS kassa_stock_movements_ref ON kassa_stock_movements (ref);
CREATE TABLE IF NOT EXISTS kassa_stock_levels (
  sku TEXT NOT NULL,
  location TEXT NOT NULL,
  on_hand TEXT NOT NULL,
  reserved TEXT NOT NULL,
  PRIMARY KEY (sku, location)
);`;

/** Options of {@link createSqliteInventoryStorage}. */
export interface SqliteInventoryStorageOptions {
  /** A file path, or an open better-sqlite3 database (then `close()` leaves it open). */
  readonly database: string | BetterSqlite3.Database;
}

function toLevel(r: { sku: string; location: string; on_hand: string; reserved: string }): StockLevel {
  return {
    sku: r.sku,
    location: r.location,
    onHand: r.on_hand,
    reserved: r.reserved,
    available: new Decimal(r.on_hand).minus(r.reserved).toString(),
  };
}

/**
 * The ledger in SQLite (the embedded default of a register or a small shop). Several processes
 * may share the file: each batch runs in an IMMEDIATE transaction. Needs `better-sqlite3`.
 */
export async function createSqliteInventoryStorage(
  options: SqliteInventoryStorageOptions,
): Promise<InventoryStorage> {
  const Database = (await import('better-sqlite3')).default;
  const owned = typeof options.database === 'string';
  const db = typeof options.database === 'string' ? new Database(options.database) : options.database;
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SQLITE_INVENTORY_SCHEMA);
  const getLevel = db.prepare(
    'SELECT sku, location, on_hand, reserved FROM kassa_stock_levels WHERE sku = ? AND location = ?',
  );
  const hasId = db.prepare('SELECT 1 FROM kassa_stock_movements WHERE id = ?');
  const insert = db.prepare(
    'INSERT INTO kassa_stock_movements (id, sku, location, quantity, reason, channel, ref, counted, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const upsert = db.prepare(
    'INSERT INTO kassa_stock_levels (sku, location, on_hand, reserved) VALUES (?, ?, ?, ?) ON CONFLICT (sku, location) DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved',
  );
  const applyTx = db.transaction((movements: readonly StockMovement[], deny: boolean) => {
    const current = new Map<string, { onHand: string; reserved: string }>();
    for (const k of batchKeys(movements)) {
      const r = getLevel.get(k.sku, k.location) as { on_hand: string; reserved: string } | undefined;
      if (r) current.set(levelKey(k.sku, k.location), { onHand: r.on_hand, reserved: r.reserved });
    }
    const seen = new Set(movements.filter((m) => hasId.get(m.id)).map((m) => m.id));
    const plan = planBatch(movements, current, seen, deny);
    for (const m of plan.applied)
      insert.run(
        m.id,
        m.sku,
        m.location,
        m.quantity,
        m.reason,
        m.channel,
        m.ref ?? null,
        m.counted ?? null,
        m.at,
      );
    for (const l of plan.after) upsert.run(l.sku, l.location, l.onHand, l.reserved);
    return { applied: plan.applied, duplicates: plan.duplicates, levels: plan.after, before: plan.before };
  });
  return {
    async apply(movements, opts) {
      try {
        return applyTx.immediate(movements, opts.deny);
      } catch (e) {
        if (isKassaError(e)) throw e;
        throw new KassaError(
          'inventory.storage_failed',
          `SQLite inventory storage failed: ${(e as Error).message}`,
          {},
          { cause: e },
        );
      }
    },
    async levels(query = {}) {
      const rows = db
        .prepare(
          'SELECT sku, location, on_hand, reserved FROM kassa_stock_levels WHERE (@sku IS NULL OR sku = @sku) AND (@location IS NULL OR location = @location) ORDER BY sku, location',
        )
        .all({ sku: query.sku ?? null, location: query.location ?? null }) as {
        sku: string;
        location: string;
        on_hand: string;
        reserved: string;
      }[];
      return rows.map(toLevel);
    },
    async movements(query: MovementQuery = {}) {
      const rows = db
        .prepare(
          `SELECT * FROM kassa_stock_movements WHERE (@sku IS NULL OR sku = @sku) AND (@location IS NULL OR location = @location) AND (@ref IS NULL OR ref = @ref)
           AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to) ORDER BY no`,
        )
        .all({
          sku: query.sku ?? null,
          location: query.location ?? null,
          ref: query.ref ?? null,
          from: query.from ?? null,
          to: query.to ?? null,
        }) as Record<string, string | null>[];
      return rows.map((r) => ({
        id: r.id as string,
        sku: r.sku as string,
        location: r.location as string,
        quantity: r.quantity as string,
        reason: r.reason as StockMovement['reason'],
        channel: r.channel as string,
        ...(r.ref !== null ? { ref: r.ref as string } : {}),
        ...(r.counted !== null ? { counted: r.counted as string } : {}),
        at: r.at as string,
      }));
    },
    async close() {
      if (owned) db.close();
    },
  };
}
