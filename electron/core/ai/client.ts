// The wire: the `openai` SDK pointed at the configured base URL, one HTTP attempt at a time. Retries,
// timeouts and cancellation are ours (the SDK's own retries are off), so every attempt is counted,
// retry-after is honoured with a cap, a stream is never retried once text has reached the user, and
// a hung stream is caught between chunks, not only before the first byte. Responses are checked
// with zod: a malformed body is a clear error, never a crash.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { z } from 'zod';
import { retryDelay } from '../../scheduler/backoff';
import { AiError } from './errors';
import type { AttemptLog } from './metering';
import type { EndpointKind } from './settings';

export interface Endpoint {
  baseUrl: string;
  kind: EndpointKind;
  apiKey: string | null;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  /** A retry-after longer than this is not waited out: the call fails and says when to try again. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseMs: 500, maxMs: 8_000, maxWaitMs: 30_000 };
export const DEFAULT_TIMEOUT_MS = 60_000;

/** A key is never sent to a server unless the user gave one; the SDK insists on some value. */
const NO_KEY = 'no-key';

export function makeClient(ep: Endpoint): OpenAI {
  return new OpenAI({
    baseURL: ep.baseUrl,
    apiKey: ep.apiKey ?? NO_KEY,
    // Explicit nulls: the SDK would otherwise read OPENAI_* from the environment and could send a
    // developer's own key or organisation to whatever endpoint the user configured.
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    logLevel: 'off',
    ...(ep.apiKey ? {} : { defaultHeaders: { authorization: null } }),
  });
}

// ---- response shapes -------------------------------------------------------------------------

const usageShape = z
  .object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative().optional() })
  .passthrough();

export const chatResponse = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }).passthrough(),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: usageShape.nullable().optional(),
});

export const chatChunk = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullable().optional() }).passthrough().optional(),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .optional(),
  usage: usageShape.nullable().optional(),
});

export const embeddingResponse = z.object({
  model: z.string().optional(),
  data: z.array(z.object({ index: z.number().int().nonnegative().optional(), embedding: z.union([z.array(z.number()), z.string()]) })).min(1),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative() }).passthrough().nullable().optional(),
});

export const modelsResponse = z.object({ data: z.array(z.object({ id: z.string() }).passthrough()) });

export type Usage = z.infer<typeof usageShape>;

export function badResponse(what: string, detail?: string): AiError {
  return new AiError(
    'bad_response',
    `The AI endpoint answered ${what} with something that is not an OpenAI-compatible response${detail ? ` (${detail})` : ''}. ` +
      'Check that the base URL is the API address (it usually ends in /v1), not a web page or a proxy login.',
  );
}

export function parseShape<S extends z.ZodType>(shape: S, value: unknown, what: string): z.output<S> {
  const r = shape.safeParse(value);
  if (r.success) return r.data;
  if (typeof value === 'string') return fail(badResponse(what, `text: "${value.slice(0, 60).replace(/\s+/g, ' ')}${value.length > 60 ? '…' : ''}"`));
  const issue = r.error.issues[0];
  return fail(badResponse(what, issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : undefined));
}

function fail(err: AiError): never {
  throw err;
}

// ---- errors ----------------------------------------------------------------------------------

function providerMessage(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  const raw = typeof body?.message === 'string' ? body.message : err.message;
  return raw.replace(/\s+/g, ' ').slice(0, 300);
}

const MODEL_MISSING = /model.*(not found|does not exist|not exist|not a valid|unknown|no such|is not available|not available)|(unknown|invalid|no such|not a valid) model|try pulling it/i;

function unreachableHint(ep: Endpoint): string {
  switch (ep.kind) {
    case 'ollama':
      return ' Is Ollama running? Start it (`ollama serve`) and try again.';
    case 'lmstudio':
      return " Is LM Studio's local server started (Developer → Start Server)?";
    default:
      return ' Check the base URL and your internet connection.';
  }
}

