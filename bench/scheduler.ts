// Scheduler benchmark (`npm run bench -- scheduler`):
// - throughput with a no-op handler, Postdesk's scheduler and plainjob side by side in this run,
//   one process each, both on WAL + synchronous=NORMAL files (plainjob sets these itself);
// - lateness (actual start - due time) of 10k posts due over a compressed timeline while 200
//   background jobs/s arrive and 100k future jobs are pending;
// - main event-loop lag while draining;
// - restart_resume_ms: SIGKILL a runner mid-work, restart it, time until every due job (the
//   interrupted ones and those that came due while it was down) has started again.
// The restart child is this file bundled with esbuild (how the app ships), run with --child.
import BetterSqlite3 from 'better-sqlite3';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'plainjob';
import { z } from 'zod';
import { openDatabase, type Database } from '../db/client';
import { defineJob } from '../electron/scheduler/definitions';
import { enqueueMany } from '../electron/scheduler/enqueue';
import { createScheduler } from '../electron/scheduler/scheduler';
import { median, percentile, report, stallSampler, withLoopLag, type Figure } from './lib';

const THROUGHPUT_JOBS = Number(process.env.SCHED_JOBS ?? 20_000);
const ROUNDS = Number(process.env.SCHED_ROUNDS ?? 3);
const POSTS = Number(process.env.SCHED_POSTS ?? 10_000);
const POST_WINDOW_MS = Number(process.env.SCHED_POST_WINDOW_MS ?? 60_000);
const PENDING = Number(process.env.SCHED_PENDING ?? 100_000);
const BACKGROUND_PER_S = 200;
const CONCURRENCY = 64;

const noop = defineJob({ type: 'bench.noop', payload: z.object({ n: z.number() }), handler: () => undefined });

