// Search across every message of the workspace (private notes too): words, "quoted phrases", and
// the last word as a prefix while it is being typed. User text only reaches FTS5 through
// db/search.ts, which turns it into quoted literals. One hit per conversation: its best message.
import { and, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { conversationMessages, conversations } from '../../../db/schema/inbox';
import { searchText, snippetParts } from '../../../db/search';
import { inList, wakeIfDue } from './list';
import { summarize } from './summary';
import type { SearchHit } from './views';

export interface SearchInput {
  workspaceId: string;
  query: string;
  limit: number;
}

/** searchText's own ceiling on matching messages per query. */
const MAX_MESSAGE_HITS = 200;
/** Messages read per conversation asked for: a conversation often matches in several messages. */
const MESSAGES_PER_CONVERSATION = 4;

/**
 * Conversations in the order of their best message: by bm25 rank, or newest first when a word is
 * so common that ranking would cost more than it tells (db/search.ts decides; in an inbox the
 * recent matches are the ones people look for then). Empty or punctuation-only queries find nothing.
 */
export function searchInbox(db: Database, input: SearchInput, now = Date.now()): SearchHit[] {
  const limit = Math.max(1, Math.trunc(input.limit));
  const hits = searchText(db, {
    workspaceId: input.workspaceId,
    target: 'messages',
    query: input.query,
    limit: Math.min(MAX_MESSAGE_HITS, limit * MESSAGES_PER_CONVERSATION),
    snippetTokens: 16,
  });
  if (hits.length === 0) return [];
  return db.sqlite.transaction((): SearchHit[] => {
    const m = conversationMessages;
    const messages = db.orm
      .select({ id: m.id, conversationId: m.conversationId, sentAt: m.sentAt })
      .from(m)
      .where(inList(m.seq, hits.map((h) => h.seq)))
      .all();
    const byMessage = new Map(messages.map((r) => [r.id, r]));
    const best = new Map<string, { messageId: string; sentAt: number; snippet: string }>();
    for (const h of hits) {
      const msg = byMessage.get(h.id);
      if (!msg || best.has(msg.conversationId)) continue;
      best.set(msg.conversationId, { messageId: msg.id, sentAt: msg.sentAt, snippet: h.snippet });
    }
    const rows = db.orm
      .select()
      .from(conversations)
      .where(and(inList(conversations.id, [...best.keys()]), isNull(conversations.deletedAt)))
      .all();
    const summaries = new Map(summarize(db, rows).map((s) => [s.id, wakeIfDue(s, now)]));
    const out: SearchHit[] = [];
    for (const [conversationId, b] of best) {
      const conversation = summaries.get(conversationId);
      if (!conversation) continue;
      out.push({ conversation, messageId: b.messageId, sentAt: b.sentAt, snippet: snippetParts(b.snippet) });
      if (out.length === limit) break;
    }
    return out;
  })();
}
