// Old finished jobs are pruned in batches; failed jobs and jobs holding a unique key stay.
import { afterEach, describe, expect, it } from 'vitest';
import { pruneFinishedJobs } from '../../electron/scheduler/prune';
import { openTestDb } from '../helpers/db';

let db: ReturnType<typeof openTestDb> | undefined;
afterEach(() => {
  db?.cleanup();
  db = undefined;
});

const DAY = 86_400_000;

/** A UUIDv7 minted at `ms` (the scan relies on ids sorting by creation time). */
function idAt(ms: number, n: number): string {
  const hex = ms.toString(16).padStart(12, '0') + '7' + (n % 4096).toString(16).padStart(3, '0') + '8' + n.toString(16).padStart(15, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('pruning finished jobs', () => {
  it('given old completed, cancelled, failed and keyed jobs, when pruned, then only old unkeyed completed and cancelled ones go, with their attempts', async () => {
    db = openTestDb();
    const now = Date.now();
    const insert = db.sqlite.prepare(
      `INSERT INTO jobs (id, type, status, run_at, attempts, unique_key, completed_at, created_at, updated_at) VALUES (?, 'test.old', ?, ?, 1, ?, ?, ?, ?)`,
    );
    const attempt = db.sqlite.prepare(`INSERT INTO job_attempts (job_id, attempt, idempotency_key, runner, status, started_at, created_at, updated_at) VALUES (?, 1, 'k', 'r', 'succeeded', 1, 1, 1)`);
    db.sqlite.transaction(() => {
      for (let n = 0; n < 1200; n++) {
        // 1000 jobs from 40 days ago, 200 from yesterday.
        const created = n < 1000 ? now - 40 * DAY + n : now - DAY + n;
        const status = n % 10 === 0 ? 'failed' : n % 10 === 1 ? 'cancelled' : 'completed';
        const id = idAt(created, n);
        insert.run(id, status, created, n === 5 ? 'publish:t1' : null, created + 1000, created, created);
        attempt.run(id);
      }
    })();
    const { deleted } = await pruneFinishedJobs(db, now - 30 * DAY, { batch: 100 });
    // Of the 1000 old ones, 100 failed stay and the keyed one stays: 899 go.
    expect(deleted).toBe(899);
    expect(db.sqlite.prepare('SELECT COUNT(*) AS n FROM jobs').get()).toEqual({ n: 301 });
    expect(db.sqlite.prepare('SELECT COUNT(*) AS n FROM job_attempts').get()).toEqual({ n: 301 });
    expect(db.sqlite.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE unique_key = 'publish:t1'`).get()).toEqual({ n: 1 });
  });

  it("given an every-minute cron's firings from 40 days and 1 day ago, when pruned, then the old completed firings and their runs go and the recent ones stay", async () => {
    db = openTestDb();
    const now = Date.now();
    const cronId = idAt(now - 50 * DAY, 9999);
    db.sqlite
      .prepare(`INSERT INTO cron_jobs (id, name, job_type, cron_expression, timezone, payload, enabled, next_run_at, created_at, updated_at) VALUES (?, 'Check inboxes', 'inbox.poll_sweep', '* * * * *', 'UTC', '{}', 1, ?, 1, 1)`)
      .run(cronId, now + 60_000);
    const job = db.sqlite.prepare(`INSERT INTO jobs (id, type, status, run_at, attempts, unique_key, completed_at, created_at, updated_at) VALUES (?, 'inbox.poll_sweep', 'completed', ?, 1, ?, ?, ?, ?)`);
    const run = db.sqlite.prepare(`INSERT INTO cron_job_runs (id, cron_job_id, job_id, scheduled_for, status, finished_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'success', ?, ?, ?)`);
    db.sqlite.transaction(() => {
      for (let n = 0; n < 300; n++) {
        const at = n < 200 ? now - 40 * DAY + n * 60_000 : now - DAY + n * 60_000;
        const id = idAt(at, n);
        job.run(id, at, `cron:${cronId}:${at}`, at + 500, at, at);
        run.run(idAt(at, n + 5000), cronId, id, at, at + 500, at, at);
      }
    })();
    const r = await pruneFinishedJobs(db, now - 30 * DAY, { batch: 64 });
    expect(r).toEqual({ deleted: 200, cronRunsDeleted: 200 });
    expect(db.sqlite.prepare('SELECT COUNT(*) AS n FROM jobs').get()).toEqual({ n: 100 });
    expect(db.sqlite.prepare('SELECT COUNT(*) AS n FROM cron_job_runs').get()).toEqual({ n: 100 });
    expect(db.sqlite.prepare('SELECT MIN(scheduled_for) >= ? AS recent FROM cron_job_runs').get(now - 2 * DAY)).toEqual({ recent: 1 });
  });
});
