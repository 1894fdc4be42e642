// Worker-thread entry for archive exports and imports: a million rows read or written, hashed and
// compressed here never hold the main event loop (DESIGN.md: bulk work runs in a worker with its
// own connection). One worker per operation; cancelling terminates it, and SQLite rolls back
// whatever transaction the worker had open.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { ArchiveError } from './format';
import { runArchiveOp, type WorkerReply, type WorkerRequest } from './worker-protocol';

if (!parentPort) throw new Error('electron/core/archive/worker.ts must run as a worker thread');
const port = parentPort;

// Background work yields the CPU to the main thread (Linux: a thread's nice value is its own).
if (process.platform === 'linux') {
  try {
    setPriority(10);
  } catch {
    // Not permitted in some sandboxes; the worker still runs, at normal priority.
  }
}

const send = (m: WorkerReply) => port.postMessage(m);

port.once('message', (msg: WorkerRequest) => {
  void runArchiveOp(msg, (p) => send({ kind: 'progress', progress: p })).then(
    (value) => send({ kind: 'done', value }),
    (err: unknown) =>
      send({
        kind: 'error',
        message: err instanceof Error ? err.message : String(err),
        reason: err instanceof ArchiveError ? err.reason : null,
      }),
  );
});
