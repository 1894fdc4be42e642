// The LinkedIn connector against a loopback server that follows LinkedIn's documented contract
// (test/contract/linkedin.ts): sign-in with the user's app, posting with images and a first
// comment, reconciling, the comment inbox, metrics, and every failure path the scheduler relies on.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountCredentials, ConnectorAccount, MediaInput, PublishRequest } from '../../electron/platforms/connector';
import { publishMarker } from '../../electron/platforms/connector';
import { PlatformError } from '../../electron/platforms/errors';
import { createLinkedInConnector, type LinkedInConnector, LINKEDIN_API_VERSION, listAdministeredOrganizations } from '../../electron/platforms/linkedin';
import { createCodeVerifier, createState, codeChallengeS256 } from '../../electron/platforms/pkce';
import { withFreshCredentials } from '../../electron/platforms/session';
import { type LinkedInContract, renderLittleText, startLinkedInContract } from '../contract/linkedin';

const PAGE = { id: 2414183, name: 'Northwind Coffee', vanityName: 'northwind-coffee', role: 'ADMINISTRATOR' };
const ANALYST_PAGE = { id: 5515715, name: 'Fabrikam Labs', vanityName: 'fabrikam-labs', role: 'ANALYST' };
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
// A 1x1 PNG, then padding so an upload is big enough to be cut halfway.
const PNG = Buffer.concat([
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
  randomBytes(512 * 1024),
]);

let contract: LinkedInContract;
let connector: LinkedInConnector;
let dir: string;

function request(over: Partial<PublishRequest> = {}): PublishRequest {
  return {
    root: { text: 'Fresh roast, fresh start.', media: [] },
    thread: [],
    firstComment: null,
    scheduleAt: null,
    idempotencyKey: randomUUID(),
    inReplyTo: null,
    language: null,
    ...over,
  };
}

async function image(name: string, altText: string | null, mimeType = 'image/png'): Promise<MediaInput> {
  const path = join(dir, name);
  await writeFile(path, PNG);
  return { kind: 'image', mimeType, path, url: null, sizeBytes: PNG.length, altText };
}

/** The browser part of sign-in: open the authorize URL and follow LinkedIn's 302 back to us. */
async function connect(c: LinkedInConnector = connector, server: LinkedInContract = contract) {
  const codeVerifier = createCodeVerifier();
  const state = createState();
  const beginAuth = c.beginAuth;
  if (!beginAuth) throw new Error('LinkedIn must sign in through the browser');
  const start = beginAuth({ baseUrl: server.baseUrl, clientId: server.clientId, redirectUri: REDIRECT_URI, state, codeVerifier });
  const consent = await fetch(start.url, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = new URL(consent.headers.get('location') ?? '');
  expect(back.searchParams.get('state')).toBe(state);
  const code = back.searchParams.get('code') ?? '';
  const result = await c.completeAuth({
    baseUrl: server.baseUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    callback: { code, state, codeVerifier, redirectUri: REDIRECT_URI },
  });
  const account: ConnectorAccount = { platformAccountId: result.profile.platformAccountId, baseUrl: server.baseUrl, credentials: result.credentials };
  return { start, result, account };
}

/** An account signed in with the given scopes, for tests that are not about sign-in. */
function signedIn(opts: { scopes?: readonly string[]; as?: string } = {}): ConnectorAccount {
  const tokens = contract.issueTokens(opts.scopes === undefined ? {} : { scopes: opts.scopes });
  return {
    platformAccountId: opts.as ?? contract.memberUrn,
    baseUrl: contract.baseUrl,
    credentials: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + 3600_000, scopes: opts.scopes ?? [] },
  };
}

async function rejection(p: Promise<unknown>): Promise<PlatformError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PlatformError);
  return err as PlatformError;
}

beforeEach(async () => {
  contract = await startLinkedInContract({ organizations: [PAGE, ANALYST_PAGE] });
  connector = createLinkedInConnector({ authBaseUrl: contract.baseUrl, client: { clientId: contract.clientId, clientSecret: contract.clientSecret } });
  dir = await mkdtemp(join(tmpdir(), 'postdesk-linkedin-'));
});

