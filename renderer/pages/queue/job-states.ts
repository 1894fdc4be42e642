// What a job's state means to the user: which tab it lives in, how its chip reads, what can be done
// to it and how its time reads. Pure, so the rules are tested without a browser.
import type { JobState, JobStats, JobView } from './job-types';
import { relativeTime } from './time';

export const QUEUE_TABS = ['upcoming', 'needs_you', 'failed', 'done', 'all'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];
export type Scope = 'workspace' | 'all';

export interface TabInfo {
  id: QueueTab;
  label: string;
  /** The column header for the job's time in this tab. */
  whenHeader: string;
  empty: { title: string; text: string };
}

export const TAB_INFO: Readonly<Record<QueueTab, TabInfo>> = {
  upcoming: {
    id: 'upcoming',
    label: 'Upcoming',
    whenHeader: 'Next run',
    empty: {
      title: 'Nothing is waiting to run',
      text: 'Scheduled posts, inbox checks, token refreshes and upkeep appear here with their next run time, and show a progress bar while they run.',
    },
  },
  needs_you: {
    id: 'needs_you',
    label: 'Needs you',
    whenHeader: 'Was due',
    empty: {
      title: 'Nothing needs a decision',
      text: 'When something came due while Postdesk was closed and is set to ask first, it waits here until you run it or cancel it.',
    },
  },
  failed: {
    id: 'failed',
    label: 'Failed',
    whenHeader: 'Failed',
    empty: {
      title: 'No failed jobs',
      text: 'A job that still fails after its last retry appears here with the error in words and a Retry button.',
    },
  },
  done: {
    id: 'done',
    label: 'Done',
    whenHeader: 'Finished',
    empty: {
      title: 'Nothing has finished yet',
      text: 'Completed and cancelled jobs appear here, newest first, with every attempt on record.',
    },
  },
  all: {
    id: 'all',
    label: 'All',
    whenHeader: 'When',
    empty: {
      title: 'No jobs yet',
      text: 'Everything Postdesk does on a timer — publishing, checking inboxes, refreshing tokens, upkeep — is listed here once it is queued.',
    },
  },
};

export type Tone = 'neutral' | 'accent' | 'warning' | 'danger' | 'success' | 'muted';

export const STATE_INFO: Readonly<Record<JobState, { label: string; tone: Tone; help: string }>> = {
  scheduled: { label: 'Scheduled', tone: 'neutral', help: 'Waiting for its time.' },
  due: { label: 'Due', tone: 'accent', help: 'Its time has come; it starts as soon as a runner is free.' },
  retrying: { label: 'Retrying', tone: 'warning', help: 'The last attempt failed; it will be tried again.' },
  awaiting_decision: { label: 'Needs you', tone: 'warning', help: 'It came due while Postdesk was closed; run it now or cancel it.' },
  paused: { label: 'Paused', tone: 'warning', help: 'Its account must be reconnected; it runs again as soon as you reconnect it on the Accounts page.' },
  running: { label: 'Running', tone: 'accent', help: 'Running now.' },
  cancelling: { label: 'Cancelling', tone: 'muted', help: 'Asked to stop; it ends as soon as it can.' },
  completed: { label: 'Done', tone: 'success', help: 'Finished successfully.' },
  failed: { label: 'Failed', tone: 'danger', help: 'Stopped after its last attempt failed.' },
  cancelled: { label: 'Cancelled', tone: 'muted', help: 'Cancelled; it will not run unless you retry it.' },
};

/** The tab a state belongs to (besides All). */
export function tabOf(state: JobState): Exclude<QueueTab, 'all'> {
  switch (state) {
    case 'scheduled':
    case 'due':
    case 'retrying':
    case 'running':
    case 'cancelling':
      return 'upcoming';
    case 'awaiting_decision':
    case 'paused':
      return 'needs_you';
    case 'failed':
      return 'failed';
    case 'completed':
    case 'cancelled':
      return 'done';
  }
}

/**
 * The state as of `now`: the engine computed it when the list was fetched, and a scheduled job
 * whose time has passed since is due (no event says so when nothing can run it yet).
 */
