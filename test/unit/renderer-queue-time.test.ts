// The Queue page's times: relative for scanning, exact (in the workspace's zone) for checking.
import { describe, expect, it } from 'vitest';
import { durationLabel, exactTime, relativeTime, shortTime } from '../../renderer/pages/queue/time';

const NOW = Date.UTC(2026, 10, 23, 20, 0, 0); // Mon 23 Nov 2026, 20:00 UTC = 12:00 in Los Angeles
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const DAY = 24 * H;

describe('relativeTime', () => {
  it('given moments within ten seconds, when described, then they read as now rather than a count', () => {
    expect(relativeTime(NOW, NOW)).toBe('just now');
    expect(relativeTime(NOW + 1, NOW)).toBe('in a few seconds');
    expect(relativeTime(NOW + 9 * S, NOW)).toBe('in a few seconds');
    expect(relativeTime(NOW - 9 * S, NOW)).toBe('just now');
  });

  it('given seconds, minutes and hours ahead or behind, when described, then the unit grows with the distance', () => {
    expect(relativeTime(NOW + 40 * S, NOW)).toBe('in 40 s');
    expect(relativeTime(NOW - 40 * S, NOW)).toBe('40 s ago');
    expect(relativeTime(NOW + 5 * MIN, NOW)).toBe('in 5 min');
    expect(relativeTime(NOW + 25 * MIN - 20 * S, NOW)).toBe('in 25 min');
    expect(relativeTime(NOW - 59 * MIN, NOW)).toBe('59 min ago');
    // Under three hours the minutes still matter...
    expect(relativeTime(NOW + 80 * MIN, NOW)).toBe('in 1 h 20 min');
    expect(relativeTime(NOW - 2 * H - 10 * MIN, NOW)).toBe('2 h 10 min ago');
    expect(relativeTime(NOW + 2 * H, NOW)).toBe('in 2 h');
    // ...after that they are noise.
    expect(relativeTime(NOW + 6 * H + 7 * MIN, NOW)).toBe('in 6 h');
    expect(relativeTime(NOW - 23 * H, NOW)).toBe('23 h ago');
  });

  it('given days, weeks, months and years, when described, then they are rounded to the nearest whole unit', () => {
    expect(relativeTime(NOW + DAY, NOW)).toBe('in 1 day');
    expect(relativeTime(NOW - 3 * DAY - 2 * H, NOW)).toBe('3 days ago');
    expect(relativeTime(NOW + 8 * DAY, NOW)).toBe('in 1 week');
    expect(relativeTime(NOW - 20 * DAY, NOW)).toBe('3 weeks ago');
    expect(relativeTime(NOW + 61 * DAY, NOW)).toBe('in 2 months');
    expect(relativeTime(NOW - 400 * DAY, NOW)).toBe('1 year ago');
  });

  it('given a boundary that rounds up, when described, then it moves to the next unit instead of reading "60 s"', () => {
    expect(relativeTime(NOW + 59.6 * S, NOW)).toBe('in 1 min');
    expect(relativeTime(NOW + 59 * MIN + 40 * S, NOW)).toBe('in 1 h');
  });
});

describe('exactTime and shortTime', () => {
  const at = Date.UTC(2026, 10, 24, 1, 30); // Tue 24 Nov 01:30 UTC = Mon 23 Nov 17:30 in Los Angeles

  it('given a workspace timezone, when the exact time is shown, then it is on that zone’s clock and names the zone', () => {
    expect(exactTime(at, 'America/Los_Angeles', 'en-GB')).toBe('Mon, 23 Nov 2026, 17:30:00 (America/Los_Angeles)');
    expect(exactTime(at, 'Asia/Tokyo', 'en-GB')).toBe('Tue, 24 Nov 2026, 10:30:00 (Asia/Tokyo)');
  });

  it('given a moment across a DST change, when shown in the zone, then the offset of that date is used', () => {
    // 8 Mar 2026 02:00 PST → 03:00 PDT; 10:30 UTC is 03:30 PDT (UTC-7), not 02:30.
    expect(exactTime(Date.UTC(2026, 2, 8, 10, 30), 'America/Los_Angeles', 'en-GB')).toBe('Sun, 8 Mar 2026, 03:30:00 (America/Los_Angeles)');
  });

  it('given an unknown zone, when the exact time is shown, then it falls back to the machine’s zone and names that one, not the unknown', () => {
    const text = exactTime(at, 'Mars/Olympus_Mons', 'en-GB');
    expect(text).not.toContain('Mars');
    expect(text).toMatch(/\(.+\)$/);
  });

  it('given the same calendar day in the zone, when shortened, then only the time shows; another day adds the date', () => {
    // In Los Angeles both are on Monday the 23rd; in UTC the run is on Tuesday.
    expect(shortTime(at, NOW, 'America/Los_Angeles', 'en-GB')).toBe('17:30');
    expect(shortTime(at, NOW, 'UTC', 'en-GB')).toBe('Tue 24 Nov, 01:30');
    // With the zone named, for readers whose own clock is elsewhere.
    expect(shortTime(at, NOW, 'America/Los_Angeles', 'en-US', true)).toBe('17:30 PST');
  });
});

describe('durationLabel', () => {
  it('given durations from milliseconds to hours, when labelled, then each reads in its natural unit', () => {
    expect(durationLabel(0)).toBe('0 ms');
    expect(durationLabel(350)).toBe('350 ms');
    expect(durationLabel(1_200)).toBe('1.2 s');
    expect(durationLabel(45_000)).toBe('45 s');
    expect(durationLabel(184_000)).toBe('3 min 4 s');
    expect(durationLabel(7_530_000)).toBe('2 h 6 min');
  });

  it('given values that round up to the next unit, when labelled, then they never read "60 s" or "60 min"', () => {
    expect(durationLabel(999.6)).toBe('1.0 s');
    expect(durationLabel(59_600)).toBe('1 min');
    expect(durationLabel(3_599_600)).toBe('1 h');
    expect(durationLabel(-5)).toBe('0 ms');
  });
});
