// The AI client against a real OpenAI-compatible server on 127.0.0.1: chat, streaming deltas in
// order with the usage of the last chunk, embeddings in float and base64, retries on 429 (retry-after
// honoured) and 5xx, timeouts, malformed bodies, a dropped stream and cancel — each call metered.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aiGenerations } from '../../db/schema/ai';
import type { EventPayload } from '../../electron/api/events';
import { ApiError } from '../../electron/api/errors';
import { complete, embed } from '../../electron/core/ai/complete';
import { AiError } from '../../electron/core/ai/errors';
import { startTestCore, type TestCore } from '../helpers/core';
import { embeddingFor, startOpenAiServer, type OpenAiServer } from '../helpers/openai-server';

let server: OpenAiServer;
let core: TestCore;
const REPLY = 'Fresh sourdough every morning at seven, and croissants on Sundays.';

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: 'sk-test-123' });
  core = await startTestCore({ scheduler: false });
});
afterAll(async () => {
  await core.cleanup();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.set({ reply: REPLY, usage: undefined, embeddingUsage: undefined, chunkDelayMs: 0, apiKey: 'sk-test-123', models: ['test-model', 'test-embed'] });
});

async function workspace(patch: Record<string, unknown> = {}): Promise<string> {
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  await core.call('ai.updateSettings', {
    workspaceId: ws.id,
    baseUrl: server.url,
    apiKey: 'sk-test-123',
    chatModel: 'test-model',
    embeddingModel: 'test-embed',
    temperature: 0.7,
    topP: 0.9,
    language: 'fr',
    tone: 'warm',
    systemPrompt: 'You write for Crumb Bakery.',
    ...patch,
  });
  return ws.id;
}

function generation(id: string) {
  return core.ctx.db.orm.select().from(aiGenerations).where(eq(aiGenerations.id, id)).get()!;
}

function generations(workspaceId: string) {
  return core.ctx.db.orm.select().from(aiGenerations).where(eq(aiGenerations.workspaceId, workspaceId)).all();
}

function streamEvents(requestId: string): EventPayload<'ai.stream'>[] {
  const seen: EventPayload<'ai.stream'>[] = [];
  core.ctx.events.subscribe((event, payload) => {
    if (event === 'ai.stream' && (payload as EventPayload<'ai.stream'>).requestId === requestId) seen.push(payload as EventPayload<'ai.stream'>);
  });
  return seen;
}

async function rejection(p: Promise<unknown>): Promise<AiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

const ask = (workspaceId: string, extra: Partial<Parameters<typeof complete>[1]> = {}) =>
  complete(core.ctx, { workspaceId, feature: 'post', messages: [{ role: 'user', content: 'Write one line about our bread.' }], maxTokens: 200, ...extra });

