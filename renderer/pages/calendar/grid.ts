// The calendar's days: which weeks a month view shows, which days a week view shows, what window
// of time to ask the API for, and how ←/→ move between periods. Pure day-number arithmetic plus
// the zone for where the window starts and ends.
import { civilDate, dayNumber, startOfDay, weekdayOf, type DayNumber } from './zoned';

export type CalendarMode = 'month' | 'week';

/** 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

interface LocaleWithWeekInfo {
  getWeekInfo?: () => { firstDay: number };
  weekInfo?: { firstDay: number };
}

/**
 * The first day of the week where the reader lives (Intl's 1 = Monday … 7 = Sunday), Monday when
 * the browser cannot say: most of the world starts weeks on Monday (ISO 8601).
 */
export function firstDayOfWeek(locale?: string): Weekday {
  try {
    const loc = new Intl.Locale(locale ?? new Intl.DateTimeFormat().resolvedOptions().locale) as Intl.Locale & LocaleWithWeekInfo;
    const info = typeof loc.getWeekInfo === 'function' ? loc.getWeekInfo() : loc.weekInfo;
    if (info && Number.isInteger(info.firstDay) && info.firstDay >= 1 && info.firstDay <= 7) return (info.firstDay % 7) as Weekday;
  } catch {
    // An unknown locale tag: fall through to Monday.
  }
  return 1;
}

/** The day the week holding `day` begins. */
export function startOfWeek(day: DayNumber, weekStart: Weekday): DayNumber {
  return day - ((weekdayOf(day) - weekStart + 7) % 7);
}

export function daysInMonth(year: number, month: number): number {
  const next = month === 12 ? { year: year + 1, month: 1, day: 1 } : { year, month: month + 1, day: 1 };
  return dayNumber(next) - dayNumber({ year, month, day: 1 });
}

export interface MonthGrid {
  year: number;
  month: number;
  /** Whole weeks, each seven days long; the first holds the 1st, the last holds the month's last day. */
  weeks: DayNumber[][];
  first: DayNumber;
  /** The day after the grid's last cell. */
  end: DayNumber;
}

/** The weeks a month view shows (4 to 6 rows: only as many as the month needs). */
export function monthGrid(year: number, month: number, weekStart: Weekday): MonthGrid {
  const firstOfMonth = dayNumber({ year, month, day: 1 });
  const lastOfMonth = firstOfMonth + daysInMonth(year, month) - 1;
  const first = startOfWeek(firstOfMonth, weekStart);
  const end = startOfWeek(lastOfMonth, weekStart) + 7;
  const weeks: DayNumber[][] = [];
  for (let w = first; w < end; w += 7) weeks.push(Array.from({ length: 7 }, (_, i) => w + i));
  return { year, month, weeks, first, end };
}

/** The seven days of the week view holding `day`. */
export function weekDays(day: DayNumber, weekStart: Weekday): DayNumber[] {
  const first = startOfWeek(day, weekStart);
  return Array.from({ length: 7 }, (_, i) => first + i);
}

/** The days a view shows around its anchor, as [first, end). */
export function visibleDays(mode: CalendarMode, anchor: DayNumber, weekStart: Weekday): { first: DayNumber; end: DayNumber } {
  if (mode === 'week') {
    const first = startOfWeek(anchor, weekStart);
    return { first, end: first + 7 };
  }
  const { year, month } = civilDate(anchor);
  const g = monthGrid(year, month, weekStart);
  return { first: g.first, end: g.end };
}

/** The instants [from, to) the API is asked for: from the first day's start to the end day's start, in the zone. */
export function timeWindow(days: { first: DayNumber; end: DayNumber }, timezone: string): { from: number; to: number } {
  return { from: startOfDay(days.first, timezone), to: startOfDay(days.end, timezone) };
}

/** Shift by whole months, keeping the day of the month where the target month has it (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: DayNumber, months: number): DayNumber {
  const c = civilDate(day);
  const index = c.year * 12 + (c.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return dayNumber({ year, month, day: Math.min(c.day, daysInMonth(year, month)) });
}

/** The anchor one period earlier (-1) or later (+1). */
export function stepPeriod(mode: CalendarMode, anchor: DayNumber, delta: 1 | -1): DayNumber {
  return mode === 'week' ? anchor + 7 * delta : addMonths(anchor, delta);
}

function dayFormatter(opts: Intl.DateTimeFormatOptions, locale: string | undefined): Intl.DateTimeFormat {
  // Day numbers are UTC midnights: formatting them in UTC reads back the same calendar day.
  return new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' });
}

/** "March 2026" / "23 – 29 March 2026" / "30 March – 5 April 2026": the heading of a period. */
export function periodLabel(mode: CalendarMode, anchor: DayNumber, weekStart: Weekday, locale?: string): string {
  if (mode === 'month') return dayFormatter({ month: 'long', year: 'numeric' }, locale).format(new Date(anchor * 86_400_000));
  const first = startOfWeek(anchor, weekStart);
  const f = dayFormatter({ day: 'numeric', month: 'long', year: 'numeric' }, locale);
  return f.formatRange(new Date(first * 86_400_000), new Date((first + 6) * 86_400_000));
}

/** "Monday 30 March 2026": a day in full, for labels read aloud. */
export function dayLabel(day: DayNumber, locale?: string): string {
  return dayFormatter({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }, locale).format(new Date(day * 86_400_000));
}

/** Short weekday names in week order ("Mon", "Tue", …). */
export function weekdayNames(weekStart: Weekday, locale?: string, style: 'short' | 'long' = 'short'): string[] {
  const f = dayFormatter({ weekday: style }, locale);
  // 1970-01-04 (day 3) was a Sunday.
  return Array.from({ length: 7 }, (_, i) => f.format(new Date((3 + ((weekStart + i) % 7)) * 86_400_000)));
}

/** The day of the month, and the month's short name on the 1st (so a grid's neighbours read clearly). */
export function cellDateLabel(day: DayNumber, locale?: string): string {
  const c = civilDate(day);
  return c.day === 1 ? dayFormatter({ day: 'numeric', month: 'short' }, locale).format(new Date(day * 86_400_000)) : String(c.day);
}

/** yyyy-mm-dd: a day as tests and data attributes name it. */
export function isoDay(day: DayNumber): string {
  const c = civilDate(day);
  return `${String(c.year).padStart(4, '0')}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
}

export function parseIsoDay(s: string): DayNumber | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const n = dayNumber(d);
  const back = civilDate(n);
  return back.month === d.month && back.day === d.day ? n : null;
}
