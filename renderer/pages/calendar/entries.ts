// What the calendar draws: each post at its time, and each later date of a repeating post as a
// lighter "repeat" of it. A repeat opens the series' post (a single date of a series is not edited
// on its own), never drags, and the series' first date stays the post itself, which does.
import type { ApiOutput } from '../../../electron/api';
import type { PostStatus, PostView } from './post-info';

export type Occurrence = ApiOutput<'posts.occurrences'>['items'][number];

export interface Repeat {
  /** Place in the series (0: its first date). */
  index: number;
  /** The date the scheduler publishes next. */
  isNext: boolean;
}

export interface CalendarEntry {
  /** Unique on the calendar: the post id, plus the date for a repeat. */
  key: string;
  post: PostView;
  at: number;
  repeat: Repeat | null;
}

/** Statuses whose rule still repeats on the calendar (the engine's list; a local change may end one early). */
const REPEATING: ReadonlySet<PostStatus> = new Set(['scheduled', 'publishing', 'published', 'partially_published', 'failed']);

export function repeats(post: Pick<PostView, 'rrule' | 'status'>): boolean {
  return post.rrule !== null && REPEATING.has(post.status);
}

/**
 * The entries of a window: `posts` (with moves in flight applied) at their times, and the series'
 * other dates from `occurrences`. `series` is the engine's copy of each series, whose start says
 * which date the post itself already stands for. A series being moved shows no repeats until the
 * engine answers, since its dates are about to change.
 */
export function calendarEntries(posts: readonly PostView[], occurrences: readonly Occurrence[], series: readonly PostView[], moving: ReadonlySet<string> = new Set()): CalendarEntry[] {
  const out: CalendarEntry[] = [];
  const shown = new Map(posts.map((p) => [p.id, p]));
  for (const p of posts) if (p.publishAt !== null) out.push({ key: p.id, post: p, at: p.publishAt, repeat: null });
  const engine = new Map(series.map((p) => [p.id, p]));
  for (const o of occurrences) {
    if (moving.has(o.postId)) continue;
    const start = engine.get(o.postId);
    const post = shown.get(o.postId) ?? start;
    if (!post || !repeats(post)) continue;
    if (o.at === start?.publishAt || o.at === post.publishAt) continue;
    out.push({ key: `${o.postId}@${o.at}`, post, at: o.at, repeat: { index: o.index, isNext: o.isNext } });
  }
  // Stable: posts at the same time keep the engine's order, and a post comes before a repeat.
  return out.sort((a, b) => a.at - b.at || (a.repeat === null ? 0 : 1) - (b.repeat === null ? 0 : 1));
}
