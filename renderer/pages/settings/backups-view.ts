// Words and numbers for Settings → Backups and the recovery screen.
import type { ApiOutput } from '../../../electron/api';

export type BackupStatus = ApiOutput<'backups.status'>;
export type BackupEntry = BackupStatus['backups'][number];

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function formatWhen(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const KIND_WORDS: Record<BackupEntry['kind'], string> = {
  daily: 'Daily',
  manual: 'Backed up by you',
  'pre-migration': 'Before an update',
};

export function verifiedWords(b: BackupEntry): string {
  if (b.verified === 'ok') return 'Verified';
  if (b.verified === 'failed') return `Failed its check${b.problems[0] ? `: ${b.problems[0]}` : ''}`;
  return 'Not checked yet';
}

export function phaseWords(phase: string): string {
  return phase === 'copying' ? 'Copying the database' : 'Checking the copy';
}
