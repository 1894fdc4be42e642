// What a user can do to a job from the Queue page: retry (or run now, or decide a held missed
// job: run it) and cancel (a running job is asked to stop; a recurring job's series may be ended).
import type { Database } from '../../db/client';
import { JobStore, nextRecurringAt, type QueuedInfo } from './store';

export class SchedulerError extends Error {
  override name = 'SchedulerError';
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

interface ManualRow {
  id: string;
  type: string;
  workspace_id: string | null;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  hold: string | null;
  run_at: number;
  due_at: number | null;
  attempts: number;
  interruptions: number;
  max_attempts: number;
  recurrence: string | null;
  series_key: string | null;
}

const COLS = 'id, type, workspace_id, status, hold, run_at, due_at, attempts, interruptions, max_attempts, recurrence, series_key';

function load(db: Database, id: string): ManualRow {
  const row = db.sqlite.prepare<[string], ManualRow>(`SELECT ${COLS} FROM jobs WHERE id = ?`).get(id);
  if (!row) throw new SchedulerError('not_found', 'That job does not exist (it may have been cleaned up).');
  return row;
}

export interface ManualResult {
  id: string;
  type: string;
  workspaceId: string | null;
  status: ManualRow['status'];
  runAt: number;
  /** Cancel of a running job: it has been asked to stop and will report when it has. */
  cancelling?: boolean;
  queued?: QueuedInfo[];
}

/**
 * Run a job again now. A failed or cancelled job gets a fresh budget of attempts and keeps its
 * idempotency key, so a publish that did go out is found by reconcile instead of repeated.
 */
export function retryJob(db: Database, id: string, now: number, maxAttemptsOf: (type: string) => number): ManualResult {
  return db.sqlite
    .transaction((): ManualResult => {
      const row = load(db, id);
      if (row.status === 'running') throw new SchedulerError('conflict', 'This job is running right now; wait for it to finish.');
      if (row.status === 'completed') throw new SchedulerError('conflict', 'This job already succeeded, so there is nothing to retry.');
      const budget = row.attempts - row.interruptions + maxAttemptsOf(row.type);
      db.sqlite
        .prepare(
          `UPDATE jobs SET status = 'pending', hold = NULL, run_at = ?, max_attempts = ?, completed_at = NULL, cancel_requested_at = NULL,
             lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(now, row.status === 'pending' ? row.max_attempts : budget, now, id);
      return { id, type: row.type, workspaceId: row.workspace_id, status: 'pending', runAt: now };
    })
    .immediate();
}

/**
 * Cancel a job. Pending: cancelled at once (a recurring job moves on to its next occurrence
 * unless `series`). Running: asked to stop (the runner that holds it sees the request at once
 * in this process, or at its next lease renewal in another); it ends cancelled, or completed if
 * its effect had already happened.
 */
export function cancelJob(db: Database, id: string, now: number, opts: { series?: boolean; maxAttemptsOf: (type: string) => number; graceMs: number }): ManualResult {
  const store = new JobStore(db.sqlite);
  return store.write((): ManualResult => {
    const row = load(db, id);
    const ref = { id, type: row.type, workspaceId: row.workspace_id };
    if (row.status === 'completed' || row.status === 'failed' || row.status === 'cancelled') {
      throw new SchedulerError('conflict', `This job has already ${row.status === 'completed' ? 'succeeded' : row.status === 'failed' ? 'failed' : 'been cancelled'}.`);
    }
    const queued: QueuedInfo[] = [];
    if (opts.series && row.series_key) {
      // End the series: no occurrence after this one, and every pending one is cancelled.
      db.sqlite
        .prepare(
          `UPDATE jobs SET status = 'cancelled', last_error = 'Cancelled (the whole series).', completed_at = ?, updated_at = ?
           WHERE series_key = ? AND status = 'pending' AND id != ?`,
        )
        .run(now, now, row.series_key, id);
      db.sqlite.prepare(`UPDATE jobs SET recurrence = NULL, updated_at = ? WHERE series_key = ? AND status IN ('pending', 'running')`).run(now, row.series_key);
      row.recurrence = null;
    }
    if (row.status === 'running') {
      db.sqlite.prepare(`UPDATE jobs SET cancel_requested_at = ?, updated_at = ? WHERE id = ?`).run(now, now, id);
      return { ...ref, status: 'running', runAt: row.run_at, cancelling: true, queued };
    }
    db.sqlite
      .prepare(`UPDATE jobs SET status = 'cancelled', hold = NULL, last_error = COALESCE(last_error, 'Cancelled.'), completed_at = ?, updated_at = ? WHERE id = ?`)
      .run(now, now, id);
    if (row.recurrence) {
      const at = nextRecurringAt(row, now, opts.graceMs);
      const q = at === null ? null : store.insertNextOccurrence(row, at, now, opts.maxAttemptsOf(row.type));
      if (q) queued.push(q);
    }
    return { ...ref, status: 'cancelled', runAt: row.run_at, queued };
  });
}
