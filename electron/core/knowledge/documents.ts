// Knowledge documents: import (a file on this computer, or text or bytes sent by the web UI), the
// list with status and progress, one document with its chunks, re-index and delete.
//
// An import stores a copy of the file under <data folder>/knowledge/ (so indexing, a retry or a
// re-index never depend on the original staying where it was), inserts the document as
// 'processing' and queues the 'knowledge.index' job in the same transaction. The same bytes
// imported twice into a workspace give back the first document.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { newId } from '../../../db/schema/columns';
import { knowledgeDocuments, type DOCUMENT_STATUSES } from '../../../db/schema/knowledge';
import { schedulerFor } from '../../scheduler/scheduler';
import type { ApiContext } from '../context';
import { getWorkspace } from '../workspaces/workspaces';
import { currentEmbedder } from './embedders';
import { importFaqCsv, type FaqImportResult } from './faq';
import { detectFormat, FORMAT_MIME, KnowledgeError, MAX_DOCUMENT_BYTES, titleFromFileName, type KnowledgeFormat } from './formats';
import { forgetProgress, progressOf, reportProgress, type DocumentProgress } from './progress';
import { deleteChunks, yieldToLoop, type ChunkMetadata } from './store';

type DocumentRow = typeof knowledgeDocuments.$inferSelect;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** The folder (under the data folder) that keeps each document's file and extracted text. */
export function knowledgeDir(dataDir: string): string {
  return join(dataDir, 'knowledge');
}

export function extractedTextPath(dataDir: string, documentId: string): string {
  return join(knowledgeDir(dataDir), `${documentId}.extracted.txt`);
}

export interface DocumentView {
  id: string;
  workspaceId: string;
  title: string;
  fileName: string | null;
  format: KnowledgeFormat | null;
  mimeType: string | null;
  sizeBytes: number;
  status: DocumentStatus;
  /** While processing: the stage and 0..1 (also sent as 'knowledge.progress' events). */
  progress: DocumentProgress | null;
  chunkCount: number;
  /** Why indexing failed (or, while processing, why the last attempt did), in words for the user. */
  error: string | null;
  /** The embedder that made this document's vectors, and their dimension count. */
  embedModel: string | null;
  embedDims: number | null;
  /** Its vectors come from another model than the one now set: re-embedding will bring it over. */
  stale: boolean;
  createdAt: number;
  updatedAt: number;
  lastIndexedAt: number | null;
}

export function formatOfRow(row: Pick<DocumentRow, 'fileName' | 'mimeType'>): KnowledgeFormat | null {
  for (const [format, mime] of Object.entries(FORMAT_MIME) as [KnowledgeFormat, string][]) if (row.mimeType === mime) return format;
  return null;
}

function toView(ctx: Pick<ApiContext, 'db'>, row: DocumentRow, currentModel: string): DocumentView {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    title: row.title ?? row.fileName ?? 'Untitled',
    fileName: row.fileName,
    format: formatOfRow(row),
    mimeType: row.mimeType,
    sizeBytes: row.fileSizeBytes,
    status: row.status,
    progress: row.status === 'processing' ? (progressOf(ctx, row.id) ?? { stage: 'queued', fraction: 0, message: null }) : null,
    chunkCount: row.chunkCount,
    error: row.errorMessage,
    embedModel: row.embedModel,
    embedDims: row.embedDims,
    stale: row.status === 'indexed' && row.chunkCount > 0 && row.embedModel !== currentModel,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastIndexedAt: row.lastEmbeddedAt,
  };
}

export function documentRow(db: Database, documentId: string): DocumentRow {
  const row = db.orm
    .select()
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.id, documentId), isNull(knowledgeDocuments.deletedAt)))
    .get();
  if (!row) throw new KnowledgeError('not_found', 'not_found', 'That document is not in the knowledge base (it may have been deleted).');
  return row;
}

export function listDocuments(ctx: Pick<ApiContext, 'db'>, workspaceId: string): DocumentView[] {
  getWorkspace(ctx.db, workspaceId);
  const model = currentEmbedder(ctx.db, workspaceId).model;
  return ctx.db.orm
    .select()
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.workspaceId, workspaceId), isNull(knowledgeDocuments.deletedAt)))
    .orderBy(desc(knowledgeDocuments.createdAt))
    .all()
    .map((r) => toView(ctx, r, model));
}

export interface ChunkView {
  id: string;
  index: number;
  content: string;
  /** Character range in the document's extracted text: content === text.slice(startChar, endChar). */
  startChar: number | null;
  endChar: number | null;
  heading: string | null;
  page: number | null;
  tokenCount: number | null;
  /** The embedder of its vector; null while not embedded. */
  embedder: string | null;
  dims: number | null;
}

export interface DocumentDetail {
  document: DocumentView;
  chunks: ChunkView[];
  /** The extracted text the offsets point into (only when asked for, and once extracted). */
  text: string | null;
}

