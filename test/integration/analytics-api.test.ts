// The Analytics API through the real handlers on a real database file: the dashboard's totals,
// change, per-account/platform figures and top posts for posts published in a range, engagement
// rate left out where a network gives no reach; the CSV and PDF exports; "Post again"; refusals in
// words; and the range queries' plans on a file with ANALYZE statistics (the published-posts index,
// never a scan of every post).
import { PDFDocument } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import { dashboard, PUBLISHED_INDEX } from '../../electron/core/analytics/dashboard';
import { metricsCrons } from '../../electron/core/analytics/metrics-fetch';
import { postMetrics } from '../../db/schema/analytics';
import { posts, postTargets } from '../../db/schema/posts';
import { startTestCore, type TestCore } from '../helpers/core';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  core: TestCore;
  workspaceId: string;
  insta: string;
  masto: string;
  publish(accountId: string, platform: 'instagram' | 'mastodon', text: string, ageMs: number, m?: { likes: number; comments: number; shares: number; reach: number }): string;
}

function account(core: TestCore, workspaceId: string, platform: 'instagram' | 'mastodon', id: string, username: string): string {
  return recordSignIn(core.ctx, {
    workspaceId,
    platform,
    authKind: 'oauth2',
    serverUrl: platform === 'mastodon' ? 'https://mastodon.example' : null,
    result: {
      profile: { platformAccountId: id, username, displayName: null, profileUrl: null, avatarUrl: null, serverUrl: null },
      credentials: { accessToken: 'token', refreshToken: null, expiresAt: null, scopes: [] },
    },
  }).id;
}

async function setup(): Promise<Setup> {
  const core = await startTestCore();
  cleanups.push(() => core.cleanup());
  for (const spec of metricsCrons()) core.scheduler!.upsertCron({ ...spec, enabled: false });
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  const insta = account(core, ws.id, 'instagram', 'ig-1', 'crumb.ig');
  const masto = account(core, ws.id, 'mastodon', 'm-1', 'crumb');
  let n = 0;
  const publish: Setup['publish'] = (accountId, platform, text, ageMs, m) => {
    const at = Date.now() - ageMs;
    const post = core.ctx.db.orm.insert(posts).values({ workspaceId: ws.id, content: text, hashtags: ['bread'], status: 'published', publishedAt: at }).returning({ id: posts.id }).get();
    const target = core.ctx.db.orm
      .insert(postTargets)
      .values({ workspaceId: ws.id, postId: post.id, accountId, platform, status: 'published', platformPostId: `p${++n}`, platformUrl: `https://example.com/p${n}`, publishedAt: at })
      .returning({ id: postTargets.id })
      .get().id;
    if (m) {
      const rate = m.reach > 0 ? Math.round(((m.likes + m.comments + m.shares) / m.reach) * 10000) / 100 : 0;
      core.ctx.db.orm.insert(postMetrics).values({ workspaceId: ws.id, targetId: target, platform, ...m, impressions: m.reach * 2, engagementRate: rate, recordedAt: at + HOUR }).run();
    }
    return target;
  };
  return { core, workspaceId: ws.id, insta, masto, publish };
}

