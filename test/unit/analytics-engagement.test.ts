// Engagement rate exactly as the seeds define it (002 analytics: (likes + comments + shares) /
// reach * 100, DECIMAL(5,2)), and what a network's counts become in the seeds' columns.
import { describe, expect, it } from 'vitest';
import { engagementRateOf, MAX_ENGAGEMENT_RATE, metricColumnsOf, storedEngagementRate } from '../../electron/core/analytics/engagement';

describe('engagement rate', () => {
  it('given likes, comments, shares and reach, then the rate is (likes + comments + shares) / reach * 100 rounded to 2 decimals', () => {
    expect(engagementRateOf({ likes: 40, comments: 5, shares: 9, reach: 1200 })).toBe(4.5);
    expect(engagementRateOf({ likes: 1, comments: 0, shares: 0, reach: 3 })).toBe(33.33);
    expect(engagementRateOf({ likes: 2, comments: 0, shares: 0, reach: 3 })).toBe(66.67);
  });

  it('given no reach reported (or 0), then the rate is unknown (null) and stored as the seeds\' default 0, never divided by impressions', () => {
    expect(engagementRateOf({ likes: 40, comments: 5, shares: 9, reach: null })).toBeNull();
    expect(engagementRateOf({ likes: 40, comments: 5, shares: 9, reach: 0 })).toBeNull();
    expect(storedEngagementRate({ likes: 40, comments: 5, shares: 9, reach: null })).toBe(0);
    expect(metricColumnsOf({ likes: 40, replies: 5, reposts: 9, impressions: 2000 }).engagementRate).toBe(0);
  });

  it('given more reactions than people reached, then the rate is capped to what DECIMAL(5,2) holds', () => {
    expect(engagementRateOf({ likes: 50_000, comments: 0, shares: 0, reach: 10 })).toBe(MAX_ENGAGEMENT_RATE);
  });

  it('given a network\'s counts, then replies are comments, reposts + quotes are shares, bookmarks are saves, and absent counts are 0', () => {
    expect(metricColumnsOf({ likes: 40, replies: 5, reposts: 7, quotes: 2, bookmarks: 3, impressions: 2100, reach: 900 })).toEqual({
      reach: 900,
      impressions: 2100,
      clicks: 0,
      likes: 40,
      comments: 5,
      shares: 9,
      saves: 3,
      videoViews: 0,
      engagementRate: 6,
    });
    expect(metricColumnsOf({}).likes).toBe(0);
  });
});
