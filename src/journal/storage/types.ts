import type { AnyJournalEntry, EntryType } from '../entries.js';

/** What a storage adapter found when it opened. */
export interface StorageOpenResult {
  /** The last entry stored, or null for an empty journal. */
  readonly head: AnyJournalEntry | null;
  /** A torn tail (a crash mid-write) cut off at open; none of it was an acknowledged append. */
  readonly repaired?: { readonly dropped: number; readonly detail: string };
  /**
   * Browsers only: whether `navigator.storage.persist()` was granted (`persisted`), refused
   * (`best-effort`: the browser may evict the journal under storage pressure), or is missing.
   */
  readonly persistence?: 'persisted' | 'best-effort' | 'unsupported';
}

/** A range of a register's journal, by sequence number (inclusive). */
export interface StorageReadQuery {
  readonly from: number;
  readonly to: number;
  /** At most this many entries. */
  readonly limit: number;
  readonly types?: readonly EntryType[];
}

/**
 * Where a journal keeps its entries. The journal hands `append` whole batches in seq order and
 * never calls it again before the previous call settled; `append` resolves only once the batch
 * is durable (fdatasync, a committed transaction). Adapters: memory, file, SQLite, IndexedDB.
 */
export interface JournalStorage {
  /** `memory`, `file`, `sqlite`, `indexeddb`, ... */
  readonly kind: string;
  open(register: string): Promise<StorageOpenResult>;
  append(entries: readonly AnyJournalEntry[]): Promise<void>;
  read(query: StorageReadQuery): Promise<AnyJournalEntry[]>;
  /** A small durable value (the sync cursor), by key. */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}
