// The Mastodon connector against a loopback instance that follows Mastodon's published contract
// (test/contract/mastodon.ts). The authorize step is driven by opening the URL the connector built
// with fetch(redirect: 'manual'): the contract server approves as its signed-in user and
// redirects to the loopback URI with the code, exactly where the browser would land.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasPublishMarker, loopbackRedirectUri, publishMarker, type AccountCredentials, type ConnectorAccount, type MediaInput, type PublishRequest } from '../../electron/platforms/connector';
import { PlatformError } from '../../electron/platforms/errors';
import { createMastodonConnector, registerApp, type AppClient, type MastodonConnector } from '../../electron/platforms/mastodon';
import { parseLinkHeader } from '../../electron/platforms/mastodon/link-header';
import { countableLength, htmlToText } from '../../electron/platforms/mastodon/text';
import { createCodeVerifier, createState } from '../../electron/platforms/pkce';
import { withFreshCredentials } from '../../electron/platforms/session';
import { startMastodonServer, type MastodonServer, type MastodonServerOptions } from '../contract/mastodon';

let dir: string;
let png: string;
let mp4: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'postdesk-mastodon-'));
  png = join(dir, 'launch.png');
  mp4 = join(dir, 'teaser.mp4');
  // A real PNG signature and IHDR start; the server stores bytes, it doesn't decode them.
  await writeFile(png, Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(4096, 7)]));
  await writeFile(mp4, Buffer.alloc(64 * 1024, 3));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const servers: MastodonServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Connected {
  srv: MastodonServer;
  connector: MastodonConnector;
  account: ConnectorAccount;
  app: AppClient;
}

/** The whole sign-in: register the app, open the authorize URL, exchange the code with the verifier. */
async function connect(opts: MastodonServerOptions = {}): Promise<Connected> {
  const srv = await startMastodonServer({ processingPolls: 1, ...opts });
  servers.push(srv);
  const apps = new Map<string, AppClient>();
  const connector = createMastodonConnector({ appClient: (base) => apps.get(base) ?? null });
  // Registered once per instance with one port; later sign-ins listen on other ports.
  const app = await registerApp(srv.baseUrl, loopbackRedirectUri(40_001));
  apps.set(srv.baseUrl, app);
  const redirectUri = loopbackRedirectUri(52_345);
  const start = connector.beginAuth?.({ baseUrl: srv.baseUrl, clientId: app.clientId, redirectUri, state: createState(), codeVerifier: createCodeVerifier() });
  if (!start) throw new Error('beginAuth missing');
  const landed = await fetch(start.url, { redirect: 'manual' });
  expect(landed.status).toBe(302);
  const back = new URL(landed.headers.get('location') ?? '');
  expect(back.searchParams.get('state')).toBe(start.state);
  const result = await connector.completeAuth({
    baseUrl: srv.baseUrl,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    callback: { code: back.searchParams.get('code') ?? '', state: start.state, codeVerifier: start.codeVerifier, redirectUri },
  });
  return { srv, connector, app, account: { platformAccountId: result.profile.platformAccountId, baseUrl: srv.baseUrl, credentials: result.credentials } };
}

function post(text: string, extra: Partial<PublishRequest> = {}): PublishRequest {
  return { root: { text, media: [] }, thread: [], firstComment: null, scheduleAt: null, idempotencyKey: `job-${randomUUID()}`, inReplyTo: null, language: 'en', ...extra };
}

function image(path: string, altText: string | null): MediaInput {
  return { kind: 'image', mimeType: 'image/png', path, url: null, sizeBytes: 4112, altText };
}

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PlatformError) return err;
    throw err;
  }
  throw new Error('expected a PlatformError');
}

