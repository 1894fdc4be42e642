// One Graph API request, as both Meta connectors make it: through HttpClient (so every failure is
// a PlatformError), with the token in the Authorization header rather than the URL, with Meta's
// usage headers turned into a wait when it throttles (it sends no Retry-After), and with any
// secret the request carried scrubbed from the error text (Graph echoes malformed tokens back).
import type { z } from 'zod';
import { joinUrl } from '../connector';
import { PlatformError } from '../errors';
import { bearer, HttpClient, type FetchLike, type HttpRequest } from '../http';
import type { MetaConnectorOptions } from './options';

export type MetaPlatform = 'facebook' | 'instagram';

export interface GraphRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under the versioned base, e.g. "123/feed" or "oauth/access_token". */
  path: string;
  /** Null for the OAuth endpoints, which take the app's credentials in the query instead. */
  token: string | null;
  query?: HttpRequest['query'];
  form?: Readonly<Record<string, string>>;
  json?: unknown;
  /** Multipart (photo bytes). */
  body?: FormData;
  idempotent?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Further secrets in this request (client_secret, fb_exchange_token) to keep out of errors. */
  secrets?: readonly string[];
}

export class GraphClient {
  readonly platform: MetaPlatform;
  readonly #fetch: FetchLike;
  readonly #opts: MetaConnectorOptions;

  constructor(platform: MetaPlatform, opts: MetaConnectorOptions) {
    this.platform = platform;
    this.#opts = opts;
    this.#fetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  now(): number {
    return (this.#opts.now ?? Date.now)();
  }

  async call<S extends z.ZodType>(baseUrl: string, req: GraphRequest, schema: S): Promise<z.output<S>> {
    // A client per request so the response headers of this call (and no other) are at hand when
    // HttpClient throws: Meta's throttling wait lives only in those headers.
    let headers: Headers | null = null;
    const http = new HttpClient({
      platform: this.platform,
      fetch: async (input, init) => {
        const res = await this.#fetch(input, init);
        headers = res.headers;
        return res;
      },
      ...(this.#opts.now ? { now: this.#opts.now } : {}),
      ...(this.#opts.timeoutMs === undefined ? {} : { timeoutMs: this.#opts.timeoutMs }),
    });
    try {
      const { data } = await http.json(
        {
          method: req.method,
          url: joinUrl(baseUrl, req.path),
          ...(req.token === null ? {} : { headers: bearer(req.token) }),
          ...(req.query ? { query: req.query } : {}),
          ...(req.form ? { form: req.form } : {}),
          ...(req.json === undefined ? {} : { json: req.json }),
          ...(req.body ? { body: req.body } : {}),
          ...(req.idempotent === undefined ? {} : { idempotent: req.idempotent }),
          ...(req.signal ? { signal: req.signal } : {}),
          ...(req.timeoutMs === undefined ? {} : { timeoutMs: req.timeoutMs }),
        },
        schema,
      );
      return data;
    } catch (err) {
      const secrets = [req.token, ...(req.secrets ?? [])].filter((s): s is string => typeof s === 'string' && s.length > 0);
      throw scrub(withUsageWait(err, headers), secrets);
    }
  }
}

/** A PlatformError like `err` with some fields replaced (PlatformError's fields are read-only). */
export function reissue(err: PlatformError, patch: Partial<Pick<PlatformError, 'message' | 'retryAfterMs' | 'effect' | 'category'>>): PlatformError {
  const retryAfterMs = patch.retryAfterMs ?? err.retryAfterMs;
  return new PlatformError({
    platform: err.platform,
    category: patch.category ?? err.category,
    message: patch.message ?? err.message,
    status: err.status,
    code: err.code,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    effect: patch.effect ?? err.effect,
    traceId: err.traceId,
    cause: err.cause,
  });
}

/**
 * Meta throttles with codes 4/17/32/613 and no Retry-After; the Business Use Case header (which
 * applies to Page-token calls) says how long until access returns, in minutes, per use case.
 * The platform-level X-App-Usage only gives percentages, so without BUC data no wait is guessed.
 */
export function usageWaitMs(headers: Headers | null): number | undefined {
  const raw = headers?.get('x-business-use-case-usage');
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  let minutes: number | undefined;
  for (const entries of Object.values(parsed as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const m = (entry as Record<string, unknown>)['estimated_time_to_regain_access'];
      if (typeof m === 'number' && Number.isFinite(m) && m > 0) minutes = Math.max(minutes ?? 0, m);
    }
  }
  return minutes === undefined ? undefined : minutes * 60_000;
}

function withUsageWait(err: unknown, headers: Headers | null): unknown {
  if (!(err instanceof PlatformError) || err.category !== 'rate_limit' || err.retryAfterMs !== undefined) return err;
  const wait = usageWaitMs(headers);
  return wait === undefined ? err : reissue(err, { retryAfterMs: wait });
}

function scrub(err: unknown, secrets: readonly string[]): unknown {
  if (!(err instanceof PlatformError)) return err;
  let message = err.message;
  for (const s of secrets) message = message.split(s).join('[redacted]');
  return message === err.message ? err : reissue(err, { message });
}

/** A refusal decided here, before any request: nothing reached the platform. */
export function refuse(platform: MetaPlatform, category: PlatformError['category'], message: string): PlatformError {
  return new PlatformError({ platform, category, message, effect: 'none' });
}
