// Job types in words. The scheduler names types "area.verb" for code; people read "Publish post".
// A type this list does not know yet shows as its raw name, which is still exact and searchable.
import type { ApiOutput } from '../../../electron/api';

export type JobView = ApiOutput<'jobs.list'>['items'][number];
export type JobState = JobView['state'];
export type JobDetail = ApiOutput<'jobs.get'>;
export type AttemptView = JobDetail['history'][number];
export type JobStats = ApiOutput<'jobs.stats'>;

const LABELS: Readonly<Record<string, string>> = {
  'post.publish': 'Publish post',
  'post.reconcile': 'Check a published post',
  'post.confirm_held': 'Confirm the network published it',
  'inbox.poll': 'Check inbox',
  'inbox.reply': 'Send reply',
  'metrics.fetch': 'Fetch post metrics',
  'account.refresh_token': 'Refresh token',
  'accounts.refresh_token': 'Refresh token',
  'token.refresh': 'Refresh token',
  'knowledge.ingest': 'Index document',
  'knowledge.reindex': 'Re-index knowledge',
  'maintenance.optimize': 'Database maintenance',
  'maintenance.prune_jobs': 'Clear old job history',
  'maintenance.backup': 'Back up the database',
  'sync.push': 'Sync: send changes',
  'sync.pull': 'Sync: fetch changes',
  'sync.run': 'Sync',
};

export interface JobTypeLabel {
  /** What to show: the label, or the raw type when there is none. */
  label: string;
  raw: string;
  known: boolean;
}

export function jobTypeLabel(type: string): JobTypeLabel {
  const label = LABELS[type];
  return label ? { label, raw: type, known: true } : { label: type, raw: type, known: false };
}
