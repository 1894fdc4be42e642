// A Mastodon instance (4.3-era API) on loopback, by its published contract: docs.joinmastodon.org
// methods/{apps,oauth,statuses,media,scheduled_statuses,notifications,conversations,accounts,
// instance}, with details the docs leave out taken from Mastodon's source (rack_attack.rb for the
// 429 and its headers, media_controller.rb for 206 with a body, the Doorkeeper 401 texts, PKCE
// S256 only from PR #31129, loopback redirect URIs matching on any port).
//
// The authorize step: the server plays a signed-in user ("alice") who approves at once, so
// GET /oauth/authorize answers 302 to the redirect URI with ?code=&state=. Tests open the URL the
// connector built with fetch(url, { redirect: 'manual' }) and hand the Location's query back.
import { createHash, randomBytes } from 'node:crypto';
import { startContractServer, type ContractRequest, type ContractResponse, type ContractServer } from './server';

export interface MastodonServerOptions {
  now?: () => number;
  maxCharacters?: number;
  maxMediaAttachments?: number;
  descriptionLimit?: number;
  imageSizeLimit?: number;
  videoSizeLimit?: number;
  /** Newer setups issue refresh tokens with expiring access tokens; stock Mastodon does not. */
  refreshTokens?: { accessTokenTtlSec: number };
  /** How many GET /api/v1/media/:id answer 206 before an async upload (video, GIF) is ready. */
  processingPolls?: number;
  /** Requests per token per 5 minutes (Mastodon's throttle_per_token_api). */
  rateLimit?: number;
}

export interface Acc {
  id: string;
  username: string;
  domain: string | null;
  displayName: string;
}

export interface Status {
  id: string;
  accountId: string;
  text: string;
  createdAt: number;
  visibility: string;
  inReplyToId: string | null;
  inReplyToAccountId: string | null;
  mediaIds: string[];
  mentionIds: string[];
  language: string | null;
  favourites: number;
  reblogs: number;
  replies: number;
  deleted: boolean;
}

interface Scheduled {
  id: string;
  accountId: string;
  scheduledAt: number;
  text: string;
  mediaIds: string[];
  visibility: string | null;
  inReplyToId: string | null;
  idempotency: string | null;
  language: string | null;
  deleted: boolean;
}

interface Media {
  id: string;
  accountId: string;
  type: 'image' | 'gifv' | 'video';
  fileName: string;
  size: number;
  description: string | null;
  pollsLeft: number;
  statusId: string | null;
}

interface Token {
  accountId: string;
  clientId: string;
  scopes: string[];
  expiresAt: number | null;
  revoked: boolean;
}

interface Code {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  challenge: string | null;
  expiresAt: number;
  used: boolean;
}

interface App {
  clientSecret: string;
  redirectUris: string[];
  scopes: string[];
}

export interface MastodonServer {
  baseUrl: string;
  server: ContractServer;
  /** The signed-in user who approves the authorize step. */
  me: Acc;
  statuses: Map<string, Status>;
  scheduled: Map<string, Scheduled>;
  media: Map<string, Media>;
  apps: Map<string, App>;
  tokens: Map<string, Token>;
  /** A remote (or local) account others can post as. */
  addAccount(username: string, domain: string | null, displayName?: string): Acc;
  /** A token for `me` without the OAuth dance, for tests about other things. */
  issueToken(scopes?: readonly string[]): { accessToken: string; refreshToken: string | null };
  expireToken(accessToken: string): void;
  revokeRefreshToken(refreshToken: string): void;
  /** Someone posts (a mention, a comment, a DM when visibility is direct). */
  receive(from: Acc, text: string, opts?: { inReplyToId?: string; visibility?: string; at?: number }): Status;
  setCounts(statusId: string, counts: Partial<Pick<Status, 'favourites' | 'reblogs' | 'replies'>>): void;
  /** The real 429 as rack-attack sends it (no Retry-After; reset as an ISO time). */
  rateLimitResponse(): ContractResponse;
  /**
   * Scheduler::ScheduledStatusesScheduler + PublishScheduledStatusWorker: every held status whose
   * time has come is posted (a new status, dated at its scheduled time) and its ScheduledStatus
   * destroyed. Returns the new statuses.
   */
  publishDue(): Status[];
  /** The worker gave up on a held status (its media vanished, a validation failed): destroyed, nothing posted. */
  dropScheduled(id: string): void;
  ownStatuses(): Status[];
  close(): Promise<void>;
}

const KNOWN_SCOPES = new Set([
  'read', 'write', 'follow', 'push', 'profile',
  'read:accounts', 'read:statuses', 'read:notifications', 'read:favourites', 'read:follows', 'read:lists', 'read:search', 'read:bookmarks', 'read:filters', 'read:mutes', 'read:blocks',
  'write:statuses', 'write:media', 'write:accounts', 'write:conversations', 'write:notifications', 'write:favourites', 'write:follows', 'write:lists', 'write:bookmarks', 'write:filters', 'write:mutes', 'write:blocks', 'write:reports',
]);
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/avif'];
const SUPPORTED_TYPES = [...IMAGE_TYPES, 'image/gif', 'video/mp4', 'video/quicktime', 'video/webm', 'audio/mpeg'];
const INVALID_GRANT = {
  error: 'invalid_grant',
  error_description:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
};
const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
};
const NOT_FOUND: ContractResponse = { status: 404, json: { error: 'Record not found' } };

