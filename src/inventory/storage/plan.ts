import Decimal from 'decimal.js';
import {
  insufficient,
  isReservationReason,
  levelKey,
  type StockLevel,
  type StockMovement,
} from '../types.js';
import { breaksDeny, resolveCount } from './memory.js';

/** A batch planned against the current levels: what to insert and the levels after. @internal */
export interface Plan {
  applied: StockMovement[];
  duplicates: string[];
  before: StockLevel[];
  after: StockLevel[];
}

/** The distinct SKU/location keys of a batch, sorted so that locks are always taken in one order. @internal */
export function batchKeys(movements: readonly StockMovement[]): { sku: string; location: string }[] {
  const keys = new Map<string, { sku: string; location: string }>();
  for (const m of movements) keys.set(levelKey(m.sku, m.location), { sku: m.sku, location: m.location });
  return [...keys.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v);
}

/**
 * Plans a batch: skips ids already seen, resolves counts, checks the deny policy. Throws
 * `inventory.insufficient_stock` for a refused batch. @internal
 */
export function planBatch(
  movements: readonly StockMovement[],
  current: ReadonlyMap<string, { onHand: string; reserved: string }>,
  seen: ReadonlySet<string>,
  deny: boolean,
): Plan {
  const work = new Map<string, { sku: string; location: string; onHand: Decimal; reserved: Decimal }>();
  const before: StockLevel[] = [];
  const applied: StockMovement[] = [];
  const duplicates: string[] = [];
  const inBatch = new Set<string>();
  for (const raw of movements) {
    if (seen.has(raw.id) || inBatch.has(raw.id)) {
      duplicates.push(raw.id);
      continue;
    }
    inBatch.add(raw.id);
    const key = levelKey(raw.sku, raw.location);
    let w = work.get(key);
    if (!w) {
      const c = current.get(key) ?? { onHand: '0', reserved: '0' };
      w = {
        sku: raw.sku,
        location: raw.location,
        onHand: new Decimal(c.onHand),
        reserved: new Decimal(c.reserved),
      };
      before.push(level(w));
      work.set(key, w);
    }
    const m = resolveCount(raw, w.onHand);
    if (deny && breaksDeny(m, w.onHand, w.reserved))
      throw insufficient(
        m.sku,
        m.location,
        w.onHand.minus(w.reserved).toString(),
        new Decimal(m.quantity).abs().toString(),
      );
    if (isReservationReason(m.reason)) w.reserved = w.reserved.plus(m.quantity);
    else w.onHand = w.onHand.plus(m.quantity);
    applied.push(m);
  }
  return { applied, duplicates, before, after: [...work.values()].map(level) };
}

function level(w: { sku: string; location: string; onHand: Decimal; reserved: Decimal }): StockLevel {
  return {
    sku: w.sku,
    location: w.location,
    onHand: w.onHand.toString(),
    reserved: w.reserved.toString(),
    available: w.onHand.minus(w.reserved).toString(),
  };
}
