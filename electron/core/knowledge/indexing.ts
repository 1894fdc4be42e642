// Indexing one document, the 'knowledge.index' job's work: extract and chunk (in the worker),
// store the chunks (FTS5 follows by trigger), embed them, and mark the document 'indexed', or
// 'failed' with the reason in words. Progress is reported per stage as 'knowledge.progress'
// events and on the job. Every step between awaits is a few milliseconds of main-thread work.
import { writeFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { knowledgeDocuments } from '../../../db/schema/knowledge';
import { AiError } from '../ai/errors';
import type { ApiContext } from '../context';
import { embeddingText } from './chunk';
import { documentRow, extractedTextPath, formatOfRow } from './documents';
import { currentEmbedder, embedTexts, ENDPOINT_BATCH } from './embedders';
import { ExtractCancelled, extractInWorker } from './extract-client';
import { ExtractError } from './extract';
import { KnowledgeError, MAX_EXTRACTED_CHARS } from './formats';
import { reportProgress, type IndexStage } from './progress';
import { ensureFreshEmbeddings } from './reembed';
import { deleteChunks, insertChunks, writeVectors, yieldToLoop } from './store';

/** Stage boundaries within the job's 0..1. */
const EXTRACT_END = 0.45;
const STORE_END = 0.5;

export interface IndexRun {
  signal?: AbortSignal | undefined;
  /** The job's own progress (kept on the job row for the Queue page). */
  progress?: ((fraction: number, message: string) => void) | undefined;
  attempt?: number | undefined;
  maxAttempts?: number | undefined;
}

export interface IndexOutcome {
  status: 'indexed' | 'failed' | 'skipped';
  chunks: number;
  error?: string;
}

/** An error that should stop the job without a retry (the document is marked failed already). */
export class IndexFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'IndexFailed';
  }
}

/** AI errors where waiting and trying again can help. */
const TRANSIENT_AI = new Set(['unreachable', 'rate_limited', 'server_error', 'timeout', 'interrupted', 'bad_response']);

