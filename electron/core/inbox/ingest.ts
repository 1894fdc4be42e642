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
import type BetterSqlite3 from 'better-sqlite3';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import type { Platform } from '../../../db/schema';
import { accounts } from '../../../db/schema/accounts';
import { newId } from '../../../db/schema/columns';
import { monitoredPosts } from '../../../db/schema/posts';
import type { InboxItem, InboxKind } from '../../platforms/connector';
import { ensureCustomer } from '../customers/customers';
import type { ApiContext } from '../context';
import { resolveEscalations } from './escalations';
import { previewOf } from './summary';
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

type MonitoredRow = Pick<typeof monitoredPosts.$inferSelect, 'id' | 'targetId' | 'monitoringEnabled' | 'monitoringEndsAt'>;

/** What ingestion needs to know of a conversation it writes to. */
interface Conversation {
  id: string;
  lastMessageAt: number | null;
  customerName: string | null;
  automationDisabled: number;
}

interface Inserted {
  id: string;
  item: Item;
  commentId: string | null;
}

interface Touched {
  before: Conversation;
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

type Row = Record<string, string | number | null>;

/**
 * The statements a page runs per item, prepared once per connection: a query builder costs about
 * 0.1 ms per statement, which is most of a page's time at a dozen statements per item.
 */
function prepare(sqlite: BetterSqlite3.Database) {
  return {
    conversation: sqlite.prepare<[string, string], Conversation>(
      `SELECT id, last_message_at AS lastMessageAt, customer_name AS customerName, automation_disabled AS automationDisabled
         FROM conversations WHERE account_id = ? AND external_conversation_id = ?`,
    ),
    /** A reply of ours: the post's c:/m: threads holding its parent, by key range on the unique index. */
    holding: sqlite.prepare<[string, string, string, string, string, string], Conversation>(
      `SELECT c.id, c.last_message_at AS lastMessageAt, c.customer_name AS customerName, c.automation_disabled AS automationDisabled
         FROM conversations c JOIN conversation_messages m ON m.conversation_id = c.id AND m.external_message_id = ?
        WHERE c.account_id = ? AND ((c.external_conversation_id >= ? AND c.external_conversation_id < ?) OR (c.external_conversation_id >= ? AND c.external_conversation_id < ?))
        LIMIT 1`,
    ),
    stored: sqlite.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM conversation_messages WHERE conversation_id = ? AND external_message_id = ?'),
    insertConversation: sqlite.prepare<[Row]>(
      `INSERT INTO conversations (id, workspace_id, account_id, customer_id, external_conversation_id, customer_identifier, customer_name, metadata, created_at, updated_at)
       VALUES (@id, @workspaceId, @accountId, @customerId, @key, @identifier, @name, @metadata, @now, @now)
       ON CONFLICT (account_id, external_conversation_id) DO NOTHING`,
    ),
    insertMessage: sqlite.prepare<[Row]>(
      `INSERT INTO conversation_messages (id, workspace_id, conversation_id, external_message_id, direction, content, sender_id, sender_name, is_from_agent, status, sent_at, metadata, created_at, updated_at)
       VALUES (@id, @workspaceId, @conversationId, @externalId, @direction, @content, @senderId, @senderName, @fromAgent, @status, @sentAt, @metadata, @now, @now)
       ON CONFLICT (conversation_id, external_message_id) DO NOTHING`,
    ),
    insertComment: sqlite.prepare<[Row]>(
      `INSERT INTO comments (id, workspace_id, account_id, monitored_post_id, target_id, customer_id, platform, platform_comment_id, platform_post_id, author_name, author_id, text, parent_id, commented_at, created_at, updated_at)
       VALUES (@id, @workspaceId, @accountId, @monitoredPostId, @targetId, @customerId, @platform, @platformCommentId, @platformPostId, @authorName, @authorId, @text, @parentId, @at, @now, @now)
       ON CONFLICT (account_id, platform_comment_id) DO NOTHING`,
    ),
    commentId: sqlite.prepare<[string, string], { id: string }>('SELECT id FROM comments WHERE account_id = ? AND platform_comment_id = ?'),
    linkToParent: sqlite.prepare<[Row]>(
      `UPDATE conversation_messages SET reply_to_message_id = (
         SELECT p.id FROM conversation_messages p WHERE p.conversation_id = @conversationId AND p.external_message_id = @parentId AND p.id <> @id)
       WHERE id = @id`,
    ),
    linkChildren: sqlite.prepare<[Row]>(
      `UPDATE conversation_messages SET reply_to_message_id = @id
        WHERE conversation_id = @conversationId AND reply_to_message_id IS NULL AND json_extract(metadata, '$.parentId') = @externalId AND id <> @id`,
    ),
    updateConversation: sqlite.prepare<[Row]>(
      `UPDATE conversations SET
         last_message_at = @lastMessageAt,
         last_message_preview = COALESCE(@preview, last_message_preview),
         unread_count = CASE WHEN @resetUnread THEN @unread ELSE unread_count + @unread END,
         status = CASE WHEN @inbound THEN 'open' ELSE status END,
         snoozed_until = CASE WHEN @inbound THEN NULL ELSE snoozed_until END,
         customer_name = COALESCE(@customerName, customer_name),
         metadata = CASE WHEN @inbound THEN json_set(metadata, '$.replyDeadline', @replyDeadline) ELSE metadata END,
         deleted_at = CASE WHEN @inbound THEN NULL ELSE deleted_at END,
         customer_id = COALESCE(@customerId, customer_id),
         updated_at = @now
       WHERE id = @id`,
    ),
    cancelFollowups: sqlite.prepare<[Row]>(
      `UPDATE automated_followups SET status = 'cancelled', updated_at = @now
        WHERE conversation_id = @conversationId AND status = 'pending' AND cancel_on_reply = 1 AND deleted_at IS NULL AND created_at < @lastInboundAt
          AND NOT EXISTS (SELECT 1 FROM conversation_messages m WHERE m.conversation_id = @conversationId AND json_extract(m.metadata, '$.followupId') = automated_followups.id)`,
    ),
  };
}

type Statements = ReturnType<typeof prepare>;
const prepared = new WeakMap<BetterSqlite3.Database, Statements>();

function statementsFor(sqlite: BetterSqlite3.Database): Statements {
  let st = prepared.get(sqlite);
  if (!st) {
    st = prepare(sqlite);
    prepared.set(sqlite, st);
  }
  return st;
}

class Ingestion {
  private readonly st: Statements;
  private readonly conversationsByKey = new Map<string, Conversation | null>();
  private readonly monitored = new Map<string, MonitoredRow | null>();
  readonly touched = new Map<string, Touched>();
  readonly newCustomers: string[] = [];
  skipped = 0;
  private ownName: string | null | undefined;

