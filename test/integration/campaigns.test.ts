// Campaigns through the real API handlers on a real database file: create, edit, archive and
// bring back; attach posts and see their organic engagement summed (engagement rate as the seeds
// define it); assets versioned on every edit; AI generation against a real OpenAI-compatible server
// on 127.0.0.1 (metered, linked to the campaign) and the not-configured message with no endpoint;
// conversions and events imported from CSV with UTM source and medium, bad rows named by row
// number, nothing written unless every row is good or the user chose the good rows only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../electron/api/errors';
import { NOT_CONFIGURED_MESSAGE } from '../../electron/core/ai/errors';
import { startTestCore, type TestCore } from '../helpers/core';
import { startOpenAiServer, type OpenAiServer } from '../helpers/openai-server';

const FIXTURES = join(__dirname, '..', 'fixtures', 'csv');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

let core: TestCore;
let server: OpenAiServer;

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: 'sk-campaigns' });
  core = await startTestCore({ scheduler: false });
});
afterAll(async () => {
  await core?.cleanup();
  await server?.close();
});

async function workspace(name = 'Crumb Bakery'): Promise<string> {
  const ws = await core.call('workspaces.create', { name, timezone: 'America/New_York' });
  return ws.id;
}

/** A post published to one network with its latest figures, as the metrics job leaves it. */
function publishedPost(ws: string, text: string, m: { likes: number; comments: number; shares: number; reach: number; impressions: number; clicks: number } | null): string {
  const s = core.ctx.db.sqlite;
  let account = (s.prepare(`SELECT id FROM accounts WHERE workspace_id = ? LIMIT 1`).get(ws) as { id: string } | undefined)?.id;
  if (!account) {
    account = uuidv7();
    s.prepare(`INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username) VALUES (?, ?, 'mastodon', ?, 'crumb')`).run(account, ws, `acct-${account}`);
  }
  const post = uuidv7();
  const target = uuidv7();
  const at = Date.parse('2026-03-02T15:00:00Z');
  s.prepare(`INSERT INTO posts (id, workspace_id, content, status, published_at) VALUES (?, ?, ?, 'published', ?)`).run(post, ws, text, at);
  s.prepare(`INSERT INTO post_targets (id, workspace_id, post_id, account_id, platform, status, published_at) VALUES (?, ?, ?, ?, 'mastodon', 'published', ?)`).run(target, ws, post, account, at);
  if (m) {
    s.prepare(
      `INSERT INTO post_metrics (id, workspace_id, target_id, platform, likes, comments, shares, reach, impressions, clicks, engagement_rate, recorded_at)
       VALUES (?, ?, ?, 'mastodon', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(uuidv7(), ws, target, m.likes, m.comments, m.shares, m.reach, m.impressions, m.clicks, ((m.likes + m.comments + m.shares) / m.reach) * 100, at + 3_600_000);
  }
  return post;
}

const count = (table: string, campaignId: string) => (core.ctx.db.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE campaign_id = ?`).get(campaignId) as { n: number }).n;

describe('campaign CRUD', () => {
  it('given a workspace, when a campaign is created with goal, audience, dates, budget and status, then it reads back as given and lists with its counts', async () => {
    const ws = await workspace();
    const startsAt = Date.parse('2026-03-01T00:00:00Z');
    const endsAt = Date.parse('2026-03-31T23:59:00Z');
    const c = await core.call('campaigns.create', {
      workspaceId: ws,
      name: '  Spring bake  ',
      goals: ['200 workshop sign-ups'],
      targetAudience: 'Home bakers in Portland',
      startsAt,
      endsAt,
      budget: { amount: 1500, currency: 'usd' },
      status: 'ready',
    });
    expect(c).toMatchObject({ name: 'Spring bake', goals: ['200 workshop sign-ups'], targetAudience: 'Home bakers in Portland', startsAt, endsAt, budget: { amount: 1500, currency: 'USD' }, status: 'ready', launchedAt: null });
    const list = await core.call('campaigns.list', { workspaceId: ws });
    expect(list.map((x) => [x.id, x.postCount, x.componentCount])).toEqual([[c.id, 0, 0]]);
  });

  it('given a campaign, when it ends before it starts, then the edit is refused in words and nothing changes', async () => {
    const ws = await workspace();
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Dates', startsAt: 2_000_000 });
    await expect(core.call('campaigns.update', { campaignId: c.id, endsAt: 1_000_000 })).rejects.toThrow(/ends before it starts/);
    expect((await core.call('campaigns.get', { campaignId: c.id })).campaign.endsAt).toBeNull();
  });

  it('given a launched campaign, when it is archived and brought back, then it leaves the list, keeps its launch time and returns as launched', async () => {
    const ws = await workspace();
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Launch' });
    const launched = await core.call('campaigns.update', { campaignId: c.id, status: 'launched', budget: null });
    expect(launched.launchedAt).toBeGreaterThan(0);
    await core.call('campaigns.archive', { campaignId: c.id, archived: true });
    expect(await core.call('campaigns.list', { workspaceId: ws })).toEqual([]);
    expect((await core.call('campaigns.list', { workspaceId: ws, includeArchived: true })).map((x) => x.status)).toEqual(['archived']);
    const back = await core.call('campaigns.archive', { campaignId: c.id, archived: false });
    expect(back.status).toBe('launched');
    expect(back.launchedAt).toBe(launched.launchedAt);
  });

  it('given an unknown status or a bad currency, when creating, then the API refuses with the field named', async () => {
    const ws = await workspace();
    await expect(core.call('campaigns.create', { workspaceId: ws, name: 'x', status: 'live' as never })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('campaigns.create', { workspaceId: ws, name: 'x', budget: { amount: 5, currency: 'dollars' } })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [expect.objectContaining({ path: ['budget', 'currency'] })],
    });
  });
});

