// How often a published post's metrics are fetched, by its age. Counts move fast in the first
// hours and hardly at all after a few weeks, and every fetch spends the account's rate limit:
//   - first 24 hours: hourly;
//   - until 7 days: daily;
//   - until 90 days: weekly;
//   - after 90 days: never again (the last figures stay as they are).
// A post is due when its last fetch is older than the interval for its age now; one never fetched
// is due at once. The sweep runs every 15 minutes, so "hourly" means within the hour.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const METRICS_STOP_AFTER_MS = 90 * DAY;

export const METRICS_SCHEDULE: readonly { untilAgeMs: number; everyMs: number }[] = [
  { untilAgeMs: DAY, everyMs: HOUR },
  { untilAgeMs: 7 * DAY, everyMs: DAY },
  { untilAgeMs: METRICS_STOP_AFTER_MS, everyMs: 7 * DAY },
];

/** The fetch interval for a post this old, or null once it is no longer fetched. */
export function metricsIntervalFor(ageMs: number): number | null {
  for (const step of METRICS_SCHEDULE) if (ageMs < step.untilAgeMs) return step.everyMs;
  return null;
}

/** When the post's metrics are next due (epoch ms), or null when they are not fetched any more. */
export function nextMetricsAt(publishedAt: number, lastFetchedAt: number | null, now: number): number | null {
  const age = Math.max(0, now - publishedAt);
  const every = metricsIntervalFor(age);
  if (every === null) return null;
  if (lastFetchedAt === null) return now;
  const next = lastFetchedAt + every;
  // A fetch that would fall past the 90th day is not made: the last figures stand.
  return next - publishedAt >= METRICS_STOP_AFTER_MS ? null : next;
}

/** The same rule as SQL over post_targets (published_at) and post_metrics (recorded_at), for the sweep. */
export function dueSql(now: number): string {
  const n = Math.trunc(now);
  return `(t.published_at > ${n - METRICS_STOP_AFTER_MS} AND (m.recorded_at IS NULL OR m.recorded_at + CASE
      WHEN ${n} - t.published_at < ${DAY} THEN ${HOUR}
      WHEN ${n} - t.published_at < ${7 * DAY} THEN ${DAY}
      ELSE ${7 * DAY} END <= ${n}))`;
}
