// "Test connection": a real, tiny round trip to the endpoint — list its models, check the chosen
// model is among them, then a 1-token chat (which is what proves the key on servers whose model
// list is public, such as OpenRouter). The answer is a result, not an exception, so Settings can
// show it in place: latency and the model list, or what is wrong in words.
import type { ApiContext } from '../context';
import { DEFAULT_RETRY, makeClient, modelsResponse, parseShape, runAttempts, AttemptsFailed } from './client';
import { completeWith } from './complete';
import { AiError, type AiErrorCode } from './errors';
import { resolveAi, type EndpointKind, type EndpointOverride } from './settings';

export type TestConnectionResult =
  | {
      ok: true;
      baseUrl: string;
      kind: EndpointKind;
      model: string;
      /** Round trip of the model list (null when the server has none and only the chat was tried). */
      latencyMs: number | null;
      chatLatencyMs: number;
      models: string[];
    }
  | {
      ok: false;
      code: AiErrorCode;
      message: string;
      baseUrl: string | null;
      latencyMs: number | null;
      models: string[];
    };

const TEST_TIMEOUT_MS = 15_000;

function sameModel(listed: string, wanted: string): boolean {
  const strip = (s: string) => s.replace(/:latest$/, '');
  return strip(listed) === strip(wanted);
}

export async function testConnection(ctx: ApiContext, workspaceId: string, override: EndpointOverride = {}): Promise<TestConnectionResult> {
  let baseUrl: string | null = null;
  let models: string[] = [];
  let latencyMs: number | null = null;
  try {
    const ai = resolveAi(ctx, workspaceId, override);
    baseUrl = ai.baseUrl;
    const client = makeClient(ai);
    const started = performance.now();
    try {
      const run = await runAttempts({ endpoint: ai, model: ai.chatModel, timeoutMs: TEST_TIMEOUT_MS, retry: { ...DEFAULT_RETRY, maxAttempts: 1 } }, async (attempt) => {
        const page: unknown = await client.get('/models', { signal: attempt.signal, timeout: TEST_TIMEOUT_MS });
        return parseShape(modelsResponse, page, 'the model list').data.map((m) => m.id);
      });
      latencyMs = Math.round(performance.now() - started);
      models = run.value.sort((a, b) => a.localeCompare(b));
    } catch (err) {
      const e = err instanceof AttemptsFailed ? err.error : err;
      // Some compatible servers have no model list; the chat below still tests them.
      if (!(e instanceof AiError && e.code === 'bad_request' && e.status === 404)) throw e;
    }

    if (models.length > 0 && !models.some((m) => sameModel(m, ai.chatModel))) {
      const some = models.slice(0, 8).join(', ');
      const pull = ai.kind === 'ollama' ? ` Download it with \`ollama pull ${ai.chatModel}\`, or pick one of: ${some}.` : ` Pick one of: ${some}${models.length > 8 ? ', …' : ''}.`;
      return { ok: false, code: 'model_not_found', message: `The endpoint answered, but has no model called "${ai.chatModel}".${pull}`, baseUrl, latencyMs, models };
    }

    const chatStarted = performance.now();
    await completeWith(ctx, ai, {
      workspaceId,
      feature: 'chat',
      messages: [{ role: 'user', content: 'Reply with OK.' }],
      maxTokens: 1,
      voice: false,
      timeoutMs: TEST_TIMEOUT_MS,
      retry: { maxAttempts: 1 },
    });
    return { ok: true, baseUrl, kind: ai.kind, model: ai.chatModel, latencyMs, chatLatencyMs: Math.round(performance.now() - chatStarted), models };
  } catch (err) {
    const e = err instanceof AttemptsFailed ? err.error : err;
    if (e instanceof AiError) return { ok: false, code: e.code, message: e.message, baseUrl, latencyMs, models };
    throw e;
  }
}
