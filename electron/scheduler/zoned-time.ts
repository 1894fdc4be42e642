// Wall-clock time in an IANA timezone <-> UTC instants, with DST handled as RFC 5545 says:
// a wall time skipped by a spring-forward gap moves forward by the gap's length, and a wall time
// that occurs twice in a fall-back overlap means its first occurrence. Uses only Intl, so the
// result never depends on the machine's own timezone.

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimezone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `tz` at the instant `ms`. */
export function wallTimeAt(ms: number, tz: string): WallTime {
  const parts = formatter(tz).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

const wallAsUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** Offset of `tz` from UTC at instant `ms`, in ms (e.g. +3_600_000 for CET in winter). */
export function offsetAt(ms: number, tz: string): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(wallTimeAt(wholeSecond, tz)) - wholeSecond;
}

/** The instant at which the clocks in `tz` show `wall` (gap: shifted forward; overlap: first). */
export function instantOf(wall: WallTime, tz: string): number {
  const asUtc = wallAsUtc(wall);
  // Offsets a few hours either side bracket any transition near this wall time.
  const before = offsetAt(asUtc - 12 * 3_600_000, tz);
  const after = offsetAt(asUtc + 12 * 3_600_000, tz);
  const candidates = [asUtc - before, asUtc - after]
    .filter((c, i, a) => a.indexOf(c) === i)
    .filter((c) => wallAsUtc(wallTimeAt(c, tz)) === asUtc)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // In a gap no instant shows this wall time: use the offset from before the gap (RFC 5545 3.3.5),
  // which lands the same distance past the transition as the wall time was past the gap's start.
  return asUtc - before;
}

/** Floating Date (UTC fields = wall time), the form rrule works in without TZID. */
export function floatingDate(w: WallTime): Date {
  return new Date(wallAsUtc(w));
}

export function wallOfFloating(d: Date): WallTime {
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}
