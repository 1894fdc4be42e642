// Knowledge base: documents (import, list with status and progress, one with its chunks, re-index,
// delete), FAQ entries with several phrasings, re-embedding, and search in three modes for the
// "test a question" panel. Indexing runs as the 'knowledge.index' job; watch 'knowledge.progress'
// (stage and fraction per document), 'knowledge.changed' and 'knowledge.reembed' events.
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { ApiContext } from '../core/context';
import { deleteDocument, getDocument, importDocument, listDocuments, reindexDocument } from '../core/knowledge/documents';
import { currentEmbedder } from '../core/knowledge/embedders';
import { createFaq, deleteFaq, listFaq, MAX_FAQ_QUESTIONS, updateFaq } from '../core/knowledge/faq';
import { MAX_DOCUMENT_BYTES } from '../core/knowledge/formats';
import { ensureFreshEmbeddings, staleChunkCount } from '../core/knowledge/reembed';
import { searchKnowledge, SEARCH_MODES } from '../core/knowledge/search';
import { getWorkspace } from '../core/workspaces/workspaces';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const localPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'not a valid path')
  .refine((p) => isAbsolute(p), 'give the full path of the file, not a relative one');
const fileName = z
  .string()
  .trim()
  .min(1, 'name the file')
  .max(255)
  .refine((n) => /\.[A-Za-z0-9]+$/.test(n), 'the file name needs its extension (.txt, .md, .html, .pdf, .docx or .csv)');
const question = z.string().trim().min(1, 'a phrasing cannot be empty').max(1000);
const questions = z.array(question).min(1, 'write at least one way the question is asked').max(MAX_FAQ_QUESTIONS);
const answer = z.string().trim().min(1, 'write the answer').max(20_000);
const title = z.string().trim().max(300);

function embedderState(ctx: ApiContext, ws: string) {
  const e = currentEmbedder(ctx.db, ws);
  return { kind: e.kind, model: e.model, dims: e.dims, staleChunks: staleChunkCount(ctx.db, ws, e.model) };
}

