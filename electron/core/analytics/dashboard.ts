// The Analytics dashboard, computed in SQL over indexed columns (post_targets by workspace, status
// and published_at; post_metrics by target).
//
// What the figures mean:
//   - A "post" is a published post target: one post sent to three accounts counts three times,
//     since each network's copy has its own audience and figures.
//   - Posts count in the range their *publishing time* falls in, with their latest figures
//     (post_metrics). A range's engagement is what its posts earned, whenever the likes came in;
//     the previous period is the same number of days just before.
//   - engagements = likes + comments + shares (the seeds' numerator); the engagement rate is the
//     average of posts' rates over posts whose network reported reach (see ./engagement.ts).
//   - Days and the day × hour heatmap are in the workspace's timezone, DST-correct (./zone-segments.ts).
//   - The heatmap reads the user's own history: the 365 days up to the end of the range, with the
//     same account/platform filters, so "best time" rests on more than a week of posts.
import type { Database } from '../../../db/client';
import type { Platform } from '../../../db/schema/enums';
import { ApiError } from '../../api/errors';
import { instantOf, wallTimeAt } from '../../scheduler/zoned-time';
import { getWorkspace } from '../workspaces/workspaces';
import { dayKey, dayNumberOf, zoneCte, zoneSegments } from './zone-segments';

const DAY_MS = 86_400_000;
export const HEATMAP_HISTORY_DAYS = 365;
export const TOP_POSTS = 10;
export const MAX_RANGE_DAYS = 731;

export interface AnalyticsFilter {
  accountIds?: readonly string[] | undefined;
  platforms?: readonly Platform[] | undefined;
  postIds?: readonly string[] | undefined;
}

export interface Totals {
  posts: number;
  impressions: number;
  reach: number;
  clicks: number;
  likes: number;
  comments: number;
  shares: number;
  saves: number;
  /** likes + comments + shares */
  engagements: number;
  /** Average engagement rate (%) of the posts with reach; null when none reported reach. */
  engagementRate: number | null;
}

export interface Where {
  sql: string;
  params: (string | number)[];
}

/** The shared WHERE over post_targets `t`: workspace, published in [from, to), and the filters. */
export function targetWhere(workspaceId: string, from: number, to: number, f: AnalyticsFilter): Where {
  let sql = `t.workspace_id = ? AND t.status = 'published' AND t.published_at >= ? AND t.published_at < ? AND t.deleted_at IS NULL`;
  const params: (string | number)[] = [workspaceId, from, to];
  const list = (col: string, values: readonly string[] | undefined) => {
    if (values === undefined) return;
    // An empty filter means "none of them", never "all".
    if (values.length === 0) {
      sql += ' AND 0';
      return;
    }
    sql += ` AND ${col} IN (${values.map(() => '?').join(', ')})`;
    params.push(...values);
  };
  list('t.account_id', f.accountIds);
  list('t.platform', f.platforms);
  list('t.post_id', f.postIds);
  return { sql, params };
}

/**
 * Every range query reads published targets through this index (workspace, published_at, account,
 * platform, id; partial on published and not deleted), named so the plan cannot drift to the
 * (workspace, status) index after an ANALYZE: that one reads every published row of the workspace.
 */
export const PUBLISHED_INDEX = 'post_targets_workspace_published_idx';
export const PUBLISHED_TARGETS = `post_targets t INDEXED BY ${PUBLISHED_INDEX}`;
const TARGETS = PUBLISHED_TARGETS;

const round2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);

/**
 * Organic totals of the posts published in [from, to) (epoch ms), optionally only some accounts,
 * platforms or posts (a campaign's posts, a client's accounts). For campaigns and the client
 * overview as much as for the dashboard.
 */
export function engagementTotals(db: Database, workspaceId: string, opts: { from: number; to: number } & AnalyticsFilter): Totals {
  const w = targetWhere(workspaceId, opts.from, opts.to, opts);
  const row = db.sqlite.prepare<(string | number)[], SumRow>(`SELECT ${SUM_COLUMNS} FROM ${TARGETS} LEFT JOIN post_metrics m ON m.target_id = t.id WHERE ${w.sql}`).get(...w.params)!;
  return totalsOf(row);
}

// --- the range ------------------------------------------------------------------------------------

export type RangeInput = { days: number; from?: undefined; to?: undefined } | { from: string; to: string; days?: undefined };

export interface ResolvedRange {
  /** Inclusive local dates. */
  from: string;
  to: string;
  days: number;
  fromMs: number;
  toMs: number;
  previousFromMs: number;
  timezone: string;
}

function midnight(date: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return instantOf({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }, tz);
}

