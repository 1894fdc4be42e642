// "Let Mastodon publish it": the core hands the post to the Mastodon contract server (scheduled_at)
// and, at its time plus a grace period, asks whether it went out. Published: the target becomes
// published with the new status's id and URL and is watched for comments. Still held: asked again
// later, a few times, then failed in words. Dropped by the server: failed in words at once. The
// scheduler runs on a manual clock that the contract server shares, so hours pass in milliseconds.
import { afterEach, describe, expect, it } from 'vitest';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import type { CoreApp } from '../../electron/core/context';
import { HELD_GRACE_MS, HELD_MAX_ATTEMPTS } from '../../electron/core/posts/held-confirmation';
import { postJobs } from '../../electron/core/posts/jobs';
import { ManualClock } from '../../electron/scheduler/clock';
import { createScheduler, type Scheduler } from '../../electron/scheduler/scheduler';
import { startMastodonServer, type MastodonServer } from '../contract/mastodon';
import { startTestCore, type TestCore } from '../helpers/core';

const MIN = 60_000;
const TEXT = 'Croissant class this Sunday at 10 — three seats left.';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  core: TestCore;
  clock: ManualClock;
  scheduler: Scheduler<CoreApp>;
  masto: MastodonServer;
  postId: string;
  targetId: string;
  /** The post's time. */
  at: number;
  /** Let the clock run to `t`, firing what comes due, and wait for the jobs to settle. */
  runTo(t: number): Promise<void>;
}

async function handedOver(): Promise<Setup> {
  const clock = new ManualClock(Date.now());
  const core = await startTestCore({ scheduler: false });
  cleanups.push(() => core.cleanup());
  const scheduler = createScheduler<CoreApp>({ db: core.ctx.db, app: { db: core.ctx.db, ctx: core.ctx }, definitions: postJobs, clock, log: () => {}, backgroundCheckpoints: false });
  await scheduler.start();
  cleanups.push(() => scheduler.stop());
  const masto = await startMastodonServer({ now: () => clock.now() });
  cleanups.push(() => masto.close());

  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  const tokens = masto.issueToken();
  const account = recordSignIn(core.ctx, {
    workspaceId: ws.id,
    platform: 'mastodon',
    authKind: 'oauth2',
    serverUrl: masto.baseUrl,
    result: {
      profile: { platformAccountId: masto.me.id, username: masto.me.username, displayName: null, profileUrl: null, avatarUrl: null, serverUrl: masto.baseUrl },
      credentials: { accessToken: tokens.accessToken, refreshToken: null, expiresAt: null, scopes: ['read', 'write'] },
    },
  });
  const runTo = async (t: number) => {
    await clock.advance(Math.max(0, t - clock.now()));
    await scheduler.idle();
  };

  const post = await core.call('posts.create', { workspaceId: ws.id, content: TEXT, hashtags: ['croissant'], targets: [{ accountId: account.id, nativeScheduling: true }] });
  clock.set(Date.now());
  const at = Math.ceil((Date.now() + 20 * MIN) / 1000) * 1000;
  await core.call('posts.schedule', { postId: post.id, when: { mode: 'at', at } });
  // The hand-over job is due at once (on the wall clock the core read).
  await runTo(Date.now() + 1000);
  const s: Setup = { core, clock, scheduler, masto, postId: post.id, targetId: post.targets[0]!.id, at, runTo };

  const target = (await core.call('posts.get', { postId: post.id })).targets[0]!;
  expect(target).toMatchObject({ status: 'scheduled', platformPostId: expect.stringMatching(/^scheduled:/) });
  expect([...masto.scheduled.values()].map((x) => ({ text: x.text, at: x.scheduledAt }))).toEqual([{ text: `${TEXT}\n\n#croissant`, at }]);
  expect(confirmJobs(s)).toEqual([{ status: 'pending', run_at: at + HELD_GRACE_MS, attempts: 0 }]);
  return s;
}

function confirmJobs(s: Pick<Setup, 'core'>): { status: string; run_at: number; attempts: number }[] {
  return s.core.ctx.db.sqlite.prepare(`SELECT status, run_at, attempts FROM jobs WHERE type = 'post.confirm_held' ORDER BY created_at`).all() as { status: string; run_at: number; attempts: number }[];
}
const lastError = (s: Setup) => (s.core.ctx.db.sqlite.prepare(`SELECT last_error FROM jobs WHERE type = 'post.confirm_held' ORDER BY created_at DESC`).get() as { last_error: string | null }).last_error;

