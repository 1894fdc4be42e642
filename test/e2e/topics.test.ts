// AI Studio → Topics in real Chromium against the real web-mode process (bundled topics worker):
// a demo data folder with a labelled inbox added (refunds, shipping delays, praise, pricing),
// Run analysis shows progress and then topics largest first with keywords and samples, and a
// sample's "Open conversation" opens that thread in the Inbox.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { seedDemo } from '../../db/seed';
import { DB_FILE_NAME } from '../../electron/core/app';
import { labelledInbox } from '../fixtures/topics/corpus';
import { openBrowser } from '../helpers/browser';
import { tempDir } from '../helpers/db';
import { addAccount, addThread } from '../helpers/inbox-threads';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let data: { dir: string; cleanup: () => void };
let profile: { dir: string; cleanup: () => void };
let workspaceId = '';
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  data = tempDir('postdesk-topics-e2e-');
  const db = openDatabase({ file: join(data.dir, DB_FILE_NAME) });
  try {
    const now = Date.now();
    workspaceId = seedDemo(db, { scale: 'small', seed: 8, brand: 'bakery', now: now - 60_000 }).workspaceId;
    const account = addAccount(db, workspaceId, 'bluesky', 'topics-e2e');
    labelledInbox().forEach((m, i) => {
      addThread(db, { workspaceId, accountId: account, name: `Customer ${i + 1}`, messages: [{ content: m.content, sentAt: now - 3_600_000 - i * 60_000 }] });
    });
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

function conversationOf(messageText: string): string | undefined {
  const db = new Database(join(data.dir, DB_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(`SELECT conversation_id AS id FROM conversation_messages WHERE workspace_id = ? AND direction = 'inbound' AND content = ?`)
      .get(workspaceId, messageText) as { id: string } | undefined;
    return row?.id;
  } finally {
    db.close();
  }
}

describe('Topics in Chromium (web mode)', () => {
  it('given a labelled inbox, when an analysis is run from AI Studio, then topics show with keywords and a sample opens its conversation', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'AI Studio', exact: true }).click();
    await page.getByRole('tab', { name: 'Topics' }).click();
    await page.getByRole('heading', { name: 'What customers write about' }).waitFor();

    await page.getByLabel('Period').selectOption('7');
    await page.getByRole('button', { name: 'Run analysis' }).click();
    const list = page.getByRole('list', { name: 'Topics, largest first' });
    await list.waitFor({ timeout: 120_000 });
    await page.locator('.topics__summary').waitFor();
    expect(await page.locator('.topics__summary').textContent()).toMatch(/messages from .* · \d+ topics? .*labels from keywords/);
    expect(await page.getByText('no AI endpoint is set up').count()).toBe(1);

    const topics = list.locator('li.topic');
    expect(await topics.count()).toBeGreaterThanOrEqual(4);
    const keywords = (await list.getByRole('list', { name: 'Keywords' }).allTextContents()).join(' ');
    for (const word of ['refund', 'price', 'love']) expect(keywords).toContain(word);
    // Largest first (the outliers' group, if any, comes last).
    const counts = (await topics.locator('.topic__count').allTextContents()).map((t) => Number(t.replace(/[^\d].*$/, '')));
    const themed = (await topics.evaluateAll((els) => els.map((e) => e.classList.contains('topic--outliers')))).map((o, i) => (o ? -1 : counts[i]!)).filter((c) => c >= 0);
    expect(themed).toEqual([...themed].sort((a, b) => b - a));
    await page.screenshot({ path: join(SHOTS, 'topics.png'), fullPage: true });

    // A sample opens its own conversation in the Inbox.
    const first = topics.first().locator('.topic__sample').first();
    const sampleText = (await first.locator('.topic__text').textContent()) ?? '';
    const conversationId = conversationOf(sampleText);
    expect(conversationId).toBeDefined();
    await first.getByRole('link', { name: 'Open conversation' }).click();
    await page.waitForURL((u) => u.hash.startsWith('#/inbox?') && new URLSearchParams(u.hash.split('?')[1]).get('open') === conversationId);
    await page.getByText(sampleText, { exact: true }).last().waitFor();
    expect(problems).toEqual([]);
  }, 180_000);
});
