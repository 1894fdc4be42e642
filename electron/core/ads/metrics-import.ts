// Daily ad figures from the platforms' own CSV exports, read by the column names those exports use:
// - Meta Ads Manager (Reports → Export table data, broken down By time → Day): "Campaign name",
//   "Campaign ID", "Day" (or "Reporting starts"/"Reporting ends" for a one-day row),
//   "Amount spent (USD)" (the account currency in brackets), "Impressions", "Reach",
//   "Link clicks" or "Clicks (all)", "Results"/"Purchases"/"Leads", "Frequency",
//   "CPM (cost per 1,000 impressions) (USD)", "CTR (link click-through rate)",
//   "Purchases conversion value".
// - Google Ads (Reports → Campaign, segmented by Day, Download → CSV): a title row and a date-range
//   row above the header, then "Day", "Campaign", "Campaign ID", "Currency code", "Cost", "Impr.",
//   "Clicks", "Conversions", "Conv. value", "CTR", "Avg. CPC", "Avg. CPM", and "Total: …" rows at
//   the end, which are sums, not days, and are skipped.
// One row is one campaign on one day; it creates the ad campaign the first time it is seen (by its
// platform id, else its name) and replaces that day's figures on a later import, so downloading an
// overlapping range again corrects the numbers instead of doubling them.
import { newId } from '../../../db/schema/columns';
import { ApiError } from '../../api/errors';
import { campaignRow } from '../campaigns/campaigns';
import { cellOf, columnNames, finishImport, mapRows, parseNumberCell, readGrid, type HeaderSpec, type ImportMode, type ImportReport, type RowReport } from '../campaigns/csv-table';
import type { ApiContext } from '../context';
import { AD_PLATFORM_NAMES, getAdAccount, type SupportedAdPlatform } from './accounts';

type Field =
  | 'campaign'
  | 'campaignId'
  | 'day'
  | 'starts'
  | 'ends'
  | 'spend'
  | 'currency'
  | 'impressions'
  | 'reach'
  | 'clicks'
  | 'conversions'
  | 'revenue'
  | 'frequency'
  | 'ctr'
  | 'cpc'
  | 'cpm';

const META_COLUMNS: HeaderSpec<Field>[] = [
  { field: 'campaign', names: ['campaign name'], label: 'Campaign name', required: true },
  { field: 'campaignId', names: ['campaign id'], label: 'Campaign ID' },
  { field: 'day', names: ['day', 'date'], label: 'Day' },
  { field: 'starts', names: ['reporting starts'], label: 'Reporting starts' },
  { field: 'ends', names: ['reporting ends'], label: 'Reporting ends' },
  { field: 'spend', names: ['amount spent'], prefixes: ['amount spent ('], label: 'Amount spent', required: true },
  { field: 'impressions', names: ['impressions'], label: 'Impressions', required: true },
  { field: 'reach', names: ['reach'], label: 'Reach' },
  { field: 'clicks', names: ['link clicks', 'clicks (all)', 'clicks'], label: 'Link clicks' },
  { field: 'conversions', names: ['purchases', 'website purchases', 'leads', 'results'], label: 'Results' },
  { field: 'revenue', names: ['purchases conversion value', 'website purchases conversion value', 'conversion value'], label: 'Purchases conversion value' },
  { field: 'frequency', names: ['frequency'], label: 'Frequency' },
  { field: 'ctr', names: ['ctr (link click-through rate)', 'ctr (all)', 'ctr'], label: 'CTR' },
  { field: 'cpc', names: [], prefixes: ['cpc (cost per link click)', 'cpc (all)'], label: 'CPC' },
  { field: 'cpm', names: [], prefixes: ['cpm (cost per 1,000 impressions)'], label: 'CPM' },
];

