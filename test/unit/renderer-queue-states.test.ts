// What a job's state means on the Queue page: its tab, its chip, what can be done to it, how its
// time and attempts read, and the tab counts from jobs.stats.
import { describe, expect, it } from 'vitest';
import {
  attemptsLabel,
  canCancel,
  displayState,
  errorSummary,
  isSeries,
  QUEUE_TABS,
  retryAction,
  STATE_INFO,
  tabCounts,
  tabOf,
  whenOf,
} from '../../renderer/pages/queue/job-states';
import { jobTypeLabel, type JobState, type JobStats, type JobView } from '../../renderer/pages/queue/job-types';

const NOW = Date.UTC(2026, 10, 23, 20, 0, 0);
const MIN = 60_000;
const H = 60 * MIN;

/** A job as jobs.list returns it: a publish queued yesterday for 25 minutes from now. */
function job(over: Partial<JobView> = {}): JobView {
  return {
    id: '01a209c8-5d75-7e69-b3d8-361524ad0468',
    type: 'post.publish',
    workspaceId: '01a209c8-0000-7000-8000-000000000001',
    status: 'pending',
    state: 'scheduled',
    nextRunAt: NOW + 25 * MIN,
    dueAt: NOW + 25 * MIN,
    attempts: 0,
    maxAttempts: 3,
    interruptions: 0,
    lastError: null,
    progress: null,
    result: null,
    startedAt: null,
    completedAt: null,
    createdAt: NOW - 24 * H,
    updatedAt: NOW - 24 * H,
    uniqueKey: 'publish:01a209c8-aaaa-7000-8000-000000000002',
    seriesKey: null,
    recurring: false,
    cronJobId: null,
    ...over,
  };
}

const ALL_STATES = Object.keys(STATE_INFO) as JobState[];

describe('job type labels', () => {
  it('given known types, when labelled, then people read what the job does', () => {
    expect(jobTypeLabel('post.publish')).toEqual({ label: 'Publish post', raw: 'post.publish', known: true });
    expect(jobTypeLabel('maintenance.optimize').label).toBe('Database maintenance');
    expect(jobTypeLabel('accounts.refresh_token').label).toBe('Renew sign-in');
    expect(jobTypeLabel('knowledge.index').label).toBe('Index document');
  });

  it('given a type the page does not know yet, when labelled, then the raw type is shown rather than a guess', () => {
    expect(jobTypeLabel('ads.sync_budget')).toEqual({ label: 'ads.sync_budget', raw: 'ads.sync_budget', known: false });
  });
});

describe('state grouping', () => {
  it('given every state, when grouped into tabs, then upcoming work, decisions, failures and finished work each have one home', () => {
    const byTab = Object.fromEntries(QUEUE_TABS.map((t) => [t, ALL_STATES.filter((s) => tabOf(s) === t)]));
    expect(byTab).toEqual({
      upcoming: ['scheduled', 'due', 'retrying', 'running', 'cancelling'],
      needs_you: ['awaiting_decision', 'paused'],
      failed: ['failed'],
      done: ['completed', 'cancelled'],
      all: [],
    });
  });

  it('given a scheduled job whose time passed since the list was fetched, when shown, then it reads as due', () => {
    const j = job({ nextRunAt: NOW - 1_000 });
    expect(displayState(j, NOW)).toBe('due');
    expect(displayState(job(), NOW)).toBe('scheduled');
    // Other states are the engine's word.
    expect(displayState(job({ state: 'retrying', nextRunAt: NOW - 1_000 }), NOW)).toBe('retrying');
  });

  it('given jobs.stats counts, when turned into tab counts, then held jobs count under Needs you and not Upcoming', () => {
    const stats: JobStats = {
      counts: { pending: 40, running: 2, completed: 30, failed: 3, cancelled: 5, awaitingDecision: 4, retrying: 1, overdue: 6 },
      byType: [],
      nextRunAt: NOW + 5 * MIN,
    };
    expect(tabCounts(stats)).toEqual({ upcoming: 38, needs_you: 4, failed: 3, done: 35, all: 80 });
  });
});

