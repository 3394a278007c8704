import type BetterSqlite3 from 'better-sqlite3';
import { canonicalJson } from '../canonical.js';
import { GENESIS_PREV } from '../chain.js';
import type { AnyJournalEntry } from '../entries.js';
import { loadBetterSqlite3, migrateSqlite } from '../storage/sqlite.js';
import type { ReceiverBreak, ReceiverStore, ReceiverTx } from './core.js';

/** The receiver's SQLite schema (a single shop's back office), one migration per `user_version`. */
export const SQLITE_RECEIVER_MIGRATIONS: readonly string[] = [
  `CREATE TABLE kassa_registers (
     register TEXT PRIMARY KEY,
     secret_hash TEXT NOT NULL,
     head_seq INTEGER NOT NULL DEFAULT 0,
     head_hash TEXT NOT NULL DEFAULT '${GENESIS_PREV}',
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );
   CREATE TABLE kassa_entries (
     register TEXT NOT NULL REFERENCES kassa_registers (register),
     seq INTEGER NOT NULL,
     id TEXT NOT NULL UNIQUE,
     type TEXT NOT NULL,
     at TEXT NOT NULL,
     business_date TEXT NOT NULL,
     hash TEXT NOT NULL,
     prev TEXT NOT NULL,
     entry TEXT NOT NULL,
     received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     PRIMARY KEY (register, seq)
   );
   CREATE INDEX kassa_entries_type_at ON kassa_entries (type, at);
   CREATE INDEX kassa_entries_business_date ON kassa_entries (business_date, register);
   CREATE TABLE kassa_held (
     register TEXT NOT NULL,
     seq INTEGER NOT NULL,
     entry TEXT NOT NULL,
     received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     PRIMARY KEY (register, seq)
   );
   CREATE TABLE kassa_breaks (
     no INTEGER PRIMARY KEY AUTOINCREMENT,
     register TEXT NOT NULL,
     seq INTEGER NOT NULL,
     id TEXT NOT NULL,
     reason TEXT NOT NULL,
     message TEXT NOT NULL,
     entry TEXT NOT NULL,
     received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );`,
];

/** Options of {@link createSqliteReceiverStore}. */
export interface SqliteReceiverStoreOptions {
  readonly path: string;
}

/**
 * The receiver's SQLite store (better-sqlite3, WAL, `synchronous=FULL`). One connection;
 * transactions are serialised in-process, which is what a single shop's back office needs.
 */
export async function createSqliteReceiverStore(options: SqliteReceiverStoreOptions): Promise<ReceiverStore> {
  const Database = await loadBetterSqlite3();
  const db: BetterSqlite3.Database = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  let queue: Promise<unknown> = Promise.resolve();

  const t: ReceiverTx = {
    async lockHead(register) {
      const row = db
        .prepare('SELECT head_seq, head_hash FROM kassa_registers WHERE register = ?')
        .get(register) as { head_seq: number; head_hash: string } | undefined;
      return row ? { seq: row.head_seq, hash: row.head_hash } : null;
    },
    async storedHashes(register, seqs) {
      const out = new Map<number, string>();
      const get = db.prepare('SELECT hash FROM kassa_entries WHERE register = ? AND seq = ?');
      for (const seq of seqs) {
        const row = get.get(register, seq) as { hash: string } | undefined;
        if (row) out.set(seq, row.hash);
      }
      return out;
    },
    async held(register, fromSeq, limit) {
      const rows = db
        .prepare('SELECT entry FROM kassa_held WHERE register = ? AND seq >= ? ORDER BY seq LIMIT ?')
        .all(register, fromSeq, limit) as { entry: string }[];
      return rows.map((r) => JSON.parse(r.entry) as AnyJournalEntry);
    },
    async insert(register, entries) {
      const stmt = db.prepare(
        'INSERT INTO kassa_entries (register, seq, id, type, at, business_date, hash, prev, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const e of entries)
        stmt.run(register, e.seq, e.id, e.type, e.at, e.businessDate, e.hash, e.prev, canonicalJson(e));
    },
    async hold(register, entries) {
      const stmt = db.prepare('INSERT OR IGNORE INTO kassa_held (register, seq, entry) VALUES (?, ?, ?)');
      for (const e of entries) stmt.run(register, e.seq, canonicalJson(e));
    },
    async dropHeld(register, uptoSeq) {
      db.prepare('DELETE FROM kassa_held WHERE register = ? AND seq <= ?').run(register, uptoSeq);
    },
    async recordBreak(register, entry, broken) {
      db.prepare(
        'INSERT INTO kassa_breaks (register, seq, id, reason, message, entry) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(register, entry.seq, entry.id, broken.reason, broken.message, JSON.stringify(entry));
    },
    async setHead(register, head) {
      db.prepare('UPDATE kassa_registers SET head_seq = ?, head_hash = ? WHERE register = ?').run(
        head.seq,
        head.hash,
        register,
      );
    },
  };

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    kind: 'sqlite',
    async migrate() {
      migrateSqlite(db, SQLITE_RECEIVER_MIGRATIONS);
    },
    transaction(fn) {
      return serial(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(t);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      });
    },
    async secretHash(register) {
      const row = db.prepare('SELECT secret_hash FROM kassa_registers WHERE register = ?').get(register) as
        | { secret_hash: string }
        | undefined;
      return row?.secret_hash;
    },
    async putRegister(register, secretHash) {
      db.prepare(
        'INSERT INTO kassa_registers (register, secret_hash) VALUES (?, ?) ON CONFLICT (register) DO UPDATE SET secret_hash = excluded.secret_hash',
      ).run(register, secretHash);
    },
    async head(register) {
      return t.lockHead(register);
    },
    async breaks(register): Promise<ReceiverBreak[]> {
      const rows = db
        .prepare(
          'SELECT register, seq, id, reason, message, received_at FROM kassa_breaks WHERE ? IS NULL OR register = ? ORDER BY no',
        )
        .all(register ?? null, register ?? null) as {
        register: string;
        seq: number;
        id: string;
        reason: string;
        message: string;
        received_at: string;
      }[];
      return rows.map((r) => ({ ...r, receivedAt: r.received_at }));
    },
    async close() {
      await queue;
      db.close();
    },
  };
}