function unprocessable(error: string): ContractResponse {
  return { status: 422, json: { error } };
}

/** Form, multipart or JSON, the way Rails reads any of them into params. */
interface Params {
  get(name: string): string | null;
  getAll(name: string): string[];
}

function paramsOf(req: ContractRequest): Params {
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/json')) {
    const body = req.body.length === 0 ? {} : req.json<Record<string, unknown>>();
    return {
      get: (n) => (typeof body[n] === 'string' ? (body[n] as string) : typeof body[n] === 'number' || typeof body[n] === 'boolean' ? String(body[n]) : null),
      getAll: (n) => {
        const v = body[n.replace(/\[\]$/, '')];
        return Array.isArray(v) ? v.map(String) : [];
      },
    };
  }
  const form = type.includes('application/x-www-form-urlencoded') ? req.form() : req.query;
  return { get: (n) => form.get(n), getAll: (n) => form.getAll(n) };
}

function loopback(u: URL): boolean {
  return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === '[::1]');
}

/** Exact match, except that a loopback IP redirect matches on any port (RFC 8252 §7.3). */
function redirectMatches(registered: readonly string[], given: string): boolean {
  let g: URL;
  try {
    g = new URL(given);
  } catch {
    return false;
  }
  return registered.some((r) => {
    if (r === given) return true;
    const u = new URL(r);
    return loopback(u) && loopback(g) && u.hostname === g.hostname && u.pathname === g.pathname && u.search === g.search;
  });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function countable(text: string, maxUrl = 23): number {
  const replaced = text.replace(/https?:\/\/\S+/g, 'x'.repeat(maxUrl)).replace(/@(\w+)@[\w.-]+\w/g, '@$1');
  return [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(replaced)].length;
}

export async function startMastodonServer(opts: MastodonServerOptions = {}): Promise<MastodonServer> {
  const now = opts.now ?? Date.now;
  const maxChars = opts.maxCharacters ?? 500;
  const maxMedia = opts.maxMediaAttachments ?? 4;
  const descriptionLimit = opts.descriptionLimit ?? 1500;
  const imageSizeLimit = opts.imageSizeLimit ?? 16 * 1024 * 1024;
  const videoSizeLimit = opts.videoSizeLimit ?? 99 * 1024 * 1024;
  const processingPolls = opts.processingPolls ?? 2;
  const rateLimit = opts.rateLimit ?? 300;

  const accounts = new Map<string, Acc>();
  const apps = new Map<string, App>();
  const codes = new Map<string, Code>();
  const tokens = new Map<string, Token>();
  const refreshTokens = new Map<string, { accessToken: string; clientId: string; revoked: boolean }>();
  const statuses = new Map<string, Status>();
  const scheduled = new Map<string, Scheduled>();
  const media = new Map<string, Media>();
  const idempotency = new Map<string, { kind: 'status' | 'scheduled'; id: string; at: number }>();
  const notifications: { id: string; type: string; createdAt: number; fromId: string; statusId: string; forId: string }[] = [];
  const conversations = new Map<string, { id: string; rootId: string; participantIds: string[]; lastStatusId: string }>();
  const requestsPerToken = new Map<string, { window: number; count: number }>();

  let seq = 0;
  // Snowflake-like: time in the high bits, a sequence below, so ids sort by creation.
  const snowflake = (at = now()): string => String((BigInt(Math.floor(at)) << 16n) | BigInt(++seq & 0xffff));
  let small = 3200;
  const smallId = (): string => String(++small);
  const byId = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? 1 : BigInt(a) > BigInt(b) ? -1 : 0);
  let baseUrl = '';

  const addAccount = (username: string, domain: string | null, displayName = ''): Acc => {
    const acc: Acc = { id: smallId(), username, domain, displayName };
    accounts.set(acc.id, acc);
    return acc;
  };
  const me = addAccount('alice', null, 'Alice Marketer');
  const acct = (a: Acc): string => (a.domain === null ? a.username : `${a.username}@${a.domain}`);
  const profileUrl = (a: Acc): string => (a.domain === null ? `${baseUrl}/@${a.username}` : `https://${a.domain}/@${a.username}`);

  // --- rendering -------------------------------------------------------------------------------

  const renderAccount = (a: Acc) => ({
    id: a.id,
    username: a.username,
    acct: acct(a),
    display_name: a.displayName,
    locked: false,
    bot: false,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '',
    url: profileUrl(a),
    avatar: `${baseUrl}/avatars/original/${a.id}.png`,
    avatar_static: `${baseUrl}/avatars/original/${a.id}.png`,
    followers_count: 10,
    following_count: 5,
    statuses_count: [...statuses.values()].filter((s) => s.accountId === a.id && !s.deleted).length,
    emojis: [],
    fields: [],
  });

  const renderMedia = (m: Media) => {
    const ready = m.pollsLeft <= 0;
    return {
      id: m.id,
      type: m.type,
      url: ready ? `${baseUrl}/system/media_attachments/files/original/${m.id}.${m.type === 'image' ? 'png' : 'mp4'}` : null,
      preview_url: `${baseUrl}/system/media_attachments/files/small/${m.id}.png`,
      remote_url: null,
      text_url: null,
      meta: { original: { width: 640, height: 480, size: '640x480', aspect: 1.3333333333333333 } },
      description: m.description,
      blurhash: 'UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}',
    };
  };

  /** Plain text as Mastodon's TextFormatter renders it: paragraphs, <br />, linked mentions and URLs. */
  const html = (text: string): string =>
    text
      .split(/\n{2,}/)
      .map((para) => {
        const linked = escapeHtml(para)
          .replace(/https?:\/\/[^\s<]+/g, (url) => {
            const m = /^(https?:\/\/)(.*)$/.exec(url);
            return `<a href="${url}" rel="nofollow noopener" target="_blank"><span class="invisible">${m?.[1] ?? ''}</span><span class="">${m?.[2] ?? url}</span><span class="invisible"></span></a>`;
          })
          .replace(/(^|\s)@(\w+)(@[\w.-]+\w)?/g, (whole, before: string, user: string, domain: string | undefined) => {
            const target = [...accounts.values()].find((a) => a.username === user && (domain === undefined ? true : a.domain === domain.slice(1)));
            return target ? `${before}<span class="h-card" translate="no"><a href="${profileUrl(target)}" class="u-url mention">@<span>${user}</span></a></span>` : whole;
          })
          .replace(/\n/g, '<br />');
        return `<p>${linked}</p>`;
      })
      .join('');

  const renderStatus = (s: Status, withSource = false) => {
    const author = accounts.get(s.accountId);
    if (!author) throw new Error(`no account ${s.accountId}`);
    return {
      id: s.id,
      created_at: new Date(s.createdAt).toISOString(),
      in_reply_to_id: s.inReplyToId,
      in_reply_to_account_id: s.inReplyToAccountId,
      sensitive: false,
      spoiler_text: '',
      visibility: s.visibility,
      language: s.language ?? 'en',
      uri: `${baseUrl}/users/${author.username}/statuses/${s.id}`,
      url: `${profileUrl(author)}/${s.id}`,
      replies_count: s.replies,
      reblogs_count: s.reblogs,
      favourites_count: s.favourites,
      edited_at: null,
      favourited: false,
      reblogged: false,
      muted: false,
      bookmarked: false,
      pinned: false,
      content: html(s.text),
      ...(withSource ? { text: s.text } : {}),
      reblog: null,
      application: author.domain === null ? { name: 'Postdesk', website: 'https://postdesk.app' } : null,
      account: renderAccount(author),
      media_attachments: s.mediaIds.flatMap((id) => {
        const m = media.get(id);
        return m ? [renderMedia(m)] : [];
      }),
      mentions: s.mentionIds.flatMap((id) => {
        const a = accounts.get(id);
        return a ? [{ id: a.id, username: a.username, url: profileUrl(a), acct: acct(a) }] : [];
      }),
      tags: [],
      emojis: [],
      card: null,
      poll: null,
    };
  };

  const renderScheduled = (s: Scheduled) => ({
    id: s.id,
    scheduled_at: new Date(s.scheduledAt).toISOString(),
    params: {
      text: s.text,
      poll: null,
      media_ids: s.mediaIds.length === 0 ? null : s.mediaIds,
      sensitive: null,
      visibility: s.visibility,
      idempotency: s.idempotency,
      scheduled_at: null,
      spoiler_text: null,
      application_id: 596551,
      in_reply_to_id: s.inReplyToId,
      language: s.language,
      with_rate_limit: false,
    },
    media_attachments: s.mediaIds.flatMap((id) => {
      const m = media.get(id);
      return m ? [renderMedia(m)] : [];
    }),
  });

  // --- auth and rate limits --------------------------------------------------------------------

  type Authed = { ok: true; accountId: string; token: string } | { ok: false; res: ContractResponse };

  const tokenError = (description: string): ContractResponse => ({
    status: 401,
    headers: { 'www-authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"` },
    json: { error: description },
  });

  const hasScope = (granted: readonly string[], needed: string): boolean => granted.includes(needed) || granted.includes(needed.split(':')[0] ?? needed);

  /** Doorkeeper: a token we don't know is anonymous where the method allows it; a known bad one is 401. */
  const authenticate = (req: ContractRequest, scope: string, optional = false): Authed | { ok: true; accountId: null; token: null } => {
    const bearerToken = req.bearer();
    const t = bearerToken === null ? undefined : tokens.get(bearerToken);
    if (bearerToken === null || t === undefined) {
      if (optional) return { ok: true, accountId: null, token: null };
      return { ok: false, res: tokenError('The access token is invalid') };
    }
    if (t.revoked) return { ok: false, res: tokenError('The access token was revoked') };
    if (t.expiresAt !== null && now() >= t.expiresAt) return { ok: false, res: tokenError('The access token expired') };
    if (!hasScope(t.scopes, scope)) return { ok: false, res: { status: 403, json: { error: 'This action is outside the authorized scopes' } } };
    return { ok: true, accountId: t.accountId, token: bearerToken };
  };

  const windowMs = 5 * 60_000;
  const rateHeaders = (token: string | null): Record<string, string> | ContractResponse => {
    if (token === null) return {};
    const w = Math.floor(now() / windowMs);
    const entry = requestsPerToken.get(token);
    const current = entry && entry.window === w ? entry : { window: w, count: 0 };
    current.count++;
    requestsPerToken.set(token, current);
    const reset = new Date((w + 1) * windowMs).toISOString().replace('Z', '000Z');
    if (current.count > rateLimit) return { status: 429, headers: { 'x-ratelimit-limit': String(rateLimit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, json: { error: 'Too many requests' } };
    return { 'x-ratelimit-limit': String(rateLimit), 'x-ratelimit-remaining': String(rateLimit - current.count), 'x-ratelimit-reset': reset };
  };

  /** Authenticate, count against the rate limit, then run the handler with its headers added. */
  const guarded =
    (scope: string, handler: (req: ContractRequest, accountId: string) => ContractResponse | Promise<ContractResponse>, optional = false) =>
    async (req: ContractRequest): Promise<ContractResponse> => {
      const auth = authenticate(req, scope, optional);
      if (!auth.ok) return auth.res;
      const rate = rateHeaders(auth.token);
      if ('status' in rate) return rate as ContractResponse;
      const out = await handler(req, auth.accountId ?? '');
      return { ...out, headers: { ...(rate as Record<string, string>), ...out.headers } };
    };

  const clientAuth = (req: ContractRequest, p: Params): { clientId: string; app: App } | null => {
    let id = p.get('client_id');
    let secret = p.get('client_secret');
    const basic = /^Basic (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (basic) [id = null, secret = null] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    const app = id === null ? undefined : apps.get(id);
    return app && id !== null && secret === app.clientSecret ? { clientId: id, app } : null;
  };

  const mintToken = (accountId: string, clientId: string, scopes: string[]): Record<string, unknown> => {
    const accessToken = randomBytes(32).toString('base64url');
    const ttl = opts.refreshTokens?.accessTokenTtlSec ?? null;
    tokens.set(accessToken, { accountId, clientId, scopes, expiresAt: ttl === null ? null : now() + ttl * 1000, revoked: false });
    const out: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', scope: scopes.join(' '), created_at: Math.floor(now() / 1000) };
    if (ttl !== null) {
      const refreshToken = randomBytes(32).toString('base64url');
      refreshTokens.set(refreshToken, { accessToken, clientId, revoked: false });
      out['refresh_token'] = refreshToken;
      out['expires_in'] = ttl;
    }
    return out;
  };

  // --- statuses --------------------------------------------------------------------------------

  const visibleTo = (s: Status, viewer: string | null): boolean =>
    !s.deleted && (s.visibility === 'public' || s.visibility === 'unlisted' || s.accountId === viewer || (viewer !== null && s.mentionIds.includes(viewer)));

  const mentionedIn = (text: string): string[] => {
    const ids: string[] = [];
    for (const m of text.matchAll(/(?:^|\s)@(\w+)(?:@([\w.-]+\w))?/g)) {
      const a = [...accounts.values()].find((x) => x.username === m[1] && (m[2] === undefined ? x.domain === null : x.domain === m[2]));
      if (a && !ids.includes(a.id)) ids.push(a.id);
    }
    return ids;
  };

  const rootOf = (s: Status): Status => {
    let cur = s;
    for (let parent = cur.inReplyToId ? statuses.get(cur.inReplyToId) : undefined; parent; parent = cur.inReplyToId ? statuses.get(cur.inReplyToId) : undefined) cur = parent;
    return cur;
  };

  const createStatus = (accountId: string, init: { text: string; visibility: string; inReplyToId: string | null; mediaIds: string[]; language: string | null; at?: number }): Status => {
    const at = init.at ?? now();
    const parent = init.inReplyToId ? statuses.get(init.inReplyToId) : undefined;
    const s: Status = {
      id: snowflake(at),
      accountId,
      text: init.text,
      createdAt: at,
      visibility: init.visibility,
      inReplyToId: parent?.id ?? null,
      inReplyToAccountId: parent?.accountId ?? null,
      mediaIds: init.mediaIds,
      mentionIds: mentionedIn(init.text),
      language: init.language,
      favourites: 0,
      reblogs: 0,
      replies: 0,
      deleted: false,
    };
    statuses.set(s.id, s);
    if (parent) parent.replies++;
    for (const id of init.mediaIds) {
      const m = media.get(id);
      if (m) m.statusId = s.id;
    }
    if (accountId !== me.id && s.mentionIds.includes(me.id)) {
      notifications.push({ id: snowflake(at), type: 'mention', createdAt: at, fromId: accountId, statusId: s.id, forId: me.id });
    }
    if (s.visibility === 'direct' && (accountId === me.id || s.mentionIds.includes(me.id))) {
      const root = rootOf(s);
      const existing = [...conversations.values()].find((c) => c.rootId === root.id);
      const participants = [...new Set([accountId, ...s.mentionIds])].filter((id) => id !== me.id);
      if (existing) existing.lastStatusId = s.id;
      else {
        const cid = smallId();
        conversations.set(cid, { id: cid, rootId: root.id, participantIds: participants, lastStatusId: s.id });
      }
    }
    return s;
  };

  /** Link header over a page, carrying the other query parameters as Mastodon does. */
  const link = (req: ContractRequest, path: string, page: readonly string[], keep: readonly string[] = []): Record<string, string> => {
    if (page.length === 0) return {};
    const base = new URLSearchParams();
    for (const k of keep) for (const v of req.query.getAll(k)) base.append(k, v);
    const limit = req.query.get('limit');
    if (limit !== null) base.set('limit', limit);
    const next = new URLSearchParams(base);
    next.set('max_id', page[page.length - 1] ?? '');
    const prev = new URLSearchParams(base);
    prev.set('min_id', page[0] ?? '');
    return { link: `<${baseUrl}${path}?${next.toString()}>; rel="next", <${baseUrl}${path}?${prev.toString()}>; rel="prev"` };
  };

  const limitOf = (req: ContractRequest, dflt: number, max: number): number => {
    const n = Number(req.query.get('limit') ?? dflt);
    return Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), max) : dflt;
  };

  /** max_id / since_id / min_id over ids sorted newest first. */
  const window = <T>(items: T[], idOf: (t: T) => string, req: ContractRequest, limit: number): T[] => {
    const maxId = req.query.get('max_id');
    const sinceId = req.query.get('since_id') ?? req.query.get('min_id');
    const sorted = items.sort((a, b) => byId(idOf(a), idOf(b))).filter((t) => (maxId === null || BigInt(idOf(t)) < BigInt(maxId)) && (sinceId === null || BigInt(idOf(t)) > BigInt(sinceId)));
    // min_id pages forward: the items just above it, still answered newest first.
    return req.query.get('min_id') !== null ? sorted.slice(-limit) : sorted.slice(0, limit);
  };

  const postStatus = async (req: ContractRequest, accountId: string): Promise<ContractResponse> => {
    const p = paramsOf(req);
    const key = req.headers['idempotency-key'];
    const idemKey = typeof key === 'string' && key !== '' ? `${accountId}:${key}` : null;
    const seen = idemKey === null ? undefined : idempotency.get(idemKey);
    // PostStatusService answers a repeated key with the original, before validating anything.
    if (seen && now() - seen.at < 3_600_000) {
      if (seen.kind === 'status') {
        const original = statuses.get(seen.id);
        if (original) return { json: renderStatus(original) };
      } else {
        const original = scheduled.get(seen.id);
        if (original) return { json: renderScheduled(original) };
      }
    }
    const text = p.get('status') ?? '';
    const mediaIds = p.getAll('media_ids[]');
    const inReplyToId = p.get('in_reply_to_id');
    const visibility = p.get('visibility') ?? 'public';
    const language = p.get('language');
    if (inReplyToId !== null && inReplyToId !== '') {
      const parent = statuses.get(inReplyToId);
      if (!parent || !visibleTo(parent, accountId)) return NOT_FOUND;
    }
    if (!['public', 'unlisted', 'private', 'direct'].includes(visibility)) return unprocessable('Validation failed: Visibility is not included in the list');
    if (mediaIds.length > maxMedia) return unprocessable(`Cannot attach more than ${maxMedia} files`);
    const attached = mediaIds.map((id) => media.get(id));
    if (attached.some((m) => !m || m.accountId !== accountId || m.statusId !== null)) return unprocessable('Validation failed: Media attachments are invalid');
    if (attached.some((m) => m && m.pollsLeft > 0)) return unprocessable('Cannot attach files that have not finished processing. Try again in a moment!');
    if (attached.length > 1 && attached.some((m) => m?.type === 'video')) return unprocessable('Cannot attach a video to a post that already contains images');
    if (text.trim() === '' && mediaIds.length === 0) return unprocessable("Validation failed: Text can't be blank");
    if (countable(text) > maxChars) return unprocessable(`Validation failed: Text character limit of ${maxChars} exceeded`);
    const scheduledAtRaw = p.get('scheduled_at');
    if (scheduledAtRaw !== null && scheduledAtRaw !== '') {
      const at = Date.parse(scheduledAtRaw);
      if (Number.isNaN(at) || at < now() + 5 * 60_000) return unprocessable('Validation failed: Scheduled at The scheduled date must be in the future');
      const s: Scheduled = { id: smallId(), accountId, scheduledAt: at, text, mediaIds, visibility: p.get('visibility'), inReplyToId, idempotency: typeof key === 'string' ? key : null, language, deleted: false };
      scheduled.set(s.id, s);
      if (idemKey !== null) idempotency.set(idemKey, { kind: 'scheduled', id: s.id, at: now() });
      return { json: renderScheduled(s) };
    }
    const s = createStatus(accountId, { text, visibility, inReplyToId: inReplyToId === '' ? null : inReplyToId, mediaIds, language });
    if (idemKey !== null) idempotency.set(idemKey, { kind: 'status', id: s.id, at: now() });
    return { json: renderStatus(s) };
  };

  const uploadMedia = async (req: ContractRequest, accountId: string): Promise<ContractResponse> => {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('multipart/form-data')) return unprocessable("Validation failed: File can't be blank");
    const form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': type } }).formData();
    const file = form.get('file');
    if (!(file instanceof Blob)) return unprocessable("Validation failed: File can't be blank");
    if (!SUPPORTED_TYPES.includes(file.type)) return unprocessable('Validation failed: File content type is invalid, File is invalid');
    const isVideo = file.type.startsWith('video/');
    if (file.size > (isVideo ? videoSizeLimit : imageSizeLimit)) return unprocessable(`Validation failed: File file size must be less than ${Math.round((isVideo ? videoSizeLimit : imageSizeLimit) / 1024 / 1024)} MB`);
    const description = form.get('description');
    if (typeof description === 'string' && [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(description)].length > descriptionLimit) {
      return unprocessable(`Validation failed: Description is too long (maximum is ${descriptionLimit} characters)`);
    }
    const kind: Media['type'] = isVideo ? 'video' : file.type === 'image/gif' ? 'gifv' : 'image';
    const m: Media = {
      id: snowflake(),
      accountId,
      type: kind,
      fileName: file instanceof File ? file.name : 'blob',
      size: file.size,
      description: typeof description === 'string' ? description : null,
      // Since 4.0 small images are processed at once (200); video and GIFs in the background (202).
      pollsLeft: kind === 'image' ? 0 : processingPolls,
      statusId: null,
    };
    media.set(m.id, m);
    return { status: kind === 'image' ? 200 : 202, json: renderMedia(m) };
  };

  // --- routes ----------------------------------------------------------------------------------

  const server = await startContractServer({
    'POST /api/v1/apps': (req) => {
      const p = paramsOf(req);
      const name = p.get('client_name');
      const redirects = p.getAll('redirect_uris[]').length > 0 ? p.getAll('redirect_uris[]') : (p.get('redirect_uris') ?? '').split(/\s+/).filter((s) => s !== '');
      const scopes = (p.get('scopes') ?? 'read').split(/\s+/).filter((s) => s !== '');
      if (!name) return unprocessable("Validation failed: Application name can't be blank");
      if (redirects.length === 0) return unprocessable("Validation failed: Redirect URI can't be blank");
      for (const r of redirects) {
        if (r === 'urn:ietf:wg:oauth:2.0:oob') continue;
        try {
          new URL(r);
        } catch {
          return unprocessable('Validation failed: Redirect URI must be an absolute URI.');
        }
      }
      if (scopes.some((s) => !KNOWN_SCOPES.has(s))) return unprocessable('Validation failed: Scopes must be a subset of the available scopes');
      const clientId = randomBytes(32).toString('base64url');
      const clientSecret = randomBytes(32).toString('base64url');
      apps.set(clientId, { clientSecret, redirectUris: redirects, scopes });
      return {
        json: {
          id: smallId(),
          name,
          website: p.get('website'),
          scopes,
          redirect_uri: redirects.join('\n'),
          redirect_uris: redirects,
          client_id: clientId,
          client_secret: clientSecret,
          client_secret_expires_at: 0,
          vapid_key: 'BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M=',
        },
      };
    },

    'GET /oauth/authorize': (req) => {
      const q = req.query;
      const app = apps.get(q.get('client_id') ?? '');
      if (!app) return { status: 401, headers: { 'content-type': 'text/html' }, body: `<p>${INVALID_CLIENT.error_description}</p>` };
      const redirectUri = q.get('redirect_uri') ?? '';
      if (!redirectMatches(app.redirectUris, redirectUri)) {
        return { status: 400, headers: { 'content-type': 'text/html' }, body: '<p>The redirect uri included is not valid.</p>' };
      }
      const back = new URL(redirectUri);
      const state = q.get('state');
      if (state !== null) back.searchParams.set('state', state);
      const fail = (error: string, description: string): ContractResponse => {
        back.searchParams.set('error', error);
        back.searchParams.set('error_description', description);
        return { status: 302, headers: { location: back.toString() } };
      };
      if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'The authorization server does not support this response type.');
      const scopes = (q.get('scope') ?? 'read').split(/[\s+]+/).filter((s) => s !== '');
      if (scopes.some((s) => !app.scopes.includes(s))) return fail('invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
      const challenge = q.get('code_challenge');
      const method = q.get('code_challenge_method');
      // Mastodon accepts S256 only (PR #31129); "plain" is refused.
      if (challenge !== null && method !== 'S256') return fail('invalid_request', 'The code challenge method must be S256.');
      const code = randomBytes(32).toString('base64url');
      codes.set(code, { clientId: q.get('client_id') ?? '', redirectUri, scopes, challenge, expiresAt: now() + 10 * 60_000, used: false });
      back.searchParams.set('code', code);
      return { status: 302, headers: { location: back.toString() } };
    },

    'POST /oauth/token': (req) => {
      const p = paramsOf(req);
      const client = clientAuth(req, p);
      if (!client) return { status: 401, json: INVALID_CLIENT };
      const grant = p.get('grant_type');
      if (grant === 'authorization_code') {
        const code = codes.get(p.get('code') ?? '');
        if (!code || code.used || code.expiresAt < now() || code.clientId !== client.clientId || code.redirectUri !== p.get('redirect_uri')) return { status: 400, json: INVALID_GRANT };
        if (code.challenge !== null) {
          const verifier = p.get('code_verifier');
          if (verifier === null) return { status: 400, json: { error: 'invalid_request', error_description: 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.' } };
          if (createHash('sha256').update(verifier, 'ascii').digest('base64url') !== code.challenge) return { status: 400, json: INVALID_GRANT };
        }
        const asked = p.get('scope');
        if (asked !== null && [...new Set(asked.split(/\s+/))].sort().join(' ') !== [...new Set(code.scopes)].sort().join(' ')) {
          return { status: 400, json: { error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, or malformed.' } };
        }
        code.used = true;
        return { json: mintToken(me.id, client.clientId, code.scopes) };
      }
      if (grant === 'refresh_token') {
        const rt = refreshTokens.get(p.get('refresh_token') ?? '');
        const old = rt ? tokens.get(rt.accessToken) : undefined;
        if (!rt || rt.revoked || rt.clientId !== client.clientId || !old) return { status: 400, json: INVALID_GRANT };
        // Doorkeeper revokes the previous refresh token on use and the old access token with it.
        rt.revoked = true;
        old.revoked = true;
        return { json: mintToken(old.accountId, client.clientId, old.scopes) };
      }
      return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' } };
    },

    'POST /oauth/revoke': (req) => {
      const p = paramsOf(req);
      const client = clientAuth(req, p);
      const denied: ContractResponse = { status: 403, json: { error: 'unauthorized_client', error_description: 'You are not authorized to revoke this token' } };
      if (!client) return denied;
      const t = tokens.get(p.get('token') ?? '');
      if (t && t.clientId !== client.clientId) return denied;
      if (t) t.revoked = true;
      for (const rt of refreshTokens.values()) if (rt.accessToken === p.get('token')) rt.revoked = true;
      return { json: {} };
    },

    'GET /api/v1/accounts/verify_credentials': guarded('read:accounts', (_req, accountId) => {
      const a = accounts.get(accountId);
      return a ? { json: { ...renderAccount(a), source: { privacy: 'public', sensitive: false, language: 'en', note: '', fields: [] } } } : NOT_FOUND;
    }),

    'GET /api/v2/instance': () => ({
      json: {
        domain: new URL(baseUrl).host,
        title: 'Contract Mastodon',
        version: '4.3.0',
        source_url: 'https://github.com/mastodon/mastodon',
        configuration: {
          urls: { streaming: baseUrl.replace(/^http/, 'ws') },
          accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
          statuses: { max_characters: maxChars, max_media_attachments: maxMedia, characters_reserved_per_url: 23 },
          media_attachments: {
            supported_mime_types: SUPPORTED_TYPES,
            image_size_limit: imageSizeLimit,
            image_matrix_limit: 16_777_216,
            video_size_limit: videoSizeLimit,
            video_frame_rate_limit: 60,
            video_matrix_limit: 2_304_000,
            description_limit: descriptionLimit,
          },
          polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2_629_746 },
        },
      },
    }),

    'POST /api/v2/media': guarded('write:media', uploadMedia),

    'GET /api/v1/media/:id': guarded('write:media', (req, accountId) => {
      const m = media.get(req.params['id'] ?? '');
      // Only unattached media of the caller (set_media_attachment).
      if (!m || m.accountId !== accountId || m.statusId !== null) return NOT_FOUND;
      if (m.pollsLeft > 0) {
        m.pollsLeft--;
        // media_controller.rb renders the attachment (url still null) with 206 while processing.
        return { status: 206, json: { ...renderMedia(m), url: null } };
      }
      return { json: renderMedia(m) };
    }),

    'POST /api/v1/statuses': guarded('write:statuses', postStatus),

    'GET /api/v1/statuses/:id': guarded(
      'read:statuses',
      (req, accountId) => {
        const s = statuses.get(req.params['id'] ?? '');
        return s && visibleTo(s, accountId === '' ? null : accountId) ? { json: renderStatus(s) } : NOT_FOUND;
      },
      true,
    ),

    'DELETE /api/v1/statuses/:id': guarded('write:statuses', (req, accountId) => {
      const s = statuses.get(req.params['id'] ?? '');
      if (!s || s.deleted || s.accountId !== accountId) return NOT_FOUND;
      s.deleted = true;
      const parent = s.inReplyToId ? statuses.get(s.inReplyToId) : undefined;
      if (parent) parent.replies = Math.max(0, parent.replies - 1);
      return { json: renderStatus(s, true) };
    }),

    'GET /api/v1/accounts/:id/statuses': guarded(
      'read:statuses',
      (req, viewer) => {
        const id = req.params['id'] ?? '';
        if (!accounts.has(id)) return NOT_FOUND;
        const list = [...statuses.values()].filter((s) => s.accountId === id && visibleTo(s, viewer === '' ? null : viewer));
        const page = window(list, (s) => s.id, req, limitOf(req, 20, 40));
        return { headers: link(req, `/api/v1/accounts/${id}/statuses`, page.map((s) => s.id), ['exclude_reblogs', 'exclude_replies']), json: page.map((s) => renderStatus(s)) };
      },
      true,
    ),

    'GET /api/v1/scheduled_statuses': guarded('read:statuses', (req, accountId) => {
      const list = [...scheduled.values()].filter((s) => s.accountId === accountId && !s.deleted);
      const page = window(list, (s) => s.id, req, limitOf(req, 20, 40));
      return { headers: link(req, '/api/v1/scheduled_statuses', page.map((s) => s.id)), json: page.map(renderScheduled) };
    }),

    'GET /api/v1/scheduled_statuses/:id': guarded('read:statuses', (req, accountId) => {
      const s = scheduled.get(req.params['id'] ?? '');
      if (!s || s.deleted || s.accountId !== accountId) return NOT_FOUND;
      return { json: renderScheduled(s) };
    }),

    'DELETE /api/v1/scheduled_statuses/:id': guarded('write:statuses', (req, accountId) => {
      const s = scheduled.get(req.params['id'] ?? '');
      if (!s || s.deleted || s.accountId !== accountId) return NOT_FOUND;
      s.deleted = true;
      return { json: {} };
    }),

    'GET /api/v1/notifications': guarded('read:notifications', (req, accountId) => {
      const types = req.query.getAll('types[]');
      const exclude = req.query.getAll('exclude_types[]');
      const list = notifications.filter((n) => n.forId === accountId && (types.length === 0 || types.includes(n.type)) && !exclude.includes(n.type) && !statuses.get(n.statusId)?.deleted);
      const page = window(list, (n) => n.id, req, limitOf(req, 40, 80));
      return {
        headers: link(req, '/api/v1/notifications', page.map((n) => n.id), ['types[]', 'exclude_types[]']),
        json: page.map((n) => {
          const from = accounts.get(n.fromId);
          const s = statuses.get(n.statusId);
          return { id: n.id, type: n.type, created_at: new Date(n.createdAt).toISOString(), account: from ? renderAccount(from) : null, status: s ? renderStatus(s) : null };
        }),
      };
    }),

    'GET /api/v1/conversations': guarded('read:statuses', (req) => {
      // AccountConversation pages by last_status_id, which the body never shows as a cursor:
      // clients must follow the Link header (the docs say so).
      const list = [...conversations.values()];
      const page = window(list, (c) => c.lastStatusId, req, limitOf(req, 20, 40));
      return {
        headers: link(req, '/api/v1/conversations', page.map((c) => c.lastStatusId)),
        json: page.map((c) => {
          const last = statuses.get(c.lastStatusId);
          return {
            id: c.id,
            unread: last ? last.accountId !== me.id : false,
            accounts: c.participantIds.flatMap((id) => {
              const a = accounts.get(id);
              return a ? [renderAccount(a)] : [];
            }),
            last_status: last && !last.deleted ? renderStatus(last) : null,
          };
        }),
      };
    }),
  });
  baseUrl = server.baseUrl;

  return {
    baseUrl,
    server,
    me,
    statuses,
    scheduled,
    media,
    apps,
    tokens,
    addAccount,
    issueToken(scopes = ['read', 'write']) {
      const clientId = 'test-client';
      if (!apps.has(clientId)) apps.set(clientId, { clientSecret: 'test-secret', redirectUris: ['http://127.0.0.1/callback'], scopes: [...KNOWN_SCOPES] });
      const t = mintToken(me.id, clientId, [...scopes]);
      return { accessToken: String(t['access_token']), refreshToken: typeof t['refresh_token'] === 'string' ? t['refresh_token'] : null };
    },
    expireToken(accessToken) {
      const t = tokens.get(accessToken);
      if (t) t.expiresAt = now() - 1;
    },
    revokeRefreshToken(refreshToken) {
      const rt = refreshTokens.get(refreshToken);
      if (rt) rt.revoked = true;
    },
    receive(from, text, o = {}) {
      return createStatus(from.id, { text, visibility: o.visibility ?? 'public', inReplyToId: o.inReplyToId ?? null, mediaIds: [], language: 'en', ...(o.at === undefined ? {} : { at: o.at }) });
    },
    setCounts(statusId, counts) {
      const s = statuses.get(statusId);
      if (!s) throw new Error(`no status ${statusId}`);
      Object.assign(s, counts);
    },
    rateLimitResponse() {
      const w = Math.floor(now() / windowMs);
      return {
        status: 429,
        headers: { 'x-ratelimit-limit': String(rateLimit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': new Date((w + 1) * windowMs).toISOString().replace('Z', '000Z') },
        json: { error: 'Too many requests' },
      };
    },
    publishDue() {
      const out: Status[] = [];
      for (const s of [...scheduled.values()].sort((a, b) => a.scheduledAt - b.scheduledAt)) {
        if (s.deleted || s.scheduledAt > now()) continue;
        s.deleted = true;
        const status = createStatus(s.accountId, { text: s.text, visibility: s.visibility ?? 'public', inReplyToId: s.inReplyToId, mediaIds: s.mediaIds, language: s.language, at: s.scheduledAt });
        // PostStatusService is given the scheduled params' idempotency: the key now names the status.
        if (s.idempotency !== null) idempotency.set(`${s.accountId}:${s.idempotency}`, { kind: 'status', id: status.id, at: now() });
        out.push(status);
      }
      return out;
    },
    dropScheduled(id) {
      const s = scheduled.get(id);
      if (!s) throw new Error(`no scheduled status ${id}`);
      s.deleted = true;
    },
    ownStatuses: () => [...statuses.values()].filter((s) => s.accountId === me.id && !s.deleted).sort((a, b) => byId(b.id, a.id)),
    close: () => server.close(),
  };
}
