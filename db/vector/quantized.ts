// The quantized path for large corpora: an in-memory int8 copy of one workspace's vectors, scanned
// with a WebAssembly SIMD kernel, whose best candidates are then rescored in full precision from
// the vec0 table. sqlite-vec 0.1.9 scans int8/bit columns no faster than float ones (its top-k is
// O(n*k) and its distances are scalar), so a second vec0 table would not help; this does: at
// 1M x 384 the int8 scan takes ~25 ms where the exact vec0 scan takes ~450 ms.
//
// Codes are per-vector scaled (max |x| -> 127), so cosine order is preserved closely whatever the
// embedding's value range; a per-slot 1/|code| turns int8 dot products into cosine scores.
//
// The index mirrors vec0's storage: a partition's vectors live in 1024-slot chunks
// (<table>_chunks: validity bitmap + rowids; <table>_vector_chunks00: the float32 blob). Keeping
// the same blocks lets a refresh reload only the chunks whose occupancy changed, which is how new
// and deleted embeddings are picked up. Replacements reuse their slot, so writers count them in
// knowledge_vec_state and a change there rebuilds the whole index.
import type BetterSqlite3 from 'better-sqlite3';
import { instantiateDot, type DotKernel } from './simd';
import { STATE_TABLE, type SeqHit, tableExists, vectorBytes } from './tables';

const QUERY_BYTES = 8192; // room for a padded query of up to MAX_DIMS int8 values
const PAGE = 65536;

interface Block {
  index: number; // block position: slots [index * blockSize, (index + 1) * blockSize)
  validity: Buffer;
  rowids: Buffer;
}

export class QuantizedUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantizedUnavailable';
  }
}

export interface QuantizedQueryStats {
  slots: number;
  candidates: number;
  refreshMs: number;
  scanMs: number;
  rescoreMs: number;
}

