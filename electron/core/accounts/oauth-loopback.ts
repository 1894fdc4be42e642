// The desktop side of OAuth 2 with PKCE (RFC 8252 §7.3): a one-shot HTTP server on the IPv4
// loopback literal receives the browser's redirect, so no secret or custom URL scheme is needed.
// The server lives only for one attempt and answers nothing but the callback it is waiting for.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Platform } from '../../../db/schema/enums';
import { type AuthResult, type PlatformConnector, loopbackRedirectUri } from '../../platforms/connector';
import { createCodeVerifier, createState } from '../../platforms/pkce';
import { PLATFORM_NAMES } from '../../platforms/names';

export const DEFAULT_LOOPBACK_TIMEOUT_MS = 5 * 60_000;
const CALLBACK_PATH = '/callback';
/** How long closing waits for a result page to reach the browser before cutting the connection. */
const FLUSH_GRACE_MS = 2_000;

export type OAuthFlowErrorCode = 'timeout' | 'denied' | 'aborted' | 'state_mismatch' | 'exchange_failed' | 'port_busy';

/** A connect attempt that did not end in credentials; `message` is written for the user. */
export class OAuthFlowError extends Error {
  override name = 'OAuthFlowError';
  readonly code: OAuthFlowErrorCode;
  readonly platform: Platform;

  constructor(code: OAuthFlowErrorCode, platform: Platform, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.platform = platform;
  }
}

export interface OAuthClient {
  clientId: string;
  clientSecret?: string;
}

/**
 * The app's client: known up front (the user's own developer app), or registered for this very
 * redirect URI once the port is bound (Mastodon's POST /api/v1/apps pins the redirect it accepts).
 * A resolver's error passes through unchanged: it happens before the browser is involved.
 */
export type LoopbackClientOptions =
  | { clientId: string; clientSecret?: string; client?: never }
  | { client: OAuthClient | ((redirectUri: string) => Promise<OAuthClient>); clientId?: never; clientSecret?: never };

export type LoopbackAuthorizationOptions = LoopbackClientOptions & {
  connector: PlatformConnector;
  baseUrl: string;
  /** Electron's shell.openExternal, or (web mode) handing the URL to the renderer. */
  openExternal: (url: string) => Promise<void> | void;
  /** How long to wait for the user to finish in the browser. */
  timeoutMs?: number;
  /**
   * A fixed port, for networks that match the registered callback URL exactly, port included
   * (X, LinkedIn, Meta): the user registers http://127.0.0.1:<port>/callback once. 0 or absent:
   * an ephemeral port, as RFC 8252 §7.3 intends.
   */
  port?: number;
  signal?: AbortSignal;
  onListening?: (info: { redirectUri: string; authorizeUrl: string }) => void;
};


export async function runLoopbackAuthorization(opts: LoopbackAuthorizationOptions): Promise<AuthResult> {
  const { connector, signal } = opts;
  const platform = connector.platform;
  const name = PLATFORM_NAMES[platform];
  if (!connector.beginAuth) throw new TypeError(`${name} does not sign in through the browser.`);
  if (signal?.aborted) throw aborted(platform, name);

  const state = createState();
  const codeVerifier = createCodeVerifier();
  const loopback = await listenOnLoopback(opts.port ?? 0, platform, name);
  const redirectUri = loopbackRedirectUri(loopback.port, CALLBACK_PATH);
  const waiter = new CallbackWaiter(state, `127.0.0.1:${loopback.port}`, platform, name);
  loopback.server.on('request', (req: IncomingMessage, res: ServerResponse) => waiter.handle(req, res));

  const timer = setTimeout(() => waiter.timeOut(), opts.timeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS);
  const onAbort = (): void => waiter.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const client = await Promise.race([resolveClient(opts, redirectUri), waiter.aborted]);
    const start = connector.beginAuth({ baseUrl: opts.baseUrl, clientId: client.clientId, redirectUri, state, codeVerifier });
    checkStart(start.url, state, platform, name);
    opts.onListening?.({ redirectUri, authorizeUrl: start.url });
    // Not awaited before waiting: the user may finish in the browser before openExternal settles
    // (in web mode it resolves only when the renderer reports back).
    Promise.resolve()
      .then(() => opts.openExternal(start.url))
      .catch((err: unknown) => waiter.fail(err));

    const hit = await waiter.callback;
    clearTimeout(timer);
    try {
      const result = await Promise.race([
        connector.completeAuth({
          baseUrl: opts.baseUrl,
          clientId: client.clientId,
          ...(client.clientSecret === undefined ? {} : { clientSecret: client.clientSecret }),
          callback: { code: hit.code, state, codeVerifier, redirectUri },
        }),
        waiter.aborted,
      ]);
      await hit.respond(200, resultPage('connected', name));
      return result;
    } catch (err) {
      if (err instanceof OAuthFlowError && err.code === 'aborted') {
        await hit.respond(200, resultPage('cancelled', name));
        throw err;
      }
      await hit.respond(200, resultPage('failed', name));
      throw exchangeFailed(platform, name, err, [hit.code, codeVerifier]);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    waiter.settle();
    await closeLoopback(loopback.server, waiter.pending());
  }
}

