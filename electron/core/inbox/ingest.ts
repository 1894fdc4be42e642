// Ingestion: one page of a connector's inbox into conversations, messages, comments and customers,
// in one transaction. Idempotent by the network's message id (the poller fetches overlapping
// windows on purpose), so a page ingested twice writes nothing the second time. A stranger's words
// are stored as plain text exactly as sent, except what SQLite cannot hold safely (see cleanText).
//
// Conversations, keyed by conversations.external_conversation_id (unique per account):
//   dm:<threadId>                 a DM thread                                   (kind 'dm')
//   c:<threadId>:<authorId>       one person's comments under one of our posts  (kind 'comment_thread')
//   m:<threadId>:<authorId>       one person's mentions of us in a thread       (kind 'mention')
// so each person under a post is answered in their own thread, as on the networks themselves.
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import type { Platform } from '../../../db/schema';
import { accounts } from '../../../db/schema/accounts';
import { automatedFollowups, comments, conversationMessages, conversations } from '../../../db/schema/inbox';
import { monitoredPosts } from '../../../db/schema/posts';
import type { InboxItem, InboxKind } from '../../platforms/connector';
import { ensureCustomer } from '../customers/customers';
import type { ApiContext } from '../context';
import { resolveEscalations } from './escalations';
import { previewOf, type ConversationRow } from './summary';
import { applyDecision, loadRules, matchRules, setConversationTriage, type CompiledRules, type EscalatedEvent } from './triage';
import type { ThreadKind } from './views';

export interface IngestAccount {
  id: string;
  workspaceId: string;
  platform: Platform;
  platformAccountId: string;
}

export interface IngestResult {
  /** Messages written (inbound and the account's own), not counting ones already stored. */
  added: number;
  /** Conversations that changed. */
  conversationIds: string[];
  /** New messages from other people, oldest first (what the AI triages next). */
  inboundMessageIds: string[];
  /** Escalations raised by the rules. */
  escalations: number;
  /** Items left out: comments on posts we do not monitor, unusable items (no id or author), our own
   *  messages in threads we do not hold. */
  skipped: number;
}

// --- cleaning what the network sent -------------------------------------------------------------

/**
 * The longest message text kept, in UTF-16 units. Far above every network's own limit (X's 10k DM,
 * Mastodon instances' few thousand); it only bounds what a broken or hostile server can make us
 * store. A longer text is cut there and the message's metadata says how long it was.
 */
export const MAX_TEXT_CHARS = 200_000;
const MAX_NAME_CHARS = 300;
/** Ids are keys: one longer than this is not a real network's id, and cutting it could merge two. */
const MAX_ID_CHARS = 2_000;
const MAX_URL_CHARS = 4_000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text SQLite can hold and give back unchanged: a lone surrogate (invalid UTF-16) would be written
 * as invalid UTF-8 by better-sqlite3, and an embedded NUL ends the string for SQLite's functions
 * and FTS5, so both become U+FFFD. So do the other C0 controls but tab and line breaks: they carry
 * no text, and search marks its snippets with two of them (db/search.ts SNIPPET_OPEN/CLOSE), which
 * a message must not be able to fake. Everything else (RTL overrides, zero-width joiners, markup)
 * is kept as the literal characters; nothing here interprets it, and the views render text only.
 */
