// Every call the connector makes as an account goes through here, so the headers LinkedIn demands
// on /rest (a pinned version, Rest.li 2.0 encoding) and its quota semantics live in one place.
import type { z } from 'zod';
import { type ConnectorAccount, joinUrl } from '../connector';
import { PlatformError, type PlatformErrorCategory } from '../errors';
import { HttpClient, type HttpRequest, type HttpResponse, bearer } from '../http';
import { type LinkedInConnectorOptions, type ResolvedLinkedInConfig, resolveConfig } from './config';

export interface ApiRequest {
  method: HttpRequest['method'];
  /** Path under the API base, URNs already encoded with `encodeUrn`; may carry a hand-built query. */
  path: string;
  query?: HttpRequest['query'];
  json?: unknown;
  /** Rest.li wants the method spelled out for finders and deletes. */
  restliMethod?: 'FINDER' | 'DELETE';
  idempotent?: boolean;
  signal?: AbortSignal;
}

/**
 * A URN as one path segment or List() item. Rest.li 2.0 reserves `( ) , :` inside keys, and
 * encodeURIComponent leaves parentheses alone, which breaks comment URNs such as
 * urn:li:comment:(urn:li:activity:1,2).
 */
export function encodeUrn(urn: string): string {
  return encodeURIComponent(urn).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** LinkedIn's quotas are per UTC day and it sends no Retry-After, so the honest wait is until 00:00 UTC. */
export function msUntilMidnightUtc(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
}

export function linkedInError(category: PlatformErrorCategory, message: string, extra: { status?: number | null; effect?: 'none' | 'unknown'; cause?: unknown } = {}): PlatformError {
  return new PlatformError({
    platform: 'linkedin',
    category,
    message,
    status: extra.status ?? null,
    effect: extra.effect ?? 'none',
    ...(extra.cause === undefined ? {} : { cause: extra.cause }),
  });
}

/** A copy of `err` with another category and message, keeping what support needs (status, code, trace). */
export function recategorize(err: PlatformError, category: PlatformErrorCategory, message: string): PlatformError {
  return new PlatformError({
    platform: err.platform,
    category,
    message,
    status: err.status,
    code: err.code,
    effect: err.effect,
    traceId: err.traceId,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
    cause: err,
  });
}

export class LinkedInApi {
  readonly http: HttpClient;
  readonly config: ResolvedLinkedInConfig;

  constructor(opts: LinkedInConnectorOptions) {
    this.config = resolveConfig(opts);
    this.http = new HttpClient({
      platform: 'linkedin',
      ...(opts.fetch === undefined ? {} : { fetch: opts.fetch }),
      now: this.config.now,
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    });
  }

  now(): number {
    return this.config.now();
  }

  async send(account: ConnectorAccount, req: ApiRequest): Promise<HttpResponse> {
    try {
      return await this.http.send(this.#build(account, req));
    } catch (err) {
      throw this.#withQuotaReset(err);
    }
  }

  async json<S extends z.ZodType>(account: ConnectorAccount, req: ApiRequest, schema: S): Promise<{ data: z.output<S>; headers: Headers; status: number }> {
    try {
      return await this.http.json(this.#build(account, req), schema);
    } catch (err) {
      throw this.#withQuotaReset(err);
    }
  }

  /** An unversioned OAuth/OpenID call (www.linkedin.com/oauth or /v2/userinfo): no Rest.li headers. */
  async plain<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    try {
      return (await this.http.json(req, schema)).data;
    } catch (err) {
      throw this.#withQuotaReset(err);
    }
  }

  #build(account: ConnectorAccount, req: ApiRequest): HttpRequest {
    const headers: Record<string, string> = {
      ...bearer(account.credentials.accessToken),
      'linkedin-version': this.config.apiVersion,
      'x-restli-protocol-version': '2.0.0',
    };
    if (req.restliMethod !== undefined) headers['x-restli-method'] = req.restliMethod;
    return {
      method: req.method,
      url: joinUrl(account.baseUrl, req.path),
      headers,
      ...(req.query === undefined ? {} : { query: req.query }),
      ...(req.json === undefined ? {} : { json: req.json }),
      ...(req.idempotent === undefined ? {} : { idempotent: req.idempotent }),
      ...(req.signal === undefined ? {} : { signal: req.signal }),
    };
  }

  #withQuotaReset(err: unknown): unknown {
    if (!(err instanceof PlatformError) || err.category !== 'rate_limit' || err.retryAfterMs !== undefined) return err;
    const wait = msUntilMidnightUtc(this.now());
    return new PlatformError({
      platform: 'linkedin',
      category: 'rate_limit',
      message: `${err.message} LinkedIn's daily limits reset at midnight UTC; Postdesk will wait until then.`,
      status: err.status,
      code: err.code,
      effect: err.effect,
      traceId: err.traceId,
      retryAfterMs: wait,
      cause: err,
    });
  }
}
