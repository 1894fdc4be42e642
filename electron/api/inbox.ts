// Inbox: DMs, comments on our posts and mentions from every account in one list; threads with
// replies, notes, status, snooze, priority and tags; search across every message; saved replies;
// rules that triage without AI; follow-ups; polling. The contact behind a sender is in ./customers.
import { z } from 'zod';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, PLATFORMS, TRIAGE_DECISIONS } from '../../db/schema';
import { markRead, markUnread, addNote, setAiMode, setPriority, setStatus, setTags, snooze } from '../core/inbox/actions';
import { cancelFollowup, scheduleFollowup } from '../core/inbox/followups';
import { inboxCounts, listConversations, listTags } from '../core/inbox/list';
import { listPollStates, pollNow } from '../core/inbox/polling';
import { queueReply, retryReply } from '../core/inbox/reply';
import { getRules, setAutoReply, updateRules } from '../core/inbox/rules';
import { createSavedReply, deleteSavedReply, listSavedReplies, updateSavedReply } from '../core/inbox/saved-replies';
import { searchInbox } from '../core/inbox/search';
import { getThread } from '../core/inbox/thread';
import { INBOX_VIEWS, THREAD_KINDS } from '../core/inbox/views';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const conversationId = id;
const conversationIds = z.array(id).min(1).max(500);
const epoch = z.number().int().min(0).max(8_640_000_000_000);
/** A reply or note: the networks' longest is LinkedIn's 3000 and Meta's 2000; 20k is a generous cap. */
const body = z.string().trim().min(1, 'write something first').max(20_000);
const tag = z.string().trim().min(1).max(60);
const keywordList = z.array(z.string().trim().min(1).max(200)).max(500);

