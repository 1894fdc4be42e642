// The usage report behind the usage page: spend by day (ai_cost_tracking), by feature and by model
// (ai_generations), the month against its budget, and the same as CSV. Days are UTC calendar days,
// `from` and `to` inclusive; amounts are exact nano-dollars with USD beside them.
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { aiCostTracking, aiGenerations } from '../../../db/schema/ai';
import { getWorkspace } from '../workspaces/workspaces';
import { monthOf, monthSpentNano } from './budget';
import { formatUsd, nanoToUsd, usdToNano } from './money';
import { getSettings } from './settings';

export interface DayUsage {
  date: string;
  costUsd: number;
  costNanoUsd: number;
  /** Exact decimal text, e.g. "0.0032552". */
  cost: string;
  generations: number;
  tokens: number;
  openaiUsd: number;
  anthropicUsd: number;
  otherUsd: number;
}

export interface GroupUsage {
  key: string;
  costUsd: number;
  costNanoUsd: number;
  cost: string;
  calls: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
}

export interface UsageReport {
  workspaceId: string;
  from: string;
  to: string;
  total: { costUsd: number; costNanoUsd: number; cost: string; generations: number; tokens: number };
  byDay: DayUsage[];
  byFeature: GroupUsage[];
  byModel: GroupUsage[];
  month: { month: string; spentUsd: number; spentNanoUsd: number; budgetUsd: number | null; remainingUsd: number | null };
}

export const MAX_RANGE_DAYS = 366;

