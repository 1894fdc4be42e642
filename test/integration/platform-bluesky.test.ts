// The Bluesky connector against a real PDS run here (@atproto/dev-env), read back with @atproto/api.
// Faults (429, 5xx, malformed JSON, a cut upload) come from a contract server placed in front of
// the same PDS that forwards every call and, once, answers in its place with an XRPC error body.
// The AppView and chat service don't exist locally: the PDS's real answer (502 UpstreamFailure)
// is tested as such, and the happy paths of notifications, metrics and DMs are parsed from routes
// that answer with the lexicons' shapes, built from records that really exist on the PDS.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { AtpAgent } from '@atproto/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rkeyFor } from '../../electron/platforms/bluesky';
import { createBlueskyConnector } from '../../electron/platforms/bluesky/connector';
import { publishMarker, type ConnectorAccount, type MediaInput, type PublishRequest } from '../../electron/platforms/connector';
import { PlatformError } from '../../electron/platforms/errors';
import { withFreshCredentials } from '../../electron/platforms/session';
import { startContractServer, type ContractHandler, type ContractRequest, type ContractServer } from '../contract/server';
import { startTestPds, type TestPds, type TestPdsAccount } from '../helpers/pds';

// --- fixtures -------------------------------------------------------------------------------------

/** A real PNG: 8-bit RGB, one filter byte per row; `noise` makes it incompressible (a big upload). */
function png(width: number, height: number, noise = false): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  const random = randomBytes(raw.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width * 3; x++) raw[y * (width * 3 + 1) + 1 + x] = noise ? (random[y * width * 3 + x] ?? 0) : (x * 40 + y * 60) & 0xff;
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

let dir = '';
async function imageFile(name: string, bytes: Buffer, extra: Partial<MediaInput> = {}): Promise<MediaInput> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { kind: 'image', mimeType: 'image/png', path, url: null, sizeBytes: bytes.length, altText: null, ...extra };
}

let keyCounter = 0;
function request(text: string, more: Partial<PublishRequest> = {}): PublishRequest {
  return {
    root: { text, media: [] },
    thread: [],
    firstComment: null,
    scheduleAt: null,
    idempotencyKey: `pd-test-${Date.now()}-${++keyCounter}`,
    inReplyTo: null,
    language: 'en',
    ...more,
  };
}

/** Every error the tests saw, checked at the end for secrets. */
const seenErrors: unknown[] = [];
async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (err) {
    seenErrors.push(err);
    if (err instanceof PlatformError) return err;
    throw err;
  }
  throw new Error('expected a PlatformError, but the call succeeded');
}

function errorText(err: unknown, depth = 0): string {
  if (!(err instanceof Error) || depth > 5) return String(err);
  const own = JSON.stringify({ ...err, message: err.message, stack: err.stack });
  return `${own}\n${errorText(err.cause, depth + 1)}`;
}

// --- the network ----------------------------------------------------------------------------------

let pds: TestPds;
let alice: TestPdsAccount;
let bob: TestPdsAccount;
let agent: AtpAgent;
/** The contract server in front of the PDS; its base URL plays the account's PDS for fault tests. */
let proxy: ContractServer;
const connector = createBlueskyConnector();
const secrets: string[] = [];

const forward: ContractHandler = async (req: ContractRequest) => {
  const url = `${pds.url}${req.path}${[...req.query].length > 0 ? `?${req.query.toString()}` : ''}`;
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-type', 'atproto-proxy']) {
    const v = req.headers[name];
    if (typeof v === 'string') headers[name] = v;
  }
  const res = await fetch(url, { method: req.method, headers, ...(req.method === 'POST' && req.body.length > 0 ? { body: new Uint8Array(req.body) } : {}) });
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k === 'content-type' || k === 'retry-after' || k.startsWith('ratelimit-')) out[k] = v;
  });
  return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
};

/** Only the account's current access JWT is let through to the mocked AppView/chat routes. */
let currentAccess = '';
function requireAuth(req: ContractRequest) {
  if (req.bearer() === currentAccess) return null;
  return { status: 400, json: { error: 'InvalidToken', message: 'Token could not be verified' } };
}

async function connect(who: TestPdsAccount, baseUrl = pds.url, password = who.appPassword): Promise<ConnectorAccount> {
  const { profile, credentials } = await connector.completeAuth({ baseUrl, login: { identifier: who.handle, password } });
  secrets.push(credentials.accessToken, credentials.refreshToken ?? '');
  return { platformAccountId: profile.platformAccountId, baseUrl: profile.serverUrl ?? baseUrl, credentials };
}

