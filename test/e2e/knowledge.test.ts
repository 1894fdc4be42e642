// The Knowledge page in real Chromium against the real web-mode process and a seeded demo data
// folder: a small Markdown document picked with Import and an FAQ .csv dropped on the documents
// area travel as text in the JSON body, the scheduler indexes the document while the page shows
// its status, and "Test a question" puts the new document first for a question only it answers.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
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
const MD_NAME = 'lighthouse-weddings.md';
const MD = `# Lighthouse wedding catering

We cater weddings at the Point Reyes lighthouse from May to September.
The ferry crossing for cakes leaves the harbour at 7 am; tiered cakes travel chilled in our own van.

## Deposits

A lighthouse booking needs a 30% deposit, refundable until sixty days before the wedding.
`;
const CSV_NAME = 'faq.csv';
const CSV = `question,question 2,answer
Do you bake gluten-free sourdough?,Is there a gluten free loaf?,"Yes: our buckwheat sourdough is baked on Thursdays in a separate oven."
Can I freeze a croissant?,How do I store croissants?,"Freeze them the day you buy them; bake from frozen at 180 °C for 8 minutes."
`;

let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let data: { dir: string; cleanup: () => void };
let profile: { dir: string; cleanup: () => void };
let workspaceId = '';
const problems: string[] = [];

function openDb() {
  return new Database(join(data.dir, DB_FILE_NAME), { readonly: true, fileMustExist: true });
}

function documentRow(fileName: string): { id: string; title: string; status: string; chunk_count: number } | undefined {
  const db = openDb();
  try {
    return db
      .prepare('SELECT id, title, status, chunk_count FROM knowledge_documents WHERE workspace_id = ? AND file_name = ? AND deleted_at IS NULL')
      .get(workspaceId, fileName) as { id: string; title: string; status: string; chunk_count: number } | undefined;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  data = tempDir('postdesk-knowledge-e2e-');
  const db = openDatabase({ file: join(data.dir, DB_FILE_NAME) });
  try {
    workspaceId = seedDemo(db, { scale: 'small', seed: 8, brand: 'bakery', now: Date.now() - 60_000 }).workspaceId;
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

describe('Knowledge page in Chromium (web mode)', () => {
  it('given the demo workspace, when a .md is imported and an FAQ .csv dropped, then the document turns Indexed and the FAQ lists both entries with their phrasings', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Knowledge', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Knowledge', exact: true }).waitFor();
    await page.getByRole('list', { name: 'Documents' }).waitFor();

    await page.getByLabel('Choose files to import').setInputFiles({ name: MD_NAME, mimeType: 'text/markdown', buffer: Buffer.from(MD) });
    await page.getByText(`${MD_NAME} is being indexed.`).waitFor();
    const row = documentRow(MD_NAME);
    expect(row).toBeDefined();
    const item = page.locator(`li.kdoc[data-document-id="${row?.id ?? ''}"]`);
    await page.locator(`li.kdoc[data-document-id="${row?.id ?? ''}"][data-status="indexed"]`).waitFor({ timeout: 30_000 });
    expect(await item.getByTestId('document-status').textContent()).toBe('Indexed');
    const indexed = documentRow(MD_NAME);
    expect(indexed?.status).toBe('indexed');
    expect(indexed?.chunk_count).toBeGreaterThan(0);
    const passages = indexed?.chunk_count ?? 0;
    expect(await item.locator('.kdoc__meta').textContent()).toContain(`${passages} ${passages === 1 ? 'passage' : 'passages'}`);

    // Drop the CSV on the documents area as a file manager would.
    await page.evaluate(
      ({ name, text }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], name, { type: 'text/csv' }));
        const target = document.querySelector('.kdrop');
        if (!target) throw new Error('no drop area');
        target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { name: CSV_NAME, text: CSV },
    );
    const csvNotice = page.locator('.knotices p').filter({ hasText: CSV_NAME });
    await csvNotice.waitFor();
    expect(await csvNotice.textContent()).toBe(`${CSV_NAME}: 2 FAQ entries added, 0 updated.`);
    const faqs = page.getByRole('list', { name: 'FAQ entries' });
    await faqs.getByText('Is there a gluten free loaf?', { exact: true }).waitFor();
    await faqs.getByText('How do I store croissants?', { exact: true }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'knowledge-imported.png'), fullPage: true });
  }, 90_000);

  it('given the indexed document, when a question only it answers is tested, then it comes first with its per-method scores and the passage as plain text', async () => {
    const title = documentRow(MD_NAME)?.title ?? '';
    const panel = page.getByRole('search', { name: 'Test a question' });
    await panel.getByLabel('Question').fill('Can you cater our wedding at the lighthouse, and how does the cake cross on the ferry?');
    await panel.getByRole('button', { name: 'Search' }).click();
    const hits = page.getByTestId('knowledge-hit');
    await hits.first().waitFor();
    expect(await hits.first().locator('.khit__name').textContent()).toBe(title);
    const scores = await hits.first().locator('.khit__scores').textContent();
    expect(scores).toMatch(/Words#\d+ · bm25 [\d.]+/);
    expect(scores).toMatch(/Meaning#\d+ · [\d.]+/);
    expect(scores).toMatch(/Fused0\.\d{4}/);
    expect(await hits.first().locator('.khit__text').textContent()).toContain('lighthouse');

    // The FAQ answers its own phrasing in words-only mode too.
    await page.getByRole('radio', { name: 'Words' }).check();
    await panel.getByLabel('Question').fill('gluten free loaf');
    await panel.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => hits.first().locator('.badge').textContent()).toBe('FAQ');
    expect(await hits.first().locator('.khit__text').textContent()).toContain('buckwheat sourdough');
    expect(await hits.first().locator('.khit__scores').textContent()).toMatch(/Meaningno match/);
    await page.screenshot({ path: join(SHOTS, 'knowledge-test-question.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);
});
