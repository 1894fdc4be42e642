// Crashes in one process, simulated with two runners on one database file: runner A claims a job
// and then freezes (its manual clock never moves again, so it never renews its lease), runner B
// lives on. B must wait for A's lease, ask the handler's reconcile whether A's attempt took
// effect, and only then run it again; A, should it wake up, can no longer record anything.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../../electron/scheduler/definitions';
import { openSchedulerTestDb } from '../fixtures/scheduler/db';
import { harness, T0, type Harness } from '../fixtures/scheduler/harness';

interface App {
  name: 'A' | 'B';
}

const open: Harness<App>[] = [];
afterEach(async () => {
  for (const h of open.splice(0).reverse()) await h.cleanup().catch(() => {});
});

/** A "platform" that remembers which idempotency keys it has seen. */
function platform() {
  const seen = new Map<string, number>();
  return {
    seen,
    post(key: string) {
      seen.set(key, (seen.get(key) ?? 0) + 1);
    },
  };
}

function twoRunners(defs: Parameters<typeof harness<App>>[0]) {
  const db = openSchedulerTestDb();
  // A lives on another machine as far as B can tell, so only its lease expiry frees its jobs.
  const a = harness<App>(defs, { db, owner: 'laptop-a/4242/aaaa', app: { name: 'A' } satisfies App, leaseMs: 30_000 });
  const b = harness<App>(defs, { db, owner: 'desktop-b/4343/bbbb', app: { name: 'B' } satisfies App, leaseMs: 30_000 });
  // Clean up B, then A (whose cleanup removes the file).
  open.push(a, b);
  return { a, b, db };
}

const attemptsOf = (h: Harness<App>, id: string) =>
  h.db.sqlite.prepare('SELECT attempt, status, reconciled, idempotency_key AS key, runner FROM job_attempts WHERE job_id = ? ORDER BY attempt').all(id) as {
    attempt: number;
    status: string;
    reconciled: string | null;
    key: string;
    runner: string;
  }[];

