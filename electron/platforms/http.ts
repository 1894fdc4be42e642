// The one way connectors talk HTTP. Every failure leaves here as a PlatformError (./errors): a
// refused request, a network error, a timeout, and a 2xx whose body is not what the platform
// documents. Nothing here logs: request headers carry tokens.
import type { z } from 'zod';
import type { Platform } from '../../db/schema/enums';
import { PlatformError, platformErrorFromNetwork, platformErrorFromResponse } from './errors';
import { PLATFORM_NAMES } from './names';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface HttpClientOptions {
  platform: Platform;
  /** Injected by tests; defaults to the global fetch (undici). */
  fetch?: FetchLike;
  now?: () => number;
  /** Per request, unless the request sets its own (uploads do). */
  timeoutMs?: number;
  userAgent?: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** Query parameters; undefined and null values are left out. */
  query?: Readonly<Record<string, string | number | boolean | null | undefined | readonly string[]>>;
  /** One body at most: JSON, an urlencoded form, or raw bytes / multipart as given. */
  json?: unknown;
  form?: Readonly<Record<string, string>>;
  body?: BodyInit;
  /** Safe to repeat (see HttpFailure.idempotent). A POST with an honoured idempotency key is. */
  idempotent?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const USER_AGENT = 'Postdesk/0.1 (+https://postdesk.app)';

export class HttpClient {
  readonly platform: Platform;
  readonly #fetch: FetchLike;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #userAgent: string;

  constructor(opts: HttpClientOptions) {
    this.platform = opts.platform;
    this.#fetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.#now = opts.now ?? Date.now;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#userAgent = opts.userAgent ?? USER_AGENT;
  }

  /** Send and return the raw response; any non-2xx throws. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const url = withQuery(req.url, req.query);
    const headers = new Headers(req.headers);
    if (!headers.has('user-agent')) headers.set('user-agent', this.#userAgent);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    let body: BodyInit | undefined = req.body;
    if (req.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(req.json);
    } else if (req.form !== undefined) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(req.form as Record<string, string>).toString();
    }

    const timeout = AbortSignal.timeout(req.timeoutMs ?? this.#timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const idempotent = req.idempotent;
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, { method: req.method, headers, ...(body === undefined ? {} : { body }), signal, redirect: 'follow' });
      text = await response.text();
    } catch (err) {
      // The caller's own abort is not the platform's fault: let it through as the AbortError it is.
      if (req.signal?.aborted) throw req.signal.reason instanceof Error ? req.signal.reason : err;
      if (timeout.aborted) {
        throw new PlatformError({
          platform: this.platform,
          category: 'transient',
          message: `${PLATFORM_NAMES[this.platform]} did not answer within ${Math.round((req.timeoutMs ?? this.#timeoutMs) / 1000)} s.`,
          effect: idempotent === true || req.method === 'GET' || req.method === 'DELETE' ? 'none' : 'unknown',
          cause: err,
        });
      }
      throw platformErrorFromNetwork(this.platform, err, { method: req.method, ...(idempotent === undefined ? {} : { idempotent }) });
    }
    if (response.status < 200 || response.status >= 300) {
      throw platformErrorFromResponse(this.platform, {
        status: response.status,
        headers: response.headers,
        body: text,
        method: req.method,
        now: this.#now(),
        ...(idempotent === undefined ? {} : { idempotent }),
      });
    }
    return { status: response.status, headers: response.headers, text };
  }

  /** Send and read a JSON body that must match `schema` (the platform's documented response). */
  async json<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<{ data: z.output<S>; headers: Headers; status: number }> {
    const res = await this.send(req);
    return { data: this.parse(req, res, schema), headers: res.headers, status: res.status };
  }

  /** Parse a 2xx body already received; a body we cannot read is transient, effect unknown for writes. */
  parse<S extends z.ZodType>(req: Pick<HttpRequest, 'method' | 'idempotent'>, res: HttpResponse, schema: S): z.output<S> {
    let value: unknown;
    try {
      value = res.text.trim() === '' ? undefined : (JSON.parse(res.text) as unknown);
    } catch {
      throw platformErrorFromResponse(this.platform, {
        status: res.status,
        headers: res.headers,
        body: res.text,
        method: req.method,
        now: this.#now(),
        ...(req.idempotent === undefined ? {} : { idempotent: req.idempotent }),
      });
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const writes = req.method !== 'GET' && req.idempotent !== true;
    const issue = parsed.error.issues[0];
    throw new PlatformError({
      platform: this.platform,
      category: 'transient',
      status: res.status,
      message: `${PLATFORM_NAMES[this.platform]} answered ${res.status} with a response Postdesk does not recognise${issue ? ` (${issue.path.join('.') || 'body'}: ${issue.message})` : ''}.`,
      effect: writes ? 'unknown' : 'none',
    });
  }
}

export function withQuery(url: string, query: HttpRequest['query']): string {
  if (!query) return url;
  const u = new URL(url);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) u.searchParams.append(key, v);
    else u.searchParams.set(key, String(value));
  }
  return u.toString();
}

/** `Authorization: Bearer <token>`; kept here so no connector formats a token by hand. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
