// The Campaigns page in real Chromium against the real web-mode process and a seeded demo data
// folder: create a campaign, attach a published post whose figures are in post_metrics and see
// its engagement in the totals, import a conversions CSV with bad rows and see each bad row named
// with its reason (nothing written), then import the good rows only and see the totals follow —
// checked against the SQLite file itself.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { seedDemo } from '../../db/seed';
import { DB_FILE_NAME } from '../../electron/core/app';
import { openBrowser } from '../helpers/browser';
import { tempDir } from '../helpers/db';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const BAD_CSV = readFileSync(join(repoRoot, 'test', 'fixtures', 'csv', 'campaign-conversions-bad-rows.csv'));
const GOOGLE_CSV = readFileSync(join(repoRoot, 'test', 'fixtures', 'csv', 'google-ads-report.csv'));
const POST_TEXT = 'Lighthouse loaf: our new seeded rye is out of the oven at 7 am';

let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let data: { dir: string; cleanup: () => void };
let profile: { dir: string; cleanup: () => void };
let postId = '';
const problems: string[] = [];

function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(data.dir, DB_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  data = tempDir('postdesk-campaigns-e2e-');
  const db = openDatabase({ file: join(data.dir, DB_FILE_NAME) });
  try {
    const ws = seedDemo(db, { scale: 'small', seed: 10, brand: 'bakery', now: Date.now() - 60_000 }).workspaceId;
    // A published post with its latest figures, as the metrics job leaves them.
    const account = uuidv7();
    const target = uuidv7();
    postId = uuidv7();
    const at = Date.now() - 86_400_000;
    db.sqlite.prepare(`INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username) VALUES (?, ?, 'mastodon', ?, 'lighthouse')`).run(account, ws, `e2e-${account}`);
    db.sqlite.prepare(`INSERT INTO posts (id, workspace_id, content, status, published_at) VALUES (?, ?, ?, 'published', ?)`).run(postId, ws, POST_TEXT, at);
    db.sqlite.prepare(`INSERT INTO post_targets (id, workspace_id, post_id, account_id, platform, status, published_at) VALUES (?, ?, ?, ?, 'mastodon', 'published', ?)`).run(target, ws, postId, account, at);
    db.sqlite
      .prepare(`INSERT INTO post_metrics (id, workspace_id, target_id, platform, likes, comments, shares, reach, impressions, engagement_rate, recorded_at) VALUES (?, ?, ?, 'mastodon', 120, 14, 9, 2200, 3100, 6.5, ?)`)
      .run(uuidv7(), ws, target, at + 3_600_000);
  } finally {
    db.close();
  }
  web = await spawnWebCli({ dataDir: data.dir });
  ({ context, page, profile } = await openBrowser(problems));
}, 180_000);

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  profile?.cleanup();
  data?.cleanup();
});

