// Vector search over knowledge-chunk embeddings: writes, kNN (exact or quantized), and where the
// scan runs. Small partitions are scanned inline (a worker round trip would cost more than the
// scan); large ones in the worker pool so the main event loop stays free.
import type BetterSqlite3 from 'better-sqlite3';
import { runScan, warm } from './engine';
import { VectorPool, VectorWorkerError, type PoolConfig } from './pool';
import type { QuantizedQueryStats } from './quantized';
import {
  assertDims,
  assertVector,
  estimateRows,
  MAX_K,
  putEmbeddings,
  tableExists,
  vectorTableName,
  type ChunkEmbedding,
  type SeqHit,
} from './tables';

export { ensureVectorTable, vectorTableName, type ChunkEmbedding } from './tables';
export { resolveWorkerEntry, type PoolConfig } from './pool';

export interface VectorDb {
  readonly sqlite: BetterSqlite3.Database;
  /** Database file ('' or ':memory:' keeps every scan inline: workers cannot share it). */
  readonly file: string;
}

/** Scans below this many vector components (rows x dims, ~10 ms) run inline. */
export const WORKER_MIN_WORK = 20_000 * 384;
/** From this much work (rows x dims; 50k x 384) 'auto' switches to the quantized index once it is
 *  warm: ~10x faster than the exact scan at recall@10 ~1.0, for dims bytes per row of worker
 *  memory and a build of ~1 s per 100k rows (done in the background on first use). */
export const QUANTIZED_MIN_WORK = 50_000 * 384;
/** Candidates rescored in full precision: max(100, 2k). Measured recall@10 = 1.0 with 100 on
 *  random 384- and 1536-dim vectors and on the local embedder's; each costs a ~15 µs lookup. */
const RESCORE_FACTOR = 2;
const RESCORE_MIN = 100;

export interface KnnOptions {
  workspaceId: string;
  vector: Float32Array;
  k: number;
  /** Which embedding table (default vector.length). */
  dims?: number;
  /** 'auto' (default): exact below QUANTIZED_MIN_WORK, quantized above once its index is warm. */
  mode?: 'auto' | 'exact' | 'quantized';
  /** 'auto' (default): a worker above WORKER_MIN_WORK. */
  thread?: 'auto' | 'main' | 'worker';
  /** Quantized path: how many candidates to rescore (default max(2k, 100)). */
  candidates?: number;
  /** Receives timings of a quantized scan (benchmarks). */
  onStats?: (stats: QuantizedQueryStats) => void;
}

export interface KnnHit {
  chunkId: string;
  chunkSeq: number;
  /** Cosine distance (0 = same direction, 2 = opposite), best first. */
  distance: number;
}

let poolConfig: PoolConfig = {};
let workersUnavailable = false;
let pool: VectorPool | null = null;
const warmed = new Set<string>();
const warming = new Map<string, Promise<void>>();

/** Set before first use (Electron passes nativeBinding; tests may pin size). */
export function configureVectorWorkers(config: PoolConfig): void {
  poolConfig = { ...config };
  workersUnavailable = false;
}

function workers(): VectorPool {
  return (pool ??= new VectorPool(poolConfig));
}

/** Stop the workers (app shutdown, test teardown); the next scan starts new ones. */
export async function closeVectorWorkers(): Promise<void> {
  const p = pool;
  pool = null;
  warmed.clear();
  warming.clear();
  if (p) await p.close();
}

function canUseWorkers(db: VectorDb): boolean {
  return db.file !== '' && db.file !== ':memory:' && !db.file.startsWith('file::memory:');
}

export function putChunkEmbedding(db: Pick<VectorDb, 'sqlite'>, row: ChunkEmbedding): void {
  putChunkEmbeddings(db, [row]);
}

/**
 * Store embeddings in one transaction. A chunk's vector must sit in the chunk's own workspace
 * partition, or a kNN of another workspace could see it: that is checked here, not trusted.
 */
export function putChunkEmbeddings(db: Pick<VectorDb, 'sqlite'>, rows: readonly ChunkEmbedding[]): void {
  if (rows.length === 0) return;
  const owner = db.sqlite.prepare(`SELECT workspace_id AS workspaceId FROM knowledge_chunks WHERE seq = ?`);
  const byDims = new Map<number, ChunkEmbedding[]>();
  for (const r of rows) {
    const found = owner.get(r.chunkSeq) as { workspaceId: string } | undefined;
    if (!found) throw new RangeError(`knowledge chunk ${r.chunkSeq} does not exist`);
    if (found.workspaceId !== r.workspaceId) {
      throw new RangeError(`knowledge chunk ${r.chunkSeq} belongs to another workspace`);
    }
    const list = byDims.get(r.vector.length) ?? [];
    list.push(r);
    byDims.set(r.vector.length, list);
  }
  const embedded = db.sqlite.prepare(`UPDATE knowledge_chunks SET embedded_at = ? WHERE seq = ?`);
  const now = Date.now();
  db.sqlite.transaction(() => {
    for (const [dims, list] of byDims) putEmbeddings(db.sqlite, dims, list);
    // knowledge_chunks.embedded_at tells ingest which chunks still need a vector.
    for (const r of rows) embedded.run(now, r.chunkSeq);
  })();
}

