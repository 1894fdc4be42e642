// The X connector against test/contract/x.ts, a loopback server that plays X's API v2 contract.
// The consent step is driven by fetching the connector's authorize URL from that server, which
// answers 302 to the registered redirect with a code bound to the PKCE challenge it saw.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccountCredentials, ConnectorAccount, InboxItem, MediaInput, PlatformConnector, PublishRequest } from '../../electron/platforms/connector';
import { publishMarker } from '../../electron/platforms/connector';
import { PlatformError } from '../../electron/platforms/errors';
import { codeChallengeS256, createCodeVerifier, createState } from '../../electron/platforms/pkce';
import { isAuthFailure, withFreshCredentials } from '../../electron/platforms/session';
import { createXConnector } from '../../electron/platforms/x';
import { startXContract, X_TEST_REDIRECT, type XContract } from '../contract/x';

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const noSleep = async (): Promise<void> => {};

let dir: string;
let pngPath: string;
let videoPath: string;
let x: XContract;
let connector: PlatformConnector;
let account: ConnectorAccount;
let keySeq = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'postdesk-x-'));
  pngPath = join(dir, 'launch.png');
  await writeFile(pngPath, PNG_1X1);
  // 9 MB: three 4 MB segments, with an MP4 box header so the server accepts it as video.
  const video = Buffer.alloc(9 * 1024 * 1024, 7);
  video.write('ftypisom', 4, 'latin1');
  videoPath = join(dir, 'demo.mp4');
  await writeFile(videoPath, video);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  x = await startXContract();
  connector = createXConnector({ sleep: noSleep });
  account = connectedAccount();
});

afterEach(async () => {
  await x.close();
});

function connectedAccount(): ConnectorAccount {
  const t = x.issueTokens();
  return {
    platformAccountId: x.me.id,
    baseUrl: x.baseUrl,
    credentials: { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: Date.now() + 7_000_000, scopes: ['tweet.read', 'tweet.write'] },
  };
}

function request(text: string, over: Partial<PublishRequest> = {}): PublishRequest {
  return { root: { text, media: [] }, thread: [], firstComment: null, scheduleAt: null, idempotencyKey: `job-${++keySeq}-7f3a9c21`, inReplyTo: null, language: null, ...over };
}

function image(altText: string | null = 'A rocket on a launch pad at dawn'): MediaInput {
  return { kind: 'image', mimeType: 'image/png', path: pngPath, url: null, sizeBytes: PNG_1X1.length, altText };
}

function video(): MediaInput {
  return { kind: 'video', mimeType: 'video/mp4', path: videoPath, url: null, sizeBytes: 9 * 1024 * 1024, altText: null };
}

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PlatformError);
    return err as PlatformError;
  }
  throw new Error('expected a PlatformError');
}