export class QuantizedIndex {
  private readonly padded: number;
  private memory = new WebAssembly.Memory({ initial: 1 });
  private dot: DotKernel;
  private blockSize = 1024;
  private blocks = new Map<number, Block>(); // by vec0 chunk_id
  private freeBlocks: number[] = [];
  private blockCount = 0;
  private seqs = new Float64Array(0);
  private invNorm = new Float32Array(0); // 0 marks an empty slot
  private changeMark = '';
  private replaced = -1;
  private readonly rescoreStmt: BetterSqlite3.Statement;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly table: string,
    private readonly dims: number,
    private readonly workspaceId: string,
  ) {
    const dot = instantiateDot(this.memory);
    if (!dot) throw new QuantizedUnavailable('WebAssembly SIMD is not available');
    this.dot = dot;
    this.padded = Math.ceil(dims / 16) * 16;
    const cols = new Set(
      (sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(`${table}_chunks`) as { name: string }[]).map(
        (c) => c.name,
      ),
    );
    if (!['chunk_id', 'size', 'partition00', 'validity', 'rowids'].every((c) => cols.has(c)) || !tableExists(sqlite, `${table}_vector_chunks00`)) {
      throw new QuantizedUnavailable(`unexpected vec0 storage layout for ${table}`);
    }
    this.rescoreStmt = sqlite.prepare(
      `SELECT chunk_seq AS chunkSeq, vec_distance_cosine(embedding, ?) AS distance FROM ${table} WHERE chunk_seq = ?`,
    );
  }

  get slots(): number {
    return this.blockCount * this.blockSize;
  }

  private codesOffset(slot: number): number {
    return QUERY_BYTES + slot * this.padded;
  }

  private ensureCapacity(blocks: number): void {
    // Grow geometrically: a 1M-row build adds ~1000 blocks one by one, and copying the per-slot
    // arrays on each would move gigabytes.
    const current = this.seqs.length / this.blockSize;
    if (blocks <= current) return;
    const slots = Math.max(blocks, Math.ceil(current * 1.5), 16) * this.blockSize;
    // Codes, then one int32 score per slot right after them.
    const needed = this.codesOffset(slots) + slots * 4;
    const have = this.memory.buffer.byteLength;
    if (needed > have) this.memory.grow(Math.ceil((needed - have) / PAGE));
    if (this.seqs.length < slots) {
      const seqs = new Float64Array(slots);
      seqs.set(this.seqs);
      this.seqs = seqs;
      const inv = new Float32Array(slots);
      inv.set(this.invNorm);
      this.invNorm = inv;
    }
  }

  /** Bring the index up to date with the database; cheap when nothing was committed since. */
  refresh(): void {
    // data_version moves when another connection commits (the worker case); total_changes()
    // counts this connection's own writes (the inline case, e.g. ':memory:').
    const dv = this.sqlite.pragma('data_version', { simple: true }) as number;
    const own = this.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number };
    const mark = `${dv}:${own.n}`;
    if (mark === this.changeMark) return;
    const replacedRow = tableExists(this.sqlite, STATE_TABLE)
      ? (this.sqlite.prepare(`SELECT replaced FROM ${STATE_TABLE} WHERE table_name = ?`).get(this.table) as
          | { replaced: number }
          | undefined)
      : undefined;
    const replaced = replacedRow?.replaced ?? 0;
    if (replaced !== this.replaced) {
      this.blocks.clear();
      this.freeBlocks = [];
      this.blockCount = 0;
      this.invNorm.fill(0);
      this.replaced = replaced;
    }
    const rows = this.sqlite
      .prepare(`SELECT chunk_id AS chunkId, size, validity, rowids FROM ${this.table}_chunks WHERE partition00 = ?`)
      .all(this.workspaceId) as { chunkId: number; size: number; validity: Buffer; rowids: Buffer }[];
    if (rows.length > 0 && this.blockCount === 0) this.blockSize = rows[0]?.size ?? 1024;
    const seen = new Set<number>();
    const vectorsStmt = this.sqlite.prepare(`SELECT vectors FROM ${this.table}_vector_chunks00 WHERE rowid = ?`);
    for (const row of rows) {
      if (row.size !== this.blockSize) throw new QuantizedUnavailable(`mixed vec0 chunk sizes in ${this.table}`);
      seen.add(row.chunkId);
      const known = this.blocks.get(row.chunkId);
      if (known && known.validity.equals(row.validity) && known.rowids.equals(row.rowids)) continue;
      let block = known;
      if (!block) {
        const index = this.freeBlocks.pop() ?? this.blockCount++;
        this.ensureCapacity(this.blockCount);
        block = { index, validity: row.validity, rowids: row.rowids };
        this.blocks.set(row.chunkId, block);
      }
      block.validity = row.validity;
      block.rowids = row.rowids;
      const vec = vectorsStmt.get(row.chunkId) as { vectors: Buffer } | undefined;
      this.loadBlock(block, vec?.vectors ?? null);
    }
    for (const [chunkId, block] of this.blocks) {
      if (seen.has(chunkId)) continue;
      this.blocks.delete(chunkId);
      this.invNorm.fill(0, block.index * this.blockSize, (block.index + 1) * this.blockSize);
      this.freeBlocks.push(block.index);
    }
    this.changeMark = mark;
  }

  private loadBlock(block: Block, vectors: Buffer | null): void {
    const base = block.index * this.blockSize;
    const codes = new Int8Array(this.memory.buffer);
    const floats =
      vectors && vectors.byteLength >= this.blockSize * this.dims * 4
        ? new Float32Array(vectors.buffer, vectors.byteOffset, this.blockSize * this.dims)
        : null;
    // Blob offsets are not always 4-byte aligned; copy when they are not.
    const f = floats ?? (vectors ? new Float32Array(new Uint8Array(vectors).buffer) : null);
    for (let s = 0; s < this.blockSize; s++) {
      const slot = base + s;
      const valid = ((block.validity[s >> 3] ?? 0) >> (s & 7)) & 1;
      const off = this.codesOffset(slot);
      if (!valid || !f) {
        this.invNorm[slot] = 0;
        continue;
      }
      this.seqs[slot] = Number(block.rowids.readBigInt64LE(s * 8));
      let max = 0;
      const v0 = s * this.dims;
      for (let j = 0; j < this.dims; j++) {
        const a = Math.abs(f[v0 + j] ?? 0);
        if (a > max) max = a;
      }
      const scale = max > 0 ? 127 / max : 0;
      let sq = 0;
      for (let j = 0; j < this.dims; j++) {
        const c = Math.round((f[v0 + j] ?? 0) * scale);
        codes[off + j] = c;
        sq += c * c;
      }
      for (let j = this.dims; j < this.padded; j++) codes[off + j] = 0;
      // A zero vector has no direction; leave it out rather than divide by zero.
      this.invNorm[slot] = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    }
  }

  /** kNN: int8 scan of every slot, best `candidates` by approximate cosine, exact rescoring. */
  query(vector: Float32Array, k: number, candidates: number): { hits: SeqHit[]; stats: QuantizedQueryStats } {
    const t0 = performance.now();
    this.refresh();
    const t1 = performance.now();
    const n = this.slots;
    const stats: QuantizedQueryStats = { slots: n, candidates: 0, refreshMs: t1 - t0, scanMs: 0, rescoreMs: 0 };
    if (n === 0) return { hits: [], stats };

    let max = 0;
    for (let j = 0; j < this.dims; j++) max = Math.max(max, Math.abs(vector[j] ?? 0));
    if (max === 0) return { hits: [], stats };
    const q = new Int8Array(this.memory.buffer, 0, this.padded);
    q.fill(0);
    for (let j = 0; j < this.dims; j++) q[j] = Math.round(((vector[j] ?? 0) * 127) / max);

    const scoresAt = this.codesOffset(n);
    this.dot(0, this.codesOffset(0), n, this.padded, scoresAt);
    const scores = new Int32Array(this.memory.buffer, scoresAt, n);

    // Bounded min-heap of the best candidates by dot / |code| (the query's norm is common).
    const c = Math.max(1, Math.min(candidates, n));
    const heapScore = new Float64Array(c);
    const heapSlot = new Int32Array(c);
    let size = 0;
    const inv = this.invNorm;
    for (let i = 0; i < n; i++) {
      const w = inv[i] as number;
      if (w === 0) continue;
      const s = (scores[i] as number) * w;
      if (size < c) {
        let p = size++;
        while (p > 0) {
          const parent = (p - 1) >> 1;
          if ((heapScore[parent] as number) <= s) break;
          heapScore[p] = heapScore[parent] as number;
          heapSlot[p] = heapSlot[parent] as number;
          p = parent;
        }
        heapScore[p] = s;
        heapSlot[p] = i;
      } else if (s > (heapScore[0] as number)) {
        let p = 0;
        for (;;) {
          const l = 2 * p + 1;
          if (l >= size) break;
          const r = l + 1;
          const m = r < size && (heapScore[r] as number) < (heapScore[l] as number) ? r : l;
          if ((heapScore[m] as number) >= s) break;
          heapScore[p] = heapScore[m] as number;
          heapSlot[p] = heapSlot[m] as number;
          p = m;
        }
        heapScore[p] = s;
        heapSlot[p] = i;
      }
    }
    const t2 = performance.now();

    const bytes = vectorBytes(vector);
    const hits: SeqHit[] = [];
    for (let i = 0; i < size; i++) {
      const seq = this.seqs[heapSlot[i] as number] as number;
      const row = this.rescoreStmt.get(bytes, seq) as SeqHit | undefined;
      if (row && Number.isFinite(row.distance)) hits.push(row);
    }
    hits.sort((a, b) => a.distance - b.distance || a.chunkSeq - b.chunkSeq);
    const t3 = performance.now();
    stats.candidates = size;
    stats.scanMs = t2 - t1;
    stats.rescoreMs = t3 - t2;
    return { hits: hits.slice(0, k), stats };
  }
}
