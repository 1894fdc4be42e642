// Writing chunks and their vectors. Chunks go into knowledge_chunks (FTS5 follows by trigger);
// vectors into knowledge_vec_<dims> through db/vector, and the chunk's metadata records which
// embedder and dimension count made its vector. Work is cut into small transactions, and the
// async helpers yield to the event loop between them, so indexing a 200-page PDF never holds the
// main thread for more than a few milliseconds at a time.
import type { Database } from '../../../db/client';
import { newId } from '../../../db/schema/columns';
import { putChunkEmbeddings, vectorTableName } from '../../../db/search';
import { estimateTokens } from '../ai/budget';

/** Rows per transaction: ~1-3 ms each with the FTS trigger. */
export const WRITE_BATCH = 50;

export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ChunkMetadata {
  /** The embedder (model name) that made this chunk's vector; null until embedded. */
  embedder: string | null;
  dims: number | null;
  heading: string | null;
  page: number | null;
}

export interface NewChunk {
  chunkIndex: number;
  content: string;
  startChar: number | null;
  endChar: number | null;
  heading: string | null;
  page: number | null;
}

export type ChunkOwner = { workspaceId: string; documentId: string; faqId?: never } | { workspaceId: string; faqId: string; documentId?: never };

/** Delete a document's or FAQ entry's chunks (their FTS rows and vectors go by trigger), in batches. */
export async function deleteChunks(db: Database, owner: ChunkOwner): Promise<void> {
  const col = owner.documentId !== undefined ? 'document_id' : 'faq_id';
  const key = owner.documentId ?? owner.faqId;
  const del = db.sqlite.prepare(`DELETE FROM knowledge_chunks WHERE seq IN (SELECT seq FROM knowledge_chunks WHERE ${col} = ? LIMIT ${WRITE_BATCH})`);
  while (del.run(key).changes > 0) await yieldToLoop();
}

export function deleteChunksNow(db: Database, owner: ChunkOwner): void {
  const col = owner.documentId !== undefined ? 'document_id' : 'faq_id';
  db.sqlite.prepare(`DELETE FROM knowledge_chunks WHERE ${col} = ?`).run(owner.documentId ?? owner.faqId);
}

/** Insert chunks in one transaction; returns their seqs in order. */
export function insertChunksNow(db: Database, owner: ChunkOwner, chunks: readonly NewChunk[]): number[] {
  const ins = db.sqlite.prepare(
    `INSERT INTO knowledge_chunks (id, workspace_id, document_id, faq_id, chunk_index, content, token_count, start_char, end_char, metadata, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
  );
  const now = Date.now();
  return db.sqlite.transaction(() =>
    chunks.map((c) => {
      const meta: ChunkMetadata = { embedder: null, dims: null, heading: c.heading, page: c.page };
      const r = ins.get(newId(), owner.workspaceId, owner.documentId ?? null, owner.faqId ?? null, c.chunkIndex, c.content, estimateTokens(c.content), c.startChar, c.endChar, JSON.stringify(meta), now, now) as {
        seq: number;
      };
      return r.seq;
    }),
  )();
}

/** Insert chunks WRITE_BATCH at a time, yielding between batches; returns their seqs in order. */
export async function insertChunks(db: Database, owner: ChunkOwner, chunks: readonly NewChunk[]): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < chunks.length; i += WRITE_BATCH) {
    seqs.push(...insertChunksNow(db, owner, chunks.slice(i, i + WRITE_BATCH)));
    if (i + WRITE_BATCH < chunks.length) await yieldToLoop();
  }
  return seqs;
}

function tableExists(db: Database, name: string): boolean {
  return db.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(name) !== undefined;
}

/**
 * Store vectors made by `model` (one transaction). A chunk whose earlier vector lives in a table of
 * another dimension count loses that one, so no chunk is ever found through a stale vector.
 */
export function writeVectors(db: Database, workspaceId: string, model: string, items: readonly { seq: number; vector: Float32Array }[]): void {
  if (items.length === 0) return;
  const dims = items[0]!.vector.length;
  const oldDims = db.sqlite.prepare(`SELECT json_extract(metadata, '$.dims') AS dims FROM knowledge_chunks WHERE seq = ?`);
  const setMeta = db.sqlite.prepare(
    `UPDATE knowledge_chunks SET metadata = json_set(metadata, '$.embedder', ?, '$.dims', ?), updated_at = ? WHERE seq = ?`,
  );
  const now = Date.now();
  db.sqlite.transaction(() => {
    for (const it of items) {
      const old = (oldDims.get(it.seq) as { dims: number | null } | undefined)?.dims ?? null;
      if (old !== null && old !== dims) {
        const table = vectorTableName(old);
        if (tableExists(db, table)) db.sqlite.prepare(`DELETE FROM ${table} WHERE chunk_seq = ?`).run(BigInt(it.seq));
      }
    }
    putChunkEmbeddings(db, items.map((it) => ({ chunkSeq: it.seq, workspaceId, vector: it.vector })));
    for (const it of items) setMeta.run(model, dims, now, it.seq);
  })();
}
