import { compareDecimals, Decimal, isAboveZero } from '../../money/decimal.js';
import { matchesTarget } from './conditions.js';
import type { LineTarget, Promotion } from './schema.js';

/** A line the promotion engine works on (positive quantity and amount only). @internal */
export interface EngineLine {
  id: string;
  sku: string;
  categories: readonly string[];
  attributes: Readonly<Record<string, string>>;
  /** Whole-unit line (unit `each`, integer quantity): can take part in unit-count rewards. */
  each: boolean;
  quantity: Decimal;
  amount: Decimal;
  /** `amount / quantity`, computed once. */
  unitAmount: Decimal;
}

interface LineState {
  /** Promotion discount on the line so far. */
  discount: Decimal;
  /** The line's amount less `discount`, once asked for; cleared when `discount` changes. */
  remaining: Decimal | undefined;
  /** Per group: units used and the discount given by that group's promotions. */
  groups: Map<string, { used: Decimal; discount: Decimal }>;
}

/**
 * Mutable pricing state of one promotion pass. Lines no promotion touched yet have no entry,
 * which keeps the common case free of decimal arithmetic. @internal
 */
export class PassState {
  readonly lines = new Map<string, LineState>();
  /** Sum of all promotion discounts so far. */
  totalDiscount = ZERO;

  remaining(line: EngineLine): Decimal {
    const s = this.lines.get(line.id);
    if (s === undefined) return line.amount;
    // Evaluations, the allocation and the thresholds all ask for it between two applies.
    s.remaining ??= line.amount.minus(s.discount);
    return s.remaining;
  }

  apply(
    group: string,
    total: Decimal,
    perLine: ReadonlyMap<string, Decimal>,
    consume: ReadonlyMap<string, Decimal>,
  ): void {
    this.totalDiscount = this.totalDiscount.plus(total);
    for (const [id, d] of perLine) this.record(id, group, d, consume.get(id));
    // Units used on lines that got no discount of their own (the "buy" side of buy-X-get-Y).
    for (const [id, used] of consume) if (!perLine.has(id)) this.record(id, group, undefined, used);
  }

  private record(id: string, group: string, d: Decimal | undefined, used: Decimal | undefined): void {
    let s = this.lines.get(id);
    if (s === undefined) {
      s = { discount: ZERO, remaining: undefined, groups: new Map() };
      this.lines.set(id, s);
    }
    if (d !== undefined) {
      s.discount = s.discount.plus(d);
      s.remaining = undefined;
    }
    const entry = s.groups.get(group);
    if (entry === undefined) s.groups.set(group, { used: used ?? ZERO, discount: d ?? ZERO });
    else {
      if (used !== undefined) entry.used = entry.used.plus(used);
      if (d !== undefined) entry.discount = entry.discount.plus(d);
    }
  }
}

/** The unrounded outcome of one promotion on the current state. @internal */
export interface Outcome {
  /** Exact discount per line (before rounding). */
  exact: Map<string, Decimal>;
  /** Units used per line (in the promotion's group). */
  consume: Map<string, Decimal>;
  /** How many times the promotion applied (bundles made, buy-X-get-Y rounds); 1 for others. */
  applications: number;
  /** The spend tier used, for spend-tiers. */
  tier?: number;
}

/** Why a promotion gave nothing on the current state. @internal */
export type DynamicFailure = 'no_matching_items' | 'minimum_not_reached';

/** What the evaluator needs beyond the state. @internal */
export interface EvalContext {
  lines: readonly EngineLine[];
  /** Lines matching a target, cached per target object. */
  linesFor(target: LineTarget | undefined): readonly EngineLine[];
  /** The amount `minAmount` conditions compare with, over `lines`, after manual cart discounts; `addBack` adds a promotion's own discount back. */
  basis(
    lines: readonly EngineLine[],
    state: PassState,
    addBack?: { total: Decimal; perLine: ReadonlyMap<string, Decimal> },
  ): Decimal;
  /** Highest spend tier index allowed per promotion (after a threshold was found broken). */
  tierCap(promotionId: string): number | undefined;
}

export const ZERO = new Decimal(0);
const HUNDRED = new Decimal(100);

/** The group a promotion stacks in. @internal */
export function groupOf(p: Promotion): string {
  if (p.group !== undefined) return p.group;
  return isCartLevel(p) ? 'cart' : 'item';
}