export function displayState(job: JobView, now: number): JobState {
  if (job.state === 'scheduled' && job.nextRunAt !== null && job.nextRunAt <= now) return 'due';
  return job.state;
}

export type RetryAction = { kind: 'retry' | 'run_now'; label: string } | null;

/** Failed and cancelled jobs can be retried; a job waiting for a decision can be run now. */
export function retryAction(job: JobView): RetryAction {
  if (job.state === 'failed' || job.state === 'cancelled') return { kind: 'retry', label: 'Retry' };
  if (job.state === 'awaiting_decision') return { kind: 'run_now', label: 'Run now' };
  return null;
}

/** Anything not finished and not already being stopped can be cancelled. */
export function canCancel(job: JobView): boolean {
  switch (job.state) {
    case 'scheduled':
    case 'due':
    case 'retrying':
    case 'awaiting_decision':
    case 'paused':
    case 'running':
      return true;
    default:
      return false;
  }
}

/** A repeating job (RRULE series): cancel offers ending the whole series. */
export function isSeries(job: JobView): boolean {
  return job.recurring && job.seriesKey !== null;
}

/** "2 of 3": attempts that count against the maximum (interrupted ones don't). */
export function attemptsLabel(job: JobView): { text: string; detail: string | null } {
  const counted = Math.max(0, job.attempts - job.interruptions);
  const detail =
    job.interruptions > 0 ? `${job.interruptions} more ${job.interruptions === 1 ? 'attempt was' : 'attempts were'} cut short when Postdesk stopped; those don't count.` : null;
  return { text: `${counted} of ${job.maxAttempts}`, detail };
}

export interface When {
  /** e.g. "in 5 min", "failed 2 h ago". */
  text: string;
  /** The moment it refers to (for the exact time on hover); null when there is none. */
  at: number | null;
}

/** The one time that matters for a job in its state, in words. */
export function whenOf(job: JobView, now: number): When {
  const state = displayState(job, now);
  const rel = (at: number) => relativeTime(at, now);
  // What already happened is never "in a few seconds", even if the engine's clock runs ahead.
  const ended = Math.min(job.completedAt ?? job.updatedAt, now);
  switch (state) {
    case 'scheduled':
      return job.nextRunAt === null ? { text: '—', at: null } : { text: rel(job.nextRunAt), at: job.nextRunAt };
    case 'due': {
      const at = job.nextRunAt ?? job.dueAt;
      return { text: now - at < 10_000 ? 'due now' : `due ${rel(at)}`, at };
    }
    case 'retrying':
      return job.nextRunAt === null ? { text: 'retrying', at: null } : { text: job.nextRunAt > now ? `retry ${rel(job.nextRunAt)}` : 'retry due now', at: job.nextRunAt };
    case 'running':
    case 'cancelling':
      return job.startedAt === null ? { text: 'started', at: null } : { text: `started ${rel(Math.min(job.startedAt, now))}`, at: job.startedAt };
    case 'awaiting_decision':
      return { text: `was due ${rel(job.dueAt)}`, at: job.dueAt };
    case 'paused':
      return { text: 'waiting for reconnect', at: null };
    case 'completed':
      return { text: `done ${rel(ended)}`, at: ended };
    case 'failed':
      return { text: `failed ${rel(ended)}`, at: ended };
    case 'cancelled':
      return { text: `cancelled ${rel(ended)}`, at: ended };
  }
}

/** How many jobs each tab holds, from jobs.stats. */
export function tabCounts(stats: JobStats): Record<QueueTab, number> {
  const c = stats.counts;
  return {
    upcoming: c.pending - c.awaitingDecision + c.running,
    needs_you: c.awaitingDecision,
    failed: c.failed,
    done: c.completed + c.cancelled,
    all: c.pending + c.running + c.completed + c.failed + c.cancelled,
  };
}

/** An error message on one line, cut at a word near `max` characters. */
export function errorSummary(message: string, max = 140): string {
  const line = message.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…`;
}
