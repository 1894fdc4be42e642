// Web mode: `POST /api/<method>` with the bearer token, events over one WebSocket at /api/events
// that reconnects with capped exponential backoff (jittered so many tabs don't retry in step).
import type { EventName } from '../../electron/api';
import { ApiCallError, UNREACHABLE_MESSAGE, errorFromBody } from './errors';
import type { ConnectionStatus, Transport } from './transport';

export interface WebTransportOptions {
  /** e.g. `http://127.0.0.1:4123` (no trailing slash). */
  baseUrl: string;
  token: string | null;
  fetchImpl?: typeof fetch;
  WebSocketImpl?: typeof WebSocket;
  /** Backoff for the event stream, in ms. */
  backoff?: { initialMs: number; maxMs: number };
  /** Subprotocols carrying the token; the browser WebSocket API cannot set an Authorization header. */
  protocols?: (token: string) => string[];
}

/** As electron/host/web.ts decides: the server selects `postdesk.v1` after checking `postdesk.auth.<token>`. */
export const WS_PROTOCOL = 'postdesk.v1';
export const WS_AUTH_PROTOCOL_PREFIX = 'postdesk.auth.';

/** Delay before reconnect attempt `attempt` (0-based): doubling from initialMs, capped, ±20% jitter. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.8 + 0.4 * random()));
}

function hasResult(body: unknown): body is { result: unknown } {
  return typeof body === 'object' && body !== null && 'result' in body;
}

export function createWebTransport(opts: WebTransportOptions): Transport {
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const WS = opts.WebSocketImpl ?? globalThis.WebSocket;
  const backoff = opts.backoff ?? { initialMs: 500, maxMs: 10_000 };
  const protocols = opts.protocols ?? ((t: string) => [WS_PROTOCOL, WS_AUTH_PROTOCOL_PREFIX + t]);

  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(s: ConnectionStatus, reconnected: boolean) => void>();
  let status: ConnectionStatus = 'connecting';
  let socket: WebSocket | null = null;
  let attempt = 0;
  let everOpened = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const setStatus = (next: ConnectionStatus, reconnected = false) => {
    if (next === status && !reconnected) return;
    status = next;
    for (const l of statusListeners) l(next, reconnected);
  };

  const wsUrl = opts.baseUrl.replace(/^http/, 'ws') + '/api/events';

  const connect = () => {
    if (closed) return;
    let ws: WebSocket;
    try {
      ws = opts.token ? new WS(wsUrl, protocols(opts.token)) : new WS(wsUrl);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      const wasReconnect = everOpened;
      everOpened = true;
      setStatus('open', wasReconnect);
    };
    ws.onmessage = (m) => {
      if (typeof m.data !== 'string') return;
      let msg: unknown;
      try {
        msg = JSON.parse(m.data);
      } catch {
        return;
      }
      if (typeof msg !== 'object' || msg === null) return;
      const { event, payload } = msg as { event?: unknown; payload?: unknown };
      if (typeof event !== 'string') return;
      for (const l of eventListeners.get(event) ?? []) {
        try {
          l(payload);
        } catch (err) {
          console.error(`[events] listener for ${event} failed`, err);
        }
      }
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      scheduleReconnect();
    };
    // onclose follows onerror; reconnecting happens there.
    ws.onerror = () => undefined;
  };

  const scheduleReconnect = () => {
    if (closed || timer) return;
    setStatus('reconnecting');
    const delay = backoffDelay(attempt++, backoff.initialMs, backoff.maxMs);
    timer = setTimeout(() => {
      timer = null;
      connect();
    }, delay);
  };

  if (WS) connect();

  return {
    kind: 'web',
    async call(method, input) {
      let res: Response;
      try {
        res = await fetchImpl(`${opts.baseUrl}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new ApiCallError('unreachable', UNREACHABLE_MESSAGE, [], method);
      }
      const text = await res.text().catch(() => '');
      let body: unknown = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          if (res.ok) throw new ApiCallError('bad_response', `The engine sent an answer to ${method} that is not JSON.`, [], method);
        }
      }
      // 200 {result} | 4xx/5xx {code, message, issues?} (electron/host/web.ts).
      if (!res.ok) throw errorFromBody(body, method, res.status);
      if (!hasResult(body)) throw new ApiCallError('bad_response', `The engine's answer to ${method} has no result in it.`, [], method);
      return body.result;
    },
    on(event: EventName, listener) {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    status: () => status,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    },
  };
}
