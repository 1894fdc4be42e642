// What features call: `complete` (chat, optionally streamed to the UI) and `embed`, with the
// workspace's settings, the budget check, retries, cancel and metering all applied. Writing help,
// triage and grounded replies are built on these two.
import { GENERATION_TYPES } from '../../../db/schema/ai';
import type { ApiContext } from '../context';
import { estimatePromptTokens, estimateTokens, promptTokenUpperBound, reserveBudget } from './budget';
import { badResponse, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, makeClient, parseShape, AttemptsFailed, chatChunk, chatResponse, embeddingResponse, runAttempts, type RetryPolicy, type Usage } from './client';
import { AiError } from './errors';
import { recordGeneration, type AttemptLog, type GenerationStatus, type GenerationType, type MeterInput } from './metering';
import { nanoToUsd } from './money';
import { priceFor } from './models';
import { registerRequest } from './requests';
import { resolveAi, type ResolvedAi } from './settings';

export { GENERATION_TYPES };
export type { GenerationType };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CallLinks {
  postId?: string | undefined;
  conversationId?: string | undefined;
  campaignId?: string | undefined;
}

export interface CompleteOptions {
  workspaceId: string;
  feature: GenerationType;
  messages: ChatMessage[];
  /** Output cap, also the output side of the budget's bound. Default 1024. */
  maxTokens?: number | undefined;
  /** Stream the answer as 'ai.stream' events under this id (ai.cancel takes the same id). */
  stream?: { requestId: string } | undefined;
  /** Make a non-streamed call cancellable with ai.cancel. */
  requestId?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Override the workspace's chat model, temperature or top_p for this call. */
  model?: string | undefined;
  temperature?: number | undefined;
  topP?: number | undefined;
  /** Ask for a JSON object (response_format json_object). */
  json?: boolean | undefined;
  /** Prepend the workspace's system prompt, language and tone (default true). */
  voice?: boolean | undefined;
  /** Per attempt; for a stream, the longest silence between chunks. Default 60 s. */
  timeoutMs?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  links?: CallLinks | undefined;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** The server gave no usage; these are estimates (≈4 characters a token). */
  estimated: boolean;
}

export interface CompleteResult {
  text: string;
  usage: TokenUsage;
  costUsd: number;
  costNanoUsd: number;
  generationId: string;
  model: string;
  finishReason: string | null;
  /** HTTP attempts made (1 unless a 429/5xx was retried). */
  attempts: number;
}

export const DEFAULT_MAX_TOKENS = 1024;

function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The workspace's voice as one system message, merged with the feature's own system message. */
export function withVoice(ai: ResolvedAi, messages: ChatMessage[]): ChatMessage[] {
  const voice = [ai.systemPrompt?.trim(), `Write in ${languageName(ai.language)}.`, `Tone: ${ai.tone}.`].filter(Boolean).join('\n');
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ role: 'system', content: `${voice}\n\n${first.content}` }, ...rest];
  return [{ role: 'system', content: voice }, ...messages];
}

