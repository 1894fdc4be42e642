// What the API and the scheduler do with backups: back up now (one at a time, with progress),
// list, restore (the current file kept aside), integrity checks and the durability choice.
import { copyFileSync, existsSync, openSync, fsyncSync, closeSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Durability } from '../../../db/client';
import type { ApiContext } from '../context';
import { BackupError, backupFailure, createBackup, findBackup, listBackups, rotateBackups, verifyBackup, type BackupEntry } from './backup';
import { healthOf, type IntegrityResult } from './health';
import { checkDatabaseFile, recoveryFromCheck } from './integrity';
import { readDurability, writeDurability } from './lifecycle';
import { backupDirOf, stampOf } from './names';

export function liveFile(ctx: ApiContext): string {
  const file = healthOf(ctx).file;
  if (!file) throw new BackupError('Backups need the database file this core opened; this one has none.', 'failed');
  return file;
}

/** Make a verified backup of the live database, then rotate. One at a time per core. */
export async function backupNow(ctx: ApiContext, kind: 'daily' | 'manual', onProgress?: (fraction: number, phase: string) => void): Promise<BackupEntry> {
  const health = healthOf(ctx);
  if (health.recovery) {
    throw new BackupError('The database is damaged, so a backup of it would not be a good one. Restore the newest good backup instead.', 'busy');
  }
  if (health.backup) throw new BackupError('A backup is already being made; wait for it to finish.', 'busy');
  const startedAt = Date.now();
  health.backup = { phase: 'copying', fraction: 0, startedAt, kind };
  const dir = backupDirOf(ctx.dataDir);
  try {
    const entry = await createBackup({
      source: liveFile(ctx),
      dir,
      kind,
      onProgress: (p) => {
        health.backup = { ...p, startedAt, kind };
        onProgress?.(p.fraction, p.phase);
      },
    });
    rotateBackups(dir);
    return entry;
  } finally {
    health.backup = null;
  }
}

export interface BackupStatus {
  dir: string;
  backups: BackupEntry[];
  inProgress: { phase: string; fraction: number; startedAt: number; kind: string } | null;
  recovery: { reason: string; message: string; file: string; problems: string[]; detectedAt: number; newestGood: string | null } | null;
  lastCheck: IntegrityResult | null;
  checking: boolean;
  durability: Durability;
}

export function backupStatus(ctx: ApiContext): BackupStatus {
  const health = healthOf(ctx);
  const dir = backupDirOf(ctx.dataDir);
  const backups = listBackups(dir);
  const newestGood = backups.find((b) => b.verified === 'ok')?.name ?? null;
  return {
    dir,
    backups,
    inProgress: health.backup,
    recovery: health.recovery ? { ...health.recovery, newestGood } : null,
    lastCheck: health.lastCheck,
    checking: health.checking,
    durability: readDurability(ctx.dataDir),
  };
}

function fsyncPath(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Directories cannot be fsynced on every platform (Windows); the rename is still atomic.
  }
}

export interface RestoreResult {
  restored: string;
  /** Where the file that was in use went (never overwritten, never deleted). */
  keptAside: string;
}

/**
 * Restore `name`: verify it, close the core, move the current file (and its -wal/-shm, so SQLite
 * would pair them again) aside under a timestamped name, copy the backup into place, reopen.
 */
export async function restoreBackup(ctx: ApiContext, name: string): Promise<RestoreResult> {
  const health = healthOf(ctx);
  if (!health.reopen) throw new BackupError('This core cannot be restarted in place; restart Postdesk and try again.', 'failed');
  if (health.backup) throw new BackupError('A backup is being made; wait for it to finish, then restore.', 'busy');
  const dir = backupDirOf(ctx.dataDir);
  const entry = findBackup(dir, name);
  const check = await verifyBackup(entry);
  if (check.verified !== 'ok') {
    throw new BackupError(`The backup ${name} failed its integrity check (${check.problems.slice(0, 2).join('; ')}), so it was not restored. Pick an older one; your current file was not touched.`, 'verify_failed');
  }
  const file = liveFile(ctx);
  const keptAside = `${file}.${health.recovery ? 'damaged' : 'replaced'}-${stampOf(Date.now())}`;
  const incoming = `${file}.restoring`;
  try {
    copyFileSync(entry.path, incoming);
    fsyncPath(incoming);
  } catch (err) {
    rmSync(incoming, { force: true });
    throw backupFailure(err, dirname(file));
  }
  await health.reopen(async () => {
    // A clean close folded the WAL into the file; a damaged file may still have one. Either way
    // the -wal and -shm travel with the file they belong to, and none is left for the restored one.
    if (existsSync(file)) renameSync(file, keptAside);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, keptAside + suffix);
    }
    renameSync(incoming, file);
    fsyncPath(dirname(file));
  });
  return { restored: name, keptAside };
}

/** A full integrity_check of the live file now (the weekly job and the Settings button). */
export async function checkNow(ctx: ApiContext, level: 'quick' | 'full'): Promise<IntegrityResult> {
  const health = healthOf(ctx);
  if (health.recovery) return health.lastCheck ?? { level, ok: false, problems: health.recovery.problems, checkedAt: health.recovery.detectedAt, ms: 0 };
  health.checking = true;
  try {
    const result = await checkDatabaseFile(liveFile(ctx), level);
    health.lastCheck = result;
    const recovery = recoveryFromCheck(liveFile(ctx), result);
    // Not awaited: a scheduler job calling this must finish before the scheduler can stop.
    if (recovery) setTimeout(() => void health.enterRecovery?.(recovery).catch((err: unknown) => console.error('[core] could not switch to recovery:', err)), 0);
    return result;
  } finally {
    health.checking = false;
  }
}

/** NORMAL or FULL, applied to the open connection at once and remembered for the next start. */
export function setDurability(ctx: ApiContext, value: Durability): Durability {
  writeDurability(ctx.dataDir, value);
  if (!healthOf(ctx).recovery) ctx.db.sqlite.pragma(`synchronous = ${value === 'full' ? 'FULL' : 'NORMAL'}`);
  return value;
}
