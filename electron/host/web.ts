// Web mode's transport: the same API as the Electron IPC host, served over loopback HTTP and a
// WebSocket, for a browser (the renderer), scripts, and the e2e tests.
//
// Threat model: any web page the user visits can make their browser send requests to
// 127.0.0.1, and DNS rebinding can make such a page look same-origin. So every request must carry
// the secret token (a page cannot read it), name our own Host (rebinding keeps the attacker's host
// name), and come from our own Origin or from no browser at all. Other local users are kept out by
// the token alone (the token file is 0600).
//
// Routes:
//   POST /api/<method>   JSON body = input  -> 200 {result} | {code, message, issues?} with HTTP_STATUS
//   GET  /api            every method with its description and input JSON Schema, plus events
//   WS   /api/events     every EventBus event as {event, payload}
//   GET  /*              the built renderer (index.html for client-side routes)
//
// WebSocket auth (browsers cannot set headers on a WebSocket): offer two subprotocols,
//   new WebSocket(url, ['postdesk.v1', 'postdesk.auth.' + token])
// The server checks the token and selects 'postdesk.v1', so the token is never echoed back. A
// non-browser client may instead send `Authorization: Bearer <token>` on the upgrade request.
import { handleArchiveRequest } from './archive-routes';
import { handleKnowledgeUpload } from './knowledge-routes';
import { handleMediaRequest } from './media-routes';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { z } from 'zod';
import { dispatch } from '../api/dispatch';
import { ApiError, HTTP_STATUS, type ApiErrorBody, type ApiErrorCode } from '../api/errors';
import { events as eventSchemas } from '../api/events';
import { methods } from '../api/index';
import type { ApiContext } from '../core/context';
import { staticSite } from './static';
import { tokenMatches } from './token';

export const LOOPBACK = '127.0.0.1';
export const EVENTS_PATH = '/api/events';
/** Selected by the server on a successful WebSocket handshake. */
export const WS_PROTOCOL = 'postdesk.v1';
/** A client offers `postdesk.auth.<token>` as a second subprotocol to authenticate. */
export const WS_AUTH_PROTOCOL_PREFIX = 'postdesk.auth.';
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Clients never need to send much; the socket exists to push events to them. */
const MAX_WS_MESSAGE_BYTES = 4 * 1024;
/** A client this far behind is stuck; dropping it protects the server's memory. */
const MAX_WS_BUFFERED_BYTES = 8 * 1024 * 1024;
const WS_HEARTBEAT_MS = 30_000;
/** How long close() lets in-flight requests and sockets finish before cutting them. */
const CLOSE_GRACE_MS = 1_000;

export interface WebHostOptions {
  ctx: ApiContext;
  token: string;
  /** 0 (default) picks any free port. */
  port?: number;
  /** The built renderer; without it only the API is served. */
  staticDir?: string;
  /** Override for tests; default MAX_BODY_BYTES. */
  maxBodyBytes?: number;
}

export interface WebHost {
  /** `http://127.0.0.1:<port>` without a trailing slash and without the token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// GET /api: derived from the registry, never hand-listed.

type JsonSchema = z.core.JSONSchema.JSONSchema;

export interface MethodListing {
  name: string;
  description: string;
  input: JsonSchema;
  /** Present when part of the zod schema has no JSON Schema form (dates, transforms' outputs...). */
  inputNote?: string;
}

export interface ApiListing {
  version: string;
  methods: MethodListing[];
  events: { name: string; payload: JsonSchema; payloadNote?: string }[];
  transport: {
    call: string;
    auth: string;
    events: string;
  };
}

/** Convert without ever throwing: exact when possible, else with unrepresentable parts as `{}`. */
function toJsonSchema(schema: z.ZodType): { schema: JsonSchema; note?: string } {
  try {
    return { schema: z.toJSONSchema(schema, { io: 'input' }) };
  } catch (exactErr) {
    const why = exactErr instanceof Error ? exactErr.message : String(exactErr);
    try {
      return {
        schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
        note: `Approximate: ${why}; such parts are shown as {} (any value) and are still validated by the server.`,
      };
    } catch (err) {
      return {
        schema: {},
        note: `No JSON Schema could be derived (${err instanceof Error ? err.message : String(err)}); the server still validates the input.`,
      };
    }
  }
}

let listingCache: { version: string; body: string } | undefined;

