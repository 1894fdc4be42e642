// The runner's SQL: claim, settle, renew, recover, next wake-up. Raw prepared statements on the
// app's one connection, because this is the hot path (thousands of jobs a second) and every
// statement must be exactly the one we reason about for cross-process safety:
// - every write runs inside BEGIN IMMEDIATE, so two processes on one file serialize on SQLite's
//   write lock and each claim is a compare-and-swap (`status = 'pending'` in the WHERE);
// - settling a job checks that we still own its lease, so a runner that lost its lease (it was
//   paused past expiry and another process recovered the job) can never overwrite the outcome;
// - an attempt row (with the job's idempotency key) is written in the claim transaction, i.e.
//   durably before any handler code runs.
import type BetterSqlite3 from 'better-sqlite3';
import { newId } from '../../db/schema/columns';
import type { JobProgress } from './definitions';
import { RUNNER_COLUMNS, parseRecurrence, type RunnerRow } from './job-row';
import { nextOccurrence } from './recurrence';

export type Outcome =
  | { kind: 'succeeded'; row: RunnerRow; result: unknown; reconciled: boolean; progress: JobProgress | null }
  | { kind: 'retry'; row: RunnerRow; error: string; runAt: number; needsReconcile: boolean }
  | { kind: 'failed'; row: RunnerRow; error: string; needsReconcile: boolean }
  | { kind: 'held'; row: RunnerRow; error: string; hold: 'account'; needsReconcile: boolean }
  | { kind: 'cancelled'; row: RunnerRow; reason: string };

export interface QueuedInfo {
  id: string;
  type: string;
  workspaceId: string | null;
  runAt: number;
}

export interface CycleInput {
  owner: string;
  now: number;
  leaseMs: number;
  /** How many jobs may be claimed (free slots). */
  claimLimit: number;
  outcomes: readonly Outcome[];
  /** Occurrences of a recurring job older than this are collapsed (see nextRecurringAt). */
  graceMs: number;
  /** Attempts a new occurrence of a recurring job gets (its definition's maximum). */
  maxAttemptsOf: (type: string) => number;
  /** Whether a job whose lease (held by `leaseOwner`) ran out at `expiredAt` may be taken over. */
  mayRecover: (leaseOwner: string | null, expiredAt: number) => boolean;
}

export interface CycleResult {
  /** Outcomes whose job we still owned, so they were recorded. */
  applied: Outcome[];
  /** Outcomes for jobs we no longer own (lease lost): not recorded, the owner decides. */
  lost: Outcome[];
  claimed: RunnerRow[];
  /** Jobs found running under an expired lease, now ours to reconcile. */
  recovered: RunnerRow[];
  queued: QueuedInfo[];
}

interface SettledRow {
  id: string;
  recurrence: string | null;
  series_key: string | null;
  cron_job_id: string | null;
  due_at: number | null;
  run_at: number;
  type: string;
  workspace_id: string | null;
}

const SETTLED_COLUMNS = 'id, recurrence, series_key, cron_job_id, due_at, run_at, type, workspace_id';

/**
 * The next occurrence of a recurring job after `dueAt`. When the app was closed across several
 * occurrences, only one missed occurrence runs (under the missed-run policy); the rest collapse
 * into the next one still ahead, so a weekly post never goes out five times in a row.
 */
export function nextRecurringAt(row: Pick<SettledRow, 'recurrence' | 'due_at' | 'run_at'>, now: number, graceMs: number): number | null {
  const rec = parseRecurrence(row.recurrence);
  if (!rec) return null;
  const due = row.due_at ?? row.run_at;
  try {
    let next = nextOccurrence(rec, due);
    if (next !== null && next < now - graceMs) next = nextOccurrence(rec, now - graceMs);
    return next;
  } catch {
    return null;
  }
}

export class JobStore {
  private readonly s: ReturnType<JobStore['prepare']>;

  private readonly typeFilter: string;

