import Decimal from 'decimal.js';
import { type Observable, Subject } from 'rxjs';
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../clock.js';
import { KassaError, parseInput } from '../errors.js';
import type { AnyJournalEntry } from '../journal/entries.js';
import {
  type ApplyResult,
  type InventoryStorage,
  insufficient,
  levelKey,
  type MovementInput,
  movementInputSchema,
  type StockLevel,
  type StockMovement,
} from './types.js';

/** What to do when a movement would take available stock below zero. */
export type NegativePolicy = 'allow' | 'deny' | 'warn';

/** A stock alert. */
export type StockAlert =
  | {
      readonly type: 'low-stock';
      readonly sku: string;
      readonly location: string;
      readonly available: string;
      readonly reorderPoint: string;
    }
  | {
      readonly type: 'negative';
      readonly sku: string;
      readonly location: string;
      readonly onHand: string;
      readonly movements: string[];
    }
  | {
      readonly type: 'oversold';
      readonly sku: string;
      readonly location: string;
      readonly available: string;
      readonly movements: string[];
    };

/** A reorder point for one SKU at one location. */
export interface ReorderPoint {
  readonly sku: string;
  readonly location: string;
  /** Alert when `available` falls to this level or below. */
  readonly point: string;
}

/** Options of {@link createInventory}. */
export interface InventoryOptions {
  readonly storage: InventoryStorage;
  readonly policy?: { readonly negative?: NegativePolicy };
  /** Used for movement times, reservation expiry and velocity windows. */
  readonly clock?: Clock;
  /** The channel movements are recorded for when they name none (`pos`, `online`, ...). */
  readonly channel?: string;
  readonly reorderPoints?: readonly ReorderPoint[];
  /**
   * Which locations stock which SKU (`{ dress: ['shop', 'warehouse'] }`). A SKU not listed is
   * stocked where the ledger has movements for it.
   */
  readonly stockedAt?: Readonly<Record<string, readonly string[]>>;
}

/** One held line of a reservation. */
export interface Hold {
  readonly sku: string;
  readonly location: string;
  readonly quantity: string;
}

/** A reservation: stock held while an online customer pays. */
export interface Reservation {
  readonly id: string;
  readonly holds: readonly Hold[];
  /** Epoch milliseconds on the inventory's clock. */
  readonly expiresAt: number;
}

/** A reorder suggestion for one SKU at one location. */
export interface ReorderSuggestion {
  readonly sku: string;
  readonly location: string;
  /** Units sold per day over the window (sales minus returns). */
  readonly velocity: string;
  readonly available: string;
  /** velocity × (lead time + safety days). */
  readonly reorderPoint: string;
  /** velocity × (lead time + review period + safety days). */
  readonly orderUpTo: string;
  /** Whole units to order now: max(0, ceil(orderUpTo − available)) when available ≤ reorderPoint, else 0. */
  readonly quantity: string;
}

/** The inventory: a ledger of movements with derived levels. */
export interface Inventory {
  /** Records movements, idempotent by id. `force` records even under `negative: 'deny'` (what already happened). */
  record(movements: readonly MovementInput[], options?: { force?: boolean }): Promise<ApplyResult>;
  level(sku: string, location: string): Promise<StockLevel>;
  levels(query?: { sku?: string; location?: string }): Promise<StockLevel[]>;
  /** Every level changed by a recorded batch, after it. */
  readonly levels$: Observable<StockLevel>;
  readonly alerts$: Observable<StockAlert>;
  /** A stock-take: records the difference between `counted` and the ledger's level. */
  count(input: {
    id: string;
    sku: string;
    location: string;
    counted: string;
    channel?: string;
  }): Promise<StockMovement | undefined>;
  /** Moves stock between two locations (two movements, `${id}:out` and `${id}:in`). */
  transfer(input: {
    id: string;
    sku: string;
    from: string;
    to: string;
    quantity: string;
  }): Promise<ApplyResult>;
  /** Splits a quantity over the locations that stock the SKU, most available first (or in `prefer` order). */
  allocate(sku: string, quantity: string, options?: { prefer?: readonly string[] }): Promise<Hold[]>;
  /** Holds stock for a cart. Demand is summed per SKU and location over the whole cart. */
  reserve(input: {
    id: string;
    lines: readonly { sku: string; quantity: string; location?: string }[];
    ttlMs: number;
  }): Promise<Reservation>;
  /** Releases a reservation; `false` when it was already released, expired or sold. */
  release(id: string): Promise<boolean>;
  /** Turns a reservation into an online sale. */
  commit(id: string, options?: { channel?: string; ref?: string }): Promise<ApplyResult>;
  /** Releases every reservation whose expiry is due on the clock. */
  expire(): Promise<string[]>;
  /** Restocks (or writes off) returned lines, once per line id. */
  returnLines(input: {
    returnId: string;
    lines: readonly { lineId: string; sku: string; location: string; quantity: string; restock: boolean }[];
    channel?: string;
  }): Promise<ApplyResult>;
  /** Records the stock movements journal entries carry; always recorded (they already happened). */
  ingest(entries: readonly AnyJournalEntry[]): Promise<ApplyResult>;
  setReorderPoint(point: ReorderPoint): void;
  suggestReorder(input: {
    sku: string;
    location: string;
    leadTimeDays: number;
    windowDays?: number;
    reviewDays?: number;
    safetyDays?: number;
  }): Promise<ReorderSuggestion>;
  close(): Promise<void>;
}

const reserveSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(150)),
  lines: z
    .array(
      z.strictObject({
        sku: z.string().check(z.minLength(1)),
        quantity: z.string().check(z.regex(/^(0|[1-9]\d{0,17})(\.\d{1,6})?$/)),
        location: z.optional(z.string().check(z.minLength(1))),
      }),
    )
    .check(z.minLength(1)),
  ttlMs: z.number().check(z.positive()),
});

function parse<T>(schema: Parameters<typeof parseInput<T>>[0], input: unknown, what: string): T {
  try {
    return parseInput(schema, input, what);
  } catch (e) {
    if (e instanceof KassaError && /[Uu]nrecognized key|[Uu]nknown (key|field)/.test(e.message))
      throw new KassaError('validation.unknown_field', e.message, e.details);
    throw e;
  }
}

const MOVEMENT_REASONS_FROM_JOURNAL: Record<string, StockMovement['reason']> = {
  sale: 'sale',
  'online-sale': 'online-sale',
  return: 'return',
  receipt: 'receipt',
  count: 'count',
  transfer: 'transfer',
  'write-off': 'write-off',
  damage: 'write-off',
  void: 'return',
  reservation: 'reservation',
  release: 'release',
};

/**
 * Creates an inventory over a storage.
 * @example
 * ```ts
 * const inventory = createInventory({ storage: createMemoryInventoryStorage(), policy: { negative: 'deny' } });
 * await inventory.record([{ id: 'r1', sku: 'dress', location: 'shop', quantity: '50', reason: 'receipt' }]);
 * ```
 */
