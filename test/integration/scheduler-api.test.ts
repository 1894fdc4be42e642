// The jobs API through its real handlers and zod inputs on a real core: list with filters and
// paging, one job with its attempt history, stats, retry and cancel (typed errors included).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toApiError } from '../../electron/api/dispatch';
import { jobsApi } from '../../electron/api/jobs';
import type { ApiContext } from '../../electron/core/context';
import { ManualClock } from '../../electron/scheduler/clock';
import { defineJob } from '../../electron/scheduler/definitions';
import type { JobEventName } from '../../electron/scheduler/events';
import { createScheduler, type Scheduler } from '../../electron/scheduler/scheduler';
import { startTestCore } from '../helpers/core';

type Api = typeof jobsApi;
type Name = keyof Api;

let core: Awaited<ReturnType<typeof startTestCore>>;
let scheduler: Scheduler;
let clock: ManualClock;
const events: JobEventName[] = [];

/** Validate and run like the dispatcher does (the area is registered in electron/api/index.ts). */
async function call<N extends Name>(name: N, input: z.input<Api[N]['input']>): Promise<Awaited<ReturnType<Api[N]['handler']>>> {
  const def = jobsApi[name];
  try {
    const parsed = def.input.parse(input);
    const handler = def.handler as (c: ApiContext, i: unknown) => unknown;
    return (await handler(core.ctx, parsed)) as Awaited<ReturnType<Api[N]['handler']>>;
  } catch (err) {
    throw toApiError(err);
  }
}

const ok = defineJob({ type: 'test.ok', payload: z.object({ n: z.number() }), handler: (ctx) => ({ doubled: ctx.payload.n * 2 }) });
const bad = defineJob({
  type: 'test.bad',
  payload: z.object({}),
  maxAttempts: 1,
  handler: () => {
    throw new Error('The platform said: rate limited. Try again in an hour.');
  },
});

beforeEach(async () => {
  core = await startTestCore();
  // Near real time: the API judges "due" against the wall clock.
  clock = new ManualClock(Date.now());
  events.length = 0;
  scheduler = createScheduler({ db: core.ctx.db, definitions: [ok, bad], app: {}, clock, log: () => {}, onEvent: (n) => events.push(n), maxSleepMs: 3_600_000 });
});
afterEach(async () => {
  await scheduler.stop();
  await core.cleanup();
});

async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  await scheduler.idle();
}

describe('jobs API', () => {
  it('given finished, failed and scheduled jobs, when listed and counted, then each shows its state, next run, attempts and last error', async () => {
    const now = clock.now();
    const done = scheduler.enqueue(ok, { n: 21 });
    const failed = scheduler.enqueue(bad, {});
    const later = scheduler.enqueue(ok, { n: 1 }, { runAt: now + 3_600_000 });
    await scheduler.start();
    await settle();

    const all = await call('jobs.list', {});
    expect(all.total).toBe(3);
    expect(all.items.map((j) => [j.id, j.state, j.nextRunAt])).toEqual([
      [done.id, 'completed', null],
      [failed.id, 'failed', null],
      [later.id, 'scheduled', now + 3_600_000],
    ]);
    const f = await call('jobs.list', { status: 'failed' });
    expect(f.items).toMatchObject([{ id: failed.id, attempts: 1, maxAttempts: 1, lastError: 'The platform said: rate limited. Try again in an hour.' }]);

    const one = await call('jobs.get', { jobId: done.id });
    expect(one).toMatchObject({ result: { doubled: 42 }, history: [{ attempt: 1, status: 'succeeded' }] });

    const page1 = await call('jobs.list', { limit: 2, order: 'next' });
    expect(page1.nextOffset).toBe(2);
    const page2 = await call('jobs.list', { limit: 2, offset: 2, order: 'next' });
    expect(page2.items).toHaveLength(1);
    expect(page2.nextOffset).toBeNull();

    const stats = await call('jobs.stats', {});
    expect(stats.counts).toMatchObject({ completed: 1, failed: 1, pending: 1, running: 0, overdue: 0 });
    expect(stats.nextRunAt).toBe(now + 3_600_000);
    expect(stats.byType.map((t) => t.type)).toEqual(['test.bad', 'test.ok']);
  });

  it('given a failed job, when retried through the API, then it runs again; when retried while completed, then a conflict error says why', async () => {
    const failed = scheduler.enqueue(bad, {});
    const done = scheduler.enqueue(ok, { n: 1 });
    await scheduler.start();
    await settle();
    const r = await call('jobs.retry', { jobId: failed.id });
    expect(r.status).toBe('pending');
    await settle();
    expect((await call('jobs.get', { jobId: failed.id })).history.map((h) => h.attempt)).toEqual([1, 2]);
    expect(events).toContain('jobs.queued');
    await expect(call('jobs.retry', { jobId: done.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/already succeeded/) });
  });

  it('given a scheduled job, when cancelled through the API, then it is cancelled and filtered lists see it', async () => {
    const later = scheduler.enqueue(ok, { n: 1 }, { runAt: clock.now() + 60_000 });
    const r = await call('jobs.cancel', { jobId: later.id });
    expect(r.status).toBe('cancelled');
    expect((await call('jobs.list', { status: 'cancelled' })).items.map((j) => j.id)).toEqual([later.id]);
  });

  it('given bad input, then the API refuses it with typed errors', async () => {
    await expect(call('jobs.get', { jobId: 'nope' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call('jobs.list', { limit: 1000 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call('jobs.list', { type: 'DROP TABLE' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call('jobs.get', { jobId: '0190a000-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('given no scheduler running on the database, then retry and cancel still work on the rows', async () => {
    await scheduler.stop();
    const other = await startTestCore();
    try {
      const s2 = createScheduler({ db: other.ctx.db, definitions: [ok], app: {}, log: () => {} });
      const { id } = s2.enqueue(ok, { n: 1 }, { runAt: Date.now() + 60_000 });
      const saved = core;
      core = other;
      const r = await call('jobs.cancel', { jobId: id });
      core = saved;
      expect(r.status).toBe('cancelled');
    } finally {
      await other.cleanup();
    }
  });
});
