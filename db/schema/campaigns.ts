// Campaigns: 004 campaigns (a marketing campaign with generated landing pages, funnels and
// emails) + 003 campaigns / client_campaigns (a JSON payload per user or client). A post joins a
// campaign through posts.campaign_id. Components are versioned (parent_component_id + version);
// events and conversions measure them.
import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { integrations } from './accounts';
import {
  bool,
  counter,
  enumCheck,
  enumText,
  epochMs,
  id,
  json,
  nonNegative,
  syncedTimestamps,
  timestamps,
} from './columns';
import { COMPONENT_TYPES } from './enums';
import { postTargets } from './posts';
import { workspaceRef } from './workspaces';

export const CAMPAIGN_STATUSES = ['draft', 'generating', 'ready', 'launched', 'paused', 'archived'] as const;
/** 004's types plus 'social' (a set of posts across networks, Postdesk's own kind). */
export const CAMPAIGN_TYPES = [
  'social',
  'landing_page',
  'funnel',
  'email_sequence',
  'complete_campaign',
  'component_enhancement',
] as const;

export const campaigns = sqliteTable(
  'campaigns',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    description: text('description'),
    status: enumText('status', CAMPAIGN_STATUSES).notNull().default('draft'),
    type: enumText('type', CAMPAIGN_TYPES).notNull().default('social'),
    platformSource: text('platform_source'),
    platformSourceId: text('platform_source_id'),
    targetAudience: text('target_audience'),
    businessType: text('business_type'),
    goals: json<string[]>('goals').notNull().default([]),
    brandGuidelines: text('brand_guidelines'),
    performanceRequirements: json<Record<string, unknown>>('performance_requirements').notNull().default({}),
    views: counter('views'),
    conversions: counter('conversions'),
    revenueGenerated: real('revenue_generated').notNull().default(0),
    startsAt: epochMs('starts_at'),
    endsAt: epochMs('ends_at'),
    launchedAt: epochMs('launched_at'),
    color: text('color'),
    /** 003's free-form campaign payload. */
    payload: json<Record<string, unknown>>('payload').notNull().default({}),
    ...syncedTimestamps(),
  },
  (t) => [
    index('campaigns_workspace_status_idx').on(t.workspaceId, t.status),
    index('campaigns_workspace_created_idx').on(t.workspaceId, t.createdAt),
    enumCheck('campaigns', t.status, CAMPAIGN_STATUSES),
    enumCheck('campaigns', t.type, CAMPAIGN_TYPES),
    check('campaigns_dates_check', sql`${t.endsAt} IS NULL OR ${t.startsAt} IS NULL OR ${t.endsAt} >= ${t.startsAt}`),
  ],
);

export const campaignComponents = sqliteTable(
  'campaign_components',
  {
    id: id(),
    workspaceId: workspaceRef(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    componentType: enumText('component_type', COMPONENT_TYPES).notNull(),
    code: text('code'),
    props: json<Record<string, unknown>>('props').notNull().default({}),
    cssStyles: text('css_styles'),
    previewUrl: text('preview_url'),
    exportFormats: json<string[]>('export_formats').notNull().default([]),
    views: counter('views'),
    clicks: counter('clicks'),
    conversions: counter('conversions'),
    engagementScore: real('engagement_score'),
    aiGenerationMetadata: json<Record<string, unknown>>('ai_generation_metadata'),
    version: integer('version').notNull().default(1),
    /** The version this one was derived from. */
    parentComponentId: text('parent_component_id').references((): AnySQLiteColumn => campaignComponents.id, {
      onDelete: 'set null',
    }),
    sortOrder: integer('sort_order').notNull().default(0),
    ...syncedTimestamps(),
  },
  (t) => [
    index('campaign_components_campaign_sort_idx').on(t.campaignId, t.sortOrder),
    index('campaign_components_type_idx').on(t.componentType),
    index('campaign_components_parent_idx').on(t.parentComponentId),
    enumCheck('campaign_components', t.componentType, COMPONENT_TYPES),
    check('campaign_components_version_check', sql`${t.version} >= 1`),
  ],
);

/** 004 component_library: saved components to reuse across campaigns. */
export const componentLibrary = sqliteTable(
  'component_library',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    description: text('description'),
    category: text('category'),
    tags: json<string[]>('tags').notNull().default([]),
    componentType: enumText('component_type', COMPONENT_TYPES).notNull(),
    code: text('code'),
    propsSchema: json<Record<string, unknown>>('props_schema').notNull().default({}),
    previewImageUrl: text('preview_image_url'),
    isPublic: bool('is_public').notNull().default(false),
    isMarketplaceItem: bool('is_marketplace_item').notNull().default(false),
    price: real('price'),
    downloads: counter('downloads'),
    likes: counter('likes'),
    ...syncedTimestamps(),
  },
  (t) => [
    index('component_library_workspace_idx').on(t.workspaceId, t.componentType),
    index('component_library_public_idx').on(t.createdAt).where(sql`${t.isPublic} = 1`),
    index('component_library_marketplace_idx').on(t.createdAt).where(sql`${t.isMarketplaceItem} = 1`),
    enumCheck('component_library', t.componentType, COMPONENT_TYPES),
    nonNegative('component_library', t.price),
  ],
);

