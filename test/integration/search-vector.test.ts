// Vector search against a real migrated file: exact kNN inline and in the worker pool agree,
// workspaces never see each other's vectors, deletes follow chunks, other dimensions are created
// on demand, and the quantized (int8 + full-precision rescoring) path keeps recall@10 >= 0.95.
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeVectorWorkers,
  ensureVectorTable,
  knnSearch,
  putChunkEmbedding,
  putChunkEmbeddings,
  warmVectorIndex,
} from '../../db/search';
import { openTestDb } from '../helpers/db';

type TestDb = ReturnType<typeof openTestDb>;

const DIMS = 384;
const CORPUS = 20_000;

/** Deterministic xorshift32 so a failing recall is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
}

function randomUnit(next: () => number, dims = DIMS): Float32Array {
  const v = new Float32Array(dims);
  let n = 0;
  for (let i = 0; i < dims; i++) {
    const g = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
    v[i] = g;
    n += g * g;
  }
  n = Math.sqrt(n);
  for (let i = 0; i < dims; i++) v[i] = (v[i] ?? 0) / n;
  return v;
}

/** A vector at a small angle from v. */
function near(v: Float32Array, next: () => number, noise = 0.05): Float32Array {
  const r = randomUnit(next, v.length);
  const out = new Float32Array(v.length);
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    out[i] = (v[i] ?? 0) + noise * (r[i] ?? 0);
    n += (out[i] ?? 0) ** 2;
  }
  n = Math.sqrt(n);
  for (let i = 0; i < v.length; i++) out[i] = (out[i] ?? 0) / n;
  return out;
}

let db: TestDb;
let wsA: string;
let wsB: string;
const next = rng(42);

function workspace(name: string): string {
  const id = uuidv7();
  db.sqlite.prepare(`INSERT INTO workspaces(id, name) VALUES (?, ?)`).run(id, name);
  return id;
}

/** n chunks in one new document of `ws`; returns their seqs and ids in order. */
function chunks(ws: string, n: number): { seq: number; id: string }[] {
  const doc = uuidv7();
  db.sqlite.prepare(`INSERT INTO knowledge_documents(id, workspace_id, title) VALUES (?, ?, 'doc')`).run(doc, ws);
  const ins = db.sqlite.prepare(`INSERT INTO knowledge_chunks(id, workspace_id, document_id, chunk_index, content) VALUES (?, ?, ?, ?, ?)`);
  const out: { seq: number; id: string }[] = [];
  db.sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = uuidv7();
      out.push({ seq: Number(ins.run(id, ws, doc, i, `chunk ${i}`).lastInsertRowid), id });
    }
  })();
  return out;
}

let corpus: { seq: number; id: string; vector: Float32Array }[] = [];

beforeAll(() => {
  db = openTestDb();
  wsA = workspace('A');
  wsB = workspace('B');
  corpus = chunks(wsA, CORPUS).map((c) => ({ ...c, vector: randomUnit(next) }));
  putChunkEmbeddings(db, corpus.map((c) => ({ chunkSeq: c.seq, workspaceId: wsA, vector: c.vector })));
}, 120_000);
afterAll(async () => {
  await closeVectorWorkers();
  db?.cleanup();
});

