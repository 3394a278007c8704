import Decimal from 'decimal.js';
import type { Pool, PoolClient } from 'pg';
import { isKassaError, KassaError } from '../../errors.js';
import {
  type InventoryStorage,
  levelKey,
  type MovementQuery,
  type StockLevel,
  type StockMovement,
} from '../types.js';
import { batchKeys, planBatch } from './plan.js';

/**
 * The inventory's PostgreSQL schema. The ledger is `kassa_stock_movements` (insert only);
 * `kassa_stock_levels` holds the sums of the ledger, updated in the same transaction as the
 * inserts, and its rows are the locks that serialise concurrent sellers of one SKU and location.
 */
export const POSTGRES_INVENTORY_SCHEMA = `
CREATE TABLE IF NOT EXISTS kassa_stock_movements (
  id text PRIMARY KEY,
  sku text NOT NULL,
  location text NOT NULL,
  quantity numeric NOT NULL,
  reason text NOT NULL,
  channel text NOT NULL,
  ref text,
  counted numeric,
  at text NOT NULL,
  no bigserial NOT NULL
);
CREATE INDEX IF NOT EXISTS kassa_stock_movements_sku_location_at ON kassa_stock_movements (sku, location, at);
CREATE INDEX IF NOT EXISTS kassa_stock_movements_ref ON kassa_stock_movements (ref);
CREATE TABLE IF NOT EXISTS kassa_stock_levels (
  sku text NOT NULL,
  location text NOT NULL,
  on_hand numeric NOT NULL DEFAULT 0,
  reserved numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (sku, location)
);`;

/** Options of {@link createPostgresInventoryStorage}. */
export interface PostgresInventoryStorageOptions {
  /** A connection string, or a `pg` Pool (then `close()` leaves it open). */
  readonly connection: string | Pool;
  readonly max?: number;
}

function norm(v: unknown): string {
  return new Decimal(String(v)).toString();
}

function rowToMovement(r: Record<string, unknown>): StockMovement {
  return {
    id: r.id as string,
    sku: r.sku as string,
    location: r.location as string,
    quantity: norm(r.quantity),
    reason: r.reason as StockMovement['reason'],
    channel: r.channel as string,
    ...(r.ref !== null ? { ref: r.ref as string } : {}),
    ...(r.counted !== null ? { counted: norm(r.counted) } : {}),
    at: r.at as string,
  };
}

function rowToLevel(r: Record<string, unknown>): StockLevel {
  const onHand = new Decimal(String(r.on_hand));
  const reserved = new Decimal(String(r.reserved));
  return {
    sku: r.sku as string,
    location: r.location as string,
    onHand: onHand.toString(),
    reserved: reserved.toString(),
    available: onHand.minus(reserved).toString(),
  };
}

/**
 * The ledger in PostgreSQL, for a chain whose registers and online shop share stock. Creates its
 * tables on first use. Needs the optional peer dependency `pg`.
 */
export async function createPostgresInventoryStorage(
  options: PostgresInventoryStorageOptions,
): Promise<InventoryStorage> {
  const pg = (await import('pg')).default;
  const owned = typeof options.connection === 'string';
  const pool: Pool =
    typeof options.connection === 'string'
      ? new pg.Pool({ connectionString: options.connection, max: options.max ?? 10 })
      : options.connection;
  // An idle client dropped by the server (a restart, a failover) must not crash the process;
  // the pool replaces it on the next query.
  if (owned) pool.on('error', () => {});
  const client = await pool.connect();
  try {
    // Two processes creating the schema at once would race on the catalog: serialise them.
    await client.query('SELECT pg_advisory_lock(724001)');
    await client.query(POSTGRES_INVENTORY_SCHEMA);
  } finally {
    await client.query('SELECT pg_advisory_unlock(724001)').catch(() => {});
    client.release();
  }

  async function tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const result = await fn(c);
      await c.query('COMMIT');
      return result;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      if (isKassaError(e)) throw e;
      throw new KassaError(
        'inventory.storage_failed',
        `PostgreSQL inventory storage failed: ${(e as Error).message}`,
        {},
        { cause: e },
      );
    } finally {
      c.release();
    }
  }

  return {
    async apply(movements, opts) {
      if (movements.length === 0) return { applied: [], duplicates: [], levels: [], before: [] };
      return tx(async (c) => {
        const keys = batchKeys(movements);
        const skus = keys.map((k) => k.sku);
        const locs = keys.map((k) => k.location);
        await c.query(
          'INSERT INTO kassa_stock_levels (sku, location) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
          [skus, locs],
        );
        // Lock the level rows in one order (the batch's sorted keys), so two batches never deadlock.
        const locked = await c.query(
          `SELECT l.sku, l.location, l.on_hand, l.reserved FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(sku, location, n)
           JOIN kassa_stock_levels l ON l.sku = k.sku AND l.location = k.location ORDER BY k.n FOR UPDATE OF l`,
          [skus, locs],
        );
        const current = new Map(
          locked.rows.map((r) => [
            levelKey(r.sku, r.location),
            { onHand: String(r.on_hand), reserved: String(r.reserved) },
          ]),
        );
        const ids = movements.map((m) => m.id);
        const seenRows = await c.query('SELECT id FROM kassa_stock_movements WHERE id = ANY($1::text[])', [
          ids,
        ]);
        const seen = new Set(seenRows.rows.map((r) => r.id as string));
        const plan = planBatch(movements, current, seen, opts.deny);
        if (plan.applied.length > 0) {
          const a = plan.applied;
          await c.query(
            `INSERT INTO kassa_stock_movements (id, sku, location, quantity, reason, channel, ref, counted, at)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::text[])`,
            [
              a.map((m) => m.id),
              a.map((m) => m.sku),
              a.map((m) => m.location),
              a.map((m) => m.quantity),
              a.map((m) => m.reason),
              a.map((m) => m.channel),
              a.map((m) => m.ref ?? null),
              a.map((m) => m.counted ?? null),
              a.map((m) => m.at),
            ],
          );
          await c.query(
            `UPDATE kassa_stock_levels l SET on_hand = v.on_hand, reserved = v.reserved
             FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[]) AS v(sku, location, on_hand, reserved)
             WHERE l.sku = v.sku AND l.location = v.location`,
            [
              plan.after.map((l) => l.sku),
              plan.after.map((l) => l.location),
              plan.after.map((l) => l.onHand),
              plan.after.map((l) => l.reserved),
            ],
          );
        }
        return {
          applied: plan.applied,
          duplicates: plan.duplicates,
          levels: plan.after,
          before: plan.before,
        };
      });
    },
    async levels(query = {}) {
      const r = await pool.query(
        'SELECT sku, location, on_hand, reserved FROM kassa_stock_levels WHERE ($1::text IS NULL OR sku = $1) AND ($2::text IS NULL OR location = $2) ORDER BY sku, location',
        [query.sku ?? null, query.location ?? null],
      );
      return r.rows.map(rowToLevel);
    },
    async movements(query: MovementQuery = {}) {
      const r = await pool.query(
        `SELECT * FROM kassa_stock_movements WHERE ($1::text IS NULL OR sku = $1) AND ($2::text IS NULL OR location = $2)
         AND ($3::text IS NULL OR ref = $3) AND ($4::text IS NULL OR at >= $4) AND ($5::text IS NULL OR at < $5) ORDER BY no`,
        [query.sku ?? null, query.location ?? null, query.ref ?? null, query.from ?? null, query.to ?? null],
      );
      return r.rows.map(rowToMovement);
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