/** An app password with "Allow access to your direct messages", made as the app does it. */
async function privilegedAppPassword(who: TestPdsAccount): Promise<string> {
  const post = async (nsid: string, body: unknown, token?: string) => {
    const res = await fetch(`${pds.url}/xrpc/${nsid}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${nsid}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };
  const session = await post('com.atproto.server.createSession', { identifier: who.handle, password: who.password });
  const app = await post('com.atproto.server.createAppPassword', { name: `Postdesk DMs ${Date.now()}`, privileged: true }, session['accessJwt']);
  const password = app['password'] ?? '';
  secrets.push(session['accessJwt'] ?? '', session['refreshJwt'] ?? '', password);
  return password;
}

async function readPost(uri: string) {
  const [, , repo, collection, rkey] = uri.split('/');
  const res = await agent.com.atproto.repo.getRecord({ repo: repo ?? '', collection: collection ?? '', rkey: rkey ?? '' });
  return { cid: res.data.cid, value: res.data.value as Record<string, unknown> & { text: string } };
}

async function postCount(did: string): Promise<number> {
  const res = await agent.com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.feed.post', limit: 100 });
  return res.data.records.length;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'postdesk-bsky-'));
  pds = await startTestPds();
  [alice, bob] = await Promise.all([pds.createAccount(), pds.createAccount()]);
  secrets.push(alice.password, alice.appPassword, bob.password, bob.appPassword);
  agent = new AtpAgent({ service: pds.url });
  // Routes a test overrides are declared before the catch-all ones, which would match first.
  proxy = await startContractServer({
    'POST /xrpc/com.atproto.repo.createRecord': forward,
    'POST /xrpc/com.atproto.repo.uploadBlob': forward,
    'GET /xrpc/app.bsky.notification.listNotifications': forward,
    'GET /xrpc/app.bsky.feed.getPosts': forward,
    'GET /xrpc/chat.bsky.convo.listConvos': forward,
    'GET /xrpc/chat.bsky.convo.getMessages': forward,
    'POST /xrpc/chat.bsky.convo.sendMessage': forward,
    'GET /xrpc/:nsid': forward,
    'POST /xrpc/:nsid': forward,
  });
});

afterAll(async () => {
  await proxy?.close();
  await pds?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// --- auth -----------------------------------------------------------------------------------------

describe('Bluesky connector: app-password sign-in', () => {
  it('given an app password at an entry server, when connecting, then the session names the account and its real PDS from the DID document', async () => {
    // The contract server plays bsky.social: it forwards createSession, and the DID document in
    // the answer points at the PDS itself, which must become the account's server.
    const { profile, credentials } = await connector.completeAuth({ baseUrl: proxy.baseUrl, login: { identifier: `@${alice.handle}`, password: alice.appPassword } });
    secrets.push(credentials.accessToken, credentials.refreshToken ?? '');

    expect(profile.platformAccountId).toBe(alice.did);
    expect(profile.username).toBe(alice.handle);
    expect(profile.serverUrl).toBe(pds.url);
    expect(profile.profileUrl).toBe(`https://bsky.app/profile/${alice.handle}`);
    expect(credentials.refreshToken).not.toBeNull();
    expect(credentials.scopes).toEqual(['com.atproto.appPass']);
    // The access JWT lives about two hours; expiresAt comes from its exp claim, a minute early.
    expect(credentials.expiresAt).not.toBeNull();
    const lifetime = (credentials.expiresAt ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(60 * 60_000);
    expect(lifetime).toBeLessThan(3 * 60 * 60_000);
  });

  it('given a wrong app password, when connecting, then it is an auth error and nothing else', async () => {
    const err = await failure(connector.completeAuth({ baseUrl: pds.url, login: { identifier: alice.handle, password: 'aaaa-bbbb-cccc-dddd' } }));
    expect(err.category).toBe('auth');
    expect(err.status).toBe(401);
    expect(err.code).toBe('AuthenticationRequired');
  });

  it('given an expired access JWT and a valid refresh JWT, when publishing through withFreshCredentials, then it refreshes once and the retry publishes', async () => {
    const account = await connect(alice);
    const stale: ConnectorAccount = { ...account, credentials: { ...account.credentials, accessToken: pds.mintExpiredAccessJwt(alice.did) } };
    const first = await failure(connector.publish(stale, request('never sent')));
    expect(first.category).toBe('auth');
    expect(first.code).toBe('ExpiredToken');

    const refreshed: string[] = [];
    const result = await withFreshCredentials(connector, stale, { onRefreshed: (c) => void refreshed.push(c.accessToken) }, (a) => connector.publish(a, request('Published after a refresh')));
    expect(refreshed).toHaveLength(1);
    secrets.push(...refreshed);
    expect(refreshed[0]).not.toBe(stale.credentials.accessToken);
    expect((await readPost(result.root.platformPostId)).value.text).toBe('Published after a refresh');
  });

  it('given a garbage access JWT, when deleting through withFreshCredentials, then the refresh makes the call succeed', async () => {
    const account = await connect(alice);
    const made = await connector.publish(account, request('to be deleted after a refresh'));
    const broken: ConnectorAccount = { ...account, credentials: { ...account.credentials, accessToken: 'not-a-jwt' } };
    let refreshes = 0;
    await withFreshCredentials(connector, broken, { onRefreshed: () => void refreshes++ }, (a) => connector.delete(a, made.root.platformPostId));
    expect(refreshes).toBe(1);
    await expect(readPost(made.root.platformPostId)).rejects.toThrow(/Could not locate record/);
  });

  it('given a session revoked with deleteSession, when refreshing, then it ends as an auth error the user must fix by reconnecting', async () => {
    const account = await connect(alice);
    await connector.revoke?.(account);
    const direct = await failure(connector.refresh(account));
    expect(direct.category).toBe('auth');
    expect(direct.code).toBe('ExpiredToken');

    const broken: ConnectorAccount = { ...account, credentials: { ...account.credentials, accessToken: 'garbage' } };
    const wrapped = await failure(withFreshCredentials(connector, broken, { onRefreshed: () => undefined }, (a) => connector.publish(a, request('must not appear'))));
    expect(wrapped.category).toBe('auth');
    expect(wrapped.retryable).toBe(false);
  });
});

