// Finished jobs are history: kept for a while for the Queue page, then removed in small batches
// (their attempts go with them) so the jobs table and its indexes stay the size of live work.
// Jobs that carry a unique key are kept: the key is what stops the same work being queued again —
// except a cron firing's ('cron:<cron>:<time>'): its cron_job_runs row already guards that firing,
// and a firing older than the history window can never come round again. Those firings' runs go
// too, or an every-minute cron would grow the file by ~180 MB a year.
import type { Database } from '../../db/client';

export interface PruneResult {
  deleted: number;
  /** cron_job_runs rows of firings older than the window. */
  cronRunsDeleted: number;
}

const CRON_KEY_PREFIX = 'cron:';

/** Milliseconds encoded in a UUIDv7 (its first 48 bits), or null for other ids. */
function uuidv7Time(id: string): number | null {
  const hex = id.replaceAll('-', '');
  if (hex.length !== 32 || hex[12] !== '7') return null;
  return parseInt(hex.slice(0, 12), 16);
}

/**
 * Delete completed and cancelled jobs finished before `before` (failed ones stay visible). Walks
 * the table once in id order (UUIDv7: creation order) in windows, and stops at jobs created
 * after `before`, which cannot have finished before it.
 */
export async function pruneFinishedJobs(db: Database, before: number, opts: { batch?: number } = {}): Promise<PruneResult> {
  const window = opts.batch ?? 500;
  const scan = db.sqlite.prepare<{ cursor: string; n: number }, { id: string; status: string; unique_key: string | null; completed_at: number | null }>(
    'SELECT id, status, unique_key, completed_at FROM jobs WHERE id > @cursor ORDER BY id LIMIT @n',
  );
  const del = db.sqlite.prepare<[string]>(`DELETE FROM jobs WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('completed', 'cancelled')`);
  let cursor = '';
  let deleted = 0;
  for (;;) {
    const rows = scan.all({ cursor, n: window });
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1]!.id;
    const doomed = rows
      .filter((r) => (r.status === 'completed' || r.status === 'cancelled') && (r.unique_key === null || r.unique_key.startsWith(CRON_KEY_PREFIX)) && r.completed_at !== null && r.completed_at < before)
      .map((r) => r.id);
    if (doomed.length > 0) deleted += db.sqlite.transaction(() => del.run(JSON.stringify(doomed)).changes).immediate();
    const created = uuidv7Time(cursor);
    if (rows.length < window || (created !== null && created > before)) break;
    // Yield between windows: pruning a large history never holds the event loop for long.
    await new Promise((r) => setImmediate(r));
  }
  const runs = db.sqlite.prepare<[number, number]>(
    `DELETE FROM cron_job_runs WHERE id IN (SELECT id FROM cron_job_runs WHERE scheduled_for < ? AND status <> 'running' LIMIT ?)`,
  );
  let cronRunsDeleted = 0;
  for (;;) {
    const n = db.sqlite.transaction(() => runs.run(before, window).changes).immediate();
    cronRunsDeleted += n;
    if (n < window) break;
    await new Promise((r) => setImmediate(r));
  }
  return { deleted, cronRunsDeleted };
}
