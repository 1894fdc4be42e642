// Wall-clock time in a named timezone, computed with Intl only. The calendar shows and moves posts
// on the workspace's clock, never this machine's: a Paris brand planned from a laptop in New York
// still sees its 09:00 post at 09:00. Calendar days are plain day numbers (days since 1970-01-01
// on the proleptic Gregorian calendar), so date arithmetic never touches a timezone at all.

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A calendar day: whole days since 1970-01-01 (no zone; the zone decides when it starts). */
export type DayNumber = number;

export interface CivilDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

export interface WallTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timezone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timezone);
  if (!f) {
    // en-US with h23 and numeric fields gives parts that parse the same on every system.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    partsFormatters.set(timezone, f);
  }
  return f;
}

/** Whether Intl knows the zone (a workspace edited on a newer system may name one it does not). */
export function isKnownTimezone(timezone: string): boolean {
  try {
    partsFormatter(timezone);
    return true;
  } catch {
    return false;
  }
}

/** What a clock on the wall in `timezone` reads at the instant `at`. */
export function wallTime(at: number, timezone: string): WallTime {
  const out: Record<string, number> = {};
  let bc = false;
  for (const p of partsFormatter(timezone).formatToParts(new Date(at))) {
    if (p.type === 'era') bc = p.value.startsWith('B');
    else if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  const year = bc ? 1 - (out.year ?? 0) : (out.year ?? 1970);
  return {
    year,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
    millisecond: ((at % 1000) + 1000) % 1000,
  };
}

/** How far `timezone`'s wall clock is ahead of UTC at `at`, in ms. */
export function offsetAt(at: number, timezone: string): number {
  const w = wallTime(at, timezone);
  return utcOf(w) - at;
}

function utcOf(w: WallTime): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, w.millisecond);
  return d.getTime();
}

/**
 * The instant a wall clock in `timezone` reads `w`. Where the clock jumps forward (a time that
 * never happens, 02:30 on a spring-forward night) the answer is as far past the jump as the time
 * was meant to be past the hour before it (03:30); where the clock falls back and a time happens
 * twice, the first of the two. This is RFC 5545's and Temporal's "compatible" choice.
 */
export function zonedTimeToEpoch(w: WallTime, timezone: string): number {
  const local = utcOf(w);
  // The offsets in force a day either side cover any single transition near this time.
  const before = offsetAt(local - DAY_MS, timezone);
  const after = offsetAt(local + DAY_MS, timezone);
  const candidates = [...new Set([before, after])].map((o) => local - o).filter((t) => utcOf(wallTime(t, timezone)) === local);
  if (candidates.length > 0) return Math.min(...candidates);
  // A skipped time: read it on the clock as it was before the jump.
  return local - before;
}

export function dayNumber(d: CivilDate): DayNumber {
  return Math.round(utcOf({ ...d, hour: 0, minute: 0, second: 0, millisecond: 0 }) / DAY_MS);
}

export function civilDate(day: DayNumber): CivilDate {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: DayNumber): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The calendar day `at` falls on in `timezone`. */
export function dayOf(at: number, timezone: string): DayNumber {
  return dayNumber(wallTime(at, timezone));
}

/** Minutes since the wall clock's midnight at `at` (0–1439). */
export function minuteOfDay(at: number, timezone: string): number {
  const w = wallTime(at, timezone);
  return w.hour * 60 + w.minute;
}

/** When `day` begins in `timezone` (its first instant; 01:00 where midnight is skipped). */
export function startOfDay(day: DayNumber, timezone: string): number {
  return zonedTimeToEpoch({ ...civilDate(day), hour: 0, minute: 0, second: 0, millisecond: 0 }, timezone);
}

/** "2026-03-29T09:30": the value of a datetime-local input showing `at` in `timezone`. */
export function toInputValue(at: number, timezone: string): string {
  const w = wallTime(at, timezone);
  const p = (n: number, l = 2) => String(n).padStart(l, '0');
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`;
}

/** A datetime-local value read as a time in `timezone`; null when it is not one. */
export function fromInputValue(value: string, timezone: string): number | null {
  const m = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((s) => Number(s ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  // 31 February is not a day: it would quietly become 3 March.
  const check = civilDate(dayNumber({ year, month, day }));
  if (check.month !== month || check.day !== day) return null;
  return zonedTimeToEpoch({ year, month, day, hour, minute, second, millisecond: Number((m[7] ?? '0').padEnd(3, '0')) }, timezone);
}
