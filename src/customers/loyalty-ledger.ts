import * as z from 'zod/mini';
import { type Clock, systemClock } from '../clock.js';
import { Decimal } from '../money/decimal.js';
import { customerError, parseOrThrow } from './errors.js';

/** One movement of a customer's points. */
export interface LoyaltyEntry {
  /** `credit` gives redeemed points back (a refunded loyalty tender): balance, not lifetime. */
  kind: 'earn' | 'redeem' | 'credit';
  customerId: string;
  /** The sale the points belong to: the idempotency key (with `kind`). */
  saleId: string;
  /** Decimal string; positive for earn and redeem alike (a return earns negative points). */
  points: string;
  /** ISO 8601 time it was recorded. */
  at: string;
}

/** A customer's points. */
export interface LoyaltyBalance {
  customerId: string;
  /** Points available to redeem. */
  points: string;
  /** Points ever earned (net of returns), for tiers. */
  lifetimePoints: string;
}

/** What {@link LoyaltyLedger.earn} and {@link LoyaltyLedger.redeem} take. */
export interface LoyaltyMovement {
  customerId: string;
  saleId: string;
  points: string | number;
}

/**
 * Points balances: a port, so an app keeps them in its own store. Earning and redeeming are
 * idempotent by sale id: a retried sale returns the entry it already recorded and never earns
 * (or spends) twice; the same sale id with other points or another customer is a conflict.
 */
export interface LoyaltyLedger {
  /** Should not scan the ledger: keep a running balance (or an index) per customer. */
  balance(customerId: string): Promise<LoyaltyBalance>;
  /** Records the points a sale earned (negative for a return). */
  earn(movement: LoyaltyMovement): Promise<LoyaltyEntry>;
  /** Spends points for a sale. @throws KassaError `loyalty.insufficient_points` */
  redeem(movement: LoyaltyMovement): Promise<LoyaltyEntry>;
  /** Gives points back to the balance (not to the lifetime total), idempotent by `saleId`. */
  credit(movement: LoyaltyMovement): Promise<LoyaltyEntry>;
  /** Undoes a sale's entries (a voided sale); returns the entries removed. Idempotent. */
  reverse(saleId: string): Promise<LoyaltyEntry[]>;
  entries(customerId: string): Promise<LoyaltyEntry[]>;
}

const movementSchema = z.strictObject({
  customerId: z.string().check(z.minLength(1), z.maxLength(64)),
  saleId: z.string().check(z.minLength(1), z.maxLength(512)),
  points: z.union([
    z.string().check(z.regex(/^-?\d{1,12}(\.\d{1,6})?$/, 'Expected points like "120"')),
    z.int(),
  ]),
});

/**
 * An in-memory {@link LoyaltyLedger}. Operations are serialised, so concurrent retries are safe.
 * Entries are indexed by sale (the idempotency key) and by customer, with a running balance per
 * customer, so no operation scans the whole ledger.
 */
export function createMemoryLoyaltyLedger(options: { clock?: Clock } = {}): LoyaltyLedger {
  const clock = options.clock ?? systemClock;
  const byKey = new Map<string, LoyaltyEntry>();
  let queue: Promise<unknown> = Promise.resolve();
  // One operation at a time: a retry racing the original sees its entry.
  const serial = <T>(fn: () => T): Promise<T> => {
    const next = queue.then(fn);
    queue = next.catch(() => undefined);
    return next;
  };

  // Per customer: the running balance and the entries (keyed like byKey, in the order they
  // were recorded), so balance, redeem and entries cost the same with ten or a million customers.
  const accounts = new Map<
    string,
    { points: Decimal; lifetime: Decimal; entries: Map<string, LoyaltyEntry> }
  >();
  const ZERO = new Decimal(0);

  const balanceOf = (customerId: string) => {
    const a = accounts.get(customerId);
    return a === undefined ? { points: ZERO, lifetime: ZERO } : { points: a.points, lifetime: a.lifetime };
  };

  // sign 1 adds an entry to its account, -1 takes it out (a reversed sale).
  const post = (key: string, e: LoyaltyEntry, sign: 1 | -1): void => {
    let a = accounts.get(e.customerId);
    if (a === undefined) {
      a = { points: ZERO, lifetime: ZERO, entries: new Map() };
      accounts.set(e.customerId, a);
    }
    const points = new Decimal(e.points);
    const add = (x: Decimal): Decimal => (sign === 1 ? x.plus(points) : x.minus(points));
    if (e.kind === 'earn') {
      a.points = add(a.points);
      a.lifetime = add(a.lifetime);
    } else if (e.kind === 'credit') a.points = add(a.points);
    else a.points = sign === 1 ? a.points.minus(points) : a.points.plus(points);
    if (sign === 1) {
      byKey.set(key, e);
      a.entries.set(key, e);
    } else {
      byKey.delete(key);
      a.entries.delete(key);
      if (a.entries.size === 0) accounts.delete(e.customerId);
    }
  };

  const record = (kind: LoyaltyEntry['kind'], input: LoyaltyMovement): LoyaltyEntry => {
    const m = parseOrThrow(movementSchema, input, 'loyalty.invalid_entry', 'loyalty movement');
    const points = new Decimal(m.points);
    if (kind === 'redeem' && points.lte(0)) {
      throw customerError('loyalty.invalid_entry', 'Redeemed points must be above zero', {
        path: ['points'],
      });
    }
    const key = `${kind}:${m.saleId}`;
    const existing = byKey.get(key);
    if (existing !== undefined) {
      if (existing.customerId !== m.customerId || !new Decimal(existing.points).eq(points)) {
        throw customerError(
          'loyalty.conflict',
          `Sale ${JSON.stringify(m.saleId)} already has a different ${kind} entry`,
          {
            path: ['saleId'],
            saleId: m.saleId,
          },
        );
      }
      return { ...existing };
    }
    if (kind === 'redeem' && balanceOf(m.customerId).points.lt(points)) {
      throw customerError('loyalty.insufficient_points', 'The balance does not cover these points', {
        path: ['points'],
      });
    }
    const entry: LoyaltyEntry = {
      kind,
      customerId: m.customerId,
      saleId: m.saleId,
      points: points.toFixed(),
      at: new Date(clock.now()).toISOString(),
    };
    post(key, entry, 1);
    return { ...entry };
  };

  return {
    balance: (customerId) =>
      serial(() => {
        const b = balanceOf(customerId);
        return { customerId, points: b.points.toFixed(), lifetimePoints: b.lifetime.toFixed() };
      }),
    earn: (movement) => serial(() => record('earn', movement)),
    redeem: (movement) => serial(() => record('redeem', movement)),
    credit: (movement) => serial(() => record('credit', movement)),
    reverse: (saleId) =>
      serial(() => {
        const removed: LoyaltyEntry[] = [];
        for (const kind of ['earn', 'redeem', 'credit'] as const) {
          const key = `${kind}:${saleId}`;
          const e = byKey.get(key);
          if (e !== undefined) {
            post(key, e, -1);
            removed.push({ ...e });
          }
        }
        return removed;
      }),
    entries: (customerId) =>
      serial(() => [...(accounts.get(customerId)?.entries.values() ?? [])].map((e) => ({ ...e }))),
  };
}
