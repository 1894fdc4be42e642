// Inbox polling end to end in the core: a Mastodon account (the contract server) polled by the real
// scheduler through the connector and ingestion. The pace adapts (5 minutes after something new,
// longer while quiet, backing off on errors, waiting out rate limits), the same page fetched twice
// adds nothing, comments are asked for only while a monitored post's window is open, and the
// sweep queues polls for due accounts without doubling them.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../electron/api/events';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import { enqueueDuePolls, pollCrons, POLL_MIN_MS, type PollResult } from '../../electron/core/inbox/polling';
import { monitoredPosts } from '../../db/schema/posts';
import { startMastodonServer, type MastodonServer } from '../contract/mastodon';
import { startTestCore, type TestCore } from '../helpers/core';

const MIN = 60_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  core: TestCore;
  workspaceId: string;
  masto: MastodonServer;
  accountId: string;
  accessToken: string;
}

async function setup(): Promise<Setup> {
  const core = await startTestCore();
  cleanups.push(() => core.cleanup());
  // The every-minute sweep would add polls of its own at the turn of a minute; these tests queue theirs.
  for (const spec of pollCrons()) core.scheduler!.upsertCron({ ...spec, enabled: false });
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  const masto = await startMastodonServer();
  cleanups.push(() => masto.close());
  const tokens = masto.issueToken();
  const account = recordSignIn(core.ctx, {
    workspaceId: ws.id,
    platform: 'mastodon',
    authKind: 'oauth2',
    serverUrl: masto.baseUrl,
    result: {
      profile: { platformAccountId: masto.me.id, username: masto.me.username, displayName: masto.me.displayName, profileUrl: null, avatarUrl: null, serverUrl: masto.baseUrl },
      credentials: { accessToken: tokens.accessToken, refreshToken: null, expiresAt: null, scopes: ['read', 'write'] },
    },
  });
  return { core, workspaceId: ws.id, masto, accountId: account.id, accessToken: tokens.accessToken };
}

type PollEvent = EventPayload<'inbox.poll'>;

/** "Refresh now" through the API, resolved when that account's poll has finished. */
async function refresh(s: Setup): Promise<PollEvent> {
  const finished = new Promise<PollEvent>((resolve) => {
    const off = s.core.ctx.events.subscribe((event, payload) => {
      const p = payload as PollEvent;
      if (event === 'inbox.poll' && p.accountId === s.accountId && p.status !== 'polling') {
        off();
        resolve(p);
      }
    });
  });
  expect(await s.core.call('inbox.refresh', { workspaceId: s.workspaceId, accountId: s.accountId })).toEqual({ queued: 1 });
  const event = await finished;
  // The poll job itself ends just after its event.
  await s.core.scheduler!.idle();
  return event;
}

async function pollState(s: Setup) {
  const states = await s.core.call('inbox.pollStatus', { workspaceId: s.workspaceId });
  const state = states.find((x) => x.accountId === s.accountId);
  if (!state) throw new Error('no poll state for the account');
  return state;
}

function lastPollResult(s: Setup): PollResult {
  const row = s.core.ctx.db.sqlite.prepare(`SELECT result FROM jobs WHERE type = 'inbox.poll' AND status = 'completed' ORDER BY completed_at DESC, rowid DESC LIMIT 1`).get() as { result: string };
  return JSON.parse(row.result) as PollResult;
}

function messages(s: Setup): { content: string; external_message_id: string }[] {
  return s.core.ctx.db.sqlite.prepare(`SELECT content, external_message_id FROM conversation_messages ORDER BY sent_at`).all() as { content: string; external_message_id: string }[];
}

function monitor(s: Setup, platformPostId: string, endsAt: number): string {
  const now = Date.now();
  return s.core.ctx.db.orm
    .insert(monitoredPosts)
    .values({ workspaceId: s.workspaceId, accountId: s.accountId, platformPostId, platform: 'mastodon', source: 'manual', postedAt: now - 86_400_000, monitoringEnabled: true, monitoringStartedAt: now - 86_400_000, monitoringEndsAt: endsAt })
    .returning({ id: monitoredPosts.id })
    .get().id;
}

