// Queue: everything the scheduler runs — what is next, what needs a decision, what failed and
// what is done — with retry and cancel, each job's attempts, and live updates from its events.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiCallError, call, hintFor, messageOf } from '../../api/client';
import { Kbd, Page } from '../../components/Page';
import { plural } from '../../lib/format';
import { localTimezone } from '../../lib/timezones';
import { useUi } from '../../stores/ui';
import { useCurrentWorkspace, useWorkspaces } from '../../stores/workspaces';
import '../../styles/queue.css';
import { CancelDialog } from './CancelDialog';
import { useQueueViewParam, type QueueView } from './posts-view';
import { PostsView } from './PostsView';
import { PostsViewSwitch } from './PostsViewSwitch';
import { canCancel, retryAction, TAB_INFO, tabCounts } from './job-states';
import { jobTypeLabel, type JobStats, type JobView } from './job-types';
import { JobTable, rowToggleId } from './JobTable';
import { PANEL_ID, QueueTabs, ScopeSwitch, tabId } from './QueueTabs';
import { useQueueView } from './queue-view';
import { exactTime, relativeTime, shortTime } from './time';
import { useJobFeed } from './useJobFeed';
import { useQueueKeys } from './useQueueKeys';
import { useTick } from './useTick';

/** Like toastError, with advice that fits jobs (the generic advice for a conflict is about names). */
function toastJobError(whatFailed: string, err: unknown): void {
  const code = err instanceof ApiCallError ? err.code : null;
  const hint =
    code === 'conflict' ? 'The job changed in the meantime; the list now shows where it is.' : code === 'not_found' ? 'It may have been cleaned up; the list has been refreshed.' : hintFor(err);
  useUi.getState().toast({ kind: 'error', title: whatFailed, message: messageOf(err), hint });
}

function StatsLine({ stats, now, timezone }: { stats: JobStats | null; now: number; timezone: string }) {
  if (!stats) return <span className="qstats">Counting jobs…</span>;
  const counts = tabCounts(stats);
  const parts = [`${counts.upcoming.toLocaleString()} upcoming`];
  if (counts.needs_you > 0) parts.push(`${counts.needs_you.toLocaleString()} ${counts.needs_you === 1 ? 'needs' : 'need'} you`);
  parts.push(`${counts.failed.toLocaleString()} failed`);
  const next = stats.nextRunAt;
  return (
    <span className="qstats" data-testid="queue-stats">
      {parts.join(' · ')}
      {' · '}
      {next === null ? (
        'nothing queued'
      ) : next <= now ? (
        'next run: due now'
      ) : (
        <>
          next run {relativeTime(next, now)}{' '}
          <time dateTime={new Date(next).toISOString()} title={exactTime(next, timezone)}>
            ({shortTime(next, now, timezone, undefined, true)})
          </time>
        </>
      )}
    </span>
  );
}

/** Two views of one page: the scheduler's jobs, or the workspace's posts (`?view=posts`). */
export function QueuePage() {
  const { view, setView } = useQueueViewParam();
  return view === 'posts' ? <PostsView view={view} onView={setView} /> : <JobsView view={view} onView={setView} />;
}