describe('Mastodon sign-in (OAuth 2 + PKCE per instance)', () => {
  it('given an instance, when Postdesk registers, the user approves and the code is exchanged with the verifier, then it holds a non-expiring token for the account', async () => {
    const { srv, account } = await connect();
    const authorize = srv.server.calls('GET /oauth/authorize')[0];
    expect(authorize?.query.get('code_challenge_method')).toBe('S256');
    expect(authorize?.query.get('scope')).toBe('read:accounts read:statuses read:notifications write:statuses write:media');
    const token = srv.server.calls('POST /oauth/token')[0]?.form();
    expect(token?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token?.get('grant_type')).toBe('authorization_code');
    expect(account.platformAccountId).toBe(srv.me.id);
    expect(account.credentials).toMatchObject({ refreshToken: null, expiresAt: null });
    expect(srv.tokens.get(account.credentials.accessToken)?.accountId).toBe(srv.me.id);
    // The instance's limits were read at connect time.
    expect(srv.server.calls('GET /api/v2/instance')).toHaveLength(1);
  });

  it('given the profile, then it is the instance account with its handle and server', async () => {
    const srv = await startMastodonServer();
    servers.push(srv);
    const connector = createMastodonConnector();
    const app = await registerApp(srv.baseUrl, loopbackRedirectUri(40_002));
    const start = connector.beginAuth?.({ baseUrl: `${srv.baseUrl}/`, clientId: app.clientId, redirectUri: loopbackRedirectUri(40_002), state: createState(), codeVerifier: createCodeVerifier() });
    const code = new URL((await fetch(start?.url ?? '', { redirect: 'manual' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
    const { profile } = await connector.completeAuth({ baseUrl: srv.baseUrl, clientId: app.clientId, clientSecret: app.clientSecret, callback: { code, state: start?.state ?? '', codeVerifier: start?.codeVerifier ?? '', redirectUri: loopbackRedirectUri(40_002) } });
    expect(profile).toEqual({ platformAccountId: srv.me.id, username: 'alice', displayName: 'Alice Marketer', profileUrl: `${srv.baseUrl}/@alice`, avatarUrl: `${srv.baseUrl}/avatars/original/${srv.me.id}.png`, serverUrl: srv.baseUrl });
  });

  it('given a code exchanged with another verifier, then the server refuses it and it is an auth error', async () => {
    const srv = await startMastodonServer();
    servers.push(srv);
    const connector = createMastodonConnector();
    const redirectUri = loopbackRedirectUri(40_003);
    const app = await registerApp(srv.baseUrl, redirectUri);
    const start = connector.beginAuth?.({ baseUrl: srv.baseUrl, clientId: app.clientId, redirectUri, state: createState(), codeVerifier: createCodeVerifier() });
    const code = new URL((await fetch(start?.url ?? '', { redirect: 'manual' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
    const err = await failure(connector.completeAuth({ baseUrl: srv.baseUrl, clientId: app.clientId, clientSecret: app.clientSecret, callback: { code, state: '', codeVerifier: createCodeVerifier(), redirectUri } }));
    expect(err.category).toBe('auth');
    expect(err.status).toBe(400);
    expect(srv.tokens.size).toBe(0);
  });

  it('given the app registration fails with a 5xx, then it is transient and its effect unknown (a POST without a key)', async () => {
    const srv = await startMastodonServer();
    servers.push(srv);
    srv.server.failNext('POST /api/v1/apps', { status: 503, json: { error: 'Service Unavailable' } });
    const err = await failure(registerApp(srv.baseUrl, loopbackRedirectUri(40_004)));
    expect(err.category).toBe('transient');
    expect(err.effect).toBe('unknown');
  });

  it('given a disconnect, when the token is revoked with the instance app, then the instance refuses it afterwards', async () => {
    const { srv, connector, account } = await connect();
    await connector.revoke?.(account);
    expect(srv.server.calls('POST /oauth/revoke')[0]?.form().get('client_secret')).toBeTruthy();
    const err = await failure(connector.publish(account, post('after revoke')));
    expect(err.category).toBe('auth');
    expect(err.message).toContain('The access token was revoked');
  });
});

describe('Mastodon revoke without a resolver', () => {
  it('given the app client handed to revoke(), then it revokes; given none at all, then it refuses without calling the instance', async () => {
    const { srv, account, app } = await connect();
    const bare = createMastodonConnector();
    const none = await failure(bare.revoke?.(account) ?? Promise.resolve());
    expect(none).toMatchObject({ category: 'permanent', effect: 'none' });
    expect(srv.server.calls('POST /oauth/revoke')).toHaveLength(0);
    await bare.revoke?.(account, app);
    expect(srv.tokens.get(account.credentials.accessToken)?.revoked).toBe(true);
  });
});

describe('Mastodon publishing', () => {
  it('given text, when published, then the status exists, was sent with the Idempotency-Key, and the result names it', async () => {
    const { srv, connector, account } = await connect();
    const req = post('Spring sale starts today! https://shop.example/spring');
    const result = await connector.publish(account, req);
    const sent = srv.server.calls('POST /api/v1/statuses')[0];
    expect(sent?.headers['idempotency-key']).toBe(req.idempotencyKey);
    expect(sent?.form().get('language')).toBe('en');
    const [stored] = srv.ownStatuses();
    expect(stored?.text).toBe(req.root.text);
    expect(result).toMatchObject({ root: { platformPostId: stored?.id, url: `${srv.baseUrl}/@alice/${stored?.id}` }, thread: [], scheduledOnPlatform: false });
    expect(result.publishedAt).toBe(stored?.createdAt);
  });

  it('given an image with alt text and a video, then each uploads with its description and the video is attached once processed', async () => {
    const { srv, connector, account } = await connect();
    const result = await connector.publish(account, post('New product shots', { root: { text: 'New product shots', media: [image(png, 'A red bicycle leaning on a wall')] } }));
    const stored = srv.statuses.get(result.root.platformPostId);
    const attached = srv.media.get(stored?.mediaIds[0] ?? '');
    expect(attached).toMatchObject({ description: 'A red bicycle leaning on a wall', fileName: 'launch.png', type: 'image', statusId: stored?.id });

    const video: MediaInput = { kind: 'video', mimeType: 'video/mp4', path: mp4, url: null, sizeBytes: 64 * 1024, altText: 'Teaser' };
    const clip = await connector.publish(account, post('Teaser', { root: { text: 'Teaser', media: [video] } }));
    // 202 on upload, then 206 while processing, then 200 with a url: only then is it attached.
    expect(srv.server.calls('GET /api/v1/media/:id').map((c) => c.path)).toHaveLength(2);
    expect(srv.statuses.get(clip.root.platformPostId)?.mediaIds).toHaveLength(1);
  });

  it('given a thread, then each part answers the one before and carries its own key', async () => {
    const { srv, connector, account } = await connect();
    const req = post('1/3 Why we built it', { thread: [{ text: '2/3 What it does', media: [image(png, 'Diagram')] }, { text: '3/3 Try it', media: [] }] });
    const result = await connector.publish(account, req);
    const ids = [result.root.platformPostId, ...result.thread.map((t) => t.platformPostId)];
    expect(ids.map((id) => srv.statuses.get(id)?.inReplyToId ?? null)).toEqual([null, ids[0], ids[1]]);
    expect(srv.server.calls('POST /api/v1/statuses').map((c) => c.headers['idempotency-key'])).toEqual([req.idempotencyKey, `${req.idempotencyKey}:1`, `${req.idempotencyKey}:2`]);
  });

  it('given a thread whose second part fails, then the error says part of it is out (effect unknown), and repeating the publish completes it without duplicates', async () => {
    const { srv, connector, account } = await connect();
    const req = post('1/3 Root', { thread: [{ text: '2/3 With chart', media: [image(png, 'Chart')] }, { text: '3/3 End', media: [] }] });
    // The root goes out; the second part's upload fails.
    srv.server.failNext('POST /api/v2/media', { status: 503, json: { error: 'Service Unavailable' } });
    const err = await failure(connector.publish(account, req));
    expect(err).toMatchObject({ category: 'transient', effect: 'unknown' });
    expect(err.message).toMatch(/^1 of 3 posts of the thread were published/);
    expect(srv.ownStatuses()).toHaveLength(1);
    const result = await connector.publish(account, req);
    expect(srv.ownStatuses()).toHaveLength(3);
    expect(result.root.platformPostId).toBe(srv.ownStatuses()[0]?.id);
    expect(srv.statuses.get(result.thread[1]?.platformPostId ?? '')?.inReplyToId).toBe(result.thread[0]?.platformPostId);
  });

  it('given a time 10 minutes ahead, then the instance holds it as a scheduled status, and deleting cancels it', async () => {
    const { srv, connector, account } = await connect();
    const at = Date.now() + 10 * 60_000;
    const result = await connector.publish(account, post('Webinar tomorrow', { scheduleAt: at }));
    expect(result.scheduledOnPlatform).toBe(true);
    expect(result.publishedAt).toBeNull();
    const held = srv.scheduled.get(result.root.platformPostId.replace('scheduled:', ''));
    expect(held?.scheduledAt).toBe(new Date(new Date(at).toISOString()).getTime());
    expect(srv.ownStatuses()).toHaveLength(0);
    await connector.delete(account, result.root.platformPostId);
    expect(held?.deleted).toBe(true);
    expect(srv.server.calls('DELETE /api/v1/statuses/:id')).toHaveLength(0);
  });

  it('given a time under 5 minutes ahead or a scheduled thread, then it is refused in words before calling Mastodon', async () => {
    const { srv, connector, account } = await connect();
    const soon = await failure(connector.publish(account, post('Too soon', { scheduleAt: Date.now() + 60_000 })));
    expect(soon).toMatchObject({ category: 'validation', effect: 'none' });
    expect(soon.message).toMatch(/5 minutes/);
    const thread = await failure(connector.publish(account, post('A', { scheduleAt: Date.now() + 3_600_000, thread: [{ text: 'B', media: [] }] })));
    expect(thread.category).toBe('validation');
    expect(srv.server.calls('POST /api/v1/statuses')).toHaveLength(0);
  });

  it("given text over the instance's own limit or too many attachments, then it is refused before any upload or post", async () => {
    const { srv, connector, account } = await connect({ maxCharacters: 100, maxMediaAttachments: 2 });
    const long = await failure(connector.publish(account, post('x'.repeat(101))));
    expect(long.category).toBe('validation');
    expect(long.message).toContain('allows 100');
    // A long URL counts as 23, as on the server.
    await connector.publish(account, post(`${'y'.repeat(70)} https://example.com/${'z'.repeat(200)}`));
    const many = await failure(connector.publish(account, post('pics', { root: { text: 'pics', media: [image(png, null), image(png, null), image(png, null)] } })));
    expect(many.category).toBe('media');
    expect(srv.server.calls('POST /api/v2/media')).toHaveLength(0);
    expect(srv.server.calls('POST /api/v1/statuses')).toHaveLength(1);
  });

  it('given a first comment, then Mastodon cannot do it and says so', async () => {
    const { connector, account } = await connect();
    const err = await failure(connector.publish(account, post('Hello', { firstComment: 'Link in the comments' })));
    expect(err).toMatchObject({ category: 'permanent', effect: 'none' });
  });

  it('given a published status, when deleted, then it is gone, and deleting it again is not an error', async () => {
    const { srv, connector, account } = await connect();
    const { root } = await connector.publish(account, post('Oops'));
    await connector.delete(account, root.platformPostId);
    expect(srv.statuses.get(root.platformPostId)?.deleted).toBe(true);
    await connector.delete(account, root.platformPostId);
    expect(srv.server.calls('DELETE /api/v1/statuses/:id')).toHaveLength(2);
  });
});

describe('Mastodon reconcile (findPublished)', () => {
  it('given a post carrying a marker among 50 newer ones, then the scan follows the Link header back to it', async () => {
    const { srv, connector, account } = await connect();
    const since = Date.now() - 1000;
    const key = `job-${randomUUID()}`;
    const marker = publishMarker(key);
    const target = await connector.publish(account, post(`Launch day ${marker}`));
    for (let i = 0; i < 50; i++) await connector.publish(account, post(`filler ${i}`));
    const found = await connector.findPublished(account, { marker }, { since });
    expect(found?.platformPostId).toBe(target.root.platformPostId);
    expect(srv.server.calls('GET /api/v1/accounts/:id/statuses').length).toBeGreaterThan(1);
    expect(srv.server.calls('GET /api/v1/accounts/:id/statuses')[1]?.query.get('max_id')).toBeTruthy();
    // Nothing older than `since` is looked at.
    expect(await connector.findPublished(account, { marker }, { since: Date.now() + 1000 })).toBeNull();
  });

  it('given a scheduled post, then it is found by its Idempotency-Key, which the scheduled status keeps', async () => {
    const { connector, account } = await connect();
    const req = post('Held post', { scheduleAt: Date.now() + 3_600_000 });
    const { root } = await connector.publish(account, req);
    expect(await connector.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since: Date.now() - 5000 })).toEqual({ platformPostId: root.platformPostId, url: null });
  });

  it('given an attempt minutes ago that left no trace, then "not published" is safe: the retry with the same key cannot duplicate', async () => {
    const { srv, connector, account } = await connect();
    const req = post('Crash right after sending');
    // The first attempt reached the server and was posted, but Postdesk died before the answer.
    const lost = await fetch(`${srv.baseUrl}/api/v1/statuses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.credentials.accessToken}`, 'idempotency-key': req.idempotencyKey },
      body: new URLSearchParams({ status: req.root.text }),
    });
    expect(lost.status).toBe(200);
    expect(await connector.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since: Date.now() - 60_000 })).toBeNull();
    const retried = await connector.publish(account, req);
    expect(srv.ownStatuses().map((s) => s.id)).toEqual([retried.root.platformPostId]);
  });

  it('given an attempt older than the hour Mastodon keeps keys and no marker, then it says it cannot tell instead of guessing', async () => {
    const { connector, account } = await connect();
    const err = await failure(connector.findPublished(account, { idempotencyKey: `job-${randomUUID()}` }, { since: Date.now() - 2 * 3_600_000 }));
    expect(err.category).toBe('permanent');
  });
});

describe('Mastodon inbox and replies', () => {
  it('given mentions, comments and DMs, then they page through both lists by their Link headers without showing a DM twice', async () => {
    const { srv, connector, account } = await connect();
    const bob = srv.addAccount('bob', 'fosstodon.org', 'Bob');
    const carol = srv.addAccount('carol', 'mas.to', '');
    const { root } = await connector.publish(account, post('Our new feature is live'));
    const t0 = Date.now() - 60_000;
    srv.receive(bob, '@alice love the new feature!', { inReplyToId: root.platformPostId, at: t0 + 1000 });
    srv.receive(carol, 'Have you seen what @alice shipped? https://example.com', { at: t0 + 2000 });
    srv.receive(bob, '@alice can I get a discount code?', { visibility: 'direct', at: t0 + 3000 });
    srv.receive(carol, '@alice is the API public?', { visibility: 'direct', at: t0 + 4000 });

    const seen: { kind: string; text: string; authorHandle: string | null; threadId: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await connector.fetchInbox(account, { kinds: ['dm', 'mention', 'comment'], cursor, since: null, limit: 2 });
      seen.push(...page.items.map((i) => ({ kind: i.kind, text: i.text, authorHandle: i.authorHandle, threadId: i.threadId })));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);

    expect(seen.filter((i) => i.kind === 'dm').map((i) => i.text).sort()).toEqual(['@alice can I get a discount code?', '@alice is the API public?']);
    expect(seen.filter((i) => i.kind === 'comment')).toEqual([{ kind: 'comment', text: '@alice love the new feature!', authorHandle: 'bob@fosstodon.org', threadId: root.platformPostId }]);
    expect(seen.filter((i) => i.kind === 'mention').map((i) => i.text)).toEqual(['Have you seen what @alice shipped? https://example.com']);
    expect(seen).toHaveLength(4);
    // Conversations page by their last status id, which only the Link header carries.
    const convPages = srv.server.calls('GET /api/v1/conversations');
    expect(convPages.length).toBeGreaterThan(1);
    expect(convPages[1]?.query.get('max_id')).toBe([...srv.statuses.values()].find((s) => s.text === '@alice is the API public?')?.id);
    expect(srv.server.calls('GET /api/v1/notifications')[0]?.query.getAll('types[]')).toEqual(['mention']);
  });

  it('given `since`, then older items are left out and paging stops there', async () => {
    const { srv, connector, account } = await connect();
    const bob = srv.addAccount('bob', 'fosstodon.org');
    srv.receive(bob, '@alice old question', { at: Date.now() - 3 * 86_400_000 });
    srv.receive(bob, '@alice new question', { at: Date.now() - 1000 });
    const page = await connector.fetchInbox(account, { kinds: ['mention'], cursor: null, since: Date.now() - 86_400_000, limit: 1 });
    expect(page.items.map((i) => i.text)).toEqual(['@alice new question']);
    const next = await connector.fetchInbox(account, { kinds: ['mention'], cursor: page.nextCursor, since: Date.now() - 86_400_000, limit: 1 });
    expect(next).toEqual({ items: [], nextCursor: null });
  });

  it('given a DM, when answered, then the reply is direct, addressed to the sender, and threads under their message', async () => {
    const { srv, connector, account } = await connect();
    const bob = srv.addAccount('bob', 'fosstodon.org', 'Bob');
    const dm = srv.receive(bob, '@alice can I get a discount code?', { visibility: 'direct' });
    const { items } = await connector.fetchInbox(account, { kinds: ['dm'], cursor: null, since: null, limit: 20 });
    const item = items[0];
    if (!item) throw new Error('no DM');
    const sent = await connector.reply(account, { to: item, text: 'Sure: SPRING10', media: [], idempotencyKey: `reply-${randomUUID()}` });
    const stored = srv.statuses.get(sent.platformPostId);
    expect(stored).toMatchObject({ visibility: 'direct', inReplyToId: dm.id, text: '@bob@fosstodon.org Sure: SPRING10', mentionIds: [bob.id] });
    // Our own reply is now the conversation's last message: nothing left to answer there.
    expect((await connector.fetchInbox(account, { kinds: ['dm'], cursor: null, since: null, limit: 20 })).items).toEqual([]);
  });

  it('given a public comment, when answered with the mention already written, then it keeps public visibility and adds no second mention', async () => {
    const { srv, connector, account } = await connect();
    const bob = srv.addAccount('bob', 'fosstodon.org');
    const { root } = await connector.publish(account, post('Feature live'));
    const comment = srv.receive(bob, '@alice nice!', { inReplyToId: root.platformPostId });
    const sent = await connector.reply(account, { to: { kind: 'comment', platformMessageId: comment.id, threadId: root.platformPostId, replyDeadline: null }, text: 'Thanks @bob@fosstodon.org!', media: [], idempotencyKey: `reply-${randomUUID()}` });
    expect(srv.statuses.get(sent.platformPostId)).toMatchObject({ visibility: 'public', inReplyToId: comment.id, text: 'Thanks @bob@fosstodon.org!' });
  });

  it('given posts with reactions, then metrics are likes, reposts and replies only, and a deleted post is absent', async () => {
    const { srv, connector, account } = await connect();
    const a = await connector.publish(account, post('A'));
    const b = await connector.publish(account, post('B'));
    srv.setCounts(a.root.platformPostId, { favourites: 12, reblogs: 3, replies: 2 });
    await connector.delete(account, b.root.platformPostId);
    const metrics = await connector.fetchMetrics(account, [a.root.platformPostId, b.root.platformPostId]);
    expect(metrics).toHaveLength(1);
    expect(metrics[0]?.values).toEqual({ likes: 12, reposts: 3, replies: 2 });
  });
});

describe('Mastodon failure paths', () => {
  it('given an expired access token on an instance that issues refresh tokens, then withFreshCredentials refreshes once and the retry succeeds', async () => {
    const { srv, connector, account, app } = await connect({ refreshTokens: { accessTokenTtlSec: 7200 } });
    expect(account.credentials.refreshToken).not.toBeNull();
    expect(account.credentials.expiresAt).toBeGreaterThan(Date.now());
    srv.expireToken(account.credentials.accessToken);
    const saved: AccountCredentials[] = [];
    const result = await withFreshCredentials(connector, account, { client: app, onRefreshed: (c) => void saved.push(c) }, (acc) => connector.publish(acc, post('After refresh')));
    expect(saved).toHaveLength(1);
    expect(saved[0]?.accessToken).not.toBe(account.credentials.accessToken);
    expect(srv.statuses.get(result.root.platformPostId)?.text).toBe('After refresh');
    const calls = srv.server.calls('POST /api/v1/statuses');
    expect(calls.map((c) => c.bearer())).toEqual([account.credentials.accessToken, saved[0]?.accessToken]);
  });

  it('given an expired access token and a revoked refresh token, then it ends as an auth error for the user to reconnect', async () => {
    const { srv, connector, account, app } = await connect({ refreshTokens: { accessTokenTtlSec: 7200 } });
    srv.expireToken(account.credentials.accessToken);
    srv.revokeRefreshToken(account.credentials.refreshToken ?? '');
    const err = await failure(withFreshCredentials(connector, account, { client: app, onRefreshed: () => undefined }, (acc) => connector.publish(acc, post('never'))));
    expect(err.category).toBe('auth');
    expect(srv.ownStatuses()).toHaveLength(0);
  });

  it('given a stock instance (no refresh token) and a 401, then it is an auth error without a refresh attempt', async () => {
    const { srv, connector, account } = await connect();
    srv.expireToken(account.credentials.accessToken);
    const err = await failure(withFreshCredentials(connector, account, { onRefreshed: () => undefined }, (acc) => connector.publish(acc, post('x'))));
    expect(err).toMatchObject({ category: 'auth', status: 401 });
    expect(err.message).toContain('The access token expired');
    expect(srv.server.calls('POST /oauth/token')).toHaveLength(1);
  });

  it('given a 429 with Retry-After, or rack-attack\'s own with only X-RateLimit-Reset, then it is rate_limit with the wait', async () => {
    const { srv, connector, account } = await connect();
    srv.server.failNext('POST /api/v1/statuses', { status: 429, headers: { 'retry-after': '7' }, json: { error: 'Too many requests' } });
    const first = await failure(connector.publish(account, post('x')));
    expect(first).toMatchObject({ category: 'rate_limit', retryAfterMs: 7000, effect: 'none' });
    const real = srv.rateLimitResponse();
    srv.server.failNext('GET /api/v1/statuses/:id', real);
    const second = await failure(connector.fetchMetrics(account, ['1']));
    const resetAt = Date.parse(real.headers?.['x-ratelimit-reset'] ?? '');
    expect(second.category).toBe('rate_limit');
    expect(second.retryAfterMs).toBeGreaterThan(0);
    expect(second.retryAfterMs).toBeLessThanOrEqual(resetAt - Date.now() + 1000);
  });

  it('given the real per-token limit is used up, then the instance answers 429 by itself and the connector says rate_limit', async () => {
    // A frozen server clock keeps all four requests in one 5-minute window.
    const frozen = Date.now();
    const { connector, account } = await connect({ rateLimit: 3, now: () => frozen });
    // verify_credentials at connect time used one of the three.
    await connector.publish(account, post('one'));
    await connector.publish(account, post('two'));
    const err = await failure(connector.publish(account, post('three')));
    expect(err.category).toBe('rate_limit');
    expect(err.retryAfterMs).toBeGreaterThan(0);
  });

  it('given a 5xx on the status POST, then it is transient, and repeating with the same key posts it exactly once', async () => {
    const { srv, connector, account } = await connect();
    const req = post('Flaky server');
    srv.server.failNext('POST /api/v1/statuses', { status: 502, body: '<html>Bad Gateway</html>' });
    const err = await failure(connector.publish(account, req));
    // A POST with an Idempotency-Key the server honours is safe to repeat.
    expect(err).toMatchObject({ category: 'transient', effect: 'none', retryable: true });
    await connector.publish(account, req);
    await connector.publish(account, req);
    expect(srv.ownStatuses()).toHaveLength(1);
  });

  it('given a 5xx on a POST without an idempotency key (the token exchange), then its effect is unknown', async () => {
    const srv = await startMastodonServer();
    servers.push(srv);
    const connector = createMastodonConnector();
    const app = await registerApp(srv.baseUrl, loopbackRedirectUri(40_005));
    srv.server.failNext('POST /oauth/token', { status: 500, json: { error: 'Internal Server Error' } });
    const err = await failure(connector.completeAuth({ baseUrl: srv.baseUrl, clientId: app.clientId, clientSecret: app.clientSecret, callback: { code: 'c', state: 's', codeVerifier: createCodeVerifier(), redirectUri: loopbackRedirectUri(40_005) } }));
    expect(err).toMatchObject({ category: 'transient', effect: 'unknown' });
  });

  it('given malformed JSON on a 2xx, then it is transient and nothing is reported as published', async () => {
    const { srv, connector, account } = await connect();
    srv.server.failNext('POST /api/v1/statuses', { malformed: true });
    const err = await failure(connector.publish(account, post('Garbled answer')));
    expect(err.category).toBe('transient');
    expect(err.message).toMatch(/malformed JSON/);
    srv.server.failNext('GET /api/v1/notifications', { malformed: true });
    expect((await failure(connector.fetchInbox(account, { kinds: ['mention'], cursor: null, since: null, limit: 5 }))).category).toBe('transient');
  });

  it('given a media upload cut halfway, then it is transient, no post exists, and the next publish succeeds', async () => {
    const { srv, connector, account } = await connect();
    const req = post('With photo', { root: { text: 'With photo', media: [image(png, 'Photo')] } });
    srv.server.failNext('POST /api/v2/media', { cut: true });
    const err = await failure(connector.publish(account, req));
    expect(err).toMatchObject({ category: 'transient', effect: 'none' });
    expect(srv.server.calls('POST /api/v1/statuses')).toHaveLength(0);
    expect(srv.ownStatuses()).toHaveLength(0);
    const ok = await connector.publish(account, req);
    expect(srv.statuses.get(ok.root.platformPostId)?.mediaIds).toHaveLength(1);
  });

  it('given every failure above, then no error message carries the access or refresh token', async () => {
    const { srv, connector, account, app } = await connect({ refreshTokens: { accessTokenTtlSec: 7200 } });
    const secrets = [account.credentials.accessToken, account.credentials.refreshToken ?? '', app.clientSecret];
    const errors: PlatformError[] = [];
    srv.server.failNext('POST /api/v1/statuses', { status: 500, json: { error: 'boom' } });
    errors.push(await failure(connector.publish(account, post('a'))));
    srv.server.failNext('POST /api/v1/statuses', { malformed: true });
    errors.push(await failure(connector.publish(account, post('b'))));
    srv.server.failNext('POST /api/v2/media', { cut: true });
    errors.push(await failure(connector.publish(account, post('c', { root: { text: 'c', media: [image(png, null)] } }))));
    srv.server.failNext('POST /api/v1/statuses', srv.rateLimitResponse());
    errors.push(await failure(connector.publish(account, post('d'))));
    errors.push(await failure(connector.publish(account, post(''))));
    errors.push(await failure(connector.publish({ ...account, credentials: { ...account.credentials, accessToken: `${account.credentials.accessToken}x` } }, post('e'))));
    srv.expireToken(account.credentials.accessToken);
    errors.push(await failure(connector.publish(account, post('f'))));
    srv.revokeRefreshToken(account.credentials.refreshToken ?? '');
    errors.push(await failure(connector.refresh(account, app)));
    expect(errors.map((e) => e.category)).toEqual(['transient', 'transient', 'transient', 'rate_limit', 'validation', 'auth', 'auth', 'auth']);
    for (const e of errors) {
      const text = [e.message, String(e), e.cause instanceof Error ? e.cause.message : ''].join('\n');
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});

describe('Mastodon wire details', () => {
  it('given a Link header with several relations, then next and prev are read by rel', () => {
    const links = parseLinkHeader('<https://m.example/api/v1/notifications?max_id=34975535&types[]=mention>; rel="next", <https://m.example/api/v1/notifications?min_id=34975861>; rel="prev"');
    expect(new URL(links.get('next') ?? '').searchParams.get('max_id')).toBe('34975535');
    expect(links.get('prev')).toBe('https://m.example/api/v1/notifications?min_id=34975861');
    expect(parseLinkHeader(null).size).toBe(0);
  });

  it('given text with URLs, remote mentions and emoji, then it is counted as Mastodon counts it', () => {
    expect(countableLength(`see https://example.com/${'a'.repeat(100)}`, 23)).toBe(4 + 23);
    expect(countableLength('hi @bob@fosstodon.org', 23)).toBe('hi @bob'.length);
    expect(countableLength('👍🏽👨‍👩‍👧', 23)).toBe(2);
  });

  it('given status HTML, then it reads as the plain text the author wrote and still carries the marker', () => {
    const html = '<p>Big news &amp; more</p><p><span class="h-card"><a href="https://x/@bob" class="u-url mention">@<span>bob</span></a></span> see <a href="https://ex.com/a"><span class="invisible">https://</span><span class="">ex.com/a</span><span class="invisible"></span></a><br />pdAbc123</p>';
    expect(htmlToText(html)).toBe('Big news & more\n\n@bob see https://ex.com/a\npdAbc123');
    expect(hasPublishMarker(htmlToText(html), 'pdAbc123')).toBe(true);
  });
});
