// Backup file names carry their kind and time, so the folder itself is the listing: nothing to
// get out of step with the files. A verified copy has a `.json` sidecar with the check's result.
//   postdesk-2026-11-24T03-30-00-000Z-daily.db          (scheduled)
//   postdesk-2026-11-24T10-12-45-123Z-manual.db         (Back up now)
//   postdesk.db.pre-migration-7-2026-11-24T03-30-00Z.db (db/migrate.ts, before migrating)
import { join } from 'node:path';

export type BackupKind = 'daily' | 'manual' | 'pre-migration';

export const BACKUP_DIR_NAME = 'backups';
const OWN = /^postdesk-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d{3})?Z)-(daily|manual)\.db$/;
const PRE_MIGRATION = /^.+\.pre-migration-(-?\d+)-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d{3})?Z)\.db$/;

export function backupDirOf(dataDir: string): string {
  return join(dataDir, BACKUP_DIR_NAME);
}

/** A time as it can appear in a file name on every OS (no colons). */
export function stampOf(ms: number): string {
  return new Date(ms).toISOString().replaceAll(':', '-').replace('.', '-');
}

function timeOfStamp(stamp: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})(?:-(\d{3}))?Z$/.exec(stamp);
  if (!m) return Number.NaN;
  return Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5] ?? '000'}Z`);
}

export function backupFileName(kind: 'daily' | 'manual', ms: number): string {
  return `postdesk-${stampOf(ms)}-${kind}.db`;
}

export interface ParsedName {
  kind: BackupKind;
  createdAt: number;
  /** For pre-migration copies: the last migration the copy had. */
  schemaIdx: number | null;
}

/** What a file in the backups folder is, or null for anything else (partials, sidecars, strays). */
export function parseBackupName(name: string): ParsedName | null {
  const own = OWN.exec(name);
  if (own) {
    const createdAt = timeOfStamp(own[1] ?? '');
    return Number.isFinite(createdAt) ? { kind: own[2] as 'daily' | 'manual', createdAt, schemaIdx: null } : null;
  }
  const pre = PRE_MIGRATION.exec(name);
  if (pre) {
    const createdAt = timeOfStamp(pre[2] ?? '');
    return Number.isFinite(createdAt) ? { kind: 'pre-migration', createdAt, schemaIdx: Number(pre[1]) } : null;
  }
  return null;
}

export const sidecarOf = (file: string) => `${file}.json`;
export const partialOf = (file: string) => `${file}.partial`;
