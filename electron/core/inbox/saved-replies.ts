// Saved replies: canned answers the reply box inserts with "/" (by title or shortcut). Deleting
// one leaves a tombstone for sync (deleted_at); its shortcut is let go at once, so the user can
// give it to another reply (the unique index on (workspace, shortcut) sees tombstones too).
import { and, asc, desc, eq, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { savedReplies } from '../../../db/schema/inbox';
import type { ApiContext } from '../context';
import { normaliseTags } from './actions';
import { InboxError } from './summary';
import type { SavedReplyView } from './views';

type Ctx = Pick<ApiContext, 'db'>;
type Row = typeof savedReplies.$inferSelect;
type Tx = Parameters<Parameters<Database['orm']['transaction']>[0]>[0];

export interface SavedReplyInput {
  workspaceId: string;
  title: string;
  content: string;
  shortcut?: string | null | undefined;
  tags?: string[] | undefined;
}

export interface SavedReplyPatch {
  savedReplyId: string;
  title?: string | undefined;
  content?: string | undefined;
  /** null removes the shortcut; absent leaves it. */
  shortcut?: string | null | undefined;
  tags?: string[] | undefined;
}

function view(r: Row): SavedReplyView {
  return { id: r.id, title: r.title, content: r.content, shortcut: r.shortcut, tags: r.tags, useCount: r.useCount };
}

/** Most used first, so the "/" menu opens on the usual answers; then by title. */
export function listSavedReplies(db: Database, workspaceId: string): SavedReplyView[] {
  const s = savedReplies;
  return db.orm
    .select()
    .from(s)
    .where(and(eq(s.workspaceId, workspaceId), isNull(s.deletedAt)))
    .orderBy(desc(s.useCount), sql`${s.title} COLLATE NOCASE`, asc(s.id))
    .all()
    .map(view);
}

/** "/Hours" and "/hours" are the same to someone typing, so a shortcut is taken in any case. */
function claimShortcut(tx: Tx, workspaceId: string, shortcut: string, exceptId: string | null): void {
  const s = savedReplies;
  const holder = tx
    .select({ id: s.id, title: s.title })
    .from(s)
    .where(and(eq(s.workspaceId, workspaceId), sql`lower(${s.shortcut}) = lower(${shortcut})`, isNull(s.deletedAt), exceptId === null ? undefined : ne(s.id, exceptId)))
    .get();
  if (holder) throw new InboxError('conflict', `The shortcut /${shortcut} already belongs to "${holder.title}". Pick another one, or change that reply's shortcut first.`);
  // A tombstone from another device may still hold it: tombstones need no shortcut.
  tx.update(s)
    .set({ shortcut: null })
    .where(and(eq(s.workspaceId, workspaceId), eq(s.shortcut, shortcut), isNotNull(s.deletedAt)))
    .run();
}

function cleanShortcut(shortcut: string | null | undefined): string | null | undefined {
  if (shortcut === undefined || shortcut === null) return shortcut;
  const trimmed = shortcut.trim().replace(/^\/+/, '');
  return trimmed === '' ? null : trimmed;
}

export function createSavedReply(ctx: Ctx, input: SavedReplyInput, now = Date.now()): SavedReplyView {
  const shortcut = cleanShortcut(input.shortcut) ?? null;
  const row = ctx.db.orm.transaction((tx) => {
    if (shortcut !== null) claimShortcut(tx, input.workspaceId, shortcut, null);
    return tx
      .insert(savedReplies)
      .values({ workspaceId: input.workspaceId, title: input.title.trim(), content: input.content, shortcut, tags: normaliseTags(input.tags ?? []), createdAt: now, updatedAt: now })
      .returning()
      .get();
  });
  return view(row);
}

function liveReply(tx: Tx, id: string): Row {
  const row = tx.select().from(savedReplies).where(and(eq(savedReplies.id, id), isNull(savedReplies.deletedAt))).get();
  if (!row) throw new InboxError('not_found', 'That saved reply no longer exists.');
  return row;
}

export function updateSavedReply(ctx: Ctx, patch: SavedReplyPatch, now = Date.now()): SavedReplyView {
  const shortcut = cleanShortcut(patch.shortcut);
  const row = ctx.db.orm.transaction((tx) => {
    const current = liveReply(tx, patch.savedReplyId);
    if (shortcut !== undefined && shortcut !== null && shortcut !== current.shortcut) claimShortcut(tx, current.workspaceId, shortcut, current.id);
    return tx
      .update(savedReplies)
      .set({
        ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
        ...(patch.content !== undefined ? { content: patch.content } : {}),
        ...(shortcut !== undefined ? { shortcut } : {}),
        ...(patch.tags !== undefined ? { tags: normaliseTags(patch.tags) } : {}),
        updatedAt: now,
      })
      .where(eq(savedReplies.id, current.id))
      .returning()
      .get();
  });
  if (!row) throw new InboxError('not_found', 'That saved reply no longer exists.');
  return view(row);
}

export function deleteSavedReply(ctx: Ctx, savedReplyId: string, now = Date.now()): { id: string; deleted: true } {
  ctx.db.orm.transaction((tx) => {
    liveReply(tx, savedReplyId);
    tx.update(savedReplies).set({ deletedAt: now, updatedAt: now, shortcut: null }).where(eq(savedReplies.id, savedReplyId)).run();
  });
  return { id: savedReplyId, deleted: true };
}
