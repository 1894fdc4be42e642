// A loopback HTTP server that plays a platform by its published contract, for connector tests.
// Each platform's file in test/contract/ declares routes; this module does the plumbing: route
// matching with :params, recording every request (so tests can assert paths, headers and
// payloads), and one-shot faults (429, 5xx, malformed JSON, a connection cut mid-upload).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ContractRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  body: Buffer;
  text(): string;
  /** JSON body (throws if it is not JSON: a connector sending junk should fail the test). */
  json<T = unknown>(): T;
  /** An urlencoded body as a map. */
  form(): URLSearchParams;
  /** The bearer token, or null. */
  bearer(): string | null;
}

export interface ContractResponse {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer;
}

export type ContractHandler = (req: ContractRequest) => ContractResponse | Promise<ContractResponse>;

/** What to do instead of the route, once. */
export type Fault =
  | ContractResponse
  /** Answer 200 with a body that is not JSON. */
  | { malformed: true; status?: number }
  /** Read part of the request, then destroy the socket without answering. */
  | { cut: true };

export interface ContractServer {
  baseUrl: string;
  requests: ContractRequest[];
  /** Requests to one route ("POST /api/v1/statuses"), in order. */
  calls(route: string): ContractRequest[];
  /** The next request matching `route` gets `fault` instead of its handler (queue several to repeat). */
  failNext(route: string, fault: Fault): void;
  /** Replace or add a route at runtime. */
  route(route: string, handler: ContractHandler): void;
  close(): Promise<void>;
}

interface Compiled {
  key: string;
  method: string;
  pattern: RegExp;
  names: string[];
  handler: ContractHandler;
}

function compile(key: string, handler: ContractHandler): Compiled {
  const [method, path] = key.split(' ', 2);
  if (!method || !path) throw new Error(`Route must be "METHOD /path": ${key}`);
  const names: string[] = [];
  const source = path
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { key, method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, out: ContractResponse): void {
  const headers: Record<string, string> = { ...out.headers };
  let body: string | Buffer = '';
  if (out.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(out.json);
  } else if (out.body !== undefined) {
    body = out.body;
  }
  res.writeHead(out.status ?? 200, headers);
  res.end(body);
}

export async function startContractServer(routes: Record<string, ContractHandler>): Promise<ContractServer> {
  const compiled: Compiled[] = Object.entries(routes).map(([k, h]) => compile(k, h));
  const faults = new Map<string, Fault[]>();
  const requests: ContractRequest[] = [];
  const routeOf = new WeakMap<ContractRequest, string>();

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      const match = compiled.find((r) => r.method === method && r.pattern.test(url.pathname));
      const fault = match ? faults.get(match.key)?.shift() : undefined;
      if (fault && 'cut' in fault) {
        // Take a little of the upload, then drop the connection: the client sees a reset mid-request.
        req.once('data', () => req.socket.destroy());
        req.once('end', () => req.socket.destroy());
        return;
      }
      const body = await readBody(req);
      const params: Record<string, string> = {};
      if (match) {
        const m = match.pattern.exec(url.pathname);
        match.names.forEach((name, i) => (params[name] = decodeURIComponent(m?.[i + 1] ?? '')));
      }
      const recorded: ContractRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        params,
        body,
        text: () => body.toString('utf8'),
        json: <T,>() => JSON.parse(body.toString('utf8')) as T,
        form: () => new URLSearchParams(body.toString('utf8')),
        bearer: () => /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null,
      };
      requests.push(recorded);
      if (match) routeOf.set(recorded, match.key);
      if (!match) return send(res, { status: 404, json: { error: `No route for ${method} ${url.pathname}` } });
      if (fault && 'malformed' in fault) return send(res, { status: fault.status ?? 200, headers: { 'content-type': 'application/json' }, body: '{"id": "12' });
      if (fault) return send(res, fault);
      try {
        send(res, await match.handler(recorded));
      } catch (err) {
        send(res, { status: 500, json: { error: err instanceof Error ? err.message : String(err) } });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    calls: (route) => requests.filter((r) => routeOf.get(r) === route),
    failNext(route, fault) {
      if (!compiled.some((r) => r.key === route)) throw new Error(`Unknown route ${route}`);
      const queue = faults.get(route) ?? [];
      queue.push(fault);
      faults.set(route, queue);
    },
    route(route, handler) {
      const next = compile(route, handler);
      const at = compiled.findIndex((r) => r.key === route);
      if (at >= 0) compiled[at] = next;
      else compiled.push(next);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
