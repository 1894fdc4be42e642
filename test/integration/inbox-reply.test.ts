// Replies end to end in the core: messages from the Mastodon and X contract servers and a real
// Bluesky PDS, a reply
// sent by the real scheduler through the connector, threaded under the message it answers. A
// refusal reads 'failed' with the network's reason and can be sent again; a closed reply window is
// refused before anything is sent; a reply whose answer was lost on the wire goes out once on
// Mastodon (Idempotency-Key) and Bluesky (a record key derived from it), and is marked "may have
// been sent" on X, which cannot tell us.
import { AtpAgent } from '@atproto/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../electron/api/events';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import { ingestItems } from '../../electron/core/inbox/ingest';
import { pollCrons } from '../../electron/core/inbox/polling';
import type { MessageView } from '../../electron/core/inbox/views';
import { rkeyFor } from '../../electron/platforms/bluesky/rkey';
import type { FetchLike } from '../../electron/platforms/http';
import { startMastodonServer, type MastodonServer } from '../contract/mastodon';
import { startXContract, type XContract } from '../contract/x';
import { startTestCore, type TestCore } from '../helpers/core';
import { startTestPds, type TestPds } from '../helpers/pds';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Lets the server handle the next POST to `path`, then loses its answer, as a dropped connection would. */
class LossyFetch {
  private drop: string | null = null;
  /** POSTs seen per path. */
  readonly posts = new Map<string, number>();
  loseNextAnswerTo(path: string): void {
    this.drop = path;
  }
  readonly fetch: FetchLike = async (input, init) => {
    const res = await fetch(input, init);
    const path = new URL(String(input)).pathname;
    if (init?.method === 'POST') this.posts.set(path, (this.posts.get(path) ?? 0) + 1);
    if (this.drop !== null && init?.method === 'POST' && new URL(String(input)).pathname === this.drop) {
      this.drop = null;
      await res.text();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    }
    return res;
  };
}

interface Setup {
  core: TestCore;
  workspaceId: string;
  accountId: string;
  net: LossyFetch;
}

let pds: TestPds | undefined;
afterAll(async () => {
  await pds?.close();
});

async function startCore(net: LossyFetch, baseUrls: { x?: string } = {}): Promise<{ core: TestCore; workspaceId: string }> {
  const core = await startTestCore({ platforms: { fetch: net.fetch, baseUrls } });
  cleanups.push(() => core.cleanup());
  for (const spec of pollCrons()) core.scheduler!.upsertCron({ ...spec, enabled: false });
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  return { core, workspaceId: ws.id };
}

async function mastodonSetup(): Promise<Setup & { masto: MastodonServer }> {
  const net = new LossyFetch();
  const { core, workspaceId } = await startCore(net);
  const masto = await startMastodonServer();
  cleanups.push(() => masto.close());
  const tokens = masto.issueToken();
  const account = recordSignIn(core.ctx, {
    workspaceId,
    platform: 'mastodon',
    authKind: 'oauth2',
    serverUrl: masto.baseUrl,
    result: {
      profile: { platformAccountId: masto.me.id, username: masto.me.username, displayName: masto.me.displayName, profileUrl: null, avatarUrl: null, serverUrl: masto.baseUrl },
      credentials: { accessToken: tokens.accessToken, refreshToken: null, expiresAt: null, scopes: ['read', 'write'] },
    },
  });
  return { core, workspaceId, accountId: account.id, net, masto };
}

async function refresh(s: Setup): Promise<void> {
  const finished = new Promise<EventPayload<'inbox.poll'>>((resolve) => {
    const off = s.core.ctx.events.subscribe((event, payload) => {
      const p = payload as EventPayload<'inbox.poll'>;
      if (event === 'inbox.poll' && p.accountId === s.accountId && p.status !== 'polling') {
        off();
        resolve(p);
      }
    });
  });
  await s.core.call('inbox.refresh', { workspaceId: s.workspaceId, accountId: s.accountId });
  expect((await finished).status).toBe('done');
}