  constructor(
    private readonly db: Database,
    private readonly account: IngestAccount,
    private readonly now: number,
  ) {
    this.st = statementsFor(db.sqlite);
  }

  private conversation(key: string): Conversation | null {
    if (this.conversationsByKey.has(key)) return this.conversationsByKey.get(key) ?? null;
    const row = this.st.conversation.get(this.account.id, key) ?? null;
    this.conversationsByKey.set(key, row);
    return row;
  }

  private stored(conversationId: string, platformMessageId: string): boolean {
    return this.st.stored.get(conversationId, platformMessageId) !== undefined;
  }

  private monitoredPost(threadId: string): MonitoredRow | null {
    if (this.monitored.has(threadId)) return this.monitored.get(threadId) ?? null;
    const row = this.db.orm
      .select({ id: monitoredPosts.id, targetId: monitoredPosts.targetId, monitoringEnabled: monitoredPosts.monitoringEnabled, monitoringEndsAt: monitoredPosts.monitoringEndsAt })
      .from(monitoredPosts)
      .where(and(eq(monitoredPosts.accountId, this.account.id), eq(monitoredPosts.platformPostId, threadId), isNull(monitoredPosts.deletedAt)))
      .get();
    this.monitored.set(threadId, row ?? null);
    return row ?? null;
  }

  private touch(conv: Conversation, customerId: string | null): Touched {
    let t = this.touched.get(conv.id);
    if (!t) {
      t = { before: conv, inserted: [], customerId };
      this.touched.set(conv.id, t);
    }
    if (customerId !== null) t.customerId = customerId;
    return t;
  }