describe('polling pace', () => {
  it('given a new DM, when polled, then it is ingested and the next poll is 5 minutes away; polled again with nothing new, then the same page adds nothing and the pace slows to 7.5 minutes', async () => {
    const s = await setup();
    const bob = s.masto.addAccount('bob', 'fosstodon.org', 'Bob Baker');
    const dm = s.masto.receive(bob, '@alice do you deliver on Sundays?', { visibility: 'direct' });
    // The first poll of an account looks back 7 days, not through its whole history.
    s.masto.receive(bob, '@alice are you open at Easter?', { at: Date.now() - 8 * 86_400_000 });

    const first = await refresh(s);
    expect(first).toMatchObject({ status: 'done', added: 1 });
    expect(messages(s)).toEqual([{ content: '@alice do you deliver on Sundays?', external_message_id: dm.id }]);
    const afterNew = await pollState(s);
    expect(afterNew).toMatchObject({ intervalMs: POLL_MIN_MS, lastError: null, lastActivityAt: afterNew.lastPollAt });
    expect(afterNew.nextPollAt! - afterNew.lastPollAt!).toBe(5 * MIN);

    const askedBefore = s.masto.server.calls('GET /api/v1/conversations').length;
    const second = await refresh(s);
    expect(second).toMatchObject({ status: 'done', added: 0 });
    // The DM came back from the network (the poll asks from a little before the newest seen)...
    expect(lastPollResult(s)).toMatchObject({ added: 0, fetched: 1, kinds: ['dm', 'mention'] });
    expect(s.masto.server.calls('GET /api/v1/conversations').length).toBeGreaterThan(askedBefore);
    // ...and ingestion by the platform's id added nothing.
    expect(messages(s)).toHaveLength(1);
    const afterQuiet = await pollState(s);
    expect(afterQuiet.intervalMs).toBe(7.5 * MIN);
    expect(afterQuiet.nextPollAt! - afterQuiet.lastPollAt!).toBe(7.5 * MIN);
    expect(afterQuiet.lastActivityAt).toBe(afterNew.lastActivityAt);
  });

  it('given the server fails, then the error is kept in words and the pace backs off; given a rate limit resetting in 50 minutes, then the next poll waits for it', async () => {
    const s = await setup();
    s.masto.server.failNext('GET /api/v1/conversations', { status: 503, json: { error: 'Service Unavailable' } });
    const failed = await refresh(s);
    expect(failed).toMatchObject({ status: 'failed', added: 0 });
    expect(failed.error).toMatch(/Mastodon|Service Unavailable|503/);
    const afterError = await pollState(s);
    expect(afterError.lastError).toBe(failed.error);
    expect(afterError.intervalMs).toBe(10 * MIN);

    const reset = new Date(Date.now() + 50 * MIN).toISOString();
    s.masto.server.failNext('GET /api/v1/conversations', { status: 429, headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, json: { error: 'Too many requests' } });
    const limited = await refresh(s);
    expect(limited.status).toBe('failed');
    const afterLimit = await pollState(s);
    expect(afterLimit.intervalMs).toBe(20 * MIN);
    expect(afterLimit.nextPollAt).toBeGreaterThanOrEqual(Date.parse(reset) - 2_000);
    expect(afterLimit.nextPollAt).toBeLessThanOrEqual(Date.parse(reset) + 2_000);

    // Working again: the error is cleared.
    await refresh(s);
    expect((await pollState(s)).lastError).toBeNull();
  });

  it('given the sign-in stopped working, then the poll parks until reconnecting and says why', async () => {
    const s = await setup();
    s.masto.expireToken(s.accessToken);
    const failed = await refresh(s);
    expect(failed.status).toBe('failed');
    expect((await pollState(s)).lastError).toBe(failed.error);
    const job = s.core.ctx.db.sqlite.prepare(`SELECT status, hold FROM jobs WHERE type = 'inbox.poll'`).get();
    expect(job).toEqual({ status: 'pending', hold: 'account' });
    const account = s.core.ctx.db.sqlite.prepare(`SELECT status FROM accounts WHERE id = ?`).get(s.accountId) as { status: string };
    expect(account.status).not.toBe('active');
  });
});

describe('a network that refuses part of the inbox', () => {
  it('given DMs are refused for good (as a Bluesky app password without DM access is), then mentions still arrive and the poll says why', async () => {
    const s = await setup();
    const carol = s.masto.addAccount('carol', 'mas.to', 'Carol');
    s.masto.receive(carol, 'Great croissants at @alice');
    s.masto.server.failNext('GET /api/v1/conversations', { status: 404, json: { error: 'Record not found' } });
    const done = await refresh(s);
    expect(done).toMatchObject({ status: 'done', added: 1, error: expect.stringMatching(/Record not found/) });
    expect(messages(s).map((m) => m.content)).toEqual(['Great croissants at @alice']);
    const state = await pollState(s);
    expect(state).toMatchObject({ intervalMs: POLL_MIN_MS, lastError: done.error });
  });
});