describe('chat', () => {
  it('given a configured workspace, when complete is called, then the answer comes back and the request carries the settings, the voice and the key', async () => {
    const ws = await workspace();
    const r = await ask(ws);

    expect(r.text).toBe(REPLY);
    expect(r.attempts).toBe(1);
    expect(r.usage.estimated).toBe(false);
    const [sent] = server.requestsTo('chat/completions');
    expect(sent!.headers.authorization).toBe('Bearer sk-test-123');
    expect(sent!.body).toMatchObject({ model: 'test-model', temperature: 0.7, top_p: 0.9, max_tokens: 200 });
    expect(sent!.body!['stream']).toBe(false);
    expect(sent!.body!['messages']).toEqual([
      { role: 'system', content: 'You write for Crumb Bakery.\nWrite in French.\nTone: warm.' },
      { role: 'user', content: 'Write one line about our bread.' },
    ]);
    const row = generation(r.generationId);
    expect(row).toMatchObject({ status: 'completed', generationType: 'post', modelUsed: 'test-model', promptTokens: r.usage.promptTokens, completionTokens: r.usage.completionTokens, iterations: 1, tokensEstimated: false });
    expect(row.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('given voice: false and per-call overrides, when complete is called, then the messages go as given with those values', async () => {
    const ws = await workspace();
    await ask(ws, { voice: false, temperature: 0, topP: 1, json: true, messages: [{ role: 'system', content: 'Answer in JSON.' }, { role: 'user', content: 'triage this' }] });
    const body = server.requestsTo('chat/completions')[0]!.body!;
    expect(body['messages']).toEqual([{ role: 'system', content: 'Answer in JSON.' }, { role: 'user', content: 'triage this' }]);
    expect(body).toMatchObject({ temperature: 0, top_p: 1, response_format: { type: 'json_object' } });
  });

  it('given an endpoint with no key, when a call is made, then no Authorization header is sent at all', async () => {
    server.set({ apiKey: null });
    const ws = await workspace({ apiKey: null });
    await ask(ws);
    expect(server.requestsTo('chat/completions')[0]!.headers.authorization).toBeUndefined();
  });
});

describe('streaming', () => {
  it('given stream: {requestId}, when the answer streams, then deltas arrive in order as ai.stream events, then done, and usage comes from the last chunk', async () => {
    const ws = await workspace();
    server.set({ usage: { prompt_tokens: 31, completion_tokens: 14 } });
    const events = streamEvents('req-stream-1');
    const r = await ask(ws, { stream: { requestId: 'req-stream-1' } });

    const deltas = events.filter((e) => !e.done).map((e) => e.delta);
    expect(deltas.length).toBe(REPLY.split(' ').length);
    expect(deltas.join('')).toBe(REPLY);
    expect(events.at(-1)).toEqual({ requestId: 'req-stream-1', delta: '', done: true });
    expect(events.filter((e) => e.done)).toHaveLength(1);
    expect(r.text).toBe(REPLY);
    expect(r.usage).toEqual({ promptTokens: 31, completionTokens: 14, estimated: false });
    expect(r.finishReason).toBe('stop');
    const body = server.requestsTo('chat/completions')[0]!.body!;
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(generation(r.generationId)).toMatchObject({ promptTokens: 31, completionTokens: 14, tokensEstimated: false, status: 'completed' });
  });

  it('given a server that sends no usage chunk, when the stream ends, then the tokens are estimated and the row says so', async () => {
    const ws = await workspace();
    server.set({ usage: null });
    const r = await ask(ws, { stream: { requestId: 'req-no-usage' } });
    expect(r.usage.estimated).toBe(true);
    expect(r.usage.completionTokens).toBe(Math.ceil(REPLY.length / 4));
    expect(generation(r.generationId).tokensEstimated).toBe(true);
  });
});

describe('embeddings', () => {
  it('given float and base64 encodings, when the same texts are embedded, then the vectors are identical and equal what the server computed', async () => {
    const ws = await workspace();
    const texts = ['opening hours', 'gluten-free loaves', 'pain au chocolat'];
    const asFloat = await embed(core.ctx, { workspaceId: ws, input: texts, encoding: 'float' });
    const asBase64 = await embed(core.ctx, { workspaceId: ws, input: texts, encoding: 'base64' });

    const sent = server.requestsTo('embeddings').map((r) => r.body!['encoding_format']);
    expect(sent).toEqual(['float', 'base64']);
    expect(asFloat.vectors).toHaveLength(3);
    expect(asFloat.dimensions).toBe(8);
    for (let i = 0; i < texts.length; i++) {
      expect(Array.from(asBase64.vectors[i]!)).toEqual(Array.from(asFloat.vectors[i]!));
      expect(Array.from(asFloat.vectors[i]!)).toEqual(Array.from(embeddingFor(texts[i]!, 8)));
    }
    expect(generation(asBase64.generationId)).toMatchObject({ generationType: 'embedding', status: 'completed', promptTokens: asBase64.usage.promptTokens, completionTokens: 0 });
  });

  it('given no embedding model set, when embed is called, then it says where to choose one', async () => {
    const ws = await workspace({ embeddingModel: null });
    const err = await rejection(embed(core.ctx, { workspaceId: ws, input: 'x' }));
    expect(err.code).toBe('not_configured');
    expect(err.message).toMatch(/Settings → AI → Embedding model/);
  });
});

describe('retries', () => {
  it('given a 429 with retry-after-ms, when the call is made, then it waits that long, succeeds on the second attempt and is metered once with the failed attempt logged', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'status', status: 429, headers: { 'retry-after-ms': '300' } });
    const started = Date.now();
    const r = await ask(ws);

    const sent = server.requestsTo('chat/completions');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(r.attempts).toBe(2);
    const rows = generations(ws);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'completed', iterations: 2 });
    expect((rows[0]!.resultData as { attempts: unknown[] }).attempts).toEqual([expect.objectContaining({ attempt: 1, code: 'rate_limited', status: 429, waitMs: 300 })]);
  });

  it('given a 429 with retry-after in seconds, when the call is made, then the next attempt waits at least that many seconds', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    await ask(ws);
    const sent = server.requestsTo('chat/completions');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('given a retry-after longer than the cap, when the call is made, then it fails at once and says when to try again', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'status', status: 429, headers: { 'retry-after': '120' } });
    const err = await rejection(ask(ws));
    expect(err.code).toBe('rate_limited');
    expect(err.message).toMatch(/wait 120 s/);
    expect(server.requestsTo('chat/completions')).toHaveLength(1);
  });

  it('given a 500 on every attempt, when the retries run out, then the error says so and the call is metered as failed with every attempt', async () => {
    const ws = await workspace();
    for (let i = 0; i < 3; i++) server.fail({ path: 'chat/completions', kind: 'status', status: 500 });
    const err = await rejection(ask(ws, { retry: { maxAttempts: 3, baseMs: 20, maxMs: 40 } }));

    expect(err.code).toBe('server_error');
    expect(err.message).toMatch(/HTTP 500/);
    expect(server.requestsTo('chat/completions')).toHaveLength(3);
    const row = generation(err.generationId!);
    expect(row).toMatchObject({ status: 'failed', iterations: 3, promptTokens: 0, completionTokens: 0, costNanoUsd: 0 });
    expect(row.errorMessage).toBe(err.message);
    expect((row.resultData as { attempts: unknown[] }).attempts).toHaveLength(3);
  });

  it('given a 500 then a success, when the call is made, then the retry succeeds after a capped backoff', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'status', status: 503 });
    const r = await ask(ws, { retry: { baseMs: 50, maxMs: 100 } });
    expect(r.text).toBe(REPLY);
    expect(r.attempts).toBe(2);
    const sent = server.requestsTo('chat/completions');
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(20);
    expect(sent[1]!.at - sent[0]!.at).toBeLessThan(1000);
  });
});