async function authorize(clientId: string, verifier: string, state = createState()): Promise<{ code: string; state: string }> {
  const start = connector.beginAuth?.({ baseUrl: x.baseUrl, clientId, redirectUri: X_TEST_REDIRECT, state, codeVerifier: verifier });
  if (!start) throw new Error('X connector has no beginAuth');
  const res = await fetch(start.url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location') ?? '');
  expect(back.searchParams.get('state')).toBe(state);
  return { code: back.searchParams.get('code') ?? '', state };
}

describe('X connector: connecting an account', () => {
  it('given a public client, when the user authorizes, then the code exchange carries the PKCE verifier and returns the profile and rotating credentials', async () => {
    const verifier = createCodeVerifier();
    const start = connector.beginAuth?.({ baseUrl: x.baseUrl, clientId: x.publicClient.clientId, redirectUri: X_TEST_REDIRECT, state: 's-1', codeVerifier: verifier });
    const url = new URL(start?.url ?? '');
    expect(url.origin + url.pathname).toBe(`${x.baseUrl}/i/oauth2/authorize`);
    expect(url.searchParams.get('code_challenge')).toBe(codeChallengeS256(verifier));
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['tweet.write', 'offline.access', 'media.write', 'dm.write']));

    const { code, state } = await authorize(x.publicClient.clientId, verifier);
    const before = Date.now();
    const result = await connector.completeAuth({ baseUrl: x.baseUrl, clientId: x.publicClient.clientId, callback: { code, state, codeVerifier: verifier, redirectUri: X_TEST_REDIRECT } });

    expect(result.profile).toMatchObject({ platformAccountId: x.me.id, username: 'postdesk_test', displayName: 'Postdesk Test', profileUrl: 'https://x.com/postdesk_test', avatarUrl: x.me.profile_image_url });
    expect(result.credentials.refreshToken).toBeTruthy();
    expect(result.credentials.scopes).toContain('offline.access');
    // Two hours, renewed a minute early.
    expect(result.credentials.expiresAt).toBeGreaterThanOrEqual(before + 7200_000 - 60_000);
    expect(result.credentials.expiresAt).toBeLessThanOrEqual(Date.now() + 7200_000 - 60_000);
    const [exchange] = x.server.calls('POST /2/oauth2/token');
    expect(exchange?.form().get('code_verifier')).toBe(verifier);
    expect(exchange?.form().get('client_id')).toBe(x.publicClient.clientId);
    expect(exchange?.headers.authorization).toBeUndefined();
  });

  it('given the wrong verifier, when the code is exchanged, then X refuses it as an auth error; the right verifier then works', async () => {
    const verifier = createCodeVerifier();
    const { code, state } = await authorize(x.publicClient.clientId, verifier);
    const callback = { code, state, codeVerifier: createCodeVerifier(), redirectUri: X_TEST_REDIRECT };
    const err = await failure(connector.completeAuth({ baseUrl: x.baseUrl, clientId: x.publicClient.clientId, callback }));
    expect(err.category).toBe('auth');
    expect(err.message).toContain('authorization code was invalid');
    const ok = await connector.completeAuth({ baseUrl: x.baseUrl, clientId: x.publicClient.clientId, callback: { ...callback, codeVerifier: verifier } });
    expect(ok.profile.platformAccountId).toBe(x.me.id);
  });

  it('given a confidential client, when it exchanges the code, then it authenticates with HTTP Basic, and without the secret X refuses it', async () => {
    const { clientId, clientSecret } = x.confidentialClient;
    const verifier = createCodeVerifier();
    const first = await authorize(clientId, verifier);
    const err = await failure(connector.completeAuth({ baseUrl: x.baseUrl, clientId, callback: { ...first, codeVerifier: verifier, redirectUri: X_TEST_REDIRECT } }));
    expect(err.category).toBe('auth');
    expect(err.status).toBe(401);

    const result = await connector.completeAuth({ baseUrl: x.baseUrl, clientId, clientSecret, callback: { ...first, codeVerifier: verifier, redirectUri: X_TEST_REDIRECT } });
    expect(result.profile.username).toBe('postdesk_test');
    const basic = x.server.calls('POST /2/oauth2/token').at(-1)?.headers.authorization ?? '';
    expect(Buffer.from(basic.replace(/^Basic /, ''), 'base64').toString()).toBe(`${clientId}:${clientSecret}`);
  });

  it('given the real API base, then the consent page is x.com; given an override, then that host', () => {
    const args = { clientId: 'abc', redirectUri: X_TEST_REDIRECT, state: 's', codeVerifier: createCodeVerifier() };
    expect(createXConnector().beginAuth?.({ ...args, baseUrl: 'https://api.x.com' }).url).toMatch(/^https:\/\/x\.com\/i\/oauth2\/authorize\?/);
    expect(createXConnector({ authorizeBaseUrl: 'https://twitter.com' }).beginAuth?.({ ...args, baseUrl: 'https://api.x.com' }).url).toMatch(/^https:\/\/twitter\.com\/i\/oauth2\/authorize\?/);
  });

  it('given an app password login, then X says it signs in through the browser', async () => {
    const err = await failure(connector.completeAuth({ baseUrl: x.baseUrl, login: { identifier: 'a', password: 'b' } }));
    expect(err.category).toBe('permanent');
  });

  it('given a connected account, when it is disconnected, then both tokens are revoked at X', async () => {
    const withClient = createXConnector({ client: { clientId: x.publicClient.clientId } });
    await withClient.revoke?.(account);
    expect(x.server.calls('POST /2/oauth2/revoke').map((r) => r.form().get('token_type_hint'))).toEqual(['refresh_token', 'access_token']);
    expect(x.isRefreshTokenActive(account.credentials.refreshToken ?? '')).toBe(false);
    const err = await failure(connector.fetchMetrics(account, ['1']));
    expect(err.category).toBe('auth');
  });
});

