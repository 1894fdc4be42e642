// The job engine on a real database file with a controllable clock: order, retries, unique keys,
// cancel, results and progress.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, JobError } from '../../electron/scheduler/definitions';
import { harness, T0, type Harness } from '../fixtures/scheduler/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const named = z.object({ name: z.string() });

describe('due order and priority', () => {
  it('given jobs due at different times and priorities, when they come due together, then higher priority runs first and then earlier due time', async () => {
    const ran: string[] = [];
    const job = defineJob({ type: 'test.order', payload: named, handler: ({ payload }) => void ran.push(payload.name) });
    h = harness([job]);
    const s = h.scheduler;
    s.enqueue(job, { name: 'late-low' }, { runAt: T0 + 3000 });
    s.enqueue(job, { name: 'early-low' }, { runAt: T0 + 1000 });
    s.enqueue(job, { name: 'mid-high' }, { runAt: T0 + 2000, priority: 10 });
    s.enqueue(job, { name: 'future-high' }, { runAt: T0 + 60_000, priority: 99 });
    s.enqueue(job, { name: 'early-mid' }, { runAt: T0 + 500, priority: 5 });
    await s.start();
    await h.settle();
    expect(ran).toEqual([]); // nothing is due yet

    // The runner was asleep for all of them (e.g. the laptop was busy): they are due together now.
    h.clock.set(T0 + 5000);
    s.runner.wake();
    await h.settle();
    expect(ran).toEqual(['mid-high', 'early-mid', 'early-low', 'late-low']);

    await h.advance(60_000, 60_000);
    expect(ran.at(-1)).toBe('future-high');
  });

  it('given a job due later, when the clock reaches its time, then it starts at that time, not before', async () => {
    const startedAt: number[] = [];
    const job = defineJob({ type: 'test.timed', payload: z.object({}), handler: (ctx) => void startedAt.push(ctx.now()) });
    h = harness([job]);
    await h.scheduler.start();
    h.scheduler.enqueue(job, {}, { runAt: T0 + 10_000 });
    await h.advance(9_999, 9_999);
    expect(startedAt).toEqual([]);
    await h.advance(1, 1);
    expect(startedAt).toEqual([T0 + 10_000]);
    const started = h.eventsOf('jobs.started')[0]!;
    expect(started.lateByMs).toBe(0);
  });
});

describe('retries', () => {
  it('given a handler that keeps failing, then it retries after the backoff delays and stops as failed at the maximum with the error kept', async () => {
    const tries: number[] = [];
    const job = defineJob({
      type: 'test.flaky',
      payload: z.object({}),
      maxAttempts: 3,
      backoff: { baseMs: 1000, factor: 2, maxMs: 60_000 },
      handler: (ctx) => {
        tries.push(ctx.now() - T0);
        throw new Error(`boom ${ctx.attempt}`);
      },
    });
    h = harness([job]); // random() = 1: the full delay, so timing is exact
    await h.scheduler.start();
    const { id } = h.scheduler.enqueue(job, {});
    await h.advance(10_000, 250);

    expect(tries).toEqual([0, 1000, 3000]); // retry 1 after 1 s, retry 2 after 2 s more
    const row = h.job(id);
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(3);
    expect(row.last_error).toBe('boom 3');
    expect(h.eventsOf('jobs.failed').map((e) => [e.attempt, e.willRetry, e.nextRunAt])).toEqual([
      [1, true, T0 + 1000],
      [2, true, T0 + 3000],
      [3, false, null],
    ]);
    const attempts = h.db.sqlite.prepare('SELECT attempt, status, error FROM job_attempts WHERE job_id = ? ORDER BY attempt').all(id);
    expect(attempts).toEqual([
      { attempt: 1, status: 'failed', error: 'boom 1' },
      { attempt: 2, status: 'failed', error: 'boom 2' },
      { attempt: 3, status: 'failed', error: 'boom 3' },
    ]);
  });

  it('given a permanent error, then the job fails at once without retrying', async () => {
    let calls = 0;
    const job = defineJob({
      type: 'test.permanent',
      payload: z.object({}),
      handler: () => {
        calls++;
        throw new JobError('the account was disconnected', { retryable: false });
      },
    });
    h = harness([job]);
    await h.scheduler.start();
    const { id } = h.scheduler.enqueue(job, {});
    await h.advance(120_000, 5000);
    expect(calls).toBe(1);
    expect(h.job(id)).toMatchObject({ status: 'failed', last_error: 'the account was disconnected' });
  });

  it('given a failed job, when the user retries it, then it runs again with a fresh budget and the same idempotency key', async () => {
    let fail = true;
    const keys: string[] = [];
    const job = defineJob({
      type: 'test.retryable',
      payload: z.object({}),
      maxAttempts: 1,
      handler: (ctx) => {
        keys.push(ctx.idempotencyKey);
        if (fail) throw new Error('offline');
        return { ok: true };
      },
    });
    h = harness([job]);
    await h.scheduler.start();
    const { id } = h.scheduler.enqueue(job, {});
    await h.settle();
    expect(h.job(id).status).toBe('failed');

    fail = false;
    h.scheduler.retry(id);
    await h.settle();
    expect(h.job(id)).toMatchObject({ status: 'completed', attempts: 2, result: '{"ok":true}' });
    expect(new Set(keys).size).toBe(1);
  });
});

