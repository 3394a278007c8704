import { allocateDecimal } from '../../money/allocate.js';
import { atLeastZero, compareDecimals, Decimal, isAboveZero } from '../../money/decimal.js';
import { ExactSum, floorUnits, fromUnits, wholeUnits } from '../../money/exact-sum.js';
import { type RoundingMode, roundToStep } from '../../money/rounding.js';
import { type ConditionContext, matchesTarget, type StaticFailure, staticFailure } from './conditions.js';
import {
  type DynamicFailure,
  type EngineLine,
  type EvalContext,
  evaluate,
  groupOf,
  isCartLevel,
  type Outcome,
  PassState,
  ZERO,
} from './evaluate.js';
import type { LineTarget, Promotion } from './schema.js';

/** One promotion as applied by a pass. @internal */
export interface Applied {
  promotion: Promotion;
  group: string;
  total: Decimal;
  perLine: Map<string, Decimal>;
  applications: number;
  tier?: number;
  /** What the promotions it beat to the same units were worth when it applied (upper bounds). */
  rivals: Decimal;
}

/** Why a promotion did not apply. @internal */
export type NotAppliedReason = StaticFailure | DynamicFailure | 'not_combinable';

/** Result of solving the promotions of one cart. @internal */
export interface Solution {
  applied: Applied[];
  total: Decimal;
  reasons: Map<string, NotAppliedReason>;
}

/** Manual cart discounts, applied by the engine after the promotions. @internal */
export interface ManualCartDiscount {
  kind: 'percent' | 'amount';
  value: Decimal;
}

/** Inputs of {@link solve}. @internal */
export interface SolveInput {
  lines: EngineLine[];
  promotions: Promotion[];
  step: Decimal;
  /** The rules' rounding mode; every rounding of a promotion's total uses it. Default `'half-up'`. */
  mode?: RoundingMode;
  conditions: ConditionContext;
  cartDiscounts: readonly ManualCartDiscount[];
}

const HUNDRED = new Decimal(100);
/** Decimals past the step that exact discounts are counted in (a percent with two decimals of a step needs four). */
const EXACT_EXTRA_DECIMALS = 6;

/** Most eligible promotions for which the exchange step runs. */
const EXCHANGE_LIMIT = 32;

function cmpId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Finds the promotions to apply and what each takes off each line.
 *
 * 1. Promotions whose static conditions fail (coupon, customer group, channel, time) drop out.
 * 2. Exclusive promotions are tried alone, the others together; the best for the customer wins.
 * 3. A pass applies promotions by priority (higher first), item rewards before cart rewards,
 *    and within that, greedily, the one that saves the customer most (ties by id).
 * 4. Thresholds are tested again on the final state, excluding each promotion's own discount;
 *    a promotion whose minimum is no longer reached is removed (or drops to a lower spend
 *    tier) and the pass runs again.
 * @internal
 */
export function solve(input: SolveInput): Solution {
  const reasons = new Map<string, NotAppliedReason>();
  const eligible: Promotion[] = [];
  for (const p of input.promotions) {
    const failure = staticFailure(p, input.conditions);
    if (failure === undefined) eligible.push(p);
    else reasons.set(p.id, failure);
  }
  const ctx = evalContext(input);
  // A promotion whose reward matches no line of the cart can never apply: settle it here,
  // so that a large catalogue of promotions costs little per cart.
  const live: Promotion[] = [];
  for (const p of eligible) {
    if (scopeOf(p, ctx)?.size === 0) reasons.set(p.id, 'no_matching_items');
    else live.push(p);
  }
  const together = live.filter((p) => p.exclusive !== true);
  const alternatives: { solution: Solution; priority: number; key: string }[] = [];
  const base = solveWithThresholds(together, ctx, input.step);
  alternatives.push({ solution: base, priority: maxPriority(base.applied), key: '' });
  // One exchange step on top of the greedy choice: a promotion that took units two or more
  // others were worth more on together is tried without it. Only when there is something to
  // gain, once, and for carts with a handful of eligible promotions, so that the cost stays
  // linear in the number of promotions.
  const doubtful = (together.length <= EXCHANGE_LIMIT ? base.applied : [])
    .filter((a) => a.rivals.gt(a.total))
    .sort(
      (x, y) =>
        y.rivals.minus(y.total).comparedTo(x.rivals.minus(x.total)) || cmpId(x.promotion.id, y.promotion.id),
    )
    .slice(0, 1);
  for (const d of doubtful) {
    const without = together.filter((p) => p !== d.promotion);
    const alt = solveWithThresholds(without, ctx, input.step);
    if (alt.total.gt(base.total)) {
      alt.reasons.set(d.promotion.id, 'not_combinable');
      alternatives.push({ solution: alt, priority: maxPriority(alt.applied), key: `~${d.promotion.id}` });
    }
  }
  for (const p of live) {
    if (p.exclusive !== true) continue;
    const alone = solveWithThresholds([p], ctx, input.step);
    alternatives.push({ solution: alone, priority: p.priority ?? 0, key: p.id });
  }
  alternatives.sort(
    (a, b) => b.solution.total.comparedTo(a.solution.total) || b.priority - a.priority || cmpId(a.key, b.key),
  );
  const best = alternatives[0]!.solution;
  const appliedIds = new Set(best.applied.map((a) => a.promotion.id));
  for (const alt of alternatives) {
    for (const [id, reason] of alt.solution.reasons)
      if (!reasons.has(id) && !appliedIds.has(id)) reasons.set(id, reason);
    if (alt.solution === best) continue;
    // A promotion that would have applied in the alternative the customer did not get.
    for (const a of alt.solution.applied)
      if (!appliedIds.has(a.promotion.id)) reasons.set(a.promotion.id, 'not_combinable');
  }
  for (const [id, reason] of best.reasons) reasons.set(id, reason);
  for (const id of appliedIds) reasons.delete(id);
  return { applied: best.applied, total: best.total, reasons };
}