/** Cart rewards run after the item rewards of the same priority. @internal */
export function isCartLevel(p: Promotion): boolean {
  return p.reward.type === 'cart' || p.reward.type === 'spend-tiers';
}

/**
 * Units of one line available to a group. A class rather than literals with getters: every
 * evaluation makes one per line, and instances of one class share their shape and getter.
 */
class Block {
  private unitValue: Decimal | undefined;

  constructor(
    readonly line: EngineLine,
    readonly count: Decimal,
    /** value × count. */
    readonly total: Decimal,
    /** What the line has left for the group, when other groups took some of it. */
    private readonly left?: Decimal,
  ) {}

  /** What one unit is worth. Percent rewards never read it: the division waits for those that do. */
  get value(): Decimal {
    this.unitValue ??= this.left === undefined ? this.line.unitAmount : this.left.div(this.line.quantity);
    return this.unitValue;
  }
}

function blocks(lines: readonly EngineLine[], state: PassState, group: string, wholeOnly: boolean): Block[] {
  const out: Block[] = [];
  for (const line of lines) {
    if (wholeOnly && !line.each) continue;
    if (!state.lines.has(line.id)) {
      // Untouched line: all units available at the line's own price, no arithmetic needed.
      out.push(new Block(line, line.quantity, line.amount));
      continue;
    }
    const s = state.lines.get(line.id)!;
    const g = s.groups.get(group);
    // Units of whole-unit lines are used in whole numbers, so what is left stays whole.
    if (g !== undefined && compareDecimals(g.used, line.quantity) >= 0) continue;
    const whole = g === undefined || g.used.isZero();
    const count = whole ? line.quantity : line.quantity.minus(g.used);
    // What a unit still available to this group is worth: the line's amount less the other
    // groups' discounts, spread evenly over the units. The group's own discounts sit on the
    // units it used, which are not available to it any more.
    const others = g === undefined ? s.discount : s.discount.minus(g.discount);
    if (others.isZero()) {
      out.push(new Block(line, count, whole ? line.amount : line.unitAmount.mul(count)));
      continue;
    }
    const left = g === undefined ? state.remaining(line) : line.amount.minus(others);
    if (!isAboveZero(left)) continue;
    out.push(new Block(line, count, whole ? left : left.mul(count).div(line.quantity), left));
  }
  return out;
}

function sortBlocks(list: Block[], order: 'asc' | 'desc'): Block[] {
  return list.sort((a, b) => {
    const c = a.value.comparedTo(b.value);
    if (c !== 0) return order === 'asc' ? c : -c;
    return a.line.id < b.line.id ? -1 : a.line.id > b.line.id ? 1 : 0;
  });
}

function addTo(map: Map<string, Decimal>, id: string, v: Decimal): void {
  map.set(id, (map.get(id) ?? ZERO).plus(v));
}

function sumCounts(list: readonly Block[]): Decimal {
  let n = ZERO;
  for (const b of list) n = n.plus(b.count);
  return n;
}

/** Takes up to `k` units from sorted blocks, skipping units already in `taken`. */
function take(list: readonly Block[], k: Decimal, taken: ReadonlyMap<string, Decimal>): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  let left = k;
  for (const b of list) {
    if (left.lte(0)) break;
    const free = b.count.minus(taken.get(b.line.id) ?? ZERO);
    if (free.lte(0)) continue;
    const n = Decimal.min(free, left);
    out.set(b.line.id, n);
    left = left.minus(n);
  }
  return out;
}

function countOf(m: ReadonlyMap<string, Decimal>): Decimal {
  let n = ZERO;
  for (const v of m.values()) n = n.plus(v);
  return n;
}

/** Discount on one unit worth `value`: percent off, an amount off, or a new price. */
function unitOff(value: Decimal, off: { percent?: string; amount?: string; price?: string }): Decimal {
  if (off.amount !== undefined) return Decimal.min(value, new Decimal(off.amount));
  if (off.price !== undefined) return Decimal.max(ZERO, value.minus(off.price));
  const pct = off.percent === undefined ? HUNDRED : new Decimal(off.percent);
  return value.mul(pct).div(HUNDRED);
}