describe('unique keys', () => {
  it('given the same unique key twice, then one job exists and the second enqueue returns it', async () => {
    const job = defineJob({ type: 'test.unique', payload: named, handler: () => undefined });
    h = harness([job]);
    const a = h.scheduler.enqueue(job, { name: 'a' }, { uniqueKey: 'publish:target-1', runAt: T0 + 1000 });
    const b = h.scheduler.enqueue(job, { name: 'b' }, { uniqueKey: 'publish:target-1', runAt: T0 + 5000 });
    expect(b).toEqual({ id: a.id, created: false, runAt: T0 + 1000 });
    expect(h.db.sqlite.prepare('SELECT COUNT(*) AS n FROM jobs').get()).toEqual({ n: 1 });
  });

  it('given an enqueue inside a transaction that rolls back, then no job exists and nothing runs', async () => {
    let runs = 0;
    const job = defineJob({ type: 'test.tx', payload: z.object({}), handler: () => void runs++ });
    h = harness([job]);
    await h.scheduler.start();
    const s = h.scheduler;
    expect(() =>
      h!.db.orm.transaction((tx) => {
        s.enqueue(job, {}, { uniqueKey: 'k1' }, tx);
        throw new Error('the post could not be saved');
      }),
    ).toThrow('the post could not be saved');
    h.db.orm.transaction((tx) => void s.enqueue(job, {}, { uniqueKey: 'k2' }, tx));
    await h.settle();
    expect(h.db.sqlite.prepare('SELECT unique_key FROM jobs').all()).toEqual([{ unique_key: 'k2' }]);
    expect(runs).toBe(1);
    // The UI heard about the committed job only.
    expect(h.eventsOf('jobs.queued').flatMap((e) => e.jobs.map((j) => j.jobId))).toHaveLength(1);
  });

  it('given an invalid payload, then enqueue refuses it before it reaches the database', () => {
    const job = defineJob({ type: 'test.valid', payload: named, handler: () => undefined });
    h = harness([job]);
    expect(() => h!.scheduler.enqueueType('test.valid', { name: 42 })).toThrow(/name/);
    expect(h.db.sqlite.prepare('SELECT COUNT(*) AS n FROM jobs').get()).toEqual({ n: 0 });
  });
});

