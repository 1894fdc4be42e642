// The knowledge base's job types, registered with the scheduler by the core (app.ts).
import { z } from 'zod';
import { defineJob, JobError } from '../../scheduler/definitions';
import { AiError } from '../ai/errors';
import type { CoreApp } from '../context';
import { INDEX_JOB_TYPE } from './documents';
import { IndexFailed, indexDocument, type IndexOutcome } from './indexing';
import { REEMBED_JOB_TYPE, reembedWorkspace, type ReembedResult } from './reembed';

/** Extract, chunk, embed and index one document (queued by knowledge.import and knowledge.reindex). */
export const indexDocumentJob = defineJob<{ documentId: string }, IndexOutcome, CoreApp>({
  type: INDEX_JOB_TYPE,
  payload: z.object({ documentId: z.string().min(1) }),
  // Retries help only when the embedding endpoint was briefly away; a bad file fails at once.
  maxAttempts: 3,
  backoff: { baseMs: 5_000, maxMs: 120_000, factor: 4 },
  async handler({ app, payload, signal, progress, attempt, job }) {
    try {
      return await indexDocument(app.ctx, payload.documentId, { signal, progress, attempt, maxAttempts: job.maxAttempts });
    } catch (err) {
      if (err instanceof IndexFailed) throw new JobError(err.message, { retryable: err.retryable, effect: 'none' });
      throw err;
    }
  },
});

/** Re-embed a workspace's chunks with the embedder now in force (see reembed.ts). */
export const reembedJob = defineJob<{ workspaceId: string }, ReembedResult, CoreApp>({
  type: REEMBED_JOB_TYPE,
  payload: z.object({ workspaceId: z.string().min(1) }),
  maxAttempts: 4,
  backoff: { baseMs: 10_000, maxMs: 300_000, factor: 4 },
  async handler({ app, payload, signal, progress }) {
    try {
      return await reembedWorkspace(app.ctx, payload.workspaceId, { signal, progress });
    } catch (err) {
      // What is done stays done (chunk by chunk), so a retry continues where this stopped.
      if (err instanceof AiError) {
        const permanent = ['not_configured', 'unauthorized', 'model_not_found', 'bad_request', 'budget_exceeded'].includes(err.code);
        throw new JobError(err.message, { retryable: !permanent, effect: 'none' });
      }
      throw err;
    }
  },
});

export const knowledgeJobs = [indexDocumentJob, reembedJob] as const;
