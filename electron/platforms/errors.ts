// One error type for every platform failure. Connectors turn an HTTP response (status, headers,
// body text) into a PlatformError here, so the scheduler's retry decision depends on a category
// and not on six vendors' error dialects. Sources for the codes are in docs/PLATFORMS.md.
import type { Platform } from '../../db/schema/enums';
import { JobError } from '../scheduler/definitions';
import { PLATFORM_NAMES } from './names';

export const PLATFORM_ERROR_CATEGORIES = ['auth', 'rate_limit', 'validation', 'media', 'transient', 'permanent'] as const;
export type PlatformErrorCategory = (typeof PLATFORM_ERROR_CATEGORIES)[number];

/** Categories a later attempt can fix by itself; the rest need the user (reconnect, edit the post). */
const RETRYABLE: ReadonlySet<PlatformErrorCategory> = new Set(['rate_limit', 'transient']);

export interface PlatformErrorInit {
  platform: Platform;
  category: PlatformErrorCategory;
  message: string;
  /** HTTP status, or null when no response arrived. */
  status?: number | null;
  /** The platform's own code: Bluesky `error`, Meta `code[/subcode]`, X `code`, LinkedIn `serviceErrorCode`. */
  code?: string | null;
  retryAfterMs?: number;
  /** 'none' only when the request certainly had no effect on the platform. */
  effect: 'none' | 'unknown';
  /** Meta's fbtrace_id, LinkedIn's x-li-uuid: what support asks for. */
  traceId?: string | null;
  cause?: unknown;
}

export class PlatformError extends Error {
  override name = 'PlatformError';
  readonly platform: Platform;
  readonly category: PlatformErrorCategory;
  readonly status: number | null;
  readonly code: string | null;
  readonly retryAfterMs: number | undefined;
  readonly effect: 'none' | 'unknown';
  readonly traceId: string | null;

  constructor(init: PlatformErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.platform = init.platform;
    this.category = init.category;
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    this.retryAfterMs = init.retryAfterMs;
    this.effect = init.effect;
    this.traceId = init.traceId ?? null;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.category);
  }
}

/** Headers as fetch gives them, or a plain record (test servers, node:http). */
export type HeadersLike = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export function header(headers: HeadersLike, name: string): string | null {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name);
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Readonly<Record<string, string | readonly string[] | undefined>>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : (value[0] ?? null);
  }
  return null;
}

/**
 * A Retry-After value (RFC 9110: delay-seconds or an HTTP date) as ms from `now`.
 * Returns undefined for anything unreadable rather than guessing.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A rate-limit reset header as ms from `now`. Vendors disagree on the unit: X and the Bluesky PDS
 * send epoch seconds, the IETF RateLimit draft sends seconds remaining, Mastodon an ISO 8601 time.
 * A number above 10^9 can only be an epoch (it would be 31 years as a delay).
 */
