// Meta's Graph API (Facebook Pages and Instagram professional accounts) played by its published
// contract, for the Facebook and Instagram connector tests: Facebook Login with PKCE and the app
// secret, long-lived user tokens, Page tokens from /me/accounts, Page posts, photos (by URL or
// multipart bytes), native scheduling, comments, Messenger/Instagram conversations and the Send
// API with its 24 h window, Instagram's container -> status -> media_publish flow with the daily
// quota, insights, and Graph's error object on HTTP 400 (tokens, permissions, parameters).
// Sources are in docs/PLATFORMS.md; where Meta's docs gave no exact message the text is marked.
//
// PKCE: tests drive the authorize step by requesting the dialog URL the connector built (as the
// browser would) with redirects off; the dialog answers 302 to redirect_uri with code and state,
// remembering the code_challenge, and the token endpoint checks code_verifier against it.
import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_GRAPH_VERSION } from '../../electron/platforms/meta/options';
import { startContractServer, type ContractRequest, type ContractResponse, type ContractServer } from './server';

export const GRAPH_VERSION = DEFAULT_GRAPH_VERSION;
const V = `/${GRAPH_VERSION}`;

/** Route keys, for `server.failNext` and `server.calls`. */
export const META_ROUTES = {
  dialog: `GET ${V}/dialog/oauth`,
  token: `GET ${V}/oauth/access_token`,
  node: `GET ${V}/:id`,
  deleteNode: `DELETE ${V}/:id`,
  accounts: `GET ${V}/:id/accounts`,
  permissions: `DELETE ${V}/:id/permissions`,
  feed: `GET ${V}/:id/feed`,
  postFeed: `POST ${V}/:id/feed`,
  photos: `POST ${V}/:id/photos`,
  scheduled: `GET ${V}/:id/scheduled_posts`,
  comments: `GET ${V}/:id/comments`,
  postComment: `POST ${V}/:id/comments`,
  insights: `GET ${V}/:id/insights`,
  conversations: `GET ${V}/:id/conversations`,
  messages: `POST ${V}/:id/messages`,
  conversationMessages: `GET ${V}/:id/messages`,
  tagged: `GET ${V}/:id/tagged`,
  media: `GET ${V}/:id/media`,
  postMedia: `POST ${V}/:id/media`,
  mediaPublish: `POST ${V}/:id/media_publish`,
  publishingLimit: `GET ${V}/:id/content_publishing_limit`,
  tags: `GET ${V}/:id/tags`,
  replies: `POST ${V}/:id/replies`,
  mentions: `POST ${V}/:id/mentions`,
  cdn: 'GET /cdn/:name',
} as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** "Short-lived" user tokens from the login dialog last about an hour or two. */
const SHORT_LIVED_S = 7_199;
/** fb_exchange_token's sample answer. */
const LONG_LIVED_S = 5_183_944;

// --- state ------------------------------------------------------------------------------------

interface Token {
  value: string;
  kind: 'user' | 'page';
  userId: string;
  /** The Page for a Page token. */
  pageId: string | null;
  expiresAt: number | null;
  longLived: boolean;
  /** Why Graph refuses it: 463 expired, 460 password changed, 458 app removed. */
  invalid: 460 | 463 | 458 | null;
}

export interface SeedPage {
  id: string;
  name: string;
  username?: string;
  ig?: { id: string; username: string; name: string } | null;
}

interface PageRec extends SeedPage {
  tasks: string[];
}

export interface FbPost {
  id: string;
  pageId: string;
  message: string;
  link: string | null;
  createdAt: number;
  updatedAt: number;
  /** null when published; the Unix-ms time Facebook will publish it otherwise. */
  scheduledAt: number | null;
  photoIds: string[];
  shares: number;
  reactions: number;
  deleted: boolean;
}

export interface Photo {
  id: string;
  pageId: string;
  published: boolean;
  temporary: boolean;
  altTextCustom: string | null;
  caption: string | null;
  bytes: number;
  fromUrl: string | null;
  postId: string | null;
}

export interface Comment {
  id: string;
  /** The post, photo, media or comment it is under. */
  objectId: string;
  message: string;
  from: { id: string; name?: string; username?: string };
  createdAt: number;
}

interface ConvMessage {
  id: string;
  fromId: string;
  text: string;
  createdAt: number;
}

export interface Conversation {
  id: string;
  pageId: string;
  platform: 'messenger' | 'instagram';
  person: { id: string; name?: string; username?: string };
  messages: ConvMessage[];
}

export interface SentMessage {
  id: string;
  pageId: string;
  recipient: { id?: string; comment_id?: string };
  messagingType: string | null;
  text: string;
  at: number;
}

export interface Container {
  id: string;
  igUserId: string;
  kind: 'image' | 'video' | 'carousel';
  mediaUrl: string | null;
  caption: string | null;
  altText: string | null;
  children: string[];
  isCarouselItem: boolean;
  polls: number;
  publishedAs: string | null;
}

export interface IgMedia {
  id: string;
  igUserId: string;
  caption: string;
  createdAt: number;
  permalink: string;
  mediaType: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
  altTexts: (string | null)[];
  likes: number;
}

export interface Tagged {
  id: string;
  /** Page id (Facebook) or Instagram user id. */
  ownerId: string;
  text: string;
  from: { id: string; name?: string; username?: string };
  createdAt: number;
}

export interface MetaState {
  app: { id: string; secret: string };
  user: { id: string; name: string };
  pages: PageRec[];
  tokens: Map<string, Token>;
  codes: Map<string, { redirectUri: string; challenge: string | null; method: string | null; used: boolean }>;
  posts: Map<string, FbPost>;
  photos: Map<string, Photo>;
  comments: Map<string, Comment>;
  conversations: Map<string, Conversation>;
  sent: SentMessage[];
  containers: Map<string, Container>;
  igMedia: Map<string, IgMedia>;
  tagged: Tagged[];
  quota: Map<string, number>;
  quotaTotal: number;
  /** Insight metric names this Graph version still serves (others fail the call with code 100). */
  fbMetrics: Set<string>;
  igMetrics: Set<string>;
  /** Public files the "CDN" serves (Meta cURLs media URLs). */
  cdn: Map<string, { type: string; bytes: Buffer }>;
}