afterEach(async () => {
  await contract.close();
  await rm(dir, { recursive: true, force: true });
});

describe('LinkedIn sign-in', () => {
  it('given the user app, when the member allows access, then the code exchange sends secret and PKCE verifier and the person becomes the account', async () => {
    const before = Date.now();
    const { start, result } = await connect();

    const authorize = new URL(start.url);
    expect(authorize.pathname).toBe('/oauth/v2/authorization');
    expect(authorize.searchParams.get('scope')).toBe('openid profile w_member_social');
    expect(authorize.searchParams.get('code_challenge')).toBe(codeChallengeS256(start.codeVerifier));
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');

    const [exchange] = contract.server.calls('POST /oauth/v2/accessToken');
    const form = exchange?.form();
    expect(form?.get('grant_type')).toBe('authorization_code');
    expect(form?.get('client_secret')).toBe(contract.clientSecret);
    expect(form?.get('code_verifier')).toBe(start.codeVerifier);
    expect(form?.get('redirect_uri')).toBe(REDIRECT_URI);

    expect(result.profile).toMatchObject({ platformAccountId: contract.memberUrn, displayName: 'Dana Reyes', avatarUrl: 'https://media.licdn.com/dms/image/dana.jpg' });
    expect(result.credentials.refreshToken).not.toBeNull();
    expect(result.credentials.scopes).toEqual(['openid', 'profile', 'w_member_social']);
    // 60 days, renewed a little early.
    expect(result.credentials.expiresAt).toBeGreaterThan(before + 59 * 24 * 3600_000);
    expect(result.credentials.expiresAt).toBeLessThan(Date.now() + 60 * 24 * 3600_000);
    expect(contract.server.calls('GET /v2/userinfo')[0]?.bearer()).toBe(result.credentials.accessToken);
  });

  it('given a verifier that does not match the challenge, when the code is exchanged, then sign-in fails as an auth error', async () => {
    const state = createState();
    const start = connector.beginAuth?.({ baseUrl: contract.baseUrl, clientId: contract.clientId, redirectUri: REDIRECT_URI, state, codeVerifier: createCodeVerifier() });
    const consent = await fetch(start?.url ?? '', { redirect: 'manual' });
    const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';

    const err = await rejection(
      connector.completeAuth({
        baseUrl: contract.baseUrl,
        clientId: contract.clientId,
        clientSecret: contract.clientSecret,
        callback: { code, state, codeVerifier: createCodeVerifier(), redirectUri: REDIRECT_URI },
      }),
    );
    expect(err.category).toBe('auth');
    expect(err.status).toBe(400);
    expect(contract.server.calls('GET /v2/userinfo')).toHaveLength(0);
  });

  it('given no client secret, when the code is exchanged, then Postdesk asks for it before calling LinkedIn', async () => {
    const err = await rejection(
      connector.completeAuth({ baseUrl: contract.baseUrl, clientId: contract.clientId, callback: { code: 'x', state: 's', codeVerifier: createCodeVerifier(), redirectUri: REDIRECT_URI } }),
    );
    expect(err.category).toBe('validation');
    expect(err.message).toMatch(/Client Secret/);
    expect(contract.server.requests).toHaveLength(0);
  });

  it('given an app without programmatic refresh, when its token expires, then the session ends in an auth error without calling the token endpoint', async () => {
    const plain = await startLinkedInContract({ refreshTokens: false });
    try {
      const c = createLinkedInConnector({ authBaseUrl: plain.baseUrl });
      const { account } = await connect(c, plain);
      expect(account.credentials.refreshToken).toBeNull();
      plain.expireAccessToken(account.credentials.accessToken);

      const err = await rejection(withFreshCredentials(c, account, { client: { clientId: plain.clientId, clientSecret: plain.clientSecret }, onRefreshed: () => undefined }, (a) => c.publish(a, request())));
      expect(err.category).toBe('auth');
      expect(err.code).toBe('EXPIRED_ACCESS_TOKEN');
      expect(plain.server.calls('POST /oauth/v2/accessToken')).toHaveLength(1); // the sign-in only
    } finally {
      await plain.close();
    }
  });

  it('given a connected account, when it is revoked on disconnect, then LinkedIn no longer accepts its token', async () => {
    const { account } = await connect();
    await connector.revoke(account);
    expect(contract.isAccessTokenValid(account.credentials.accessToken)).toBe(false);
    const err = await rejection(connector.publish(account, request()));
    expect(err.category).toBe('auth');
  });
});

