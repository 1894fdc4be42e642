// Backups on the scheduler: a verified backup every day (rotated), and the full integrity_check
// of the live file every week. Both run their SQLite work in a worker thread.
import { z } from 'zod';
import type { CronSpec } from '../../scheduler/cron';
import { defineJob, JobError } from '../../scheduler/definitions';
import type { CoreApp } from '../context';
import { BackupError, listBackups, verifyBackup, type BackupEntry } from './backup';
import { backupDirOf } from './names';
import type { IntegrityResult } from './health';
import { backupNow, checkNow } from './service';

const empty = z.object({}).strict() as z.ZodType<Record<string, never>>;

export const dailyBackupJob = defineJob<Record<string, never>, Pick<BackupEntry, 'name' | 'bytes'>, CoreApp>({
  type: 'backups.daily',
  payload: empty,
  maxAttempts: 3,
  // Disk full: waiting longer helps more than retrying soon; the runner never spins on it.
  backoff: { baseMs: 15 * 60_000, maxMs: 6 * 3_600_000, factor: 4 },
  missedRunPolicy: 'run_now',
  async handler({ app, progress }) {
    try {
      const entry = await backupNow(app.ctx, 'daily', (fraction, phase) => progress(fraction, phase === 'copying' ? 'Copying the database' : 'Checking the copy'));
      // Copies db/migrate.ts took before an upgrade are made synchronously and unchecked: check them
      // here, off the main thread, so the list says which of them a restore can trust.
      for (const b of listBackups(backupDirOf(app.ctx.dataDir))) if (b.verified === 'unchecked') await verifyBackup(b);
      return { name: entry.name, bytes: entry.bytes };
    } catch (err) {
      if (err instanceof BackupError) throw new JobError(err.message, { retryable: err.code !== 'verify_failed', effect: 'none' });
      throw err;
    }
  },
});

export const weeklyIntegrityJob = defineJob<Record<string, never>, IntegrityResult, CoreApp>({
  type: 'backups.integrity_check',
  payload: empty,
  maxAttempts: 2,
  missedRunPolicy: 'run_now',
  async handler({ app, progress }) {
    progress(null, 'Checking the whole database');
    const result = await checkNow(app.ctx, 'full');
    if (!result.ok) throw new JobError(`The database failed its integrity check: ${result.problems.slice(0, 3).join('; ')}`, { retryable: false, effect: 'none' });
    return result;
  },
});

export const backupJobs = [dailyBackupJob, weeklyIntegrityJob] as const;

/** Daily at 03:45 and Sundays at 04:15 on this computer's clock; a run missed while closed runs once. */
export function backupCrons(timezone: string): CronSpec[] {
  return [
    { name: 'Daily backup', jobType: dailyBackupJob.type, cronExpression: '45 3 * * *', timezone, workspaceId: null, missedRunPolicy: 'run_once' },
    { name: 'Weekly integrity check', jobType: weeklyIntegrityJob.type, cronExpression: '15 4 * * 0', timezone, workspaceId: null, missedRunPolicy: 'run_once' },
  ];
}