export function cleanText(s: unknown): string {
  if (typeof s !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  return s.replace(LONE_SURROGATE, '\uFFFD').replace(/[\u0000-\u0008\u000E-\u001F\u007F]/g, '\uFFFD');
}

/** Cut at `max` UTF-16 units without splitting a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const end = /[\uD800-\uDBFF]/.test(s.charAt(max - 1)) ? max - 1 : max;
  return s.slice(0, end);
}

function cleanName(s: unknown): string | null {
  const v = cut(cleanText(s).trim(), MAX_NAME_CHARS);
  return v === '' ? null : v;
}

function cleanId(s: unknown): string | null {
  if (typeof s !== 'string' || s === '' || s.length > MAX_ID_CHARS) return null;
  return cleanText(s);
}

/** Only web links are kept: anything else (javascript:, data:, file:) is not a place on a network. */
function cleanUrl(s: unknown): string | null {
  if (typeof s !== 'string' || s.length > MAX_URL_CHARS) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

const KINDS: readonly InboxKind[] = ['dm', 'comment', 'mention'];
/** The CRM list reloads on any of these; a first poll of a busy account must not send thousands. */
const MAX_CUSTOMER_EVENTS = 20;

interface Item {
  kind: InboxKind;
  platformMessageId: string;
  threadId: string;
  parentId: string | null;
  authorId: string;
  authorHandle: string | null;
  authorName: string | null;
  text: string;
  /** The network's time, or now when it gave none or one in the future (a skewed clock must not
   *  pin a thread to the top of the list). */
  at: number;
  url: string | null;
  replyDeadline: number | null;
  truncatedFrom: number | null;
  own: boolean;
}

function clean(account: IngestAccount, raw: InboxItem, now: number): Item | null {
  const kind = raw.kind;
  if (!KINDS.includes(kind)) return null;
  const platformMessageId = cleanId(raw.platformMessageId);
  const threadId = cleanId(raw.threadId);
  const authorId = cleanId(raw.authorId);
  if (platformMessageId === null || threadId === null || authorId === null) return null;
  const text = cleanText(raw.text);
  const created = typeof raw.createdAt === 'number' && Number.isFinite(raw.createdAt) && raw.createdAt > 0 ? raw.createdAt : now;
  return {
    kind,
    platformMessageId,
    threadId,
    parentId: raw.parentId === null ? null : cleanId(raw.parentId),
    authorId,
    authorHandle: cleanName(raw.authorHandle),
    authorName: cleanName(raw.authorName),
    text: cut(text, MAX_TEXT_CHARS),
    at: Math.min(Math.trunc(created), now),
    url: cleanUrl(raw.url),
    replyDeadline: typeof raw.replyDeadline === 'number' && Number.isFinite(raw.replyDeadline) ? Math.trunc(raw.replyDeadline) : null,
    truncatedFrom: text.length > MAX_TEXT_CHARS ? text.length : null,
    own: authorId === account.platformAccountId,
  };
}

// --- ingestion ------------------------------------------------------------------------------------

type Tx = Parameters<Parameters<Database['orm']['transaction']>[0]>[0];
type MonitoredRow = Pick<typeof monitoredPosts.$inferSelect, 'id' | 'targetId' | 'monitoringEnabled' | 'monitoringEndsAt'>;

interface Inserted {
  id: string;
  item: Item;
  commentId: string | null;
}

interface Touched {
  before: ConversationRow;
  inserted: Inserted[];
  customerId: string | null;
}

function conversationKey(item: Item): string {
  switch (item.kind) {
    case 'dm':
      return `dm:${item.threadId}`;
    case 'comment':
      return `c:${item.threadId}:${item.authorId}`;
    case 'mention':
      return `m:${item.threadId}:${item.authorId}`;
  }
}

const THREAD_KIND: Record<InboxKind, ThreadKind> = { dm: 'dm', comment: 'comment_thread', mention: 'mention' };

/**
 * Whether a comment belongs in the inbox: it is under a post of this account that we monitor, and
 * it was written inside the monitoring window (ends_at in the future of the comment; no end: open).
 * The comment's own time decides, not the time we fetch it: a comment written on day 6 of a 7-day
 * window and fetched on day 8 (the computer was asleep) still counts, one written on day 8 does not.
 * monitoring_enabled = 0 while the window still runs means someone stopped watching the post (the
 * user, or the account's "last N posts" rule): its comments are dropped. Once the window is over,
 * the poller switches the flag off itself before fetching, so then only the window is looked at.
 */
export function commentIsMonitored(post: MonitoredRow | null, commentAt: number, now: number): boolean {
  if (!post) return false;
  if (post.monitoringEndsAt === null) return post.monitoringEnabled;
  if (commentAt >= post.monitoringEndsAt) return false;
  return post.monitoringEnabled || post.monitoringEndsAt <= now;
}

/** The smallest string greater than every string that starts with `prefix`. */
function afterPrefix(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

class Ingestion {
  private readonly conversationsByKey = new Map<string, ConversationRow | null>();
  private readonly monitored = new Map<string, MonitoredRow | null>();
  readonly touched = new Map<string, Touched>();
  readonly newCustomers: string[] = [];
  skipped = 0;
  private ownName: string | null | undefined;

  constructor(
    private readonly tx: Tx,
    private readonly account: IngestAccount,
    private readonly now: number,
  ) {}

  private conversation(key: string): ConversationRow | null {
    if (this.conversationsByKey.has(key)) return this.conversationsByKey.get(key) ?? null;
    const row = this.tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, this.account.id), eq(conversations.externalConversationId, key)))
      .get();
    this.conversationsByKey.set(key, row ?? null);
    return row ?? null;
  }

  private stored(conversationId: string, platformMessageId: string): boolean {
    return (
      this.tx
        .select({ id: conversationMessages.id })
        .from(conversationMessages)
        .where(and(eq(conversationMessages.conversationId, conversationId), eq(conversationMessages.externalMessageId, platformMessageId)))
        .get() !== undefined
    );
  }

  private monitoredPost(threadId: string): MonitoredRow | null {
    if (this.monitored.has(threadId)) return this.monitored.get(threadId) ?? null;
    const row = this.tx
      .select({ id: monitoredPosts.id, targetId: monitoredPosts.targetId, monitoringEnabled: monitoredPosts.monitoringEnabled, monitoringEndsAt: monitoredPosts.monitoringEndsAt })
      .from(monitoredPosts)
      .where(and(eq(monitoredPosts.accountId, this.account.id), eq(monitoredPosts.platformPostId, threadId), isNull(monitoredPosts.deletedAt)))
      .get();
    this.monitored.set(threadId, row ?? null);
    return row ?? null;
  }

  private touch(conv: ConversationRow, customerId: string | null): Touched {
    let t = this.touched.get(conv.id);
    if (!t) {
      t = { before: conv, inserted: [], customerId };
      this.touched.set(conv.id, t);
    }
    if (customerId !== null) t.customerId = customerId;
    return t;
  }

  private metadataOf(item: Item): Record<string, unknown> {
    return {
      kind: item.kind,
      threadId: item.threadId,
      parentId: item.parentId,
      url: item.url,
      replyDeadline: item.replyDeadline,
      authorHandle: item.authorHandle,
      ...(item.truncatedFrom === null ? {} : { truncatedFrom: item.truncatedFrom }),
    };
  }

  private insertMessage(conv: ConversationRow, item: Item, direction: 'inbound' | 'outbound', senderName: string | null): string | null {
    const [row] = this.tx
      .insert(conversationMessages)
      .values({
        workspaceId: this.account.workspaceId,
        conversationId: conv.id,
        externalMessageId: item.platformMessageId,
        direction,
        content: item.text,
        senderId: item.authorId,
        senderName,
        isFromAgent: direction === 'outbound',
        // Inbound arrives unread ('delivered' until marked read); our own went out already.
        status: direction === 'inbound' ? 'delivered' : 'sent',
        sentAt: item.at,
        metadata: this.metadataOf(item),
        createdAt: this.now,
        updatedAt: this.now,
      })
      .onConflictDoNothing({ target: [conversationMessages.conversationId, conversationMessages.externalMessageId] })
      .returning({ id: conversationMessages.id })
      .all();
    return row?.id ?? null;
  }

  /** A message from someone else: its customer, its conversation, the comment row for comments. */
  inbound(item: Item): void {
    let post: MonitoredRow | null = null;
    if (item.kind === 'comment') {
      post = this.monitoredPost(item.threadId);
      if (!commentIsMonitored(post, item.at, this.now)) {
        this.skipped++;
        return;
      }
    }
    const key = conversationKey(item);
    let conv = this.conversation(key);
    // Already stored (the poller's overlap, or the same page again): write nothing at all.
    if (conv && this.stored(conv.id, item.platformMessageId)) return;

    const customer = ensureCustomer(
      this.tx,
      { workspaceId: this.account.workspaceId, platform: this.account.platform, externalId: item.authorId, handle: item.authorHandle, displayName: item.authorName, profileUrl: null },
      item.at,
      this.now,
    );
    if (customer.created) this.newCustomers.push(customer.customerId);
    conv ??= this.createConversation(key, item, customer.customerId, post);

    let commentId: string | null = null;
    if (item.kind === 'comment' && post) commentId = this.insertComment(item, post, customer.customerId);
    const id = this.insertMessage(conv, item, 'inbound', item.authorName ?? item.authorHandle);
    if (id === null) return;
    this.touch(conv, customer.customerId).inserted.push({ id, item, commentId });
  }

  private createConversation(key: string, item: Item, customerId: string, post: MonitoredRow | null): ConversationRow {
    const metadata: Record<string, unknown> = { kind: THREAD_KIND[item.kind], threadId: item.threadId };
    if (post) metadata['monitoredPostId'] = post.id;
    this.tx
      .insert(conversations)
      .values({
        workspaceId: this.account.workspaceId,
        accountId: this.account.id,
        customerId,
        externalConversationId: key,
        customerIdentifier: item.authorId,
        customerName: item.authorName ?? item.authorHandle,
        metadata,
        createdAt: this.now,
        updatedAt: this.now,
      })
      .onConflictDoNothing({ target: [conversations.accountId, conversations.externalConversationId] })
      .run();
    this.conversationsByKey.delete(key);
    const row = this.conversation(key);
    if (!row) throw new Error('the conversation was not written');
    return row;
  }

  private insertComment(item: Item, post: MonitoredRow, customerId: string): string {
    const [row] = this.tx
      .insert(comments)
      .values({
        workspaceId: this.account.workspaceId,
        accountId: this.account.id,
        monitoredPostId: post.id,
        targetId: post.targetId,
        customerId,
        platform: this.account.platform,
        platformCommentId: item.platformMessageId,
        platformPostId: item.threadId,
        authorName: item.authorName ?? item.authorHandle,
        authorId: item.authorId,
        text: item.text,
        parentId: item.parentId,
        commentedAt: item.at,
        createdAt: this.now,
        updatedAt: this.now,
      })
      .onConflictDoNothing({ target: [comments.accountId, comments.platformCommentId] })
      .returning({ id: comments.id })
      .all();
    if (row) return row.id;
    // The comment outlived its message (the thread was removed): link the one we have.
    const existing = this.tx
      .select({ id: comments.id })
      .from(comments)
      .where(and(eq(comments.accountId, this.account.id), eq(comments.platformCommentId, item.platformMessageId)))
      .get();
    if (!existing) throw new Error('the comment was not written');
    return existing.id;
  }

  /**
   * Something the account itself wrote from the network's own app: an outbound message in the
   * thread it answers. A DM goes to its thread; a comment or mention reply to the conversation
   * holding the message it answers (one of that post's c:/m: threads). Our own posts and comments
   * that answer nobody, and DMs into threads we do not hold, are not inbox messages.
   */
  own(item: Item): void {
    const conv = item.kind === 'dm' ? this.conversation(`dm:${item.threadId}`) : item.parentId === null ? null : this.conversationHolding(item.threadId, item.parentId);
    if (!conv) {
      this.skipped++;
      return;
    }
    if (this.stored(conv.id, item.platformMessageId)) return;
    const id = this.insertMessage(conv, item, 'outbound', this.accountName() ?? item.authorName ?? item.authorHandle);
    if (id === null) return;
    this.touch(conv, null).inserted.push({ id, item, commentId: null });
  }

  private conversationHolding(threadId: string, parentId: string): ConversationRow | null {
    // A key range per prefix, so the unique (account_id, external_conversation_id) index finds the
    // post's threads without a scan, whatever characters the network's ids contain.
    const range = (prefix: string) => and(sql`${conversations.externalConversationId} >= ${prefix}`, lt(conversations.externalConversationId, afterPrefix(prefix)));
    const row = this.tx
      .select({ conversation: conversations })
      .from(conversations)
      .innerJoin(conversationMessages, and(eq(conversationMessages.conversationId, conversations.id), eq(conversationMessages.externalMessageId, parentId)))
      .where(and(eq(conversations.accountId, this.account.id), or(range(`c:${threadId}:`), range(`m:${threadId}:`))))
      .get();
    return row?.conversation ?? null;
  }

  private accountName(): string | null {
    if (this.ownName === undefined) {
      const a = this.tx.select({ displayName: accounts.displayName, username: accounts.username }).from(accounts).where(eq(accounts.id, this.account.id)).get();
      this.ownName = a?.displayName ?? a?.username ?? null;
    }
    return this.ownName;
  }
}

