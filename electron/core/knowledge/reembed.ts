// Bringing a workspace's vectors over to the embedder in force: the 'knowledge.reembed' job.
//
// It embeds every chunk whose vector is missing or was made by another model (the chunk's
// metadata says which), 64 at a time, so it is incremental and idempotent: run twice, the second
// run finds nothing to do; interrupted, it continues where it stopped. Until a chunk is done,
// search simply does not see it through vectors (full-text still finds it): vectors of two models
// are never compared. Documents still being indexed are left to their own job.
//
// When it runs: ensureFreshEmbeddings queues it whenever stale chunks exist and none is queued,
// ai.updateSettings and ai.updateAppEndpoint call it, so changing the embedding model in
// Settings → AI starts re-embedding at once; knowledge.documents, knowledge.search and FAQ writes
// call it too (a run that failed while the endpoint was down is retried on the next look).
// knowledge.reembed starts it by hand.
import type { Database } from '../../../db/client';
import { schedulerFor } from '../../scheduler/scheduler';
import type { ApiContext } from '../context';
import { embeddingText } from './chunk';
import { currentEmbedder, embedTexts, type EmbedderChoice } from './embedders';
import type { ChunkMetadata } from './store';
import { writeVectors, yieldToLoop } from './store';

export const REEMBED_JOB_TYPE = 'knowledge.reembed';
/** Chunks per embedding call and per write. */
export const REEMBED_BATCH = 64;
/** After a failed re-embed (endpoint down), wait this long before another look queues a new one. */
const FAILED_COOLDOWN_MS = 10 * 60_000;

const STALE_WHERE = `c.workspace_id = ?
   AND (c.embedded_at IS NULL OR json_extract(c.metadata, '$.embedder') IS NOT ?)
   AND (c.document_id IS NULL OR (d.deleted_at IS NULL AND d.status <> 'processing'))
   AND (c.faq_id IS NULL OR f.deleted_at IS NULL)`;
const STALE_FROM = `knowledge_chunks c
   LEFT JOIN knowledge_documents d ON d.id = c.document_id
   LEFT JOIN faq_entries f ON f.id = c.faq_id`;

export function staleChunkCount(db: Database, workspaceId: string, model: string): number {
  return (db.sqlite.prepare(`SELECT count(*) AS n FROM ${STALE_FROM} WHERE ${STALE_WHERE}`).get(workspaceId, model) as { n: number }).n;
}

function hasStale(db: Database, workspaceId: string, model: string): boolean {
  return db.sqlite.prepare(`SELECT 1 FROM ${STALE_FROM} WHERE ${STALE_WHERE} LIMIT 1`).get(workspaceId, model) !== undefined;
}

/** A run failed a moment ago: an endpoint that is down is not asked again at once. */
function recentlyFailed(db: Database, workspaceId: string, now: number): boolean {
  return (
    db.sqlite
      .prepare(`SELECT 1 FROM jobs WHERE type = ? AND workspace_id = ? AND status = 'failed' AND updated_at > ? LIMIT 1`)
      .get(REEMBED_JOB_TYPE, workspaceId, now - FAILED_COOLDOWN_MS) !== undefined
  );
}

/**
 * Queue a re-embed job when some chunk lacks a vector from the current embedder and none is
 * queued. `all`: redo every chunk even with the same model (the endpoint's model was updated
 * under the same name); vectors stay searchable until replaced. `force`: skip the cool-down
 * after a failed run (the user asked).
 */
export function ensureFreshEmbeddings(
  ctx: Pick<ApiContext, 'db'>,
  workspaceId: string,
  opts: { force?: boolean; all?: boolean } = {},
): { queued: boolean; jobId: string | null } {
  const scheduler = schedulerFor(ctx.db);
  if (!scheduler) return { queued: false, jobId: null };
  const now = Date.now();
  if (opts.all) ctx.db.sqlite.prepare(`UPDATE knowledge_chunks SET embedded_at = NULL WHERE workspace_id = ?`).run(workspaceId);
  const model = currentEmbedder(ctx.db, workspaceId).model;
  if (!hasStale(ctx.db, workspaceId, model)) return { queued: false, jobId: null };
  // A queued job will see these chunks. A running one may be past its last look (it re-reads in
  // batches), so it gets a successor; two runs at once only redo a few chunks, never wrongly.
  const pending = ctx.db.sqlite
    .prepare(`SELECT id FROM jobs WHERE type = ? AND workspace_id = ? AND status = 'pending' LIMIT 1`)
    .get(REEMBED_JOB_TYPE, workspaceId) as { id: string } | undefined;
  if (pending) return { queued: false, jobId: pending.id };
  // A running job is not enough: it may be past its last look at these chunks (a successor waits).
  if (!opts.force && recentlyFailed(ctx.db, workspaceId, now)) return { queued: false, jobId: null };
  const r = scheduler.enqueueType(REEMBED_JOB_TYPE, { workspaceId }, { workspaceId });
  return { queued: true, jobId: r.id };
}

