/**
 * kassa/inventory/node: the inventory's Node storages (SQLite through better-sqlite3, PostgreSQL
 * through pg). Everything of `kassa/inventory` is re-exported.
 * @packageDocumentation
 */
export * from './index.js';
export {
  createPostgresInventoryStorage,
  POSTGRES_INVENTORY_SCHEMA,
  type PostgresInventoryStorageOptions,
} from './storage/postgres.js';
export {
  createSqliteInventoryStorage,
  SQLITE_INVENTORY_SCHEMA,
  type SqliteInventoryStorageOptions,
} from './storage/sqlite.js';