describe('LinkedIn publishing', () => {
  it('given text with reserved characters and hashtags, when published, then LinkedIn shows all of it with the hashtags live', async () => {
    const account = signedIn();
    const text = 'Q3 (draft) is in: up 50% *again* — thanks @team! [notes] <3 C# ~ok_ \\o/ {x} |y| #Marketing #2026goals';
    // Sent raw, LinkedIn would cut this at the first "(": the escaping is what keeps the rest.
    expect(renderLittleText(text)).toBe('Q3 ');
    const req = request({ root: { text, media: [] } });

    const result = await connector.publish(account, req);

    expect(result.root.platformPostId).toMatch(/^urn:li:share:\d+$/);
    expect(result.root.url).toBe(`https://www.linkedin.com/feed/update/${result.root.platformPostId}/`);
    expect(result.scheduledOnPlatform).toBe(false);
    const post = contract.post(result.root.platformPostId);
    expect(post?.rendered).toBe(`${text}\n\n${publishMarker(req.idempotencyKey)}`);
    expect(post?.commentary).toContain(' #Marketing #2026goals');
    expect(post?.commentary).toContain('C\\#');
    const [call] = contract.server.calls('POST /rest/posts');
    expect(call?.headers['linkedin-version']).toBe(LINKEDIN_API_VERSION);
    expect(call?.headers['x-restli-protocol-version']).toBe('2.0.0');
    expect(call?.json()).toMatchObject({
      author: contract.memberUrn,
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    });
  });

  it('given an image with alt text, when published, then it is uploaded byte for byte and attached with its alt text', async () => {
    const account = signedIn();
    const result = await connector.publish(account, request({ root: { text: 'New blend', media: [await image('beans.png', 'A scoop of dark roasted beans')] } }));

    const [init] = contract.server.calls('POST /rest/images');
    expect(init?.query.get('action')).toBe('initializeUpload');
    expect(init?.json()).toEqual({ initializeUploadRequest: { owner: contract.memberUrn } });
    const [uploaded] = contract.images();
    expect(uploaded?.bytes?.equals(PNG)).toBe(true);
    expect(contract.post(result.root.platformPostId)?.content).toEqual({ media: { id: uploaded?.urn, altText: 'A scoop of dark roasted beans' } });
  });

  it('given three images, when published, then they go out as one multi-image post', async () => {
    const account = signedIn();
    const media = [await image('a.png', 'Cup'), await image('b.jpg', null, 'image/jpeg'), await image('c.png', 'Saucer')];
    const result = await connector.publish(account, request({ root: { text: 'Set', media } }));

    expect(result.root.platformPostId).toMatch(/^urn:li:ugcPost:/);
    const ids = contract.images().map((i) => i.urn);
    expect(contract.post(result.root.platformPostId)?.content).toEqual({
      multiImage: { images: [{ id: ids[0], altText: 'Cup' }, { id: ids[1] }, { id: ids[2], altText: 'Saucer' }] },
    });
  });

  it('given a first comment, when published, then the author comments under the new post', async () => {
    const account = signedIn();
    const result = await connector.publish(account, request({ firstComment: 'Order link (EU): shop.example/roast_2026' }));

    const [comment] = contract.comments(result.root.platformPostId);
    expect(comment).toMatchObject({ actor: contract.memberUrn, text: 'Order link \\(EU\\): shop.example/roast\\_2026', parentComment: null });
    expect(result.firstComment?.platformPostId).toBe(comment?.urn);
    const path = contract.server.calls('POST /rest/socialActions/:target/comments')[0]?.path;
    expect(path).toBe(`/rest/socialActions/${encodeURIComponent(result.root.platformPostId)}/comments`);
  });

  it('given a Page the member administers, when published as the Page, then the Page is the author', async () => {
    const account = signedIn({ as: `urn:li:organization:${PAGE.id}` });
    const result = await connector.publish(account, request({ root: { text: 'From the roastery', media: [await image('p.png', 'Roastery')] } }));
    expect(contract.post(result.root.platformPostId)?.author).toBe(`urn:li:organization:${PAGE.id}`);
    expect(contract.images()[0]?.owner).toBe(`urn:li:organization:${PAGE.id}`);
  });

  it.each([
    ['a thread', { thread: [{ text: 'more', media: [] }] }, 'permanent'],
    ['a schedule', { scheduleAt: Date.now() + 3600_000 }, 'permanent'],
    ['a reply to someone else', { inReplyTo: 'urn:li:share:1' }, 'permanent'],
    ['text over 3000 characters', { root: { text: 'a'.repeat(2990), media: [] } }, 'validation'],
    ['nothing at all', { root: { text: '  ', media: [] } }, 'validation'],
  ] as const)('given %s, when published, then it is refused before any request', async (_what, over, category) => {
    const err = await rejection(connector.publish(signedIn(), request(over as Partial<PublishRequest>)));
    expect(err.category).toBe(category);
    expect(err.effect).toBe('none');
    expect(contract.server.requests).toHaveLength(0);
  });

  it('given media LinkedIn or Postdesk cannot send, when published, then it is a media error before any request', async () => {
    const account = signedIn();
    const img = await image('x.png', null);
    const cases: MediaInput[][] = [
      Array.from({ length: 21 }, () => img),
      [{ ...img, kind: 'video', mimeType: 'video/mp4' }],
      [img, { ...img, kind: 'video', mimeType: 'video/mp4' }],
      [{ ...img, kind: 'gif', mimeType: 'image/gif' }],
      [{ ...img, mimeType: 'image/webp' }],
      [{ ...img, path: null, url: 'https://example.com/x.png' }],
    ];
    for (const media of cases) {
      const err = await rejection(connector.publish(account, request({ root: { text: 'x', media } })));
      expect(err.category).toBe('media');
    }
    expect(contract.server.requests).toHaveLength(0);
  });

  it('given the same post twice, when LinkedIn calls it a duplicate, then it is a validation error', async () => {
    const account = signedIn();
    const req = request();
    await connector.publish(account, req);
    const err = await rejection(connector.publish(account, req));
    expect(err.category).toBe('validation');
    expect(err.status).toBe(422);
    expect(err.traceId).toMatch(/^\w{22}$/);
  });

  it('given a published post, when deleted (twice), then it is gone and the URN went encoded in the path', async () => {
    const account = signedIn();
    const { root } = await connector.publish(account, request());
    await connector.delete(account, root.platformPostId);
    await connector.delete(account, root.platformPostId);

    expect(contract.post(root.platformPostId)).toBeUndefined();
    const calls = contract.server.calls('DELETE /rest/posts/:urn');
    expect(calls).toHaveLength(2);
    expect(calls[0]?.path).toBe(`/rest/posts/${encodeURIComponent(root.platformPostId)}`);
    expect(calls[0]?.headers['x-restli-method']).toBe('DELETE');
  });
});

