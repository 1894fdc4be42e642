// What a job type is: its payload schema, how often it may be tried, how it backs off, what to do
// when it was missed while the app was closed, and the handler that runs it. `reconcile` answers,
// after a crash or an ambiguous failure, whether the previous attempt's effect already happened,
// so that a retry never repeats a post that went out.
import type { z } from 'zod';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import type { Recurrence } from './recurrence';

/** What the runner does with a job that came due while Postdesk was not running (or asleep). */
export const MISSED_RUN_POLICIES = ['run_now', 'skip', 'ask'] as const;
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

/** What a handler sees of its job row. */
export interface JobInfo {
  id: string;
  type: string;
  workspaceId: string | null;
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** When it was meant to run (a recurring job's occurrence); retries keep it. */
  dueAt: number;
  /** When this attempt was allowed to start (later than dueAt after a retry or catch-up). */
  runAt: number;
  uniqueKey: string | null;
  seriesKey: string | null;
}

export interface JobProgress {
  /** 0..1, or null when the amount of work is unknown. */
  fraction: number | null;
  message: string | null;
}

export interface JobContext<P, C = unknown> {
  readonly job: JobInfo;
  readonly payload: P;
  /**
   * Stable for the job across attempts and recorded (with the attempt) before the handler runs:
   * send it to any API that accepts one, and store it with the effect so `reconcile` can find it.
   */
  readonly idempotencyKey: string;
  readonly attempt: number;
  /** Aborted on cancel, on timeout and when the runner stops. */
  readonly signal: AbortSignal;
  /** Whatever the host gave the scheduler (services, connectors). */
  readonly app: C;
  /** Report progress to the UI (throttled; the last report is kept on the job). */
  progress(fraction: number | null, message?: string): void;
  /** Ask for a longer lease than the runner's automatic renewal gives (ms from now). */
  extendLease(ms: number): void;
  now(): number;
}

export type ReconcileOutcome<R> = { done: true; result?: R } | { done: false };

export interface JobDefinition<P, R = unknown, C = unknown> {
  /** 'post.publish', 'inbox.poll', ... */
  type: string;
  payload: z.ZodType<P>;
  /** Attempts that may fail before the job stops as failed (posts: 3). Default 5. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Default for jobs of this type; a job may carry its own. Default 'run_now'. */
  missedRunPolicy?: MissedRunPolicy;
  /**
   * When many jobs of this type are overdue at startup, run them this far apart instead of all at
   * once (publishes: a few seconds, so a platform doesn't see a burst). Default 0 (no spacing).
   */
  catchUpSpacingMs?: number;
  /** Default priority of new jobs of this type (higher runs first among due jobs). */
  priority?: number;
  /** Abort and count as a failure after this long. Default: none. */
  timeoutMs?: number;
  // Methods (not function properties) so a definition of a specific payload type is assignable to
  // the registry's definition of unknown payloads.
  handler(ctx: JobContext<P, C>): R | Promise<R>;
  /**
   * Did the interrupted or ambiguous attempt's effect happen? Asked before any retry when the
   * previous attempt's outcome is unknown (crash, timeout, a network error mid-request).
   */
  reconcile?(ctx: JobContext<P, C>): ReconcileOutcome<R> | Promise<ReconcileOutcome<R>>;
}

export type AnyJobDefinition<C = unknown> = JobDefinition<unknown, unknown, C>;

export function defineJob<P, R = unknown, C = unknown>(def: JobDefinition<P, R, C>): JobDefinition<P, R, C> {
  if (!/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/.test(def.type)) {
    throw new Error(`Job type "${def.type}" should look like "area.verb" (lowercase, dot-separated).`);
  }
  if (def.maxAttempts !== undefined && (!Number.isInteger(def.maxAttempts) || def.maxAttempts < 1)) {
    throw new Error(`Job type "${def.type}": maxAttempts must be a whole number of at least 1.`);
  }
  return def;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

export function effectiveBackoff(def: AnyJobDefinition<unknown> | undefined): BackoffPolicy {
  return def?.backoff ?? DEFAULT_BACKOFF;
}

/**
 * Thrown by a handler to say more than "it failed": whether trying again can help, whether the
 * effect certainly did not happen (so no reconcile is needed), and how long to wait.
 */
export class JobError extends Error {
  override name = 'JobError';
  readonly retryable: boolean;
  readonly effect: 'none' | 'unknown';
  readonly retryAfterMs: number | undefined;
  /**
   * Park the job instead of retrying: 'account' means the account it acts as needs the user to
   * reconnect. The attempt does not count against maxAttempts; reconnecting releases the job.
   */
  readonly hold: 'account' | undefined;

  constructor(
    message: string,
    opts: { retryable?: boolean; effect?: 'none' | 'unknown'; retryAfterMs?: number; hold?: 'account'; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.retryable = opts.retryable ?? true;
    this.effect = opts.effect ?? 'unknown';
    this.retryAfterMs = opts.retryAfterMs;
    this.hold = opts.hold;
  }
}

/** Options of one enqueue. */
export interface EnqueueOptions {
  /** Not before this time (default: now). */
  runAt?: number;
  priority?: number;
  /** At most one job ever exists per key; a second enqueue with the key returns the first job. */
  uniqueKey?: string;
  /** Default: derived from the job id, stable across attempts. */
  idempotencyKey?: string;
  workspaceId?: string | null;
  maxAttempts?: number;
  missedRunPolicy?: MissedRunPolicy;
  /** Repeat on an RRULE: the next occurrence is queued when this one finishes. */
  recurrence?: Recurrence;
  /** Names the series of a recurring job (unique keys become `<seriesKey>@<occurrence ms>`). */
  seriesKey?: string;
  cronJobId?: string;
  /** The account the job acts as: its pending jobs are paused together when the sign-in stops working. */
  accountId?: string | null;
}

export interface EnqueueResult {
  id: string;
  /** false when a job with the same unique key already existed. */
  created: boolean;
  runAt: number;
}
