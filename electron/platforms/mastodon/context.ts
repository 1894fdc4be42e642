// What every part of the Mastodon connector shares: the one HTTP client, the clock, a sleep the
// media poller can cancel, the per-instance limits and where to find an instance's app client.
import { joinUrl, type ConnectorAccount, type ConnectorOptions } from '../connector';
import { PlatformError, type PlatformErrorCategory } from '../errors';
import { bearer, HttpClient } from '../http';
import { InstanceLimitsCache } from './instance';

/** The app registered on an instance with POST /api/v1/apps (see registerApp). */
export interface AppClient {
  clientId: string;
  clientSecret: string;
}

export interface MastodonConnectorOptions extends ConnectorOptions {
  /**
   * The app client the core registered on an instance, by base URL: revoking a token needs it
   * (POST /oauth/revoke requires client_id and client_secret) when revoke() is not handed one, and
   * so does a refresh without one.
   */
  appClient?: (baseUrl: string) => AppClient | null | Promise<AppClient | null>;
  /** How long a media upload may take, and how long to wait for the server to process it. */
  uploadTimeoutMs?: number;
  mediaProcessingTimeoutMs?: number;
}

export interface MastodonContext {
  http: HttpClient;
  now: () => number;
  limits: InstanceLimitsCache;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  appClient: (baseUrl: string) => Promise<AppClient | null>;
  uploadTimeoutMs: number;
  mediaProcessingTimeoutMs: number;
}

export function createContext(opts: MastodonConnectorOptions): MastodonContext {
  const http = new HttpClient({ platform: 'mastodon', ...(opts.fetch ? { fetch: opts.fetch } : {}), ...(opts.now ? { now: opts.now } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
  return {
    http,
    now: opts.now ?? Date.now,
    limits: new InstanceLimitsCache(http),
    sleep,
    appClient: async (baseUrl) => (opts.appClient ? await opts.appClient(baseUrl) : null),
    uploadTimeoutMs: opts.uploadTimeoutMs ?? 5 * 60_000,
    mediaProcessingTimeoutMs: opts.mediaProcessingTimeoutMs ?? 5 * 60_000,
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('Aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('Aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function api(account: Pick<ConnectorAccount, 'baseUrl'>, path: string): string {
  return joinUrl(account.baseUrl, path);
}

export function authHeaders(account: ConnectorAccount, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...bearer(account.credentials.accessToken), ...extra };
}

/** A refusal we decide ourselves, before calling the platform: nothing was sent, so no effect. */
export function refuse(category: PlatformErrorCategory, message: string): PlatformError {
  return new PlatformError({ platform: 'mastodon', category, message, effect: 'none' });
}

/** The same error with another effect (a failed media upload never creates a post). */
export function withEffect(err: PlatformError, effect: 'none' | 'unknown', message = err.message): PlatformError {
  return new PlatformError({
    platform: err.platform,
    category: err.category,
    message,
    status: err.status,
    code: err.code,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
    effect,
    traceId: err.traceId,
    cause: err,
  });
}
