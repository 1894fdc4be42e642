// The Posts view's data: the workspace's posts that match the filters, a page at a time, with the
// total from posts.list. Live without polling, like the Jobs view: `posts.changed` (a bulk move,
// a publish finishing, an import) and a reconnected event stream trigger one debounced refetch of
// as many rows as are shown, which stay on screen meanwhile.
import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../../api/client';
import { usePostsChanged } from '../../api/usePostsChanged';
import type { PostView } from '../calendar/post-info';
import type { PostsListQuery } from './posts-filters';

export const PAGE_SIZE = 50;
/** posts.list's largest page. */
const MAX_PAGE = 500;

export interface PostsFeedState {
  status: 'loading' | 'ready' | 'error';
  /** Which query the items belong to (they stay on screen, dimmed, while the next one loads). */
  key: string;
  items: PostView[];
  total: number;
  loadingMore: boolean;
  error: unknown;
  /** A background refresh failed: what is shown may be out of date. */
  refreshError: unknown;
}

export interface PostsFeed extends PostsFeedState {
  wantedKey: string;
  more: boolean;
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
}

const INITIAL: PostsFeedState = { status: 'loading', key: '', items: [], total: 0, loadingMore: false, error: null, refreshError: null };

function dedupe(items: PostView[]): PostView[] {
  const seen = new Set<string>();
  return items.filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true)));
}

/** `count` rows from `offset`, in as few calls as posts.list allows. */
async function fetchRows(query: PostsListQuery, offset: number, count: number): Promise<{ items: PostView[]; total: number }> {
  const items: PostView[] = [];
  let total = 0;
  while (items.length < count) {
    const limit = Math.min(MAX_PAGE, count - items.length);
    const page = await call('posts.list', { ...query, offset: offset + items.length, limit });
    items.push(...page.items);
    total = page.total;
    if (page.items.length < limit || offset + items.length >= total) break;
  }
  return { items, total };
}

export function usePostsFeed(query: PostsListQuery | null): PostsFeed {
  const [state, setState] = useState<PostsFeedState>(INITIAL);
  const wantedKey = query ? JSON.stringify(query) : '';
  const generation = useRef(0);
  const shown = useRef(0);
  const loadingMore = useRef(false);
  const queryRef = useRef(query);
  queryRef.current = query;

  const load = useCallback(
    async (keepCount: boolean) => {
      const q = queryRef.current;
      if (!q) return;
      const g = ++generation.current;
      try {
        const r = await fetchRows(q, 0, keepCount ? Math.max(PAGE_SIZE, shown.current) : PAGE_SIZE);
        if (g !== generation.current) return;
        shown.current = r.items.length;
        loadingMore.current = false;
        setState({ status: 'ready', key: wantedKey, items: dedupe(r.items), total: r.total, loadingMore: false, error: null, refreshError: null });
      } catch (error) {
        if (g !== generation.current) return;
        // A failed background refresh keeps the last good list (and says so); a failed first load is an error.
        setState((s) => (keepCount && s.status === 'ready' && s.key === wantedKey ? { ...s, refreshError: error } : { ...INITIAL, status: 'error', key: wantedKey, error }));
      }
    },
    // The key stands for the query's content; a new object with the same filters does not refetch.
    [wantedKey],
  );
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    shown.current = 0;
    void load(false);
  }, [load]);

  const loadMore = useCallback(async () => {
    const q = queryRef.current;
    if (!q || loadingMore.current) return;
    const g = generation.current;
    loadingMore.current = true;
    setState((s) => ({ ...s, loadingMore: true }));
    try {
      const r = await fetchRows(q, shown.current, PAGE_SIZE);
      if (g !== generation.current) return;
      shown.current += r.items.length;
      setState((s) => ({ ...s, items: dedupe([...s.items, ...r.items]), total: r.total, loadingMore: false, refreshError: null }));
    } catch (error) {
      if (g !== generation.current) return;
      setState((s) => ({ ...s, loadingMore: false, refreshError: error }));
    } finally {
      if (g === generation.current) loadingMore.current = false;
    }
  }, []);

  const workspaceId = query?.workspaceId ?? null;
  usePostsChanged(workspaceId, () => void loadRef.current(true));

  const refresh = useCallback(() => loadRef.current(true), []);
  const more = state.status === 'ready' && state.key === wantedKey && state.items.length < state.total;
  return { ...state, wantedKey, more, refresh, loadMore };
}
