// Replies through the connector. Pressing Send writes the reply as a pending outbound message and
// queues an 'inbox.reply' job in one transaction, so a reply written offline or just before a
// crash is never lost; the job sends it threaded under the message it answers and the message
// ends 'sent' (with the network's id) or 'failed' (with the reason in words).
//
// Sending twice is worse than not sending. Every job of one message sends with the same key,
// `pd-reply-<message id>`, and a send interrupted mid-call is reconciled before any retry. What
// each network guarantees for a repeated send with that key:
// - Mastodon: POST /api/v1/statuses honours Idempotency-Key for an hour (the server keeps the key
//   3600 s and answers a repeat with the original status), so a resend within the hour is safe.
// - Bluesky posts (replies to comments and mentions): the record key is derived from our key
//   (platforms/bluesky/rkey.ts); the PDS refuses a second record there and the connector adopts the
//   first, and findPublished reads it back: safe at any time.
// - Bluesky DMs (chat.bsky.convo.sendMessage), X (tweets and DM events), Facebook and Instagram
//   (Graph comments and the Send API), LinkedIn comments: no key and no way to ask. An interrupted
//   send there is marked failed with "may have been sent — check on <network>" instead of being
//   sent again blindly; the user looks and decides.
import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Platform } from '../../../db/schema/enums';
import { accounts } from '../../../db/schema/accounts';
import { automatedFollowups, conversationMessages, conversations, savedReplies } from '../../../db/schema/inbox';
import { capabilitiesOf } from '../../platforms/capabilities';
import { replyWindowOpen, type InboxKind, type PublishedItem, type ReplyRequest } from '../../platforms/connector';
import { PLATFORM_NAMES } from '../../platforms/names';
import type { BackoffPolicy } from '../../scheduler/backoff';
import { defineJob, JobError, type JobContext } from '../../scheduler/definitions';
import { schedulerFor } from '../../scheduler/scheduler';
import { AccountNotFoundError } from '../accounts/accounts';
import { withAccount, withAccountJob } from '../accounts/session';
import type { ApiContext, CoreApp } from '../context';
import { resolveEscalations } from './escalations';
import { expectActivity } from './polling';
import { InboxError, previewOf, threadKindOf, toMessageView, type ConversationRow, type MessageRow } from './summary';
import type { MessageView } from './views';

const MINUTE = 60_000;
export const REPLY_MAX_ATTEMPTS = 5;
/** Someone is waiting for the answer: the first retry comes after 5-10 s, not the default 15-30 s. */
export const REPLY_BACKOFF: BackoffPolicy = { baseMs: 10_000, maxMs: 30 * MINUTE, factor: 3 };
/** Mastodon keeps an Idempotency-Key for an hour; resend only well inside it. */
const MASTODON_KEY_SAFE_MS = 50 * MINUTE;

/** The key every send of this message carries (a UUIDv7 inside, which Bluesky's record key uses for its time). */
export function replyKeyFor(messageId: string): string {
  return `pd-reply-${messageId}`;
}

type Tx = Parameters<Parameters<ApiContext['db']['orm']['transaction']>[0]>[0];
type AccountRow = Pick<typeof accounts.$inferSelect, 'id' | 'platform' | 'platformAccountId' | 'username' | 'displayName' | 'status'>;

function accountOf(ctx: ApiContext, accountId: string): AccountRow | undefined {
  return ctx.db.orm
    .select({ id: accounts.id, platform: accounts.platform, platformAccountId: accounts.platformAccountId, username: accounts.username, displayName: accounts.displayName, status: accounts.status })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
}

function conversationOf(ctx: ApiContext, conversationId: string): ConversationRow {
  const row = ctx.db.orm.select().from(conversations).where(and(eq(conversations.id, conversationId), isNull(conversations.deletedAt))).get();
  if (!row) throw new InboxError('not_found', 'That conversation no longer exists.');
  return row;
}

function messageOf(ctx: ApiContext, messageId: string): MessageRow | undefined {
  return ctx.db.orm.select().from(conversationMessages).where(and(eq(conversationMessages.id, messageId), isNull(conversationMessages.deletedAt))).get();
}

