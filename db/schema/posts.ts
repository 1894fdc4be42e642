// Posts. 000 UserPost + ScheduledPost, 001 scheduled_posts and 002 post_queue are one composed post
// (`posts`) published to one or more accounts (`post_targets`, one row per account with its own
// text variant, status and platform ids). post_runs is the attempt history the scheduler writes
// before it calls a network, so publishing is effectively once.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { accounts } from './accounts';
import { campaigns } from './campaigns';
import {
  bool,
  enumCheck,
  enumText,
  epochMs,
  id,
  inList,
  json,
  nonNegative,
  seqKey,
  syncedTimestamps,
  timestamps,
} from './columns';
import { CONTENT_THEMES, PLATFORMS } from './enums';
import { media } from './media';
import { users, workspaceRef } from './workspaces';

export const POST_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'rejected',
  'scheduled',
  'publishing',
  'published',
  'partially_published',
  'failed',
  'cancelled',
] as const;
/** 000 UserPost.source ('agent', 'imported') plus how else a post is made here. */
export const POST_SOURCES = ['manual', 'agent', 'imported', 'template', 'recurring'] as const;
/** What the scheduler does with an occurrence that came due while the app was closed. */
export const MISSED_RUN_POLICIES = ['publish_late', 'skip', 'ask'] as const;

export const contentTemplates = sqliteTable(
  'content_templates',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name'),
    businessType: text('business_type').notNull(),
    theme: enumText('theme', CONTENT_THEMES).notNull(),
    /** Prompt with {placeholders}. */
    templateText: text('template_text').notNull(),
    /** NULL: every platform. */
    platform: enumText('platform', PLATFORMS),
    active: bool('active').notNull().default(true),
    /** Copied from the built-in set when the workspace was made (the seed's global rows). */
    isBuiltin: bool('is_builtin').notNull().default(false),
    ...syncedTimestamps(),
  },
  (t) => [
    index('content_templates_workspace_type_idx').on(t.workspaceId, t.businessType),
    enumCheck('content_templates', t.theme, CONTENT_THEMES),
    enumCheck('content_templates', t.platform, PLATFORMS),
  ],
);

export const posts = sqliteTable(
  'posts',
  {
    ...seqKey(),
    workspaceId: workspaceRef(),
    /** The text (002 content, 001 content_json.text); per-account variants are on post_targets. */
    content: text('content').notNull().default(''),
    status: enumText('status', POST_STATUSES).notNull().default('draft'),
    source: enumText('source', POST_SOURCES).notNull().default('manual'),
    /** First (or only) occurrence, epoch ms; NULL for an unscheduled draft. */
    publishAt: epochMs('publish_at'),
    /** IANA zone the RRULE expands in; NULL: the workspace's timezone. */
    timezone: text('timezone'),
    /** RFC 5545 recurrence (001 rrule). */
    rrule: text('rrule'),
    missedRunPolicy: enumText('missed_run_policy', MISSED_RUN_POLICIES).notNull().default('publish_late'),
    requiresApproval: bool('requires_approval').notNull().default(false),
    approvedAt: epochMs('approved_at'),
    approvedBy: text('approved_by').references(() => users.id, { onDelete: 'set null' }),
    rejectionNote: text('rejection_note'),
    /** 002 hashtags TEXT[]. */
    hashtags: json<string[]>('hashtags').notNull().default([]),
    templateId: text('template_id').references(() => contentTemplates.id, { onDelete: 'set null' }),
    campaignId: text('campaign_id').references((): AnySQLiteColumn => campaigns.id, { onDelete: 'set null' }),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** When the last target finished publishing. */
    publishedAt: epochMs('published_at'),
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...syncedTimestamps(),
  },
  (t) => [
    index('posts_workspace_status_publish_idx').on(t.workspaceId, t.status, t.publishAt),
    // 002 idx_post_queue_scheduled: posts that still have to go out, by due time.
    index('posts_due_idx')
      .on(t.publishAt)
      .where(inList(t.status, ['scheduled', 'approved'])),
    index('posts_campaign_idx').on(t.campaignId),
    index('posts_template_idx').on(t.templateId),
    enumCheck('posts', t.status, POST_STATUSES),
    enumCheck('posts', t.source, POST_SOURCES),
    enumCheck('posts', t.missedRunPolicy, MISSED_RUN_POLICIES),
  ],
);

