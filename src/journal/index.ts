/**
 * kassa/journal: the register's append-only, hash-chained record of everything that happened,
 * its storage adapters for browsers, and the outbox that syncs it to a chain's database.
 * @packageDocumentation
 */

export * from './entries.js';
export type { JournalErrorCode } from './error-codes.js';