  private insertMessage(conv: Conversation, item: Item, direction: 'inbound' | 'outbound', senderName: string | null): string | null {
    const id = newId();
    const metadata = {
      kind: item.kind,
      threadId: item.threadId,
      parentId: item.parentId,
      url: item.url,
      replyDeadline: item.replyDeadline,
      authorHandle: item.authorHandle,
      ...(item.truncatedFrom === null ? {} : { truncatedFrom: item.truncatedFrom }),
    };
    const r = this.st.insertMessage.run({
      id,
      workspaceId: this.account.workspaceId,
      conversationId: conv.id,
      externalId: item.platformMessageId,
      direction,
      content: item.text,
      senderId: item.authorId,
      senderName,
      fromAgent: direction === 'outbound' ? 1 : 0,
      // Inbound arrives unread ('delivered' until marked read); our own went out already.
      status: direction === 'inbound' ? 'delivered' : 'sent',
      sentAt: item.at,
      metadata: JSON.stringify(metadata),
      now: this.now,
    });
    return r.changes === 1 ? id : null;
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
      this.db,
      { workspaceId: this.account.workspaceId, platform: this.account.platform, externalId: item.authorId, handle: item.authorHandle, displayName: item.authorName, profileUrl: null },
      item.at,
      this.now,
    );
    if (customer.created) this.newCustomers.push(customer.customerId);
    conv ??= this.createConversation(key, item, customer.customerId, post);

    const commentId = item.kind === 'comment' && post ? this.insertComment(item, post, customer.customerId) : null;
    const id = this.insertMessage(conv, item, 'inbound', item.authorName ?? item.authorHandle);
    if (id === null) return;
    this.touch(conv, customer.customerId).inserted.push({ id, item, commentId });
  }

  private createConversation(key: string, item: Item, customerId: string, post: MonitoredRow | null): Conversation {
    const metadata: Record<string, unknown> = { kind: THREAD_KIND[item.kind], threadId: item.threadId };
    if (post) metadata['monitoredPostId'] = post.id;
    this.st.insertConversation.run({
      id: newId(),
      workspaceId: this.account.workspaceId,
      accountId: this.account.id,
      customerId,
      key,
      identifier: item.authorId,
      name: item.authorName ?? item.authorHandle,
      metadata: JSON.stringify(metadata),
      now: this.now,
    });
    this.conversationsByKey.delete(key);
    const row = this.conversation(key);
    if (!row) throw new Error('the conversation was not written');
    return row;
  }

