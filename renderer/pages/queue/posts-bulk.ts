// Bulk actions on posts, planned and reported. "+1 day" means the same wall-clock time on the next
// day in the post's zone — not 24 hours — so a post at 09:30 stays at 09:30 across a clock change:
// posts are grouped by the exact offset each needs and sent as one posts.bulk call per group. A
// move that would land in the past is refused here, before the engine unschedules anything. The
// report says what happened to each post, in words: "Moved 2 of 3 — 1 was not: It has no time
// to move. (“Holiday hours”)". Pure, so tested without a browser.
import type { ApiInput, ApiOutput } from '../../../electron/api';
import { firstLine, type PostView } from '../calendar/post-info';
import { civilDate, dayNumber, wallTime, zonedTimeToEpoch } from '../calendar/zoned';
import { postTime } from './posts-labels';

export type BulkApiAction = ApiInput<'posts.bulk'>['action'];
export type BulkResult = ApiOutput<'posts.bulk'>['results'][number];

/** What the user asked for, before it becomes API calls. */
export type BulkChoice = { kind: 'shift'; days: number } | { kind: 'move'; at: number } | { kind: 'pause' } | { kind: 'cancel' };

export type BulkPost = Pick<PostView, 'id' | 'content' | 'publishAt' | 'timezone'>;

export interface BulkPlan {
  requests: { postIds: string[]; action: BulkApiAction }[];
  /** Posts not sent, with the reason (in the order they were given). */
  refused: BulkResult[];
}

const DAY_MS = 86_400_000;

/** The same wall-clock time `days` calendar days later (or earlier) in `timezone`. */
export function shiftWallClock(at: number, days: number, timezone: string): number {
  const w = wallTime(at, timezone);
  const day = civilDate(dayNumber(w) + days);
  return zonedTimeToEpoch({ ...w, ...day }, timezone);
}

export function planBulk(choice: BulkChoice, posts: readonly BulkPost[], workspaceTimezone: string, now: number, locale?: string): BulkPlan {
  const refused: BulkResult[] = [];
  const pastError = (at: number, tz: string) => `The new time (${postTime(at, now, tz, locale)}) has already passed.`;
  switch (choice.kind) {
    case 'pause':
    case 'cancel':
      return posts.length === 0 ? { requests: [], refused } : { requests: [{ postIds: posts.map((p) => p.id), action: { kind: choice.kind } }], refused };
    case 'move': {
      if (choice.at <= now) return { requests: [], refused: posts.map((p) => ({ postId: p.id, ok: false, error: pastError(choice.at, workspaceTimezone) })) };
      return posts.length === 0 ? { requests: [], refused } : { requests: [{ postIds: posts.map((p) => p.id), action: { kind: 'move', at: choice.at } }], refused };
    }
    case 'shift': {
      const groups = new Map<number, string[]>();
      for (const p of posts) {
        const tz = p.timezone ?? workspaceTimezone;
        // No time to move from: the engine says so in its own words.
        let byMs = choice.days * DAY_MS;
        if (p.publishAt !== null) {
          const next = shiftWallClock(p.publishAt, choice.days, tz);
          if (next <= now) {
            refused.push({ postId: p.id, ok: false, error: pastError(next, tz) });
            continue;
          }
          byMs = next - p.publishAt;
        }
        groups.set(byMs, [...(groups.get(byMs) ?? []), p.id]);
      }
      return { requests: [...groups].map(([byMs, postIds]) => ({ postIds, action: { kind: 'shift', byMs } })), refused };
    }
  }
}

/** Every post's result in the order the posts were given (refused ones included). */
export function mergeResults(order: readonly string[], ...parts: readonly (readonly BulkResult[])[]): BulkResult[] {
  const byId = new Map<string, BulkResult>();
  for (const part of parts) for (const r of part) byId.set(r.postId, r);
  return order.flatMap((id) => {
    const r = byId.get(id);
    return r ? [r] : [];
  });
}

export interface BulkReport {
  /** "Moved 2 of 3 posts 1 day later" */
  headline: string;
  /** Why the others were not, grouped by reason, naming each post by its first line. */
  failures: { reason: string; posts: { id: string; title: string }[] }[];
  /** Headline and reasons on one line, for the screen reader's announcement. */
  line: string;
  okIds: string[];
  failedIds: string[];
}

const VERB: Record<BulkChoice['kind'], { done: string; not: string }> = {
  shift: { done: 'Moved', not: 'moved' },
  move: { done: 'Moved', not: 'moved' },
  pause: { done: 'Paused', not: 'paused' },
  cancel: { done: 'Cancelled', not: 'cancelled' },
};

function howFar(days: number): string {
  const n = Math.abs(days);
  const amount = n % 7 === 0 ? (n === 7 ? '1 week' : `${n / 7} weeks`) : n === 1 ? '1 day' : `${n} days`;
  return `${amount} ${days > 0 ? 'later' : 'earlier'}`;
}

export function describeBulk(choice: BulkChoice, results: readonly BulkResult[], posts: readonly BulkPost[], timezone: string, now: number, locale?: string): BulkReport {
  const verb = VERB[choice.kind];
  const title = (id: string) => {
    const p = posts.find((x) => x.id === id);
    return p ? firstLine(p.content, 60) : 'A post no longer listed';
  };
  const okIds = results.filter((r) => r.ok).map((r) => r.postId);
  const failed = results.filter((r) => !r.ok);
  const n = results.length;
  const where = choice.kind === 'shift' ? ` ${howFar(choice.days)}` : choice.kind === 'move' ? ` to ${postTime(choice.at, now, timezone, locale)}` : '';
  const noun = (k: number) => (k === 1 ? 'post' : 'posts');

  let headline: string;
  if (n === 0) headline = 'No posts were selected.';
  else if (failed.length === 0) headline = `${verb.done} ${n === 1 ? 'the post' : `${n} posts`}${where}.`;
  else if (okIds.length === 0) headline = n === 1 ? `The post was not ${verb.not}.` : `None of the ${n} posts ${n === 2 ? 'was' : 'were'} ${verb.not}.`;
  else headline = `${verb.done} ${okIds.length} of ${n} ${noun(n)}${where}.`;

  const failures: BulkReport['failures'] = [];
  for (const r of failed) {
    const reason = r.error?.trim() || 'The engine gave no reason.';
    let group = failures.find((f) => f.reason === reason);
    if (!group) {
      group = { reason, posts: [] };
      failures.push(group);
    }
    group.posts.push({ id: r.postId, title: title(r.postId) });
  }

  const parts = failures.map((f) => {
    const shown = f.posts.slice(0, 3).map((p) => `“${p.title}”`);
    const more = f.posts.length > 3 ? ` and ${f.posts.length - 3} more` : '';
    return `${f.posts.length} ${f.posts.length === 1 ? 'was' : 'were'} not: ${f.reason} (${shown.join(', ')}${more})`;
  });
  const line = okIds.length > 0 && failed.length > 0 ? `${headline.replace(/\.$/, '')} — ${parts.join('; ')}` : failed.length > 0 ? `${headline} ${failures.map((f) => f.reason).join(' ')}` : headline;
  return { headline, failures, line, okIds, failedIds: failed.map((r) => r.postId) };
}
