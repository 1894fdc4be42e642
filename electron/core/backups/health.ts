// What the core knows about its database's health, per running core: whether it started in (or
// fell into) the recovery state, the last integrity check, a backup in progress, and how to
// reopen the core after a restore. Kept beside the ApiContext (a WeakMap) rather than on it, since
// only backups, the dispatcher and the core's startup read it.
import type { ApiContext } from '../context';
import type { BackupProgress } from './backup';

export interface Recovery {
  /** 'damaged': integrity checks failed; 'not_a_database': the file is not SQLite at all. */
  reason: 'damaged' | 'not_a_database';
  /** In words, for the screen that replaces the app. */
  message: string;
  /** The damaged file, left untouched where it is until a restore moves it aside. */
  file: string;
  problems: string[];
  detectedAt: number;
}

export interface IntegrityResult {
  level: 'quick' | 'full' | 'probe';
  ok: boolean;
  problems: string[];
  checkedAt: number;
  ms: number;
}

export interface CoreHealth {
  /** The live database file this core serves (also while it is in recovery). */
  file: string | null;
  recovery: Recovery | null;
  lastCheck: IntegrityResult | null;
  /** A startup quick_check still running in the background (large files, see integrity.ts). */
  checking: boolean;
  backup: (BackupProgress & { startedAt: number; kind: 'daily' | 'manual' }) | null;
  /** Closes the core, runs `swap` on the closed files, and opens the core again in place. */
  reopen: ((swap: () => Promise<void>) => Promise<void>) | null;
  /** Switch a running core into the recovery state (a check found damage after startup). */
  enterRecovery: ((r: Recovery) => Promise<void>) | null;
}

const byCtx = new WeakMap<ApiContext, CoreHealth>();

export function healthOf(ctx: ApiContext): CoreHealth {
  let h = byCtx.get(ctx);
  if (!h) {
    h = { file: null, recovery: null, lastCheck: null, checking: false, backup: null, reopen: null, enterRecovery: null };
    byCtx.set(ctx, h);
  }
  return h;
}

/** API methods a core in recovery still answers: the ones that explain and repair. */
export function allowedInRecovery(method: string): boolean {
  return method === 'app.info' || method.startsWith('backups.');
}

export function recoveryMessage(r: Recovery): string {
  const what =
    r.reason === 'not_a_database'
      ? `The database file ${r.file} is not a Postdesk database (it may have been overwritten).`
      : `The database file ${r.file} is damaged (${r.problems.slice(0, 2).join('; ') || 'integrity check failed'}).`;
  return `${what} Postdesk has not changed it. Restore the newest good backup in Settings → Backups (the damaged file is kept beside it for recovery).`;
}
