import { applyRecord, isOpen, needsWork, reduceRecords, type SaleModel } from './reduce.js';
import type { OpenAttempt, PaymentRecord } from './types.js';

/*
 * What the stores keep so that a new sale's payment never reads closed history: the records
 * of each sale by sale id, the folded model of every sale that is not settled, and the
 * attempts that are not final by terminal. Applying a record costs the size of its own sale;
 * a settled sale (complete, nothing in flight, no void or refund pending) drops out of the
 * models and is never folded again unless a record for it arrives (a refund next week).
 */

/** A sale is settled once it is complete and nothing about it is still moving. @internal */
export function isSettled(sale: SaleModel): boolean {
  if (!sale.completed) return false;
  for (const a of sale.attempts.values()) {
    if (isOpen(a.status) || a.void === 'pending') return false;
    for (const r of a.refunds) if (r.status === 'pending' || r.status === 'unknown') return false;
  }
  return true;
}

/** @internal */
export class RecordIndex {
  /** Records per sale, in append order. */
  readonly bySale = new Map<string, PaymentRecord[]>();
  /** Models of the sales that are not settled. */
  private readonly live = new Map<string, SaleModel>();
  /** Open attempts by provider: attempt id to sale id. */
  private readonly openByProvider = new Map<string, Map<string, string>>();
  /** The open attempts each live sale put into `openByProvider`, to take them out again. */
  private readonly openOfSale = new Map<string, [provider: string, attemptId: string][]>();

  /** Folds one record; `earlier` loads a sale's older records when they are not in memory. */
  apply(r: PaymentRecord, earlier?: (saleId: string) => readonly PaymentRecord[]): void {
    let list = this.bySale.get(r.saleId);
    if (!list) {
      list = earlier ? [...earlier(r.saleId)] : [];
      this.bySale.set(r.saleId, list);
    }
    if (!this.live.has(r.saleId) && list.length > 0) {
      // A settled sale comes back (a late refund): fold its history once.
      const model = reduceRecords(list).get(r.saleId);
      if (model) this.live.set(r.saleId, model);
    }
    list.push(r);
    applyRecord(this.live, r);
    this.reindex(this.live.get(r.saleId)!);
  }

  private reindex(sale: SaleModel): void {
    for (const [provider, attemptId] of this.openOfSale.get(sale.saleId) ?? []) {
      this.openByProvider.get(provider)?.delete(attemptId);
    }
    const open: [string, string][] = [];
    for (const a of sale.attempts.values()) {
      if (!isOpen(a.status)) continue;
      open.push([a.record.provider, a.record.attemptId]);
      let m = this.openByProvider.get(a.record.provider);
      if (!m) {
        m = new Map();
        this.openByProvider.set(a.record.provider, m);
      }
      m.set(a.record.attemptId, sale.saleId);
    }
    if (open.length > 0) this.openOfSale.set(sale.saleId, open);
    else this.openOfSale.delete(sale.saleId);
    if (isSettled(sale)) this.live.delete(sale.saleId);
  }

  /** Attempts that are not final on `provider`, across every sale. */
  openAttempts(provider: string): OpenAttempt[] {
    const m = this.openByProvider.get(provider);
    return m ? [...m].map(([attemptId, saleId]) => ({ saleId, attemptId })) : [];
  }

  /** Sales that are not settled and have recovery work. */
  openSales(): string[] {
    return [...this.live.values()].filter((s) => s.session && needsWork(s)).map((s) => s.saleId);
  }

  /** Sales that are settled: what compaction may archive. */
  settledSales(): string[] {
    return [...this.bySale.keys()].filter((id) => !this.live.has(id));
  }

  /** Forgets a sale (after compaction moved it to the archive). */
  forget(saleId: string): void {
    this.bySale.delete(saleId);
    this.live.delete(saleId);
  }
}