/**
 * Replies point at what they answer (reply_to_message_id) when we hold the parent in the same
 * thread, whichever arrived first: a new reply finds its stored parent, and a parent that arrives
 * after its replies (pages are newest first) is linked from them.
 */
function linkReplies(tx: Tx, conversationId: string, inserted: readonly Inserted[]): void {
  for (const m of inserted) {
    if (m.item.parentId !== null) {
      tx.update(conversationMessages)
        .set({
          replyToMessageId: sql`(SELECT p.id FROM ${conversationMessages} p WHERE p.conversation_id = ${conversationId} AND p.external_message_id = ${m.item.parentId} AND p.id <> ${m.id})`,
        })
        .where(eq(conversationMessages.id, m.id))
        .run();
    }
    if (m.item.kind !== 'dm') {
      tx.update(conversationMessages)
        .set({ replyToMessageId: m.id })
        .where(
          and(
            eq(conversationMessages.conversationId, conversationId),
            isNull(conversationMessages.replyToMessageId),
            sql`json_extract(${conversationMessages.metadata}, '$.parentId') = ${m.item.platformMessageId}`,
            sql`${conversationMessages.id} <> ${m.id}`,
          ),
        )
        .run();
    }
  }
}

/** The list fields, read state, status and snooze of a conversation after what was inserted. */
function updateConversation(tx: Tx, t: Touched, now: number): void {
  const byTime = [...t.inserted].sort((a, b) => a.item.at - b.item.at);
  const newest = byTime[byTime.length - 1];
  if (!newest) return;
  const lastOwn = byTime.filter((m) => m.item.own).pop();
  const inbound = byTime.filter((m) => !m.item.own);
  const lastInbound = inbound[inbound.length - 1];
  const before = t.before;
  const isNewest = before.lastMessageAt === null || newest.item.at >= before.lastMessageAt;
  // Answered from the network's app: what came before that answer has been seen.
  const unread = lastOwn ? inbound.filter((m) => m.item.at > lastOwn.item.at).length : sql`${conversations.unreadCount} + ${inbound.length}`;

  tx.update(conversations)
    .set({
      lastMessageAt: isNewest ? newest.item.at : before.lastMessageAt,
      ...(isNewest ? { lastMessagePreview: previewOf(newest.item.text) } : {}),
      unreadCount: unread,
      ...(lastInbound
        ? {
            // They wrote: the thread needs someone again (closed, or pending on their answer), and a
            // snooze ends early.
            status: 'open',
            snoozedUntil: null,
            customerName: lastInbound.item.authorName ?? lastInbound.item.authorHandle ?? before.customerName,
            // The reply window runs from their latest message (Meta's 24 h).
            metadata: { ...before.metadata, replyDeadline: lastInbound.item.replyDeadline },
            // A thread removed on this device comes back when they write again.
            deletedAt: null,
          }
        : {}),
      ...(t.customerId !== null ? { customerId: t.customerId } : {}),
      updatedAt: now,
    })
    .where(eq(conversations.id, before.id))
    .run();
}

