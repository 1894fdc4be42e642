// Publishing one target of a post as a scheduler job. The attempt is written to post_runs before
// the network call; the platform gets the job's idempotency key; a crash mid-call is reconciled
// with the platform (findPublished) before any retry, so a post goes out once. Each target ends
// published or failed on its own, and the post's status says honestly how many made it.
import { join } from 'node:path';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accounts } from '../../../db/schema/accounts';
import { media } from '../../../db/schema/media';
import { postMedia, postRuns, posts, postTargets } from '../../../db/schema/posts';
import type { MediaInput, MediaKind, PublishRequest, PublishResult, PublishedItem } from '../../platforms/connector';
import { defineJob, JobError } from '../../scheduler/definitions';
import { nextOccurrence } from '../../scheduler/recurrence';
import { withAccount, withAccountJob } from '../accounts/session';
import { claimForPublish, type ClaimOutcome } from '../sync/publish-claim';
import type { ApiContext, CoreApp } from '../context';
import { cleared } from './approval';
import { armHeldConfirmation } from './held-confirmation';
import { withHashtags } from './hashtag-text';
import { startMonitoring } from './monitoring';
import { refreshPostStatus } from './post-status';

// Where the checks and tests have always found it.
export { withHashtags };

export const PUBLISH_MAX_ATTEMPTS = 3;
/** How far before the attempt's start a post may carry our key (clock skew between us and the network). */
const RECONCILE_SKEW_MS = 15 * 60_000;

const payload = z.object({ targetId: z.string() });

interface Loaded {
  target: typeof postTargets.$inferSelect;
  post: typeof posts.$inferSelect;
}

function load(ctx: ApiContext, targetId: string): Loaded | null {
  const row = ctx.db.orm
    .select({ target: postTargets, post: posts })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(and(eq(postTargets.id, targetId), isNull(posts.deletedAt)))
    .get();
  return row ?? null;
}

function mediaInputs(ctx: ApiContext, postId: string): MediaInput[] {
  const rows = ctx.db.orm
    .select({ pm: postMedia, m: media })
    .from(postMedia)
    .innerJoin(media, eq(media.id, postMedia.mediaId))
    .where(eq(postMedia.postId, postId))
    .orderBy(asc(postMedia.position))
    .all();
  return rows.map(({ pm, m }) => ({
    kind: (m.kind === 'audio' ? 'document' : m.kind) as MediaKind,
    mimeType: m.mimeType ?? 'application/octet-stream',
    path: m.path === null ? null : join(ctx.dataDir, m.path),
    url: m.url,
    sizeBytes: m.sizeBytes ?? 0,
    altText: pm.altText ?? m.altText,
    ...(m.width !== null ? { width: m.width } : {}),
    ...(m.height !== null ? { height: m.height } : {}),
    ...(m.durationMs !== null ? { durationMs: m.durationMs } : {}),
  }));
}

function request(ctx: ApiContext, l: Loaded, idempotencyKey: string, signal: AbortSignal): PublishRequest {
  const text = withHashtags(l.target.content ?? l.post.content, l.post.hashtags);
  return {
    root: { text, media: mediaInputs(ctx, l.post.id) },
    thread: l.target.threadParts.map((t) => ({ text: t, media: [] })),
    firstComment: l.target.firstComment,
    // A target the network holds goes out at the post's time even with this computer off.
    scheduleAt: l.target.nativeScheduling ? (l.target.publishAt ?? l.post.publishAt) : null,
    idempotencyKey,
    inReplyTo: null,
    language: null,
    signal,
  };
}

