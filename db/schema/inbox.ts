// One inbox: DM threads (001 conversations + conversation_messages, 000 Conversation) and comments
// received on the workspace's posts (001 comments + 000 ReceivedComment), with the escalations and
// follow-ups that hang off them. conversation_messages and comments feed FTS5 (messages_fts,
// comments_fts), so they carry the stable integer `seq` beside their UUID.
import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { accounts } from './accounts';
import { aiDecisions } from './ai';
import {
  between,
  bool,
  enumCheck,
  enumText,
  epochMs,
  id,
  json,
  nonNegative,
  seqKey,
  syncedTimestamps,
  timestamps,
} from './columns';
import { customers } from './crm';
import { PLATFORMS, TRIAGE_DECISIONS } from './enums';
import { media } from './media';
import { monitoredPosts, postTargets } from './posts';
import { users, workspaceRef } from './workspaces';

export const CONVERSATION_STATUSES = ['open', 'pending', 'closed'] as const;
export const CONVERSATION_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const AI_MODES = ['ON', 'OFF'] as const;

export const conversations = sqliteTable(
  'conversations',
  {
    id: id(),
    workspaceId: workspaceRef(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The CRM contact behind the thread, once known. */
    customerId: text('customer_id').references((): AnySQLiteColumn => customers.id, { onDelete: 'set null' }),
    externalConversationId: text('external_conversation_id'),
    /** The other party's id on the network. */
    customerIdentifier: text('customer_identifier').notNull(),
    customerName: text('customer_name'),
    customerAvatarUrl: text('customer_avatar_url'),
    status: enumText('status', CONVERSATION_STATUSES).notNull().default('open'),
    priority: enumText('priority', CONVERSATION_PRIORITIES).notNull().default('normal'),
    assignedTo: text('assigned_to').references(() => users.id, { onDelete: 'set null' }),
    tags: json<string[]>('tags').notNull().default([]),
    /** 'OFF' once escalated to a human: the AI stops answering this thread. */
    aiMode: enumText('ai_mode', AI_MODES).notNull().default('ON'),
    automationDisabled: bool('automation_disabled').notNull().default(false),
    /** The latest triage decision (rules or AI; the log is ai_decisions), so the list filters on it. */
    triage: enumText('triage', TRIAGE_DECISIONS),
    unreadCount: integer('unread_count').notNull().default(0),
    lastMessageAt: epochMs('last_message_at'),
    /** The newest message's first characters, so the inbox list needs no join. */
    lastMessagePreview: text('last_message_preview'),
    snoozedUntil: epochMs('snoozed_until'),
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...syncedTimestamps(),
  },
  (t) => [
    // "50 open conversations by last message" is a walk of this index, no sort.
    index('conversations_inbox_idx').on(t.workspaceId, t.status, sql`${t.lastMessageAt} DESC`),
    uniqueIndex('conversations_account_external_unique').on(t.accountId, t.externalConversationId),
    index('conversations_customer_idx').on(t.customerId),
    // The inbox list (electron/core/inbox/list.ts): every filter it offers and its sort order are
    // in the index, live rows only, so counting a tab or skipping to offset 99,900 of 100k reads
    // index pages and never the table (40-80 ms -> 2-8 ms at 100k, measured on the large demo).
    index('conversations_list_idx')
      .on(
        t.workspaceId,
        t.status,
        sql`${t.lastMessageAt} DESC`,
        sql`${t.id} DESC`,
        t.snoozedUntil,
        t.unreadCount,
        t.accountId,
        t.priority,
        t.triage,
        sql`json_extract(${t.metadata}, '$.kind')`,
        t.tags,
      )
      .where(sql`${t.deletedAt} IS NULL`),
    index('conversations_snoozed_idx').on(t.snoozedUntil).where(sql`${t.snoozedUntil} IS NOT NULL`),
    // The sidebar's unread badge sums only threads with unread messages (8 ms -> 0.2 ms at 100k).
    index('conversations_unread_idx').on(t.workspaceId, t.status, t.unreadCount).where(sql`${t.unreadCount} > 0`),
    enumCheck('conversations', t.status, CONVERSATION_STATUSES),
    enumCheck('conversations', t.priority, CONVERSATION_PRIORITIES),
    enumCheck('conversations', t.aiMode, AI_MODES),
    enumCheck('conversations', t.triage, TRIAGE_DECISIONS),
    nonNegative('conversations', t.unreadCount),
  ],
);

export const MESSAGE_DIRECTIONS = ['inbound', 'outbound'] as const;
export const MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'file'] as const;
/** 001 sent/delivered/read/failed, plus 'pending' for a reply queued while offline. */
export const MESSAGE_STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;

