// Backups, restore, integrity and durability (Settings → Backups, and the recovery screen).
import { z } from 'zod';
import { BackupError } from '../core/backups/backup';
import { backupNow, backupStatus, checkNow, restoreBackup, setDurability } from '../core/backups/service';
import { area, method } from './contract';
import { ApiError, type ApiErrorCode } from './errors';

const CODE: Record<BackupError['code'], ApiErrorCode> = {
  disk_full: 'disk_full',
  read_only: 'read_only',
  verify_failed: 'invalid_input',
  not_found: 'not_found',
  busy: 'conflict',
  failed: 'internal',
};

/** BackupError carries words meant for the user; they cross the wire unchanged. */
async function asApi<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof BackupError) throw new ApiError(CODE[err.code], err.message);
    throw err;
  }
}

const backupName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\\]+\.db$/, 'a backup file name from backups.status (no folders)');

export const backupsApi = area('backups', {
  'backups.status': method({
    description: 'Backups (newest first, with size, date and verified state), a backup in progress, the last integrity check, the recovery state and the durability setting.',
    input: z.object({}),
    handler: (ctx) => backupStatus(ctx),
  }),
  'backups.create': method({
    description: 'Back up now: a consistent copy of the database, checked with integrity_check before it is listed. Resolves when done; backups.status shows progress meanwhile.',
    input: z.object({}),
    handler: (ctx) => asApi(() => backupNow(ctx, 'manual')),
  }),
  'backups.restore': method({
    description: 'Restore a backup: it is verified, the current database file is kept aside under a timestamped name (never overwritten), the backup is copied into place and the core reopens.',
    input: z.object({ name: backupName }),
    handler: (ctx, input) => asApi(() => restoreBackup(ctx, input.name)),
  }),
  'backups.check': method({
    description: 'Check the live database now: "quick" (quick_check) or "full" (integrity_check), in a background thread.',
    input: z.object({ level: z.enum(['quick', 'full']).default('full') }),
    handler: (ctx, input) => asApi(() => checkNow(ctx, input.level)),
  }),
  'backups.setDurability': method({
    description: 'WAL with synchronous NORMAL (fast; a power cut may lose the last commits, never corrupts) or FULL (every commit on disk before it returns).',
    input: z.object({ durability: z.enum(['normal', 'full']) }),
    handler: (ctx, input) => ({ durability: setDurability(ctx, input.durability) }),
  }),
});
