// Worker-thread entry for knowledge extraction (PDF/DOCX parsing, chunking) and bulk local
// embedding, so a 200-page PDF never holds the main event loop (DESIGN.md: bulk work runs in a
// worker). Requests are independent: several documents may be in flight at once.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { ExtractError, extractDocument } from './extract';
import type { WorkerMessage, WorkerRequest } from './extract-protocol';
import { createLocalEmbedder } from './local-embedder';

if (!parentPort) throw new Error('electron/core/knowledge/extract-worker.ts must run as a worker thread');
const port = parentPort;

// Background work yields the CPU to the main thread: on Linux a thread's nice value is its own,
// so this lowers only this worker (on macOS and Windows it would lower the whole app: skipped).
if (process.platform === 'linux') {
  try {
    setPriority(10);
  } catch {
    // Not permitted in some sandboxes; the worker still runs, at normal priority.
  }
}
const send = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function handle(msg: WorkerRequest): Promise<void> {
  try {
    if (msg.op === 'embed') {
      const vectors = createLocalEmbedder(msg.dims).embed(msg.texts);
      send({ id: msg.id, kind: 'embedded', vectors }, vectors.map((v) => v.buffer as ArrayBuffer));
      return;
    }
    let last = 0;
    const value = await extractDocument(msg.req, (fraction, message) => {
      // Progress every ~2% is plenty for a bar and keeps the message channel quiet.
      if (fraction - last < 0.02 && fraction < 1) return;
      last = fraction;
      send({ id: msg.id, kind: 'progress', fraction, message });
    });
    send({ id: msg.id, kind: 'extracted', value });
  } catch (err) {
    send({ id: msg.id, kind: 'error', message: err instanceof Error ? err.message : String(err), reason: err instanceof ExtractError ? err.reason : null });
  }
}

port.on('message', (msg: WorkerRequest) => void handle(msg));