function perUnit(
  list: readonly Block[],
  off: { percent?: string; amount?: string; price?: string },
): Outcome {
  const exact = new Map<string, Decimal>();
  const consume = new Map<string, Decimal>();
  if (off.amount === undefined && off.price === undefined) {
    // Percent off is linear: one multiplication per line.
    const factor = new Decimal(off.percent ?? '100').div(HUNDRED);
    for (const b of list) {
      // Blocks are never worth zero, so this is positive.
      exact.set(b.line.id, b.total.mul(factor));
      consume.set(b.line.id, b.count);
    }
    return { exact, consume, applications: 1 };
  }
  for (const b of list) {
    const d = unitOff(b.value, off).mul(b.count);
    if (d.gt(0)) exact.set(b.line.id, d);
    consume.set(b.line.id, b.count);
  }
  return { exact, consume, applications: 1 };
}

/** An amount spread over blocks by their value (never more than they are worth). */
function spread(list: readonly Block[], amount: Decimal): Outcome {
  let total = ZERO;
  for (const b of list) total = total.plus(b.total);
  const exact = new Map<string, Decimal>();
  const consume = new Map<string, Decimal>();
  if (total.lte(0)) return { exact, consume, applications: 1 };
  const factor = Decimal.min(amount, total).div(total);
  for (const b of list) {
    exact.set(b.line.id, b.total.mul(factor));
    consume.set(b.line.id, b.count);
  }
  return { exact, consume, applications: 1 };
}

/** Lines a `minQuantity` condition counts by default: those the reward looks at. @internal */
export function rewardScope(p: Promotion, ctx: EvalContext): readonly EngineLine[] {
  const r = p.reward;
  switch (r.type) {
    case 'buy-x-get-y':
      return ctx.linesFor(r.buy.target);
    case 'bundle':
      return ctx.lines.filter((l) => r.items.some((i) => matchesTarget(l, i.target)));
    case 'free-item':
      return ctx.lines.filter((l) => l.sku === r.sku);
    default:
      return ctx.linesFor(r.target);
  }
}

/**
 * Evaluates one promotion on the current state: the exact discount per line and the units it
 * uses, or why it gives nothing. Pure apart from reading `state`. @internal
 */
export function evaluate(p: Promotion, state: PassState, ctx: EvalContext): Outcome | DynamicFailure {
  const c = p.conditions;
  const group = groupOf(p);
  if (c?.minQuantity !== undefined) {
    const scope = c.target === undefined ? rewardScope(p, ctx) : ctx.linesFor(c.target);
    let q = ZERO;
    for (const l of scope) q = q.plus(l.quantity);
    if (q.lt(c.minQuantity)) return 'minimum_not_reached';
  }
  if (c?.minAmount !== undefined) {
    const scope = c.target === undefined ? ctx.lines : ctx.linesFor(c.target);
    if (ctx.basis(scope, state).lt(c.minAmount)) return 'minimum_not_reached';
  }
  const r = p.reward;
  switch (r.type) {
    case 'percent-off': {
      const list = blocks(ctx.linesFor(r.target), state, group, false);
      return list.length === 0 ? 'no_matching_items' : perUnit(list, { percent: r.percent });
    }
    case 'amount-off': {
      const list = blocks(ctx.linesFor(r.target), state, group, false);
      if (list.length === 0) return 'no_matching_items';
      return r.per === 'total' ? spread(list, new Decimal(r.amount)) : perUnit(list, { amount: r.amount });
    }
    case 'fixed-price': {
      const list = blocks(ctx.linesFor(r.target), state, group, false);
      return list.length === 0 ? 'no_matching_items' : perUnit(list, { price: r.price });
    }
    case 'quantity-tiers': {
      const list = blocks(ctx.linesFor(r.target), state, group, false);
      if (list.length === 0) return 'no_matching_items';
      const q = sumCounts(list);
      let best: (typeof r.tiers)[number] | undefined;
      for (const t of r.tiers)
        if (q.gte(t.minQuantity) && (best === undefined || t.minQuantity > best.minQuantity)) best = t;
      if (best === undefined) return 'minimum_not_reached';
      return perUnit(list, best);
    }
    case 'cart': {
      const list = blocks(ctx.linesFor(r.target), state, group, false);
      if (list.length === 0) return 'no_matching_items';
      if (r.percent !== undefined) return perUnit(list, { percent: r.percent });
      return spread(list, new Decimal(r.amount ?? '0'));
    }
    case 'spend-tiers': {
      const scope = ctx.linesFor(r.target);
      const list = blocks(scope, state, group, false);
      if (list.length === 0) return 'no_matching_items';
      const basis = ctx.basis(scope, state);
      const cap = ctx.tierCap(p.id);
      const order = r.tiers
        .map((t, i) => ({ t, i }))
        .sort((a, b) => new Decimal(a.t.minAmount).comparedTo(b.t.minAmount) || a.i - b.i);
      let chosen = -1;
      for (const [rank, { t }] of order.entries()) {
        if (cap !== undefined && rank > cap) break;
        if (basis.gte(t.minAmount)) chosen = rank;
      }
      const tier = order[chosen]?.t;
      if (tier === undefined) return 'minimum_not_reached';
      const outcome =
        tier.percent !== undefined
          ? perUnit(list, { percent: tier.percent })
          : spread(list, new Decimal(tier.amount ?? '0'));
      outcome.tier = chosen;
      return outcome;
    }
    case 'free-item': {
      const list = sortBlocks(
        blocks(
          ctx.lines.filter((l) => l.sku === r.sku),
          state,
          group,
          true,
        ),
        'asc',
      );
      if (list.length === 0) return 'no_matching_items';
      const picked = take(list, new Decimal(r.quantity ?? 1), new Map());
      const exact = new Map<string, Decimal>();
      for (const b of list) {
        const n = picked.get(b.line.id);
        if (n !== undefined) exact.set(b.line.id, b.value.mul(n));
      }
      return { exact, consume: picked, applications: 1 };
    }
    case 'buy-x-get-y':
      return buyXGetY(r, state, group, ctx);
    case 'bundle':
      return bundle(r, state, group, ctx);
  }
}

