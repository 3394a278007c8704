import type BetterSqlite3 from 'better-sqlite3';
import { KassaError } from '../../errors.js';
import { canonicalJson } from '../canonical.js';
import type { AnyJournalEntry } from '../entries.js';
import type { JournalStorage, StorageOpenResult, StorageReadQuery } from './types.js';

/** Options of {@link createSqliteStorage}. */
export interface SqliteStorageOptions {
  /** The database file. Created when missing. */
  readonly path: string;
}

/**
 * The register-side SQLite schema, one migration per `user_version`. Migrations only ever add:
 * an old journal stays readable by every later version.
 */
export const SQLITE_STORAGE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE kassa_journal (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     register TEXT NOT NULL,
     type TEXT NOT NULL,
     at TEXT NOT NULL,
     business_date TEXT NOT NULL,
     hash TEXT NOT NULL,
     entry TEXT NOT NULL
   );
   CREATE INDEX kassa_journal_type ON kassa_journal (type, seq);
   CREATE INDEX kassa_journal_business_date ON kassa_journal (business_date, seq);
   CREATE TABLE kassa_journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
];

/** Loads better-sqlite3 (an optional peer dependency), with a clear error when it is missing. @internal */
export async function loadBetterSqlite3(): Promise<typeof BetterSqlite3> {
  try {
    const module = (await import('better-sqlite3')) as unknown as { default?: typeof BetterSqlite3 };
    return module.default ?? (module as unknown as typeof BetterSqlite3);
  } catch (cause) {
    throw new KassaError(
      'journal.storage_failed',
      'SQLite storage needs the better-sqlite3 package (version 12): npm install better-sqlite3',
      {},
      { cause },
    );
  }
}

/** Applies the migrations a database has not seen yet, in one transaction each. @internal */
export function migrateSqlite(db: BetterSqlite3.Database, migrations: readonly string[]): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let i = version; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}

/**
 * Node SQLite storage through better-sqlite3 (an optional peer dependency, version 12): WAL with
 * `synchronous=FULL`, so a committed batch is on disk when `append` resolves. The embedded
 * default for a till that wants to query its own history with SQL (the table is
 * `kassa_journal`, one row per entry, the entry's canonical JSON in `entry`).
 */
export function createSqliteStorage(
  options: SqliteStorageOptions,
): JournalStorage & { readonly path: string } {
  let db: BetterSqlite3.Database | undefined;
  let insert: BetterSqlite3.Statement | undefined;
  let appendBatch: ((entries: readonly AnyJournalEntry[]) => void) | undefined;

  const database = (): BetterSqlite3.Database => {
    if (!db) throw new KassaError('journal.closed', 'The SQLite storage is not open');
    return db;
  };

  return {
    kind: 'sqlite',
    path: options.path,
    async open(): Promise<StorageOpenResult> {
      const Database = await loadBetterSqlite3();
      db = new Database(options.path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrateSqlite(db, SQLITE_STORAGE_MIGRATIONS);
      insert = db.prepare(
        'INSERT INTO kassa_journal (seq, id, register, type, at, business_date, hash, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const statement = insert;
      appendBatch = db.transaction((entries: readonly AnyJournalEntry[]) => {
        for (const e of entries)
          statement.run(e.seq, e.id, e.register, e.type, e.at, e.businessDate, e.hash, canonicalJson(e));
      });
      const row = db.prepare('SELECT entry FROM kassa_journal ORDER BY seq DESC LIMIT 1').get() as
        | { entry: string }
        | undefined;
      return { head: row ? (JSON.parse(row.entry) as AnyJournalEntry) : null };
    },
    async append(entries) {
      database();
      (appendBatch as (entries: readonly AnyJournalEntry[]) => void)(entries);
    },
    async read(query: StorageReadQuery) {
      const types = query.types;
      const rows = (
        types && types.length > 0
          ? database()
              .prepare(
                `SELECT entry FROM kassa_journal WHERE seq BETWEEN ? AND ? AND type IN (${types.map(() => '?').join(',')}) ORDER BY seq LIMIT ?`,
              )
              .all(query.from, query.to, ...types, query.limit)
          : database()
              .prepare('SELECT entry FROM kassa_journal WHERE seq BETWEEN ? AND ? ORDER BY seq LIMIT ?')
              .all(query.from, query.to, query.limit)
      ) as { entry: string }[];
      return rows.map((r) => JSON.parse(r.entry) as AnyJournalEntry);
    },
    async getMeta(key) {
      const row = database().prepare('SELECT value FROM kassa_journal_meta WHERE key = ?').get(key) as
        | { value: string }
        | undefined;
      return row?.value;
    },
    async setMeta(key, value) {
      database()
        .prepare(
          'INSERT INTO kassa_journal_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(key, value);
    },
    async close() {
      const d = db;
      db = undefined;
      insert = undefined;
      d?.close();
    },
  };
}
