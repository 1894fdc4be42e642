// A real OpenAI-compatible HTTP server on 127.0.0.1 for tests: /v1/models, /v1/chat/completions
// (JSON and SSE streaming with usage in the last chunk when asked), /v1/embeddings (float and
// base64 little-endian float32), and one-shot faults: any status with headers (429 + retry-after,
// 500), a hang, a malformed body, a stream that disconnects half-way. Every request is recorded so
// tests can assert what was sent.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (or the raw text when it is not JSON; null when empty). */
  body: Record<string, unknown> | null;
  raw: string;
  at: number;
}

export interface UsageSpec {
  prompt_tokens: number;
  completion_tokens: number;
}

export type Fault = { path?: string } & (
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'malformed'; body?: string; contentType?: string }
  /** Streams: send this many content chunks, then drop the connection. Non-streams: drop at once. */
  | { kind: 'disconnect'; afterChunks?: number }
  /** Streams: send this many content chunks, then go silent with the connection open. */
  | { kind: 'stall'; afterChunks?: number }
);

export interface OpenAiServerOptions {
  models: string[];
  /** When set, a request without `Authorization: Bearer <apiKey>` is refused with 401. */
  apiKey: string | null;
  /** The answer of every chat call (or per request). */
  reply: string | ((req: RecordedRequest) => string);
  /** Reported usage; null: none (no usage object, no usage chunk). Default: ~4 characters a token. */
  usage: UsageSpec | null | undefined;
  embeddingUsage: { prompt_tokens: number } | null | undefined;
  dimensions: number;
  /** Pause between streamed chunks. */
  chunkDelayMs: number;
}

export interface OpenAiServer {
  /** Base URL as the app stores it: http://127.0.0.1:<port>/v1 */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests to one endpoint ('chat/completions', 'embeddings', 'models'). */
  requestsTo(endpoint: string): RecordedRequest[];
  /** Queue one-shot faults, used in order by the next matching requests. */
  fail(...faults: Fault[]): void;
  set(opts: Partial<OpenAiServerOptions>): void;
  close(): Promise<void>;
}

/** The deterministic vector the server returns for a text: float32 values, so float JSON and base64 agree exactly. */
export function embeddingFor(text: string, dimensions: number): Float32Array {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    out[i] = (h / 2 ** 32) * 2 - 1;
  }
  return out;
}

export function toBase64Floats(v: Float32Array): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}

const tokensOf = (s: string) => (s.length === 0 ? 0 : Math.ceil(s.length / 4));

function defaultUsage(body: Record<string, unknown>, reply: string): UsageSpec {
  const messages = Array.isArray(body['messages']) ? (body['messages'] as { content?: unknown }[]) : [];
  const prompt = messages.reduce((n, m) => n + 4 + tokensOf(typeof m.content === 'string' ? m.content : ''), 3);
  return { prompt_tokens: prompt, completion_tokens: tokensOf(reply) };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(status: number): unknown {
  if (status === 429) return { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } };
  if (status === 401) return { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } };
  return { error: { message: 'The server had an error while processing your request.', type: 'server_error' } };
}