  /** `types`: the job types this runner can run (claims and wake-ups ignore the others). */
  constructor(
    readonly sqlite: BetterSqlite3.Database,
    types?: readonly string[],
  ) {
    // A literal list: cheaper per row than a bound JSON array, and the set never changes.
    this.typeFilter = types ? `type IN (${types.map((t) => `'${t.replaceAll("'", "''")}'`).join(', ') || 'NULL'})` : '1';
    this.s = this.prepare();
  }

  private prepare() {
    const db = this.sqlite;
    const ofTypes = this.typeFilter;
    const pending = `status = 'pending' AND hold IS NULL`;
    return {
      levels: db.prepare<[], { p: number }>(
        `WITH RECURSIVE lv(p) AS (
           SELECT MAX(priority) FROM jobs WHERE ${pending}
           UNION ALL
           SELECT (SELECT MAX(priority) FROM jobs WHERE ${pending} AND priority < lv.p) FROM lv WHERE lv.p IS NOT NULL
         ) SELECT p FROM lv WHERE p IS NOT NULL`,
      ),
      claimLevel: db.prepare<{ owner: string; now: number; until: number; p: number; n: number }, RunnerRow>(
        `UPDATE jobs SET status = 'running', lease_owner = @owner, lease_expires_at = @until,
           attempts = attempts + (1 - needs_reconcile), started_at = @now, updated_at = @now
         WHERE id IN (
           SELECT id FROM jobs
           WHERE ${pending} AND priority = @p AND run_at <= @now AND ${ofTypes}
           ORDER BY run_at LIMIT @n)
         RETURNING ${RUNNER_COLUMNS}`,
      ),
      expired: db.prepare<{ now: number; n: number }, { id: string; lease_owner: string | null; lease_expires_at: number }>(
        `SELECT id, lease_owner, lease_expires_at FROM jobs
         WHERE status = 'running' AND lease_expires_at <= @now AND ${ofTypes}
         ORDER BY lease_expires_at LIMIT @n`,
      ),
      recover: db.prepare<{ owner: string; now: number; until: number; ids: string }, RunnerRow>(
        `UPDATE jobs SET lease_owner = @owner, lease_expires_at = @until, needs_reconcile = 1,
           interruptions = interruptions + 1, updated_at = @now
         WHERE id IN (SELECT value FROM json_each(@ids)) AND status = 'running' AND lease_expires_at <= @now
         RETURNING ${RUNNER_COLUMNS}`,
      ),
      interruptAttempt: db.prepare<{ id: string; attempt: number; now: number }>(
        `UPDATE job_attempts SET status = 'interrupted', finished_at = @now, error = 'The process stopped during this attempt.', updated_at = @now
         WHERE job_id = @id AND attempt = @attempt AND status = 'running'`,
      ),
      insertAttempt: db.prepare<{ id: string; ws: string | null; attempt: number; key: string; owner: string; now: number }>(
        `INSERT INTO job_attempts (job_id, workspace_id, attempt, idempotency_key, runner, status, started_at, created_at, updated_at)
         VALUES (@id, @ws, @attempt, @key, @owner, 'running', @now, @now, @now)
         ON CONFLICT (job_id, attempt) DO UPDATE SET runner = excluded.runner, status = 'running', started_at = excluded.started_at,
           finished_at = NULL, error = NULL, updated_at = excluded.updated_at`,
      ),
      beginAttempt: db.prepare<{ id: string; owner: string; now: number; until: number }, { attempts: number; idempotency_key: string | null; workspace_id: string | null }>(
        `UPDATE jobs SET attempts = attempts + 1, needs_reconcile = 0, lease_expires_at = @until, started_at = @now, updated_at = @now
         WHERE id = @id AND lease_owner = @owner AND status = 'running'
         RETURNING attempts, idempotency_key, workspace_id`,
      ),
      reconciledNotDone: db.prepare<{ id: string; attempt: number; now: number }>(
        `UPDATE job_attempts SET reconciled = 'not_done', updated_at = @now WHERE job_id = @id AND attempt = @attempt`,
      ),
      cronRunStarted: db.prepare<{ id: string; now: number }>(
        `UPDATE cron_job_runs SET started_at = COALESCE(started_at, @now), updated_at = @now WHERE job_id = @id`,
      ),
      succeed: db.prepare<{ id: string; owner: string; now: number; result: string | null; progress: string | null }, SettledRow>(
        `UPDATE jobs SET status = 'completed', result = @result, completed_at = @now, lease_owner = NULL, lease_expires_at = NULL,
           needs_reconcile = 0, hold = NULL, progress = COALESCE(@progress, progress), updated_at = @now
         WHERE id = @id AND lease_owner = @owner AND status = 'running'
         RETURNING ${SETTLED_COLUMNS}`,
      ),
      succeedMany: db.prepare<{ owner: string; now: number; batch: string }, SettledRow>(
        `UPDATE jobs SET status = 'completed', result = b.result, completed_at = @now, lease_owner = NULL, lease_expires_at = NULL,
           needs_reconcile = 0, hold = NULL, progress = COALESCE(b.progress, jobs.progress), updated_at = @now
         FROM (SELECT value ->> '$.id' AS id, value ->> '$.r' AS result, value ->> '$.p' AS progress FROM json_each(@batch)) AS b
         WHERE jobs.id = b.id AND jobs.lease_owner = @owner AND jobs.status = 'running'
         RETURNING jobs.id, jobs.recurrence, jobs.series_key, jobs.cron_job_id, jobs.due_at, jobs.run_at, jobs.type, jobs.workspace_id`,
      ),
      finishAttempts: db.prepare<{ now: number; batch: string }>(
        `UPDATE job_attempts SET status = CASE WHEN job_attempts.status = 'interrupted' THEN job_attempts.status ELSE 'succeeded' END,
           reconciled = COALESCE(b.reconciled, job_attempts.reconciled), finished_at = COALESCE(job_attempts.finished_at, @now), updated_at = @now
         FROM (SELECT value ->> '$.id' AS id, value ->> '$.a' AS attempt, value ->> '$.c' AS reconciled FROM json_each(@batch)) AS b
         WHERE job_attempts.job_id = b.id AND job_attempts.attempt = b.attempt`,
      ),
      insertAttempts: db.prepare<{ owner: string; now: number; batch: string }>(
        `INSERT INTO job_attempts (job_id, workspace_id, attempt, idempotency_key, runner, status, started_at, created_at, updated_at)
         SELECT value ->> '$.id', value ->> '$.w', value ->> '$.a', value ->> '$.k', @owner, 'running', @now, @now, @now FROM json_each(@batch) WHERE true
         ON CONFLICT (job_id, attempt) DO UPDATE SET runner = excluded.runner, status = 'running', started_at = excluded.started_at,
           finished_at = NULL, error = NULL, updated_at = excluded.updated_at`,
      ),
      retry: db.prepare<{ id: string; owner: string; now: number; runAt: number; error: string; reconcile: number }, SettledRow>(
        `UPDATE jobs SET status = 'pending', run_at = @runAt, last_error = @error, lease_owner = NULL, lease_expires_at = NULL,
           needs_reconcile = @reconcile, updated_at = @now
         WHERE id = @id AND lease_owner = @owner AND status = 'running'
         RETURNING ${SETTLED_COLUMNS}`,
      ),
      // The attempt is given back (attempts - 1): the account, not the job, was the problem.
      hold: db.prepare<{ id: string; owner: string; now: number; error: string; hold: string; reconcile: number }, SettledRow>(
        `UPDATE jobs SET status = 'pending', hold = @hold, attempts = MAX(0, attempts - 1), last_error = @error, lease_owner = NULL,
           lease_expires_at = NULL, needs_reconcile = @reconcile, updated_at = @now
         WHERE id = @id AND lease_owner = @owner AND status = 'running'
         RETURNING ${SETTLED_COLUMNS}`,
      ),
      fail: db.prepare<{ id: string; owner: string; now: number; error: string; reconcile: number; status: string }, SettledRow>(
        `UPDATE jobs SET status = @status, last_error = @error, completed_at = @now, lease_owner = NULL, lease_expires_at = NULL,
           needs_reconcile = @reconcile, updated_at = @now
         WHERE id = @id AND lease_owner = @owner AND status = 'running'
         RETURNING ${SETTLED_COLUMNS}`,
      ),
      finishAttempt: db.prepare<{ id: string; attempt: number; status: string; error: string | null; now: number; reconciled: string | null }>(
        `UPDATE job_attempts SET status = CASE WHEN status = 'interrupted' THEN status ELSE @status END,
           reconciled = COALESCE(@reconciled, reconciled), finished_at = COALESCE(finished_at, @now), error = COALESCE(@error, error), updated_at = @now
         WHERE job_id = @id AND attempt = @attempt`,
      ),
      cronRunFinished: db.prepare<{ id: string; now: number; status: string; error: string | null; output: string | null }>(
        `UPDATE cron_job_runs SET status = @status, finished_at = @now, error = @error, output = @output, updated_at = @now WHERE job_id = @id`,
      ),
      cronJobFinished: db.prepare<{ cron: string; now: number; status: string; error: string | null }>(
        `UPDATE cron_jobs SET last_status = @status, last_error = @error, updated_at = @now WHERE id = @cron`,
      ),
      nextOccurrence: db.prepare<{ prev: string; id: string; at: number; key: string; ikey: string; now: number; max: number }, QueuedInfo>(
        `INSERT INTO jobs (id, workspace_id, type, payload, status, priority, run_at, due_at, attempts, max_attempts, unique_key,
           idempotency_key, missed_run_policy, series_key, recurrence, account_id, created_at, updated_at)
         SELECT @id, workspace_id, type, payload, 'pending', priority, @at, @at, 0, @max, @key,
           @ikey, missed_run_policy, series_key, recurrence, account_id, @now, @now
         FROM jobs WHERE id = @prev
         ON CONFLICT DO NOTHING
         RETURNING id, type, workspace_id AS workspaceId, run_at AS runAt`,
      ),
      renew: db.prepare<{ owner: string; now: number; until: number; ids: string }, { id: string; cancel_requested_at: number | null }>(
        `UPDATE jobs SET lease_expires_at = @until
         WHERE id IN (SELECT value FROM json_each(@ids)) AND lease_owner = @owner AND status = 'running'
         RETURNING id, cancel_requested_at`,
      ),
      saveProgress: db.prepare<{ id: string; owner: string; progress: string }>(
        `UPDATE jobs SET progress = @progress WHERE id = @id AND lease_owner = @owner AND status = 'running'`,
      ),
      release: db.prepare<{ owner: string; now: number; ids: string }>(
        `UPDATE jobs SET lease_expires_at = @now, updated_at = @now
         WHERE id IN (SELECT value FROM json_each(@ids)) AND lease_owner = @owner AND status = 'running'`,
      ),
      nextDueAtLevel: db.prepare<{ p: number }, { run_at: number }>(
        `SELECT run_at FROM jobs WHERE ${pending} AND priority = @p AND ${ofTypes} ORDER BY run_at LIMIT 1`,
      ),
      nextLeaseExpiries: db.prepare<{ owner: string }, { owner: string | null; at: number }>(
        `SELECT lease_owner AS owner, lease_expires_at AS at FROM jobs
         WHERE status = 'running' AND lease_owner IS NOT @owner AND lease_expires_at IS NOT NULL AND ${ofTypes}
         ORDER BY lease_expires_at LIMIT 16`,
      ),
      runningOwners: db.prepare<[], { owner: string }>(
        `SELECT DISTINCT lease_owner AS owner FROM jobs WHERE status = 'running' AND lease_owner IS NOT NULL`,
      ),
      expireOwner: db.prepare<{ owner: string; now: number }>(
        `UPDATE jobs SET lease_expires_at = @now WHERE status = 'running' AND lease_owner = @owner AND lease_expires_at > @now`,
      ),
      countInterruptions: db.prepare<{ id: string }, { n: number }>(`SELECT interruptions AS n FROM jobs WHERE id = @id`),
    };
  }

