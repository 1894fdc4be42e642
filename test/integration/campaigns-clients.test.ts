// The client overview for agencies through the real API handlers: two client workspaces, each with
// posts published inside and outside the chosen month, their figures, ad spend and AI calls
// metered on days inside and outside it. The month's line per client counts only that month (UTC),
// and "record for billing" writes one client_billing row per client and month, replaced (not
// added) when recorded again.
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordGeneration } from '../../electron/core/ai/metering';
import { priceFor } from '../../electron/core/ai/models';
import { startTestCore, type TestCore } from '../helpers/core';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore({ scheduler: false });
});
afterAll(async () => {
  await core?.cleanup();
});

const MODEL = 'gpt-4o-mini';

function published(ws: string, at: string, m: { likes: number; comments: number; shares: number; reach: number }) {
  const s = core.ctx.db.sqlite;
  let account = (s.prepare(`SELECT id FROM accounts WHERE workspace_id = ?`).get(ws) as { id: string } | undefined)?.id;
  if (!account) {
    account = uuidv7();
    s.prepare(`INSERT INTO accounts (id, workspace_id, platform, platform_account_id) VALUES (?, ?, 'bluesky', ?)`).run(account, ws, account);
  }
  const post = uuidv7();
  const target = uuidv7();
  const t = Date.parse(at);
  s.prepare(`INSERT INTO posts (id, workspace_id, content, status, published_at) VALUES (?, ?, 'x', 'published', ?)`).run(post, ws, t);
  s.prepare(`INSERT INTO post_targets (id, workspace_id, post_id, account_id, platform, status, published_at) VALUES (?, ?, ?, ?, 'bluesky', 'published', ?)`).run(target, ws, post, account, t);
  const rate = ((m.likes + m.comments + m.shares) / m.reach) * 100;
  s.prepare(`INSERT INTO post_metrics (id, workspace_id, target_id, platform, likes, comments, shares, reach, engagement_rate, recorded_at) VALUES (?, ?, ?, 'bluesky', ?, ?, ?, ?, ?, ?)`).run(uuidv7(), ws, target, m.likes, m.comments, m.shares, m.reach, rate, t);
}

function aiCall(ws: string, at: string, promptTokens: number, completionTokens: number) {
  recordGeneration(core.ctx.db, { workspaceId: ws, type: 'post', model: MODEL, promptTokens, completionTokens, tokensEstimated: false, price: priceFor(core.ctx.db, MODEL), status: 'completed', latencyMs: 5, attempts: [], iterations: 1, startedAt: Date.parse(at) });
}

/** What ai_generations itself says the month cost, as an independent check of the roll-up. */
const monthNano = (ws: string) =>
  (core.ctx.db.sqlite.prepare(`SELECT COALESCE(SUM(cost_nano_usd), 0) AS n FROM ai_generations WHERE workspace_id = ? AND created_at >= ? AND created_at < ?`).get(ws, Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-04-01T00:00:00Z')) as { n: number }).n;

describe('client overview', () => {
  it('given two client workspaces with activity in and around March, when the March overview is asked for, then each line counts only March, and billing records one row per client that replaces itself', async () => {
    const bakery = (await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'UTC' })).id;
    const yoga = (await core.call('workspaces.create', { name: 'Lotus Yoga', timezone: 'UTC' })).id;

    published(bakery, '2026-03-01T00:00:00Z', { likes: 30, comments: 5, shares: 5, reach: 800 });
    published(bakery, '2026-03-31T23:59:59Z', { likes: 10, comments: 0, shares: 0, reach: 200 });
    published(bakery, '2026-02-28T23:59:59Z', { likes: 999, comments: 0, shares: 0, reach: 1000 });
    published(yoga, '2026-03-15T12:00:00Z', { likes: 4, comments: 1, shares: 0, reach: 100 });
    published(yoga, '2026-04-01T00:00:00Z', { likes: 500, comments: 0, shares: 0, reach: 1000 });

    aiCall(bakery, '2026-03-02T10:00:00Z', 1200, 400);
    aiCall(bakery, '2026-03-20T10:00:00Z', 800, 300);
    aiCall(bakery, '2026-04-02T10:00:00Z', 99_000, 9_000);
    aiCall(yoga, '2026-03-31T23:00:00Z', 500, 100);

    const acc = await core.call('ads.accountCreate', { workspaceId: bakery, platform: 'google', externalAccountId: '111-222-3333', currency: 'USD' });
    await core.call('ads.importMetrics', {
      adAccountId: acc.id,
      csv: 'Day,Campaign,Cost,Impr.,Clicks\n2026-03-05,Search,10.50,100,5\n2026-03-06,Search,4.25,80,2\n2026-04-01,Search,99.00,900,30\n',
    });
    await core.call('campaigns.create', { workspaceId: yoga, name: 'Spring classes', status: 'launched', startsAt: Date.parse('2026-03-10T00:00:00Z'), endsAt: Date.parse('2026-04-10T00:00:00Z') });
    await core.call('campaigns.create', { workspaceId: yoga, name: 'Autumn', status: 'launched', startsAt: Date.parse('2026-09-01T00:00:00Z') });

    const o = await core.call('clients.overview', { month: '2026-03' });
    expect(o).toMatchObject({ month: '2026-03', from: '2026-03-01', to: '2026-03-31' });
    const line = (id: string) => o.clients.find((c) => c.workspaceId === id)!;
    expect(line(bakery)).toMatchObject({ name: 'Crumb Bakery', postsPublished: 2, publications: 2, likes: 40, comments: 5, shares: 5, reach: 1000, engagements: 50, engagementRate: 5, adSpend: [{ currency: 'USD', amount: 14.75 }], billed: null });
    expect(line(yoga)).toMatchObject({ name: 'Lotus Yoga', postsPublished: 1, engagements: 5, engagementRate: 5, activeCampaigns: 1, adSpend: [] });

    expect(monthNano(bakery)).toBeGreaterThan(0);
    expect(line(bakery).ai).toMatchObject({ costNanoUsd: monthNano(bakery), tokens: 2700, generations: 2 });
    expect(line(yoga).ai).toMatchObject({ costNanoUsd: monthNano(yoga), tokens: 600, generations: 1 });
    expect(o.totals).toMatchObject({ postsPublished: 3, engagements: 55, aiCostNanoUsd: monthNano(bakery) + monthNano(yoga) });

    await core.call('clients.recordBilling', { month: '2026-03' });
    aiCall(yoga, '2026-03-31T23:30:00Z', 500, 100);
    const billed = await core.call('clients.recordBilling', { month: '2026-03' });
    const rows = core.ctx.db.sqlite.prepare(`SELECT workspace_id AS ws, billed_at AS at, tokens_used AS tokens, cost, description FROM client_billing ORDER BY tokens_used DESC`).all() as { ws: string; at: number; tokens: number; cost: number; description: string }[];
    expect(rows.filter((r) => r.ws === bakery || r.ws === yoga)).toEqual([
      { ws: bakery, at: Date.parse('2026-03-01T00:00:00Z'), tokens: 2700, cost: monthNano(bakery) / 1e9, description: 'AI use 2026-03' },
      { ws: yoga, at: Date.parse('2026-03-01T00:00:00Z'), tokens: 1200, cost: monthNano(yoga) / 1e9, description: 'AI use 2026-03' },
    ]);
    expect(billed.clients.find((c) => c.workspaceId === yoga)!.billed).toMatchObject({ tokens: 1200 });
  });

  it('given a month that is not one, when asked, then it is refused with the expected form', async () => {
    await expect(core.call('clients.overview', { month: '2026-13' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
