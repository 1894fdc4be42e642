// The list's data for a virtual list of up to 100k conversations: fetched in offset pages of 100
// as rows come on screen, a small LRU of pages kept, placeholders for what is not loaded yet. A
// scrollbar dragged across the list fetches only where it stops (a short debounce with a cap), so
// there is never one request per row or per page flown past. Live: 'inbox.changed' and a
// reconnect mark the cached pages stale and refetch the ones on screen, which stay visible meanwhile.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call, onCatchUp, onEvent } from '../../api/client';
import type { ListFilterQuery } from './inbox-filters';
import type { Conversation } from './inbox-types';
import { PageCache, pagesFor, type RowRange } from './virtual-window';

export const PAGE_SIZE = 100;
/** 16 pages: 1,600 summaries, a few hundred kB at most. */
const CACHE_PAGES = 16;
const PREFETCH_ROWS = PAGE_SIZE / 2;
const FETCH_DEBOUNCE_MS = 40;
const FETCH_MAX_WAIT_MS = 200;
const CHANGE_DEBOUNCE_MS = 200;
const CHANGE_MAX_WAIT_MS = 1_000;

export interface ConversationWindow {
  status: 'loading' | 'ready' | 'error';
  /** Rows matching the filters; null until the first page answers. */
  total: number | null;
  error: unknown;
  /** A background refresh failed: what is shown may be out of date. */
  refreshError: unknown;
  /** Bumps whenever a page lands. The list subscribes to it (useSyncExternalStore) so that only
   *  the list re-renders as pages arrive while scrolling, not the page around it. */
  subscribe(listener: () => void): () => void;
  getVersion(): number;
  rowAt(index: number): Conversation | null;
  /** Where a conversation is among the loaded rows, or -1. */
  indexOf(id: string): number;
  /** The rows now on screen: fetch what is missing or stale. */
  show(range: RowRange): void;
  refresh(): void;
}

interface State {
  key: string;
  total: number | null;
  error: unknown;
  refreshError: unknown;
}

