// What the user does to threads from the list or the thread: read state, status, snooze,
// priority, tags, AI mode and private notes. Bulk actions take up to the API's 500 ids and give
// back the changed summaries in the order asked, so the list can update those rows in place;
// every change is announced as inbox.changed for other windows and the tab counts.
import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { conversationMessages, conversations } from '../../../db/schema/inbox';
import type { ApiContext } from '../context';
import { resolveEscalations } from './escalations';
import { inList, wakeIfDue } from './list';
import { InboxError, summarize, toMessageView } from './summary';
import type { AiMode, ConversationPriority, ConversationStatus, ConversationSummary, MessageView } from './views';

type Ctx = Pick<ApiContext, 'db' | 'events'>;
type Tx = Parameters<Parameters<Database['orm']['transaction']>[0]>[0];
type Changes = Partial<typeof conversations.$inferInsert>;

/** The live conversations asked for, or not_found naming how many are gone. */
function liveRows(tx: Tx, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  const rows = tx
    .select({ id: conversations.id, workspaceId: conversations.workspaceId, status: conversations.status })
    .from(conversations)
    .where(and(inArray(conversations.id, unique), isNull(conversations.deletedAt)))
    .all();
  if (rows.length < unique.length) {
    const missing = unique.length - rows.length;
    throw new InboxError(
      'not_found',
      unique.length === 1 ? 'That conversation no longer exists.' : `${missing} of these conversations no longer exist; nothing was changed. Refresh the list and try again.`,
    );
  }
  return rows;
}

/** Change the rows in one transaction, then tell each workspace which of its threads changed. */
function change(ctx: Ctx, ids: readonly string[], now: number, apply: (tx: Tx, rows: ReturnType<typeof liveRows>) => void): ConversationSummary[] {
  const { db } = ctx;
  const unique = [...new Set(ids)];
  const rows = db.orm.transaction((tx) => {
    const found = liveRows(tx, unique);
    apply(tx, found);
    return found;
  });
  // In the order asked, as the summaries come back.
  const order = new Map(unique.map((id, i) => [id, i]));
  announce(ctx, [...rows].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)));
  return summariesOf(db, unique, now);
}

function announce(ctx: Ctx, rows: readonly { id: string; workspaceId: string }[]): void {
  const byWorkspace = new Map<string, string[]>();
  for (const r of rows) byWorkspace.set(r.workspaceId, [...(byWorkspace.get(r.workspaceId) ?? []), r.id]);
  for (const [workspaceId, conversationIds] of byWorkspace) ctx.events.emit('inbox.changed', { workspaceId, conversationIds });
}

function summariesOf(db: Database, ids: readonly string[], now: number): ConversationSummary[] {
  const rows = db.orm.select().from(conversations).where(inList(conversations.id, ids)).all();
  const byId = new Map(summarize(db, rows).map((s) => [s.id, s]));
  return ids.map((id) => byId.get(id)).filter((s) => s !== undefined).map((s) => wakeIfDue(s, now));
}

function setAll(tx: Tx, ids: readonly string[], set: Changes): void {
  tx.update(conversations).set(set).where(inArray(conversations.id, [...ids])).run();
}

export function markRead(ctx: Ctx, ids: readonly string[], now = Date.now()): ConversationSummary[] {
  return change(ctx, ids, now, (tx, rows) => setAll(tx, rows.map((r) => r.id), { unreadCount: 0, updatedAt: now }));
}

/** Unread again: a thread already counting unread messages keeps its count; a read one shows 1. */
export function markUnread(ctx: Ctx, ids: readonly string[], now = Date.now()): ConversationSummary[] {
  return change(ctx, ids, now, (tx, rows) =>
    tx
      .update(conversations)
      .set({ unreadCount: sql`max(${conversations.unreadCount}, 1)`, updatedAt: now })
      .where(inArray(conversations.id, rows.map((r) => r.id)))
      .run(),
  );
}

