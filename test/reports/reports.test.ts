import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { type AnyJournalEntry, createMemoryStorage, openJournal } from '../../src/journal/index.js';
import { toText } from '../../src/receipts/index.js';
import {
  businessDate,
  salesBy,
  shiftReportCsv,
  shiftReportDocument,
  topSellers,
  xReport,
  zReport,
} from '../../src/reports/index.js';
import { saleData } from '../inventory/sales.js';

const calendar = { timeZone: 'Europe/Berlin', dayStartHour: 4 };

async function day(): Promise<AnyJournalEntry[]> {
  const clock = createManualClock();
  // 2026-06-30 18:00 Berlin (16:00 UTC).
  clock.set(Date.parse('2026-06-30T16:00:00.000Z'));
  const journal = await openJournal({
    register: 'till-1',
    storage: createMemoryStorage(),
    clock,
    timeZone: 'Europe/Berlin',
  });
  const op = { id: 'anna' };
  await journal.append('shift.opened', { shiftId: 's1', operator: op, currency: 'EUR', float: '100.00' });
  await journal.append(
    'sale.completed',
    saleData('a', [{ sku: 'dress', quantity: 2, unitPrice: '59.50', category: 'dresses' }], {
      tender: 'cash',
    }),
  );
  await journal.append(
    'sale.completed',
    saleData(
      'b',
      [
        { sku: 'tea', quantity: 3, unitPrice: '3.21', category: 'food', rate: '7' },
        { sku: 'dress', quantity: 1, unitPrice: '59.50', category: 'dresses' },
      ],
      { customerGroup: 'vip' },
    ),
  );
  await journal.append('cash.in', { operator: op, amount: '20.00', currency: 'EUR', reason: 'change' });
  await journal.append('cash.out', { operator: op, amount: '5.00', currency: 'EUR', reason: 'expense' });
  await journal.append('drawer.opened', { operator: op, reason: 'no-sale' });
  // 02:30 the next calendar day in Berlin: still the business day of June 30 (day starts at 4).
  await clock.advance(8.5 * 3_600_000);
  await journal.append('return.completed', {
    ...saleData('c', [{ sku: 'dress', quantity: -1, unitPrice: '59.50', category: 'dresses' }], {
      tender: 'cash',
    }),
    originals: [],
  });
  await journal.append('shift.closed', {
    shiftId: 's1',
    operator: op,
    currency: 'EUR',
    expected: [{ type: 'cash', currency: 'EUR', amount: '174.50' }],
    counted: [{ type: 'cash', currency: 'EUR', amount: '174.00' }],
    difference: [{ type: 'cash', currency: 'EUR', amount: '-0.50' }],
  });
  const entries = await journal.read();
  await journal.close();
  return entries;
}

describe('X and Z reports', () => {
  it('counts a night after midnight in the business day before, whatever the process TZ', () => {
    expect(businessDate('2026-07-01T00:30:00.000Z', calendar)).toBe('2026-06-30');
    expect(businessDate('2026-07-01T02:30:00.000Z', calendar)).toBe('2026-07-01');
    expect(businessDate('2026-07-01T00:30:00.000Z', { timeZone: 'Europe/Berlin' })).toBe('2026-07-01');
  });

  it('Z: sales, returns negative, tax per rate, tenders, cash over/short, no-sales, grand total', async () => {
    const entries = await day();
    const z = zReport(entries, calendar);
    expect(z).toMatchObject({
      kind: 'Z',
      zNumber: 1,
      businessDate: '2026-06-30',
      sales: { count: 2, gross: '188.13' },
      returns: { count: 1, gross: '-59.50' },
      netSales: '128.63',
      noSales: 1,
      cash: {
        float: '100.00',
        sales: '59.50',
        paidIn: '20.00',
        paidOut: '5.00',
        expected: '174.50',
        counted: '174.00',
        overShort: '-0.50',
      },
      previousGrandTotal: '0.00',
      grandTotal: '128.63',
    });
    expect(z.taxes).toEqual([
      { key: 'VAT19', rate: '19', base: '100.00', tax: '19.00', gross: '119.00' },
      { key: 'VAT7', rate: '7', base: '9.00', tax: '0.63', gross: '9.63' },
    ]);
    expect(z.tenders).toEqual([
      { type: 'card', count: 1, amount: '69.13' },
      { type: 'cash', count: 2, amount: '59.50' },
    ]);
    expect(xReport(entries, calendar).kind).toBe('X');
    expect(shiftReportCsv(z)).toContain('totals,grandTotal,128.63\r\n');
    const text = toText(shiftReportDocument(z), { columns: 42 });
    expect(text).toContain('Z REPORT #1');
    expect(text).toMatch(/Over\/short\s+-0\.50/);
  });

  it('the next Z is numbered 2 and carries the grand total', async () => {
    const entries = await day();
    const z1 = zReport(entries, calendar);
    const withZ = [
      ...entries,
      {
        ...entries[0],
        type: 'report.z',
        seq: 99,
        data: { businessDate: z1.businessDate, zNumber: 1, grandTotal: z1.grandTotal },
      } as unknown as AnyJournalEntry,
    ];
    const z2 = zReport(withZ, { ...calendar, businessDate: '2026-07-01' });
    expect(z2).toMatchObject({
      zNumber: 2,
      previousGrandTotal: '128.63',
      grandTotal: '128.63',
      sales: { count: 0 },
    });
  });
});

describe('analytics', () => {
  it('by category, customer group, period; top sellers net of returns', async () => {
    const entries = await day();
    expect(salesBy(entries, { category: true }, calendar)).toEqual([
      { key: 'dresses', units: '2', revenue: '119.00', receipts: 3 },
      { key: 'food', units: '3', revenue: '9.63', receipts: 1 },
    ]);
    expect(salesBy(entries, { customerGroup: true }, calendar).map((r) => r.key)).toEqual(['(none)', 'vip']);
    expect(salesBy(entries, { period: 'day' }, calendar)).toEqual([
      { key: '2026-06-30', units: '5', revenue: '128.63', receipts: 3 },
    ]);
    expect(topSellers(entries, { by: 'units' }).map((r) => [r.key, r.units])).toEqual([
      ['tea', '3'],
      ['dress', '2'],
    ]);
    expect(topSellers(entries, { by: 'revenue', limit: 1 })).toEqual([
      { key: 'dress', units: '2', revenue: '119.00', receipts: 3 },
    ]);
  });
});
