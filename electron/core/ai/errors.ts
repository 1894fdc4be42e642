// One error type for the AI service, with codes the API layer maps to the wire and messages a user
// can act on. Messages never carry the API key or the prompt.

export const AI_ERROR_CODES = [
  /** No endpoint (base URL) is set for the workspace or the app. */
  'not_configured',
  /** The call would take the workspace past its monthly budget or credit allowance. */
  'budget_exceeded',
  /** Nothing answered at the base URL (refused, DNS, TLS). */
  'unreachable',
  /** The endpoint refused the API key (401/403). */
  'unauthorized',
  /** The endpoint does not know the model. */
  'model_not_found',
  /** 429 after every retry. */
  'rate_limited',
  /** 5xx after every retry. */
  'server_error',
  /** No answer (or no next chunk of a stream) within the call's timeout. */
  'timeout',
  /** An answer that is not an OpenAI-compatible response (bad JSON, wrong shape, a web page). */
  'bad_response',
  /** The connection dropped in the middle of a streamed answer. */
  'interrupted',
  /** The endpoint refused the request itself (400/422). */
  'bad_request',
  /** The user (or the feature) cancelled the call. */
  'cancelled',
] as const;

export type AiErrorCode = (typeof AI_ERROR_CODES)[number];

export class AiError extends Error {
  readonly code: AiErrorCode;
  /** HTTP status the endpoint answered with, when there was one. */
  readonly status: number | undefined;
  /** The ai_generations row the failed call was metered in (set once metered). */
  generationId: string | undefined;

  constructor(code: AiErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AiError';
    this.code = code;
    this.status = options?.status;
  }
}

export const NOT_CONFIGURED_MESSAGE =
  'No AI endpoint is set up yet. Open Settings → AI → Endpoint and enter a base URL: ' +
  'https://api.openai.com/v1 or https://openrouter.ai/api/v1 with an API key, or, to work fully offline, ' +
  'a local Ollama at http://127.0.0.1:11434/v1 (or LM Studio at http://127.0.0.1:1234/v1) with no key. ' +
  'Everything else in Postdesk works without it.';

/** No base URL anywhere: the message says exactly where to set one and what to enter. */
export class AiNotConfiguredError extends AiError {
  constructor() {
    super('not_configured', NOT_CONFIGURED_MESSAGE);
    this.name = 'AiNotConfiguredError';
  }
}

export interface BudgetDetail {
  /** What blocked: the USD cap or the credit allowance. */
  limit: 'usd' | 'credits';
  capNanoUsd?: number;
  spentNanoUsd?: number;
  /** The most this call could cost (prompt upper bound + max_tokens at the model's price). */
  estimateNanoUsd?: number;
  creditsBalance?: number;
  creditsNeeded?: number;
}

/** Raised before the call is made: nothing was sent and nothing was charged. */
export class BudgetExceededError extends AiError {
  readonly detail: BudgetDetail;

  constructor(message: string, detail: BudgetDetail) {
    super('budget_exceeded', message);
    this.name = 'BudgetExceededError';
    this.detail = detail;
  }
}

export function isAiError(err: unknown, code?: AiErrorCode): err is AiError {
  return err instanceof AiError && (code === undefined || err.code === code);
}