// --- publishing -----------------------------------------------------------------------------------

describe('Bluesky connector: publishing to the PDS', () => {
  let account: ConnectorAccount;
  beforeAll(async () => {
    account = await connect(alice);
  });

  it('given text with an emoji, a link, a mention and a hashtag, when publishing, then the record has them as facets at UTF-8 byte offsets', async () => {
    const text = `Café 🚀 launch: https://example.com/launch?x=1. Thanks @${bob.handle} and @nobody.test #Launch2025!`;
    const result = await connector.publish(account, request(text, { language: 'fr' }));

    expect(result.scheduledOnPlatform).toBe(false);
    expect(result.thread).toEqual([]);
    expect(result.root.platformPostId).toMatch(new RegExp(`^at://${alice.did}/app.bsky.feed.post/`));
    expect(result.root.url).toBe(`https://bsky.app/profile/${alice.did}/post/${result.root.platformPostId.split('/').pop()}`);
    const { value, cid } = await readPost(result.root.platformPostId);
    expect(cid).toBe(result.root.cid);
    expect(value.text).toBe(text);
    expect(value['langs']).toEqual(['fr']);
    expect(Date.parse(String(value['createdAt']))).toBeGreaterThan(Date.now() - 60_000);

    const bytes = Buffer.from(text, 'utf8');
    const facets = value['facets'] as { index: { byteStart: number; byteEnd: number }; features: Record<string, string>[] }[];
    const seen = facets.map((f) => ({ slice: bytes.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8'), feature: f.features[0] }));
    expect(seen).toEqual([
      { slice: 'https://example.com/launch?x=1', feature: { $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/launch?x=1' } },
      { slice: `@${bob.handle}`, feature: { $type: 'app.bsky.richtext.facet#mention', did: bob.did } },
      // @nobody.test doesn't resolve, so it stays plain text.
      { slice: '#Launch2025', feature: { $type: 'app.bsky.richtext.facet#tag', tag: 'Launch2025' } },
    ]);
  });

  it('given an image with alt text and known size, when publishing, then the post embeds the uploaded blob with its alt and aspect ratio', async () => {
    const bytes = png(40, 30);
    const image = await imageFile('chart.png', bytes, { altText: 'Bar chart: signups doubled in May', width: 40, height: 30 });
    const result = await connector.publish(account, { ...request('Our May numbers'), root: { text: 'Our May numbers', media: [image] } });

    const { value } = await readPost(result.root.platformPostId);
    const embed = value['embed'] as { $type: string; images: { alt: string; aspectRatio: unknown; image: { ref: { toString(): string }; mimeType: string; size: number } }[] };
    expect(embed.$type).toBe('app.bsky.embed.images');
    expect(embed.images).toHaveLength(1);
    expect(embed.images[0]?.alt).toBe('Bar chart: signups doubled in May');
    expect(embed.images[0]?.aspectRatio).toEqual({ width: 40, height: 30 });
    expect(embed.images[0]?.image.mimeType).toBe('image/png');
    expect(embed.images[0]?.image.size).toBe(bytes.length);
    // The blob on the PDS is byte for byte the file we uploaded.
    const blob = await agent.com.atproto.sync.getBlob({ did: alice.did, cid: String(embed.images[0]?.image.ref) });
    expect(Buffer.from(blob.data).equals(bytes)).toBe(true);
  });

  it('given a three-part thread, when publishing, then each reply points at the first post as root and the previous one as parent', async () => {
    const req = { ...request('Thread 1/3: why we built this'), thread: [{ text: 'Thread 2/3: the problem', media: [] }, { text: 'Thread 3/3: try it #buildinpublic', media: [] }] };
    const result = await connector.publish(account, req);
    expect(result.thread).toHaveLength(2);
    const [one, two, three] = [result.root, result.thread[0], result.thread[1]];
    if (!two || !three) throw new Error('thread items missing');

    const p1 = await readPost(one.platformPostId);
    const p2 = await readPost(two.platformPostId);
    const p3 = await readPost(three.platformPostId);
    expect([p1.value.text, p2.value.text, p3.value.text]).toEqual(['Thread 1/3: why we built this', 'Thread 2/3: the problem', 'Thread 3/3: try it #buildinpublic']);
    expect(p1.value['reply']).toBeUndefined();
    expect(p2.value['reply']).toEqual({ root: { uri: one.platformPostId, cid: p1.cid }, parent: { uri: one.platformPostId, cid: p1.cid } });
    expect(p3.value['reply']).toEqual({ root: { uri: one.platformPostId, cid: p1.cid }, parent: { uri: two.platformPostId, cid: p2.cid } });
    // Record keys come from the idempotency key, in part order.
    expect([one, two, three].map((i) => i.platformPostId.split('/').pop())).toEqual([0, 1, 2].map((n) => rkeyFor(req.idempotencyKey, n)));
  });

  it('given a published post, when deleting it, then the PDS no longer has it and deleting again still succeeds', async () => {
    const result = await connector.publish(account, request('Posted by mistake'));
    await connector.delete(account, result.root.platformPostId);
    await expect(readPost(result.root.platformPostId)).rejects.toThrow(/Could not locate record/);
    await connector.delete(account, result.root.platformPostId);
    expect(await connector.findPublished(account, { idempotencyKey: 'never-used' }, { since: 0 })).toBeNull();
  });

  it("given someone else's post, when deleting it, then it is refused without a request", async () => {
    const err = await failure(connector.delete(account, `at://${bob.did}/app.bsky.feed.post/3kabcdefghijk`));
    expect(err.category).toBe('permanent');
  });

  it('given a publish whose answer was lost (simulated crash), when reconciling, then findPublished finds the post and publishing again does not duplicate it', async () => {
    const req = request('Announcing our spring sale');
    const first = await connector.publish(account, req); // the app "crashed" before recording this
    const before = await postCount(alice.did);

    const found = await connector.findPublished(account, { idempotencyKey: req.idempotencyKey }, { since: Date.now() - 60_000 });
    expect(found).toEqual({ platformPostId: first.root.platformPostId, url: first.root.url, cid: first.root.cid });

    const again = await connector.publish(account, req);
    expect(again.root.platformPostId).toBe(first.root.platformPostId);
    expect(await postCount(alice.did)).toBe(before);
    expect(await connector.findPublished(account, { idempotencyKey: `${req.idempotencyKey}-other` }, { since: 0 })).toBeNull();
  });

  it('given a post carrying a publish marker, when reconciling by marker, then the listing finds it', async () => {
    const req = request('');
    const marker = publishMarker(req.idempotencyKey);
    const made = await connector.publish(account, { ...req, root: { text: `Webinar on Thursday ${marker}`, media: [] } });
    const found = await connector.findPublished(account, { marker }, { since: Date.now() - 60_000 });
    expect(found?.platformPostId).toBe(made.root.platformPostId);
    expect(await connector.findPublished(account, { marker: 'pdnotthere1' }, { since: Date.now() - 60_000 })).toBeNull();
  });

  it('given a reply to an existing post, when publishing with inReplyTo, then the reply refs name that post as root and parent', async () => {
    const bobAccount = await connect(bob);
    const original = await connector.publish(bobAccount, request('Who else is shipping this week?'));
    const answer = await connector.publish(account, request('We are!', { inReplyTo: original.root.platformPostId }));
    const { value } = await readPost(answer.root.platformPostId);
    const ref = { uri: original.root.platformPostId, cid: original.root.cid };
    expect(value['reply']).toEqual({ root: ref, parent: ref });
  });

  it('given posts Bluesky would refuse, when publishing, then a clear error comes back and nothing is sent', async () => {
    const sent = proxy.requests.length;
    const target: ConnectorAccount = { ...account, baseUrl: proxy.baseUrl };
    const img = await imageFile('small.png', png(2, 2));
    const big = await imageFile('big.png', png(2, 2), { sizeBytes: 1_500_000 });
    const cases: [PublishRequest, string, RegExp][] = [
      [request('x'.repeat(301)), 'validation', /301 characters; Bluesky allows 300/],
      [request('👩‍👩‍👧‍👦'.repeat(300)), 'validation', /3000 bytes/],
      [{ ...request('five'), root: { text: 'five', media: [img, img, img, img, img] } }, 'media', /at most 4/],
      [{ ...request('big'), root: { text: 'big', media: [big] } }, 'media', /1\.5 MB.*up to 1\.0 MB/],
      [{ ...request('gif'), root: { text: 'gif', media: [{ ...img, kind: 'gif' }] } }, 'media', /GIF/],
      [request('later', { scheduleAt: Date.now() + 3_600_000 }), 'permanent', /can't hold a post for later/],
      [request('comment', { firstComment: 'first!' }), 'permanent', /no first comment/],
    ];
    for (const [req, category, message] of cases) {
      const err = await failure(connector.publish(target, req));
      expect(err.category, message.source).toBe(category);
      expect(err.message).toMatch(message);
      expect(err.effect).toBe('none');
    }
    expect(proxy.requests.length).toBe(sent);
    // 300 graphemes of a multi-code-point emoji are within the grapheme limit but over the bytes one.
    expect('👩‍👩‍👧‍👦'.length).toBeGreaterThan(1);
  });
});

// --- failures between us and the PDS ----------------------------------------------------------------

describe('Bluesky connector: faults in front of a real PDS', () => {
  let account: ConnectorAccount;
  beforeAll(async () => {
    const real = await connect(alice);
    account = { ...real, baseUrl: proxy.baseUrl };
  });

  it('given a 429 with Retry-After, when publishing, then it is a rate_limit error with the wait and no post', async () => {
    const before = await postCount(alice.did);
    proxy.failNext('POST /xrpc/com.atproto.repo.createRecord', {
      status: 429,
      headers: { 'retry-after': '7', 'ratelimit-limit': '5000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 7), 'ratelimit-policy': '5000;w=3600' },
      json: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
    });
    const err = await failure(connector.publish(account, request('rate limited')));
    expect(err.category).toBe('rate_limit');
    expect(err.retryAfterMs).toBe(7000);
    expect(err.code).toBe('RateLimitExceeded');
    expect(await postCount(alice.did)).toBe(before);
  });

  it('given a 500 that never reached the PDS, when publishing, then it is transient with an unknown effect and nothing was made', async () => {
    const before = await postCount(alice.did);
    proxy.failNext('POST /xrpc/com.atproto.repo.createRecord', { status: 500, json: { error: 'InternalServerError', message: 'Internal Server Error' } });
    const err = await failure(connector.publish(account, request('server error')));
    expect(err.category).toBe('transient');
    expect(err.effect).toBe('unknown');
    expect(err.retryable).toBe(true);
    expect(await postCount(alice.did)).toBe(before);
  });

  it('given a post the PDS made but whose answer was lost in a 502, when publishing, then the connector reads the key back and reports the real post', async () => {
    const req = request('Made, but the answer got lost');
    proxy.route('POST /xrpc/com.atproto.repo.createRecord', async (r) => {
      proxy.route('POST /xrpc/com.atproto.repo.createRecord', forward);
      await forward(r);
      return { status: 502, json: { error: 'UpstreamFailure', message: 'Upstream service unreachable' } };
    });
    const result = await connector.publish(account, req);
    expect(result.root.platformPostId.split('/').pop()).toBe(rkeyFor(req.idempotencyKey, 0));
    expect((await readPost(result.root.platformPostId)).value.text).toBe('Made, but the answer got lost');
  });

  it('given malformed JSON on a 200, when publishing, then it is transient and not reported as success', async () => {
    proxy.failNext('POST /xrpc/com.atproto.repo.createRecord', { malformed: true });
    const err = await failure(connector.publish(account, request('malformed')));
    expect(err.category).toBe('transient');
    expect(err.effect).toBe('unknown');
  });

  it('given an image upload cut halfway, when publishing, then it is transient with no post, and the retry publishes once', async () => {
    const before = await postCount(alice.did);
    const bytes = png(256, 256, true);
    expect(bytes.length).toBeGreaterThan(150_000);
    const image = await imageFile('noise.png', bytes, { altText: 'Noise' });
    const req = { ...request('With a big image'), root: { text: 'With a big image', media: [image] } };

    proxy.failNext('POST /xrpc/com.atproto.repo.uploadBlob', { cut: true });
    const err = await failure(connector.publish(account, req));
    expect(err.category).toBe('transient');
    // The blob is invisible until a post uses it, so nothing happened that a retry could repeat.
    expect(err.effect).toBe('none');
    expect(await postCount(alice.did)).toBe(before);

    const result = await connector.publish(account, req);
    expect(await postCount(alice.did)).toBe(before + 1);
    const { value } = await readPost(result.root.platformPostId);
    expect((value['embed'] as { images: { alt: string }[] }).images[0]?.alt).toBe('Noise');
  });

  it('given a thread that fails at its third post, when publishing again, then the error says how far it got and the retry completes it without duplicates', async () => {
    const req = { ...request('Part one'), thread: [{ text: 'Part two', media: [] }, { text: 'Part three', media: [] }] };
    const before = await postCount(alice.did);
    let creates = 0;
    proxy.route('POST /xrpc/com.atproto.repo.createRecord', async (r) => {
      if (++creates === 3) return { status: 503, headers: { 'retry-after': '2' }, json: { error: 'NotEnoughResources', message: 'Try again' } };
      return forward(r);
    });
    const err = await failure(connector.publish(account, req));
    expect(err.category).toBe('transient');
    expect(err.retryAfterMs).toBe(2000);
    expect(err.message).toMatch(/2 of 3 posts of the thread are published/);
    expect(await postCount(alice.did)).toBe(before + 2);

    proxy.route('POST /xrpc/com.atproto.repo.createRecord', forward);
    const result = await connector.publish(account, req);
    expect(await postCount(alice.did)).toBe(before + 3);
    const third = await readPost(result.thread[1]?.platformPostId ?? '');
    expect((third.value['reply'] as { parent: { uri: string } }).parent.uri).toBe(result.thread[0]?.platformPostId);
  });
});

// --- inbox, replies, metrics ------------------------------------------------------------------------

describe('Bluesky connector: inbox and metrics', () => {
  let account: ConnectorAccount;
  let direct: ConnectorAccount;
  let post: { uri: string; cid: string };
  let bobReply: { uri: string; cid: string; value: Record<string, unknown> };
  let bobMention: { uri: string; cid: string; value: Record<string, unknown> };

  beforeAll(async () => {
    direct = await connect(alice, pds.url, await privilegedAppPassword(alice));
    expect(direct.credentials.scopes).toEqual(['com.atproto.appPassPrivileged']);
    account = { ...direct, baseUrl: proxy.baseUrl };
    currentAccess = direct.credentials.accessToken;
    const bobAccount = await connect(bob);
    const made = await connector.publish(direct, request('What should we build next?'));
    post = { uri: made.root.platformPostId, cid: made.root.cid ?? '' };
    const r = await connector.publish(bobAccount, request('A calendar view, please!', { inReplyTo: post.uri }));
    bobReply = { uri: r.root.platformPostId, cid: r.root.cid ?? '', value: (await readPost(r.root.platformPostId)).value };
    const m = await connector.publish(bobAccount, request(`Loving the beta from @${alice.handle}`));
    bobMention = { uri: m.root.platformPostId, cid: m.root.cid ?? '', value: (await readPost(m.root.platformPostId)).value };
  });

  it('given the PDS has no AppView, when fetching the inbox or metrics, then the PDS answer becomes a clear transient error', async () => {
    const inbox = await failure(connector.fetchInbox(direct, { kinds: ['comment', 'mention'], cursor: null, since: null, limit: 20 }));
    expect(inbox.category).toBe('transient');
    expect(inbox.code).toBe('UpstreamFailure');
    expect(inbox.status).toBe(502);
    expect(inbox.message).toMatch(/could not reach the service that provides notifications/);
    const metrics = await failure(connector.fetchMetrics(direct, [post.uri]));
    expect(metrics.code).toBe('UpstreamFailure');
    expect(metrics.message).toMatch(/post statistics/);
  });

  it('given an ordinary app password, when fetching or answering DMs, then a permanent error says which app password is needed, not an expired session', async () => {
    const plain = await connect(alice);
    const sent = proxy.requests.length;
    const early = await failure(connector.fetchInbox({ ...plain, baseUrl: proxy.baseUrl }, { kinds: ['dm', 'comment'], cursor: null, since: null, limit: 20 }));
    expect(early.category).toBe('permanent');
    expect(early.message).toMatch(/Allow access to your direct messages/);
    const answer = await failure(connector.reply({ ...plain, baseUrl: proxy.baseUrl }, { to: { kind: 'dm', platformMessageId: 'm', threadId: 'c', replyDeadline: null }, text: 'hi', media: [], idempotencyKey: 'dm-x' }));
    expect(answer.category).toBe('permanent');
    expect(proxy.requests.length).toBe(sent);
    // With the scope unknown, the PDS's own refusal is read the same way. (This local PDS can't
    // resolve the chat service's DID offline, so the refusal is the body its pipethrough sends.)
    proxy.failNext('GET /xrpc/chat.bsky.convo.listConvos', { status: 400, json: { error: 'InvalidToken', message: 'Bad token method' } });
    const unknown = await failure(connector.fetchInbox({ ...plain, baseUrl: proxy.baseUrl, credentials: { ...plain.credentials, scopes: [] } }, { kinds: ['dm'], cursor: null, since: null, limit: 20 }));
    expect(unknown.category).toBe('permanent');
    expect(unknown.code).toBe('InvalidToken');
    expect(unknown.message).toMatch(/Allow access to your direct messages/);
  });

  it('given notifications across two pages, when fetching the inbox, then replies and mentions come back in order, likes are dropped and the cursor pages', async () => {
    const author = { did: bob.did, handle: bob.handle, displayName: 'Bob Builder', avatar: 'https://cdn.example/avatar.jpg', labels: [], createdAt: '2024-01-01T00:00:00.000Z' };
    const now = Date.now();
    const notif = (uri: string, cid: string, reason: string, record: Record<string, unknown>, ageMs: number) => ({
      uri,
      cid,
      author,
      reason,
      ...(reason === 'reply' ? { reasonSubject: post.uri } : {}),
      record,
      isRead: false,
      indexedAt: new Date(now - ageMs).toISOString(),
      labels: [],
    });
    const like = { $type: 'app.bsky.feed.like', subject: post, createdAt: new Date(now - 1000).toISOString() };
    const pages: Record<string, unknown> = {
      first: { cursor: 'page-2', priority: false, seenAt: new Date(now - 86_400_000).toISOString(), notifications: [notif(`at://${bob.did}/app.bsky.feed.like/3kaaaaaaaaaaa`, 'bafylike', 'like', like, 1000), notif(bobMention.uri, bobMention.cid, 'mention', bobMention.value, 2000)] },
      'page-2': { notifications: [notif(bobReply.uri, bobReply.cid, 'reply', bobReply.value, 3000)] },
    };
    proxy.route('GET /xrpc/app.bsky.notification.listNotifications', (req) => requireAuth(req) ?? { json: pages[req.query.get('cursor') ?? 'first'] ?? { notifications: [] } });

    const page1 = await connector.fetchInbox(account, { kinds: ['comment', 'mention'], cursor: null, since: null, limit: 2 });
    const call = proxy.calls('GET /xrpc/app.bsky.notification.listNotifications')[0];
    expect(call?.query.get('limit')).toBe('2');
    expect(call?.query.getAll('reasons').sort()).toEqual(['mention', 'quote', 'reply']);
    expect(page1.items.map((i) => [i.kind, i.platformMessageId])).toEqual([['mention', bobMention.uri]]);
    expect(page1.items[0]).toMatchObject({ authorId: bob.did, authorHandle: bob.handle, authorName: 'Bob Builder', threadId: bobMention.uri, parentId: null, text: `Loving the beta from @${alice.handle}`, replyDeadline: null });
    expect(page1.nextCursor).not.toBeNull();

    const page2 = await connector.fetchInbox(account, { kinds: ['comment', 'mention'], cursor: page1.nextCursor, since: null, limit: 2 });
    expect(proxy.calls('GET /xrpc/app.bsky.notification.listNotifications')[1]?.query.get('cursor')).toBe('page-2');
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]).toMatchObject({ kind: 'comment', platformMessageId: bobReply.uri, threadId: post.uri, parentId: post.uri, text: 'A calendar view, please!' });
    expect(page2.items[0]?.url).toBe(`https://bsky.app/profile/${bob.handle}/post/${bobReply.uri.split('/').pop()}`);
    expect(page2.nextCursor).toBeNull();

    // `since` stops at the first older notification and ends paging.
    const recent = await connector.fetchInbox(account, { kinds: ['mention'], cursor: null, since: now - 1500, limit: 50 });
    expect(recent.items).toEqual([]);
    expect(recent.nextCursor).toBeNull();
  });

  it('given a comment from the inbox, when replying, then the reply on the PDS threads under it with the right root', async () => {
    const reply = await connector.reply(direct, {
      to: { kind: 'comment', platformMessageId: bobReply.uri, threadId: post.uri, replyDeadline: null },
      text: 'Noted, it is on the roadmap!',
      media: [],
      idempotencyKey: `reply-${Date.now()}`,
    });
    const { value } = await readPost(reply.platformPostId);
    expect(value.text).toBe('Noted, it is on the roadmap!');
    expect(value['reply']).toEqual({ root: { uri: post.uri, cid: post.cid }, parent: { uri: bobReply.uri, cid: bobReply.cid } });
  });

  it('given DMs on the chat service, when fetching the inbox and answering, then calls carry the chat proxy header and only others’ messages count', async () => {
    const convo = { id: 'convo-3kx1', rev: '22222', members: [{ did: alice.did, handle: alice.handle }, { did: bob.did, handle: bob.handle, displayName: 'Bob Builder' }], muted: false, unreadCount: 1, status: 'accepted', lastMessage: { $type: 'chat.bsky.convo.defs#messageView', id: 'msg-2', rev: '2', text: 'Is the beta open?', sender: { did: bob.did }, sentAt: new Date().toISOString() } };
    const chatAuth = (req: ContractRequest) => requireAuth(req) ?? (req.headers['atproto-proxy'] === 'did:web:api.bsky.chat#bsky_chat' ? null : { status: 502, json: { error: 'UpstreamFailure', message: 'Upstream service unreachable' } });
    proxy.route('GET /xrpc/chat.bsky.convo.listConvos', (req) => chatAuth(req) ?? { json: { convos: [convo] } });
    proxy.route('GET /xrpc/chat.bsky.convo.getMessages', (req) =>
      chatAuth(req) ??
      (req.query.get('convoId') === convo.id
        ? { json: { messages: [convo.lastMessage, { $type: 'chat.bsky.convo.defs#deletedMessageView', id: 'msg-1b', rev: '1b', sender: { did: bob.did }, sentAt: new Date(Date.now() - 500).toISOString() }, { $type: 'chat.bsky.convo.defs#messageView', id: 'msg-1', rev: '1', text: 'Hi Bob!', sender: { did: alice.did }, sentAt: new Date(Date.now() - 1000).toISOString() }] } }
        : { status: 400, json: { error: 'InvalidConvo', message: 'Convo not found' } }),
    );
    proxy.route('POST /xrpc/chat.bsky.convo.sendMessage', (req) => {
      const denied = chatAuth(req);
      if (denied) return denied;
      const body = req.json<{ convoId: string; message: { text: string } }>();
      return { json: { id: 'msg-3', rev: '3', text: body.message.text, sender: { did: alice.did }, sentAt: new Date().toISOString() } };
    });

    const page = await connector.fetchInbox(account, { kinds: ['dm'], cursor: null, since: null, limit: 20 });
    expect(page.items).toEqual([expect.objectContaining({ kind: 'dm', platformMessageId: 'msg-2', threadId: convo.id, authorId: bob.did, authorHandle: bob.handle, authorName: 'Bob Builder', text: 'Is the beta open?' })]);
    expect(page.nextCursor).toBeNull();

    const sent = await connector.reply(account, { to: { kind: 'dm', platformMessageId: 'msg-2', threadId: convo.id, replyDeadline: null }, text: 'Yes, from Monday.', media: [], idempotencyKey: 'dm-1' });
    expect(sent.platformPostId).toBe('msg-3');
    expect(proxy.calls('POST /xrpc/chat.bsky.convo.sendMessage')[0]?.json()).toEqual({ convoId: convo.id, message: { text: 'Yes, from Monday.' } });
  });

  it('given posts with counts from the AppView, when fetching metrics, then reported counts map and missing ones stay absent, 25 URIs per call', async () => {
    const uris = Array.from({ length: 27 }, (_, i) => (i === 0 ? post.uri : `at://${alice.did}/app.bsky.feed.post/${rkeyFor(`m-${i}`, 0)}`));
    proxy.route('GET /xrpc/app.bsky.feed.getPosts', (req) => {
      const denied = requireAuth(req);
      if (denied) return denied;
      const asked = req.query.getAll('uris');
      if (asked.length > 25) return { status: 400, json: { error: 'InvalidRequest', message: 'Error: uris must not have more than 25 elements' } };
      const posts = asked
        .filter((u) => u === post.uri || u.endsWith(rkeyFor('m-26', 0)))
        .map((u) => ({ uri: u, cid: 'bafyx', author: { did: alice.did, handle: alice.handle }, record: {}, indexedAt: new Date().toISOString(), ...(u === post.uri ? { likeCount: 12, repostCount: 3, replyCount: 1, quoteCount: 0, bookmarkCount: 2 } : { likeCount: 5 }) }));
      return { json: { posts } };
    });
    const metrics = await connector.fetchMetrics(account, uris);
    expect(proxy.calls('GET /xrpc/app.bsky.feed.getPosts').map((c) => c.query.getAll('uris').length)).toEqual([25, 2]);
    expect(metrics.map((m) => [m.platformPostId, m.values])).toEqual([
      [post.uri, { likes: 12, reposts: 3, replies: 1, quotes: 0, bookmarks: 2 }],
      [uris[26], { likes: 5 }],
    ]);
  });
});

describe('Bluesky connector: secrets', () => {
  it('given every error raised in this file, when reading their messages, fields and causes, then no token or password appears', () => {
    expect(seenErrors.length).toBeGreaterThan(10);
    expect(secrets.filter((s) => s.length > 0).length).toBeGreaterThan(8);
    for (const err of seenErrors) {
      const text = errorText(err);
      for (const s of secrets) if (s.length > 0) expect(text.includes(s), `an error carries a secret: ${(err as Error).message}`).toBe(false);
    }
  });
});