/**
 * "Follow-ups are cancelled when the customer replies": pending ones set up before their new
 * message. One whose send has begun (its outbound message exists) is left to the follow-up job,
 * which knows whether it may already have reached the network.
 */
function cancelFollowups(tx: Tx, conversationId: string, lastInboundAt: number, now: number): number {
  return tx
    .update(automatedFollowups)
    .set({ status: 'cancelled', updatedAt: now })
    .where(
      and(
        eq(automatedFollowups.conversationId, conversationId),
        eq(automatedFollowups.status, 'pending'),
        eq(automatedFollowups.cancelOnReply, true),
        isNull(automatedFollowups.deletedAt),
        lt(automatedFollowups.createdAt, lastInboundAt),
        sql`NOT EXISTS (SELECT 1 FROM ${conversationMessages} m WHERE m.conversation_id = ${conversationId} AND json_extract(m.metadata, '$.followupId') = ${automatedFollowups.id})`,
      ),
    )
    .run().changes;
}

/**
 * Rules on every new message from someone else, whatever the conversation's AI mode (rules are not
 * AI); automation_disabled on the conversation turns them off. A message no rule matches leaves no
 * decision; if it is the thread's newest, the thread's triage clears (it is not "ignored" any more).
 */
function triage(tx: Tx, rules: CompiledRules, account: IngestAccount, t: Touched, now: number): { escalations: number; event: EscalatedEvent | null } {
  const conv = t.before;
  if (conv.automationDisabled) return { escalations: 0, event: null };
  const inbound = t.inserted.filter((m) => !m.item.own).sort((a, b) => a.item.at - b.item.at);
  let escalations = 0;
  let event: EscalatedEvent | null = null;
  inbound.forEach((m, i) => {
    const match = matchRules(rules, m.item.text);
    if (!match) {
      const newest = i === inbound.length - 1 && (conv.lastMessageAt === null || m.item.at >= conv.lastMessageAt);
      if (newest) setConversationTriage(tx, conv.id, null, now);
      return;
    }
    const applied = applyDecision(
      tx,
      {
        workspaceId: account.workspaceId,
        conversationId: conv.id,
        messageId: m.id,
        commentId: m.commentId,
        decision: match.decision,
        confidence: 1,
        reason: match.reason,
        matchedRule: match.matchedRule,
        model: null,
        messageText: m.item.text,
        escalationReason: match.escalationReason ?? undefined,
      },
      now,
    );
    if (applied.escalationId !== null) escalations++;
    if (applied.escalated) event = applied.escalated;
  });
  return { escalations, event };
}

