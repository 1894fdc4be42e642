// The main thread's side of the archive worker: one worker thread per operation, terminated when it
// answers or when the user cancels (SQLite then rolls back the worker's open transaction). From
// TypeScript source (vitest, tsx) the entry is worker.ts run through tsx; bundled, it is
// dist/archive/worker.js (scripts/build.mjs). Where no entry exists, the operation runs on this
// thread and says so once: slower for the UI, never wrong.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ArchiveError, type ArchiveProgress } from './format';
import { runArchiveOp, type OpResults, type WorkerReply, type WorkerRequest } from './worker-protocol';

export function resolveArchiveWorker(): { url: URL; execArgv: string[] } | null {
  const explicit = process.env['POSTDESK_ARCHIVE_WORKER'];
  if (explicit) {
    const url = explicit.startsWith('file:') ? new URL(explicit) : pathToFileURL(explicit);
    return { url, execArgv: url.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [] };
  }
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./worker.ts', here), execArgv: ['--import', 'tsx'] };
  // Bundles live in dist/electron/ and dist/host/; the worker in dist/archive/.
  for (const rel of ['../archive/worker.js', './archive/worker.js', './worker.js']) {
    const url = new URL(rel, here);
    if (existsSync(fileURLToPath(url))) return { url, execArgv: [] };
  }
  return null;
}

let warned = false;

function cancelled(): ArchiveError {
  return new ArchiveError('cancelled', 'Cancelled. Nothing was changed.');
}

export function runInWorker<Op extends WorkerRequest['op']>(
  msg: Extract<WorkerRequest, { op: Op }>,
  onProgress: (p: ArchiveProgress) => void,
  signal?: AbortSignal,
): Promise<OpResults[Op]> {
  if (signal?.aborted) return Promise.reject(cancelled());
  const entry = resolveArchiveWorker();
  if (!entry) {
    if (!warned) console.warn('[archive] exports and imports run on the main thread: dist/archive/worker.js is missing from this build');
    warned = true;
    return runArchiveOp(msg, onProgress) as Promise<OpResults[Op]>;
  }
  const worker = new Worker(entry.url, { execArgv: entry.execArgv });
  return new Promise<OpResults[Op]>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Answer once the thread has stopped, so the caller's cleanup of the scratch folder never
      // races a worker still writing into it.
      void worker.terminate().then(fn, fn);
    };
    const onAbort = () => finish(() => reject(cancelled()));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerReply) => {
      if (m.kind === 'progress') {
        if (!settled) onProgress(m.progress);
        return;
      }
      if (m.kind === 'done') finish(() => resolve(m.value as OpResults[Op]));
      else finish(() => reject(m.reason ? new ArchiveError(m.reason, m.message) : new Error(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(e instanceof Error ? e : new Error(String(e)))));
    worker.on('exit', (code) => finish(() => reject(new Error(`The archive worker stopped (code ${code}).`))));
    worker.postMessage(msg);
  });
}
