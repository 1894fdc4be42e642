// Fetching published posts' metrics on the scheduler. One 'analytics.fetch_metrics' job per account
// at a time asks the network for every due post of that account in batches (one request per batch
// of ids where the network takes several), keeps the latest figures in post_metrics and a snapshot
// in post_metrics_history. A sweep every 15 minutes queues the accounts with posts due under the
// age-based schedule (./schedule.ts). Failures follow the inbox poll's rules: an expired sign-in
// parks the job until the user reconnects (withAccountJob), a rate limit waits for the network's
// reset (at most 6 hours), other errors retry with the scheduler's backoff; an account whose last
// fetch finished or failed within the hour is not queued again, so a network that keeps failing is
// asked at most hourly. Batches stored before a failure stay stored.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accounts } from '../../../db/schema/accounts';
import { jobs } from '../../../db/schema/jobs';
import type { Database } from '../../../db/client';
import { capabilitiesOf } from '../../platforms/capabilities';
import type { PostMetrics } from '../../platforms/connector';
import { PlatformError } from '../../platforms/errors';
import type { CronSpec } from '../../scheduler/cron';
import { defineJob, JobError } from '../../scheduler/definitions';
import { schedulerFor } from '../../scheduler/scheduler';
import { ApiError } from '../../api/errors';
import { MissingCredentialsError } from '../accounts/credentials';
import { withAccountJob } from '../accounts/session';
import type { ApiContext, CoreApp } from '../context';
import { metricColumnsOf } from './engagement';
import { dueSql, METRICS_STOP_AFTER_MS } from './schedule';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Ids per fetchMetrics call: X takes 100 per request, Mastodon and Meta one per request; 50 keeps
 *  a batch's store small (one short transaction) and a failure loses at most one batch. */
export const METRICS_BATCH = 50;
/** At most this many posts per job (the most overdue first); the rest are due at the next sweep. */
export const METRICS_PER_JOB = 1000;
/** An account fetched (or failed) this recently is not queued again by the sweep. */
export const METRICS_ACCOUNT_SPACING_MS = 55 * MINUTE;
/** A rate limit's reset is waited out, but a misread header must not stop metrics for days. */
export const METRICS_RATE_LIMIT_MAX_WAIT_MS = 6 * HOUR;

export interface MetricsFetchResult {
  asked: number;
  stored: number;
  /** Posts the network did not return (deleted there, or not visible to this sign-in). */
  missing: number;
  batches: number;
  skipped?: string;
}

interface DueTarget {
  id: string;
  platformPostId: string;
  publishedAt: number;
}

/** The account's published posts whose metrics are due (all within 90 days when `force`), oldest fetch first. */
export function dueTargets(db: Database, accountId: string, now: number, force = false, limit = METRICS_PER_JOB): DueTarget[] {
  const due = force ? `t.published_at > ${Math.trunc(now - METRICS_STOP_AFTER_MS)}` : dueSql(now);
  return db.sqlite
    .prepare<[string, number], DueTarget>(
      `SELECT t.id AS id, t.platform_post_id AS platformPostId, t.published_at AS publishedAt
       FROM post_targets t LEFT JOIN post_metrics m ON m.target_id = t.id
       WHERE t.account_id = ? AND t.status = 'published' AND t.deleted_at IS NULL AND t.platform_post_id IS NOT NULL
         AND t.published_at IS NOT NULL AND ${due}
       ORDER BY COALESCE(m.recorded_at, 0), t.published_at DESC
       LIMIT ?`,
    )
    .all(accountId, limit);
}

/** Store one batch's answer: latest figures (upsert) and a snapshot, in one transaction. */
export function storeMetrics(db: Database, workspaceId: string, platform: string, targets: readonly DueTarget[], answer: readonly PostMetrics[], now: number): number {
  const byPlatformId = new Map(targets.map((t) => [t.platformPostId, t]));
  const upsert = db.sqlite.prepare(
    `INSERT INTO post_metrics (id, workspace_id, target_id, platform, reach, impressions, clicks, likes, comments, shares, saves, video_views,
       engagement_rate, raw_metrics, recorded_at, created_at, updated_at)
     VALUES (@id, @workspaceId, @targetId, @platform, @reach, @impressions, @clicks, @likes, @comments, @shares, @saves, @videoViews,
       @engagementRate, @raw, @recordedAt, @now, @now)
     ON CONFLICT (target_id) DO UPDATE SET reach = excluded.reach, impressions = excluded.impressions, clicks = excluded.clicks,
       likes = excluded.likes, comments = excluded.comments, shares = excluded.shares, saves = excluded.saves,
       video_views = excluded.video_views, engagement_rate = excluded.engagement_rate, raw_metrics = excluded.raw_metrics,
       recorded_at = excluded.recorded_at, updated_at = excluded.updated_at`,
  );
  const snapshot = db.sqlite.prepare(
    `INSERT INTO post_metrics_history (id, workspace_id, target_id, platform, reach, impressions, clicks, likes, comments, shares, saves, video_views,
       conversions, engagement_rate, raw_metrics, recorded_at, age_hours, created_at, updated_at)
     VALUES (@id2, @workspaceId, @targetId, @platform, @reach, @impressions, @clicks, @likes, @comments, @shares, @saves, @videoViews,
       COALESCE((SELECT conversions FROM post_metrics WHERE target_id = @targetId), 0), @engagementRate, @raw, @recordedAt, @ageHours, @now, @now)
     ON CONFLICT (target_id, recorded_at) DO NOTHING`,
  );
  let stored = 0;
  db.sqlite.transaction(() => {
    for (const m of answer) {
      const t = byPlatformId.get(m.platformPostId);
      if (!t) continue;
      const cols = metricColumnsOf(m.values);
      const recordedAt = Math.min(now, Number.isFinite(m.fetchedAt) ? m.fetchedAt : now);
      const row = {
        id: newId(recordedAt),
        id2: newId(recordedAt),
        workspaceId,
        targetId: t.id,
        platform,
        ...cols,
        raw: JSON.stringify(m.values),
        recordedAt,
        ageHours: Math.max(0, Math.floor((recordedAt - t.publishedAt) / HOUR)),
        now,
      };
      upsert.run(row);
      snapshot.run(row);
      stored++;
    }
  })();
  return stored;
}