/** A preset (the last N days, today included) or dates, as instants in the workspace's timezone. */
export function resolveRange(range: RangeInput, timezone: string, now: number): ResolvedRange {
  let fromDay: number;
  let toDay: number;
  if (range.days !== undefined) {
    const w = wallTimeAt(now, timezone);
    toDay = Math.floor(Date.UTC(w.year, w.month - 1, w.day) / DAY_MS);
    fromDay = toDay - (range.days - 1);
  } else {
    fromDay = dayNumberOf(range.from);
    toDay = dayNumberOf(range.to);
  }
  if (!Number.isFinite(fromDay) || !Number.isFinite(toDay)) throw new ApiError('invalid_input', 'Give the range as dates like 2026-03-01.');
  if (toDay < fromDay) throw new ApiError('invalid_input', 'The range ends before it starts; pick an end date on or after the start.');
  const days = toDay - fromDay + 1;
  if (days > MAX_RANGE_DAYS) throw new ApiError('invalid_input', `Pick a range of at most ${MAX_RANGE_DAYS} days.`);
  const from = dayKey(fromDay);
  const to = dayKey(toDay);
  return {
    from,
    to,
    days,
    fromMs: midnight(from, timezone),
    toMs: midnight(dayKey(toDay + 1), timezone),
    previousFromMs: midnight(dayKey(fromDay - days), timezone),
    timezone,
  };
}

// --- the dashboard ----------------------------------------------------------------------------------

export interface SeriesPoint {
  date: string;
  posts: number;
  impressions: number;
  reach: number;
  engagements: number;
  engagementRate: number | null;
}

export interface GroupRow extends Totals {
  key: string;
  label: string;
  platform: Platform;
}

export interface TopPost {
  targetId: string;
  postId: string;
  accountId: string;
  accountLabel: string;
  platform: Platform;
  text: string;
  publishedAt: number;
  url: string | null;
  impressions: number;
  reach: number;
  likes: number;
  comments: number;
  shares: number;
  engagements: number;
  /** null when the network reported no reach. */
  engagementRate: number | null;
  recordedAt: number | null;
}

export interface HeatmapCell {
  /** 0 = Monday … 6 = Sunday. */
  day: number;
  hour: number;
  posts: number;
  /** Average engagements per post published in this hour of this weekday. */
  avgEngagements: number;
}

export interface Dashboard {
  range: ResolvedRange;
  totals: Totals;
  previous: Totals;
  /** Relative change vs the previous period in percent, per figure; null when the previous was 0. */
  change: Partial<Record<keyof Totals, number | null>>;
  series: SeriesPoint[];
  byAccount: GroupRow[];
  byPlatform: Omit<GroupRow, 'label'>[];
  topPosts: TopPost[];
  heatmap: { cells: HeatmapCell[]; fromMs: number; toMs: number; posts: number };
  /** The workspace has published nothing at all yet (the page shows how to start). */
  empty: boolean;
  /** When the newest figures were fetched, for "updated …". */
  lastFetchedAt: number | null;
}

function changeOf(now: Totals, before: Totals): Dashboard['change'] {
  const out: Dashboard['change'] = {};
  for (const k of Object.keys(now) as (keyof Totals)[]) {
    const a = now[k];
    const b = before[k];
    out[k] = a === null || b === null || b === 0 ? null : Math.round(((a - b) / b) * 1000) / 10;
  }
  return out;
}

interface SumRow {
  posts: number;
  impressions: number;
  reach: number;
  clicks: number;
  likes: number;
  comments: number;
  shares: number;
  saves: number;
  /** Sum and count of the rates of posts with reach, so averages combine exactly across groups. */
  rateSum: number;
  rateN: number;
}

const SUM_COLUMNS = `COUNT(*) AS posts,
  COALESCE(SUM(m.impressions), 0) AS impressions, COALESCE(SUM(m.reach), 0) AS reach, COALESCE(SUM(m.clicks), 0) AS clicks,
  COALESCE(SUM(m.likes), 0) AS likes, COALESCE(SUM(m.comments), 0) AS comments, COALESCE(SUM(m.shares), 0) AS shares,
  COALESCE(SUM(m.saves), 0) AS saves, COALESCE(SUM(CASE WHEN m.reach > 0 THEN m.engagement_rate END), 0) AS rateSum,
  COUNT(CASE WHEN m.reach > 0 THEN 1 END) AS rateN`;

function emptySums(): SumRow {
  return { posts: 0, impressions: 0, reach: 0, clicks: 0, likes: 0, comments: 0, shares: 0, saves: 0, rateSum: 0, rateN: 0 };
}

function addSums(into: SumRow, r: SumRow): SumRow {
  for (const k of Object.keys(into) as (keyof SumRow)[]) into[k] += r[k];
  return into;
}

