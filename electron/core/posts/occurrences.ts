// The dates a repeating post goes out on, for the Calendar: each live series' RRULE expanded in
// its timezone (the scheduler's own recurrence code, so a Monday 09:00 series is 09:00 on the wall
// clock on both sides of a DST change), with each occurrence's place in the series and which one
// the scheduler will publish next.
import { and, eq, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { posts } from '../../../db/schema/posts';
import { workspaces } from '../../../db/schema/workspaces';
import { floatingOccurrences, RecurrenceError, type Recurrence } from '../../scheduler/recurrence';
import { getPostsByIds, PostError, type PostStatus, type PostView } from './posts';
import { publishTarget } from './publish';
import { zoneInstants, type ZoneInstants } from './zone-instants';

export const DAY_MS = 86_400_000;
/** The widest window one call expands: a month view (six weeks) with room to spare. */
export const MAX_OCCURRENCE_WINDOW_MS = 62 * DAY_MS;
/** An hourly series fills a window with ~1,500 dates; a calendar cell shows three. */
export const MAX_PER_SERIES = 500;
export const MAX_OCCURRENCES = 5_000;

/**
 * Series that go out, or went out: a draft keeps its rule but repeats nothing until scheduled, and
 * a cancelled series stops.
 */
const LIVE: readonly PostStatus[] = ['scheduled', 'publishing', 'published', 'partially_published', 'failed'];

export interface Occurrence {
  postId: string;
  /** Epoch ms. */
  at: number;
  /** Place in the series: 0 is the first date the rule produces. */
  index: number;
  /** The date the scheduler will publish next (its pending job's occurrence). */
  isNext: boolean;
}

export interface OccurrenceWindow {
  items: Occurrence[];
  /** The series the occurrences belong to, once each. */
  posts: PostView[];
  /** A series or the window held more dates than were returned. */
  truncated: boolean;
}

export interface SeriesDates {
  at: number;
  index: number;
}

/** A series is enumerated this far at most (an hourly series for over a year). */
const MAX_SERIES_DATES = 10_000;
const MEMO_SIZE = 2_000;
/** Each series' wall-clock dates, kept across calls: iterating a rule costs ~3.5 µs a date. */
const memo = new Map<string, { dates: number[]; complete: boolean }>();

function wallDates(rec: Recurrence): { dates: number[]; complete: boolean } {
  const key = `${rec.timezone}|${rec.startsAt}|${rec.rrule}`;
  let hit = memo.get(key);
  if (hit) {
    // Least recently used goes first.
    memo.delete(key);
  } else {
    hit = floatingOccurrences(rec, MAX_SERIES_DATES);
    if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  }
  memo.set(key, hit);
  return hit;
}

/** The first position in sorted `xs` whose value is >= `x`. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The dates of one series in [from, to), each with its place in the series, at most `limit`.
 * `zone` converts wall times in the series' timezone (pass one per timezone to share its cache).
 */
export function seriesDates(rec: Recurrence, from: number, to: number, limit = MAX_PER_SERIES, zone: ZoneInstants = zoneInstants(rec.timezone)): { dates: SeriesDates[]; truncated: boolean } {
  if (to <= from) return { dates: [], truncated: false };
  const { dates: wall, complete } = wallDates(rec);
  // A wall time is within ±14 h of its instant: a day either side holds every candidate.
  const upper = to + DAY_MS;
  const out: SeriesDates[] = [];
  let truncated = !complete && (wall.length === 0 || wall[wall.length - 1]! < upper);
  for (let i = lowerBound(wall, from - DAY_MS); i < wall.length && wall[i]! < upper; i++) {
    const at = zone.instantOf(wall[i]!);
    if (at < from || at >= to) continue;
    if (out.length === limit) {
      truncated = true;
      break;
    }
    out.push({ at, index: i });
  }
  return { dates: out.sort((a, b) => a.at - b.at), truncated };
}

/** Each post's next pending publish (the scheduler's occurrence of it), by post id. */
function nextDue(db: Database, postIds: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (postIds.length === 0) return out;
  const rows = db.sqlite
    .prepare(
      `SELECT t.post_id AS postId, MIN(j.due_at) AS dueAt
         FROM post_targets t
         JOIN jobs j ON j.type = ? AND j.status IN ('pending', 'running') AND json_extract(j.payload, '$.targetId') = t.id
        WHERE t.post_id IN (SELECT value FROM json_each(?))
        GROUP BY t.post_id`,
    )
    .all(publishTarget.type, JSON.stringify(postIds)) as { postId: string; dueAt: number | null }[];
  for (const r of rows) if (r.dueAt !== null) out.set(r.postId, r.dueAt);
  return out;
}

/**
 * Longest stretch of expansion between two turns of the event loop. A series seen for the first
 * time is iterated whole (~3.5 µs a date: a year of hourly posts is ~30 ms), so a first visit to
 * a calendar full of them yields now and then instead of holding the main process.
 */
const SLICE_MS = 8;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Every occurrence of the workspace's repeating posts in [from, to). */
export async function listOccurrences(db: Database, q: { workspaceId: string; from: number; to: number }): Promise<OccurrenceWindow> {
  if (q.to <= q.from) throw new PostError('invalid', 'The end of the window must be after its start.');
  if (q.to - q.from > MAX_OCCURRENCE_WINDOW_MS) throw new PostError('invalid', `Ask for at most ${MAX_OCCURRENCE_WINDOW_MS / DAY_MS} days at a time.`);
  const workspaceZone = db.orm.select({ tz: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, q.workspaceId)).get()?.tz ?? 'UTC';
  // A series starting after the window has nothing in it; one that ended before it is skipped
  // by the expansion itself (its dates simply stop).
  const series = db.orm
    .select({ id: posts.id, publishAt: posts.publishAt, rrule: posts.rrule, timezone: posts.timezone })
    .from(posts)
    .where(and(eq(posts.workspaceId, q.workspaceId), isNull(posts.deletedAt), isNotNull(posts.rrule), isNotNull(posts.publishAt), lt(posts.publishAt, q.to), inArray(posts.status, [...LIVE])))
    .all();

  const items: Occurrence[] = [];
  let truncated = false;
  const used = new Set<string>();
  const zones = new Map<string, ZoneInstants>();
  let slice = performance.now();
  for (const s of series) {
    if (performance.now() - slice > SLICE_MS) {
      await yieldToLoop();
      slice = performance.now();
    }
    if (s.rrule === null || s.publishAt === null) continue;
    const timezone = s.timezone ?? workspaceZone;
    let zone = zones.get(timezone);
    if (!zone) zones.set(timezone, (zone = zoneInstants(timezone)));
    let dates: SeriesDates[];
    try {
      const r = seriesDates({ rrule: s.rrule, startsAt: s.publishAt, timezone }, q.from, q.to, MAX_PER_SERIES, zone);
      dates = r.dates;
      truncated ||= r.truncated;
    } catch (err) {
      // A rule damaged outside the app shows its first date only (posts.list has it) instead of
      // failing the whole calendar.
      if (err instanceof RecurrenceError) continue;
      throw err;
    }
    if (dates.length === 0) continue;
    used.add(s.id);
    for (const d of dates) items.push({ postId: s.id, at: d.at, index: d.index, isNext: false });
  }

  const next = nextDue(db, [...used]);
  for (const o of items) if (next.get(o.postId) === o.at) o.isNext = true;
  items.sort((a, b) => a.at - b.at || (a.postId < b.postId ? -1 : a.postId > b.postId ? 1 : 0));
  if (items.length > MAX_OCCURRENCES) {
    truncated = true;
    items.length = MAX_OCCURRENCES;
  }
  const kept = new Set(items.map((o) => o.postId));
  return { items, posts: getPostsByIds(db, [...kept]), truncated };
}
