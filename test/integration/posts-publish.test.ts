// Posts end to end in the core: a draft for two accounts (a real local Bluesky PDS and the
// Mastodon contract server) is scheduled, the scheduler publishes it through the connectors, and
// the post's status, each target's platform id, post_runs and the monitored post say what
// happened, including a network that refuses (partial success, shown honestly).
import { AtpAgent } from '@atproto/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import { startMastodonServer, type MastodonServer } from '../contract/mastodon';
import { startTestCore, type TestCore } from '../helpers/core';
import { startTestPds, type TestPds, type TestPdsAccount } from '../helpers/pds';

let pds: TestPds;
let bsky: TestPdsAccount;
let agent: AtpAgent;
beforeAll(async () => {
  pds = await startTestPds();
  bsky = await pds.createAccount();
  agent = new AtpAgent({ service: pds.url });
  await agent.login({ identifier: bsky.handle, password: bsky.password });
}, 120_000);
afterAll(async () => {
  await pds?.close();
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  core: TestCore;
  workspaceId: string;
  bskyAccountId: string;
}

async function setup(): Promise<Setup> {
  const core = await startTestCore();
  cleanups.push(() => core.cleanup());
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris', preferredTimes: ['09:30', '18:00'] });
  const account = await core.call('accounts.connectWithPassword', { workspaceId: ws.id, platform: 'bluesky', serverUrl: pds.url, identifier: bsky.handle, password: bsky.appPassword });
  return { core, workspaceId: ws.id, bskyAccountId: account.id };
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function ownPosts(): Promise<{ uri: string; text: string }[]> {
  const res = await agent.com.atproto.repo.listRecords({ repo: bsky.did, collection: 'app.bsky.feed.post', limit: 100 });
  return res.data.records.map((r) => ({ uri: r.uri, text: (r.value as { text: string }).text }));
}

describe('publishing a scheduled post', () => {
  it('given a draft for Bluesky scheduled a moment ahead, when its time comes, then it is on the PDS once, with hashtags, and the post, target, run and monitoring say so', async () => {
    const s = await setup();
    const text = `Fresh sourdough at 7am tomorrow ${Date.now()}`;
    const draft = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: text, hashtags: ['bread', '#Sourdough'], targets: [{ accountId: s.bskyAccountId }] });
    expect(draft.status).toBe('draft');

    const scheduled = await s.core.call('posts.schedule', { postId: draft.id, when: { mode: 'at', at: Date.now() + 800 } });
    expect(scheduled).toMatchObject({ status: 'scheduled', targets: [{ status: 'scheduled' }] });

    const done = await until(async () => {
      const p = await s.core.call('posts.get', { postId: draft.id });
      return p.status === 'published' ? p : undefined;
    }, 'the post to be published');
    const target = done.targets[0]!;
    expect(target.platformPostId).toMatch(/^at:\/\//);
    expect(target.publishedAt).not.toBeNull();

    const onPds = (await ownPosts()).filter((p) => p.text.startsWith(text));
    expect(onPds).toHaveLength(1);
    expect(onPds[0]!.uri).toBe(target.platformPostId);
    expect(onPds[0]!.text).toBe(`${text}\n\n#bread #Sourdough`);

    const runs = await s.core.call('posts.runs', { postId: draft.id });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'success', attempt: 1, platformPostId: target.platformPostId, error: null });
    const monitored = s.core.ctx.db.sqlite.prepare(`SELECT monitoring_enabled, monitoring_ends_at - posted_at AS span FROM monitored_posts WHERE target_id = ?`).get(target.id) as { monitoring_enabled: number; span: number };
    expect(monitored).toEqual({ monitoring_enabled: 1, span: 7 * 86_400_000 });
  });

  it('given one network that refuses the text, when published to both, then the post reads "partially published", the refusal is shown in words, and only the failed target can be tried again', async () => {
    const s = await setup();
    const masto: MastodonServer = await startMastodonServer();
    cleanups.push(() => masto.close());
    const tokens = masto.issueToken();
    const mastoAccount = recordSignIn(s.core.ctx, {
      workspaceId: s.workspaceId,
      platform: 'mastodon',
      authKind: 'oauth2',
      serverUrl: masto.baseUrl,
      result: {
        profile: { platformAccountId: masto.me.id, username: masto.me.username, displayName: null, profileUrl: null, avatarUrl: null, serverUrl: masto.baseUrl },
        credentials: { accessToken: tokens.accessToken, refreshToken: null, expiresAt: null, scopes: ['read', 'write'] },
      },
    });
    masto.server.failNext('POST /api/v1/statuses', { status: 422, json: { error: 'Validation failed: Text contains a word this server does not allow' } });

    const text = `Two networks, one post ${Date.now()}`;
    const draft = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: text, targets: [{ accountId: s.bskyAccountId }, { accountId: mastoAccount.id }] });
    await s.core.call('posts.schedule', { postId: draft.id, when: { mode: 'now' } });
    const done = await until(async () => {
      const p = await s.core.call('posts.get', { postId: draft.id });
      return p.status === 'partially_published' ? p : undefined;
    }, 'partial success');
    const byPlatform = Object.fromEntries(done.targets.map((t) => [t.platform, t]));
    expect(byPlatform['bluesky']).toMatchObject({ status: 'published' });
    expect(byPlatform['mastodon']).toMatchObject({ status: 'failed', platformPostId: null });
    expect(byPlatform['mastodon']!.errorMessage).toMatch(/does not allow/);
    expect(masto.ownStatuses()).toHaveLength(0);

    // Trying again goes only to Mastodon; Bluesky keeps its one post.
    await s.core.call('posts.schedule', { postId: draft.id, when: { mode: 'now' } });
    const again = await until(async () => {
      const p = await s.core.call('posts.get', { postId: draft.id });
      return p.status === 'published' ? p : undefined;
    }, 'the retry to finish');
    expect(again.targets.every((t) => t.status === 'published')).toBe(true);
    expect((await ownPosts()).filter((p) => p.text === text)).toHaveLength(1);
    expect(masto.ownStatuses().map((st) => st.text)).toEqual([expect.stringContaining(text)]);
  });
});

