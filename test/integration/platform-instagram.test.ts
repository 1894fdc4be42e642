// The Instagram connector (professional accounts through Facebook Login) against the local Graph
// contract server (test/contract/meta.ts): the container -> status -> media_publish flow with
// public media URLs, the daily quota, reconcile, inbox through the linked Page, replies, metrics,
// and the failure paths the scheduler depends on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountCredentials, ConnectorAccount, MediaInput, PublishRequest } from '../../electron/platforms/connector';
import { publishMarker } from '../../electron/platforms/connector';
import { PlatformError } from '../../electron/platforms/errors';
import { createInstagramConnector, listInstagramAccounts } from '../../electron/platforms/instagram';
import { createCodeVerifier, createState } from '../../electron/platforms/pkce';
import { withFreshCredentials } from '../../electron/platforms/session';
import { META_ROUTES, startMetaContract, throttled, type MetaContract } from '../contract/meta';

const IG = '17841400000000001';
const PAGE = '1001';
const REDIRECT = 'http://127.0.0.1:53682/callback';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4096, 3), Buffer.from([0xff, 0xd9])]);
const MP4 = Buffer.concat([Buffer.from('0000001866747970', 'hex'), Buffer.from('mp42'), Buffer.alloc(8192, 1)]);

let meta: MetaContract;
let sleeps: number[];
let ig: ReturnType<typeof createInstagramConnector>;

beforeEach(async () => {
  meta = await startMetaContract();
  sleeps = [];
  ig = createInstagramConnector({ pollIntervalMs: 1_500, sleep: async (ms) => void sleeps.push(ms) });
});
afterEach(async () => {
  await meta.close();
});

function connectedAccount(): ConnectorAccount {
  const { userToken, pageToken } = meta.login();
  return { platformAccountId: IG, baseUrl: meta.baseUrl, credentials: { accessToken: pageToken(PAGE), refreshToken: userToken, expiresAt: null, scopes: [] } };
}

function jpeg(name: string, over: Partial<MediaInput> = {}): MediaInput {
  return { kind: 'image', mimeType: 'image/jpeg', path: null, url: meta.host(name, 'image/jpeg', JPEG), sizeBytes: JPEG.length, altText: `Photo ${name}`, ...over };
}

function mp4(name: string): MediaInput {
  return { kind: 'video', mimeType: 'video/mp4', path: null, url: meta.host(name, 'video/mp4', MP4), sizeBytes: MP4.length, altText: null };
}

