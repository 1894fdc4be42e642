// Pausing an account's work. When a sign-in expires or is revoked, every job that would act as
// that account would fail the same way; parking them (hold = 'account') stops a retry storm and
// keeps them, with their attempt counts, until the user reconnects.
import type { Database } from '../../db/client';

/** Park every pending job of the account; returns how many were parked. */
export function holdAccountJobs(db: Database, accountId: string, now: number = Date.now()): number {
  return db.sqlite
    .prepare(`UPDATE jobs SET hold = 'account', updated_at = ? WHERE account_id = ? AND status = 'pending' AND hold IS NULL`)
    .run(now, accountId).changes;
}

/** Release the account's parked jobs; a job whose time passed while parked runs at once. */
export function releaseAccountJobs(db: Database, accountId: string, now: number = Date.now()): number {
  return db.sqlite
    .prepare(`UPDATE jobs SET hold = NULL, updated_at = ? WHERE account_id = ? AND status = 'pending' AND hold = 'account'`)
    .run(now, accountId).changes;
}
