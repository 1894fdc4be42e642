// The Facebook Pages connector against a local server that plays Meta's Graph API contract
// (test/contract/meta.ts): Facebook Login with PKCE, Page tokens, publishing, scheduling,
// reconcile, inbox, replies, metrics, and the failure paths the scheduler depends on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccountCredentials, ConnectorAccount, MediaInput, PublishRequest } from '../../electron/platforms/connector';
import { publishMarker } from '../../electron/platforms/connector';
import { PlatformError } from '../../electron/platforms/errors';
import { createFacebookConnector, listPages } from '../../electron/platforms/facebook';
import { createCodeVerifier, createState } from '../../electron/platforms/pkce';
import { withFreshCredentials } from '../../electron/platforms/session';
import { META_ROUTES, startMetaContract, throttled, type MetaContract } from '../contract/meta';

const PAGE = '1001';
const REDIRECT = 'http://127.0.0.1:53682/callback';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7), Buffer.from([0xff, 0xd9])]);

let meta: MetaContract;
let dir: string;
let imagePath: string;
const fb = createFacebookConnector();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'postdesk-fb-'));
  imagePath = join(dir, 'croissants.jpg');
  writeFileSync(imagePath, JPEG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  meta = await startMetaContract();
});
afterEach(async () => {
  await meta.close();
});

function connectedAccount(): ConnectorAccount {
  const { userToken, pageToken } = meta.login();
  return { platformAccountId: PAGE, baseUrl: meta.baseUrl, credentials: { accessToken: pageToken(PAGE), refreshToken: userToken, expiresAt: null, scopes: [] } };
}

function request(over: Partial<PublishRequest> & { text?: string; media?: MediaInput[] } = {}): PublishRequest {
  const { text, media, ...rest } = over;
  return {
    root: { text: text ?? 'Fresh sourdough out at 7am tomorrow. https://juniper.example/menu', media: media ?? [] },
    thread: [],
    firstComment: null,
    scheduleAt: null,
    idempotencyKey: `job-${Math.random().toString(36).slice(2, 12)}`,
    inReplyTo: null,
    language: null,
    ...rest,
  };
}

function image(over: Partial<MediaInput> = {}): MediaInput {
  return { kind: 'image', mimeType: 'image/jpeg', path: imagePath, url: null, sizeBytes: JPEG.length, altText: 'Three croissants on a marble counter', ...over };
}

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PlatformError) return err;
    throw err;
  }
  throw new Error('expected a PlatformError, but the call succeeded');
}

async function authorizeInBrowser(url: string): Promise<{ code: string; state: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  return { code: location.searchParams.get('code') ?? '', state: location.searchParams.get('state') ?? '' };
}

describe('Facebook connector: Facebook Login', () => {
  it('given the dialog redirects with a code, when completing with the PKCE verifier and app secret, then the first Page is connected with a non-expiring Page token', async () => {
    const verifier = createCodeVerifier();
    const state = createState();
    const start = fb.beginAuth?.({ baseUrl: meta.baseUrl, clientId: meta.state.app.id, redirectUri: REDIRECT, state, codeVerifier: verifier });
    if (!start) throw new Error('beginAuth missing');
    const url = new URL(start.url);
    expect(url.pathname).toBe('/v25.0/dialog/oauth');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toContain('pages_manage_posts');

    const cb = await authorizeInBrowser(start.url);
    expect(cb.state).toBe(state);
    const result = await fb.completeAuth({ baseUrl: meta.baseUrl, clientId: meta.state.app.id, clientSecret: meta.state.app.secret, callback: { code: cb.code, state, codeVerifier: verifier, redirectUri: REDIRECT } });

    expect(result.profile).toMatchObject({ platformAccountId: PAGE, username: 'juniperbakery', displayName: 'Juniper Bakery', profileUrl: 'https://www.facebook.com/juniperbakery' });
    expect(result.credentials.expiresAt).toBeNull();
    // The code went in with its verifier, then the user token was extended before Pages were read.
    const [codeCall, exchangeCall] = meta.server.calls(META_ROUTES.token);
    expect(codeCall?.query.get('code_verifier')).toBe(verifier);
    expect(exchangeCall?.query.get('grant_type')).toBe('fb_exchange_token');
    const held = meta.state.tokens.get(result.credentials.refreshToken ?? '');
    expect(held).toMatchObject({ kind: 'user', longLived: true });
    expect(meta.state.tokens.get(result.credentials.accessToken)).toMatchObject({ kind: 'page', pageId: PAGE, expiresAt: null });

    // Every Page of the login, each ready to store, for the core to offer a choice.
    const choices = await listPages({ baseUrl: meta.baseUrl, credentials: result.credentials });
    expect(choices.map((c) => c.profile.platformAccountId)).toEqual(['1001', '1002']);
    expect(choices[1]?.tasks).toContain('CREATE_CONTENT');
    expect(choices[1]?.credentials.refreshToken).toBe(result.credentials.refreshToken);
  });

  it('given a verifier that does not match the challenge, when completing, then Meta refuses the code and nothing is connected', async () => {
    const start = fb.beginAuth?.({ baseUrl: meta.baseUrl, clientId: meta.state.app.id, redirectUri: REDIRECT, state: 's', codeVerifier: createCodeVerifier() });
    const cb = await authorizeInBrowser(start?.url ?? '');
    const err = await failure(fb.completeAuth({ baseUrl: meta.baseUrl, clientId: meta.state.app.id, callback: { code: cb.code, state: 's', codeVerifier: createCodeVerifier(), redirectUri: REDIRECT } }));
    expect(err.category).toBe('validation');
    expect(err.message).toContain('Invalid code verifier');
    expect(meta.server.calls(META_ROUTES.accounts)).toHaveLength(0);
  });
});

