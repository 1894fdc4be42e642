// The workspace's AI settings (ai.settings), shared by Settings → AI, which edits them, and
// Settings → Inbox, which says whether AI triage has an endpoint to use. One copy, so a save in
// one section is what the other shows.
import { useEffect } from 'react';
import { create } from 'zustand';
import { call } from '../../api/client';
import type { AiSettings } from './ai-settings';

interface AiSettingsState {
  workspaceId: string | null;
  settings: AiSettings | null;
  error: unknown;
  load(workspaceId: string): Promise<void>;
  /** What an ai.* call just returned. */
  set(settings: AiSettings): void;
}

let generation = 0;
/** Both sections mount together: one request for both. */
let inflight: { workspaceId: string; generation: number; promise: Promise<void> } | null = null;

export const useAiSettingsStore = create<AiSettingsState>()((set, get) => ({
  workspaceId: null,
  settings: null,
  error: null,
  load(workspaceId) {
    if (inflight && inflight.workspaceId === workspaceId && inflight.generation === generation) return inflight.promise;
    const g = ++generation;
    // Another workspace's values must never show, not even while this one loads.
    if (get().workspaceId !== workspaceId) set({ workspaceId, settings: null, error: null });
    const promise = call('ai.settings', { workspaceId }).then(
      (settings) => {
        if (g === generation) set({ workspaceId, settings, error: null });
      },
      (error: unknown) => {
        if (g === generation) set({ workspaceId, error });
      },
    );
    inflight = {
      workspaceId,
      generation: g,
      promise: promise.finally(() => {
        if (inflight?.generation === g) inflight = null;
      }),
    };
    return inflight.promise;
  },
  set(settings) {
    ++generation;
    set({ workspaceId: settings.workspaceId, settings, error: null });
  },
}));

/** The settings of `workspaceId`, loaded on first use; null while loading (or after an error). */
export function useAiSettings(workspaceId: string | null): { settings: AiSettings | null; error: unknown; reload: () => void } {
  const state = useAiSettingsStore();
  const load = state.load;
  useEffect(() => {
    if (workspaceId) void load(workspaceId);
  }, [workspaceId, load]);
  const mine = state.workspaceId === workspaceId;
  return {
    settings: mine ? state.settings : null,
    error: mine ? state.error : null,
    reload: () => {
      if (workspaceId) void load(workspaceId);
    },
  };
}
