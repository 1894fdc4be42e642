// Settings → Export and import in real Chromium against two real web-mode processes: the demo
// workspace is exported from the first one (progress, then a browser download of the archive),
// and the downloaded file is uploaded to the second one, inspected and imported there; the second
// database then holds the workspace with the same ids.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { seedDemo } from '../../db/seed';
import { DB_FILE_NAME } from '../../electron/core/app';
import { readArchiveManifest } from '../../electron/core/archive/archive';
import { openBrowser } from '../helpers/browser';
import { tempDir } from '../helpers/db';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');

let source: SpawnedWeb;
let target: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
const dataA = tempDir('postdesk-archive-e2e-a-');
const dataB = tempDir('postdesk-archive-e2e-b-');
const downloads = tempDir('postdesk-archive-e2e-dl-');
let workspaceId = '';
let downloaded = '';
const problems: string[] = [];

function ids(dir: string, table: string): string[] {
  const db = new Database(join(dir, DB_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT id FROM ${table} WHERE workspace_id = ? ORDER BY id`).all(workspaceId) as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const [dir, seed, name] of [
    [dataA.dir, 8, undefined],
    [dataB.dir, 9, 'Harbour Deli'],
  ] as const) {
    const db = openDatabase({ file: join(dir, DB_FILE_NAME) });
    try {
      const id = seedDemo(db, { scale: 'small', seed, brand: 'bakery', now: Date.now() - 60_000, ...(name ? { workspaceName: name } : {}) }).workspaceId;
      if (dir === dataA.dir) workspaceId = id;
    } finally {
      db.close();
    }
  }
  source = await spawnWebCli({ dataDir: dataA.dir });
  target = await spawnWebCli({ dataDir: dataB.dir, build: false });
  ({ context, page, profile } = await openBrowser(problems));
}, 180_000);

afterAll(async () => {
  await context?.close();
  await source?.cleanup();
  await target?.cleanup();
  profile?.cleanup();
  dataA.cleanup();
  dataB.cleanup();
  downloads.cleanup();
});

async function openSettings(url: string): Promise<void> {
  await page.goto(url);
  await page.locator('html[data-app="ready"]').waitFor();
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: 'Export and import' }).waitFor();
}

describe('Settings → Export and import in Chromium (web mode)', () => {
  it('given the demo workspace, when it is exported from Settings, then progress shows, the archive downloads and its manifest names the workspace', async () => {
    await openSettings(source.openUrl);
    const form = page.getByRole('form', { name: 'Export this workspace' });
    const download = page.waitForEvent('download', { timeout: 90_000 });
    await form.getByRole('button', { name: 'Export workspace' }).click();
    await page.getByTestId('archive-export-result').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('archive-export-result').textContent()).toMatch(/^Exported [\d,]+ rows and \d+ media files/);
    const d = await download;
    downloaded = join(downloads.dir, d.suggestedFilename());
    await d.saveAs(downloaded);
    expect(d.suggestedFilename()).toMatch(/\.postdesk\.tgz$/);
    const manifest = await readArchiveManifest(downloaded);
    expect(manifest.workspace.id).toBe(workspaceId);
    expect(manifest.secrets).toBeNull();
    await page.locator('section[aria-labelledby="archive-title"]').screenshot({ path: join(SHOTS, 'archive-exported.png') });
  }, 120_000);

  it('given the downloaded archive, when it is uploaded to another install and imported, then that install holds the workspace with the same ids', async () => {
    expect(downloaded).not.toBe('');
    await openSettings(target.openUrl);
    await page.getByTestId('archive-file').setInputFiles(downloaded);
    const summary = page.getByTestId('archive-summary');
    await summary.waitFor({ timeout: 60_000 });
    const name = (await summary.locator('strong').first().textContent()) ?? '';
    expect(name.length).toBeGreaterThan(0);
    await page.getByRole('form', { name: 'Import a workspace' }).getByRole('button', { name: `Import ${name}` }).click();
    await page.getByText(`${name} imported`).waitFor({ timeout: 90_000 });
    expect(ids(dataB.dir, 'posts')).toEqual(ids(dataA.dir, 'posts'));
    expect(ids(dataB.dir, 'conversations')).toEqual(ids(dataA.dir, 'conversations'));
    expect(problems).toEqual([]);
    await page.locator('section[aria-labelledby="archive-title"]').screenshot({ path: join(SHOTS, 'archive-imported.png') });
  }, 120_000);
});