function buyXGetY(
  r: Extract<Promotion['reward'], { type: 'buy-x-get-y' }>,
  state: PassState,
  group: string,
  ctx: EvalContext,
): Outcome | DynamicFailure {
  const cheapest = (r.rewardItem ?? 'cheapest') === 'cheapest';
  const getPool = sortBlocks(
    blocks(ctx.linesFor(r.get.target), state, group, true),
    cheapest ? 'asc' : 'desc',
  );
  const buyPool = sortBlocks(blocks(ctx.linesFor(r.buy.target), state, group, true), 'desc');
  if (getPool.length === 0 || buyPool.length === 0) return 'no_matching_items';
  const buyQ = new Decimal(r.buy.quantity);
  const getQ = new Decimal(r.get.quantity);
  const union = new Map<string, Decimal>();
  for (const b of [...buyPool, ...getPool]) union.set(b.line.id, b.count);
  let upper = countOf(union).div(buyQ.plus(getQ)).floor();
  upper = Decimal.min(upper, sumCounts(getPool).div(getQ).floor());
  if (r.maxApplications !== undefined) upper = Decimal.min(upper, r.maxApplications);
  // Feasibility is monotone in the number of rounds: find the largest by bisection.
  const plan = (n: Decimal) => {
    const rewards = take(getPool, n.mul(getQ), new Map());
    if (countOf(rewards).lt(n.mul(getQ))) return undefined;
    const triggers = take(buyPool, n.mul(buyQ), rewards);
    if (countOf(triggers).lt(n.mul(buyQ))) return undefined;
    return { rewards, triggers };
  };
  let lo = ZERO;
  let hi = upper;
  let best: { rewards: Map<string, Decimal>; triggers: Map<string, Decimal> } | undefined;
  while (lo.lt(hi)) {
    const mid = lo.plus(hi).plus(1).div(2).floor();
    const p = plan(mid);
    if (p === undefined) hi = mid.minus(1);
    else {
      lo = mid;
      best = p;
    }
  }
  if (best === undefined || lo.isZero()) {
    return sumCounts(buyPool).lt(buyQ) ? 'minimum_not_reached' : 'no_matching_items';
  }
  const exact = new Map<string, Decimal>();
  const consume = new Map<string, Decimal>();
  for (const b of getPool) {
    const n = best.rewards.get(b.line.id);
    if (n === undefined) continue;
    const d = unitOff(b.value, r.get).mul(n);
    if (d.gt(0)) addTo(exact, b.line.id, d);
    addTo(consume, b.line.id, n);
  }
  for (const [id, n] of best.triggers) addTo(consume, id, n);
  return { exact, consume, applications: lo.toNumber() };
}