function maxPriority(applied: readonly Applied[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const a of applied) m = Math.max(m, a.promotion.priority ?? 0);
  return m;
}

interface Ctx extends EvalContext {
  caps: Map<string, number>;
  scopes: Map<Promotion, ReadonlySet<string> | undefined>;
  byId: ReadonlyMap<string, EngineLine>;
  mode: RoundingMode;
}

function evalContext(input: SolveInput): Ctx {
  const lines = [...input.lines].sort((a, b) => cmpId(a.id, b.id));
  const bySku = new Map<string, EngineLine[]>();
  const byCategory = new Map<string, EngineLine[]>();
  for (const l of lines) {
    const s = bySku.get(l.sku);
    if (s === undefined) bySku.set(l.sku, [l]);
    else s.push(l);
    for (const c of new Set(l.categories)) {
      const list = byCategory.get(c);
      if (list === undefined) byCategory.set(c, [l]);
      else list.push(l);
    }
  }
  const cache = new Map<LineTarget, readonly EngineLine[]>();
  const caps = new Map<string, number>();
  const linesFor = (target: LineTarget | undefined): readonly EngineLine[] => {
    if (target === undefined) return lines;
    const hit = cache.get(target);
    if (hit !== undefined) return hit;
    // Narrow through the indexes first, so a promotion on one sku costs nothing per other line.
    let candidates: readonly EngineLine[] = lines;
    if (target.skus !== undefined) {
      const set = new Set<EngineLine>();
      for (const sku of target.skus) for (const l of bySku.get(sku) ?? []) set.add(l);
      candidates = [...set].sort((a, b) => cmpId(a.id, b.id));
    } else if (target.categories !== undefined) {
      const set = new Set<EngineLine>();
      for (const c of target.categories) for (const l of byCategory.get(c) ?? []) set.add(l);
      candidates = [...set].sort((a, b) => cmpId(a.id, b.id));
    }
    const result = candidates.filter((l) => matchesTarget(l, target));
    cache.set(target, result);
    return result;
  };
  let cartAmount: Decimal | undefined;
  const basis = (
    scope: readonly EngineLine[],
    state: PassState,
    addBack?: { total: Decimal; perLine: ReadonlyMap<string, Decimal> },
  ) => {
    if (cartAmount === undefined) {
      cartAmount = ZERO;
      for (const l of lines) cartAmount = cartAmount.plus(l.amount);
    }
    const back = addBack?.total ?? ZERO;
    const cart = cartAmount.minus(state.totalDiscount).plus(back);
    let part = ZERO;
    if (scope === lines) part = cart;
    else for (const l of scope) part = part.plus(state.remaining(l)).plus(addBack?.perLine.get(l.id) ?? ZERO);
    if (input.cartDiscounts.length === 0 || cart.lte(0)) return part;
    let after = cart;
    for (const d of input.cartDiscounts) {
      after = d.kind === 'percent' ? after.minus(after.mul(d.value).div(HUNDRED)) : after.minus(d.value);
      if (after.isNegative()) after = ZERO;
    }
    return part.mul(after).div(cart);
  };
  return {
    lines,
    linesFor,
    basis,
    tierCap: (id) => caps.get(id),
    caps,
    scopes: new Map(),
    byId: new Map(lines.map((l) => [l.id, l])),
    mode: input.mode ?? 'half-up',
  };
}

