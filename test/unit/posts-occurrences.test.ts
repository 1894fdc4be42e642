// A repeating post's dates as the Calendar shows them: expanded in the series' timezone (so the
// wall-clock time holds across a DST change), each with its place in the series, and ending where
// the rule ends (COUNT or UNTIL).
import { describe, expect, it } from 'vitest';
import { seriesDates } from '../../electron/core/posts/occurrences';
import { zoneInstants } from '../../electron/core/posts/zone-instants';
import { instantOf, wallOfFloating, wallTimeAt } from '../../electron/scheduler/zoned-time';

const NY = 'America/New_York';
const DAY = 86_400_000;
const ny = (year: number, month: number, day: number, hour = 0, minute = 0) => instantOf({ year, month, day, hour, minute, second: 0 }, NY);
const iso = (ms: number) => new Date(ms).toISOString();

describe('the dates of a repeating post', () => {
  it('given a daily 09:00 series across New York’s spring-forward, when the week is expanded, then every date is 09:00 on the wall clock and the gap day is 23 hours after the one before', () => {
    // Clocks go forward on Sunday 8 March 2026.
    const rec = { rrule: 'FREQ=DAILY;COUNT=30', startsAt: ny(2026, 3, 1, 9), timezone: NY };
    const { dates, truncated } = seriesDates(rec, ny(2026, 3, 5), ny(2026, 3, 12));
    expect(truncated).toBe(false);
    expect(dates.map((d) => d.index)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(dates.map((d) => wallTimeAt(d.at, NY))).toEqual([5, 6, 7, 8, 9, 10, 11].map((day) => ({ year: 2026, month: 3, day, hour: 9, minute: 0, second: 0 })));
    expect(iso(dates[2]!.at)).toBe('2026-03-07T14:00:00.000Z'); // EST
    expect(iso(dates[3]!.at)).toBe('2026-03-08T13:00:00.000Z'); // EDT
    expect(dates[3]!.at - dates[2]!.at).toBe(DAY - 3_600_000);
  });

  it('given a weekly series with COUNT=4, when a two-month window is expanded, then there are exactly four dates, numbered 0 to 3', () => {
    const rec = { rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4', startsAt: ny(2026, 10, 19, 8, 30), timezone: NY };
    const { dates } = seriesDates(rec, ny(2026, 10, 1), ny(2026, 11, 30));
    expect(dates.map((d) => d.index)).toEqual([0, 1, 2, 3]);
    // The last one is after New York falls back (1 November): still 08:30 there.
    expect(dates.map((d) => wallTimeAt(d.at, NY).day)).toEqual([19, 26, 2, 9]);
    expect(dates.every((d) => wallTimeAt(d.at, NY).hour === 8 && wallTimeAt(d.at, NY).minute === 30)).toBe(true);
  });

  it('given UNTIL on a Wednesday, when the weeks after it are expanded, then the series stops there', () => {
    const rec = { rrule: `FREQ=DAILY;UNTIL=20260415T235959Z`, startsAt: ny(2026, 4, 10, 18), timezone: NY };
    const { dates } = seriesDates(rec, ny(2026, 4, 13), ny(2026, 5, 13));
    expect(dates.map((d) => wallTimeAt(d.at, NY).day)).toEqual([13, 14, 15]);
    expect(dates.map((d) => d.index)).toEqual([3, 4, 5]);
    expect(seriesDates(rec, ny(2026, 4, 16), ny(2026, 5, 16)).dates).toEqual([]);
  });

  it('given a window boundary exactly on a date, then the window is [from, to): the start counts, the end does not', () => {
    const rec = { rrule: 'FREQ=DAILY;COUNT=10', startsAt: ny(2026, 1, 1, 12), timezone: NY };
    const { dates } = seriesDates(rec, ny(2026, 1, 3, 12), ny(2026, 1, 5, 12));
    expect(dates.map((d) => wallTimeAt(d.at, NY).day)).toEqual([3, 4]);
    expect(dates[0]!.index).toBe(2);
  });

  it('given an hourly series, when more dates fall in the window than the limit, then it is cut at the limit and says so', () => {
    const rec = { rrule: 'FREQ=HOURLY;COUNT=2000', startsAt: ny(2026, 6, 1), timezone: NY };
    const r = seriesDates(rec, ny(2026, 6, 1), ny(2026, 7, 1), 100);
    expect(r.dates).toHaveLength(100);
    expect(r.truncated).toBe(true);
    expect(r.dates.at(-1)!.index).toBe(99);
  });

  it('given a series that starts after the window, then nothing is in it', () => {
    const rec = { rrule: 'FREQ=WEEKLY;COUNT=3', startsAt: ny(2026, 9, 1, 9), timezone: NY };
    expect(seriesDates(rec, ny(2026, 8, 1), ny(2026, 9, 1)).dates).toEqual([]);
  });
});

describe('wall time to instant with the offset remembered per quarter hour', () => {
  // New York and Paris (an hour at 02:00 / 03:00), Lord Howe (half an hour at 02:00), Casablanca
  // (DST suspended for Ramadan: two changes a month apart), Kolkata (never changes).
  it.each(['America/New_York', 'Europe/Paris', 'Australia/Lord_Howe', 'Africa/Casablanca', 'Asia/Kolkata'])(
    'given every quarter hour of 2031 in %s, including the skipped and repeated ones, then it gives the scheduler’s own instantOf',
    (tz) => {
      const zone = zoneInstants(tz);
      const start = Date.UTC(2031, 0, 1);
      const mismatches: string[] = [];
      for (let f = start; f < Date.UTC(2032, 0, 1); f += 15 * 60_000) {
        const expected = instantOf(wallOfFloating(new Date(f)), tz);
        if (zone.instantOf(f) !== expected) mismatches.push(new Date(f).toISOString());
      }
      expect(mismatches).toEqual([]);
    },
  );
});
