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
