// Real processes (an esbuild bundle of fixtures/scheduler/child.ts) on one database file: two runners draining 1,000 jobs (each runs exactly once),
// and a publisher killed with SIGKILL 20 times at random moments while posting to a local HTTP
// endpoint that counts requests per idempotency key (each key must arrive exactly once).
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../../electron/scheduler/definitions';
import { enqueueMany } from '../../electron/scheduler/enqueue';
import { bundleChild } from '../fixtures/scheduler/bundle';
import { openSchedulerTestDb } from '../fixtures/scheduler/db';

let child = '';
beforeAll(async () => {
  child = await bundleChild();
});
afterAll(() => rmSync(child, { force: true }));

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function spawnChild(args: string[]): ChildProcess {
  const c = fork(child, args, { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  cleanups.push(() => {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  return c;
}

function nextMessage(child: ChildProcess, expected: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (m === expected) {
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve();
      }
    };
    const onExit = (code: number | null, signal: string | null) => reject(new Error(`child exited (${code ?? signal}) before "${expected}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

const noop = defineJob({ type: 'test.noop', payload: z.object({ n: z.number() }), handler: () => undefined });
const publish = defineJob({ type: 'test.publish', payload: z.object({ n: z.number() }), maxAttempts: 3, handler: () => undefined });

describe('two runner processes on one file', () => {
  it('given 1,000 jobs and two processes draining them at once, then every job completes and runs exactly once', async () => {
    const db = openSchedulerTestDb();
    cleanups.push(() => db.cleanup());
    db.sqlite.exec('CREATE TABLE test_runs (job_id TEXT NOT NULL, pid INTEGER NOT NULL)');
    enqueueMany(db, noop, Array.from({ length: 1000 }, (_, n) => ({ payload: { n } })));

    const children = [spawnChild(['noop', db.file]), spawnChild(['noop', db.file])];
    await Promise.all(children.map((c) => nextMessage(c, 'ready')));
    for (const c of children) c.send('go');
    const codes = await Promise.all(children.map(exited));
    expect(codes).toEqual([0, 0]);

    const perJob = db.sqlite.prepare('SELECT job_id, COUNT(*) AS n FROM test_runs GROUP BY job_id').all() as { job_id: string; n: number }[];
    expect(perJob).toHaveLength(1000);
    expect(perJob.filter((r) => r.n !== 1)).toEqual([]);
    const perPid = db.sqlite.prepare('SELECT pid, COUNT(*) AS n FROM test_runs GROUP BY pid').all() as { pid: number; n: number }[];
    expect(perPid.map((p) => p.pid).sort()).toEqual(children.map((c) => c.pid).sort());
    expect(db.sqlite.prepare(`SELECT status, COUNT(*) AS n, MAX(attempts) AS maxAttempts FROM jobs GROUP BY status`).all()).toEqual([
      { status: 'completed', n: 1000, maxAttempts: 1 },
    ]);
    expect(db.sqlite.prepare('SELECT COUNT(*) AS n FROM job_attempts').get()).toEqual({ n: 1000 });
  });
});

describe('crash test', () => {
  it('given a publisher killed with SIGKILL at 20 random moments and restarted, then all 500 jobs complete and the endpoint saw each idempotency key exactly once', async () => {
    const db = openSchedulerTestDb();
    cleanups.push(() => db.cleanup());
    enqueueMany(db, publish, Array.from({ length: 500 }, (_, n) => ({ payload: { n } })));

    // The "platform": counts every publish request per idempotency key, answers after a short
    // delay (so kills land between the platform's effect and the runner recording it).
    const counts = new Map<string, number>();
    let requests = 0;
    const server: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === '/seen') {
        const key = url.searchParams.get('key') ?? '';
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ seen: counts.has(key), postId: `post-${key}` }));
        return;
      }
      if (req.method === 'POST' && url.pathname === '/publish') {
        const key = String(req.headers['idempotency-key'] ?? '');
        req.resume();
        req.on('end', () => {
          requests++;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          setTimeout(() => {
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify({ postId: `post-${key}` }));
          }, 10 + Math.random() * 30);
        });
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = String((server.address() as { port: number }).port);

    const progress: number[] = [];
    for (let kill = 0; kill < 20; kill++) {
      const c = spawnChild(['publish', db.file, port]);
      await nextMessage(c, 'ready');
      c.send('go');
      await nextMessage(c, 'started');
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 180));
      c.kill('SIGKILL');
      await exited(c);
      progress.push(requests);
    }
    const last = spawnChild(['publish', db.file, port]);
    await nextMessage(last, 'ready');
    last.send('go');
    expect(await exited(last)).toBe(0);

    const keys = db.sqlite.prepare('SELECT idempotency_key AS key, status FROM jobs').all() as { key: string; status: string }[];
    expect(keys).toHaveLength(500);
    expect(keys.filter((k) => k.status !== 'completed')).toEqual([]);
    expect(keys.filter((k) => counts.get(k.key) !== 1).map((k) => [k.key, counts.get(k.key) ?? 0])).toEqual([]);
    expect(requests).toBe(500);
    // The kills did land mid-work: attempts were interrupted and reconciled.
    const interrupted = db.sqlite.prepare(`SELECT COUNT(*) AS n FROM job_attempts WHERE status = 'interrupted'`).get() as { n: number };
    expect(interrupted.n).toBeGreaterThan(0);
    expect(progress.at(-1)).toBeLessThan(500); // work remained for the final, unkilled run
    console.log(`crash test: ${interrupted.n} interrupted attempts; requests after each kill: ${progress.join(', ')}`);
  }, 60_000);
});