describe('LinkedIn reconcile', () => {
  it('given a post that went out, when looked up by its idempotency key, then it is found; an unknown key is certainly not', async () => {
    const account = signedIn();
    const since = Date.now() - 1000;
    const req = request();
    await connector.publish(account, request());
    const { root } = await connector.publish(account, req);
    await connector.publish(account, request());

    expect(await connector.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since })).toEqual({ platformPostId: root.platformPostId, url: root.url });
    expect(await connector.findPublished(account, { marker: publishMarker(req.idempotencyKey) }, { since })).toMatchObject({ platformPostId: root.platformPostId });
    expect(await connector.findPublished(account, { idempotencyKey: randomUUID() }, { since })).toBeNull();
    const finder = contract.server.calls('GET /rest/posts')[0];
    expect(finder?.headers['x-restli-method']).toBe('FINDER');
    expect(finder?.query.get('author')).toBe(contract.memberUrn);
  });

  it('given posts older than the attempt, when looking up, then the scan stops at them', async () => {
    const account = signedIn();
    const req = request();
    await connector.publish(account, req);
    expect(await connector.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since: Date.now() + 60_000 })).toBeNull();
  });

  it('given a member token without r_member_social, when looking up, then it is a permanent error naming the permission', async () => {
    const account = signedIn({ scopes: ['openid', 'profile', 'w_member_social'] });
    const err = await rejection(connector.findPublished(account, { idempotencyKey: randomUUID() }, { since: 0 }));
    expect(err.category).toBe('permanent');
    expect(err.message).toMatch(/r_member_social/);
  });
});