function request(over: Partial<PublishRequest> & { text?: string; media?: MediaInput[] } = {}): PublishRequest {
  const { text, media, ...rest } = over;
  return {
    root: { text: text ?? 'Morning bake 🥐 #sourdough', media: media ?? [jpeg('bake.jpg')] },
    thread: [],
    firstComment: null,
    scheduleAt: null,
    idempotencyKey: `job-${Math.random().toString(36).slice(2, 12)}`,
    inReplyTo: null,
    language: null,
    ...rest,
  };
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

describe('Instagram connector: Facebook Login', () => {
  it('given a login whose Page links an Instagram account, when completing with PKCE, then that Instagram account is connected acting with the Page token', async () => {
    const verifier = createCodeVerifier();
    const state = createState();
    const start = ig.beginAuth?.({ baseUrl: meta.baseUrl, clientId: meta.state.app.id, redirectUri: REDIRECT, state, codeVerifier: verifier });
    expect(new URL(start?.url ?? '').searchParams.get('scope')).toContain('instagram_content_publish');
    const res = await fetch(start?.url ?? '', { redirect: 'manual' });
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';

    const result = await ig.completeAuth({ baseUrl: meta.baseUrl, clientId: meta.state.app.id, clientSecret: meta.state.app.secret, callback: { code, state, codeVerifier: verifier, redirectUri: REDIRECT } });
    expect(result.profile).toMatchObject({ platformAccountId: IG, username: 'juniper.bakes', displayName: 'Juniper Bakery', profileUrl: 'https://www.instagram.com/juniper.bakes' });
    expect(meta.state.tokens.get(result.credentials.accessToken)).toMatchObject({ kind: 'page', pageId: PAGE });

    const choices = await listInstagramAccounts({ baseUrl: meta.baseUrl, credentials: result.credentials });
    expect(choices.map((c) => [c.profile.platformAccountId, c.pageName])).toEqual([[IG, 'Juniper Bakery']]);
  });

  it('given no Page of the login links an Instagram account, when completing, then auth error explaining the link', async () => {
    await meta.close();
    meta = await startMetaContract({ pages: [{ id: '2001', name: 'Plain Page', ig: null }] });
    const verifier = createCodeVerifier();
    const start = ig.beginAuth?.({ baseUrl: meta.baseUrl, clientId: meta.state.app.id, redirectUri: REDIRECT, state: 's', codeVerifier: verifier });
    const res = await fetch(start?.url ?? '', { redirect: 'manual' });
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const err = await failure(ig.completeAuth({ baseUrl: meta.baseUrl, clientId: meta.state.app.id, clientSecret: meta.state.app.secret, callback: { code, state: 's', codeVerifier: verifier, redirectUri: REDIRECT } }));
    expect(err.category).toBe('auth');
    expect(err.message).toContain('Link the Instagram account to a Facebook Page');
  });
});

describe('Instagram connector: publishing', () => {
  it('given a public JPEG with alt text, when publishing, then the quota is read, one container carries caption, marker and alt text, and media_publish makes it public', async () => {
    const req = request();
    const result = await ig.publish(connectedAccount(), req);

    expect(meta.server.calls(META_ROUTES.publishingLimit)).toHaveLength(1);
    const container = [...meta.state.containers.values()][0];
    expect(container).toMatchObject({ kind: 'image', altText: 'Photo bake.jpg', caption: `Morning bake 🥐 #sourdough\n\n${publishMarker(req.idempotencyKey)}` });
    expect(meta.server.calls(META_ROUTES.mediaPublish)[0]?.form().get('creation_id')).toBe(container?.id);
    const media = meta.state.igMedia.get(result.root.platformPostId);
    expect(media?.mediaType).toBe('IMAGE');
    expect(result.root.url).toBe(media?.permalink);
    expect(meta.state.quota.get(IG)).toBe(1);
    expect(result).toMatchObject({ scheduledOnPlatform: false, thread: [], firstComment: null });
  });

  it('given an image and a video, when publishing a carousel with a first comment, then the video is polled until FINISHED before the carousel, and the comment goes under the post', async () => {
    const result = await ig.publish(connectedAccount(), request({ text: 'Behind the scenes', media: [jpeg('a.jpg'), mp4('b.mp4')], firstComment: 'Which is your favourite?' }));

    const media = meta.state.igMedia.get(result.root.platformPostId);
    expect(media).toMatchObject({ mediaType: 'CAROUSEL_ALBUM', altTexts: ['Photo a.jpg', null] });
    const creates = meta.server.calls(META_ROUTES.postMedia).map((r) => r.form());
    expect(creates.map((f) => [f.get('media_type'), f.get('is_carousel_item')])).toEqual([
      [null, 'true'],
      ['VIDEO', 'true'],
      ['CAROUSEL', null],
    ]);
    expect(creates[2]?.get('children')?.split(',')).toHaveLength(2);
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
    expect(sleeps.every((ms) => ms === 1_500)).toBe(true);
    expect(meta.state.comments.get(result.firstComment?.platformPostId ?? '')).toMatchObject({ objectId: result.root.platformPostId, message: 'Which is your favourite?' });
  });

  it('given one video, when publishing, then it goes out as a reel', async () => {
    const result = await ig.publish(connectedAccount(), request({ media: [mp4('reel.mp4')] }));
    expect(meta.server.calls(META_ROUTES.postMedia)[0]?.form().get('media_type')).toBe('REELS');
    expect(meta.state.igMedia.get(result.root.platformPostId)?.mediaType).toBe('VIDEO');
  });

  it('given media Instagram cannot fetch or take, when publishing, then a media error tells the user why, before any request where it can', async () => {
    const account = connectedAccount();
    const local = await failure(ig.publish(account, request({ media: [jpeg('x.jpg', { url: null, path: '/home/mara/Pictures/x.jpg' })] })));
    expect(local).toMatchObject({ category: 'media', effect: 'none' });
    expect(local.message).toContain('public web address');
    const png = await failure(ig.publish(account, request({ media: [jpeg('x.png', { mimeType: 'image/png' })] })));
    expect(png.message).toContain('JPEG');
    const textOnly = await failure(ig.publish(account, request({ media: [] })));
    expect(textOnly.category).toBe('validation');
    const scheduled = await failure(ig.publish(account, request({ scheduleAt: Date.now() + 3_600_000 })));
    expect(scheduled.category).toBe('validation');
    const long = await failure(ig.publish(account, request({ text: 'y'.repeat(2_190) })));
    expect(long.message).toContain('2200');
    expect(meta.server.requests.filter((r) => !r.path.startsWith('/cdn/'))).toHaveLength(0);

    // A link that does not open for Meta: the container is refused (code 9004).
    const gone = await failure(ig.publish(account, request({ media: [jpeg('gone.jpg', { url: `${meta.server.baseUrl}/cdn/missing.jpg` })] })));
    expect(gone).toMatchObject({ category: 'media', code: '9004/2207052' });
    expect(meta.state.igMedia.size).toBe(0);
  });

  it('given the daily quota is used up, when publishing, then rate_limit without creating a container', async () => {
    meta.state.quota.set(IG, 50);
    const err = await failure(ig.publish(connectedAccount(), request()));
    expect(err).toMatchObject({ category: 'rate_limit', effect: 'none', retryAfterMs: 3_600_000 });
    expect(err.message).toContain('50 posts');
    expect(meta.state.containers.size).toBe(0);
  });

  it('given a published post, when deleting it, then a permanent error says Instagram does not allow it, without a request', async () => {
    const account = connectedAccount();
    const before = meta.server.requests.length;
    const err = await failure(ig.delete(account, '17900001'));
    expect(err.category).toBe('permanent');
    expect(err.message).toContain('Instagram app');
    expect(meta.server.requests.length).toBe(before);
  });

  it('given several posts, when reconciling, then the post with the marker is found and an unknown marker certainly is not', async () => {
    const account = connectedAccount();
    const since = Date.now() - 60_000;
    const req = request({ text: 'Find me' });
    const first = await ig.publish(account, req);
    for (let i = 0; i < 3; i++) await ig.publish(account, request({ text: `Other ${i}` }));
    expect((await ig.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since }))?.platformPostId).toBe(first.root.platformPostId);
    expect(await ig.findPublished(account, { marker: 'pdnothere00' }, { since })).toBeNull();
  });
});

