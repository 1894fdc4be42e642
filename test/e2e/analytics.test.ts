// Analytics in real Chromium through the real web-mode process, on the large demo data (10k posts,
// ~13k published post targets with figures, two years): open the page, switch the range and the
// account, see the charts drawn with data (uPlot canvases with coloured pixels, one point per day,
// one bar per account), save a screenshot of the charts, download the CSV, and make a draft with
// "Post again". Set POSTDESK_LARGE_DEMO_DIR to a folder to keep the data between runs.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE_NAME } from '../../electron/core/app';
import { openBrowser } from '../helpers/browser';
import { tempDir } from '../helpers/db';
import { largeDemo, type LargeDemo } from '../helpers/large-demo';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');

let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
let data: { dir: string; cleanup: () => void };
let demo: LargeDemo;
const problems: string[] = [];
/** The filtered view's post count, as the API gave it (the CSV must hold exactly these posts). */
let filteredPosts = 0;

const chart = (id: string) => page.getByTestId(`analytics-chart-${id}`);
const settled = () => page.locator('.analytics[aria-busy="false"]').waitFor();

function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(data.dir, DB_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Pixels of a chart's canvas close to the accent colour (#4653c9) the engagement series and bars are drawn in. */
async function accentPixels(testId: string): Promise<number> {
  return page.evaluate((id) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"] canvas`);
    if (!canvas) return -1;
    const ctx = canvas.getContext('2d');
    if (!ctx) return -1;
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3]! > 200 && Math.abs(px[i]! - 70) < 30 && Math.abs(px[i + 1]! - 83) < 30 && Math.abs(px[i + 2]! - 201) < 30) n++;
    }
    return n;
  }, testId);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const keep = process.env.POSTDESK_LARGE_DEMO_DIR;
  if (keep) {
    mkdirSync(keep, { recursive: true });
    data = { dir: keep, cleanup: () => undefined };
  } else {
    data = tempDir('postdesk-analytics-large-');
  }
  demo = largeDemo(data.dir, (line) => process.stderr.write(`${line}\n`));
  web = await spawnWebCli({ dataDir: data.dir, timeoutMs: 60_000 });
  ({ context, page, profile } = await openBrowser(problems));
  await page.addInitScript('globalThis.__name = (f) => f');
}, 900_000);

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  profile?.cleanup();
  data?.cleanup();
});

describe('Analytics in Chromium on the large demo', () => {
  it('given two years of published posts with figures, when the user opens Analytics, then the 30-day charts are drawn with one point per day and totals from the database', async () => {
    const published = readDb((d) => (d.prepare(`SELECT count(*) AS n FROM post_targets WHERE workspace_id = ? AND status = 'published'`).get(demo.workspaceId) as { n: number }).n);
    expect(published).toBeGreaterThan(5_000);

    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.goto(`${web.origin}/#/analytics`);
    await chart('engagement').locator('canvas').waitFor({ timeout: 30_000 });
    await settled();
    expect(await chart('engagement').getAttribute('data-points')).toBe('30');
    const api = await web.call('analytics.dashboard', { workspaceId: demo.workspaceId, range: { days: 30 } });
    expect(api.totals.posts).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('analytics-total-posts').textContent()).toContain(api.totals.posts.toLocaleString('en-GB'));
    expect(await accentPixels('analytics-chart-engagement')).toBeGreaterThan(200);
    expect(Number(await chart('accounts').getAttribute('data-points'))).toBe(api.byAccount.length);
    expect(api.byAccount.length).toBeGreaterThan(1);
    expect(await accentPixels('analytics-chart-accounts')).toBeGreaterThan(200);
    await expect.poll(() => page.getByTestId('analytics-top-posts').locator('tbody tr').count()).toBe(10);
    expect(await page.getByTestId('analytics-heatmap').locator('[role="cell"]:not(.is-empty)').count()).toBeGreaterThan(20);
  });

  it('given the 30-day view, when the user picks 7 days and then one account, then the charts redraw for that range and account only', async () => {
    await page.getByRole('button', { name: '7 days' }).click();
    await expect.poll(() => chart('engagement').getAttribute('data-points')).toBe('7');
    await settled();
    const all7 = await web.call('analytics.dashboard', { workspaceId: demo.workspaceId, range: { days: 7 } });
    await expect.poll(() => page.getByTestId('analytics-total-posts').textContent()).toContain(all7.totals.posts.toLocaleString('en-GB'));

    const top = all7.byAccount[0]!;
    const select = page.getByRole('combobox', { name: /^Account/ });
    // Options are the workspace's accounts by id (several share a handle across networks).
    await select.selectOption(top.key);
    await expect.poll(() => chart('accounts').getAttribute('data-points')).toBe('1');
    await settled();
    const one = await web.call('analytics.dashboard', { workspaceId: demo.workspaceId, range: { days: 7 }, accountIds: [top.key] });
    expect(one.totals.posts).toBeLessThan(all7.totals.posts);
    filteredPosts = one.totals.posts;
    await expect.poll(() => page.getByTestId('analytics-total-posts').textContent()).toContain(one.totals.posts.toLocaleString('en-GB'));
    expect(await accentPixels('analytics-chart-engagement')).toBeGreaterThan(50);
    expect(await accentPixels('analytics-chart-accounts')).toBeGreaterThan(50);
    // The page scrolls inside the app frame: a window tall enough for every chart, for the shot only.
    await page.setViewportSize({ width: 1280, height: 2300 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'analytics-charts.png') });
    await page.setViewportSize({ width: 1280, height: 820 });
    expect(problems).toEqual([]);
  });

  it('given the filtered view, when the user exports a CSV, then the file holds that range\'s posts for that account, with its header', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/analytics-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await download.path();
    const text = readFileSync(path, 'utf8');
    const lines = text.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe('published_at,account,platform,text,url,impressions,reach,clicks,likes,comments,shares,saves,engagements,engagement_rate,metrics_recorded_at');
    expect(filteredPosts).toBeGreaterThan(0);
    expect(lines.length - 1).toBe(filteredPosts);
  });

  it('given a top post, when the user presses Post again, then a new draft with its text opens in Compose', async () => {
    const firstRow = page.getByTestId('analytics-top-posts').locator('tbody tr').first();
    await firstRow.getByRole('button', { name: 'Post again' }).click();
    await page.waitForURL(/#\/compose\/[0-9a-f-]{36}/, { timeout: 15_000 });
    const draftId = /#\/compose\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const draft = readDb((d) => d.prepare(`SELECT status, content FROM posts WHERE id = ?`).get(draftId) as { status: string; content: string } | undefined);
    expect(draft?.status).toBe('draft');
    expect(draft?.content.length).toBeGreaterThan(0);
  });
});
