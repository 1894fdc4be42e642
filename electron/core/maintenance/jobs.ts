// App-wide upkeep that runs on the scheduler. `maintenance.optimize` lets SQLite refresh its query
// planner statistics and folds the WAL back into the database file, so a long-running app keeps
// fast queries and a small -wal file.
import { z } from 'zod';
import type { Database } from '../../../db/client';
import type { CronSpec } from '../../scheduler/cron';
import { defineJob } from '../../scheduler/definitions';
import { pruneFinishedJobs } from '../../scheduler/prune';

/** Finished jobs stay on the Queue page this long, then go (failed ones stay until dealt with). */
export const JOB_HISTORY_DAYS = 30;

export interface MaintenanceApp {
  db: Database;
}

export const optimizeDatabase = defineJob<Record<string, never>, { walPagesCheckpointed: number; busy: boolean }, MaintenanceApp>({
  type: 'maintenance.optimize',
  payload: z.object({}).strict() as z.ZodType<Record<string, never>>,
  maxAttempts: 3,
  missedRunPolicy: 'run_now',
  handler: ({ app }) => {
    app.db.sqlite.pragma('optimize');
    // TRUNCATE waits for readers to finish, so it can report busy; the next run tries again.
    const [row] = app.db.sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return { walPagesCheckpointed: row?.checkpointed ?? 0, busy: (row?.busy ?? 0) === 1 };
  },
});

export const pruneJobHistory = defineJob<Record<string, never>, { deleted: number }, MaintenanceApp>({
  type: 'maintenance.prune_jobs',
  payload: z.object({}).strict() as z.ZodType<Record<string, never>>,
  maxAttempts: 3,
  missedRunPolicy: 'run_now',
  handler: (ctx) => pruneFinishedJobs(ctx.app.db, ctx.now() - JOB_HISTORY_DAYS * 86_400_000),
});

export const maintenanceJobs = [optimizeDatabase, pruneJobHistory] as const;

/** Daily on this computer's clock; a day missed while the app was closed runs once. */
export function maintenanceCrons(timezone: string): CronSpec[] {
  return [
    { name: 'Clear old job history', jobType: pruneJobHistory.type, cronExpression: '15 3 * * *', timezone, workspaceId: null, missedRunPolicy: 'run_once' },
    { name: 'Database maintenance', jobType: optimizeDatabase.type, cronExpression: '30 3 * * *', timezone, workspaceId: null, missedRunPolicy: 'run_once' },
  ];
}