describe('Instagram connector: inbox and replies', () => {
  it('given Direct messages, comments (more than one page) and a tag, when paging the inbox, then every item arrives once with the DM deadline', async () => {
    const account = connectedAccount();
    const now = Math.floor(Date.now() / 1000) * 1000;
    const post = await ig.publish(account, request({ text: 'New menu' }));
    for (let i = 0; i < 3; i++) meta.addComment(post.root.platformPostId, { message: `comment ${i}`, from: { id: `178${i}`, username: `fan${i}` }, at: now - (10 - i) * 1000 });
    meta.addConversation(PAGE, 'instagram', { id: '6001', username: 'ada.stone' }, [{ fromPerson: true, text: 'Do you deliver?', at: now - 1_800_000 }]);
    meta.addConversation(PAGE, 'messenger', { id: '7001', name: 'Messenger Only' }, [{ fromPerson: true, text: 'not instagram', at: now }]);
    meta.addTagged(IG, { text: 'Brunch at @juniper.bakes', from: { id: '', username: 'local.eats' }, at: now - 5_000 });

    const seen = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await ig.fetchInbox(account, { kinds: ['dm', 'comment', 'mention'], cursor, since: null, limit: 2 });
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect(seen.map((x) => `${x.kind}:${x.text}`)).toEqual(['dm:Do you deliver?', 'comment:comment 2', 'comment:comment 1', 'comment:comment 0', 'mention:Brunch at @juniper.bakes']);
    expect(seen[0]).toMatchObject({ authorId: '6001', authorHandle: 'ada.stone', replyDeadline: now - 1_800_000 + 86_400_000 });
    expect(seen[1]).toMatchObject({ threadId: post.root.platformPostId, authorHandle: 'fan2', url: meta.state.igMedia.get(post.root.platformPostId)?.permalink });
    // The Page behind the account was looked up once, and asked for Instagram conversations only.
    expect(meta.server.calls(META_ROUTES.node).filter((r) => r.path.endsWith('/me'))).toHaveLength(1);
    expect(meta.server.calls(META_ROUTES.conversations)[0]?.query.get('platform')).toBe('instagram');
    expect(meta.server.calls(META_ROUTES.comments)[0]?.path).toBe(`/v25.0/${post.root.platformPostId}/comments`);
  });

  it('given inbox items, when replying to a DM, a comment and a tag, then the Send API, /replies and /mentions are used', async () => {
    const account = connectedAccount();
    const now = Date.now();
    const post = await ig.publish(account, request({ text: 'Replies' }));
    const comment = meta.addComment(post.root.platformPostId, { message: 'Vegan options?', from: { id: '1781', username: 'fan1' }, at: now - 60_000 });
    meta.addConversation(PAGE, 'instagram', { id: '6001', username: 'ada.stone' }, [{ fromPerson: true, text: 'Open late?', at: now - 60_000 }]);
    const tag = meta.addTagged(IG, { text: 'Loved it @juniper.bakes', from: { id: '', username: 'local.eats' }, at: now - 60_000 });

    const [dm] = (await ig.fetchInbox(account, { kinds: ['dm'], cursor: null, since: null, limit: 5 })).items;
    if (!dm) throw new Error('no dm');
    await ig.reply(account, { to: dm, text: 'Until 8pm!', media: [], idempotencyKey: 'r1' });
    expect(meta.state.sent.at(-1)).toMatchObject({ recipient: { id: '6001' }, messagingType: 'RESPONSE', pageId: PAGE });

    const reply = await ig.reply(account, { to: { kind: 'comment', platformMessageId: comment.id, threadId: post.root.platformPostId, replyDeadline: null }, text: 'Yes, two!', media: [], idempotencyKey: 'r2' });
    expect(meta.state.comments.get(reply.platformPostId)).toMatchObject({ objectId: comment.id, message: 'Yes, two!' });
    expect(meta.server.calls(META_ROUTES.replies)).toHaveLength(1);

    const thanks = await ig.reply(account, { to: { kind: 'mention', platformMessageId: tag.id, threadId: tag.id, replyDeadline: null }, text: 'Thank you!', media: [], idempotencyKey: 'r3' });
    expect(meta.state.comments.get(thanks.platformPostId)).toMatchObject({ objectId: tag.id });

    await ig.privateReply(account, { commentId: comment.id, commentCreatedAt: comment.createdAt, text: 'DMing you the menu' });
    expect(meta.state.sent.at(-1)).toMatchObject({ recipient: { comment_id: comment.id } });

    const closed = await failure(ig.reply(account, { to: { ...dm, replyDeadline: now - 1 }, text: 'late', media: [], idempotencyKey: 'r4' }));
    expect(closed.category).toBe('validation');
  });
});