export function describeApi(version: string): ApiListing {
  return {
    version,
    methods: Object.entries(methods).map(([name, def]) => {
      const { schema, note } = toJsonSchema(def.input);
      return { name, description: def.description, input: schema, ...(note ? { inputNote: note } : {}) };
    }),
    events: Object.entries(eventSchemas).map(([name, schema]) => {
      const { schema: payload, note } = toJsonSchema(schema);
      return { name, payload, ...(note ? { payloadNote: note } : {}) };
    }),
    transport: {
      call: 'POST /api/<method> with a JSON body (the input); answers {result} or {code, message, issues?}.',
      auth: 'Authorization: Bearer <token> on every request under /api.',
      events: `WebSocket ${EVENTS_PATH}, subprotocols ['${WS_PROTOCOL}', '${WS_AUTH_PROTOCOL_PREFIX}<token>']; messages are {event, payload}.`,
    },
  };
}

/** The listing only changes with the code, so it is built once, on first request (not at startup). */
function listingBody(version: string): string {
  if (!listingCache || listingCache.version !== version) listingCache = { version, body: JSON.stringify(describeApi(version)) };
  return listingCache.body;
}

// ---------------------------------------------------------------------------------------------
// Request checks shared by HTTP and the WebSocket upgrade.

interface Rejection {
  status: number;
  error: ApiErrorBody;
  headers?: Record<string, string>;
}

function reject(code: ApiErrorCode, message: string, status = HTTP_STATUS[code], headers?: Record<string, string>): Rejection {
  return { status, error: new ApiError(code, message).toJSON(), ...(headers ? { headers } : {}) };
}

/** The only values of Authorization we accept: one Bearer token. */
function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

function wsAuthProtocol(req: IncomingMessage): string | undefined {
  const h = req.headers['sec-websocket-protocol'];
  if (typeof h !== 'string') return undefined;
  for (const p of h.split(',')) {
    const v = p.trim();
    if (v.startsWith(WS_AUTH_PROTOCOL_PREFIX)) return v.slice(WS_AUTH_PROTOCOL_PREFIX.length);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Body reading: bounded, typed failures.

class BodyError extends Error {
  constructor(
    readonly rejection: Rejection,
  ) {
    super(rejection.error.message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, fail) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      fail(new BodyError(tooLarge(limit)));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        fail(new BodyError(tooLarge(limit)));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      fail(err);
    });
    req.on('aborted', () => {
      if (done) return;
      done = true;
      fail(new Error('request aborted'));
    });
  });
}

