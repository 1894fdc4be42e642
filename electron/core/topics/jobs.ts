// The topic analysis job type, registered with the scheduler by the core (app.ts), and queuing it.
import { z } from 'zod';
import { defineJob, JobError } from '../../scheduler/definitions';
import { schedulerFor } from '../../scheduler/scheduler';
import { ApiError } from '../../api/errors';
import { AiError } from '../ai/errors';
import type { ApiContext, CoreApp } from '../context';
import { analyzeTopics, MAX_TOPICS_LIMIT, TOPICS_JOB_TYPE, type AnalyzeParams, type AnalyzeResult } from './analyze';
import { Cancelled } from './pacer';

const payload = z.object({
  workspaceId: z.string().min(1),
  days: z.number().int().min(1).max(3650),
  maxTopics: z.number().int().min(2).max(MAX_TOPICS_LIMIT),
  seed: z.number().int(),
});

export const analyzeTopicsJob = defineJob<AnalyzeParams, AnalyzeResult, CoreApp>({
  type: TOPICS_JOB_TYPE,
  payload,
  // A second attempt helps only when the embedding endpoint was briefly away (the run falls back
  // to the built-in embedder anyway); the math itself either works or fails the same way twice.
  maxAttempts: 2,
  backoff: { baseMs: 10_000, maxMs: 60_000, factor: 2 },
  // A run the app missed while closed is stale: the user asks again when they look.
  missedRunPolicy: 'skip',
  timeoutMs: 15 * 60_000,
  async handler({ app, payload: p, signal, progress, job }) {
    try {
      return await analyzeTopics(app.ctx, p, { jobId: job.id, signal, progress });
    } catch (err) {
      if (err instanceof Cancelled) throw new JobError(err.message, { retryable: false, effect: 'none' });
      if (err instanceof AiError) {
        const permanent = ['not_configured', 'unauthorized', 'model_not_found', 'bad_request', 'budget_exceeded'].includes(err.code);
        throw new JobError(err.message, { retryable: !permanent, effect: 'none' });
      }
      throw err;
    }
  },
});

export const topicJobs = [analyzeTopicsJob] as const;

/** The workspace's queued or running analysis, if any (one at a time per workspace). */
export function activeAnalysis(ctx: Pick<ApiContext, 'db'>, workspaceId: string): string | null {
  const row = ctx.db.sqlite
    .prepare(`SELECT id FROM jobs WHERE type = ? AND workspace_id = ? AND status IN ('pending', 'running') ORDER BY created_at DESC LIMIT 1`)
    .get(TOPICS_JOB_TYPE, workspaceId) as { id: string } | undefined;
  return row?.id ?? null;
}

export function queueAnalysis(ctx: Pick<ApiContext, 'db'>, p: AnalyzeParams): { jobId: string; alreadyRunning: boolean } {
  const scheduler = schedulerFor(ctx.db);
  if (!scheduler) throw new ApiError('unavailable', 'Background jobs are not running in this window, so topics cannot be analysed here. Restart Postdesk and try again.');
  const running = activeAnalysis(ctx, p.workspaceId);
  if (running) return { jobId: running, alreadyRunning: true };
  const r = scheduler.enqueueType(TOPICS_JOB_TYPE, p, { workspaceId: p.workspaceId });
  return { jobId: r.id, alreadyRunning: false };
}
