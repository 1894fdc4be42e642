// Online backups of the database file: a consistent copy made while the app keeps running, checked
// with `PRAGMA integrity_check` before it counts as good, listed from the folder itself, rotated.
//
// createBackup({ source, dir, kind?, onProgress? }) -> Promise<BackupEntry>
//   is the one entry point for everything that makes a copy (Back up now, the daily job, the
//   data benchmark's backup_s figure).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backupFileName, parseBackupName, partialOf, sidecarOf, type BackupKind } from './names';
import { backupsToDelete } from './rotation';
import { runFileTask } from './worker';

export interface BackupEntry {
  /** File name inside the backups folder: what the API and the UI pass around. */
  name: string;
  path: string;
  kind: BackupKind;
  createdAt: number;
  bytes: number;
  /** 'ok' once integrity_check passed on the copy; pre-migration copies start 'unchecked'. */
  verified: 'ok' | 'failed' | 'unchecked';
  checkedAt: number | null;
  /** What the check found, when it failed. */
  problems: string[];
}

export interface BackupProgress {
  phase: 'copying' | 'verifying';
  /** 0..1 over the whole backup (copying is most of it). */
  fraction: number;
}

export class BackupError extends Error {
  override name = 'BackupError';
  constructor(
    message: string,
    readonly code: 'disk_full' | 'read_only' | 'verify_failed' | 'not_found' | 'failed' | 'busy',
  ) {
    super(message);
  }
}

interface Sidecar {
  verified: 'ok' | 'failed';
  checkedAt: number;
  problems: string[];
}

function readSidecar(file: string): Sidecar | null {
  try {
    const v = JSON.parse(readFileSync(sidecarOf(file), 'utf8')) as Partial<Sidecar>;
    if ((v.verified === 'ok' || v.verified === 'failed') && typeof v.checkedAt === 'number') {
      return { verified: v.verified, checkedAt: v.checkedAt, problems: Array.isArray(v.problems) ? v.problems.map(String) : [] };
    }
  } catch {
    // No sidecar (a pre-migration copy) or an unreadable one: the copy counts as unchecked.
  }
  return null;
}

function writeSidecar(file: string, s: Sidecar): void {
  writeFileSync(sidecarOf(file), `${JSON.stringify(s)}\n`, { mode: 0o600 });
}

/** Every backup in `dir`, newest first. */
export function listBackups(dir: string): BackupEntry[] {
  if (!existsSync(dir)) return [];
  const out: BackupEntry[] = [];
  for (const name of readdirSync(dir)) {
    const parsed = parseBackupName(name);
    if (!parsed) continue;
    const path = join(dir, name);
    let bytes: number;
    try {
      bytes = statSync(path).size;
    } catch {
      continue;
    }
    const side = readSidecar(path);
    out.push({
      name,
      path,
      kind: parsed.kind,
      createdAt: parsed.createdAt,
      bytes,
      verified: side?.verified ?? 'unchecked',
      checkedAt: side?.checkedAt ?? null,
      problems: side?.problems ?? [],
    });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt);
}

export function findBackup(dir: string, name: string): BackupEntry {
  const entry = listBackups(dir).find((e) => e.name === name);
  if (!entry) throw new BackupError(`There is no backup called "${name.slice(0, 120)}" in ${dir}. Refresh the list and pick one of those shown.`, 'not_found');
  return entry;
}

/** Turn a SQLite/file-system failure of a copy into words the user can act on. */
export function backupFailure(err: unknown, dir: string): BackupError {
  if (err instanceof BackupError) return err;
  const code = (err as { code?: unknown }).code;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new BackupError(`The disk holding ${dir} is full, so the backup could not be written. Free some space and try again; nothing was changed.`, 'disk_full');
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) || code === 'SQLITE_CANTOPEN') {
    return new BackupError(`The backups folder ${dir} cannot be written (${detail}). Check its permissions; nothing was changed.`, 'read_only');
  }
  return new BackupError(`The backup could not be made: ${detail}`, 'failed');
}

