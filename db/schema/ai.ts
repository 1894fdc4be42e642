// AI: per-workspace settings (001 ai_settings, ai_studio_settings), the model catalogue (001
// ai_models), the log of every call (004 ai_generations, daily ai_cost_tracking), triage decisions
// (001 ai_decisions), AI Studio chat threads with their checkpoints (001 ai_studio_conversation_metadata,
// checkpoints, checkpoint_writes, checkpoint_blobs) and topic clustering (001 topic_analysis,
// bertopic_models).
import { sql } from 'drizzle-orm';
import {
  blob,
  check,
  index,
  integer,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import { campaignComponents, campaigns } from './campaigns';
import {
  between,
  bool,
  enumCheck,
  enumText,
  epochMs,
  id,
  isoDateCheck,
  json,
  nonNegative,
  syncedTimestamps,
  timestamps,
  todayUtc,
} from './columns';
import { TRIAGE_DECISIONS } from './enums';
import { comments, conversationMessages, conversations } from './inbox';
import { posts } from './posts';
import { workspaceRef } from './workspaces';

/** 001 ai_settings, one row per workspace, with the seed's defaults. */
export const aiSettings = sqliteTable(
  'ai_settings',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** Model id at the configured endpoint (OpenRouter-style ids work with OpenRouter). */
    aiModel: text('ai_model').notNull().default('anthropic/claude-3.5-haiku'),
    temperature: real('temperature').notNull().default(0.2),
    topP: real('top_p').notNull().default(1),
    lang: text('lang').notNull().default('en'),
    tone: text('tone').notNull().default('friendly'),
    systemPrompt: text('system_prompt'),
    aiControlEnabled: bool('ai_control_enabled').notNull().default(true),
    aiEnabledForChats: bool('ai_enabled_for_chats').notNull().default(true),
    aiEnabledForComments: bool('ai_enabled_for_comments').notNull().default(true),
    flaggedKeywords: json<string[]>('flagged_keywords').notNull().default([]),
    flaggedPhrases: json<string[]>('flagged_phrases').notNull().default([]),
    instructions: text('instructions'),
    ignoreExamples: json<string[]>('ignore_examples').notNull().default([]),
    docLang: json<string[]>('doc_lang').notNull().default([]),
    /** OpenAI-compatible endpoint for this workspace; NULL: the app-wide one (app_settings). */
    baseUrl: text('base_url'),
    embeddingModel: text('embedding_model'),
    /** Spend cap per calendar month in USD; NULL: no cap. */
    monthlyCostCapUsd: real('monthly_cost_cap_usd'),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('ai_settings_workspace_unique').on(t.workspaceId),
    between('ai_settings', t.temperature, 0, 2),
    between('ai_settings', t.topP, 0, 1),
    nonNegative('ai_settings', t.monthlyCostCapUsd),
  ],
);

export const AI_PROVIDERS = ['openai', 'anthropic', 'google', 'meta', 'mistral', 'local', 'other'] as const;
export const AI_MODEL_TYPES = ['fast', 'advanced', 'affordable'] as const;

/** 001 ai_models: the catalogue the model picker shows. App-wide, not user data. */
export const aiModels = sqliteTable(
  'ai_models',
  {
    id: id(),
    name: text('name').notNull(),
    provider: enumText('provider', AI_PROVIDERS).notNull(),
    /** 001 openrouter_id: the id sent to the endpoint. */
    modelId: text('model_id').notNull(),
    description: text('description'),
    logoKey: text('logo_key'),
    /** Credits charged per call. */
    creditCost: real('credit_cost').notNull().default(1),
    modelType: enumText('model_type', AI_MODEL_TYPES).notNull().default('fast'),
    maxContextTokens: integer('max_context_tokens'),
    /** USD per million tokens, for metering. */
    inputCostPerMtok: real('input_cost_per_mtok'),
    outputCostPerMtok: real('output_cost_per_mtok'),
    supportsText: bool('supports_text').notNull().default(true),
    supportsImages: bool('supports_images').notNull().default(false),
    supportsAudio: bool('supports_audio').notNull().default(false),
    isActive: bool('is_active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('ai_models_model_id_unique').on(t.modelId),
    enumCheck('ai_models', t.provider, AI_PROVIDERS),
    enumCheck('ai_models', t.modelType, AI_MODEL_TYPES),
    check('ai_models_credit_cost_check', sql`${t.creditCost} > 0`),
  ],
);

/** 001 ai_decisions: why the AI answered, ignored or escalated a message or comment. */
export const aiDecisions = sqliteTable(
  'ai_decisions',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** 001 message_id (a comment or a message), split so each can be a real foreign key. */
    messageId: text('message_id').references((): AnySQLiteColumn => conversationMessages.id, { onDelete: 'set null' }),
    commentId: text('comment_id').references((): AnySQLiteColumn => comments.id, { onDelete: 'set null' }),
    conversationId: text('conversation_id').references((): AnySQLiteColumn => conversations.id, {
      onDelete: 'set null',
    }),
    decision: enumText('decision', TRIAGE_DECISIONS).notNull(),
    confidence: real('confidence'),
    reason: text('reason'),
    matchedRule: text('matched_rule'),
    /** The original text, truncated to 500 characters. */
    messageText: text('message_text'),
    snapshotJson: json<Record<string, unknown>>('snapshot_json'),
    model: text('model'),
    ...syncedTimestamps(),
  },
  (t) => [
    index('ai_decisions_workspace_created_idx').on(t.workspaceId, t.createdAt),
    index('ai_decisions_message_idx').on(t.messageId),
    index('ai_decisions_comment_idx').on(t.commentId),
    enumCheck('ai_decisions', t.decision, TRIAGE_DECISIONS),
    between('ai_decisions', t.confidence, 0, 1),
    check('ai_decisions_message_text_check', sql`length(${t.messageText}) <= 500`),
  ],
);