  /** Run `fn` in BEGIN IMMEDIATE (or a savepoint inside the caller's transaction). */
  write<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }

  /** Settle finished jobs and claim due ones: one short write transaction. */
  cycle(input: CycleInput): CycleResult {
    return this.write(() => {
      const { owner, now, leaseMs } = input;
      const until = now + leaseMs;
      const applied: Outcome[] = [];
      const lost: Outcome[] = [];
      const queued: QueuedInfo[] = [];
      const successes: Extract<Outcome, { kind: 'succeeded' }>[] = [];
      for (const o of input.outcomes) {
        if (o.kind === 'succeeded') successes.push(o);
        else if (this.settle(o, input, queued)) applied.push(o);
        else lost.push(o);
      }
      if (successes.length > 0) this.settleSuccesses(successes, input, applied, lost, queued);

      const recovered: RunnerRow[] = [];
      const claimed: RunnerRow[] = [];
      let room = input.claimLimit;
      if (room > 0) {
        // Jobs whose runner died come first: they are the most overdue work there is.
        const candidates = this.s.expired.all({ now, n: room });
        const ids = candidates.filter((c) => input.mayRecover(c.lease_owner, c.lease_expires_at)).map((c) => c.id);
        if (ids.length > 0) {
          for (const row of this.s.recover.all({ owner, now, until, ids: JSON.stringify(ids) })) {
            this.s.interruptAttempt.run({ id: row.id, attempt: row.attempts, now });
            recovered.push(row);
          }
        }
        room -= recovered.length;
      }
      if (room > 0) {
        for (const { p } of this.s.levels.all()) {
          const rows = this.s.claimLevel.all({ owner, now, until, p, n: room });
          // Claims by priority level, and inside a level by due time; RETURNING has no order.
          if (rows.length > 1) rows.sort((a, b) => a.run_at - b.run_at);
          const attempts: { id: string; w: string | null; a: number; k: string }[] = [];
          for (const row of rows) {
            // A job whose last outcome is unknown starts with a reconcile, not a new attempt.
            if (!row.needs_reconcile) attempts.push({ id: row.id, w: row.workspace_id, a: row.attempts, k: row.idempotency_key ?? `pd-${row.id}` });
            if (row.cron_job_id) this.s.cronRunStarted.run({ id: row.id, now });
            claimed.push(row);
          }
          if (attempts.length > 0) this.s.insertAttempts.run({ owner, now, batch: JSON.stringify(attempts) });
          room -= rows.length;
          if (room <= 0) break;
        }
      }
      return { applied, lost, claimed, recovered, queued };
    });
  }

  private recordAttempt(row: RunnerRow, owner: string, now: number): void {
    this.s.insertAttempt.run({
      id: row.id,
      ws: row.workspace_id,
      attempt: row.attempts,
      key: row.idempotency_key ?? `pd-${row.id}`,
      owner,
      now,
    });
  }

  /**
   * After a reconcile said the effect did not happen: a new attempt, recorded before the handler
   * runs. Returns the updated row, or null if the lease was lost meanwhile.
   */
  beginAttempt(row: RunnerRow, owner: string, now: number, leaseMs: number, reconciled: boolean): RunnerRow | null {
    return this.write(() => {
      const r = this.s.beginAttempt.get({ id: row.id, owner, now, until: now + leaseMs });
      if (!r) return null;
      if (reconciled && row.attempts > 0) this.s.reconciledNotDone.run({ id: row.id, attempt: row.attempts, now });
      const next: RunnerRow = { ...row, attempts: r.attempts, needs_reconcile: 0 };
      this.recordAttempt(next, owner, now);
      return next;
    });
  }

  /** Successes, the common case, in two statements however many there are. */
  private settleSuccesses(
    successes: Extract<Outcome, { kind: 'succeeded' }>[],
    input: CycleInput,
    applied: Outcome[],
    lost: Outcome[],
    queued: QueuedInfo[],
  ): void {
    const { owner, now, graceMs } = input;
    const outputs = new Map<string, string | null>();
    const batch = successes.map((o) => {
      const r = o.result === undefined ? null : JSON.stringify(o.result);
      outputs.set(o.row.id, r);
      return { id: o.row.id, r, p: o.progress ? JSON.stringify(o.progress) : null };
    });
    const settled = new Map(this.s.succeedMany.all({ owner, now, batch: JSON.stringify(batch) }).map((r) => [r.id, r]));
    const attempts: { id: string; a: number; c: string | null }[] = [];
    for (const o of successes) {
      if (!settled.has(o.row.id)) {
        lost.push(o);
        continue;
      }
      applied.push(o);
      if (o.row.attempts > 0) attempts.push({ id: o.row.id, a: o.row.attempts, c: o.reconciled ? 'done' : null });
    }
    if (attempts.length > 0) this.s.finishAttempts.run({ now, batch: JSON.stringify(attempts) });
    for (const row of settled.values()) {
      if (row.cron_job_id) {
        const output = outputs.get(row.id) ?? null;
        this.s.cronRunFinished.run({ id: row.id, now, status: 'success', error: null, output });
        this.s.cronJobFinished.run({ cron: row.cron_job_id, now, status: 'success', error: null });
      }
      if (row.recurrence) {
        const at = nextRecurringAt(row, now, graceMs);
        if (at !== null) {
          const q = this.insertNextOccurrence(row, at, now, input.maxAttemptsOf(row.type));
          if (q) queued.push(q);
        }
      }
    }
  }

  private settle(o: Outcome, input: CycleInput, queued: QueuedInfo[]): boolean {
    const { owner, now, graceMs } = input;
    const id = o.row.id;
    let settled: SettledRow | undefined;
    let attemptStatus: 'succeeded' | 'failed' | 'cancelled';
    let runStatus: 'success' | 'failed' | 'skipped';
    let error: string | null = null;
    let output: string | null = null;
    let final = true;
    switch (o.kind) {
      case 'succeeded':
        output = o.result === undefined ? null : JSON.stringify(o.result);
        settled = this.s.succeed.get({ id, owner, now, result: output, progress: o.progress ? JSON.stringify(o.progress) : null });
        attemptStatus = 'succeeded';
        runStatus = 'success';
        break;
      case 'retry':
        error = o.error;
        settled = this.s.retry.get({ id, owner, now, runAt: o.runAt, error, reconcile: o.needsReconcile ? 1 : 0 });
        attemptStatus = 'failed';
        runStatus = 'failed';
        final = false;
        break;
      case 'held':
        error = o.error;
        settled = this.s.hold.get({ id, owner, now, error, hold: o.hold, reconcile: o.needsReconcile ? 1 : 0 });
        attemptStatus = 'failed';
        runStatus = 'failed';
        final = false;
        break;
      case 'failed':
        error = o.error;
        settled = this.s.fail.get({ id, owner, now, error, reconcile: o.needsReconcile ? 1 : 0, status: 'failed' });
        attemptStatus = 'failed';
        runStatus = 'failed';
        break;
      case 'cancelled':
        error = o.reason;
        settled = this.s.fail.get({ id, owner, now, error, reconcile: 0, status: 'cancelled' });
        attemptStatus = 'cancelled';
        runStatus = 'skipped';
        break;
    }
    if (!settled) return false;
    if (o.row.attempts > 0) {
      this.s.finishAttempt.run({
        id,
        attempt: o.row.attempts,
        status: attemptStatus,
        error,
        now,
        reconciled: o.kind === 'succeeded' && o.reconciled ? 'done' : null,
      });
    }
    if (!final) return true;
    if (settled.cron_job_id) {
      this.s.cronRunFinished.run({ id, now, status: runStatus, error, output });
      this.s.cronJobFinished.run({ cron: settled.cron_job_id, now, status: runStatus, error });
    }
    if (settled.recurrence) {
      const at = nextRecurringAt(settled, now, graceMs);
      if (at !== null) {
        const q = this.insertNextOccurrence(settled, at, now, input.maxAttemptsOf(settled.type));
        if (q) queued.push(q);
      }
    }
    return true;
  }

  /** Queue a recurring job's next occurrence (idempotent: the unique key is series@time). */
  insertNextOccurrence(prev: Pick<SettledRow, 'id' | 'series_key'>, at: number, now: number, maxAttempts: number): QueuedInfo | null {
    const nid = newId();
    return (
      this.s.nextOccurrence.get({
        prev: prev.id,
        id: nid,
        at,
        key: `${prev.series_key ?? `series:${prev.id}`}@${at}`,
        ikey: `pd-${nid}`,
        now,
        max: maxAttempts,
      }) ?? null
    );
  }

  /** Extend our leases; says which jobs we lost and which were asked to cancel. */
  renew(owner: string, ids: readonly string[], now: number, leaseMs: number): { kept: Set<string>; cancelRequested: Set<string> } {
    const rows = this.write(() => this.s.renew.all({ owner, now, until: now + leaseMs, ids: JSON.stringify(ids) }));
    return {
      kept: new Set(rows.map((r) => r.id)),
      cancelRequested: new Set(rows.filter((r) => r.cancel_requested_at !== null).map((r) => r.id)),
    };
  }

  extendLease(owner: string, id: string, now: number, leaseMs: number): boolean {
    return this.renew(owner, [id], now, leaseMs).kept.has(id);
  }

  saveProgress(owner: string, progress: ReadonlyMap<string, JobProgress>): void {
    if (progress.size === 0) return;
    this.write(() => {
      for (const [id, p] of progress) this.s.saveProgress.run({ id, owner, progress: JSON.stringify(p) });
    });
  }

  /** Give jobs back at once (graceful stop): the next runner recovers and reconciles them. */
  release(owner: string, ids: readonly string[], now: number): void {
    if (ids.length === 0) return;
    this.write(() => this.s.release.run({ owner, now, ids: JSON.stringify(ids) }));
  }

  /** The earliest moment this runner has something to do (due job or a lease to recover). */
  /** `recoverableAt`: when a lease that ran out may be taken over (see Runner.mayRecover). */
  nextWakeAt(owner: string, recoverableAt: (leaseOwner: string | null, expiredAt: number) => number = (_, at) => at): number | null {
    let next: number | null = null;
    for (const { p } of this.s.levels.all()) {
      const r = this.s.nextDueAtLevel.get({ p });
      if (r && (next === null || r.run_at < next)) next = r.run_at;
    }
    for (const l of this.s.nextLeaseExpiries.all({ owner })) {
      const at = recoverableAt(l.owner, l.at);
      if (next === null || at < next) next = at;
    }
    return next;
  }

  /**
   * Leases held by runners known to be dead (same machine, process gone) expire now instead of
   * after the lease time, so work interrupted by a crash resumes as soon as Postdesk restarts.
   */
  expireDeadOwners(isDead: (owner: string) => boolean, now: number): number {
    const dead = this.s.runningOwners.all().map((r) => r.owner).filter(isDead);
    if (dead.length === 0) return 0;
    return this.write(() => dead.reduce((n, owner) => n + this.s.expireOwner.run({ owner, now }).changes, 0));
  }

  interruptions(id: string): number {
    return this.s.countInterruptions.get({ id })?.n ?? 0;
  }
}
