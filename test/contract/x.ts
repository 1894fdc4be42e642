// X API v2 played by its published contract (docs/PLATFORMS.md "X"), in memory, for connector
// tests. Paths, scopes, payload checks, error bodies, pagination and rate-limit headers follow
// docs.x.com; where the exact wording of an error is not documented, the body keeps X's documented
// shape (problem JSON or `{errors: [...]}`) and the comment says the text is ours.
//
// The consent step: `GET /i/oauth2/authorize` checks the request like X's page does and, standing
// in for the user pressing "Authorize app", answers 302 to the registered redirect with a code.
// Tests fetch the connector's authorize URL with `redirect: 'manual'` and read `location`.
import { createHash, randomBytes } from 'node:crypto';
import { startContractServer, type ContractHandler, type ContractRequest, type ContractResponse, type ContractServer } from './server';

export const X_TEST_REDIRECT = 'http://127.0.0.1:53682/callback';

const KNOWN_SCOPES = new Set([
  'tweet.read', 'tweet.write', 'tweet.moderate.write', 'users.read', 'follows.read', 'follows.write', 'offline.access', 'space.read',
  'mute.read', 'mute.write', 'like.read', 'like.write', 'list.read', 'list.write', 'block.read', 'block.write', 'bookmark.read',
  'bookmark.write', 'media.write', 'dm.read', 'dm.write',
]);
const ACCESS_TOKEN_SECONDS = 7200;
const WINDOW_MS = 15 * 60_000;
const MB = 1024 * 1024;

export interface XAppClient {
  clientId: string;
  clientSecret: string | null;
  redirectUris: string[];
}

export interface XUserRecord {
  id: string;
  username: string;
  name: string;
  profile_image_url: string;
}

export interface XPublicMetrics {
  impression_count?: number;
  like_count?: number;
  retweet_count?: number;
  reply_count?: number;
  quote_count?: number;
  bookmark_count?: number;
}

export interface XTweetRecord {
  id: string;
  text: string;
  authorId: string;
  createdAt: number;
  conversationId: string;
  inReplyToUserId: string | null;
  repliedTo: string | null;
  mediaIds: string[];
  metrics: XPublicMetrics;
}

export interface XMediaRecord {
  id: string;
  ownerId: string;
  mediaType: string;
  category: string;
  totalBytes: number;
  segments: Map<number, Buffer>;
  state: 'uploading' | 'pending' | 'in_progress' | 'succeeded' | 'failed';
  altText: string | null;
  bytes: Buffer | null;
}

export interface XDmEventRecord {
  id: string;
  text: string;
  senderId: string;
  conversationId: string;
  createdAt: number;
}

interface AccessTokenRecord {
  userId: string;
  clientId: string;
  scopes: Set<string>;
  expiresAt: number;
  revoked: boolean;
}

interface RefreshTokenRecord {
  userId: string;
  clientId: string;
  scopes: Set<string>;
  active: boolean;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  challenge: string;
  method: 'S256' | 'plain';
  scopes: Set<string>;
  userId: string;
  expiresAt: number;
  used: boolean;
}

export interface XContract {
  server: ContractServer;
  baseUrl: string;
  me: XUserRecord;
  users: Map<string, XUserRecord>;
  publicClient: XAppClient;
  confidentialClient: XAppClient & { clientSecret: string };
  tweets: Map<string, XTweetRecord>;
  media: Map<string, XMediaRecord>;
  dmEvents: XDmEventRecord[];
  /** Tokens as if `me` had connected through `client` (default: the public client). */
  issueTokens(opts?: { clientId?: string; scopes?: readonly string[] }): { accessToken: string; refreshToken: string };
  expireAccessToken(token: string): void;
  revokeRefreshToken(token: string): void;
  isRefreshTokenActive(token: string): boolean;
  /** A post by someone (`author` is a username), e.g. a mention or a reply to `me`. */
  seedTweet(opts: { author: string; text: string; at: number; inReplyTo?: string }): XTweetRecord;
  seedDm(opts: { from: string; text: string; at: number }): XDmEventRecord;
  setMetrics(tweetId: string, metrics: XPublicMetrics): void;
  /** The next GIF or video that finishes processing fails as X reports an unsupported file. */
  failNextProcessing(): void;
  close(): Promise<void>;
}

// --- X's error bodies --------------------------------------------------------------------------

const unauthorized = (): ContractResponse => ({ status: 401, json: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } });

const forbidden = (detail: string): ContractResponse => ({ status: 403, json: { detail, type: 'about:blank', title: 'Forbidden', status: 403 } });

const tooMany = (): ContractResponse => ({ status: 429, json: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 } });