describe('X connector: publishing', () => {
  it('given text, when published, then X holds the post with the reconcile marker on its own line', async () => {
    const req = request('Launch day! Our new planner is live.');
    const result = await connector.publish(account, req);
    const tweet = x.tweets.get(result.root.platformPostId);
    expect(tweet?.text).toBe(`Launch day! Our new planner is live.\n\n${publishMarker(req.idempotencyKey)}`);
    expect(result.root.url).toBe(`https://x.com/i/web/status/${result.root.platformPostId}`);
    expect(result).toMatchObject({ thread: [], firstComment: null, scheduledOnPlatform: false });
    expect(x.server.calls('POST /2/tweets')[0]?.json()).toEqual({ text: tweet?.text });
  });

  it('given an image with alt text, when published, then it goes up in initialize/append/finalize, gets its alt text, and is attached', async () => {
    const result = await connector.publish(account, request('Behind the scenes', { root: { text: 'Behind the scenes', media: [image()] } }));
    const tweet = x.tweets.get(result.root.platformPostId);
    expect(tweet?.mediaIds).toHaveLength(1);
    const uploaded = x.media.get(tweet?.mediaIds[0] ?? '');
    expect(uploaded).toMatchObject({ mediaType: 'image/png', category: 'tweet_image', state: 'succeeded', altText: 'A rocket on a launch pad at dawn' });
    expect(uploaded?.bytes?.equals(PNG_1X1)).toBe(true);
    expect(x.server.calls('POST /2/media/upload/initialize')[0]?.json()).toEqual({ media_type: 'image/png', total_bytes: PNG_1X1.length, media_category: 'tweet_image' });
    expect(x.server.calls('POST /2/media/metadata')[0]?.json()).toEqual({ id: uploaded?.id, metadata: { alt_text: { text: 'A rocket on a launch pad at dawn' } } });
  });

  it('given a 9 MB video, when published, then it is sent in 4 MB segments and X processing is polled to success first', async () => {
    const result = await connector.publish(account, request('Watch the demo', { root: { text: 'Watch the demo', media: [video()] } }));
    const appends = x.server.calls('POST /2/media/upload/:id/append');
    expect(appends).toHaveLength(3);
    expect(x.server.calls('GET /2/media/upload').map((r) => r.query.get('command'))).toEqual(['STATUS', 'STATUS']);
    const uploaded = x.media.get(x.tweets.get(result.root.platformPostId)?.mediaIds[0] ?? '');
    expect(uploaded).toMatchObject({ category: 'tweet_video', state: 'succeeded', totalBytes: 9 * 1024 * 1024 });
  });

  it('given a video X cannot process, when published, then a media error and no post', async () => {
    x.failNextProcessing();
    const err = await failure(connector.publish(account, request('Watch the demo', { root: { text: 'Watch the demo', media: [video()] } })));
    expect(err.category).toBe('media');
    expect(err.message).toContain('Unsupported video format');
    expect(x.tweets.size).toBe(0);
  });

  it('given a thread of three, when published, then each part replies to the one before in one conversation', async () => {
    const result = await connector.publish(account, request('1/ Why we built it', { thread: [{ text: '2/ What it does', media: [image()] }, { text: '3/ Try it today', media: [] }] }));
    const [root, second, third] = [result.root, ...result.thread].map((i) => x.tweets.get(i.platformPostId));
    expect(second?.repliedTo).toBe(root?.id);
    expect(third?.repliedTo).toBe(second?.id);
    expect(new Set([root?.conversationId, second?.conversationId, third?.conversationId])).toEqual(new Set([root?.id]));
    expect(second?.mediaIds).toHaveLength(1);
    expect(second?.text).toBe('2/ What it does');
  });

  it('given a reply target, when published, then the root replies to it', async () => {
    const theirs = x.seedTweet({ author: 'amara_writes', text: 'Any planner tips?', at: Date.now() - 1000 });
    const result = await connector.publish(account, request('Try batching your week.', { inReplyTo: theirs.id }));
    expect(x.tweets.get(result.root.platformPostId)?.repliedTo).toBe(theirs.id);
  });

  it('given a time to schedule or a first comment, then X refuses them as permanent without calling X', async () => {
    expect((await failure(connector.publish(account, request('Later', { scheduleAt: Date.now() + 3_600_000 })))).category).toBe('permanent');
    expect((await failure(connector.publish(account, request('Now', { firstComment: 'Link in here' })))).category).toBe('permanent');
    expect(x.server.requests).toHaveLength(0);
  });

  it('given text over 280 by X count, or CJK that weighs double, then validation before any call', async () => {
    const long = await failure(connector.publish(account, request('a'.repeat(270))));
    expect(long.category).toBe('validation');
    expect(long.message).toMatch(/284 characters by X's count; X allows 280/);
    expect((await failure(connector.publish(account, request('新'.repeat(135))))).category).toBe('validation');
    // A long link counts 23, so this fits.
    await connector.publish(account, request(`${'b'.repeat(230)} https://example.com/${'p'.repeat(80)}`));
    expect(x.server.calls('POST /2/tweets')).toHaveLength(1);
  });

  it('given five images, an image with a video, or a PDF, then a media error before any call', async () => {
    const five = await failure(connector.publish(account, request('Gallery', { root: { text: 'Gallery', media: [image(), image(), image(), image(), image()] } })));
    expect(five.category).toBe('media');
    expect(five.message).toContain('at most 4');
    expect((await failure(connector.publish(account, request('Mixed', { root: { text: 'Mixed', media: [image(), video()] } })))).category).toBe('media');
    const pdf: MediaInput = { kind: 'document', mimeType: 'application/pdf', path: pngPath, url: null, sizeBytes: 10, altText: null };
    expect((await failure(connector.publish(account, request('Deck', { root: { text: 'Deck', media: [pdf] } })))).category).toBe('media');
    expect(x.server.requests).toHaveLength(0);
  });

  it('given the same job published twice, then X refuses the duplicate as validation, not retryable', async () => {
    const req = request('Same words');
    await connector.publish(account, req);
    const err = await failure(connector.publish(account, req));
    expect(err.category).toBe('validation');
    expect(err.status).toBe(403);
    expect(err.retryable).toBe(false);
    expect(x.tweets.size).toBe(1);
  });

  it('given a published post, when deleted, then X no longer has it, and deleting again is permanent', async () => {
    const { root } = await connector.publish(account, request('Oops, typo'));
    await connector.delete(account, root.platformPostId);
    expect(x.tweets.has(root.platformPostId)).toBe(false);
    expect((await failure(connector.delete(account, root.platformPostId))).category).toBe('permanent');
  });
});

describe('X connector: reconcile', () => {
  it('given a post that went out, when looked up by its key or marker, then it is found; an unknown key is certainly not', async () => {
    const since = Date.now() - 5_000;
    const req = request('Went out before the crash');
    const { root } = await connector.publish(account, req);
    expect((await connector.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since }))?.platformPostId).toBe(root.platformPostId);
    expect((await connector.findPublished(account, { marker: publishMarker(req.idempotencyKey) }, { since }))?.platformPostId).toBe(root.platformPostId);
    expect(await connector.findPublished(account, { idempotencyKey: 'job-never-sent-000' }, { since })).toBeNull();
    const start = x.server.calls('GET /2/users/:id/tweets')[0]?.query.get('start_time') ?? '';
    expect(start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(start)).toBeLessThanOrEqual(since);
  });

  it('given many newer posts, when looked up, then it pages the timeline until it finds the post', async () => {
    const since = Date.now() - 5_000;
    const req = request('Needle');
    const { root } = await connector.publish(account, req);
    for (let i = 1; i <= 150; i++) x.seedTweet({ author: 'postdesk_test', text: `Daily tip #${i}`, at: Date.now() + i * 1000 });
    expect((await connector.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since }))?.platformPostId).toBe(root.platformPostId);
    expect(x.server.calls('GET /2/users/:id/tweets')).toHaveLength(2);
  });

  it('given a post older than the attempt, then it is not taken for this attempt', async () => {
    const req = request('Old one');
    await connector.publish(account, req);
    expect(await connector.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since: Date.now() + 60_000 })).toBeNull();
  });
});

