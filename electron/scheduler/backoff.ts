// Retry delays: exponential with full jitter, so many jobs failing together (a network outage)
// don't retry in lockstep. `random` is injectable for tests.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 60 * 60_000, factor: 2 };

/** Delay before retry number `attempt` (1 = first retry). */
export function retryDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * policy.factor ** Math.max(0, attempt - 1));
  // Half fixed, half random: keeps retries spread out but never immediate.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
