// Recurring work: an RRULE series across a DST change, and cron jobs whose firings are recorded
// once each, in a timezone, with their missed-run policies.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../../electron/scheduler/definitions';
import { wallTimeAt } from '../../electron/scheduler/zoned-time';
import { openSchedulerTestDb } from '../fixtures/scheduler/db';
import { harness, T0, type Harness } from '../fixtures/scheduler/harness';

const open: Pick<Harness, 'cleanup'>[] = [];
afterEach(async () => {
  for (const h of open.splice(0).reverse()) await h.cleanup().catch(() => {});
});

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('RRULE series', () => {
  it('given a weekly 09:00 New York post across the March DST change, then each occurrence runs at 09:00 local and the series ends after COUNT', async () => {
    const runs: { at: number; due: number; key: string | null }[] = [];
    const post = defineJob({
      type: 'test.recurring_post',
      payload: z.object({ postId: z.string() }),
      handler: (ctx) => void runs.push({ at: ctx.now(), due: ctx.job.dueAt, key: ctx.job.uniqueKey }),
    });
    // T0 is Sunday 2026-03-01 12:00Z; New York moves to EDT on Sunday 2026-03-08.
    const h = harness([post]);
    open.push(h);
    const rec = { rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3', startsAt: Date.parse('2026-03-02T14:00:00Z'), timezone: 'America/New_York' };
    const first = h.scheduler.enqueue(post, { postId: 'p1' }, { recurrence: rec, seriesKey: 'post:p1' });
    expect(iso(first.runAt)).toBe('2026-03-02T14:00:00.000Z');
    await h.scheduler.start();
    await h.advance(21 * DAY, HOUR);

    expect(runs.map((r) => iso(r.at))).toEqual(['2026-03-02T14:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-16T13:00:00.000Z']);
    expect(runs.map((r) => wallTimeAt(r.at, 'America/New_York').hour)).toEqual([9, 9, 9]);
    expect(runs.map((r) => r.due)).toEqual(runs.map((r) => r.at));
    expect(runs.map((r) => r.key)).toEqual(runs.map((r) => `post:p1@${r.at}`));
    const rows = h.db.sqlite.prepare(`SELECT status FROM jobs WHERE series_key = 'post:p1'`).all();
    expect(rows).toEqual([{ status: 'completed' }, { status: 'completed' }, { status: 'completed' }]);
  });

  it('given the app closed across several daily occurrences, when it starts, then one missed occurrence runs and the series continues with the next one ahead', async () => {
    const runs: number[] = [];
    const post = defineJob({ type: 'test.daily', payload: z.object({}), handler: (ctx) => void runs.push(ctx.job.dueAt) });
    const db = openSchedulerTestDb();
    const h = harness([post], { db, start: T0 });
    open.push(h);
    const rec = { rrule: 'FREQ=DAILY', startsAt: T0 + HOUR, timezone: 'UTC' };
    h.scheduler.enqueue(post, {}, { recurrence: rec });
    // Closed for three and a half days.
    h.clock.set(T0 + 3.5 * DAY);
    await h.scheduler.start();
    await h.settle();
    expect(runs).toEqual([T0 + HOUR]);
    const pending = db.sqlite.prepare(`SELECT run_at FROM jobs WHERE status = 'pending'`).all() as { run_at: number }[];
    expect(pending.map((p) => iso(p.run_at))).toEqual([iso(T0 + 4 * DAY + HOUR)]);
  });

  it('given a recurring job, when one occurrence is cancelled, then the next is queued; when the series is cancelled, then nothing follows', async () => {
    const post = defineJob({ type: 'test.weekly', payload: z.object({}), handler: () => undefined });
    const h = harness([post]);
    open.push(h);
    const rec = { rrule: 'FREQ=WEEKLY', startsAt: T0 + HOUR, timezone: 'UTC' };
    const first = h.scheduler.enqueue(post, {}, { recurrence: rec, seriesKey: 's' });
    const r1 = h.scheduler.cancel(first.id);
    expect(r1.queued?.map((q) => q.runAt)).toEqual([T0 + HOUR + 7 * DAY]);
    const second = r1.queued![0]!;
    const r2 = h.scheduler.cancel(second.id, { series: true });
    expect(r2.queued).toEqual([]);
    expect(h.db.sqlite.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'pending'`).get()).toEqual({ n: 0 });
  });
});

describe('cron jobs', () => {
  it('given a cron job every minute, then each firing runs once and is recorded with its job', async () => {
    const firings: number[] = [];
    const poll = defineJob({ type: 'test.poll', payload: z.object({ inbox: z.string() }), handler: (ctx) => void firings.push(ctx.job.dueAt) });
    const h = harness([poll]);
    open.push(h);
    await h.scheduler.start();
    const { id: cronId, nextRunAt } = h.scheduler.upsertCron({ name: 'poll inbox', jobType: 'test.poll', cronExpression: '* * * * *', payload: { inbox: 'main' } });
    expect(nextRunAt).toBe(T0 + 60_000);
    await h.advance(3 * 60_000 + 1000, 10_000);
    expect(firings).toEqual([T0 + 60_000, T0 + 120_000, T0 + 180_000]);
    const runs = h.db.sqlite
      .prepare(`SELECT r.scheduled_for AS at, r.status, j.status AS jobStatus FROM cron_job_runs r JOIN jobs j ON j.id = r.job_id WHERE r.cron_job_id = ? ORDER BY r.scheduled_for`)
      .all(cronId);
    expect(runs).toEqual(firings.map((at) => ({ at, status: 'success', jobStatus: 'completed' })));
    expect(h.db.sqlite.prepare('SELECT last_status, next_run_at FROM cron_jobs WHERE id = ?').get(cronId)).toEqual({ last_status: 'success', next_run_at: T0 + 240_000 });
  });

  it('given a cron expression in Paris time, then it fires at that wall time', async () => {
    const poll = defineJob({ type: 'test.morning', payload: z.object({}), handler: () => undefined });
    const h = harness([poll]);
    open.push(h);
    const { nextRunAt } = h.scheduler.upsertCron({ name: 'morning', jobType: 'test.morning', cronExpression: '0 9 * * *', timezone: 'Europe/Paris' });
    expect(iso(nextRunAt!)).toBe('2026-03-02T08:00:00.000Z'); // 09:00 CET
    expect(() => h.scheduler.upsertCron({ name: 'bad', jobType: 'test.morning', cronExpression: '61 * * * *' })).toThrow(/cron expression/);
  });

  it.each([
    ['run_once', 1, 0],
    ['run_all', 5, 0],
    ['skip', 0, 1],
  ] as const)('given an hourly cron job missed 5 times while closed with policy %s, then %i jobs run and %i firing is recorded as skipped', async (policy, jobs, skipped) => {
    const ran: number[] = [];
    const sweep = defineJob({ type: 'test.sweep', payload: z.object({}), handler: (ctx) => void ran.push(ctx.job.dueAt) });
    const db = openSchedulerTestDb();
    const setup = harness([sweep], { db });
    setup.scheduler.upsertCron({ name: 'sweep', jobType: 'test.sweep', cronExpression: '0 * * * *', missedRunPolicy: policy });
    // Closed from T0 until 5.5 hours later.
    const h = harness([sweep], { db, start: T0 + 5.5 * HOUR });
    open.push(h);
    await h.scheduler.start();
    await h.settle();
    expect(ran).toHaveLength(jobs);
    if (policy === 'run_once') expect(ran).toEqual([T0 + 5 * HOUR]);
    const statuses = db.sqlite.prepare(`SELECT status FROM cron_job_runs`).all() as { status: string }[];
    expect(statuses.filter((s) => s.status === 'skipped')).toHaveLength(skipped);
    expect(db.sqlite.prepare('SELECT next_run_at FROM cron_jobs').get()).toEqual({ next_run_at: T0 + 6 * HOUR });
  });

  it('given two runners on one file, when a cron firing comes due, then it is materialised once', async () => {
    const ran: string[] = [];
    const job = defineJob<Record<string, never>, void, { name: string }>({ type: 'test.once', payload: z.object({}), handler: (ctx) => void ran.push(ctx.app.name) });
    const db = openSchedulerTestDb();
    const a = harness([job], { db, app: { name: 'a' }, concurrency: 4 });
    const b = harness([job], { db, app: { name: 'b' }, concurrency: 4 });
    open.push(a, b);
    a.scheduler.upsertCron({ name: 'once', jobType: 'test.once', cronExpression: '* * * * *' });
    await a.scheduler.start();
    await b.scheduler.start();
    for (let i = 0; i < 3; i++) {
      await Promise.all([a.clock.advance(60_000), b.clock.advance(60_000)]);
      await a.settle();
      await b.settle();
    }
    expect(ran).toHaveLength(3);
    expect(db.sqlite.prepare('SELECT COUNT(*) AS n FROM cron_job_runs').get()).toEqual({ n: 3 });
  });
});
