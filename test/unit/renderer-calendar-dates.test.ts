// The Calendar's date math: wall-clock time in a named zone (never the machine's), month grids,
// week days, the API window, period steps, and reading a datetime-local value.
import { describe, expect, it } from 'vitest';
import { addMonths, firstDayOfWeek, isoDay, monthGrid, parseIsoDay, periodLabel, stepPeriod, timeWindow, visibleDays, weekDays, weekdayNames } from '../../renderer/pages/calendar/grid';
import { civilDate, dayNumber, dayOf, fromInputValue, minuteOfDay, startOfDay, toInputValue, wallTime, weekdayOf, zonedTimeToEpoch } from '../../renderer/pages/calendar/zoned';

const HOUR = 3_600_000;
const day = (s: string) => {
  const d = parseIsoDay(s);
  if (d === null) throw new Error(`bad day ${s}`);
  return d;
};
const wall = (y: number, mo: number, d: number, h = 0, mi = 0) => ({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0, millisecond: 0 });

describe('wall-clock time in a named zone', () => {
  it('given an instant, when read in Paris, New York and Auckland, then each shows its own clock and day', () => {
    const at = Date.UTC(2026, 2, 28, 23, 30); // 28 March 23:30 UTC
    expect(wallTime(at, 'Europe/Paris')).toMatchObject({ year: 2026, month: 3, day: 29, hour: 0, minute: 30 });
    expect(wallTime(at, 'America/New_York')).toMatchObject({ year: 2026, month: 3, day: 28, hour: 19, minute: 30 });
    expect(wallTime(at, 'Pacific/Auckland')).toMatchObject({ year: 2026, month: 3, day: 29, hour: 12, minute: 30 });
    expect(isoDay(dayOf(at, 'Europe/Paris'))).toBe('2026-03-29');
    expect(isoDay(dayOf(at, 'America/New_York'))).toBe('2026-03-28');
    expect(minuteOfDay(at, 'Europe/Paris')).toBe(30);
  });

  it('given a wall time, when turned into an instant, then it reads back the same (in summer and in winter)', () => {
    const summer = zonedTimeToEpoch(wall(2026, 7, 14, 9, 15), 'Europe/Paris');
    expect(summer).toBe(Date.UTC(2026, 6, 14, 7, 15));
    const winter = zonedTimeToEpoch(wall(2026, 1, 14, 9, 15), 'Europe/Paris');
    expect(winter).toBe(Date.UTC(2026, 0, 14, 8, 15));
    expect(zonedTimeToEpoch(wall(2026, 1, 14, 9, 15), 'Asia/Kolkata')).toBe(Date.UTC(2026, 0, 14, 3, 45));
  });

  it('given 02:30 on the night Paris springs forward, then the instant is 03:30 summer time (the hour that does not exist is skipped)', () => {
    const at = zonedTimeToEpoch(wall(2026, 3, 29, 2, 30), 'Europe/Paris');
    expect(at).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(wallTime(at, 'Europe/Paris')).toMatchObject({ day: 29, hour: 3, minute: 30 });
  });

  it('given 01:30 on the night New York falls back (it happens twice), then the first of the two is chosen', () => {
    const at = zonedTimeToEpoch(wall(2026, 11, 1, 1, 30), 'America/New_York');
    expect(at).toBe(Date.UTC(2026, 10, 1, 5, 30)); // 01:30 EDT (UTC-4), not 01:30 EST
    expect(wallTime(at + HOUR, 'America/New_York')).toMatchObject({ hour: 1, minute: 30 });
  });

  it('given a day, when it starts, then its first instant is local midnight — or 01:00 where midnight is skipped', () => {
    expect(startOfDay(day('2026-03-29'), 'Europe/Paris')).toBe(Date.UTC(2026, 2, 28, 23, 0));
    expect(startOfDay(day('2026-03-30'), 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 22, 0));
    // Santiago springs forward at midnight (6 Sept 2026): that day starts at 01:00.
    expect(wallTime(startOfDay(day('2026-09-06'), 'America/Santiago'), 'America/Santiago')).toMatchObject({ day: 6, hour: 1, minute: 0 });
  });

  it('given day numbers, then they round-trip to dates and know their weekday', () => {
    expect(dayNumber({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(civilDate(day('2028-02-29'))).toEqual({ year: 2028, month: 2, day: 29 });
    expect(weekdayOf(day('2026-03-30'))).toBe(1); // a Monday
    expect(weekdayOf(day('1969-12-28'))).toBe(0); // a Sunday, before the epoch
    expect(parseIsoDay('2026-02-30')).toBeNull();
  });
});

describe('month grid', () => {
  it('given March 2026 with weeks from Monday, then it shows 30 Feb … 5 April in 6 full weeks', () => {
    const g = monthGrid(2026, 3, 1);
    expect(g.weeks).toHaveLength(6);
    expect(g.weeks.every((w) => w.length === 7)).toBe(true);
    expect(isoDay(g.weeks[0]![0]!)).toBe('2026-02-23');
    expect(isoDay(g.weeks.at(-1)!.at(-1)!)).toBe('2026-04-05');
    expect(g.weeks.map((w) => weekdayOf(w[0]!))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('given February 2026 starting on Sunday, then a Sunday-first grid needs exactly 4 weeks and a Monday-first one 5', () => {
    expect(monthGrid(2026, 2, 0).weeks).toHaveLength(4);
    const monday = monthGrid(2026, 2, 1);
    expect(monday.weeks).toHaveLength(5);
    expect(isoDay(monday.first)).toBe('2026-01-26');
    expect(isoDay(monday.end)).toBe('2026-03-02');
  });

  it('given each month of a leap year, then every day of the month is in the grid exactly once and the grid starts on the week day asked', () => {
    for (const weekStart of [0, 1, 6] as const) {
      for (let month = 1; month <= 12; month++) {
        const g = monthGrid(2028, month, weekStart);
        const days = g.weeks.flat();
        const inMonth = days.filter((d) => civilDate(d).month === month);
        expect(inMonth.length).toBe([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]);
        expect(weekdayOf(days[0]!)).toBe(weekStart);
        expect(new Set(days).size).toBe(days.length);
      }
    }
  });

  it('given a locale, then the week starts where its readers start it (Monday when unknown)', () => {
    expect(firstDayOfWeek('en-GB')).toBe(1);
    expect(firstDayOfWeek('fr-FR')).toBe(1);
    expect([0, 1]).toContain(firstDayOfWeek('en-US')); // Sunday where the runtime has week data
    expect(weekdayNames(1, 'en-GB')).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(weekdayNames(0, 'en-GB')[0]).toBe('Sun');
  });
});

describe('weeks, windows and steps', () => {
  it('given a Wednesday, then its week runs Monday to Sunday (or Sunday to Saturday)', () => {
    expect(weekDays(day('2026-04-01'), 1).map(isoDay)).toEqual(['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04', '2026-04-05']);
    expect(isoDay(weekDays(day('2026-04-01'), 0)[0]!)).toBe('2026-03-29');
  });

  it('given the week of the Paris spring-forward, then the API window is 167 hours from Monday 00:00 CET to the next Monday 00:00 CEST', () => {
    const w = timeWindow(visibleDays('week', day('2026-03-26'), 1), 'Europe/Paris');
    expect(w.from).toBe(Date.UTC(2026, 2, 22, 23, 0));
    expect(w.to).toBe(Date.UTC(2026, 2, 29, 22, 0));
    expect((w.to - w.from) / HOUR).toBe(167);
  });

  it('given a month view, then the window covers the whole grid including the neighbouring days', () => {
    const w = timeWindow(visibleDays('month', day('2026-03-15'), 1), 'America/New_York');
    expect(wallTime(w.from, 'America/New_York')).toMatchObject({ year: 2026, month: 2, day: 23, hour: 0 });
    expect(wallTime(w.to, 'America/New_York')).toMatchObject({ year: 2026, month: 4, day: 6, hour: 0 });
  });

  it('given 31 January, when stepping a month at a time, then the day is kept where the month has it', () => {
    expect(isoDay(addMonths(day('2026-01-31'), 1))).toBe('2026-02-28');
    expect(isoDay(addMonths(day('2028-01-31'), 1))).toBe('2028-02-29');
    expect(isoDay(addMonths(day('2026-01-15'), -1))).toBe('2025-12-15');
    expect(isoDay(addMonths(day('2026-11-30'), 14))).toBe('2028-01-30');
    expect(isoDay(stepPeriod('week', day('2026-03-26'), 1))).toBe('2026-04-02');
    expect(isoDay(stepPeriod('month', day('2026-03-26'), -1))).toBe('2026-02-26');
  });

  it('given periods, then their labels name the month or the week’s range', () => {
    expect(periodLabel('month', day('2026-03-26'), 1, 'en-GB')).toBe('March 2026');
    // ICU versions differ in the spaces around the dash.
    expect(periodLabel('week', day('2026-03-26'), 1, 'en-GB')).toMatch(/^23\s?–\s?29 March 2026$/);
    expect(periodLabel('week', day('2026-04-01'), 1, 'en-GB')).toMatch(/^30 March\s?–\s?5 April 2026$/);
  });
});

describe('the reschedule field (datetime-local) in the workspace zone', () => {
  it('given an instant, then the field shows Paris wall time, and reading it back gives the same instant', () => {
    const at = Date.UTC(2026, 2, 30, 7, 45);
    expect(toInputValue(at, 'Europe/Paris')).toBe('2026-03-30T09:45');
    expect(fromInputValue('2026-03-30T09:45', 'Europe/Paris')).toBe(at);
    expect(fromInputValue('2026-03-30T09:45', 'America/Los_Angeles')).toBe(Date.UTC(2026, 2, 30, 16, 45));
  });

  it('given something that is not a time (31 February, an empty field), then it is refused rather than guessed', () => {
    expect(fromInputValue('2026-02-31T09:00', 'Europe/Paris')).toBeNull();
    expect(fromInputValue('', 'Europe/Paris')).toBeNull();
    expect(fromInputValue('2026-03-30T25:00', 'Europe/Paris')).toBeNull();
  });
});
