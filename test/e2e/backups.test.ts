// Settings → Backups in real Chromium against the real web-mode process: Back up now shows
// progress and lists a verified copy; and a damaged database file opens on the recovery screen,
// whose Restore brings the app back on the newest good backup.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { seedDemo } from '../../db/seed';
import { DB_FILE_NAME } from '../../electron/core/app';
import { openBrowser } from '../helpers/browser';
import { tempDir } from '../helpers/db';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');

let web: SpawnedWeb | undefined;
let context: BrowserContext;
let page: Page;
let data: { dir: string; cleanup: () => void };
let profile: { dir: string; cleanup: () => void };
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  data = tempDir('postdesk-backups-e2e-');
  const db = openDatabase({ file: join(data.dir, DB_FILE_NAME) });
  try {
    seedDemo(db, { scale: 'small', seed: 11, brand: 'bakery', now: Date.now() - 60_000 });
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

describe('Settings → Backups in Chromium (web mode)', () => {
  it('given the demo data, when Back up now is clicked, then a verified backup is listed and is in the backups folder', async () => {
    await page.goto(web!.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings', exact: true }).waitFor();
    const section = page.getByRole('region', { name: 'Backups' });
    await section.scrollIntoViewIfNeeded();
    await section.getByText(/No backups yet/).waitFor();

    await section.getByRole('button', { name: 'Back up now' }).click();
    const row = section.getByTestId('backup-row').first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('Backed up by you');
    expect(await row.textContent()).toContain('Verified');
    await section.getByRole('button', { name: 'Back up now' }).waitFor();
    const files = readdirSync(join(data.dir, 'backups')).filter((n) => n.endsWith('-manual.db'));
    expect(files).toHaveLength(1);
    expect(statSync(join(data.dir, 'backups', files[0]!)).size).toBeGreaterThan(0);
    await section.screenshot({ path: join(SHOTS, 'settings-backups.png') });
    expect(problems).toEqual([]);
  }, 90_000);

  it('given the database file then damaged, when Postdesk opens on it, then the recovery screen offers the newest good backup and restoring it brings the app back', async () => {
    // Leave the page first, so its event socket does not retry the engine being stopped.
    await page.goto('about:blank');
    problems.length = 0;
    await web!.cleanup();
    web = undefined;
    const file = join(data.dir, DB_FILE_NAME);
    // Overwrite every other page past the schema, as a failing disk would.
    const pages = Math.floor(statSync(file).size / 4096);
    const fd = openSync(file, 'r+');
    try {
      for (let p = 2; p < pages; p += 2) writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, p * 4096);
    } finally {
      closeSync(fd);
    }
    web = await spawnWebCli({ dataDir: data.dir });
    await page.goto(web.openUrl);
    await page.getByRole('heading', { name: 'Your database file is damaged' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Restore the newest good backup' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
    await dialog.getByText(/kept aside/).waitFor();
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.locator('html[data-app="ready"]').waitFor({ timeout: 30_000 });
    const kept = readdirSync(data.dir).filter((n) => n.startsWith(`${DB_FILE_NAME}.damaged-`) && !n.endsWith('-wal') && !n.endsWith('-shm'));
    expect(kept).toHaveLength(1);
    expect(existsSync(file)).toBe(true);
    // Ignore the failed loads the damaged engine answered before the restore.
    expect(problems.filter((p) => !/damaged|503/.test(p))).toEqual([]);
  }, 120_000);
});