/** Closing ends a snooze and resolves the thread's open escalations: someone dealt with it. */
export function setStatus(ctx: Ctx, ids: readonly string[], status: ConversationStatus, now = Date.now()): ConversationSummary[] {
  return change(ctx, ids, now, (tx, rows) => {
    const rowIds = rows.map((r) => r.id);
    setAll(tx, rowIds, status === 'closed' ? { status, snoozedUntil: null, updatedAt: now } : { status, updatedAt: now });
    if (status === 'closed') resolveEscalations(tx, rowIds, now);
  });
}

/**
 * Hide threads until a time; null wakes them now. A closed thread snoozed comes back as open: it
 * is snoozed to be dealt with later, and the Snoozed tab holds only open and pending threads.
 */
export function snooze(ctx: Ctx, ids: readonly string[], until: number | null, now = Date.now()): ConversationSummary[] {
  if (until !== null && until <= now) throw new InboxError('invalid', 'Pick a time in the future to snooze until.');
  return change(ctx, ids, now, (tx, rows) => {
    if (until === null) {
      setAll(tx, rows.map((r) => r.id), { snoozedUntil: null, updatedAt: now });
      return;
    }
    const closed = rows.filter((r) => r.status === 'closed').map((r) => r.id);
    const others = rows.filter((r) => r.status !== 'closed').map((r) => r.id);
    if (closed.length > 0) setAll(tx, closed, { status: 'open', snoozedUntil: until, updatedAt: now });
    if (others.length > 0) setAll(tx, others, { snoozedUntil: until, updatedAt: now });
  });
}

export function setPriority(ctx: Ctx, ids: readonly string[], priority: ConversationPriority, now = Date.now()): ConversationSummary[] {
  return change(ctx, ids, now, (tx, rows) => setAll(tx, rows.map((r) => r.id), { priority, updatedAt: now }));
}

/** Tags as people type them: trimmed, the first spelling of a tag kept when it repeats in another
 *  case, sorted so the same set always reads (and filters) the same. */
export function normaliseTags(tags: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag === '') continue;
    const key = tag.toLocaleLowerCase();
    if (!byKey.has(key)) byKey.set(key, tag);
  }
  return [...byKey.values()].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0));
}

export function setTags(ctx: Ctx, conversationId: string, tags: readonly string[], now = Date.now()): ConversationSummary {
  const [summary] = change(ctx, [conversationId], now, (tx, rows) => setAll(tx, rows.map((r) => r.id), { tags: normaliseTags(tags), updatedAt: now }));
  if (!summary) throw new InboxError('not_found', 'That conversation no longer exists.');
  return summary;
}

export function setAiMode(ctx: Ctx, conversationId: string, aiMode: AiMode, now = Date.now()): ConversationSummary {
  const [summary] = change(ctx, [conversationId], now, (tx, rows) => setAll(tx, rows.map((r) => r.id), { aiMode, updatedAt: now }));
  if (!summary) throw new InboxError('not_found', 'That conversation no longer exists.');
  return summary;
}

/**
 * A note the user keeps on the thread: stored with the messages (so it sits in the timeline and
 * search finds it) but never sent, and it leaves the list's preview, last activity and unread
 * count as they were: those describe the conversation with the customer.
 */
export function addNote(ctx: Ctx, conversationId: string, text: string, now = Date.now()): MessageView {
  const { db } = ctx;
  const { row, owner } = db.orm.transaction((tx) => {
    const [found] = liveRows(tx, [conversationId]);
    if (!found) throw new InboxError('not_found', 'That conversation no longer exists.');
    const inserted = tx
      .insert(conversationMessages)
      .values({
        workspaceId: found.workspaceId,
        conversationId,
        direction: 'outbound',
        content: text,
        isFromAgent: true,
        isPrivateNote: true,
        status: 'sent',
        sentAt: now,
        metadata: {},
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    return { row: inserted, owner: found };
  });
  announce(ctx, [owner]);
  return toMessageView(row);
}