describe('LinkedIn inbox', () => {
  it('given comments on two posts, when paged two at a time, then every comment by others arrives once and own comments are skipped', async () => {
    const account = signedIn();
    const older = await connector.publish(account, request({ root: { text: 'Older', media: [] }, firstComment: 'Our own note' }));
    const newer = await connector.publish(account, request({ root: { text: 'Newer', media: [] } }));
    const t = Date.now();
    for (const [i, who] of ['urn:li:person:a1', 'urn:li:person:b2', 'urn:li:person:c3'].entries()) {
      contract.addComment({ postUrn: older.root.platformPostId, actor: who, text: `Love it \\(${i}\\)`, at: t + i });
    }
    contract.addComment({ postUrn: newer.root.platformPostId, actor: 'urn:li:person:d4', text: 'When in stock?', at: t + 10 });
    contract.addComment({ postUrn: newer.root.platformPostId, actor: 'urn:li:person:e5', text: 'Ordered!', at: t + 11 });

    const seen: string[] = [];
    const texts: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await connector.fetchInbox(account, { kinds: ['comment', 'dm'], cursor, since: null, limit: 2 });
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) {
        expect(item.kind).toBe('comment');
        expect(item.url).toContain(encodeURIComponent(item.platformMessageId));
        seen.push(item.platformMessageId);
        texts.push(item.text);
      }
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);

    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(5);
    expect(texts).toEqual(['When in stock?', 'Ordered!', 'Love it (0)', 'Love it (1)', 'Love it (2)']);
    const first = contract.server.calls('GET /rest/socialActions/:target/comments')[0];
    expect(first?.query.get('count')).toBe('2');
  });

  it('given a since time, when fetched, then older comments are left out', async () => {
    const account = signedIn();
    const { root } = await connector.publish(account, request());
    contract.addComment({ postUrn: root.platformPostId, actor: 'urn:li:person:a1', text: 'old', at: Date.now() - 10_000 });
    contract.addComment({ postUrn: root.platformPostId, actor: 'urn:li:person:b2', text: 'new', at: Date.now() + 10_000 });
    const page = await connector.fetchInbox(account, { kinds: ['comment'], cursor: null, since: Date.now() - 5000, limit: 10 });
    expect(page.items.map((i) => i.text)).toEqual(['new']);
  });

  it('given a comment, when replied to, then the reply nests under it on the same post', async () => {
    const account = signedIn();
    const { root } = await connector.publish(account, request());
    contract.addComment({ postUrn: root.platformPostId, actor: 'urn:li:person:a1', text: 'Is it decaf?' });
    const [item] = (await connector.fetchInbox(account, { kinds: ['comment'], cursor: null, since: null, limit: 10 })).items;
    if (!item) throw new Error('expected a comment');

    const reply = await connector.reply(account, { to: item, text: 'Not this one :) try #Decaf', media: [], idempotencyKey: randomUUID() });

    const nested = contract.comments(root.platformPostId).find((c) => c.parentComment === item.platformMessageId);
    expect(nested).toMatchObject({ actor: contract.memberUrn, text: 'Not this one :\\) try #Decaf', urn: reply.platformPostId });
  });

  it('given a reply to a reply, when sent, then LinkedIn refuses it as validation (threads are two levels)', async () => {
    const account = signedIn();
    const { root } = await connector.publish(account, request());
    const top = contract.addComment({ postUrn: root.platformPostId, actor: 'urn:li:person:a1', text: 'Top' });
    const nested = contract.addComment({ postUrn: root.platformPostId, actor: 'urn:li:person:b2', text: 'Nested', parent: top.urn });
    const err = await rejection(
      connector.reply(account, { to: { kind: 'comment', platformMessageId: nested.urn, threadId: nested.object, replyDeadline: null }, text: 'hi', media: [], idempotencyKey: randomUUID() }),
    );
    expect(err.category).toBe('validation');
  });

  it('given only DMs or mentions are asked for, when fetched, then LinkedIn cannot do it (permanent)', async () => {
    const err = await rejection(connector.fetchInbox(signedIn(), { kinds: ['dm', 'mention'], cursor: null, since: null, limit: 10 }));
    expect(err.category).toBe('permanent');
    expect(contract.server.requests).toHaveLength(0);
  });

  it('given a member token without r_member_social, when the inbox is fetched, then it is permanent, not a reconnect', async () => {
    const account = signedIn({ scopes: ['openid', 'profile', 'w_member_social'] });
    const err = await rejection(connector.fetchInbox(account, { kinds: ['comment'], cursor: null, since: null, limit: 10 }));
    expect(err.category).toBe('permanent');
    expect(err.status).toBe(403);
  });
});

