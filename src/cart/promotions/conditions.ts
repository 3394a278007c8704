import type { LineTarget, Promotion, Schedule } from './schema.js';

/** The parts of a line a target looks at. @internal */
export interface MatchableLine {
  sku: string;
  categories: readonly string[];
  attributes?: Readonly<Record<string, string>>;
}

/** Does `line` match `target`? Every given field must hold; an absent target matches all. @internal */
export function matchesTarget(line: MatchableLine, target: LineTarget | undefined): boolean {
  if (target === undefined) return true;
  if (target.skus !== undefined && !target.skus.includes(line.sku)) return false;
  if (target.categories !== undefined && !target.categories.some((c) => line.categories.includes(c)))
    return false;
  if (target.attributes !== undefined) {
    for (const [key, value] of Object.entries(target.attributes)) {
      if (line.attributes?.[key] !== value) return false;
    }
  }
  if (target.excludeSkus?.includes(line.sku)) return false;
  if (target.excludeCategories?.some((c) => line.categories.includes(c))) return false;
  return true;
}

/** Why a promotion cannot apply whatever the cart holds. @internal */
export type StaticFailure =
  | 'disabled'
  | 'coupon_missing'
  | 'already_used'
  | 'not_eligible'
  | 'wrong_channel'
  | 'not_yet_valid'
  | 'expired'
  | 'outside_schedule'
  | 'no_time';

/** The context conditions are tested against. @internal */
export interface ConditionContext {
  /** Parsed `at`: epoch ms and the wall clock as written in the ISO string. */
  time?: { epoch: number; wall: WallClock };
  channel?: string;
  groups: ReadonlySet<string>;
  /** Normalised (upper-case) coupon codes entered. */
  coupons: ReadonlySet<string>;
  couponUsage: Readonly<Record<string, number>>;
}

/** A local date and time: day of week (0 = Sunday) and minutes since midnight. @internal */
export interface WallClock {
  day: number;
  minutes: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads an ISO 8601 date-time with an offset; undefined when malformed. @internal */
export function parseAt(at: string): { epoch: number; wall: WallClock } | undefined {
  const m = ISO.exec(at);
  if (m === null) return undefined;
  const epoch = Date.parse(at);
  if (Number.isNaN(epoch)) return undefined;
  const [, y, mo, d, h, mi] = m;
  // The wall clock as written: the weekday of the local date, whatever the offset.
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay();
  return { epoch, wall: { day, minutes: Number(h) * 60 + Number(mi) } };
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallIn(epoch: number, timeZone: string): WallClock {
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, fmt);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of fmt.formatToParts(new Date(epoch))) {
    if (part.type === 'weekday')
      day = DAYS.indexOf(part.value.toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minutes: hour * 60 + minute };
}

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Is the instant inside the weekly schedule? @internal */
export function inSchedule(schedule: Schedule, time: { epoch: number; wall: WallClock }): boolean {
  const wall = schedule.timeZone === undefined ? time.wall : wallIn(time.epoch, schedule.timeZone);
  if (schedule.days !== undefined && !schedule.days.includes(DAYS[wall.day]!)) return false;
  const from = schedule.from === undefined ? 0 : toMinutes(schedule.from);
  const until = schedule.until === undefined ? 24 * 60 : toMinutes(schedule.until);
  if (from <= until) return wall.minutes >= from && wall.minutes < until;
  // A window over midnight (22:00 to 02:00).
  return wall.minutes >= from || wall.minutes < until;
}

/** Does the promotion need the time to be known? @internal */
export function isTimeBound(p: Promotion): boolean {
  const c = p.conditions;
  return c?.validFrom !== undefined || c?.validUntil !== undefined || c?.schedule !== undefined;
}

/**
 * The conditions that do not depend on the cart's contents, in the order a cashier would want
 * to hear about them. Undefined when they all hold. @internal
 */
export function staticFailure(p: Promotion, ctx: ConditionContext): StaticFailure | undefined {
  if (p.enabled === false) return 'disabled';
  const c = p.conditions;
  if (c === undefined) return undefined;
  if (c.coupon !== undefined && !ctx.coupons.has(c.coupon.code.toUpperCase())) return 'coupon_missing';
  if (isTimeBound(p)) {
    if (ctx.time === undefined) return 'no_time';
    if (c.validFrom !== undefined && ctx.time.epoch < Date.parse(c.validFrom)) return 'not_yet_valid';
    if (c.validUntil !== undefined && ctx.time.epoch >= Date.parse(c.validUntil)) return 'expired';
    if (c.schedule !== undefined && !inSchedule(c.schedule, ctx.time)) return 'outside_schedule';
  }
  if (c.customerGroups !== undefined && !c.customerGroups.some((g) => ctx.groups.has(g)))
    return 'not_eligible';
  if (c.channels !== undefined && (ctx.channel === undefined || !c.channels.includes(ctx.channel)))
    return 'wrong_channel';
  if (c.coupon?.maxUses !== undefined) {
    const used = ctx.couponUsage[c.coupon.code.toUpperCase()] ?? ctx.couponUsage[c.coupon.code] ?? 0;
    if (used >= c.coupon.maxUses) return 'already_used';
  }
  return undefined;
}
