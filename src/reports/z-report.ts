import Decimal from 'decimal.js';
import type { AnyJournalEntry, JournalEntry, TenderType } from '../journal/entries.js';
import type { ReceiptBlock, ReceiptDocument } from '../receipts/document.js';
import { businessDate, type ShopCalendar } from './business-day.js';

/** One tax rate's figures: base, tax and gross. Returns count negative. */
export interface TaxRateFigures {
  readonly key: string;
  readonly rate?: string;
  readonly base: string;
  readonly tax: string;
  readonly gross: string;
}

/** An X or Z report as plain data. Amounts are decimal strings in the report's currency. */
export interface ShiftReport {
  readonly kind: 'X' | 'Z';
  /** Z only: numbered from 1, one more than the journal's last `report.z`. */
  readonly zNumber?: number;
  readonly register: string;
  readonly businessDate: string;
  readonly currency: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly sales: { readonly count: number; readonly gross: string };
  /** Negative gross. */
  readonly returns: { readonly count: number; readonly gross: string };
  /** Sales cancelled after completion (count and the gross reversed, negative). */
  readonly voids: { readonly count: number; readonly gross: string };
  readonly discounts: string;
  /** Sales plus returns plus voids. */
  readonly netSales: string;
  readonly taxes: readonly TaxRateFigures[];
  readonly tenders: readonly { readonly type: TenderType; readonly count: number; readonly amount: string }[];
  readonly cash: {
    readonly float: string;
    readonly sales: string;
    readonly paidIn: string;
    readonly paidOut: string;
    /** float + sales + paidIn − paidOut. */
    readonly expected: string;
    readonly counted?: string;
    /** counted − expected. */
    readonly overShort?: string;
  };
  readonly noSales: number;
  /** Never reset: the previous Z's grand total plus this day's net sales. */
  readonly grandTotal: string;
  readonly previousGrandTotal: string;
}

/** Options of {@link xReport} and {@link zReport}. */
export interface ShiftReportOptions extends ShopCalendar {
  /** The business date to report; default the business date of the last entry. */
  readonly businessDate?: string;
}

const ZERO = new Decimal(0);

function sum(a: Decimal, b: string | undefined): Decimal {
  return b === undefined ? a : a.plus(b);
}

