// A post handed to the network to publish later (Mastodon scheduled_at, Facebook
// scheduled_publish_time) is not published until the network says so. At its time plus a grace
// period a job asks the network: still held (check again later, a few times), out (the target is
// published with its live id and URL, and watched for comments as any published post), or gone
// (failed, saying so). Nothing is sent to the network here, so every attempt is safe to repeat.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { posts, postTargets } from '../../../db/schema/posts';
import type { HeldPostState } from '../../platforms/connector';
import { PLATFORM_NAMES } from '../../platforms/names';
import { defineJob, JobError } from '../../scheduler/definitions';
import { schedulerFor } from '../../scheduler/scheduler';
import { withAccountJob } from '../accounts/session';
import type { ApiContext, CoreApp } from '../context';
import { withHashtags } from './hashtag-text';
import { startMonitoring } from './monitoring';
import { refreshPostStatus } from './post-status';

/** Mastodon publishes due statuses from a job that runs every few minutes; Facebook within about one. */
export const HELD_GRACE_MS = 5 * 60_000;
export const HELD_MAX_ATTEMPTS = 6;
/** Checks after the first: 5, 10, 20, 40, 60 minutes apart — over two hours past the time in all. */
const FIRST_WAIT_MS = 5 * 60_000;
const MAX_WAIT_MS = 60 * 60_000;

export function heldRetryDelay(attempt: number): number {
  return Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.max(0, attempt - 1));
}

const payload = z.object({ targetId: z.string(), heldId: z.string() });

type Target = typeof postTargets.$inferSelect;
type Post = typeof posts.$inferSelect;

function load(ctx: ApiContext, targetId: string): { target: Target; post: Post } | null {
  return (
    ctx.db.orm
      .select({ target: postTargets, post: posts })
      .from(postTargets)
      .innerJoin(posts, eq(posts.id, postTargets.postId))
      .where(and(eq(postTargets.id, targetId), isNull(posts.deletedAt)))
      .get() ?? null
  );
}

/**
 * Queue the check for a target the network now holds (inside the caller's transaction). Keyed by
 * the held post and its time, so a repeat is a no-op and a new hand-over gets its own check.
 */
export function armHeldConfirmation(ctx: ApiContext, target: Pick<Target, 'id' | 'workspaceId' | 'accountId'>, heldId: string, scheduledAt: number, now: number): void {
  const scheduler = schedulerFor(ctx.db);
  if (!scheduler) return;
  scheduler.enqueue(
    confirmHeldPost,
    { targetId: target.id, heldId },
    {
      runAt: Math.max(now, scheduledAt + HELD_GRACE_MS),
      uniqueKey: `post.confirm_held:${target.id}:${heldId}:${scheduledAt}`,
      workspaceId: target.workspaceId,
      accountId: target.accountId,
      // Asking late is still right: the answer does not depend on when it is asked.
      missedRunPolicy: 'run_now',
    },
  );
}

function settle(ctx: ApiContext, target: Target, post: Post, change: Partial<Target>, now: number): void {
  ctx.db.orm.transaction(() => {
    ctx.db.orm
      .update(postTargets)
      .set({ ...change, updatedAt: now })
      .where(eq(postTargets.id, target.id))
      .run();
    refreshPostStatus(ctx.db, post.id, now);
  });
  ctx.events.emit('posts.changed', { workspaceId: post.workspaceId, postId: post.id });
}

function fail(ctx: ApiContext, target: Target, post: Post, message: string, now: number): void {
  settle(ctx, target, post, { status: 'failed', errorMessage: message }, now);
}

type Result = { published: string; url: string | null } | { skipped: string } | { heldUntil: number };