export const CAMPAIGN_EVENT_TYPES = ['view', 'click', 'conversion', 'form_submit', 'email_open', 'email_click'] as const;

export const campaignEvents = sqliteTable(
  'campaign_events',
  {
    id: id(),
    workspaceId: workspaceRef(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    componentId: text('component_id').references(() => campaignComponents.id, { onDelete: 'set null' }),
    eventType: enumText('event_type', CAMPAIGN_EVENT_TYPES).notNull(),
    eventData: json<Record<string, unknown>>('event_data').notNull().default({}),
    sessionId: text('session_id'),
    userAgent: text('user_agent'),
    ipAddress: text('ip_address'),
    referrer: text('referrer'),
    /** ISO 3166-1 alpha-2. */
    country: text('country'),
    region: text('region'),
    city: text('city'),
    occurredAt: epochMs('occurred_at').notNull(),
    ...timestamps(),
  },
  (t) => [
    index('campaign_events_campaign_occurred_idx').on(t.campaignId, t.occurredAt),
    index('campaign_events_workspace_occurred_idx').on(t.workspaceId, t.occurredAt),
    index('campaign_events_type_idx').on(t.eventType),
    enumCheck('campaign_events', t.eventType, CAMPAIGN_EVENT_TYPES),
    check('campaign_events_country_check', sql`${t.country} IS NULL OR length(${t.country}) = 2`),
  ],
);

export const conversions = sqliteTable(
  'conversions',
  {
    id: id(),
    workspaceId: workspaceRef(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    componentId: text('component_id').references(() => campaignComponents.id, { onDelete: 'set null' }),
    /** The published post the visitor came from (UTM attribution). */
    targetId: text('target_id').references((): AnySQLiteColumn => postTargets.id, { onDelete: 'set null' }),
    conversionType: text('conversion_type').notNull(),
    value: real('value'),
    currency: text('currency'),
    sessionId: text('session_id'),
    source: text('source'),
    medium: text('medium'),
    occurredAt: epochMs('occurred_at').notNull(),
    ...syncedTimestamps(),
  },
  (t) => [
    index('conversions_campaign_occurred_idx').on(t.campaignId, t.occurredAt),
    index('conversions_target_idx').on(t.targetId),
    check('conversions_currency_check', sql`${t.currency} IS NULL OR length(${t.currency}) = 3`),
  ],
);

export const ANALYSIS_TYPES = ['full_audit', 'campaign_analysis', 'migration_assessment'] as const;

/** 004 platform_analyses: an AI audit of a connected website builder's content. */
export const platformAnalyses = sqliteTable(
  'platform_analyses',
  {
    id: id(),
    workspaceId: workspaceRef(),
    integrationId: text('integration_id')
      .notNull()
      .references((): AnySQLiteColumn => integrations.id, { onDelete: 'cascade' }),
    analysisType: enumText('analysis_type', ANALYSIS_TYPES).notNull(),
    summary: json<Record<string, unknown>>('summary').notNull().default({}),
    campaignsAnalyzed: json<unknown[]>('campaigns_analyzed').notNull().default([]),
    recommendations: json<unknown[]>('recommendations').notNull().default([]),
    migrationAssessment: json<Record<string, unknown>>('migration_assessment'),
    aiModelUsed: text('ai_model_used'),
    aiCost: real('ai_cost'),
    processingTimeSeconds: integer('processing_time_seconds'),
    ...syncedTimestamps(),
  },
  (t) => [
    index('platform_analyses_integration_idx').on(t.integrationId, t.createdAt),
    enumCheck('platform_analyses', t.analysisType, ANALYSIS_TYPES),
  ],
);