/** Any failure of one attempt, as an AiError with words a user can act on. */
export function classify(err: unknown, ep: Endpoint, model: string): AiError {
  if (err instanceof AiError) return err;
  if (err instanceof APIUserAbortError) return new AiError('cancelled', 'The AI call was cancelled.', { cause: err });
  if (err instanceof APIConnectionTimeoutError) return timeoutError(ep, null);
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? ((err.cause as { code?: string }).code ?? err.cause.message) : '';
    return new AiError('unreachable', `Nothing answered at ${ep.baseUrl}${cause ? ` (${cause})` : ''}.${unreachableHint(ep)}`, { cause: err });
  }
  if (err instanceof APIError && err.status !== undefined) {
    const status = err.status;
    const msg = providerMessage(err);
    if (status === 401 || status === 403) {
      return new AiError(
        'unauthorized',
        ep.apiKey
          ? `The AI endpoint refused the API key (HTTP ${status}: ${msg}). Check the key in Settings → AI; it may be mistyped, revoked or out of credit.`
          : `The AI endpoint needs an API key (HTTP ${status}: ${msg}). Add one in Settings → AI.`,
        { cause: err, status },
      );
    }
    if ((status === 404 || status === 400 || status === 422) && (err.code === 'model_not_found' || MODEL_MISSING.test(msg))) {
      const pull = ep.kind === 'ollama' ? ` Download it with \`ollama pull ${model}\`, or pick another model in Settings → AI.` : ' Pick another model in Settings → AI.';
      return new AiError('model_not_found', `The AI endpoint has no model called "${model}" (${msg}).${pull}`, { cause: err, status });
    }
    if (status === 404) {
      return new AiError('bad_request', `The AI endpoint has no such address (HTTP 404: ${msg}). Check the base URL; OpenAI-compatible servers usually end in /v1.`, { cause: err, status });
    }
    if (status === 429) return new AiError('rate_limited', `The AI endpoint is rate-limiting requests (HTTP 429: ${msg}). Wait a minute and try again.`, { cause: err, status });
    if (status >= 500) return new AiError('server_error', `The AI endpoint had a server error (HTTP ${status}: ${msg}). Try again in a moment.`, { cause: err, status });
    return new AiError('bad_request', `The AI endpoint refused the request (HTTP ${status}: ${msg}).`, { cause: err, status });
  }
  if (err instanceof APIError) {
    // An error event inside a stream (no HTTP status).
    return new AiError('server_error', `The AI endpoint reported an error while answering: ${providerMessage(err)}.`, { cause: err });
  }
  if (err instanceof SyntaxError) return badResponse('', err.message.replace(/\s+/g, ' ').slice(0, 120));
  const message = err instanceof Error ? err.message : String(err);
  return new AiError('unreachable', `The connection to ${ep.baseUrl} failed (${message.slice(0, 200)}).${unreachableHint(ep)}`, { cause: err });
}

export function timeoutError(ep: Endpoint, timeoutMs: number | null): AiError {
  const after = timeoutMs === null ? '' : ` within ${Math.round(timeoutMs / 100) / 10} s`;
  const local = ep.kind === 'ollama' || ep.kind === 'lmstudio' ? ' A local model may still be loading; try again, or pick a smaller model.' : ' Try again, or pick a faster model.';
  return new AiError('timeout', `The AI endpoint did not answer${after}.${local}`);
}

function isRetryable(e: AiError): boolean {
  return e.code === 'rate_limited' || e.code === 'server_error';
}