describe('knnSearch (exact)', () => {
  it('given a query near one stored vector, when searching, then that chunk comes first, best first', async () => {
    const target = corpus[1234];
    if (!target) throw new Error('corpus too small');
    const hits = await knnSearch(db, { workspaceId: wsA, vector: near(target.vector, next), k: 10, mode: 'exact' });
    expect(hits).toHaveLength(10);
    expect(hits[0]).toMatchObject({ chunkId: target.id, chunkSeq: target.seq });
    expect(hits[0]?.distance).toBeLessThan(0.01);
    for (let i = 1; i < hits.length; i++) expect(hits[i]?.distance).toBeGreaterThanOrEqual(hits[i - 1]?.distance ?? 0);
  });

  it('given the same queries, when run inline and in the worker pool, then the results are equal', async () => {
    for (let q = 0; q < 5; q++) {
      const vector = randomUnit(next);
      const inline = await knnSearch(db, { workspaceId: wsA, vector, k: 10, mode: 'exact', thread: 'main' });
      const worker = await knnSearch(db, { workspaceId: wsA, vector, k: 10, mode: 'exact', thread: 'worker' });
      expect(worker).toEqual(inline);
    }
  });

  it('given a worker scan, when it runs, then the main event loop keeps turning meanwhile', async () => {
    const countTicks = async (run: () => Promise<unknown>): Promise<number> => {
      let ticks = 0;
      let on = true;
      const spin = () => {
        if (!on) return;
        ticks++;
        setImmediate(spin);
      };
      setImmediate(spin);
      await run();
      on = false;
      return ticks;
    };
    const vector = randomUnit(next);
    await knnSearch(db, { workspaceId: wsA, vector, k: 10, thread: 'worker' }); // worker started
    const inWorker = await countTicks(() => knnSearch(db, { workspaceId: wsA, vector, k: 10, mode: 'exact', thread: 'worker' }));
    const inline = await countTicks(() => knnSearch(db, { workspaceId: wsA, vector, k: 10, mode: 'exact', thread: 'main' }));
    expect(inWorker).toBeGreaterThan(3);
    expect(inline).toBeLessThanOrEqual(1);
  });

  it('given vectors in two workspaces, when searching one, then the other one\'s never appear', async () => {
    const [b] = chunks(wsB, 1);
    if (!b) throw new Error('no chunk');
    const target = corpus[7]?.vector ?? randomUnit(next);
    putChunkEmbedding(db, { chunkSeq: b.seq, workspaceId: wsB, vector: target });
    const a = await knnSearch(db, { workspaceId: wsA, vector: target, k: 5 });
    expect(a.map((h) => h.chunkId)).not.toContain(b.id);
    expect(a[0]?.chunkId).toBe(corpus[7]?.id);
    const inB = await knnSearch(db, { workspaceId: wsB, vector: target, k: 5 });
    expect(inB.map((h) => h.chunkId)).toEqual([b.id]);
    // A vector cannot be filed under a workspace its chunk does not belong to.
    expect(() => putChunkEmbedding(db, { chunkSeq: b.seq, workspaceId: wsA, vector: target })).toThrow(/another workspace/);
    expect(() => putChunkEmbedding(db, { chunkSeq: 999_999_999, workspaceId: wsA, vector: target })).toThrow(/does not exist/);
  });

  it('given bad vectors, when writing or searching, then they are rejected with a clear error', async () => {
    const [c] = chunks(wsA, 1);
    if (!c) throw new Error('no chunk');
    const nan = randomUnit(next);
    nan[3] = Number.NaN;
    expect(() => putChunkEmbedding(db, { chunkSeq: c.seq, workspaceId: wsA, vector: nan })).toThrow(/finite/);
    await expect(knnSearch(db, { workspaceId: wsA, vector: new Float32Array(10), k: 3, dims: DIMS })).rejects.toThrow(/dimensions/);
    await expect(knnSearch(db, { workspaceId: wsA, vector: randomUnit(next, 4), k: 3 })).rejects.toThrow(/dimensions/);
  });

  it('given a deleted chunk or document, when searching, then its vector is gone too', async () => {
    const [c] = chunks(wsA, 1);
    if (!c) throw new Error('no chunk');
    const v = randomUnit(next);
    putChunkEmbedding(db, { chunkSeq: c.seq, workspaceId: wsA, vector: v });
    expect(db.sqlite.prepare(`SELECT embedded_at FROM knowledge_chunks WHERE seq = ?`).get(c.seq)).toMatchObject({ embedded_at: expect.any(Number) });
    expect((await knnSearch(db, { workspaceId: wsA, vector: v, k: 1 }))[0]?.chunkId).toBe(c.id);
    db.sqlite.prepare(`DELETE FROM knowledge_chunks WHERE seq = ?`).run(c.seq);
    expect(db.sqlite.prepare(`SELECT count(*) AS n FROM knowledge_vec_384 WHERE chunk_seq = ?`).get(c.seq)).toEqual({ n: 0 });
    expect((await knnSearch(db, { workspaceId: wsA, vector: v, k: 1 }))[0]?.chunkId).not.toBe(c.id);
  });

  it('given 1536-dim embeddings, when stored, then their table and delete trigger are created on demand', async () => {
    const doc = uuidv7();
    db.sqlite.prepare(`INSERT INTO knowledge_documents(id, workspace_id, title) VALUES (?, ?, 'big')`).run(doc, wsB);
    const ins = db.sqlite.prepare(`INSERT INTO knowledge_chunks(id, workspace_id, document_id, chunk_index, content) VALUES (?, ?, ?, ?, 'x')`);
    const rows = Array.from({ length: 50 }, (_, i) => {
      const id = uuidv7();
      return { id, seq: Number(ins.run(id, wsB, doc, i).lastInsertRowid), vector: randomUnit(next, 1536) };
    });
    putChunkEmbeddings(db, rows.map((r) => ({ chunkSeq: r.seq, workspaceId: wsB, vector: r.vector })));
    expect(ensureVectorTable(db.sqlite, 1536)).toBe('knowledge_vec_1536');
    const target = rows[17];
    if (!target) throw new Error('no row');
    const hits = await knnSearch(db, { workspaceId: wsB, vector: near(target.vector, next), k: 3 });
    expect(hits[0]?.chunkId).toBe(target.id);
    db.sqlite.prepare(`DELETE FROM knowledge_documents WHERE id = ?`).run(doc);
    expect(db.sqlite.prepare(`SELECT count(*) AS n FROM knowledge_vec_1536`).get()).toEqual({ n: 0 });
    expect(await knnSearch(db, { workspaceId: wsB, vector: target.vector, k: 3 })).toEqual([]);
  });
});

