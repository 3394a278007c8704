import { KassaError } from '../../errors.js';
import type { AnyJournalEntry } from '../entries.js';
import type { JournalStorage, StorageOpenResult, StorageReadQuery } from './types.js';

/** Options of {@link createIndexedDbStorage}. */
export interface IndexedDbStorageOptions {
  /** Database name prefix; the register id is appended. Default `kassa-journal`. */
  readonly name?: string;
  /** Default `globalThis.indexedDB`. */
  readonly indexedDB?: IDBFactory;
  /** Ask `navigator.storage.persist()` at open (default true); the outcome is in `opened.persistence`. */
  readonly persist?: boolean;
}

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

const done = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });

async function askPersistence(): Promise<'persisted' | 'best-effort' | 'unsupported'> {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  if (!storage || typeof storage.persist !== 'function') return 'unsupported';
  try {
    if (typeof storage.persisted === 'function' && (await storage.persisted())) return 'persisted';
    return (await storage.persist()) ? 'persisted' : 'best-effort';
  } catch {
    return 'best-effort';
  }
}

/**
 * Browser storage in IndexedDB: one database per register, entries keyed by seq. A batch is one
 * `readwrite` transaction with `durability: 'strict'`, and `append` resolves on its `complete`
 * event, when the browser reports it flushed. The browser may still evict a site's data under
 * storage pressure unless `navigator.storage.persist()` was granted: the outcome is reported in
 * the journal's `opened.persistence`, so the till can warn when it is `best-effort`.
 */
export function createIndexedDbStorage(options: IndexedDbStorageOptions = {}): JournalStorage {
  const factory = options.indexedDB ?? globalThis.indexedDB;
  let db: IDBDatabase | undefined;
  const database = (): IDBDatabase => {
    if (!db) throw new KassaError('journal.closed', 'The IndexedDB storage is not open');
    return db;
  };
  return {
    kind: 'indexeddb',
    async open(register): Promise<StorageOpenResult> {
      if (!factory) throw new KassaError('journal.storage_failed', 'IndexedDB is not available here');
      const persistence = options.persist === false ? 'unsupported' : await askPersistence();
      const req = factory.open(`${options.name ?? 'kassa-journal'}:${register}`, 1);
      req.onupgradeneeded = () => {
        const d = req.result;
        if (!d.objectStoreNames.contains('entries')) d.createObjectStore('entries', { keyPath: 'seq' });
        if (!d.objectStoreNames.contains('meta')) d.createObjectStore('meta');
      };
      db = await request(req);
      const tx = db.transaction('entries', 'readonly');
      const cursor = await request(tx.objectStore('entries').openCursor(null, 'prev'));
      const head = (cursor?.value as AnyJournalEntry | undefined) ?? null;
      return { head, persistence };
    },
    async append(entries) {
      const tx = database().transaction('entries', 'readwrite', { durability: 'strict' });
      const store = tx.objectStore('entries');
      // add, not put: an entry is never overwritten.
      for (const e of entries) store.add(e);
      await done(tx);
    },
    async read(query: StorageReadQuery) {
      if (query.from > query.to) return [];
      const tx = database().transaction('entries', 'readonly');
      const range = IDBKeyRange.bound(query.from, query.to);
      const types = query.types ? new Set<string>(query.types) : undefined;
      if (!types)
        return (await request(tx.objectStore('entries').getAll(range, query.limit))) as AnyJournalEntry[];
      const out: AnyJournalEntry[] = [];
      const all = (await request(tx.objectStore('entries').getAll(range))) as AnyJournalEntry[];
      for (const e of all) {
        if (types.has(e.type)) out.push(e);
        if (out.length >= query.limit) break;
      }
      return out;
    },
    async getMeta(key) {
      const tx = database().transaction('meta', 'readonly');
      return (await request(tx.objectStore('meta').get(key))) as string | undefined;
    },
    async setMeta(key, value) {
      const tx = database().transaction('meta', 'readwrite', { durability: 'strict' });
      tx.objectStore('meta').put(value, key);
      await done(tx);
    },
    async close() {
      db?.close();
      db = undefined;
    },
  };
}
