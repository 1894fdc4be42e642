// A small pool of vector-scan workers. Each worker opens its own read-only connection to the
// same database file, so a 100k-row brute-force scan (~40-200 ms) or a quantized index build
// never blocks the main event loop (DESIGN.md: no synchronous DB task over ~50 ms there).
// Workers are unref'd while idle so they never keep a process alive.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { QuantizedQueryStats } from './quantized';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './protocol';
import type { SeqHit } from './tables';

export interface PoolConfig {
  /** Number of workers (default: min(2, cores - 1), at least 1). */
  size?: number;
  /** better-sqlite3 native binding for the workers (Electron packaging). */
  nativeBinding?: string;
  /** Path or file URL of the worker entry, when the default lookup does not fit a packaging. */
  workerUrl?: string | URL;
}

type Pending = { resolve: (r: { hits: SeqHit[]; stats?: QuantizedQueryStats }) => void; reject: (e: Error) => void };

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export class VectorWorkerError extends Error {
  constructor(
    message: string,
    readonly unavailable = false,
  ) {
    super(message);
    this.name = 'VectorWorkerError';
  }
}

/**
 * Where the worker entry is. From TypeScript source (vitest, tsx) it is ./worker.ts beside this
 * file, run through tsx. Bundled by scripts/build.mjs, this code sits inside an entry bundle
 * such as dist/electron/main.js or dist/host/web-cli.js, and the worker is dist/db/vector/worker.js.
 */
export function resolveWorkerEntry(override?: string | URL): { url: URL; execArgv: string[] } {
  const explicit = override ?? process.env['POSTDESK_VECTOR_WORKER'];
  if (explicit) {
    const url = explicit instanceof URL ? explicit : explicit.startsWith('file:') ? new URL(explicit) : pathToFileURL(explicit);
    return { url, execArgv: url.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [] };
  }
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./worker.ts', here), execArgv: ['--import', 'tsx'] };
  const candidates = ['./worker.js', '../db/vector/worker.js', './db/vector/worker.js', '../../db/vector/worker.js'];
  for (const rel of candidates) {
    const url = new URL(rel, here);
    if (existsSync(fileURLToPath(url))) return { url, execArgv: [] };
  }
  throw new VectorWorkerError(`vector worker entry not found next to ${here} (expected dist/db/vector/worker.js)`, true);
}

export class VectorPool {
  private slots: (Slot | undefined)[] = [];
  private nextId = 1;
  private rr = 0;
  readonly size: number;

  constructor(private readonly config: PoolConfig = {}) {
    this.size = Math.max(1, config.size ?? Math.min(2, availableParallelism() - 1));
  }

  private spawn(i: number): Slot {
    const { url, execArgv } = resolveWorkerEntry(this.config.workerUrl);
    const init: WorkerInit = this.config.nativeBinding ? { nativeBinding: this.config.nativeBinding } : {};
    const worker = new Worker(url, { execArgv, workerData: init });
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    const failAll = (err: Error) => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      if (this.slots[i] === slot) this.slots[i] = undefined;
    };
    worker.on('message', (res: WorkerResponse) => {
      const p = slot.pending.get(res.id);
      if (!p) return;
      slot.pending.delete(res.id);
      if (slot.pending.size === 0) worker.unref();
      if (res.ok) p.resolve(res.stats ? { hits: res.hits, stats: res.stats } : { hits: res.hits });
      else p.reject(new VectorWorkerError(res.error, res.unavailable ?? false));
    });
    worker.on('error', (err) => failAll(err instanceof Error ? err : new Error(String(err))));
    worker.on('exit', (code) => failAll(new VectorWorkerError(`vector worker exited (code ${code})`)));
    this.slots[i] = slot;
    return slot;
  }

  private slotFor(affinity?: string): Slot {
    let i: number;
    if (affinity !== undefined) {
      // Quantized indexes live in one worker's memory: always send a given index to that worker.
      let h = 0;
      for (let c = 0; c < affinity.length; c++) h = (Math.imul(h, 31) + affinity.charCodeAt(c)) | 0;
      i = Math.abs(h) % this.size;
    } else {
      // Exact scans go to the least busy worker (round-robin among equals).
      i = this.rr++ % this.size;
      let best = this.slots[i]?.pending.size ?? 0;
      for (let j = 0; j < this.size; j++) {
        const load = this.slots[j]?.pending.size ?? 0;
        if (load < best) {
          best = load;
          i = j;
        }
      }
    }
    return this.slots[i] ?? this.spawn(i);
  }

  run(req: Omit<WorkerRequest, 'id'>, affinity?: string): Promise<{ hits: SeqHit[]; stats?: QuantizedQueryStats }> {
    let slot: Slot;
    try {
      slot = this.slotFor(affinity);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  async close(): Promise<void> {
    const slots = this.slots.filter((s): s is Slot => s !== undefined);
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