function bundle(
  r: Extract<Promotion['reward'], { type: 'bundle' }>,
  state: PassState,
  group: string,
  ctx: EvalContext,
): Outcome | DynamicFailure {
  const pools = r.items.map((item) =>
    sortBlocks(blocks(ctx.linesFor(item.target), state, group, true), 'desc'),
  );
  if (pools.some((p) => p.length === 0)) return 'no_matching_items';
  const price = new Decimal(r.price);
  const used = new Map<string, Decimal>();
  const exact = new Map<string, Decimal>();
  const values = new Map<string, Decimal>();
  const counts = new Map<string, Decimal>();
  for (const pool of pools)
    for (const b of pool) {
      values.set(b.line.id, b.value);
      counts.set(b.line.id, b.count);
    }
  let made = 0;
  const max = r.maxApplications ?? Number.POSITIVE_INFINITY;
  // Work per bundle stays bounded by the units it takes, not by the pool: used units only grow,
  // so the blocks a pool has exhausted stay exhausted and each pool keeps a cursor past them;
  // a round's tentative picks sit in a small overlay instead of a copy of `used`.
  const cursors = pools.map(() => 0);
  const round = new Map<string, Decimal>();
  const takenNow = (id: string): Decimal => {
    const u = used.get(id);
    const t = round.get(id);
    return u === undefined ? (t ?? ZERO) : t === undefined ? u : u.plus(t);
  };
  while (made < max) {
    const picks: Map<string, Decimal>[] = [];
    round.clear();
    let ok = true;
    for (const [i, item] of r.items.entries()) {
      const pool = pools[i]!;
      let at = cursors[i]!;
      while (at < pool.length && compareDecimals(used.get(pool[at]!.line.id) ?? ZERO, pool[at]!.count) >= 0)
        at++;
      cursors[i] = at;
      const pick = new Map<string, Decimal>();
      let left = new Decimal(item.quantity);
      for (let j = at; j < pool.length && left.gt(0); j++) {
        const b = pool[j]!;
        const free = b.count.minus(takenNow(b.line.id));
        if (free.lte(0)) continue;
        const n = Decimal.min(free, left);
        pick.set(b.line.id, n);
        left = left.minus(n);
      }
      if (left.gt(0)) {
        ok = false;
        break;
      }
      for (const [id, n] of pick) round.set(id, (round.get(id) ?? ZERO).plus(n));
      picks.push(pick);
    }
    if (!ok) break;
    let worth = ZERO;
    for (const pick of picks) for (const [id, n] of pick) worth = worth.plus(values.get(id)!.mul(n));
    // Units go in most expensive first, so later bundles are worth less: stop at the first
    // that would not save anything.
    if (worth.lte(price)) break;
    const saving = worth.minus(price);
    const once = new Map<string, Decimal>();
    const need = new Map<string, Decimal>();
    for (const pick of picks) {
      for (const [id, n] of pick) {
        addTo(once, id, saving.mul(values.get(id)!.mul(n)).div(worth));
        addTo(need, id, n);
      }
    }
    for (const [id, n] of round) used.set(id, (used.get(id) ?? ZERO).plus(n));
    // The same units are left on the same lines: the next bundles would be identical, so make
    // as many of them at once as the lines still hold (a line of 10 000 cans is one step).
    let repeat = max - made - 1;
    for (const [id, n] of need) {
      const free = counts.get(id)!.minus(used.get(id) ?? ZERO);
      repeat = Math.min(repeat, free.div(n).floor().toNumber());
    }
    const times = 1 + Math.max(0, repeat);
    for (const [id, d] of once) addTo(exact, id, d.mul(times));
    if (times > 1) for (const [id, n] of need) used.set(id, used.get(id)!.plus(n.mul(times - 1)));
    made += times;
  }
  if (made === 0) {
    return pools.some((p, i) => sumCounts(p).lt(r.items[i]!.quantity))
      ? 'minimum_not_reached'
      : 'no_matching_items';
  }
  return { exact, consume: used, applications: made };
}