export const knowledgeApi = area('knowledge', {
  'knowledge.import': method({
    description:
      'Add a document to a workspace\'s knowledge base: a full local `path` (desktop), or `fileName` with `text` (txt/md/html/csv) or `contentBase64` (pdf/docx uploads in web mode). ' +
      'Formats: .txt .md .html .pdf .docx (up to 50 MB) → {kind:"document", document (status "processing"), duplicate, jobId}; the knowledge.index job extracts, chunks, embeds and indexes it, reporting "knowledge.progress". ' +
      'An FAQ .csv (columns question[, question 2...], answer[, title]) → {kind:"faq", created, updated, skipped, entries}. The same bytes imported twice return the first document with duplicate: true.',
    input: z
      .object({
        workspaceId,
        path: localPath.optional(),
        fileName: fileName.optional(),
        text: z.string().max(MAX_DOCUMENT_BYTES).optional(),
        contentBase64: z
          .string()
          .max(Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64')
          .optional(),
        title: title.optional(),
      })
      .refine((i) => [i.path, i.text, i.contentBase64].filter((v) => v !== undefined).length === 1, {
        message: 'give exactly one of path, text or contentBase64',
        path: ['path'],
      })
      .refine((i) => i.path !== undefined || i.fileName !== undefined, { message: 'name the file (with its extension) when sending its content', path: ['fileName'] }),
    handler: (ctx, i) => importDocument(ctx, i),
  }),
  'knowledge.documents': method({
    description:
      'A workspace\'s documents, newest first: title, format, size, status (processing | indexed | failed), progress {stage, fraction, message} while processing, chunkCount, error (why it failed, in words), embedModel/embedDims and stale (vectors of an older embedding model). ' +
      'Also the embedder in force {kind: local | endpoint, model, dims, staleChunks}. Looking queues re-embedding when the embedding model changed.',
    input: z.object({ workspaceId }),
    handler: (ctx, i) => {
      const documents = listDocuments(ctx, i.workspaceId);
      ensureFreshEmbeddings(ctx, i.workspaceId);
      return { documents, embedder: embedderState(ctx, i.workspaceId) };
    },
  }),
  'knowledge.document': method({
    description:
      'One document and its chunks in order: content, startChar/endChar (content === text.slice(startChar, endChar) of the extracted text), heading, page (PDF), tokenCount, embedder and dims. includeText: true adds the extracted text itself.',
    input: z.object({ documentId: id, includeText: z.boolean().optional() }),
    handler: (ctx, i) => getDocument(ctx, i.documentId, { includeText: i.includeText ?? false }),
  }),
  'knowledge.delete': method({
    description: 'Delete a document with its chunks, vectors and stored file; an indexing job for it stops.',
    input: z.object({ documentId: id }),
    handler: (ctx, i) => deleteDocument(ctx, i.documentId),
  }),
  'knowledge.reindex': method({
    description: 'Index a document again from its stored file (after a failure); back to "processing" with a new job.',
    input: z.object({ documentId: id }),
    handler: (ctx, i) => reindexDocument(ctx, i.documentId),
  }),
  'knowledge.reembed': method({
    description:
      'Re-embed the workspace\'s knowledge with the embedding model now set (Settings → AI; none: the built-in local embedder) as a background job; only chunks made by another model are redone. ' +
      'all: true redoes every chunk even under the same model name (vectors stay searchable until replaced). Returns {queued, jobId (the queued or already running job; null when nothing needs doing), embedder}. ' +
      'Progress comes as "knowledge.reembed" events. Also started on its own when the documents are listed or searched after the model changed.',
    input: z.object({ workspaceId, all: z.boolean().optional() }),
    handler: (ctx, i) => {
      getWorkspace(ctx.db, i.workspaceId);
      const r = ensureFreshEmbeddings(ctx, i.workspaceId, { force: true, all: i.all ?? false });
      return { ...r, embedder: embedderState(ctx, i.workspaceId) };
    },
  }),
  'knowledge.faq': method({
    description: 'A workspace\'s FAQ entries, oldest first: questions (every phrasing), answer, title, isActive, embedded (has a vector from the current model).',
    input: z.object({ workspaceId }),
    handler: (ctx, i) => listFaq(ctx, i.workspaceId),
  }),
  'knowledge.faqCreate': method({
    description: 'Add an FAQ entry: one answer and the ways customers ask for it (1-50 phrasings, duplicates removed). Searchable at once.',
    input: z.object({ workspaceId, questions, answer, title: title.nullable().optional(), isActive: z.boolean().optional() }),
    handler: (ctx, i) => createFaq(ctx, i),
  }),
  'knowledge.faqUpdate': method({
    description: 'Change an FAQ entry\'s phrasings, answer, title or whether it is used (inactive entries are not searched).',
    input: z.object({ faqId: id, questions: questions.optional(), answer: answer.optional(), title: title.nullable().optional(), isActive: z.boolean().optional() }),
    handler: (ctx, i) => updateFaq(ctx, i),
  }),
  'knowledge.faqDelete': method({
    description: 'Delete an FAQ entry (a tombstone for sync); it is no longer searched.',
    input: z.object({ faqId: id }),
    handler: (ctx, i) => deleteFaq(ctx, i.faqId),
  }),
  'knowledge.search': method({
    description:
      'The "test a question" panel: search documents and FAQ entries. mode "hybrid" (default: full-text and vectors fused by reciprocal rank), "fts" (bm25 only) or "vector" (embeddings only). ' +
      'Hits best first with source (document | faq), title, heading, content, offsets, snippet (matches between \\u0002 and \\u0003), score, and scores per method {fts: {rank, bm25}, vector: {rank, similarity, distance}, hybrid}. ' +
      'vectorError says why vectors were left out (e.g. the endpoint is unreachable).',
    input: z.object({
      workspaceId,
      query: z.string().max(2000),
      mode: z.enum(SEARCH_MODES).default('hybrid'),
      limit: z.number().int().min(1).max(100).default(10),
    }),
    handler: (ctx, i) => searchKnowledge(ctx, i),
  }),
});