describe('X connector: inbox', () => {
  it('given mentions, replies and DMs, when paged, then each timeline pages on its own and replies read as comments', async () => {
    const t0 = Date.now() - 3_600_000;
    const mine = x.seedTweet({ author: 'postdesk_test', text: 'Our launch post', at: t0 });
    for (let i = 0; i < 7; i++) x.seedTweet({ author: 'amara_writes', text: `@postdesk_test question ${i}`, at: t0 + (i + 1) * 60_000 });
    x.seedTweet({ author: 'devon_builds', text: '@postdesk_test congrats!', at: t0 + 30 * 60_000, inReplyTo: mine.id });
    x.seedTweet({ author: 'devon_builds', text: '@postdesk_test how much?', at: t0 + 31 * 60_000, inReplyTo: mine.id });
    for (let i = 0; i < 3; i++) x.seedDm({ from: 'devon_builds', text: `DM ${i}`, at: t0 + (40 + i) * 60_000 });
    const conv = x.dmEvents[0]?.conversationId ?? '';
    x.dmEvents.push({ id: '1860000000000999999', text: 'our own answer', senderId: x.me.id, conversationId: conv, createdAt: t0 + 45 * 60_000 });

    const first = await connector.fetchInbox(account, { kinds: ['mention', 'comment', 'dm'], cursor: null, since: null, limit: 5 });
    expect(first.items.filter((i) => i.kind === 'dm').map((i) => i.text)).toEqual(['DM 2', 'DM 1', 'DM 0']);
    const comments = first.items.filter((i) => i.kind === 'comment');
    expect(comments.map((c) => c.text)).toEqual(['@postdesk_test how much?', '@postdesk_test congrats!']);
    expect(comments[0]).toMatchObject({ parentId: mine.id, threadId: mine.id, authorHandle: 'devon_builds', authorName: 'Devon Reyes' });
    expect(first.items.filter((i) => i.kind === 'mention')).toHaveLength(3);
    expect(first.items.map((i) => i.createdAt)).toEqual([...first.items.map((i) => i.createdAt)].sort((a, b) => b - a));
    expect(first.nextCursor).not.toBeNull();

    const second = await connector.fetchInbox(account, { kinds: ['mention', 'comment', 'dm'], cursor: first.nextCursor, since: null, limit: 5 });
    expect(second.items.map((i: InboxItem) => i.text)).toEqual(['@postdesk_test question 3', '@postdesk_test question 2', '@postdesk_test question 1', '@postdesk_test question 0']);
    expect(second.nextCursor).toBeNull();
    expect(x.server.calls('GET /2/dm_events')).toHaveLength(1);
    expect(x.server.calls('GET /2/dm_events')[0]?.query.get('event_types')).toBe('MessageCreate');
    expect(x.server.calls('GET /2/users/:id/mentions')[1]?.query.get('pagination_token')).toBeTruthy();
  });

  it('given a since time, then mentions ask X from then and older DMs are left out', async () => {
    const t0 = Date.now() - 3_600_000;
    x.seedTweet({ author: 'amara_writes', text: '@postdesk_test old', at: t0 });
    x.seedTweet({ author: 'amara_writes', text: '@postdesk_test new', at: t0 + 50 * 60_000 });
    x.seedDm({ from: 'devon_builds', text: 'old DM', at: t0 });
    x.seedDm({ from: 'devon_builds', text: 'new DM', at: t0 + 50 * 60_000 });
    const page = await connector.fetchInbox(account, { kinds: ['mention', 'dm'], cursor: null, since: t0 + 10 * 60_000, limit: 20 });
    expect(page.items.map((i) => i.text)).toEqual(['@postdesk_test new', 'new DM']);
    expect(page.nextCursor).toBeNull();
    expect(x.server.calls('GET /2/users/:id/mentions')[0]?.query.get('start_time')).toBeTruthy();
  });

  it('given a cursor Postdesk did not make, then validation', async () => {
    expect((await failure(connector.fetchInbox(account, { kinds: ['dm'], cursor: 'not-a-cursor', since: null, limit: 5 }))).category).toBe('validation');
  });

  it('given a mention and a DM, when answered, then the mention gets a reply post and the DM a message in its conversation', async () => {
    x.seedTweet({ author: 'amara_writes', text: '@postdesk_test do you ship to Lagos?', at: Date.now() - 60_000 });
    x.seedDm({ from: 'devon_builds', text: 'Invoice question', at: Date.now() - 30_000 });
    const { items } = await connector.fetchInbox(account, { kinds: ['mention', 'dm'], cursor: null, since: null, limit: 10 });
    const mention = items.find((i) => i.kind === 'mention');
    const dm = items.find((i) => i.kind === 'dm');
    if (!mention || !dm) throw new Error('seeded items missing');

    const answer = await connector.reply(account, { to: mention, text: 'Yes, we do!', media: [], idempotencyKey: 'r-1' });
    expect(x.tweets.get(answer.platformPostId)).toMatchObject({ repliedTo: mention.platformMessageId, text: 'Yes, we do!' });

    const message = await connector.reply(account, { to: dm, text: 'Sent it to your email.', media: [], idempotencyKey: 'r-2' });
    expect(x.dmEvents.find((e) => e.id === message.platformPostId)).toMatchObject({ conversationId: dm.threadId, senderId: x.me.id, text: 'Sent it to your email.' });

    const withImage = await connector.reply(account, { to: dm, text: 'Here is the receipt.', media: [image('Receipt for order 1042')], idempotencyKey: 'r-3' });
    expect(x.dmEvents.find((e) => e.id === withImage.platformPostId)?.conversationId).toBe(dm.threadId);
    expect([...x.media.values()].at(-1)).toMatchObject({ category: 'dm_image', state: 'succeeded', altText: 'Receipt for order 1042' });

    expect((await failure(connector.reply(account, { to: dm, text: 'x'.repeat(10_001), media: [], idempotencyKey: 'r-4' }))).category).toBe('validation');
    expect((await failure(connector.reply(account, { to: dm, text: 'Two files', media: [image(), image()], idempotencyKey: 'r-5' }))).category).toBe('media');
  });
});