function totalsOf(r: SumRow): Totals {
  return {
    posts: r.posts,
    impressions: r.impressions,
    reach: r.reach,
    clicks: r.clicks,
    likes: r.likes,
    comments: r.comments,
    shares: r.shares,
    saves: r.saves,
    engagements: r.likes + r.comments + r.shares,
    engagementRate: r.rateN > 0 ? round2(r.rateSum / r.rateN) : null,
  };
}

export function dashboard(db: Database, workspaceId: string, input: { range: RangeInput } & AnalyticsFilter, now = Date.now()): Dashboard {
  const ws = getWorkspace(db, workspaceId);
  const range = resolveRange(input.range, ws.timezone, now);
  const filter: AnalyticsFilter = { accountIds: input.accountIds, platforms: input.platforms };
  const previous = engagementTotals(db, workspaceId, { from: range.previousFromMs, to: range.fromMs, ...filter });

  // Engagement over time: one point per local day, empty days included; the range's totals are
  // the days' sums (one pass over the range instead of two).
  const w = targetWhere(workspaceId, range.fromMs, range.toMs, filter);
  const cte = zoneCte(zoneSegments(ws.timezone, range.fromMs, range.toMs));
  const daily = db.sqlite
    .prepare<(string | number)[], SumRow & { day: number }>(
      `WITH ${cte}
       SELECT (t.published_at + tz.off) / ${DAY_MS} AS day, ${SUM_COLUMNS}
       FROM tz JOIN ${TARGETS} ON t.published_at >= tz.s AND t.published_at < tz.e
         LEFT JOIN post_metrics m ON m.target_id = t.id
       WHERE ${w.sql} GROUP BY day`,
    )
    .all(...w.params);
  const sums = emptySums();
  const byDay = new Map<number, SumRow>();
  for (const { day, ...d } of daily) {
    byDay.set(day, d);
    addSums(sums, d);
  }
  const totals = totalsOf(sums);
  const series: SeriesPoint[] = [];
  const firstDay = dayNumberOf(range.from);
  for (let i = 0; i < range.days; i++) {
    const d = totalsOf(byDay.get(firstDay + i) ?? emptySums());
    series.push({ date: dayKey(firstDay + i), posts: d.posts, impressions: d.impressions, reach: d.reach, engagements: d.engagements, engagementRate: d.engagementRate });
  }

  // Per account; per platform is the accounts' sums (an account is on one platform).
  const accountRows = db.sqlite
    .prepare<(string | number)[], SumRow & { key: string; platform: Platform }>(
      `SELECT t.account_id AS key, t.platform AS platform, ${SUM_COLUMNS}
       FROM ${TARGETS} LEFT JOIN post_metrics m ON m.target_id = t.id
       WHERE ${w.sql} GROUP BY t.account_id, t.platform`,
    )
    .all(...w.params);
  const labels = new Map(
    accountRows.length === 0
      ? []
      : db.sqlite
          .prepare<string[], { id: string; label: string }>(`SELECT id, COALESCE(username, display_name, platform) AS label FROM accounts WHERE id IN (${accountRows.map(() => '?').join(', ')})`)
          .all(...accountRows.map((r) => r.key))
          .map((a) => [a.id, a.label]),
  );
  const byEngagements = (a: Totals, b: Totals) => b.engagements - a.engagements;
  const byAccount: GroupRow[] = accountRows.map((r) => ({ key: r.key, label: labels.get(r.key) ?? r.platform, platform: r.platform, ...totalsOf(r) })).sort(byEngagements);
  const platformSums = new Map<Platform, SumRow>();
  for (const r of accountRows) platformSums.set(r.platform, addSums(platformSums.get(r.platform) ?? emptySums(), r));
  const byPlatform = [...platformSums].map(([platform, r]) => ({ key: platform, platform, ...totalsOf(r) })).sort(byEngagements);

  // The top posts are chosen over the index and the metrics alone; their text is read for those ten only.
  const topIds = db.sqlite
    .prepare<(string | number)[], { id: string }>(
      `SELECT t.id AS id FROM ${TARGETS} JOIN post_metrics m ON m.target_id = t.id
       WHERE ${w.sql} ORDER BY m.likes + m.comments + m.shares DESC, t.published_at DESC LIMIT ${TOP_POSTS}`,
    )
    .all(...w.params)
    .map((r) => r.id);
  const topPosts =
    topIds.length === 0
      ? []
      : db.sqlite
          .prepare<string[], TopPost & { rawRate: number }>(
            `SELECT t.id AS targetId, t.post_id AS postId, t.account_id AS accountId, COALESCE(a.username, a.display_name, t.platform) AS accountLabel,
               t.platform AS platform, substr(COALESCE(t.content, p.content), 1, 280) AS text, t.published_at AS publishedAt, t.platform_url AS url,
               m.impressions AS impressions, m.reach AS reach, m.likes AS likes, m.comments AS comments, m.shares AS shares,
               m.likes + m.comments + m.shares AS engagements, m.engagement_rate AS rawRate, m.recorded_at AS recordedAt
             FROM post_targets t JOIN post_metrics m ON m.target_id = t.id JOIN accounts a ON a.id = t.account_id JOIN posts p ON p.id = t.post_id
             WHERE t.id IN (${topIds.map(() => '?').join(', ')})
             ORDER BY engagements DESC, t.published_at DESC`,
          )
          .all(...topIds)
          .map(({ rawRate, ...r }) => ({ ...r, engagementRate: r.reach > 0 ? rawRate : null }));

  const heatmap = bestTimes(db, workspaceId, ws.timezone, range.toMs, filter);
  const empty =
    totals.posts === 0 &&
    db.sqlite.prepare<[string], { one: number }>(`SELECT 1 AS one FROM post_targets t WHERE t.workspace_id = ? AND t.status = 'published' AND t.deleted_at IS NULL LIMIT 1`).get(workspaceId) === undefined;
  const last = db.sqlite.prepare<[string], { at: number | null }>(`SELECT MAX(recorded_at) AS at FROM post_metrics WHERE workspace_id = ?`).get(workspaceId);
  return { range, totals, previous, change: changeOf(totals, previous), series, byAccount, byPlatform, topPosts, heatmap, empty, lastFetchedAt: last?.at ?? null };
}