describe('analytics.dashboard', () => {
  it('given posts this week and last week, then totals, change, per account and platform and top posts count this week\'s posts, the rate averaging only posts with reach', async () => {
    const s = await setup();
    const best = s.publish(s.insta, 'instagram', 'Cinnamon rolls are back', 2 * DAY, { likes: 90, comments: 6, shares: 4, reach: 1000 });
    s.publish(s.insta, 'instagram', 'Sourdough class', 3 * DAY, { likes: 20, comments: 2, shares: 3, reach: 500 });
    s.publish(s.masto, 'mastodon', 'Fresh bread at 8', 4 * DAY, { likes: 30, comments: 1, shares: 9, reach: 0 });
    s.publish(s.masto, 'mastodon', 'No figures yet', HOUR);
    s.publish(s.insta, 'instagram', 'Last week', 10 * DAY, { likes: 40, comments: 5, shares: 5, reach: 1000 });

    const d = await s.core.call('analytics.dashboard', { workspaceId: s.workspaceId, range: { days: 7 } });
    expect(d.totals).toEqual({ posts: 4, impressions: 3000, reach: 1500, clicks: 0, likes: 140, comments: 9, shares: 16, saves: 0, engagements: 165, engagementRate: 7.5 });
    // (10 + 5) / 2: the Mastodon post without reach is left out of the average, not counted as 0 %.
    expect(d.previous).toMatchObject({ posts: 1, engagements: 50, engagementRate: 5 });
    expect(d.change).toMatchObject({ posts: 300, engagements: 230, engagementRate: 50 });
    expect(d.series).toHaveLength(7);
    expect(d.series.reduce((n, p) => n + p.posts, 0)).toBe(4);
    expect(d.byAccount.map((a) => [a.label, a.posts, a.engagements])).toEqual([
      ['crumb.ig', 2, 125],
      ['crumb', 2, 40],
    ]);
    expect(d.byPlatform.map((p) => [p.platform, p.engagements, p.engagementRate])).toEqual([
      ['instagram', 125, 7.5],
      ['mastodon', 40, null],
    ]);
    expect(d.topPosts.map((p) => p.text)).toEqual(['Cinnamon rolls are back', 'Fresh bread at 8', 'Sourdough class']);
    expect(d.topPosts[0]).toMatchObject({ targetId: best, engagements: 100, engagementRate: 10, url: 'https://example.com/p1' });
    expect(d.topPosts[1]!.engagementRate).toBeNull();
    expect(d.heatmap.posts).toBe(5);
    expect(d.empty).toBe(false);

    const onlyMasto = await s.core.call('analytics.dashboard', { workspaceId: s.workspaceId, range: { days: 7 }, accountIds: [s.masto] });
    expect(onlyMasto.totals).toMatchObject({ posts: 2, engagements: 40, engagementRate: null });
    const onlyInsta = await s.core.call('analytics.dashboard', { workspaceId: s.workspaceId, range: { days: 7 }, platforms: ['instagram'] });
    expect(onlyInsta.totals.posts).toBe(2);
  });

  it('given a new workspace, then the dashboard says it is empty; given a range that ends before it starts, then it is refused in words', async () => {
    const s = await setup();
    const d = await s.core.call('analytics.dashboard', { workspaceId: s.workspaceId, range: { days: 30 } });
    expect(d).toMatchObject({ empty: true, topPosts: [], totals: { posts: 0, engagementRate: null } });
    await expect(s.core.call('analytics.dashboard', { workspaceId: s.workspaceId, range: { from: '2026-03-10', to: '2026-03-01' } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/ends before it starts/),
    });
    await expect(s.core.call('analytics.dashboard', { workspaceId: s.workspaceId, range: { days: 0 } })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('exports', () => {
  it('given posts with commas, quotes and a formula in their text, when exported as CSV, then each is one RFC 4180 record and the formula is neutralised', async () => {
    const s = await setup();
    s.publish(s.insta, 'instagram', '=HYPERLINK("http://evil.example","win")', DAY, { likes: 5, comments: 1, shares: 0, reach: 100 });
    s.publish(s.masto, 'mastodon', 'Bread, butter and "jam"\nall day', 2 * DAY, { likes: 3, comments: 0, shares: 1, reach: 0 });
    s.publish(s.masto, 'mastodon', 'Too old', 40 * DAY, { likes: 3, comments: 0, shares: 1, reach: 0 });
    const out = await s.core.call('analytics.exportCsv', { workspaceId: s.workspaceId, range: { days: 7 } });
    expect(out).toMatchObject({ mimeType: 'text/csv; charset=utf-8', rows: 2 });
    expect(out.fileName).toMatch(/^crumb-bakery-analytics-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = Buffer.from(out.contentBase64, 'base64').toString('utf8');
    expect(text.startsWith('\uFEFFpublished_at,account,platform,text,url,')).toBe(true);
    expect(text).toContain(`,crumb,mastodon,"Bread, butter and ""jam""\nall day",https://example.com/p2,0,0,0,3,0,1,0,4,,`);
    expect(text).toContain(`,crumb.ig,instagram,"'=HYPERLINK(""http://evil.example"",""win"")",https://example.com/p1,200,100,0,5,1,0,0,6,6,`);
    expect(text.split('\r\n').filter((l) => l !== '')).toHaveLength(3);
  });

  it('given a week of posts, when a PDF report is made, then it is a real PDF with the workspace and range in its title', async () => {
    const s = await setup();
    s.publish(s.insta, 'instagram', 'Cinnamon rolls 🥐 are back', DAY, { likes: 90, comments: 6, shares: 4, reach: 1000 });
    const out = await s.core.call('analytics.exportPdf', { workspaceId: s.workspaceId, range: { days: 7 } });
    const bytes = Buffer.from(out.contentBase64, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(out.pages);
    expect(pdf.getTitle()).toMatch(/^Crumb Bakery: analytics \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$/);
  });
});

describe('analytics.postAgain', () => {
  it('given a top post, when posted again, then a new draft with its text, hashtags and account is made; a post of another workspace is not found', async () => {
    const s = await setup();
    const target = s.publish(s.insta, 'instagram', 'Cinnamon rolls are back', DAY, { likes: 90, comments: 6, shares: 4, reach: 1000 });
    const draft = await s.core.call('analytics.postAgain', { workspaceId: s.workspaceId, targetId: target });
    expect(draft).toMatchObject({ status: 'draft', content: 'Cinnamon rolls are back', hashtags: ['bread'], publishAt: null });
    expect(draft.targets.map((t) => t.accountId)).toEqual([s.insta]);
    const other = await s.core.call('workspaces.create', { name: 'Other', timezone: 'UTC' });
    await expect(s.core.call('analytics.postAgain', { workspaceId: other.id, targetId: target })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('query plans', () => {
  it('given 1,500 published posts and ANALYZE statistics, then every range query of the dashboard reads the published-posts index and scans no table', async () => {
    const s = await setup();
    const db = s.core.ctx.db;
    db.sqlite.transaction(() => {
      for (let i = 0; i < 1500; i++) s.publish(i % 2 ? s.insta : s.masto, i % 2 ? 'instagram' : 'mastodon', `Post ${i}`, (i % 400) * 6 * HOUR, { likes: i % 50, comments: 1, shares: 2, reach: 100 });
    })();
    db.sqlite.exec('ANALYZE');
    const seen: { sql: string; params: unknown[] }[] = [];
    const prepare = db.sqlite.prepare.bind(db.sqlite);
    const spy = ((source: string) => {
      const st = prepare(source);
      return new Proxy(st, {
        get(target, key) {
          if (key === 'all' || key === 'get') return (...params: unknown[]) => (seen.push({ sql: source, params }), (target[key] as (...a: unknown[]) => unknown)(...params));
          const v = Reflect.get(target, key) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    }) as typeof db.sqlite.prepare;
    db.sqlite.prepare = spy;
    try {
      dashboard(db, s.workspaceId, { range: { days: 90 } });
      dashboard(db, s.workspaceId, { range: { days: 30 }, accountIds: [s.insta], platforms: ['instagram'] });
    } finally {
      db.sqlite.prepare = prepare;
    }
    const ranged = seen.filter((q) => q.sql.includes('t.published_at >= ?'));
    expect(ranged.length).toBeGreaterThanOrEqual(10);
    for (const q of ranged) {
      const plan = (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan, q.sql).toContain(`USING INDEX ${PUBLISHED_INDEX}`);
      expect(plan, q.sql).not.toMatch(/SCAN (t|m|post_targets|post_metrics)\b/);
    }
  });
});