describe('knnSearch (quantized)', () => {
  it('given random 384-dim vectors, when searching quantized, then recall@10 against exact is at least 0.95', async () => {
    await warmVectorIndex(db, { workspaceId: wsA, dims: DIMS });
    const queries = Array.from({ length: 25 }, () => randomUnit(next));
    let found = 0;
    const times: number[] = [];
    for (const vector of queries) {
      const exact = await knnSearch(db, { workspaceId: wsA, vector, k: 10, mode: 'exact' });
      const t0 = performance.now();
      const approx = await knnSearch(db, { workspaceId: wsA, vector, k: 10, mode: 'quantized' });
      times.push(performance.now() - t0);
      const want = new Set(exact.map((h) => h.chunkSeq));
      found += approx.filter((h) => want.has(h.chunkSeq)).length;
      // Rescored in full precision: the distances are the exact ones.
      for (const h of approx) {
        const e = exact.find((x) => x.chunkSeq === h.chunkSeq);
        if (e) expect(h.distance).toBeCloseTo(e.distance, 5);
      }
    }
    const recall = found / (queries.length * 10);
    times.sort((a, b) => a - b);
    console.log(`quantized ${CORPUS} x ${DIMS}: recall@10 ${recall.toFixed(3)}, p50 ${times[times.length >> 1]?.toFixed(1)} ms`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('given inserts, replacements and deletes after the index was built, when searching, then it sees them', async () => {
    await warmVectorIndex(db, { workspaceId: wsA, dims: DIMS });
    const probe = randomUnit(next);
    const [c] = chunks(wsA, 1);
    if (!c) throw new Error('no chunk');
    putChunkEmbedding(db, { chunkSeq: c.seq, workspaceId: wsA, vector: probe });
    let hits = await knnSearch(db, { workspaceId: wsA, vector: probe, k: 3, mode: 'quantized' });
    expect(hits[0]?.chunkId).toBe(c.id);

    // Replacing a vector reuses its vec0 slot; the index must still notice.
    const other = corpus[99];
    if (!other) throw new Error('corpus too small');
    putChunkEmbedding(db, { chunkSeq: c.seq, workspaceId: wsA, vector: other.vector });
    hits = await knnSearch(db, { workspaceId: wsA, vector: probe, k: 3, mode: 'quantized' });
    expect(hits.map((h) => h.chunkId)).not.toContain(c.id);
    hits = await knnSearch(db, { workspaceId: wsA, vector: other.vector, k: 2, mode: 'quantized' });
    expect(hits.map((h) => h.chunkId).sort()).toEqual([c.id, other.id].sort());

    db.sqlite.prepare(`DELETE FROM knowledge_chunks WHERE seq = ?`).run(c.seq);
    hits = await knnSearch(db, { workspaceId: wsA, vector: other.vector, k: 2, mode: 'quantized' });
    expect(hits[0]?.chunkId).toBe(other.id);
    expect(hits.map((h) => h.chunkId)).not.toContain(c.id);
  });

  it('given an in-memory database, when searching quantized, then it runs inline with the same answer', async () => {
    const mem = openTestDb({ file: ':memory:' });
    try {
      const w = uuidv7();
      mem.sqlite.prepare(`INSERT INTO workspaces(id, name) VALUES (?, 'm')`).run(w);
      const doc = uuidv7();
      mem.sqlite.prepare(`INSERT INTO knowledge_documents(id, workspace_id) VALUES (?, ?)`).run(doc, w);
      const ins = mem.sqlite.prepare(`INSERT INTO knowledge_chunks(id, workspace_id, document_id, chunk_index, content) VALUES (?, ?, ?, ?, 'x')`);
      const rows = Array.from({ length: 300 }, (_, i) => ({ seq: Number(ins.run(uuidv7(), w, doc, i).lastInsertRowid), vector: randomUnit(next) }));
      putChunkEmbeddings(mem, rows.map((r) => ({ chunkSeq: r.seq, workspaceId: w, vector: r.vector })));
      const q = randomUnit(next);
      const exact = await knnSearch(mem, { workspaceId: w, vector: q, k: 5, mode: 'exact' });
      const approx = await knnSearch(mem, { workspaceId: w, vector: q, k: 5, mode: 'quantized' });
      expect(approx).toEqual(exact);
      // The inline index sees writes of its own connection too.
      const seq = Number(ins.run(uuidv7(), w, doc, 300).lastInsertRowid);
      putChunkEmbedding(mem, { chunkSeq: seq, workspaceId: w, vector: q });
      const after = await knnSearch(mem, { workspaceId: w, vector: q, k: 1, mode: 'quantized' });
      expect(after[0]?.chunkSeq).toBe(seq);
    } finally {
      mem.cleanup();
    }
  });
});