describe('lease expiry after a crash', () => {
  it('given a runner that posted and then died before recording it, when its lease expires, then the other runner reconciles and completes the job without posting again', async () => {
    const p = platform();
    let handlerCalls = 0;
    const publish = defineJob<Record<string, never>, { postId: string }, App>({
      type: 'test.publish',
      payload: z.object({}),
      maxAttempts: 3,
      handler: (ctx) => {
        handlerCalls++;
        p.post(ctx.idempotencyKey);
        // A dies right after the network call, before the outcome is recorded.
        return new Promise<never>(() => {});
      },
      reconcile: (ctx) => (p.seen.has(ctx.idempotencyKey) ? { done: true, result: { postId: `found:${ctx.idempotencyKey}` } } : { done: false }),
    });
    const { a, b } = twoRunners([publish ]);
    await a.scheduler.start();
    const { id } = a.scheduler.enqueue(publish , {});
    await a.settle();
    expect(a.job(id)).toMatchObject({ status: 'running', lease_owner: 'laptop-a/4242/aaaa', attempts: 1 });
    // The attempt and its key were on disk before the handler ran.
    expect(attemptsOf(a, id)).toEqual([{ attempt: 1, status: 'running', reconciled: null, key: a.job(id).idempotency_key, runner: 'laptop-a/4242/aaaa' }]);

    await b.scheduler.start();
    await b.advance(29_000, 1000);
    expect(b.job(id).lease_owner).toBe('laptop-a/4242/aaaa'); // still A's: the lease holds

    await b.advance(2000, 500);
    const row = b.job(id);
    expect(row).toMatchObject({ status: 'completed', attempts: 1, lease_owner: null });
    expect(JSON.parse(row.result!)).toEqual({ postId: `found:${row.idempotency_key}` });
    expect(handlerCalls).toBe(1);
    expect([...p.seen.values()]).toEqual([1]);
    expect(attemptsOf(b, id)).toMatchObject([{ attempt: 1, status: 'interrupted', reconciled: 'done' }]);
    expect(b.eventsOf('jobs.succeeded')).toMatchObject([{ jobId: id, reconciled: true }]);
  });

  it('given a runner that died before posting, when its lease expires, then the reconcile says not done and the other runner posts once with the same key', async () => {
    const p = platform();
    const publish = defineJob<Record<string, never>, string, App>({
      type: 'test.publish',
      payload: z.object({}),
      handler: (ctx) => {
        if (ctx.app.name === 'A') return new Promise<never>(() => {}); // dies before the network call
        p.post(ctx.idempotencyKey);
        return 'posted';
      },
      reconcile: (ctx) => ({ done: p.seen.has(ctx.idempotencyKey) }),
    });
    const { a, b } = twoRunners([publish ]);
    await a.scheduler.start();
    const { id } = a.scheduler.enqueue(publish , {});
    await a.settle();
    await b.scheduler.start();
    await b.advance(31_000, 1000);

    const row = b.job(id);
    expect(row).toMatchObject({ status: 'completed', attempts: 2, result: '"posted"' });
    expect(p.seen.get(row.idempotency_key)).toBe(1);
    const attempts = attemptsOf(b, id);
    expect(attempts).toMatchObject([
      { attempt: 1, status: 'interrupted', reconciled: 'not_done', runner: 'laptop-a/4242/aaaa' },
      { attempt: 2, status: 'succeeded', runner: 'desktop-b/4343/bbbb' },
    ]);
    expect(new Set(attempts.map((x) => x.key))).toEqual(new Set([row.idempotency_key]));
  });

  it('given a frozen runner that wakes up after its job was taken over, then its late outcome is not recorded', async () => {
    let releaseA: (v: string) => void = () => {};
    const job = defineJob<Record<string, never>, string, App>({
      type: 'test.slow',
      payload: z.object({}),
      handler: (ctx) => (ctx.app.name === 'A' ? new Promise<string>((r) => (releaseA = r)) : 'from B'),
      reconcile: () => ({ done: false }),
    });
    const { a, b } = twoRunners([job ]);
    await a.scheduler.start();
    const { id } = a.scheduler.enqueue(job , {});
    await a.settle();
    await b.scheduler.start();
    await b.advance(31_000, 1000);
    expect(b.job(id)).toMatchObject({ status: 'completed', result: '"from B"' });

    releaseA('from A');
    await a.settle();
    expect(a.job(id)).toMatchObject({ status: 'completed', result: '"from B"', attempts: 2 });
  });

  it('given a job leased by a process on this machine that no longer exists, when a runner starts, then it recovers the job at once instead of waiting for the lease', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const seen: string[] = [];
    const job = defineJob<Record<string, never>, void, App>({
      type: 'test.resume',
      payload: z.object({}),
      handler: (ctx) => void seen.push(ctx.idempotencyKey),
      reconcile: () => ({ done: false }),
    });
    const db = openSchedulerTestDb();
    const h = harness<App>([job], { db });
    open.push(h);
    const { id } = h.scheduler.enqueue(job, {});
    // What a SIGKILLed runner leaves behind: running, leased for another 30 s, attempt 1 recorded.
    const owner = `${hostname().replaceAll('/', '_')}/${deadPid}/dead`;
    db.sqlite.prepare(`UPDATE jobs SET status = 'running', attempts = 1, lease_owner = ?, lease_expires_at = ? WHERE id = ?`).run(owner, T0 + 30_000, id);
    db.sqlite
      .prepare(`INSERT INTO job_attempts (job_id, attempt, idempotency_key, runner, status, started_at, created_at, updated_at) VALUES (?, 1, ?, ?, 'running', ?, ?, ?)`)
      .run(id, h.job(id).idempotency_key, owner, T0, T0, T0);

    await h.scheduler.start();
    await h.settle();
    expect(h.job(id)).toMatchObject({ status: 'completed', attempts: 2 });
    expect(seen).toHaveLength(1);
  });

  it('given a job leased by a live process on this machine, when its lease runs out, then another runner waits one more lease period (the holder was probably asleep and is about to renew)', async () => {
    const job = defineJob<Record<string, never>, void, App>({ type: 'test.live', payload: z.object({}), handler: () => undefined });
    const db = openSchedulerTestDb();
    const h = harness<App>([job], { db });
    open.push(h);
    const { id } = h.scheduler.enqueue(job, {});
    const owner = `${hostname().replaceAll('/', '_')}/${process.ppid}/live`;
    db.sqlite.prepare(`UPDATE jobs SET status = 'running', attempts = 1, lease_owner = ?, lease_expires_at = ? WHERE id = ?`).run(owner, T0 + 30_000, id);
    await h.scheduler.start();
    await h.advance(29_000, 29_000);
    expect(h.job(id).status).toBe('running');
    await h.advance(2000, 2000);
    expect(h.job(id)).toMatchObject({ status: 'running', lease_owner: owner });
    // The holder wakes and renews: still its job.
    h.db.sqlite.prepare('UPDATE jobs SET lease_expires_at = ? WHERE id = ?').run(T0 + 31_000 + 30_000, id);
    await h.advance(50_000, 10_000);
    expect(h.job(id)).toMatchObject({ status: 'running', lease_owner: owner });
    // It never renews again: one lease period after it ran out, the job is taken over.
    await h.advance(30_000, 10_000);
    expect(h.job(id).status).toBe('completed');
  });

  it('given a job interrupted more times than allowed, then it stops as failed instead of crashing the app again', async () => {
    let calls = 0;
    const job = defineJob<Record<string, never>, void, App>({ type: 'test.crashy', payload: z.object({}), handler: () => void calls++ });
    const h = harness<App>([job], { maxInterruptions: 2 });
    open.push(h);
    const { id } = h.scheduler.enqueue(job, {});
    h.db.sqlite
      .prepare(`UPDATE jobs SET status = 'running', attempts = 3, interruptions = 2, lease_owner = 'elsewhere/1/x', lease_expires_at = ? WHERE id = ?`)
      .run(T0 - 1, id);
    await h.scheduler.start();
    await h.settle();
    expect(calls).toBe(0);
    expect(h.job(id).status).toBe('failed');
    expect(h.job(id).last_error).toMatch(/stopped 3 times/);
  });
});

describe('graceful stop', () => {
  it('given a handler still running at stop, when the grace time ends, then its job is handed back and the next start runs it after a reconcile', async () => {
    let calls = 0;
    const reconciles: string[] = [];
    const job = defineJob<Record<string, never>, string, App>({
      type: 'test.stopme',
      payload: z.object({}),
      handler: (ctx) => {
        calls++;
        if (calls === 1) return new Promise<never>((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))));
        return 'second run';
      },
      reconcile: (ctx) => {
        reconciles.push(ctx.idempotencyKey);
        return { done: false };
      },
    });
    const db = openSchedulerTestDb();
    const first = harness<App>([job], { db, stopGraceMs: 1000 });
    const { id } = first.scheduler.enqueue(job, {});
    await first.scheduler.start();
    await first.settle();
    const stopping = first.scheduler.stop();
    await first.clock.advance(1000);
    await stopping;
    expect(first.job(id)).toMatchObject({ status: 'running', lease_expires_at: T0 + 1000 });

    const second = harness<App>([job], { db, start: T0 + 1000 });
    open.push(second);
    await second.scheduler.start();
    await second.settle();
    expect(second.job(id)).toMatchObject({ status: 'completed', result: '"second run"' });
    expect(reconciles).toHaveLength(1);
  });
});