function conversationIdOf(s: Setup, externalMessageId: string): string {
  const row = s.core.ctx.db.sqlite.prepare(`SELECT conversation_id FROM conversation_messages WHERE external_message_id = ?`).get(externalMessageId) as { conversation_id: string } | undefined;
  if (!row) throw new Error(`message ${externalMessageId} was not ingested`);
  return row.conversation_id;
}

interface MessageRow {
  status: string;
  external_message_id: string | null;
  metadata: string;
  reply_to_message_id: string | null;
}

function messageRow(s: Setup, id: string): MessageRow {
  return s.core.ctx.db.sqlite.prepare(`SELECT status, external_message_id, metadata, reply_to_message_id FROM conversation_messages WHERE id = ?`).get(id) as MessageRow;
}

async function until<T>(probe: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function settled(s: Setup, id: string, status: 'sent' | 'failed'): Promise<MessageRow> {
  return until(() => {
    const m = messageRow(s, id);
    return m.status === status ? m : undefined;
  }, `the reply to read '${status}'`);
}

function replyJobs(s: Setup, messageId: string): { id: string; status: string; idempotency_key: string }[] {
  return s.core.ctx.db.sqlite
    .prepare(`SELECT id, status, idempotency_key FROM jobs WHERE type = 'inbox.reply' AND json_extract(payload, '$.messageId') = ? ORDER BY created_at`)
    .all(messageId) as { id: string; status: string; idempotency_key: string }[];
}

describe('replying on Mastodon', () => {
  it('given a DM, when answered, then the reply goes out direct and threaded under it, and the message reads sent with its id and link', async () => {
    const s = await mastodonSetup();
    const bob = s.masto.addAccount('bob', 'fosstodon.org', 'Bob Baker');
    const dm = s.masto.receive(bob, '@alice do you deliver on Sundays?', { visibility: 'direct' });
    await refresh(s);
    const conversationId = conversationIdOf(s, dm.id);

    const queued: MessageView = await s.core.call('inbox.reply', { conversationId, text: 'Yes, from 9 to 12.' });
    expect(queued).toMatchObject({ direction: 'outbound', status: 'pending', isFromAgent: true, content: 'Yes, from 9 to 12.', automatic: null, error: null });
    const sent = await settled(s, queued.id, 'sent');

    const own = s.masto.ownStatuses();
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ inReplyToId: dm.id, visibility: 'direct', text: '@bob@fosstodon.org Yes, from 9 to 12.' });
    expect(sent.external_message_id).toBe(own[0]!.id);
    expect(JSON.parse(sent.metadata)).toMatchObject({ url: expect.stringContaining(own[0]!.id) });
    expect(sent.reply_to_message_id).toBe(s.core.ctx.db.sqlite.prepare(`SELECT id FROM conversation_messages WHERE external_message_id = ?`).pluck().get(dm.id));
    // The network got the message's own key, so any resend of this message is recognised.
    expect(s.masto.server.calls('POST /api/v1/statuses')[0]!.headers['idempotency-key']).toBe(`pd-reply-${queued.id}`);
    const conversation = s.core.ctx.db.sqlite.prepare(`SELECT unread_count, last_message_preview FROM conversations WHERE id = ?`).get(conversationId);
    expect(conversation).toEqual({ unread_count: 0, last_message_preview: 'Yes, from 9 to 12.' });
  });

  it('given the instance refuses the reply, then it reads failed with the reason and is not retried; sent again, it goes out once', async () => {
    const s = await mastodonSetup();
    const bob = s.masto.addAccount('bob', 'fosstodon.org', 'Bob Baker');
    const dm = s.masto.receive(bob, '@alice can I order a cake?', { visibility: 'direct' });
    await refresh(s);
    const conversationId = conversationIdOf(s, dm.id);
    s.masto.server.failNext('POST /api/v1/statuses', { status: 422, json: { error: 'Validation failed: Text contains a word this server does not allow' } });

    const queued = await s.core.call('inbox.reply', { conversationId, text: 'Of course!' });
    const failed = await settled(s, queued.id, 'failed');
    expect(JSON.parse(failed.metadata)).toMatchObject({ error: expect.stringMatching(/does not allow/) });
    await s.core.scheduler!.idle();
    expect(replyJobs(s, queued.id).map((j) => j.status)).toEqual(['failed']);
    expect(s.masto.server.calls('POST /api/v1/statuses')).toHaveLength(1);
    expect(s.masto.ownStatuses()).toHaveLength(0);

    const again = await s.core.call('inbox.retryReply', { messageId: queued.id });
    expect(again).toMatchObject({ status: 'pending', error: null });
    await settled(s, queued.id, 'sent');
    expect(s.masto.ownStatuses()).toHaveLength(1);
    await expect(s.core.call('inbox.retryReply', { messageId: queued.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('given the answer to a send is lost on the wire, when it is tried again, then Mastodon recognises the key and the reply exists once', async () => {
    const s = await mastodonSetup();
    const bob = s.masto.addAccount('bob', 'fosstodon.org', 'Bob Baker');
    const dm = s.masto.receive(bob, '@alice is there parking?', { visibility: 'direct' });
    await refresh(s);
    s.net.loseNextAnswerTo('/api/v1/statuses');

    const queued = await s.core.call('inbox.reply', { conversationId: conversationIdOf(s, dm.id), text: 'Yes, behind the shop.' });
    // The first attempt reached the server but not back; the message waits for its retry.
    const waiting = await until(() => (s.masto.server.calls('POST /api/v1/statuses').length === 1 && replyJobs(s, queued.id)[0]?.status === 'pending' ? replyJobs(s, queued.id)[0] : undefined), 'the retry to be queued');
    expect(messageRow(s, queued.id).status).toBe('pending');
    expect(s.masto.ownStatuses()).toHaveLength(1);
    s.core.scheduler!.retry(waiting.id);

    const sent = await settled(s, queued.id, 'sent');
    const calls = s.masto.server.calls('POST /api/v1/statuses');
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.headers['idempotency-key']))).toEqual(new Set([`pd-reply-${queued.id}`]));
    expect(s.masto.ownStatuses()).toHaveLength(1);
    expect(sent.external_message_id).toBe(s.masto.ownStatuses()[0]!.id);
  });

  it('given a message whose reply window has closed, when answered, then it is refused before anything is sent', async () => {
    const s = await mastodonSetup();
    const now = Date.now();
    // An item as a network with a messaging window reports it (Meta's 24 h after their message).
    const r = ingestItems(
      s.core.ctx,
      { id: s.accountId, workspaceId: s.workspaceId, platform: 'mastodon', platformAccountId: s.masto.me.id },
      [{ kind: 'dm', platformMessageId: '990001', threadId: 'conv-1', parentId: null, authorId: '4242', authorHandle: 'late@example.social', authorName: 'Late Larry', text: 'hello?', createdAt: now - 26 * 3_600_000, url: null, replyDeadline: now - 2 * 3_600_000 }],
      now,
    );
    const conversationId = r.conversationIds[0]!;
    await expect(s.core.call('inbox.reply', { conversationId, text: 'Sorry for the wait!' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/window closed 2 hours ago/) });
    expect(s.core.ctx.db.sqlite.prepare(`SELECT count(*) FROM conversation_messages WHERE direction = 'outbound'`).pluck().get()).toBe(0);
    expect(s.core.ctx.db.sqlite.prepare(`SELECT count(*) FROM jobs WHERE type = 'inbox.reply'`).pluck().get()).toBe(0);
    expect(s.masto.server.calls('POST /api/v1/statuses')).toHaveLength(0);
  });

  it('given a thread with nothing from them to answer, then the reply is refused in words', async () => {
    const s = await mastodonSetup();
    await expect(s.core.call('inbox.reply', { conversationId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', text: 'Hi' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('replying on X, which cannot recognise a resend', () => {
  it('given the answer to a send is lost on the wire, then the reply is not sent again but marked "may have been sent — check on X"', async () => {
    const x: XContract = await startXContract();
    cleanups.push(() => x.close());
    const net = new LossyFetch();
    const { core, workspaceId } = await startCore(net, { x: x.baseUrl });
    const tokens = x.issueTokens();
    const account = recordSignIn(core.ctx, {
      workspaceId,
      platform: 'x',
      authKind: 'oauth2',
      serverUrl: null,
      result: {
        profile: { platformAccountId: x.me.id, username: x.me.username, displayName: x.me.name, profileUrl: null, avatarUrl: null, serverUrl: null },
        credentials: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + 7_000_000, scopes: ['tweet.read', 'tweet.write', 'users.read', 'dm.read', 'dm.write', 'offline.access'] },
      },
    });
    const s: Setup = { core, workspaceId, accountId: account.id, net };
    const mention = x.seedTweet({ author: 'amara_writes', text: '@postdesk_test when does the shop open?', at: Date.now() - 60_000 });
    await refresh(s);
    const tweetsBefore = x.tweets.size;
    net.loseNextAnswerTo('/2/tweets');

    const queued = await core.call('inbox.reply', { conversationId: conversationIdOf(s, mention.id), text: 'At 8 every morning.' });
    const waiting = await until(() => {
      const j = replyJobs(s, queued.id)[0];
      return x.tweets.size === tweetsBefore + 1 && j?.status === 'pending' ? j : undefined;
    }, 'the interrupted send');
    // Bring the retry forward: before sending again the job asks whether the last send went out.
    core.scheduler!.retry(waiting.id);

    const failed = await settled(s, queued.id, 'failed');
    expect(JSON.parse(failed.metadata).error).toMatch(/may have been sent.*X/s);
    await core.scheduler!.idle();
    expect(x.tweets.size).toBe(tweetsBefore + 1);
    expect(x.server.calls('POST /2/tweets')).toHaveLength(1);
    const reply = [...x.tweets.values()].find((t) => t.text.includes('At 8 every morning.'));
    expect(reply).toBeDefined();
  });
});

describe('replying on Bluesky', () => {
  beforeAll(async () => {
    pds = await startTestPds();
  }, 120_000);

  it('given a mention, when the answer to the reply is lost on the wire, then the reply exists once, at the record key derived from the message, threaded under the mention', async () => {
    const net = new LossyFetch();
    const { core, workspaceId } = await startCore(net);
    const me = await pds!.createAccount();
    const bob = await pds!.createAccount();
    const account = await core.call('accounts.connectWithPassword', { workspaceId, platform: 'bluesky', serverUrl: pds!.url, identifier: me.handle, password: me.appPassword });
    const s: Setup = { core, workspaceId, accountId: account.id, net };
    const bobAgent = new AtpAgent({ service: pds!.url });
    await bobAgent.login({ identifier: bob.handle, password: bob.password });
    const mention = await bobAgent.post({ text: `@${me.handle} are you open on Monday?`, createdAt: new Date().toISOString() });
    // As the AppView's notifications would list it (the test PDS runs without an AppView).
    const r = ingestItems(core.ctx, { id: account.id, workspaceId, platform: 'bluesky', platformAccountId: me.did }, [
      { kind: 'mention', platformMessageId: mention.uri, threadId: mention.uri, parentId: null, authorId: bob.did, authorHandle: bob.handle, authorName: null, text: `@${me.handle} are you open on Monday?`, createdAt: Date.now(), url: null, replyDeadline: null },
    ]);
    net.loseNextAnswerTo('/xrpc/com.atproto.repo.createRecord');

    const queued = await core.call('inbox.reply', { conversationId: r.conversationIds[0]!, text: 'Yes, 8 to 18.' });
    const sent = await settled(s, queued.id, 'sent');

    const meAgent = new AtpAgent({ service: pds!.url });
    await meAgent.login({ identifier: me.handle, password: me.password });
    const records = (await meAgent.com.atproto.repo.listRecords({ repo: me.did, collection: 'app.bsky.feed.post' })).data.records;
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record.uri).toBe(sent.external_message_id);
    expect(record.uri.split('/').pop()).toBe(rkeyFor(`pd-reply-${queued.id}`, 0));
    expect(record.value).toMatchObject({ text: 'Yes, 8 to 18.', reply: { root: { uri: mention.uri }, parent: { uri: mention.uri } } });
    expect(net.posts.get('/xrpc/com.atproto.repo.createRecord')).toBe(1);
  });
});
