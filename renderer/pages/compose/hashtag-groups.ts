// Saved hashtag groups ("Bakery": #bread #sourdough #realbread) live in the workspace's database
// (posts.hashtagGroups), so they survive a reinstall and sync. Versions before that kept them in
// this window's localStorage: what is there is moved over once (names the workspace already has
// keep their groups) and then cleared — only after the import succeeded, so nothing is lost.
import { useCallback, useEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { call } from '../../api/client';
import { readLocal, writeLocal } from '../../lib/storage';

export type HashtagGroup = ApiOutput<'posts.hashtagGroups'>[number];

/** A group as localStorage kept it. */
export interface LegacyGroup {
  name: string;
  tags: string[];
}

const MAX_LEGACY_GROUPS = 30;
export const legacyKey = (workspaceId: string) => `postdesk.hashtagGroups.${workspaceId}`;

/** What localStorage held, newest first; a damaged entry is dropped, reading never throws. */
export function parseGroups(raw: string | null): LegacyGroup[] {
  if (!raw) return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  return v
    .filter((g): g is LegacyGroup => typeof g === 'object' && g !== null && typeof g.name === 'string' && Array.isArray(g.tags) && g.tags.every((t: unknown) => typeof t === 'string'))
    .map((g) => ({ name: g.name.trim().slice(0, 60), tags: g.tags.filter((t) => /^#[\p{L}\p{N}_]+$/u.test(t)).slice(0, 60) }))
    .filter((g) => g.name !== '' && g.tags.length > 0)
    .slice(0, MAX_LEGACY_GROUPS);
}

export interface LegacyStore {
  read(key: string): string | null;
  write(key: string, value: string | null): void;
  importGroups(workspaceId: string, groups: { name: string; hashtags: string[] }[]): Promise<{ imported: number; skipped: number }>;
}

const browserStore: LegacyStore = {
  read: readLocal,
  write: writeLocal,
  importGroups: (workspaceId, groups) => call('posts.importHashtagGroups', { workspaceId, groups }),
};

/**
 * Move this window's saved groups of a workspace into its database, then forget them here.
 * Resolves null when there was nothing to move; rejects (keeping them here) when the import failed.
 */
export async function moveLegacyGroups(workspaceId: string, store: LegacyStore = browserStore): Promise<{ imported: number; skipped: number } | null> {
  const key = legacyKey(workspaceId);
  const raw = store.read(key);
  if (raw === null) return null;
  const groups = parseGroups(raw);
  const result = groups.length === 0 ? { imported: 0, skipped: 0 } : await store.importGroups(workspaceId, groups.map((g) => ({ name: g.name, hashtags: g.tags })));
  store.write(key, null);
  return result;
}

export interface HashtagGroups {
  status: 'loading' | 'ready' | 'error';
  items: HashtagGroup[];
  error: unknown;
  reload(): void;
  save(name: string, hashtags: readonly string[]): Promise<void>;
  remove(group: HashtagGroup): Promise<void>;
}

export function useHashtagGroups(workspaceId: string): HashtagGroups {
  const [state, setState] = useState<Pick<HashtagGroups, 'status' | 'items' | 'error'>>({ status: 'loading', items: [], error: null });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let live = true;
    (async () => {
      await moveLegacyGroups(workspaceId);
      return call('posts.hashtagGroups', { workspaceId });
    })().then(
      (items) => live && setState({ status: 'ready', items, error: null }),
      (error: unknown) => live && setState((s) => ({ ...s, status: 'error', error })),
    );
    return () => {
      live = false;
    };
  }, [workspaceId, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const save = useCallback(
    async (name: string, hashtags: readonly string[]) => {
      const saved = await call('posts.saveHashtagGroup', { workspaceId, name, hashtags: [...hashtags] });
      // The saved one first (it replaced any of the same name, in any case).
      setState((s) => ({ ...s, items: [saved, ...s.items.filter((g) => g.id !== saved.id && g.name.toLowerCase() !== saved.name.toLowerCase())] }));
    },
    [workspaceId],
  );
  const remove = useCallback(async (group: HashtagGroup) => {
    await call('posts.deleteHashtagGroup', { groupId: group.id });
    setState((s) => ({ ...s, items: s.items.filter((g) => g.id !== group.id) }));
  }, []);
  return { ...state, reload, save, remove };
}
