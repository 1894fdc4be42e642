// LinkedIn as its documented contract describes it, on loopback, for the connector's tests.
// One server plays both hosts (www.linkedin.com/oauth/v2/* and api.linkedin.com/{v2,rest}/*): the
// paths never collide. Sources are in docs/PLATFORMS.md ("LinkedIn"); where LinkedIn's behaviour
// is only known from the field, the comment says so.
//
// The authorize step: tests GET the authorize URL the connector built (redirect: 'manual'); the
// server stands in for the member clicking "Allow" and answers 302 to the redirect URI with a code,
// remembering the PKCE challenge it saw so the token endpoint can check the verifier.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type ContractHandler, type ContractRequest, type ContractResponse, type ContractServer, startContractServer } from './server';

export interface LinkedInMember {
  sub: string;
  name: string;
  picture?: string;
}

export interface LinkedInOrganizationSeed {
  id: number;
  name: string;
  vanityName: string;
  /** The member's role on the Page (ADMINISTRATOR, CONTENT_ADMINISTRATOR, ANALYST, ...). */
  role: string;
}

export interface LinkedInContractOptions {
  clientId?: string;
  clientSecret?: string;
  /** What the app's products grant; an authorize request for anything else is refused. */
  appScopes?: readonly string[];
  /** Programmatic refresh tokens, which LinkedIn gives approved partners only. */
  refreshTokens?: boolean;
  member?: LinkedInMember;
  organizations?: readonly LinkedInOrganizationSeed[];
  /** Creates on /rest/posts per member per UTC day before 429 (LinkedIn's quotas are daily); null: none. */
  dailyPostQuota?: number | null;
  /** Exact redirect URIs registered on the app; null accepts any loopback one (the native-app rule). */
  redirectUris?: readonly string[] | null;
  now?: () => number;
}

export interface StoredPost {
  urn: string;
  activity: string;
  author: string;
  /** As sent, in little text. */
  commentary: string;
  /** What LinkedIn shows: escapes resolved, cut at the first unescaped reserved character. */
  rendered: string;
  content: PostContent | null;
  createdAt: number;
  likes: number;
  stats: { impressions: number; uniqueImpressions: number; clicks: number; shares: number };
}

export type PostContent = { media: { id: string; altText?: string } } | { multiImage: { images: { id: string; altText?: string }[] } };

export interface StoredComment {
  id: string;
  urn: string;
  actor: string;
  postUrn: string;
  /** The post's activity URN: what LinkedIn puts in `object`. */
  object: string;
  parentComment: string | null;
  text: string;
  created: number;
}

export interface StoredImage {
  urn: string;
  owner: string;
  uploadToken: string;
  bytes: Buffer | null;
}

interface TokenRecord {
  sub: string;
  scopes: ReadonlySet<string>;
  expiresAt: number;
  revoked: boolean;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  challenge: string | null;
  expiresAt: number;
  used: boolean;
}

export interface LinkedInContract {
  server: ContractServer;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  member: LinkedInMember;
  memberUrn: string;
  posts(): StoredPost[];
  post(urn: string): StoredPost | undefined;
  images(): StoredImage[];
  comments(postUrn: string): StoredComment[];
  /** Someone else comments (or answers a comment) on one of our posts. */
  addComment(input: { postUrn: string; actor: string; text: string; at?: number; parent?: string }): StoredComment;
  setStats(postUrn: string, stats: Partial<StoredPost['stats']> & { likes?: number }): void;
  /** Tokens as the token endpoint would mint them, for tests that start signed in. */
  issueTokens(input?: { scopes?: readonly string[]; refresh?: boolean }): { accessToken: string; refreshToken: string | null };
  expireAccessToken(token: string): void;
  revokeRefreshToken(token: string): void;
  isAccessTokenValid(token: string): boolean;
  close(): Promise<void>;
}

