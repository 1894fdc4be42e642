// When a post goes out: now, at a time, in the next free preferred slot, or on a repeating rule
// (RRULE in the workspace timezone, with an end). Scheduling queues one publish job per target in
// the same transaction as the status change, so the Queue page and the post never disagree.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { jobs } from '../../../db/schema/jobs';
import { posts, postTargets } from '../../../db/schema/posts';
import { workspacePreferences, workspaces } from '../../../db/schema/workspaces';
import { validateRecurrence, RecurrenceError } from '../../scheduler/recurrence';
import { schedulerFor } from '../../scheduler/scheduler';
import type { ApiContext } from '../context';
import { cleared } from './approval';
import { checkPost, describeErrors } from './checks';
import { getPost, PostError, postRow, takenTimes, type PostView } from './posts';
import { refreshPostStatus } from './post-status';
import { publishTarget, unavailableTargets } from './publish';
import { nextFreeSlot } from './slots';

export type When =
  | { mode: 'now' }
  | { mode: 'at'; at: number }
  | { mode: 'next_slot' }
  | { mode: 'recurring'; at: number; rrule: string };

export interface ScheduleOptions {
  missedRunPolicy?: 'publish_late' | 'skip' | 'ask' | undefined;
}

const SCHEDULABLE = new Set(['draft', 'approved', 'failed', 'cancelled', 'partially_published']);
const MISSED: Record<'publish_late' | 'skip' | 'ask', 'run_now' | 'skip' | 'ask'> = { publish_late: 'run_now', skip: 'skip', ask: 'ask' };

function workspaceTimezone(ctx: ApiContext, workspaceId: string): string {
  return ctx.db.orm.select({ tz: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, workspaceId)).get()?.tz ?? 'UTC';
}

/** The next preferred time not already taken by another scheduled post of the workspace. */
export function findNextSlot(ctx: ApiContext, workspaceId: string, after: number): number | null {
  const prefs = ctx.db.orm.select({ times: workspacePreferences.preferredTimes }).from(workspacePreferences).where(eq(workspacePreferences.workspaceId, workspaceId)).get();
  const timezone = workspaceTimezone(ctx, workspaceId);
  return nextFreeSlot({ preferredTimes: prefs?.times ?? [], timezone, after, taken: takenTimes(ctx.db, workspaceId, after, after + 61 * 86_400_000) });
}

function pendingJobIds(ctx: ApiContext, targetIds: readonly string[]): string[] {
  if (targetIds.length === 0) return [];
  return ctx.db.orm
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.type, publishTarget.type), inArray(jobs.status, ['pending', 'running']), inArray(sql`json_extract(${jobs.payload}, '$.targetId')`, [...targetIds])))
    .all()
    .map((r) => r.id);
}

export function schedulePost(ctx: ApiContext, postId: string, when: When, opts: ScheduleOptions = {}, now = Date.now()): PostView {
  const scheduler = schedulerFor(ctx.db);
  if (!scheduler) throw new PostError('conflict', 'Publishing is not running in this window; restart Postdesk.');
  const row = postRow(ctx.db, postId);
  if (!SCHEDULABLE.has(row.status)) {
    throw new PostError('conflict', row.status === 'scheduled' ? 'The post is already scheduled; reschedule it instead.' : `A ${row.status.replace('_', ' ')} post cannot be scheduled.`);
  }
  if (!cleared(row)) throw new PostError('conflict', 'This post needs approval before it can be scheduled.');
  const view = getPost(ctx.db, postId);
  if (view.targets.length === 0) throw new PostError('invalid', 'Choose at least one account to publish to.');
  const blocked = unavailableTargets(ctx, postId);
  if (blocked.length > 0) throw new PostError('conflict', `${blocked.map((b) => b.name).join(', ')} ${blocked.length === 1 ? 'needs' : 'need'} reconnecting before this post can be scheduled.`);

  const timezone = row.timezone ?? workspaceTimezone(ctx, row.workspaceId);
  let publishAt: number;
  let rrule: string | null = null;
  switch (when.mode) {
    case 'now':
      publishAt = now;
      break;
    case 'at':
      publishAt = when.at;
      break;
    case 'next_slot': {
      const slot = findNextSlot(ctx, row.workspaceId, now + 60_000);
      if (slot === null) throw new PostError('invalid', 'Set your preferred posting times in Settings to use the next free slot.');
      publishAt = slot;
      break;
    }
    case 'recurring':
      publishAt = when.at;
      rrule = when.rrule.trim().replace(/^RRULE:/i, '');
      try {
        validateRecurrence({ rrule, startsAt: publishAt, timezone });
      } catch (err) {
        if (err instanceof RecurrenceError) throw new PostError('invalid', err.message);
        throw err;
      }
      break;
  }
  for (const t of view.targets) {
    if (!t.nativeScheduling) continue;
    const window = ctx.platforms.connector(t.platform).capabilities.scheduling;
    if (!window.native) throw new PostError('invalid', `${t.platform} cannot hold a post for later; Postdesk will publish it itself.`);
    if (rrule !== null) throw new PostError('invalid', 'A repeating post is published by Postdesk, not held by the network.');
    const lead = publishAt - now;
    if (lead < window.minLeadMs || (window.maxLeadMs !== null && lead > window.maxLeadMs)) {
      throw new PostError('invalid', `${t.platform} holds posts between ${Math.ceil(window.minLeadMs / 60_000)} minutes and ${window.maxLeadMs === null ? 'any time' : `${Math.floor(window.maxLeadMs / 86_400_000)} days`} ahead.`);
    }
  }

  // The same checks the composer shows: a post the network would refuse is not scheduled.
  const validation = checkPost(ctx, view, when.mode === 'now' ? null : publishAt, now);
  if (!validation.ok) {
    const lines = describeErrors(view, validation);
    throw new PostError('invalid', `Fix ${lines.length === 1 ? 'this' : 'these'} first: ${lines.join(' ')}`);
  }

  const policy = opts.missedRunPolicy ?? row.missedRunPolicy;
  ctx.db.orm.transaction(() => {
    ctx.db.orm
      .update(posts)
      .set({ status: 'scheduled', publishAt, rrule, timezone: row.timezone, missedRunPolicy: policy, publishedAt: null, updatedAt: now })
      .where(eq(posts.id, postId))
      .run();
    for (const t of view.targets) {
      // A partially published post is scheduled again only for the targets that did not make it.
      if (row.status === 'partially_published' && t.status === 'published') continue;
      ctx.db.orm.update(postTargets).set({ status: 'scheduled', errorMessage: null, publishAt: null, retryCount: 0, updatedAt: now }).where(eq(postTargets.id, t.id)).run();
      scheduler.enqueue(
        publishTarget,
        { targetId: t.id },
        {
          // Held by the network: hand it over now; it goes out at publishAt without us.
          runAt: t.nativeScheduling ? now : publishAt,
          // A fresh key per scheduling, so a post unscheduled and scheduled again gets new jobs.
          uniqueKey: `post.publish:${t.id}:${now}`,
          workspaceId: row.workspaceId,
          accountId: t.accountId,
          missedRunPolicy: MISSED[policy],
          ...(rrule !== null ? { recurrence: { rrule, startsAt: publishAt, timezone } } : {}),
        },
      );
    }
  });
  ctx.events.emit('posts.changed', { workspaceId: row.workspaceId, postId });
  return getPost(ctx.db, postId);
}

