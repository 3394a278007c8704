/**
 * kassa/journal/node: the Node storage adapters of the journal (an append-only file, SQLite
 * through better-sqlite3). Everything of `kassa/journal` is re-exported for convenience.
 * @packageDocumentation
 */

export * from './index.js';
export { createFileStorage, type FileStorageOptions } from './storage/file.js';
export {
  createSqliteStorage,
  SQLITE_STORAGE_MIGRATIONS,
  type SqliteStorageOptions,
} from './storage/sqlite.js';