export function createInventory(options: InventoryOptions): Inventory {
  const storage = options.storage;
  const clock = options.clock ?? systemClock;
  const negative = options.policy?.negative ?? 'allow';
  const channel = options.channel ?? 'pos';
  const points = new Map<string, Decimal>();
  for (const p of options.reorderPoints ?? []) points.set(levelKey(p.sku, p.location), new Decimal(p.point));
  const levels$ = new Subject<StockLevel>();
  const alerts$ = new Subject<StockAlert>();
  const reservations = new Map<string, { reservation: Reservation; cancelTimer: () => void }>();
  const nowIso = () => new Date(clock.now()).toISOString();

  function normalise(input: MovementInput): StockMovement {
    if (input.reason === 'count' ? input.counted === undefined : input.quantity === undefined)
      throw new KassaError(
        'validation.invalid_quantity',
        `Movement ${input.id}: ${input.reason === 'count' ? 'counted' : 'quantity'} is required`,
        {
          path: [input.reason === 'count' ? 'counted' : 'quantity'],
        },
      );
    return {
      id: input.id,
      sku: input.sku,
      location: input.location,
      quantity: input.reason === 'count' ? '0' : new Decimal(input.quantity as string).toString(),
      reason: input.reason,
      channel: input.channel ?? channel,
      ...(input.ref !== undefined ? { ref: input.ref } : {}),
      ...(input.counted !== undefined ? { counted: input.counted } : {}),
      at: input.at ?? nowIso(),
    };
  }

  async function apply(movements: StockMovement[], deny: boolean): Promise<ApplyResult> {
    const result = await storage.apply(movements, { deny });
    const before = new Map(result.before.map((l) => [levelKey(l.sku, l.location), l]));
    for (const level of result.levels) {
      levels$.next(level);
      const key = levelKey(level.sku, level.location);
      const prev = before.get(key);
      const ids = result.applied
        .filter((m) => m.sku === level.sku && m.location === level.location)
        .map((m) => m.id);
      if (ids.length === 0) continue;
      const point = points.get(key);
      const available = new Decimal(level.available);
      if (point && available.lte(point) && (!prev || new Decimal(prev.available).gt(point)))
        alerts$.next({
          type: 'low-stock',
          sku: level.sku,
          location: level.location,
          available: level.available,
          reorderPoint: point.toString(),
        });
      if (new Decimal(level.onHand).lt(0))
        alerts$.next({
          type: 'negative',
          sku: level.sku,
          location: level.location,
          onHand: level.onHand,
          movements: ids,
        });
      else if (negative === 'warn' && available.lt(0))
        alerts$.next({
          type: 'oversold',
          sku: level.sku,
          location: level.location,
          available: level.available,
          movements: ids,
        });
    }
    return result;
  }

  async function record(
    inputs: readonly MovementInput[],
    opts: { force?: boolean } = {},
  ): Promise<ApplyResult> {
    const parsed = parse(z.array(movementInputSchema), inputs, 'stock movements');
    const movements = parsed.map(normalise);
    return apply(movements, negative === 'deny' && !opts.force);
  }

  async function level(sku: string, location: string): Promise<StockLevel> {
    const [l] = await storage.levels({ sku, location });
    return l ?? { sku, location, onHand: '0', reserved: '0', available: '0' };
  }

  async function stockedLevels(sku: string): Promise<StockLevel[]> {
    const all = await storage.levels({ sku });
    const listed = options.stockedAt?.[sku];
    if (!listed) return all;
    return listed.map(
      (location) =>
        all.find((l) => l.location === location) ?? {
          sku,
          location,
          onHand: '0',
          reserved: '0',
          available: '0',
        },
    );
  }

  async function allocate(
    sku: string,
    quantity: string,
    opts: { prefer?: readonly string[] } = {},
  ): Promise<Hold[]> {
    const wanted = new Decimal(quantity);
    const candidates = await stockedLevels(sku);
    if (candidates.length === 0)
      throw new KassaError('inventory.not_stocked', `${sku} is stocked at no location`, { sku });
    const prefer = opts.prefer ?? [];
    const rank = (l: StockLevel) => {
      const i = prefer.indexOf(l.location);
      return i < 0 ? prefer.length : i;
    };
    const ordered = [...candidates].sort(
      (a, b) =>
        rank(a) - rank(b) ||
        new Decimal(b.available).comparedTo(a.available) ||
        (a.location < b.location ? -1 : 1),
    );
    const holds: Hold[] = [];
    let left = wanted;
    let total = new Decimal(0);
    for (const l of ordered) {
      // A negative level contributes nothing; it never takes away from another location's stock.
      const free = Decimal.max(0, l.available);
      total = total.plus(free);
      if (left.lte(0) || free.lte(0)) continue;
      const take = Decimal.min(free, left);
      holds.push({ sku, location: l.location, quantity: take.toString() });
      left = left.minus(take);
    }
    if (left.gt(0))
      throw insufficient(sku, ordered.map((l) => l.location).join(','), total.toString(), wanted.toString());
    return holds;
  }

  async function reserve(input: unknown): Promise<Reservation> {
    const parsed = parse(reserveSchema, input, 'reservation');
    if (reservations.has(parsed.id))
      return (reservations.get(parsed.id) as { reservation: Reservation }).reservation;
    // Sum the demand per SKU and location over the whole cart first: two lines of the same item
    // must fit together, not each on its own.
    const placed = new Map<string, Decimal>();
    const unplaced = new Map<string, Decimal>();
    for (const line of parsed.lines) {
      if (line.location !== undefined) {
        const key = levelKey(line.sku, line.location);
        placed.set(key, (placed.get(key) ?? new Decimal(0)).plus(line.quantity));
      } else unplaced.set(line.sku, (unplaced.get(line.sku) ?? new Decimal(0)).plus(line.quantity));
    }
    const holds = new Map<string, Hold>();
    for (const [key, q] of placed) {
      const [sku, location] = key.split('\u0000') as [string, string];
      holds.set(key, { sku, location, quantity: q.toString() });
    }
    for (const [sku, q] of unplaced) {
      for (const h of await allocate(sku, q.toString())) {
        const key = levelKey(h.sku, h.location);
        const prev = holds.get(key);
        holds.set(key, { ...h, quantity: new Decimal(h.quantity).plus(prev?.quantity ?? 0).toString() });
      }
    }
    const at = nowIso();
    const movements: StockMovement[] = [...holds.values()]
      .filter((h) => new Decimal(h.quantity).gt(0))
      .map((h) => ({
        id: `${parsed.id}:hold:${h.sku}:${h.location}`,
        sku: h.sku,
        location: h.location,
        quantity: h.quantity,
        reason: 'reservation',
        channel: 'online',
        ref: parsed.id,
        at,
      }));
    // A reservation is always checked, whatever the negative policy: it is a promise, not a fact.
    await apply(movements, true);
    const reservation: Reservation = {
      id: parsed.id,
      holds: [...holds.values()],
      expiresAt: clock.now() + parsed.ttlMs,
    };
    const cancelTimer = clock.setTimeout(() => {
      void release(parsed.id).catch(() => {});
    }, parsed.ttlMs);
    reservations.set(parsed.id, { reservation, cancelTimer });
    return reservation;
  }

  async function holdsOf(id: string): Promise<{ holds: StockMovement[]; ended: boolean }> {
    const all = await storage.movements({ ref: id });
    const holds = all.filter((m) => m.reason === 'reservation');
    const ended = all.some((m) => m.reason === 'release');
    return { holds, ended };
  }

  function endMovements(holds: StockMovement[], id: string): StockMovement[] {
    const at = nowIso();
    // One id per hold for the end of the reservation, whether released or sold: whichever comes
    // first wins and the other is a duplicate, so reserved never goes below zero.
    return holds.map((h) => ({
      id: `${id}:end:${h.sku}:${h.location}`,
      sku: h.sku,
      location: h.location,
      quantity: new Decimal(h.quantity).neg().toString(),
      reason: 'release' as const,
      channel: h.channel,
      ref: id,
      at,
    }));
  }

  async function release(id: string): Promise<boolean> {
    const local = reservations.get(id);
    local?.cancelTimer();
    reservations.delete(id);
    const { holds, ended } = await holdsOf(id);
    if (holds.length === 0 || ended) return false;
    const result = await apply(endMovements(holds, id), false);
    return result.applied.length > 0;
  }

  async function commit(id: string, opts: { channel?: string; ref?: string } = {}): Promise<ApplyResult> {
    const { holds, ended } = await holdsOf(id);
    if (holds.length === 0 || ended)
      throw new KassaError(
        'inventory.unknown_reservation',
        `Reservation ${id} is not open (unknown, released or expired)`,
        { id },
      );
    const local = reservations.get(id);
    local?.cancelTimer();
    reservations.delete(id);
    const at = nowIso();
    const sales: StockMovement[] = holds.map((h) => ({
      id: `${id}:sale:${h.sku}:${h.location}`,
      sku: h.sku,
      location: h.location,
      quantity: new Decimal(h.quantity).neg().toString(),
      reason: 'online-sale',
      channel: opts.channel ?? 'online',
      ref: opts.ref ?? id,
      at,
    }));
    const result = await apply([...endMovements(holds, id), ...sales], false);
    if (result.duplicates.some((d) => d.includes(':end:')))
      throw new KassaError('inventory.unknown_reservation', `Reservation ${id} ended while committing`, {
        id,
      });
    return result;
  }

  async function expire(): Promise<string[]> {
    const due = [...reservations.values()]
      .filter((r) => r.reservation.expiresAt <= clock.now())
      .map((r) => r.reservation.id);
    const released: string[] = [];
    for (const id of due) if (await release(id)) released.push(id);
    return released;
  }

  const returnSchema = z.strictObject({
    returnId: z.string().check(z.minLength(1)),
    channel: z.optional(z.string().check(z.minLength(1))),
    lines: z.array(
      z.strictObject({
        lineId: z.string().check(z.minLength(1)),
        sku: z.string().check(z.minLength(1)),
        location: z.string().check(z.minLength(1)),
        quantity: z.string().check(z.regex(/^(0|[1-9]\d{0,17})(\.\d{1,6})?$/)),
        restock: z.boolean(),
      }),
    ),
  });

  async function returnLines(input: unknown): Promise<ApplyResult> {
    const parsed = parse(returnSchema, input, 'return');
    const at = nowIso();
    const movements: StockMovement[] = [];
    for (const line of parsed.lines) {
      const base = {
        sku: line.sku,
        location: line.location,
        channel: parsed.channel ?? channel,
        ref: parsed.returnId,
        at,
      };
      movements.push({
        ...base,
        id: `${parsed.returnId}:${line.lineId}:return`,
        quantity: line.quantity,
        reason: 'return',
      });
      // Goods that come back damaged are recorded in and written off: the ledger shows both.
      if (!line.restock)
        movements.push({
          ...base,
          id: `${parsed.returnId}:${line.lineId}:write-off`,
          quantity: new Decimal(line.quantity).neg().toString(),
          reason: 'write-off',
        });
    }
    return apply(movements, false);
  }

  async function ingest(entries: readonly AnyJournalEntry[]): Promise<ApplyResult> {
    const movements: StockMovement[] = [];
    for (const entry of entries) {
      const data = entry.data as { stockMovements?: unknown; movements?: unknown };
      const list = (entry.type === 'stock.moved' ? data.movements : data.stockMovements) as
        | {
            id: string;
            sku: string;
            location: string;
            quantity: string;
            reason: string;
            channel?: string;
            ref?: string;
            at?: string;
          }[]
        | undefined;
      for (const m of list ?? []) {
        movements.push({
          id: m.id,
          sku: m.sku,
          location: m.location,
          quantity: new Decimal(m.quantity).toString(),
          reason:
            MOVEMENT_REASONS_FROM_JOURNAL[m.reason] ??
            (new Decimal(m.quantity).lt(0) ? 'write-off' : 'receipt'),
          channel: m.channel ?? entry.register,
          ref: m.ref ?? entry.id,
          at: m.at ?? entry.at,
        });
      }
    }
    // The journal records what happened: an offline sale is never refused, it goes negative and alerts.
    return apply(movements, false);
  }

  async function suggestReorder(input: {
    sku: string;
    location: string;
    leadTimeDays: number;
    windowDays?: number;
    reviewDays?: number;
    safetyDays?: number;
  }): Promise<ReorderSuggestion> {
    const windowDays = input.windowDays ?? 28;
    const to = clock.now();
    const from = new Date(to - windowDays * 86_400_000).toISOString();
    const moves = await storage.movements({
      sku: input.sku,
      location: input.location,
      from,
      to: new Date(to + 1).toISOString(),
    });
    let sold = new Decimal(0);
    for (const m of moves) {
      if (m.reason === 'sale' || m.reason === 'online-sale') sold = sold.minus(m.quantity);
      else if (m.reason === 'return') sold = sold.minus(m.quantity);
    }
    const velocity = Decimal.max(0, sold).div(windowDays);
    const lvl = await level(input.sku, input.location);
    const rp = velocity.times(input.leadTimeDays + (input.safetyDays ?? 0));
    const upTo = velocity.times(input.leadTimeDays + (input.reviewDays ?? 7) + (input.safetyDays ?? 0));
    const available = new Decimal(lvl.available);
    const quantity = available.lte(rp) ? Decimal.max(0, upTo.minus(available).ceil()) : new Decimal(0);
    return {
      sku: input.sku,
      location: input.location,
      velocity: velocity.toDecimalPlaces(4).toString(),
      available: lvl.available,
      reorderPoint: rp.toDecimalPlaces(2).toString(),
      orderUpTo: upTo.toDecimalPlaces(2).toString(),
      quantity: quantity.toString(),
    };
  }

  return {
    record,
    level,
    levels: (q) => storage.levels(q),
    levels$: levels$.asObservable(),
    alerts$: alerts$.asObservable(),
    async count(input) {
      const r = await record(
        [
          {
            id: input.id,
            sku: input.sku,
            location: input.location,
            counted: input.counted,
            reason: 'count',
            ...(input.channel ? { channel: input.channel } : {}),
          },
        ],
        { force: true },
      );
      return r.applied[0];
    },
    async transfer(input) {
      const q = new Decimal(input.quantity);
      return record([
        {
          id: `${input.id}:out`,
          sku: input.sku,
          location: input.from,
          quantity: q.neg().toString(),
          reason: 'transfer',
          ref: input.id,
        },
        {
          id: `${input.id}:in`,
          sku: input.sku,
          location: input.to,
          quantity: q.toString(),
          reason: 'transfer',
          ref: input.id,
        },
      ]);
    },
    allocate,
    reserve,
    release,
    commit,
    expire,
    returnLines,
    ingest,
    setReorderPoint(p) {
      points.set(levelKey(p.sku, p.location), new Decimal(p.point));
    },
    suggestReorder,
    async close() {
      for (const r of reservations.values()) r.cancelTimer();
      reservations.clear();
      levels$.complete();
      alerts$.complete();
      await storage.close();
    },
  };
}