interface StaleRow {
  seq: number;
  content: string;
  metadata: string;
  title: string | null;
  faqId: string | null;
}

export interface ReembedRun {
  signal?: AbortSignal;
  progress?: (fraction: number, message: string) => void;
}

export interface ReembedResult {
  model: string;
  dims: number | null;
  embedded: number;
}

/** Re-embed every stale chunk of a workspace with the embedder in force (see the note at the top). */
export async function reembedWorkspace(ctx: ApiContext, workspaceId: string, run: ReembedRun = {}): Promise<ReembedResult> {
  let choice: EmbedderChoice = currentEmbedder(ctx.db, workspaceId);
  let total = staleChunkCount(ctx.db, workspaceId, choice.model);
  let done = 0;
  let dims: number | null = choice.dims;
  const select = ctx.db.sqlite.prepare(
    `SELECT c.seq AS seq, c.content AS content, c.metadata AS metadata, d.title AS title, c.faq_id AS faqId
       FROM ${STALE_FROM} WHERE ${STALE_WHERE} AND c.seq > ? ORDER BY c.seq LIMIT ${REEMBED_BATCH}`,
  );
  const announce = (status: 'running' | 'done') => ctx.events.emit('knowledge.reembed', { workspaceId, status, done, total, model: choice.model });
  announce('running');
  try {
    let after = 0;
    for (;;) {
      if (run.signal?.aborted) throw run.signal.reason instanceof Error ? run.signal.reason : new Error('Re-embedding was cancelled.');
      const rows = select.all(workspaceId, choice.model, after) as StaleRow[];
      if (rows.length === 0) {
        // The setting may have changed while this ran: start over with the new model.
        const now = currentEmbedder(ctx.db, workspaceId);
        if (now.model === choice.model) break;
        choice = now;
        dims = now.dims;
        after = 0;
        total = done + staleChunkCount(ctx.db, workspaceId, choice.model);
        continue;
      }
      const texts = rows.map((r) => {
        if (r.faqId !== null) return r.content;
        const meta = JSON.parse(r.metadata) as Partial<ChunkMetadata>;
        return embeddingText(r.title, meta.heading ?? null, r.content);
      });
      const { vectors, dims: d } = await embedTexts(ctx, workspaceId, choice, texts, { bulk: true, ...(run.signal ? { signal: run.signal } : {}) });
      dims = d;
      writeVectors(
        ctx.db,
        workspaceId,
        choice.model,
        rows.map((r, i) => ({ seq: r.seq, vector: vectors[i]! })),
      );
      after = rows[rows.length - 1]!.seq;
      done += rows.length;
      run.progress?.(total > 0 ? Math.min(1, done / total) : 1, `Embedded ${done} of ${total} passages with ${choice.model}`);
      announce('running');
      await yieldToLoop();
    }
    markDocumentsEmbedded(ctx.db, workspaceId, choice.model, dims);
    announce('done');
    return { model: choice.model, dims, embedded: done };
  } catch (err) {
    ctx.events.emit('knowledge.reembed', { workspaceId, status: 'failed', done, total, model: choice.model, error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

/**
 * Documents all of whose chunks now carry `model` vectors record it (and the dims). One that had
 * failed only at embedding (its passages were stored) is indexed now.
 */
export function markDocumentsEmbedded(db: Database, workspaceId: string, model: string, dims: number | null): void {
  const now = Date.now();
  db.sqlite
    .prepare(
      `UPDATE knowledge_documents AS d
          SET embed_model = ?, embed_dims = coalesce(?, embed_dims), last_embedded_at = ?, updated_at = ?,
              status = 'indexed', error_message = NULL
        WHERE d.workspace_id = ? AND d.deleted_at IS NULL AND d.status <> 'processing' AND d.chunk_count > 0
          AND (d.embed_model IS NOT ? OR d.status = 'failed')
          AND NOT EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.document_id = d.id
                           AND (c.embedded_at IS NULL OR json_extract(c.metadata, '$.embedder') IS NOT ?))`,
    )
    .run(model, dims, now, now, workspaceId, model, model);
}
