// What the Facebook and Instagram connector factories accept: the shared connector options plus
// the Graph version they pin and the pacing of Instagram's container polling (tests shrink it).
import type { ConnectorOptions } from '../connector';

/** Meta retires each Graph version about two years after release; pinning keeps shapes stable. */
export const DEFAULT_GRAPH_VERSION = 'v25.0';

export interface MetaConnectorOptions extends ConnectorOptions {
  /** "v25.0"; only used for the default base URL (an account's own baseUrl wins). */
  graphVersion?: string;
  /** Wait between container status checks (Instagram processes media asynchronously). */
  pollIntervalMs?: number;
  /** Give up on a container after this many checks; nothing is public until media_publish. */
  maxPolls?: number;
  /** Injected by tests so polling does not sleep for real. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function defaultGraphBaseUrl(version = DEFAULT_GRAPH_VERSION): string {
  return `https://graph.facebook.com/${version}`;
}

/**
 * Facebook Login's dialog lives on www.facebook.com under the same version path as the Graph host;
 * any other base (a test server) serves it under its own /dialog/oauth.
 */
export function dialogUrl(graphBaseUrl: string): string {
  const u = new URL(graphBaseUrl);
  if (u.hostname === 'graph.facebook.com') u.hostname = 'www.facebook.com';
  return `${u.toString().replace(/\/+$/, '')}/dialog/oauth`;
}

export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('Aborted'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('Aborted'));
      },
      { once: true },
    );
  });
}
