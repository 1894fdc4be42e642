// What every part of the X connector shares: one HttpClient, the clock, and the few settings that
// differ between the real X and a test server.
import { setTimeout as delay } from 'node:timers/promises';
import type { ConnectorOptions } from '../connector';
import { HttpClient } from '../http';

export const DEFAULT_API_BASE = 'https://api.x.com';
/** The consent page lives on x.com, not on the API host. */
export const DEFAULT_AUTHORIZE_BASE = 'https://x.com';

export interface XConnectorOptions extends ConnectorOptions {
  /** Where the consent page is; defaults to x.com for the real API and to the API base otherwise. */
  authorizeBaseUrl?: string;
  /** The user's app, for `revoke` (the interface passes no client to it; see the report). */
  client?: { clientId: string; clientSecret?: string };
  /** Waits between media processing polls; tests pass a quick one. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface XContext {
  http: HttpClient;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  authorizeBaseUrl: string | undefined;
  client: { clientId: string; clientSecret?: string } | undefined;
}

export function createContext(opts: XConnectorOptions): XContext {
  return {
    http: new HttpClient({ platform: 'x', ...(opts.fetch ? { fetch: opts.fetch } : {}), ...(opts.now ? { now: opts.now } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }),
    now: opts.now ?? Date.now,
    sleep: opts.sleep ?? ((ms, signal) => delay(ms, undefined, signal ? { signal } : undefined)),
    authorizeBaseUrl: opts.authorizeBaseUrl,
    client: opts.client,
  };
}

/** X's timestamps are ISO 8601 (RFC 3339) with seconds; it rejects nothing finer, but nothing finer is needed. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A post's public address; `i/web` works when the handle is unknown. */
export function tweetUrl(id: string, username: string | null): string {
  return username ? `https://x.com/${username}/status/${id}` : `https://x.com/i/web/status/${id}`;
}