describe('row actions', () => {
  it('given each state, when deciding the buttons, then retry is offered on failed and cancelled jobs, run now on held ones, cancel on anything not finished', () => {
    const table = ALL_STATES.map((state) => {
      const j = job({ state });
      return [state, retryAction(j)?.label ?? null, canCancel(j)];
    });
    expect(table).toEqual([
      ['scheduled', null, true],
      ['due', null, true],
      ['retrying', null, true],
      ['awaiting_decision', 'Run now', true],
      // Running it now would only park it again: reconnecting the account is what releases it.
      ['paused', null, true],
      ['running', null, true],
      ['cancelling', null, false],
      ['completed', null, false],
      ['failed', 'Retry', false],
      ['cancelled', 'Retry', false],
    ]);
  });

  it('given a repeating job with a series, when cancelling, then the whole series can be ended; a cron firing is not a series', () => {
    expect(isSeries(job({ recurring: true, seriesKey: 'post:abc' }))).toBe(true);
    expect(isSeries(job({ recurring: false, seriesKey: 'post:abc' }))).toBe(false);
    expect(isSeries(job({ cronJobId: '01a2-cron' }))).toBe(false);
  });
});

describe('attempts and times in words', () => {
  it('given attempts with interruptions, when labelled, then only counted attempts show against the maximum and the rest are explained', () => {
    expect(attemptsLabel(job({ attempts: 2, maxAttempts: 3 }))).toEqual({ text: '2 of 3', detail: null });
    const a = attemptsLabel(job({ attempts: 3, interruptions: 1, maxAttempts: 3 }));
    expect(a.text).toBe('2 of 3');
    expect(a.detail).toBe("1 more attempt was cut short when Postdesk stopped; those don't count.");
  });

  it('given each state, when its time is described, then the words say what the time is', () => {
    expect(whenOf(job(), NOW)).toEqual({ text: 'in 25 min', at: NOW + 25 * MIN });
    expect(whenOf(job({ state: 'due', nextRunAt: NOW - 2 * MIN }), NOW).text).toBe('due 2 min ago');
    expect(whenOf(job({ state: 'due', nextRunAt: NOW - 2_000 }), NOW).text).toBe('due now');
    expect(whenOf(job({ state: 'retrying', nextRunAt: NOW + 30_000, attempts: 1 }), NOW).text).toBe('retry in 30 s');
    expect(whenOf(job({ state: 'retrying', nextRunAt: NOW - 5_000, attempts: 1 }), NOW).text).toBe('retry due now');
    expect(whenOf(job({ state: 'running', status: 'running', nextRunAt: null, startedAt: NOW - 12_000 }), NOW).text).toBe('started 12 s ago');
    expect(whenOf(job({ state: 'awaiting_decision', nextRunAt: null, dueAt: NOW - 3 * H }), NOW)).toEqual({ text: 'was due 3 h ago', at: NOW - 3 * H });
    expect(whenOf(job({ state: 'completed', status: 'completed', nextRunAt: null, completedAt: NOW - 2 * H }), NOW).text).toBe('done 2 h ago');
    expect(whenOf(job({ state: 'failed', status: 'failed', nextRunAt: null, completedAt: NOW - 2 * H }), NOW).text).toBe('failed 2 h ago');
    expect(whenOf(job({ state: 'cancelled', status: 'cancelled', nextRunAt: null, completedAt: null, updatedAt: NOW - 5 * MIN }), NOW).text).toBe('cancelled 5 min ago');
  });

  it('given an end time a little ahead of the window’s clock, when described, then it still reads as past', () => {
    expect(whenOf(job({ state: 'cancelled', status: 'cancelled', nextRunAt: null, completedAt: NOW + 4_000 }), NOW).text).toBe('cancelled just now');
  });

  it('given a long multi-line error, when summarised for the table, then it is one line cut at a word', () => {
    const message = 'Bluesky refused the post:\n  the text is 312 characters and the limit is 300. Shorten it in Compose, then retry.';
    expect(errorSummary(message, 200)).toBe('Bluesky refused the post: the text is 312 characters and the limit is 300. Shorten it in Compose, then retry.');
    expect(errorSummary(message, 40)).toBe('Bluesky refused the post: the text is…');
    expect(errorSummary('x'.repeat(50), 20)).toBe(`${'x'.repeat(20)}…`);
  });
});