function solveWithThresholds(candidates: Promotion[], ctx: Ctx, step: Decimal): Solution {
  const blocked = new Set<string>();
  ctx.caps.clear();
  // Each round removes a promotion or lowers a tier, so this ends.
  for (;;) {
    const { state, solution } = pass(
      candidates.filter((p) => !blocked.has(p.id)),
      ctx,
      step,
    );
    let broken: Applied | undefined;
    let cap = -1;
    for (const a of solution.applied) {
      const c = a.promotion.conditions;
      const r = a.promotion.reward;
      if (c?.minAmount !== undefined) {
        const scope = c.target === undefined ? ctx.lines : ctx.linesFor(c.target);
        if (ctx.basis(scope, state, a).lt(c.minAmount)) {
          broken = a;
          cap = -1;
        }
      }
      if (r.type === 'spend-tiers' && a.tier !== undefined) {
        const scope = ctx.linesFor(r.target);
        const basis = ctx.basis(scope, state, a);
        const mins = r.tiers.map((t) => new Decimal(t.minAmount)).sort((x, y) => x.comparedTo(y));
        let allowed = -1;
        for (const [i, m] of mins.entries()) if (basis.gte(m)) allowed = i;
        if (allowed < a.tier) {
          broken = a;
          cap = allowed;
        }
      }
    }
    if (broken === undefined) {
      for (const id of blocked)
        if (!solution.reasons.has(id)) solution.reasons.set(id, 'minimum_not_reached');
      return solution;
    }
    if (cap < 0) {
      blocked.add(broken.promotion.id);
      ctx.caps.delete(broken.promotion.id);
    } else ctx.caps.set(broken.promotion.id, cap);
  }
}

interface Entry {
  promotion: Promotion;
  group: string;
  /** Something it reads changed since its last evaluation. */
  stale: boolean;
  /** The lines its value depends on; undefined when it depends on the whole cart (thresholds). */
  scope: ReadonlySet<string> | undefined;
  /** Rounded saving, an upper bound of what the allocation gives. */
  value: Decimal;
  outcome?: Outcome;
  failure?: DynamicFailure;
  everPositive: boolean;
  /** Units the last evaluation used, counted only when a tie needs them. */
  units: Decimal | undefined;
}

function pass(candidates: Promotion[], ctx: Ctx, step: Decimal): { state: PassState; solution: Solution } {
  const state = new PassState();
  const applied: Applied[] = [];
  const reasons = new Map<string, NotAppliedReason>();
  const priorities = [...new Set(candidates.map((p) => p.priority ?? 0))].sort((a, b) => b - a);
  for (const priority of priorities) {
    for (const cartLevel of [false, true]) {
      const entries: Entry[] = candidates
        .filter((p) => (p.priority ?? 0) === priority && isCartLevel(p) === cartLevel)
        .map((p) => ({
          promotion: p,
          group: groupOf(p),
          stale: true,
          scope: scopeOf(p, ctx),
          value: ZERO,
          everPositive: false,
          units: undefined,
        }));
      for (const e of entries) refresh(e, state, ctx, step);
      for (;;) {
        let top: Entry | undefined;
        for (const e of entries) {
          if (!isAboveZero(e.value)) continue;
          if (top === undefined || better(e, top)) top = e;
        }
        if (top === undefined) break;
        if (top.stale) {
          // Values only fall as the cart fills with discounts, so a stale value is an upper
          // bound: re-evaluate and look again.
          refresh(top, state, ctx, step);
          continue;
        }
        const outcome = top.outcome!;
        const { total, perLine } = finalize(outcome, top.value, state, ctx, step);
        entries.splice(entries.indexOf(top), 1);
        if (total.lte(0)) {
          reasons.set(top.promotion.id, 'no_matching_items');
          continue;
        }
        state.apply(top.group, total, perLine, outcome.consume);
        const a: Applied = {
          promotion: top.promotion,
          group: top.group,
          total,
          perLine,
          applications: outcome.applications,
          rivals: ZERO,
        };
        if (outcome.tier !== undefined) a.tier = outcome.tier;
        applied.push(a);
        const touched = new Set([...perLine.keys(), ...outcome.consume.keys()]);
        for (const e of entries) {
          let overlaps = e.scope === undefined;
          if (!overlaps)
            for (const id of touched)
              if (e.scope!.has(id)) {
                overlaps = true;
                break;
              }
          if (!overlaps) continue;
          if (e.group === top.group && e.value.gt(0)) a.rivals = a.rivals.plus(e.value);
          e.stale = true;
        }
      }
      for (const e of entries) {
        reasons.set(e.promotion.id, e.everPositive ? 'not_combinable' : (e.failure ?? 'no_matching_items'));
      }
    }
  }
  let total = ZERO;
  for (const a of applied) total = total.plus(a.total);
  return { state, solution: { applied, total, reasons } };
}

