// Saved replies for the reply box's "/" menu: loaded once per workspace when first wanted, read
// again after one is created, changed or deleted. Filtering is the app's fuzzy match over the
// shortcut, title and text, most used first when nothing is typed.
import { useCallback, useEffect, useState } from 'react';
import { call } from '../../api/client';
import { fuzzyFilter } from '../../lib/fuzzy';
import type { SavedReply } from './inbox-types';

export type SavedState = { status: 'idle' | 'loading' } | { status: 'ready'; items: SavedReply[] } | { status: 'error'; error: unknown };

export function useSavedReplies(workspaceId: string | null, wanted: boolean): { state: SavedState; reload(): Promise<void> } {
  const [state, setState] = useState<SavedState & { workspaceId?: string }>({ status: 'idle' });
  const mine = state.workspaceId === workspaceId;

  const reload = useCallback(async () => {
    if (!workspaceId) return;
    setState((s) => (s.workspaceId === workspaceId && s.status === 'ready' ? s : { status: 'loading', workspaceId }));
    try {
      const items = await call('inbox.savedReplies', { workspaceId });
      setState({ status: 'ready', items, workspaceId });
    } catch (error) {
      setState({ status: 'error', error, workspaceId });
    }
  }, [workspaceId]);

  useEffect(() => {
    if (wanted && workspaceId && (!mine || state.status === 'idle')) void reload();
  }, [wanted, workspaceId, mine, state.status, reload]);

  return { state: mine ? state : { status: 'idle' }, reload };
}

/** What follows the "/" that opened the menu, up to the end of the first line. */
export function slashQuery(text: string): string | null {
  if (!text.startsWith('/')) return null;
  const nl = text.indexOf('\n');
  return (nl === -1 ? text.slice(1) : text.slice(1, nl)).trim();
}

export function filterSaved(items: readonly SavedReply[], query: string, max = 8): SavedReply[] {
  return fuzzyFilter(items, query, (r) => `${r.shortcut ?? ''} ${r.title} ${r.content.slice(0, 500)}`)
    .slice(0, max)
    .map((m) => m.item);
}