describe('failures', () => {
  it('given a server that never answers, when the timeout passes, then the call fails with a timeout and is not retried', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'hang' });
    const started = Date.now();
    const err = await rejection(ask(ws, { timeoutMs: 300 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not answer within 0.3 s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requestsTo('chat/completions')).toHaveLength(1);
    expect(generation(err.generationId!)).toMatchObject({ status: 'failed' });
  });

  it('given a stream that stalls after its first chunks, when nothing arrives for the timeout, then it fails with a timeout keeping the text so far', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'stall', afterChunks: 2 });
    const events = streamEvents('req-stall');
    const started = Date.now();
    const err = await rejection(ask(ws, { stream: { requestId: 'req-stall' }, timeoutMs: 250 }));

    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    const partial = events.filter((e) => !e.done).map((e) => e.delta).join('');
    expect(partial).toBe(REPLY.split(/(?<= )/).slice(0, 2).join(''));
    expect(events.at(-1)).toMatchObject({ done: true, error: err.message });
    expect(generation(err.generationId!)).toMatchObject({ status: 'failed', tokensEstimated: true, completionTokens: Math.ceil(partial.length / 4) });
    expect(server.requestsTo('chat/completions')).toHaveLength(1);
  });

  it('given a truncated JSON body, when the answer is read, then the error says the endpoint is not OpenAI-compatible and nothing crashes', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'malformed' });
    const err = await rejection(ask(ws));
    expect(err.code).toBe('bad_response');
    expect(err.message).toMatch(/not an OpenAI-compatible response/);
    expect(generation(err.generationId!)).toMatchObject({ status: 'failed' });
  });

  it('given a web page instead of JSON, when the answer is read, then the error says so and quotes the start of it', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'malformed', contentType: 'text/html', body: '<html><body>Please log in to the Wi-Fi</body></html>' });
    const err = await rejection(ask(ws));
    expect(err.code).toBe('bad_response');
    expect(err.message).toMatch(/<html><body>Please log in/);
  });

  it('given JSON of the wrong shape, when the answer is read, then the error names what is missing', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'malformed', body: '{"choices": []}' });
    const err = await rejection(ask(ws));
    expect(err.code).toBe('bad_response');
    expect(err.message).toMatch(/choices/);
  });

  it('given a stream that disconnects half-way, when it drops, then the error says so, the partial text is metered as estimated and it is not retried', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'disconnect', afterChunks: 3 });
    const events = streamEvents('req-drop');
    const err = await rejection(ask(ws, { stream: { requestId: 'req-drop' } }));

    expect(err.code).toBe('interrupted');
    expect(server.requestsTo('chat/completions')).toHaveLength(1);
    const partial = events.filter((e) => !e.done).map((e) => e.delta).join('');
    expect(partial).toBe(REPLY.split(/(?<= )/).slice(0, 3).join(''));
    expect(events.at(-1)).toMatchObject({ done: true, error: err.message });
    const row = generation(err.generationId!);
    expect(row).toMatchObject({ status: 'failed', tokensEstimated: true, completionTokens: Math.ceil(partial.length / 4) });
  });

  it('given the wrong key, an unknown model or nothing listening, when a call is made, then each error says what to fix', async () => {
    const wrongKey = await workspace({ apiKey: 'sk-wrong' });
    const e1 = await rejection(ask(wrongKey));
    expect(e1.code).toBe('unauthorized');
    expect(e1.message).toMatch(/refused the API key.*Settings → AI/);

    const unknownModel = await workspace({ chatModel: 'gpt-9-imaginary' });
    const e2 = await rejection(ask(unknownModel));
    expect(e2.code).toBe('model_not_found');
    expect(e2.message).toMatch(/no model called "gpt-9-imaginary"/);

    const down = await workspace({ baseUrl: 'http://127.0.0.1:9/v1' });
    const e3 = await rejection(ask(down));
    expect(e3.code).toBe('unreachable');
    expect(e3.message).toMatch(/Nothing answered at http:\/\/127\.0\.0\.1:9\/v1/);
  });
});

