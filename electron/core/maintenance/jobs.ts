// App-wide upkeep that runs on the scheduler. `maintenance.optimize` lets SQLite refresh its query
// planner statistics and folds the WAL back into the database file, so a long-running app keeps
// fast queries and a small -wal file.
import { z } from 'zod';
import type { Database } from '../../../db/client';
import type { CronSpec } from '../../scheduler/cron';
import { defineJob } from '../../scheduler/definitions';

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

export const maintenanceJobs = [optimizeDatabase] as const;

/** Daily at 03:30 on this computer's clock; a day missed while the app was closed runs once. */
export function maintenanceCron(timezone: string): CronSpec {
  return {
    name: 'Database maintenance',
    jobType: optimizeDatabase.type,
    cronExpression: '30 3 * * *',
    timezone,
    workspaceId: null,
    missedRunPolicy: 'run_once',
  };
}
