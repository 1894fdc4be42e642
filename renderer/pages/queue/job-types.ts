// Job types in words. The scheduler names types "area.verb" for code; people read "Publish post".
// A type this list does not know shows as its raw name (still exact and searchable); a test checks
// that every type the core runs has words here.
import type { ApiOutput } from '../../../electron/api';

export type JobView = ApiOutput<'jobs.list'>['items'][number];
export type JobState = JobView['state'];
export type JobDetail = ApiOutput<'jobs.get'>;
export type AttemptView = JobDetail['history'][number];
export type JobStats = ApiOutput<'jobs.stats'>;

export const JOB_TYPE_LABELS: Readonly<Record<string, string>> = {
  'post.publish': 'Publish post',
  'post.confirm_held': 'Confirm the network published it',
  'inbox.poll': 'Check inbox',
  'inbox.poll_sweep': 'Check inboxes that are due',
  'inbox.reply': 'Send reply',
  'inbox.followup': 'Send follow-up',
  'accounts.refresh_token': 'Renew sign-in',
  'accounts.refresh_sweep': 'Renew sign-ins before they expire',
  'analytics.fetch_metrics': 'Fetch post metrics',
  'analytics.metrics_sweep': 'Fetch post metrics that are due',
  'knowledge.index': 'Index document',
  'knowledge.reembed': 'Re-embed knowledge',
  'topics.analyze': 'Find topics in the inbox',
  'maintenance.optimize': 'Database maintenance',
  'maintenance.prune_jobs': 'Clear old job history',
  'backups.daily': 'Daily backup',
  'backups.integrity_check': 'Check the database for damage',
  'sync.run': 'Sync with the cloud database',
};

export interface JobTypeLabel {
  /** What to show: the label, or the raw type when there is none. */
  label: string;
  raw: string;
  known: boolean;
}

export function jobTypeLabel(type: string): JobTypeLabel {
  const label = JOB_TYPE_LABELS[type];
  return label ? { label, raw: type, known: true } : { label: type, raw: type, known: false };
}