describe('X connector: metrics', () => {
  it('given posts with public metrics, then each count maps to its name and a deleted post is left out', async () => {
    const { root } = await connector.publish(account, request('Metrics please'));
    x.setMetrics(root.platformPostId, { impression_count: 1520, like_count: 48, retweet_count: 6, reply_count: 9, quote_count: 2, bookmark_count: 11 });
    const metrics = await connector.fetchMetrics(account, [root.platformPostId, '1860000000000888888']);
    expect(metrics).toHaveLength(1);
    expect(metrics[0]?.values).toEqual({ impressions: 1520, likes: 48, reposts: 6, replies: 9, quotes: 2, bookmarks: 11 });
    expect(x.server.calls('GET /2/tweets')[0]?.query.get('tweet.fields')).toBe('public_metrics');
  });
});

describe('X connector: failures', () => {
  const hooks = (saved: AccountCredentials[]) => ({ client: { clientId: x.publicClient.clientId }, onRefreshed: (c: AccountCredentials) => void saved.push(c) });

  it('given an expired access token, when publishing through the session, then it refreshes once, keeps the rotated refresh token and retries once', async () => {
    x.expireAccessToken(account.credentials.accessToken);
    const saved: AccountCredentials[] = [];
    const result = await withFreshCredentials(connector, account, hooks(saved), (a) => connector.publish(a, request('After refresh')));
    expect(x.tweets.has(result.root.platformPostId)).toBe(true);
    expect(saved).toHaveLength(1);
    expect(saved[0]?.refreshToken).toBeTruthy();
    expect(saved[0]?.refreshToken).not.toBe(account.credentials.refreshToken);
    expect(x.isRefreshTokenActive(account.credentials.refreshToken ?? '')).toBe(false);
    expect(x.isRefreshTokenActive(saved[0]?.refreshToken ?? '')).toBe(true);
    expect(x.server.calls('POST /2/tweets').map((r) => r.bearer())).toEqual([account.credentials.accessToken, saved[0]?.accessToken]);
    expect(x.server.calls('POST /2/oauth2/token')[0]?.form().get('grant_type')).toBe('refresh_token');
  });

  it('given a revoked refresh token, when the access token has expired, then the call ends as an auth error after one refresh attempt', async () => {
    x.expireAccessToken(account.credentials.accessToken);
    x.revokeRefreshToken(account.credentials.refreshToken ?? '');
    const saved: AccountCredentials[] = [];
    const err = await failure(withFreshCredentials(connector, account, hooks(saved), (a) => connector.publish(a, request('Never'))));
    expect(isAuthFailure(err)).toBe(true);
    expect(err.message).toMatch(/Reconnect the X account/);
    expect(saved).toHaveLength(0);
    expect(x.server.calls('POST /2/oauth2/token')).toHaveLength(1);
    expect(x.tweets.size).toBe(0);
  });

  it('given a 429 with x-rate-limit-reset, then rate_limit waiting until the reset', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 600;
    x.server.failNext('POST /2/tweets', {
      status: 429,
      headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) },
      json: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
    });
    const err = await failure(connector.publish(account, request('Busy')));
    expect(err.category).toBe('rate_limit');
    expect(err.retryable).toBe(true);
    expect(err.effect).toBe('none');
    expect(err.retryAfterMs).toBeGreaterThan(590_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(601_000);
  });

  it('given normal answers, then they carry X rate-limit headers', async () => {
    const res = await fetch(`${x.baseUrl}/2/users/me`, { headers: { authorization: `Bearer ${account.credentials.accessToken}` } });
    expect(res.headers.get('x-rate-limit-limit')).toBe('75');
    expect(res.headers.get('x-rate-limit-remaining')).toBe('74');
    expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('given a 503 on creating a post, then transient with unknown effect; on a read, transient with none', async () => {
    const body = { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 };
    x.server.failNext('POST /2/tweets', { status: 503, json: body });
    const post = await failure(connector.publish(account, request('Maybe')));
    expect(post).toMatchObject({ category: 'transient', effect: 'unknown' });
    x.server.failNext('GET /2/tweets', { status: 500, json: { ...body, status: 500 } });
    expect(await failure(connector.fetchMetrics(account, ['1']))).toMatchObject({ category: 'transient', effect: 'none' });
  });

  it('given malformed JSON on a 201, then transient with unknown effect', async () => {
    x.server.failNext('POST /2/tweets', { malformed: true, status: 201 });
    expect(await failure(connector.publish(account, request('Garbled')))).toMatchObject({ category: 'transient', effect: 'unknown' });
  });

  it('given an upload cut halfway, then a transient error with no post created, and the next publish succeeds', async () => {
    x.server.failNext('POST /2/media/upload/:id/append', { cut: true });
    const req = request('With photo', { root: { text: 'With photo', media: [image()] } });
    const err = await failure(connector.publish(account, req));
    expect(err).toMatchObject({ category: 'transient', effect: 'none' });
    expect(x.tweets.size).toBe(0);
    expect(x.server.calls('POST /2/tweets')).toHaveLength(0);
    const { root } = await connector.publish(account, req);
    expect(x.tweets.get(root.platformPostId)?.mediaIds).toHaveLength(1);
  });

  it('given a failure after the first post of a thread, then the error says so and its effect is unknown', async () => {
    x.server.failNext('POST /2/tweets', { status: 201, json: { data: { id: '1', text: 'placeholder' } } });
    x.server.failNext('POST /2/tweets', { status: 400, json: { errors: [{ message: 'bad' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' } });
    const err = await failure(connector.publish(account, request('1/', { thread: [{ text: '2/', media: [] }] })));
    expect(err).toMatchObject({ category: 'validation', effect: 'unknown' });
    expect(err.message).toMatch(/first 1 of 2 posts/);
  });

  it('given every kind of failure, then no access or refresh token appears in any error message', async () => {
    const secrets = [account.credentials.accessToken, account.credentials.refreshToken ?? ''];
    const errors: unknown[] = [];
    const collect = async (p: Promise<unknown>): Promise<void> => {
      try {
        await p;
      } catch (err) {
        errors.push(err);
      }
    };
    x.server.failNext('POST /2/tweets', { status: 503, json: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 } });
    await collect(connector.publish(account, request('a')));
    x.server.failNext('POST /2/tweets', { malformed: true, status: 201 });
    await collect(connector.publish(account, request('b')));
    x.server.failNext('POST /2/media/upload/:id/append', { cut: true });
    await collect(connector.publish(account, request('c', { root: { text: 'c', media: [image()] } })));
    x.expireAccessToken(account.credentials.accessToken);
    await collect(connector.fetchMetrics(account, ['1']));
    x.revokeRefreshToken(account.credentials.refreshToken ?? '');
    await collect(connector.refresh(account, { clientId: x.publicClient.clientId }));
    await collect(connector.revoke?.({ ...account, baseUrl: 'http://127.0.0.1:9' }) ?? Promise.resolve());
    await collect(connector.fetchInbox({ ...account, baseUrl: 'http://127.0.0.1:9' }, { kinds: ['dm'], cursor: null, since: null, limit: 5 }));
    expect(errors.length).toBeGreaterThanOrEqual(6);
    for (const err of errors) {
      const texts: string[] = [];
      for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) texts.push(e.message, e.stack ?? '');
      for (const secret of secrets) for (const text of texts) expect(text).not.toContain(secret);
    }
  });
});