export const TARGET_STATUSES = ['pending', 'scheduled', 'publishing', 'published', 'failed', 'cancelled'] as const;

export const postTargets = sqliteTable(
  'post_targets',
  {
    id: id(),
    workspaceId: workspaceRef(),
    postId: text('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    platform: enumText('platform', PLATFORMS).notNull(),
    /** This network's variant of the text; NULL: the post's content. */
    content: text('content'),
    status: enumText('status', TARGET_STATUSES).notNull().default('pending'),
    /** Overrides the post's publish_at for this account. */
    publishAt: epochMs('publish_at'),
    platformPostId: text('platform_post_id'),
    platformUrl: text('platform_url'),
    publishedAt: epochMs('published_at'),
    errorMessage: text('error_message'),
    retryCount: integer('retry_count').notNull().default(0),
    /** 001: max 3 retries. */
    maxRetries: integer('max_retries').notNull().default(3),
    /** Hand the post to the network's own scheduler (Facebook, LinkedIn) instead of ours. */
    nativeScheduling: bool('native_scheduling').notNull().default(false),
    nativeScheduleId: text('native_schedule_id'),
    firstComment: text('first_comment'),
    /** Replies that follow the first part (X / Bluesky / Threads threads). */
    threadParts: json<string[]>('thread_parts').notNull().default([]),
    /** 001 adaptive comment polling after publishing. */
    lastCheckAt: epochMs('last_check_at'),
    nextCheckAt: epochMs('next_check_at'),
    stopAt: epochMs('stop_at'),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('post_targets_post_account_unique').on(t.postId, t.accountId),
    uniqueIndex('post_targets_account_platform_post_unique').on(t.accountId, t.platformPostId),
    index('post_targets_workspace_status_idx').on(t.workspaceId, t.status),
    index('post_targets_due_idx')
      .on(t.publishAt)
      .where(inList(t.status, ['pending', 'scheduled'])),
    // Analytics reads a workspace's published posts by publishing time (a range, a day × hour
    // heatmap): covering the filters it applies and the id it joins metrics by, so a range is one
    // index scan with no row reads.
    index('post_targets_workspace_published_idx')
      .on(t.workspaceId, t.publishedAt, t.accountId, t.platform, t.id)
      .where(sql`${t.status} = 'published' AND ${t.deletedAt} IS NULL`),
    index('post_targets_next_check_idx')
      .on(t.nextCheckAt)
      .where(sql`${t.status} = 'published'`),
    enumCheck('post_targets', t.platform, PLATFORMS),
    enumCheck('post_targets', t.status, TARGET_STATUSES),
    // Also keeps max_retries >= 0.
    check('post_targets_retry_count_check', sql`${t.retryCount} BETWEEN 0 AND ${t.maxRetries}`),
  ],
);

export const postMedia = sqliteTable(
  'post_media',
  {
    id: id(),
    workspaceId: workspaceRef(),
    postId: text('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    mediaId: text('media_id')
      .notNull()
      .references((): AnySQLiteColumn => media.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
    /** Overrides the library's alt text for this post. */
    altText: text('alt_text'),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('post_media_post_media_unique').on(t.postId, t.mediaId),
    index('post_media_media_idx').on(t.mediaId),
    nonNegative('post_media', t.position),
  ],
);

/** 'running' is written before the network call; after a crash it is reconciled, never retried blind. */
export const POST_RUN_STATUSES = ['running', 'success', 'failed', 'unknown'] as const;

export const postRuns = sqliteTable(
  'post_runs',
  {
    id: id(),
    workspaceId: workspaceRef(),
    postId: text('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    targetId: text('target_id').references(() => postTargets.id, { onDelete: 'cascade' }),
    /** Which occurrence of a recurring post this attempt publishes. */
    occurrenceAt: epochMs('occurrence_at'),
    attempt: integer('attempt').notNull().default(1),
    idempotencyKey: text('idempotency_key').notNull(),
    status: enumText('status', POST_RUN_STATUSES).notNull().default('running'),
    startedAt: epochMs('started_at'),
    finishedAt: epochMs('finished_at'),
    error: text('error'),
    platformPostId: text('platform_post_id'),
    response: json<Record<string, unknown>>('response'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('post_runs_idempotency_key_unique').on(t.idempotencyKey),
    index('post_runs_post_idx').on(t.postId, t.createdAt),
    index('post_runs_target_idx').on(t.targetId),
    index('post_runs_unfinished_idx').on(t.startedAt).where(sql`${t.status} IN ('running', 'unknown')`),
    enumCheck('post_runs', t.status, POST_RUN_STATUSES),
    check('post_runs_attempt_check', sql`${t.attempt} >= 1`),
  ],
);

export const hashtagGroups = sqliteTable(
  'hashtag_groups',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    hashtags: json<string[]>('hashtags').notNull().default([]),
    ...syncedTimestamps(),
  },
  (t) => [uniqueIndex('hashtag_groups_workspace_name_unique').on(t.workspaceId, t.name)],
);

export const signatures = sqliteTable(
  'signatures',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    content: text('content').notNull(),
    /** NULL: every platform. */
    platform: enumText('platform', PLATFORMS),
    isDefault: bool('is_default').notNull().default(false),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('signatures_workspace_name_unique').on(t.workspaceId, t.name),
    enumCheck('signatures', t.platform, PLATFORMS),
  ],
);

export const MONITORED_POST_SOURCES = ['scheduled', 'imported', 'manual'] as const;

/** 001 monitored_posts: a published post (ours or imported) polled for new comments. */
export const monitoredPosts = sqliteTable(
  'monitored_posts',
  {
    id: id(),
    workspaceId: workspaceRef(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Our own post, when it was published from Postdesk. */
    targetId: text('target_id').references(() => postTargets.id, { onDelete: 'set null' }),
    platformPostId: text('platform_post_id').notNull(),
    platform: enumText('platform', PLATFORMS).notNull(),
    caption: text('caption'),
    mediaUrl: text('media_url'),
    postedAt: epochMs('posted_at'),
    source: enumText('source', MONITORED_POST_SOURCES).notNull().default('manual'),
    monitoringEnabled: bool('monitoring_enabled').notNull().default(false),
    monitoringStartedAt: epochMs('monitoring_started_at'),
    monitoringEndsAt: epochMs('monitoring_ends_at'),
    lastCheckAt: epochMs('last_check_at'),
    nextCheckAt: epochMs('next_check_at'),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('monitored_posts_account_post_unique').on(t.accountId, t.platformPostId),
    index('monitored_posts_workspace_posted_idx').on(t.workspaceId, t.postedAt),
    index('monitored_posts_next_check_idx')
      .on(t.nextCheckAt)
      .where(sql`${t.monitoringEnabled} = 1`),
    enumCheck('monitored_posts', t.platform, PLATFORMS),
    enumCheck('monitored_posts', t.source, MONITORED_POST_SOURCES),
  ],
);

export const USER_COMMENT_STATUSES = ['draft', 'posted', 'failed', 'deleted'] as const;
export const USER_COMMENT_SOURCES = ['manual', 'agent'] as const;

/** 000 UserComment: comments the workspace made on other people's posts (engagement). */
export const userComments = sqliteTable(
  'user_comments',
  {
    id: id(),
    workspaceId: workspaceRef(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    platform: enumText('platform', PLATFORMS).notNull(),
    /** The post commented on. */
    targetPostPlatformId: text('target_post_platform_id'),
    targetPostUrl: text('target_post_url'),
    targetAuthor: text('target_author'),
    content: text('content').notNull(),
    platformCommentId: text('platform_comment_id'),
    status: enumText('status', USER_COMMENT_STATUSES).notNull().default('draft'),
    source: enumText('source', USER_COMMENT_SOURCES).notNull().default('manual'),
    postedAt: epochMs('posted_at'),
    errorMessage: text('error_message'),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('user_comments_account_comment_unique').on(t.accountId, t.platformCommentId),
    index('user_comments_workspace_created_idx').on(t.workspaceId, t.createdAt),
    enumCheck('user_comments', t.platform, PLATFORMS),
    enumCheck('user_comments', t.status, USER_COMMENT_STATUSES),
    enumCheck('user_comments', t.source, USER_COMMENT_SOURCES),
  ],
);