describe('the monitoring window', () => {
  it('given a monitored post whose window ended before the last poll, when polled, then comments are not asked for and the post stops being watched; a post in its window brings its comments in', async () => {
    const s = await setup();
    const bob = s.masto.addAccount('bob', 'fosstodon.org', 'Bob');
    const carol = s.masto.addAccount('carol', 'mas.to', 'Carol');
    s.masto.receive(carol, 'The best bakery in town is @alice');
    await refresh(s);

    const oldPost = s.masto.receive(s.masto.me, 'Last week: our rye loaf', { at: Date.now() - 7 * 86_400_000 });
    const ended = monitor(s, oldPost.id, Date.now() - 60 * MIN);
    s.masto.receive(bob, '@alice is the rye still available?', { inReplyToId: oldPost.id });
    await refresh(s);
    expect(lastPollResult(s).kinds).toEqual(['dm', 'mention']);
    expect(messages(s).map((m) => m.content)).toEqual(['The best bakery in town is @alice']);
    const endedRow = s.core.ctx.db.sqlite.prepare(`SELECT monitoring_enabled, last_check_at FROM monitored_posts WHERE id = ?`).get(ended);
    expect(endedRow).toEqual({ monitoring_enabled: 0, last_check_at: null });

    const newPost = s.masto.receive(s.masto.me, 'Today: sourdough');
    const open = monitor(s, newPost.id, Date.now() + 7 * 86_400_000);
    s.masto.receive(carol, '@alice what time does it come out?', { inReplyToId: newPost.id });
    await refresh(s);
    expect(lastPollResult(s).kinds).toEqual(['dm', 'mention', 'comment']);
    const contents = messages(s).map((m) => m.content);
    expect(contents).toContain('@alice what time does it come out?');
    // Asked for comments again, the one under the post no longer watched is still left out.
    expect(contents).not.toContain('@alice is the rye still available?');
    const state = await pollState(s);
    const openRow = s.core.ctx.db.sqlite.prepare(`SELECT monitoring_enabled, last_check_at, next_check_at FROM monitored_posts WHERE id = ?`).get(open);
    expect(openRow).toEqual({ monitoring_enabled: 1, last_check_at: state.lastPollAt, next_check_at: state.nextPollAt });
  });
});

describe('queueing polls', () => {
  it('given a new account, then the sweep queues one poll for it and no second while it is queued or not yet due; a disconnected account is left alone', async () => {
    const s = await setup();
    const finished = new Promise<void>((resolve) => {
      const off = s.core.ctx.events.subscribe((event, payload) => {
        if (event === 'inbox.poll' && (payload as PollEvent).status !== 'polling') {
          off();
          resolve();
        }
      });
    });
    expect(enqueueDuePolls(s.core.ctx)).toEqual({ queued: 1 });
    expect(enqueueDuePolls(s.core.ctx)).toEqual({ queued: 0 });
    await finished;
    await s.core.scheduler!.idle();
    // Polled, and nothing came: due again in 7.5 minutes.
    expect(enqueueDuePolls(s.core.ctx)).toEqual({ queued: 0 });
    expect(enqueueDuePolls(s.core.ctx, Date.now() + 7 * MIN)).toEqual({ queued: 0 });
    expect(enqueueDuePolls(s.core.ctx, Date.now() + 8 * MIN)).toEqual({ queued: 1 });

    s.core.ctx.db.sqlite.prepare(`UPDATE jobs SET status = 'cancelled' WHERE type = 'inbox.poll' AND status = 'pending'`).run();
    s.core.ctx.db.sqlite.prepare(`UPDATE accounts SET status = 'disconnected' WHERE id = ?`).run(s.accountId);
    expect(enqueueDuePolls(s.core.ctx, Date.now() + 60 * MIN)).toEqual({ queued: 0 });
  });

  it('given a poll already queued for later, when refreshed now, then it is brought forward instead of doubled; an unknown account is refused', async () => {
    const s = await setup();
    // A scheduler-queued poll an hour out, as the sweep would leave for a quiet account.
    const later = s.core.scheduler!.enqueueType('inbox.poll', { accountId: s.accountId }, { runAt: Date.now() + 60 * MIN, workspaceId: s.workspaceId, accountId: s.accountId });
    const done = await refresh(s);
    expect(done.status).toBe('done');
    const polls = s.core.ctx.db.sqlite.prepare(`SELECT id, status FROM jobs WHERE type = 'inbox.poll'`).all();
    expect(polls).toEqual([{ id: later.id, status: 'completed' }]);

    await expect(s.core.call('inbox.refresh', { workspaceId: s.workspaceId, accountId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
