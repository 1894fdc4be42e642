// Wall time -> instant for many dates in one timezone, as the scheduler's instantOf does it (a time
// skipped by spring-forward moves on by the gap; a repeated one means its first occurrence), but
// with the zone's offset remembered per UTC day: a month of a few hundred repeating posts asks Intl
// for a hundred offsets once, instead of three calls for every date on every visit.
import { offsetAt } from '../../scheduler/zoned-time';

const DAY_MS = 86_400_000;
const HALF_DAY_MS = 12 * 3_600_000;
/** Days remembered per zone before the memory starts over (~55 years). */
const MAX_DAYS = 20_000;

/** Per zone: UTC day -> the offset all day, or null on a day the offset changes (asked exactly). */
const days = new Map<string, Map<number, number | null>>();

export interface ZoneInstants {
  /** The instant at which the zone's clocks show `floating` (a wall time read as UTC ms, whole seconds). */
  instantOf(floating: number): number;
}

export function zoneInstants(timezone: string): ZoneInstants {
  let memo = days.get(timezone);
  if (!memo) days.set(timezone, (memo = new Map()));
  const known = memo;
  const offset = (ms: number): number => {
    const day = Math.floor(ms / DAY_MS);
    let o = known.get(day);
    if (o === undefined) {
      // No zone changes its offset twice in one day, so equal ends mean one offset all day.
      const first = offsetAt(day * DAY_MS, timezone);
      const last = offsetAt(day * DAY_MS + DAY_MS - 1000, timezone);
      o = first === last ? first : null;
      if (known.size >= MAX_DAYS) known.clear();
      known.set(day, o);
    }
    return o ?? offsetAt(ms, timezone);
  };
  return {
    instantOf(floating) {
      // The offsets half a day either side bracket any transition near this wall time.
      const before = offset(floating - HALF_DAY_MS);
      const after = offset(floating + HALF_DAY_MS);
      const a = floating - before;
      const b = floating - after;
      const aShows = a + offset(a) === floating;
      const bShows = b !== a && b + offset(b) === floating;
      if (aShows && bShows) return Math.min(a, b);
      if (aShows) return a;
      if (bShows) return b;
      // In a gap no instant shows this wall time: the offset from before the gap (RFC 5545 3.3.5).
      return a;
    },
  };
}