export const confirmHeldPost = defineJob<z.infer<typeof payload>, Result, CoreApp>({
  type: 'post.confirm_held',
  payload,
  maxAttempts: HELD_MAX_ATTEMPTS,
  priority: 5,
  timeoutMs: 5 * 60_000,
  handler: async ({ app, payload: p, attempt, job, signal, now }) => {
    const { ctx } = app;
    const l = load(ctx, p.targetId);
    if (!l) return { skipped: 'The post was deleted.' };
    const { target, post } = l;
    // Unscheduled, cancelled or handed over again since: this check is not about it any more.
    if (target.status !== 'scheduled' || target.nativeScheduleId !== p.heldId) return { skipped: 'The post is no longer held by the network under this id.' };
    const network = PLATFORM_NAMES[target.platform];
    const scheduledAt = target.publishAt ?? post.publishAt ?? job.dueAt;
    const last = attempt >= job.maxAttempts;

    let state: HeldPostState;
    try {
      state = await withAccountJob(ctx, target.accountId, (connector, account) => {
        if (!connector.checkScheduled) throw new JobError(`Postdesk cannot ask ${network} about posts it holds.`, { retryable: false, effect: 'none' });
        return connector.checkScheduled(account, { platformPostId: p.heldId, scheduledAt, text: withHashtags(target.content ?? post.content, post.hashtags) }, signal);
      });
    } catch (err) {
      // Only a question was asked: whatever failed, nothing happened on the network.
      const e = err instanceof JobError ? err : new JobError(err instanceof Error ? err.message : String(err), { cause: err });
      const quiet = new JobError(e.message, { retryable: e.retryable, effect: 'none', ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }), ...(e.hold ? { hold: e.hold } : {}), cause: e });
      if (!e.hold && (!e.retryable || last)) {
        fail(ctx, target, post, `Postdesk could not confirm that ${network} published this post: ${e.message} Check the post on ${network}.`, now());
      }
      throw quiet;
    }

    const t = now();
    switch (state.state) {
      case 'published': {
        const publishedAt = state.publishedAt ?? scheduledAt;
        ctx.db.orm.transaction(() => {
          ctx.db.orm
            .update(postTargets)
            .set({ status: 'published', platformPostId: state.item.platformPostId, platformUrl: state.item.url, publishedAt, errorMessage: null, updatedAt: t })
            .where(eq(postTargets.id, target.id))
            .run();
          startMonitoring(ctx, { ...target, text: target.content ?? post.content }, state.item.platformPostId, publishedAt, t);
          refreshPostStatus(ctx.db, post.id, t);
        });
        ctx.events.emit('posts.changed', { workspaceId: post.workspaceId, postId: post.id });
        return { published: state.item.platformPostId, url: state.item.url };
      }
      case 'gone': {
        const message = `${network} no longer holds this post, and it is not on the profile: it was deleted or cancelled on ${network}, or ${network} dropped it. Schedule it again to publish it.`;
        fail(ctx, target, post, message, t);
        throw new JobError(message, { retryable: false, effect: 'none' });
      }
      case 'held': {
        // Moved to a later time on the network itself: follow it there, with a fresh set of checks.
        if (state.scheduledAt !== null && state.scheduledAt > scheduledAt + 60_000 && state.scheduledAt > t) {
          ctx.db.orm.transaction(() => {
            ctx.db.orm.update(postTargets).set({ publishAt: state.scheduledAt, updatedAt: t }).where(eq(postTargets.id, target.id)).run();
            armHeldConfirmation(ctx, target, p.heldId, state.scheduledAt!, t);
          });
          ctx.events.emit('posts.changed', { workspaceId: post.workspaceId, postId: post.id });
          return { heldUntil: state.scheduledAt };
        }
        const overdue = Math.round((t - scheduledAt) / 60_000);
        if (last) {
          const message = `${network} had still not published this post ${overdue} minutes after its time; it still holds it as scheduled. Check it on ${network}, or unschedule it and publish it from Postdesk.`;
          fail(ctx, target, post, message, t);
          throw new JobError(message, { retryable: false, effect: 'none' });
        }
        const wait = heldRetryDelay(attempt);
        throw new JobError(`${network} still holds the post ${overdue} minutes after its time; Postdesk asks again in ${Math.round(wait / 60_000)} minutes.`, { retryable: true, effect: 'none', retryAfterMs: wait });
      }
    }
  },
});
