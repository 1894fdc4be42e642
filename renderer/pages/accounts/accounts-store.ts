// The current workspace's accounts and the networks Postdesk can connect, shared by the Accounts
// page, Settings and the shell's reconnect banner. Live without polling: `accounts.changed`
// (connect, disconnect, a refused sign-in found by the scheduler) and a reconnected event stream
// trigger one debounced refetch, however many components are listening.
import { useEffect } from 'react';
import { create } from 'zustand';
import { call, onCatchUp, onEvent } from '../../api/client';
import type { AccountView, PlatformInfo } from './account-labels';

type Status = 'idle' | 'loading' | 'ready' | 'error';

interface AccountsState {
  /** Whose accounts `items` are. */
  workspaceId: string | null;
  status: Status;
  items: AccountView[];
  error: unknown;
  /** A background refresh failed: what is shown may be out of date. */
  refreshError: unknown;
  platforms: PlatformInfo[] | null;
  platformsError: unknown;
  load(workspaceId: string): Promise<void>;
  loadPlatforms(): Promise<void>;
  /** Put an account the API just returned in place (before the event's refetch lands). */
  upsert(account: AccountView): void;
  drop(accountId: string): void;
}

let generation = 0;
let platformsGeneration = 0;

export const useAccountsStore = create<AccountsState>()((set, get) => ({
  workspaceId: null,
  status: 'idle',
  items: [],
  error: null,
  refreshError: null,
  platforms: null,
  platformsError: null,

  async load(workspaceId) {
    const g = ++generation;
    const same = get().workspaceId === workspaceId && get().status === 'ready';
    // Another workspace's accounts must never show under this one's name.
    if (!same) set({ workspaceId, status: 'loading', items: [], error: null, refreshError: null });
    try {
      const items = await call('accounts.list', { workspaceId });
      if (g !== generation) return;
      set({ workspaceId, status: 'ready', items, error: null, refreshError: null });
    } catch (error) {
      if (g !== generation) return;
      if (same) set({ refreshError: error });
      else set({ status: 'error', error });
    }
  },

  async loadPlatforms() {
    const g = ++platformsGeneration;
    try {
      const platforms = await call('accounts.platforms', {});
      if (g === platformsGeneration) set({ platforms, platformsError: null });
    } catch (error) {
      if (g === platformsGeneration) set({ platformsError: error });
    }
  },

  upsert(account) {
    if (account.workspaceId !== get().workspaceId) return;
    set((s) => {
      const at = s.items.findIndex((a) => a.id === account.id);
      if (at === -1) return { items: [...s.items, account] };
      const items = [...s.items];
      items[at] = account;
      return { items };
    });
  },

  drop(accountId) {
    set((s) => ({ items: s.items.filter((a) => a.id !== accountId) }));
  },
}));

const DEBOUNCE_MS = 150;
let listeners = 0;
let stopLive: (() => void) | null = null;

function startLive(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refetch = (alsoPlatforms: boolean) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const { workspaceId, load, loadPlatforms } = useAccountsStore.getState();
      if (workspaceId) void load(workspaceId);
      // A saved developer app changes whether a network is ready to connect.
      if (alsoPlatforms) void loadPlatforms();
    }, DEBOUNCE_MS);
  };
  const offs = [
    onEvent('accounts.changed', (p) => {
      if (p.workspaceId === useAccountsStore.getState().workspaceId) refetch(false);
    }),
    // Events lost while the stream was down, or other devices' changes brought by sync.
    onCatchUp(() => refetch(true)),
  ];
  return () => {
    clearTimeout(timer);
    offs.forEach((off) => off());
  };
}

/**
 * Keep the store on this workspace's accounts and live. `fresh`: refetch on mount even when the
 * list is already loaded (the page does; the banner trusts what is there).
 */
export function useAccounts(workspaceId: string | null, fresh = false): AccountsState {
  const state = useAccountsStore();

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
    if (!workspaceId) return;
    const s = useAccountsStore.getState();
    if (fresh || s.workspaceId !== workspaceId || s.status === 'idle' || s.status === 'error') void s.load(workspaceId);
    if (fresh || (s.platforms === null && s.platformsError === null)) void s.loadPlatforms();
  }, [workspaceId, fresh]);

  return state;
}