describe('Facebook connector: publishing', () => {
  it('given text with a link, when publishing, then one feed post carries the text, the link card and the reconcile marker', async () => {
    const account = connectedAccount();
    const req = request();
    const result = await fb.publish(account, req);

    const post = meta.state.posts.get(result.root.platformPostId);
    expect(post?.message).toBe(`Fresh sourdough out at 7am tomorrow. https://juniper.example/menu\n\n${publishMarker(req.idempotencyKey)}`);
    expect(post?.link).toBe('https://juniper.example/menu');
    expect(result).toMatchObject({ scheduledOnPlatform: false, thread: [], firstComment: null });
    expect(result.root.url).toBe(`https://www.facebook.com/${result.root.platformPostId}`);
    expect(meta.server.calls(META_ROUTES.postFeed)[0]?.bearer()).toBe(account.credentials.accessToken);
  });

  it('given a local image with alt text, when publishing, then its bytes go up as multipart source with alt_text_custom and the feed story id is returned', async () => {
    const result = await fb.publish(connectedAccount(), request({ text: 'Croissant Friday', media: [image()] }));
    const upload = meta.server.calls(META_ROUTES.photos)[0];
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data/);
    const photo = [...meta.state.photos.values()][0];
    expect(photo).toMatchObject({ altTextCustom: 'Three croissants on a marble counter', bytes: JPEG.length, postId: result.root.platformPostId });
    // multipart/form-data carries line breaks as CRLF (HTML's form encoding).
    expect(photo?.caption).toMatch(/^Croissant Friday\r?\n\r?\npd/);
  });

  it('given two images (one by URL) and a first comment, when publishing, then both attach to one post and the comment sits under it', async () => {
    const hosted = meta.host('loaf.jpg', 'image/jpeg', JPEG);
    const result = await fb.publish(connectedAccount(), request({ text: 'Two loaves', media: [image(), image({ path: null, url: hosted, altText: 'A rye loaf' })], firstComment: 'Order at juniper.example' }));

    const post = meta.state.posts.get(result.root.platformPostId);
    expect(post?.photoIds).toHaveLength(2);
    const photos = post?.photoIds.map((id) => meta.state.photos.get(id));
    expect(photos?.map((p) => p?.altTextCustom)).toEqual(['Three croissants on a marble counter', 'A rye loaf']);
    expect(photos?.[1]?.fromUrl).toBe(hosted);
    expect(result.firstComment).not.toBeNull();
    expect(meta.state.comments.get(result.firstComment?.platformPostId ?? '')).toMatchObject({ objectId: result.root.platformPostId, message: 'Order at juniper.example' });
  });

  it('given a time inside the window, when publishing, then Facebook holds it (published=false, scheduled_publish_time) and reconcile finds it among scheduled posts', async () => {
    const account = connectedAccount();
    const at = Date.now() + 2 * 3_600_000;
    const req = request({ scheduleAt: at });
    const result = await fb.publish(account, req);

    expect(result.scheduledOnPlatform).toBe(true);
    expect(result.publishedAt).toBeNull();
    const form = meta.server.calls(META_ROUTES.postFeed)[0]?.form();
    expect(form?.get('published')).toBe('false');
    expect(form?.get('scheduled_publish_time')).toBe(String(Math.floor(at / 1000)));
    expect(meta.state.posts.get(result.root.platformPostId)?.scheduledAt).toBe(Math.floor(at / 1000) * 1000);

    const found = await fb.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since: Date.now() - 60_000 });
    expect(found?.platformPostId).toBe(result.root.platformPostId);
  });

  it('given a time outside the window, a thread, or an over-long text, when publishing, then it is refused with a reason before any request', async () => {
    const account = connectedAccount();
    const tooSoon = await failure(fb.publish(account, request({ scheduleAt: Date.now() + 60_000 })));
    expect(tooSoon).toMatchObject({ category: 'validation', effect: 'none' });
    expect(tooSoon.message).toContain('10 minutes');
    const thread = await failure(fb.publish(account, { ...request(), thread: [{ text: 'more', media: [] }] }));
    expect(thread.category).toBe('validation');
    const long = await failure(fb.publish(account, request({ text: 'x'.repeat(63_206) })));
    expect(long.message).toMatch(/Shorten it by \d+/);
    const video = await failure(fb.publish(account, request({ media: [image({ kind: 'video', mimeType: 'video/mp4' })] })));
    expect(video.category).toBe('media');
    expect(meta.server.requests).toHaveLength(0);
  });

  it('given a published post, when deleting it, then Facebook removes it and reconcile no longer finds it', async () => {
    const account = connectedAccount();
    const req = request();
    const result = await fb.publish(account, req);
    await fb.delete(account, result.root.platformPostId);
    expect(meta.state.posts.get(result.root.platformPostId)?.deleted).toBe(true);
    expect(await fb.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since: Date.now() - 60_000 })).toBeNull();
  });

  it('given thirty posts on the Page, when reconciling an early one, then the feed is paged by time until its marker is found, and an unknown marker is certainly not found', async () => {
    const account = connectedAccount();
    const since = Date.now() - 60_000;
    const early = request({ text: 'The first of many' });
    const first = await fb.publish(account, early);
    for (let i = 0; i < 29; i++) await fb.publish(account, request({ text: `Post number ${i}` }));

    const found = await fb.findPublished(account, { marker: publishMarker(early.idempotencyKey) }, { since });
    expect(found?.platformPostId).toBe(first.root.platformPostId);
    const pages = meta.server.calls(META_ROUTES.feed);
    expect(pages.length).toBe(2);
    expect(pages[1]?.query.get('__paging_token')).not.toBeNull();
    expect(pages[1]?.query.get('until')).not.toBeNull();
    expect(await fb.findPublished(account, { marker: 'pdnothere00' }, { since })).toBeNull();
  });
});