function indexKey(db: VectorDb, table: string, workspaceId: string): string {
  return `${db.file}\u0000${table}\u0000${workspaceId}`;
}

/** Build (or refresh) the quantized index of a workspace ahead of queries, off the main thread. */
export function warmVectorIndex(db: VectorDb, opts: { workspaceId: string; dims: number }): Promise<void> {
  const table = vectorTableName(opts.dims);
  const key = indexKey(db, table, opts.workspaceId);
  const running = warming.get(key);
  if (running) return running;
  const job = (async () => {
    if (canUseWorkers(db) && !workersUnavailable) {
      await workers().run({ op: 'warm', file: db.file, table, dims: opts.dims, workspaceId: opts.workspaceId }, key);
    } else {
      warm(db.sqlite, table, opts.dims, opts.workspaceId);
    }
    warmed.add(key);
  })().finally(() => warming.delete(key));
  warming.set(key, job);
  return job;
}

/** The k nearest knowledge chunks of one workspace by cosine distance, best first. */
export async function knnSearch(db: VectorDb, opts: KnnOptions): Promise<KnnHit[]> {
  const dims = opts.dims ?? opts.vector.length;
  assertDims(dims);
  assertVector(opts.vector, dims);
  const k = Math.max(1, Math.min(MAX_K, Math.trunc(opts.k)));
  if (!Number.isFinite(k)) throw new RangeError('k must be a number');
  const table = vectorTableName(dims);
  if (!tableExists(db.sqlite, table)) return [];

  const rows = estimateRows(db.sqlite, table, opts.workspaceId);
  if (rows === 0) return [];
  const key = indexKey(db, table, opts.workspaceId);
  let mode: 'exact' | 'quantized' = opts.mode === 'quantized' ? 'quantized' : 'exact';
  if ((opts.mode ?? 'auto') === 'auto' && rows * dims >= QUANTIZED_MIN_WORK) {
    // The first build of a large index takes seconds; answer exactly meanwhile.
    if (warmed.has(key)) mode = 'quantized';
    else void warmVectorIndex(db, { workspaceId: opts.workspaceId, dims }).catch(() => undefined);
  }
  const inWorker =
    canUseWorkers(db) &&
    opts.thread !== 'main' &&
    (opts.thread === 'worker' || mode === 'quantized' || rows * dims >= WORKER_MIN_WORK);
  const candidates = Math.max(k, Math.trunc(opts.candidates ?? Math.max(RESCORE_FACTOR * k, RESCORE_MIN)));
  const req = { table, dims, workspaceId: opts.workspaceId, vector: opts.vector, k, mode, candidates };

  let result: { hits: SeqHit[]; stats?: QuantizedQueryStats } | null = null;
  if (inWorker && !workersUnavailable) {
    try {
      result = await workers().run({ op: 'knn', file: db.file, ...req }, mode === 'quantized' ? key : undefined);
      if (mode === 'quantized') warmed.add(key);
    } catch (err) {
      // No worker entry in this packaging: answer on this thread (slower, never wrong) and say so once.
      if (!(err instanceof VectorWorkerError && err.unavailable)) throw err;
      workersUnavailable = true;
      console.warn(`vector search runs on the main thread: ${err.message}`);
    }
  }
  result ??= runScan(db.sqlite, req);
  if (result.stats) opts.onStats?.(result.stats);
  return withChunkIds(db.sqlite, opts.workspaceId, result.hits);
}

/** Attach chunk ids, and drop any vector whose chunk is gone or not in this workspace. */
function withChunkIds(sqlite: BetterSqlite3.Database, workspaceId: string, hits: SeqHit[]): KnnHit[] {
  if (hits.length === 0) return [];
  const rows = sqlite
    .prepare(
      `SELECT seq, id FROM knowledge_chunks
        WHERE workspace_id = ? AND seq IN (SELECT value FROM json_each(?))`,
    )
    .all(workspaceId, JSON.stringify(hits.map((h) => h.chunkSeq))) as { seq: number; id: string }[];
  const ids = new Map(rows.map((r) => [r.seq, r.id]));
  const out: KnnHit[] = [];
  for (const h of hits) {
    const chunkId = ids.get(h.chunkSeq);
    if (chunkId !== undefined) out.push({ chunkId, chunkSeq: h.chunkSeq, distance: h.distance });
  }
  return out;
}