describe('posts and totals', () => {
  it("given two published posts with figures and one without, when attached, then the totals sum their engagement and the rate is the Analytics page's: the seeds' per-post rate averaged over posts with reach", async () => {
    const ws = await workspace();
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Totals' });
    const a = publishedPost(ws, 'Sourdough Saturday', { likes: 40, comments: 6, shares: 4, reach: 1000, impressions: 1500, clicks: 12 });
    const b = publishedPost(ws, 'Rye is back', { likes: 10, comments: 2, shares: 3, reach: 500, impressions: 700, clicks: 3 });
    const none = publishedPost(ws, 'Not measured yet', null);
    const other = publishedPost(ws, 'Not in the campaign', { likes: 999, comments: 0, shares: 0, reach: 1000, impressions: 1000, clicks: 0 });

    const picker = await core.call('campaigns.attachablePosts', { campaignId: c.id, query: 'rye' });
    expect(picker.map((p) => p.id)).toEqual([b]);
    await core.call('campaigns.attachPosts', { campaignId: c.id, postIds: [a, b, none] });

    const view = await core.call('campaigns.get', { campaignId: c.id });
    expect(view.posts.map((p) => p.id).sort()).toEqual([a, b, none].sort());
    expect(view.totals.organic).toMatchObject({ posts: 3, publishedTargets: 3, measuredTargets: 2, likes: 50, comments: 8, shares: 7, reach: 1500, impressions: 2200, clicks: 15, engagements: 65 });
    // (50 / 1000 × 100 + 15 / 500 × 100) / 2: the post without figures is left out, not counted as 0 %.
    expect(view.totals.organic.engagementRate).toBe(4);
    expect(other).toBeTruthy();

    await core.call('campaigns.detachPost', { campaignId: c.id, postId: a });
    const after = await core.call('campaigns.totals', { campaignId: c.id });
    expect(after.organic).toMatchObject({ posts: 2, likes: 10, engagements: 15 });
  });

  it("given a post of another workspace, when attached, then it is refused and the campaign's posts are unchanged", async () => {
    const ws = await workspace();
    const elsewhere = await workspace('Other client');
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Scoped' });
    const foreign = publishedPost(elsewhere, 'Theirs', null);
    await expect(core.call('campaigns.attachPosts', { campaignId: c.id, postIds: [foreign] })).rejects.toMatchObject({ code: 'not_found' });
    expect(count('posts', c.id)).toBe(0);
  });
});

