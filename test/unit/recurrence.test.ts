import { describe, expect, it } from 'vitest';
import { firstOccurrences, nextOccurrence, occurrencesBetween, RecurrenceError, validateRecurrence } from '../../electron/scheduler/recurrence';
import { instantOf, offsetAt, wallTimeAt } from '../../electron/scheduler/zoned-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('zoned time', () => {
  it('given a wall time in Paris in winter and summer, then the UTC offset follows DST', () => {
    expect(iso(instantOf({ year: 2026, month: 1, day: 15, hour: 9, minute: 0, second: 0 }, 'Europe/Paris'))).toBe('2026-01-15T08:00:00.000Z');
    expect(iso(instantOf({ year: 2026, month: 7, day: 15, hour: 9, minute: 0, second: 0 }, 'Europe/Paris'))).toBe('2026-07-15T07:00:00.000Z');
  });

  it('given a wall time skipped by spring-forward, then it moves forward by the gap', () => {
    // New York jumps from 02:00 to 03:00 on 2026-03-08; 02:30 does not exist.
    expect(iso(instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('given a wall time that occurs twice at fall-back, then the first occurrence is chosen', () => {
    // 01:30 on 2026-11-01 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(iso(instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('round-trips wall time and reports offsets', () => {
    const at = Date.parse('2026-06-01T12:34:56Z');
    const w = wallTimeAt(at, 'Asia/Kolkata');
    expect(w).toMatchObject({ hour: 18, minute: 4, second: 56 });
    expect(instantOf(w, 'Asia/Kolkata')).toBe(at);
    expect(offsetAt(at, 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  });
});

describe('recurrence in the workspace timezone', () => {
  const start = Date.parse('2026-03-02T14:00:00Z'); // Monday 09:00 in New York (EST)

  it('given a weekly rule across the March DST change, then every post stays at 09:00 local', () => {
    const rec = { rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3', startsAt: start, timezone: 'America/New_York' };
    const times = firstOccurrences(rec, 10);
    expect(times.map(iso)).toEqual(['2026-03-02T14:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-16T13:00:00.000Z']);
    expect(times.map((t) => wallTimeAt(t, 'America/New_York').hour)).toEqual([9, 9, 9]);
  });

  it('given a count, then the series ends', () => {
    const rec = { rrule: 'RRULE:FREQ=DAILY;COUNT=2', startsAt: start, timezone: 'America/New_York' };
    const second = nextOccurrence(rec, start)!;
    expect(iso(second)).toBe('2026-03-03T14:00:00.000Z');
    expect(nextOccurrence(rec, second)).toBeNull();
  });

  it('given UNTIL, then occurrences stop at that instant', () => {
    const rec = { rrule: 'FREQ=DAILY;UNTIL=20260305T000000Z', startsAt: start, timezone: 'America/New_York' };
    expect(occurrencesBetween(rec, start, start + 30 * 86_400_000).map(iso)).toEqual([
      '2026-03-02T14:00:00.000Z',
      '2026-03-03T14:00:00.000Z',
      '2026-03-04T14:00:00.000Z',
    ]);
  });

  it('given a daily post at 02:30 in New York, then on the spring-forward day it runs at 03:30', () => {
    const rec = { rrule: 'FREQ=DAILY;COUNT=3', startsAt: Date.parse('2026-03-07T07:30:00Z'), timezone: 'America/New_York' };
    expect(firstOccurrences(rec, 3).map((t) => wallTimeAt(t, 'America/New_York').hour)).toEqual([2, 3, 2]);
  });

  it('given a rule with no end, then validation asks for one; given garbage, then it says what is wrong', () => {
    expect(() => validateRecurrence({ rrule: 'FREQ=WEEKLY', startsAt: start, timezone: 'UTC' })).toThrow(/needs an end/);
    expect(() => validateRecurrence({ rrule: 'DROP TABLE posts', startsAt: start, timezone: 'UTC' })).toThrow(RecurrenceError);
    expect(() => validateRecurrence({ rrule: 'FREQ=DAILY;COUNT=2;DTSTART=20260101T000000Z', startsAt: start, timezone: 'UTC' })).toThrow(/separately/);
  });
});