/** UUIDv7 (the ids the schema issues): 48-bit ms time, version, random. */
function newId(ms: number): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let t = Math.max(0, Math.trunc(ms));
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Fetch and store the due metrics of one account. Throws JobError: hold when the account needs
 * reconnecting, retryAfterMs on a rate limit, retryable or not as the network's error says.
 */
export async function fetchAccountMetrics(ctx: ApiContext, accountId: string, opts: { signal: AbortSignal; now?: () => number; force?: boolean; progress?: (f: number, m: string) => void }): Promise<MetricsFetchResult> {
  const clock = opts.now ?? Date.now;
  const db = ctx.db;
  const account = db.orm
    .select({ id: accounts.id, workspaceId: accounts.workspaceId, platform: accounts.platform, status: accounts.status })
    .from(accounts)
    .where(and(eq(accounts.id, accountId), isNull(accounts.deletedAt)))
    .get();
  if (!account || account.status !== 'active') return { asked: 0, stored: 0, missing: 0, batches: 0, skipped: 'The account is not connected.' };
  if (!capabilitiesOf(account.platform)?.metrics) return { asked: 0, stored: 0, missing: 0, batches: 0, skipped: `${account.platform} offers no post metrics.` };
  const targets = dueTargets(db, accountId, clock(), opts.force ?? false);
  let stored = 0;
  let batches = 0;
  try {
    for (let i = 0; i < targets.length && !opts.signal.aborted; i += METRICS_BATCH) {
      const batch = targets.slice(i, i + METRICS_BATCH);
      // withAccountJob may run the call again after renewing a token; the answer is stored once, after.
      const answer = await withAccountJob(ctx, accountId, (connector, connected) => connector.fetchMetrics(connected, batch.map((t) => t.platformPostId), opts.signal));
      batches++;
      stored += storeMetrics(db, account.workspaceId, account.platform, batch, answer, clock());
      opts.progress?.((i + batch.length) / targets.length, `${i + batch.length} of ${targets.length} posts`);
    }
  } catch (err) {
    if (stored > 0) ctx.events.emit('analytics.changed', { workspaceId: account.workspaceId, accountId });
    throw asJobError(err);
  }
  if (stored > 0) ctx.events.emit('analytics.changed', { workspaceId: account.workspaceId, accountId });
  return { asked: targets.length, stored, missing: targets.length - stored, batches };
}

function asJobError(err: unknown): unknown {
  // No sign-in saved (demo data, a damaged store): asking again cannot help until the user reconnects.
  if (err instanceof MissingCredentialsError) return new JobError(err.message, { retryable: false, effect: 'none', cause: err });
  const cause = err instanceof PlatformError ? err : err instanceof JobError && err.cause instanceof PlatformError ? err.cause : null;
  if (cause?.category === 'rate_limit' || (err instanceof JobError && err.retryAfterMs !== undefined && err.hold === undefined)) {
    const wait = Math.min(METRICS_RATE_LIMIT_MAX_WAIT_MS, Math.max(MINUTE, cause?.retryAfterMs ?? (err instanceof JobError ? (err.retryAfterMs ?? HOUR) : HOUR)));
    const message = err instanceof Error ? err.message : 'The network asked to slow down.';
    return new JobError(message, { retryable: true, effect: 'none', retryAfterMs: wait, cause: err });
  }
  return err;
}

const fetchPayload = z.object({ accountId: z.string(), force: z.boolean().optional() });

export const fetchMetricsJob = defineJob<z.infer<typeof fetchPayload>, MetricsFetchResult, CoreApp>({
  type: 'analytics.fetch_metrics',
  payload: fetchPayload,
  maxAttempts: 3,
  catchUpSpacingMs: 2_000,
  timeoutMs: 10 * MINUTE,
  handler: ({ app, payload, signal, now, progress }) =>
    fetchAccountMetrics(app.ctx, payload.accountId, { signal, now, force: payload.force ?? false, progress: (f, m) => progress(f, m) }),
});