/** Their newest message in the thread: what a reply answers unless the user picked another. */
export function newestInbound(ctx: ApiContext, conversationId: string): MessageRow | undefined {
  return ctx.db.orm
    .select()
    .from(conversationMessages)
    .where(
      and(
        eq(conversationMessages.conversationId, conversationId),
        eq(conversationMessages.direction, 'inbound'),
        eq(conversationMessages.isPrivateNote, false),
        isNull(conversationMessages.deletedAt),
      ),
    )
    .orderBy(desc(conversationMessages.sentAt), desc(conversationMessages.seq))
    .limit(1)
    .get();
}

function answeredFor(ctx: ApiContext, conversation: ConversationRow, replyToMessageId: string | null | undefined): MessageRow {
  if (replyToMessageId) {
    const m = messageOf(ctx, replyToMessageId);
    if (!m || m.conversationId !== conversation.id) throw new InboxError('not_found', 'The message you are answering is no longer in this thread.');
    if (m.direction !== 'inbound' || m.isPrivateNote) throw new InboxError('invalid', 'Choose one of their messages to answer, not one of yours or a note.');
    return m;
  }
  const m = newestInbound(ctx, conversation.id);
  if (!m) throw new InboxError('invalid', 'There is no message from them in this thread to answer yet.');
  return m;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

const INBOX_KINDS: readonly InboxKind[] = ['dm', 'comment', 'mention'];

/** The answered message as the connector's ReplyRequest.to, from what ingestion kept of the item. */
export function replyTarget(conversation: ConversationRow, answered: MessageRow): ReplyRequest['to'] | null {
  const md = answered.metadata;
  const kind: InboxKind = (INBOX_KINDS as readonly unknown[]).includes(md['kind'])
    ? (md['kind'] as InboxKind)
    : { dm: 'dm', comment_thread: 'comment', mention: 'mention' }[threadKindOf(conversation.metadata)] as InboxKind;
  // Ingestion always stores the thread on the message; a conversation that came another way (an
  // import, the demo data) still names its thread on the network in its own external id. Comment
  // and mention ids ('c:'/'m:' + thread + author) can't be split safely (thread ids hold ':').
  const ext = conversation.externalConversationId;
  const fromConversation = ext === null ? null : ext.startsWith('dm:') ? ext.slice(3) : /^[cm]:/.test(ext) ? null : ext;
  const threadId = str(md['threadId']) ?? fromConversation;
  if (answered.externalMessageId === null || threadId === null) return null;
  return { kind, platformMessageId: answered.externalMessageId, threadId, replyDeadline: num(md['replyDeadline']) };
}

function ago(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / MINUTE));
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours ago`;
  return `${Math.round(hours / 24)} days ago`;
}

function span(ms: number): string {
  return ms % 86_400_000 === 0 && ms >= 2 * 86_400_000 ? `${ms / 86_400_000} days` : `${Math.round(ms / 3_600_000)} hours`;
}

/** The network's reply window in words: "Facebook only accepts a reply within 24 hours of their message". */
export function windowRule(platform: Platform, kind: InboxKind): string {
  const name = PLATFORM_NAMES[platform];
  const windows = capabilitiesOf(platform)?.replyWindows;
  const length = kind === 'dm' ? windows?.dmMs : windows?.privateReplyToCommentMs;
  return length ? `${name} only accepts a reply within ${span(length)} of their message` : `${name} only accepts a reply to this message until a deadline`;
}

/** Why a reply cannot go out any more, in the network's own terms where we know them. */
export function windowClosedReason(platform: Platform, kind: InboxKind, deadline: number, now: number): string {
  return `${windowRule(platform, kind)}, and that window closed ${ago(now - deadline)}. If they write again, you can answer that.`;
}

// --- queueing ----------------------------------------------------------------------------------

export interface QueueReplyInput {
  conversationId: string;
  text: string;
  replyToMessageId?: string | null | undefined;
  savedReplyId?: string | null | undefined;
}

/** A pending outbound message under `answered`, with the thread's list fields updated. */
export function insertOutbound(
  tx: Tx,
  conversation: ConversationRow,
  account: AccountRow,
  answered: MessageRow,
  text: string,
  metadata: Record<string, unknown>,
  now: number,
): MessageRow {
  const row = tx
    .insert(conversationMessages)
    .values({
      workspaceId: conversation.workspaceId,
      conversationId: conversation.id,
      direction: 'outbound',
      content: text,
      senderId: account.platformAccountId,
      senderName: account.displayName ?? account.username,
      isFromAgent: true,
      replyToMessageId: answered.id,
      status: 'pending',
      sentAt: now,
      metadata,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  tx.update(conversations)
    .set({ lastMessageAt: sql`MAX(COALESCE(${conversations.lastMessageAt}, 0), ${now})`, lastMessagePreview: previewOf(text), unreadCount: 0, updatedAt: now })
    .where(eq(conversations.id, conversation.id))
    .run();
  return row;
}

function checkWindow(platform: Platform, to: ReplyRequest['to'], now: number): void {
  if (!replyWindowOpen(to, now)) throw new InboxError('invalid', windowClosedReason(platform, to.kind, to.replyDeadline ?? now, now));
}

export function queueReply(ctx: ApiContext, input: QueueReplyInput, now = Date.now()): MessageView {
  const scheduler = schedulerFor(ctx.db);
  if (!scheduler) throw new InboxError('conflict', 'Sending is not running in this window; restart Postdesk.');
  const conversation = conversationOf(ctx, input.conversationId);
  const account = accountOf(ctx, conversation.accountId);
  if (!account) throw new InboxError('not_found', 'The account this conversation came in on has been removed.');
  if (account.status === 'disconnected') {
    throw new InboxError('conflict', `${account.username ?? PLATFORM_NAMES[account.platform]} is disconnected; reconnect it on the Accounts page to reply from it.`);
  }
  const answered = answeredFor(ctx, conversation, input.replyToMessageId);
  const to = replyTarget(conversation, answered);
  if (!to) throw new InboxError('invalid', `Postdesk does not know where to send a reply to this message on ${PLATFORM_NAMES[account.platform]}.`);
  checkWindow(account.platform, to, now);

  const row = ctx.db.orm.transaction((tx) => {
    let savedReplyId: string | null = null;
    if (input.savedReplyId) {
      // A saved reply deleted meanwhile is no reason to refuse the user's text; it just isn't counted.
      const bumped = tx
        .update(savedReplies)
        .set({ useCount: sql`${savedReplies.useCount} + 1`, updatedAt: now })
        .where(and(eq(savedReplies.id, input.savedReplyId), eq(savedReplies.workspaceId, conversation.workspaceId), isNull(savedReplies.deletedAt)))
        .run();
      if (bumped.changes > 0) savedReplyId = input.savedReplyId;
    }
    const m = insertOutbound(tx, conversation, account, answered, input.text, savedReplyId === null ? {} : { savedReplyId }, now);
    scheduler.enqueue(sendReply, { messageId: m.id }, { runAt: now, uniqueKey: `inbox.reply:${m.id}`, idempotencyKey: replyKeyFor(m.id), workspaceId: conversation.workspaceId, accountId: account.id });
    expectActivity(tx, account.id, now);
    return m;
  });
  ctx.events.emit('inbox.changed', { workspaceId: conversation.workspaceId, conversationIds: [conversation.id] });
  return toMessageView(row);
}

/** Send a failed reply again: back to pending, with a new job carrying the message's same key. */
export function retryReply(ctx: ApiContext, messageId: string, now = Date.now()): MessageView {
  const scheduler = schedulerFor(ctx.db);
  if (!scheduler) throw new InboxError('conflict', 'Sending is not running in this window; restart Postdesk.');
  const m = messageOf(ctx, messageId);
  if (!m) throw new InboxError('not_found', 'That message no longer exists.');
  if (m.direction !== 'outbound' || m.isPrivateNote) throw new InboxError('invalid', 'Only a reply you wrote can be sent again.');
  if (m.status !== 'failed') throw new InboxError('conflict', m.status === 'pending' ? 'This reply is already waiting to be sent.' : 'This reply has already been sent.');
  const conversation = conversationOf(ctx, m.conversationId);
  const account = accountOf(ctx, conversation.accountId);
  if (!account) throw new InboxError('not_found', 'The account this conversation came in on has been removed.');
  const answered = m.replyToMessageId === null ? undefined : messageOf(ctx, m.replyToMessageId);
  const to = answered ? replyTarget(conversation, answered) : null;
  if (!to) throw new InboxError('invalid', 'The message this replied to is no longer in the thread; write a new reply instead.');
  checkWindow(account.platform, to, now);
  const row = ctx.db.orm.transaction((tx) => {
    const { error: _error, sendStartedAt: _started, ...rest } = m.metadata;
    const updated = tx.update(conversationMessages).set({ status: 'pending', metadata: rest, updatedAt: now }).where(eq(conversationMessages.id, m.id)).returning().get();
    // The same key as before: if the earlier send did reach Mastodon or Bluesky after all, this
    // finds that one instead of posting a second.
    scheduler.enqueue(sendReply, { messageId: m.id }, { runAt: now, uniqueKey: `inbox.reply:${m.id}:${now}`, idempotencyKey: replyKeyFor(m.id), workspaceId: conversation.workspaceId, accountId: account.id });
    return updated;
  });
  ctx.events.emit('inbox.changed', { workspaceId: conversation.workspaceId, conversationIds: [conversation.id] });
  return toMessageView(row);
}

// --- sending -------------------------------------------------------------------------------------

interface Outbound {
  message: MessageRow;
  conversation: ConversationRow;
  answered: MessageRow | undefined;
}

function loadOutbound(ctx: ApiContext, messageId: string): Outbound | null {
  const message = messageOf(ctx, messageId);
  if (!message || message.direction !== 'outbound') return null;
  const conversation = ctx.db.orm.select().from(conversations).where(and(eq(conversations.id, message.conversationId), isNull(conversations.deletedAt))).get();
  if (!conversation) return null;
  const answered = message.replyToMessageId === null ? undefined : messageOf(ctx, message.replyToMessageId);
  return { message, conversation, answered };
}

function followupIdOf(m: MessageRow): string | null {
  return str(m.metadata['followupId']);
}

function setMetadata(ctx: ApiContext, m: MessageRow, patch: Record<string, unknown>, now: number): void {
  const metadata = { ...m.metadata };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete metadata[k];
    else metadata[k] = v;
  }
  ctx.db.orm.update(conversationMessages).set({ metadata, updatedAt: now }).where(eq(conversationMessages.id, m.id)).run();
  m.metadata = metadata;
}

function markSent(ctx: ApiContext, o: Outbound, out: PublishedItem, now: number): void {
  const { message: m, conversation } = o;
  const { error: _error, sendStartedAt: _started, waiting: _waiting, ...rest } = m.metadata;
  ctx.db.orm.transaction((tx) => {
    // A poll may have brought our own reply in before the send was recorded: it is this message.
    tx.delete(conversationMessages)
      .where(and(eq(conversationMessages.conversationId, conversation.id), eq(conversationMessages.externalMessageId, out.platformPostId), ne(conversationMessages.id, m.id)))
      .run();
    tx.update(conversationMessages)
      .set({ status: 'sent', externalMessageId: out.platformPostId, metadata: { ...rest, url: out.url }, updatedAt: now })
      .where(eq(conversationMessages.id, m.id))
      .run();
    const followupId = followupIdOf(m);
    if (followupId !== null) {
      tx.update(automatedFollowups).set({ status: 'sent', sentAt: now, errorMessage: null, updatedAt: now }).where(eq(automatedFollowups.id, followupId)).run();
    }
    // A person answered: whatever was escalated on this thread has been dealt with.
    if (m.metadata['automatic'] === undefined) resolveEscalations(tx, [conversation.id], now);
  });
  ctx.events.emit('inbox.changed', { workspaceId: conversation.workspaceId, conversationIds: [conversation.id] });
}

function markFailed(ctx: ApiContext, o: Outbound, reason: string, now: number): void {
  const { message: m, conversation } = o;
  const { sendStartedAt: _started, waiting: _waiting, ...rest } = m.metadata;
  ctx.db.orm.transaction((tx) => {
    tx.update(conversationMessages)
      .set({ status: 'failed', metadata: { ...rest, error: reason }, updatedAt: now })
      .where(and(eq(conversationMessages.id, m.id), eq(conversationMessages.status, 'pending')))
      .run();
    const followupId = followupIdOf(m);
    if (followupId !== null) {
      tx.update(automatedFollowups).set({ status: 'failed', errorMessage: reason, updatedAt: now }).where(and(eq(automatedFollowups.id, followupId), eq(automatedFollowups.status, 'pending'))).run();
    }
  });
  ctx.events.emit('inbox.changed', { workspaceId: conversation.workspaceId, conversationIds: [conversation.id] });
}

/** What a repeated send with the same key does on this network (see the top of this file). */
export function replayGuarantee(platform: Platform, kind: InboxKind): 'key_for_an_hour' | 'derived_record' | 'none' {
  if (platform === 'mastodon') return 'key_for_an_hour';
  if (platform === 'bluesky' && kind !== 'dm') return 'derived_record';
  return 'none';
}

function mayHaveBeenSent(platform: Platform): string {
  return `This reply may have been sent: Postdesk lost track of it while sending, and ${PLATFORM_NAMES[platform]} offers no way to check. Look at the conversation on ${PLATFORM_NAMES[platform]} before sending it again.`;
}

export interface SendAttempt {
  idempotencyKey: string;
  attempt: number;
  maxAttempts: number;
  signal: AbortSignal;
  now(): number;
}

export type SendResult = { status: 'sent'; externalMessageId: string; url: string | null } | { status: 'skipped'; reason: string };

/**
 * Send one pending outbound message through its account's connector. On success it reads 'sent';
 * on a refusal, or when attempts run out, 'failed' with the reason; while retries remain it stays
 * pending and the error is rethrown for the scheduler to retry.
 */
export async function sendOutbound(ctx: ApiContext, messageId: string, job: SendAttempt): Promise<SendResult> {
  const o = loadOutbound(ctx, messageId);
  if (!o) return { status: 'skipped', reason: 'The message or its conversation was deleted.' };
  if (o.message.status !== 'pending') return { status: 'skipped', reason: `The message is already ${o.message.status}.` };
  const account = accountOf(ctx, o.conversation.accountId);
  const refuse = (reason: string): JobError => {
    markFailed(ctx, o, reason, job.now());
    return new JobError(reason, { retryable: false, effect: 'none' });
  };
  if (!account) throw refuse('The account this conversation came in on has been removed.');
  const to = o.answered ? replyTarget(o.conversation, o.answered) : null;
  if (!to) throw refuse('The message this replied to is no longer in the thread, so there is nothing to answer on the network.');
  if (!replyWindowOpen(to, job.now())) throw refuse(windowClosedReason(account.platform, to.kind, to.replyDeadline ?? job.now(), job.now()));

  // Written before the network call: after a crash, reconcile knows a send may have started.
  setMetadata(ctx, o.message, { sendStartedAt: job.now(), waiting: undefined }, job.now());
  let out: PublishedItem;
  try {
    out = await withAccountJob(ctx, account.id, (connector, connected) =>
      connector.reply(connected, { to, text: o.message.content, media: [], idempotencyKey: job.idempotencyKey, signal: job.signal }),
    );
  } catch (err) {
    // Stopped, cancelled or timed out: the runner decides, and reconcile looks before any resend.
    if (job.signal.aborted) throw err;
    const je = err instanceof JobError ? err : null;
    const message = err instanceof Error ? err.message : String(err);
    if (je?.hold) {
      setMetadata(ctx, o.message, { sendStartedAt: undefined, waiting: message }, job.now());
      throw err;
    }
    const retryable = je ? je.retryable : !(err instanceof AccountNotFoundError || err instanceof InboxError);
    const certainlyNotSent = je?.effect === 'none';
    if (retryable && job.attempt < job.maxAttempts) {
      if (certainlyNotSent) setMetadata(ctx, o.message, { sendStartedAt: undefined }, job.now());
      throw err;
    }
    const unsure = !certainlyNotSent && replayGuarantee(account.platform, to.kind) === 'none';
    markFailed(ctx, o, unsure ? `${message} ${mayHaveBeenSent(account.platform)}` : message, job.now());
    throw je ?? new JobError(message, { retryable: false, effect: certainlyNotSent ? 'none' : 'unknown', cause: err });
  }
  markSent(ctx, o, out, job.now());
  return { status: 'sent', externalMessageId: out.platformPostId, url: out.url };
}

/**
 * After a send was interrupted (crash, timeout, a reply lost on the wire): did it go out? 'sent'
 * (found and recorded), 'resend' (safe to send again with the same key), 'settled' (nothing to
 * do, or marked failed because the network cannot tell us).
 */
export async function reconcileOutbound(ctx: ApiContext, messageId: string, idempotencyKey: string, now: () => number, signal?: AbortSignal): Promise<'sent' | 'resend' | 'settled'> {
  const o = loadOutbound(ctx, messageId);
  if (!o || o.message.status !== 'pending') return 'settled';
  const started = num(o.message.metadata['sendStartedAt']);
  // The attempt never reached the network call.
  if (started === null) return 'resend';
  const account = accountOf(ctx, o.conversation.accountId);
  const to = o.answered ? replyTarget(o.conversation, o.answered) : null;
  if (!account || !to) return 'resend';
  switch (replayGuarantee(account.platform, to.kind)) {
    case 'key_for_an_hour':
      if (now() - started < MASTODON_KEY_SAFE_MS) return 'resend';
      break;
    case 'derived_record': {
      const found = await withAccount(ctx, account.id, (connector, connected) =>
        connector.findPublished(connected, { idempotencyKey }, { since: started - 15 * MINUTE, ...(signal ? { signal } : {}) }),
      );
      if (found) {
        markSent(ctx, o, found, now());
        return 'sent';
      }
      return 'resend';
    }
    case 'none':
      break;
  }
  markFailed(ctx, o, mayHaveBeenSent(account.platform), now());
  return 'settled';
}

const replyPayload = z.object({ messageId: z.string() });

async function runReply(job: JobContext<z.infer<typeof replyPayload>, CoreApp>): Promise<SendResult> {
  return sendOutbound(job.app.ctx, job.payload.messageId, { idempotencyKey: job.idempotencyKey, attempt: job.attempt, maxAttempts: job.job.maxAttempts, signal: job.signal, now: job.now });
}

export const sendReply = defineJob<z.infer<typeof replyPayload>, SendResult, CoreApp>({
  type: 'inbox.reply',
  payload: replyPayload,
  maxAttempts: REPLY_MAX_ATTEMPTS,
  backoff: REPLY_BACKOFF,
  priority: 8,
  timeoutMs: 2 * MINUTE,
  handler: runReply,
  reconcile: async ({ app, payload, idempotencyKey, now, signal }) => {
    const verdict = await reconcileOutbound(app.ctx, payload.messageId, idempotencyKey, now, signal);
    if (verdict === 'resend') return { done: false };
    const m = messageOf(app.ctx, payload.messageId);
    if (verdict === 'sent' && m?.externalMessageId) return { done: true, result: { status: 'sent', externalMessageId: m.externalMessageId, url: str(m.metadata['url']) } };
    return { done: true, result: { status: 'skipped', reason: m?.status === 'failed' ? (str(m.metadata['error']) ?? 'failed') : 'Nothing left to send.' } };
  },
});
