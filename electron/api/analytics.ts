// Analytics: the dashboard for a range (totals and change, engagement per day, per account and
// platform, top posts, the best-times heatmap), "post again" on a top post, CSV and PDF exports of a
// range (bytes as base64, so every transport carries them), and fetching metrics now. Metrics are
// fetched by the 'analytics.fetch_metrics' job; 'analytics.changed' says new figures were stored.
import { z } from 'zod';
import { PLATFORMS } from '../../db/schema/enums';
import { exportCsv } from '../core/analytics/csv';
import { dashboard, MAX_RANGE_DAYS } from '../core/analytics/dashboard';
import { refreshMetricsNow } from '../core/analytics/metrics-fetch';
import { exportPdf } from '../core/analytics/pdf';
import { postAgain } from '../core/analytics/post-again';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'give a date like 2026-03-01').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a real date');
const range = z.union([
  z.object({ days: z.number().int().min(1).max(MAX_RANGE_DAYS) }).strict(),
  z.object({ from: date, to: date }).strict(),
]);
const query = z.object({
  workspaceId,
  range,
  accountIds: z.array(id).max(200).optional(),
  platforms: z.array(z.enum(PLATFORMS)).max(PLATFORMS.length).optional(),
});

export const analyticsApi = area('analytics', {
  'analytics.dashboard': method({
    description:
      'The dashboard for a range — {days: 7|30|90|…} ending today, or {from, to} local dates, in the workspace timezone — optionally only some accounts or platforms: ' +
      'totals (posts = published post targets, impressions, reach, clicks, likes, comments, shares, saves, engagements = likes+comments+shares, engagementRate = average of posts\' (likes+comments+shares)/reach*100 where reach is known) and change in % vs the previous period, ' +
      'series (one point per local day), byAccount, byPlatform, topPosts (10 by engagements), heatmap (day 0=Monday × hour, average engagements per post over the last 365 days), empty (nothing published yet) and lastFetchedAt.',
    input: query,
    handler: (ctx, i) => dashboard(ctx.db, i.workspaceId, i),
  }),
  'analytics.postAgain': method({
    description: 'A new draft from a published post target (a top post): same text (the network\'s variant if it had one), hashtags, media and account. Returns the draft.',
    input: z.object({ workspaceId, targetId: id }),
    handler: (ctx, i) => {
      const post = postAgain(ctx.db, i.workspaceId, i.targetId);
      ctx.events.emit('posts.changed', { workspaceId: i.workspaceId, postId: post.id });
      return post;
    },
  }),
  'analytics.exportCsv': method({
    description:
      'The range\'s published posts with their latest figures as CSV (RFC 4180, UTF-8 with BOM, CRLF; text cells starting with = + - @ are prefixed with \' so spreadsheets do not run them): {fileName, mimeType, contentBase64, rows}.',
    input: query,
    handler: async (ctx, i) => {
      const out = await exportCsv(ctx.db, i.workspaceId, i);
      return { fileName: out.fileName, mimeType: 'text/csv; charset=utf-8', contentBase64: out.bytes.toString('base64'), rows: out.rows };
    },
  }),
  'analytics.exportPdf': method({
    description: 'A PDF report of the range: totals and change, engagements per day as a chart, top posts and the best-times heatmap: {fileName, mimeType, contentBase64, pages}.',
    input: query,
    handler: async (ctx, i) => {
      const out = await exportPdf(ctx.db, i.workspaceId, i);
      return { fileName: out.fileName, mimeType: 'application/pdf', contentBase64: out.bytes.toString('base64'), pages: out.pages };
    },
  }),
  'analytics.refresh': method({
    description:
      'Fetch metrics now for one account or every connected account of the workspace (every post published in the last 90 days). {queued, accountIds}; watch "analytics.changed" and the jobs events.',
    input: z.object({ workspaceId, accountId: id.optional() }),
    handler: (ctx, i) => refreshMetricsNow(ctx, i.workspaceId, i.accountId),
  }),
});
