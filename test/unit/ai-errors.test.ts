// What each endpoint failure becomes (code and words), how long a retry waits, base URL handling,
// the workspace's voice and base64 embeddings.
import { APIConnectionError, APIConnectionTimeoutError, APIError, AuthenticationError, BadRequestError, InternalServerError, NotFoundError, RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { classify, retryAfterMs, type Endpoint } from '../../electron/core/ai/client';
import { chatBody, decodeBase64Embedding, withVoice } from '../../electron/core/ai/complete';
import { AiError } from '../../electron/core/ai/errors';
import { endpointKind, normaliseBaseUrl, type ResolvedAi } from '../../electron/core/ai/settings';

const openai: Endpoint = { baseUrl: 'https://api.openai.com/v1', kind: 'openai', apiKey: 'sk-x' };
const ollama: Endpoint = { baseUrl: 'http://127.0.0.1:11434/v1', kind: 'ollama', apiKey: null };
const headers = (h: Record<string, string> = {}) => new Headers(h);

describe('classify', () => {
  it('given HTTP failures, when classified, then each gets its code and a sentence that says what to do', () => {
    const wrongKey = classify(new AuthenticationError(401, { message: 'Incorrect API key provided' }, undefined, headers()), openai, 'gpt-4o');
    expect(wrongKey).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(wrongKey.message).toMatch(/refused the API key.*Check the key in Settings → AI/);

    const noKey = classify(new AuthenticationError(401, { message: 'Missing key' }, undefined, headers()), ollama, 'llama3.2');
    expect(noKey.message).toMatch(/needs an API key.*Add one in Settings → AI/);

    const openaiModel = classify(new NotFoundError(404, { message: 'The model `gpt-9` does not exist', code: 'model_not_found' }, undefined, headers()), openai, 'gpt-9');
    expect(openaiModel).toMatchObject({ code: 'model_not_found' });
    const ollamaModel = classify(new NotFoundError(404, { message: 'model "mistral" not found, try pulling it first' }, undefined, headers()), ollama, 'mistral');
    expect(ollamaModel.message).toMatch(/no model called "mistral".*ollama pull mistral/);
    const openrouterModel = classify(new BadRequestError(400, { message: 'foo/bar is not a valid model ID' }, undefined, headers()), openai, 'foo/bar');
    expect(openrouterModel.code).toBe('model_not_found');

    const wrongPath = classify(new NotFoundError(404, { message: 'Not Found' }, undefined, headers()), openai, 'gpt-4o');
    expect(wrongPath).toMatchObject({ code: 'bad_request' });
    expect(wrongPath.message).toMatch(/end in \/v1/);

    expect(classify(new RateLimitError(429, { message: 'slow down' }, undefined, headers()), openai, 'm').code).toBe('rate_limited');
    expect(classify(new InternalServerError(502, undefined, undefined, headers()), openai, 'm').code).toBe('server_error');
    expect(classify(new BadRequestError(400, { message: 'max_tokens is too large' }, undefined, headers()), openai, 'm')).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/max_tokens is too large/) });
  });

  it('given transport failures, when classified, then unreachable names the URL and, for Ollama, how to start it', () => {
    const refused = classify(new APIConnectionError({ message: 'Connection error.', cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), ollama, 'm');
    expect(refused).toMatchObject({ code: 'unreachable' });
    expect(refused.message).toBe('Nothing answered at http://127.0.0.1:11434/v1 (ECONNREFUSED). Is Ollama running? Start it (`ollama serve`) and try again.');
    expect(classify(new APIConnectionTimeoutError(), ollama, 'm').code).toBe('timeout');
    expect(classify(new SyntaxError('Unexpected end of JSON input'), openai, 'm').code).toBe('bad_response');
    const streamError = classify(new APIError(undefined, { message: 'overloaded' }, undefined, undefined), openai, 'm');
    expect(streamError).toMatchObject({ code: 'server_error', message: expect.stringMatching(/overloaded/) });
  });

  it('given a provider message carrying a newline-laden wall of text, when classified, then it is clipped to one readable line', () => {
    const err = classify(new BadRequestError(400, { message: `bad\n\n${'x'.repeat(1000)}` }, undefined, headers()), openai, 'm');
    expect(err.message).not.toMatch(/\n/);
    expect(err.message.length).toBeLessThan(420);
  });
});