function tooLarge(limit: number): Rejection {
  return reject(
    'invalid_input',
    `The request body is larger than ${Math.round(limit / (1024 * 1024))} MB. Send less at once (large files go through their own upload methods).`,
    413,
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** undefined input means "no body": dispatch treats it like {} for methods without required fields. */
function parseJsonBody(req: IncomingMessage, body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const type = req.headers['content-type'];
  const [mediaType = '', ...params] = (typeof type === 'string' ? type : '').split(';').map((s) => s.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (mediaType !== 'application/json' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new BodyError(
      reject('invalid_input', 'Send the input as JSON with the header "Content-Type: application/json" (UTF-8).', 415),
    );
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new BodyError(reject('invalid_input', 'The request body is not valid UTF-8 text. Send the input as UTF-8 JSON.'));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // V8's message quotes a snippet of the input; keep it short so a huge body is not echoed back.
    const detail = err instanceof Error ? err.message.slice(0, 160) : 'parse error';
    throw new BodyError(reject('invalid_input', `The request body is not valid JSON (${detail}). Send the input as a JSON object.`));
  }
}

// ---------------------------------------------------------------------------------------------

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const { ctx, token } = opts;
  if (!token) throw new Error('startWebHost needs a token; an unauthenticated web host is never allowed.');
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;

  // Known once listening; the checks below read them.
  let port = 0;
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let securityHeaders: Record<string, string> = {};

  // The CSP names the port, so the site reads the headers per request rather than now.
  const site = staticSite(opts.staticDir, () => securityHeaders);

  const server: Server = createServer();
  // Slow or stalled clients must not hold sockets forever; loopback answers are fast.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;

  /** Host and Origin: the DNS-rebinding and cross-site guards, before anything else. */
  function checkOrigin(req: IncomingMessage): Rejection | undefined {
    const host = req.headers.host?.toLowerCase();
    if (!host || !allowedHosts.has(host)) {
      return reject('forbidden', `Requests must be addressed to http://${LOOPBACK}:${port} (Host header not allowed).`);
    }
    const origin = req.headers.origin;
    // No Origin: curl, scripts, the tests. A browser always sends one on cross-site requests.
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) {
      return reject('forbidden', 'Requests from other web sites are not allowed.');
    }
    return undefined;
  }

  function checkToken(presented: string | undefined): Rejection | undefined {
    if (presented === undefined) {
      return reject('unauthorized', 'A token is needed: open the URL Postdesk printed at startup (it ends with #token=...), or send "Authorization: Bearer <token>".', 401, {
        'WWW-Authenticate': 'Bearer realm="postdesk"',
      });
    }
    if (!tokenMatches(presented, token)) {
      return reject('unauthorized', 'The token is wrong. Open the URL Postdesk printed at its last start; the token is also in the data folder\'s web-token file.', 401, {
        'WWW-Authenticate': 'Bearer realm="postdesk", error="invalid_token"',
      });
    }
    return undefined;
  }

  function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      ...securityHeaders,
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Length': String(Buffer.byteLength(body)),
      ...headers,
    });
    res.end(body);
  }

  function sendRejection(res: ServerResponse, r: Rejection): void {
    sendJson(res, r.status, JSON.stringify(r.error), r.headers);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const denied = checkToken(bearer(req));
    if (denied) return sendRejection(res, denied);
    // PUT /api/media: an upload streamed straight into the library (never buffered as JSON).
    if (await handleMediaRequest(ctx, req, res, pathname)) return;
    // PUT /api/knowledge: a document too large for a JSON body.
    if (await handleKnowledgeUpload(ctx, req, res, pathname)) return;
    // GET /api/archive/download/<file>, PUT /api/archive/upload: workspace archives to and from the browser.
    if (await handleArchiveRequest(ctx, req, res, pathname)) return;

    if (pathname === '/api' || pathname === '/api/') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendRejection(res, reject('invalid_input', 'Use GET /api to list the methods, or POST /api/<method> to call one.', 405, { Allow: 'GET, HEAD' }));
      }
      return sendJson(res, 200, listingBody(ctx.appVersion));
    }
    if (pathname === EVENTS_PATH) {
      // A real WebSocket handshake goes to the 'upgrade' handler; this is a plain request.
      return sendRejection(res, reject('invalid_input', `${EVENTS_PATH} is a WebSocket; connect with the "${WS_PROTOCOL}" subprotocol.`, 426, { Upgrade: 'websocket' }));
    }
    const name = pathname.slice('/api/'.length);
    if (req.method !== 'POST') {
      return sendRejection(res, reject('invalid_input', `Call API methods with POST /api/${name.slice(0, 100)} and a JSON body.`, 405, { Allow: 'POST' }));
    }

    let input: unknown;
    try {
      const body = await readBody(req, maxBody);
      input = parseJsonBody(req, body);
    } catch (err) {
      if (err instanceof BodyError) {
        // After a refused body the rest of the upload is unread; closing keeps the socket sane.
        if (err.rejection.status === 413) res.setHeader('Connection', 'close');
        return sendRejection(res, err.rejection);
      }
      // The client went away mid-upload: nobody to answer.
      res.destroy();
      return;
    }

    const r = await dispatch(ctx, name, input);
    if (!r.ok) return sendRejection(res, { status: HTTP_STATUS[r.error.code] ?? 500, error: r.error });
    let body: string;
    try {
      body = JSON.stringify({ result: r.result });
    } catch (err) {
      console.error(`[web] ${name}: result could not be sent as JSON:`, err);
      return sendRejection(res, reject('internal', `Postdesk could not send the answer of ${name}. This is a bug; please report it.`));
    }
    sendJson(res, 200, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bad = checkOrigin(req);
    if (bad) return sendRejection(res, bad);
    const rawUrl = req.url ?? '';
    // Only origin-form targets ("/path"); absolute-form ("http://evil/...") is a proxy request.
    if (!rawUrl.startsWith('/')) return sendRejection(res, reject('invalid_input', 'Bad request target.'));
    let pathname: string;
    try {
      pathname = new URL(rawUrl, `http://${LOOPBACK}:${port}`).pathname;
    } catch {
      return sendRejection(res, reject('invalid_input', 'Bad request target.'));
    }
    if (pathname === '/api' || pathname.startsWith('/api/')) return handleApi(req, res, pathname);
    // GET /media/<id>: an <img> cannot send the token; Host/Origin checks above still apply.
    if (await handleMediaRequest(ctx, req, res, pathname)) return;

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendRejection(res, reject('invalid_input', 'Only GET is served outside /api.', 405, { Allow: 'GET, HEAD' }));
    }
    await site.serve(req, res, pathname);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      // Last line of defence: whatever broke, answer typed and keep the process up.
      console.error('[web] request failed:', err);
      if (!res.headersSent) sendRejection(res, reject('internal', 'Postdesk hit an unexpected error answering this request. Try again; if it keeps happening, report it.'));
      else res.destroy();
    });
  });

  // ------------------------------------------------------------------------------ WebSocket
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    handleProtocols: (protocols) => {
      if (protocols.has(WS_PROTOCOL)) return WS_PROTOCOL;
      // A client that offered only the auth protocol must get it back, or a browser aborts.
      for (const p of protocols) if (p.startsWith(WS_AUTH_PROTOCOL_PREFIX)) return p;
      return false;
    },
  });
  const alive = new WeakMap<WebSocket, boolean>();

  function refuseUpgrade(socket: Duplex, r: Rejection): void {
    const body = JSON.stringify(r.error);
    const extra = Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] ?? 'Error'}\r\n` +
          'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
      );
    }
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset before ws takes over would otherwise be an unhandled 'error' and kill the process.
    socket.on('error', () => socket.destroy());
    try {
      const bad = checkOrigin(req);
      if (bad) return refuseUpgrade(socket, bad);
      let pathname: string;
      try {
        pathname = new URL(req.url ?? '', `http://${LOOPBACK}:${port}`).pathname;
      } catch {
        return refuseUpgrade(socket, reject('invalid_input', 'Bad request target.'));
      }
      if (pathname !== EVENTS_PATH) return refuseUpgrade(socket, reject('not_found', `The only WebSocket is ${EVENTS_PATH}.`));
      const denied = checkToken(wsAuthProtocol(req) ?? bearer(req));
      if (denied) return refuseUpgrade(socket, denied);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch (err) {
      console.error('[web] upgrade failed:', err);
      socket.destroy();
    }
  });

  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    // Protocol errors (bad frames, oversized messages) close this socket; they must not throw.
    ws.on('error', () => ws.terminate());
    // Nothing is expected from clients; the socket only pushes events.
    ws.on('message', () => undefined);
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, WS_HEARTBEAT_MS);
  heartbeat.unref();

  const unsubscribe = ctx.events.subscribe((event, payload) => {
    if (wss.clients.size === 0) return;
    const data = JSON.stringify({ event, payload });
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > MAX_WS_BUFFERED_BYTES) {
        ws.terminate();
        continue;
      }
      ws.send(data);
    }
  });

  // ------------------------------------------------------------------------------ listen
  try {
    await new Promise<void>((resolve, fail) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        fail(
          err.code === 'EADDRINUSE'
            ? new Error(`Port ${opts.port} is already in use on ${LOOPBACK}. Pick another with --port, or --port 0 for any free port.`)
            : err,
        );
      };
      const onListening = () => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen({ port: opts.port ?? 0, host: LOOPBACK, exclusive: true });
    });
  } catch (err) {
    unsubscribe();
    clearInterval(heartbeat);
    throw err;
  }
  // Errors after listening (e.g. EMFILE on accept) are logged; they must not kill the process.
  server.on('error', (err) => console.error('[web] server error:', err));

  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the web host did not get a TCP port');
  port = address.port;
  allowedHosts = new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([`http://${LOOPBACK}:${port}`, `http://localhost:${port}`]);
  securityHeaders = {
    'Content-Security-Policy': [
      "default-src 'self'",
      `connect-src 'self' ws://${LOOPBACK}:${port} ws://localhost:${port}`,
      "img-src 'self' data: blob:",
      "style-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      unsubscribe();
      clearInterval(heartbeat);
      const sockets = [...wss.clients];
      for (const ws of sockets) ws.close(1001, 'Postdesk is shutting down');
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
      await Promise.race([Promise.all([serverClosed, ...sockets.map((ws) => new Promise<void>((r) => (ws.readyState === WebSocket.CLOSED ? r() : ws.once('close', () => r()))))]), grace]);
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      wss.close();
      await serverClosed;
    })());

  return { url: `http://${LOOPBACK}:${port}`, port, close };
}
