// Workspaces: the list from the engine and which one this window works in (kept per machine).
import { create } from 'zustand';
import type { ApiInput, ApiOutput } from '../../electron/api';
import { call } from '../api/client';
import { readLocal, writeLocal } from '../lib/storage';

export type Workspace = ApiOutput<'workspaces.list'>[number];
export type NewWorkspaceInput = ApiInput<'workspaces.create'>;
export type WorkspacePatch = ApiInput<'workspaces.update'>['patch'];

export const CURRENT_WORKSPACE_KEY = 'postdesk.workspace';

type LoadState = { status: 'idle' | 'loading' } | { status: 'ready' } | { status: 'error'; error: unknown };

interface WorkspacesState {
  list: Workspace[];
  currentId: string | null;
  load: LoadState;
  /** Fetch the list; keeps the current id if it still exists, else the first workspace. */
  refresh(): Promise<void>;
  switchTo(id: string): void;
  create(input: NewWorkspaceInput): Promise<Workspace>;
  update(id: string, patch: WorkspacePatch): Promise<Workspace>;
}

function pickCurrent(list: Workspace[], wanted: string | null): string | null {
  if (wanted && list.some((w) => w.id === wanted)) return wanted;
  return list[0]?.id ?? null;
}

export const useWorkspaces = create<WorkspacesState>()((set, get) => ({
  list: [],
  currentId: readLocal(CURRENT_WORKSPACE_KEY),
  load: { status: 'idle' },

  async refresh() {
    if (get().load.status !== 'ready') set({ load: { status: 'loading' } });
    try {
      const list = await call('workspaces.list', {});
      const currentId = pickCurrent(list, get().currentId);
      writeLocal(CURRENT_WORKSPACE_KEY, currentId);
      set({ list, currentId, load: { status: 'ready' } });
    } catch (error) {
      // Keep showing what we had if a later refresh fails; only a first load fails the shell.
      if (get().load.status !== 'ready') set({ load: { status: 'error', error } });
      throw error;
    }
  },

  switchTo(id) {
    if (!get().list.some((w) => w.id === id)) return;
    writeLocal(CURRENT_WORKSPACE_KEY, id);
    set({ currentId: id });
  },

  async create(input) {
    const ws = await call('workspaces.create', input);
    writeLocal(CURRENT_WORKSPACE_KEY, ws.id);
    set((s) => ({ list: [...s.list.filter((w) => w.id !== ws.id), ws], currentId: ws.id, load: { status: 'ready' } }));
    return ws;
  },

  async update(id, patch) {
    const ws = await call('workspaces.update', { workspaceId: id, patch });
    set((s) => ({ list: s.list.map((w) => (w.id === ws.id ? ws : w)) }));
    return ws;
  },
}));

export function useCurrentWorkspace(): Workspace | null {
  return useWorkspaces((s) => s.list.find((w) => w.id === s.currentId) ?? null);
}
