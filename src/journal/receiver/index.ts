/**
 * kassa/journal/receiver: the reference receiver of journal pushes, a fetch-style handler
 * storing a chain's registers into PostgreSQL (through `pg`) or a shop's into SQLite (through
 * better-sqlite3); both are optional peer dependencies. Node only.
 * @packageDocumentation
 */

export {
  createReceiver,
  ingest,
  type Receiver,
  type ReceiverBreak,
  type ReceiverHead,
  type ReceiverOptions,
  type ReceiverStore,
  type ReceiverTx,
} from './core.js';
export { toNodeHandler } from './node-http.js';
export {
  createPostgresReceiverStore,
  POSTGRES_RECEIVER_MIGRATIONS,
  type PostgresReceiverStoreOptions,
} from './postgres.js';
export {
  createSqliteReceiverStore,
  SQLITE_RECEIVER_MIGRATIONS,
  type SqliteReceiverStoreOptions,
} from './sqlite.js';