export async function getDocument(ctx: Pick<ApiContext, 'db' | 'dataDir'>, documentId: string, opts: { includeText?: boolean } = {}): Promise<DocumentDetail> {
  const row = documentRow(ctx.db, documentId);
  const chunks = (
    ctx.db.sqlite
      .prepare(
        `SELECT id, chunk_index AS idx, content, start_char AS startChar, end_char AS endChar, token_count AS tokenCount, metadata
           FROM knowledge_chunks WHERE document_id = ? ORDER BY chunk_index`,
      )
      .all(documentId) as { id: string; idx: number; content: string; startChar: number | null; endChar: number | null; tokenCount: number | null; metadata: string }[]
  ).map((c): ChunkView => {
    const meta = JSON.parse(c.metadata) as Partial<ChunkMetadata>;
    return {
      id: c.id,
      index: c.idx,
      content: c.content,
      startChar: c.startChar,
      endChar: c.endChar,
      heading: meta.heading ?? null,
      page: meta.page ?? null,
      tokenCount: c.tokenCount,
      embedder: meta.embedder ?? null,
      dims: meta.dims ?? null,
    };
  });
  let text: string | null = null;
  if (opts.includeText) {
    try {
      text = await readFile(extractedTextPath(ctx.dataDir, documentId), 'utf8');
    } catch {
      text = null;
    }
  }
  return { document: toView(ctx, row, currentEmbedder(ctx.db, row.workspaceId).model), chunks, text };
}

// ---- import ------------------------------------------------------------------------------------

export interface ImportInput {
  workspaceId: string;
  /** A file on this computer (desktop app, CLI). */
  path?: string | undefined;
  /** Or the file's content as text (txt, md, html, csv pasted or read in the browser)... */
  text?: string | undefined;
  /** ...or its bytes, base64 (pdf, docx uploaded from the web UI; the web host's JSON bodies stop at 5 MB)... */
  contentBase64?: string | undefined;
  /** ...or its bytes as they are (a host's streamed upload route; not part of the JSON API). */
  bytes?: Uint8Array | undefined;
  /** Needed with text or contentBase64; the format is told from its extension. */
  fileName?: string | undefined;
  title?: string | undefined;
}

export type ImportResult =
  | { kind: 'document'; document: DocumentView; duplicate: boolean; jobId: string | null }
  | ({ kind: 'faq' } & FaqImportResult);

async function readSource(input: ImportInput): Promise<{ bytes: Buffer; fileName: string }> {
  if (input.path !== undefined) {
    let size: number;
    try {
      const s = await stat(input.path);
      if (!s.isFile()) throw new KnowledgeError('invalid_input', 'unreadable', `"${input.path}" is a folder, not a file. Choose a file to import.`);
      size = s.size;
    } catch (err) {
      if (err instanceof KnowledgeError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new KnowledgeError('not_found', 'not_found', `There is no file at "${input.path}". Check the path and try again.`);
      throw new KnowledgeError('invalid_input', 'unreadable', `"${input.path}" could not be read (${code ?? 'error'}). Check that Postdesk may read it.`);
    }
    if (size > MAX_DOCUMENT_BYTES) throw tooLarge(size);
    const bytes = await readFile(input.path);
    return { bytes, fileName: input.fileName ?? input.path.replace(/^.*[\\/]/, '') };
  }
  if (!input.fileName) throw new KnowledgeError('invalid_input', 'invalid', 'Give the file name with its extension (e.g. "faq.csv"), so its format is known.');
  if (input.text !== undefined) {
    const bytes = Buffer.from(input.text, 'utf8');
    if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge(bytes.length);
    return { bytes, fileName: input.fileName };
  }
  if (input.bytes !== undefined) {
    if (input.bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge(input.bytes.length);
    return { bytes: Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength), fileName: input.fileName };
  }
  if (input.contentBase64 !== undefined) {
    const bytes = Buffer.from(input.contentBase64, 'base64');
    if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge(bytes.length);
    return { bytes, fileName: input.fileName };
  }
  throw new KnowledgeError('invalid_input', 'invalid', 'Give a file path, or the file name with its text or its bytes.');
}

function tooLarge(size: number): KnowledgeError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new KnowledgeError('invalid_input', 'too_large', `The file is ${mb(size)}; the knowledge base takes files up to ${mb(MAX_DOCUMENT_BYTES)}. Split it into parts, or export only the text.`);
}

/** SHA-256 in 1 MB steps with a yield between, so a 50 MB file never holds the loop. */
async function sha256(bytes: Buffer): Promise<string> {
  const h = createHash('sha256');
  const step = 1024 * 1024;
  for (let i = 0; i < bytes.length; i += step) {
    h.update(bytes.subarray(i, i + step));
    if (i + step < bytes.length) await yieldToLoop();
  }
  return h.digest('hex');
}

