// The scheduler as the app uses it: one object per database that registers job types, enqueues
// (inside the caller's transaction), runs the runner, and carries out the Queue page's actions.
import { holdAccountJobs, releaseAccountJobs } from './account-holds';
import type { Database } from '../../db/client';
import { upsertCronJob, removeCronJob, type CronSpec } from './cron';
import { DEFAULT_MAX_ATTEMPTS, type AnyJobDefinition, type EnqueueOptions, type EnqueueResult, type JobDefinition } from './definitions';
import { EnqueueError, enqueueJob, enqueueMany, type JobWriter } from './enqueue';
import { cancelJob, retryJob, SchedulerError, type ManualResult } from './manual';
import { Runner, type RunnerOptions } from './runner';

export type SchedulerOptions<C> = RunnerOptions<C>;

const byDatabase = new WeakMap<Database, Scheduler<unknown>>();

/** The scheduler serving this database in this process, if one was created. */
export function schedulerFor(db: Database): Scheduler<unknown> | undefined {
  return byDatabase.get(db);
}

export class Scheduler<C = unknown> {
  readonly runner: Runner<C>;
  readonly db: Database;
  private readonly opts: SchedulerOptions<C>;

  constructor(opts: SchedulerOptions<C>) {
    this.opts = opts;
    this.db = opts.db;
    this.runner = new Runner(opts);
    byDatabase.set(opts.db, this as Scheduler<unknown>);
  }

  private now(): number {
    return (this.opts.clock ?? { now: () => Date.now() }).now();
  }

  private maxAttemptsOf = (type: string): number => this.runner.definitions.get(type)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  /**
   * Add a job. Inside `db.orm.transaction(tx => ...)` pass `tx` (or the Database: it is the same
   * connection, so the insert is part of the open transaction either way).
   */
  enqueue<P>(def: JobDefinition<P, unknown, C>, payload: P, opts: EnqueueOptions = {}, into: JobWriter = this.db): EnqueueResult {
    if (!this.runner.definitions.has(def.type)) {
      throw new EnqueueError(`Job type "${def.type}" is not registered with the scheduler.`);
    }
    return enqueueJob(into, def, payload, opts, this.now());
  }

  /** Add a job by type name (payload validated by the registered definition). */
  enqueueType(type: string, payload: unknown, opts: EnqueueOptions = {}, into: JobWriter = this.db): EnqueueResult {
    const def = this.runner.definitions.get(type);
    if (!def) throw new EnqueueError(`There is no job type called "${type}".`);
    return enqueueJob(into, def, payload, opts, this.now());
  }

  enqueueMany<P>(def: JobDefinition<P, unknown, C>, items: readonly { payload: P; opts?: EnqueueOptions }[]): EnqueueResult[] {
    return enqueueMany(this.db, def, items, this.now());
  }

  start(): Promise<void> {
    return this.runner.start();
  }

  /** Electron powerMonitor 'resume' (and 'unlock-screen') call this. */
  resume(): Promise<void> {
    return this.runner.resume();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  idle(): Promise<void> {
    return this.runner.idle();
  }

  retry(id: string): ManualResult {
    const r = retryJob(this.db, id, this.now(), this.maxAttemptsOf);
    this.opts.onEvent?.('jobs.queued', { jobs: [{ jobId: r.id, type: r.type, workspaceId: r.workspaceId, runAt: r.runAt }], total: 1 });
    this.runner.wake();
    return r;
  }

  cancel(id: string, opts: { series?: boolean } = {}): ManualResult {
    const r = cancelJob(this.db, id, this.now(), { ...opts, maxAttemptsOf: this.maxAttemptsOf, graceMs: this.runner.graceMs });
    if (r.cancelling) this.runner.requestCancel(id);
    else this.opts.onEvent?.('jobs.cancelled', { jobId: r.id, type: r.type, workspaceId: r.workspaceId, reason: 'Cancelled by you.' });
    if (r.queued && r.queued.length > 0) {
      this.opts.onEvent?.('jobs.queued', {
        jobs: r.queued.map((q) => ({ jobId: q.id, type: q.type, workspaceId: q.workspaceId, runAt: q.runAt })),
        total: r.queued.length,
      });
    }
    this.runner.wake();
    return r;
  }

  /** Park the account's pending jobs until `releaseAccount` (its sign-in stopped working). */
  holdAccount(accountId: string): number {
    return holdAccountJobs(this.db, accountId, this.now());
  }

  /** The account works again: its parked jobs become claimable, and the runner looks at once. */
  releaseAccount(accountId: string): number {
    const n = releaseAccountJobs(this.db, accountId, this.now());
    if (n > 0) this.runner.wake();
    return n;
  }

  /** Create or update a cron job (by name); its firings become ordinary jobs. */
  upsertCron(spec: CronSpec): { id: string; nextRunAt: number | null } {
    if (!this.runner.definitions.has(spec.jobType)) throw new EnqueueError(`There is no job type called "${spec.jobType}".`);
    const r = upsertCronJob(this.db, spec, this.now());
    this.runner.wake();
    return r;
  }

  removeCron(id: string): boolean {
    return removeCronJob(this.db, id);
  }
}

export function createScheduler<C>(opts: SchedulerOptions<C>): Scheduler<C> {
  return new Scheduler(opts);
}

export { SchedulerError };
export type { AnyJobDefinition };