describe('a post Mastodon holds for later', () => {
  it('given Mastodon publishes it at its time, when the check runs five minutes later, then the target is published with the new status’s id and URL and is watched for comments', async () => {
    const s = await handedOver();
    await s.runTo(s.at);
    const [status] = s.masto.publishDue();
    await s.runTo(s.at + HELD_GRACE_MS);

    const post = await s.core.call('posts.get', { postId: s.postId });
    expect(post.status).toBe('published');
    expect(post.targets[0]).toMatchObject({ status: 'published', platformPostId: status!.id, platformUrl: `${s.masto.baseUrl}/@alice/${status!.id}`, publishedAt: s.at, errorMessage: null });
    expect(confirmJobs(s)).toEqual([{ status: 'completed', run_at: s.at + HELD_GRACE_MS, attempts: 1 }]);
    const watched = s.core.ctx.db.sqlite.prepare(`SELECT platform_post_id, monitoring_enabled, posted_at FROM monitored_posts WHERE target_id = ?`).all(s.targetId);
    expect(watched).toEqual([{ platform_post_id: status!.id, monitoring_enabled: 1, posted_at: s.at }]);
    // Once, on Mastodon.
    expect(s.masto.ownStatuses().map((x) => x.text)).toEqual([`${TEXT}\n\n#croissant`]);
  });

  it('given Mastodon is late, when the first check finds it still held, then it asks again five minutes later and then confirms it', async () => {
    const s = await handedOver();
    await s.runTo(s.at + HELD_GRACE_MS);
    expect(confirmJobs(s)).toEqual([{ status: 'pending', run_at: s.at + HELD_GRACE_MS + 5 * MIN, attempts: 1 }]);
    expect(lastError(s)).toMatch(/Mastodon still holds the post 5 minutes after its time; Postdesk asks again in 5 minutes/);
    expect((await s.core.call('posts.get', { postId: s.postId })).targets[0]!.status).toBe('scheduled');

    await s.runTo(s.at + 7 * MIN);
    const [status] = s.masto.publishDue();
    await s.runTo(s.at + HELD_GRACE_MS + 5 * MIN);
    const post = await s.core.call('posts.get', { postId: s.postId });
    expect(post.status).toBe('published');
    expect(post.targets[0]!.platformPostId).toBe(status!.id);
  });

  it('given Mastodon dropped it, when checked, then the post fails at once and says what happened and what to do', async () => {
    const s = await handedOver();
    s.masto.dropScheduled([...s.masto.scheduled.keys()][0]!);
    await s.runTo(s.at + HELD_GRACE_MS);
    const post = await s.core.call('posts.get', { postId: s.postId });
    expect(post.status).toBe('failed');
    expect(post.targets[0]!.status).toBe('failed');
    expect(post.targets[0]!.errorMessage).toBe('Mastodon no longer holds this post, and it is not on the profile: it was deleted or cancelled on Mastodon, or Mastodon dropped it. Schedule it again to publish it.');
    expect(confirmJobs(s)).toEqual([{ status: 'failed', run_at: s.at + HELD_GRACE_MS, attempts: 1 }]);
  });

  it(`given Mastodon never publishes it, when all ${HELD_MAX_ATTEMPTS} checks find it held, then the post fails saying how late it is`, async () => {
    const s = await handedOver();
    await s.runTo(s.at + 4 * 60 * MIN);
    const post = await s.core.call('posts.get', { postId: s.postId });
    expect(post.targets[0]!.status).toBe('failed');
    const message = post.targets[0]!.errorMessage ?? '';
    expect(message).toMatch(/^Mastodon had still not published this post \d+ minutes after its time; it still holds it as scheduled\. Check it on Mastodon, or unschedule it and publish it from Postdesk\.$/);
    // Grace and waits: 5 + 5 + 10 + 20 + 40 + 60 minutes (the runner wakes a little after each).
    const late = Number(/(\d+) minutes/.exec(message)?.[1]);
    expect(late).toBeGreaterThanOrEqual(140);
    expect(late).toBeLessThan(150);
    expect(confirmJobs(s)).toMatchObject([{ status: 'failed', attempts: HELD_MAX_ATTEMPTS }]);
  });

  it('given the user moved it to later on Mastodon itself, when checked, then Postdesk follows it to the new time and confirms it then', async () => {
    const s = await handedOver();
    const later = s.at + 60 * MIN;
    [...s.masto.scheduled.values()][0]!.scheduledAt = later;
    await s.runTo(s.at + HELD_GRACE_MS);
    expect((await s.core.call('posts.get', { postId: s.postId })).targets[0]).toMatchObject({ status: 'scheduled', publishAt: later });
    expect(confirmJobs(s)).toEqual([
      { status: 'completed', run_at: s.at + HELD_GRACE_MS, attempts: 1 },
      { status: 'pending', run_at: later + HELD_GRACE_MS, attempts: 0 },
    ]);
    await s.runTo(later);
    s.masto.publishDue();
    await s.runTo(later + HELD_GRACE_MS);
    expect((await s.core.call('posts.get', { postId: s.postId })).status).toBe('published');
  });

  it('given the post was unscheduled before its time, when the check comes due, then it leaves the post alone', async () => {
    const s = await handedOver();
    await s.core.call('posts.unschedule', { postId: s.postId });
    await s.runTo(s.at + HELD_GRACE_MS);
    expect((await s.core.call('posts.get', { postId: s.postId })).status).toBe('draft');
    expect(confirmJobs(s)).toMatchObject([{ status: 'completed', attempts: 1 }]);
  });
});