describe('Facebook connector: inbox and replies', () => {
  it('given Messenger messages, comments and a tag, when paging the inbox one item at a time, then every item arrives once, in source order, with the DM reply deadline', async () => {
    const account = connectedAccount();
    // Graph writes times to the second.
    const now = Math.floor(Date.now() / 1000) * 1000;
    const post = await fb.publish(account, request({ text: 'Ask us anything' }));
    meta.addComment(post.root.platformPostId, { message: 'Do you do gluten free?', from: { id: '9001', name: 'Ines Park' }, at: now - 5_000 });
    meta.addComment(post.root.platformPostId, { message: 'Open Sunday?', from: { id: '9002', name: 'Tom Reyes' }, at: now - 4_000 });
    const conv = meta.addConversation(PAGE, 'messenger', { id: '7001', name: 'Ada Stone' }, [
      { fromPerson: true, text: 'Hi! Cake for Saturday?', at: now - 3 * 3_600_000 },
      { fromPerson: false, text: 'Sure, what size?', at: now - 2 * 3_600_000 },
      { fromPerson: true, text: 'Eight people', at: now - 3_600_000 },
    ]);
    meta.addConversation(PAGE, 'messenger', { id: '7002', name: 'Bo Lee' }, [{ fromPerson: true, text: 'Still open?', at: now - 600_000 }]);
    meta.addTagged(PAGE, { text: 'Best croissant in town at @Juniper Bakery', from: { id: '9100', name: 'Local Eats' }, at: now - 10_000 });

    const seen = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await fb.fetchInbox(account, { kinds: ['dm', 'comment', 'mention'], cursor, since: null, limit: 1 });
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect(seen.map((x) => `${x.kind}:${x.text}`)).toEqual([
      'dm:Still open?',
      'dm:Eight people',
      'dm:Hi! Cake for Saturday?',
      'comment:Open Sunday?',
      'comment:Do you do gluten free?',
      'mention:Best croissant in town at @Juniper Bakery',
    ]);
    const adaLatest = seen.find((x) => x.text === 'Hi! Cake for Saturday?');
    expect(adaLatest).toMatchObject({ threadId: conv.id, authorId: '7001', authorName: 'Ada Stone', replyDeadline: now - 3_600_000 + 86_400_000 });
    expect(seen.find((x) => x.kind === 'comment')).toMatchObject({ threadId: post.root.platformPostId, authorName: 'Tom Reyes', replyDeadline: null });
    // Graph paging went through its cursors: Ada's older messages came from the conversation's own edge.
    expect(meta.server.calls(META_ROUTES.conversations)[1]?.query.get('after')).not.toBeNull();
    expect(meta.server.calls(META_ROUTES.conversationMessages).length).toBeGreaterThan(0);
    const more = meta.server.calls(META_ROUTES.comments)[0];
    expect(more?.path).toBe(`/v25.0/${post.root.platformPostId}/comments`);
    expect(more?.query.get('order')).toBe('reverse_chronological');
  });

  it('given `since`, when reading the inbox, then older conversations and comments are left out', async () => {
    const account = connectedAccount();
    const now = Date.now();
    meta.addConversation(PAGE, 'messenger', { id: '7001', name: 'Old Friend' }, [{ fromPerson: true, text: 'last week', at: now - 7 * 86_400_000 }]);
    meta.addConversation(PAGE, 'messenger', { id: '7002', name: 'New Friend' }, [{ fromPerson: true, text: 'today', at: now - 60_000 }]);
    const first = await fb.fetchInbox(account, { kinds: ['dm'], cursor: null, since: now - 86_400_000, limit: 25 });
    expect(first.items.map((x) => x.text)).toEqual(['today']);
    // The next conversation is only known to be too old once read: an empty last page, then the end.
    const second = await fb.fetchInbox(account, { kinds: ['dm'], cursor: first.nextCursor, since: now - 86_400_000, limit: 25 });
    expect(second).toEqual({ items: [], nextCursor: null });
  });

  it('given an open window, when replying to a DM, then the Send API gets the person as recipient with messaging_type RESPONSE', async () => {
    const account = connectedAccount();
    meta.addConversation(PAGE, 'messenger', { id: '7001', name: 'Ada Stone' }, [{ fromPerson: true, text: 'Cake?', at: Date.now() - 3_600_000 }]);
    const [dm] = (await fb.fetchInbox(account, { kinds: ['dm'], cursor: null, since: null, limit: 10 })).items;
    if (!dm) throw new Error('no dm');
    const sent = await fb.reply(account, { to: dm, text: 'Yes! Eight people is our medium.', media: [], idempotencyKey: 'r1' });
    expect(meta.state.sent[0]).toMatchObject({ id: sent.platformPostId, recipient: { id: '7001' }, messagingType: 'RESPONSE', text: 'Yes! Eight people is our medium.' });
  });

  it('given a closed 24 h window, when replying to a DM, then it is refused before any request', async () => {
    const account = connectedAccount();
    const before = meta.server.requests.length;
    const err = await failure(fb.reply(account, { to: { kind: 'dm', platformMessageId: 'm_1', threadId: 't_1', replyDeadline: Date.now() - 1 }, text: 'Sorry for the delay', media: [], idempotencyKey: 'r2' }));
    expect(err).toMatchObject({ category: 'validation', effect: 'none' });
    expect(err.message).toContain('24 hours');
    expect(meta.server.requests.length).toBe(before);
  });

  it('given a comment, when replying publicly and privately, then a comment goes under it and one private message to its author', async () => {
    const account = connectedAccount();
    const post = await fb.publish(account, request({ text: 'New menu' }));
    const comment = meta.addComment(post.root.platformPostId, { message: 'Price of the rye?', from: { id: '9001', name: 'Ines Park' }, at: Date.now() - 60_000 });
    const pub = await fb.reply(account, { to: { kind: 'comment', platformMessageId: comment.id, threadId: post.root.platformPostId, replyDeadline: null }, text: '6 euros!', media: [], idempotencyKey: 'r3' });
    expect(meta.state.comments.get(pub.platformPostId)).toMatchObject({ objectId: comment.id, message: '6 euros!' });

    await fb.privateReply(account, { commentId: comment.id, commentCreatedAt: comment.createdAt, text: 'We can hold one for you.' });
    expect(meta.state.sent.at(-1)).toMatchObject({ recipient: { comment_id: comment.id } });
    const late = await failure(fb.privateReply(account, { commentId: comment.id, commentCreatedAt: Date.now() - 8 * 86_400_000, text: 'late' }));
    expect(late.category).toBe('validation');
  });
});

