// The next free slot from the user's preferred times, in their timezone, across DST changes.
import { describe, expect, it } from 'vitest';
import { nextFreeSlot, parseTimeOfDay } from '../../electron/core/posts/slots';

const paris = (iso: string) => Date.parse(iso);

describe('next free slot', () => {
  it('given 09:30 and 18:00 in Paris, when asked at 10:00, then it is 18:00 the same day; with 18:00 taken, 09:30 the next day', () => {
    const after = paris('2026-06-10T10:00:00+02:00');
    const q = { preferredTimes: ['18:00', '09:30'], timezone: 'Europe/Paris', after, taken: [] as number[] };
    expect(nextFreeSlot(q)).toBe(paris('2026-06-10T18:00:00+02:00'));
    expect(nextFreeSlot({ ...q, taken: [paris('2026-06-10T18:05:00+02:00')] })).toBe(paris('2026-06-11T09:30:00+02:00'));
  });

  it('given the night clocks go forward in Paris, when the next 09:30 is on the other side, then it is 09:30 summer time', () => {
    const after = paris('2026-03-28T20:00:00+01:00');
    expect(nextFreeSlot({ preferredTimes: ['09:30'], timezone: 'Europe/Paris', after, taken: [] })).toBe(paris('2026-03-29T09:30:00+02:00'));
  });

  it('given a preferred time that does not exist on the spring-forward day in New York, then it moves forward by the gap as RFC 5545 says', () => {
    const after = paris('2026-03-07T12:00:00-05:00');
    const first = nextFreeSlot({ preferredTimes: ['02:30'], timezone: 'America/New_York', after, taken: [] });
    expect(first).toBe(Date.parse('2026-03-08T03:30:00-04:00'));
  });

  it('given no preferred times, or a malformed one only, then there is no slot', () => {
    expect(nextFreeSlot({ preferredTimes: [], timezone: 'UTC', after: 0, taken: [] })).toBeNull();
    expect(nextFreeSlot({ preferredTimes: ['9:30', '25:00'], timezone: 'UTC', after: 0, taken: [] })).toBeNull();
    expect(parseTimeOfDay('09:30')).toEqual({ hour: 9, minute: 30 });
  });

  it('given every slot in the horizon taken, then there is no slot rather than one on top of another post', () => {
    const after = Date.parse('2026-01-01T00:00:00Z');
    const taken = Array.from({ length: 3 }, (_, d) => after + d * 86_400_000 + 12 * 3_600_000);
    expect(nextFreeSlot({ preferredTimes: ['12:00'], timezone: 'UTC', after, taken, horizonDays: 2 })).toBeNull();
  });
});
