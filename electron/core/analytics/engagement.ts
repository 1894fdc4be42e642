// Engagement as the seeds define it, and the mapping from what a network reports to the seeds'
// metric columns.
//
// The formula (002 analytics.engagement_rate, DECIMAL(5,2)):
//     engagement_rate = (likes + comments + shares) / reach * 100, rounded to 2 decimals.
// Reach is the denominator, never impressions: impressions count repeat views and would make the
// rate of a network that reports both incomparable with one that reports reach alone.
// When reach is missing (X, Mastodon and Bluesky report none) or 0, the rate is *unknown*: the row
// stores the seeds' default 0 (001 analytics.engagement_rate default 0), `engagementRateOf` returns
// null, and averages (`AVG(engagement_rate) WHERE reach > 0`) leave such posts out instead of
// counting them as 0 %. A rate over 999.99 % (more reactions than people reached, which happens
// when a post is shared far beyond who was counted) is capped to what DECIMAL(5,2) holds.
import type { MetricName, PostMetrics } from '../../platforms/connector';

/** The largest value DECIMAL(5,2) can hold. */
export const MAX_ENGAGEMENT_RATE = 999.99;

export interface EngagementCounts {
  likes: number;
  comments: number;
  shares: number;
  /** null when the network did not report reach. */
  reach: number | null;
}

/** The seeds' engagement rate in percent (2 decimals), or null when there is no reach to divide by. */
export function engagementRateOf(c: EngagementCounts): number | null {
  if (c.reach === null || !(c.reach > 0)) return null;
  const rate = ((c.likes + c.comments + c.shares) / c.reach) * 100;
  return Math.min(MAX_ENGAGEMENT_RATE, Math.round(rate * 100) / 100);
}

/** What is stored in the NOT NULL column: the rate, or the seeds' default 0 when it is unknown. */
export function storedEngagementRate(c: EngagementCounts): number {
  return engagementRateOf(c) ?? 0;
}

/** The seeds' metric columns as the fetch writes them (conversions come from campaigns, not from here). */
export interface MetricColumns {
  reach: number;
  impressions: number;
  clicks: number;
  likes: number;
  comments: number;
  shares: number;
  saves: number;
  videoViews: number;
  engagementRate: number;
}

const count = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) && v > 0 ? Math.round(v) : 0);

/**
 * A network's counts in the seeds' columns: replies are comments, reposts and quotes are shares
 * (a quote is a share with words of its own), bookmarks are saves. Absent metrics store 0, since
 * the columns are NOT NULL; the raw values are kept beside them (raw_metrics) so "not reported"
 * stays distinguishable from "zero".
 */
export function metricColumnsOf(values: PostMetrics['values']): MetricColumns {
  const has = (n: MetricName) => values[n] !== undefined;
  const likes = count(values.likes);
  const comments = count(values.replies);
  const shares = count(values.reposts) + count(values.quotes);
  const reach = has('reach') ? count(values.reach) : null;
  return {
    reach: reach ?? 0,
    impressions: count(values.impressions),
    clicks: count(values.clicks),
    likes,
    comments,
    shares,
    saves: count(values.bookmarks),
    videoViews: count(values.video_views),
    engagementRate: storedEngagementRate({ likes, comments, shares, reach }),
  };
}
