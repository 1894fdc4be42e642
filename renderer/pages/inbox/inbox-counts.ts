// The inbox's counts — per tab, unread (the sidebar's badge) and open escalations — shared by the
// sidebar and the page. Live without polling: 'inbox.changed', 'inbox.escalated' and a reconnected
// event stream trigger one debounced refetch, however many components are listening.
import { useEffect } from 'react';
import { create } from 'zustand';
import { call, onCatchUp, onEvent } from '../../api/client';
import type { Counts } from './inbox-types';

interface CountsState {
  /** Whose counts these are: another workspace's must never show under this one. */
  workspaceId: string | null;
  counts: Counts | null;
  error: unknown;
  load(workspaceId: string): Promise<void>;
}

let generation = 0;

export const useInboxCountsStore = create<CountsState>()((set, get) => ({
  workspaceId: null,
  counts: null,
  error: null,
  async load(workspaceId) {
    const g = ++generation;
    if (get().workspaceId !== workspaceId) set({ workspaceId, counts: null, error: null });
    try {
      const counts = await call('inbox.counts', { workspaceId });
      if (g === generation) set({ workspaceId, counts, error: null });
    } catch (error) {
      // The badge keeps its last number: a missing badge would read as "nothing new".
      if (g === generation) set({ error });
    }
  },
}));

const DEBOUNCE_MS = 250;
let listeners = 0;
let stopLive: (() => void) | null = null;

function startLive(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refetch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const { workspaceId, load } = useInboxCountsStore.getState();
      if (workspaceId) void load(workspaceId);
    }, DEBOUNCE_MS);
  };
  const mine = (p: { workspaceId: string }) => p.workspaceId === useInboxCountsStore.getState().workspaceId;
  const offs = [
    onEvent('inbox.changed', (p) => mine(p) && refetch()),
    onEvent('inbox.escalated', (p) => mine(p) && refetch()),
    onCatchUp(refetch),
  ];
  return () => {
    clearTimeout(timer);
    offs.forEach((off) => off());
  };
}

/** The counts for this workspace, kept live while any component uses them. */
export function useInboxCounts(workspaceId: string | null): { counts: Counts | null; error: unknown; reload(): void } {
  const state = useInboxCountsStore();

  useEffect(() => {
    listeners += 1;
    if (listeners === 1) stopLive = startLive();
    return () => {
      listeners -= 1;
      if (listeners === 0) {
        stopLive?.();
        stopLive = null;
      }
    };
  }, []);

  useEffect(() => {
    if (workspaceId) void useInboxCountsStore.getState().load(workspaceId);
  }, [workspaceId]);

  const mine = state.workspaceId === workspaceId;
  return {
    counts: mine ? state.counts : null,
    error: mine ? state.error : null,
    reload: () => {
      if (workspaceId) void useInboxCountsStore.getState().load(workspaceId);
    },
  };
}

/** "99+" past 99: a badge is a nudge, not a report. */
export function badgeText(n: number): string {
  return n > 99 ? '99+' : String(n);
}
