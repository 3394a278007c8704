import Decimal from 'decimal.js';
import type { AnyJournalEntry } from '../journal/entries.js';
import { businessDate, localParts, type ShopCalendar } from './business-day.js';

/** One row of sales grouped by a key: units and gross revenue; returns count negative. */
export interface SalesRow {
  readonly key: string;
  readonly units: string;
  readonly revenue: string;
  /** Sales and returns documents touching the group. */
  readonly receipts: number;
}

/** How to group sales. */
export type SalesGrouping =
  | { period: 'hour' | 'day' | 'week' | 'month' }
  | { category: true }
  | { customerGroup: true };

interface Line {
  readonly sku: string;
  readonly category: string;
  readonly groups: readonly string[];
  readonly units: Decimal;
  readonly revenue: Decimal;
  readonly at: string;
  readonly receipt: string;
}

function* lines(entries: readonly AnyJournalEntry[]): Generator<Line> {
  for (const e of entries) {
    if (e.type !== 'sale.completed' && e.type !== 'return.completed') continue;
    const sign = e.type === 'return.completed' ? -1 : 1;
    const groups = e.data.customer?.groups ?? [];
    for (const l of e.data.lines)
      yield {
        sku: l.itemNumber,
        category: l.group?.id ?? '(none)',
        groups: groups.length > 0 ? groups : ['(none)'],
        units: new Decimal(l.quantity).abs().times(sign),
        revenue: new Decimal(l.gross).abs().times(sign),
        at: e.at,
        receipt: e.id,
      };
  }
}

function periodKey(at: string, period: 'hour' | 'day' | 'week' | 'month', calendar: ShopCalendar): string {
  const day = businessDate(at, calendar);
  if (period === 'day') return day;
  if (period === 'month') return day.slice(0, 7);
  if (period === 'hour') return `${day}T${String(localParts(at, calendar.timeZone).hour).padStart(2, '0')}`;
  // ISO week: the Monday of the business date's week.
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - weekday * 86_400_000).toISOString().slice(0, 10);
}

/** Sales grouped by period (in the shop's calendar), category or customer group. Pure. */
export function salesBy(
  entries: readonly AnyJournalEntry[],
  by: SalesGrouping,
  calendar: ShopCalendar,
): SalesRow[] {
  const acc = new Map<string, { units: Decimal; revenue: Decimal; receipts: Set<string> }>();
  for (const l of lines(entries)) {
    const keys =
      'period' in by ? [periodKey(l.at, by.period, calendar)] : 'category' in by ? [l.category] : l.groups;
    for (const key of keys) {
      const a = acc.get(key) ?? {
        units: new Decimal(0),
        revenue: new Decimal(0),
        receipts: new Set<string>(),
      };
      a.units = a.units.plus(l.units);
      a.revenue = a.revenue.plus(l.revenue);
      a.receipts.add(l.receipt);
      acc.set(key, a);
    }
  }
  return [...acc.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([key, a]) => ({
      key,
      units: a.units.toString(),
      revenue: a.revenue.toFixed(2),
      receipts: a.receipts.size,
    }));
}

/** The top sellers by units or by revenue (net of returns), ties broken by SKU. Pure. */
export function topSellers(
  entries: readonly AnyJournalEntry[],
  options: { by: 'units' | 'revenue'; limit?: number },
): SalesRow[] {
  const acc = new Map<string, { units: Decimal; revenue: Decimal; receipts: Set<string> }>();
  for (const l of lines(entries)) {
    const a = acc.get(l.sku) ?? {
      units: new Decimal(0),
      revenue: new Decimal(0),
      receipts: new Set<string>(),
    };
    a.units = a.units.plus(l.units);
    a.revenue = a.revenue.plus(l.revenue);
    a.receipts.add(l.receipt);
    acc.set(l.sku, a);
  }
  return [...acc.entries()]
    .sort((a, b) => b[1][options.by].comparedTo(a[1][options.by]) || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.limit ?? 10)
    .map(([key, a]) => ({
      key,
      units: a.units.toString(),
      revenue: a.revenue.toFixed(2),
      receipts: a.receipts.size,
    }));
}

/** Units sold in a shop-local hour of a weekday: `cells[weekday][hour]` (weekday 0 = Monday). */
export function hourWeekdayHeatmap(entries: readonly AnyJournalEntry[], calendar: ShopCalendar): string[][] {
  const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => new Decimal(0)));
  for (const l of lines(entries)) {
    const p = localParts(l.at, calendar.timeZone);
    const row = cells[p.weekday] as Decimal[];
    row[p.hour] = (row[p.hour] as Decimal).plus(l.units);
  }
  return cells.map((r) => r.map((d) => d.toString()));
}
