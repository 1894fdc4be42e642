// The runner: sleeps on one timer until the next due job (or lease to recover, or cron firing),
// wakes on enqueue, resume and start, and runs up to N jobs at a time. Each turn of the loop is
// one short write transaction that records finished jobs and claims due ones, followed by a
// yield (setImmediate), so a drain of thousands of jobs never holds the event loop for long.
import type BetterSqlite3 from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { Database } from '../../db/client';
import { onQueued, type Announcement } from './announce';
import { retryDelay } from './backoff';
import { CatchUp } from './catchup';
import { startBackgroundCheckpoints, type CheckpointerOptions } from './checkpointer';
import { systemClock, type Clock } from './clock';
import { CronFirer } from './cron';
import {
  DEFAULT_MAX_ATTEMPTS,
  JobError,
  effectiveBackoff,
  type AnyJobDefinition,
  type JobContext,
  type JobProgress,
  type MissedRunPolicy,
  type ReconcileOutcome,
} from './definitions';
import type { JobEventSink } from './events';
import { errorMessage, idempotencyKeyOf, jobInfoOf, type RunnerRow } from './job-row';
import { isOwnerDead, markLive, markStopped, newOwnerId, ownerState } from './owner';
import { JobStore, type Outcome, type QueuedInfo } from './store';

export interface RunnerOptions<C> {
  db: Database;
  definitions: readonly AnyJobDefinition<C>[];
  /** Passed to handlers as ctx.app. */
  app: C;
  clock?: Clock;
  /** Jobs run at the same time (default 4). */
  concurrency?: number;
  /** How long a claim holds a job before another runner may recover it (default 30 s). */
  leaseMs?: number;
  /** Overdue by more than this at startup/resume counts as missed (default 5 min). */
  graceMs?: number;
  /**
   * Longest sleep: another process sharing the file may queue work this runner cannot hear
   * about, so it looks once in a while (default 15 s). Not a poll of the due queue: the timer
   * still fires exactly at the next known due time.
   */
  maxSleepMs?: number;
  /** Most jobs claimed or settled per transaction (default 64); fewer when turns run long. */
  maxBatch?: number;
  /** Aim for turns (one transaction) no longer than this, so the event loop stays free (default 2 ms). */
  turnBudgetMs?: number;
  /** Run WAL checkpoints in a worker thread instead of inside commits (default true). */
  backgroundCheckpoints?: boolean | CheckpointerOptions;
  /** An interrupted job is given up after this many interruptions (default 5). */
  maxInterruptions?: number;
  /** How long stop() waits for running handlers before handing their jobs back (default 5 s). */
  stopGraceMs?: number;
  onEvent?: JobEventSink;
  /** Lease owner id (default: host/pid/random). */
  owner?: string;
  random?: () => number;
  /** Log of unexpected internal errors (default console.error). */
  log?: (message: string, err?: unknown) => void;
}

type StopReason = 'stop' | 'cancel' | 'lost' | 'timeout';

class AbortedError extends Error {
  constructor(readonly reason: StopReason) {
    super(reason === 'timeout' ? 'The job took too long and was stopped.' : `Aborted (${reason}).`);
    this.name = 'AbortedError';
  }
}

interface Active {
  row: RunnerRow;
  controller: AbortController;
  startedAt: number;
  reconciling: boolean;
  cancelRequested: boolean;
  progress: JobProgress | null;
  progressDirty: boolean;
  lastProgressEmit: number;
  leaseMs: number;
}

const PROGRESS_EMIT_MS = 100;