function liveBySha(db: Database, workspaceId: string, sha: string): DocumentRow | undefined {
  return db.orm
    .select()
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.workspaceId, workspaceId), eq(knowledgeDocuments.contentSha256, sha), isNull(knowledgeDocuments.deletedAt)))
    .get();
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export async function importDocument(ctx: ApiContext, input: ImportInput): Promise<ImportResult> {
  getWorkspace(ctx.db, input.workspaceId);
  const { bytes, fileName } = await readSource(input);
  if (bytes.length === 0) throw new KnowledgeError('invalid_input', 'empty', `"${fileName}" is empty.`);
  const format = detectFormat(fileName, bytes.subarray(0, 16));
  if (format === 'csv') return { kind: 'faq', ...importFaqCsv(ctx, input.workspaceId, bytes, fileName) };

  const scheduler = schedulerFor(ctx.db);
  if (!scheduler) throw new KnowledgeError('unavailable', 'invalid', 'Indexing is not running in this window; restart Postdesk and import again.');
  const sha = await sha256(bytes);
  const model = currentEmbedder(ctx.db, input.workspaceId).model;
  const existing = liveBySha(ctx.db, input.workspaceId, sha);
  if (existing) return { kind: 'document', document: toView(ctx, existing, model), duplicate: true, jobId: null };

  const id = newId();
  const dir = knowledgeDir(ctx.dataDir);
  await mkdir(dir, { recursive: true });
  const filePath = join(dir, `${id}.${format}`);
  await writeFile(filePath, bytes);
  const title = input.title?.trim() || titleFromFileName(fileName);
  let jobId: string;
  try {
    jobId = ctx.db.sqlite.transaction(() => {
      ctx.db.orm
        .insert(knowledgeDocuments)
        .values({
          id,
          workspaceId: input.workspaceId,
          title,
          filePath,
          fileName,
          mimeType: FORMAT_MIME[format],
          fileSizeBytes: bytes.length,
          contentSha256: sha,
          status: 'processing',
        })
        .run();
      return scheduler.enqueueType(INDEX_JOB_TYPE, { documentId: id }, { workspaceId: input.workspaceId }).id;
    })();
  } catch (err) {
    await rm(filePath, { force: true });
    // The same bytes imported twice at once: the other import won; answer with its document.
    const winner = isUniqueViolation(err) ? liveBySha(ctx.db, input.workspaceId, sha) : undefined;
    if (winner) return { kind: 'document', document: toView(ctx, winner, model), duplicate: true, jobId: null };
    throw err;
  }
  reportProgress(ctx, input.workspaceId, id, 'queued', 0, 'Waiting to be indexed');
  ctx.events.emit('knowledge.changed', { workspaceId: input.workspaceId, documentId: id, faqId: null });
  return { kind: 'document', document: toView(ctx, documentRow(ctx.db, id), model), duplicate: false, jobId };
}

/** The job type that indexes one document (defined in jobs.ts; named here to avoid an import cycle). */
export const INDEX_JOB_TYPE = 'knowledge.index';

/** Index a document again from its stored file (after a failure, or to pick up a better extractor). */
export function reindexDocument(ctx: ApiContext, documentId: string): { document: DocumentView; jobId: string } {
  const row = documentRow(ctx.db, documentId);
  if (row.status === 'processing') throw new KnowledgeError('conflict', 'invalid', `"${row.title ?? row.fileName}" is being indexed already.`);
  const scheduler = schedulerFor(ctx.db);
  if (!scheduler) throw new KnowledgeError('unavailable', 'invalid', 'Indexing is not running in this window; restart Postdesk and try again.');
  const jobId = ctx.db.sqlite.transaction(() => {
    ctx.db.orm.update(knowledgeDocuments).set({ status: 'processing', errorMessage: null, updatedAt: Date.now() }).where(eq(knowledgeDocuments.id, documentId)).run();
    return scheduler.enqueueType(INDEX_JOB_TYPE, { documentId }, { workspaceId: row.workspaceId }).id;
  })();
  reportProgress(ctx, row.workspaceId, documentId, 'queued', 0, 'Waiting to be indexed');
  ctx.events.emit('knowledge.changed', { workspaceId: row.workspaceId, documentId, faqId: null });
  return { document: toView(ctx, documentRow(ctx.db, documentId), currentEmbedder(ctx.db, row.workspaceId).model), jobId };
}

/**
 * Delete a document: a tombstone for sync, its chunks (with their full-text rows and vectors) and
 * its stored files. A running index job notices and stops.
 */
export async function deleteDocument(ctx: ApiContext, documentId: string): Promise<{ deleted: true; chunksRemoved: number }> {
  const row = documentRow(ctx.db, documentId);
  const now = Date.now();
  ctx.db.orm
    .update(knowledgeDocuments)
    .set({ deletedAt: now, updatedAt: now, chunkCount: 0 })
    .where(eq(knowledgeDocuments.id, documentId))
    .run();
  const before = (ctx.db.sqlite.prepare(`SELECT count(*) AS n FROM knowledge_chunks WHERE document_id = ?`).get(documentId) as { n: number }).n;
  await deleteChunks(ctx.db, { workspaceId: row.workspaceId, documentId });
  forgetProgress(ctx, documentId);
  if (row.filePath) await rm(row.filePath, { force: true });
  await rm(extractedTextPath(ctx.dataDir, documentId), { force: true });
  ctx.events.emit('knowledge.changed', { workspaceId: row.workspaceId, documentId, faqId: null });
  return { deleted: true, chunksRemoved: before };
}

