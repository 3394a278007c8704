/**
 * kassa/journal: the register's append-only, hash-chained record of everything that happened,
 * its storage adapters for browsers, and the outbox that syncs it to a chain's database.
 * Node-only storage (file, SQLite) lives in `kassa/journal/node`, the reference receivers in
 * `kassa/journal/receiver`.
 * @packageDocumentation
 */

export { canonicalJson } from './canonical.js';
export {
  type BrokenLink,
  type BrokenLinkReason,
  ChainVerifier,
  type ChainVerifierOptions,
  computeEntryHash,
  GENESIS_PREV,
  SUPPORTED_VERSIONS,
  type VerifyResult,
} from './chain.js';
export * from './entries.js';
export type { JournalErrorCode } from './error-codes.js';
export {
  type AppendOptions,
  type Journal,
  type JournalAlert,
  type OpenJournalOptions,
  openJournal,
  type ReadQuery,
} from './journal.js';
export {
  createEd25519Signer,
  createEd25519Verifier,
  generateEd25519Signer,
  type SignatureVerifier,
  type Signer,
} from './signer.js';
export { createMemoryStorage } from './storage/memory.js';
export type { JournalStorage, StorageOpenResult, StorageReadQuery } from './storage/types.js';
export {
  createHttpTarget,
  type HttpTargetOptions,
  type PushResult,
  type StartSyncOptions,
  type Sync,
  type SyncState,
  type SyncTarget,
  startSync,
} from './sync.js';
