// Search as you type: inbox.search 150 ms after the last key, and only the latest request's answer
// is shown (an older, slower answer never replaces a newer one). The engine turns the text into
// its own query syntax; what the user typed never reaches FTS as syntax.
import { useEffect, useRef, useState } from 'react';
import { call } from '../../api/client';
import type { SearchHit } from './inbox-types';

export const SEARCH_DEBOUNCE_MS = 150;

export type SearchState =
  | { status: 'idle' }
  | { status: 'searching'; query: string; hits: SearchHit[] | null }
  | { status: 'ready'; query: string; hits: SearchHit[]; ms: number }
  | { status: 'error'; query: string; error: unknown };

export function useInboxSearch(workspaceId: string | null, text: string): SearchState {
  const [state, setState] = useState<SearchState>({ status: 'idle' });
  const latest = useRef(0);
  const query = text.trim();

  useEffect(() => {
    const id = ++latest.current;
    if (!workspaceId || query === '') {
      setState({ status: 'idle' });
      return;
    }
    // The last hits stay on screen (dimmed) while the next search runs: no flicker per key.
    setState((s) => ({ status: 'searching', query, hits: s.status === 'ready' ? s.hits : s.status === 'searching' ? s.hits : null }));
    const timer = setTimeout(() => {
      const t0 = performance.now();
      call('inbox.search', { workspaceId, query, limit: 50 }).then(
        (hits) => {
          if (id === latest.current) setState({ status: 'ready', query, hits, ms: performance.now() - t0 });
        },
        (error: unknown) => {
          if (id === latest.current) setState({ status: 'error', query, error });
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [workspaceId, query]);

  return state;
}