const ACCESS_TTL_S = 60 * 24 * 3600;
const REFRESH_TTL_S = 365 * 24 * 3600;
const CODE_TTL_MS = 30 * 60_000;
const RESERVED = new Set(['|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '\\', '*', '_', '~']);
const POSTING_ROLES = new Set(['ADMINISTRATOR', 'CONTENT_ADMINISTRATOR', 'DIRECT_SPONSORED_CONTENT_POSTER', 'RECRUITING_POSTER']);
const COMMENTARY_LIMIT = 3000;

// --- LinkedIn's error bodies -------------------------------------------------------------------

const json = (status: number, body: unknown, headers: Record<string, string> = {}): ContractResponse => ({ status, json: body, headers });

const restError = (status: number, message: string, extra: Record<string, unknown> = {}): ContractResponse => json(status, { status, message, ...extra });

/** Microsoft Learn "Error Handling": a missing token. */
const emptyToken = (): ContractResponse => json(401, { message: 'Empty oauth2_access_token', serviceErrorCode: 401, status: 401 });
const invalidToken = (): ContractResponse => restError(401, 'Invalid access token', { serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN' });
const expiredToken = (): ContractResponse => restError(401, 'The token used in the request has expired', { serviceErrorCode: 65601, code: 'EXPIRED_ACCESS_TOKEN' });
const revokedToken = (): ContractResponse => restError(401, 'The token used in the request has been revoked by the user', { serviceErrorCode: 65602, code: 'REVOKED_ACCESS_TOKEN' });
const accessDenied = (what: string): ContractResponse => restError(403, `Not enough permissions to access: ${what}`, { serviceErrorCode: 100, code: 'ACCESS_DENIED' });
const notFound = (what: string): ContractResponse => restError(404, `${what} not found`, { serviceErrorCode: 0, code: 'NOT_FOUND' });

/** Rest.li's 422 for a body that fails validation, one input error per field. */
function unprocessable(errors: { field: string; description: string }[]): ContractResponse {
  return json(422, {
    errorDetailType: 'com.linkedin.common.error.BadRequest',
    message: errors.map((e) => `ERROR :: /${e.field} :: ${e.description}`).join('\n'),
    errorDetails: { inputErrors: errors.map((e) => ({ description: e.description, input: { inputPath: { fieldPath: e.field } }, code: 'INVALID_VALUE' })) },
    status: 422,
  });
}

const oauthError = (status: number, error: string, description: string): ContractResponse => json(status, { error, error_description: description });

// --- little text as LinkedIn renders it -------------------------------------------------------

/**
 * Escapes resolve to the character; `#word` is a hashtag and `@[Name](urn:li:...)` a mention; any
 * other unescaped reserved character ends the text. That last rule is LinkedIn's silent truncation,
 * known from the field (see docs/PLATFORMS.md), and the reason the connector escapes.
 */
export function renderLittleText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\\') {
      const next = text.charAt(i + 1);
      if (!RESERVED.has(next)) return out;
      out += next;
      i++;
      continue;
    }
    if (ch === '#') {
      const tag = /^#\p{N}*\p{L}[\p{L}\p{N}]*/u.exec(text.slice(i));
      if (tag === null) return out;
      out += tag[0];
      i += tag[0].length - 1;
      continue;
    }
    if (ch === '@') {
      const mention = /^@\[([^\]]*)\]\((urn:li:(?:person|organization):[^)]+)\)/.exec(text.slice(i));
      if (mention === null) return out;
      out += mention[1] ?? '';
      i += mention[0].length - 1;
      continue;
    }
    if (RESERVED.has(ch)) return out;
    out += ch;
  }
  return out;
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isLoopback(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === '[::1]');
  } catch {
    return false;
  }
}

/** Rest.li 2.0 wants URN keys percent-encoded in the path; a raw ':' or '(' there is refused. */
function encodedKey(req: ContractRequest): boolean {
  const raw = req.path.split('/').find((seg) => seg.toLowerCase().startsWith('urn%3a'));
  return raw !== undefined && !/[:(),]/.test(raw);
}

