// Worker-thread entry for vector scans (bundled to dist/db/vector/worker.js). Each worker keeps
// its own read-only connection per database file, so brute-force scans never run on the main
// event loop and never contend for the main connection.
import type BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from '../client';
import { runScan, warm } from './engine';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './protocol';

const init = (workerData ?? {}) as WorkerInit;
const connections = new Map<string, BetterSqlite3.Database>();

function connection(file: string): BetterSqlite3.Database {
  let c = connections.get(file);
  if (!c || !c.open) {
    c = openConnection({ file, readonly: true, ...(init.nativeBinding ? { nativeBinding: init.nativeBinding } : {}) });
    // Map as much of the file as SQLite allows (2 GB by default): vec0 keeps 1024 vectors per
    // blob, and a point lookup (rescoring) walks that blob's overflow-page chain, which costs
    // ~20x more through read() calls than through the map. Address space only, not memory.
    c.pragma('cache_size = -65536');
    c.pragma('mmap_size = 2147418112');
    connections.set(file, c);
  }
  return c;
}

function handle(req: WorkerRequest): WorkerResponse {
  try {
    const sqlite = connection(req.file);
    if (req.op === 'warm') {
      warm(sqlite, req.table, req.dims, req.workspaceId);
      return { id: req.id, ok: true, hits: [] };
    }
    const { hits, stats } = runScan(sqlite, req);
    return stats ? { id: req.id, ok: true, hits, stats } : { id: req.id, ok: true, hits };
  } catch (err) {
    return { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

if (!parentPort) throw new Error('db/vector/worker.ts must run as a worker thread');
const port = parentPort;
port.on('message', (req: WorkerRequest) => port.postMessage(handle(req)));
port.on('close', () => {
  for (const c of connections.values()) if (c.open) c.close();
});