describe('cancel', () => {
  it('given a streaming call, when ai.cancel is called with its request id mid-stream, then the stream stops, the call fails as cancelled and is metered as cancelled', async () => {
    const ws = await workspace();
    server.set({ chunkDelayMs: 60 });
    const events = streamEvents('req-cancel');
    const running = ask(ws, { stream: { requestId: 'req-cancel' } });
    const failed = rejection(running);
    for (let i = 0; i < 200 && events.filter((e) => !e.done).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await core.call('ai.cancel', { requestId: 'req-cancel' })).toEqual({ cancelled: true });

    const err = await failed;
    expect(err.code).toBe('cancelled');
    const deltas = events.filter((e) => !e.done);
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas.length).toBeLessThan(REPLY.split(' ').length);
    expect(events.at(-1)).toMatchObject({ done: true, error: 'The AI call was cancelled.' });
    expect(generation(err.generationId!)).toMatchObject({ status: 'cancelled', tokensEstimated: true });
    expect(await core.call('ai.cancel', { requestId: 'req-cancel' })).toEqual({ cancelled: false });
  });

  it('given a caller signal, when it aborts during a retry wait, then the call ends as cancelled without another attempt', async () => {
    const ws = await workspace();
    server.fail({ path: 'chat/completions', kind: 'status', status: 429, headers: { 'retry-after': '5' } });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 150);
    const err = await rejection(ask(ws, { signal: ctl.signal }));
    expect(err.code).toBe('cancelled');
    expect(server.requestsTo('chat/completions')).toHaveLength(1);
  });

  it('given a cancelled call through the API, when the error crosses the wire, then it is typed as cancelled', async () => {
    const ws = await workspace();
    const ctl = new AbortController();
    ctl.abort();
    const err = await rejection(ask(ws, { signal: ctl.signal }));
    expect(err.code).toBe('cancelled');
    const { toApiError } = await import('../../electron/api/dispatch');
    expect(toApiError(err)).toEqual(new ApiError('cancelled', 'The AI call was cancelled.'));
  });
});