/** Record a publish that happened (now, or found by reconcile after a crash). */
function recordSuccess(ctx: ApiContext, l: Loaded, runKey: string, root: PublishedItem, opts: { scheduledOnPlatform: boolean; publishedAt: number | null; occurrenceAt: number }, now: number): void {
  const db = ctx.db;
  db.orm.transaction(() => {
    db.orm
      .update(postRuns)
      .set({ status: 'success', finishedAt: now, platformPostId: root.platformPostId, error: null, updatedAt: now })
      .where(eq(postRuns.idempotencyKey, runKey))
      .run();
    const recurring = l.post.rrule !== null && seriesContinues(l, opts.occurrenceAt);
    const publishedAt = opts.scheduledOnPlatform ? null : (opts.publishedAt ?? now);
    db.orm
      .update(postTargets)
      .set({
        status: opts.scheduledOnPlatform || recurring ? 'scheduled' : 'published',
        platformPostId: root.platformPostId,
        platformUrl: root.url,
        publishedAt,
        nativeScheduleId: opts.scheduledOnPlatform ? root.platformPostId : null,
        errorMessage: null,
        updatedAt: now,
      })
      .where(eq(postTargets.id, l.target.id))
      .run();
    if (publishedAt !== null) startMonitoring(ctx, { ...l.target, text: l.target.content ?? l.post.content }, root.platformPostId, publishedAt, now);
    // Held by the network: ask it, once the time has come, whether it went out.
    if (opts.scheduledOnPlatform) armHeldConfirmation(ctx, l.target, root.platformPostId, l.target.publishAt ?? l.post.publishAt ?? now, now);
    refreshPostStatus(db, l.post.id, now);
  });
  ctx.events.emit('posts.changed', { workspaceId: l.post.workspaceId, postId: l.post.id });
}

function seriesContinues(l: Loaded, occurrenceAt: number): boolean {
  if (!l.post.rrule || l.post.publishAt === null) return false;
  return nextOccurrence({ rrule: l.post.rrule, startsAt: l.post.publishAt, timezone: l.post.timezone ?? 'UTC' }, occurrenceAt) !== null;
}

function recordFailure(ctx: ApiContext, l: Loaded, runKey: string, err: unknown, willRetry: boolean, now: number): void {
  const db = ctx.db;
  const message = err instanceof Error ? err.message : String(err);
  const effectUnknown = err instanceof JobError ? err.effect === 'unknown' : true;
  const held = err instanceof JobError && err.hold !== undefined;
  db.orm.transaction(() => {
    db.orm
      .update(postRuns)
      .set({ status: effectUnknown ? 'unknown' : 'failed', finishedAt: now, error: message, updatedAt: now })
      .where(eq(postRuns.idempotencyKey, runKey))
      .run();
    db.orm
      .update(postTargets)
      .set({
        status: willRetry || held ? 'scheduled' : 'failed',
        errorMessage: held ? `Paused: ${message}` : message,
        retryCount: sql`MIN(${postTargets.retryCount} + 1, ${postTargets.maxRetries})`,
        updatedAt: now,
      })
      .where(eq(postTargets.id, l.target.id))
      .run();
    refreshPostStatus(db, l.post.id, now);
  });
  ctx.events.emit('posts.changed', { workspaceId: l.post.workspaceId, postId: l.post.id });
}

