// Knowledge base that grounds AI replies: 001 knowledge_documents (uploaded files) split into
// knowledge_chunks, and faq_qa as faq_entries. An FAQ answer is chunked like a document, so one
// hybrid search (knowledge_fts + knowledge_vec_384, see migrations/0001_search.sql) covers both.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  bool,
  enumCheck,
  enumText,
  epochMs,
  id,
  json,
  nonNegative,
  seqKey,
  syncedTimestamps,
  timestamps,
} from './columns';
import { workspaceRef } from './workspaces';

export const DOCUMENT_STATUSES = ['processing', 'indexed', 'failed'] as const;

export const knowledgeDocuments = sqliteTable(
  'knowledge_documents',
  {
    id: id(),
    workspaceId: workspaceRef(),
    title: text('title'),
    /** 001 bucket_id/object_name/storage_object_id: the file under the data folder. */
    filePath: text('file_path'),
    fileName: text('file_name'),
    /** A page ingested from the web. */
    sourceUrl: text('source_url'),
    mimeType: text('mime_type'),
    fileSizeBytes: integer('file_size_bytes').notNull().default(0),
    /** Hex SHA-256 of the file, to skip re-ingesting the same bytes. */
    contentSha256: text('content_sha256'),
    status: enumText('status', DOCUMENT_STATUSES).notNull().default('processing'),
    errorMessage: text('error_message'),
    /** The embedder that produced the vectors (NULL until embedded). */
    embedModel: text('embed_model'),
    embedDims: integer('embed_dims'),
    langCode: text('lang_code').notNull().default('simple'),
    chunkCount: integer('chunk_count').notNull().default(0),
    lastIngestedAt: epochMs('last_ingested_at'),
    lastEmbeddedAt: epochMs('last_embedded_at'),
    ...syncedTimestamps(),
  },
  (t) => [
    index('knowledge_documents_workspace_status_idx').on(t.workspaceId, t.status),
    uniqueIndex('knowledge_documents_workspace_sha256_unique')
      .on(t.workspaceId, t.contentSha256)
      .where(sql`${t.deletedAt} IS NULL`),
    enumCheck('knowledge_documents', t.status, DOCUMENT_STATUSES),
    nonNegative('knowledge_documents', t.fileSizeBytes),
    nonNegative('knowledge_documents', t.chunkCount),
  ],
);

/** 001 faq_qa: several phrasings of one question and its answer. */
export const faqEntries = sqliteTable(
  'faq_entries',
  {
    id: id(),
    workspaceId: workspaceRef(),
    title: text('title'),
    questions: json<string[]>('questions').notNull().default([]),
    answer: text('answer').notNull(),
    textSizeBytes: integer('text_size_bytes').notNull().default(0),
    langCode: text('lang_code').notNull().default('simple'),
    isActive: bool('is_active').notNull().default(true),
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...syncedTimestamps(),
  },
  (t) => [
    index('faq_entries_workspace_active_idx').on(t.workspaceId, t.isActive),
    nonNegative('faq_entries', t.textSizeBytes),
    check('faq_entries_questions_check', sql`json_type(${t.questions}) = 'array'`),
  ],
);

/**
 * A passage of a document or an FAQ entry. `seq` is the rowid of knowledge_fts and the
 * chunk_seq of knowledge_vec_384; both are kept in step by triggers. Derived data: rebuilt from
 * the source on each device, so not synced.
 */
export const knowledgeChunks = sqliteTable(
  'knowledge_chunks',
  {
    ...seqKey(),
    workspaceId: workspaceRef(),
    documentId: text('document_id').references(() => knowledgeDocuments.id, { onDelete: 'cascade' }),
    faqId: text('faq_id').references(() => faqEntries.id, { onDelete: 'cascade' }),
    chunkIndex: integer('chunk_index').notNull(),
    content: text('content').notNull(),
    tokenCount: integer('token_count'),
    startChar: integer('start_char'),
    endChar: integer('end_char'),
    langCode: text('lang_code').notNull().default('simple'),
    /** When its vector was written to knowledge_vec_384 (NULL: not embedded yet). */
    embeddedAt: epochMs('embedded_at'),
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('knowledge_chunks_document_index_unique').on(t.documentId, t.chunkIndex),
    uniqueIndex('knowledge_chunks_faq_index_unique').on(t.faqId, t.chunkIndex),
    index('knowledge_chunks_workspace_idx').on(t.workspaceId),
    index('knowledge_chunks_unembedded_idx').on(t.workspaceId).where(sql`${t.embeddedAt} IS NULL`),
    check('knowledge_chunks_source_check', sql`(${t.documentId} IS NULL) <> (${t.faqId} IS NULL)`),
    nonNegative('knowledge_chunks', t.chunkIndex),
  ],
);