/**
 * Check a copy with integrity_check in a worker and record the result beside it. A copy that fails
 * is kept (marked failed) only until the next rotation, so the user can see what happened.
 */
export async function verifyBackup(entry: Pick<BackupEntry, 'path'>, now: () => number = Date.now): Promise<Sidecar> {
  let problems: string[];
  try {
    ({ problems } = await runFileTask({ kind: 'check', file: entry.path, level: 'full' }));
  } catch (err) {
    // A file SQLite cannot even open as a database fails verification; it is not a crash.
    problems = [err instanceof Error ? err.message : String(err)];
  }
  const side: Sidecar = { verified: problems.length === 0 ? 'ok' : 'failed', checkedAt: now(), problems };
  writeSidecar(entry.path, side);
  return side;
}

export interface CreateBackupOptions {
  /** The live database file (or any SQLite file) to copy. */
  source: string;
  /** The backups folder (created if missing). */
  dir: string;
  kind?: 'daily' | 'manual';
  onProgress?: (p: BackupProgress) => void;
  now?: () => number;
}

/**
 * Copy `source` into `dir` with VACUUM INTO in a worker thread (the main loop stays free), fsync
 * it, run integrity_check on the copy, and only then give it its final name: a listed backup is
 * always a complete one. Throws BackupError (disk_full, read_only, verify_failed, failed).
 */
export async function createBackup(opts: CreateBackupOptions): Promise<BackupEntry> {
  const now = opts.now ?? Date.now;
  const started = now();
  const name = backupFileName(opts.kind ?? 'manual', started);
  const target = join(opts.dir, name);
  const partial = partialOf(target);
  let expected = 1;
  try {
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
    expected = Math.max(1, statSync(opts.source).size);
  } catch (err) {
    throw backupFailure(err, opts.dir);
  }
  opts.onProgress?.({ phase: 'copying', fraction: 0 });
  // The copy grows as VACUUM INTO writes it; its size against the source's is the progress.
  const timer = setInterval(() => {
    try {
      const size = statSync(partial).size;
      opts.onProgress?.({ phase: 'copying', fraction: Math.min(0.8, (size / expected) * 0.8) });
    } catch {
      // Not created yet.
    }
  }, 200);
  let problems: string[];
  try {
    ({ problems } = await runFileTask({ kind: 'copy', source: opts.source, target: partial }));
  } catch (err) {
    rmSync(partial, { force: true });
    throw backupFailure(err, opts.dir);
  } finally {
    clearInterval(timer);
  }
  opts.onProgress?.({ phase: 'verifying', fraction: 0.9 });
  if (problems.length > 0) {
    rmSync(partial, { force: true });
    throw new BackupError(`The new backup failed its integrity check (${problems.slice(0, 3).join('; ')}), so it was discarded. The database itself may be damaged: run the integrity check in Settings → Backups.`, 'verify_failed');
  }
  try {
    renameSync(partial, target);
    writeSidecar(target, { verified: 'ok', checkedAt: now(), problems: [] });
  } catch (err) {
    rmSync(partial, { force: true });
    rmSync(target, { force: true });
    throw backupFailure(err, opts.dir);
  }
  opts.onProgress?.({ phase: 'verifying', fraction: 1 });
  return { name, path: target, kind: opts.kind ?? 'manual', createdAt: started, bytes: statSync(target).size, verified: 'ok', checkedAt: now(), problems: [] };
}

/** Apply the rotation policy: delete what it drops (with sidecars) and copies cut short by a crash. */
export function rotateBackups(dir: string, now: number = Date.now()): string[] {
  if (!existsSync(dir)) return [];
  const doomed = backupsToDelete(listBackups(dir), now);
  for (const name of doomed) {
    rmSync(join(dir, name), { force: true });
    rmSync(sidecarOf(join(dir, name)), { force: true });
  }
  // A partial copy older than an hour belongs to a backup that was interrupted.
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.partial')) continue;
    try {
      if (now - statSync(join(dir, name)).mtimeMs > 3_600_000) rmSync(join(dir, name), { force: true });
    } catch {
      // Gone already.
    }
  }
  return doomed;
}
