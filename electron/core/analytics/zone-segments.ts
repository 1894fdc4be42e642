// A timezone's UTC offset over a span of time as a few constant segments, so SQL can turn an
// instant into the workspace's wall time with one join: local = published_at + off for the segment
// the instant falls in. Days and hours bucketed this way are DST-correct: a post at 09:00 in Paris
// counts in the 9 o'clock bucket in January (08:00 UTC) and in July (07:00 UTC) alike, and the day
// a clock changes has its real 23 or 25 hours.
import { offsetAt } from '../../scheduler/zoned-time';

const DAY_MS = 86_400_000;

export interface ZoneSegment {
  /** Inclusive start (epoch ms). */
  start: number;
  /** Exclusive end. */
  end: number;
  /** Offset from UTC in ms during the segment. */
  offsetMs: number;
}

/** The first instant in (lo, hi] with the offset of `hi` (offsets differ at lo and hi). */
function transitionBetween(lo: number, hi: number, tz: string): number {
  const target = offsetAt(hi, tz);
  // Offsets change on whole seconds; search to the second.
  let a = Math.floor(lo / 1000);
  let b = Math.ceil(hi / 1000);
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetAt(mid * 1000, tz) === target) b = mid;
    else a = mid;
  }
  return b * 1000;
}

const cache = new Map<string, ZoneSegment[]>();

/**
 * Segments covering [from, to). Sampled once a day (no zone changes its offset twice in a day),
 * then each change pinned down to the second. Remembered per zone and UTC-day span.
 */
export function zoneSegments(tz: string, from: number, to: number): ZoneSegment[] {
  const startDay = Math.floor(from / DAY_MS);
  const endDay = Math.ceil(to / DAY_MS);
  const key = `${tz}|${startDay}|${endDay}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const segments: ZoneSegment[] = [];
  let segStart = startDay * DAY_MS;
  let prevAt = segStart;
  let prevOff = offsetAt(prevAt, tz);
  for (let day = startDay + 1; day <= endDay; day++) {
    const at = day * DAY_MS;
    const off = offsetAt(at, tz);
    if (off !== prevOff) {
      const change = transitionBetween(prevAt, at, tz);
      segments.push({ start: segStart, end: change, offsetMs: prevOff });
      segStart = change;
      prevOff = off;
    }
    prevAt = at;
  }
  segments.push({ start: segStart, end: endDay * DAY_MS, offsetMs: prevOff });
  if (cache.size > 200) cache.clear();
  cache.set(key, segments);
  return segments;
}

/** `WITH tz(s, e, off) AS (VALUES ...)` for the segments, as literal integers (they are ours, not user input). */
export function zoneCte(segments: readonly ZoneSegment[]): string {
  const rows = segments.map((s) => `(${Math.trunc(s.start)}, ${Math.trunc(s.end)}, ${Math.trunc(s.offsetMs)})`).join(', ');
  return `tz(s, e, off) AS (VALUES ${rows})`;
}

/** Days since 1970-01-01 of a wall time given as floating ms -> 'YYYY-MM-DD'. */
export function dayKey(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' -> days since 1970-01-01. */
export function dayNumberOf(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}