/** 004 generation types plus what Postdesk asks a model for. */
export const GENERATION_TYPES = [
  'campaign',
  'component',
  'enhancement',
  'analysis',
  'migration_plan',
  'post',
  'reply',
  'triage',
  'hashtags',
  'alt_text',
  'summary',
  'chat',
  'embedding',
] as const;
export const GENERATION_STATUSES = ['processing', 'completed', 'failed', 'cancelled'] as const;

/** 004 ai_generations: every model call, metered (tokens, cost, latency). */
export const aiGenerations = sqliteTable(
  'ai_generations',
  {
    id: id(),
    workspaceId: workspaceRef(),
    campaignId: text('campaign_id').references((): AnySQLiteColumn => campaigns.id, { onDelete: 'set null' }),
    componentId: text('component_id').references((): AnySQLiteColumn => campaignComponents.id, {
      onDelete: 'set null',
    }),
    postId: text('post_id').references((): AnySQLiteColumn => posts.id, { onDelete: 'set null' }),
    conversationId: text('conversation_id').references((): AnySQLiteColumn => conversations.id, {
      onDelete: 'set null',
    }),
    generationType: enumText('generation_type', GENERATION_TYPES).notNull(),
    promptText: text('prompt_text'),
    referenceImages: json<string[]>('reference_images').notNull().default([]),
    modelUsed: text('model_used'),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    /** USD. */
    cost: real('cost').notNull().default(0),
    /** The same cost in integer nano-dollars (1e-9 USD): exact, so roll-ups and the budget add up to the cent. */
    costNanoUsd: integer('cost_nano_usd').notNull().default(0),
    /** The server reported no token usage (a stream without a usage chunk, a cancelled call): tokens are estimated. */
    tokensEstimated: bool('tokens_estimated').notNull().default(false),
    creditsCharged: integer('credits_charged').notNull().default(0),
    status: enumText('status', GENERATION_STATUSES).notNull().default('processing'),
    resultData: json<unknown>('result_data'),
    errorMessage: text('error_message'),
    /** 004 generation_time_seconds, in ms. */
    latencyMs: integer('latency_ms'),
    iterations: integer('iterations').notNull().default(1),
    userRating: integer('user_rating'),
    userFeedback: text('user_feedback'),
    accepted: bool('accepted'),
    completedAt: epochMs('completed_at'),
    ...syncedTimestamps(),
  },
  (t) => [
    index('ai_generations_workspace_created_idx').on(t.workspaceId, t.createdAt),
    index('ai_generations_cost_idx').on(t.cost),
    index('ai_generations_campaign_idx').on(t.campaignId),
    index('ai_generations_component_idx').on(t.componentId),
    index('ai_generations_post_idx').on(t.postId),
    enumCheck('ai_generations', t.generationType, GENERATION_TYPES),
    enumCheck('ai_generations', t.status, GENERATION_STATUSES),
    between('ai_generations', t.userRating, 1, 5),
    nonNegative('ai_generations', t.promptTokens),
    nonNegative('ai_generations', t.completionTokens),
    nonNegative('ai_generations', t.cost),
  ],
);

/** 004 ai_cost_tracking: one row per workspace and UTC day. */
export const aiCostTracking = sqliteTable(
  'ai_cost_tracking',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** 'YYYY-MM-DD' (UTC). */
    date: text('date').notNull().default(todayUtc),
    openaiCost: real('openai_cost').notNull().default(0),
    anthropicCost: real('anthropic_cost').notNull().default(0),
    /** Any other provider (OpenRouter, a local server). */
    otherCost: real('other_cost').notNull().default(0),
    totalCost: real('total_cost').notNull().default(0),
    /** total_cost in integer nano-dollars (1e-9 USD), the exact figure. */
    totalCostNanoUsd: integer('total_cost_nano_usd').notNull().default(0),
    generationsCount: integer('generations_count').notNull().default(0),
    tokensUsed: integer('tokens_used').notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('ai_cost_tracking_workspace_date_unique').on(t.workspaceId, t.date),
    isoDateCheck('ai_cost_tracking', t.date),
    nonNegative('ai_cost_tracking', t.totalCost),
  ],
);