function lastUserText(messages: ChatMessage[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return messages[i]!.content;
  return null;
}

function meter(ctx: ApiContext, input: MeterInput) {
  const metered = recordGeneration(ctx.db, input);
  ctx.events.emit('ai.metered', {
    workspaceId: input.workspaceId,
    generationId: metered.generationId,
    feature: input.type,
    status: input.status,
    costUsd: nanoToUsd(metered.costNanoUsd),
  });
  return metered;
}

function statusOf(err: AiError): GenerationStatus {
  return err.code === 'cancelled' ? 'cancelled' : 'failed';
}

export async function complete(ctx: ApiContext, opts: CompleteOptions): Promise<CompleteResult> {
  let ai: ResolvedAi;
  try {
    ai = resolveAi(ctx, opts.workspaceId);
  } catch (err) {
    // A UI waiting on the stream hears why nothing will come (not configured, secrets locked).
    if (opts.stream) ctx.events.emit('ai.stream', { requestId: opts.stream.requestId, delta: '', done: true, error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  return completeWith(ctx, ai, opts);
}

/** The chat request as sent: settings, per-call overrides, and the output cap under the name the server knows. */
export function chatBody(ai: Pick<ResolvedAi, 'kind' | 'temperature' | 'topP'>, model: string, messages: ChatMessage[], opts: Pick<CompleteOptions, 'temperature' | 'topP' | 'json'>, maxTokens: number) {
  return {
    model,
    messages,
    temperature: opts.temperature ?? ai.temperature,
    top_p: opts.topP ?? ai.topP,
    // OpenAI's newer models refuse max_tokens; every other compatible server knows only max_tokens.
    ...(ai.kind === 'openai' ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens }),
    ...(opts.json ? { response_format: { type: 'json_object' as const } } : {}),
  };
}

/** `complete` against already-resolved settings ("Test connection" passes the values being edited). */
export async function completeWith(ctx: ApiContext, ai: ResolvedAi, opts: CompleteOptions): Promise<CompleteResult> {
  const model = opts.model?.trim() || ai.chatModel;
  const maxTokens = opts.maxTokens ?? DEFAULT_MAX_TOKENS;
  const messages = opts.voice === false ? opts.messages : withVoice(ai, opts.messages);
  const price = priceFor(ctx.db, model);
  const requestId = opts.stream?.requestId ?? opts.requestId;
  const emit = (delta: string, done: boolean, error?: string) => {
    if (opts.stream) ctx.events.emit('ai.stream', { requestId: opts.stream.requestId, delta, done, ...(error === undefined ? {} : { error }) });
  };

  let reservation;
  try {
    reservation = reserveBudget(ctx.db, { workspaceId: ai.workspaceId, capNanoUsd: ai.monthlyCapNanoUsd, price, promptUpperBound: promptTokenUpperBound(messages), maxOutputTokens: maxTokens });
  } catch (err) {
    if (err instanceof AiError) emit('', true, err.message);
    throw err;
  }
  const request = registerRequest(ctx, requestId, opts.signal);
  const client = makeClient(ai);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const body = chatBody(ai, model, messages, opts, maxTokens);

  const startedAt = Date.now();
  let text = '';
  let usage: Usage | null = null;
  let finishReason: string | null = null;
  let answeredModel = model;
  const base = {
    workspaceId: ai.workspaceId,
    type: opts.feature,
    model,
    price,
    promptText: lastUserText(opts.messages),
    links: opts.links,
    startedAt,
  };

  try {
    const run = await runAttempts(
      { endpoint: ai, model, signal: request.signal, timeoutMs, retry: { ...DEFAULT_RETRY, ...opts.retry } },
      async (attempt) => {
        text = '';
        usage = null;
        const reqOpts = { signal: attempt.signal, timeout: timeoutMs + 1000 };
        if (!opts.stream) {
          const raw: unknown = await client.chat.completions.create({ ...body, stream: false }, reqOpts);
          const parsed = parseShape(chatResponse, raw, 'the chat request');
          const choice = parsed.choices[0]!;
          text = choice.message.content ?? '';
          finishReason = choice.finish_reason ?? null;
          usage = parsed.usage ?? null;
          if (parsed.model) answeredModel = parsed.model;
          return;
        }
        const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, reqOpts);
        for await (const raw of stream as AsyncIterable<unknown>) {
          attempt.touch();
          const chunk = parseShape(chatChunk, raw, 'a streamed chunk');
          const choice = chunk.choices?.[0];
          const delta = choice?.delta?.content;
          if (delta) {
            text += delta;
            attempt.committed();
            emit(delta, false);
          }
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          if (chunk.usage) usage = chunk.usage;
          if (chunk.model) answeredModel = chunk.model;
        }
      },
    );
    const u = usage as Usage | null;
    const tokens: TokenUsage = u
      ? { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens ?? 0, estimated: false }
      : { promptTokens: estimatePromptTokens(messages), completionTokens: estimateTokens(text), estimated: true };
    const metered = meter(ctx, {
      ...base,
      promptTokens: tokens.promptTokens,
      completionTokens: tokens.completionTokens,
      tokensEstimated: tokens.estimated,
      status: 'completed',
      latencyMs: Date.now() - startedAt,
      attempts: run.attempts,
      iterations: run.iterations,
      resultData: { finishReason, ...(answeredModel !== model ? { answeredModel } : {}), ...(opts.stream ? { streamed: true } : {}) },
    });
    emit('', true);
    return {
      text,
      usage: tokens,
      costUsd: nanoToUsd(metered.costNanoUsd),
      costNanoUsd: metered.costNanoUsd,
      generationId: metered.generationId,
      model: answeredModel,
      finishReason,
      attempts: run.iterations,
    };
  } catch (raw) {
    if (!(raw instanceof AttemptsFailed)) {
      // Metering itself failed (the database): nothing to meter it in; say so and pass it on.
      emit('', true, raw instanceof Error ? raw.message : String(raw));
      throw raw;
    }
    const failed = raw;
    const err = failed.error;
    // Text already generated is billed by the provider; its tokens are estimated.
    const generated = text.length > 0;
    const metered = meter(ctx, {
      ...base,
      promptTokens: generated ? estimatePromptTokens(messages) : 0,
      completionTokens: generated ? estimateTokens(text) : 0,
      tokensEstimated: generated,
      status: statusOf(err),
      errorMessage: err.message,
      latencyMs: Date.now() - startedAt,
      attempts: failed.attempts,
      iterations: Math.max(1, failed.iterations),
      resultData: { code: err.code, ...(generated ? { partialChars: text.length } : {}), ...(opts.stream ? { streamed: true } : {}) },
    });
    err.generationId = metered.generationId;
    emit('', true, err.message);
    throw err;
  } finally {
    request.done();
    reservation.release();
  }
}

// ---- embeddings ------------------------------------------------------------------------------

export interface EmbedOptions {
  workspaceId: string;
  input: string | string[];
  /** What goes over the wire; both give the same vectors. Default 'float'. */
  encoding?: 'float' | 'base64' | undefined;
  model?: string | undefined;
  feature?: GenerationType | undefined;
  requestId?: string | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
}

export interface EmbedResult {
  vectors: Float32Array[];
  dimensions: number;
  usage: { promptTokens: number; estimated: boolean };
  costUsd: number;
  costNanoUsd: number;
  generationId: string;
  model: string;
  attempts: number;
}

/** base64 of little-endian float32s (OpenAI's encoding) → the vector. */
export function decodeBase64Embedding(b64: string): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0 || bytes.length % 4 !== 0) throw badResponse('the embeddings request', `a base64 embedding of ${bytes.length} bytes is not a list of float32 values`);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

export async function embed(ctx: ApiContext, opts: EmbedOptions): Promise<EmbedResult> {
  const ai = resolveAi(ctx, opts.workspaceId);
  const model = opts.model?.trim() || ai.embeddingModel;
  if (!model) {
    throw new AiError('not_configured', 'No embedding model is set. Choose one in Settings → AI → Embedding model (for example text-embedding-3-small, or nomic-embed-text with Ollama).');
  }
  const inputs = Array.isArray(opts.input) ? opts.input : [opts.input];
  const encoding = opts.encoding ?? 'float';
  const price = priceFor(ctx.db, model);
  const asMessages = inputs.map((content) => ({ role: '', content }));
  const reservation = reserveBudget(ctx.db, { workspaceId: ai.workspaceId, capNanoUsd: ai.monthlyCapNanoUsd, price, promptUpperBound: promptTokenUpperBound(asMessages), maxOutputTokens: 0 });
  const request = registerRequest(ctx, opts.requestId, opts.signal);
  const client = makeClient(ai);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const startedAt = Date.now();
  const base = { workspaceId: ai.workspaceId, type: opts.feature ?? ('embedding' as const), model, price, promptText: inputs[0] ?? null, startedAt, completionTokens: 0 };

  try {
    const run = await runAttempts({ endpoint: ai, model, signal: request.signal, timeoutMs, retry: { ...DEFAULT_RETRY, ...opts.retry } }, async (attempt) => {
      const raw: unknown = await client.embeddings.create({ model, input: inputs, encoding_format: encoding }, { signal: attempt.signal, timeout: timeoutMs + 1000 });
      const parsed = parseShape(embeddingResponse, raw, 'the embeddings request');
      if (parsed.data.length !== inputs.length) throw badResponse('the embeddings request', `${parsed.data.length} vectors for ${inputs.length} inputs`);
      const ordered = [...parsed.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      // A server may ignore encoding_format (some answer floats to a base64 request): accept either.
      const vectors = ordered.map((d) => (typeof d.embedding === 'string' ? decodeBase64Embedding(d.embedding) : Float32Array.from(d.embedding)));
      const dims = vectors[0]!.length;
      if (dims === 0 || vectors.some((v) => v.length !== dims)) throw badResponse('the embeddings request', 'vectors of different lengths');
      return { vectors, dims, usage: parsed.usage ?? null, model: parsed.model };
    });
    const u = run.value.usage;
    const promptTokens = u ? u.prompt_tokens : inputs.reduce((n, s) => n + estimateTokens(s), 0);
    const metered = meter(ctx, {
      ...base,
      promptTokens,
      tokensEstimated: !u,
      status: 'completed',
      latencyMs: Date.now() - startedAt,
      attempts: run.attempts,
      iterations: run.iterations,
      resultData: { inputs: inputs.length, dimensions: run.value.dims, encoding },
    });
    return {
      vectors: run.value.vectors,
      dimensions: run.value.dims,
      usage: { promptTokens, estimated: !u },
      costUsd: nanoToUsd(metered.costNanoUsd),
      costNanoUsd: metered.costNanoUsd,
      generationId: metered.generationId,
      model: run.value.model ?? model,
      attempts: run.iterations,
    };
  } catch (raw) {
    if (!(raw instanceof AttemptsFailed)) throw raw;
    const failed = raw;
    const attempts: AttemptLog[] = failed.attempts;
    const metered = meter(ctx, {
      ...base,
      promptTokens: 0,
      tokensEstimated: false,
      status: statusOf(failed.error),
      errorMessage: failed.error.message,
      latencyMs: Date.now() - startedAt,
      attempts,
      iterations: Math.max(1, failed.iterations),
      resultData: { code: failed.error.code, inputs: inputs.length, encoding },
    });
    failed.error.generationId = metered.generationId;
    throw failed.error;
  } finally {
    request.done();
    reservation.release();
  }
}