describe('retry-after', () => {
  const rateLimited = (h: Record<string, string>) => classify(new RateLimitError(429, {}, undefined, headers(h)), openai, 'm');

  it('given retry-after-ms, retry-after seconds, an HTTP date or nothing, when read, then the wait is in milliseconds', () => {
    const now = Date.parse('2025-05-01T12:00:00Z');
    expect(retryAfterMs(rateLimited({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(retryAfterMs(rateLimited({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(rateLimited({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(rateLimited({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(retryAfterMs(rateLimited({ 'retry-after': 'Thu, 01 May 2025 12:00:07 GMT' }), now)).toBe(7000);
    expect(retryAfterMs(rateLimited({ 'retry-after': 'Thu, 01 May 2025 11:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(rateLimited({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(rateLimited({}), now)).toBeNull();
    expect(retryAfterMs(new AiError('rate_limited', 'x'), now)).toBeNull();
  });
});

describe('base URLs', () => {
  it('given what people paste, when normalised, then the trailing slash and fragment go and anything unsafe is refused', () => {
    expect(normaliseBaseUrl(' http://127.0.0.1:11434/v1/ ')).toBe('http://127.0.0.1:11434/v1');
    expect(normaliseBaseUrl('https://openrouter.ai/api/v1#x')).toBe('https://openrouter.ai/api/v1');
    expect(() => normaliseBaseUrl('file:///etc/passwd')).toThrow(/http/);
    expect(() => normaliseBaseUrl('https://me:sk-1@api.example.com/v1')).toThrow(/own field/);
    expect(endpointKind('https://api.openai.com/v1')).toBe('openai');
    expect(endpointKind('https://openrouter.ai/api/v1')).toBe('openrouter');
    expect(endpointKind('http://localhost:11434/v1')).toBe('ollama');
    expect(endpointKind('http://127.0.0.1:1234/v1')).toBe('lmstudio');
    expect(endpointKind('https://llm.internal.example/v1')).toBe('other');
  });
});

describe('voice and embeddings', () => {
  const ai = { systemPrompt: 'We are Crumb Bakery.', language: 'fr', tone: 'warm' } as ResolvedAi;

  it("given a feature's own system message, when the voice is added, then both are one system message, voice first", () => {
    expect(withVoice(ai, [{ role: 'system', content: 'Answer in JSON.' }, { role: 'user', content: 'x' }])).toEqual([
      { role: 'system', content: 'We are Crumb Bakery.\nWrite in French.\nTone: warm.\n\nAnswer in JSON.' },
      { role: 'user', content: 'x' },
    ]);
    expect(withVoice({ ...ai, systemPrompt: null, language: 'xx-unknown' } as ResolvedAi, [{ role: 'user', content: 'x' }])[0]!.content).toMatch(/^Write in .+\.\nTone: warm\.$/);
  });

  it('given base64 of little-endian float32s, when decoded, then the floats come back; a truncated one is a clear error', () => {
    const buf = Buffer.alloc(12);
    [0.5, -1.25, 3].forEach((x, i) => buf.writeFloatLE(x, i * 4));
    expect(Array.from(decodeBase64Embedding(buf.toString('base64')))).toEqual([0.5, -1.25, 3]);
    expect(() => decodeBase64Embedding(buf.subarray(0, 10).toString('base64'))).toThrow(/not a list of float32 values/);
  });
});

describe('request body', () => {
  const msgs = [{ role: 'user' as const, content: 'hi' }];

  it('given OpenAI itself, when the body is built, then the cap is max_completion_tokens; any other server gets max_tokens', () => {
    expect(chatBody({ kind: 'openai', temperature: 0.2, topP: 1 }, 'gpt-5-mini', msgs, {}, 50)).toEqual({ model: 'gpt-5-mini', messages: msgs, temperature: 0.2, top_p: 1, max_completion_tokens: 50 });
    for (const kind of ['openrouter', 'ollama', 'lmstudio', 'other'] as const) {
      const body = chatBody({ kind, temperature: 0.2, topP: 1 }, 'm', msgs, { temperature: 0, json: true }, 50);
      expect(body).toEqual({ model: 'm', messages: msgs, temperature: 0, top_p: 1, max_tokens: 50, response_format: { type: 'json_object' } });
    }
  });
});