export const conversationMessages = sqliteTable(
  'conversation_messages',
  {
    ...seqKey(),
    workspaceId: workspaceRef(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    externalMessageId: text('external_message_id'),
    direction: enumText('direction', MESSAGE_DIRECTIONS).notNull(),
    content: text('content').notNull().default(''),
    messageType: enumText('message_type', MESSAGE_TYPES).notNull().default('text'),
    mediaType: text('media_type'),
    /** 001 storage_object_name: the attachment, kept in the media library. */
    mediaId: text('media_id').references(() => media.id, { onDelete: 'set null' }),
    mediaUrl: text('media_url'),
    senderId: text('sender_id'),
    senderName: text('sender_name'),
    senderAvatarUrl: text('sender_avatar_url'),
    isFromAgent: bool('is_from_agent').notNull().default(false),
    /** A note the user wrote for themselves on the thread: shown in it, never sent. */
    isPrivateNote: bool('is_private_note').notNull().default(false),
    agentId: text('agent_id').references(() => users.id, { onDelete: 'set null' }),
    replyToMessageId: text('reply_to_message_id').references((): AnySQLiteColumn => conversationMessages.id, {
      onDelete: 'set null',
    }),
    status: enumText('status', MESSAGE_STATUSES).notNull().default('sent'),
    /** The network's timestamp, epoch ms (ordering within a thread). */
    sentAt: epochMs('sent_at').notNull(),
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...syncedTimestamps(),
  },
  (t) => [
    index('conversation_messages_conversation_sent_idx').on(t.conversationId, t.sentAt),
    uniqueIndex('conversation_messages_conversation_external_unique').on(t.conversationId, t.externalMessageId),
    // No index on workspace_id alone: nothing reads messages by workspace without a conversation,
    // a workspace's messages go by cascade through the conversation index, and every secondary
    // index costs bulk ingestion (measured in the db benchmark).
    enumCheck('conversation_messages', t.direction, MESSAGE_DIRECTIONS),
    enumCheck('conversation_messages', t.messageType, MESSAGE_TYPES),
    enumCheck('conversation_messages', t.status, MESSAGE_STATUSES),
  ],
);

export const comments = sqliteTable(
  'comments',
  {
    ...seqKey(),
    workspaceId: workspaceRef(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    monitoredPostId: text('monitored_post_id').references((): AnySQLiteColumn => monitoredPosts.id, {
      onDelete: 'set null',
    }),
    /** 001's deprecated post_id: our post the comment is on, when we published it. */
    targetId: text('target_id').references((): AnySQLiteColumn => postTargets.id, { onDelete: 'set null' }),
    customerId: text('customer_id').references((): AnySQLiteColumn => customers.id, { onDelete: 'set null' }),
    platform: enumText('platform', PLATFORMS).notNull(),
    platformCommentId: text('platform_comment_id').notNull(),
    /** The network's id of the post commented on. */
    platformPostId: text('platform_post_id'),
    authorName: text('author_name'),
    authorId: text('author_id'),
    authorAvatarUrl: text('author_avatar_url'),
    text: text('text').notNull().default(''),
    /** The parent comment's platform id (threaded replies). */
    parentId: text('parent_id'),
    likeCount: integer('like_count').notNull().default(0),
    /** NULL until triaged. */
    triage: enumText('triage', TRIAGE_DECISIONS),
    aiReplyText: text('ai_reply_text'),
    aiDecisionId: text('ai_decision_id').references((): AnySQLiteColumn => aiDecisions.id, { onDelete: 'set null' }),
    repliedAt: epochMs('replied_at'),
    hidden: bool('hidden').notNull().default(false),
    isRead: bool('is_read').notNull().default(false),
    /** The network's timestamp. */
    commentedAt: epochMs('commented_at').notNull(),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('comments_account_platform_comment_unique').on(t.accountId, t.platformCommentId),
    index('comments_workspace_commented_idx').on(t.workspaceId, t.commentedAt),
    index('comments_monitored_post_idx').on(t.monitoredPostId),
    index('comments_target_idx').on(t.targetId),
    index('comments_triage_idx').on(t.workspaceId, t.triage).where(sql`${t.repliedAt} IS NULL`),
    enumCheck('comments', t.platform, PLATFORMS),
    enumCheck('comments', t.triage, TRIAGE_DECISIONS),
    nonNegative('comments', t.likeCount),
  ],
);

/** Canned answers the user inserts with a shortcut. */
export const savedReplies = sqliteTable(
  'saved_replies',
  {
    id: id(),
    workspaceId: workspaceRef(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    shortcut: text('shortcut'),
    tags: json<string[]>('tags').notNull().default([]),
    useCount: integer('use_count').notNull().default(0),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('saved_replies_workspace_shortcut_unique').on(t.workspaceId, t.shortcut),
    nonNegative('saved_replies', t.useCount),
  ],
);

export const ESCALATION_REASONS = [
  'urgent_request',
  'human_requested',
  'legal_matter',
  'ai_limitation',
  'complex_issue',
] as const;

/** 001 support_escalations: a thread or comment the AI handed to a human. */
export const supportEscalations = sqliteTable(
  'support_escalations',
  {
    id: id(),
    workspaceId: workspaceRef(),
    conversationId: text('conversation_id').references(() => conversations.id, { onDelete: 'cascade' }),
    commentId: text('comment_id').references(() => comments.id, { onDelete: 'cascade' }),
    /** The customer's words that need a human. */
    message: text('message').notNull(),
    confidence: real('confidence'),
    reason: enumText('reason', ESCALATION_REASONS).notNull(),
    /** The user was told (001: email sent; here: a desktop notification). */
    notified: bool('notified').notNull().default(false),
    resolvedAt: epochMs('resolved_at'),
    ...syncedTimestamps(),
  },
  (t) => [
    index('support_escalations_workspace_created_idx').on(t.workspaceId, t.createdAt),
    index('support_escalations_conversation_idx').on(t.conversationId),
    index('support_escalations_comment_idx').on(t.commentId),
    enumCheck('support_escalations', t.reason, ESCALATION_REASONS),
    between('support_escalations', t.confidence, 0, 1),
    check(
      'support_escalations_subject_check',
      sql`${t.conversationId} IS NOT NULL OR ${t.commentId} IS NOT NULL`,
    ),
  ],
);

export const FOLLOWUP_STATUSES = ['pending', 'sent', 'cancelled', 'failed'] as const;

/** 000 AutomatedFollowup: a message to send later if the customer has not answered. */
export const automatedFollowups = sqliteTable(
  'automated_followups',
  {
    id: id(),
    workspaceId: workspaceRef(),
    conversationId: text('conversation_id').references(() => conversations.id, { onDelete: 'cascade' }),
    customerId: text('customer_id').references((): AnySQLiteColumn => customers.id, { onDelete: 'cascade' }),
    message: text('message').notNull(),
    /** Why it exists: 'no_reply', 'after_purchase', ... */
    reason: text('reason'),
    scheduledFor: epochMs('scheduled_for').notNull(),
    status: enumText('status', FOLLOWUP_STATUSES).notNull().default('pending'),
    sentAt: epochMs('sent_at'),
    errorMessage: text('error_message'),
    /** Skip the follow-up if the customer wrote after this was scheduled. */
    cancelOnReply: bool('cancel_on_reply').notNull().default(true),
    ...syncedTimestamps(),
  },
  (t) => [
    index('automated_followups_due_idx').on(t.scheduledFor).where(sql`${t.status} = 'pending'`),
    index('automated_followups_conversation_idx').on(t.conversationId),
    index('automated_followups_customer_idx').on(t.customerId),
    enumCheck('automated_followups', t.status, FOLLOWUP_STATUSES),
    check(
      'automated_followups_subject_check',
      sql`${t.conversationId} IS NOT NULL OR ${t.customerId} IS NOT NULL`,
    ),
  ],
);

/**
 * How this device polls each account's inbox (seeds 001: next_check_at, adaptive 5-30 min). Local
 * to the device and never synced: every device that polls keeps its own pace, and a conversation
 * fetched twice merges by the platform's message id anyway.
 */
export const inboxPollState = sqliteTable(
  'inbox_poll_state',
  {
    accountId: text('account_id')
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    workspaceId: workspaceRef(),
    /** The pace now: 5 minutes after activity, growing to 30 while nothing new arrives. */
    intervalMs: integer('interval_ms').notNull().default(300_000),
    lastPollAt: epochMs('last_poll_at'),
    nextPollAt: epochMs('next_poll_at'),
    /** When a poll last brought something new. */
    lastActivityAt: epochMs('last_activity_at'),
    /** The newest item seen, so the next poll asks only for what is newer. */
    newestSeenAt: epochMs('newest_seen_at'),
    lastError: text('last_error'),
    ...timestamps(),
  },
  (t) => [index('inbox_poll_state_workspace_idx').on(t.workspaceId), nonNegative('inbox_poll_state', t.intervalMs)],
);