async function resolveClient(opts: LoopbackClientOptions, redirectUri: string): Promise<OAuthClient> {
  if (opts.client === undefined) return opts.clientSecret === undefined ? { clientId: opts.clientId } : { clientId: opts.clientId, clientSecret: opts.clientSecret };
  return typeof opts.client === 'function' ? opts.client(redirectUri) : opts.client;
}

// --- the callback -------------------------------------------------------------------------------

interface CallbackHit {
  code: string;
  /** Answer the held browser request once the exchange is decided, so its page tells the truth. */
  respond: (status: number, html: string) => Promise<void>;
}

/** Accepts exactly one callback carrying our state; everything else is answered and ignored. */
class CallbackWaiter {
  readonly callback: Promise<CallbackHit>;
  /** Rejects once the caller aborts, even after the callback arrived (during the exchange). */
  readonly aborted: Promise<never>;
  #resolve!: (hit: CallbackHit) => void;
  #reject!: (err: unknown) => void;
  #rejectAborted!: (err: unknown) => void;
  #phase: 'waiting' | 'exchanging' | 'done' = 'waiting';
  #strays = 0;
  readonly #flushing = new Set<Promise<void>>();
  private readonly state: string;
  private readonly host: string;
  private readonly platform: Platform;
  private readonly name: string;

  constructor(state: string, host: string, platform: Platform, name: string) {
    this.state = state;
    this.host = host;
    this.platform = platform;
    this.name = name;
    this.callback = new Promise<CallbackHit>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.aborted = new Promise<never>((_resolve, reject) => (this.#rejectAborted = reject));
    // Either may never be awaited (a flow that fails before or after its turn).
    this.callback.catch(() => undefined);
    this.aborted.catch(() => undefined);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${this.host}`);
    } catch {
      // A throw here would escape the request listener and take the whole core down.
      return void this.#send(res, 400, messagePage('Bad request', 'This address only accepts the sign-in redirect.'));
    }
    if (url.pathname !== CALLBACK_PATH) return void this.#send(res, 404, messagePage('Not found', 'There is nothing here.'));
    if (req.method !== 'GET') return void this.#send(res, 405, messagePage('Not allowed', 'This address only accepts the sign-in redirect.'), { allow: 'GET' });
    // A page on another origin reaching us through DNS rebinding would carry its own Host.
    if (req.headers.host !== this.host) return void this.#send(res, 400, strayPage(this.name));
    if (this.#phase !== 'waiting') return void this.#send(res, 400, usedPage(this.name));

    const states = url.searchParams.getAll('state');
    if (states.length !== 1 || !sameSecret(states[0] ?? '', this.state)) {
      // A stray or forged request must not end the attempt, or any web page could cancel it.
      this.#strays++;
      return void this.#send(res, 400, strayPage(this.name));
    }
    this.#phase = 'exchanging';
    const error = url.searchParams.get('error');
    if (error !== null) {
      this.#phase = 'done';
      this.#send(res, 200, resultPage('denied', this.name));
      return this.#reject(denied(this.platform, this.name, error, url.searchParams.get('error_description')));
    }
    const codes = url.searchParams.getAll('code');
    const code = codes[0];
    if (codes.length !== 1 || code === undefined || code === '') {
      this.#phase = 'done';
      this.#send(res, 400, resultPage('failed', this.name));
      return this.#reject(
        new OAuthFlowError('exchange_failed', this.platform, `${this.name} sent you back to Postdesk without an authorization code. Try connecting again.`),
      );
    }
    this.#resolve({ code, respond: (status, html) => this.#send(res, status, html) });
  }

  timeOut(): void {
    if (this.#phase !== 'waiting') return;
    this.#phase = 'done';
    this.#reject(
      this.#strays > 0
        ? new OAuthFlowError(
            'state_mismatch',
            this.platform,
            `Postdesk stopped waiting for ${this.name}: the only sign-in answers it received belonged to a different attempt. Start connecting again.`,
          )
        : new OAuthFlowError('timeout', this.platform, `Postdesk stopped waiting for you to finish signing in to ${this.name}. Start connecting again when you are ready.`),
    );
  }

  abort(): void {
    const err = aborted(this.platform, this.name);
    this.#rejectAborted(err);
    if (this.#phase !== 'waiting') return;
    this.#phase = 'done';
    this.#reject(err);
  }

  /** The browser could not be opened: nothing else can complete the attempt. */
  fail(err: unknown): void {
    if (this.#phase !== 'waiting') return;
    this.#phase = 'done';
    this.#reject(err);
  }

  /** The flow is over; late requests get the "already used" page. */
  settle(): void {
    this.#phase = 'done';
  }

  pending(): Promise<void>[] {
    return [...this.#flushing];
  }

  #send(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): Promise<void> {
    if (res.writableEnded) return Promise.resolve();
    const body = Buffer.from(html, 'utf8');
    res.writeHead(status, { ...PAGE_HEADERS, ...extra, 'content-length': String(body.length) });
    const flushed = new Promise<void>((resolve) => {
      res.once('finish', resolve);
      res.once('close', resolve);
    });
    res.end(body);
    this.#flushing.add(flushed);
    void flushed.then(() => this.#flushing.delete(flushed));
    return flushed;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A connector that builds the URL without our state would leave the user waiting five minutes. */
function checkStart(url: string, state: string, platform: Platform, name: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${name}'s sign-in address is not a URL.`);
  }
  // shell.openExternal hands any scheme to the OS; only a web page may come out of a connector.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TypeError(`${name}'s sign-in address is not a web page.`);
  if (parsed.searchParams.get('state') !== state) {
    throw new OAuthFlowError('state_mismatch', platform, `Postdesk could not start connecting to ${name}: its sign-in link does not belong to this attempt.`);
  }
}

// --- errors ---------------------------------------------------------------------------------------

function aborted(platform: Platform, name: string): OAuthFlowError {
  return new OAuthFlowError('aborted', platform, `Connecting to ${name} was cancelled.`);
}

function denied(platform: Platform, name: string, error: string, description: string | null): OAuthFlowError {
  if (error === 'access_denied') return new OAuthFlowError('denied', platform, `You declined access on ${name}, so nothing was connected.`);
  // Other RFC 6749 §4.1.2.1 codes (invalid_scope, server_error...) are the app's or the platform's
  // doing, not the user's; show what the platform said, bounded and printable.
  const code = /^[\w.-]{1,64}$/.test(error) ? error : 'unknown_error';
  const said = description === null ? '' : `: ${printable(description).slice(0, 200)}`;
  return new OAuthFlowError('denied', platform, `${name} did not grant access (${code}${said}). Nothing was connected.`);
}

function exchangeFailed(platform: Platform, name: string, cause: unknown, secrets: readonly string[]): OAuthFlowError {
  // Platforms sometimes echo the request in their error text; the code and verifier stay out of ours.
  const detail = cause instanceof Error ? ` ${scrub(printable(cause.message), secrets)}` : '';
  return new OAuthFlowError('exchange_failed', platform, `Postdesk could not finish connecting to ${name}.${detail}`, cause);
}

function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim();
}

