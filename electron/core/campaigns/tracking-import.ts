// Conversions and events from CSV exports (a shop's orders, a form tool, an email tool, an
// analytics export), each row tagged with its UTM source and medium. Columns are found by their
// usual names (utm_source or source, occurred_at or date or timestamp, ...); every row is checked
// first and the report names each bad row by its spreadsheet row number with the reason. Nothing
// is written unless every row is good, or the user chose to import the good rows only.
// A row identical to one already imported (same time, type, value, source, medium and session) is
// skipped, so importing the same export twice does not double the figures.
import type { Database } from '../../../db/client';
import { CAMPAIGN_EVENT_TYPES } from '../../../db/schema/campaigns';
import { newId } from '../../../db/schema/columns';
import type { ApiContext } from '../context';
import { parseCsvTime } from '../posts/csv-import';
import { campaignRow } from './campaigns';
import { cellOf, columnNames, finishImport, mapRows, parseNumberCell, readGrid, type HeaderSpec, type ImportMode, type ImportReport, type RowReport } from './csv-table';

type ConvField = 'occurredAt' | 'type' | 'value' | 'currency' | 'source' | 'medium' | 'session' | 'campaign';
type EventField = 'occurredAt' | 'type' | 'source' | 'medium' | 'session' | 'referrer' | 'country' | 'region' | 'city' | 'campaign';

const TIME_NAMES = ['occurred_at', 'occurred at', 'timestamp', 'date', 'time', 'datetime', 'date time', 'created_at', 'created at'];
const SOURCE = { names: ['utm_source', 'utm source', 'source', 'session source'], label: 'utm_source', required: true } as const;
const MEDIUM = { names: ['utm_medium', 'utm medium', 'medium', 'session medium'], label: 'utm_medium', required: true } as const;
const SESSION = { names: ['session_id', 'session id', 'session', 'client_id', 'visitor_id'], label: 'session_id' } as const;
const UTM_CAMPAIGN = { names: ['utm_campaign', 'utm campaign', 'campaign'], label: 'utm_campaign' } as const;

const CONVERSION_COLUMNS: HeaderSpec<ConvField>[] = [
  { field: 'occurredAt', names: TIME_NAMES, label: 'occurred_at', required: true },
  { field: 'type', names: ['conversion_type', 'conversion type', 'type', 'event', 'goal', 'action'], label: 'conversion_type', required: true },
  { field: 'value', names: ['value', 'revenue', 'amount', 'conversion value', 'order total', 'total'], label: 'value' },
  { field: 'currency', names: ['currency', 'currency code', 'currency_code'], label: 'currency' },
  { field: 'source', ...SOURCE },
  { field: 'medium', ...MEDIUM },
  { field: 'session', ...SESSION },
  { field: 'campaign', ...UTM_CAMPAIGN },
];

const EVENT_COLUMNS: HeaderSpec<EventField>[] = [
  { field: 'occurredAt', names: TIME_NAMES, label: 'occurred_at', required: true },
  { field: 'type', names: ['event_type', 'event type', 'type', 'event', 'event name'], label: 'event_type', required: true },
  { field: 'source', ...SOURCE },
  { field: 'medium', ...MEDIUM },
  { field: 'session', ...SESSION },
  { field: 'referrer', names: ['referrer', 'referer', 'page referrer'], label: 'referrer' },
  { field: 'country', names: ['country', 'country code', 'country_code'], label: 'country' },
  { field: 'region', names: ['region', 'state'], label: 'region' },
  { field: 'city', names: ['city'], label: 'city' },
  { field: 'campaign', ...UTM_CAMPAIGN },
];

/** Common names tools give the same event, to 004's event types. */
const EVENT_ALIASES: Record<string, (typeof CAMPAIGN_EVENT_TYPES)[number]> = {
  view: 'view',
  page_view: 'view',
  pageview: 'view',
  impression: 'view',
  click: 'click',
  link_click: 'click',
  conversion: 'conversion',
  purchase: 'conversion',
  form_submit: 'form_submit',
  form_submission: 'form_submit',
  generate_lead: 'form_submit',
  lead: 'form_submit',
  email_open: 'email_open',
  open: 'email_open',
  opened: 'email_open',
  email_click: 'email_click',
  clicked: 'email_click',
};

export interface TrackingImportInput {
  campaignId: string;
  csv: string;
  mode?: ImportMode | undefined;
  dryRun?: boolean | undefined;
}

