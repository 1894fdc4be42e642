// The core runs the scheduler in every host: maintenance is scheduled once per database, runs for
// real, and its progress reaches the event bus that the UI listens to.
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { optimizeDatabase, pruneJobHistory } from '../../electron/core/maintenance/jobs';
import { tempDir } from '../helpers/db';

describe('the core with its scheduler', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function core(dir: string): Promise<Core> {
    const c = await createCore({ dataDir: dir, host: 'in-process' });
    cleanups.push(() => c.close());
    return c;
  }

  it('given a fresh data folder, when the core starts, then every periodic job (inbox and metrics sweeps, maintenance, backups and checks, sign-in renewal, sync) is scheduled once', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const a = await core(dir);
    const rows = a.ctx.db.sqlite.prepare(`SELECT name, cron_expression, next_run_at FROM cron_jobs ORDER BY name`).all() as { name: string; cron_expression: string; next_run_at: number }[];
    expect(rows.map((r) => [r.name, r.cron_expression])).toEqual([
      ['Check inboxes that are due', '* * * * *'],
      ['Clear old job history', '15 3 * * *'],
      ['Daily backup', '45 3 * * *'],
      ['Database maintenance', '30 3 * * *'],
      ['Fetch post metrics that are due', '*/15 * * * *'],
      ['Renew sign-ins before they expire', '*/10 * * * *'],
      ['Sync with the cloud database', '*/5 * * * *'],
      ['Weekly integrity check', '15 4 * * 0'],
    ]);
    for (const r of rows) {
      expect(r.next_run_at).toBeGreaterThan(Date.now());
      expect(r.next_run_at - Date.now()).toBeLessThanOrEqual((r.cron_expression.endsWith('* * 0') ? 7 * 24 + 1 : 25) * 3_600_000);
    }

    // A second process on the same file (desktop + web mode) does not add more.
    const b = await core(dir);
    expect(b.ctx.db.sqlite.prepare(`SELECT count(*) FROM cron_jobs`).pluck().get()).toBe(rows.length);
  });

  it('given a maintenance job, when it runs, then it completes with its result and the UI hears about it', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const c = await core(dir);
    const heard: string[] = [];
    c.ctx.events.subscribe((event) => heard.push(event));
    const { id } = c.scheduler!.enqueue(optimizeDatabase, {});
    await c.scheduler!.idle();
    const row = c.ctx.db.sqlite.prepare(`SELECT status, result FROM jobs WHERE id = ?`).get(id) as { status: string; result: string };
    expect(row.status).toBe('completed');
    expect(JSON.parse(row.result)).toMatchObject({ busy: false });
    expect(heard).toEqual(expect.arrayContaining(['jobs.queued', 'jobs.started', 'jobs.succeeded']));
    const listed = await (await import('../../electron/api/dispatch')).inProcessClient(c.ctx)('jobs.list', { status: 'completed' });
    expect(listed.items.map((j) => j.id)).toContain(id);
  });

  it('given completed jobs older than the history window and a recent one, when history is cleared, then only the old ones go', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const c = await core(dir);
    const old = c.scheduler!.enqueue(optimizeDatabase, {});
    await c.scheduler!.idle();
    // Age the finished job past the window, as if it ran 40 days ago.
    c.ctx.db.sqlite.prepare(`UPDATE jobs SET completed_at = ? WHERE id = ?`).run(Date.now() - 40 * 86_400_000, old.id);
    const recent = c.scheduler!.enqueue(optimizeDatabase, {});
    await c.scheduler!.idle();
    const prune = c.scheduler!.enqueue(pruneJobHistory, {});
    await c.scheduler!.idle();
    const ids = c.ctx.db.sqlite.prepare(`SELECT id FROM jobs`).pluck().all();
    expect(ids).not.toContain(old.id);
    expect(ids).toEqual(expect.arrayContaining([recent.id, prune.id]));
    const result = c.ctx.db.sqlite.prepare(`SELECT result FROM jobs WHERE id = ?`).pluck().get(prune.id) as string;
    expect(JSON.parse(result)).toEqual({ deleted: 1, cronRunsDeleted: 0 });
  });
});
