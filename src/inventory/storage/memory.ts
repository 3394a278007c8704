import Decimal from 'decimal.js';
import {
  type ApplyOptions,
  type ApplyResult,
  type InventoryStorage,
  insufficient,
  isReservationReason,
  levelKey,
  type MovementQuery,
  type StockLevel,
  type StockMovement,
} from '../types.js';

interface Acc {
  sku: string;
  location: string;
  onHand: Decimal;
  reserved: Decimal;
}

function toLevel(a: Acc): StockLevel {
  return {
    sku: a.sku,
    location: a.location,
    onHand: a.onHand.toString(),
    reserved: a.reserved.toString(),
    available: a.onHand.minus(a.reserved).toString(),
  };
}

/** Resolves a count's quantity against the level it is applied to. @internal */
export function resolveCount(m: StockMovement, onHand: Decimal): StockMovement {
  if (m.reason !== 'count' || m.counted === undefined) return m;
  return { ...m, quantity: new Decimal(m.counted).minus(onHand).toString() };
}

/** Whether applying `m` on top of `acc` breaks the deny policy. @internal */
export function breaksDeny(m: StockMovement, onHand: Decimal, reserved: Decimal): boolean {
  const q = new Decimal(m.quantity);
  // Only what takes stock out can be refused: receipts, returns and releases always go in.
  if (m.reason === 'reservation') return q.gt(0) && onHand.minus(reserved).minus(q).lt(0);
  if (m.reason === 'count' || isReservationReason(m.reason)) return false;
  return q.lt(0) && onHand.minus(reserved).plus(q).lt(0);
}

/** Matches a movement against a query. @internal */
export function matches(m: StockMovement, q: MovementQuery): boolean {
  return (
    (q.sku === undefined || m.sku === q.sku) &&
    (q.location === undefined || m.location === q.location) &&
    (q.ref === undefined || m.ref === q.ref) &&
    (q.from === undefined || m.at >= q.from) &&
    (q.to === undefined || m.at < q.to)
  );
}

/**
 * The ledger in memory: for tests, a browser kiosk and a register that syncs its journal.
 * Levels are kept as running sums of the ledger (never written from outside).
 */
export function createMemoryInventoryStorage(): InventoryStorage {
  const ledger: StockMovement[] = [];
  const seen = new Set<string>();
  const levels = new Map<string, Acc>();
  const acc = (sku: string, location: string): Acc => {
    const key = levelKey(sku, location);
    let a = levels.get(key);
    if (!a) {
      a = { sku, location, onHand: new Decimal(0), reserved: new Decimal(0) };
      levels.set(key, a);
    }
    return a;
  };
  return {
    async apply(movements, options: ApplyOptions): Promise<ApplyResult> {
      // Work on copies so that a refused batch leaves everything as it was.
      const work = new Map<string, Acc>();
      const before = new Map<string, StockLevel>();
      const applied: StockMovement[] = [];
      const duplicates: string[] = [];
      const batchIds = new Set<string>();
      for (const raw of movements) {
        if (seen.has(raw.id) || batchIds.has(raw.id)) {
          duplicates.push(raw.id);
          continue;
        }
        batchIds.add(raw.id);
        const key = levelKey(raw.sku, raw.location);
        let w = work.get(key);
        if (!w) {
          const a = levels.get(key) ?? {
            sku: raw.sku,
            location: raw.location,
            onHand: new Decimal(0),
            reserved: new Decimal(0),
          };
          before.set(key, toLevel(a));
          w = { ...a };
          work.set(key, w);
        }
        const m = resolveCount(raw, w.onHand);
        if (options.deny && breaksDeny(m, w.onHand, w.reserved))
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
      for (const m of applied) {
        ledger.push(m);
        seen.add(m.id);
      }
      for (const [key, w] of work) {
        const a = acc(w.sku, w.location);
        a.onHand = w.onHand;
        a.reserved = w.reserved;
        levels.set(key, a);
      }
      return {
        applied,
        duplicates,
        levels: [...work.values()].map(toLevel),
        before: [...before.values()],
      };
    },
    async levels(query = {}) {
      return [...levels.values()]
        .filter(
          (a) =>
            (query.sku === undefined || a.sku === query.sku) &&
            (query.location === undefined || a.location === query.location),
        )
        .map(toLevel);
    },
    async movements(query = {}) {
      return ledger.filter((m) => matches(m, query));
    },
    async close() {},
  };
}
