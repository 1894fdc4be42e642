// Post metrics fetched through the real core: accounts signed in to local servers that follow each
// network's contract (Mastodon, X, Meta's Graph API for a Facebook Page), published post targets in a real database file, the metrics job
// run by the real scheduler. Latest figures land in post_metrics and every fetch adds a snapshot to
// post_metrics_history; the age-based schedule decides which posts are due; a rate limit waits for
// the network's reset and an expired sign-in parks the job until the user reconnects.
import { afterEach, describe, expect, it } from 'vitest';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import { dueTargets, enqueueDueMetrics, fetchMetricsJob, metricsCrons } from '../../electron/core/analytics/metrics-fetch';
import { posts, postTargets } from '../../db/schema/posts';
import { postMetrics } from '../../db/schema/analytics';
import { startMastodonServer, type MastodonServer } from '../contract/mastodon';
import { startXContract, type XContract } from '../contract/x';
import { startMetaContract } from '../contract/meta';
import { createFacebookConnector } from '../../electron/platforms/facebook';
import { startTestCore, type TestCore } from '../helpers/core';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function core(opts: Parameters<typeof startTestCore>[0] = {}): Promise<{ core: TestCore; workspaceId: string }> {
  const c = await startTestCore(opts);
  cleanups.push(() => c.cleanup());
  // The quarter-hourly sweep would queue fetches of its own; these tests queue theirs.
  for (const spec of metricsCrons()) c.scheduler!.upsertCron({ ...spec, enabled: false });
  const ws = await c.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  return { core: c, workspaceId: ws.id };
}

/** A post published on the account `ageMs` ago as `platformPostId`. */
function published(c: TestCore, workspaceId: string, accountId: string, platform: 'mastodon' | 'x' | 'facebook', platformPostId: string, ageMs: number): string {
  const at = Date.now() - ageMs;
  const post = c.ctx.db.orm.insert(posts).values({ workspaceId, content: `Post ${platformPostId}`, status: 'published', publishedAt: at, createdAt: at, updatedAt: at }).returning({ id: posts.id }).get();
  return c.ctx.db.orm
    .insert(postTargets)
    .values({ workspaceId, postId: post.id, accountId, platform, status: 'published', platformPostId, publishedAt: at, createdAt: at, updatedAt: at })
    .returning({ id: postTargets.id })
    .get().id;
}

async function mastodonAccount(c: TestCore, workspaceId: string): Promise<{ masto: MastodonServer; accountId: string; accessToken: string }> {
  const masto = await startMastodonServer();
  cleanups.push(() => masto.close());
  const tokens = masto.issueToken();
  const account = recordSignIn(c.ctx, {
    workspaceId,
    platform: 'mastodon',
    authKind: 'oauth2',
    serverUrl: masto.baseUrl,
    result: {
      profile: { platformAccountId: masto.me.id, username: masto.me.username, displayName: null, profileUrl: null, avatarUrl: null, serverUrl: masto.baseUrl },
      credentials: { accessToken: tokens.accessToken, refreshToken: null, expiresAt: null, scopes: ['read', 'write'] },
    },
  });
  return { masto, accountId: account.id, accessToken: tokens.accessToken };
}

interface MetricsRow {
  likes: number;
  comments: number;
  shares: number;
  reach: number;
  impressions: number;
  saves: number;
  engagement_rate: number;
  raw_metrics: string;
  recorded_at: number;
}

function latest(c: TestCore, targetId: string): MetricsRow | undefined {
  return c.ctx.db.sqlite.prepare(`SELECT likes, comments, shares, reach, impressions, saves, engagement_rate, raw_metrics, recorded_at FROM post_metrics WHERE target_id = ?`).get(targetId) as MetricsRow | undefined;
}

function snapshots(c: TestCore, targetId: string): { likes: number; age_hours: number; recorded_at: number }[] {
  return c.ctx.db.sqlite.prepare(`SELECT likes, age_hours, recorded_at FROM post_metrics_history WHERE target_id = ? ORDER BY recorded_at`).all(targetId) as { likes: number; age_hours: number; recorded_at: number }[];
}

