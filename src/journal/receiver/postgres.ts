import type { Pool, PoolClient, PoolConfig } from 'pg';
import { KassaError } from '../../errors.js';
import { canonicalJson } from '../canonical.js';
import { GENESIS_PREV } from '../chain.js';
import type { AnyJournalEntry } from '../entries.js';
import type { ReceiverBreak, ReceiverHead, ReceiverStore, ReceiverTx } from './core.js';

/**
 * The receiver's PostgreSQL schema, one migration per version (recorded in
 * `kassa_schema_migrations`). Migrations only ever add.
 */
export const POSTGRES_RECEIVER_MIGRATIONS: readonly string[] = [
  `CREATE TABLE kassa_registers (
     register text PRIMARY KEY,
     secret_hash text NOT NULL,
     head_seq bigint NOT NULL DEFAULT 0,
     head_hash text NOT NULL DEFAULT '${GENESIS_PREV}',
     created_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE kassa_entries (
     register text NOT NULL REFERENCES kassa_registers (register),
     seq bigint NOT NULL,
     id text NOT NULL UNIQUE,
     type text NOT NULL,
     at timestamptz NOT NULL,
     business_date date NOT NULL,
     hash text NOT NULL,
     prev text NOT NULL,
     entry jsonb NOT NULL,
     received_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (register, seq)
   );
   CREATE INDEX kassa_entries_type_at ON kassa_entries (type, at);
   CREATE INDEX kassa_entries_business_date ON kassa_entries (business_date, register);
   CREATE TABLE kassa_held (
     register text NOT NULL REFERENCES kassa_registers (register),
     seq bigint NOT NULL,
     entry jsonb NOT NULL,
     received_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (register, seq)
   );
   CREATE TABLE kassa_breaks (
     no bigserial PRIMARY KEY,
     register text NOT NULL,
     seq bigint NOT NULL,
     id text NOT NULL,
     reason text NOT NULL,
     message text NOT NULL,
     entry jsonb NOT NULL,
     received_at timestamptz NOT NULL DEFAULT now()
   );`,
];

/** Options of {@link createPostgresReceiverStore}. */
export interface PostgresReceiverStoreOptions {
  /** A connection string, or an existing `pg` Pool (then `close()` leaves it open). */
  readonly connection: string | Pool;
  /** Pool size when the store creates the pool. Default 20. */
  readonly max?: number;
}

async function loadPg(): Promise<typeof import('pg')> {
  try {
    const module = (await import('pg')) as unknown as { default?: typeof import('pg') };
    return module.default ?? (module as unknown as typeof import('pg'));
  } catch (cause) {
    throw new KassaError(
      'journal.storage_failed',
      'The PostgreSQL receiver needs the pg package: npm install pg',
      {},
      { cause },
    );
  }
}

function tx(client: PoolClient): ReceiverTx {
  return {
    async lockHead(register) {
      const { rows } = await client.query<{ head_seq: string; head_hash: string }>(
        'SELECT head_seq, head_hash FROM kassa_registers WHERE register = $1 FOR UPDATE',
        [register],
      );
      const row = rows[0];
      return row ? { seq: Number(row.head_seq), hash: row.head_hash } : null;
    },
    async storedHashes(register, seqs) {
      const { rows } = await client.query<{ seq: string; hash: string }>(
        'SELECT seq, hash FROM kassa_entries WHERE register = $1 AND seq = ANY($2::bigint[])',
        [register, seqs],
      );
      return new Map(rows.map((r) => [Number(r.seq), r.hash]));
    },
    async held(register, fromSeq, limit) {
      const { rows } = await client.query<{ entry: AnyJournalEntry }>(
        'SELECT entry FROM kassa_held WHERE register = $1 AND seq >= $2 ORDER BY seq LIMIT $3',
        [register, fromSeq, limit],
      );
      return rows.map((r) => r.entry);
    },
    async insert(register, entries) {
      await client.query(
        `INSERT INTO kassa_entries (register, seq, id, type, at, business_date, hash, prev, entry)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::date[], $7::text[], $8::text[], $9::jsonb[])`,
        [
          register,
          entries.map((e) => e.seq),
          entries.map((e) => e.id),
          entries.map((e) => e.type),
          entries.map((e) => e.at),
          entries.map((e) => e.businessDate),
          entries.map((e) => e.hash),
          entries.map((e) => e.prev),
          entries.map((e) => canonicalJson(e)),
        ],
      );
    },
    async hold(register, entries) {
      await client.query(
        `INSERT INTO kassa_held (register, seq, entry)
         SELECT $1, * FROM unnest($2::bigint[], $3::jsonb[]) ON CONFLICT (register, seq) DO NOTHING`,
        [register, entries.map((e) => e.seq), entries.map((e) => canonicalJson(e))],
      );
    },
    async dropHeld(register, uptoSeq) {
      await client.query('DELETE FROM kassa_held WHERE register = $1 AND seq <= $2', [register, uptoSeq]);
    },
    async recordBreak(register, entry, broken) {
      await client.query(
        'INSERT INTO kassa_breaks (register, seq, id, reason, message, entry) VALUES ($1, $2, $3, $4, $5, $6)',
        [register, entry.seq, entry.id, broken.reason, broken.message, JSON.stringify(entry)],
      );
    },
    async setHead(register, head) {
      await client.query('UPDATE kassa_registers SET head_seq = $2, head_hash = $3 WHERE register = $1', [
        register,
        head.seq,
        head.hash,
      ]);
    },
  };
}