describe('LinkedIn metrics and Pages', () => {
  it('given a member post, when metrics are fetched, then likes and comments are reported and impressions stay absent', async () => {
    const account = signedIn();
    const { root } = await connector.publish(account, request());
    contract.setStats(root.platformPostId, { likes: 12 });
    contract.addComment({ postUrn: root.platformPostId, actor: 'urn:li:person:a1', text: 'Nice' });

    const [metrics] = await connector.fetchMetrics(account, [root.platformPostId]);
    expect(metrics?.values).toEqual({ likes: 12, replies: 1 });
    expect(contract.server.calls('GET /rest/organizationalEntityShareStatistics')).toHaveLength(0);
  });

  it('given Page posts, when metrics are fetched, then share statistics add impressions, reach, clicks and reshares', async () => {
    const account = signedIn({ as: `urn:li:organization:${PAGE.id}` });
    const single = await connector.publish(account, request({ root: { text: 'One', media: [] } }));
    const multi = await connector.publish(account, request({ root: { text: 'Two', media: [await image('a.png', null), await image('b.png', null)] } }));
    contract.setStats(single.root.platformPostId, { impressions: 900, uniqueImpressions: 700, clicks: 31, shares: 4, likes: 20 });
    contract.setStats(multi.root.platformPostId, { impressions: 50 });

    const metrics = await connector.fetchMetrics(account, [single.root.platformPostId, multi.root.platformPostId]);

    expect(metrics.map((m) => m.values)).toEqual([
      { impressions: 900, reach: 700, clicks: 31, likes: 20, replies: 0, reposts: 4 },
      { impressions: 50, reach: 0, clicks: 0, likes: 0, replies: 0, reposts: 0 },
    ]);
    const stats = contract.server.calls('GET /rest/organizationalEntityShareStatistics')[0];
    expect(stats?.query.get('shares')).toBe(`List(${single.root.platformPostId})`);
    expect(stats?.query.get('ugcPosts')).toBe(`List(${multi.root.platformPostId})`);
  });

  it('given a deleted post among others, when metrics are fetched, then only the live ones are reported', async () => {
    const account = signedIn();
    const a = await connector.publish(account, request());
    const b = await connector.publish(account, request());
    await connector.delete(account, b.root.platformPostId);
    const metrics = await connector.fetchMetrics(account, [a.root.platformPostId, b.root.platformPostId]);
    expect(metrics.map((m) => m.platformPostId)).toEqual([a.root.platformPostId]);
  });

  it('given a member with Page roles, when Pages are listed, then each approved Page comes with its name and role', async () => {
    const account = signedIn();
    const choices = await listAdministeredOrganizations(account, {});
    expect(choices).toEqual([
      {
        role: 'ADMINISTRATOR',
        profile: {
          platformAccountId: `urn:li:organization:${PAGE.id}`,
          username: PAGE.vanityName,
          displayName: PAGE.name,
          profileUrl: `https://www.linkedin.com/company/${PAGE.vanityName}/`,
          avatarUrl: null,
          serverUrl: null,
        },
      },
      expect.objectContaining({ role: 'ANALYST', profile: expect.objectContaining({ displayName: ANALYST_PAGE.name }) }),
    ]);
    expect(contract.server.calls('GET /rest/organizationAcls')[0]?.query.get('q')).toBe('roleAssignee');
  });
});

