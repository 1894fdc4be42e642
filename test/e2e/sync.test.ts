// Settings → Sync in real Chromium against the real web-mode process and a real Postgres started
// by the test: connect with a connection string (a password field; the password never shows up in
// the page or the engine's output), choose the demo workspace, Sync now with its progress bar, and
// "Last synced just now" with every post in the cloud.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { seedDemo } from '../../db/seed';
import { DB_FILE_NAME } from '../../electron/core/app';
import { openBrowser } from '../helpers/browser';
import { tempDir } from '../helpers/db';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { openDevice } from '../helpers/sync';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const PASSWORD = 'Crumb-sync-pw-7319';

let web: SpawnedWeb | undefined;
let pgServer: TestPostgres | undefined;
let context: BrowserContext;
let page: Page;
let data: { dir: string; cleanup: () => void };
let profile: { dir: string; cleanup: () => void };
let dbName: string;
let workspace: { id: string; name: string; posts: number; draftId: string };
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  pgServer = await startPostgres();
  dbName = await pgServer.createDatabase();
  // The owner of the cloud side: a login role of its own, with a password the test can look for.
  const admin = await pgServer.admin();
  try {
    await admin.query(`CREATE ROLE postdesk_owner LOGIN SUPERUSER PASSWORD '${PASSWORD}'`);
  } finally {
    await admin.end();
  }
  data = tempDir('postdesk-sync-e2e-');
  const db = openDatabase({ file: join(data.dir, DB_FILE_NAME) });
  try {
    seedDemo(db, { scale: 'small', seed: 5, brand: 'bakery', now: Date.now() - 60_000 });
    const ws = db.sqlite.prepare('SELECT id, name FROM workspaces ORDER BY created_at LIMIT 1').get() as { id: string; name: string };
    const posts = (db.sqlite.prepare('SELECT count(*) AS n FROM posts WHERE workspace_id = ?').get(ws.id) as { n: number }).n;
    const draft = db.sqlite.prepare(`SELECT id FROM posts WHERE workspace_id = ? AND status = 'draft' LIMIT 1`).get(ws.id) as { id: string };
    workspace = { ...ws, posts, draftId: draft.id };
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
  await pgServer?.stop();
});

describe('Settings → Sync in Chromium (web mode)', () => {
  it('given the demo workspace and a Postgres, when connected, chosen and synced, then progress shows, it says last synced just now and the cloud holds every post', async () => {
    await page.goto(web!.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings', exact: true }).waitFor();
    const section = page.getByRole('region', { name: 'Sync between devices' });
    await section.scrollIntoViewIfNeeded();

    // A string that is not Postgres is refused in words before anything is sent.
    const field = section.getByLabel('Connection string');
    expect(await field.getAttribute('type')).toBe('password');
    await field.fill('mysql://someone@db.example.com/app');
    await section.getByRole('button', { name: 'Connect' }).click();
    await section.getByText(/starts with postgres:\/\//).waitFor();
    await expect(section.getByText(/sign-in tokens, cookies and API keys are not sent at all/).isVisible()).resolves.toBe(true);

    await field.fill(pgServer!.url(dbName, 'postdesk_owner', PASSWORD));
    await section.getByRole('button', { name: 'Connect' }).click();
    const status = section.getByTestId('sync-status');
    await status.waitFor({ timeout: 30_000 });
    await section.getByTestId('sync-last').getByText('Not synced yet').waitFor();

    const choice = section.getByRole('form', { name: 'Workspaces to sync' });
    await choice.getByRole('checkbox', { name: new RegExp(workspace.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).check();
    await choice.getByRole('button', { name: 'Save choice' }).click();
    await section.getByTestId('sync-pending').getByText(/waiting to be sent/).waitFor();

    // Every text the progress line shows is recorded as it changes: a round the change schedule
    // started on its own after Save choice may have sent most rows already, so the steps of this
    // one can pass faster than a locator polls.
    // tsx names functions with a __name helper the page does not have.
    await page.evaluate('globalThis.__name = (f) => f');
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __syncSeen: string[] }).__syncSeen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="sync-progress"]')?.textContent ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await section.getByRole('button', { name: 'Sync now' }).click();
    const progress = section.getByTestId('sync-progress');
    await progress.waitFor();
    await section.screenshot({ path: join(SHOTS, 'settings-sync-progress.png') });
    await section.getByTestId('sync-last').getByText('Last synced just now').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { __syncSeen: string[] }).__syncSeen);
    expect(seen.some((t) => /(Preparing|Sending|Receiving) changes/.test(t)), seen.join(' | ')).toBe(true);
    await progress.getByText('Synced').waitFor();
    expect(await progress.locator('progress').getAttribute('value')).toBe('1');
    await section.getByTestId('sync-pending').getByText('Everything on this device is in the cloud.').waitFor();
    await section.getByText('No value has been overwritten by another device.').waitFor();
    await choice.getByText('(here and in the cloud)').waitFor();
    // The settings page scrolls inside the app shell: a shot of the section itself shows it whole.
    await section.screenshot({ path: join(SHOTS, 'settings-sync.png') });

    const cloud = await pgServer!.admin(dbName);
    try {
      const r = await cloud.query<{ n: string }>('SELECT count(*) AS n FROM postdesk.posts WHERE workspace_id = $1 AND deleted_at IS NULL', [workspace.id]);
      expect(Number(r.rows[0]!.n)).toBe(workspace.posts);
      expect(workspace.posts).toBeGreaterThan(0);
    } finally {
      await cloud.end();
    }
    // The password went to the engine once: not in the page, not in the engine's output.
    expect(await page.content()).not.toContain(PASSWORD);
    expect(web!.stdout() + web!.stderr()).not.toContain(PASSWORD);
    expect(problems).toEqual([]);
  }, 150_000);

  it('given the same draft reworded here and later on a laptop, when Sync now runs, then the laptop\'s wording is kept and the replaced one is listed to review', async () => {
    const laptop = await openDevice('laptop', pgServer!.url(dbName, 'postdesk_owner', PASSWORD), { migrate: false });
    try {
      await laptop.sync.chooseWorkspaces([workspace.id]);
      await laptop.sync.syncNow();
      await web!.call('posts.update', { postId: workspace.draftId, content: 'Desktop wording: croissants at 7' });
      await new Promise((r) => setTimeout(r, 20));
      laptop.db.sqlite.prepare('UPDATE posts SET content = ?, updated_at = ? WHERE id = ?').run('Laptop wording: croissants from 7am', Date.now(), workspace.draftId);
      await laptop.sync.syncNow();
    } finally {
      await laptop.close();
    }
    const section = page.getByRole('region', { name: 'Sync between devices' });
    await section.getByRole('button', { name: 'Sync now' }).click();
    const row = section.getByTestId('sync-conflict').first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('Post content');
    expect(await row.textContent()).toContain('Desktop wording: croissants at 7');
    expect(await row.textContent()).toContain('Laptop wording: croissants from 7am');
    await section.getByRole('heading', { name: 'Overwritten values (1)' }).waitFor();
    await section.screenshot({ path: join(SHOTS, 'settings-sync-conflicts.png') });
    await section.getByRole('button', { name: 'Mark all as reviewed' }).click();
    await section.getByRole('heading', { name: 'Overwritten values', exact: true }).waitFor();
    expect(await section.getByRole('button', { name: 'Mark all as reviewed' }).count()).toBe(0);
    expect((await web!.call('posts.get', { postId: workspace.draftId })).content).toBe('Laptop wording: croissants from 7am');
    expect(problems).toEqual([]);
  }, 120_000);
});