function lastJob(c: TestCore): { status: string; last_error: string | null; hold: string | null; run_at: number; attempts: number; result: string | null } {
  return c.ctx.db.sqlite.prepare(`SELECT status, last_error, hold, run_at, attempts, result FROM jobs WHERE type = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`).get(fetchMetricsJob.type) as ReturnType<typeof lastJob>;
}

describe('fetching metrics', () => {
  it('given two published Mastodon posts with counts, when the sweep runs, then their figures are stored with a snapshot each; fetched again after the counts grew, then the latest is updated and the history keeps both', async () => {
    const { core: c, workspaceId } = await core();
    const { masto, accountId } = await mastodonAccount(c, workspaceId);
    const a = masto.receive(masto.me, 'Fresh sourdough at 8');
    const b = masto.receive(masto.me, 'Croissant masterclass on Sunday');
    masto.setCounts(a.id, { favourites: 12, reblogs: 3, replies: 2 });
    masto.setCounts(b.id, { favourites: 4 });
    const ta = published(c, workspaceId, accountId, 'mastodon', a.id, 2 * HOUR);
    const tb = published(c, workspaceId, accountId, 'mastodon', b.id, 3 * DAY);

    expect(enqueueDueMetrics(c.ctx)).toEqual({ queued: 1 });
    // A second sweep while the fetch is queued does not double it.
    expect(enqueueDueMetrics(c.ctx)).toEqual({ queued: 0 });
    await c.scheduler!.idle();

    expect(lastJob(c)).toMatchObject({ status: 'completed' });
    expect(JSON.parse(lastJob(c).result!)).toMatchObject({ asked: 2, stored: 2, missing: 0, batches: 1 });
    const first = latest(c, ta)!;
    // Mastodon reports favourites, reblogs and replies: likes, shares and comments; no reach, so
    // the seeds' rate (… / reach * 100) is unknown and stored as the default 0.
    expect(first).toMatchObject({ likes: 12, shares: 3, comments: 2, reach: 0, impressions: 0, engagement_rate: 0 });
    expect(JSON.parse(first.raw_metrics)).toEqual({ likes: 12, reposts: 3, replies: 2 });
    expect(latest(c, tb)).toMatchObject({ likes: 4, shares: 0, comments: 0 });
    expect(snapshots(c, ta)).toEqual([{ likes: 12, age_hours: 2, recorded_at: first.recorded_at }]);
    // Just fetched: the account is not queued again by the sweep.
    expect(enqueueDueMetrics(c.ctx)).toEqual({ queued: 0 });

    masto.setCounts(a.id, { favourites: 30, reblogs: 5, replies: 6 });
    await new Promise((r) => setTimeout(r, 5));
    expect(await c.call('analytics.refresh', { workspaceId })).toEqual({ queued: 1, accountIds: [accountId] });
    await c.scheduler!.idle();
    expect(latest(c, ta)).toMatchObject({ likes: 30, shares: 5, comments: 6 });
    const history = snapshots(c, ta);
    expect(history.map((h) => h.likes)).toEqual([12, 30]);
    expect(history[1]!.recorded_at).toBeGreaterThan(history[0]!.recorded_at);
  });

  it('given an X post with public metrics, when fetched, then impressions, likes, replies, reposts + quotes and bookmarks land in the seeds\' columns', async () => {
    const x: XContract = await startXContract();
    cleanups.push(() => x.close());
    const { core: c, workspaceId } = await core({ platforms: { baseUrls: { x: x.baseUrl } } });
    const tokens = x.issueTokens();
    const account = recordSignIn(c.ctx, {
      workspaceId,
      platform: 'x',
      authKind: 'oauth2',
      serverUrl: null,
      result: {
        profile: { platformAccountId: x.me.id, username: x.me.username, displayName: null, profileUrl: null, avatarUrl: null, serverUrl: null },
        credentials: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + HOUR, scopes: ['tweet.read', 'users.read', 'offline.access'] },
      },
    });
    const tweet = x.seedTweet({ author: x.me.username, text: 'Fresh sourdough at 8', at: Date.now() - HOUR });
    x.setMetrics(tweet.id, { like_count: 40, reply_count: 5, retweet_count: 7, quote_count: 2, bookmark_count: 3, impression_count: 2100 });
    const target = published(c, workspaceId, account.id, 'x', tweet.id, HOUR);

    expect(await c.call('analytics.refresh', { workspaceId, accountId: account.id })).toMatchObject({ queued: 1 });
    await c.scheduler!.idle();
    expect(lastJob(c).status).toBe('completed');
    expect(latest(c, target)).toMatchObject({ likes: 40, comments: 5, shares: 9, saves: 3, impressions: 2100, reach: 0, engagement_rate: 0 });
    expect(x.server.calls('GET /2/tweets')).toHaveLength(1);
  });
});

