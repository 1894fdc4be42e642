// Searching the knowledge base: full-text (FTS5 bm25), vector (kNN with the embedder in force) or
// hybrid (both lists fused by reciprocal rank fusion, as db/search.ts's hybridSearch does). Each
// hit carries the scores of every method that found it, for the "test a question" panel, and
// the source it came from (document title or FAQ entry) for grounding replies.
//
// A question is matched word by word with OR (bm25 weighs rare words up), with English word
// variants, so "do you deliver cakes" finds "delivery of cakes". Vectors are compared only with
// vectors of the same embedder: while a re-embed is under way, chunks not yet re-embedded are
// found by full-text only.
import { knnSearch, RRF_K, searchText, SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../db/search';
import type { ApiContext } from '../context';
import { getWorkspace } from '../workspaces/workspaces';
import { currentEmbedder, embedTexts } from './embedders';
import { ensureFreshEmbeddings } from './reembed';
import type { ChunkMetadata } from './store';

export const SEARCH_MODES = ['fts', 'vector', 'hybrid'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export interface SearchInput {
  workspaceId: string;
  query: string;
  mode: SearchMode;
  limit?: number | undefined;
}

export interface KnowledgeHit {
  chunkId: string;
  source: 'document' | 'faq';
  documentId: string | null;
  faqId: string | null;
  /** The document's title, or the FAQ entry's title (else its first phrasing). */
  title: string;
  heading: string | null;
  content: string;
  /** Document chunks: the range in the extracted text. FAQ chunks: null. */
  startChar: number | null;
  endChar: number | null;
  page: number | null;
  /** The full-text snippet with matches between SNIPPET_OPEN / SNIPPET_CLOSE (full-text hits only). */
  snippet: string | null;
  /** The score this mode ranks by: fused RRF (hybrid), bm25 (fts, higher is better), cosine similarity (vector). */
  score: number;
  scores: {
    /** 1-based position in the full-text list and its bm25 relevance (higher is better). */
    fts: { rank: number; bm25: number } | null;
    /** 1-based position in the vector list, cosine similarity (1 = same direction) and distance. */
    vector: { rank: number; similarity: number; distance: number } | null;
    /** Reciprocal rank fusion of the two positions (hybrid only). */
    hybrid: number | null;
  };
}

export interface SearchResult {
  mode: SearchMode;
  hits: KnowledgeHit[];
  /** The embedder the query was compared with (vector and hybrid). */
  embedder: { kind: 'local' | 'endpoint'; model: string } | null;
  /** Why the vector half could not run (the endpoint was unreachable...); hits are full-text only. */
  vectorError: string | null;
  tookMs: number;
}

export { SNIPPET_CLOSE, SNIPPET_OPEN };

interface Candidate {
  chunkId: string;
  seq: number;
  fts?: { rank: number; bm25: number; snippet: string };
  vector?: { rank: number; similarity: number; distance: number };
  hybrid?: number;
}

interface ChunkRow {
  seq: number;
  id: string;
  content: string;
  startChar: number | null;
  endChar: number | null;
  metadata: string;
  documentId: string | null;
  faqId: string | null;
  docTitle: string | null;
  fileName: string | null;
  faqTitle: string | null;
  questions: string | null;
}

function loadChunks(ctx: Pick<ApiContext, 'db'>, workspaceId: string, seqs: number[]): Map<number, ChunkRow> {
  if (seqs.length === 0) return new Map();
  const rows = ctx.db.sqlite
    .prepare(
      `SELECT c.seq, c.id, c.content, c.start_char AS startChar, c.end_char AS endChar, c.metadata,
              c.document_id AS documentId, c.faq_id AS faqId, d.title AS docTitle, d.file_name AS fileName,
              f.title AS faqTitle, f.questions AS questions
         FROM knowledge_chunks c
         LEFT JOIN knowledge_documents d ON d.id = c.document_id
         LEFT JOIN faq_entries f ON f.id = c.faq_id
        WHERE c.workspace_id = ? AND c.seq IN (SELECT value FROM json_each(?))
          AND (c.document_id IS NULL OR d.deleted_at IS NULL)
          AND (c.faq_id IS NULL OR (f.deleted_at IS NULL AND f.is_active = 1))`,
    )
    .all(workspaceId, JSON.stringify(seqs)) as ChunkRow[];
  return new Map(rows.map((r) => [r.seq, r]));
}

/** Chunks among `seqs` whose vector was made by `model`. */
function madeBy(ctx: Pick<ApiContext, 'db'>, seqs: number[], model: string): Set<number> {
  if (seqs.length === 0) return new Set();
  const rows = ctx.db.sqlite
    .prepare(`SELECT seq FROM knowledge_chunks WHERE seq IN (SELECT value FROM json_each(?)) AND json_extract(metadata, '$.embedder') = ?`)
    .all(JSON.stringify(seqs), model) as { seq: number }[];
  return new Set(rows.map((r) => r.seq));
}

export async function searchKnowledge(ctx: ApiContext, input: SearchInput): Promise<SearchResult> {
  const started = performance.now();
  getWorkspace(ctx.db, input.workspaceId);
  const limit = Math.max(1, Math.min(100, Math.trunc(input.limit ?? 10)));
  const n = Math.max(limit * 4, 40);
  const ws = input.workspaceId;
  ensureFreshEmbeddings(ctx, ws);
  const byChunk = new Map<number, Candidate>();
  const entry = (seq: number, id: string) => {
    let c = byChunk.get(seq);
    if (!c) byChunk.set(seq, (c = { chunkId: id, seq }));
    return c;
  };

  if (input.mode !== 'vector') {
    const hits = searchText(ctx.db, { workspaceId: ws, target: 'knowledge', query: input.query, limit: n, match: 'any', prefix: false, variants: true, snippetTokens: 16 });
    hits.forEach((h, i) => {
      entry(h.seq, h.id).fts = { rank: i + 1, bm25: h.rank === null ? 0 : -h.rank, snippet: h.snippet };
    });
  }

  let embedder: SearchResult['embedder'] = null;
  let vectorError: string | null = null;
  if (input.mode !== 'fts' && input.query.trim()) {
    const choice = currentEmbedder(ctx.db, ws);
    embedder = { kind: choice.kind, model: choice.model };
    try {
      const { vectors } = await embedTexts(ctx, ws, choice, [input.query.slice(0, 2000)]);
      const vector = vectors[0]!;
      // Over-fetch: vectors of another embedder sharing the table are dropped below.
      const knn = await knnSearch(ctx.db, { workspaceId: ws, vector, k: n * 2 });
      const mine = madeBy(
        ctx,
        knn.map((h) => h.chunkSeq),
        choice.model,
      );
      let rank = 0;
      for (const h of knn) {
        if (!mine.has(h.chunkSeq)) continue;
        if (++rank > n) break;
        entry(h.chunkSeq, h.chunkId).vector = { rank, similarity: 1 - h.distance, distance: h.distance };
      }
    } catch (err) {
      vectorError = err instanceof Error ? err.message : String(err);
    }
  }

  const candidates = [...byChunk.values()];
  for (const c of candidates) {
    if (input.mode === 'hybrid') c.hybrid = (c.fts ? 1 / (RRF_K + c.fts.rank) : 0) + (c.vector ? 1 / (RRF_K + c.vector.rank) : 0);
  }
  const scoreOf = (c: Candidate): number =>
    input.mode === 'hybrid' ? (c.hybrid ?? 0) : input.mode === 'fts' ? (c.fts?.bm25 ?? 0) : (c.vector?.similarity ?? 0);
  candidates.sort((a, b) => scoreOf(b) - scoreOf(a) || (a.fts?.rank ?? Infinity) - (b.fts?.rank ?? Infinity) || a.seq - b.seq);

  const top = candidates.slice(0, limit * 2);
  const rows = loadChunks(
    ctx,
    ws,
    top.map((c) => c.seq),
  );
  const hits: KnowledgeHit[] = [];
  for (const c of top) {
    const r = rows.get(c.seq);
    if (!r) continue;
    const meta = JSON.parse(r.metadata) as Partial<ChunkMetadata>;
    const questions = r.questions ? (JSON.parse(r.questions) as string[]) : [];
    hits.push({
      chunkId: r.id,
      source: r.faqId ? 'faq' : 'document',
      documentId: r.documentId,
      faqId: r.faqId,
      title: r.faqId ? (r.faqTitle ?? questions[0] ?? 'FAQ') : (r.docTitle ?? r.fileName ?? 'Untitled'),
      heading: meta.heading ?? null,
      content: r.content,
      startChar: r.startChar,
      endChar: r.endChar,
      page: meta.page ?? null,
      snippet: c.fts?.snippet ?? null,
      score: scoreOf(c),
      scores: { fts: c.fts ? { rank: c.fts.rank, bm25: c.fts.bm25 } : null, vector: c.vector ?? null, hybrid: c.hybrid ?? null },
    });
    if (hits.length >= limit) break;
  }
  return { mode: input.mode, hits, embedder, vectorError, tookMs: Math.round((performance.now() - started) * 10) / 10 };
}