/** Accounts with a metrics fetch queued or running, or one that ended within the spacing. */
function accountsBusy(db: Database, accountIds: readonly string[], now: number): Set<string> {
  const rows = db.orm
    .select({ accountId: jobs.accountId })
    .from(jobs)
    .where(
      and(
        eq(jobs.type, fetchMetricsJob.type),
        inArray(jobs.accountId, [...accountIds]),
        sql`(${jobs.status} IN ('pending', 'running') OR ${jobs.updatedAt} > ${now - METRICS_ACCOUNT_SPACING_MS})`,
      ),
    )
    .all();
  return new Set(rows.flatMap((r) => (r.accountId === null ? [] : [r.accountId])));
}

/** The sweep: queue a fetch for every active account with due posts and no fetch queued, running or just done. */
export function enqueueDueMetrics(ctx: ApiContext, now = Date.now()): { queued: number } {
  const db = ctx.db;
  const scheduler = schedulerFor(db);
  if (!scheduler) return { queued: 0 };
  const candidates = db.sqlite
    .prepare<[], { id: string; workspaceId: string; platform: string }>(
      `SELECT a.id AS id, a.workspace_id AS workspaceId, a.platform AS platform FROM accounts a
       WHERE a.status = 'active' AND a.deleted_at IS NULL AND EXISTS (
         SELECT 1 FROM post_targets t LEFT JOIN post_metrics m ON m.target_id = t.id
         WHERE t.account_id = a.id AND t.status = 'published' AND t.deleted_at IS NULL AND t.platform_post_id IS NOT NULL
           AND t.published_at IS NOT NULL AND ${dueSql(now)})`,
    )
    .all()
    .filter((a) => capabilitiesOf(a.platform as Parameters<typeof capabilitiesOf>[0])?.metrics === true);
  if (candidates.length === 0) return { queued: 0 };
  const busy = accountsBusy(db, candidates.map((a) => a.id), now);
  let queued = 0;
  db.orm.transaction(() => {
    for (const a of candidates) {
      if (busy.has(a.id)) continue;
      scheduler.enqueue(fetchMetricsJob, { accountId: a.id }, { runAt: now, workspaceId: a.workspaceId, accountId: a.id });
      queued++;
    }
  });
  return { queued };
}

export const metricsSweep = defineJob<Record<string, never>, { queued: number }, CoreApp>({
  type: 'analytics.metrics_sweep',
  payload: z.object({}).strict() as z.ZodType<Record<string, never>>,
  maxAttempts: 3,
  missedRunPolicy: 'run_now',
  handler: ({ app, now }) => enqueueDueMetrics(app.ctx, now()),
});

export function metricsCrons(): CronSpec[] {
  return [{ name: 'Fetch post metrics that are due', jobType: metricsSweep.type, cronExpression: '*/15 * * * *', timezone: 'UTC', workspaceId: null, missedRunPolicy: 'run_once' }];
}

/**
 * "Refresh": fetch now, for one account or every active account of the workspace, every published
 * post of the last 90 days (not only the due ones). A fetch already queued or running is left to
 * finish rather than doubled.
 */
export function refreshMetricsNow(ctx: ApiContext, workspaceId: string, accountId?: string, now = Date.now()): { queued: number; accountIds: string[] } {
  const db = ctx.db;
  const scheduler = schedulerFor(db);
  if (!scheduler) throw new ApiError('unavailable', 'Fetching is not running in this window; restart Postdesk.');
  const rows = db.orm
    .select({ id: accounts.id, platform: accounts.platform, status: accounts.status, username: accounts.username })
    .from(accounts)
    .where(and(eq(accounts.workspaceId, workspaceId), isNull(accounts.deletedAt), accountId === undefined ? undefined : eq(accounts.id, accountId)))
    .all();
  if (accountId !== undefined) {
    const a = rows[0];
    if (!a) throw new ApiError('not_found', 'That account is not in this workspace (it may have been removed).');
    if (a.status !== 'active') throw new ApiError('conflict', `${a.username ?? a.platform} needs reconnecting before its metrics can be fetched; reconnect it on the Accounts page.`);
  }
  const targets = rows.filter((a) => a.status === 'active' && capabilitiesOf(a.platform)?.metrics === true);
  if (targets.length === 0) return { queued: 0, accountIds: [] };
  const running = new Set(
    db.orm
      .select({ accountId: jobs.accountId })
      .from(jobs)
      .where(and(eq(jobs.type, fetchMetricsJob.type), inArray(jobs.status, ['pending', 'running']), inArray(jobs.accountId, targets.map((t) => t.id))))
      .all()
      .flatMap((r) => (r.accountId === null ? [] : [r.accountId])),
  );
  const queued: string[] = [];
  db.orm.transaction(() => {
    for (const t of targets) {
      if (running.has(t.id)) continue;
      scheduler.enqueue(fetchMetricsJob, { accountId: t.id, force: true }, { runAt: now, workspaceId, accountId: t.id, priority: 1 });
      queued.push(t.id);
    }
  });
  return { queued: queued.length, accountIds: queued };
}