describe('LinkedIn failures', () => {
  it('given an expired access token, when publishing through the session, then it refreshes once, saves the new token and retries once', async () => {
    const { account } = await connect();
    contract.expireAccessToken(account.credentials.accessToken);
    const saved: AccountCredentials[] = [];

    const result = await withFreshCredentials(connector, account, { client: { clientId: contract.clientId, clientSecret: contract.clientSecret }, onRefreshed: (c) => void saved.push(c) }, (a) =>
      connector.publish(a, request()),
    );

    expect(contract.post(result.root.platformPostId)).toBeDefined();
    expect(saved).toHaveLength(1);
    expect(saved[0]?.accessToken).not.toBe(account.credentials.accessToken);
    expect(saved[0]?.refreshToken).toBe(account.credentials.refreshToken);
    expect(contract.isAccessTokenValid(saved[0]?.accessToken ?? '')).toBe(true);
    const refresh = contract.server.calls('POST /oauth/v2/accessToken')[1]?.form();
    expect(refresh?.get('grant_type')).toBe('refresh_token');
    expect(refresh?.get('client_secret')).toBe(contract.clientSecret);
    expect(contract.server.calls('POST /rest/posts')).toHaveLength(2);
  });

  it('given a revoked refresh token, when the access token has expired, then the session ends in an auth error and nothing is saved', async () => {
    const { account } = await connect();
    contract.expireAccessToken(account.credentials.accessToken);
    contract.revokeRefreshToken(account.credentials.refreshToken ?? '');
    const saved: AccountCredentials[] = [];

    const err = await rejection(withFreshCredentials(connector, account, { onRefreshed: (c) => void saved.push(c) }, (a) => connector.publish(a, request())));

    expect(err.category).toBe('auth');
    expect(err.message).toMatch(/Reconnect/);
    expect(saved).toEqual([]);
    expect(contract.server.calls('POST /rest/posts')).toHaveLength(1);
  });

  it('given a 429 with Retry-After, when publishing, then it is a rate limit that waits what LinkedIn asked', async () => {
    contract.server.failNext('POST /rest/posts', { status: 429, headers: { 'retry-after': '7' }, json: { status: 429, serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'Too many requests' } });
    const err = await rejection(connector.publish(signedIn(), request()));
    expect(err.category).toBe('rate_limit');
    expect(err.retryAfterMs).toBe(7000);
    expect(err.effect).toBe('none');
  });

  it('given the daily quota is used up, when publishing, then the rate limit waits until midnight UTC', async () => {
    const limited = await startLinkedInContract({ dailyPostQuota: 1 });
    try {
      const now = Date.parse('2026-11-23T20:15:00Z');
      const c = createLinkedInConnector({ authBaseUrl: limited.baseUrl, now: () => now });
      const tokens = limited.issueTokens();
      const account: ConnectorAccount = { platformAccountId: limited.memberUrn, baseUrl: limited.baseUrl, credentials: { ...tokens, expiresAt: null, scopes: [] } };
      await c.publish(account, request());
      const err = await rejection(c.publish(account, request()));
      expect(err.category).toBe('rate_limit');
      expect(err.retryAfterMs).toBe(3 * 3600_000 + 45 * 60_000);
      expect(err.message).toMatch(/midnight UTC/);
    } finally {
      await limited.close();
    }
  });

  it('given a 5xx, when publishing, then it is transient with an unknown effect; on a read the effect is none', async () => {
    const account = signedIn();
    contract.server.failNext('POST /rest/posts', { status: 503, json: { status: 503, message: 'Service Unavailable' } });
    const post = await rejection(connector.publish(account, request()));
    expect(post.category).toBe('transient');
    expect(post.effect).toBe('unknown');

    contract.server.failNext('GET /rest/posts', { status: 500, json: { status: 500, message: 'Internal Server Error' } });
    const read = await rejection(connector.findPublished(account, { idempotencyKey: randomUUID() }, { since: 0 }));
    expect(read.category).toBe('transient');
    expect(read.effect).toBe('none');
  });

  it('given malformed JSON on a 2xx, when publishing with an image, then it is transient and no post is made', async () => {
    contract.server.failNext('POST /rest/images', { malformed: true });
    const err = await rejection(connector.publish(signedIn(), request({ root: { text: 'x', media: [await image('m.png', null)] } })));
    expect(err.category).toBe('transient');
    expect(contract.posts()).toEqual([]);
  });

  it('given an upload cut halfway, when publishing, then it is transient, no post exists, and the next attempt goes through', async () => {
    const account = signedIn();
    const req = request({ root: { text: 'Big picture', media: [await image('big.png', 'Wide shot')] } });
    contract.server.failNext('PUT /dms-uploads/:token', { cut: true });

    const err = await rejection(connector.publish(account, req));
    expect(err.category).toBe('transient');
    expect(contract.posts()).toEqual([]);
    expect(contract.server.calls('POST /rest/posts')).toHaveLength(0);

    const result = await connector.publish(account, req);
    expect(contract.posts().map((p) => p.urn)).toEqual([result.root.platformPostId]);
    const attached = contract.post(result.root.platformPostId)?.content;
    expect(attached && 'media' in attached ? contract.images().find((i) => i.urn === attached.media.id)?.bytes?.equals(PNG) : false).toBe(true);
  });

  it('given the post is created but LinkedIn names no id, when publishing, then it is an error whose effect is unknown', async () => {
    contract.server.failNext('POST /rest/posts', { status: 201, body: '' });
    const err = await rejection(connector.publish(signedIn(), request()));
    expect(err.category).toBe('transient');
    expect(err.effect).toBe('unknown');
  });

  it('given the first comment fails after the post went out, when publishing, then the error says the post is live and its effect is unknown', async () => {
    contract.server.failNext('POST /rest/socialActions/:target/comments', { status: 500, json: { status: 500, message: 'Internal Server Error' } });
    const err = await rejection(connector.publish(signedIn(), request({ firstComment: 'Link below' })));
    expect(err.effect).toBe('unknown');
    expect(err.message).toMatch(/live on LinkedIn/);
    expect(contract.posts()).toHaveLength(1);
  });

  it('given every failure path, when errors are thrown, then no token or secret appears in them', async () => {
    const { account } = await connect();
    const secrets = [account.credentials.accessToken, account.credentials.refreshToken ?? '', contract.clientSecret];
    const errors: unknown[] = [];
    const collect = async (p: Promise<unknown>): Promise<void> => {
      await p.then(
        () => undefined,
        (e: unknown) => void errors.push(e),
      );
    };

    contract.server.failNext('POST /rest/posts', { status: 429, json: { status: 429, message: 'Too many requests' } });
    await collect(connector.publish(account, request()));
    contract.server.failNext('POST /rest/posts', { status: 500, json: { status: 500, message: 'boom' } });
    await collect(connector.publish(account, request()));
    contract.server.failNext('POST /rest/images', { malformed: true });
    await collect(connector.publish(account, request({ root: { text: 'x', media: [await image('t.png', null)] } })));
    contract.server.failNext('PUT /dms-uploads/:token', { cut: true });
    await collect(connector.publish(account, request({ root: { text: 'x', media: [await image('u.png', null)] } })));
    contract.expireAccessToken(account.credentials.accessToken);
    await collect(connector.publish(account, request()));
    contract.revokeRefreshToken(account.credentials.refreshToken ?? '');
    await collect(connector.refresh(account));
    await collect(connector.refresh(account, { clientId: contract.clientId, clientSecret: 'wrong' }));

    expect(errors).toHaveLength(7);
    for (const err of errors) {
      const chain: string[] = [];
      for (let e: unknown = err; e instanceof Error; e = e.cause) chain.push(String(e), e.message, e.stack ?? '', JSON.stringify(e));
      for (const secret of secrets) for (const text of chain) expect(text).not.toContain(secret);
    }
  });
});
