// A campaign's totals, organic and paid side by side: engagement of its attached posts, ad spend
// and results from the imported daily ad metrics, and the conversions and events imported from
// UTM-tagged exports. Money is grouped by currency, never added across currencies.
//
// The organic figures come from the Analytics module's own `engagementTotals` over the campaign's
// posts, so a campaign shows the same likes and the same engagement rate (the seeds' per-post
// (likes + comments + shares) / reach × 100, averaged over the posts that report reach) as the
// Analytics page does for those posts.
import type { Database } from '../../../db/client';
import { engagementTotals } from '../analytics/dashboard';
import { campaignRow } from './campaigns';

export interface MoneyByCurrency {
  currency: string | null;
  amount: number;
}

export interface CampaignTotals {
  organic: {
    posts: number;
    publishedTargets: number;
    /** Targets with fetched figures; the rest have none yet. */
    measuredTargets: number;
    likes: number;
    comments: number;
    shares: number;
    impressions: number;
    reach: number;
    clicks: number;
    engagements: number;
    /** The seeds' rate averaged over the published targets that report reach; null when none does. */
    engagementRate: number | null;
  };
  ads: {
    adCampaigns: number;
    days: number;
    impressions: number;
    reach: number;
    clicks: number;
    conversions: number;
    spend: MoneyByCurrency[];
    revenue: MoneyByCurrency[];
    /** clicks / impressions × 100. */
    ctr: number | null;
    firstDate: string | null;
    lastDate: string | null;
  };
  conversions: {
    count: number;
    value: MoneyByCurrency[];
    bySource: { source: string | null; medium: string | null; count: number; value: number }[];
  };
  events: { total: number; byType: Record<string, number> };
}

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;

export function campaignTotals(db: Database, campaignId: string): CampaignTotals {
  const campaign = campaignRow(db, campaignId);
  const counts = db.sqlite
    .prepare(
      `SELECT COUNT(DISTINCT p.id) AS posts, COUNT(DISTINCT CASE WHEN t.status = 'published' THEN t.id END) AS publishedTargets,
              COUNT(DISTINCT CASE WHEN t.status = 'published' THEN m.id END) AS measuredTargets
         FROM posts p
         LEFT JOIN post_targets t ON t.post_id = p.id AND t.deleted_at IS NULL
         LEFT JOIN post_metrics m ON m.target_id = t.id
        WHERE p.campaign_id = ? AND p.deleted_at IS NULL`,
    )
    .get(campaignId) as { posts: number; publishedTargets: number; measuredTargets: number };
  const postIds = (db.sqlite.prepare(`SELECT id FROM posts WHERE campaign_id = ? AND deleted_at IS NULL`).all(campaignId) as { id: string }[]).map((r) => r.id);
  // Published at any time: a campaign's posts count whenever they went out.
  // No posts: nothing to ask (an empty id filter makes the pinned-index query unplannable).
  const organic =
    postIds.length === 0
      ? { likes: 0, comments: 0, shares: 0, impressions: 0, reach: 0, clicks: 0, engagements: 0, engagementRate: null }
      : engagementTotals(db, campaign.workspaceId, { from: 0, to: Number.MAX_SAFE_INTEGER, postIds });

  const a = db.sqlite
    .prepare(
      `SELECT COUNT(DISTINCT c.id) AS adCampaigns, COUNT(m.id) AS days,
              COALESCE(SUM(m.impressions), 0) AS impressions, COALESCE(SUM(m.reach), 0) AS reach,
              COALESCE(SUM(m.clicks), 0) AS clicks, COALESCE(SUM(m.conversions), 0) AS conversions,
              MIN(m.date) AS firstDate, MAX(m.date) AS lastDate
         FROM ad_campaigns c LEFT JOIN ad_metrics m ON m.ad_campaign_id = c.id
        WHERE c.campaign_id = ? AND c.deleted_at IS NULL`,
    )
    .get(campaignId) as { adCampaigns: number; days: number; impressions: number; reach: number; clicks: number; conversions: number; firstDate: string | null; lastDate: string | null };
  const money = db.sqlite
    .prepare(
      `SELECT acc.currency AS currency, SUM(m.spend) AS spend, SUM(m.revenue) AS revenue
         FROM ad_campaigns c JOIN ad_accounts acc ON acc.id = c.ad_account_id JOIN ad_metrics m ON m.ad_campaign_id = c.id
        WHERE c.campaign_id = ? AND c.deleted_at IS NULL
        GROUP BY acc.currency ORDER BY SUM(m.spend) DESC`,
    )
    .all(campaignId) as { currency: string | null; spend: number; revenue: number }[];

  const conv = db.sqlite
    .prepare(`SELECT currency, COUNT(*) AS n, COALESCE(SUM(value), 0) AS value FROM conversions WHERE campaign_id = ? AND deleted_at IS NULL GROUP BY currency ORDER BY n DESC`)
    .all(campaignId) as { currency: string | null; n: number; value: number }[];
  const bySource = db.sqlite
    .prepare(
      `SELECT source, medium, COUNT(*) AS count, COALESCE(SUM(value), 0) AS value FROM conversions
        WHERE campaign_id = ? AND deleted_at IS NULL GROUP BY source, medium ORDER BY count DESC, source LIMIT 50`,
    )
    .all(campaignId) as { source: string | null; medium: string | null; count: number; value: number }[];
  const ev = db.sqlite
    .prepare(`SELECT event_type AS type, COUNT(*) AS n FROM campaign_events WHERE campaign_id = ? GROUP BY event_type`)
    .all(campaignId) as { type: string; n: number }[];

  return {
    organic: {
      ...counts,
      likes: organic.likes,
      comments: organic.comments,
      shares: organic.shares,
      impressions: organic.impressions,
      reach: organic.reach,
      clicks: organic.clicks,
      engagements: organic.engagements,
      engagementRate: organic.engagementRate,
    },
    ads: {
      ...a,
      spend: money.map((m) => ({ currency: m.currency, amount: round(m.spend) })),
      revenue: money.filter((m) => m.revenue > 0).map((m) => ({ currency: m.currency, amount: round(m.revenue) })),
      ctr: a.impressions > 0 ? round((a.clicks / a.impressions) * 100) : null,
    },
    conversions: {
      count: conv.reduce((n, c) => n + c.n, 0),
      value: conv.filter((c) => c.value > 0).map((c) => ({ currency: c.currency, amount: round(c.value) })),
      bySource: bySource.map((s) => ({ ...s, value: round(s.value) })),
    },
    events: { total: ev.reduce((n, e) => n + e.n, 0), byType: Object.fromEntries(ev.map((e) => [e.type, e.n])) },
  };
}
