// The Queue page's view of the scheduler: jobs with their state, next run, attempts and last
// error; counts for the sidebar badge; retry and cancel through the running scheduler when there
// is one (so it wakes and tells the UI), or straight on the database when there is not.
import { and, asc, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { jobAttempts, jobs, type JOB_STATUSES } from '../../../db/schema';
import { ApiError } from '../../api/errors';
import { DEFAULT_MAX_ATTEMPTS } from '../../scheduler/definitions';
import { cancelJob, retryJob, SchedulerError, type ManualResult } from '../../scheduler/manual';
import { schedulerFor } from '../../scheduler/scheduler';

export type JobStatus = (typeof JOB_STATUSES)[number];

/** What the user sees: status plus why a pending job is waiting. */
export const JOB_STATES = [
  'scheduled',
  'due',
  'retrying',
  'awaiting_decision',
  /** Parked because its account must be reconnected (hold = 'account'). */
  'paused',
  'running',
  'cancelling',
  'completed',
  'failed',
  'cancelled',
] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobView {
  id: string;
  type: string;
  workspaceId: string | null;
  status: JobStatus;
  state: JobState;
  /** When it will (next) run; null once finished. */
  nextRunAt: number | null;
  dueAt: number;
  attempts: number;
  maxAttempts: number;
  interruptions: number;
  lastError: string | null;
  progress: { fraction: number | null; message: string | null } | null;
  result: unknown;
  startedAt: number | null;
  completedAt: number | null;
  createdAt: number;
  updatedAt: number;
  uniqueKey: string | null;
  seriesKey: string | null;
  recurring: boolean;
  cronJobId: string | null;
}

export interface AttemptView {
  attempt: number;
  status: 'running' | 'succeeded' | 'failed' | 'interrupted' | 'cancelled';
  reconciled: 'done' | 'not_done' | null;
  idempotencyKey: string;
  runner: string;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
}

type JobRow = typeof jobs.$inferSelect;

function stateOf(r: JobRow, now: number): JobState {
  if (r.status === 'pending') {
    if (r.hold === 'account') return 'paused';
    if (r.hold !== null) return 'awaiting_decision';
    if (r.attempts > r.interruptions) return 'retrying';
    return r.runAt <= now ? 'due' : 'scheduled';
  }
  if (r.status === 'running') return r.cancelRequestedAt !== null ? 'cancelling' : 'running';
  return r.status;
}

export function toJobView(r: JobRow, now: number = Date.now()): JobView {
  return {
    id: r.id,
    type: r.type,
    workspaceId: r.workspaceId,
    status: r.status,
    state: stateOf(r, now),
    nextRunAt: r.status === 'pending' && r.hold === null ? r.runAt : null,
    dueAt: r.dueAt ?? r.runAt,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    interruptions: r.interruptions,
    lastError: r.lastError,
    progress: r.progress,
    result: r.result ?? null,
    startedAt: r.startedAt,
    completedAt: r.completedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    uniqueKey: r.uniqueKey,
    seriesKey: r.seriesKey,
    recurring: r.recurrence !== null,
    cronJobId: r.cronJobId,
  };
}

export interface JobFilter {
  status?: JobStatus | 'awaiting_decision' | undefined;
  type?: string | undefined;
  workspaceId?: string | undefined;
}

function where(f: JobFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [];
  if (f.status === 'awaiting_decision') conds.push(eq(jobs.status, 'pending'), isNotNull(jobs.hold));
  else if (f.status) conds.push(eq(jobs.status, f.status));
  if (f.type) conds.push(eq(jobs.type, f.type));
  if (f.workspaceId) conds.push(eq(jobs.workspaceId, f.workspaceId));
  return and(...conds);
}

export interface ListInput extends JobFilter {
  limit: number;
  offset: number;
  /** next: soonest first (what will happen); recent: latest change first (what happened). */
  order: 'next' | 'recent';
}

export function listJobs(db: Database, input: ListInput, now: number = Date.now()) {
  const w = where(input);
  const order = input.order === 'next' ? [asc(jobs.runAt), asc(jobs.id)] : [desc(jobs.updatedAt), desc(jobs.id)];
  const rows = db.orm
    .select()
    .from(jobs)
    .where(w)
    .orderBy(...order)
    .limit(input.limit)
    .offset(input.offset)
    .all();
  const total = db.orm.select({ n: sql<number>`count(*)` }).from(jobs).where(w).get()?.n ?? 0;
  const next = input.offset + rows.length;
  return { items: rows.map((r) => toJobView(r, now)), total, nextOffset: next < total ? next : null };
}

export function getJob(db: Database, id: string, now: number = Date.now()): JobView & { history: AttemptView[] } {
  const row = db.orm.select().from(jobs).where(eq(jobs.id, id)).get();
  if (!row) throw new ApiError('not_found', 'That job does not exist (it may have been cleaned up).');
  const history = db.orm
    .select({
      attempt: jobAttempts.attempt,
      status: jobAttempts.status,
      reconciled: jobAttempts.reconciled,
      idempotencyKey: jobAttempts.idempotencyKey,
      runner: jobAttempts.runner,
      startedAt: jobAttempts.startedAt,
      finishedAt: jobAttempts.finishedAt,
      error: jobAttempts.error,
    })
    .from(jobAttempts)
    .where(eq(jobAttempts.jobId, id))
    .orderBy(asc(jobAttempts.attempt))
    .all();
  return { ...toJobView(row, now), history };
}

export interface JobStats {
  counts: Record<JobStatus, number> & { awaitingDecision: number; retrying: number; overdue: number };
  byType: { type: string; pending: number; running: number; failed: number; completed: number; cancelled: number }[];
  /** The earliest pending run (null: nothing queued). */
  nextRunAt: number | null;
}

export function jobStats(db: Database, f: Omit<JobFilter, 'status'>, now: number = Date.now()): JobStats {
  const w = where(f);
  const rows = db.orm
    .select({
      type: jobs.type,
      status: jobs.status,
      n: sql<number>`count(*)`,
      held: sql<number>`sum(${jobs.hold} IS NOT NULL)`,
      retrying: sql<number>`sum(${jobs.status} = 'pending' AND ${jobs.hold} IS NULL AND ${jobs.attempts} > ${jobs.interruptions})`,
      overdue: sql<number>`sum(${jobs.status} = 'pending' AND ${jobs.hold} IS NULL AND ${jobs.runAt} <= ${now})`,
    })
    .from(jobs)
    .where(w)
    .groupBy(jobs.type, jobs.status)
    .all();
  const counts: JobStats['counts'] = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, awaitingDecision: 0, retrying: 0, overdue: 0 };
  const byType = new Map<string, JobStats['byType'][number]>();
  for (const r of rows) {
    counts[r.status] += r.n;
    counts.awaitingDecision += r.held ?? 0;
    counts.retrying += r.retrying ?? 0;
    counts.overdue += r.overdue ?? 0;
    const t = byType.get(r.type) ?? { type: r.type, pending: 0, running: 0, failed: 0, completed: 0, cancelled: 0 };
    t[r.status] += r.n;
    byType.set(r.type, t);
  }
  const next = db.orm
    .select({ at: jobs.runAt })
    .from(jobs)
    .where(and(eq(jobs.status, 'pending'), isNull(jobs.hold), w))
    .orderBy(asc(jobs.runAt))
    .limit(1)
    .get();
  return { counts, byType: [...byType.values()].sort((a, b) => a.type.localeCompare(b.type)), nextRunAt: next?.at ?? null };
}

function asApiError(err: unknown): never {
  if (err instanceof SchedulerError) throw new ApiError(err.code, err.message);
  throw err;
}

export function retry(db: Database, id: string): ManualResult {
  try {
    const s = schedulerFor(db);
    if (s) return s.retry(id);
    return retryJob(db, id, Date.now(), () => DEFAULT_MAX_ATTEMPTS);
  } catch (err) {
    return asApiError(err);
  }
}

export function cancel(db: Database, id: string, series: boolean): ManualResult {
  try {
    const s = schedulerFor(db);
    if (s) return s.cancel(id, { series });
    return cancelJob(db, id, Date.now(), { series, maxAttemptsOf: () => DEFAULT_MAX_ATTEMPTS, graceMs: 5 * 60_000 });
  } catch (err) {
    return asApiError(err);
  }
}