describe('assets are versioned', () => {
  it('given an asset, when it is edited twice, then each edit is a new version whose parent is the previous one, the old text is kept, and only the latest can be edited', async () => {
    const ws = await workspace();
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Versions' });
    const v1 = await core.call('campaigns.componentCreate', { campaignId: c.id, name: 'Landing page', componentType: 'landing_page', content: 'Bake with us' });
    const v2 = await core.call('campaigns.componentUpdate', { componentId: v1.id, content: 'Bake with us this spring' });
    const v3 = await core.call('campaigns.componentUpdate', { componentId: v2.id, name: 'Spring landing page', content: 'Bake sourdough with us this spring' });
    expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
    expect(v2.parentComponentId).toBe(v1.id);
    expect(v3.parentComponentId).toBe(v2.id);

    const latest = await core.call('campaigns.components', { campaignId: c.id });
    expect(latest.map((x) => [x.id, x.name, x.content])).toEqual([[v3.id, 'Spring landing page', 'Bake sourdough with us this spring']]);
    const history = await core.call('campaigns.componentHistory', { componentId: v1.id });
    expect(history.map((h) => [h.version, h.content])).toEqual([
      [3, 'Bake sourdough with us this spring'],
      [2, 'Bake with us this spring'],
      [1, 'Bake with us'],
    ]);
    await expect(core.call('campaigns.componentUpdate', { componentId: v1.id, content: 'fork' })).rejects.toMatchObject({ code: 'conflict' });
    expect(count('campaign_components', c.id)).toBe(3);

    await core.call('campaigns.componentDelete', { componentId: v3.id });
    expect(await core.call('campaigns.components', { campaignId: c.id })).toEqual([]);
  });
});

describe('AI generation', () => {
  it('given an endpoint, when an email sequence is generated and then regenerated, then the answer is stored as version 1 then 2 with the generation metered as a component call linked to the campaign', async () => {
    const ws = await workspace();
    await core.call('ai.updateSettings', { workspaceId: ws, baseUrl: server.url, apiKey: 'sk-campaigns', chatModel: 'test-model' });
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Workshop launch', goals: ['Sell 40 workshop seats'], targetAudience: 'Beginners who bake at home' });
    server.set({ reply: 'Email 1 — Subject: Your first loaf\nBody: …' });
    server.requests.length = 0;
    const gen = await core.call('campaigns.componentGenerate', { campaignId: c.id, componentType: 'email_template', brief: 'Warm, short, mention the free starter jar' });
    expect(gen).toMatchObject({ name: 'Email sequence', componentType: 'email_template', version: 1, content: 'Email 1 — Subject: Your first loaf\nBody: …' });
    expect(gen.ai?.model).toBe('test-model');
    const sent = JSON.stringify(server.requestsTo('chat/completions')[0]!.body);
    expect(sent).toContain('Sell 40 workshop seats');
    expect(sent).toContain('Beginners who bake at home');
    expect(sent).toContain('free starter jar');

    server.set({ reply: 'Email 1 — Subject: Your first loaf (v2)' });
    const again = await core.call('campaigns.componentGenerate', { campaignId: c.id, componentType: 'email_template', brief: 'shorter', componentId: gen.id });
    expect(again).toMatchObject({ version: 2, parentComponentId: gen.id, content: 'Email 1 — Subject: Your first loaf (v2)' });
    expect(JSON.stringify(server.requestsTo('chat/completions')[1]!.body)).toContain('Your first loaf\\nBody');

    const metered = core.ctx.db.sqlite.prepare(`SELECT generation_type AS type, status, campaign_id AS campaignId FROM ai_generations WHERE workspace_id = ? ORDER BY created_at`).all(ws);
    expect(metered).toEqual([
      { type: 'component', status: 'completed', campaignId: c.id },
      { type: 'component', status: 'completed', campaignId: c.id },
    ]);
  });

  it('given no endpoint anywhere, when generating, then the call says how to set one up and nothing is stored', async () => {
    const ws = await workspace();
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'No AI' });
    const err = await core.call('campaigns.componentGenerate', { campaignId: c.id, componentType: 'landing_page', brief: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'ai_not_configured', message: NOT_CONFIGURED_MESSAGE });
    expect(count('campaign_components', c.id)).toBe(0);
  });
});