function invalid(message: string, parameters: Record<string, string[]> = {}): ContractResponse {
  return {
    status: 400,
    json: {
      errors: [{ parameters, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

function notFoundError(resourceType: string, parameter: string, value: string): Record<string, string> {
  return {
    value,
    detail: `Could not find ${resourceType} with ${parameter}: [${value}].`,
    title: 'Not Found Error',
    resource_type: resourceType,
    parameter,
    resource_id: value,
    type: 'https://api.twitter.com/2/problems/resource-not-found',
  };
}

const oauthError = (status: number, error: string, description: string): ContractResponse => ({ status, json: { error, error_description: description } });

// --- small helpers -----------------------------------------------------------------------------

const iso = (ms: number): string => new Date(ms).toISOString();
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function token(): string {
  return randomBytes(36).toString('base64url');
}

function fields(req: ContractRequest, name: string): Set<string> {
  return new Set((req.query.get(name) ?? '').split(',').filter(Boolean));
}

/** X's own counter (twitter-text) is the reference; this stand-in weighs URLs 23 and non-Latin code points 2. */
function roughWeightedLength(text: string): number {
  let n = 0;
  const rest = text.normalize('NFC').replace(/https?:\/\/\S+/g, () => {
    n += 23;
    return '';
  });
  for (const ch of rest) n += (ch.codePointAt(0) ?? 0) <= 4351 ? 1 : 2;
  return n;
}

const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8,
  'image/gif': (b) => b.subarray(0, 3).toString('latin1') === 'GIF',
  'image/webp': (b) => b.subarray(8, 12).toString('latin1') === 'WEBP',
  'video/mp4': (b) => b.subarray(4, 8).toString('latin1') === 'ftyp',
  'video/quicktime': (b) => b.subarray(4, 8).toString('latin1') === 'ftyp',
};

const CATEGORY_LIMITS: Record<string, number> = {
  tweet_image: 5 * MB,
  dm_image: 5 * MB,
  tweet_gif: 15 * MB,
  dm_gif: 15 * MB,
  tweet_video: 512 * MB,
  dm_video: 512 * MB,
  amplify_video: 512 * MB,
};

const MEDIA_KEY_PREFIX: Record<string, string> = { image: '3', gif: '16', video: '7' };

function mediaClass(category: string): 'image' | 'gif' | 'video' {
  return category.endsWith('gif') ? 'gif' : category.endsWith('video') ? 'video' : 'image';
}

// --- the server --------------------------------------------------------------------------------

export async function startXContract(opts: { now?: () => number } = {}): Promise<XContract> {
  const now = opts.now ?? Date.now;
  let seq = 0n;
  const nextId = (): string => String(1_860_000_000_000_000_000n + ++seq * 4096n);

  const me: XUserRecord = { id: '1500000000000000001', username: 'postdesk_test', name: 'Postdesk Test', profile_image_url: 'https://pbs.twimg.com/profile_images/1/postdesk_normal.png' };
  const users = new Map<string, XUserRecord>([[me.id, me]]);
  for (const [id, username, name] of [
    ['1500000000000000002', 'amara_writes', 'Amara Okafor'],
    ['1500000000000000003', 'devon_builds', 'Devon Reyes'],
  ] as const) {
    users.set(id, { id, username, name, profile_image_url: `https://pbs.twimg.com/profile_images/${id}/a_normal.png` });
  }
  const byUsername = (username: string): XUserRecord => {
    const u = [...users.values()].find((x) => x.username === username);
    if (!u) throw new Error(`No test user @${username}`);
    return u;
  };

  const publicClient: XAppClient = { clientId: 'UHVibGljQ2xpZW50OjE6Y2k', clientSecret: null, redirectUris: [X_TEST_REDIRECT] };
  const confidentialClient = { clientId: 'Q29uZmlkZW50aWFsOjE6Y2k', clientSecret: 'cs-8mQ2vT9xLr4Zp7Wn3Kd6Hy1Bf5Gj0Sa', redirectUris: [X_TEST_REDIRECT] };
  const clients = new Map<string, XAppClient>([
    [publicClient.clientId, publicClient],
    [confidentialClient.clientId, confidentialClient],
  ]);

  const codes = new Map<string, CodeRecord>();
  const accessTokens = new Map<string, AccessTokenRecord>();
  const refreshTokens = new Map<string, RefreshTokenRecord>();
  const tweets = new Map<string, XTweetRecord>();
  const media = new Map<string, XMediaRecord>();
  const dmEvents: XDmEventRecord[] = [];
  const pageTokens = new Map<string, { scope: string; offset: number }>();
  const windows = new Map<string, { used: number; resetAt: number }>();
  let failProcessing = false;

  function issue(userId: string, clientId: string, scopes: Set<string>): { access_token: string; refresh_token?: string; expires_in: number; scope: string; token_type: string } {
    const access = token();
    accessTokens.set(access, { userId, clientId, scopes, expiresAt: now() + ACCESS_TOKEN_SECONDS * 1000, revoked: false });
    const out: { access_token: string; refresh_token?: string; expires_in: number; scope: string; token_type: string } = {
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      access_token: access,
      scope: [...scopes].join(' '),
    };
    if (scopes.has('offline.access')) {
      const refresh = token();
      refreshTokens.set(refresh, { userId, clientId, scopes, active: true });
      out.refresh_token = refresh;
    }
    return out;
  }

  /** Who is calling the token endpoint: HTTP Basic for confidential clients, client_id for public ones. */
  function tokenClient(req: ContractRequest): XAppClient | ContractResponse {
    const header = req.headers.authorization ?? '';
    const basic = /^Basic (.+)$/i.exec(header);
    const refuse = oauthError(401, 'unauthorized_client', 'Missing valid authorization header');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const at = decoded.indexOf(':');
      const id = decodeURIComponent(decoded.slice(0, at));
      const secret = decodeURIComponent(decoded.slice(at + 1));
      const client = clients.get(id);
      if (!client || client.clientSecret === null || client.clientSecret !== secret) return refuse;
      const bodyId = req.form().get('client_id');
      if (bodyId !== null && bodyId !== id) return refuse;
      return client;
    }
    const client = clients.get(req.form().get('client_id') ?? '');
    if (!client) return oauthError(400, 'invalid_request', 'Missing required parameter [client_id].');
    if (client.clientSecret !== null) return refuse;
    return client;
  }

  /** Bearer check, 15-minute window per route and user, scope check; rate headers on every answer. */
  function api(route: string, limit: number, scopes: readonly string[], handler: (req: ContractRequest, user: XUserRecord) => ContractResponse | Promise<ContractResponse>): [string, ContractHandler] {
    return [
      route,
      async (req) => {
        const bearer = req.bearer();
        const record = bearer === null ? undefined : accessTokens.get(bearer);
        if (!record || record.revoked || record.expiresAt <= now()) return unauthorized();
        const key = `${route} ${record.userId}`;
        let win = windows.get(key);
        if (!win || win.resetAt <= now()) {
          win = { used: 0, resetAt: now() + WINDOW_MS };
          windows.set(key, win);
        }
        const headers = (): Record<string, string> => ({
          'x-rate-limit-limit': String(limit),
          'x-rate-limit-remaining': String(Math.max(0, limit - win.used)),
          'x-rate-limit-reset': String(Math.ceil(win.resetAt / 1000)),
        });
        if (win.used >= limit) return { ...tooMany(), headers: headers() };
        win.used++;
        if (scopes.some((s) => !record.scopes.has(s))) return { ...forbidden('Forbidden'), headers: headers() };
        const user = users.get(record.userId);
        if (!user) return unauthorized();
        const out = await handler(req, user);
        return { ...out, headers: { ...headers(), ...out.headers } };
      },
    ];
  }

  function jsonBody(req: ContractRequest): Record<string, unknown> | ContractResponse {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return invalid('The request body must be JSON (Content-Type: application/json).');
    try {
      const value = req.json<unknown>();
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // fall through
    }
    return invalid('The request body is not a JSON object.');
  }

  const isResponse = (v: unknown): v is ContractResponse => typeof v === 'object' && v !== null && 'status' in v && typeof (v as ContractResponse).status === 'number';

  /** `max_results` and `pagination_token` as X checks them, then one page of `all`. */
  function paged<T>(req: ContractRequest, scope: string, all: readonly T[], min: number, max: number, dflt: number): { items: T[]; next: string | undefined } | ContractResponse {
    const raw = req.query.get('max_results');
    const size = raw === null ? dflt : Number(raw);
    if (!Number.isInteger(size) || size < min || size > max) {
      return invalid(`The \`max_results\` query parameter value [${raw}] is not between ${min} and ${max}`, { max_results: [String(raw)] });
    }
    let offset = 0;
    const pt = req.query.get('pagination_token');
    if (pt !== null) {
      const known = pageTokens.get(pt);
      if (!known || known.scope !== scope) return invalid(`The \`pagination_token\` query parameter value [${pt}] is not valid`, { pagination_token: [pt] });
      offset = known.offset;
    }
    const items = all.slice(offset, offset + size);
    let next: string | undefined;
    if (offset + size < all.length) {
      next = randomBytes(20).toString('hex');
      pageTokens.set(next, { scope, offset: offset + size });
    }
    return { items, next };
  }

  function renderTweet(t: XTweetRecord, f: Set<string>): Record<string, unknown> {
    const out: Record<string, unknown> = { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] };
    if (f.has('created_at')) out['created_at'] = iso(t.createdAt);
    if (f.has('author_id')) out['author_id'] = t.authorId;
    if (f.has('conversation_id')) out['conversation_id'] = t.conversationId;
    if (f.has('in_reply_to_user_id') && t.inReplyToUserId !== null) out['in_reply_to_user_id'] = t.inReplyToUserId;
    if (f.has('referenced_tweets') && t.repliedTo !== null) out['referenced_tweets'] = [{ type: 'replied_to', id: t.repliedTo }];
    if (f.has('attachments') && t.mediaIds.length > 0) out['attachments'] = { media_keys: t.mediaIds.map((id) => `3_${id}`) };
    if (f.has('public_metrics')) out['public_metrics'] = { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0, bookmark_count: 0, impression_count: 0, ...t.metrics };
    return out;
  }

  const newestFirst = <T extends { createdAt: number; id: string }>(a: T, b: T): number => b.createdAt - a.createdAt || (BigInt(b.id) > BigInt(a.id) ? 1 : -1);

  function timeline(req: ContractRequest, scope: string, list: XTweetRecord[]): ContractResponse {
    const start = req.query.get('start_time');
    if (start !== null && !RFC3339.test(start)) return invalid(`Invalid 'start_time':'${start}'. 'start_time' must be a valid RFC3339 date.`, { start_time: [start] });
    const since = start === null ? null : Date.parse(start);
    const filtered = list.filter((t) => since === null || t.createdAt >= since).sort(newestFirst);
    const page = paged(req, scope, filtered, 5, 100, 10);
    if (isResponse(page)) return page;
    const f = fields(req, 'tweet.fields');
    const meta: Record<string, unknown> = { result_count: page.items.length };
    if (page.items.length === 0) return { json: { meta } };
    meta['newest_id'] = page.items[0]?.id;
    meta['oldest_id'] = page.items.at(-1)?.id;
    if (page.next) meta['next_token'] = page.next;
    const out: Record<string, unknown> = { data: page.items.map((t) => renderTweet(t, f)), meta };
    if (fields(req, 'expansions').has('author_id')) {
      out['includes'] = { users: [...new Set(page.items.map((t) => t.authorId))].flatMap((id) => (users.get(id) ? [userJson(users.get(id) as XUserRecord, req)] : [])) };
    }
    return { json: out };
  }

  function userJson(u: XUserRecord, req: ContractRequest): Record<string, unknown> {
    const out: Record<string, unknown> = { id: u.id, name: u.name, username: u.username };
    if (fields(req, 'user.fields').has('profile_image_url')) out['profile_image_url'] = u.profile_image_url;
    return out;
  }

  function createTweetRecord(authorId: string, text: string, at: number, parent: XTweetRecord | null, mediaIds: string[]): XTweetRecord {
    const id = nextId();
    const t: XTweetRecord = {
      id,
      text,
      authorId,
      createdAt: at,
      conversationId: parent?.conversationId ?? id,
      inReplyToUserId: parent?.authorId ?? null,
      repliedTo: parent?.id ?? null,
      mediaIds,
      metrics: {},
    };
    tweets.set(id, t);
    return t;
  }

  const conversationId = (a: string, b: string): string => (BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`);

  const TWEET_KEYS = new Set(['text', 'media', 'reply', 'quote_tweet_id', 'poll', 'reply_settings', 'for_super_followers_only', 'geo', 'direct_message_deep_link', 'nullcast', 'community_id', 'edit_options', 'card_uri', 'made_with_ai', 'paid_partnership', 'share_with_followers']);

  const routes: [string, ContractHandler][] = [
    [
      'GET /i/oauth2/authorize',
      (req) => {
        const q = req.query;
        const client = clients.get(q.get('client_id') ?? '');
        const redirect = q.get('redirect_uri') ?? '';
        // RFC 6749 §4.1.2.1: never redirect to an unverified address; X shows an error page instead.
        if (!client || !client.redirectUris.includes(redirect)) {
          return { status: 400, headers: { 'content-type': 'text/html' }, body: "<p>Something went wrong. You weren't able to give access to the App.</p>" };
        }
        const state = q.get('state');
        const back = (params: Record<string, string>): ContractResponse => {
          const url = new URL(redirect);
          for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
          if (state !== null) url.searchParams.set('state', state);
          return { status: 302, headers: { location: url.toString() } };
        };
        const scopes = new Set((q.get('scope') ?? '').split(' ').filter(Boolean));
        const method = q.get('code_challenge_method') ?? 'plain';
        const challenge = q.get('code_challenge');
        if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
        if (state === null || state === '') return back({ error: 'invalid_request', error_description: 'Missing required parameter [state].' });
        if (challenge === null || (method !== 'S256' && method !== 'plain')) return back({ error: 'invalid_request', error_description: 'Missing required parameter [code_challenge].' });
        if (scopes.size === 0 || [...scopes].some((s) => !KNOWN_SCOPES.has(s))) return back({ error: 'invalid_scope' });
        const code = randomBytes(30).toString('base64url');
        codes.set(code, { clientId: client.clientId, redirectUri: redirect, challenge, method, scopes, userId: me.id, expiresAt: now() + 30_000, used: false });
        return back({ code });
      },
    ],
    [
      'POST /2/oauth2/token',
      (req) => {
        if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
        const client = tokenClient(req);
        if (isResponse(client)) return client;
        const form = req.form();
        const grant = form.get('grant_type');
        if (grant === null) return oauthError(400, 'invalid_request', 'Missing required parameter [grant_type].');
        if (grant === 'authorization_code') {
          for (const p of ['code', 'redirect_uri', 'code_verifier']) if (!form.get(p)) return oauthError(400, 'invalid_request', `Missing required parameter [${p}].`);
          const code = codes.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const challenge = code?.method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
          if (!code || code.used || code.expiresAt <= now() || code.clientId !== client.clientId || code.redirectUri !== form.get('redirect_uri') || code.challenge !== challenge) {
            return oauthError(400, 'invalid_request', 'Value passed for the authorization code was invalid.');
          }
          code.used = true;
          return { json: issue(code.userId, client.clientId, code.scopes) };
        }
        if (grant === 'refresh_token') {
          const presented = form.get('refresh_token') ?? '';
          const record = refreshTokens.get(presented);
          if (!record || !record.active || record.clientId !== client.clientId) return oauthError(400, 'invalid_request', 'Value passed for the token was invalid.');
          // Single use: the presented token dies, its successor comes back with the new access token.
          record.active = false;
          return { json: issue(record.userId, client.clientId, record.scopes) };
        }
        return oauthError(400, 'unsupported_grant_type', 'Grant type is not supported.');
      },
    ],
    [
      'POST /2/oauth2/revoke',
      (req) => {
        const client = tokenClient(req);
        if (isResponse(client)) return client;
        const t = req.form().get('token');
        if (!t) return oauthError(400, 'invalid_request', 'Missing required parameter [token].');
        const access = accessTokens.get(t);
        if (access && access.clientId === client.clientId) access.revoked = true;
        const refresh = refreshTokens.get(t);
        if (refresh && refresh.clientId === client.clientId) refresh.active = false;
        return { json: { revoked: true } };
      },
    ],
    api('GET /2/users/me', 75, ['users.read', 'tweet.read'], (req, user) => ({ json: { data: userJson(user, req) } })),
    api('POST /2/tweets', 100, ['tweet.read', 'tweet.write', 'users.read'], (req, user) => {
      const body = jsonBody(req);
      if (isResponse(body)) return body;
      const extra = Object.keys(body).find((k) => !TWEET_KEYS.has(k));
      if (extra !== undefined) return invalid(`$.${extra}: is not defined in the schema and the schema does not allow additional properties`);
      const text = body['text'];
      if (text !== undefined && typeof text !== 'string') return invalid('$.text: string found, expected string', { text: [String(text)] });
      let mediaIds: string[] = [];
      if (body['media'] !== undefined) {
        const m = body['media'] as { media_ids?: unknown };
        const ids = m.media_ids;
        if (!Array.isArray(ids) || ids.length < 1 || ids.length > 4 || ids.some((i) => typeof i !== 'string' || !/^\d{1,19}$/.test(i))) {
          return invalid('$.media.media_ids: must be an array of 1 to 4 numeric strings', { 'media.media_ids': [JSON.stringify(ids)] });
        }
        const records = (ids as string[]).map((i) => media.get(i));
        const kinds = records.map((r) => (r ? mediaClass(r.category) : null));
        const bad =
          records.some((r) => !r || r.ownerId !== user.id || r.state !== 'succeeded' || !r.category.startsWith('tweet_') && r.category !== 'amplify_video') ||
          (kinds.some((k) => k !== 'image') && ids.length > 1);
        if (bad) return invalid('Your media IDs are invalid.', { 'media.media_ids': ids as string[] });
        mediaIds = ids as string[];
      }
      if ((text === undefined || text === '') && mediaIds.length === 0) return invalid('$.text: text or media is required');
      // Wording ours: X refuses over-long text; the documented part is the limit, not the sentence.
      if (typeof text === 'string' && roughWeightedLength(text) > 280) return forbidden('Your Tweet text is too long.');
      let parent: XTweetRecord | null = null;
      if (body['reply'] !== undefined) {
        const replyTo = (body['reply'] as { in_reply_to_tweet_id?: unknown }).in_reply_to_tweet_id;
        if (typeof replyTo !== 'string') return invalid('$.reply.in_reply_to_tweet_id: is missing but it is required');
        parent = tweets.get(replyTo) ?? null;
        if (!parent) return forbidden('You attempted to reply to a Tweet that is deleted or not visible to you.');
      }
      const finalText = typeof text === 'string' ? text : '';
      if (finalText !== '' && [...tweets.values()].some((t) => t.authorId === user.id && t.text === finalText)) {
        return forbidden('You are not allowed to create a Tweet with duplicate content.');
      }
      const t = createTweetRecord(user.id, finalText, now(), parent, mediaIds);
      return { status: 201, json: { data: { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] } } };
    }),
    api('DELETE /2/tweets/:id', 50, ['tweet.read', 'tweet.write', 'users.read'], (req, user) => {
      const t = tweets.get(req.params['id'] ?? '');
      if (!t) return { status: 404, json: { ...notFoundError('tweet', 'id', req.params['id'] ?? ''), status: 404 } };
      if (t.authorId !== user.id) return forbidden('You are not allowed to delete this Tweet.');
      tweets.delete(t.id);
      return { json: { data: { deleted: true } } };
    }),
    api('GET /2/tweets', 900, ['tweet.read', 'users.read'], (req) => {
      const raw = req.query.get('ids');
      const ids = (raw ?? '').split(',').filter(Boolean);
      if (raw === null || ids.length < 1 || ids.length > 100 || ids.some((i) => !/^\d{1,19}$/.test(i))) {
        return invalid(`The \`ids\` query parameter value [${raw}] is not valid`, { ids: [String(raw)] });
      }
      const f = fields(req, 'tweet.fields');
      const found = ids.flatMap((i) => (tweets.get(i) ? [renderTweet(tweets.get(i) as XTweetRecord, f)] : []));
      const missing = ids.filter((i) => !tweets.has(i)).map((i) => notFoundError('tweet', 'ids', i));
      return { json: { ...(found.length ? { data: found } : {}), ...(missing.length ? { errors: missing } : {}) } };
    }),
    api('GET /2/users/:id/tweets', 900, ['tweet.read', 'users.read'], (req, user) => {
      const target = users.get(req.params['id'] ?? '');
      if (!target) return { json: { errors: [notFoundError('user', 'id', req.params['id'] ?? '')] } };
      const exclude = fields(req, 'exclude');
      const list = [...tweets.values()].filter((t) => t.authorId === target.id && !(exclude.has('replies') && t.repliedTo !== null));
      return timeline(req, `tweets:${target.id}:${user.id}`, list);
    }),
    api('GET /2/users/:id/mentions', 300, ['tweet.read', 'users.read'], (req, user) => {
      const target = users.get(req.params['id'] ?? '');
      if (!target) return { json: { errors: [notFoundError('user', 'id', req.params['id'] ?? '')] } };
      const handle = `@${target.username}`.toLowerCase();
      const list = [...tweets.values()].filter((t) => t.authorId !== target.id && t.text.toLowerCase().includes(handle));
      return timeline(req, `mentions:${target.id}:${user.id}`, list);
    }),
    api('GET /2/dm_events', 300, ['dm.read', 'tweet.read', 'users.read'], (req, user) => {
      const types = fields(req, 'event_types');
      const allowed = new Set(['MessageCreate', 'ParticipantsJoin', 'ParticipantsLeave']);
      if ([...types].some((t) => !allowed.has(t))) return invalid(`The \`event_types\` query parameter value [${req.query.get('event_types')}] is not one of [MessageCreate, ParticipantsJoin, ParticipantsLeave]`);
      // Only MessageCreate events are kept here, so any filter that includes it sees them all.
      const mine = dmEvents.filter((e) => e.conversationId.split('-').includes(user.id) && (types.size === 0 || types.has('MessageCreate'))).sort(newestFirst);
      const page = paged(req, `dm:${user.id}`, mine, 1, 100, 100);
      if (isResponse(page)) return page;
      const f = fields(req, 'dm_event.fields');
      const data = page.items.map((e) => {
        const out: Record<string, unknown> = { id: e.id, event_type: 'MessageCreate', text: e.text };
        if (f.has('created_at')) out['created_at'] = iso(e.createdAt);
        if (f.has('sender_id')) out['sender_id'] = e.senderId;
        if (f.has('dm_conversation_id')) out['dm_conversation_id'] = e.conversationId;
        return out;
      });
      const meta: Record<string, unknown> = { result_count: data.length };
      if (page.next) meta['next_token'] = page.next;
      const out: Record<string, unknown> = { ...(data.length ? { data } : {}), meta };
      if (data.length && fields(req, 'expansions').has('sender_id')) {
        out['includes'] = { users: [...new Set(page.items.map((e) => e.senderId))].flatMap((id) => (users.get(id) ? [userJson(users.get(id) as XUserRecord, req)] : [])) };
      }
      return { json: out };
    }),
    api('POST /2/dm_conversations/:id/messages', 200, ['dm.read', 'dm.write', 'tweet.read', 'users.read'], (req, user) => {
      const conv = req.params['id'] ?? '';
      if (!conv.split('-').includes(user.id) || !dmEvents.some((e) => e.conversationId === conv)) return forbidden('You are not permitted to send messages to this conversation.');
      const body = jsonBody(req);
      if (isResponse(body)) return body;
      const text = body['text'];
      const attachments = body['attachments'];
      if (attachments !== undefined) {
        const list = attachments as { media_id?: unknown }[];
        if (!Array.isArray(list) || list.length !== 1 || typeof list[0]?.media_id !== 'string') return invalid('$.attachments: must hold exactly one {media_id}');
        const m = media.get(list[0].media_id);
        if (!m || m.ownerId !== user.id || m.state !== 'succeeded' || !m.category.startsWith('dm_')) return invalid('Your media IDs are invalid.', { 'attachments.media_id': [list[0].media_id] });
      }
      if ((typeof text !== 'string' || text === '') && attachments === undefined) return invalid('$.text: text or attachments is required');
      const event: XDmEventRecord = { id: nextId(), text: typeof text === 'string' ? text : '', senderId: user.id, conversationId: conv, createdAt: now() };
      dmEvents.push(event);
      return { status: 201, json: { data: { dm_conversation_id: conv, dm_event_id: event.id } } };
    }),
    api('POST /2/media/upload/initialize', 1875, ['media.write'], (req, user) => {
      const body = jsonBody(req);
      if (isResponse(body)) return body;
      const type = body['media_type'];
      const total = body['total_bytes'];
      if (typeof type !== 'string' || !(type in SIGNATURES)) return invalid(`$.media_type: does not have a value in the enumeration`, { media_type: [String(type)] });
      if (typeof total !== 'number' || !Number.isInteger(total) || total <= 0) return invalid('$.total_bytes: must be a positive integer', { total_bytes: [String(total)] });
      const category = typeof body['media_category'] === 'string' ? body['media_category'] : type.startsWith('video/') ? 'tweet_video' : type === 'image/gif' ? 'tweet_gif' : 'tweet_image';
      const limit = CATEGORY_LIMITS[category];
      if (limit === undefined) return invalid('$.media_category: does not have a value in the enumeration', { media_category: [category] });
      if (total > limit) return invalid(`File size exceeds ${limit} bytes.`, { total_bytes: [String(total)] });
      const id = nextId();
      media.set(id, { id, ownerId: user.id, mediaType: type, category, totalBytes: total, segments: new Map(), state: 'uploading', altText: null, bytes: null });
      return { json: { data: { id, media_key: `${MEDIA_KEY_PREFIX[mediaClass(category)]}_${id}`, expires_after_secs: 86400 } } };
    }),
    api('POST /2/media/upload/:id/append', 1875, ['media.write'], async (req, user) => {
      const m = media.get(req.params['id'] ?? '');
      if (!m || m.ownerId !== user.id) return { status: 404, json: { ...notFoundError('media', 'id', req.params['id'] ?? ''), status: 404 } };
      if (m.state !== 'uploading') return invalid('The media upload is already finalized.');
      let form: FormData;
      try {
        form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': String(req.headers['content-type'] ?? '') } }).formData();
      } catch {
        return invalid('The request body must be multipart/form-data with `media` and `segment_index`.');
      }
      const index = Number(form.get('segment_index'));
      const part = form.get('media');
      if (!Number.isInteger(index) || index < 0 || index > 999) return invalid('$.segment_index: must be an integer from 0 to 999', { segment_index: [String(form.get('segment_index'))] });
      if (!(part instanceof Blob)) return invalid('$.media: is missing but it is required');
      const bytes = Buffer.from(await part.arrayBuffer());
      if (bytes.length > 8 * MB) return invalid('Segment exceeds 8 MB.');
      m.segments.set(index, bytes);
      const sum = [...m.segments.values()].reduce((n, b) => n + b.length, 0);
      if (sum > m.totalBytes) return invalid('Appended bytes exceed total_bytes.', { total_bytes: [String(m.totalBytes)] });
      return { json: { data: { expires_at: Math.floor(now() / 1000) + 86400 } } };
    }),
    api('POST /2/media/upload/:id/finalize', 1875, ['media.write'], (req, user) => {
      const m = media.get(req.params['id'] ?? '');
      if (!m || m.ownerId !== user.id) return { status: 404, json: { ...notFoundError('media', 'id', req.params['id'] ?? ''), status: 404 } };
      if (m.state !== 'uploading') return invalid('The media upload is already finalized.');
      const indices = [...m.segments.keys()].sort((a, b) => a - b);
      if (indices.some((n, i) => n !== i)) return invalid('Segments are missing.');
      const bytes = Buffer.concat(indices.map((i) => m.segments.get(i) as Buffer));
      if (bytes.length !== m.totalBytes) return invalid(`File size mismatch: expected ${m.totalBytes} bytes, received ${bytes.length}.`);
      m.bytes = bytes;
      const valid = SIGNATURES[m.mediaType]?.(bytes) ?? false;
      const base = { id: m.id, media_key: `${MEDIA_KEY_PREFIX[mediaClass(m.category)]}_${m.id}`, size: bytes.length, expires_after_secs: 86400 };
      if (mediaClass(m.category) === 'image') {
        if (!valid) return invalid('InvalidMedia: the file is not a supported image.');
        m.state = 'succeeded';
        return { json: { data: { ...base, image: { image_type: m.mediaType, w: 1, h: 1 } } } };
      }
      m.state = 'pending';
      if (!valid) failProcessing = true;
      return { json: { data: { ...base, processing_info: { state: 'pending', check_after_secs: 1 } } } };
    }),
    api('GET /2/media/upload', 1875, ['media.write'], (req, user) => {
      if (req.query.get('command') !== 'STATUS') return invalid('The `command` query parameter value must be STATUS', { command: [String(req.query.get('command'))] });
      const m = media.get(req.query.get('media_id') ?? '');
      if (!m || m.ownerId !== user.id) return { status: 404, json: { ...notFoundError('media', 'media_id', req.query.get('media_id') ?? ''), status: 404 } };
      if (m.state === 'uploading') return invalid('The media upload is not finalized.');
      // One poll per step: pending -> in_progress -> succeeded (or failed).
      if (m.state === 'pending') m.state = 'in_progress';
      else if (m.state === 'in_progress') {
        m.state = failProcessing ? 'failed' : 'succeeded';
        failProcessing = false;
      }
      const info: Record<string, unknown> =
        m.state === 'in_progress'
          ? { state: 'in_progress', check_after_secs: 1, progress_percent: 50 }
          : m.state === 'failed'
            ? { state: 'failed', progress_percent: 60, error: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' } }
            : { state: m.state, progress_percent: 100 };
      return { json: { data: { id: m.id, media_key: `${MEDIA_KEY_PREFIX[mediaClass(m.category)]}_${m.id}`, processing_info: info } } };
    }),
    api('POST /2/media/metadata', 500, ['media.write'], (req, user) => {
      const body = jsonBody(req);
      if (isResponse(body)) return body;
      const id = body['id'];
      const meta = body['metadata'] as { alt_text?: { text?: unknown } } | undefined;
      if (typeof id !== 'string') return invalid('$.id: is missing but it is required');
      const m = media.get(id);
      if (!m || m.ownerId !== user.id) return invalid('Your media IDs are invalid.', { id: [id] });
      const text = meta?.alt_text?.text;
      if (typeof text !== 'string') return invalid('$.metadata.alt_text.text: is missing but it is required');
      if ([...text].length > 1000) return invalid('$.metadata.alt_text.text: must be at most 1000 characters');
      m.altText = text;
      return { json: { data: { id, associated_metadata: { alt_text: { text } } } } };
    }),
  ];

  const server = await startContractServer(Object.fromEntries(routes));

  return {
    server,
    baseUrl: server.baseUrl,
    me,
    users,
    publicClient,
    confidentialClient,
    tweets,
    media,
    dmEvents,
    issueTokens(o = {}) {
      const scopes = new Set(o.scopes ?? ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write', 'dm.read', 'dm.write']);
      const t = issue(me.id, o.clientId ?? publicClient.clientId, scopes);
      return { accessToken: t.access_token, refreshToken: t.refresh_token ?? '' };
    },
    expireAccessToken(t) {
      const r = accessTokens.get(t);
      if (r) r.expiresAt = now() - 1;
    },
    revokeRefreshToken(t) {
      const r = refreshTokens.get(t);
      if (r) r.active = false;
    },
    isRefreshTokenActive: (t) => refreshTokens.get(t)?.active === true,
    seedTweet({ author, text, at, inReplyTo }) {
      const parent = inReplyTo === undefined ? null : (tweets.get(inReplyTo) ?? null);
      if (inReplyTo !== undefined && parent === null) throw new Error(`No tweet ${inReplyTo} to reply to`);
      return createTweetRecord(byUsername(author).id, text, at, parent, []);
    },
    seedDm({ from, text, at }) {
      const sender = byUsername(from);
      const event: XDmEventRecord = { id: nextId(), text, senderId: sender.id, conversationId: conversationId(sender.id, me.id), createdAt: at };
      dmEvents.push(event);
      return event;
    },
    setMetrics(id, metrics) {
      const t = tweets.get(id);
      if (!t) throw new Error(`No tweet ${id}`);
      t.metrics = { ...metrics };
    },
    failNextProcessing() {
      failProcessing = true;
    },
    close: () => server.close(),
  };
}