function build(
  kind: 'X' | 'Z',
  entries: readonly AnyJournalEntry[],
  options: ShiftReportOptions,
): ShiftReport {
  const last = entries[entries.length - 1];
  const day = options.businessDate ?? (last ? businessDate(last.at, options) : '1970-01-01');
  let previousGrandTotal = ZERO;
  let lastZ = 0;
  let currency = 'EUR';
  let fromSeq = Number.POSITIVE_INFINITY;
  let toSeq = 0;
  let salesCount = 0;
  let salesGross = ZERO;
  let returnsCount = 0;
  let returnsGross = ZERO;
  let voidCount = 0;
  let voidGross = ZERO;
  let discounts = ZERO;
  const taxes = new Map<
    string,
    { key: string; rate?: string; base: Decimal; tax: Decimal; gross: Decimal }
  >();
  const tenders = new Map<TenderType, { count: number; amount: Decimal }>();
  let float = ZERO;
  let cashSales = ZERO;
  let paidIn = ZERO;
  let paidOut = ZERO;
  let counted: Decimal | undefined;
  let noSales = 0;
  for (const e of entries) {
    if (e.type === 'report.z') {
      const z = (e as JournalEntry<'report.z'>).data;
      // The grand total carried is the last Z before the reported day.
      if (z.businessDate < day) {
        previousGrandTotal = new Decimal(z.grandTotal);
      }
      lastZ = Math.max(lastZ, z.zNumber);
      continue;
    }
    if (businessDate(e.at, options) !== day) continue;
    fromSeq = Math.min(fromSeq, e.seq);
    toSeq = Math.max(toSeq, e.seq);
    switch (e.type) {
      case 'sale.completed':
      case 'return.completed': {
        const d = e.data;
        currency = d.currency;
        if (e.type === 'sale.completed') {
          salesCount++;
          salesGross = salesGross.plus(d.totals.gross);
          discounts = discounts.plus(d.totals.discount);
        } else {
          returnsCount++;
          // A return counts negative, whatever sign the till wrote.
          returnsGross = returnsGross.minus(new Decimal(d.totals.gross).abs());
        }
        const sign = e.type === 'return.completed' ? -1 : 1;
        for (const t of d.taxTotals) {
          const k = `${t.key}|${t.rate ?? ''}`;
          const acc = taxes.get(k) ?? {
            key: t.key,
            ...(t.rate !== undefined ? { rate: t.rate } : {}),
            base: ZERO,
            tax: ZERO,
            gross: ZERO,
          };
          acc.base = acc.base.plus(new Decimal(t.net).abs().times(sign));
          acc.tax = acc.tax.plus(new Decimal(t.tax).abs().times(sign));
          acc.gross = acc.gross.plus(new Decimal(t.gross).abs().times(sign));
          taxes.set(k, acc);
        }
        for (const t of d.tenders) {
          const amount = new Decimal(t.amount).abs().times(sign);
          const acc = tenders.get(t.type) ?? { count: 0, amount: ZERO };
          acc.count++;
          acc.amount = acc.amount.plus(amount);
          tenders.set(t.type, acc);
          if (t.type === 'cash' && t.currency === undefined) cashSales = cashSales.plus(amount);
        }
        break;
      }
      case 'sale.voided':
        if (e.data.stage === 'completed') {
          voidCount++;
          voidGross = voidGross.minus(new Decimal(e.data.totals?.gross ?? '0').abs());
          for (const t of e.data.tenders ?? []) {
            const amount = new Decimal(t.amount).abs().neg();
            const acc = tenders.get(t.type) ?? { count: 0, amount: ZERO };
            acc.amount = acc.amount.plus(amount);
            tenders.set(t.type, acc);
            if (t.type === 'cash') cashSales = cashSales.plus(amount);
          }
        }
        break;
      case 'shift.opened':
        float = float.plus(e.data.float);
        break;
      case 'cash.in':
        paidIn = paidIn.plus(e.data.amount);
        break;
      case 'cash.out':
        paidOut = paidOut.plus(e.data.amount);
        break;
      case 'drawer.opened':
        if (e.data.reason === 'no-sale') noSales++;
        break;
      case 'shift.closed':
        for (const c of e.data.counted) if (c.type === 'cash') counted = sum(counted ?? ZERO, c.amount);
        break;
      default:
        break;
    }
  }
  const netSales = salesGross.plus(returnsGross).plus(voidGross);
  const expected = float.plus(cashSales).plus(paidIn).minus(paidOut);
  return {
    kind,
    ...(kind === 'Z' ? { zNumber: lastZ + 1 } : {}),
    register: last?.register ?? '',
    businessDate: day,
    currency,
    fromSeq: Number.isFinite(fromSeq) ? fromSeq : 0,
    toSeq,
    sales: { count: salesCount, gross: salesGross.toFixed(2) },
    returns: { count: returnsCount, gross: returnsGross.toFixed(2) },
    voids: { count: voidCount, gross: voidGross.toFixed(2) },
    discounts: discounts.toFixed(2),
    netSales: netSales.toFixed(2),
    taxes: [...taxes.values()]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((t) => ({
        key: t.key,
        ...(t.rate !== undefined ? { rate: t.rate } : {}),
        base: t.base.toFixed(2),
        tax: t.tax.toFixed(2),
        gross: t.gross.toFixed(2),
      })),
    tenders: [...tenders.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([type, t]) => ({ type, count: t.count, amount: t.amount.toFixed(2) })),
    cash: {
      float: float.toFixed(2),
      sales: cashSales.toFixed(2),
      paidIn: paidIn.toFixed(2),
      paidOut: paidOut.toFixed(2),
      expected: expected.toFixed(2),
      ...(counted !== undefined
        ? { counted: counted.toFixed(2), overShort: counted.minus(expected).toFixed(2) }
        : {}),
    },
    noSales,
    previousGrandTotal: previousGrandTotal.toFixed(2),
    grandTotal: previousGrandTotal.plus(netSales).toFixed(2),
  };
}

/** An X report: the day so far; resets nothing. Pure: same entries, same report. */
export function xReport(entries: readonly AnyJournalEntry[], options: ShiftReportOptions): ShiftReport {
  return build('X', entries, options);
}