function tempDb(): { db: Database; dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'postdesk-bench-sched-'));
  const db = openDatabase({ file: join(dir, 'postdesk.db') });
  return { db, dir, done: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

const wallNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- throughput

interface Drain {
  perS: number;
  lagP99: number;
  lagMax: number;
}

async function oursThroughput(): Promise<Drain> {
  const { db, done } = tempDb();
  try {
    enqueueMany(
      db,
      noop,
      Array.from({ length: THROUGHPUT_JOBS }, (_, n) => ({ payload: { n } })),
    );
    let finished = 0;
    let resolveAll: () => void = () => {};
    const all = new Promise<void>((r) => (resolveAll = r));
    const scheduler = createScheduler({
      db,
      definitions: [noop],
      app: {},
      concurrency: CONCURRENCY,
      maxBatch: CONCURRENCY,
      onEvent: (name) => {
        if (name === 'jobs.succeeded' && ++finished === THROUGHPUT_JOBS) resolveAll();
      },
    });
    const stalls = stallSampler();
    const { result: ms, lagP99Ms } = await withLoopLag(async () => {
      const t0 = performance.now();
      await scheduler.start();
      await all;
      return performance.now() - t0;
    });
    const lagMaxMs = stalls.stop();
    await scheduler.stop();
    const left = db.sqlite.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE status != 'completed'`).get() as { n: number };
    if (left.n !== 0) throw new Error(`${left.n} jobs not completed`);
    return { perS: (THROUGHPUT_JOBS / ms) * 1000, lagP99: lagP99Ms, lagMax: lagMaxMs };
  } finally {
    done();
  }
}

const silent: Logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

async function plainjobThroughput(): Promise<Drain> {
  // Loaded here, not at the top: the restart child (this file, bundled) must not pay for it.
  const { better, defineQueue, defineWorker } = await import('plainjob');
  const dir = mkdtempSync(join(tmpdir(), 'postdesk-bench-plainjob-'));
  const sqlite = new BetterSqlite3(join(dir, 'plainjob.db'));
  try {
    const queue = defineQueue({ connection: better(sqlite), logger: silent });
    queue.addMany(
      'noop',
      Array.from({ length: THROUGHPUT_JOBS }, (_, n) => ({ n })),
    );
    let finished = 0;
    let resolveAll: () => void = () => {};
    const all = new Promise<void>((r) => (resolveAll = r));
    const worker = defineWorker('noop', async () => {}, {
      queue,
      logger: silent,
      onCompleted: () => {
        if (++finished === THROUGHPUT_JOBS) resolveAll();
      },
    });
    const stalls = stallSampler();
    const { result: ms, lagP99Ms } = await withLoopLag(async () => {
      const t0 = performance.now();
      void worker.start();
      await all;
      return performance.now() - t0;
    });
    const lagMaxMs = stalls.stop();
    await worker.stop();
    queue.close();
    return { perS: (THROUGHPUT_JOBS / ms) * 1000, lagP99: lagP99Ms, lagMax: lagMaxMs };
  } finally {
    if (sqlite.open) sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- lateness

async function lateness(): Promise<{ p50: number; p99: number; max: number; lagP99: number; lagMax: number; background: number }> {
  const { db, done } = tempDb();
  try {
    const late: number[] = [];
    let postsDone = 0;
    let resolveAll: () => void = () => {};
    const all = new Promise<void>((r) => (resolveAll = r));
    const post = defineJob({
      type: 'bench.post',
      payload: z.object({ n: z.number() }),
      priority: 10,
      handler: (ctx) => {
        late.push(wallNow() - ctx.job.runAt);
        if (++postsDone === POSTS) resolveAll();
      },
    });
    let background = 0;
    const bg = defineJob({ type: 'bench.background', payload: z.object({ n: z.number() }), handler: () => void background++ });

    const now = Date.now();
    // 100k pending jobs that are not due yet (tomorrow's work), in chunks to keep setup sane.
    for (let i = 0; i < PENDING; i += 10_000) {
      enqueueMany(
        db,
        bg,
        Array.from({ length: Math.min(10_000, PENDING - i) }, (_, k) => ({ payload: { n: i + k }, opts: { runAt: now + 3_600_000 + (i + k) * 500 } })),
      );
    }
    // Due times start a few seconds after setup (measured after it: under load setup is slow).
    const start = Date.now() + 3000;
    enqueueMany(
      db,
      post,
      Array.from({ length: POSTS }, (_, n) => ({ payload: { n }, opts: { runAt: Math.round(start + (n * POST_WINDOW_MS) / POSTS) } })),
    );
    const scheduler = createScheduler({ db, definitions: [post, bg], app: {}, concurrency: 16 });
    // On a busy machine setup can outlast the 3 s head start: move the posts so the first is
    // still 2 s away when the scheduler starts (otherwise the first ones are "late" by setup).
    const shift = Date.now() + 2000 - start;
    if (shift > 0) {
      db.sqlite.prepare(`UPDATE jobs SET run_at = run_at + ?, due_at = due_at + ? WHERE type = 'bench.post'`).run(shift, shift);
    }
    // Measure the scheduler, not the collection of setup garbage.
    (globalThis as { gc?: () => void }).gc?.();
    await scheduler.start();
    let n = 0;
    // 200 background jobs/s, due as they are added.
    const gen = setInterval(() => {
      for (let i = 0; i < BACKGROUND_PER_S / 20; i++) scheduler.enqueue(bg, { n: n++ });
    }, 50);
    const stalls = stallSampler();
    const { lagP99Ms } = await withLoopLag(() => all);
    const lagMax = stalls.stop();
    clearInterval(gen);
    await scheduler.stop();
    return { p50: percentile(late, 50), p99: percentile(late, 99), max: Math.max(...late), lagP99: lagP99Ms, lagMax, background };
  } finally {
    done();
  }
}

// ---------------------------------------------------------------- restart after SIGKILL

const LONG = 8;
const DUE_WHILE_DOWN = 20;

function childDefinitions(send: (msg: string) => void) {
  const payload = z.object({ ms: z.number() });
  const work = defineJob({
    type: 'bench.work',
    payload,
    handler: async (ctx) => {
      send(`started ${ctx.job.id}`);
      await new Promise((r) => setTimeout(r, ctx.payload.ms));
    },
  });
  return { work };
}

async function childMain(file: string): Promise<void> {
  const send = (m: string) => process.send?.(m);
  const db = openDatabase({ file });
  const { work } = childDefinitions(send);
  const scheduler = createScheduler({ db, definitions: [work], app: {}, concurrency: 64 });
  await scheduler.start();
  send('ready');
}

async function bundleSelf(): Promise<string> {
  const { build } = await import('esbuild');
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = join(root, '.cache', 'bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'scheduler-child.mjs');
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: ['better-sqlite3', 'sqlite-vec', 'esbuild', 'plainjob'],
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

function waitFor(child: ChildProcess, pred: (m: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: unknown) => {
      if (typeof m === 'string' && pred(m)) {
        child.off('message', onMsg);
        resolve();
      }
    };
    child.on('message', onMsg);
    child.once('exit', (code) => reject(new Error(`child exited (${code})`)));
  });
}

async function restartResume(entry: string): Promise<{ fromSpawn: number; fromReady: number }> {
  const { db, done } = tempDb();
  const { work } = childDefinitions(() => {});
  const children: ChildProcess[] = [];
  try {
    const long = enqueueMany(db, work, Array.from({ length: LONG }, () => ({ payload: { ms: 60_000 } }))).map((r) => r.id);
    const first = fork(entry, ['--child', db.file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(first);
    const started = new Set<string>();
    first.on('message', (m) => {
      if (typeof m === 'string' && m.startsWith('started ')) started.add(m.slice(8));
    });
    await waitFor(first, () => started.size === LONG);
    // Work that comes due while the runner is down.
    const dueAt = Date.now() + 100;
    const short = enqueueMany(db, work, Array.from({ length: DUE_WHILE_DOWN }, () => ({ payload: { ms: 10 }, opts: { runAt: dueAt } }))).map((r) => r.id);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));

    const expected = new Set([...long, ...short]);
    const t0 = performance.now();
    const second = fork(entry, ['--child', db.file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(second);
    let readyAt = 0;
    const seen = new Set<string>();
    await waitFor(second, (m) => {
      if (m === 'ready') readyAt = performance.now();
      if (m.startsWith('started ')) seen.add(m.slice(8));
      return [...expected].every((id) => seen.has(id));
    });
    const t1 = performance.now();
    return { fromSpawn: t1 - t0, fromReady: readyAt > 0 ? t1 - readyAt : 0 };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    done();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const ours: Drain[] = [];
  const theirs: Drain[] = [];
  const only = process.env.SCHED_ONLY;
  if (only === 'lateness') {
    console.log(await lateness());
    return;
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first: the machine warms up and cools down.
    if (round % 2 === 0) {
      ours.push(await oursThroughput());
      theirs.push(await plainjobThroughput());
    } else {
      theirs.push(await plainjobThroughput());
      ours.push(await oursThroughput());
    }
    console.log(`round ${round + 1}: postdesk ${Math.round(ours.at(-1)!.perS)} jobs/s, plainjob ${Math.round(theirs.at(-1)!.perS)} jobs/s`);
  }
  const oursPerS = median(ours.map((o) => o.perS));
  const theirsPerS = median(theirs.map((o) => o.perS));
  const lag = median(ours.map((o) => o.lagP99));
  const lagMax = median(ours.map((o) => o.lagMax));
  const theirLagMax = median(theirs.map((o) => o.lagMax));

  console.log(`lateness: ${POSTS} posts over ${POST_WINDOW_MS / 1000} s, ${BACKGROUND_PER_S} background jobs/s, ${PENDING} pending...`);
  const l = await lateness();

  const entry = await bundleSelf();
  const restarts: { fromSpawn: number; fromReady: number }[] = [];
  for (let i = 0; i < 3; i++) restarts.push(await restartResume(entry));

  const figures: Figure[] = [
    {
      name: 'jobs_per_s',
      value: oursPerS,
      unit: 'jobs/s',
      note: `median of ${ROUNDS} drains of ${THROUGHPUT_JOBS} due no-op jobs, 1 process, concurrency ${CONCURRENCY}, checkpoints in a worker thread`,
    },
    {
      name: 'plainjob_jobs_per_s',
      value: theirsPerS,
      unit: 'jobs/s',
      note: `plainjob 0.0.14, same jobs, 1 process, its own worker loop; rounds: ours ${ours.map((o) => Math.round(o.perS)).join(', ')} / plainjob ${theirs.map((o) => Math.round(o.perS)).join(', ')}`,
    },
    {
      name: 'throughput_vs_plainjob',
      value: oursPerS / theirsPerS,
      unit: 'x',
      baseline: { name: 'plainjob', value: theirsPerS },
      aim: { op: '>=', value: 1 },
    },
    {
      name: 'lateness_p50_ms',
      value: l.p50,
      unit: 'ms',
      aim: { op: '<', value: 2 },
      note: `${POSTS} posts due over ${POST_WINDOW_MS / 1000} s (10 min compressed), ${BACKGROUND_PER_S} bg jobs/s (${l.background} ran), ${PENDING} future jobs pending`,
    },
    {
      name: 'lateness_p99_ms',
      value: l.p99,
      unit: 'ms',
      aim: { op: '<', value: 15 },
      note: `max ${l.max.toFixed(1)} ms; longest event-loop hold in that run ${l.lagMax.toFixed(1)} ms`,
    },
    {
      name: 'event_loop_lag_p99_ms',
      value: lag,
      unit: 'ms',
      aim: { op: '<', value: 5 },
      note: `while draining ${THROUGHPUT_JOBS} jobs (max ${lagMax.toFixed(1)} ms); during the lateness run: ${l.lagP99.toFixed(2)} ms`,
    },
    {
      name: 'event_loop_lag_max_ms',
      value: lagMax,
      unit: 'ms',
      baseline: { name: 'plainjob draining', value: theirLagMax },
      note: 'longest single hold of the event loop while draining; plainjob never yields while jobs remain',
    },
    {
      name: 'restart_resume_ms',
      value: median(restarts.map((r) => r.fromSpawn)),
      unit: 'ms',
      aim: { op: '<', value: 1000 },
      note: `median of 3: from spawning the restarted process (bundled) until all ${LONG} interrupted + ${DUE_WHILE_DOWN} due jobs started (${restarts.map((r) => Math.round(r.fromSpawn)).join(', ')} ms)`,
    },
    {
      name: 'restart_resume_after_ready_ms',
      value: median(restarts.map((r) => r.fromReady)),
      unit: 'ms',
      note: "the scheduler's own part: from its start() resolving to the last of those jobs starting (the rest is Node and module loading)",
    },
  ];
  console.log(`load average during the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores`);
  report('scheduler', figures);
}

if (process.argv[2] === '--child') {
  await childMain(process.argv[3]!);
} else {
  await main();
}