export class Runner<C = unknown> {
  readonly owner: string;
  private readonly db: Database;
  private readonly store: JobStore;
  private readonly catchUpper: CatchUp;
  private readonly cron: CronFirer;
  private readonly clock: Clock;
  private readonly defs = new Map<string, AnyJobDefinition<C>>();
  private readonly typesJson: string;
  private readonly spacedJson: string;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  readonly graceMs: number;
  private readonly maxSleepMs: number;
  private readonly maxBatch: number;
  private readonly turnBudgetMs: number;
  /** Measured cost of one settled or claimed job in a turn (ms), smoothed. */
  private msPerRow = 0.02;
  private stopCheckpoints: (() => Promise<void>) | null = null;
  private readonly checkpoints: boolean | CheckpointerOptions;
  private readonly maxInterruptions: number;
  private readonly stopGraceMs: number;
  private readonly emit: JobEventSink;
  private readonly random: () => number;
  private readonly log: (message: string, err?: unknown) => void;
  private readonly app: C;
  private readonly existing: BetterSqlite3.Statement<[string], { id: string }>;

  private running = false;
  private catchingUp = false;
  private readonly inFlight = new Map<string, Active>();
  private outcomes: Outcome[] = [];
  private pumpQueued = false;
  private timerCancel: (() => void) | null = null;
  private timerAt: number | null = null;
  private timerFromQuery = false;
  private renewCancel: (() => void) | null = null;
  private cronDueAt: number | null = null;
  private unsubscribe: (() => void) | null = null;
  private idleWaiters: (() => void)[] = [];
  private errorStreak = 0;
  private readonly toRelease = new Set<string>();
  private stopWaiters: (() => void)[] = [];