/**
 * A Z report: the day's closing, numbered one after the journal's last `report.z`, with the
 * grand total carried from the previous Z (never reset). Journal the result as `report.z`.
 */
export function zReport(entries: readonly AnyJournalEntry[], options: ShiftReportOptions): ShiftReport {
  return build('Z', entries, options);
}

/** The report as CSV (`section,key,value`), RFC 4180 quoting. */
export function shiftReportCsv(r: ShiftReport): string {
  const rows: string[][] = [['section', 'key', 'value']];
  rows.push(
    ['report', 'kind', r.kind],
    ['report', 'z', String(r.zNumber ?? '')],
    ['report', 'businessDate', r.businessDate],
  );
  rows.push(['sales', 'count', String(r.sales.count)], ['sales', 'gross', r.sales.gross]);
  rows.push(['returns', 'count', String(r.returns.count)], ['returns', 'gross', r.returns.gross]);
  rows.push(['voids', 'count', String(r.voids.count)], ['voids', 'gross', r.voids.gross]);
  rows.push(['totals', 'discounts', r.discounts], ['totals', 'netSales', r.netSales]);
  for (const t of r.taxes)
    rows.push(
      ['tax', `${t.key} base`, t.base],
      ['tax', `${t.key} tax`, t.tax],
      ['tax', `${t.key} gross`, t.gross],
    );
  for (const t of r.tenders) rows.push(['tender', t.type, t.amount]);
  for (const [k, v] of Object.entries(r.cash)) rows.push(['cash', k, String(v)]);
  rows.push(['drawer', 'noSales', String(r.noSales)], ['totals', 'grandTotal', r.grandTotal]);
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Quotes a CSV cell when it needs it; a leading formula character is neutralised. @internal */
export function csvCell(v: string): string {
  const safe = /^[=+\-@]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function row(left: string, right: string, bold = false): ReceiptBlock {
  return {
    type: 'row',
    columns: [{ text: left }, { text: right, align: 'right' }],
    ...(bold ? { style: { bold: true } } : {}),
  };
}

/** The report as a receipt document, to print on the till's printer. */
export function shiftReportDocument(r: ShiftReport, options: { columns?: number } = {}): ReceiptDocument {
  const blocks: ReceiptBlock[] = [
    {
      type: 'text',
      text: r.kind === 'Z' ? `Z REPORT #${r.zNumber}` : 'X REPORT',
      align: 'center',
      style: { bold: true },
    },
    { type: 'text', text: `${r.register}  ${r.businessDate}`, align: 'center' },
    { type: 'rule' },
    row(`Sales (${r.sales.count})`, r.sales.gross),
    row(`Returns (${r.returns.count})`, r.returns.gross),
    row(`Voids (${r.voids.count})`, r.voids.gross),
    row('Discounts', r.discounts),
    row('Net sales', r.netSales, true),
    { type: 'rule' },
    { type: 'text', text: 'Tax        base      tax    gross' },
  ];
  for (const t of r.taxes)
    blocks.push({
      type: 'row',
      columns: [
        { text: t.rate ? `${t.rate}%` : t.key },
        { text: t.base, align: 'right' },
        { text: t.tax, align: 'right' },
        { text: t.gross, align: 'right' },
      ],
    });
  blocks.push({ type: 'rule' });
  for (const t of r.tenders) blocks.push(row(`${t.type} (${t.count})`, t.amount));
  blocks.push(
    { type: 'rule' },
    row('Float', r.cash.float),
    row('Cash sales', r.cash.sales),
    row('Paid in', r.cash.paidIn),
    row('Paid out', r.cash.paidOut),
    row('Expected', r.cash.expected, true),
  );
  if (r.cash.counted !== undefined)
    blocks.push(row('Counted', r.cash.counted), row('Over/short', r.cash.overShort ?? '0.00', true));
  blocks.push(
    { type: 'rule' },
    row('No-sale openings', String(r.noSales)),
    row('Grand total', r.grandTotal, true),
  );
  return {
    columns: options.columns ?? 42,
    blocks,
    title: r.kind === 'Z' ? `Z report ${r.zNumber}` : 'X report',
  };
}
