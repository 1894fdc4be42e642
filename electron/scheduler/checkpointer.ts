// WAL checkpoints off the main thread. With journal_mode=WAL and synchronous=NORMAL, commits
// never fsync; the only fsyncs are in checkpoints, which SQLite by default runs inside whichever
// commit pushes the WAL past 1000 pages: on the main event loop, 5-15 ms at a time while the
// scheduler drains (measured in bench/scheduler.ts). Here a worker thread with its own connection
// runs PASSIVE checkpoints (which never block writers) on a timer and the main connection stops
// checkpointing itself. Durability is unchanged: the same WAL, the same syncs, another thread.
// Should the worker die, the main connection's automatic checkpoints come back.
import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('busy_timeout = 1000');
const tick = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); tick(); db.close(); process.exit(0); }
});
`;

export interface CheckpointerOptions {
  /** How often the worker checkpoints (default 250 ms: the WAL stays small). */
  intervalMs?: number;
  /** better-sqlite3 native binding (Electron packaging), as in db/client.ts. */
  nativeBinding?: string;
}

/** Start background checkpoints for a file-backed connection; returns the stop function. */
export function startBackgroundCheckpoints(sqlite: BetterSqlite3.Database, file: string, opts: CheckpointerOptions = {}): () => Promise<void> {
  if (file === ':memory:' || sqlite.memory || sqlite.readonly) return async () => {};
  const previous = Number(sqlite.pragma('wal_autocheckpoint', { simple: true }));
  let module: string;
  try {
    module = createRequire(import.meta.url).resolve('better-sqlite3');
  } catch {
    return async () => {};
  }
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { module, file, intervalMs: opts.intervalMs ?? 250, nativeBinding: opts.nativeBinding ?? null },
  });
  worker.unref();
  sqlite.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  const restore = () => {
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${previous > 0 ? previous : 1000}`);
  };
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      restore();
      resolve();
    });
  });
  worker.on('error', () => {
    // The exit handler restores automatic checkpoints.
  });
  return async () => {
    if (stopped) return;
    stopped = true;
    worker.postMessage('stop');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    restore();
    await worker.terminate();
  };
}