describe('Campaigns page in Chromium (web mode)', () => {
  it('given the demo workspace, when a campaign is created and a published post attached, then the totals show its engagement', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Campaigns', exact: true }).waitFor();

    await page.getByRole('button', { name: 'New campaign' }).click();
    const form = page.getByRole('dialog', { name: 'New campaign' });
    await form.getByLabel('Name').fill('Lighthouse rye launch');
    await form.getByLabel('Goal').fill('150 loaves pre-ordered');
    await form.getByLabel('Budget').fill('400');
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { level: 2, name: 'Lighthouse rye launch' }).waitFor();
    await page.getByText('Goal: 150 loaves pre-ordered').waitFor();

    await page.getByRole('button', { name: 'Attach posts…' }).click();
    const picker = page.getByRole('dialog', { name: 'Attach posts' });
    await picker.getByLabel('Search posts').fill('Lighthouse loaf');
    await picker.getByRole('list', { name: 'Posts to attach' }).getByText(/Lighthouse loaf/).click();
    await picker.getByRole('button', { name: 'Attach 1 post' }).click();
    await page.getByRole('table', { name: 'Campaign posts' }).getByText(/Lighthouse loaf/).waitFor();
    // 120 likes + 14 comments + 9 shares over a reach of 2,200.
    await expect.poll(() => page.getByTestId('organic-engagements').textContent()).toBe('143');
    await page.getByTestId('organic-rate').getByText('6.5%').waitFor();

    const campaign = readDb((db) => db.prepare(`SELECT id, name, goals, payload FROM campaigns WHERE name = ?`).get('Lighthouse rye launch') as { id: string; goals: string; payload: string });
    expect(JSON.parse(campaign.goals)).toEqual(['150 loaves pre-ordered']);
    expect(JSON.parse(campaign.payload)).toMatchObject({ budget: { amount: 400, currency: 'USD' } });
    expect(readDb((db) => db.prepare(`SELECT campaign_id AS c FROM posts WHERE id = ?`).get(postId))).toEqual({ c: campaign.id });
  }, 90_000);

  it('given the campaign, when a conversions CSV with bad rows is imported, then each bad row is shown with its reason, nothing is written, and the good rows only land when chosen', async () => {
    await page.getByRole('button', { name: 'Import conversions…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import conversions' });
    await dialog.getByLabel('CSV file to import').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: BAD_CSV });
    const errors = dialog.getByRole('table', { name: 'Rows with a problem' });
    await errors.waitFor();
    const row3 = errors.getByRole('row').filter({ hasText: 'Row 3' });
    expect(await row3.textContent()).toMatch(/value: "forty" isn't a number/);
    expect(await errors.getByRole('row').filter({ hasText: 'Row 6' }).textContent()).toMatch(/conversion_type is empty/);
    expect(await errors.getByRole('row').count()).toBe(5);
    await page.screenshot({ path: join(SHOTS, 'campaigns-import-errors.png'), fullPage: true });
    const campaignId = readDb((db) => (db.prepare(`SELECT id FROM campaigns WHERE name = ?`).get('Lighthouse rye launch') as { id: string }).id);
    expect(readDb((db) => db.prepare(`SELECT COUNT(*) AS n FROM conversions WHERE campaign_id = ?`).get(campaignId))).toEqual({ n: 0 });

    await dialog.getByRole('button', { name: 'Import the 3 good rows only' }).click();
    await dialog.getByText('Imported 3 conversions. 4 rows with a problem were left out.', { exact: false }).first().waitFor();
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => page.getByTestId('conversions-count').textContent()).toBe('3');
    await page.getByRole('table', { name: 'Conversions by source and medium' }).getByText('instagram / social').waitFor();
    expect(readDb((db) => db.prepare(`SELECT COUNT(*) AS n FROM conversions WHERE campaign_id = ?`).get(campaignId))).toEqual({ n: 3 });
    await page.screenshot({ path: join(SHOTS, 'campaigns-totals.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 90_000);

  it('given the campaign, when a Google Ads account is added and its campaign report imported, then the ad figures show beside organic; the Clients tab lists the workspace for the month', async () => {
    await page.getByRole('button', { name: 'Add ad account…' }).click();
    const add = page.getByRole('dialog', { name: 'Add an ad account' });
    await add.getByLabel('Platform').selectOption('google');
    await add.getByLabel('Customer id').fill('123-456-7890');
    await add.getByLabel(/Developer token/).fill('dev-token-e2e');
    await add.getByRole('button', { name: 'Add account' }).click();
    await page.getByText('Added Google Ads account 123-456-7890.').waitFor();

    await page.getByRole('button', { name: 'Import ad figures…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import ad figures' });
    await dialog.getByLabel('CSV file to import').setInputFiles({ name: 'Campaign report.csv', mimeType: 'text/csv', buffer: GOOGLE_CSV });
    await dialog.getByText('4 days of ad figures can be imported; 0 rows have a problem. 2 total rows skipped.').waitFor();
    await dialog.getByRole('button', { name: 'Import 4 rows' }).click();
    await dialog.getByText(/^Imported 4 days of ad figures\./).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => page.getByTestId('ad-spend').textContent()).toBe('$34.50');
    await page.getByText('Budget $400.00, $34.50 spent (9%)').waitFor();
    const ads = page.getByRole('table', { name: 'Ad campaigns' });
    await ads.getByText('Spring Bake Search').waitFor();
    await ads.getByText('Brand – Bakery').waitFor();
    // The token went in sealed: not in the file in clear.
    const sealed = readDb((db) => db.prepare(`SELECT credentials_encrypted AS c FROM account_secrets WHERE ad_account_id IS NOT NULL`).get() as { c: string });
    expect(sealed.c).not.toContain('dev-token-e2e');
    await page.screenshot({ path: join(SHOTS, 'campaigns-ads.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Clients' }).click();
    const month = new Date().toISOString().slice(0, 7);
    const clients = page.getByRole('table', { name: `Clients in ${month}` });
    await clients.waitFor();
    expect(await clients.getByRole('row').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(SHOTS, 'campaigns-clients.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 90_000);
});
