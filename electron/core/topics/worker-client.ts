// Running computeTopics off the main thread. A worker is started per analysis and terminated when
// it answers (or at once on cancel: a synchronous loop cannot be interrupted otherwise). From
// TypeScript source (vitest, tsx) the entry is worker.ts run through tsx; bundled, it is
// dist/topics/worker.js (scripts/build.mjs). Where no entry exists the work runs on this thread,
// paced so the loop still gets a turn every few milliseconds, and says so once.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { computeTopics, type ComputeInput, type ComputeOutput, type StepFn } from './compute';
import { Cancelled, Pacer } from './pacer';
import type { TopicsWorkerReply, TopicsWorkerRequest } from './worker-protocol';

let warned = false;

export function resolveTopicsWorker(): { url: URL; execArgv: string[] } | null {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./worker.ts', here), execArgv: ['--import', 'tsx'] };
  // Bundles live in dist/electron/ and dist/host/; the worker in dist/topics/.
  for (const rel of ['../topics/worker.js', './topics/worker.js', './worker.js']) {
    const url = new URL(rel, here);
    if (existsSync(fileURLToPath(url))) return { url, execArgv: [] };
  }
  return null;
}

export async function computeTopicsOffThread(input: ComputeInput, onStep: StepFn, signal?: AbortSignal): Promise<ComputeOutput> {
  const entry = resolveTopicsWorker();
  if (!entry) {
    if (!warned) {
      warned = true;
      console.warn('[topics] clustering runs on the main thread, paced: dist/topics/worker.js is missing from this build');
    }
    return computeTopics(input, new Pacer(8, signal), onStep);
  }
  if (signal?.aborted) throw new Cancelled();
  const worker = new Worker(entry.url, { execArgv: entry.execArgv });
  try {
    return await new Promise<ComputeOutput>((resolve, reject) => {
      const onAbort = () => reject(new Cancelled());
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      worker.on('message', (m: TopicsWorkerReply) => {
        if (m.kind === 'progress') onStep(m.fraction, m.message);
        else if (m.kind === 'done') {
          settle();
          resolve(m.output);
        } else {
          settle();
          reject(new Error(`Grouping the messages failed: ${m.message}`));
        }
      });
      worker.on('error', (e) => {
        settle();
        reject(e instanceof Error ? e : new Error(String(e)));
      });
      worker.on('exit', (code) => {
        settle();
        reject(new Error(`The topics worker stopped (code ${code}) before it answered.`));
      });
      const req: TopicsWorkerRequest = { input };
      // The vectors are the bulk of the request: move them, don't copy them.
      worker.postMessage(req, [input.vectors.buffer as ArrayBuffer]);
    });
  } finally {
    await worker.terminate();
  }
}