describe('Facebook connector: metrics', () => {
  it('given a post, when fetching metrics, then counts and the insight metrics Meta serves are reported', async () => {
    const account = connectedAccount();
    const post = await fb.publish(account, request({ text: 'Metrics please' }));
    const p = meta.state.posts.get(post.root.platformPostId);
    if (p) Object.assign(p, { reactions: 12, shares: 3 });
    meta.addComment(post.root.platformPostId, { message: 'yum', from: { id: '9001', name: 'Ines' }, at: Date.now() });
    const [m] = await fb.fetchMetrics(account, [post.root.platformPostId]);
    expect(m?.values).toMatchObject({ likes: 12, reposts: 3, replies: 1 });
    expect(typeof m?.values.impressions).toBe('number');
    expect(typeof m?.values.reach).toBe('number');
    expect(typeof m?.values.clicks).toBe('number');
  });

  it('given Meta has retired an insight metric, when fetching metrics, then the counts still come back and nothing is invented', async () => {
    const account = connectedAccount();
    const post = await fb.publish(account, request({ text: 'Retired metrics' }));
    meta.state.fbMetrics.delete('post_clicks');
    const [m] = await fb.fetchMetrics(account, [post.root.platformPostId]);
    expect(m?.values).toEqual({ likes: 0, replies: 0 });
  });
});