describe('cancel', () => {
  it('given a pending job, when it is cancelled, then it never runs', async () => {
    let runs = 0;
    const job = defineJob({ type: 'test.cancel', payload: z.object({}), handler: () => void runs++ });
    h = harness([job]);
    await h.scheduler.start();
    const { id } = h.scheduler.enqueue(job, {}, { runAt: T0 + 1000 });
    expect(h.scheduler.cancel(id).status).toBe('cancelled');
    await h.advance(5000);
    expect(runs).toBe(0);
    expect(h.job(id).status).toBe('cancelled');
    expect(() => h!.scheduler.cancel(id)).toThrow(/already been cancelled/);
  });

  it('given a running job, when it is cancelled, then its handler is told and it ends cancelled', async () => {
    let sawAbort = false;
    const job = defineJob({
      type: 'test.long',
      payload: z.object({}),
      handler: (ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(new Error('stopped'));
          });
        }),
    });
    h = harness([job]);
    await h.scheduler.start();
    const { id } = h.scheduler.enqueue(job, {});
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(h.job(id).status).toBe('running');
    expect(h.scheduler.cancel(id).cancelling).toBe(true);
    await h.settle();
    expect(sawAbort).toBe(true);
    expect(h.job(id).status).toBe('cancelled');
    expect(h.eventsOf('jobs.cancelled').map((e) => e.jobId)).toEqual([id]);
  });
});

describe('results, progress and timeouts', () => {
  it('given a handler that reports progress and returns a result, then events carry both and the result is stored', async () => {
    const job = defineJob({
      type: 'test.progress',
      payload: z.object({}),
      handler: async (ctx) => {
        ctx.progress(0.5, 'half way');
        await Promise.resolve();
        ctx.progress(1, 'done');
        return { items: 3 };
      },
    });
    h = harness([job]);
    await h.scheduler.start();
    const { id } = h.scheduler.enqueue(job, {});
    await h.settle();
    expect(h.eventsOf('jobs.progress').map((e) => [e.fraction, e.message])).toEqual([
      [0.5, 'half way'],
      [1, 'done'],
    ]);
    expect(h.eventsOf('jobs.succeeded')).toMatchObject([{ jobId: id, attempt: 1, reconciled: false }]);
    const row = h.db.sqlite.prepare<[string], { result: string; progress: string }>('SELECT result, progress FROM jobs WHERE id = ?').get(id)!;
    expect(JSON.parse(row.result)).toEqual({ items: 3 });
    expect(JSON.parse(row.progress)).toEqual({ fraction: 1, message: 'done' });
  });

  it('given a handler that hangs past its timeout, then the attempt fails and is retried', async () => {
    let calls = 0;
    const job = defineJob({
      type: 'test.hang',
      payload: z.object({}),
      timeoutMs: 2000,
      maxAttempts: 2,
      backoff: { baseMs: 1000, factor: 2, maxMs: 1000 },
      handler: () => {
        calls++;
        return new Promise<never>(() => {});
      },
    });
    h = harness([job]);
    await h.scheduler.start();
    const { id } = h.scheduler.enqueue(job, {});
    await h.advance(10_000, 500);
    expect(calls).toBe(2);
    expect(h.job(id)).toMatchObject({ status: 'failed', last_error: 'The job took too long and was stopped.' });
  });
});

describe('concurrency', () => {
  it('given a concurrency of 3 and slow handlers, then at most 3 run at once and all finish', async () => {
    let now = 0;
    let peak = 0;
    const job = defineJob({
      type: 'test.parallel',
      payload: z.object({}),
      handler: async () => {
        now++;
        peak = Math.max(peak, now);
        await new Promise((r) => setTimeout(r, 5));
        now--;
      },
    });
    h = harness([job], { concurrency: 3 });
    await h.scheduler.start();
    for (let i = 0; i < 10; i++) h.scheduler.enqueue(job, {});
    await new Promise((r) => setTimeout(r, 100));
    await h.settle();
    expect(peak).toBe(3);
    expect(h.db.sqlite.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'completed'`).get()).toEqual({ n: 10 });
  });
});
