// Metering to the token and the cent: the exact cost of a call at the catalogue's price, the daily
// (ai_cost_tracking) and monthly (usage_monthly) roll-ups across day and month boundaries, the credit
// ledger's balance_after chain, everything in one transaction; the monthly budget refusing exactly
// the call that would cross it, before it is sent; and the usage report with its CSV.
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aiCostTracking, aiGenerations } from '../../db/schema/ai';
import { creditBalances, creditTransactions, featureUsage, usageMonthly } from '../../db/schema/billing';
import { toApiError } from '../../electron/api/dispatch';
import { promptTokenUpperBound } from '../../electron/core/ai/budget';
import { complete } from '../../electron/core/ai/complete';
import { AiError, BudgetExceededError } from '../../electron/core/ai/errors';
import { currentCredits, nextMonthStart } from '../../electron/core/ai/ledger';
import { recordGeneration } from '../../electron/core/ai/metering';
import { costNanoUsd, formatCents, formatUsd, nanoToUsd } from '../../electron/core/ai/money';
import { priceFor } from '../../electron/core/ai/models';
import { startTestCore, type TestCore } from '../helpers/core';
import { startOpenAiServer, type OpenAiServer } from '../helpers/openai-server';

const HAIKU = 'anthropic/claude-3.5-haiku'; // $0.80 in / $4.00 out per 1M tokens, 1 credit
const GPT4O = 'openai/gpt-4o'; // $2.50 / $10.00, 5 credits
const LOCAL = 'llama3.2'; // free

let server: OpenAiServer;
let core: TestCore;

beforeAll(async () => {
  server = await startOpenAiServer({ models: [HAIKU, GPT4O, LOCAL, 'unlisted-model'] });
  core = await startTestCore({ scheduler: false });
});
afterAll(async () => {
  await core.cleanup();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.set({ usage: { prompt_tokens: 1234, completion_tokens: 567 }, chunkDelayMs: 0 });
});

const db = () => core.ctx.db;

async function workspace(patch: Record<string, unknown> = {}): Promise<string> {
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  await core.call('ai.updateSettings', { workspaceId: ws.id, baseUrl: server.url, chatModel: HAIKU, ...patch });
  return ws.id;
}

const ask = (workspaceId: string, extra: Partial<Parameters<typeof complete>[1]> = {}) =>
  complete(core.ctx, { workspaceId, feature: 'reply', messages: [{ role: 'user', content: 'hello' }], maxTokens: 100, voice: false, ...extra });

async function budgetError(p: Promise<unknown>): Promise<BudgetExceededError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof BudgetExceededError) return err;
    throw err;
  }
  throw new Error('expected the budget to refuse the call');
}

function ledger(workspaceId: string) {
  return db()
    .orm.select()
    .from(creditTransactions)
    .where(eq(creditTransactions.workspaceId, workspaceId))
    // UUIDv7 ids are in insertion order (the reset below is dated in the future on purpose).
    .orderBy(asc(creditTransactions.id))
    .all();
}

