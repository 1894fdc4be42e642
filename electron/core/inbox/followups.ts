// 000 AutomatedFollowup on the scheduler: "if they haven't answered by Friday, send this". The row
// and its 'inbox.followup' job are written together; at the time, the job checks the follow-up is
// still wanted and sends it through the same path as a reply (reply.ts sendOutbound), as an
// outbound message marked metadata.automatic = 'followup' so the thread shows it went out on its
// own. That message and the follow-up row (sent_at, or error_message) are the log of the send.
//
// A follow-up the user scheduled is their own message at a time they chose, so it is sent without
// the account's auto-reply switch (that switch governs what the AI would send on its own).
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accounts } from '../../../db/schema/accounts';
import { automatedFollowups, conversationMessages, conversations } from '../../../db/schema/inbox';
import { jobs } from '../../../db/schema/jobs';
import { replyWindowOpen } from '../../platforms/connector';
import { defineJob } from '../../scheduler/definitions';
import { schedulerFor } from '../../scheduler/scheduler';
import type { ApiContext, CoreApp } from '../context';
import { insertOutbound, newestInbound, reconcileOutbound, REPLY_BACKOFF, REPLY_MAX_ATTEMPTS, replyTarget, sendOutbound, windowClosedReason, windowRule, type SendResult } from './reply';
import { InboxError, type ConversationRow, type MessageRow } from './summary';
import type { FollowupView } from './views';

type FollowupRow = typeof automatedFollowups.$inferSelect;

export function toFollowupView(r: FollowupRow): FollowupView {
  return {
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
  };
}

function followupOf(ctx: ApiContext, followupId: string): FollowupRow | undefined {
  return ctx.db.orm.select().from(automatedFollowups).where(and(eq(automatedFollowups.id, followupId), isNull(automatedFollowups.deletedAt))).get();
}

function conversationOf(ctx: ApiContext, conversationId: string | null): ConversationRow | undefined {
  if (conversationId === null) return undefined;
  return ctx.db.orm.select().from(conversations).where(and(eq(conversations.id, conversationId), isNull(conversations.deletedAt))).get();
}

function accountOf(ctx: ApiContext, accountId: string) {
  return ctx.db.orm
    .select({ id: accounts.id, platform: accounts.platform, platformAccountId: accounts.platformAccountId, username: accounts.username, displayName: accounts.displayName, status: accounts.status })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
}

/** A time a follow-up may be set for: not in the past (a minute's grace for a slow click). */
const PAST_GRACE_MS = 60_000;

export interface ScheduleFollowupInput {
  conversationId: string;
  message: string;
  at: number;
  reason?: string | undefined;
  cancelOnReply: boolean;
}