export const publishTarget = defineJob<z.infer<typeof payload>, { platformPostId: string; url: string | null; scheduledOnPlatform: boolean } | { skipped: string }, CoreApp>({
  type: 'post.publish',
  payload,
  maxAttempts: PUBLISH_MAX_ATTEMPTS,
  // Several posts overdue after a laptop wakes: a few seconds apart, not a burst.
  catchUpSpacingMs: 5_000,
  priority: 10,
  timeoutMs: 10 * 60_000,
  handler: async ({ app, payload: p, idempotencyKey, attempt, job, signal, now }) => {
    const { ctx } = app;
    const l = load(ctx, p.targetId);
    if (!l) return { skipped: 'The post was deleted.' };
    if (l.target.status === 'cancelled' || l.post.status === 'cancelled') return { skipped: 'The post was cancelled.' };
    if (!cleared(l.post)) throw new JobError('This post needs approval before it can be published.', { retryable: false, effect: 'none' });
    // With sync on for this workspace another device holds the same post and fires it too: only
    // the device that claims this occurrence in the cloud publishes (a no-op without sync).
    let claim: ClaimOutcome;
    try {
      claim = await claimForPublish(ctx.db, l.target, l.post.workspaceId, job.dueAt);
    } catch (err) {
      throw new JobError(err instanceof Error ? err.message : String(err), { retryable: true, effect: 'none' });
    }
    if (claim === 'other_device') return { skipped: 'Another device that syncs this workspace publishes this post.' };
    if (claim === 'no_sign_in_here') return { skipped: 'This device is not signed in to the account; a device that syncs this workspace and is signed in publishes it.' };

    const runKey = `${idempotencyKey}#${attempt}`;
    const started = now();
    ctx.db.orm.transaction(() => {
      ctx.db.orm
        .insert(postRuns)
        .values({ workspaceId: l.post.workspaceId, postId: l.post.id, targetId: l.target.id, occurrenceAt: job.dueAt, attempt, idempotencyKey: runKey, status: 'running', startedAt: started })
        .onConflictDoUpdate({ target: postRuns.idempotencyKey, set: { status: 'running', startedAt: started, finishedAt: null, error: null, updatedAt: started } })
        .run();
      ctx.db.orm.update(postTargets).set({ status: 'publishing', updatedAt: started }).where(eq(postTargets.id, l.target.id)).run();
      refreshPostStatus(ctx.db, l.post.id, started);
    });
    ctx.events.emit('posts.changed', { workspaceId: l.post.workspaceId, postId: l.post.id });

    let result: PublishResult;
    try {
      result = await withAccountJob(ctx, l.target.accountId, (connector, account) => connector.publish(account, request(ctx, l, idempotencyKey, signal)));
    } catch (err) {
      const retryable = err instanceof JobError ? err.retryable && err.hold === undefined : true;
      recordFailure(ctx, l, runKey, err, retryable && attempt < job.maxAttempts, now());
      throw err;
    }
    recordSuccess(ctx, l, runKey, result.root, { scheduledOnPlatform: result.scheduledOnPlatform, publishedAt: result.publishedAt, occurrenceAt: job.dueAt }, now());
    return { platformPostId: result.root.platformPostId, url: result.root.url, scheduledOnPlatform: result.scheduledOnPlatform };
  },
  reconcile: async ({ app, payload: p, idempotencyKey, attempt, job, now }) => {
    const { ctx } = app;
    const l = load(ctx, p.targetId);
    if (!l) return { done: true, result: { skipped: 'The post was deleted.' } };
    const found = await withAccount(ctx, l.target.accountId, (connector, account) =>
      connector.findPublished(account, { idempotencyKey }, { since: job.runAt - RECONCILE_SKEW_MS }),
    );
    // During reconcile `attempt` is still the interrupted attempt's number: its run row is the one left open.
    const runKey = `${idempotencyKey}#${attempt}`;
    if (!found) {
      ctx.db.orm
        .update(postRuns)
        .set({ status: 'failed', finishedAt: now(), error: 'Checked after an interruption: it did not go out, so it is tried again.', updatedAt: now() })
        .where(and(eq(postRuns.idempotencyKey, runKey), sql`${postRuns.status} IN ('running', 'unknown')`))
        .run();
      return { done: false };
    }
    // A target the network was to hold: what was found is the handed-over post; whether it has
    // gone out since is the held-post confirmation's question, not this one's.
    const held = l.target.nativeScheduling;
    recordSuccess(ctx, l, runKey, found, { scheduledOnPlatform: held, publishedAt: null, occurrenceAt: job.dueAt }, now());
    return { done: true, result: { platformPostId: found.platformPostId, url: found.url, scheduledOnPlatform: held } };
  },
});

/** Accounts of a post's targets that cannot publish now (needs reconnecting, disconnected). */
export function unavailableTargets(ctx: ApiContext, postId: string): { accountId: string; name: string; status: string }[] {
  return ctx.db.orm
    .select({ accountId: accounts.id, username: accounts.username, displayName: accounts.displayName, platform: accounts.platform, status: accounts.status })
    .from(postTargets)
    .innerJoin(accounts, eq(accounts.id, postTargets.accountId))
    .where(and(eq(postTargets.postId, postId), sql`${accounts.status} <> 'active'`))
    .all()
    .map((r) => ({ accountId: r.accountId, name: `${r.username ?? r.displayName ?? r.platform} on ${r.platform}`, status: r.status }));
}
