import { createManualClock } from '../../src/clock.js';
import { type AnyJournalEntry, type JournalStorage, openJournal } from '../../src/journal/index.js';
import { cashIn, saleData } from './fixtures.js';

/**
 * The same journal built from the same inputs and clock: whatever the runtime (Node, Chromium)
 * and the process time zone, its entries must hash the same.
 */
export async function buildReferenceJournal(storage: JournalStorage): Promise<AnyJournalEntry[]> {
  const clock = createManualClock();
  // 22:30 UTC: the next calendar day in Berlin in summer, the same day in UTC.
  clock.set(Date.parse('2026-06-30T22:30:00.123Z'));
  const journal = await openJournal({ register: 'ref-1', storage, clock, timeZone: 'Europe/Berlin' });
  await journal.append('shift.opened', {
    shiftId: 's1',
    operator: { id: 'anna' },
    currency: 'EUR',
    float: '100.00',
  });
  for (let i = 0; i < 5; i++) {
    await journal.append('sale.completed', saleData(i));
    await clock.advance(61_000);
  }
  await journal.append('cash.out', cashIn('20.00'));
  await journal.append('drawer.opened', { operator: { id: 'anna' }, reason: 'no-sale' });
  await journal.append('receipt.reprinted', {
    operator: { id: 'anna' },
    original: { entry: 'ref-1:2', receiptNumber: '0' },
    copyNumber: 1,
  });
  const entries = await journal.read();
  await journal.close();
  return entries;
}