describe('Instagram connector: metrics', () => {
  it('given media, when fetching metrics, then insights map onto Postdesk names; when Meta refuses the metric list, the media counts are used', async () => {
    const account = connectedAccount();
    const post = await ig.publish(account, request({ text: 'Metrics' }));
    const [m] = await ig.fetchMetrics(account, [post.root.platformPostId]);
    expect(Object.keys(m?.values ?? {}).sort()).toEqual(['bookmarks', 'engagements', 'impressions', 'likes', 'reach', 'replies', 'reposts']);

    meta.state.igMetrics.delete('views');
    const media = meta.state.igMedia.get(post.root.platformPostId);
    if (media) media.likes = 4;
    meta.addComment(post.root.platformPostId, { message: 'nice', from: { id: '1', username: 'a' }, at: Date.now() });
    const [fallback] = await ig.fetchMetrics(account, [post.root.platformPostId]);
    expect(fallback?.values).toEqual({ likes: 4, replies: 1 });
  });
});

describe('Instagram connector: failures', () => {
  it('given an expired Page token, when publishing through withFreshCredentials, then the token is read again and the post goes out once', async () => {
    const account = connectedAccount();
    meta.expire(account.credentials.accessToken);
    let saved: AccountCredentials | null = null;
    await withFreshCredentials(ig, account, { client: { clientId: meta.state.app.id, clientSecret: meta.state.app.secret }, onRefreshed: (c) => void (saved = c) }, (acc) => ig.publish(acc, request()));
    expect((saved as AccountCredentials | null)?.accessToken).not.toBe(account.credentials.accessToken);
    expect(meta.state.igMedia.size).toBe(1);
  });

  it('given a revoked login, when the refresh runs, then it ends as an auth error', async () => {
    const account = connectedAccount();
    await ig.revoke?.(account);
    const err = await failure(withFreshCredentials(ig, account, { client: { clientId: meta.state.app.id, clientSecret: meta.state.app.secret }, onRefreshed: () => undefined }, (acc) => ig.publish(acc, request())));
    expect(err).toMatchObject({ category: 'auth', code: '190/458' });
  });

  it('given throttling (code 4 with BUC header) or a 429 with Retry-After, when publishing, then rate_limit with the wait', async () => {
    const account = connectedAccount();
    meta.server.failNext(META_ROUTES.postMedia, throttled({ code: 4, minutes: 12, businessId: IG }));
    expect(await failure(ig.publish(account, request()))).toMatchObject({ category: 'rate_limit', retryAfterMs: 12 * 60_000 });
    meta.server.failNext(META_ROUTES.postMedia, { status: 429, headers: { 'retry-after': '7' }, json: { error: { message: 'Too many calls', type: 'OAuthException', code: 4 } } });
    expect(await failure(ig.publish(account, request()))).toMatchObject({ category: 'rate_limit', retryAfterMs: 7_000 });
  });

  it('given a 503 on media_publish, when publishing, then transient with an unknown effect; reconcile then sees nothing and a retry publishes once', async () => {
    const account = connectedAccount();
    const req = request();
    meta.server.failNext(META_ROUTES.mediaPublish, { status: 503, json: { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true } } });
    expect(await failure(ig.publish(account, req))).toMatchObject({ category: 'transient', effect: 'unknown' });
    expect(await ig.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since: Date.now() - 60_000 })).toBeNull();
    await ig.publish(account, req);
    expect(meta.state.igMedia.size).toBe(1);
  });

  it('given malformed JSON on a 200 container status, when publishing, then transient and nothing is published', async () => {
    meta.server.failNext(META_ROUTES.node, { malformed: true });
    const err = await failure(ig.publish(connectedAccount(), request()));
    expect(err).toMatchObject({ category: 'transient', effect: 'none' });
    expect(meta.state.igMedia.size).toBe(0);
  });

  it('given the container request is cut halfway, when publishing, then transient, no media exists, and the next attempt publishes', async () => {
    const account = connectedAccount();
    meta.server.failNext(META_ROUTES.postMedia, { cut: true });
    expect((await failure(ig.publish(account, request()))).category).toBe('transient');
    expect(meta.state.igMedia.size).toBe(0);
    await ig.publish(account, request());
    expect(meta.state.igMedia.size).toBe(1);
  });

  it('given failures involving tokens, when thrown, then no message contains a token or secret', async () => {
    const account = connectedAccount();
    const junk = `junk-token-${'q'.repeat(40)}`;
    const errors = [await failure(ig.publish({ ...account, credentials: { ...account.credentials, accessToken: junk } }, request()))];
    meta.expire(account.credentials.accessToken);
    errors.push(await failure(ig.fetchInbox(account, { kinds: ['comment'], cursor: null, since: null, limit: 5 })));
    errors.push(await failure(ig.refresh(account, { clientId: meta.state.app.id, clientSecret: 'not-the-secret-000000' })));
    for (const e of errors) for (const s of [junk, account.credentials.accessToken, account.credentials.refreshToken ?? '', meta.state.app.secret, 'not-the-secret-000000']) expect(e.message).not.toContain(s);
    expect(errors.map((e) => e.category)).toEqual(['auth', 'auth', 'auth']);
  });
});