function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret === '' ? out : out.split(secret).join('[redacted]')), text);
}

// --- pages ------------------------------------------------------------------------------------------

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f6f7f9;color:#1c1f24}' +
  'main{max-width:28rem;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.12)}h1{font-size:1.25rem;margin:0 0 .5rem}p{margin:0}';
// The page needs no script, image or font; its one inline style is allowed by hash, nothing else.
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CSP,
  // The callback URL carries the authorization code: keep it out of caches and referrers.
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  connection: 'close',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function messagePage(title: string, message: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)} · Postdesk</title><style>${STYLE}</style></head>` +
    `<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`
  );
}

type Outcome = 'connected' | 'denied' | 'failed' | 'cancelled';

function resultPage(outcome: Outcome, name: string): string {
  const back = 'You can close this tab and return to Postdesk.';
  switch (outcome) {
    case 'connected':
      return messagePage(`${name} is connected`, `Postdesk can now use your ${name} account. ${back}`);
    case 'denied':
      return messagePage(`${name} was not connected`, `Access was not granted on ${name}. ${back}`);
    case 'failed':
      return messagePage(`${name} was not connected`, `Postdesk could not finish connecting your ${name} account. ${back} It will tell you what went wrong.`);
    case 'cancelled':
      return messagePage(`${name} was not connected`, `Connecting was cancelled in Postdesk. ${back}`);
  }
}

function strayPage(name: string): string {
  return messagePage('Not the sign-in Postdesk is waiting for', `This answer does not belong to the ${name} sign-in Postdesk started. Return to Postdesk and start connecting again.`);
}

function usedPage(name: string): string {
  return messagePage('Already handled', `Postdesk has already received this ${name} sign-in. You can close this tab and return to Postdesk.`);
}

// --- the server ---------------------------------------------------------------------------------------

async function listenOnLoopback(port: number, platform: Platform, name: string): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new OAuthFlowError('port_busy', platform, `Port ${port} on this computer is busy, so the ${name} sign-in cannot receive its answer. Close the program using it (or another Postdesk sign-in) and try again.`, err)
          : err,
      ),
    );
    // The IPv4 literal, never "localhost" (which may resolve to ::1 or be redefined) or 0.0.0.0.
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function closeLoopback(server: Server, flushing: Promise<void>[]): Promise<void> {
  // Let result pages reach the browser first, but never hang on a client that stopped reading.
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(flushing), new Promise<void>((resolve) => (grace = setTimeout(resolve, FLUSH_GRACE_MS)))]);
  clearTimeout(grace);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
