// Post performance: 002 analytics and 001 analytics are one latest-figures row per published
// target (post_metrics); 001 analytics_history keeps the snapshots for charts over time.
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { counter, enumCheck, enumText, epochMs, id, json, timestamps } from './columns';
import { PLATFORMS } from './enums';
import { postTargets } from './posts';
import { workspaceRef } from './workspaces';

/** The seeds' metric columns, shared by the latest row and the history. */
const metricColumns = () => ({
  reach: counter('reach'),
  impressions: counter('impressions'),
  clicks: counter('clicks'),
  likes: counter('likes'),
  comments: counter('comments'),
  shares: counter('shares'),
  saves: counter('saves'),
  videoViews: counter('video_views'),
  conversions: counter('conversions'),
  /** (likes + comments + shares) / reach * 100 */
  engagementRate: real('engagement_rate').notNull().default(0),
  rawMetrics: json<Record<string, unknown>>('raw_metrics'),
});

export const postMetrics = sqliteTable(
  'post_metrics',
  {
    id: id(),
    workspaceId: workspaceRef(),
    targetId: text('target_id')
      .notNull()
      .references(() => postTargets.id, { onDelete: 'cascade' }),
    platform: enumText('platform', PLATFORMS).notNull(),
    ...metricColumns(),
    /** 002 fetched_at / 001 recorded_at. */
    recordedAt: epochMs('recorded_at').notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('post_metrics_target_unique').on(t.targetId),
    index('post_metrics_workspace_recorded_idx').on(t.workspaceId, t.recordedAt),
    enumCheck('post_metrics', t.platform, PLATFORMS),
  ],
);

export const postMetricsHistory = sqliteTable(
  'post_metrics_history',
  {
    id: id(),
    workspaceId: workspaceRef(),
    targetId: text('target_id')
      .notNull()
      .references(() => postTargets.id, { onDelete: 'cascade' }),
    platform: enumText('platform', PLATFORMS).notNull(),
    ...metricColumns(),
    recordedAt: epochMs('recorded_at').notNull(),
    /** Hours since publishing when the snapshot was taken (for "first 24 h" comparisons). */
    ageHours: integer('age_hours'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('post_metrics_history_target_recorded_unique').on(t.targetId, t.recordedAt),
    index('post_metrics_history_workspace_recorded_idx').on(t.workspaceId, t.recordedAt),
    enumCheck('post_metrics_history', t.platform, PLATFORMS),
  ],
);