  constructor(opts: RunnerOptions<C>) {
    this.db = opts.db;
    this.clock = opts.clock ?? systemClock;
    for (const d of opts.definitions) {
      if (this.defs.has(d.type)) throw new Error(`Job type "${d.type}" is registered twice.`);
      this.defs.set(d.type, d);
    }
    this.store = new JobStore(opts.db.sqlite, [...this.defs.keys()]);
    this.catchUpper = new CatchUp(opts.db.sqlite, this.store);
    this.cron = new CronFirer(opts.db);
    this.typesJson = JSON.stringify([...this.defs.keys()]);
    this.spacedJson = JSON.stringify([...this.defs.values()].filter((d) => (d.catchUpSpacingMs ?? 0) > 0).map((d) => d.type));
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.leaseMs = Math.max(1000, opts.leaseMs ?? 30_000);
    this.graceMs = opts.graceMs ?? 5 * 60_000;
    this.maxSleepMs = opts.maxSleepMs ?? 15_000;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 64);
    this.turnBudgetMs = opts.turnBudgetMs ?? 2;
    this.checkpoints = opts.backgroundCheckpoints ?? true;
    this.maxInterruptions = opts.maxInterruptions ?? 5;
    this.stopGraceMs = opts.stopGraceMs ?? 5000;
    this.emit = opts.onEvent ?? (() => {});
    this.random = opts.random ?? Math.random;
    this.log = opts.log ?? ((m, e) => console.error(`[scheduler] ${m}`, e ?? ''));
    this.owner = opts.owner ?? newOwnerId();
    this.app = opts.app;
    this.existing = opts.db.sqlite.prepare(`SELECT id FROM jobs WHERE id IN (SELECT value FROM json_each(?))`);
  }

  get definitions(): ReadonlyMap<string, AnyJobDefinition<C>> {
    return this.defs;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Jobs running right now in this runner. */
  get active(): number {
    return this.inFlight.size;
  }

  /** Start: recover dead runners' jobs, apply missed-run policies, fire due cron jobs, run. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    markLive(this.owner);
    if (this.checkpoints) {
      this.stopCheckpoints = startBackgroundCheckpoints(this.db.sqlite, this.db.file, this.checkpoints === true ? {} : this.checkpoints);
    }
    this.unsubscribe = onQueued((q) => this.onAnnounced(q));
    await this.catchUp();
  }

  /** After system sleep: the same catch-up as at startup, then re-arm. */
  async resume(): Promise<void> {
    if (!this.running) return;
    await this.catchUp();
  }

  /** Re-check the queue now (work queued by another process, a manual change). */
  wake(): void {
    if (!this.running) return;
    this.cronDueAt = this.cron.nextAt();
    this.schedulePump();
  }

  private async catchUp(): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      // After sleep our own leases may have run out: renew them before anyone else looks.
      this.renewLeases();
      const now = this.clock.now();
      this.store.expireDeadOwners(isOwnerDead, now);
      const res = await this.catchUpper.run(now, this.graceMs, this.typesJson, this.spacedJson, {
        policyOf: (t) => this.defs.get(t)?.missedRunPolicy ?? 'run_now',
        spacingOf: (t) => this.defs.get(t)?.catchUpSpacingMs ?? 0,
        maxAttemptsOf: (t) => this.maxAttemptsOf(t),
      });
      for (const m of res.missed) {
        this.emit('jobs.missed', { jobId: m.id, type: m.type, workspaceId: m.workspaceId, dueAt: m.dueAt, action: m.action, runAt: m.runAt });
        if (m.action === 'skip') this.emit('jobs.cancelled', { jobId: m.id, type: m.type, workspaceId: m.workspaceId, reason: 'missed' });
      }
      this.emitQueued(res.queued);
      this.cronDueAt = this.cron.nextAt();
    } catch (err) {
      this.log('catch-up failed; jobs will still run when due', err);
    } finally {
      this.catchingUp = false;
    }
    this.schedulePump();
  }

  /**
   * A lease that ran out is normally fair game. But when its holder is a process on this machine
   * that is still alive, it was most likely asleep with the machine (all timers late at once) and
   * is about to renew: give it one more lease period before taking its job, so a wake-up never
   * has two processes running the same publish.
   */
  private readonly mayRecover = (leaseOwner: string | null, expiredAt: number): boolean => {
    if (leaseOwner === null || leaseOwner === this.owner) return true;
    return this.clock.now() >= this.recoverableAt(leaseOwner, expiredAt);
  };

  private readonly recoverableAt = (leaseOwner: string | null, expiredAt: number): number =>
    leaseOwner !== null && leaseOwner !== this.owner && ownerState(leaseOwner) === 'alive' ? expiredAt + this.leaseMs : expiredAt;

  private maxAttemptsOf(type: string): number {
    return this.defs.get(type)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  private onAnnounced(a: Announcement): void {
    if (!this.running || a.total === 0) return;
    // Only the listed jobs are checked (a rolled-back enqueue is not news): a bulk import of 100k
    // jobs is one event and one query.
    const rows = this.existing.all(JSON.stringify(a.listed.map((q) => q.id)));
    if (rows.length === 0) return;
    const present = new Set(rows.map((r) => r.id));
    const mine = a.listed.filter((q) => present.has(q.id));
    this.emit('jobs.queued', {
      jobs: mine.map((q) => ({ jobId: q.id, type: q.type, workspaceId: q.workspaceId, runAt: q.runAt })),
      total: mine.length + Math.max(0, a.total - a.listed.length),
    });
    if (a.earliest <= this.clock.now()) this.schedulePump();
    else if (this.timerAt === null || a.earliest < this.timerAt) this.armAt(a.earliest, this.timerAt !== null && this.timerFromQuery);
  }

  private emitQueued(queued: readonly QueuedInfo[]): void {
    if (queued.length === 0) return;
    this.emit('jobs.queued', {
      jobs: queued.slice(0, 100).map((q) => ({ jobId: q.id, type: q.type, workspaceId: q.workspaceId, runAt: q.runAt })),
      total: queued.length,
    });
  }

  private schedulePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** One turn: settle finished jobs, fire due cron jobs, claim due jobs, start them. */
  private pump(): void {
    if (this.catchingUp && this.outcomes.length === 0) return;
    const now = this.clock.now();
    const claiming = this.running && !this.catchingUp;
    const free = claiming ? Math.max(0, this.concurrency - this.inFlight.size) : 0;
    // Rows per turn sized from what turns have cost so far, so one turn stays within budget.
    const batch = Math.max(4, Math.min(this.maxBatch, Math.floor(this.turnBudgetMs / this.msPerRow)));
    const outcomes = this.outcomes.length <= batch ? this.outcomes : this.outcomes.slice(0, batch);
    this.outcomes = this.outcomes.length <= batch ? [] : this.outcomes.slice(batch);
    const limit = Math.min(free, Math.max(0, batch - outcomes.length), this.maxBatch);
    try {
      if (claiming && this.cronDueAt !== null && this.cronDueAt <= now) {
        this.cron.fire(now, this.graceMs, (t) => ({ maxAttempts: this.defs.get(t)?.maxAttempts, priority: this.defs.get(t)?.priority }));
        this.cronDueAt = this.cron.nextAt();
      }
      if (outcomes.length === 0 && limit === 0) {
        this.afterPump(false, null);
        return;
      }
      const t0 = performance.now();
      const res = this.store.cycle({
        owner: this.owner,
        now,
        leaseMs: this.leaseMs,
        claimLimit: limit,
        outcomes,
        graceMs: this.graceMs,
        maxAttemptsOf: (t) => this.maxAttemptsOf(t),
        mayRecover: this.mayRecover,
      });
      const rows = outcomes.length + res.claimed.length + res.recovered.length;
      if (rows >= 4) this.msPerRow = this.msPerRow * 0.8 + ((performance.now() - t0) / rows) * 0.2;
      this.errorStreak = 0;
      for (const o of res.applied) this.emitOutcome(o, now);
      for (const o of res.lost) this.log(`job ${o.row.id} (${o.row.type}) was taken over by another runner; its outcome here was not recorded`);
      this.emitQueued(res.queued);
      for (const row of res.recovered) this.launch(row, now);
      for (const row of res.claimed) this.launch(row, now);
      const full = limit > 0 && res.claimed.length + res.recovered.length === limit;
      // A turn that only recorded outcomes leaves the next due time as the timer knows it, except
      // for what the turn itself scheduled (retries, next occurrences): no query needed.
      let known: number | null = null;
      if (res.claimed.length === 0 && res.recovered.length === 0 && this.timerAt !== null && this.timerFromQuery) {
        known = this.timerAt;
        for (const o of res.applied) if (o.kind === 'retry' && o.runAt < known) known = o.runAt;
        for (const q of res.queued) if (q.runAt < known) known = q.runAt;
      }
      this.afterPump(full, known);
    } catch (err) {
      // SQLITE_BUSY beyond busy_timeout, disk full...: keep the outcomes and try again shortly.
      this.outcomes = outcomes.concat(this.outcomes);
      this.errorStreak++;
      this.log('a scheduler transaction failed; retrying', err);
      this.armAt(now + Math.min(30_000, 100 * 2 ** Math.min(this.errorStreak, 8)));
    }
  }

  private afterPump(maybeMore: boolean, knownNext: number | null): void {
    if (this.outcomes.length > 0 || (maybeMore && this.running)) {
      this.schedulePump();
      return;
    }
    if (knownNext !== null && knownNext > this.clock.now()) {
      if (knownNext !== this.timerAt) this.armAt(knownNext, true);
    } else this.arm();
    if (this.inFlight.size === 0 && this.outcomes.length === 0 && this.toRelease.size === 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const r of w) r();
    }
    if (!this.running && this.inFlight.size === 0) {
      const w = this.stopWaiters;
      this.stopWaiters = [];
      for (const r of w) r();
    }
  }

  /** Sleep until the next thing to do. */
  private arm(): void {
    if (!this.running) return;
    const now = this.clock.now();
    let next: number | null = null;
    const query = this.inFlight.size < this.concurrency;
    if (query) next = this.store.nextWakeAt(this.owner, this.recoverableAt);
    this.cronDueAt = this.cron.nextAt();
    if (this.cronDueAt !== null && (next === null || this.cronDueAt < next)) next = this.cronDueAt;
    const cap = now + this.maxSleepMs;
    const at = next === null ? cap : Math.min(next, cap);
    // Work already due (a turn's batch was full of outcomes): another turn, not a timer hop.
    if (at <= now) {
      this.timerCancel?.();
      this.timerCancel = null;
      this.timerAt = null;
      this.schedulePump();
      return;
    }
    this.armAt(at, query);
  }

  /** `fromQuery`: `at` is the true next due time (not a guess or the maxSleep cap). */
  private armAt(at: number, fromQuery = false): void {
    if (!this.running) return;
    this.timerCancel?.();
    const now = this.clock.now();
    this.timerAt = at;
    this.timerFromQuery = fromQuery;
    const fire = () => {
      this.timerCancel = null;
      this.timerAt = null;
      // Woken far later than asked: the machine slept. Apply missed-run policies before running
      // anything, even if the host's resume notification has not arrived yet.
      if (this.clock.now() - at > this.graceMs) void this.catchUp();
      else this.pump();
    };
    this.timerCancel = this.clock.setTimerAt ? this.clock.setTimerAt(at, fire) : this.clock.setTimer(Math.max(0, at - now), fire);
  }

  private emitOutcome(o: Outcome, now: number): void {
    const ref = { jobId: o.row.id, type: o.row.type, workspaceId: o.row.workspace_id };
    switch (o.kind) {
      case 'succeeded':
        this.emit('jobs.succeeded', { ...ref, attempt: o.row.attempts, durationMs: Math.max(0, now - (this.startTimes.get(o.row.id) ?? now)), reconciled: o.reconciled });
        break;
      case 'retry':
        this.emit('jobs.failed', { ...ref, attempt: o.row.attempts, maxAttempts: o.row.max_attempts, error: o.error, willRetry: true, nextRunAt: o.runAt });
        break;
      case 'failed':
        this.emit('jobs.failed', { ...ref, attempt: o.row.attempts, maxAttempts: o.row.max_attempts, error: o.error, willRetry: false, nextRunAt: null });
        break;
      case 'held':
        // It will run again, but only once the user reconnects: no time to announce.
        this.emit('jobs.failed', { ...ref, attempt: o.row.attempts, maxAttempts: o.row.max_attempts, error: o.error, willRetry: true, nextRunAt: null });
        break;
      case 'cancelled':
        this.emit('jobs.cancelled', { ...ref, reason: o.reason });
        break;
    }
    this.startTimes.delete(o.row.id);
  }

  private readonly startTimes = new Map<string, number>();

  private launch(row: RunnerRow, now: number): void {
    const def = this.defs.get(row.type);
    const active: Active = {
      row,
      controller: new AbortController(),
      startedAt: now,
      reconciling: row.needs_reconcile === 1,
      cancelRequested: row.cancel_requested_at !== null,
      progress: null,
      progressDirty: false,
      lastProgressEmit: 0,
      leaseMs: this.leaseMs,
    };
    this.inFlight.set(row.id, active);
    this.startTimes.set(row.id, now);
    this.ensureRenewal();
    this.emit('jobs.started', {
      jobId: row.id,
      type: row.type,
      workspaceId: row.workspace_id,
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      lateByMs: Math.max(0, now - row.run_at),
      reconciling: active.reconciling,
    });
    if (!def) {
      // Only registered types are claimed; this guards a registry changed under a live runner.
      this.finish(active, { kind: 'retry', row, error: `No handler for ${row.type} in this process.`, runAt: now + 60_000, needsReconcile: row.needs_reconcile === 1 });
      return;
    }
    void this.execute(active, def);
  }

  private contextFor(a: Active, payload: unknown): JobContext<unknown, C> {
    return {
      job: jobInfoOf(a.row),
      payload,
      idempotencyKey: idempotencyKeyOf(a.row),
      attempt: a.row.attempts,
      signal: a.controller.signal,
      app: this.app,
      now: () => this.clock.now(),
      progress: (fraction, message) => this.onProgress(a, fraction, message),
      extendLease: (ms) => {
        a.leaseMs = Math.max(a.leaseMs, ms);
        this.store.extendLease(this.owner, a.row.id, this.clock.now(), a.leaseMs);
      },
    };
  }

  private onProgress(a: Active, fraction: number | null, message?: string): void {
    const f = fraction === null || !Number.isFinite(fraction) ? null : Math.min(1, Math.max(0, fraction));
    a.progress = { fraction: f, message: message ?? null };
    a.progressDirty = true;
    const now = this.clock.now();
    if (now - a.lastProgressEmit >= PROGRESS_EMIT_MS || f === 1) {
      a.lastProgressEmit = now;
      this.emit('jobs.progress', { jobId: a.row.id, type: a.row.type, workspaceId: a.row.workspace_id, fraction: f, message: a.progress.message });
    }
  }

  private async execute(a: Active, def: AnyJobDefinition<C>): Promise<void> {
    const { row } = a;
    let payload: unknown;
    try {
      payload = def.payload.parse(JSON.parse(row.payload) as unknown);
    } catch (err) {
      this.finish(a, { kind: 'failed', row, error: `The job's data is not valid for ${row.type}: ${errorMessage(err)}`, needsReconcile: false });
      return;
    }

    if (a.reconciling) {
      const verdict = await this.reconcile(a, def, payload);
      if (verdict === 'settled') return;
    }
    if (a.cancelRequested) {
      this.finish(a, { kind: 'cancelled', row: a.row, reason: 'Cancelled before it started.' });
      return;
    }

    const ctx = this.contextFor(a, payload);
    try {
      const result = await this.withTimeout(a, def, () => def.handler(ctx));
      this.finish(a, { kind: 'succeeded', row: a.row, result, reconciled: false, progress: a.progress });
    } catch (err) {
      this.onHandlerError(a, def, err);
    }
  }

  /** Before retrying an attempt whose outcome is unknown, ask whether its effect happened. */
  private async reconcile(a: Active, def: AnyJobDefinition<C>, payload: unknown): Promise<'settled' | 'run'> {
    const now = this.clock.now();
    if (a.row.interruptions > this.maxInterruptions) {
      this.finish(a, {
        kind: 'failed',
        row: a.row,
        error: `Postdesk stopped ${a.row.interruptions} times while running this job, so it was not tried again. Retry it when the problem is fixed.`,
        needsReconcile: true,
      });
      return 'settled';
    }
    if (def.reconcile) {
      let outcome: ReconcileOutcome<unknown>;
      try {
        outcome = await this.withTimeout(a, def, () => def.reconcile!(this.contextFor(a, payload)));
      } catch (err) {
        if (this.abortedBy(a, err) === 'stop') {
          this.finish(a, null);
          return 'settled';
        }
        // Can't tell (platform unreachable): try the check again later, never a blind retry.
        const failures = Math.max(1, a.row.attempts - a.row.interruptions);
        this.finish(a, {
          kind: 'retry',
          row: a.row,
          error: `Could not check whether the last attempt went through: ${errorMessage(err)}`,
          runAt: this.clock.now() + retryDelay(failures, effectiveBackoff(def), this.random),
          needsReconcile: true,
        });
        return 'settled';
      }
      if (outcome.done) {
        this.finish(a, { kind: 'succeeded', row: a.row, result: outcome.result, reconciled: true, progress: a.progress });
        return 'settled';
      }
    }
    if (a.cancelRequested) {
      this.finish(a, { kind: 'cancelled', row: a.row, reason: 'Cancelled before it ran again.' });
      return 'settled';
    }
    let next: RunnerRow | null;
    try {
      next = this.store.beginAttempt(a.row, this.owner, now, a.leaseMs, def.reconcile !== undefined);
    } catch (err) {
      this.log(`could not record a new attempt for ${a.row.id}; it will be recovered later`, err);
      this.finish(a, null);
      this.toRelease.add(a.row.id);
      return 'settled';
    }
    if (!next) {
      this.finish(a, null);
      return 'settled';
    }
    a.row = next;
    a.reconciling = false;
    return 'run';
  }

  private abortedBy(a: Active, err: unknown): StopReason | null {
    if (err instanceof AbortedError) return err.reason;
    if (a.controller.signal.aborted) {
      const r: unknown = a.controller.signal.reason;
      return r instanceof AbortedError ? r.reason : 'cancel';
    }
    return null;
  }

  private onHandlerError(a: Active, def: AnyJobDefinition<C>, err: unknown): void {
    const { row } = a;
    const reason = this.abortedBy(a, err);
    if (reason === 'stop' || reason === 'lost') {
      // Not the job's fault: hand it back (stop) or leave it to its new owner (lost).
      if (reason === 'stop') this.toRelease.add(row.id);
      this.finish(a, null);
      return;
    }
    if (reason === 'cancel' || a.cancelRequested) {
      this.finish(a, { kind: 'cancelled', row, reason: 'Cancelled while it was running.' });
      return;
    }
    const je = err instanceof JobError ? err : null;
    const needsReconcile = def.reconcile !== undefined && je?.effect !== 'none';
    const message = errorMessage(err);
    const failures = row.attempts - row.interruptions;
    if (je?.hold) {
      this.finish(a, { kind: 'held', row, error: message, hold: je.hold, needsReconcile });
      return;
    }
    if ((je && !je.retryable) || failures >= row.max_attempts) {
      this.finish(a, { kind: 'failed', row, error: message, needsReconcile });
      return;
    }
    const delay = je?.retryAfterMs ?? retryDelay(Math.max(1, failures), effectiveBackoff(def), this.random);
    this.finish(a, { kind: 'retry', row, error: message, runAt: this.clock.now() + delay, needsReconcile });
  }

  private async withTimeout<T>(a: Active, def: AnyJobDefinition<C>, fn: () => T | Promise<T>): Promise<T> {
    const signal = a.controller.signal;
    const work = Promise.resolve().then(fn);
    if (!def.timeoutMs) return work;
    // On timeout the handler is told (signal) and the job moves on; a late effect is found by
    // the next attempt's reconcile.
    let cancelTimer = () => {};
    const timeout = new Promise<never>((_, reject) => {
      cancelTimer = this.clock.setTimer(def.timeoutMs!, () => {
        const e = new AbortedError('timeout');
        a.controller.abort(e);
        reject(e);
      });
      signal.addEventListener('abort', () => {
        const r: unknown = signal.reason;
        if (r instanceof AbortedError && r.reason === 'stop') reject(r);
      });
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      cancelTimer();
    }
  }

  /** A job left this runner: record its outcome at the next turn (null: nothing to record). */
  private finish(a: Active, outcome: Outcome | null): void {
    if (this.inFlight.get(a.row.id) !== a) return;
    this.inFlight.delete(a.row.id);
    if (outcome) this.outcomes.push(outcome);
    else this.startTimes.delete(a.row.id);
    if (this.inFlight.size === 0) {
      this.renewCancel?.();
      this.renewCancel = null;
    }
    this.schedulePump();
  }

  private ensureRenewal(): void {
    if (this.renewCancel) return;
    const every = Math.max(250, Math.floor(this.leaseMs / 3));
    this.renewCancel = this.clock.setTimer(every, () => {
      this.renewCancel = null;
      this.renewLeases();
      if (this.inFlight.size > 0) this.ensureRenewal();
    });
  }

  /** Keep our leases alive, save progress, and learn about cancels and lost leases. */
  private renewLeases(): void {
    if (this.inFlight.size === 0) return;
    const now = this.clock.now();
    try {
      const byLease = new Map<number, string[]>();
      for (const [id, a] of this.inFlight) {
        const list = byLease.get(a.leaseMs) ?? [];
        list.push(id);
        byLease.set(a.leaseMs, list);
      }
      for (const [leaseMs, ids] of byLease) {
        const { kept, cancelRequested } = this.store.renew(this.owner, ids, now, leaseMs);
        for (const id of ids) {
          const a = this.inFlight.get(id);
          if (!a) continue;
          if (!kept.has(id)) a.controller.abort(new AbortedError('lost'));
          else if (cancelRequested.has(id) && !a.cancelRequested) {
            a.cancelRequested = true;
            a.controller.abort(new AbortedError('cancel'));
          }
        }
      }
      const dirty = new Map<string, JobProgress>();
      for (const [id, a] of this.inFlight) {
        if (a.progressDirty && a.progress) {
          dirty.set(id, a.progress);
          a.progressDirty = false;
        }
      }
      this.store.saveProgress(this.owner, dirty);
    } catch (err) {
      this.log('lease renewal failed; will try again', err);
    }
  }

  /** Ask a running job (in this process) to stop; true if it was running here. */
  requestCancel(id: string): boolean {
    const a = this.inFlight.get(id);
    if (!a) return false;
    a.cancelRequested = true;
    a.controller.abort(new AbortedError('cancel'));
    return true;
  }

  /** Resolves when nothing is running and nothing is due right now (tests, shutdown). */
  idle(): Promise<void> {
    if (this.inFlight.size === 0 && this.outcomes.length === 0 && !this.pumpQueued && !this.catchingUp) {
      const next = this.store.nextWakeAt(this.owner, this.recoverableAt);
      if (next === null || next > this.clock.now()) return Promise.resolve();
    }
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /**
   * Stop claiming, let running handlers finish (up to stopGraceMs), record their outcomes, and
   * hand back the jobs still running so the next start (or another process) recovers them.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.timerCancel?.();
    this.timerCancel = null;
    this.timerAt = null;
    if (this.inFlight.size > 0) {
      let cancelGrace = () => {};
      const graceOver = new Promise<void>((r) => {
        cancelGrace = this.clock.setTimer(this.stopGraceMs, r);
      });
      const drained = new Promise<void>((r) => this.stopWaiters.push(r));
      // Handlers get the stop signal after the grace time, not before: a publish halfway
      // through should finish and be recorded rather than be interrupted.
      await Promise.race([drained, graceOver.then(() => this.abortAll('stop'))]);
      cancelGrace();
      if (this.inFlight.size > 0) {
        for (const id of this.inFlight.keys()) this.toRelease.add(id);
        this.inFlight.clear();
      }
    }
    // Record what finished.
    if (this.outcomes.length > 0) {
      const outcomes = this.outcomes;
      this.outcomes = [];
      try {
        const res = this.store.cycle({
          owner: this.owner,
          now: this.clock.now(),
          leaseMs: this.leaseMs,
          claimLimit: 0,
            outcomes,
          graceMs: this.graceMs,
          maxAttemptsOf: (t) => this.maxAttemptsOf(t),
          mayRecover: this.mayRecover,
        });
        for (const o of res.applied) this.emitOutcome(o, this.clock.now());
      } catch (err) {
        this.log('could not record the last outcomes at stop; those jobs will be reconciled', err);
      }
    }
    try {
      this.store.release(this.owner, [...this.toRelease], this.clock.now());
    } catch (err) {
      this.log('could not hand back running jobs at stop; their leases will expire', err);
    }
    this.toRelease.clear();
    this.renewCancel?.();
    this.renewCancel = null;
    markStopped(this.owner);
    await this.stopCheckpoints?.();
    this.stopCheckpoints = null;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }

  private abortAll(reason: StopReason): void {
    for (const a of this.inFlight.values()) a.controller.abort(new AbortedError(reason));
  }
}

export type { MissedRunPolicy };