function debounced(fn: () => void, wait: number, maxWait: number): { schedule(): void; now(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstAt = 0;
  const fire = () => {
    timer = undefined;
    fn();
  };
  return {
    schedule() {
      const t = Date.now();
      if (timer === undefined) firstAt = t;
      clearTimeout(timer);
      timer = setTimeout(fire, Math.max(0, Math.min(wait, firstAt + maxWait - t)));
    },
    now() {
      clearTimeout(timer);
      fire();
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

export function useConversationWindow(query: ListFilterQuery | null): ConversationWindow {
  const key = query ? JSON.stringify(query) : '';
  const queryRef = useRef(query);
  queryRef.current = query;
  const [state, setState] = useState<State>({ key: '', total: null, error: null, refreshError: null });
  const version = useRef(0);
  const listeners = useRef(new Set<() => void>());
  const bump = useCallback(() => {
    version.current += 1;
    for (const l of listeners.current) l();
  }, []);

  const cache = useRef(new PageCache<Conversation[]>(CACHE_PAGES));
  const stale = useRef(new Set<number>());
  const inflight = useRef(new Set<number>());
  const onScreen = useRef<number[]>([0]);
  const generation = useRef(0);
  const total = useRef<number | null>(null);
  /** Bumps on every change event, so a page that was in flight across one is fetched again. */
  const changes = useRef(0);
  const refetchLater = useRef<() => void>(() => undefined);

  const fetchPage = useCallback(async (page: number) => {
    const q = queryRef.current;
    if (!q) return;
    const g = generation.current;
    const seen = changes.current;
    inflight.current.add(page);
    try {
      const r = await call('inbox.list', { ...q, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (g !== generation.current) return;
      total.current = r.total;
      cache.current.set(page, r.items, new Set(onScreen.current));
      if (seen === changes.current) stale.current.delete(page);
      // A change arrived while this page was on its way: what it brought may predate it.
      else if (onScreen.current.includes(page)) queueMicrotask(() => refetchLater.current());
      // The same state object when nothing but the rows changed: the page around the list need
      // not re-render for a page of rows scrolling by.
      setState((s) => (s.total === r.total && s.error === null && s.refreshError === null ? s : { ...s, total: r.total, error: null, refreshError: null }));
      bump();
    } catch (error) {
      if (g !== generation.current) return;
      // With rows already shown, the list stays and says it may be out of date.
      setState((s) => (s.total === null ? { ...s, error } : { ...s, refreshError: error }));
    } finally {
      if (g === generation.current) inflight.current.delete(page);
    }
  }, [bump]);

  const fetchWanted = useCallback(() => {
    for (const p of onScreen.current) {
      if ((!cache.current.has(p) || stale.current.has(p)) && !inflight.current.has(p)) void fetchPage(p);
    }
  }, [fetchPage]);

  const fetcher = useMemo(() => debounced(fetchWanted, FETCH_DEBOUNCE_MS, FETCH_MAX_WAIT_MS), [fetchWanted]);
  refetchLater.current = fetcher.schedule;

  // A new query: a clean slate, and its first page at once.
  useEffect(() => {
    generation.current += 1;
    cache.current.clear();
    stale.current.clear();
    inflight.current.clear();
    total.current = null;
    onScreen.current = [0];
    setState({ key, total: null, error: null, refreshError: null });
    bump();
    if (key !== '') fetcher.now();
    return () => fetcher.cancel();
  }, [key, fetcher, bump]);

  const markStale = useCallback(() => {
    // Every cached page is now suspect; those on screen are fetched again at once, the others
    // when scrolled to. Until a fresh copy lands the old rows stay: no flash of placeholders.
    changes.current += 1;
    for (const p of cache.current.keys()) stale.current.add(p);
    fetcher.now();
  }, [fetcher]);

  const workspaceId = query?.workspaceId ?? null;
  useEffect(() => {
    if (!workspaceId) return;
    const change = debounced(markStale, CHANGE_DEBOUNCE_MS, CHANGE_MAX_WAIT_MS);
    const offs = [
      onEvent('inbox.changed', (p) => {
        if (p.workspaceId === workspaceId) change.schedule();
      }),
      // Events lost while the stream was down, or other devices' changes brought by sync.
      onCatchUp(() => change.schedule()),
    ];
    return () => {
      change.cancel();
      offs.forEach((off) => off());
    };
  }, [workspaceId, markStale]);

  const show = useCallback(
    (range: RowRange) => {
      // Half a page either side: the next page is usually there before the scroll reaches it.
      const pages = pagesFor({ start: Math.max(0, range.start - PREFETCH_ROWS), end: range.end + PREFETCH_ROWS }, PAGE_SIZE).filter((p) => total.current === null || p * PAGE_SIZE < total.current);
      onScreen.current = pages.length > 0 ? pages : [0];
      if (onScreen.current.some((p) => !cache.current.has(p) || stale.current.has(p))) fetcher.schedule();
    },
    [fetcher],
  );

  const rowAt = useCallback((index: number) => cache.current.peek(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE] ?? null, []);

  const indexOf = useCallback((id: string) => {
    for (const p of cache.current.keys()) {
      const at = cache.current.peek(p)?.findIndex((c) => c.id === id) ?? -1;
      if (at >= 0) return p * PAGE_SIZE + at;
    }
    return -1;
  }, []);

  const subscribe = useCallback((listener: () => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const getVersion = useCallback(() => version.current, []);

  const current = state.key === key;
  const status: ConversationWindow['status'] = !current || (state.total === null && state.error === null) ? 'loading' : state.total === null ? 'error' : 'ready';
  return {
    status,
    total: current ? state.total : null,
    error: current ? state.error : null,
    refreshError: current ? state.refreshError : null,
    subscribe,
    getVersion,
    rowAt,
    indexOf,
    show,
    refresh: markStale,
  };
}