describe('fetching metrics with reach', () => {
  it('given a Facebook Page post with reactions, shares, a comment and insights, when fetched, then reach and impressions are stored and the rate is (likes + comments + shares) / reach * 100', async () => {
    const meta = await startMetaContract();
    cleanups.push(() => meta.close());
    const { core: c, workspaceId } = await core({ platforms: { baseUrls: { facebook: meta.baseUrl } } });
    const page = meta.state.pages[0]!;
    const { userToken, pageToken } = meta.login();
    const credentials = { accessToken: pageToken(page.id), refreshToken: userToken, expiresAt: null, scopes: [] };
    const account = recordSignIn(c.ctx, {
      workspaceId,
      platform: 'facebook',
      authKind: 'oauth2',
      serverUrl: null,
      result: { profile: { platformAccountId: page.id, username: page.username ?? null, displayName: page.name, profileUrl: null, avatarUrl: null, serverUrl: null }, credentials },
    });
    // The post goes out through the connector itself, as a publish would have sent it.
    const sent = await createFacebookConnector().publish({ platformAccountId: page.id, baseUrl: meta.baseUrl, credentials }, {
      root: { text: 'Cinnamon rolls are back', media: [] }, thread: [], firstComment: null, scheduleAt: null, idempotencyKey: 'k-1', inReplyTo: null, language: null,
    });
    const id = sent.root.platformPostId;
    Object.assign(meta.state.posts.get(id)!, { reactions: 12, shares: 3 });
    meta.addComment(id, { message: 'yum', from: { id: '9001', name: 'Ines' }, at: Date.now() });
    const target = published(c, workspaceId, account.id, 'facebook', id, HOUR);

    expect(enqueueDueMetrics(c.ctx)).toEqual({ queued: 1 });
    await c.scheduler!.idle();
    expect(lastJob(c).status).toBe('completed');
    const row = latest(c, target)!;
    expect(row).toMatchObject({ likes: 12, shares: 3, comments: 1 });
    expect(row.reach).toBeGreaterThan(0);
    expect(row.impressions).toBeGreaterThan(0);
    expect(row.engagement_rate).toBe(Math.min(999.99, Math.round(((12 + 1 + 3) / row.reach) * 100 * 100) / 100));
    expect(JSON.parse(row.raw_metrics)).toMatchObject({ likes: 12, reposts: 3, replies: 1, reach: row.reach });
  });
});

describe('the schedule', () => {
  it('given posts of different ages and last fetches, then only the due ones are asked for: hourly the first day, daily the first week, weekly to 90 days, never after', async () => {
    const { core: c, workspaceId } = await core();
    const { accountId } = await mastodonAccount(c, workspaceId);
    const now = Date.now();
    const cases: [name: string, ageMs: number, fetchedAgoMs: number | null, due: boolean][] = [
      ['new, never fetched', 10 * 60_000, null, true],
      ['2 h old, fetched 30 min ago', 2 * HOUR, 30 * 60_000, false],
      ['2 h old, fetched 61 min ago', 2 * HOUR, 61 * 60_000, true],
      ['3 days old, fetched 23 h ago', 3 * DAY, 23 * HOUR, false],
      ['3 days old, fetched 25 h ago', 3 * DAY, 25 * HOUR, true],
      ['30 days old, fetched 6 days ago', 30 * DAY, 6 * DAY, false],
      ['30 days old, fetched 8 days ago', 30 * DAY, 8 * DAY, true],
      ['91 days old, fetched 20 days ago', 91 * DAY, 20 * DAY, false],
      ['91 days old, never fetched', 91 * DAY, null, false],
    ];
    const ids = new Map<string, string>();
    for (const [name, age, fetchedAgo] of cases) {
      const id = published(c, workspaceId, accountId, 'mastodon', `p-${ids.size}`, age);
      ids.set(id, name);
      if (fetchedAgo !== null) {
        c.ctx.db.orm.insert(postMetrics).values({ workspaceId, targetId: id, platform: 'mastodon', likes: 1, recordedAt: now - fetchedAgo }).run();
      }
    }
    const due = dueTargets(c.ctx.db, accountId, now).map((t) => ids.get(t.id));
    expect(new Set(due)).toEqual(new Set(cases.filter((x) => x[3]).map((x) => x[0])));
    // "Refresh now" asks for every post of the last 90 days, due or not.
    expect(dueTargets(c.ctx.db, accountId, now, true)).toHaveLength(cases.filter((x) => x[1] < 90 * DAY).length);
  });
});