export function parseResetHeader(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return n > 1e9 ? Math.max(0, Math.ceil(n * 1000 - now)) : Math.ceil(n * 1000);
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Retry-After first (it is the server's direct answer), then each platform's reset header. */
export function retryAfterFromHeaders(headers: HeadersLike, now: number): number | undefined {
  return (
    parseRetryAfter(header(headers, 'retry-after'), now) ??
    parseResetHeader(header(headers, 'x-rate-limit-reset'), now) ??
    parseResetHeader(header(headers, 'ratelimit-reset'), now) ??
    parseResetHeader(header(headers, 'x-ratelimit-reset'), now)
  );
}

/** One HTTP response that was not a success, as a connector saw it. */
export interface HttpFailure {
  status: number;
  headers: HeadersLike;
  /** The raw body text; parsed here so malformed JSON is handled in one place. */
  body: string;
  /** The request's method: a failed POST may still have created something. */
  method: string;
  /**
   * The request is safe to repeat (GET, DELETE, or a POST carrying an idempotency key the platform
   * honours, like Mastodon's Idempotency-Key). Default: true for GET/HEAD/PUT/DELETE/OPTIONS.
   */
  idempotent?: boolean;
  now?: number;
}

interface BodyReading {
  code: string | null;
  message: string | null;
  category: PlatformErrorCategory | null;
  traceId: string | null;
}

const NOTHING: BodyReading = { code: null, message: null, category: null, traceId: null };

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

// --- per-platform body readers -------------------------------------------------------------------

const BLUESKY_CODES: Readonly<Record<string, PlatformErrorCategory>> = {
  ExpiredToken: 'auth',
  InvalidToken: 'auth',
  AuthenticationRequired: 'auth',
  AuthFactorTokenRequired: 'auth',
  AccountTakedown: 'permanent',
  AccountDeactivated: 'permanent',
  RateLimitExceeded: 'rate_limit',
  InvalidRequest: 'validation',
  InvalidSwap: 'validation',
  RecordNotFound: 'permanent',
  BlobTooLarge: 'media',
  InvalidMimeType: 'media',
  InternalServerError: 'transient',
  UpstreamFailure: 'transient',
  NotEnoughResources: 'transient',
};

/** XRPC error body: `{ "error": "ExpiredToken", "message": "Token has expired" }`. */
function readBluesky(body: unknown): BodyReading {
  if (!isRecord(body)) return NOTHING;
  const code = str(body['error']);
  return { code, message: str(body['message']), category: code === null ? null : (BLUESKY_CODES[code] ?? null), traceId: null };
}

/** Mastodon: `{ "error": "...", "error_description"?: "..." }`; the status carries the meaning. */
function readMastodon(body: unknown): BodyReading {
  if (!isRecord(body)) return NOTHING;
  const message = str(body['error']);
  const description = str(body['error_description']);
  let category: PlatformErrorCategory | null = null;
  // Attaching media the server is still transcoding (v2 upload answered 202) is worth retrying.
  if (message !== null && /not finished processing/i.test(message)) category = 'transient';
  else if (message !== null && /media|file|attachment|image/i.test(message) && /(size|type|large|unsupported|process)/i.test(message)) category = 'media';
  return { code: null, message: description === null ? message : `${message ?? 'Error'}: ${description}`, category, traceId: null };
}

const X_CODES: Readonly<Record<string, PlatformErrorCategory>> = {
  '32': 'auth', // could not authenticate you
  '89': 'auth', // invalid or expired token
  '88': 'rate_limit',
  '185': 'rate_limit', // over daily status update limit
  '187': 'validation', // duplicate status
  '186': 'validation', // text too long
  '324': 'media',
  '325': 'media',
  '326': 'permanent', // account locked
  '64': 'permanent', // account suspended
  '130': 'transient', // over capacity
  '131': 'transient', // internal error
};

/**
 * X: v2 problem `{ "title", "detail", "type", "status" }` or `{ "errors": [{ "message", "code"? }] }`
 * (also what the 429 carries); OAuth 2 token endpoint `{ "error", "error_description" }`.
 */
function readX(body: unknown): BodyReading {
  if (!isRecord(body)) return NOTHING;
  const errors = body['errors'];
  if (Array.isArray(errors) && isRecord(errors[0])) {
    const first = errors[0];
    const code = str(first['code']);
    return { code, message: str(first['message']) ?? str(first['detail']), category: code === null ? null : (X_CODES[code] ?? null), traceId: null };
  }
  const detail = str(body['detail']) ?? str(body['title']) ?? str(body['error_description']) ?? str(body['error']);
  const type = str(body['type']);
  let category: PlatformErrorCategory | null = null;
  if (detail !== null && /duplicate content/i.test(detail)) category = 'validation';
  if (str(body['error']) === 'invalid_grant') category = 'auth';
  return { code: (type === 'about:blank' ? null : type) ?? str(body['error']), message: detail, category, traceId: null };
}

/** Meta Graph (Facebook Pages and Instagram): `{ "error": { message, type, code, error_subcode, fbtrace_id } }`. */
function readMeta(body: unknown): BodyReading {
  if (!isRecord(body) || !isRecord(body['error'])) return NOTHING;
  const e = body['error'];
  const rawCode = str(e['code']);
  // Number(null) is 0, which would read as a real code; a missing code stays NaN.
  const codeNum = typeof e['code'] === 'number' ? e['code'] : rawCode === null ? Number.NaN : Number(rawCode);
  const sub = str(e['error_subcode']);
  const code = Number.isFinite(codeNum) ? (sub === null ? String(codeNum) : `${codeNum}/${sub}`) : sub;
  const message = str(e['error_user_msg']) ?? str(e['message']);
  const subNum = sub === null ? Number.NaN : Number(sub);
  return { code, message, category: metaCategory(codeNum, subNum, e['is_transient'] === true, str(e['type'])), traceId: str(e['fbtrace_id']) };
}

function metaCategory(code: number, sub: number, isTransient: boolean, type: string | null): PlatformErrorCategory | null {
  // Subcodes that mean something other than their code's family (docs/PLATFORMS.md, Meta sections).
  if (code === 1 && sub === 404) return 'auth'; // "Error validating client secret": retrying never fixes it
  if (code === 10 && sub === 2018278) return 'validation'; // outside the messaging window
  if (code === 9 && sub === 2207042) return 'rate_limit'; // Instagram's daily publishing cap
  if (code === 9007 && sub === 2207027) return 'transient'; // media container not ready yet
  if (code === 190 || code === 102) return 'auth';
  // 10 and 200-299: a permission is missing or was removed, which only reconnecting fixes.
  if (code === 10 || (code >= 200 && code <= 299)) return 'auth';
  if (code === 4 || code === 17 || code === 32 || code === 613 || code === 341 || code === 80001 || code === 80002) return 'rate_limit';
  if (code === 1 || code === 2) return 'transient';
  if (code === 506) return 'validation'; // duplicate post
  if (code === 324 || code === 352 || code === 9004 || code === 36000 || code === 36001 || code === 36003) return 'media';
  if (code === 368) return 'permanent'; // temporarily blocked for policy reasons: retrying makes it worse
  if (code === 100) return 'validation';
  if (isTransient) return 'transient';
  if (type === 'OAuthException' && !Number.isFinite(code)) return 'auth';
  return null;
}

/** LinkedIn Rest.li: `{ "status": 422, "serviceErrorCode": 100, "code": "...", "message": "..." }`. */
function readLinkedIn(body: unknown): BodyReading {
  if (!isRecord(body)) return NOTHING;
  const code = str(body['code']) ?? str(body['serviceErrorCode']);
  const message = str(body['message']);
  let category: PlatformErrorCategory | null = null;
  if (code === 'EXPIRED_ACCESS_TOKEN' || code === 'REVOKED_ACCESS_TOKEN' || code === '65601' || code === '65602') category = 'auth';
  if (code === 'DUPLICATE_POST' || (message !== null && /duplicate/i.test(message))) category = 'validation';
  return { code, message, category, traceId: null };
}

/**
 * RFC 6749 §5.2 token-endpoint errors look the same on every network. `invalid_grant` (a code or
 * refresh token that expired, was used, or was revoked) and `invalid_client` mean the user must
 * sign in again: auth, whatever vendor dialect the rest of the API speaks.
 */
function oauthTokenError(body: unknown): BodyReading | null {
  if (!isRecord(body)) return null;
  const code = str(body['error']);
  if (code !== 'invalid_grant' && code !== 'invalid_client' && code !== 'unauthorized_client') return null;
  return { code, message: str(body['error_description']) ?? code, category: 'auth', traceId: null };
}

const READERS: Readonly<Record<Platform, (body: unknown) => BodyReading>> = {
  bluesky: readBluesky,
  mastodon: readMastodon,
  x: readX,
  facebook: readMeta,
  instagram: readMeta,
  threads: readMeta,
  whatsapp: readMeta,
  linkedin: readLinkedIn,
  google_business: () => NOTHING,
  tiktok: () => NOTHING,
  youtube: () => NOTHING,
};

function categoryFromStatus(status: number): PlatformErrorCategory {
  if (status === 401) return 'auth';
  if (status === 403) return 'auth';
  if (status === 408 || status === 425) return 'transient';
  if (status === 413 || status === 415) return 'media';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'transient';
  if (status === 404 || status === 410) return 'permanent';
  return 'validation';
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * Map a failed (or unreadable) response to a PlatformError. The body's own code wins over the
 * status where the platform documents one (Meta answers rate limits and expired tokens with 400).
 */
export function platformErrorFromResponse(platform: Platform, failure: HttpFailure): PlatformError {
  const now = failure.now ?? Date.now();
  const parsed = parseJson(failure.body);
  const method = failure.method.toUpperCase();
  const idempotent = failure.idempotent ?? IDEMPOTENT_METHODS.has(method);
  const malformed = parsed === undefined && failure.body.trim() !== '';
  const ok = failure.status >= 200 && failure.status < 300;

  if (ok) {
    // A 2xx we could not read: the platform may well have done the thing; we just don't know what.
    return new PlatformError({
      platform,
      category: 'transient',
      status: failure.status,
      message: `${PLATFORM_NAMES[platform]} answered ${failure.status} but the response could not be read${malformed ? ' (malformed JSON)' : ''}.`,
      effect: idempotent ? 'none' : 'unknown',
    });
  }

  const reading = parsed === undefined ? NOTHING : (oauthTokenError(parsed) ?? READERS[platform](parsed));
  const category = reading.category ?? categoryFromStatus(failure.status);
  const retryAfterMs = category === 'rate_limit' || failure.status === 503 ? retryAfterFromHeaders(failure.headers, now) : undefined;
  // 4xx means the platform refused the request; only a server error leaves a POST's outcome open.
  const effect: 'none' | 'unknown' = failure.status >= 500 && !idempotent ? 'unknown' : 'none';
  const traceId = reading.traceId ?? header(failure.headers, 'x-li-uuid') ?? header(failure.headers, 'x-fb-trace-id');
  const detail = reading.message ?? (malformed ? 'unreadable error body' : 'no details');
  return new PlatformError({
    platform,
    category,
    status: failure.status,
    code: reading.code,
    message: `${PLATFORM_NAMES[platform]} refused the request (HTTP ${failure.status}): ${detail}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    effect,
    traceId,
  });
}

/** Error codes of Node's fetch (undici) that mean the request never left this machine. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL']);

function causeCode(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; isRecord(e) && depth < 4; e = e['cause'], depth++) {
    const code = str(e['code']);
    if (code !== null) return code;
  }
  return null;
}

/** fetch threw (no response): transient; a POST's effect is unknown unless it never connected. */
export function platformErrorFromNetwork(platform: Platform, err: unknown, opts: { method: string; idempotent?: boolean }): PlatformError {
  const code = causeCode(err);
  const idempotent = opts.idempotent ?? IDEMPOTENT_METHODS.has(opts.method.toUpperCase());
  const notSent = code !== null && NOT_SENT_CODES.has(code);
  return new PlatformError({
    platform,
    category: 'transient',
    status: null,
    code,
    message: `Could not reach ${PLATFORM_NAMES[platform]}${code === null ? '' : ` (${code})`}. Check the connection; Postdesk will try again.`,
    effect: notSent || idempotent ? 'none' : 'unknown',
    cause: err,
  });
}

/** The scheduler's view: retry follows the category, waiting at least what the platform asked. */
export function toJobError(err: PlatformError): JobError {
  return new JobError(err.message, {
    retryable: err.retryable,
    effect: err.effect,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
    cause: err,
  });
}