describe('conversions and events from CSV', () => {
  it('given a clean conversions export, when imported, then every row lands with its UTM source and medium, totals group them, and importing it again adds nothing', async () => {
    const ws = await workspace();
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Spring Bake' });
    const r = await core.call('campaigns.importConversions', { campaignId: c.id, csv: fixture('campaign-conversions.csv') });
    expect(r).toMatchObject({ committed: true, written: 5, summary: { total: 5, ok: 5, failed: 0, duplicates: 0 } });
    expect(r.columns).toMatchObject({ occurredAt: 'occurred_at', source: 'utm_source', medium: 'utm_medium', value: 'value' });
    const rows = core.ctx.db.sqlite.prepare(`SELECT occurred_at AS at, conversion_type AS type, value, currency, source, medium FROM conversions WHERE campaign_id = ? ORDER BY occurred_at`).all(c.id);
    expect(rows[0]).toEqual({ at: Date.parse('2026-03-02T15:15:00Z'), type: 'purchase', value: 45, currency: 'USD', source: 'instagram', medium: 'social' });
    expect(rows[3]).toMatchObject({ at: Date.parse('2026-03-03T18:30:00Z'), value: 1290.5, source: 'google', medium: 'cpc' });
    // A date alone is the start of that day in the workspace's timezone (New York).
    expect(rows[4]).toMatchObject({ at: Date.parse('2026-03-04T05:00:00Z'), type: 'booking' });

    const totals = await core.call('campaigns.totals', { campaignId: c.id });
    expect(totals.conversions.count).toBe(5);
    expect(totals.conversions.value).toEqual([{ currency: 'USD', amount: 1410.5 }]);
    expect(totals.conversions.bySource[0]).toEqual({ source: 'instagram', medium: 'social', count: 2, value: 75 });

    const again = await core.call('campaigns.importConversions', { campaignId: c.id, csv: fixture('campaign-conversions.csv') });
    expect(again).toMatchObject({ written: 0, summary: { duplicates: 5 } });
    expect(count('conversions', c.id)).toBe(5);
  });

  it('given an export with bad rows, when imported all-or-nothing, then each bad row is named with its row number and reason and nothing is written; good rows only writes exactly the good ones', async () => {
    const ws = await workspace();
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Bad rows' });
    const csv = fixture('campaign-conversions-bad-rows.csv');
    const refused = await core.call('campaigns.importConversions', { campaignId: c.id, csv });
    expect(refused).toMatchObject({ committed: false, written: 0, summary: { total: 7, ok: 3, failed: 4 } });
    expect(refused.message).toMatch(/^Nothing was imported: 4 of 7 rows have a problem/);
    const bad = refused.rows.filter((r) => !r.ok).map((r) => [r.line, r.errors.join(' ')]);
    expect(bad).toEqual([
      [3, expect.stringMatching(/value: "forty" isn't a number/)],
      [5, expect.stringMatching(/"03\/04\/2026 12:00" isn't a date and time/)],
      [6, expect.stringMatching(/conversion_type is empty/)],
      [7, expect.stringMatching(/currency "dollars" isn't a 3-letter code/)],
    ]);
    expect(count('conversions', c.id)).toBe(0);
    expect((await core.call('campaigns.get', { campaignId: c.id })).totals.conversions.count).toBe(0);

    const dry = await core.call('campaigns.importConversions', { campaignId: c.id, csv, mode: 'good_rows_only', dryRun: true });
    expect(dry).toMatchObject({ committed: false, written: 0 });
    expect(count('conversions', c.id)).toBe(0);

    const partial = await core.call('campaigns.importConversions', { campaignId: c.id, csv, mode: 'good_rows_only' });
    expect(partial).toMatchObject({ committed: true, written: 3 });
    const sessions = core.ctx.db.sqlite.prepare(`SELECT session_id AS s FROM conversions WHERE campaign_id = ? ORDER BY session_id`).all(c.id);
    expect(sessions).toEqual([{ s: 's-101' }, { s: 's-103' }, { s: 's-107' }]);
  });

  it('given the write itself fails part-way, when importing, then the rows already inserted in that import are rolled back', async () => {
    const ws = await workspace();
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Rollback' });
    const s = core.ctx.db.sqlite;
    // A trigger that fails on the fourth row stands in for a full disk or a constraint met mid-write.
    s.exec(`CREATE TEMP TRIGGER fail_fourth BEFORE INSERT ON conversions WHEN (SELECT COUNT(*) FROM conversions WHERE campaign_id = '${c.id}') >= 3 BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    try {
      await expect(core.call('campaigns.importConversions', { campaignId: c.id, csv: fixture('campaign-conversions.csv') })).rejects.toThrow();
    } finally {
      s.exec(`DROP TRIGGER fail_fourth`);
    }
    expect(count('conversions', c.id)).toBe(0);
    expect((s.prepare(`SELECT conversions FROM campaigns WHERE id = ?`).get(c.id) as { conversions: number }).conversions).toBe(0);
  });

  it('given an events export with tool-specific names, when imported, then known names map to the tracked types, unknown types and countries are named by row, and good rows only writes the rest', async () => {
    const ws = await workspace();
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Events' });
    const csv = fixture('campaign-events.csv');
    const refused = await core.call('campaigns.importEvents', { campaignId: c.id, csv });
    expect(refused.written).toBe(0);
    expect(refused.rows.filter((r) => !r.ok).map((r) => [r.line, r.errors.join(' ')])).toEqual([
      [7, expect.stringMatching(/country "Canada" isn't a 2-letter code/)],
      [8, expect.stringMatching(/event_type "scroll" isn't one Postdesk tracks/)],
    ]);
    expect(count('campaign_events', c.id)).toBe(0);

    const r = await core.call('campaigns.importEvents', { campaignId: c.id, csv, mode: 'good_rows_only' });
    expect(r.written).toBe(5);
    const totals = await core.call('campaigns.totals', { campaignId: c.id });
    expect(totals.events).toEqual({ total: 5, byType: { view: 1, click: 1, form_submit: 1, email_open: 1, email_click: 1 } });
    const first = core.ctx.db.sqlite.prepare(`SELECT event_data AS d, country, city FROM campaign_events WHERE campaign_id = ? ORDER BY occurred_at LIMIT 1`).get(c.id);
    expect(first).toEqual({ d: JSON.stringify({ utm_source: 'instagram', utm_medium: 'social' }), country: 'US', city: 'Portland' });
  });

  it('given a file without the UTM columns, when imported, then the whole file is refused saying which columns are missing', async () => {
    const ws = await workspace();
    const c = await core.call('campaigns.create', { workspaceId: ws, name: 'Headers' });
    await expect(core.call('campaigns.importConversions', { campaignId: c.id, csv: 'date,type,value\n2026-03-01 10:00,purchase,5\n' })).rejects.toThrow(/no header row names utm_source, utm_medium/);
  });
});
