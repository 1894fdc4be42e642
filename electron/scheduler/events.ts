// Events the scheduler sends to the UI (Queue page, toasts). Spread into electron/api/events.ts
// so they are part of the typed contract.
import { z } from 'zod';

const jobRef = {
  jobId: z.string(),
  type: z.string(),
  workspaceId: z.string().nullable(),
};

export const jobEvents = {
  /** New jobs (a batch: one enqueue or a bulk import); `total` may exceed the listed jobs. */
  'jobs.queued': z.object({
    jobs: z.array(z.object({ ...jobRef, runAt: z.number() })),
    total: z.number().int(),
  }),
  'jobs.started': z.object({
    ...jobRef,
    attempt: z.number().int(),
    maxAttempts: z.number().int(),
    /** How late it started against its due time (ms). */
    lateByMs: z.number(),
    /** This start only checks whether an interrupted attempt's effect happened. */
    reconciling: z.boolean(),
  }),
  'jobs.progress': z.object({
    ...jobRef,
    fraction: z.number().min(0).max(1).nullable(),
    message: z.string().nullable(),
  }),
  'jobs.succeeded': z.object({
    ...jobRef,
    attempt: z.number().int(),
    durationMs: z.number(),
    /** The effect was found to have happened already (after a crash), so nothing was repeated. */
    reconciled: z.boolean(),
  }),
  'jobs.failed': z.object({
    ...jobRef,
    attempt: z.number().int(),
    maxAttempts: z.number().int(),
    error: z.string(),
    willRetry: z.boolean(),
    nextRunAt: z.number().nullable(),
  }),
  'jobs.cancelled': z.object({ ...jobRef, reason: z.string() }),
  /** A job came due while Postdesk was not running; what its missed-run policy did with it. */
  'jobs.missed': z.object({
    ...jobRef,
    dueAt: z.number(),
    action: z.enum(['run_now', 'skip', 'ask']),
    /** When it will run (run_now, possibly spaced out), or null. */
    runAt: z.number().nullable(),
  }),
} as const;

export type JobEvents = typeof jobEvents;
export type JobEventName = keyof JobEvents;
export type JobEventPayload<E extends JobEventName> = z.infer<JobEvents[E]>;
export type JobEventSink = <E extends JobEventName>(event: E, payload: JobEventPayload<E>) => void;