/** retry-after-ms (OpenAI, milliseconds), else retry-after (seconds or an HTTP date). */
export function retryAfterMs(err: AiError, now = Date.now()): number | null {
  const cause = err.cause;
  if (!(cause instanceof APIError) || !cause.headers) return null;
  const ms = cause.headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = cause.headers.get('retry-after');
  if (ra === null || ra.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

// ---- attempts --------------------------------------------------------------------------------

export interface Attempt {
  /** Aborts with the caller's signal, on timeout, and on cancel. */
  signal: AbortSignal;
  /** Streams call this on every chunk: the timeout counts from the last sign of life. */
  touch(): void;
  /** Streams call this once text has reached the user: no retry after that. */
  committed(): void;
}

export interface RunOptions {
  endpoint: Endpoint;
  model: string;
  signal?: AbortSignal | undefined;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Called before each retry's wait (tests and progress). */
  onRetry?: ((log: AttemptLog) => void) | undefined;
}

export interface RunResult<T> {
  value: T;
  attempts: AttemptLog[];
  iterations: number;
}

export class AttemptsFailed extends Error {
  constructor(
    readonly error: AiError,
    readonly attempts: AttemptLog[],
    readonly iterations: number,
  ) {
    super(error.message);
  }
}

const TIMEOUT = Symbol('timeout');

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AiError('cancelled', 'The AI call was cancelled.'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AiError('cancelled', 'The AI call was cancelled.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Run `op` with a per-attempt timeout and retries on 429/5xx. Throws AttemptsFailed. */
export async function runAttempts<T>(opts: RunOptions, op: (attempt: Attempt) => Promise<T>): Promise<RunResult<T>> {
  const attempts: AttemptLog[] = [];
  for (let n = 1; ; n++) {
    const ctl = new AbortController();
    const onCallerAbort = () => ctl.abort(opts.signal?.reason);
    if (opts.signal?.aborted) throw new AttemptsFailed(new AiError('cancelled', 'The AI call was cancelled.'), attempts, n - 1);
    opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => ctl.abort(TIMEOUT), opts.timeoutMs);
    };
    let committed = false;
    arm();
    try {
      const value = await op({ signal: ctl.signal, touch: arm, committed: () => void (committed = true) });
      // The SDK ends a stream quietly when its signal aborts: that is a cancel or a timeout, not an answer.
      if (ctl.signal.aborted) throw abortCause(ctl, opts);
      return { value, attempts, iterations: n };
    } catch (raw) {
      const err = ctl.signal.aborted ? abortCause(ctl, opts) : committed && !(raw instanceof AiError) ? interrupted(raw, opts.endpoint) : classify(raw, opts.endpoint, opts.model);
      const log: AttemptLog = { attempt: n, code: err.code, status: err.status, message: err.message };
      attempts.push(log);
      if (committed || !isRetryable(err) || n >= opts.retry.maxAttempts) throw new AttemptsFailed(err, attempts, n);
      const asked = retryAfterMs(err);
      if (asked !== null && asked > opts.retry.maxWaitMs) {
        const wait = new AiError(err.code, `${err.message} The endpoint asks to wait ${Math.ceil(asked / 1000)} s before the next request.`, { status: err.status ?? 429, cause: err.cause });
        throw new AttemptsFailed(wait, attempts, n);
      }
      log.waitMs = asked ?? retryDelay(n, { baseMs: opts.retry.baseMs, maxMs: opts.retry.maxMs, factor: 2 });
      opts.onRetry?.(log);
      try {
        await sleep(log.waitMs, opts.signal);
      } catch (cancel) {
        throw new AttemptsFailed(cancel as AiError, attempts, n);
      }
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}

function abortCause(ctl: AbortController, opts: RunOptions): AiError {
  return ctl.signal.reason === TIMEOUT ? timeoutError(opts.endpoint, opts.timeoutMs) : new AiError('cancelled', 'The AI call was cancelled.');
}

function interrupted(raw: unknown, ep: Endpoint): AiError {
  const base = classify(raw, ep, '');
  if (base.code === 'bad_response' || base.code === 'server_error') return base;
  return new AiError('interrupted', `The connection to the AI endpoint dropped in the middle of the answer; the text so far was kept. Try again.`, { cause: raw });
}
