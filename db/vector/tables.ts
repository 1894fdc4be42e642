// The vec0 tables that hold knowledge-chunk embeddings, one per dimension count
// (knowledge_vec_384 comes from the migrations; others are created here on first use with the
// same shape), and the statements every path shares: writes, exact kNN, size estimates.
// This module only needs a better-sqlite3 connection with sqlite-vec loaded, so the worker
// threads use it as well as the main thread.
import type BetterSqlite3 from 'better-sqlite3';

export const MIN_DIMS = 8;
/** sqlite-vec's own ceiling for float vectors. */
export const MAX_DIMS = 8192;
/** sqlite-vec rejects k above 4096. */
export const MAX_K = 4096;
/** Records replacements of existing vectors (see putChunkEmbeddings) for in-memory indexes. */
export const STATE_TABLE = 'knowledge_vec_state';

export function assertDims(dims: number): void {
  if (!Number.isInteger(dims) || dims < MIN_DIMS || dims > MAX_DIMS) {
    throw new RangeError(`embedding dimensions must be an integer in [${MIN_DIMS}, ${MAX_DIMS}], got ${dims}`);
  }
}

export function vectorTableName(dims: number): string {
  assertDims(dims);
  return `knowledge_vec_${dims}`;
}

export function tableExists(sqlite: BetterSqlite3.Database, name: string): boolean {
  return sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(name) !== undefined;
}

/**
 * Create knowledge_vec_<dims> (same shape as the migrated knowledge_vec_384), the trigger that
 * removes a chunk's vector with the chunk, and the small state table. Idempotent and cheap.
 */
export function ensureVectorTable(sqlite: BetterSqlite3.Database, dims: number): string {
  const table = vectorTableName(dims);
  const run = sqlite.transaction(() => {
    sqlite.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING vec0(
         chunk_seq INTEGER PRIMARY KEY,
         workspace_id TEXT PARTITION KEY,
         embedding FLOAT[${dims}] distance_metric=cosine)`,
    );
    // The migrations already carry a delete trigger for 384; add ours only where none exists,
    // so a chunk's vector is never deleted twice or left behind.
    const hasTrigger = sqlite
      .prepare(
        `SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'knowledge_chunks' AND instr(sql, ?) > 0`,
      )
      .get(table);
    if (!hasTrigger) {
      sqlite.exec(
        `CREATE TRIGGER IF NOT EXISTS ${table}_ad AFTER DELETE ON knowledge_chunks BEGIN
           DELETE FROM ${table} WHERE chunk_seq = old.seq;
         END`,
      );
    }
    sqlite.exec(
      `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (
         table_name TEXT PRIMARY KEY NOT NULL,
         replaced INTEGER NOT NULL DEFAULT 0
       ) WITHOUT ROWID`,
    );
  });
  if (!ensured.get(sqlite)?.has(table)) {
    run();
    let set = ensured.get(sqlite);
    if (!set) ensured.set(sqlite, (set = new Set()));
    set.add(table);
  }
  return table;
}

const ensured = new WeakMap<BetterSqlite3.Database, Set<string>>();

export interface ChunkEmbedding {
  chunkSeq: number;
  workspaceId: string;
  vector: Float32Array;
}

export function assertVector(vector: Float32Array, dims: number): void {
  if (!(vector instanceof Float32Array)) throw new TypeError('vector must be a Float32Array');
  if (vector.length !== dims) throw new RangeError(`vector has ${vector.length} dimensions, expected ${dims}`);
  for (let i = 0; i < vector.length; i++) {
    // One NaN stored in a vec0 chunk makes every distance in comparisons with it meaningless.
    if (!Number.isFinite(vector[i])) throw new RangeError(`vector[${i}] is not a finite number`);
  }
}

export function vectorBytes(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/**
 * Store (or replace) embeddings, in one transaction. vec0 has no upsert, so a replacement is a
 * delete and an insert; vec0 then reuses the row's slot, which is invisible to an in-memory index
 * that watches slot occupancy, so replacements are also counted in the state table.
 */
export function putEmbeddings(sqlite: BetterSqlite3.Database, dims: number, rows: readonly ChunkEmbedding[]): void {
  const table = ensureVectorTable(sqlite, dims);
  for (const r of rows) {
    assertVector(r.vector, dims);
    if (!Number.isSafeInteger(r.chunkSeq)) throw new RangeError(`chunkSeq must be an integer, got ${r.chunkSeq}`);
    if (typeof r.workspaceId !== 'string' || r.workspaceId.length === 0) throw new TypeError('workspaceId is required');
  }
  const del = sqlite.prepare(`DELETE FROM ${table} WHERE chunk_seq = ?`);
  // vec0 accepts only INTEGER primary keys; a JS number binds as REAL, a BigInt as INTEGER.
  const ins = sqlite.prepare(`INSERT INTO ${table}(chunk_seq, workspace_id, embedding) VALUES (?, ?, ?)`);
  const bump = sqlite.prepare(
    `INSERT INTO ${STATE_TABLE}(table_name, replaced) VALUES (?, 1)
       ON CONFLICT(table_name) DO UPDATE SET replaced = replaced + 1`,
  );
  sqlite.transaction(() => {
    let replaced = 0;
    for (const r of rows) {
      replaced += del.run(BigInt(r.chunkSeq)).changes;
      ins.run(BigInt(r.chunkSeq), r.workspaceId, vectorBytes(r.vector));
    }
    if (replaced > 0) bump.run(table);
  })();
}

export interface SeqHit {
  chunkSeq: number;
  distance: number;
}

/** Exact brute-force kNN inside one workspace's partition (cosine distance, best first). */
export function exactKnn(
  sqlite: BetterSqlite3.Database,
  table: string,
  workspaceId: string,
  vector: Float32Array,
  k: number,
): SeqHit[] {
  return sqlite
    .prepare(
      `SELECT chunk_seq AS chunkSeq, distance FROM ${table}
        WHERE embedding MATCH ? AND k = ? AND workspace_id = ?
        ORDER BY distance`,
    )
    .all(vectorBytes(vector), k, workspaceId) as SeqHit[];
}

/**
 * Upper bound of a workspace's vectors: vec0 keeps one row per 1024-slot chunk and partition in
 * its _chunks shadow table, so counting those is ~1000x cheaper than counting vectors. Falls back
 * to counting knowledge_chunks if the shadow layout ever changes.
 */
export function estimateRows(sqlite: BetterSqlite3.Database, table: string, workspaceId: string): number {
  try {
    const row = sqlite
      .prepare(`SELECT coalesce(sum(size), 0) AS n FROM ${table}_chunks WHERE partition00 = ?`)
      .get(workspaceId) as { n: number };
    return row.n;
  } catch {
    const row = sqlite.prepare(`SELECT count(*) AS n FROM knowledge_chunks WHERE workspace_id = ?`).get(workspaceId) as {
      n: number;
    };
    return row.n;
  }
}
