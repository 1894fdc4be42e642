// Rows -> views for conversations and messages, shared by the list, the thread, the CRM history
// and the reply path, so a conversation reads the same everywhere it appears.
import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { accounts } from '../../../db/schema/accounts';
import { type conversationMessages, conversations, supportEscalations } from '../../../db/schema/inbox';
import { THREAD_KINDS, type ConversationSummary, type MessageView, type ThreadKind } from './views';

/** Not found, or not allowed in this state; the API maps `code` to its error codes. */
export class InboxError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'InboxError';
  }
}

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof conversationMessages.$inferSelect;

export function threadKindOf(metadata: Record<string, unknown>): ThreadKind {
  const k = metadata['kind'];
  return (THREAD_KINDS as readonly unknown[]).includes(k) ? (k as ThreadKind) : 'dm';
}

/** Summaries for rows already read, in the same order; two small lookups, never one per row. */
export function summarize(db: Database, rows: readonly ConversationRow[]): ConversationSummary[] {
  if (rows.length === 0) return [];
  const accountIds = [...new Set(rows.map((r) => r.accountId))];
  const accountRows = db.orm
    .select({ id: accounts.id, platform: accounts.platform, username: accounts.username, displayName: accounts.displayName })
    .from(accounts)
    .where(inArray(accounts.id, accountIds))
    .all();
  const byAccount = new Map(accountRows.map((a) => [a.id, a]));
  const ids = rows.map((r) => r.id);
  const escalated = new Set(
    db.orm
      .selectDistinct({ id: supportEscalations.conversationId })
      .from(supportEscalations)
      .where(sql`${inArray(supportEscalations.conversationId, ids)} AND ${supportEscalations.resolvedAt} IS NULL`)
      .all()
      .map((r) => r.id),
  );
  return rows.map((r) => {
    const a = byAccount.get(r.accountId);
    return {
      id: r.id,
      workspaceId: r.workspaceId,
      accountId: r.accountId,
      platform: a?.platform ?? 'bluesky',
      accountLabel: a?.username ?? a?.displayName ?? 'account',
      kind: threadKindOf(r.metadata),
      customerId: r.customerId,
      customerName: r.customerName,
      customerIdentifier: r.customerIdentifier,
      customerAvatarUrl: r.customerAvatarUrl,
      status: r.status,
      priority: r.priority,
      tags: r.tags,
      triage: r.triage,
      aiMode: r.aiMode,
      unreadCount: r.unreadCount,
      lastMessageAt: r.lastMessageAt,
      lastMessagePreview: r.lastMessagePreview,
      snoozedUntil: r.snoozedUntil,
      escalated: escalated.has(r.id),
    };
  });
}

export function conversationSummary(db: Database, conversationId: string): ConversationSummary {
  const row = db.orm.select().from(conversations).where(sql`${conversations.id} = ${conversationId} AND ${conversations.deletedAt} IS NULL`).get();
  if (!row) throw new InboxError('not_found', 'That conversation no longer exists.');
  const [summary] = summarize(db, [row]);
  if (!summary) throw new InboxError('not_found', 'That conversation no longer exists.');
  return summary;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function toMessageView(r: MessageRow): MessageView {
  const automatic = r.metadata['automatic'];
  return {
    id: r.id,
    conversationId: r.conversationId,
    direction: r.direction,
    content: r.content,
    senderId: r.senderId,
    senderName: r.senderName,
    senderAvatarUrl: r.senderAvatarUrl,
    isFromAgent: r.isFromAgent,
    isPrivateNote: r.isPrivateNote,
    status: r.status,
    sentAt: r.sentAt,
    externalMessageId: r.externalMessageId,
    replyToMessageId: r.replyToMessageId,
    url: str(r.metadata['url']),
    error: str(r.metadata['error']),
    automatic: automatic === 'followup' || automatic === 'ai' ? automatic : null,
  };
}

/** The list's one-line preview: whitespace folded, cut at a grapheme-safe length. */
export function previewOf(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let out = '';
  for (const { segment } of seg.segment(flat)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out}…`;
}