  private insertComment(item: Item, post: MonitoredRow, customerId: string): string {
    const id = newId();
    const r = this.st.insertComment.run({
      id,
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
      at: item.at,
      now: this.now,
    });
    if (r.changes === 1) return id;
    // The comment outlived its message (the thread was removed): link the one we have.
    const existing = this.st.commentId.get(this.account.id, item.platformMessageId);
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

  private conversationHolding(threadId: string, parentId: string): Conversation | null {
    const c = `c:${threadId}:`;
    const m = `m:${threadId}:`;
    const row = this.st.holding.get(parentId, this.account.id, c, afterPrefix(c), m, afterPrefix(m));
    if (!row) return null;
    // The same thread object for every item of this page, so its bookkeeping happens once.
    return this.touched.get(row.id)?.before ?? row;
  }

  private accountName(): string | null {
    if (this.ownName === undefined) {
      const a = this.db.orm.select({ displayName: accounts.displayName, username: accounts.username }).from(accounts).where(eq(accounts.id, this.account.id)).get();
      this.ownName = a?.displayName ?? a?.username ?? null;
    }
    return this.ownName;
  }

  /**
   * Replies point at what they answer (reply_to_message_id) when we hold the parent in the same
   * thread, whichever arrived first: a new reply finds its stored parent, and a parent that arrives
   * after its replies (pages are newest first) is linked from them. DMs carry no parents.
   */
  linkReplies(t: Touched): void {
    for (const m of t.inserted) {
      if (m.item.kind === 'dm') continue;
      if (m.item.parentId !== null) this.st.linkToParent.run({ id: m.id, conversationId: t.before.id, parentId: m.item.parentId });
      this.st.linkChildren.run({ id: m.id, conversationId: t.before.id, externalId: m.item.platformMessageId });
    }
  }

  /** The list fields, read state, status and snooze of a conversation after what was inserted. */
  updateConversation(t: Touched): void {
    const byTime = [...t.inserted].sort((a, b) => a.item.at - b.item.at);
    const newest = byTime[byTime.length - 1];
    if (!newest) return;
    const lastOwn = byTime.filter((m) => m.item.own).pop();
    const inbound = byTime.filter((m) => !m.item.own);
    const lastInbound = inbound[inbound.length - 1];
    const before = t.before;
    const isNewest = before.lastMessageAt === null || newest.item.at >= before.lastMessageAt;
    this.st.updateConversation.run({
      id: before.id,
      lastMessageAt: isNewest ? newest.item.at : before.lastMessageAt,
      preview: isNewest ? previewOf(newest.item.text) : null,
      // Answered from the network's app: what came before that answer has been seen.
      resetUnread: lastOwn ? 1 : 0,
      unread: lastOwn ? inbound.filter((m) => m.item.at > lastOwn.item.at).length : inbound.length,
      // They wrote: the thread needs someone again (closed, or pending on their answer), a snooze
      // ends early, a thread removed on this device comes back, and the reply window (Meta's 24 h)
      // runs from their latest message.
      inbound: lastInbound ? 1 : 0,
      customerName: lastInbound ? (lastInbound.item.authorName ?? lastInbound.item.authorHandle) : null,
      replyDeadline: lastInbound?.item.replyDeadline ?? null,
      customerId: t.customerId,
      now: this.now,
    });
  }

  /**
   * "Follow-ups are cancelled when the customer replies": pending ones set up before their new
   * message. One whose send has begun (its outbound message exists) is left to the follow-up job,
   * which knows whether it may already have reached the network.
   */
  cancelFollowups(conversationId: string, lastInboundAt: number): void {
    this.st.cancelFollowups.run({ conversationId, lastInboundAt, now: this.now });
  }
}

/**
 * Rules on every new message from someone else, whatever the conversation's AI mode (rules are not
 * AI); automation_disabled on the conversation turns them off. A message no rule matches leaves no
 * decision; if it is the thread's newest, the thread's triage clears (it is not "ignored" any more).
 */
function triage(db: Database, rules: CompiledRules, account: IngestAccount, t: Touched, now: number): { escalations: number; event: EscalatedEvent | null } {
  const conv = t.before;
  if (conv.automationDisabled) return { escalations: 0, event: null };
  const inbound = t.inserted.filter((m) => !m.item.own).sort((a, b) => a.item.at - b.item.at);
  let escalations = 0;
  let event: EscalatedEvent | null = null;
  inbound.forEach((m, i) => {
    const match = matchRules(rules, m.item.text);
    if (!match) {
      const newest = i === inbound.length - 1 && (conv.lastMessageAt === null || m.item.at >= conv.lastMessageAt);
      if (newest) setConversationTriage(db, conv.id, null, now);
      return;
    }
    const applied = applyDecision(
      db,
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
  const { db } = ctx;
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

  const outcome = db.sqlite.transaction(() => {
    const run = new Ingestion(db, account, now);
    for (const item of cleaned) if (!item.own) run.inbound(item);
    for (const item of cleaned) if (item.own) run.own(item);

    let rules: CompiledRules | null = null;
    let escalations = 0;
    const escalated: EscalatedEvent[] = [];
    const answered: string[] = [];
    for (const t of run.touched.values()) {
      run.linkReplies(t);
      run.updateConversation(t);
      const inbound = t.inserted.filter((m) => !m.item.own);
      if (inbound.length > 0) {
        run.cancelFollowups(t.before.id, Math.max(...inbound.map((m) => m.item.at)));
        rules ??= loadRules(db.orm, account.workspaceId);
        const r = triage(db, rules, account, t, now);
        escalations += r.escalations;
        if (answeredFromApp(t)) answered.push(t.before.id);
        else if (r.event) escalated.push(r.event);
      } else if (answeredFromApp(t)) {
        answered.push(t.before.id);
      }
    }
    // Our answer went out from the network's app: what was escalated in that thread is handled.
    resolveEscalations(db.orm, answered, now);

    const inserted = [...run.touched.values()].flatMap((t) => t.inserted);
    const result: IngestResult = {
      added: inserted.length,
      conversationIds: [...run.touched.keys()],
      inboundMessageIds: inserted
        .filter((m) => !m.item.own)
        .sort((a, b) => a.item.at - b.item.at)
        .map((m) => m.id),
      escalations,
      skipped: run.skipped + unusable,
    };
    return { result, escalated, newCustomers: run.newCustomers };
  })();

  if (outcome.result.conversationIds.length > 0) {
    ctx.events.emit('inbox.changed', { workspaceId: account.workspaceId, conversationIds: outcome.result.conversationIds });
  }
  for (const e of outcome.escalated) ctx.events.emit('inbox.escalated', e);
  for (const customerId of outcome.newCustomers.slice(0, MAX_CUSTOMER_EVENTS)) {
    ctx.events.emit('customers.changed', { workspaceId: account.workspaceId, customerId });
  }
  return outcome.result;
}
