import type { AnyJournalEntry } from '../entries.js';
import type { JournalStorage, StorageReadQuery } from './types.js';

/** Storage in memory, for tests and demos: nothing survives the process. */
export function createMemoryStorage(): JournalStorage & { readonly entries: readonly AnyJournalEntry[] } {
  const entries: AnyJournalEntry[] = [];
  const meta = new Map<string, string>();
  return {
    kind: 'memory',
    entries,
    async open() {
      return { head: entries.at(-1) ?? null };
    },
    async append(batch) {
      entries.push(...batch);
    },
    async read(query: StorageReadQuery) {
      const out: AnyJournalEntry[] = [];
      const types = query.types ? new Set<string>(query.types) : undefined;
      for (let seq = Math.max(1, query.from); seq <= Math.min(query.to, entries.length); seq++) {
        const e = entries[seq - 1]!;
        if (types && !types.has(e.type)) continue;
        out.push(e);
        if (out.length >= query.limit) break;
      }
      return out;
    },
    async getMeta(key) {
      return meta.get(key);
    },
    async setMeta(key, value) {
      meta.set(key, value);
    },
    async close() {},
  };
}