describe('approval', () => {
  it('given a post that needs approval, then it cannot be scheduled until approved, a rejection needs a note, and editing an approved post sends it back to draft', async () => {
    const s = await setup();
    const draft = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: 'Holiday hours', requiresApproval: true, targets: [{ accountId: s.bskyAccountId }] });
    await expect(s.core.call('posts.schedule', { postId: draft.id, when: { mode: 'at', at: Date.now() + 3_600_000 } })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/approval/) });
    await expect(s.core.call('posts.approve', { postId: draft.id })).rejects.toMatchObject({ code: 'conflict' });

    expect((await s.core.call('posts.submitForApproval', { postId: draft.id })).status).toBe('pending_approval');
    await expect(s.core.call('posts.reject', { postId: draft.id, note: '  ' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await s.core.call('posts.reject', { postId: draft.id, note: 'Say which days' })).toMatchObject({ status: 'rejected', rejectionNote: 'Say which days' });
    await s.core.call('posts.update', { postId: draft.id, content: 'Holiday hours: closed 24-26 Dec' });
    await s.core.call('posts.submitForApproval', { postId: draft.id });
    expect(await s.core.call('posts.approve', { postId: draft.id })).toMatchObject({ status: 'approved', rejectionNote: null });

    expect((await s.core.call('posts.update', { postId: draft.id, content: 'Holiday hours: closed 24-27 Dec' })).status).toBe('draft');
    await s.core.call('posts.submitForApproval', { postId: draft.id });
    await s.core.call('posts.approve', { postId: draft.id });
    expect((await s.core.call('posts.schedule', { postId: draft.id, when: { mode: 'at', at: Date.now() + 3_600_000 } })).status).toBe('scheduled');
    expect((await s.core.call('posts.unschedule', { postId: draft.id })).status).toBe('approved');
  });
});

