// The inbox's place in the URL: the tab and filters (inbox-filters.ts) and the open thread
// (`open=<id>`), so a reload or a copied link lands on the same list and conversation.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { FILTER_KEYS, parseFilters, writeFilters, type InboxFilters } from './inbox-filters';

const ID_RE = /^[0-9A-Za-z_-]{1,64}$/;

function filterKey(params: URLSearchParams): string {
  return new URLSearchParams(FILTER_KEYS.flatMap((k) => (params.has(k) ? [[k, params.get(k) ?? '']] : []))).toString();
}

export function useInboxUrl(): { filters: InboxFilters; filtersKey: string; setFilters(f: InboxFilters): void; openId: string | null; setOpenId(id: string | null): void } {
  const [params, setParams] = useSearchParams();
  const key = filterKey(params);
  const fromUrl = useMemo(() => parseFilters(new URLSearchParams(key)), [key]);
  // The router applies a navigation in a transition; until it lands the controls show what was
  // just chosen, so a ticked box never flicks back for a frame.
  const [pending, setPending] = useState<{ key: string; filters: InboxFilters } | null>(null);
  useEffect(() => setPending(null), [key]);
  const filters = pending !== null && pending.key !== key ? pending.filters : fromUrl;
  const rawOpen = params.get('open');
  const openId = rawOpen !== null && ID_RE.test(rawOpen) ? rawOpen : null;

  const setFilters = useCallback(
    (f: InboxFilters) => {
      const next = writeFilters(f, params);
      const nextKey = filterKey(next);
      if (nextKey === filterKey(params)) return;
      setPending({ key: nextKey, filters: f });
      setParams(next, { replace: true });
    },
    [params, setParams],
  );

  const setOpenId = useCallback(
    (id: string | null) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (id) next.set('open', id);
          else next.delete('open');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  return { filters, filtersKey: key, setFilters, openId, setOpenId };
}