/** 001 ai_studio_settings (keyed by user there, by workspace here). */
export const aiStudioSettings = sqliteTable(
  'ai_studio_settings',
  {
    id: id(),
    workspaceId: workspaceRef(),
    defaultSystemPrompt: text('default_system_prompt'),
    defaultModel: text('default_model').notNull().default('openai/gpt-4o'),
    temperature: real('temperature').notNull().default(0.7),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('ai_studio_settings_workspace_unique').on(t.workspaceId),
    between('ai_studio_settings', t.temperature, 0, 2),
  ],
);

/** 001 ai_studio_conversation_metadata: the AI Studio chat list; `id` is the thread id. */
export const aiStudioThreads = sqliteTable(
  'ai_studio_threads',
  {
    id: id(),
    workspaceId: workspaceRef(),
    title: text('title'),
    model: text('model'),
    messageCount: integer('message_count').notNull().default(0),
    lastMessageAt: epochMs('last_message_at'),
    ...syncedTimestamps(),
  },
  (t) => [
    index('ai_studio_threads_workspace_updated_idx').on(t.workspaceId, t.updatedAt),
    nonNegative('ai_studio_threads', t.messageCount),
  ],
);

/**
 * 001 checkpoints + checkpoint_blobs: the saved state of an agent thread (AI Studio chat, inbox
 * reply agent). Channel values are stored inline in `checkpoint` (as LangGraph's own SQLite saver
 * does) rather than in a separate blob table.
 */
export const aiCheckpoints = sqliteTable(
  'ai_checkpoints',
  {
    id: id(),
    workspaceId: workspaceRef(),
    threadId: text('thread_id').notNull(),
    checkpointNs: text('checkpoint_ns').notNull().default(''),
    checkpointId: text('checkpoint_id').notNull(),
    parentCheckpointId: text('parent_checkpoint_id'),
    type: text('type'),
    checkpoint: json<Record<string, unknown>>('checkpoint').notNull(),
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('ai_checkpoints_thread_ns_checkpoint_unique').on(t.threadId, t.checkpointNs, t.checkpointId),
    index('ai_checkpoints_workspace_idx').on(t.workspaceId),
  ],
);

/** 001 checkpoint_writes: pending writes of a step, replayed when a thread resumes. */
export const aiCheckpointWrites = sqliteTable(
  'ai_checkpoint_writes',
  {
    id: id(),
    workspaceId: workspaceRef(),
    threadId: text('thread_id').notNull(),
    checkpointNs: text('checkpoint_ns').notNull().default(''),
    checkpointId: text('checkpoint_id').notNull(),
    taskId: text('task_id').notNull(),
    idx: integer('idx').notNull(),
    channel: text('channel').notNull(),
    type: text('type'),
    blob: blob('blob', { mode: 'buffer' }),
    taskPath: text('task_path').notNull().default(''),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('ai_checkpoint_writes_key_unique').on(t.threadId, t.checkpointNs, t.checkpointId, t.taskId, t.idx),
    index('ai_checkpoint_writes_workspace_idx').on(t.workspaceId),
  ],
);

/** 001 topic_analysis: clusters of what customers write about, per analysis run. */
export const topicAnalyses = sqliteTable(
  'topic_analyses',
  {
    id: id(),
    workspaceId: workspaceRef(),
    modelId: text('model_id').references((): AnySQLiteColumn => topicModels.id, { onDelete: 'set null' }),
    /** -1: outliers. */
    topicId: integer('topic_id').notNull(),
    topicLabel: text('topic_label'),
    topicKeywords: json<string[]>('topic_keywords').notNull().default([]),
    messageCount: integer('message_count').notNull().default(0),
    sampleMessages: json<string[]>('sample_messages').notNull().default([]),
    dateRangeStart: epochMs('date_range_start'),
    dateRangeEnd: epochMs('date_range_end'),
    analysisDate: text('analysis_date').notNull().default(todayUtc),
    ...timestamps(),
  },
  (t) => [
    index('topic_analyses_workspace_date_idx').on(t.workspaceId, t.analysisDate),
    isoDateCheck('topic_analyses', t.analysisDate),
    nonNegative('topic_analyses', t.messageCount),
  ],
);

/** 001 bertopic_models: a trained topic model file; one active per workspace. */
export const topicModels = sqliteTable(
  'topic_models',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** YYYYMMDD_HHMMSS */
    modelVersion: text('model_version').notNull(),
    /** File under the data folder. */
    storagePath: text('storage_path').notNull(),
    dateRangeStart: epochMs('date_range_start'),
    dateRangeEnd: epochMs('date_range_end'),
    totalTopics: integer('total_topics').notNull().default(0),
    totalDocuments: integer('total_documents').notNull().default(0),
    isActive: bool('is_active').notNull().default(true),
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('topic_models_one_active_unique').on(t.workspaceId).where(sql`${t.isActive} = 1`),
    index('topic_models_workspace_idx').on(t.workspaceId, t.createdAt),
  ],
);