const GOOGLE_COLUMNS: HeaderSpec<Field>[] = [
  { field: 'campaign', names: ['campaign', 'campaign name'], label: 'Campaign', required: true },
  { field: 'campaignId', names: ['campaign id'], label: 'Campaign ID' },
  { field: 'day', names: ['day', 'date'], label: 'Day', required: true },
  { field: 'currency', names: ['currency code', 'currency'], label: 'Currency code' },
  { field: 'spend', names: ['cost'], label: 'Cost', required: true },
  { field: 'impressions', names: ['impr.', 'impressions'], label: 'Impr.', required: true },
  { field: 'clicks', names: ['clicks'], label: 'Clicks', required: true },
  { field: 'conversions', names: ['conversions', 'all conv.'], label: 'Conversions' },
  { field: 'revenue', names: ['conv. value', 'conversion value', 'all conv. value'], label: 'Conv. value' },
  { field: 'ctr', names: ['ctr'], label: 'CTR' },
  { field: 'cpc', names: ['avg. cpc'], label: 'Avg. CPC' },
  { field: 'cpm', names: ['avg. cpm'], label: 'Avg. CPM' },
];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "2026-03-01", "Mar 1, 2026", "Sun, Mar 1, 2026", "March 1, 2026" → "2026-03-01". */
export function parseDay(raw: string): string | null {
  const t = raw.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const named = /^(?:[A-Za-z]{3,9},\s*)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (named) {
    const mi = MONTHS.indexOf(named[1]!.slice(0, 3).toLowerCase());
    if (mi < 0) return null;
    [y, m, d] = [Number(named[3]), mi + 1, Number(named[2])];
  } else return null;
  if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

interface MetricValue {
  externalCampaignId: string | null;
  campaignName: string;
  date: string;
  impressions: number;
  reach: number;
  clicks: number;
  conversions: number;
  spend: number;
  revenue: number;
  ctr: number | null;
  cpc: number | null;
  cpm: number | null;
  frequency: number | null;
  raw: Record<string, string>;
}

export interface AdMetricsImportInput {
  adAccountId: string;
  csv: string;
  /** Link ad campaigns created by this import to this marketing campaign. */
  campaignId?: string | undefined;
  mode?: ImportMode | undefined;
  dryRun?: boolean | undefined;
}

export interface AdMetricsImportReport extends ImportReport {
  platform: SupportedAdPlatform;
  /** Ad campaigns this import created. */
  adCampaignsCreated: number;
}

/** Which export this is, from its header: Meta names "Amount spent (…)", Google "Cost" and "Impr.". */
export function detectPlatform(csv: string): SupportedAdPlatform | null {
  const head = csv.slice(0, 4000).toLowerCase();
  if (head.includes('amount spent')) return 'meta';
  if (/(^|[,;\t"])impr\.([,;\t"]|$)/m.test(head) || (head.includes('cost') && head.includes('campaign') && head.includes('day'))) return 'google';
  return null;
}

export async function importAdMetrics(ctx: ApiContext, input: AdMetricsImportInput): Promise<AdMetricsImportReport> {
  const db = ctx.db;
  const account = getAdAccount(db, input.adAccountId);
  if (account.platform !== 'meta' && account.platform !== 'google') {
    throw new ApiError('invalid_input', 'Only Meta Ads and Google Ads exports can be imported so far.');
  }
  const platform = account.platform;
  const marketing = input.campaignId ? campaignRow(db, input.campaignId) : null;
  if (marketing && marketing.workspaceId !== account.workspaceId) throw new ApiError('invalid_input', 'That campaign is in another workspace than the ad account.');
  const detected = detectPlatform(input.csv);
  if (detected && detected !== platform) {
    throw new ApiError(
      'invalid_input',
      `This looks like a ${AD_PLATFORM_NAMES[detected]} export, but ${account.name ?? account.externalAccountId} is a ${AD_PLATFORM_NAMES[platform]} account. Pick the ${AD_PLATFORM_NAMES[detected]} account, or the right file.`,
    );
  }
  const specs = platform === 'meta' ? META_COLUMNS : GOOGLE_COLUMNS;
  const grid = readGrid(input.csv, specs, {
    what: platform === 'meta' ? 'a Meta Ads Manager export (Campaign name, Day, Amount spent, Impressions)' : 'a Google Ads campaign report (Day, Campaign, Cost, Impr., Clicks)',
    // Google puts a report title and a date range above the header.
    maxPreambleRows: 5,
  });
  if (platform === 'meta' && grid.columns.day === undefined && grid.columns.starts === undefined) {
    throw new ApiError('invalid_input', 'This Meta export has no "Day" column, so its rows are totals over the whole range. In Ads Manager choose Breakdown → By time → Day, then export again.');
  }
  // The currency in Meta's "Amount spent (EUR)" header must be the account's.
  const spendHeader = grid.header[grid.columns.spend!]!.trim();
  const headerCurrency = /\(([A-Z]{3})\)\s*$/.exec(spendHeader)?.[1] ?? null;
  if (headerCurrency && account.currency && headerCurrency !== account.currency) {
    throw new ApiError('invalid_input', `The spend in this file is in ${headerCurrency} but the ad account is set to ${account.currency}. Check you picked the right account, or change its currency.`);
  }

  const parsed = await mapRows(grid.rows, ({ line, cells }) => {
    const cell = (f: Field) => cellOf(grid, cells, f);
    const report: RowReport = { line, ok: true, errors: [], warnings: [] };
    const name = cell('campaign');
    // Google's closing sums ("Total: Account", "Total: Campaigns") and Meta's summary row without a campaign.
    if (/^total:/i.test(name) || /^total:/i.test(cells[0]?.trim() ?? '') || (platform === 'meta' && name === '' && cell('campaignId') === '')) {
      report.warnings.push('A total row, not a day: skipped.');
      return { report, skip: 'total' as const };
    }
    const errors = report.errors;
    if (name === '') errors.push(`${platform === 'meta' ? 'Campaign name' : 'Campaign'} is empty.`);
    let date: string | null = null;
    if (grid.columns.day !== undefined) {
      date = parseDay(cell('day'));
      if (!date) errors.push(`Day "${cell('day')}" isn't a date Postdesk can read (2026-03-01 or Mar 1, 2026).`);
    } else {
      const s = parseDay(cell('starts'));
      const e = parseDay(cell('ends'));
      if (!s || !e) errors.push(`Reporting starts/ends "${cell('starts')}" – "${cell('ends')}" aren't dates Postdesk can read.`);
      else if (s !== e) errors.push(`This row covers ${s} to ${e}, not one day. Export with Breakdown → By time → Day.`);
      else date = s;
    }
    const num = (f: Field, label: string, opts: { integer?: boolean; percent?: boolean } = {}): number | null => {
      const raw = cell(f);
      const v = parseNumberCell(raw);
      if ('error' in v) {
        errors.push(`${label}: ${v.error}.`);
        return null;
      }
      if (v.value !== null && v.value < 0) {
        errors.push(`${label} is negative (${raw}).`);
        return null;
      }
      if (v.value !== null && opts.integer && !Number.isInteger(v.value)) {
        report.warnings.push(`${label} ${raw} rounded to ${Math.round(v.value)}.`);
        return Math.round(v.value);
      }
      return v.value;
    };
    const spec = (f: Field) => specs.find((s) => s.field === f)!.label;
    const spend = num('spend', grid.header[grid.columns.spend!]!.trim());
    const impressions = num('impressions', spec('impressions'), { integer: true });
    const reach = grid.columns.reach === undefined ? null : num('reach', spec('reach'), { integer: true });
    const clicks = grid.columns.clicks === undefined ? null : num('clicks', grid.header[grid.columns.clicks]!.trim(), { integer: true });
    const conversions = grid.columns.conversions === undefined ? null : num('conversions', grid.header[grid.columns.conversions]!.trim(), { integer: true });
    const revenue = grid.columns.revenue === undefined ? null : num('revenue', spec('revenue'));
    const ctr = grid.columns.ctr === undefined ? null : num('ctr', spec('ctr'));
    const cpc = grid.columns.cpc === undefined ? null : num('cpc', spec('cpc'));
    const cpm = grid.columns.cpm === undefined ? null : num('cpm', spec('cpm'));
    const frequency = grid.columns.frequency === undefined ? null : num('frequency', spec('frequency'));
    const currency = cell('currency').toUpperCase();
    if (currency && account.currency && currency !== account.currency) errors.push(`Currency code is ${currency} but the ad account is in ${account.currency}.`);
    report.ok = errors.length === 0;
    if (!report.ok || date === null) return { report };
    const raw: Record<string, string> = {};
    grid.header.forEach((h, i) => {
      if (h.trim() && (cells[i] ?? '').trim()) raw[h.trim()] = (cells[i] ?? '').trim();
    });
    const value: MetricValue = {
      externalCampaignId: cell('campaignId') || null,
      campaignName: name,
      date,
      impressions: impressions ?? 0,
      reach: reach ?? 0,
      clicks: clicks ?? 0,
      conversions: conversions ?? 0,
      spend: spend ?? 0,
      revenue: revenue ?? 0,
      ctr: ctr ?? (impressions ? ((clicks ?? 0) / impressions) * 100 : null),
      cpc: cpc ?? (clicks ? (spend ?? 0) / clicks : null),
      cpm: cpm ?? (impressions ? ((spend ?? 0) / impressions) * 1000 : null),
      // 000 keeps frequency as an integer; the exact figure stays in raw.
      frequency: frequency === null ? null : Math.round(frequency),
      raw,
    };
    return { report, value };
  });

  let created = 0;
  const result = finishImport(db, parsed, { mode: input.mode ?? 'all_or_nothing', dryRun: input.dryRun ?? false, columns: columnNames(grid), noun: 'days of ad figures' }, (rows) => {
    const now = Date.now();
    const byExternal = db.sqlite.prepare(`SELECT id FROM ad_campaigns WHERE ad_account_id = ? AND external_campaign_id = ? AND deleted_at IS NULL`);
    const byName = db.sqlite.prepare(`SELECT id FROM ad_campaigns WHERE ad_account_id = ? AND name = ? AND deleted_at IS NULL ORDER BY created_at LIMIT 1`);
    const insCampaign = db.sqlite.prepare(
      `INSERT INTO ad_campaigns (id, workspace_id, ad_account_id, campaign_id, external_campaign_id, name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
    );
    const upsert = db.sqlite.prepare(
      `INSERT INTO ad_metrics (id, workspace_id, ad_campaign_id, date, impressions, reach, clicks, conversions, spend, revenue, ctr, cpc, cpm, roas, frequency, raw, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (ad_campaign_id, date) DO UPDATE SET impressions = excluded.impressions, reach = excluded.reach, clicks = excluded.clicks,
         conversions = excluded.conversions, spend = excluded.spend, revenue = excluded.revenue, ctr = excluded.ctr, cpc = excluded.cpc,
         cpm = excluded.cpm, roas = excluded.roas, frequency = excluded.frequency, raw = excluded.raw, updated_at = excluded.updated_at`,
    );
    const ids = new Map<string, string>();
    for (const r of rows) {
      const key = r.externalCampaignId ? `id:${r.externalCampaignId}` : `name:${r.campaignName}`;
      let adCampaignId = ids.get(key);
      if (!adCampaignId) {
        const found = (r.externalCampaignId ? byExternal.get(account.id, r.externalCampaignId) : byName.get(account.id, r.campaignName)) as { id: string } | undefined;
        adCampaignId = found?.id ?? newId();
        if (!found) {
          insCampaign.run(adCampaignId, account.workspaceId, account.id, marketing?.id ?? null, r.externalCampaignId, r.campaignName, now, now);
          created++;
        }
        ids.set(key, adCampaignId);
      }
      const roas = r.spend > 0 && r.revenue > 0 ? r.revenue / r.spend : null;
      upsert.run(newId(), account.workspaceId, adCampaignId, r.date, r.impressions, r.reach, r.clicks, r.conversions, r.spend, r.revenue, r.ctr, r.cpc, r.cpm, roas, r.frequency, JSON.stringify(r.raw), now, now);
    }
    db.sqlite.prepare(`UPDATE ad_accounts SET last_synced_at = ?, last_error = NULL, updated_at = ? WHERE id = ?`).run(now, now, account.id);
    return rows.length;
  });
  if (result.written > 0) ctx.events.emit('campaigns.changed', { workspaceId: account.workspaceId, campaignId: marketing?.id ?? null });
  return { ...result, platform, adCampaignsCreated: created };
}

// ---- ad campaigns ----

export interface AdCampaignView {
  id: string;
  adAccountId: string;
  platform: string;
  accountName: string | null;
  currency: string | null;
  campaignId: string | null;
  externalCampaignId: string | null;
  name: string;
  status: string;
  days: number;
  impressions: number;
  clicks: number;
  conversions: number;
  spend: number;
  firstDate: string | null;
  lastDate: string | null;
}

export function listAdCampaigns(ctx: ApiContext, filter: { workspaceId: string; campaignId?: string | undefined; adAccountId?: string | undefined }): AdCampaignView[] {
  return ctx.db.sqlite
    .prepare(
      `SELECT c.id, c.ad_account_id AS adAccountId, a.platform, a.name AS accountName, a.currency, c.campaign_id AS campaignId,
              c.external_campaign_id AS externalCampaignId, c.name, c.status,
              COUNT(m.id) AS days, COALESCE(SUM(m.impressions), 0) AS impressions, COALESCE(SUM(m.clicks), 0) AS clicks,
              COALESCE(SUM(m.conversions), 0) AS conversions, ROUND(COALESCE(SUM(m.spend), 0), 2) AS spend,
              MIN(m.date) AS firstDate, MAX(m.date) AS lastDate
         FROM ad_campaigns c JOIN ad_accounts a ON a.id = c.ad_account_id LEFT JOIN ad_metrics m ON m.ad_campaign_id = c.id
        WHERE c.workspace_id = ? AND c.deleted_at IS NULL AND (? IS NULL OR c.campaign_id = ?) AND (? IS NULL OR c.ad_account_id = ?)
        GROUP BY c.id ORDER BY a.platform, c.name`,
    )
    .all(filter.workspaceId, filter.campaignId ?? null, filter.campaignId ?? null, filter.adAccountId ?? null, filter.adAccountId ?? null) as AdCampaignView[];
}

/** Attach an ad campaign to a marketing campaign (or detach with null): its figures count in that campaign's totals. */
export function linkAdCampaign(ctx: ApiContext, adCampaignId: string, campaignId: string | null): { linked: boolean } {
  const ad = ctx.db.sqlite.prepare(`SELECT workspace_id AS workspaceId, campaign_id AS campaignId FROM ad_campaigns WHERE id = ? AND deleted_at IS NULL`).get(adCampaignId) as { workspaceId: string; campaignId: string | null } | undefined;
  if (!ad) throw new ApiError('not_found', 'That ad campaign does not exist (its account may have been removed).');
  if (campaignId) {
    const c = campaignRow(ctx.db, campaignId);
    if (c.workspaceId !== ad.workspaceId) throw new ApiError('invalid_input', 'That campaign is in another workspace than the ad campaign.');
  }
  ctx.db.sqlite.prepare(`UPDATE ad_campaigns SET campaign_id = ?, updated_at = ? WHERE id = ?`).run(campaignId, Date.now(), adCampaignId);
  ctx.events.emit('campaigns.changed', { workspaceId: ad.workspaceId, campaignId: campaignId ?? ad.campaignId });
  return { linked: campaignId !== null };
}
