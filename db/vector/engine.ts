// What a vector scan does once it has a connection: the same code runs inline on the main thread
// (small tables, ':memory:' databases) and inside the workers, so both paths give equal results.
import type BetterSqlite3 from 'better-sqlite3';
import { QuantizedIndex, QuantizedUnavailable, type QuantizedQueryStats } from './quantized';
import { exactKnn, MAX_K, tableExists, type SeqHit } from './tables';
import type { ScanMode } from './protocol';

const indexes = new WeakMap<BetterSqlite3.Database, Map<string, QuantizedIndex>>();
/** Indexes kept per connection (each is dims bytes per row): switching between many workspaces
 *  rebuilds the least recently used instead of growing without bound. */
export const MAX_INDEXES_PER_CONNECTION = 4;

export function quantizedIndex(
  sqlite: BetterSqlite3.Database,
  table: string,
  dims: number,
  workspaceId: string,
): QuantizedIndex {
  let perDb = indexes.get(sqlite);
  if (!perDb) indexes.set(sqlite, (perDb = new Map()));
  const key = `${table}\u0000${workspaceId}`;
  let idx = perDb.get(key);
  if (idx) {
    perDb.delete(key); // Map order is the LRU order: most recent last
  } else {
    idx = new QuantizedIndex(sqlite, table, dims, workspaceId);
    while (perDb.size >= MAX_INDEXES_PER_CONNECTION) {
      const oldest = perDb.keys().next().value;
      if (oldest === undefined) break;
      perDb.delete(oldest);
    }
  }
  perDb.set(key, idx);
  return idx;
}

export interface ScanRequest {
  table: string;
  dims: number;
  workspaceId: string;
  vector: Float32Array;
  k: number;
  mode: ScanMode;
  candidates: number;
}

export function runScan(sqlite: BetterSqlite3.Database, req: ScanRequest): { hits: SeqHit[]; stats?: QuantizedQueryStats } {
  if (!tableExists(sqlite, req.table)) return { hits: [] };
  const k = Math.min(req.k, MAX_K);
  if (req.mode === 'quantized') {
    try {
      return quantizedIndex(sqlite, req.table, req.dims, req.workspaceId).query(req.vector, k, Math.max(req.candidates, k));
    } catch (err) {
      // No SIMD or an unknown vec0 layout: exact results are slower but never wrong.
      if (!(err instanceof QuantizedUnavailable)) throw err;
    }
  }
  return { hits: exactKnn(sqlite, req.table, req.workspaceId, req.vector, k) };
}

export function warm(sqlite: BetterSqlite3.Database, table: string, dims: number, workspaceId: string): void {
  if (!tableExists(sqlite, table)) return;
  try {
    quantizedIndex(sqlite, table, dims, workspaceId).refresh();
  } catch (err) {
    if (!(err instanceof QuantizedUnavailable)) throw err;
  }
}