/**
 * Larger saving first; on a tie, the promotion that uses fewer units (leaving more for the
 * others), then the lower id.
 */
function better(a: Entry, b: Entry): boolean {
  const c = a.value.comparedTo(b.value);
  if (c !== 0) return c > 0;
  const ua = unitsOf(a);
  const ub = unitsOf(b);
  if (!ua.eq(ub)) return ua.lt(ub);
  return cmpId(a.promotion.id, b.promotion.id) < 0;
}

function unitsOf(e: Entry): Decimal {
  if (e.units === undefined) {
    let n = ZERO;
    for (const u of e.outcome?.consume.values() ?? []) n = n.plus(u);
    e.units = n;
  }
  return e.units;
}

function refresh(e: Entry, state: PassState, ctx: Ctx, step: Decimal): void {
  e.stale = false;
  const outcome = evaluate(e.promotion, state, ctx);
  if (typeof outcome === 'string') {
    e.failure = outcome;
    e.value = ZERO;
    delete e.outcome;
    return;
  }
  // The cheap estimate (one rounding, capped by what the lines have left); the allocation
  // runs only for the promotion that is applied.
  // Each line's exact discount is at most what the line has left (always for untouched lines),
  // and what a line has left is a whole number of steps, so the rounded sum stays within the
  // sum of what is left; only an over-reaching touched line needs the explicit cap.
  // Percent discounts of whole steps have a few more decimals than the step: counted in
  // units of a finer step, they add up without a Decimal per line.
  const exactTotal = new ExactSum(step.decimalPlaces() + EXACT_EXTRA_DECIMALS);
  let overreach = false;
  for (const [id, d] of outcome.exact) {
    exactTotal.add(d);
    if (!overreach && state.lines.has(id) && compareDecimals(d, state.remaining(ctx.byId.get(id)!)) > 0)
      overreach = true;
  }
  e.value = roundToStep(exactTotal.toDecimal(), step, ctx.mode);
  if (overreach) {
    let capTotal = ZERO;
    for (const id of outcome.exact.keys()) {
      const line = ctx.byId.get(id)!;
      capTotal = capTotal.plus(state.lines.has(id) ? atLeastZero(state.remaining(line)) : line.amount);
    }
    e.value = Decimal.min(e.value, capTotal);
  }
  e.units = undefined;
  if (isAboveZero(e.value)) {
    e.everPositive = true;
    e.outcome = outcome;
    delete e.failure;
  } else {
    e.failure = 'no_matching_items';
    delete e.outcome;
  }
}

/** The lines a promotion's value depends on; undefined when it depends on the whole cart. */
function scopeOf(p: Promotion, ctx: Ctx): ReadonlySet<string> | undefined {
  if (ctx.scopes.has(p)) return ctx.scopes.get(p);
  const scope = computeScope(p, ctx);
  ctx.scopes.set(p, scope);
  return scope;
}

function computeScope(p: Promotion, ctx: Ctx): ReadonlySet<string> | undefined {
  const r = p.reward;
  if (p.conditions?.minAmount !== undefined || r.type === 'spend-tiers') return undefined;
  const ids = new Set<string>();
  const add = (lines: readonly EngineLine[]) => {
    for (const l of lines) ids.add(l.id);
  };
  switch (r.type) {
    case 'buy-x-get-y':
      add(ctx.linesFor(r.buy.target));
      add(ctx.linesFor(r.get.target));
      break;
    case 'bundle':
      for (const item of r.items) add(ctx.linesFor(item.target));
      break;
    case 'free-item':
      add(ctx.lines.filter((l) => l.sku === r.sku));
      break;
    default:
      add(ctx.linesFor(r.target));
  }
  return ids;
}

/**
 * Rounds a promotion's exact discount once, to the currency step, and spreads it over the
 * lines by largest remainder, never more than what is left of a line.
 */
