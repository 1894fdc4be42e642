import { z } from 'zod';
import { JOB_STATUSES } from '../../db/schema';
import { cancel, getJob, jobStats, listJobs, retry } from '../core/jobs/jobs';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const jobType = z
  .string()
  .min(3)
  .max(80)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'a job type such as "post.publish"');

export const jobsApi = area('jobs', {
  'jobs.list': method({
    description: 'Jobs with status, next run, attempts and last error; filter by status, type or workspace; paged.',
    input: z.object({
      status: z.enum([...JOB_STATUSES, 'awaiting_decision']).optional(),
      type: jobType.optional(),
      workspaceId: workspaceId.optional(),
      order: z.enum(['next', 'recent']).default('next'),
      limit: z.number().int().min(1).max(200).default(50),
      offset: z.number().int().min(0).max(1_000_000).default(0),
    }),
    handler: (ctx, i) => listJobs(ctx.db, i),
  }),
  'jobs.get': method({
    description: 'One job with the history of its attempts.',
    input: z.object({ jobId: id }),
    handler: (ctx, i) => getJob(ctx.db, i.jobId),
  }),
  'jobs.retry': method({
    description: 'Run a failed, cancelled or waiting job now (a failed job gets a fresh set of attempts).',
    input: z.object({ jobId: id }),
    handler: (ctx, i) => retry(ctx.db, i.jobId),
  }),
  'jobs.cancel': method({
    description: 'Cancel a job; a running job is asked to stop. `series` also ends a repeating job.',
    input: z.object({ jobId: id, series: z.boolean().default(false) }),
    handler: (ctx, i) => cancel(ctx.db, i.jobId, i.series),
  }),
  'jobs.stats': method({
    description: 'Counts of jobs by status and type, and the next run, optionally for one workspace or type.',
    input: z.object({ workspaceId: workspaceId.optional(), type: jobType.optional() }),
    handler: (ctx, i) => jobStats(ctx.db, i),
  }),
});