describe('when a post goes out', () => {
  it('given preferred times 09:30 and 18:00 in Paris and one slot taken, when asked for the next free slot, then it is the next untaken preferred time', async () => {
    const s = await setup();
    const first = await s.core.call('posts.nextSlot', { workspaceId: s.workspaceId });
    expect(first.at).not.toBeNull();
    const wall = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(first.at!);
    expect(['09:30', '18:00']).toContain(wall);

    const taker = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: 'Taken', targets: [{ accountId: s.bskyAccountId }] });
    await s.core.call('posts.schedule', { postId: taker.id, when: { mode: 'at', at: first.at! } });
    const next = await s.core.call('posts.nextSlot', { workspaceId: s.workspaceId });
    expect(next.at).toBeGreaterThan(first.at!);
    const post = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: 'Next free', targets: [{ accountId: s.bskyAccountId }] });
    expect((await s.core.call('posts.schedule', { postId: post.id, when: { mode: 'next_slot' } })).publishAt).toBe(next.at);
  });

  it('given a repeating post, then a rule without an end is refused, and with COUNT the occurrence jobs follow the rule in the workspace timezone', async () => {
    const s = await setup();
    const post = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: 'Weekly special', targets: [{ accountId: s.bskyAccountId }] });
    const at = Date.parse('2031-03-24T09:00:00+01:00'); // a Monday morning in Paris, before the DST change
    await expect(s.core.call('posts.schedule', { postId: post.id, when: { mode: 'recurring', at, rrule: 'FREQ=WEEKLY' } })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/end/) });
    const scheduled = await s.core.call('posts.schedule', { postId: post.id, when: { mode: 'recurring', at, rrule: 'FREQ=WEEKLY;COUNT=3' } });
    expect(scheduled).toMatchObject({ status: 'scheduled', rrule: 'FREQ=WEEKLY;COUNT=3', publishAt: at });
    const job = s.core.ctx.db.sqlite.prepare(`SELECT run_at, recurrence, account_id FROM jobs WHERE type = 'post.publish'`).get() as { run_at: number; recurrence: string; account_id: string };
    expect(job.run_at).toBe(at);
    expect(job.account_id).toBe(s.bskyAccountId);
    expect(JSON.parse(job.recurrence)).toEqual({ rrule: 'FREQ=WEEKLY;COUNT=3', startsAt: at, timezone: 'Europe/Paris' });

    // Dragged on the Calendar to Tuesday: same rule, new start, old job cancelled.
    const tuesday = at + 86_400_000;
    expect((await s.core.call('posts.reschedule', { postId: post.id, at: tuesday })).publishAt).toBe(tuesday);
    const jobs = s.core.ctx.db.sqlite.prepare(`SELECT status, run_at FROM jobs WHERE type = 'post.publish' ORDER BY created_at`).all();
    expect(jobs).toEqual([
      { status: 'cancelled', run_at: at },
      { status: 'pending', run_at: tuesday },
    ]);
  });
});

describe('checks before scheduling', () => {
  it('given text over Bluesky’s 300 graphemes, when validated and scheduled, then the issue is named in words and nothing is queued', async () => {
    const s = await setup();
    const long = `${'🥐'.repeat(301)}`;
    const post = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: long, targets: [{ accountId: s.bskyAccountId }] });
    const validation = await s.core.call('posts.validate', { postId: post.id });
    expect(validation.ok).toBe(false);
    const issues = Object.values(validation.byTarget).flat();
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', field: 'text', code: 'text_too_long' })]);

    await expect(s.core.call('posts.schedule', { postId: post.id, when: { mode: 'now' } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/over Bluesky's limit of 300/),
    });
    expect(s.core.ctx.db.sqlite.prepare(`SELECT count(*) FROM jobs WHERE type = 'post.publish'`).pluck().get()).toBe(0);
    expect((await s.core.call('posts.get', { postId: post.id })).status).toBe('draft');

    // 300 croissants fit: a grapheme is one character, whatever its bytes.
    await s.core.call('posts.update', { postId: post.id, content: '🥐'.repeat(300) });
    expect((await s.core.call('posts.validate', { postId: post.id })).ok).toBe(true);
  });
});