export interface MetaContract {
  server: ContractServer;
  /** The versioned Graph base a connector account uses. */
  baseUrl: string;
  state: MetaState;
  /** A long-lived user token and the Page tokens it reads, as after a completed login. */
  login(opts?: { longLived?: boolean }): { userToken: string; pageToken(pageId: string): string };
  pageToken(pageId: string, userToken: string): string;
  expire(token: string): void;
  /** Every token of the user stops working, as after a password change (subcode 460). */
  passwordChanged(): void;
  addComment(objectId: string, c: { message: string; from: Comment['from']; at: number }): Comment;
  addConversation(pageId: string, platform: Conversation['platform'], person: Conversation['person'], messages: { fromPerson: boolean; text: string; at: number }[]): Conversation;
  addTagged(ownerId: string, t: { text: string; from: Tagged['from']; at: number }): Tagged;
  /** Host a public file at /cdn/<name> and return its URL. */
  host(name: string, type: string, bytes: Buffer): string;
  /** Facebook publishes the Page posts it held whose scheduled_publish_time has come; returns them. */
  publishDue(): FbPost[];
  close(): Promise<void>;
}

// --- Graph's error object -----------------------------------------------------------------------

export function graphError(code: number, message: string, opts: { subcode?: number; type?: string; status?: number; headers?: Record<string, string>; isTransient?: boolean } = {}): ContractResponse {
  return {
    status: opts.status ?? 400,
    headers: { ...(code === 190 ? { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${message.replace(/"/g, "'")}"` } : {}), ...opts.headers },
    json: {
      error: {
        message,
        type: opts.type ?? 'OAuthException',
        code,
        ...(opts.subcode === undefined ? {} : { error_subcode: opts.subcode }),
        ...(opts.isTransient === undefined ? {} : { is_transient: opts.isTransient }),
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  };
}

/** Meta's throttling answer for Page-token calls: code 32 (or 4/17/613) and BUC usage headers, no Retry-After. */
export function throttled(opts: { code?: number; minutes?: number; businessId?: string } = {}): ContractResponse {
  const code = opts.code ?? 32;
  const usage = { [opts.businessId ?? '1001']: [{ type: 'pages', call_count: 100, total_cputime: 12, total_time: 18, estimated_time_to_regain_access: opts.minutes ?? 7 }] };
  return graphError(code, code === 32 ? '(#32) Page request limit reached' : '(#4) Application request limit reached', {
    headers: { 'x-business-use-case-usage': JSON.stringify(usage), 'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 5, total_time: 7 }) },
  });
}

const unsupported = (method: string, id: string): ContractResponse =>
  graphError(
    100,
    `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { subcode: 33, type: 'GraphMethodException' },
  );

// --- helpers ------------------------------------------------------------------------------------

function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function newToken(prefix: string): string {
  return `EAA${prefix}${randomBytes(24).toString('base64url')}`;
}

/** Graph takes parameters from the query string and the body alike (form, multipart or JSON). */
async function paramsOf(req: ContractRequest): Promise<{ get(k: string): string | null; file(k: string): File | null; json: Record<string, unknown> | null }> {
  const values = new Map<string, string>(req.query);
  const files = new Map<string, File>();
  let json: Record<string, unknown> | null = null;
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) for (const [k, v] of req.form()) values.set(k, v);
  else if (type.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': type } }).formData();
    for (const [k, v] of form) {
      if (typeof v === 'string') values.set(k, v);
      else files.set(k, v);
    }
  } else if (type.startsWith('application/json')) {
    json = req.json<Record<string, unknown>>();
    for (const [k, v] of Object.entries(json)) if (typeof v === 'string' || typeof v === 'number') values.set(k, String(v));
  }
  return { get: (k) => values.get(k) ?? null, file: (k) => files.get(k) ?? null, json };
}

function fieldsOf(req: ContractRequest): string {
  return req.query.get('fields') ?? '';
}

/** Cursor paging as Graph does it: cursors always, `next` only when there is more. */
function cursorPage<T>(req: ContractRequest, all: readonly T[], render: (item: T) => unknown, baseUrl: string, defaultLimit = 25): unknown {
  const limit = Math.max(1, Math.min(Number(req.query.get('limit') ?? defaultLimit) || defaultLimit, 100));
  const after = req.query.get('after');
  const start = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString('utf8'));
  const slice = all.slice(start, start + limit);
  const end = start + slice.length;
  const cursor = (i: number) => Buffer.from(String(i), 'utf8').toString('base64url');
  const next = new URL(`${baseUrl}${req.path}`);
  for (const [k, v] of req.query) if (k !== 'after' && k !== 'access_token') next.searchParams.set(k, v);
  next.searchParams.set('limit', String(limit));
  next.searchParams.set('after', cursor(end));
  return {
    data: slice.map(render),
    ...(slice.length === 0 ? {} : { paging: { cursors: { before: cursor(start), after: cursor(end) }, ...(end < all.length ? { next: next.toString() } : {}) } }),
  };
}

/** An edge embedded in its parent (`comments.limit(2){...}`): the first page, `next` on the edge itself. */
function nestedEdge<T>(all: readonly T[], limit: number, render: (item: T) => unknown, edgeUrl: string): unknown {
  const slice = all.slice(0, limit);
  const cursor = (i: number) => Buffer.from(String(i), 'utf8').toString('base64url');
  const next = `${edgeUrl}?limit=${limit}&after=${cursor(slice.length)}`;
  return { data: slice.map(render), ...(slice.length === 0 ? {} : { paging: { cursors: { before: cursor(0), after: cursor(slice.length) }, ...(slice.length < all.length ? { next } : {}) } }) };
}

// --- the server ---------------------------------------------------------------------------------

export async function startMetaContract(opts: { now?: () => number; pages?: SeedPage[] } = {}): Promise<MetaContract> {
  const now = opts.now ?? Date.now;
  const seedPages: SeedPage[] = opts.pages ?? [
    { id: '1001', name: 'Juniper Bakery', username: 'juniperbakery', ig: { id: '17841400000000001', username: 'juniper.bakes', name: 'Juniper Bakery' } },
    { id: '1002', name: 'Mara Lind Studio', ig: null },
  ];
  const state: MetaState = {
    app: { id: '584930217765432', secret: 'app-secret-9d3f1b7c2e' },
    user: { id: '10229', name: 'Mara Lind' },
    pages: seedPages.map((p) => ({ ...p, tasks: ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'] })),
    tokens: new Map(),
    codes: new Map(),
    posts: new Map(),
    photos: new Map(),
    comments: new Map(),
    conversations: new Map(),
    sent: [],
    containers: new Map(),
    igMedia: new Map(),
    tagged: [],
    quota: new Map(),
    quotaTotal: 50,
    fbMetrics: new Set(['post_media_view', 'post_total_media_view_unique', 'post_clicks', 'post_reactions_by_type_total']),
    igMetrics: new Set(['views', 'reach', 'likes', 'comments', 'shares', 'saved', 'total_interactions']),
    cdn: new Map(),
  };
  let seq = 5000;
  const nextId = () => String(++seq);
  // Page tokens read with a given user token, so the same login reads the same Page token.
  const pageTokensByUser = new Map<string, Map<string, string>>();
  let baseUrl = '';

  const issue = (kind: Token['kind'], pageId: string | null, expiresInS: number | null, longLived: boolean): Token => {
    const t: Token = { value: newToken(kind === 'user' ? 'U' : 'P'), kind, userId: state.user.id, pageId, expiresAt: expiresInS === null ? null : now() + expiresInS * 1000, longLived, invalid: null };
    state.tokens.set(t.value, t);
    return t;
  };

  const pageTokenFor = (userToken: Token, pageId: string): string => {
    let map = pageTokensByUser.get(userToken.value);
    if (!map) pageTokensByUser.set(userToken.value, (map = new Map()));
    let value = map.get(pageId);
    if (!value) {
      // A Page token read with a long-lived user token has no expiry; otherwise it ends with the user token.
      value = issue('page', pageId, userToken.longLived || userToken.expiresAt === null ? null : Math.round((userToken.expiresAt - now()) / 1000), false).value;
      map.set(pageId, value);
    }
    return value;
  };

  /** The token on a request, checked the way Graph checks it. */
  const authorize = (req: ContractRequest, kind?: Token['kind']): Token | ContractResponse => {
    const raw = req.bearer() ?? req.query.get('access_token');
    if (raw === null) return graphError(2500, 'An active access token must be used to query information about the current user.');
    if (!/^EAA[A-Za-z0-9_-]{20,}$/.test(raw)) return graphError(190, `Malformed access token ${raw}`);
    const t = state.tokens.get(raw);
    if (!t) return graphError(190, 'Invalid OAuth access token - Cannot parse access token');
    if (t.invalid === 460) {
      return graphError(190, 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.', { subcode: 460 });
    }
    if (t.invalid === 458) return graphError(190, `Error validating access token: The user has not authorized application ${state.app.id}.`, { subcode: 458 });
    if (t.invalid === 463 || (t.expiresAt !== null && now() >= t.expiresAt)) {
      const at = new Date(t.expiresAt ?? now()).toUTCString();
      return graphError(190, `Error validating access token: Session has expired on ${at}. The current time is ${new Date(now()).toUTCString()}.`, { subcode: 463 });
    }
    if (kind === 'page' && t.kind !== 'page') return graphError(190, '(#190) This method must be called with a Page Access Token');
    return t;
  };
  const isToken = (x: Token | ContractResponse): x is Token => 'kind' in x && 'value' in x;

  const pageOfIg = (igUserId: string) => state.pages.find((p) => p.ig?.id === igUserId);
  /** Which Page owns a node, so a Page token only reaches its own things. */
  const ownerPage = (id: string): string | null => {
    if (state.pages.some((p) => p.id === id)) return id;
    const ig = pageOfIg(id);
    if (ig) return ig.id;
    const post = state.posts.get(id);
    if (post && !post.deleted) return post.pageId;
    const photo = state.photos.get(id);
    if (photo) return photo.pageId;
    const comment = state.comments.get(id);
    if (comment) return ownerPage(comment.objectId);
    const conv = state.conversations.get(id);
    if (conv) return conv.pageId;
    const container = state.containers.get(id);
    if (container) return pageOfIg(container.igUserId)?.id ?? null;
    const media = state.igMedia.get(id);
    if (media) return pageOfIg(media.igUserId)?.id ?? null;
    return null;
  };

  /** Page-token access to node `id`, or the error Graph gives. */
  const pageAccess = (req: ContractRequest, id: string, method = 'get'): Token | ContractResponse => {
    const t = authorize(req, 'page');
    if (!isToken(t)) return t;
    const owner = ownerPage(id);
    if (owner === null || owner !== t.pageId) return unsupported(method, id);
    return t;
  };

  const fetchable = async (url: string): Promise<{ ok: boolean; type: string; size: number }> => {
    try {
      const res = await fetch(url);
      const bytes = Buffer.from(await res.arrayBuffer());
      return { ok: res.ok, type: res.headers.get('content-type') ?? '', size: bytes.length };
    } catch {
      return { ok: false, type: '', size: 0 };
    }
  };

  const renderPost = (p: FbPost, req: ContractRequest) => {
    const fields = fieldsOf(req);
    const out: Record<string, unknown> = { id: p.id, created_time: graphTime(p.createdAt), updated_time: graphTime(p.updatedAt) };
    if (p.message) out['message'] = p.message;
    // Page Post fields: is_published, and scheduled_publish_time while Facebook holds the post.
    if (fields.split(',').includes('is_published')) out['is_published'] = p.scheduledAt === null;
    if (fields.split(',').includes('scheduled_publish_time') && p.scheduledAt !== null && Number.isFinite(p.scheduledAt)) out['scheduled_publish_time'] = Math.floor(p.scheduledAt / 1000);
    if (fields.includes('permalink_url')) out['permalink_url'] = `https://www.facebook.com/${p.pageId}/posts/${p.id.split('_')[1] ?? p.id}`;
    if (/(^|,)comments[.{]/.test(fields) || fields.split(',').includes('comments')) {
      const limit = Number(/comments\.limit\((\d+)\)/.exec(fields)?.[1] ?? 25);
      const comments = [...state.comments.values()].filter((c) => c.objectId === p.id).sort((a, b) => b.createdAt - a.createdAt);
      out['comments'] = nestedEdge(comments, limit, (c) => renderComment(c, p), `${baseUrl}${V}/${p.id}/comments`);
    }
    return out;
  };

  const renderComment = (c: Comment, post?: FbPost) => ({
    id: c.id,
    message: c.message,
    created_time: graphTime(c.createdAt),
    from: { id: c.from.id, ...(c.from.name ? { name: c.from.name } : {}) },
    ...(post ? { permalink_url: `https://www.facebook.com/${post.pageId}/posts/${post.id.split('_')[1]}?comment_id=${c.id}` } : {}),
    ...(state.comments.has(c.objectId) ? { parent: { id: c.objectId } } : {}),
  });

  const createPost = (pageId: string, message: string, link: string | null, scheduledAt: number | null, photoIds: string[]): FbPost => {
    const id = `${pageId}_${nextId()}`;
    const post: FbPost = { id, pageId, message, link, createdAt: now(), updatedAt: now(), scheduledAt, photoIds, shares: 0, reactions: 0, deleted: false };
    state.posts.set(id, post);
    return post;
  };

  /** published=false + scheduled_publish_time: 10 minutes to 6 months ahead (Meta's announcement). */
  const readSchedule = (p: { get(k: string): string | null }): { scheduledAt: number | null } | ContractResponse => {
    const published = p.get('published');
    const time = p.get('scheduled_publish_time');
    if (time === null) return { scheduledAt: null };
    if (published !== 'false') return graphError(100, '(#100) You cannot specify a scheduled publish time on a published post');
    const at = Number(time) * 1000;
    if (!Number.isFinite(at) || at < now() + 10 * 60_000 || at > now() + 183 * DAY) return graphError(100, '(#100) The specified scheduled publish time is invalid.');
    return { scheduledAt: at };
  };

  const server = await startContractServer({
    // --- Facebook Login ---------------------------------------------------------------------------
    [META_ROUTES.dialog]: (req) => {
      const q = req.query;
      if (q.get('client_id') !== state.app.id) return { status: 400, body: 'Invalid App ID: the provided app ID does not look like a valid app ID.' };
      const redirectUri = q.get('redirect_uri');
      if (!redirectUri) return { status: 400, body: "URL Blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings." };
      const code = `AQ${randomBytes(24).toString('base64url')}`;
      state.codes.set(code, { redirectUri, challenge: q.get('code_challenge'), method: q.get('code_challenge_method'), used: false });
      const location = new URL(redirectUri);
      location.searchParams.set('code', code);
      location.searchParams.set('state', q.get('state') ?? '');
      return { status: 302, headers: { location: `${location.toString()}#_=_` } };
    },

    [META_ROUTES.token]: (req) => {
      const q = req.query;
      if (q.get('client_id') !== state.app.id) return graphError(101, 'Error validating application. Invalid application ID.');
      const secret = q.get('client_secret');
      if (secret !== null && secret !== state.app.secret) return graphError(1, 'Error validating client secret.', { subcode: 404 });
      if (q.get('grant_type') === 'fb_exchange_token') {
        if (secret === null) return graphError(1, 'Missing client_secret parameter.');
        const held = state.tokens.get(q.get('fb_exchange_token') ?? '');
        if (!held || held.kind !== 'user') return graphError(190, 'Invalid OAuth access token - Cannot parse access token');
        if (held.invalid !== null || (held.expiresAt !== null && now() >= held.expiresAt)) {
          return graphError(190, 'Error validating access token: Session has expired or the user revoked access.', { subcode: held.invalid ?? 463 });
        }
        const t = issue('user', null, LONG_LIVED_S, true);
        return { json: { access_token: t.value, token_type: 'bearer', expires_in: LONG_LIVED_S } };
      }
      const code = state.codes.get(q.get('code') ?? '');
      if (!code || code.used) return graphError(100, 'Invalid verification code format.', { subcode: 36007 });
      if (q.get('redirect_uri') !== code.redirectUri) return graphError(100, 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', { subcode: 36008 });
      if (code.challenge !== null) {
        const verifier = q.get('code_verifier') ?? '';
        const expected = code.method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
        // Meta's exact wording for a wrong verifier is not in the docs we read.
        if (expected !== code.challenge) return graphError(100, 'Invalid code verifier.');
      } else if (secret === null) return graphError(1, 'Missing client_secret parameter.');
      code.used = true;
      const t = issue('user', null, SHORT_LIVED_S, false);
      return { json: { access_token: t.value, token_type: 'bearer', expires_in: SHORT_LIVED_S } };
    },

    [META_ROUTES.accounts]: (req) => {
      if (req.params['id'] !== 'me') return unsupported('get', req.params['id'] ?? '');
      const t = authorize(req, 'user');
      if (!isToken(t)) return t;
      const fields = fieldsOf(req);
      return {
        json: cursorPage(
          req,
          state.pages,
          (p) => ({
            id: p.id,
            name: p.name,
            ...(p.username ? { username: p.username } : {}),
            access_token: pageTokenFor(t, p.id),
            category: 'Bakery',
            tasks: p.tasks,
            ...(fields.includes('picture') ? { picture: { data: { url: `https://scontent.example/${p.id}.jpg` } } } : {}),
            ...(fields.includes('instagram_business_account') && p.ig
              ? { instagram_business_account: { id: p.ig.id, username: p.ig.username, name: p.ig.name, profile_picture_url: `https://scontent.example/ig/${p.ig.id}.jpg` } }
              : {}),
          }),
          baseUrl,
        ),
      };
    },

    [META_ROUTES.permissions]: (req) => {
      const t = authorize(req, 'user');
      if (!isToken(t)) return t;
      for (const tok of state.tokens.values()) if (tok.userId === t.userId) tok.invalid = 458;
      return { json: { success: true } };
    },

    // --- nodes --------------------------------------------------------------------------------------
    [META_ROUTES.node]: (req) => {
      const id = req.params['id'] ?? '';
      const fields = fieldsOf(req);
      if (id === 'me') {
        const t = authorize(req);
        if (!isToken(t)) return t;
        if (t.kind === 'page') {
          const page = state.pages.find((p) => p.id === t.pageId);
          return { json: { id: t.pageId, name: page?.name } };
        }
        return { json: { id: state.user.id, name: state.user.name } };
      }
      const t = pageAccess(req, id);
      if (!isToken(t)) return t;
      const container = state.containers.get(id);
      if (container) {
        container.polls++;
        const statusCode = containerStatus(container);
        return { json: { id, status_code: statusCode, ...(fields.includes('status') ? { status: STATUS_TEXT[statusCode] } : {}) } };
      }
      const conv = state.conversations.get(id);
      if (conv) {
        const page = state.pages.find((p) => p.id === conv.pageId);
        const self = conv.platform === 'instagram' ? { id: page?.ig?.id ?? '', username: page?.ig?.username } : { id: conv.pageId, name: page?.name };
        return { json: { id, participants: { data: [conv.person, self] } } };
      }
      const media = state.igMedia.get(id);
      if (media) {
        const comments = [...state.comments.values()].filter((c) => c.objectId === id).length;
        return { json: { id, permalink: media.permalink, like_count: media.likes, comments_count: comments, caption: media.caption, timestamp: graphTime(media.createdAt) } };
      }
      const post = state.posts.get(id);
      if (post) {
        const out = renderPost(post, req) as Record<string, unknown>;
        const total = [...state.comments.values()].filter((c) => c.objectId === id).length;
        if (fields.includes('shares') && post.shares > 0) out['shares'] = { count: post.shares };
        if (fields.includes('comments')) out['comments'] = { data: [], summary: { order: 'ranked', total_count: total, can_comment: true } };
        if (fields.includes('reactions')) out['reactions'] = { data: [], summary: { total_count: post.reactions, viewer_reaction: 'NONE' } };
        return { json: out };
      }
      return { json: { id } };
    },

    [META_ROUTES.deleteNode]: (req) => {
      const id = req.params['id'] ?? '';
      const t = pageAccess(req, id, 'delete');
      if (!isToken(t)) return t;
      if (state.igMedia.has(id) || state.containers.has(id)) return unsupported('delete', id);
      const post = state.posts.get(id);
      if (post) {
        post.deleted = true;
        return { json: { success: true } };
      }
      if (state.photos.delete(id) || state.comments.delete(id)) return { json: { success: true } };
      return unsupported('delete', id);
    },

    // --- Facebook Page publishing ---------------------------------------------------------------------
    [META_ROUTES.postFeed]: async (req) => {
      const pageId = req.params['id'] ?? '';
      const t = pageAccess(req, pageId, 'post');
      if (!isToken(t)) return t;
      if (!state.pages.some((p) => p.id === pageId)) return unsupported('post', pageId);
      const p = await paramsOf(req);
      const schedule = readSchedule(p);
      if (!('scheduledAt' in schedule)) return schedule;
      const photoIds: string[] = [];
      for (let i = 0; p.get(`attached_media[${i}]`) !== null; i++) {
        let fbid: unknown;
        try {
          fbid = (JSON.parse(p.get(`attached_media[${i}]`) ?? '') as { media_fbid?: unknown }).media_fbid;
        } catch {
          fbid = undefined;
        }
        const photo = typeof fbid === 'string' ? state.photos.get(fbid) : undefined;
        if (!photo || photo.pageId !== pageId || photo.published) return graphError(100, `(#100) param attached_media[${i}] has invalid media_fbid`);
        photoIds.push(photo.id);
      }
      const message = p.get('message') ?? '';
      const link = p.get('link');
      if (message === '' && link === null && photoIds.length === 0) return graphError(100, '(#100) Missing message or attachment.');
      if (message.length > 63_206) return graphError(100, '(#100) The message is too long.');
      const duplicate = [...state.posts.values()].some((x) => !x.deleted && x.pageId === pageId && x.message === message && message !== '' && now() - x.createdAt < HOUR);
      if (duplicate) return graphError(506, '(#506) Duplicate status message');
      const published = p.get('published') !== 'false';
      const post = createPost(pageId, message, link, schedule.scheduledAt, photoIds);
      for (const id of photoIds) {
        const photo = state.photos.get(id);
        if (photo) photo.postId = post.id;
      }
      if (!published && schedule.scheduledAt === null) post.scheduledAt = Number.POSITIVE_INFINITY;
      return { json: { id: post.id } };
    },

    [META_ROUTES.photos]: async (req) => {
      const pageId = req.params['id'] ?? '';
      const t = pageAccess(req, pageId, 'post');
      if (!isToken(t)) return t;
      const p = await paramsOf(req);
      const schedule = readSchedule(p);
      if (!('scheduledAt' in schedule)) return schedule;
      const file = p.file('source');
      const url = p.get('url');
      let bytes: number;
      if (file) {
        if (!file.type.startsWith('image/') || file.size === 0) return graphError(324, '(#324) Requires upload file');
        bytes = file.size;
      } else if (url) {
        const got = await fetchable(url);
        if (!got.ok || !got.type.startsWith('image/')) return graphError(324, '(#324) Missing or invalid image file');
        bytes = got.size;
      } else return graphError(324, '(#324) Requires upload file');
      if (bytes >= 10 * 1024 * 1024) return graphError(100, '(#100) Photos must be less than 10MB');
      const published = p.get('published') !== 'false';
      const photo: Photo = {
        id: nextId(),
        pageId,
        published,
        temporary: p.get('temporary') === 'true',
        altTextCustom: p.get('alt_text_custom'),
        caption: p.get('caption'),
        bytes,
        fromUrl: file ? null : url,
        postId: null,
      };
      state.photos.set(photo.id, photo);
      // A published (or scheduled) photo makes a feed story; an unpublished one waits for attached_media.
      if (published || schedule.scheduledAt !== null) {
        const post = createPost(pageId, photo.caption ?? '', null, schedule.scheduledAt, [photo.id]);
        photo.postId = post.id;
        photo.published = true;
        return { json: { id: photo.id, post_id: post.id } };
      }
      return { json: { id: photo.id } };
    },

    [META_ROUTES.feed]: (req) => {
      const pageId = req.params['id'] ?? '';
      const t = pageAccess(req, pageId);
      if (!isToken(t)) return t;
      const since = req.query.get('since');
      const until = req.query.get('until');
      const all = [...state.posts.values()]
        .filter((x) => x.pageId === pageId && !x.deleted && x.scheduledAt === null)
        .filter((x) => since === null || x.createdAt >= Number(since) * 1000)
        .filter((x) => until === null || x.createdAt < (Number(until) + 1) * 1000)
        .sort((a, b) => b.createdAt - a.createdAt || Number(b.id.split('_')[1]) - Number(a.id.split('_')[1]));
      // Feed pages by time: `until` plus an opaque __paging_token, only inside `next`.
      const token = req.query.get('__paging_token');
      const start = token === null ? 0 : all.findIndex((x) => x.id === Buffer.from(token, 'base64url').toString('utf8')) + 1;
      const limit = Math.max(1, Math.min(Number(req.query.get('limit') ?? 25) || 25, 100));
      const slice = all.slice(start, start + limit);
      const last = slice[slice.length - 1];
      const more = last !== undefined && start + slice.length < all.length;
      const next = new URL(`${baseUrl}${req.path}`);
      for (const [k, v] of req.query) if (k !== 'access_token' && k !== 'until' && k !== '__paging_token') next.searchParams.set(k, v);
      if (last) {
        next.searchParams.set('until', String(Math.floor(last.createdAt / 1000)));
        next.searchParams.set('__paging_token', Buffer.from(last.id, 'utf8').toString('base64url'));
      }
      return { json: { data: slice.map((x) => renderPost(x, req)), ...(slice.length > 0 ? { paging: { previous: `${baseUrl}${req.path}?since=0`, ...(more ? { next: next.toString() } : {}) } } : {}) } };
    },

    [META_ROUTES.scheduled]: (req) => {
      const pageId = req.params['id'] ?? '';
      const t = pageAccess(req, pageId);
      if (!isToken(t)) return t;
      const all = [...state.posts.values()].filter((x) => x.pageId === pageId && !x.deleted && x.scheduledAt !== null && Number.isFinite(x.scheduledAt));
      return { json: cursorPage(req, all, (x) => ({ id: x.id, message: x.message, scheduled_publish_time: Math.floor((x.scheduledAt ?? 0) / 1000), created_time: graphTime(x.createdAt) }), baseUrl) };
    },

    [META_ROUTES.tagged]: (req) => {
      const pageId = req.params['id'] ?? '';
      const t = pageAccess(req, pageId);
      if (!isToken(t)) return t;
      const all = state.tagged.filter((x) => x.ownerId === pageId).sort((a, b) => b.createdAt - a.createdAt);
      return { json: cursorPage(req, all, (x) => ({ id: x.id, message: x.text, created_time: graphTime(x.createdAt), from: x.from, permalink_url: `https://www.facebook.com/${x.id}` }), baseUrl) };
    },

    // --- comments (Facebook posts and comments, Instagram media) ------------------------------------
    [META_ROUTES.comments]: (req) => {
      const id = req.params['id'] ?? '';
      const t = pageAccess(req, id);
      if (!isToken(t)) return t;
      const all = [...state.comments.values()].filter((c) => c.objectId === id).sort((a, b) => b.createdAt - a.createdAt);
      if (state.igMedia.has(id)) {
        return { json: cursorPage(req, all, (c) => ({ id: c.id, text: c.message, timestamp: graphTime(c.createdAt), username: c.from.username, from: { id: c.from.id, username: c.from.username } }), baseUrl) };
      }
      // Graph's default is chronological; the connector asks for reverse_chronological.
      if (req.query.get('order') !== 'reverse_chronological') all.reverse();
      return { json: cursorPage(req, all, (c) => renderComment(c, state.posts.get(id)), baseUrl) };
    },

    [META_ROUTES.postComment]: async (req) => {
      const id = req.params['id'] ?? '';
      const t = pageAccess(req, id, 'post');
      if (!isToken(t)) return t;
      const p = await paramsOf(req);
      const message = p.get('message');
      if (!message) return graphError(100, '(#100) Missing message or attachment');
      const post = state.posts.get(id);
      if (post && post.scheduledAt !== null) return unsupported('post', id);
      const page = state.pages.find((x) => x.id === t.pageId);
      const fromIg = state.igMedia.has(id);
      const c: Comment = {
        id: fromIg ? `1790${nextId()}` : `${id.split('_')[1] ?? id}_${nextId()}`,
        objectId: id,
        message,
        from: fromIg ? { id: page?.ig?.id ?? '', username: page?.ig?.username ?? '' } : { id: t.pageId ?? '', name: page?.name ?? '' },
        createdAt: now(),
      };
      state.comments.set(c.id, c);
      if (post) post.updatedAt = now();
      return { json: { id: c.id } };
    },

    // --- messaging --------------------------------------------------------------------------------
    [META_ROUTES.conversations]: (req) => {
      const pageId = req.params['id'] ?? '';
      const t = pageAccess(req, pageId);
      if (!isToken(t)) return t;
      const platform = req.query.get('platform') ?? 'messenger';
      if (platform !== 'messenger' && platform !== 'instagram') return graphError(100, '(#100) param platform must be one of {MESSENGER, INSTAGRAM}');
      const fields = fieldsOf(req);
      const all = [...state.conversations.values()]
        .filter((c) => c.pageId === pageId && c.platform === platform)
        .sort((a, b) => lastAt(b) - lastAt(a));
      const limit = Number(/messages\.limit\((\d+)\)/.exec(fields)?.[1] ?? 25);
      return {
        json: cursorPage(
          req,
          all,
          (c) => ({
            id: c.id,
            updated_time: graphTime(lastAt(c)),
            ...(fields.includes('messages')
              ? {
                  messages: nestedEdge(
                    [...c.messages].sort((a, b) => b.createdAt - a.createdAt),
                    limit,
                    (m) => renderMessage(c, m),
                    `${baseUrl}${V}/${c.id}/messages`,
                  ),
                }
              : {}),
          }),
          baseUrl,
        ),
      };
    },

    [META_ROUTES.conversationMessages]: (req) => {
      const id = req.params['id'] ?? '';
      const t = pageAccess(req, id);
      if (!isToken(t)) return t;
      const conv = state.conversations.get(id);
      if (!conv) return unsupported('get', id);
      return { json: cursorPage(req, [...conv.messages].sort((a, b) => b.createdAt - a.createdAt), (m) => renderMessage(conv, m), baseUrl) };
    },

    [META_ROUTES.messages]: async (req) => {
      const pageId = req.params['id'] ?? '';
      const t = pageAccess(req, pageId, 'post');
      if (!isToken(t)) return t;
      const body = (await paramsOf(req)).json ?? {};
      const recipient = body['recipient'] as { id?: unknown; comment_id?: unknown } | undefined;
      const text = (body['message'] as { text?: unknown } | undefined)?.text;
      if (typeof text !== 'string' || text === '') return graphError(100, '(#100) The parameter message is required', { type: 'OAuthException' });
      const type = typeof body['messaging_type'] === 'string' ? (body['messaging_type'] as string) : null;
      if (typeof recipient?.comment_id === 'string') {
        const comment = state.comments.get(recipient.comment_id);
        if (!comment || ownerPage(comment.objectId) !== pageId) return graphError(100, '(#100) No matching user found', { subcode: 2018001 });
        if (now() - comment.createdAt > 7 * DAY) return graphError(10, '(#10) This message is sent outside of allowed window.', { subcode: 2018278 });
        if (state.sent.some((s) => s.recipient.comment_id === comment.id)) return graphError(10, '(#10) Only one private reply can be sent per comment.'); // wording unverified
        const sent: SentMessage = { id: `m_${randomBytes(12).toString('base64url')}`, pageId, recipient: { comment_id: comment.id }, messagingType: type, text, at: now() };
        state.sent.push(sent);
        return { json: { recipient_id: comment.from.id, message_id: sent.id } };
      }
      if (typeof recipient?.id !== 'string') return graphError(100, '(#100) The parameter recipient is required');
      const conv = [...state.conversations.values()].find((c) => c.pageId === pageId && c.person.id === recipient.id);
      if (!conv) return graphError(100, '(#100) No matching user found', { subcode: 2018001 });
      if (type === null) return graphError(100, '(#100) The parameter messaging_type is required');
      const lastFromPerson = Math.max(...conv.messages.filter((m) => m.fromId === conv.person.id).map((m) => m.createdAt));
      if (type === 'RESPONSE' && now() - lastFromPerson > DAY) return graphError(10, '(#10) This message is sent outside of allowed window.', { subcode: 2018278 });
      const sent: SentMessage = { id: `m_${randomBytes(12).toString('base64url')}`, pageId, recipient: { id: recipient.id }, messagingType: type, text, at: now() };
      state.sent.push(sent);
      conv.messages.push({ id: sent.id, fromId: conv.platform === 'instagram' ? (state.pages.find((p) => p.id === pageId)?.ig?.id ?? pageId) : pageId, text, createdAt: now() });
      return { json: { recipient_id: recipient.id, message_id: sent.id } };
    },

    // --- insights ------------------------------------------------------------------------------------
    [META_ROUTES.insights]: (req) => {
      const id = req.params['id'] ?? '';
      const t = pageAccess(req, id);
      if (!isToken(t)) return t;
      const metrics = (req.query.get('metric') ?? '').split(',').filter(Boolean);
      if (metrics.length === 0) return graphError(100, 'No metric was specified to be fetched. Please specify one or more metrics to be fetched and try again.', { subcode: 1504028 });
      const ig = state.igMedia.get(id);
      const served = ig ? state.igMetrics : state.fbMetrics;
      const bad = metrics.find((m) => !served.has(m));
      if (bad) return graphError(100, `(#100) The value must be a valid insights metric`);
      const seed = [...id].reduce((a, ch) => a + ch.charCodeAt(0), 0);
      return {
        json: {
          data: metrics.map((name, i) => ({
            name,
            period: 'lifetime',
            values: [{ value: name.endsWith('_by_type_total') ? { like: 3, love: 1 } : 10 * (i + 1) + (seed % 7) }],
            title: name,
            description: name,
            id: `${id}/insights/${name}/lifetime`,
          })),
        },
      };
    },

    // --- Instagram ------------------------------------------------------------------------------------
    [META_ROUTES.publishingLimit]: (req) => {
      const ig = req.params['id'] ?? '';
      const t = pageAccess(req, ig);
      if (!isToken(t)) return t;
      const usage = state.quota.get(ig) ?? 0;
      return { json: { data: [{ quota_usage: usage, ...(fieldsOf(req).includes('config') ? { config: { quota_total: state.quotaTotal, quota_duration: 86_400 } } : {}) }] } };
    },

    [META_ROUTES.postMedia]: async (req) => {
      const ig = req.params['id'] ?? '';
      const t = pageAccess(req, ig, 'post');
      if (!isToken(t)) return t;
      if (!pageOfIg(ig)) return unsupported('post', ig);
      const p = await paramsOf(req);
      const caption = p.get('caption');
      if (caption !== null && caption.length > 2200) return graphError(100, '(#100) The caption is too long.', { subcode: 2207010 }); // subcode unverified
      const type = p.get('media_type');
      const isItem = p.get('is_carousel_item') === 'true';
      let container: Container;
      if (type === 'CAROUSEL') {
        const children = (p.get('children') ?? '').split(',').filter(Boolean);
        if (children.length < 2 || children.length > 10) return graphError(100, '(#100) The carousel must have between 2 and 10 children.');
        for (const child of children) {
          const c = state.containers.get(child);
          if (!c || c.igUserId !== ig || !c.isCarouselItem || containerStatus(c) !== 'FINISHED') return graphError(100, `(#100) Invalid children: ${child}`, { subcode: 2207004 }); // wording unverified
        }
        container = { id: nextId(), igUserId: ig, kind: 'carousel', mediaUrl: null, caption, altText: null, children, isCarouselItem: false, polls: 0, publishedAs: null };
      } else {
        const isVideo = type === 'REELS' || type === 'VIDEO';
        const url = isVideo ? p.get('video_url') : p.get('image_url');
        if (!url) return graphError(100, `(#100) The parameter ${isVideo ? 'video_url' : 'image_url'} is required.`);
        // Meta cURLs the media; an address it cannot fetch fails the container.
        const got = await fetchable(url);
        if (!got.ok || (!isVideo && got.type !== 'image/jpeg')) {
          return graphError(9004, 'Only photo or video can be accepted as media type.', { subcode: 2207052, type: 'OAuthException' });
        }
        container = { id: nextId(), igUserId: ig, kind: isVideo ? 'video' : 'image', mediaUrl: url, caption: isItem ? null : caption, altText: isVideo ? null : p.get('alt_text'), children: [], isCarouselItem: isItem, polls: 0, publishedAs: null };
      }
      state.containers.set(container.id, container);
      return { json: { id: container.id } };
    },

    [META_ROUTES.mediaPublish]: async (req) => {
      const ig = req.params['id'] ?? '';
      const t = pageAccess(req, ig, 'post');
      if (!isToken(t)) return t;
      const p = await paramsOf(req);
      const container = state.containers.get(p.get('creation_id') ?? '');
      if (!container || container.igUserId !== ig) return graphError(100, '(#100) The parameter creation_id is required.');
      if ((state.quota.get(ig) ?? 0) >= state.quotaTotal) return graphError(9, 'Application request limit reached', { subcode: 2207042 });
      if (containerStatus(container) !== 'FINISHED') return graphError(9007, 'Media ID is not available', { subcode: 2207027 });
      const media: IgMedia = {
        id: `1790${nextId()}`,
        igUserId: ig,
        caption: container.caption ?? '',
        createdAt: now(),
        permalink: `https://www.instagram.com/p/${randomBytes(8).toString('base64url')}/`,
        mediaType: container.kind === 'carousel' ? 'CAROUSEL_ALBUM' : container.kind === 'video' ? 'VIDEO' : 'IMAGE',
        altTexts: container.kind === 'carousel' ? container.children.map((c) => state.containers.get(c)?.altText ?? null) : [container.altText],
        likes: 0,
      };
      container.publishedAs = media.id;
      state.igMedia.set(media.id, media);
      state.quota.set(ig, (state.quota.get(ig) ?? 0) + 1);
      return { json: { id: media.id } };
    },

    [META_ROUTES.media]: (req) => {
      const ig = req.params['id'] ?? '';
      const t = pageAccess(req, ig);
      if (!isToken(t)) return t;
      const fields = fieldsOf(req);
      const all = [...state.igMedia.values()].filter((m) => m.igUserId === ig).sort((a, b) => b.createdAt - a.createdAt);
      const limit = Number(/comments\.limit\((\d+)\)/.exec(fields)?.[1] ?? 25);
      return {
        json: cursorPage(
          req,
          all,
          (m) => ({
            id: m.id,
            caption: m.caption,
            timestamp: graphTime(m.createdAt),
            permalink: m.permalink,
            media_type: m.mediaType,
            ...(fields.includes('comments')
              ? {
                  comments: nestedEdge(
                    [...state.comments.values()].filter((c) => c.objectId === m.id).sort((a, b) => b.createdAt - a.createdAt),
                    limit,
                    (c) => ({ id: c.id, text: c.message, timestamp: graphTime(c.createdAt), username: c.from.username, from: { id: c.from.id, username: c.from.username } }),
                    `${baseUrl}${V}/${m.id}/comments`,
                  ),
                }
              : {}),
          }),
          baseUrl,
        ),
      };
    },

    [META_ROUTES.tags]: (req) => {
      const ig = req.params['id'] ?? '';
      const t = pageAccess(req, ig);
      if (!isToken(t)) return t;
      const all = state.tagged.filter((x) => x.ownerId === ig).sort((a, b) => b.createdAt - a.createdAt);
      return { json: cursorPage(req, all, (x) => ({ id: x.id, caption: x.text, timestamp: graphTime(x.createdAt), username: x.from.username, permalink: `https://www.instagram.com/p/${x.id}/` }), baseUrl) };
    },

    [META_ROUTES.replies]: async (req) => {
      const id = req.params['id'] ?? '';
      const t = pageAccess(req, id, 'post');
      if (!isToken(t)) return t;
      const parent = state.comments.get(id);
      if (!parent || !state.igMedia.has(parent.objectId)) return unsupported('post', id);
      const message = (await paramsOf(req)).get('message');
      if (!message) return graphError(100, '(#100) The parameter message is required.');
      const page = state.pages.find((p) => p.id === t.pageId);
      const c: Comment = { id: `1790${nextId()}`, objectId: id, message, from: { id: page?.ig?.id ?? '', username: page?.ig?.username ?? '' }, createdAt: now() };
      state.comments.set(c.id, c);
      return { json: { id: c.id } };
    },

    [META_ROUTES.mentions]: async (req) => {
      const ig = req.params['id'] ?? '';
      const t = pageAccess(req, ig, 'post');
      if (!isToken(t)) return t;
      const p = await paramsOf(req);
      const tagged = state.tagged.find((x) => x.id === p.get('media_id') && x.ownerId === ig);
      if (!tagged) return graphError(100, '(#100) The parameter media_id is required.');
      const message = p.get('message');
      if (!message) return graphError(100, '(#100) The parameter message is required.');
      const c: Comment = { id: `1790${nextId()}`, objectId: tagged.id, message, from: { id: ig, username: pageOfIg(ig)?.ig?.username ?? '' }, createdAt: now() };
      state.comments.set(c.id, c);
      return { json: { id: c.id } };
    },

    // --- the public web Meta fetches media from -------------------------------------------------------
    [META_ROUTES.cdn]: (req) => {
      const file = state.cdn.get(req.params['name'] ?? '');
      return file ? { headers: { 'content-type': file.type }, body: file.bytes } : { status: 404, body: 'Not found' };
    },
  });
  baseUrl = server.baseUrl;

  function renderMessage(c: Conversation, m: ConvMessage) {
    const page = state.pages.find((p) => p.id === c.pageId);
    const self = c.platform === 'instagram' ? { id: page?.ig?.id ?? '', username: page?.ig?.username ?? '' } : { id: c.pageId, name: page?.name ?? '' };
    return { id: m.id, message: m.text, created_time: graphTime(m.createdAt), from: m.fromId === c.person.id ? c.person : self };
  }

  function lastAt(c: Conversation): number {
    return Math.max(...c.messages.map((m) => m.createdAt));
  }

  /** Images are ready at once; a video takes a couple of status checks; a carousel follows its children. */
  function containerStatus(c: Container): 'FINISHED' | 'IN_PROGRESS' | 'PUBLISHED' | 'ERROR' | 'EXPIRED' {
    if (c.publishedAs !== null) return 'PUBLISHED';
    if (c.kind === 'video' && c.polls < 3) return 'IN_PROGRESS';
    if (c.kind === 'carousel' && c.children.some((id) => { const child = state.containers.get(id); return !child || containerStatus(child) !== 'FINISHED'; })) return 'IN_PROGRESS';
    return 'FINISHED';
  }

  return {
    server,
    baseUrl: `${server.baseUrl}${V}`,
    state,
    login(o = {}) {
      const user = issue('user', null, o.longLived === false ? SHORT_LIVED_S : LONG_LIVED_S, o.longLived !== false);
      return { userToken: user.value, pageToken: (pageId) => pageTokenFor(user, pageId) };
    },
    pageToken(pageId, userToken) {
      const user = state.tokens.get(userToken);
      if (!user || user.kind !== 'user') throw new Error('not a user token');
      return pageTokenFor(user, pageId);
    },
    expire(token) {
      const t = state.tokens.get(token);
      if (!t) throw new Error('unknown token');
      t.invalid = 463;
    },
    passwordChanged() {
      for (const t of state.tokens.values()) t.invalid = 460;
    },
    addComment(objectId, c) {
      const comment: Comment = { id: `${objectId.split('_')[1] ?? objectId}_${nextId()}`, objectId, message: c.message, from: c.from, createdAt: c.at };
      state.comments.set(comment.id, comment);
      const post = state.posts.get(objectId);
      if (post) post.updatedAt = Math.max(post.updatedAt, c.at);
      return comment;
    },
    addConversation(pageId, platform, person, messages) {
      const page = state.pages.find((p) => p.id === pageId);
      const selfId = platform === 'instagram' ? (page?.ig?.id ?? pageId) : pageId;
      const conv: Conversation = {
        id: `t_${nextId()}`,
        pageId,
        platform,
        person,
        messages: messages.map((m) => ({ id: `m_${randomBytes(9).toString('base64url')}`, fromId: m.fromPerson ? person.id : selfId, text: m.text, createdAt: m.at })),
      };
      state.conversations.set(conv.id, conv);
      return conv;
    },
    addTagged(ownerId, x) {
      const tagged: Tagged = { id: state.pages.some((p) => p.id === ownerId) ? `${x.from.id}_${nextId()}` : `1790${nextId()}`, ownerId, text: x.text, from: x.from, createdAt: x.at };
      state.tagged.push(tagged);
      return tagged;
    },
    host(name, type, bytes) {
      state.cdn.set(name, { type, bytes });
      return `${server.baseUrl}/cdn/${name}`;
    },
    publishDue() {
      const due = [...state.posts.values()].filter((p) => !p.deleted && p.scheduledAt !== null && Number.isFinite(p.scheduledAt) && p.scheduledAt <= now());
      for (const p of due) {
        // It keeps its id; its story is dated when it went out.
        p.createdAt = p.scheduledAt ?? p.createdAt;
        p.updatedAt = p.createdAt;
        p.scheduledAt = null;
      }
      return due;
    },
    close: () => server.close(),
  };
}

const STATUS_TEXT: Record<string, string> = {
  IN_PROGRESS: 'In Progress: Media is still being processed.',
  FINISHED: 'Finished: Media has been uploaded and it is ready to be published.',
  PUBLISHED: 'Published: Media has been successfully published.',
  EXPIRED: 'Expired: The container was not published within 24 hours.',
  ERROR: 'Error: 2207052',
};
