// "Next free slot": the user's preferred posting times (e.g. 09:30 and 18:00, in the workspace
// timezone) walked forward day by day from now, skipping times already taken by another
// scheduled post and times too close to one. Pure, so the composer can show it before saving.
import { instantOf, wallTimeAt } from '../../scheduler/zoned-time';

export interface SlotQuery {
  /** 'HH:MM' wall times, any order. */
  preferredTimes: readonly string[];
  timezone: string;
  /** Slots strictly after this instant (epoch ms); the composer passes now + a small lead. */
  after: number;
  /** Instants already holding a post. */
  taken: readonly number[];
  /** A slot this close to a taken time counts as taken (default 15 min). */
  minGapMs?: number;
  /** How far ahead to look (default 60 days). */
  horizonDays?: number;
}

const DAY = 86_400_000;

export function parseTimeOfDay(value: string): { hour: number; minute: number } | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

/** The first free preferred time after `after`, or null when none in the horizon (or no times set). */
export function nextFreeSlot(q: SlotQuery): number | null {
  const times = q.preferredTimes
    .map(parseTimeOfDay)
    .filter((t): t is { hour: number; minute: number } => t !== null)
    .sort((a, b) => a.hour * 60 + a.minute - (b.hour * 60 + b.minute));
  if (times.length === 0) return null;
  const gap = q.minGapMs ?? 15 * 60_000;
  const taken = [...q.taken].sort((a, b) => a - b);
  const isTaken = (at: number) => taken.some((t) => Math.abs(t - at) < gap);
  const start = wallTimeAt(q.after, q.timezone);
  const horizon = q.horizonDays ?? 60;
  for (let d = 0; d <= horizon; d++) {
    // Walk calendar days in the zone (noon avoids DST edges when stepping), then place each time.
    const day = wallTimeAt(instantOf({ ...start, hour: 12, minute: 0, second: 0 }, q.timezone) + d * DAY, q.timezone);
    for (const t of times) {
      const at = instantOf({ year: day.year, month: day.month, day: day.day, hour: t.hour, minute: t.minute, second: 0 }, q.timezone);
      if (at > q.after && !isTaken(at)) return at;
    }
  }
  return null;
}
