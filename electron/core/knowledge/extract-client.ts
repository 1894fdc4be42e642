// The main thread's side of the extraction worker: one worker thread, started on first use and
// unref'd while idle (it never keeps the process alive). From TypeScript source (vitest, tsx) the
// entry is extract-worker.ts run through tsx; bundled, it is dist/knowledge/extract-worker.js
// (scripts/build.mjs). Where no entry exists, extraction runs on this thread, page by page,
// and says so once: slower for the UI, never wrong.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ExtractError, extractDocument, type ExtractRequest, type ExtractResult, type ProgressFn } from './extract';
import type { WorkerMessage, WorkerRequest, WorkerRequestBody } from './extract-protocol';
import { createLocalEmbedder } from './local-embedder';

export class ExtractCancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'ExtractCancelled';
  }
}

export function resolveExtractWorker(override?: string | URL): { url: URL; execArgv: string[] } | null {
  const explicit = override ?? process.env['POSTDESK_KNOWLEDGE_WORKER'];
  if (explicit) {
    const url = explicit instanceof URL ? explicit : explicit.startsWith('file:') ? new URL(explicit) : pathToFileURL(explicit);
    return { url, execArgv: url.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [] };
  }
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./extract-worker.ts', here), execArgv: ['--import', 'tsx'] };
  // Bundles live in dist/electron/ and dist/host/; the worker in dist/knowledge/.
  for (const rel of ['../knowledge/extract-worker.js', './knowledge/extract-worker.js', './extract-worker.js']) {
    const url = new URL(rel, here);
    if (existsSync(fileURLToPath(url))) return { url, execArgv: [] };
  }
  return null;
}

interface Pending {
  onProgress: ProgressFn;
  resolve: (m: WorkerMessage) => void;
  reject: (e: Error) => void;
}

let worker: Worker | null = null;
let unavailable = false;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  worker = null;
}

function start(): Worker | null {
  if (worker) return worker;
  if (unavailable) return null;
  const entry = resolveExtractWorker();
  if (!entry) {
    unavailable = true;
    console.warn('[knowledge] extraction runs on the main thread: dist/knowledge/extract-worker.js is missing from this build');
    return null;
  }
  const w = new Worker(entry.url, { execArgv: entry.execArgv });
  w.unref();
  w.on('message', (m: WorkerMessage) => {
    const p = pending.get(m.id);
    if (!p) return;
    if (m.kind === 'progress') {
      p.onProgress(m.fraction, m.message);
      return;
    }
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    p.resolve(m);
  });
  w.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  w.on('exit', (code) => {
    if (worker === w) failAll(new Error(`The extraction worker stopped (code ${code}).`));
  });
  worker = w;
  return w;
}

function run(msg: WorkerRequestBody, onProgress: ProgressFn, signal?: AbortSignal): Promise<WorkerMessage> | null {
  const w = start();
  if (!w) return null;
  if (signal?.aborted) return Promise.reject(new ExtractCancelled());
  const id = nextId++;
  return new Promise<WorkerMessage>((resolve, reject) => {
    const onAbort = () => {
      // A synchronous parse cannot be interrupted: stop the worker; the next request starts a new one.
      const others = [...pending.entries()].filter(([k]) => k !== id);
      pending.clear();
      worker = null;
      void w.terminate();
      reject(new ExtractCancelled());
      for (const [, p] of others) p.reject(new Error('The extraction worker was restarted; try again.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    if (pending.size === 0) w.ref();
    pending.set(id, {
      onProgress,
      resolve: (m) => {
        done();
        resolve(m);
      },
      reject: (e) => {
        done();
        reject(e);
      },
    });
    w.postMessage({ ...msg, id } as WorkerRequest);
  });
}

/** Extract and chunk a stored file off the main thread. Throws ExtractError with the reason. */
export async function extractInWorker(req: ExtractRequest, onProgress: ProgressFn = () => {}, signal?: AbortSignal): Promise<ExtractResult> {
  const running = run({ op: 'extract', req }, onProgress, signal);
  if (!running) return extractDocument(req, onProgress);
  const m = await running;
  if (m.kind === 'extracted') return m.value;
  if (m.kind === 'error') throw m.reason ? new ExtractError(m.reason, m.message) : new Error(m.message);
  throw new Error(`unexpected reply from the extraction worker: ${m.kind}`);
}

/** Local-embedder vectors computed off the main thread (inline when no worker can start). */
export async function embedLocalInWorker(texts: string[], dims: number, signal?: AbortSignal): Promise<Float32Array[]> {
  const running = run({ op: 'embed', texts, dims }, () => {}, signal);
  if (!running) return createLocalEmbedder(dims).embed(texts);
  const m = await running;
  if (m.kind === 'embedded') return m.vectors;
  throw new Error(m.kind === 'error' ? m.message : `unexpected reply from the extraction worker: ${m.kind}`);
}

/** Stop the worker (app shutdown, test teardown). */
export async function closeExtractWorker(): Promise<void> {
  const w = worker;
  worker = null;
  failAll(new ExtractCancelled());
  if (w) await w.terminate();
}