function JobsView({ view, onView }: { view: QueueView; onView: (v: QueueView) => void }) {
  const ws = useCurrentWorkspace();
  const workspaces = useWorkspaces((s) => s.list);
  const { tab, scope, setTab, setScope } = useQueueView();
  const feed = useJobFeed(tab, scope, ws?.id ?? null);
  const tick = useTick(15_000);
  // Fresh rows are read against a fresh clock (the tick may be 15 s old when they arrive).
  const now = useMemo(() => Math.max(tick, Date.now()), [tick, feed.items, feed.stats]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const [cancelTarget, setCancelTarget] = useState<JobView | null>(null);
  const [notice, setNotice] = useState('');
  const lastIndex = useRef(0);

  const loaded = feed.status === 'ready' && feed.key === feed.wantedKey;
  const jobs = useMemo(() => (feed.key === feed.wantedKey ? feed.items : []), [feed.items, feed.key, feed.wantedKey]);
  const counts = feed.stats ? tabCounts(feed.stats) : null;
  const wsTimezone = ws?.timezone ?? localTimezone();

  const workspaceOf = useCallback((id: string | null) => (id === null ? null : workspaces.find((w) => w.id === id)), [workspaces]);
  const timezoneOf = useCallback(
    (job: JobView) => (job.workspaceId === null ? localTimezone() : (workspaces.find((w) => w.id === job.workspaceId)?.timezone ?? wsTimezone)),
    [workspaces, wsTimezone],
  );

  // Keep the current row when the list changes; if it left this tab, the row now in its place.
  useEffect(() => {
    if (jobs.length === 0) {
      setCurrentId(null);
      return;
    }
    const i = currentId === null ? -1 : jobs.findIndex((j) => j.id === currentId);
    if (i >= 0) {
      lastIndex.current = i;
      return;
    }
    if (currentId !== null) {
      const next = jobs[Math.min(lastIndex.current, jobs.length - 1)];
      setCurrentId(next?.id ?? null);
    }
  }, [jobs, currentId]);

  // Focus that fell to <body> (the focused row left the list, a dialog's opener is gone) returns to the current row.
  useEffect(() => {
    if (cancelTarget !== null || document.activeElement !== document.body) return;
    const target = currentId ? document.getElementById(rowToggleId(currentId)) : document.getElementById(tabId(tab));
    target?.focus({ preventScroll: true });
  }, [jobs, currentId, cancelTarget, tab]);

  const focusRow = (id: string) => {
    setCurrentId(id);
    const el = document.getElementById(rowToggleId(id));
    el?.focus();
    el?.closest('tr')?.scrollIntoView({ block: 'nearest' });
  };

  const toggle = (job: JobView) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(job.id)) next.delete(job.id);
      else next.add(job.id);
      return next;
    });

  const withBusy = async (job: JobView, fn: () => Promise<void>) => {
    setBusyIds((s) => new Set(s).add(job.id));
    try {
      await fn();
    } finally {
      setBusyIds((s) => {
        const next = new Set(s);
        next.delete(job.id);
        return next;
      });
      // Also without a running scheduler (no events): the rows show what the database now says.
      await feed.refresh();
    }
  };

  const retry = (job: JobView) => {
    const action = retryAction(job);
    if (!action || busyIds.has(job.id)) return;
    const label = jobTypeLabel(job.type).label;
    void withBusy(job, async () => {
      try {
        await call('jobs.retry', { jobId: job.id });
        setNotice(action.kind === 'run_now' ? `“${label}” will run now.` : `“${label}” will run again now${tab === 'upcoming' || tab === 'all' ? '' : ' — it moved to Upcoming'}.`);
      } catch (err) {
        toastJobError(`Could not ${action.kind === 'run_now' ? 'run' : 'retry'} “${label}”`, err);
      }
    });
  };

  const confirmCancel = async (job: JobView, series: boolean) => {
    const label = jobTypeLabel(job.type).label;
    await withBusy(job, async () => {
      try {
        const r = await call('jobs.cancel', { jobId: job.id, series });
        setNotice(r.cancelling ? `“${label}” was asked to stop.` : series ? `“${label}” and the rest of its series were cancelled.` : `“${label}” was cancelled.`);
      } catch (err) {
        toastJobError(`Could not cancel “${label}”`, err);
      }
    });
    setCancelTarget(null);
  };

  const current = jobs.find((j) => j.id === currentId) ?? null;
  useQueueKeys({
    move(delta) {
      if (jobs.length === 0) return;
      const i = current ? jobs.indexOf(current) : -1;
      const next = i === -1 ? (delta === 1 ? 0 : jobs.length - 1) : i + delta;
      if (next >= jobs.length && feed.more) void feed.loadMore();
      const job = jobs[Math.max(0, Math.min(jobs.length - 1, next))];
      if (job) focusRow(job.id);
    },
    toggle() {
      const job = current ?? jobs[0];
      if (!job) return;
      toggle(job);
      focusRow(job.id);
    },
    retry() {
      if (!current) return;
      // Say why nothing happened rather than ignoring the key.
      if (retryAction(current)) retry(current);
      else setNotice('Only failed, cancelled or waiting jobs can be retried.');
    },
    cancel() {
      if (!current || busyIds.has(current.id)) return;
      if (canCancel(current)) setCancelTarget(current);
      else setNotice(current.state === 'cancelling' ? 'It is already stopping.' : 'It has already finished, so there is nothing to cancel.');
    },
  });

  if (!ws) return null;
  const info = TAB_INFO[tab];
  // While another tab loads, the last list stays (dimmed) instead of flashing empty.
  const shown = loaded ? jobs : feed.items;
  const total = counts?.[tab] ?? jobs.length;

  let body;
  if (feed.status === 'error' && feed.key === feed.wantedKey) {
    body = (
      <p className="inline-error" role="alert">
        Could not load the queue: {messageOf(feed.error)}{' '}
        <button type="button" className="link-button" onClick={() => void feed.refresh()}>
          Try again
        </button>
      </p>
    );
  } else if (!loaded && feed.items.length === 0) {
    body = <p className="qloading muted">Loading jobs…</p>;
  } else if (loaded && jobs.length === 0) {
    body = (
      <div className="empty qempty" data-testid="queue-empty">
        <p className="empty__title">{info.empty.title}</p>
        <p className="empty__text">{info.empty.text}</p>
        {scope === 'workspace' ? (
          <p className="empty__text">
            This shows {ws.name} only; app-wide upkeep such as database maintenance is under{' '}
            <button type="button" className="link-button" onClick={() => setScope('all')}>
              All workspaces
            </button>
            .
          </p>
        ) : null}
      </div>
    );
  } else {
    body = (
      <>
        <div className={loaded ? 'qtable-wrap' : 'qtable-wrap is-busy'}>
          <JobTable
            jobs={shown}
            caption={`${info.label} jobs${scope === 'all' ? ' in all workspaces' : ` in ${ws.name}`}`}
            whenHeader={info.whenHeader}
            now={now}
            showWorkspace={scope === 'all'}
            workspaceOf={workspaceOf}
            timezoneOf={timezoneOf}
            expanded={expanded}
            currentId={currentId}
            busyIds={busyIds}
            onToggle={toggle}
            onCurrent={(j) => setCurrentId(j.id)}
            onRetry={retry}
            onCancel={(j) => setCancelTarget(j)}
          />
        </div>
        <div className="qfoot">
          <p className="qfoot__count">
            Showing {shown.length.toLocaleString()} of {plural(Math.max(total, shown.length), 'job')}
          </p>
          {feed.more ? (
            <button type="button" className="button button--small" onClick={() => void feed.loadMore()} disabled={feed.loadingMore}>
              {feed.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
          <p className="qkeys" aria-hidden="true">
            <Kbd>J</Kbd> <Kbd>K</Kbd> move · <Kbd>Enter</Kbd> attempts · <Kbd>R</Kbd> retry · <Kbd>C</Kbd> cancel
          </p>
        </div>
      </>
    );
  }

  return (
    <Page title="Queue" subtitle={<StatsLine stats={feed.stats} now={now} timezone={wsTimezone} />} actions={<PostsViewSwitch view={view} onView={onView} />}>
      <div className="queue">
        <div className="qtoolbar">
          <QueueTabs tab={tab} counts={counts} onTab={setTab} />
          <ScopeSwitch scope={scope} onScope={setScope} />
        </div>
        {feed.refreshError ? (
          <p className="inline-error qstale" role="status">
            This list may be out of date: {messageOf(feed.refreshError)}{' '}
            <button type="button" className="link-button" onClick={() => void feed.refresh()}>
              Refresh
            </button>
          </p>
        ) : null}
        <div role="tabpanel" id={PANEL_ID} aria-labelledby={tabId(tab)} aria-busy={!loaded} className="qpanel">
          {body}
        </div>
        <p className="visually-hidden" role="status" aria-live="polite">
          {notice}
        </p>
      </div>
      <CancelDialog job={cancelTarget} onClose={() => setCancelTarget(null)} onConfirm={confirmCancel} />
    </Page>
  );
}