/** `List(a,b)` from a Rest.li 2.0 query parameter (already percent-decoded by URLSearchParams). */
function restliList(value: string | null): string[] {
  if (value === null) return [];
  const m = /^List\((.*)\)$/.exec(value);
  return m?.[1] ? m[1].split(',').filter((s) => s !== '') : [];
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export async function startLinkedInContract(opts: LinkedInContractOptions = {}): Promise<LinkedInContract> {
  const now = opts.now ?? Date.now;
  const clientId = opts.clientId ?? '86abcdefghij12';
  const clientSecret = opts.clientSecret ?? 'WPL_AP1.secret-of-the-test-app';
  const appScopes = new Set(opts.appScopes ?? ['openid', 'profile', 'email', 'w_member_social', 'r_member_social', 'r_organization_social', 'w_organization_social', 'rw_organization_admin']);
  const refreshTokens = opts.refreshTokens ?? true;
  const member: LinkedInMember = opts.member ?? { sub: 'yS7nP4qR2x', name: 'Dana Reyes', picture: 'https://media.licdn.com/dms/image/dana.jpg' };
  const memberUrn = `urn:li:person:${member.sub}`;
  const organizations = opts.organizations ?? [];
  const dailyPostQuota = opts.dailyPostQuota ?? null;

  const codes = new Map<string, CodeRecord>();
  const accessTokens = new Map<string, TokenRecord>();
  const refreshTokenMap = new Map<string, TokenRecord>();
  const images = new Map<string, StoredImage>();
  const uploads = new Map<string, string>();
  const posts = new Map<string, StoredPost>();
  const comments: StoredComment[] = [];
  const postsToday = new Map<string, number>();
  let serial = 7_130_000_000_000_000_000n;
  const nextId = (): string => String(++serial);

  const orgOf = (urn: string): LinkedInOrganizationSeed | undefined => organizations.find((o) => `urn:li:organization:${o.id}` === urn);

  function mint(scopes: readonly string[], withRefresh: boolean): { accessToken: string; refreshToken: string | null; scope: string } {
    const accessToken = `AQV${randomBytes(24).toString('base64url')}`;
    const record: TokenRecord = { sub: member.sub, scopes: new Set(scopes), expiresAt: now() + ACCESS_TTL_S * 1000, revoked: false };
    accessTokens.set(accessToken, record);
    let refreshToken: string | null = null;
    if (withRefresh) {
      refreshToken = `AQX${randomBytes(24).toString('base64url')}`;
      refreshTokenMap.set(refreshToken, { ...record, expiresAt: now() + REFRESH_TTL_S * 1000 });
    }
    return { accessToken, refreshToken, scope: scopes.join(',') };
  }

  /** Who may act as `author`: the member, or a Page where the member's role allows it. */
  function mayActAs(who: TokenRecord, author: string, mode: 'write' | 'read'): boolean {
    if (author === `urn:li:person:${who.sub}`) return who.scopes.has(mode === 'write' ? 'w_member_social' : 'r_member_social');
    const org = orgOf(author);
    if (org === undefined) return false;
    if (mode === 'write') return POSTING_ROLES.has(org.role) && who.scopes.has('w_organization_social');
    return (org.role === 'ADMINISTRATOR' || org.role === 'DIRECT_SPONSORED_CONTENT_POSTER' || org.role === 'CONTENT_ADMINISTRATOR') && who.scopes.has('r_organization_social');
  }

  /** Bearer check, then (for /rest) the version and protocol headers; adds x-li-uuid like LinkedIn. */
  function authed(handler: (req: ContractRequest, who: TokenRecord) => ContractResponse | Promise<ContractResponse>, rest = true): ContractHandler {
    return async (req) => {
      const out = await (async (): Promise<ContractResponse> => {
        const token = req.bearer();
        if (token === null) return emptyToken();
        const who = accessTokens.get(token);
        if (who === undefined) return invalidToken();
        if (who.revoked) return revokedToken();
        if (who.expiresAt <= now()) return expiredToken();
        if (rest) {
          const version = req.headers['linkedin-version'];
          if (typeof version !== 'string' || version === '') {
            return restError(400, 'A version must be present. Please specify a version by adding the LinkedIn-Version header.', { code: 'VERSION_MISSING' });
          }
          if (!activeVersion(version)) return restError(426, `Requested version ${version} is not active`, { code: 'NONEXISTENT_VERSION' });
          if (req.headers['x-restli-protocol-version'] !== '2.0.0') return restError(400, 'This API requires X-Restli-Protocol-Version: 2.0.0');
        }
        return handler(req, who);
      })();
      return { ...out, headers: { 'x-li-uuid': randomUUID().replace(/-/g, '').slice(0, 22), ...out.headers } };
    };
  }

  /** Versions live for about a year after their month (LinkedIn's sunset policy). */
  function activeVersion(version: string): boolean {
    const m = /^(\d{4})(\d{2})(\.\d{2})?$/.exec(version);
    if (!m) return false;
    const months = Number(m[1]) * 12 + Number(m[2]) - 1;
    const d = new Date(now());
    const current = d.getUTCFullYear() * 12 + d.getUTCMonth();
    return months <= current && months > current - 12;
  }

  // --- OAuth -----------------------------------------------------------------------------------

  const authorize: ContractHandler = (req) => {
    const q = req.query;
    if (q.get('client_id') !== clientId) return { status: 400, body: 'The passed in client_id is invalid' };
    const redirectUri = q.get('redirect_uri') ?? '';
    const registered = opts.redirectUris ?? null;
    if (registered === null ? !isLoopback(redirectUri) : !registered.includes(redirectUri)) {
      return { status: 400, body: 'The redirect_uri does not match the registered value' };
    }
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const fail = (error: string, description: string): ContractResponse => {
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      return { status: 302, headers: { location: back.toString() } };
    };
    if (q.get('response_type') !== 'code') return fail('invalid_request', 'The response_type must be code');
    const scopes = (q.get('scope') ?? '').split(/[\s,]+/).filter((s) => s !== '');
    if (scopes.length === 0) return fail('invalid_scope_error', 'A scope is required');
    const unknown = scopes.find((s) => !appScopes.has(s));
    if (unknown !== undefined) return fail('unauthorized_scope_error', `Scope "${unknown}" is not authorized for your application`);
    const challenge = q.get('code_challenge');
    if (challenge !== null && q.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    const code = `AQT${randomBytes(24).toString('base64url')}`;
    codes.set(code, { clientId, redirectUri, scopes, challenge, expiresAt: now() + CODE_TTL_MS, used: false });
    back.searchParams.set('code', code);
    return { status: 302, headers: { location: back.toString() } };
  };

  const accessToken: ContractHandler = (req) => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'The request must be application/x-www-form-urlencoded');
    }
    const form = req.form();
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return oauthError(401, 'invalid_client', 'Client authentication failed');
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const record = codes.get(form.get('code') ?? '');
      const badCode = (): ContractResponse =>
        oauthError(
          400,
          'invalid_request',
          'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists',
        );
      if (record === undefined || record.used || record.expiresAt <= now() || record.redirectUri !== form.get('redirect_uri')) return badCode();
      if (record.challenge !== null) {
        const verifier = form.get('code_verifier');
        if (verifier === null || s256(verifier) !== record.challenge) return badCode();
      }
      record.used = true;
      const t = mint(record.scopes, refreshTokens);
      return json(200, {
        access_token: t.accessToken,
        expires_in: ACCESS_TTL_S - 1,
        ...(t.refreshToken === null ? {} : { refresh_token: t.refreshToken, refresh_token_expires_in: REFRESH_TTL_S - 1 }),
        scope: t.scope,
        token_type: 'Bearer',
      });
    }
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      const record = refreshTokenMap.get(token);
      if (record === undefined || record.revoked || record.expiresAt <= now()) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      const accessToken = `AQV${randomBytes(24).toString('base64url')}`;
      accessTokens.set(accessToken, { sub: record.sub, scopes: record.scopes, expiresAt: now() + ACCESS_TTL_S * 1000, revoked: false });
      // The refresh token keeps its original expiry: refreshing never extends it.
      return json(200, {
        access_token: accessToken,
        expires_in: ACCESS_TTL_S - 1,
        refresh_token: token,
        refresh_token_expires_in: Math.floor((record.expiresAt - now()) / 1000),
        scope: [...record.scopes].join(','),
      });
    }
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grant ?? '(none)'}`);
  };

  const revoke: ContractHandler = (req) => {
    const form = req.form();
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return oauthError(401, 'invalid_client', 'Client authentication failed');
    const token = form.get('token') ?? '';
    const record = accessTokens.get(token) ?? refreshTokenMap.get(token);
    if (record === undefined) return oauthError(400, 'invalid_request', 'The token is invalid');
    record.revoked = true;
    return { status: 200, body: '' };
  };

  const userinfo = authed((_req, who) => {
    if (!who.scopes.has('openid') || !who.scopes.has('profile')) return accessDenied('userinfo.GET');
    const [given, ...family] = member.name.split(' ');
    return json(200, {
      sub: member.sub,
      email_verified: true,
      name: member.name,
      locale: { country: 'US', language: 'en' },
      given_name: given,
      family_name: family.join(' '),
      ...(member.picture === undefined ? {} : { picture: member.picture }),
    });
  }, false);

  // --- images ----------------------------------------------------------------------------------

  const initializeUpload = authed((req, who) => {
    if (req.query.get('action') !== 'initializeUpload') return restError(400, 'Unsupported action');
    const body = req.json<unknown>();
    const owner = isRecord(body) && isRecord(body['initializeUploadRequest']) ? body['initializeUploadRequest']['owner'] : undefined;
    if (typeof owner !== 'string') return unprocessable([{ field: 'initializeUploadRequest/owner', description: 'field is required but not found and has no default value' }]);
    if (!mayActAs(who, owner, 'write')) return accessDenied('images.ACTION.initializeUpload');
    const id = `D4E22AQ${randomBytes(9).toString('base64url')}`;
    const token = randomBytes(12).toString('hex');
    const urn = `urn:li:image:${id}`;
    images.set(urn, { urn, owner, uploadToken: token, bytes: null });
    uploads.set(token, urn);
    return json(200, {
      value: {
        uploadUrlExpiresAt: now() + 24 * 3600 * 1000,
        uploadUrl: `${server.baseUrl}/dms-uploads/${token}`,
        image: urn,
      },
    });
  });

  const uploadBytes = authed((req) => {
    const urn = uploads.get(req.params['token'] ?? '');
    const image = urn === undefined ? undefined : images.get(urn);
    if (image === undefined) return { status: 404, body: '' };
    if (req.body.length === 0) return { status: 400, body: '' };
    image.bytes = req.body;
    return { status: 201, body: '' };
  }, false);

  // --- posts -----------------------------------------------------------------------------------

  function checkPostBody(body: unknown, who: TokenRecord): { refused: ContractResponse } | { author: string; commentary: string; content: PostContent | null } {
    if (!isRecord(body)) return { refused: unprocessable([{ field: '', description: 'body must be a JSON object' }]) };
    const errors: { field: string; description: string }[] = [];
    const required = (field: string, ok: boolean, what: string): void => {
      if (!ok) errors.push({ field, description: what });
    };
    const author = body['author'];
    required('author', typeof author === 'string' && /^urn:li:(person|organization):\S+$/.test(author), 'field is required and must be a person or organization URN');
    required('commentary', body['commentary'] === undefined || typeof body['commentary'] === 'string', 'must be a string');
    required('visibility', ['PUBLIC', 'CONNECTIONS', 'LOGGED_IN', 'CONTAINER'].includes(String(body['visibility'])), 'field is required and must be a valid visibility');
    const dist = body['distribution'];
    required(
      'distribution',
      isRecord(dist) && ['MAIN_FEED', 'NONE'].includes(String(dist['feedDistribution'])) && Array.isArray(dist['targetEntities']) && Array.isArray(dist['thirdPartyDistributionChannels']),
      'field is required: feedDistribution, targetEntities and thirdPartyDistributionChannels',
    );
    required('lifecycleState', ['PUBLISHED', 'DRAFT'].includes(String(body['lifecycleState'])), 'field is required and must be PUBLISHED or DRAFT');
    required('isReshareDisabledByAuthor', body['isReshareDisabledByAuthor'] === undefined || typeof body['isReshareDisabledByAuthor'] === 'boolean', 'must be a boolean');
    const commentary = typeof body['commentary'] === 'string' ? body['commentary'] : '';
    if (commentary.length > COMMENTARY_LIMIT) errors.push({ field: 'commentary', description: `length ${commentary.length} exceeds the maximum allowed ${COMMENTARY_LIMIT}` });
    let content: PostContent | null = null;
    const rawContent = body['content'];
    if (rawContent !== undefined) {
      const imageRef = (v: unknown, field: string): { id: string; altText?: string } | null => {
        const id = isRecord(v) ? v['id'] : undefined;
        const alt = isRecord(v) ? v['altText'] : undefined;
        const image = typeof id === 'string' ? images.get(id) : undefined;
        let problem: string | null = null;
        if (image === undefined) problem = `${String(id)} is not a known image`;
        else if (image.bytes === null) problem = `${image.urn} is not AVAILABLE (upload not finished)`;
        else if (image.owner !== author) problem = `${image.urn} is owned by another entity`;
        else if (alt !== undefined && typeof alt !== 'string') problem = 'altText must be a string';
        if (problem !== null || image === undefined) {
          errors.push({ field, description: problem ?? 'unknown image' });
          return null;
        }
        return typeof alt === 'string' ? { id: image.urn, altText: alt } : { id: image.urn };
      };
      if (isRecord(rawContent) && rawContent['media'] !== undefined) {
        const ref = imageRef(rawContent['media'], 'content/media/id');
        if (ref) content = { media: ref };
      } else if (isRecord(rawContent) && isRecord(rawContent['multiImage']) && Array.isArray(rawContent['multiImage']['images'])) {
        const list = rawContent['multiImage']['images'] as unknown[];
        if (list.length < 2 || list.length > 20) errors.push({ field: 'content/multiImage/images', description: 'must hold between 2 and 20 images' });
        const refs = list.map((v, i) => imageRef(v, `content/multiImage/images/${i}/id`));
        if (refs.every((r) => r !== null)) content = { multiImage: { images: refs as { id: string; altText?: string }[] } };
      } else {
        errors.push({ field: 'content', description: 'unsupported content' });
      }
    }
    if (errors.length > 0) return { refused: unprocessable(errors) };
    if (!mayActAs(who, author as string, 'write')) return { refused: accessDenied(`partnerApiPostsExternal.CREATE.${String(author)}`) };
    if (commentary === '' && content === null) return { refused: unprocessable([{ field: 'commentary', description: 'a post needs commentary or content' }]) };
    return { author: author as string, commentary, content };
  }

  const createPost = authed((req, who) => {
    let body: unknown;
    try {
      body = req.json<unknown>();
    } catch {
      return restError(400, 'Malformed JSON');
    }
    const checked = checkPostBody(body, who);
    if ('refused' in checked) return checked.refused;
    if (dailyPostQuota !== null) {
      const key = `${who.sub}|${utcDay(now())}`;
      const used = postsToday.get(key) ?? 0;
      // LinkedIn's documented quota answer: 429 and no header saying when it resets.
      if (used >= dailyPostQuota) return restError(429, 'Resource level throttle MEMBER DAY limit for calls to this resource is reached.', { serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS' });
      postsToday.set(key, used + 1);
    }
    const duplicate = [...posts.values()].find((p) => p.author === checked.author && p.commentary === checked.commentary && checked.commentary !== '');
    if (duplicate) return restError(422, `Content is a duplicate of ${duplicate.urn}`, { code: 'DUPLICATE_POST' });
    const id = nextId();
    // Multi-image posts come back as ugcPosts, the rest as shares.
    const urn = checked.content !== null && 'multiImage' in checked.content ? `urn:li:ugcPost:${id}` : `urn:li:share:${id}`;
    posts.set(urn, {
      urn,
      activity: `urn:li:activity:${nextId()}`,
      author: checked.author,
      commentary: checked.commentary,
      rendered: renderLittleText(checked.commentary),
      content: checked.content,
      createdAt: now(),
      likes: 0,
      stats: { impressions: 0, uniqueImpressions: 0, clicks: 0, shares: 0 },
    });
    return { status: 201, headers: { 'x-restli-id': urn }, body: '' };
  });

  const findPosts = authed((req, who) => {
    if (req.headers['x-restli-method']?.toString().toUpperCase() !== 'FINDER') return restError(400, 'Finder requests need X-RestLi-Method: FINDER');
    if (req.query.get('q') !== 'author') return restError(400, 'Unknown finder');
    const author = req.query.get('author');
    if (author === null) return restError(400, 'author is required');
    if (!mayActAs(who, author, 'read')) return accessDenied('partnerApiPostsExternal.FINDER-author');
    const start = Number(req.query.get('start') ?? '0');
    const count = Math.min(Number(req.query.get('count') ?? '10'), 100);
    const sortBy = req.query.get('sortBy') ?? 'LAST_MODIFIED';
    if (sortBy !== 'LAST_MODIFIED' && sortBy !== 'CREATED') return restError(400, `Invalid sortBy ${sortBy}`);
    const mine = [...posts.values()].filter((p) => p.author === author).sort((a, b) => b.createdAt - a.createdAt || (b.urn < a.urn ? -1 : 1));
    const page = mine.slice(start, start + count);
    const links = start + count < mine.length ? [{ type: 'application/json', rel: 'next', href: `/rest/posts?author=${encodeURIComponent(author)}&count=${count}&q=author&start=${start + count}` }] : [];
    return json(200, {
      paging: { start, count, links },
      elements: page.map((p) => ({
        id: p.urn,
        author: p.author,
        commentary: p.commentary,
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
        createdAt: p.createdAt,
        publishedAt: p.createdAt,
        lastModifiedAt: p.createdAt,
        ...(p.content === null ? {} : { content: p.content }),
      })),
    });
  });

  const deletePost = authed((req, who) => {
    if (!encodedKey(req)) return restError(400, 'The post URN in the path must be URL-encoded');
    if (req.headers['x-restli-method']?.toString().toUpperCase() !== 'DELETE') return restError(400, 'Delete requests need X-RestLi-Method: DELETE');
    const urn = req.params['urn'] ?? '';
    const post = posts.get(urn);
    if (post === undefined) return notFound(urn);
    if (!mayActAs(who, post.author, 'write')) return accessDenied('partnerApiPostsExternal.DELETE');
    posts.delete(urn);
    return { status: 204, body: '' };
  });

  // --- social actions --------------------------------------------------------------------------

  function postFor(urn: string): StoredPost | undefined {
    return posts.get(urn) ?? [...posts.values()].find((p) => p.activity === urn);
  }

  function commentJson(c: StoredComment): Record<string, unknown> {
    return {
      actor: c.actor,
      commentUrn: c.urn,
      created: { actor: c.actor, time: c.created },
      id: c.id,
      lastModified: { actor: c.actor, time: c.created },
      message: { text: c.text, attributes: [] },
      object: c.object,
      ...(c.parentComment === null ? {} : { parentComment: c.parentComment }),
    };
  }

  function storeComment(post: StoredPost, actor: string, text: string, parent: string | null, at: number): StoredComment {
    const id = nextId();
    const c: StoredComment = {
      id,
      urn: `urn:li:comment:(${post.activity},${id})`,
      actor,
      postUrn: post.urn,
      object: post.activity,
      parentComment: parent,
      text,
      created: at,
    };
    comments.push(c);
    return c;
  }

  const createComment = authed((req, who) => {
    if (!encodedKey(req)) return restError(400, 'The URN in the path must be URL-encoded');
    const target = req.params['target'] ?? '';
    const body = req.json<unknown>();
    if (!isRecord(body)) return unprocessable([{ field: '', description: 'body must be a JSON object' }]);
    const actor = body['actor'];
    const object = body['object'];
    const message = body['message'];
    const text = isRecord(message) ? message['text'] : undefined;
    const errors: { field: string; description: string }[] = [];
    if (typeof actor !== 'string') errors.push({ field: 'actor', description: 'field is required but not found and has no default value' });
    if (typeof object !== 'string') errors.push({ field: 'object', description: 'field is required but not found and has no default value' });
    if (typeof text !== 'string' || text === '') errors.push({ field: 'message/text', description: 'field is required but not found and has no default value' });
    if (errors.length > 0) return unprocessable(errors);
    const parent = body['parentComment'];
    let post: StoredPost | undefined;
    let parentUrn: string | null = null;
    if (target.startsWith('urn:li:comment:')) {
      const parentComment = comments.find((c) => c.urn === target);
      if (parentComment === undefined) return notFound(target);
      // LinkedIn threads are two levels deep: a reply answers a top-level comment.
      if (parentComment.parentComment !== null) return unprocessable([{ field: 'parentComment', description: 'replies can only be made to top-level comments' }]);
      if (parent !== target) return unprocessable([{ field: 'parentComment', description: 'must be the comment in the request path' }]);
      post = posts.get(parentComment.postUrn);
      parentUrn = target;
    } else {
      post = postFor(target);
    }
    if (post === undefined) return notFound(target);
    if (object !== post.urn && object !== post.activity) return unprocessable([{ field: 'object', description: `must be the commented entity, not ${String(object)}` }]);
    if (!mayActAs(who, actor as string, 'write')) return accessDenied('comments.CREATE');
    const c = storeComment(post, actor as string, text as string, parentUrn, now());
    return json(201, commentJson(c), { 'x-restli-id': c.id });
  });

  const listComments = authed((req, who) => {
    if (!encodedKey(req)) return restError(400, 'The URN in the path must be URL-encoded');
    const target = req.params['target'] ?? '';
    const isComment = target.startsWith('urn:li:comment:');
    const post = isComment ? posts.get(comments.find((c) => c.urn === target)?.postUrn ?? '') : postFor(target);
    if (post === undefined) return notFound(target);
    if (!mayActAs(who, post.author, 'read')) return accessDenied('comments.GET_ALL');
    const list = comments.filter((c) => c.postUrn === post.urn && (isComment ? c.parentComment === target : c.parentComment === null));
    const start = Number(req.query.get('start') ?? '0');
    const count = Math.min(Number(req.query.get('count') ?? '10'), 100);
    return json(200, {
      paging: { start, count, total: list.length, links: [] },
      elements: list.slice(start, start + count).map(commentJson),
    });
  });

  const summary = authed((req, who) => {
    if (!encodedKey(req)) return restError(400, 'The URN in the path must be URL-encoded');
    const target = req.params['target'] ?? '';
    const post = postFor(target);
    if (post === undefined) return notFound(target);
    if (!mayActAs(who, post.author, 'read')) return accessDenied('socialActions.GET');
    const all = comments.filter((c) => c.postUrn === post.urn);
    return json(200, {
      $URN: `urn:li:socialActions:${post.urn}`,
      target: post.urn,
      likesSummary: { selectedLikes: [], likedByCurrentUser: false, totalLikes: post.likes, aggregatedTotalLikes: post.likes },
      commentsSummary: { selectedComments: [], totalFirstLevelComments: all.filter((c) => c.parentComment === null).length, aggregatedTotalComments: all.length },
    });
  });

  // --- organizations ---------------------------------------------------------------------------

  const shareStatistics = authed((req, who) => {
    if (req.query.get('q') !== 'organizationalEntity') return restError(400, 'Unknown finder');
    const org = req.query.get('organizationalEntity') ?? '';
    const seed = orgOf(org);
    if (seed === undefined || seed.role !== 'ADMINISTRATOR' || !who.scopes.has('rw_organization_admin')) return accessDenied('organizationalEntityShareStatistics.FINDER');
    const ids = [...restliList(req.query.get('shares')), ...restliList(req.query.get('ugcPosts'))];
    const elements = ids.flatMap((id) => {
      const p = posts.get(id);
      if (p === undefined || p.author !== org) return [];
      const all = comments.filter((c) => c.postUrn === p.urn).length;
      const engagement = p.stats.impressions === 0 ? 0 : (p.likes + all + p.stats.clicks + p.stats.shares) / p.stats.impressions;
      return [
        {
          organizationalEntity: org,
          ...(id.startsWith('urn:li:share:') ? { share: id } : { ugcPost: id }),
          totalShareStatistics: {
            uniqueImpressionsCount: p.stats.uniqueImpressions,
            clickCount: p.stats.clicks,
            engagement,
            likeCount: p.likes,
            commentCount: all,
            shareCount: p.stats.shares,
            commentMentionsCount: 0,
            impressionCount: p.stats.impressions,
            shareMentionsCount: 0,
          },
        },
      ];
    });
    return json(200, { paging: { start: 0, count: 10, links: [] }, elements });
  });

  const organizationAcls = authed((req, who) => {
    if (req.query.get('q') !== 'roleAssignee') return restError(400, 'Unknown finder');
    if (!who.scopes.has('rw_organization_admin') && !who.scopes.has('r_organization_admin')) return accessDenied('organizationAcls.FINDER-roleAssignee');
    const role = req.query.get('role');
    const state = req.query.get('state');
    const start = Number(req.query.get('start') ?? '0');
    const count = Math.min(Number(req.query.get('count') ?? '10'), 100);
    const all = organizations
      .filter((o) => (role === null || o.role === role) && (state === null || state === 'APPROVED'))
      .map((o) => ({ roleAssignee: `urn:li:person:${who.sub}`, state: 'APPROVED', role: o.role, organization: `urn:li:organization:${o.id}` }));
    return json(200, { paging: { start, count, total: all.length, links: [] }, elements: all.slice(start, start + count) });
  });

  const getOrganization = authed((req) => {
    const seed = organizations.find((o) => String(o.id) === req.params['id']);
    if (seed === undefined) return notFound(`organization ${req.params['id'] ?? ''}`);
    return json(200, { id: seed.id, localizedName: seed.name, vanityName: seed.vanityName, name: { localized: { en_US: seed.name }, preferredLocale: { country: 'US', language: 'en' } } });
  });

  const server: ContractServer = await startContractServer({
    'GET /oauth/v2/authorization': authorize,
    'POST /oauth/v2/accessToken': accessToken,
    'POST /oauth/v2/revoke': revoke,
    'GET /v2/userinfo': userinfo,
    'POST /rest/images': initializeUpload,
    'PUT /dms-uploads/:token': uploadBytes,
    'POST /rest/posts': createPost,
    'GET /rest/posts': findPosts,
    'DELETE /rest/posts/:urn': deletePost,
    'POST /rest/socialActions/:target/comments': createComment,
    'GET /rest/socialActions/:target/comments': listComments,
    'GET /rest/socialActions/:target': summary,
    'GET /rest/organizationalEntityShareStatistics': shareStatistics,
    'GET /rest/organizationAcls': organizationAcls,
    'GET /rest/organizations/:id': getOrganization,
  });

  return {
    server,
    baseUrl: server.baseUrl,
    clientId,
    clientSecret,
    member,
    memberUrn,
    posts: () => [...posts.values()],
    post: (urn) => posts.get(urn),
    images: () => [...images.values()],
    comments: (postUrn) => comments.filter((c) => c.postUrn === postUrn),
    addComment(input) {
      const post = posts.get(input.postUrn);
      if (post === undefined) throw new Error(`No post ${input.postUrn}`);
      return storeComment(post, input.actor, input.text, input.parent ?? null, input.at ?? now());
    },
    setStats(postUrn, stats) {
      const post = posts.get(postUrn);
      if (post === undefined) throw new Error(`No post ${postUrn}`);
      if (stats.likes !== undefined) post.likes = stats.likes;
      post.stats = {
        impressions: stats.impressions ?? post.stats.impressions,
        uniqueImpressions: stats.uniqueImpressions ?? post.stats.uniqueImpressions,
        clicks: stats.clicks ?? post.stats.clicks,
        shares: stats.shares ?? post.stats.shares,
      };
    },
    issueTokens(input = {}) {
      const t = mint(input.scopes ?? [...appScopes], input.refresh ?? refreshTokens);
      return { accessToken: t.accessToken, refreshToken: t.refreshToken };
    },
    expireAccessToken(token) {
      const record = accessTokens.get(token);
      if (record === undefined) throw new Error('Unknown access token');
      record.expiresAt = now() - 1;
    },
    revokeRefreshToken(token) {
      const record = refreshTokenMap.get(token);
      if (record === undefined) throw new Error('Unknown refresh token');
      record.revoked = true;
    },
    isAccessTokenValid(token) {
      const record = accessTokens.get(token);
      return record !== undefined && !record.revoked && record.expiresAt > now();
    },
    close: () => server.close(),
  };
}
