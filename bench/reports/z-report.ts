// Z report over 100,000 sales in memory (issue #15: at most 1 s). Entries are built once with the
// real cart engine's figures; only zReport is timed.
import type { AnyJournalEntry } from '../../src/journal/index.js';
import { zReport } from '../../src/reports/index.js';
import { saleData } from '../../test/inventory/sales.js';

const N = 100_000;
const templates = [
  saleData('t0', [{ sku: 'dress', quantity: 1, unitPrice: '59.50', category: 'dresses' }], {
    tender: 'cash',
  }),
  saleData('t1', [
    { sku: 'tea', quantity: 3, unitPrice: '3.21', category: 'food', rate: '7' },
    { sku: 'mug', quantity: 1, unitPrice: '9.90' },
  ]),
];
const start = Date.parse('2026-06-30T06:00:00.000Z');
const entries: AnyJournalEntry[] = [];
for (let i = 0; i < N; i++) {
  const at = new Date(start + i * 500).toISOString();
  entries.push({
    v: 1,
    id: `till-1:${i + 1}`,
    register: 'till-1',
    seq: i + 1,
    type: 'sale.completed',
    at,
    tz: 'Europe/Berlin',
    businessDate: '2026-06-30',
    data: templates[i % 2],
    prev: '',
    hash: '',
  } as AnyJournalEntry);
}
const runs: number[] = [];
let z: ReturnType<typeof zReport> | undefined;
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  z = zReport(entries, { timeZone: 'Europe/Berlin', dayStartHour: 4, businessDate: '2026-06-30' });
  runs.push(performance.now() - t0);
}
runs.sort((a, b) => a - b);
console.log(
  `zReport over ${N} sales: median ${runs[2]?.toFixed(0)} ms (min ${runs[0]?.toFixed(0)}, max ${runs[4]?.toFixed(0)}); sales ${z?.sales.count}, net ${z?.netSales}`,
);