export async function startOpenAiServer(initial: Partial<OpenAiServerOptions> = {}): Promise<OpenAiServer> {
  const opts: OpenAiServerOptions = {
    models: ['test-model', 'test-embed'],
    apiKey: null,
    reply: 'Hello from the test server, streamed word by word.',
    usage: undefined,
    embeddingUsage: undefined,
    dimensions: 8,
    chunkDelayMs: 0,
    ...initial,
  };
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const hanging = new Set<ServerResponse>();

  const takeFault = (path: string): Fault | undefined => {
    const i = faults.findIndex((f) => f.path === undefined || path.includes(f.path));
    return i === -1 ? undefined : faults.splice(i, 1)[0];
  };

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function stream(res: ServerResponse, req: RecordedRequest, reply: string, fault: Fault | undefined): Promise<void> {
    const body = req.body ?? {};
    const model = String(body['model']);
    const base = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    // Resolves once the chunk is handed to the socket, so a disconnect comes after what was sent.
    const write = (data: unknown) => new Promise<void>((resolve) => res.write(`data: ${JSON.stringify(data)}\n\n`, () => resolve()));
    await write({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    const pieces = reply.match(/\S+\s*/g) ?? [];
    for (let i = 0; i < pieces.length; i++) {
      if (fault?.kind === 'disconnect' && i === (fault.afterChunks ?? 1)) {
        res.socket?.destroy();
        return;
      }
      if (fault?.kind === 'stall' && i === (fault.afterChunks ?? 1)) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (opts.chunkDelayMs > 0) await sleep(opts.chunkDelayMs);
      if (res.destroyed || res.writableEnded) return;
      await write({ ...base, choices: [{ index: 0, delta: { content: pieces[i] }, finish_reason: null }] });
    }
    await write({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    const wantsUsage = (body['stream_options'] as { include_usage?: unknown } | undefined)?.include_usage === true;
    const usage = opts.usage === undefined ? defaultUsage(body, reply) : opts.usage;
    if (wantsUsage && usage) await write({ ...base, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
    res.write('data: [DONE]\n\n');
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | null;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const rec: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, raw, at: Date.now() };
    requests.push(rec);

    if (opts.apiKey !== null && req.headers.authorization !== `Bearer ${opts.apiKey}`) return sendJson(res, 401, errorBody(401));

    const fault = takeFault(path);
    if (fault?.kind === 'status') return sendJson(res, fault.status, fault.body ?? errorBody(fault.status), fault.headers);
    if (fault?.kind === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (fault?.kind === 'malformed') {
      const text = fault.body ?? '{"id":"chatcmpl-test","choices":[{"message":{"content":"Hel';
      res.writeHead(200, { 'content-type': fault.contentType ?? 'application/json' });
      res.end(text);
      return;
    }
    if (fault?.kind === 'disconnect' && body?.['stream'] !== true) {
      res.socket?.destroy();
      return;
    }

    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: opts.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })) });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions' && body) {
      const model = String(body['model']);
      if (!opts.models.includes(model)) {
        return sendJson(res, 404, { error: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' } });
      }
      const reply = typeof opts.reply === 'function' ? opts.reply(rec) : opts.reply;
      if (body['stream'] === true) return stream(res, rec, reply, fault);
      const usage = opts.usage === undefined ? defaultUsage(body, reply) : opts.usage;
      return sendJson(res, 200, {
        id: 'chatcmpl-test',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
        ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
      });
    }
    if (req.method === 'POST' && path === '/v1/embeddings' && body) {
      const model = String(body['model']);
      if (!opts.models.includes(model)) {
        return sendJson(res, 404, { error: { message: `The model \`${model}\` does not exist`, type: 'invalid_request_error', code: 'model_not_found' } });
      }
      const inputs = Array.isArray(body['input']) ? (body['input'] as string[]) : [String(body['input'])];
      const base64 = body['encoding_format'] === 'base64';
      const usage = opts.embeddingUsage === undefined ? { prompt_tokens: inputs.reduce((n, s) => n + tokensOf(s), 0) } : opts.embeddingUsage;
      return sendJson(res, 200, {
        object: 'list',
        model,
        data: inputs.map((text, index) => {
          const v = embeddingFor(text, opts.dimensions);
          return { object: 'embedding', index, embedding: base64 ? toBase64Floats(v) : Array.from(v) };
        }),
        ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens } } : {}),
      });
    }
    return sendJson(res, 404, { error: { message: `Unknown request: ${req.method} ${path}`, type: 'invalid_request_error' } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    requestsTo: (endpoint) => requests.filter((r) => r.path === `/v1/${endpoint}`),
    fail: (...f) => void faults.push(...f),
    set: (patch) => void Object.assign(opts, patch),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