describe('Facebook connector: failures', () => {
  it("given an expired Page token (Graph's 190/463), when publishing through withFreshCredentials, then the Page token is read again with the extended user token and the post goes out once", async () => {
    const account = connectedAccount();
    meta.expire(account.credentials.accessToken);
    let saved: AccountCredentials | null = null;
    const result = await withFreshCredentials(fb, account, { client: { clientId: meta.state.app.id, clientSecret: meta.state.app.secret }, onRefreshed: (c) => void (saved = c) }, (acc) =>
      fb.publish(acc, request({ text: 'After refresh' })),
    );
    expect(saved).not.toBeNull();
    const fresh = saved as unknown as AccountCredentials;
    expect(fresh.accessToken).not.toBe(account.credentials.accessToken);
    expect(fresh.refreshToken).not.toBe(account.credentials.refreshToken);
    expect(meta.server.calls(META_ROUTES.postFeed)).toHaveLength(2);
    expect([...meta.state.posts.values()].filter((p) => p.message.startsWith('After refresh'))).toHaveLength(1);
    expect(result.root.platformPostId).toMatch(/^1001_/);
  });

  it('given the user changed their password, when the refresh runs, then it ends as an auth error asking to reconnect', async () => {
    const account = connectedAccount();
    meta.passwordChanged();
    const err = await failure(withFreshCredentials(fb, account, { client: { clientId: meta.state.app.id, clientSecret: meta.state.app.secret }, onRefreshed: () => undefined }, (acc) => fb.publish(acc, request())));
    expect(err.category).toBe('auth');
    expect(err.code).toBe('190/460');
    const noSecret = await failure(fb.refresh(account));
    expect(noSecret.category).toBe('auth');
  });

  it("given Meta throttles the Page (code 32, BUC usage header, no Retry-After), when publishing, then rate_limit waits Meta's estimate", async () => {
    const account = connectedAccount();
    meta.server.failNext(META_ROUTES.postFeed, throttled({ code: 32, minutes: 7 }));
    const err = await failure(fb.publish(account, request()));
    expect(err).toMatchObject({ category: 'rate_limit', code: '32', retryAfterMs: 7 * 60_000, effect: 'none' });
  });

  it('given a 429 with Retry-After, when publishing, then rate_limit waits that long', async () => {
    const account = connectedAccount();
    meta.server.failNext(META_ROUTES.postFeed, { status: 429, headers: { 'retry-after': '7' }, json: { error: { message: 'Too many calls', type: 'OAuthException', code: 4 } } });
    const err = await failure(fb.publish(account, request()));
    expect(err).toMatchObject({ category: 'rate_limit', retryAfterMs: 7_000 });
  });

  it('given a 500 on the feed POST, when publishing, then transient with an unknown effect (reconcile before retrying)', async () => {
    const account = connectedAccount();
    meta.server.failNext(META_ROUTES.postFeed, { status: 500, json: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, is_transient: true } } });
    const err = await failure(fb.publish(account, request()));
    expect(err).toMatchObject({ category: 'transient', effect: 'unknown', status: 500 });
  });

  it('given malformed JSON on a 200, when publishing, then transient (the post may exist)', async () => {
    const account = connectedAccount();
    meta.server.failNext(META_ROUTES.postFeed, { malformed: true });
    const err = await failure(fb.publish(account, request()));
    expect(err).toMatchObject({ category: 'transient', effect: 'unknown' });
  });

  it('given the photo upload is cut halfway, when publishing, then transient, no post exists, and the next attempt publishes', async () => {
    const account = connectedAccount();
    meta.server.failNext(META_ROUTES.photos, { cut: true });
    const err = await failure(fb.publish(account, request({ text: 'Cut upload', media: [image()] })));
    expect(err.category).toBe('transient');
    expect(meta.state.posts.size).toBe(0);
    const again = await fb.publish(account, request({ text: 'Cut upload', media: [image()] }));
    expect(meta.state.posts.get(again.root.platformPostId)?.photoIds).toHaveLength(1);
  });

  it('given a failed first comment, when publishing, then the error says the post is live and leaves the effect unknown', async () => {
    const account = connectedAccount();
    meta.server.failNext(META_ROUTES.postComment, { status: 400, json: { error: { message: '(#368) The action attempted has been deemed abusive or is otherwise disallowed', type: 'OAuthException', code: 368 } } });
    const err = await failure(fb.publish(account, request({ firstComment: 'link in bio' })));
    expect(err).toMatchObject({ category: 'permanent', effect: 'unknown' });
    expect(err.message).toContain('is live on Facebook');
  });

  it('given failures that involve tokens and secrets, when they are thrown, then no message contains a token or the app secret', async () => {
    const account = connectedAccount();
    const secrets = [account.credentials.accessToken, account.credentials.refreshToken ?? '', meta.state.app.secret];
    const errors: PlatformError[] = [];
    // Graph echoes a malformed token back in its message.
    const junk = `not-a-token-${'z'.repeat(30)}`;
    errors.push(await failure(fb.publish({ ...account, credentials: { ...account.credentials, accessToken: junk } }, request())));
    expect(errors[0]?.message).not.toContain(junk);
    meta.expire(account.credentials.accessToken);
    errors.push(await failure(fb.publish(account, request())));
    meta.passwordChanged();
    errors.push(await failure(fb.refresh(account, { clientId: meta.state.app.id, clientSecret: meta.state.app.secret })));
    errors.push(await failure(fb.completeAuth({ baseUrl: meta.baseUrl, clientId: meta.state.app.id, clientSecret: 'wrong-secret-1234567890', callback: { code: 'AQbogus', state: 's', codeVerifier: createCodeVerifier(), redirectUri: REDIRECT } })));
    for (const e of errors) {
      for (const s of [...secrets, junk, 'wrong-secret-1234567890']) expect(e.message).not.toContain(s);
    }
    // A wrong app secret (code 1, subcode 404) is never fixed by retrying: the user must correct it.
    expect(errors.map((e) => e.category)).toEqual(['auth', 'auth', 'auth', 'auth']);
  });
});
