// Paid ads: 000 AdsPlatform (an ad account at Meta or Google; its credentials are in
// account_secrets), AdsCampaign and AdsMetrics (daily figures).
import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { accounts } from './accounts';
import { campaigns } from './campaigns';
import {
  counter,
  enumCheck,
  enumText,
  epochMs,
  id,
  isoDateCheck,
  json,
  nonNegative,
  syncedTimestamps,
  timestamps,
} from './columns';
import { posts } from './posts';
import { workspaceRef } from './workspaces';

export const AD_PLATFORMS = ['meta', 'google', 'linkedin', 'tiktok', 'x'] as const;
export const AD_ACCOUNT_STATUSES = ['active', 'paused', 'disconnected', 'error'] as const;

export const adAccounts = sqliteTable(
  'ad_accounts',
  {
    id: id(),
    workspaceId: workspaceRef(),
    platform: enumText('platform', AD_PLATFORMS).notNull(),
    externalAccountId: text('external_account_id').notNull(),
    name: text('name'),
    currency: text('currency'),
    timezone: text('timezone'),
    status: enumText('status', AD_ACCOUNT_STATUSES).notNull().default('active'),
    /** The social account it was connected through (a Facebook page's business), if any. */
    accountId: text('account_id').references((): AnySQLiteColumn => accounts.id, { onDelete: 'set null' }),
    lastSyncedAt: epochMs('last_synced_at'),
    lastError: text('last_error'),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('ad_accounts_workspace_platform_external_unique').on(t.workspaceId, t.platform, t.externalAccountId),
    enumCheck('ad_accounts', t.platform, AD_PLATFORMS),
    enumCheck('ad_accounts', t.status, AD_ACCOUNT_STATUSES),
    check('ad_accounts_currency_check', sql`${t.currency} IS NULL OR length(${t.currency}) = 3`),
  ],
);

export const AD_CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'completed', 'archived'] as const;

export const adCampaigns = sqliteTable(
  'ad_campaigns',
  {
    id: id(),
    workspaceId: workspaceRef(),
    adAccountId: text('ad_account_id')
      .notNull()
      .references(() => adAccounts.id, { onDelete: 'cascade' }),
    /** The marketing campaign it belongs to. */
    campaignId: text('campaign_id').references((): AnySQLiteColumn => campaigns.id, { onDelete: 'set null' }),
    /** A boosted post. */
    postId: text('post_id').references((): AnySQLiteColumn => posts.id, { onDelete: 'set null' }),
    externalCampaignId: text('external_campaign_id'),
    name: text('name').notNull(),
    objective: text('objective'),
    status: enumText('status', AD_CAMPAIGN_STATUSES).notNull().default('draft'),
    dailyBudget: real('daily_budget'),
    lifetimeBudget: real('lifetime_budget'),
    startsAt: epochMs('starts_at'),
    endsAt: epochMs('ends_at'),
    targeting: json<Record<string, unknown>>('targeting').notNull().default({}),
    creative: json<Record<string, unknown>>('creative').notNull().default({}),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('ad_campaigns_account_external_unique').on(t.adAccountId, t.externalCampaignId),
    index('ad_campaigns_workspace_status_idx').on(t.workspaceId, t.status),
    index('ad_campaigns_campaign_idx').on(t.campaignId),
    index('ad_campaigns_post_idx').on(t.postId),
    enumCheck('ad_campaigns', t.status, AD_CAMPAIGN_STATUSES),
    nonNegative('ad_campaigns', t.dailyBudget),
    nonNegative('ad_campaigns', t.lifetimeBudget),
  ],
);

export const adMetrics = sqliteTable(
  'ad_metrics',
  {
    id: id(),
    workspaceId: workspaceRef(),
    adCampaignId: text('ad_campaign_id')
      .notNull()
      .references(() => adCampaigns.id, { onDelete: 'cascade' }),
    /** 'YYYY-MM-DD' in the ad account's timezone. */
    date: text('date').notNull(),
    impressions: counter('impressions'),
    reach: counter('reach'),
    clicks: counter('clicks'),
    conversions: counter('conversions'),
    spend: real('spend').notNull().default(0),
    revenue: real('revenue').notNull().default(0),
    ctr: real('ctr'),
    cpc: real('cpc'),
    cpm: real('cpm'),
    roas: real('roas'),
    frequency: integer('frequency'),
    raw: json<Record<string, unknown>>('raw'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('ad_metrics_campaign_date_unique').on(t.adCampaignId, t.date),
    index('ad_metrics_workspace_date_idx').on(t.workspaceId, t.date),
    isoDateCheck('ad_metrics', t.date),
    nonNegative('ad_metrics', t.spend),
  ],
);