/**
 * Best posting times: average engagements per post by local weekday and hour, over the user's own
 * posts of the HEATMAP_HISTORY_DAYS before `to`. Monday is 0 (1970-01-01, day 0, was a Thursday).
 */
const heatmapCache = new WeakMap<Database, Map<string, { fingerprint: string; value: Dashboard['heatmap'] }>>();

export function bestTimes(db: Database, workspaceId: string, timezone: string, to: number, filter: AnalyticsFilter): Dashboard['heatmap'] {
  const from = to - HEATMAP_HISTORY_DAYS * DAY_MS;
  const w = targetWhere(workspaceId, from, to, filter);
  // A year of posts changes only when a post is published or deleted in it or new figures come in:
  // the heatmap is remembered per range end and filter until one of those fingerprints moves. The
  // fingerprint reads the index alone and the newest fetch time, well under a millisecond.
  const seen = db.sqlite
    .prepare<(string | number)[], { n: number; s: number | null }>(`SELECT COUNT(*) AS n, SUM(t.published_at) AS s FROM ${TARGETS} WHERE ${w.sql}`)
    .get(...w.params)!;
  const newest = db.sqlite.prepare<[string], { at: number | null }>(`SELECT MAX(recorded_at) AS at FROM post_metrics WHERE workspace_id = ?`).get(workspaceId);
  const fingerprint = `${seen.n}|${seen.s ?? 0}|${newest?.at ?? 0}`;
  const key = JSON.stringify([workspaceId, timezone, to, filter.accountIds ?? null, filter.platforms ?? null, filter.postIds ?? null]);
  let cache = heatmapCache.get(db);
  if (!cache) heatmapCache.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.fingerprint === fingerprint) return hit.value;
  const value = computeBestTimes(db, timezone, from, to, w);
  if (cache.size > 50) cache.clear();
  cache.set(key, { fingerprint, value });
  return value;
}

function computeBestTimes(db: Database, timezone: string, from: number, to: number, w: Where): Dashboard['heatmap'] {
  const cte = zoneCte(zoneSegments(timezone, from, to));
  const rows = db.sqlite
    .prepare<(string | number)[], HeatmapCell>(
      `WITH ${cte}
       SELECT (((t.published_at + tz.off) / ${DAY_MS}) + 3) % 7 AS day, ((t.published_at + tz.off) % ${DAY_MS}) / 3600000 AS hour,
         COUNT(*) AS posts, COALESCE(AVG(m.likes + m.comments + m.shares), 0) AS avgEngagements
       FROM tz JOIN ${TARGETS} ON t.published_at >= tz.s AND t.published_at < tz.e
         LEFT JOIN post_metrics m ON m.target_id = t.id
       WHERE ${w.sql} GROUP BY day, hour`,
    )
    .all(...w.params)
    .map((c) => ({ ...c, avgEngagements: Math.round(c.avgEngagements * 10) / 10 }));
  return { cells: rows, fromMs: from, toMs: to, posts: rows.reduce((n, c) => n + c.posts, 0) };
}