function finalize(
  outcome: Outcome,
  estimate: Decimal,
  state: PassState,
  ctx: Ctx,
  step: Decimal,
): { total: Decimal; perLine: Map<string, Decimal> } {
  // Rewards only record positive exact discounts.
  const ids = [...outcome.exact.keys()].sort(cmpId);
  const perLine = new Map<string, Decimal>();
  if (ids.length === 0) return { total: ZERO, perLine };
  // Lines no promotion touched yet have their whole amount left.
  const caps = ids.map((id) => {
    const line = ctx.byId.get(id)!;
    return state.lines.has(id) ? atLeastZero(state.remaining(line)) : line.amount;
  });
  // A part is at most its weight rounded up to the step, and an untouched line's weight is at
  // most its amount (a whole number of steps): only touched lines can overflow.
  const touched = ids.map((id) => state.lines.has(id));
  const weights = ids.map((id) => outcome.exact.get(id)!);
  // The entry was evaluated on this very state, so its estimate is the rounded, capped total.
  let total = estimate;
  if (total.lte(0)) return { total: ZERO, perLine };
  const parts = split(total, weights, step);
  // Largest remainder can put one step more on a line than it has left: move it elsewhere.
  let excess = ZERO;
  for (const [i, part] of parts.entries()) {
    if (!touched[i]) continue;
    const cap = caps[i]!;
    if (compareDecimals(part, cap) > 0) {
      excess = excess.plus(part.minus(cap));
      parts[i] = cap;
    }
  }
  for (const [i, part] of parts.entries()) {
    if (excess.isZero()) break;
    const room = caps[i]!.minus(part);
    if (room.lte(0)) continue;
    const move = Decimal.min(room, excess);
    parts[i] = part.plus(move);
    excess = excess.minus(move);
  }
  total = total.minus(excess);
  for (const [i, id] of ids.entries()) if (isAboveZero(parts[i]!)) perLine.set(id, parts[i]!);
  return { total, perLine };
}

/**
 * Largest remainder over exact weights whose sum rounds to `total`: each line gets its weight
 * rounded down to the step, and the steps left over go to the largest remainders (ties to the
 * earlier id). When `total` was capped below that, the general allocation takes over.
 */
function split(total: Decimal, weights: readonly Decimal[], step: Decimal): Decimal[] {
  if (weights.length === 1) return [total];
  // With a step of 10^-k (0.01, 1) the steps are counted as whole numbers: exact, and much
  // cheaper than four decimal.js operations per line; other steps (0.05) take the general path.
  const decimals = step.decimalPlaces();
  if (wholeUnits(step, decimals) === 1) {
    const counted = splitInUnits(total, weights, step, decimals);
    if (counted !== undefined) return counted;
  }
  return splitInSteps(total, weights, step);
}

/** {@link split} in decimal.js operations, for any step. @internal */
export function splitInSteps(total: Decimal, weights: readonly Decimal[], step: Decimal): Decimal[] {
  const inverse = new Decimal(1).div(step);
  const exactInverse = inverse.mul(step).eq(1);
  const parts: Decimal[] = [];
  const remainders: { i: number; r: number }[] = [];
  let given = ZERO;
  for (const [i, w] of weights.entries()) {
    const units = (exactInverse ? w.mul(inverse) : w.div(step)).floor();
    const floor = units.mul(step);
    parts.push(floor);
    given = given.plus(floor);
    // Remainders only order the leftover steps; a float is exact enough for that and the
    // order stays deterministic (ties to the earlier id).
    remainders.push({ i, r: w.minus(floor).toNumber() });
  }
  let left = total.minus(given).div(step).toNumber();
  if (left < 0 || left > weights.length) return allocateDecimal(total, weights, step);
  remainders.sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of remainders) {
    if (left <= 0) break;
    parts[i] = parts[i]!.plus(step);
    left -= 1;
  }
  return parts;
}

/**
 * {@link split} for a `step` of `10^-decimals`, counted in whole steps; undefined past safe
 * integers. @internal
 */
export function splitInUnits(
  total: Decimal,
  weights: readonly Decimal[],
  step: Decimal,
  decimals: number,
): Decimal[] | undefined {
  const totalUnits = wholeUnits(total, decimals);
  if (totalUnits === undefined) return undefined;
  const units: number[] = [];
  const remainders: { i: number; r: number }[] = [];
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const floor = floorUnits(weights[i]!, decimals);
    if (floor === undefined) return undefined;
    units.push(floor.units);
    given += floor.units;
    remainders.push({ i, r: floor.fraction });
  }
  if (!Number.isSafeInteger(given)) return undefined;
  let left = totalUnits - given;
  // A capped total: the general allocation, as splitInSteps would fall back to.
  if (left < 0 || left > weights.length) return allocateDecimal(total, weights, step);
  remainders.sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of remainders) {
    if (left <= 0) break;
    units[i]! += 1;
    left -= 1;
  }
  return units.map((u) => fromUnits(u, decimals));
}