function dayStartMs(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = dayStartMs(from); t <= dayStartMs(to); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function groupRows(db: Database, workspaceId: string, from: string, to: string, by: 'feature' | 'model' | 'day-feature-model') {
  const range = and(eq(aiGenerations.workspaceId, workspaceId), gte(aiGenerations.createdAt, dayStartMs(from)), lt(aiGenerations.createdAt, dayStartMs(to) + 86_400_000));
  const day = sql<string>`strftime('%Y-%m-%d', ${aiGenerations.createdAt} / 1000, 'unixepoch')`;
  const model = sql<string>`coalesce(${aiGenerations.modelUsed}, '')`;
  return db.orm
    .select({
      day: by === 'day-feature-model' ? day : sql<string>`''`,
      feature: by === 'model' ? sql<string>`''` : aiGenerations.generationType,
      model: by === 'feature' ? sql<string>`''` : model,
      nano: sql<number>`coalesce(sum(${aiGenerations.costNanoUsd}), 0)`,
      calls: sql<number>`count(*)`,
      failed: sql<number>`sum(case when ${aiGenerations.status} = 'completed' then 0 else 1 end)`,
      promptTokens: sql<number>`coalesce(sum(${aiGenerations.promptTokens}), 0)`,
      completionTokens: sql<number>`coalesce(sum(${aiGenerations.completionTokens}), 0)`,
    })
    .from(aiGenerations)
    .where(range)
    .groupBy(...(by === 'feature' ? [aiGenerations.generationType] : by === 'model' ? [model] : [day, aiGenerations.generationType, model]))
    .all();
}

function toGroup(key: string, r: { nano: number; calls: number; failed: number; promptTokens: number; completionTokens: number }): GroupUsage {
  return { key, costUsd: nanoToUsd(r.nano), costNanoUsd: r.nano, cost: formatUsd(r.nano), calls: r.calls, failed: r.failed, promptTokens: r.promptTokens, completionTokens: r.completionTokens };
}

const byCostDesc = (a: GroupUsage, b: GroupUsage) => b.costNanoUsd - a.costNanoUsd || b.calls - a.calls || a.key.localeCompare(b.key);

export function usageReport(db: Database, workspaceId: string, from: string, to: string, now = Date.now()): UsageReport {
  getWorkspace(db, workspaceId);
  const days = db.orm
    .select()
    .from(aiCostTracking)
    .where(and(eq(aiCostTracking.workspaceId, workspaceId), gte(aiCostTracking.date, from), sql`${aiCostTracking.date} <= ${to}`))
    .all();
  const byDate = new Map(days.map((d) => [d.date, d]));
  const byDay: DayUsage[] = eachDay(from, to).map((date) => {
    const d = byDate.get(date);
    const nano = d?.totalCostNanoUsd ?? 0;
    return {
      date,
      costUsd: nanoToUsd(nano),
      costNanoUsd: nano,
      cost: formatUsd(nano),
      generations: d?.generationsCount ?? 0,
      tokens: d?.tokensUsed ?? 0,
      openaiUsd: d?.openaiCost ?? 0,
      anthropicUsd: d?.anthropicCost ?? 0,
      otherUsd: d?.otherCost ?? 0,
    };
  });
  const totalNano = byDay.reduce((n, d) => n + d.costNanoUsd, 0);
  const settings = getSettings(db, workspaceId);
  const spent = monthSpentNano(db, workspaceId, now);
  const budgetNano = settings.monthlyBudgetUsd === null ? null : usdToNano(settings.monthlyBudgetUsd);
  return {
    workspaceId,
    from,
    to,
    total: {
      costUsd: nanoToUsd(totalNano),
      costNanoUsd: totalNano,
      cost: formatUsd(totalNano),
      generations: byDay.reduce((n, d) => n + d.generations, 0),
      tokens: byDay.reduce((n, d) => n + d.tokens, 0),
    },
    byDay,
    byFeature: groupRows(db, workspaceId, from, to, 'feature').map((r) => toGroup(r.feature, r)).sort(byCostDesc),
    byModel: groupRows(db, workspaceId, from, to, 'model').map((r) => toGroup(r.model, r)).sort(byCostDesc),
    month: {
      month: monthOf(now),
      spentUsd: nanoToUsd(spent),
      spentNanoUsd: spent,
      budgetUsd: settings.monthlyBudgetUsd,
      remainingUsd: budgetNano === null ? null : nanoToUsd(Math.max(0, budgetNano - spent)),
    },
  };
}

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet does not run it as a formula. */
function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const USAGE_CSV_HEADER = ['date', 'feature', 'model', 'calls', 'failed', 'prompt_tokens', 'completion_tokens', 'cost_usd'] as const;

/** One line per day, feature and model, exact costs; the file name says the range. */
export function usageCsv(db: Database, workspaceId: string, from: string, to: string): { filename: string; csv: string } {
  getWorkspace(db, workspaceId);
  const rows = groupRows(db, workspaceId, from, to, 'day-feature-model').sort(
    (a, b) => a.day.localeCompare(b.day) || a.feature.localeCompare(b.feature) || a.model.localeCompare(b.model),
  );
  const lines = [USAGE_CSV_HEADER.join(',')];
  for (const r of rows) {
    lines.push([r.day, r.feature, r.model, r.calls, r.failed, r.promptTokens, r.completionTokens, formatUsd(r.nano)].map(csvCell).join(','));
  }
  return { filename: `postdesk-ai-usage-${from}-to-${to}.csv`, csv: `${lines.join('\r\n')}\r\n` };
}

// ---- per workspace: an agency's AI cost per client -----------------------------------------------

export interface WorkspaceUsage extends GroupUsage {
  /** The workspace id (GroupUsage.key) and its name. */
  name: string;
  monthlyBudgetUsd: number | null;
}

export interface WorkspaceUsageReport {
  from: string;
  to: string;
  /** Every workspace, the costliest first; a workspace with no calls is listed at $0. */
  workspaces: WorkspaceUsage[];
  total: { costUsd: number; costNanoUsd: number; cost: string; calls: number };
}

function workspaceRows(db: Database, from: string, to: string) {
  return db.sqlite
    .prepare(
      `SELECT w.id AS key, w.name AS name,
              coalesce(sum(g.cost_nano_usd), 0) AS nano, count(g.id) AS calls,
              coalesce(sum(CASE WHEN g.id IS NULL OR g.status = 'completed' THEN 0 ELSE 1 END), 0) AS failed,
              coalesce(sum(g.prompt_tokens), 0) AS promptTokens, coalesce(sum(g.completion_tokens), 0) AS completionTokens
         FROM workspaces w
         LEFT JOIN ai_generations g ON g.workspace_id = w.id AND g.created_at >= ? AND g.created_at < ?
        WHERE w.deleted_at IS NULL
        GROUP BY w.id`,
    )
    .all(dayStartMs(from), dayStartMs(to) + 86_400_000) as { key: string; name: string; nano: number; calls: number; failed: number; promptTokens: number; completionTokens: number }[];
}

/** Spend per workspace between two UTC dates (inclusive): what each client's AI cost. */
export function usageByWorkspace(db: Database, from: string, to: string): WorkspaceUsageReport {
  const workspaces = workspaceRows(db, from, to)
    .map((r) => ({ ...toGroup(r.key, r), name: r.name, monthlyBudgetUsd: getSettings(db, r.key).monthlyBudgetUsd }))
    .sort((a, b) => byCostDesc(a, b) || a.name.localeCompare(b.name));
  const nano = workspaces.reduce((n, w) => n + w.costNanoUsd, 0);
  return { from, to, workspaces, total: { costUsd: nanoToUsd(nano), costNanoUsd: nano, cost: formatUsd(nano), calls: workspaces.reduce((n, w) => n + w.calls, 0) } };
}

export const WORKSPACE_USAGE_CSV_HEADER = ['workspace', 'workspace_id', 'calls', 'failed', 'prompt_tokens', 'completion_tokens', 'cost_usd'] as const;

/** One line per workspace, for billing clients; the file name says the range. */
export function usageByWorkspaceCsv(db: Database, from: string, to: string): { filename: string; csv: string } {
  const lines = [WORKSPACE_USAGE_CSV_HEADER.join(',')];
  for (const w of usageByWorkspace(db, from, to).workspaces) {
    lines.push([w.name, w.key, w.calls, w.failed, w.promptTokens, w.completionTokens, w.cost].map(csvCell).join(','));
  }
  return { filename: `postdesk-ai-usage-by-workspace-${from}-to-${to}.csv`, csv: `${lines.join('\r\n')}\r\n` };
}