const WALL = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * A time cell to an instant, like the posts import reads it (an offset is that instant; without
 * one, a wall-clock time in the workspace's timezone; a date alone is the start of that day).
 * Working out a zone's offset costs ~0.1-0.3 ms (Intl), so it is done once per wall-clock hour
 * of the file and the minutes are added: offsets change on the hour in the zones that change.
 */
function timeReader(tz: string): (raw: string) => { at: number } | { error: string } {
  const hours = new Map<string, { at: number } | { error: string }>();
  const full = (value: string) => {
    const t = parseCsvTime(value, tz);
    return 'error' in t ? { error: t.error } : { at: t.at };
  };
  return (raw) => {
    if (raw === '') return { error: 'The date is empty. Write when it happened, like 2026-03-29 09:30.' };
    const value = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw} 00:00` : raw;
    const m = WALL.exec(value);
    if (!m || Number(m[2]) > 23) return full(value);
    const key = `${m[1]} ${m[2]!.padStart(2, '0')}`;
    let base = hours.get(key);
    if (!base) {
      base = full(`${key}:00`);
      hours.set(key, base);
    }
    return 'error' in base ? base : { at: base.at + Number(m[3]) * 60_000 + Number(m[4] ?? 0) * 1000 };
  };
}

function utmWarning(campaignName: string, utm: string): string | null {
  if (utm === '') return null;
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return slug(utm) === slug(campaignName) ? null : `utm_campaign is "${utm}", not this campaign ("${campaignName}"); imported into this campaign as you chose.`;
}

function workspaceTz(db: Database, workspaceId: string): string {
  const r = db.sqlite.prepare(`SELECT timezone FROM workspaces WHERE id = ?`).get(workspaceId) as { timezone: string } | undefined;
  return r?.timezone ?? 'UTC';
}

interface ConversionValue {
  occurredAt: number;
  conversionType: string;
  value: number | null;
  currency: string | null;
  source: string | null;
  medium: string | null;
  sessionId: string | null;
}

export async function importConversions(ctx: ApiContext, input: TrackingImportInput): Promise<ImportReport> {
  const db = ctx.db;
  const campaign = campaignRow(db, input.campaignId);
  const timeOf = timeReader(workspaceTz(db, campaign.workspaceId));
  const grid = readGrid(input.csv, CONVERSION_COLUMNS, { what: 'conversions export (columns occurred_at, conversion_type, value, currency, utm_source, utm_medium)' });
  const existing = db.sqlite.prepare(
    `SELECT 1 FROM conversions WHERE campaign_id = ? AND occurred_at = ? AND conversion_type = ? AND value IS ? AND source IS ? AND medium IS ? AND session_id IS ? AND deleted_at IS NULL LIMIT 1`,
  );
  const seen = new Set<string>();
  const parsed = await mapRows(grid.rows, ({ line, cells }) => {
    const cell = (f: ConvField) => cellOf(grid, cells, f);
    const errors: string[] = [];
    const warnings: string[] = [];
    const t = timeOf(cell('occurredAt'));
    if ('error' in t) errors.push(t.error);
    const conversionType = cell('type');
    if (conversionType === '') errors.push('conversion_type is empty: write what was converted (purchase, signup, booking…).');
    else if (conversionType.length > 100) errors.push('conversion_type is longer than 100 characters.');
    const v = parseNumberCell(cell('value'));
    let value: number | null = null;
    if ('error' in v) errors.push(`value: ${v.error}. Write an amount like 45.00.`);
    else if (v.value !== null && v.value < 0) errors.push(`value is negative (${v.value}); a refund is not a conversion.`);
    else value = v.value;
    const cur = cell('currency').toUpperCase();
    if (cur !== '' && !/^[A-Z]{3}$/.test(cur)) errors.push(`currency "${cell('currency')}" isn't a 3-letter code like USD or EUR.`);
    if (value !== null && cur === '') warnings.push('value has no currency; it is added to the other amounts without one.');
    const w = utmWarning(campaign.name, cell('campaign'));
    if (w) warnings.push(w);
    const report: RowReport = { line, ok: errors.length === 0, errors, warnings };
    if (!report.ok || 'error' in t) return { report };
    const row: ConversionValue = {
      occurredAt: t.at,
      conversionType,
      value,
      currency: cur === '' ? null : cur,
      source: cell('source') || null,
      medium: cell('medium') || null,
      sessionId: cell('session') || null,
    };
    const key = JSON.stringify(row);
    const duplicate = seen.has(key) || existing.get(campaign.id, row.occurredAt, row.conversionType, row.value, row.source, row.medium, row.sessionId) !== undefined;
    seen.add(key);
    if (duplicate) warnings.push('Already imported (same time, type, value, source, medium and session): skipped.');
    return duplicate ? { report, value: row, skip: 'duplicate' as const } : { report, value: row };
  });
  const result = finishImport(db, parsed, { mode: input.mode ?? 'all_or_nothing', dryRun: input.dryRun ?? false, columns: columnNames(grid), noun: 'conversions' }, (rows) => {
    const now = Date.now();
    const ins = db.sqlite.prepare(
      `INSERT INTO conversions (id, workspace_id, campaign_id, conversion_type, value, currency, session_id, source, medium, occurred_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) ins.run(newId(), campaign.workspaceId, campaign.id, r.conversionType, r.value, r.currency, r.sessionId, r.source, r.medium, r.occurredAt, now, now);
    // 004 keeps a running conversions counter on the campaign itself.
    db.sqlite.prepare(`UPDATE campaigns SET conversions = conversions + ?, updated_at = ? WHERE id = ?`).run(rows.length, now, campaign.id);
    return rows.length;
  });
  if (result.written > 0) ctx.events.emit('campaigns.changed', { workspaceId: campaign.workspaceId, campaignId: campaign.id });
  return result;
}

interface EventValue {
  occurredAt: number;
  eventType: (typeof CAMPAIGN_EVENT_TYPES)[number];
  data: Record<string, string>;
  sessionId: string | null;
  referrer: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
}

export async function importEvents(ctx: ApiContext, input: TrackingImportInput): Promise<ImportReport> {
  const db = ctx.db;
  const campaign = campaignRow(db, input.campaignId);
  const timeOf = timeReader(workspaceTz(db, campaign.workspaceId));
  const grid = readGrid(input.csv, EVENT_COLUMNS, { what: 'events export (columns occurred_at, event_type, utm_source, utm_medium)' });
  const existing = db.sqlite.prepare(
    `SELECT 1 FROM campaign_events WHERE campaign_id = ? AND occurred_at = ? AND event_type = ? AND session_id IS ? AND event_data = ? LIMIT 1`,
  );
  const seen = new Set<string>();
  const parsed = await mapRows(grid.rows, ({ line, cells }) => {
    const cell = (f: EventField) => cellOf(grid, cells, f);
    const errors: string[] = [];
    const warnings: string[] = [];
    const t = timeOf(cell('occurredAt'));
    if ('error' in t) errors.push(t.error);
    const rawType = cell('type');
    const eventType = EVENT_ALIASES[rawType.toLowerCase().replace(/[\s-]+/g, '_')];
    if (rawType === '') errors.push(`event_type is empty: write one of ${CAMPAIGN_EVENT_TYPES.join(', ')}.`);
    else if (!eventType) errors.push(`event_type "${rawType}" isn't one Postdesk tracks: use ${CAMPAIGN_EVENT_TYPES.join(', ')}.`);
    const country = cell('country').toUpperCase();
    if (country !== '' && !/^[A-Z]{2}$/.test(country)) errors.push(`country "${cell('country')}" isn't a 2-letter code like US or FR.`);
    const w = utmWarning(campaign.name, cell('campaign'));
    if (w) warnings.push(w);
    const report: RowReport = { line, ok: errors.length === 0, errors, warnings };
    if (!report.ok || 'error' in t || !eventType) return { report };
    const data: Record<string, string> = {};
    if (cell('source')) data['utm_source'] = cell('source');
    if (cell('medium')) data['utm_medium'] = cell('medium');
    if (cell('campaign')) data['utm_campaign'] = cell('campaign');
    const row: EventValue = {
      occurredAt: t.at,
      eventType,
      data,
      sessionId: cell('session') || null,
      referrer: cell('referrer') || null,
      country: country || null,
      region: cell('region') || null,
      city: cell('city') || null,
    };
    const key = JSON.stringify(row);
    const duplicate = seen.has(key) || existing.get(campaign.id, row.occurredAt, row.eventType, row.sessionId, JSON.stringify(row.data)) !== undefined;
    seen.add(key);
    if (duplicate) warnings.push('Already imported (same time, type, session and UTM tags): skipped.');
    return duplicate ? { report, value: row, skip: 'duplicate' as const } : { report, value: row };
  });
  const result = finishImport(db, parsed, { mode: input.mode ?? 'all_or_nothing', dryRun: input.dryRun ?? false, columns: columnNames(grid), noun: 'events' }, (rows) => {
    const now = Date.now();
    const ins = db.sqlite.prepare(
      `INSERT INTO campaign_events (id, workspace_id, campaign_id, event_type, event_data, session_id, referrer, country, region, city, occurred_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) ins.run(newId(), campaign.workspaceId, campaign.id, r.eventType, JSON.stringify(r.data), r.sessionId, r.referrer, r.country, r.region, r.city, r.occurredAt, now, now);
    const views = rows.filter((r) => r.eventType === 'view').length;
    if (views > 0) db.sqlite.prepare(`UPDATE campaigns SET views = views + ?, updated_at = ? WHERE id = ?`).run(views, now, campaign.id);
    return rows.length;
  });
  if (result.written > 0) ctx.events.emit('campaigns.changed', { workspaceId: campaign.workspaceId, campaignId: campaign.id });
  return result;
}