/** Take a scheduled post off the schedule: its jobs are cancelled and it goes back to draft (or approved). */
export function unschedulePost(ctx: ApiContext, postId: string, now = Date.now()): PostView {
  const row = postRow(ctx.db, postId);
  if (row.status !== 'scheduled' && row.status !== 'failed' && row.status !== 'partially_published') {
    throw new PostError('conflict', row.status === 'publishing' ? 'The post is being published right now.' : 'The post is not scheduled.');
  }
  const scheduler = schedulerFor(ctx.db);
  const targetIds = ctx.db.orm.select({ id: postTargets.id }).from(postTargets).where(eq(postTargets.postId, postId)).all().map((t) => t.id);
  for (const jobId of pendingJobIds(ctx, targetIds)) scheduler?.cancel(jobId, { series: true });
  ctx.db.orm.transaction(() => {
    ctx.db.orm
      .update(postTargets)
      .set({ status: 'pending', updatedAt: now })
      .where(and(eq(postTargets.postId, postId), inArray(postTargets.status, ['scheduled', 'pending', 'failed'])))
      .run();
    const back = row.requiresApproval && row.approvedAt !== null ? 'approved' : 'draft';
    const anyPublished = ctx.db.orm.select({ id: postTargets.id }).from(postTargets).where(and(eq(postTargets.postId, postId), eq(postTargets.status, 'published'))).get();
    ctx.db.orm.update(posts).set({ status: anyPublished ? 'partially_published' : back, updatedAt: now }).where(eq(posts.id, postId)).run();
  });
  ctx.events.emit('posts.changed', { workspaceId: row.workspaceId, postId });
  return getPost(ctx.db, postId);
}

/** Move a scheduled post to another time (the Calendar's drag): same targets and rule, new time. */
export function reschedulePost(ctx: ApiContext, postId: string, at: number, now = Date.now()): PostView {
  const row = postRow(ctx.db, postId);
  if (row.status !== 'scheduled') return schedulePost(ctx, postId, { mode: 'at', at }, {}, now);
  // One transaction: if the new time is refused (checks, an account to reconnect), the post keeps
  // its old time and jobs instead of ending up unscheduled.
  return ctx.db.orm.transaction(() => {
    unschedulePost(ctx, postId, now);
    return schedulePost(ctx, postId, row.rrule ? { mode: 'recurring', at, rrule: row.rrule } : { mode: 'at', at }, {}, now);
  });
}

/** Stop for good: jobs cancelled, targets that did not go out marked cancelled. */
export function cancelPost(ctx: ApiContext, postId: string, now = Date.now()): PostView {
  const row = postRow(ctx.db, postId);
  if (row.status === 'published') throw new PostError('conflict', 'The post is already published.');
  const scheduler = schedulerFor(ctx.db);
  const targetIds = ctx.db.orm.select({ id: postTargets.id }).from(postTargets).where(eq(postTargets.postId, postId)).all().map((t) => t.id);
  for (const jobId of pendingJobIds(ctx, targetIds)) scheduler?.cancel(jobId, { series: true });
  ctx.db.orm.transaction(() => {
    ctx.db.orm
      .update(postTargets)
      .set({ status: 'cancelled', updatedAt: now })
      .where(and(eq(postTargets.postId, postId), inArray(postTargets.status, ['pending', 'scheduled', 'failed'])))
      .run();
    ctx.db.orm.update(posts).set({ status: 'cancelled', updatedAt: now }).where(eq(posts.id, postId)).run();
    refreshPostStatus(ctx.db, postId, now);
  });
  ctx.events.emit('posts.changed', { workspaceId: row.workspaceId, postId });
  return getPost(ctx.db, postId);
}
