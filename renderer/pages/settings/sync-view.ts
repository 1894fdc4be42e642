// Words and numbers for Settings → Sync: status lines, round progress, overwritten values.
import type { ApiOutput, EventPayload } from '../../../electron/api';

export type SyncStatus = ApiOutput<'sync.status'>;
export type SyncProgress = EventPayload<'sync.progress'>;
export type CloudWorkspace = ApiOutput<'sync.cloudWorkspaces'>['workspaces'][number];
export type SyncConflict = ApiOutput<'sync.conflicts'>['conflicts'][number];

const PHASE_WORDS: Record<SyncProgress['phase'], string> = {
  prepare: 'Preparing changes',
  push: 'Sending changes',
  pull: 'Receiving changes',
};

export function progressWords(p: SyncProgress): string {
  if (p.status === 'done') return 'Synced';
  if (p.status === 'failed') return `Sync failed: ${p.error ?? 'unknown error'}`;
  if (p.total === 0) return `${PHASE_WORDS[p.phase]}…`;
  return `${PHASE_WORDS[p.phase]}: ${p.done.toLocaleString()} of ${p.total.toLocaleString()}`;
}

/** "just now", "5 min ago", "3 h ago", else the date and time. */
export function agoWords(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 45) return 'just now';
  if (s < 60 * 60) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 24 * 60 * 60) return `${Math.round(s / 3600)} h ago`;
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function lastSyncedWords(s: SyncStatus, now = Date.now()): string {
  return s.lastSyncedAt === null ? 'Not synced yet' : `Last synced ${agoWords(s.lastSyncedAt, now)}`;
}

export function pendingWords(n: number): string {
  if (n === 0) return 'Everything on this device is in the cloud.';
  return `${n.toLocaleString()} local ${n === 1 ? 'change' : 'changes'} waiting to be sent.`;
}

export function stateWords(s: SyncStatus): string {
  if (!s.connected) return 'Not connected';
  if (s.paused) return 'Paused: changes are recorded here and sent when you resume';
  if (s.running) return 'Syncing…';
  if (s.workspaces.length === 0) return 'Connected; choose the workspaces to sync';
  return 'On';
}

export function retryWords(s: SyncStatus, now = Date.now()): string | null {
  if (s.retryAt === null || s.retryAt <= now) return null;
  const secs = Math.ceil((s.retryAt - now) / 1000);
  return secs < 90 ? `Trying again in ${secs} s.` : `Trying again in ${Math.ceil(secs / 60)} min.`;
}

/** "posts" → "Post", "inbox_messages" → "Inbox message". */
export function tableWords(table: string): string {
  const one = table.endsWith('ies') ? `${table.slice(0, -3)}y` : table.endsWith('s') ? table.slice(0, -1) : table;
  const words = one.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function columnWords(column: string): string {
  return column.replaceAll('_', ' ');
}

/** A cell's value as text for the review list (long text cut, JSON compact). */
export function valueWords(v: unknown, max = 160): string {
  if (v === null || v === undefined) return '(empty)';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Connection strings the field accepts; the engine checks again and says why in words. */
export function connectionStringProblem(s: string): string | undefined {
  const t = s.trim();
  if (t === '') return 'Paste the connection string of your Postgres database.';
  if (!/^postgres(ql)?:\/\//i.test(t)) return 'A Postgres connection string starts with postgres:// (for example postgres://user:password@host:5432/database).';
  return undefined;
}