export function scheduleFollowup(ctx: ApiContext, input: ScheduleFollowupInput, now = Date.now()): FollowupView {
  const scheduler = schedulerFor(ctx.db);
  if (!scheduler) throw new InboxError('conflict', 'Sending is not running in this window; restart Postdesk.');
  const conversation = conversationOf(ctx, input.conversationId);
  if (!conversation) throw new InboxError('not_found', 'That conversation no longer exists.');
  if (input.at < now - PAST_GRACE_MS) throw new InboxError('invalid', 'Choose a time in the future for the follow-up.');
  const account = accountOf(ctx, conversation.accountId);
  if (!account) throw new InboxError('not_found', 'The account this conversation came in on has been removed.');
  // A follow-up goes out as a reply to their latest message, so there must be one, and the
  // network must still accept a reply to it at that time.
  const answered = newestInbound(ctx, conversation.id);
  if (!answered) throw new InboxError('invalid', 'A follow-up is sent as a reply, and there is no message from them in this thread to reply to yet.');
  const to = replyTarget(conversation, answered);
  if (to && !replyWindowOpen(to, input.at)) {
    throw new InboxError('invalid', `${windowRule(account.platform, to.kind)}, and that window closes before the time you chose. Choose an earlier time, or reply now.`);
  }
  const row = ctx.db.orm.transaction((tx) => {
    const r = tx
      .insert(automatedFollowups)
      .values({
        workspaceId: conversation.workspaceId,
        conversationId: conversation.id,
        customerId: conversation.customerId,
        message: input.message,
        reason: input.reason ?? null,
        scheduledFor: input.at,
        cancelOnReply: input.cancelOnReply,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    scheduler.enqueue(sendFollowup, { followupId: r.id }, { runAt: input.at, uniqueKey: `inbox.followup:${r.id}`, idempotencyKey: `pd-followup-${r.id}`, workspaceId: conversation.workspaceId, accountId: conversation.accountId });
    return r;
  });
  ctx.events.emit('inbox.changed', { workspaceId: conversation.workspaceId, conversationIds: [conversation.id] });
  return toFollowupView(row);
}

function jobsOf(ctx: ApiContext, followupId: string): { id: string; status: string }[] {
  return ctx.db.orm
    .select({ id: jobs.id, status: jobs.status })
    .from(jobs)
    .where(and(eq(jobs.type, sendFollowup.type), sql`${jobs.status} IN ('pending', 'running')`, sql`json_extract(${jobs.payload}, '$.followupId') = ${followupId}`))
    .all();
}

export function cancelFollowup(ctx: ApiContext, followupId: string, now = Date.now()): FollowupView {
  const f = followupOf(ctx, followupId);
  if (!f) throw new InboxError('not_found', 'That follow-up no longer exists.');
  if (f.status !== 'pending') throw new InboxError('conflict', `This follow-up has already ${f.status === 'sent' ? 'been sent' : f.status === 'failed' ? 'failed' : 'been cancelled'}.`);
  const queued = jobsOf(ctx, followupId);
  // Stopping a send halfway could leave it unknown whether it went out; let it finish.
  if (queued.some((j) => j.status === 'running')) throw new InboxError('conflict', 'This follow-up is being sent right now.');
  const row = ctx.db.orm
    .update(automatedFollowups)
    .set({ status: 'cancelled', updatedAt: now })
    .where(and(eq(automatedFollowups.id, followupId), eq(automatedFollowups.status, 'pending')))
    .returning()
    .get();
  const scheduler = schedulerFor(ctx.db);
  for (const j of queued) scheduler?.cancel(j.id);
  if (f.conversationId !== null) {
    const c = conversationOf(ctx, f.conversationId);
    if (c) ctx.events.emit('inbox.changed', { workspaceId: c.workspaceId, conversationIds: [c.id] });
  }
  return toFollowupView(row ?? { ...f, status: 'cancelled' });
}

// --- the job --------------------------------------------------------------------------------------

/** The outbound message an earlier attempt of this follow-up created, if any. */
function messageFor(ctx: ApiContext, f: FollowupRow): MessageRow | undefined {
  if (f.conversationId === null) return undefined;
  return ctx.db.orm
    .select()
    .from(conversationMessages)
    .where(
      and(
        eq(conversationMessages.conversationId, f.conversationId),
        eq(conversationMessages.direction, 'outbound'),
        sql`json_extract(${conversationMessages.metadata}, '$.followupId') = ${f.id}`,
        isNull(conversationMessages.deletedAt),
      ),
    )
    .get();
}

/** The customer wrote after the follow-up was set up: in this thread, or in any of theirs. */
function customerWroteSince(ctx: ApiContext, f: FollowupRow, conversation: ConversationRow): boolean {
  const customerId = f.customerId ?? conversation.customerId;
  const row = ctx.db.orm
    .select({ id: conversationMessages.id })
    .from(conversationMessages)
    .innerJoin(conversations, eq(conversations.id, conversationMessages.conversationId))
    .where(
      and(
        customerId === null ? eq(conversationMessages.conversationId, conversation.id) : or(eq(conversationMessages.conversationId, conversation.id), eq(conversations.customerId, customerId)),
        eq(conversationMessages.direction, 'inbound'),
        eq(conversationMessages.isPrivateNote, false),
        sql`${conversationMessages.sentAt} > ${f.createdAt}`,
        isNull(conversationMessages.deletedAt),
      ),
    )
    .limit(1)
    .get();
  return row !== undefined;
}

function settle(ctx: ApiContext, f: FollowupRow, status: 'cancelled' | 'failed', error: string | null, now: number, workspaceId: string | null): void {
  ctx.db.orm
    .update(automatedFollowups)
    .set({ status, errorMessage: error, updatedAt: now })
    .where(and(eq(automatedFollowups.id, f.id), eq(automatedFollowups.status, 'pending')))
    .run();
  if (workspaceId !== null && f.conversationId !== null) ctx.events.emit('inbox.changed', { workspaceId, conversationIds: [f.conversationId] });
}

export type FollowupResult = SendResult | { status: 'cancelled'; reason: string } | { status: 'failed'; reason: string };

const followupPayload = z.object({ followupId: z.string() });

export const sendFollowup = defineJob<z.infer<typeof followupPayload>, FollowupResult, CoreApp>({
  type: 'inbox.followup',
  payload: followupPayload,
  maxAttempts: REPLY_MAX_ATTEMPTS,
  backoff: REPLY_BACKOFF,
  priority: 6,
  timeoutMs: 2 * 60_000,
  handler: async ({ app, payload, idempotencyKey, attempt, job, signal, now }) => {
    const ctx = app.ctx;
    const f = followupOf(ctx, payload.followupId);
    if (!f || f.status !== 'pending') return { status: 'skipped', reason: f ? `The follow-up is already ${f.status}.` : 'The follow-up was deleted.' };
    const conversation = conversationOf(ctx, f.conversationId);
    if (!conversation) {
      settle(ctx, f, 'failed', 'The conversation was deleted before the follow-up was due.', now(), null);
      return { status: 'failed', reason: 'The conversation was deleted.' };
    }
    let message = messageFor(ctx, f);
    // Ingestion cancels eagerly when they write; this check makes either path enough. An attempt
    // that may already have reached the network is resent with its key instead (never cancelled
    // into a state that hides a message that went out).
    const unsent = message === undefined || (message.status === 'pending' && message.metadata['sendStartedAt'] === undefined);
    if (f.cancelOnReply && unsent && customerWroteSince(ctx, f, conversation)) {
      const t = now();
      ctx.db.orm.transaction((tx) => {
        if (message) tx.update(conversationMessages).set({ deletedAt: t, updatedAt: t }).where(eq(conversationMessages.id, message.id)).run();
        tx.update(automatedFollowups).set({ status: 'cancelled', updatedAt: t }).where(and(eq(automatedFollowups.id, f.id), eq(automatedFollowups.status, 'pending'))).run();
      });
      ctx.events.emit('inbox.changed', { workspaceId: conversation.workspaceId, conversationIds: [conversation.id] });
      return { status: 'cancelled', reason: 'They wrote after the follow-up was set up.' };
    }
    if (!message) {
      const account = accountOf(ctx, conversation.accountId);
      const answered = newestInbound(ctx, conversation.id);
      const to = answered ? replyTarget(conversation, answered) : null;
      const t = now();
      const reason = !account
        ? 'The account this conversation came in on has been removed.'
        : !answered || !to
          ? 'There is no message from them in this thread to reply to.'
          : !replyWindowOpen(to, t)
            ? windowClosedReason(account.platform, to.kind, to.replyDeadline ?? t, t)
            : null;
      if (reason !== null || !account || !answered) {
        settle(ctx, f, 'failed', reason, t, conversation.workspaceId);
        return { status: 'failed', reason: reason ?? 'It could not be sent.' };
      }
      message = ctx.db.orm.transaction((tx) => insertOutbound(tx, conversation, account, answered, f.message, { automatic: 'followup', followupId: f.id }, t));
      ctx.events.emit('inbox.changed', { workspaceId: conversation.workspaceId, conversationIds: [conversation.id] });
    } else if (message.status === 'sent') {
      // Sent by an earlier attempt (or a retry of its message): the row just catches up.
      ctx.db.orm.update(automatedFollowups).set({ status: 'sent', sentAt: now(), updatedAt: now() }).where(eq(automatedFollowups.id, f.id)).run();
      return { status: 'skipped', reason: 'Already sent.' };
    }
    // sendOutbound marks the follow-up sent or failed along with its message.
    return sendOutbound(ctx, message.id, { idempotencyKey, attempt, maxAttempts: job.maxAttempts, signal, now });
  },
  reconcile: async ({ app, payload, idempotencyKey, now, signal }) => {
    const ctx = app.ctx;
    const f = followupOf(ctx, payload.followupId);
    if (!f) return { done: true, result: { status: 'skipped', reason: 'The follow-up was deleted.' } };
    const message = messageFor(ctx, f);
    if (!message) return { done: false };
    const verdict = await reconcileOutbound(ctx, message.id, idempotencyKey, now, signal);
    if (verdict === 'resend') return { done: false };
    return { done: true, result: { status: 'skipped', reason: verdict === 'sent' ? 'Found sent after an interruption.' : 'Settled after an interruption.' } };
  },
});
