// Which of the Queue's two views is shown — the scheduler's Jobs or the workspace's Posts — and the
// Posts view's filters, both in the query of the URL's hash (`#/queue?view=posts&status=failed`),
// so a reload, the Back button and a copied link all land on the same list.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { FILTER_KEYS, parseFilters, writeFilters, type PostsFilters } from './posts-filters';

export type QueueView = 'jobs' | 'posts';

/** The Posts filters last used in this window, so Jobs → Posts comes back to the same list. */
let lastPostsQuery = '';

export function useQueueViewParam(): { view: QueueView; setView(view: QueueView): void } {
  const [params, setParams] = useSearchParams();
  const view: QueueView = params.get('view') === 'posts' ? 'posts' : 'jobs';
  const setView = useCallback(
    (next: QueueView) => {
      if (next === 'posts') {
        const q = new URLSearchParams(lastPostsQuery);
        q.set('view', 'posts');
        setParams(q);
      } else {
        // The Jobs view keeps its own tab and scope on this machine; its URL stays plain.
        setParams(new URLSearchParams());
      }
    },
    [setParams],
  );
  return { view, setView };
}

/** The filters' part of a query, in a stable order, to compare two queries by. */
function filterKey(params: URLSearchParams): string {
  return new URLSearchParams(FILTER_KEYS.flatMap((k) => (params.has(k) ? [[k, params.get(k) ?? '']] : []))).toString();
}

export function usePostsFilters(): { filters: PostsFilters; setFilters(f: PostsFilters): void } {
  const [params, setParams] = useSearchParams();
  const key = filterKey(params);
  // Parsed again only when the filters' part of the query changes, not on every render.
  const fromUrl = useMemo(() => parseFilters(new URLSearchParams(key)), [key]);
  // The router applies a navigation in a transition; until it lands, the controls show what was
  // just chosen (a ticked box must not flick back for a frame). Once it lands, the URL is the truth
  // again — also for Back and Forward.
  const [pending, setPending] = useState<{ key: string; filters: PostsFilters } | null>(null);
  useEffect(() => setPending(null), [key]);
  const filters = pending !== null && pending.key !== key ? pending.filters : fromUrl;
  lastPostsQuery = writeFilters(filters).toString();
  const setFilters = useCallback(
    (f: PostsFilters) => {
      const next = writeFilters(f, params);
      const nextKey = filterKey(next);
      if (nextKey === filterKey(params)) return;
      setPending({ key: nextKey, filters: f });
      setParams(next, { replace: true });
    },
    [params, setParams],
  );
  return { filters, setFilters };
}