/** Our own message from the network's app is now the thread's newest: we have answered them. */
function answeredFromApp(t: Touched): boolean {
  const own = t.inserted.filter((m) => m.item.own).map((m) => m.item.at);
  if (own.length === 0) return false;
  const lastOwn = Math.max(...own);
  const others = t.inserted.filter((m) => !m.item.own).map((m) => m.item.at);
  return lastOwn >= Math.max(t.before.lastMessageAt ?? 0, ...others);
}

export function ingestItems(ctx: Pick<ApiContext, 'db' | 'events'>, account: IngestAccount, items: readonly InboxItem[], now = Date.now()): IngestResult {
  const cleaned: Item[] = [];
  let unusable = 0;
  for (const raw of items) {
    const item = clean(account, raw, now);
    if (item) cleaned.push(item);
    else unusable++;
  }
  // Oldest first, so a thread's first message creates it; theirs before ours, so our answer from
  // the network's app finds the thread their message opened in the same page.
  cleaned.sort((a, b) => a.at - b.at);

  const outcome = ctx.db.orm.transaction((tx) => {
    const run = new Ingestion(tx, account, now);
    for (const item of cleaned) if (!item.own) run.inbound(item);
    for (const item of cleaned) if (item.own) run.own(item);

    let rules: CompiledRules | null = null;
    let escalations = 0;
    const escalated: EscalatedEvent[] = [];
    const answered: string[] = [];
    for (const t of run.touched.values()) {
      linkReplies(tx, t.before.id, t.inserted);
      updateConversation(tx, t, now);
      const inbound = t.inserted.filter((m) => !m.item.own);
      const lastInboundAt = Math.max(...inbound.map((m) => m.item.at));
      if (inbound.length > 0) {
        cancelFollowups(tx, t.before.id, lastInboundAt, now);
        rules ??= loadRules(tx, account.workspaceId);
        const r = triage(tx, rules, account, t, now);
        escalations += r.escalations;
        if (answeredFromApp(t)) answered.push(t.before.id);
        else if (r.event) escalated.push(r.event);
      } else if (answeredFromApp(t)) {
        answered.push(t.before.id);
      }
    }
    // Our answer went out from the network's app: what was escalated in that thread is handled.
    resolveEscalations(tx, answered, now);

    const inserted = [...run.touched.values()].flatMap((t) => t.inserted);
    return {
      result: {
        added: inserted.length,
        conversationIds: [...run.touched.keys()],
        inboundMessageIds: inserted
          .filter((m) => !m.item.own)
          .sort((a, b) => a.item.at - b.item.at)
          .map((m) => m.id),
        escalations,
        skipped: run.skipped + unusable,
      } satisfies IngestResult,
      escalated,
      newCustomers: run.newCustomers,
    };
  });

  if (outcome.result.conversationIds.length > 0) {
    ctx.events.emit('inbox.changed', { workspaceId: account.workspaceId, conversationIds: outcome.result.conversationIds });
  }
  for (const e of outcome.escalated) ctx.events.emit('inbox.escalated', e);
  for (const customerId of outcome.newCustomers.slice(0, MAX_CUSTOMER_EVENTS)) {
    ctx.events.emit('customers.changed', { workspaceId: account.workspaceId, customerId });
  }
  return outcome.result;
}
