/** The shop's calendar: its time zone and the hour its business day starts. */
export interface ShopCalendar {
  /** IANA time zone of the shop (`Europe/Berlin`); independent of the process's TZ. */
  readonly timeZone: string;
  /** Hour (0-23) the business day starts: a bar open until 3 a.m. passes 4 and counts the night in the day before. */
  readonly dayStartHour?: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The shop-local wall time of an instant: year, month, day, hour, weekday (0 = Monday). */
export function localParts(
  at: string | number,
  timeZone: string,
): { date: string; hour: number; weekday: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(typeof at === 'number' ? at : Date.parse(at))) parts[p.type] = p.value;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday ?? '');
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), weekday };
}

/**
 * The business date of an instant: the shop-local date of the instant moved back by the day's
 * start hour (so 02:30 with a 4 o'clock start belongs to the day before).
 */
export function businessDate(at: string | number, calendar: ShopCalendar): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  const shifted = ms - (calendar.dayStartHour ?? 0) * 3_600_000;
  // Every zone offset is a whole number of minutes, so one Intl lookup per minute is enough:
  // the lookup, not the arithmetic, is what a 100,000-sale report spends its time on.
  const key = `${calendar.timeZone}|${Math.floor(shifted / 60_000)}`;
  let date = dayCache.get(key);
  if (date === undefined) {
    if (dayCache.size > 100_000) dayCache.clear();
    date = localParts(shifted, calendar.timeZone).date;
    dayCache.set(key, date);
  }
  return date;
}

const dayCache = new Map<string, string>();
