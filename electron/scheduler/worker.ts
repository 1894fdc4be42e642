// CPU-heavy parts of a handler (parsing a large export, hashing media, resizing) run here, off
// the main event loop. The function is sent as source text and evaluated in a worker thread, so it
// must be self-contained: no captured variables, only its input (structured-cloneable) and
// `await import(...)` of packages. That keeps the helper independent of bundling (dist, tsx,
// vitest): nothing has to be resolved as a file.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export class WorkerTaskError extends Error {
  override name = 'WorkerTaskError';
}

// __name: esbuild (tsx, vitest) may wrap named inner functions with it when keeping names.
const BOOT = `
const { parentPort } = require('node:worker_threads');
globalThis.__name = globalThis.__name || ((f) => f);
const cache = new Map();
parentPort.on('message', async (msg) => {
  try {
    let fn = cache.get(msg.src);
    if (!fn) { fn = (0, eval)('(' + msg.src + ')'); cache.set(msg.src, fn); }
    const value = await fn(msg.input);
    parentPort.postMessage({ id: msg.id, ok: true, value });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: err && err.message ? err.message : String(err) });
  }
});
`;

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** A few reusable worker threads; idle workers never keep the process alive. */
export class WorkerPool {
  private slots: Slot[] = [];
  private nextId = 1;
  readonly size: number;

  constructor(size?: number) {
    this.size = Math.max(1, size ?? Math.min(2, availableParallelism() - 1));
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT, { eval: true });
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    const failAll = (err: Error) => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      this.slots = this.slots.filter((s) => s !== slot);
    };
    worker.on('message', (r: Reply) => {
      const p = slot.pending.get(r.id);
      if (!p) return;
      slot.pending.delete(r.id);
      if (slot.pending.size === 0) worker.unref();
      if (r.ok) p.resolve(r.value);
      else p.reject(new WorkerTaskError(r.error ?? 'The background task failed.'));
    });
    worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => failAll(new WorkerTaskError(`The background worker stopped (code ${code}).`)));
    this.slots.push(slot);
    return slot;
  }

  private pick(): Slot {
    const idle = this.slots.find((s) => s.pending.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.spawn();
    return this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  /**
   * Run `fn(input)` in a worker. An aborted signal rejects at once and restarts that worker
   * (a synchronous loop cannot be interrupted any other way).
   */
  run<I, O>(fn: (input: I) => O | Promise<O>, input: I, opts: { signal?: AbortSignal } = {}): Promise<Awaited<O>> {
    if (opts.signal?.aborted) return Promise.reject(new WorkerTaskError('Cancelled before it started.'));
    const slot = this.pick();
    const id = this.nextId++;
    return new Promise<Awaited<O>>((resolve, reject) => {
      const onAbort = () => {
        slot.pending.delete(id);
        // Out of the pool at once: a terminating worker must not be handed the next task.
        this.slots = this.slots.filter((s) => s !== slot);
        for (const p of slot.pending.values()) p.reject(new WorkerTaskError('The background worker was restarted.'));
        slot.pending.clear();
        reject(new WorkerTaskError('Cancelled.'));
        void slot.worker.terminate();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, {
        resolve: (v) => {
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(v as Awaited<O>);
        },
        reject: (e) => {
          opts.signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      slot.worker.postMessage({ id, src: fn.toString(), input });
    });
  }

  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

let shared: WorkerPool | null = null;

/** Run a self-contained function in the shared worker pool (see the note at the top). */
export function runInWorker<I, O>(fn: (input: I) => O | Promise<O>, input: I, opts: { signal?: AbortSignal } = {}): Promise<Awaited<O>> {
  shared ??= new WorkerPool();
  return shared.run(fn, input, opts);
}
