// The publish claim: with sync on for a workspace, several devices may hold the same scheduled
// post and each one's scheduler fires it. Before publishing, a device claims the (post target,
// occurrence) in Postgres (insert-or-nothing under RLS); only the holder publishes. Without sync
// for that workspace (or no sync at all) this is a no-op and publishing goes ahead as before.
import type { Database } from '../../../db/client';

export interface PublishClaimer {
  syncsWorkspace(workspaceId: string): boolean;
  claimPublish(postTargetId: string, workspaceId: string, occurrenceAt: number): Promise<boolean>;
}

/** One claimer per open database (the SyncService registers itself for its file). */
const claimers = new WeakMap<object, PublishClaimer>();

export function registerPublishClaimer(db: Database, claimer: PublishClaimer | null): void {
  if (claimer) claimers.set(db.sqlite, claimer);
  else claimers.delete(db.sqlite);
}

export type ClaimOutcome = 'not_synced' | 'mine' | 'other_device' | 'no_sign_in_here';

/**
 * Throws when sync is on but the cloud cannot be reached: publishing blind could post twice.
 * A device without the account's sign-in (tokens never sync) does not claim: it could not
 * publish, and its claim would keep a device that can from doing so.
 */
export async function claimForPublish(
  db: Database,
  target: { id: string; accountId: string },
  workspaceId: string,
  occurrenceAt: number,
): Promise<ClaimOutcome> {
  const claimer = claimers.get(db.sqlite);
  if (!claimer || !claimer.syncsWorkspace(workspaceId)) return 'not_synced';
  const signedIn = db.sqlite.prepare('SELECT 1 FROM account_secrets WHERE account_id = ?').get(target.accountId) !== undefined;
  if (!signedIn) return 'no_sign_in_here';
  return (await claimer.claimPublish(target.id, workspaceId, occurrenceAt)) ? 'mine' : 'other_device';
}
