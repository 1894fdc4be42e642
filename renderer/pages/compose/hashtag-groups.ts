// Saved hashtag groups ("Bakery": #bread #sourdough #realbread), kept per workspace on this
// machine until the engine has a place for them. Reading never throws: a damaged entry is dropped.
import { readLocal, writeLocal } from '../../lib/storage';

export interface HashtagGroup {
  name: string;
  tags: string[];
}

export const MAX_GROUPS = 30;
const key = (workspaceId: string) => `postdesk.hashtagGroups.${workspaceId}`;

export function parseGroups(raw: string | null): HashtagGroup[] {
  if (!raw) return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  return v
    .filter((g): g is HashtagGroup => typeof g === 'object' && g !== null && typeof g.name === 'string' && Array.isArray(g.tags) && g.tags.every((t: unknown) => typeof t === 'string'))
    .map((g) => ({ name: g.name.trim().slice(0, 60), tags: g.tags.filter((t) => /^#[\p{L}\p{N}_]+$/u.test(t)) }))
    .filter((g) => g.name !== '' && g.tags.length > 0)
    .slice(0, MAX_GROUPS);
}

/** Add or replace (same name, any case) a group; the newest first. */
export function saveGroup(groups: readonly HashtagGroup[], group: HashtagGroup): HashtagGroup[] {
  const name = group.name.trim();
  if (name === '' || group.tags.length === 0) return [...groups];
  return [{ name, tags: [...group.tags] }, ...groups.filter((g) => g.name.toLowerCase() !== name.toLowerCase())].slice(0, MAX_GROUPS);
}

export function removeGroup(groups: readonly HashtagGroup[], name: string): HashtagGroup[] {
  return groups.filter((g) => g.name !== name);
}

export function loadGroups(workspaceId: string): HashtagGroup[] {
  return parseGroups(readLocal(key(workspaceId)));
}

export function storeGroups(workspaceId: string, groups: readonly HashtagGroup[]): void {
  writeLocal(key(workspaceId), groups.length === 0 ? null : JSON.stringify(groups));
}