describe('cost of a call', () => {
  it('given 1,234 tokens in and 567 out at $0.80/$4.00 per 1M, when the call is metered, then it costs exactly $0.0032552 everywhere it is recorded', async () => {
    const ws = await workspace();
    const r = await ask(ws, { feature: 'post' });

    expect(r.usage).toEqual({ promptTokens: 1234, completionTokens: 567, estimated: false });
    // 1234 × 0.80 + 567 × 4.00 = 987.2 + 2268 = 3255.2 micro-dollars
    expect(r.costNanoUsd).toBe(3_255_200);
    expect(r.costUsd).toBe(0.0032552);
    const gen = db().orm.select().from(aiGenerations).where(eq(aiGenerations.id, r.generationId)).get()!;
    expect(gen).toMatchObject({ promptTokens: 1234, completionTokens: 567, costNanoUsd: 3_255_200, cost: 0.0032552, creditsCharged: 1, status: 'completed' });
    expect(gen.resultData).toMatchObject({ priceKnown: true, pricedAs: HAIKU });

    const day = db().orm.select().from(aiCostTracking).where(eq(aiCostTracking.workspaceId, ws)).get()!;
    expect(day).toMatchObject({ totalCostNanoUsd: 3_255_200, totalCost: 0.0032552, anthropicCost: 0.0032552, openaiCost: 0, otherCost: 0, generationsCount: 1, tokensUsed: 1801 });
    const month = db().orm.select().from(usageMonthly).where(eq(usageMonthly.workspaceId, ws)).get()!;
    expect(month).toMatchObject({ aiCostNanoUsd: 3_255_200, apiCallsMade: 1, aiCreditsUsed: 1 });
    const feature = db().orm.select().from(featureUsage).where(eq(featureUsage.workspaceId, ws)).get()!;
    expect(feature).toMatchObject({ feature: 'ai.post', quantity: 1801, unit: 'tokens', creditsUsed: 1, cost: 0.0032552 });
  });

  it('given three such calls, when summed, then the day and month hold exactly $0.0097656, one cent to a person', async () => {
    const ws = await workspace();
    for (let i = 0; i < 3; i++) await ask(ws);
    const day = db().orm.select().from(aiCostTracking).where(eq(aiCostTracking.workspaceId, ws)).get()!;
    expect(day.totalCostNanoUsd).toBe(9_765_600);
    expect(formatUsd(day.totalCostNanoUsd)).toBe('0.0097656');
    expect(formatCents(day.totalCostNanoUsd)).toBe('$0.01');
    expect(day.totalCost).toBe(0.0097656);
    expect(day.generationsCount).toBe(3);
    expect(db().orm.select().from(usageMonthly).where(eq(usageMonthly.workspaceId, ws)).get()!.aiCostNanoUsd).toBe(9_765_600);
  });

  it('given other providers, a local model and a model not in the catalogue, when metered, then each lands in its provider column and unknown prices are $0 and flagged', async () => {
    const ws = await workspace();
    const gpt = await ask(ws, { model: GPT4O });
    const local = await ask(ws, { model: LOCAL });
    const unknown = await ask(ws, { model: 'unlisted-model' });

    // 1234 × 2.50 + 567 × 10.00 = 3085 + 5670 = 8755 micro-dollars
    expect(gpt.costNanoUsd).toBe(8_755_000);
    expect(local.costNanoUsd).toBe(0);
    expect(unknown.costNanoUsd).toBe(0);
    const unknownRow = db().orm.select().from(aiGenerations).where(eq(aiGenerations.id, unknown.generationId)).get()!;
    expect(unknownRow.resultData).toMatchObject({ priceKnown: false });
    const day = db().orm.select().from(aiCostTracking).where(eq(aiCostTracking.workspaceId, ws)).get()!;
    expect(day).toMatchObject({ openaiCost: 0.008755, anthropicCost: 0, otherCost: 0, totalCostNanoUsd: 8_755_000, generationsCount: 3 });
  });

  it('given calls on either side of midnight at the end of a month, when rolled up, then each lands on its own UTC day and month', async () => {
    const ws = { id: await workspace() };
    const price = priceFor(db(), HAIKU);
    const at = (iso: string) => Date.parse(iso);
    const meter = (startedAt: number, promptTokens: number, completionTokens: number, status: 'completed' | 'failed' = 'completed') =>
      recordGeneration(db(), { workspaceId: ws.id, type: 'summary', model: HAIKU, promptTokens, completionTokens, tokensEstimated: false, price, status, latencyMs: 10, attempts: [], iterations: 1, startedAt });

    meter(at('2031-01-31T23:59:59.999Z'), 1_000_000, 0); // $0.80
    meter(at('2031-02-01T00:00:00.000Z'), 0, 1_000_000); // $4.00
    meter(at('2031-02-01T12:00:00.000Z'), 1, 1); // $0.0000048
    meter(at('2031-02-01T13:00:00.000Z'), 0, 0, 'failed');

    const days = db().orm.select().from(aiCostTracking).where(and(eq(aiCostTracking.workspaceId, ws.id))).all().filter((d) => d.date.startsWith('2031'));
    expect(days.map((d) => [d.date, d.totalCostNanoUsd, d.generationsCount, d.tokensUsed])).toEqual([
      ['2031-01-31', 800_000_000, 1, 1_000_000],
      ['2031-02-01', 4_000_004_800, 3, 1_000_002],
    ]);
    const months = db().orm.select().from(usageMonthly).where(eq(usageMonthly.workspaceId, ws.id)).all().filter((m) => m.month.startsWith('2031'));
    expect(months.map((m) => [m.month, m.aiCostNanoUsd, m.apiCallsMade, m.aiCreditsUsed])).toEqual([
      ['2031-01', 800_000_000, 1, 1],
      ['2031-02', 4_000_004_800, 3, 2],
    ]);
    expect(formatUsd(4_000_004_800)).toBe('4.0000048');
  });

  it('given a failure half-way through metering, when the transaction rolls back, then no generation, roll-up or ledger row is left', async () => {
    const ws = await workspace({ monthlyCredits: 5 });
    const before = ledger(ws).length;
    db().sqlite.exec(`CREATE TEMP TRIGGER fail_feature_usage BEFORE INSERT ON feature_usage BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    try {
      await expect(ask(ws)).rejects.toThrow(/disk trouble/);
    } finally {
      db().sqlite.exec(`DROP TRIGGER fail_feature_usage`);
    }
    expect(db().orm.select().from(aiGenerations).where(eq(aiGenerations.workspaceId, ws)).all()).toHaveLength(0);
    expect(db().orm.select().from(aiCostTracking).where(eq(aiCostTracking.workspaceId, ws)).all()).toHaveLength(0);
    expect(db().orm.select().from(usageMonthly).where(eq(usageMonthly.workspaceId, ws)).all()).toHaveLength(0);
    expect(ledger(ws)).toHaveLength(before);
    expect(db().orm.select().from(creditBalances).where(eq(creditBalances.workspaceId, ws)).get()!.creditsBalance).toBe(5);
  });
});

describe('credit ledger', () => {
  it('given a monthly allowance of 10 credits, when calls of 1 and 5 credits run, then every move is logged with its balance after, a call needing more than is left is refused, and a new month resets the balance', async () => {
    const ws = await workspace({ monthlyCredits: 10 });
    await ask(ws); // 1 credit
    await ask(ws, { model: GPT4O }); // 5 credits
    server.fail({ path: 'chat/completions', kind: 'status', status: 400 });
    await expect(ask(ws)).rejects.toBeInstanceOf(AiError); // failed: no credits
    const refused = await budgetError(ask(ws, { model: GPT4O })); // needs 5, 4 left
    expect(refused.detail).toMatchObject({ limit: 'credits', creditsBalance: 4, creditsNeeded: 5 });
    expect(refused.message).toMatch(/needs 5 credits and 4 are left/);
    await ask(ws); // 1 credit

    const moves = ledger(ws);
    expect(moves.map((t) => [t.transactionType, t.creditsAmount, t.creditsBalanceAfter])).toEqual([
      ['monthly_reset', 10, 10],
      ['deduction', -1, 9],
      ['deduction', -5, 4],
      ['deduction', -1, 3],
    ]);
    for (let i = 1; i < moves.length; i++) expect(moves[i]!.creditsBalanceAfter).toBe(moves[i - 1]!.creditsBalanceAfter + moves[i]!.creditsAmount);
    for (const d of moves.filter((t) => t.transactionType === 'deduction')) expect(d.aiGenerationId).not.toBeNull();
    expect(db().orm.select().from(creditBalances).where(eq(creditBalances.workspaceId, ws)).get()!.creditsBalance).toBe(3);

    const next = nextMonthStart(Date.now());
    expect(currentCredits(db(), ws, next + 1)).toEqual({ tracked: true, balance: 10 });
    expect(ledger(ws).at(-1)).toMatchObject({ transactionType: 'monthly_reset', creditsAmount: 7, creditsBalanceAfter: 10 });

    await core.call('ai.updateSettings', { workspaceId: ws, monthlyCredits: 4 });
    expect(ledger(ws).at(-1)).toMatchObject({ transactionType: 'adjustment', creditsAmount: -6, creditsBalanceAfter: 4 });
    expect((await core.call('ai.settings', { workspaceId: ws })).creditsBalance).toBe(4);
  });

  it('given no allowance, when calls run, then credits are counted in usage but the ledger does not move', async () => {
    const ws = await workspace();
    await ask(ws, { model: GPT4O });
    expect(ledger(ws)).toHaveLength(0);
    expect(db().orm.select().from(usageMonthly).where(eq(usageMonthly.workspaceId, ws)).get()!.aiCreditsUsed).toBe(5);
  });
});

describe('monthly budget', () => {
  // Each call: 1000 in + 100 out at $0.80/$4.00 = $0.0012 spent. The bound the check uses for the
  // prompt "hello": 3 + (5 + 4 + 4) = 16 tokens in (bytes + framing) + 100 out = $0.0004128.
  const SPENT = 1_200_000;
  const BOUND = 412_800;

  beforeEach(() => server.set({ usage: { prompt_tokens: 1000, completion_tokens: 100 } }));

  it('given the figures, then the bound is what the check uses', () => {
    expect(promptTokenUpperBound([{ role: 'user', content: 'hello' }])).toBe(16);
    expect(costNanoUsd(16, 100, priceFor(db(), HAIKU))).toBe(BOUND);
  });

  it('given a budget one nano-dollar short of a fourth call, when calls are made, then exactly the fourth is refused before anything is sent', async () => {
    const cap = 3 * SPENT + BOUND - 1;
    const ws = await workspace({ monthlyBudgetUsd: nanoToUsd(cap) });
    for (let i = 0; i < 3; i++) await ask(ws);
    const err = await budgetError(ask(ws));

    expect(server.requestsTo('chat/completions')).toHaveLength(3);
    expect(err.detail).toEqual({ limit: 'usd', capNanoUsd: cap, spentNanoUsd: 3 * SPENT, estimateNanoUsd: BOUND });
    expect(err.message).toMatch(/^This AI call was not made: it could cost up to \$0\.0004128, and this workspace has spent \$0\.0036 of its \$0\.0040127(99)? budget for \w+\. Raise the monthly budget in Settings → AI/);
    expect(toApiError(err).code).toBe('budget_exceeded');
    expect(db().orm.select().from(aiGenerations).where(eq(aiGenerations.workspaceId, ws)).all()).toHaveLength(3);
  });

  it('given a budget the fourth call can reach exactly, when calls are made, then the fourth goes through and the fifth is refused', async () => {
    const ws = await workspace({ monthlyBudgetUsd: nanoToUsd(3 * SPENT + BOUND) });
    for (let i = 0; i < 4; i++) await ask(ws);
    await budgetError(ask(ws));
    expect(server.requestsTo('chat/completions')).toHaveLength(4);
  });

  it('given two calls started together that the budget holds only one of, when both start, then the second is refused while the first is in flight', async () => {
    const ws = await workspace({ monthlyBudgetUsd: nanoToUsd(BOUND + BOUND / 2) });
    const first = ask(ws);
    const second = budgetError(ask(ws));
    const err = await second;
    expect(err.message).toMatch(/held by calls still running/);
    await first;
    expect(server.requestsTo('chat/completions')).toHaveLength(1);
  });

  it('given a $0 budget, when a free local model is called, then it runs, and a paid model is refused', async () => {
    const ws = await workspace({ monthlyBudgetUsd: 0 });
    await ask(ws, { model: LOCAL });
    await budgetError(ask(ws));
  });
});

describe('usage report', () => {
  it('given calls of several features today, when ai.usage and ai.usageCsv are asked for the week, then spend is by day and feature, exact, and the CSV says the same', async () => {
    const ws = await workspace({ monthlyBudgetUsd: 5 });
    await ask(ws, { feature: 'post' });
    await ask(ws, { feature: 'post' });
    await ask(ws, { feature: 'triage', model: GPT4O });
    server.fail({ path: 'chat/completions', kind: 'status', status: 400 });
    await expect(ask(ws, { feature: 'hashtags' })).rejects.toBeInstanceOf(AiError);

    const today = new Date().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const report = await core.call('ai.usage', { workspaceId: ws, from: weekAgo, to: today });

    expect(report.byDay).toHaveLength(7);
    expect(report.byDay.at(-1)).toMatchObject({ date: today, costNanoUsd: 2 * 3_255_200 + 8_755_000, cost: '0.0152654', generations: 4 });
    expect(report.byDay.slice(0, 6).every((d) => d.costNanoUsd === 0)).toBe(true);
    expect(report.total).toMatchObject({ costNanoUsd: 15_265_400, cost: '0.0152654', generations: 4 });
    expect(report.byFeature.map((f) => [f.key, f.cost, f.calls, f.failed])).toEqual([
      ['triage', '0.008755', 1, 0],
      ['post', '0.0065104', 2, 0],
      ['hashtags', '0', 1, 1],
    ]);
    expect(report.byModel.map((m) => [m.key, m.calls])).toEqual([[GPT4O, 1], [HAIKU, 3]]);
    expect(report.month).toMatchObject({ spentNanoUsd: 15_265_400, budgetUsd: 5 });
    expect(report.month.remainingUsd).toBeCloseTo(5 - 0.0152654, 12);

    const { csv, filename } = await core.call('ai.usageCsv', { workspaceId: ws, from: weekAgo, to: today });
    expect(filename).toBe(`postdesk-ai-usage-${weekAgo}-to-${today}.csv`);
    expect(csv.split('\r\n')).toEqual([
      'date,feature,model,calls,failed,prompt_tokens,completion_tokens,cost_usd',
      `${today},hashtags,${HAIKU},1,1,0,0,0`,
      `${today},post,${HAIKU},2,0,2468,1134,0.0065104`,
      `${today},triage,${GPT4O},1,0,1234,567,0.008755`,
      '',
    ]);
  });

  it('given three client workspaces, when usage is asked per workspace, then the cost of each matches its own report to the nano-dollar, an idle one is listed at $0, and the CSV bills each', async () => {
    const [a, b, idle] = [await workspace(), await workspace(), await workspace()];
    await ask(a, { feature: 'post' });
    await ask(a, { feature: 'triage' });
    await ask(b, { feature: 'post' });
    const today = new Date().toISOString().slice(0, 10);

    const all = await core.call('ai.usageByWorkspace', { from: today, to: today });
    const row = (ws: string) => all.workspaces.find((w) => w.key === ws)!;
    for (const ws of [a, b]) {
      const own = await core.call('ai.usage', { workspaceId: ws, from: today, to: today });
      expect(row(ws)).toMatchObject({ name: 'Crumb Bakery', costNanoUsd: own.total.costNanoUsd, cost: own.total.cost, calls: own.total.generations });
      expect(row(ws).costNanoUsd).toBeGreaterThan(0);
    }
    expect(row(a).calls).toBe(2);
    expect(row(b).calls).toBe(1);
    expect(row(idle)).toMatchObject({ calls: 0, costNanoUsd: 0, cost: '0', failed: 0 });
    // The costliest first, and the total is the sum of every workspace.
    const costs = all.workspaces.map((w) => w.costNanoUsd);
    expect(costs).toEqual([...costs].sort((x, y) => y - x));
    expect(all.total.costNanoUsd).toBe(costs.reduce((n, c) => n + c, 0));

    const { csv, filename } = await core.call('ai.usageByWorkspaceCsv', { from: today, to: today });
    expect(filename).toBe(`postdesk-ai-usage-by-workspace-${today}-to-${today}.csv`);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('workspace,workspace_id,calls,failed,prompt_tokens,completion_tokens,cost_usd');
    expect(lines).toContain(`Crumb Bakery,${a},2,0,${row(a).promptTokens},${row(a).completionTokens},${row(a).cost}`);
    expect(lines).toContain(`Crumb Bakery,${idle},0,0,0,0,0`);
  });

  it('given a range backwards or too long, when asked, then the input is refused with the reason', async () => {
    const ws = await workspace();
    await expect(core.call('ai.usage', { workspaceId: ws, from: '2025-03-02', to: '2025-03-01' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('ai.usage', { workspaceId: ws, from: '2024-01-01', to: '2025-06-01' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/366 days/) });
    await expect(core.call('ai.usage', { workspaceId: ws, from: '2025-02-30', to: '2025-03-01' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