export async function indexDocument(ctx: ApiContext, documentId: string, run: IndexRun = {}): Promise<IndexOutcome> {
  let doc: ReturnType<typeof documentRow>;
  try {
    doc = documentRow(ctx.db, documentId);
  } catch (err) {
    if (err instanceof KnowledgeError && err.reason === 'not_found') return { status: 'skipped', chunks: 0 };
    throw err;
  }
  const ws = doc.workspaceId;
  const live = () => ctx.db.sqlite.prepare(`SELECT 1 FROM knowledge_documents WHERE id = ? AND deleted_at IS NULL`).get(documentId) !== undefined;
  const report = (stage: IndexStage, fraction: number, message: string) => {
    reportProgress(ctx, ws, documentId, stage, fraction, message);
    run.progress?.(fraction, message);
  };
  const name = doc.title ?? doc.fileName ?? 'the document';
  // Deleted while this ran: whatever this run stored after the delete goes too.
  const abandon = async (): Promise<IndexOutcome> => {
    await deleteChunks(ctx.db, { workspaceId: ws, documentId });
    return { status: 'skipped', chunks: 0 };
  };

  ctx.db.orm.update(knowledgeDocuments).set({ status: 'processing', updatedAt: Date.now() }).where(eq(knowledgeDocuments.id, documentId)).run();
  let chunkCount = 0;
  try {
    const format = formatOfRow(doc);
    if (!doc.filePath || !format || format === 'csv') throw new ExtractError('unreadable', `"${name}" has no stored file to index; import it again.`);

    report('extracting', 0.01, 'Reading the file');
    const extracted = await extractInWorker(
      { format, path: doc.filePath, fileName: doc.fileName ?? name, maxChars: MAX_EXTRACTED_CHARS },
      (f, message) => report('extracting', 0.01 + (EXTRACT_END - 0.01) * f, message),
      run.signal,
    );
    if (!live()) return abandon();

    report('chunking', EXTRACT_END, `Storing ${extracted.chunks.length} passages`);
    await writeFile(extractedTextPath(ctx.dataDir, documentId), extracted.text, 'utf8');
    // A retry or a re-index replaces what an earlier run stored.
    await deleteChunks(ctx.db, { workspaceId: ws, documentId });
    const seqs = await insertChunks(
      ctx.db,
      { workspaceId: ws, documentId },
      extracted.chunks.map((c) => ({ chunkIndex: c.index, content: extracted.text.slice(c.start, c.end), startChar: c.start, endChar: c.end, heading: c.heading, page: c.page })),
    );
    chunkCount = seqs.length;
    if (!live()) return abandon();
    const title = doc.title ?? extracted.title;
    ctx.db.orm
      .update(knowledgeDocuments)
      .set({ chunkCount, title, lastIngestedAt: Date.now(), embedModel: null, embedDims: null, updatedAt: Date.now() })
      .where(eq(knowledgeDocuments.id, documentId))
      .run();

    const choice = currentEmbedder(ctx.db, ws);
    report('embedding', STORE_END, `Embedding ${chunkCount} passages`);
    const batch = ENDPOINT_BATCH;
    let dims: number | null = choice.dims;
    for (let i = 0; i < extracted.chunks.length; i += batch) {
      if (run.signal?.aborted) throw new ExtractCancelled();
      const part = extracted.chunks.slice(i, i + batch);
      const texts = part.map((c) => embeddingText(title, c.heading, extracted.text.slice(c.start, c.end)));
      const { vectors, dims: d } = await embedTexts(ctx, ws, choice, texts, { bulk: true, ...(run.signal ? { signal: run.signal } : {}) });
      dims = d;
      if (!live()) return abandon();
      writeVectors(
        ctx.db,
        ws,
        choice.model,
        part.map((_, j) => ({ seq: seqs[i + j]!, vector: vectors[j]! })),
      );
      const done = Math.min(extracted.chunks.length, i + batch);
      report('embedding', STORE_END + (1 - STORE_END) * (done / extracted.chunks.length), `Embedded ${done} of ${extracted.chunks.length} passages`);
      await yieldToLoop();
    }
    const now = Date.now();
    ctx.db.orm
      .update(knowledgeDocuments)
      .set({ status: 'indexed', errorMessage: null, embedModel: choice.model, embedDims: dims, lastEmbeddedAt: now, updatedAt: now })
      .where(eq(knowledgeDocuments.id, documentId))
      .run();
    reportProgress(ctx, ws, documentId, 'indexed', 1, `Indexed: ${chunkCount} passages`);
    run.progress?.(1, `Indexed: ${chunkCount} passages`);
    ctx.events.emit('knowledge.changed', { workspaceId: ws, documentId, faqId: null });
    // The embedding model changed while this ran: the re-embed job brings these chunks over.
    if (currentEmbedder(ctx.db, ws).model !== choice.model) ensureFreshEmbeddings(ctx, ws);
    return { status: 'indexed', chunks: chunkCount };
  } catch (err) {
    if (!live()) return abandon();
    const { message, retry } = describeFailure(err, name, chunkCount, run);
    const now = Date.now();
    if (retry) {
      // Stays 'processing': the scheduler tries again; the list shows why the last attempt failed.
      ctx.db.orm.update(knowledgeDocuments).set({ errorMessage: message, updatedAt: now }).where(eq(knowledgeDocuments.id, documentId)).run();
      report('embedding', STORE_END, `${message} Trying again shortly.`);
      throw new IndexFailed(message, true);
    }
    ctx.db.orm.update(knowledgeDocuments).set({ status: 'failed', errorMessage: message, updatedAt: now }).where(eq(knowledgeDocuments.id, documentId)).run();
    reportProgress(ctx, ws, documentId, 'failed', 1, null, message);
    ctx.events.emit('knowledge.changed', { workspaceId: ws, documentId, faqId: null });
    throw new IndexFailed(message, false);
  }
}

function describeFailure(err: unknown, name: string, chunkCount: number, run: IndexRun): { message: string; retry: boolean } {
  const lastAttempt = (run.attempt ?? 1) >= (run.maxAttempts ?? 1);
  if (err instanceof ExtractCancelled || run.signal?.aborted) {
    return { message: `Indexing "${name}" was stopped. Choose Re-index to start it again.`, retry: false };
  }
  if (err instanceof ExtractError) return { message: err.message, retry: false };
  const stored = chunkCount > 0 ? `Its ${chunkCount} passages are stored and found by keyword search, but embedding them failed: ` : 'Embedding failed: ';
  if (err instanceof AiError) {
    const retry = TRANSIENT_AI.has(err.code) && !lastAttempt;
    return { message: `${stored}${err.message}`, retry };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { message: `Indexing "${name}" failed: ${detail}`, retry: !lastAttempt };
}
