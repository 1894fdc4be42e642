// One thread as the inbox shows it: a page of its messages (newest first fetched, shown oldest
// first), whether and until when the network still takes a reply, the contact behind it, and what
// happened to it (follow-ups, escalations, triage decisions).
import { and, asc, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { aiDecisions } from '../../../db/schema/ai';
import { automatedFollowups, conversationMessages, supportEscalations } from '../../../db/schema/inbox';
import { capabilitiesOf } from '../../platforms/capabilities';
import { PLATFORM_NAMES } from '../../platforms/names';
import { getCustomer } from '../customers/customers';
import { wakeIfDue } from './list';
import { conversationSummary, InboxError, toMessageView } from './summary';
import type { ConversationSummary, CustomerView, DecisionView, EscalationView, FollowupView, ReplyWindow, ThreadKind, ThreadView } from './views';

export interface ThreadInput {
  conversationId: string;
  /** Only messages sent before this time (epoch ms): the page above the one shown. */
  before?: number | null | undefined;
  limit: number;
}

const DECISIONS_SHOWN = 10;
const HOUR = 3_600_000;

export function getThread(db: Database, input: ThreadInput, now = Date.now()): ThreadView {
  return db.sqlite.transaction((): ThreadView => {
    const conversation = conversationSummary(db, input.conversationId);
    const limit = Math.max(1, Math.trunc(input.limit));
    const m = conversationMessages;
    const page = db.orm
      .select()
      .from(m)
      .where(and(eq(m.conversationId, conversation.id), isNull(m.deletedAt), input.before == null ? undefined : lt(m.sentAt, input.before)))
      .orderBy(desc(m.sentAt), desc(m.seq))
      .limit(limit + 1)
      .all();
    const hasOlder = page.length > limit;
    const messages = page.slice(0, limit).reverse().map(toMessageView);
    return {
      conversation: wakeIfDue(conversation, now),
      messages,
      hasOlder,
      replyWindow: replyWindowOf(db, conversation, now),
      customer: customerOf(db, conversation.customerId),
      followups: followupsOf(db, conversation.id),
      escalations: escalationsOf(db, conversation.id),
      decisions: decisionsOf(db, conversation.id),
    };
  })();
}

const KIND_WORDS: Record<ThreadKind, string> = { dm: 'direct messages', comment_thread: 'comments', mention: 'mentions' };

function canReplyTo(caps: NonNullable<ReturnType<typeof capabilitiesOf>>, kind: ThreadKind): boolean {
  if (kind === 'dm') return caps.dms;
  if (kind === 'comment_thread') return caps.comments;
  return caps.mentions;
}

/**
 * Whether a reply can go out now. The network's own deadline (stored by ingestion from the
 * connector's replyDeadline on the newest message from the customer) wins; without one, Meta's
 * DM window is counted from that message, as Meta counts it.
 */
function replyWindowOf(db: Database, conversation: ConversationSummary, now: number): ReplyWindow {
  const name = PLATFORM_NAMES[conversation.platform];
  const caps = capabilitiesOf(conversation.platform);
  if (!caps) return { closesAt: null, open: false, reason: `Postdesk can't reply on ${name} yet.` };
  if (!canReplyTo(caps, conversation.kind)) {
    return { closesAt: null, open: false, reason: `${name} doesn't let apps answer ${KIND_WORDS[conversation.kind]}; reply in the ${name} app instead.` };
  }
  const m = conversationMessages;
  const lastInbound = db.orm
    .select({ sentAt: m.sentAt, metadata: m.metadata })
    .from(m)
    .where(and(eq(m.conversationId, conversation.id), eq(m.direction, 'inbound'), isNull(m.deletedAt)))
    .orderBy(desc(m.sentAt), desc(m.seq))
    .limit(1)
    .get();
  if (!lastInbound) return { closesAt: null, open: true, reason: null };
  const stored = lastInbound.metadata['replyDeadline'];
  const dmMs = caps.replyWindows.dmMs;
  const closesAt = typeof stored === 'number' && Number.isFinite(stored) ? stored : conversation.kind === 'dm' && dmMs !== null ? lastInbound.sentAt + dmMs : null;
  if (closesAt === null || now < closesAt) return { closesAt, open: true, reason: null };
  const within = conversation.kind === 'dm' && dmMs !== null ? ` within ${spanWords(dmMs)} of the person's last message` : ' for a limited time';
  return { closesAt, open: false, reason: `${name} only takes replies${within}, and that window has closed. You can answer once they write again.` };
}

function spanWords(ms: number): string {
  const days = ms / (24 * HOUR);
  return days >= 2 && Number.isInteger(days) ? `${days} days` : `${Math.round(ms / HOUR)} hours`;
}

function customerOf(db: Database, customerId: string | null): CustomerView | null {
  if (customerId === null) return null;
  try {
    return getCustomer(db, customerId);
  } catch (err) {
    // The contact was deleted (the thread keeps its sender's name and handle): no card, not an error.
    if (err instanceof InboxError && err.code === 'not_found') return null;
    throw err;
  }
}

function followupsOf(db: Database, conversationId: string): FollowupView[] {
  const f = automatedFollowups;
  return db.orm
    .select()
    .from(f)
    .where(and(eq(f.conversationId, conversationId), isNull(f.deletedAt)))
    .orderBy(asc(f.scheduledFor), asc(f.id))
    .all()
    .map((r) => ({
      id: r.id,
      conversationId: r.conversationId,
      customerId: r.customerId,
      message: r.message,
      reason: r.reason,
      scheduledFor: r.scheduledFor,
      status: r.status,
      sentAt: r.sentAt,
      errorMessage: r.errorMessage,
      cancelOnReply: r.cancelOnReply,
    }));
}

function escalationsOf(db: Database, conversationId: string): EscalationView[] {
  const e = supportEscalations;
  return db.orm
    .select()
    .from(e)
    .where(and(eq(e.conversationId, conversationId), isNull(e.deletedAt)))
    .orderBy(desc(e.createdAt), desc(e.id))
    .all()
    .map((r) => ({
      id: r.id,
      conversationId: r.conversationId,
      commentId: r.commentId,
      message: r.message,
      reason: r.reason,
      confidence: r.confidence,
      resolvedAt: r.resolvedAt,
      createdAt: r.createdAt,
    }));
}

/**
 * The latest decisions about the thread's messages. ai_decisions has no index on conversation_id
 * (reading by it scans every decision: ~20 ms at 135k), so they are found through the thread's
 * messages, which ai_decisions_message_idx reaches directly.
 */
function decisionsOf(db: Database, conversationId: string): DecisionView[] {
  const d = aiDecisions;
  const m = conversationMessages;
  const messageIds = db.orm.select({ id: m.id }).from(m).where(eq(m.conversationId, conversationId));
  return db.orm
    .select()
    .from(d)
    .where(and(inArray(d.messageId, messageIds), isNull(d.deletedAt)))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(DECISIONS_SHOWN)
    .all()
    .map((r) => ({
      id: r.id,
      messageId: r.messageId,
      decision: r.decision,
      confidence: r.confidence,
      reason: r.reason,
      matchedRule: r.matchedRule,
      model: r.model,
      createdAt: r.createdAt,
    }));
}
