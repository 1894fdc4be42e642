// The Queue page's data: the jobs of one tab and scope, page by page, plus the counts from
// jobs.stats. Live without polling: the scheduler's jobs.* events trigger a debounced refetch of
// what is on screen (progress is patched in place), and so does a reconnected event stream.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiInput } from '../../../electron/api';
import { call, onConnection, onEvent } from '../../api/client';
import { toastError } from '../../stores/ui';
import { createFeed, filtered, type Feed, type FeedSource } from './feed';
import { tabCounts, type QueueTab, type Scope } from './job-states';
import type { JobStats, JobView } from './job-types';

export const PAGE_SIZE = 50;
/** jobs.list's largest page. */
const MAX_PAGE = 200;
/** Events come in bursts (a batch finishing); one refetch after the burst settles... */
const DEBOUNCE_MS = 250;
/** ...but never later than this after the first event, so a steady stream still shows. */
const MAX_WAIT_MS = 1_000;

type ListQuery = Omit<ApiInput<'jobs.list'>, 'offset' | 'limit'>;

function source(query: ListQuery): FeedSource<JobView> {
  return async (offset, limit) => {
    const r = await call('jobs.list', { ...query, offset, limit });
    return { items: r.items, nextOffset: r.nextOffset };
  };
}

/** jobs.list's `recent` order: latest change first, then id descending. */
function byRecent(a: JobView, b: JobView): number {
  return b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** The API queries behind each tab (jobs.list filters one status at a time). */
export function feedFor(tab: QueueTab, workspaceId: string | undefined): Feed<JobView> {
  const ws = workspaceId ? { workspaceId } : {};
  const opts = { maxPage: MAX_PAGE };
  switch (tab) {
    case 'upcoming':
      // What is running now first, then what runs next. Held jobs are pending too; they have their own tab.
      return createFeed(
        [source({ ...ws, status: 'running', order: 'next' }), filtered(source({ ...ws, status: 'pending', order: 'next' }), (j) => j.state !== 'awaiting_decision')],
        opts,
      );
    case 'needs_you':
      return createFeed([source({ ...ws, status: 'awaiting_decision', order: 'next' })], opts);
    case 'failed':
      return createFeed([source({ ...ws, status: 'failed', order: 'recent' })], opts);
    case 'done':
      return createFeed([source({ ...ws, status: 'completed', order: 'recent' }), source({ ...ws, status: 'cancelled', order: 'recent' })], { ...opts, compare: byRecent });
    case 'all':
      return createFeed([source({ ...ws, order: 'recent' })], opts);
  }
}

export interface JobFeedState {
  status: 'loading' | 'ready' | 'error';
  /** Which tab/scope/workspace the items belong to (they stay on screen while the next loads). */
  key: string;
  items: JobView[];
  stats: JobStats | null;
  more: boolean;
  loadingMore: boolean;
  error: unknown;
  /** A background refresh failed: what is shown may be out of date. */
  refreshError: unknown;
}

export interface JobFeed extends JobFeedState {
  /** Refetch what is on screen (as many rows as are shown). */
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
  /** The key of the current tab/scope/workspace; differs from `key` while it loads. */
  wantedKey: string;
}

const INITIAL: JobFeedState = { status: 'loading', key: '', items: [], stats: null, more: false, loadingMore: false, error: null, refreshError: null };

function dedupe(items: JobView[]): JobView[] {
  const seen = new Set<string>();
  return items.filter((j) => (seen.has(j.id) ? false : (seen.add(j.id), true)));
}

export function useJobFeed(tab: QueueTab, scope: Scope, workspaceId: string | null): JobFeed {
  const [state, setState] = useState<JobFeedState>(INITIAL);
  const wantedKey = `${tab}|${scope}|${scope === 'workspace' ? (workspaceId ?? '') : '*'}`;
  const generation = useRef(0);
  const feed = useRef<Feed<JobView> | null>(null);
  const shown = useRef(0);
  const loadingMore = useRef(false);

  const load = useCallback(
    async (keepCount: boolean) => {
      const g = ++generation.current;
      const wsFilter = scope === 'workspace' ? (workspaceId ?? undefined) : undefined;
      const f = feedFor(tab, wsFilter);
      const want = keepCount ? Math.max(PAGE_SIZE, shown.current) : PAGE_SIZE;
      try {
        const [items, stats] = await Promise.all([f.take(want), call('jobs.stats', wsFilter ? { workspaceId: wsFilter } : {})]);
        if (g !== generation.current) return;
        feed.current = f;
        shown.current = items.length;
        loadingMore.current = false;
        setState({
          status: 'ready',
          key: wantedKey,
          items: dedupe(items),
          stats,
          more: !f.done() && items.length < tabCounts(stats)[tab],
          loadingMore: false,
          error: null,
          refreshError: null,
        });
      } catch (error) {
        if (g !== generation.current) return;
        // A failed background refresh keeps the last good list (and says so); a failed first load is an error.
        setState((s) => (keepCount && s.status === 'ready' && s.key === wantedKey ? { ...s, refreshError: error } : { ...INITIAL, status: 'error', key: wantedKey, error }));
      }
    },
    [tab, scope, workspaceId, wantedKey],
  );

  const loadRef = useRef(load);
  loadRef.current = load;
  const itemsRef = useRef(state.items);
  itemsRef.current = state.items;

  useEffect(() => {
    shown.current = 0;
    void load(false);
  }, [load]);

  const loadMore = useCallback(async () => {
    const f = feed.current;
    if (!f || loadingMore.current) return;
    const g = generation.current;
    loadingMore.current = true;
    setState((s) => ({ ...s, loadingMore: true }));
    try {
      const next = await f.take(PAGE_SIZE);
      if (g !== generation.current) return;
      shown.current += next.length;
      setState((s) => ({ ...s, items: dedupe([...s.items, ...next]), more: next.length > 0 && !f.done(), loadingMore: false }));
    } catch (err) {
      if (g !== generation.current) return;
      toastError('Could not load more jobs', err);
      setState((s) => ({ ...s, loadingMore: false }));
    } finally {
      if (g === generation.current) loadingMore.current = false;
    }
  }, []);

  // Live updates.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let firstAt = 0;
    const schedule = () => {
      const now = Date.now();
      if (timer === undefined) firstAt = now;
      clearTimeout(timer);
      timer = setTimeout(
        () => {
          timer = undefined;
          void loadRef.current(true);
        },
        Math.max(0, Math.min(DEBOUNCE_MS, firstAt + MAX_WAIT_MS - now)),
      );
    };
    // In one workspace, other workspaces' and app-wide jobs change nothing on screen.
    const relevant = (ws: string | null) => scope === 'all' || ws === workspaceId;
    const offs = [
      onEvent('jobs.queued', (p) => {
        if (p.total > p.jobs.length || p.jobs.some((j) => relevant(j.workspaceId))) schedule();
      }),
      onEvent('jobs.started', (p) => relevant(p.workspaceId) && schedule()),
      onEvent('jobs.succeeded', (p) => relevant(p.workspaceId) && schedule()),
      onEvent('jobs.failed', (p) => relevant(p.workspaceId) && schedule()),
      onEvent('jobs.cancelled', (p) => relevant(p.workspaceId) && schedule()),
      onEvent('jobs.missed', (p) => relevant(p.workspaceId) && schedule()),
      onEvent('jobs.progress', (p) => {
        if (!relevant(p.workspaceId)) return;
        const onScreen = itemsRef.current.find((j) => j.id === p.jobId);
        // Progress for a job not shown as running (it started since the last fetch): fetch once.
        if (!onScreen || (onScreen.state !== 'running' && onScreen.state !== 'cancelling')) {
          schedule();
          return;
        }
        const progress = { fraction: p.fraction, message: p.message };
        setState((s) => ({ ...s, items: s.items.map((j) => (j.id === p.jobId ? { ...j, progress } : j)) }));
      }),
      onConnection((_status, reconnected) => {
        // Events sent while the stream was down are lost; catch up on what they would have said.
        if (reconnected) schedule();
      }),
    ];
    return () => {
      clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, [scope, workspaceId]);

  const refresh = useCallback(() => loadRef.current(true), []);
  return { ...state, refresh, loadMore, wantedKey };
}
