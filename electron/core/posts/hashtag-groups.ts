// Saved hashtag groups ("Bakery": #bread #sourdough #realbread), per workspace in the database so
// they survive a reinstall and sync. A group saved under a name that exists in any case replaces
// it; deleting keeps a tombstone for sync, and saving that name again takes the row back. Groups a
// renderer still kept in its localStorage (before this table was used) are imported once, without
// overwriting what the database already has.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { hashtagGroups } from '../../../db/schema/posts';
import { PostError } from './posts';

export const MAX_HASHTAG_GROUPS = 50;

export interface HashtagGroupView {
  id: string;
  name: string;
  hashtags: string[];
  updatedAt: number;
}

type Row = typeof hashtagGroups.$inferSelect;

const view = (r: Row): HashtagGroupView => ({ id: r.id, name: r.name, hashtags: r.hashtags, updatedAt: r.updatedAt });

/** "#Bread" and "bread" are one tag: the first spelling is kept, with its #. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.startsWith('#') ? raw : `#${raw}`;
    if (seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

/** Newest first, as the composer offers them. */
export function listHashtagGroups(db: Database, workspaceId: string): HashtagGroupView[] {
  return db.orm
    .select()
    .from(hashtagGroups)
    .where(and(eq(hashtagGroups.workspaceId, workspaceId), isNull(hashtagGroups.deletedAt)))
    .orderBy(desc(hashtagGroups.updatedAt), desc(hashtagGroups.id))
    .all()
    .map(view);
}

function byName(db: Database, workspaceId: string, name: string): Row | undefined {
  return db.orm
    .select()
    .from(hashtagGroups)
    .where(and(eq(hashtagGroups.workspaceId, workspaceId), sql`lower(${hashtagGroups.name}) = lower(${name})`))
    .get();
}

function liveCount(db: Database, workspaceId: string): number {
  return db.orm.select({ n: sql<number>`count(*)` }).from(hashtagGroups).where(and(eq(hashtagGroups.workspaceId, workspaceId), isNull(hashtagGroups.deletedAt))).get()?.n ?? 0;
}

/** Write one group inside the caller's transaction; `replace` false keeps a live group of that name as it is. */
function put(db: Database, workspaceId: string, group: { name: string; hashtags: readonly string[] }, replace: boolean, now: number): Row | null {
  const name = group.name.trim();
  const hashtags = normaliseTags(group.hashtags);
  const same = byName(db, workspaceId, name);
  if (same && same.deletedAt === null && !replace) return null;
  if (!(same && same.deletedAt === null) && liveCount(db, workspaceId) >= MAX_HASHTAG_GROUPS) {
    throw new PostError('conflict', `A workspace keeps at most ${MAX_HASHTAG_GROUPS} hashtag groups; delete one you no longer use first.`);
  }
  if (same) {
    db.orm.update(hashtagGroups).set({ name, hashtags, deletedAt: null, updatedAt: now }).where(eq(hashtagGroups.id, same.id)).run();
    return { ...same, name, hashtags, deletedAt: null, updatedAt: now };
  }
  return db.orm.insert(hashtagGroups).values({ workspaceId, name, hashtags, createdAt: now, updatedAt: now }).returning().get();
}

/** Save a group (replacing one of the same name, any case). */
export function saveHashtagGroup(db: Database, workspaceId: string, group: { name: string; hashtags: readonly string[] }, now = Date.now()): HashtagGroupView {
  return view(db.orm.transaction(() => put(db, workspaceId, group, true, now)!));
}

export function deleteHashtagGroup(db: Database, groupId: string, now = Date.now()): void {
  const row = db.orm.select().from(hashtagGroups).where(and(eq(hashtagGroups.id, groupId), isNull(hashtagGroups.deletedAt))).get();
  if (!row) throw new PostError('not_found', 'That hashtag group no longer exists; it may have been deleted in another window.');
  db.orm.update(hashtagGroups).set({ deletedAt: now, updatedAt: now }).where(eq(hashtagGroups.id, groupId)).run();
}

/**
 * The groups a renderer kept in localStorage, imported once, in one transaction. A name the
 * workspace already has (from another device, or an earlier import) keeps the database's version;
 * past the workspace's limit the rest are skipped. Given newest first (as they were kept), so the
 * newest is newest here too.
 */
export function importHashtagGroups(db: Database, workspaceId: string, groups: readonly { name: string; hashtags: readonly string[] }[], now = Date.now()): { imported: number; skipped: number } {
  return db.orm.transaction(() => {
    const room = MAX_HASHTAG_GROUPS - liveCount(db, workspaceId);
    const seen = new Set<string>();
    const fresh: { name: string; hashtags: readonly string[] }[] = [];
    // Newest first: when there is room for only some, the newest come in.
    for (const g of groups) {
      const key = g.name.trim().toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const same = byName(db, workspaceId, g.name.trim());
      if (same && same.deletedAt === null) continue;
      if (fresh.length < room) fresh.push(g);
    }
    // Written oldest first, a millisecond apart, so "newest first" keeps their order.
    fresh.reverse().forEach((g, i) => put(db, workspaceId, g, false, now - fresh.length + i + 1));
    return { imported: fresh.length, skipped: groups.length - fresh.length };
  });
}
