// The sync job type, registered with the scheduler by the core (app.ts): one round with progress,
// queued by the periodic cron, after local writes (schedule.ts) and after a network failure's wait.
import { z } from 'zod';
import type { CronSpec } from '../../scheduler/cron';
import { defineJob, JobError } from '../../scheduler/definitions';
import type { ApiContext, CoreApp } from '../context';
import { progressFraction, SYNC_JOB_TYPE, SYNC_REASONS, syncOf, type RoundOutcome } from './schedule';
import { SyncError } from './service';

const PHASE_WORDS = { prepare: 'Preparing changes', push: 'Sending changes', pull: 'Receiving changes' } as const;

export const syncRunJob = defineJob<{ reason: (typeof SYNC_REASONS)[number] }, RoundOutcome, CoreApp>({
  type: SYNC_JOB_TYPE,
  payload: z.object({ reason: z.enum(SYNC_REASONS) }),
  // One attempt: the controller owns the retry (its backoff also holds back the change-triggered
  // and periodic rounds, which the scheduler's per-job backoff would not).
  maxAttempts: 1,
  // A periodic firing missed while the app was closed is replaced by the next one.
  missedRunPolicy: 'skip',
  async handler({ app, payload, signal, progress }) {
    const sync = syncOf(app.ctx);
    if (!sync) return { ran: false, skipped: 'not_connected' };
    try {
      return await sync.round(payload.reason, (p) => progress(progressFraction(p), `${PHASE_WORDS[p.phase]}: ${p.done} of ${p.total}`), signal);
    } catch (err) {
      // Nothing half-done to reconcile: batches already sent stay acknowledged, the rest waits.
      if (err instanceof SyncError) throw new JobError(err.message, { retryable: false, effect: 'none' });
      throw err;
    }
  },
});

export const syncJobs = [syncRunJob] as const;

/** The periodic round's cron (enabled only while sync is connected and not paused). */
export function syncCrons(ctx: ApiContext): CronSpec[] {
  const sync = syncOf(ctx);
  return sync ? [sync.cronSpec()] : [];
}