describe('failures', () => {
  it('given the instance answers 429 with its reset in 20 minutes, then nothing is stored, the error is kept and the fetch waits for the reset', async () => {
    const { core: c, workspaceId } = await core();
    const { masto, accountId } = await mastodonAccount(c, workspaceId);
    const s = masto.receive(masto.me, 'Fresh sourdough at 8');
    const target = published(c, workspaceId, accountId, 'mastodon', s.id, HOUR);
    const reset = Date.now() + 20 * 60_000;
    masto.server.failNext('GET /api/v1/statuses/:id', {
      status: 429,
      headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': new Date(reset).toISOString() },
      json: { error: 'Too many requests' },
    });
    expect(enqueueDueMetrics(c.ctx)).toEqual({ queued: 1 });
    await c.scheduler!.idle();
    const job = lastJob(c);
    expect(job).toMatchObject({ status: 'pending', attempts: 1, hold: null });
    expect(job.last_error).toMatch(/rate|many|limit/i);
    expect(job.run_at).toBeGreaterThanOrEqual(reset - 2_000);
    expect(job.run_at).toBeLessThan(reset + 5 * 60_000);
    expect(latest(c, target)).toBeUndefined();
    // Waiting for the reset counts as queued: the sweep adds no second fetch.
    expect(enqueueDueMetrics(c.ctx)).toEqual({ queued: 0 });
  });

  it('given the sign-in expired with no way to renew it, then the account is marked for reconnecting and the fetch is parked, not failed', async () => {
    const { core: c, workspaceId } = await core();
    const { masto, accountId, accessToken } = await mastodonAccount(c, workspaceId);
    const s = masto.receive(masto.me, 'Fresh sourdough at 8');
    const target = published(c, workspaceId, accountId, 'mastodon', s.id, HOUR);
    masto.expireToken(accessToken);
    expect(enqueueDueMetrics(c.ctx)).toEqual({ queued: 1 });
    await c.scheduler!.idle();
    expect(lastJob(c)).toMatchObject({ status: 'pending', hold: 'account' });
    const account = c.ctx.db.sqlite.prepare(`SELECT status FROM accounts WHERE id = ?`).get(accountId) as { status: string };
    // An expired token the instance will not renew reads as revoked: the user must sign in again.
    expect(['revoked', 'needs_reconnect']).toContain(account.status);
    expect(latest(c, target)).toBeUndefined();
    await expect(c.call('analytics.refresh', { workspaceId, accountId })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/reconnect/) });
  });

  it('given a post deleted on the network, then the others are stored and it is counted as missing', async () => {
    const { core: c, workspaceId } = await core();
    const { masto, accountId } = await mastodonAccount(c, workspaceId);
    const kept = masto.receive(masto.me, 'Still here');
    masto.setCounts(kept.id, { favourites: 2 });
    const tk = published(c, workspaceId, accountId, 'mastodon', kept.id, HOUR);
    const tg = published(c, workspaceId, accountId, 'mastodon', '999999999', HOUR);
    enqueueDueMetrics(c.ctx);
    await c.scheduler!.idle();
    expect(JSON.parse(lastJob(c).result!)).toMatchObject({ asked: 2, stored: 1, missing: 1 });
    expect(latest(c, tk)).toMatchObject({ likes: 2 });
    expect(latest(c, tg)).toBeUndefined();
  });
});
