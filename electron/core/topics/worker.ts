// The topics worker thread: runs computeTopics (compute.ts) for the main thread, so clustering
// thousands of messages never holds the core's event loop. One request per worker: the client
// starts a worker for a run and terminates it after (or to cancel).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { computeTopics } from './compute';
import { Pacer } from './pacer';
import type { TopicsWorkerReply, TopicsWorkerRequest } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('topics/worker.ts runs as a worker thread');

// Background work: on Linux a thread has its own nice value, so this thread (and only it) steps
// back whenever the core's main thread, or anything else on the machine, wants the CPU. Elsewhere
// the priority is per process, which would slow the whole app: left alone.
if (process.platform === 'linux') {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) setPriority(tid, 19);
  } catch {
    // No /proc (a sandbox): the worker runs at normal priority, which is still off the main thread.
  }
}

port.on('message', (req: TopicsWorkerRequest) => {
  const post = (m: TopicsWorkerReply) => port.postMessage(m);
  // Nothing else shares this thread: long slices, so pausing costs nothing measurable.
  const pacer = new Pacer(1_000);
  computeTopics(req.input, pacer, (fraction, message) => post({ kind: 'progress', fraction, message }))
    .then((output) => post({ kind: 'done', output }))
    .catch((err: unknown) => post({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
});