/**
 * The receiver's PostgreSQL store, through `pg` (an optional peer dependency). Each push is one
 * transaction holding the register's row lock, so two deliveries of one register never
 * interleave, while registers write side by side.
 */
export async function createPostgresReceiverStore(
  options: PostgresReceiverStoreOptions,
): Promise<ReceiverStore> {
  let pool: Pool;
  let own = false;
  if (typeof options.connection === 'string') {
    const pg = await loadPg();
    const config: PoolConfig = { connectionString: options.connection, max: options.max ?? 20 };
    pool = new pg.Pool(config);
    // An idle connection the server drops (a restart, a failover) must not take the process
    // down; the next query opens a new one.
    pool.on('error', () => undefined);
    own = true;
  } else pool = options.connection;

  return {
    kind: 'postgres',
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // One migrator at a time across processes.
        await client.query('SELECT pg_advisory_xact_lock(7311020514)');
        await client.query(
          'CREATE TABLE IF NOT EXISTS kassa_schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
        );
        const { rows } = await client.query<{ v: number | null }>(
          'SELECT max(version) AS v FROM kassa_schema_migrations',
        );
        for (let i = rows[0]?.v ?? 0; i < POSTGRES_RECEIVER_MIGRATIONS.length; i++) {
          await client.query(POSTGRES_RECEIVER_MIGRATIONS[i]!);
          await client.query('INSERT INTO kassa_schema_migrations (version) VALUES ($1)', [i + 1]);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(tx(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async secretHash(register) {
      const { rows } = await pool.query<{ secret_hash: string }>(
        'SELECT secret_hash FROM kassa_registers WHERE register = $1',
        [register],
      );
      return rows[0]?.secret_hash;
    },
    async putRegister(register, secretHash) {
      await pool.query(
        'INSERT INTO kassa_registers (register, secret_hash) VALUES ($1, $2) ON CONFLICT (register) DO UPDATE SET secret_hash = excluded.secret_hash',
        [register, secretHash],
      );
    },
    async head(register): Promise<ReceiverHead | null> {
      const { rows } = await pool.query<{ head_seq: string; head_hash: string }>(
        'SELECT head_seq, head_hash FROM kassa_registers WHERE register = $1',
        [register],
      );
      return rows[0] ? { seq: Number(rows[0].head_seq), hash: rows[0].head_hash } : null;
    },
    async breaks(register): Promise<ReceiverBreak[]> {
      const { rows } = await pool.query<{
        register: string;
        seq: string;
        id: string;
        reason: string;
        message: string;
        received_at: Date;
      }>(
        `SELECT register, seq, id, reason, message, received_at FROM kassa_breaks
         WHERE $1::text IS NULL OR register = $1 ORDER BY no`,
        [register ?? null],
      );
      return rows.map((r) => ({
        register: r.register,
        seq: Number(r.seq),
        id: r.id,
        reason: r.reason,
        message: r.message,
        receivedAt: r.received_at.toISOString(),
      }));
    },
    async close() {
      if (own) await pool.end();
    },
  };
}
