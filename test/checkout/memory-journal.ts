import type { CheckoutJournal } from '../../src/checkout/index.js';
import {
  type AnyJournalEntry,
  type EntryData,
  type EntryType,
  entryDataSchemasV1,
  type JournalEntry,
} from '../../src/journal/entries.js';

/**
 * A journal for the checkout's unit tests that checks every entry against the journal's own
 * data schemas, so a checkout that writes a malformed entry fails here exactly as it would on
 * the real journal. (The durable journal is tested with the checkout in the crash test.)
 */
export function schemaCheckedJournal(register = 'till-1', clock: { now(): number } = Date) {
  const entries: AnyJournalEntry[] = [];
  const journal: CheckoutJournal & { entries: AnyJournalEntry[]; fail?: EntryType } = {
    entries,
    async append<T extends EntryType>(type: T, data: EntryData<T>): Promise<JournalEntry<T>> {
      if (journal.fail === type) throw new Error(`journal down at ${type}`);
      const parsed = entryDataSchemasV1[type].safeParse(data);
      if (!parsed.success) {
        throw new Error(
          `entry ${type} does not match its schema: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`,
        );
      }
      const seq = entries.length + 1;
      const at = new Date(clock.now()).toISOString();
      const entry = {
        v: 1,
        id: `${register}:${seq}`,
        register,
        seq,
        type,
        at,
        tz: 'Europe/Amsterdam',
        businessDate: at.slice(0, 10),
        data,
        prev: '0'.repeat(64),
        hash: String(seq).padStart(64, '0'),
      } as unknown as JournalEntry<T>;
      entries.push(entry as unknown as AnyJournalEntry);
      return entry;
    },
    async read(query) {
      return entries.filter((e) => !query?.types || query.types.includes(e.type));
    },
  };
  return journal;
}
