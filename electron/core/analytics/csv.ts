// CSV export of a range's posts and their latest figures, RFC 4180: fields separated by commas,
// records by CRLF, a field with a comma, quote, CR or LF in quotes with its quotes doubled. A text
// cell that begins with = + - @ (or a tab or CR, which some spreadsheets skip before reading a
// formula) gets a leading apostrophe so a spreadsheet shows it as text instead of running it
// ("CSV injection"): a post's text is written by anyone who can reach the user's account.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from '../../../db/client';
import { getWorkspace } from '../workspaces/workspaces';
import { PUBLISHED_TARGETS, resolveRange, targetWhere, type AnalyticsFilter, type RangeInput } from './dashboard';
import { zoneSegments, type ZoneSegment } from './zone-segments';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: numbers as they are, text neutralised and quoted when it needs to be. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: readonly (string | number | null | undefined)[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}

export const CSV_COLUMNS = [
  'published_at', 'account', 'platform', 'text', 'url', 'impressions', 'reach', 'clicks', 'likes', 'comments', 'shares', 'saves',
  'engagements', 'engagement_rate', 'metrics_recorded_at',
] as const;

interface ExportRow {
  publishedAt: number;
  account: string;
  platform: string;
  text: string;
  url: string | null;
  impressions: number | null;
  reach: number | null;
  clicks: number | null;
  likes: number | null;
  comments: number | null;
  shares: number | null;
  saves: number | null;
  rate: number | null;
  recordedAt: number | null;
}

/**
 * Local time in the workspace's timezone as 'YYYY-MM-DD HH:MM', what a spreadsheet reads as a date.
 * Through the zone's offset segments rather than Intl per cell: a two-year export has ~27k stamps.
 */
function stamper(tz: string, from: number, to: number): (ms: number) => string {
  let segments: ZoneSegment[] = zoneSegments(tz, from, to);
  return (ms) => {
    let seg = segments.find((x) => ms >= x.start && ms < x.end);
    if (!seg) {
      segments = zoneSegments(tz, Math.min(from, ms), Math.max(to, ms + 1));
      seg = segments.find((x) => ms >= x.start && ms < x.end)!;
    }
    return new Date(ms + seg.offsetMs).toISOString().slice(0, 16).replace('T', ' ');
  };
}

const YIELD_EVERY = 500;

/**
 * The range's published posts, oldest first, as CSV bytes (UTF-8 with a BOM so spreadsheets read
 * accents right). Rows are read in batches with a yield between them, so a two-year export never
 * holds the event loop.
 */
export async function exportCsv(db: Database, workspaceId: string, input: { range: RangeInput } & AnalyticsFilter, now = Date.now()): Promise<{ fileName: string; bytes: Buffer; rows: number }> {
  const ws = getWorkspace(db, workspaceId);
  const range = resolveRange(input.range, ws.timezone, now);
  // Encoded batch by batch: one join of a two-year export would hold the loop for tens of ms.
  const chunks: Buffer[] = [Buffer.from('\uFEFF' + csvRecord(CSV_COLUMNS), 'utf8')];
  // First the range's posts in order, from the published-posts index alone (ids and times, a few
  // ms for two years); then their text and figures 500 at a time, with a yield between batches.
  const w = targetWhere(workspaceId, range.fromMs, range.toMs, input);
  const order = db.sqlite
    .prepare<(string | number)[], { id: string }>(`SELECT t.id AS id FROM ${PUBLISHED_TARGETS} WHERE ${w.sql} ORDER BY t.published_at, t.id`)
    .all(...w.params)
    .map((r) => r.id);
  await nextTurn();
  const localStamp = stamper(ws.timezone, range.fromMs, Math.max(range.toMs, now));
  await nextTurn();
  for (let i = 0; i < order.length; i += YIELD_EVERY) {
    const ids = order.slice(i, i + YIELD_EVERY);
    const batch = db.sqlite
      .prepare<string[], ExportRow & { id: string }>(
        `SELECT t.id AS id, t.published_at AS publishedAt, COALESCE(a.username, a.display_name, t.platform) AS account, t.platform AS platform,
           COALESCE(t.content, p.content) AS text, t.platform_url AS url, m.impressions AS impressions, m.reach AS reach, m.clicks AS clicks,
           m.likes AS likes, m.comments AS comments, m.shares AS shares, m.saves AS saves, m.engagement_rate AS rate, m.recorded_at AS recordedAt
         FROM post_targets t JOIN posts p ON p.id = t.post_id JOIN accounts a ON a.id = t.account_id LEFT JOIN post_metrics m ON m.target_id = t.id
         WHERE t.id IN (${ids.map(() => '?').join(', ')})`,
      )
      .all(...ids);
    const byId = new Map(batch.map((r) => [r.id, r]));
    const parts: string[] = [];
    for (const id of ids) {
      const r = byId.get(id);
      if (!r) continue;
      const engagements = r.likes === null ? null : (r.likes ?? 0) + (r.comments ?? 0) + (r.shares ?? 0);
      parts.push(
        csvRecord([
          localStamp(r.publishedAt), r.account, r.platform, r.text, r.url, r.impressions, r.reach, r.clicks, r.likes, r.comments, r.shares, r.saves,
          engagements, r.reach !== null && r.reach > 0 ? r.rate : null, r.recordedAt === null ? null : localStamp(r.recordedAt),
        ]),
      );
    }
    chunks.push(Buffer.from(parts.join(''), 'utf8'));
    await nextTurn();
  }
  const rows = order.length;
  const slug = ws.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workspace';
  return { fileName: `${slug}-analytics-${range.from}-to-${range.to}.csv`, bytes: Buffer.concat(chunks), rows };
}