export const inboxApi = area('inbox', {
  'inbox.list': method({
    description: 'Conversations and comment threads by last activity, filtered; offset windows for a virtual list.',
    input: z.object({
      workspaceId,
      view: z.enum(INBOX_VIEWS).default('open'),
      accountIds: z.array(id).max(100).optional(),
      platforms: z.array(z.enum(PLATFORMS)).max(20).optional(),
      kinds: z.array(z.enum(THREAD_KINDS)).max(3).optional(),
      unreadOnly: z.boolean().optional(),
      priorities: z.array(z.enum(CONVERSATION_PRIORITIES)).max(4).optional(),
      tag: tag.optional(),
      triage: z.array(z.enum(TRIAGE_DECISIONS)).max(3).optional(),
      escalatedOnly: z.boolean().optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    handler: (ctx, i) => listConversations(ctx.db, i),
  }),
  'inbox.counts': method({
    description: 'Counts per status tab, unread (the sidebar badge), unresolved escalations and unread per account.',
    input: z.object({ workspaceId }),
    handler: (ctx, i) => inboxCounts(ctx.db, i.workspaceId),
  }),
  'inbox.tags': method({
    description: 'Every tag used on a conversation of the workspace, for the tag filter and picker.',
    input: z.object({ workspaceId }),
    handler: (ctx, i) => listTags(ctx.db, i.workspaceId),
  }),
  'inbox.search': method({
    description: 'Full-text search across every message (words, "a phrase", prefixes while typing), best match per conversation.',
    input: z.object({ workspaceId, query: z.string().max(512), limit: z.number().int().min(1).max(200).default(50) }),
    handler: (ctx, i) => searchInbox(ctx.db, i),
  }),
  'inbox.get': method({
    description: 'One thread: its messages (newest page, or older than `before`), reply window, customer, follow-ups, escalations, triage.',
    input: z.object({ conversationId, before: epoch.nullable().optional(), limit: z.number().int().min(1).max(500).default(100) }),
    handler: (ctx, i) => getThread(ctx.db, i),
  }),
  'inbox.markRead': method({
    description: 'Mark a thread read.',
    input: z.object({ conversationIds }),
    handler: (ctx, i) => markRead(ctx, i.conversationIds),
  }),
  'inbox.markUnread': method({
    description: 'Mark a thread unread again.',
    input: z.object({ conversationIds }),
    handler: (ctx, i) => markUnread(ctx, i.conversationIds),
  }),
  'inbox.setStatus': method({
    description: 'Open, pending or closed (closing also ends a snooze).',
    input: z.object({ conversationIds, status: z.enum(CONVERSATION_STATUSES) }),
    handler: (ctx, i) => setStatus(ctx, i.conversationIds, i.status),
  }),
  'inbox.snooze': method({
    description: 'Hide threads until a time (they come back to Open then, or sooner if the customer writes); null wakes them now.',
    input: z.object({ conversationIds, until: epoch.nullable() }),
    handler: (ctx, i) => snooze(ctx, i.conversationIds, i.until),
  }),
  'inbox.setPriority': method({
    description: 'Low, normal, high or urgent.',
    input: z.object({ conversationIds, priority: z.enum(CONVERSATION_PRIORITIES) }),
    handler: (ctx, i) => setPriority(ctx, i.conversationIds, i.priority),
  }),
  'inbox.setTags': method({
    description: "Replace a thread's tags.",
    input: z.object({ conversationId, tags: z.array(tag).max(30) }),
    handler: (ctx, i) => setTags(ctx, i.conversationId, i.tags),
  }),
  'inbox.setAiMode': method({
    description: 'Let AI triage and draft for this thread, or keep it to people only.',
    input: z.object({ conversationId, aiMode: z.enum(['ON', 'OFF']) }),
    handler: (ctx, i) => setAiMode(ctx, i.conversationId, i.aiMode),
  }),
  'inbox.addNote': method({
    description: 'A private note on the thread: kept with the messages, never sent.',
    input: z.object({ conversationId, text: body }),
    handler: (ctx, i) => addNote(ctx, i.conversationId, i.text),
  }),
  'inbox.reply': method({
    description: 'Reply in the thread through its network, threaded under the message answered; queued while offline and retried.',
    input: z.object({ conversationId, text: body, replyToMessageId: id.nullable().optional(), savedReplyId: id.nullable().optional() }),
    handler: (ctx, i) => queueReply(ctx, i),
  }),
  'inbox.retryReply': method({
    description: 'Send a failed reply again.',
    input: z.object({ messageId: id }),
    handler: (ctx, i) => retryReply(ctx, i.messageId),
  }),
  'inbox.refresh': method({
    description: 'Fetch new messages now, for one account or every account of the workspace.',
    input: z.object({ workspaceId, accountId: id.optional() }),
    handler: (ctx, i) => pollNow(ctx, i.workspaceId, i.accountId),
  }),
  'inbox.pollStatus': method({
    description: "Each account's polling pace, last and next poll, last error and auto-reply setting.",
    input: z.object({ workspaceId }),
    handler: (ctx, i) => listPollStates(ctx.db, i.workspaceId),
  }),
  'inbox.setAutoReply': method({
    description: 'Allow automatic sends (AI replies) for an account. Off by default; every automatic send is logged.',
    input: z.object({ accountId: id, enabled: z.boolean() }),
    handler: (ctx, i) => setAutoReply(ctx, i.accountId, i.enabled),
  }),
  'inbox.rules': method({
    description: 'The triage rules: flagged keywords and phrases (escalate), ignore examples (ignore), AI on for chats/comments.',
    input: z.object({ workspaceId }),
    handler: (ctx, i) => getRules(ctx.db, i.workspaceId),
  }),
  'inbox.updateRules': method({
    description: 'Change the triage rules; applies to messages that arrive from now on.',
    input: z.object({
      workspaceId,
      flaggedKeywords: keywordList.optional(),
      flaggedPhrases: keywordList.optional(),
      ignoreExamples: keywordList.optional(),
      aiEnabledForChats: z.boolean().optional(),
      aiEnabledForComments: z.boolean().optional(),
    }),
    handler: (ctx, i) => updateRules(ctx, i),
  }),
  'inbox.savedReplies': method({
    description: 'Saved replies, most used first (the reply box\'s "/" menu).',
    input: z.object({ workspaceId }),
    handler: (ctx, i) => listSavedReplies(ctx.db, i.workspaceId),
  }),
  'inbox.createSavedReply': method({
    description: 'Save a reply to insert later with "/".',
    input: z.object({ workspaceId, title: z.string().trim().min(1).max(120), content: body, shortcut: z.string().trim().regex(/^[\p{L}\p{N}_-]{1,40}$/u, 'a shortcut is one word').nullable().optional(), tags: z.array(tag).max(20).optional() }),
    handler: (ctx, i) => createSavedReply(ctx, i),
  }),
  'inbox.updateSavedReply': method({
    description: 'Edit a saved reply.',
    input: z.object({ savedReplyId: id, title: z.string().trim().min(1).max(120).optional(), content: body.optional(), shortcut: z.string().trim().regex(/^[\p{L}\p{N}_-]{1,40}$/u, 'a shortcut is one word').nullable().optional(), tags: z.array(tag).max(20).optional() }),
    handler: (ctx, i) => updateSavedReply(ctx, i),
  }),
  'inbox.deleteSavedReply': method({
    description: 'Delete a saved reply.',
    input: z.object({ savedReplyId: id }),
    handler: (ctx, i) => deleteSavedReply(ctx, i.savedReplyId),
  }),
  'inbox.scheduleFollowup': method({
    description: 'Send a message later if the customer has not written by then (cancelled when they reply, unless told otherwise).',
    input: z.object({ conversationId, message: body, at: epoch, reason: z.string().trim().max(60).optional(), cancelOnReply: z.boolean().default(true) }),
    handler: (ctx, i) => scheduleFollowup(ctx, i),
  }),
  'inbox.cancelFollowup': method({
    description: 'Cancel a pending follow-up.',
    input: z.object({ followupId: id }),
    handler: (ctx, i) => cancelFollowup(ctx, i.followupId),
  }),
});
