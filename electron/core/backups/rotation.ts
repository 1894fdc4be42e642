// Which backups to keep: the newest of each of the last 7 days that have one, the newest of each
// of the last 4 weeks that have one, and pre-migration copies for 30 days (at least the newest 2,
// so an upgrade months after the last one can still be undone). Copies that failed their check
// are never kept: they could only mislead a restore. The newest good copy is always kept.
export interface RotationEntry {
  name: string;
  kind: 'daily' | 'manual' | 'pre-migration';
  createdAt: number;
  verified: 'ok' | 'failed' | 'unchecked';
}

export const KEEP_DAILY = 7;
export const KEEP_WEEKLY = 4;
export const PRE_MIGRATION_DAYS = 30;
export const PRE_MIGRATION_MIN = 2;

const DAY = 86_400_000;

/** Days and weeks in UTC, so a backup's bucket never moves with the computer's time zone. */
function dayOf(ms: number): number {
  return Math.floor(ms / DAY);
}

/** Weeks start on Monday (1970-01-01 was a Thursday, hence the 3-day shift). */
function weekOf(ms: number): number {
  return Math.floor((dayOf(ms) + 3) / 7);
}

function newestPerBucket(entries: RotationEntry[], bucket: (ms: number) => number, count: number): Set<string> {
  const keep = new Set<string>();
  const seen = new Set<number>();
  for (const e of entries) {
    const b = bucket(e.createdAt);
    if (seen.has(b)) continue;
    if (seen.size >= count) break;
    seen.add(b);
    keep.add(e.name);
  }
  return keep;
}

/** The names to delete, given every backup in the folder. Pure, so the policy is tested alone. */
export function backupsToDelete(entries: readonly RotationEntry[], now: number): string[] {
  const newestFirst = [...entries].sort((a, b) => b.createdAt - a.createdAt);
  const regular = newestFirst.filter((e) => e.kind !== 'pre-migration' && e.verified === 'ok');
  const keep = new Set<string>([...newestPerBucket(regular, dayOf, KEEP_DAILY), ...newestPerBucket(regular, weekOf, KEEP_WEEKLY)]);
  const pre = newestFirst.filter((e) => e.kind === 'pre-migration' && e.verified !== 'failed');
  pre.forEach((e, i) => {
    if (i < PRE_MIGRATION_MIN || now - e.createdAt <= PRE_MIGRATION_DAYS * DAY) keep.add(e.name);
  });
  const newestGood = newestFirst.find((e) => e.verified === 'ok');
  if (newestGood) keep.add(newestGood.name);
  return newestFirst.filter((e) => !keep.has(e.name) && (e.verified !== 'unchecked' || e.kind === 'pre-migration')).map((e) => e.name);
}
