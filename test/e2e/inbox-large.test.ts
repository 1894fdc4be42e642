// The Inbox on the large demo data (issue 2's scale: 100k conversations, 1M messages) in real
// Chromium through the real web-mode process: open the inbox, filter unread, search a word, open
// a thread, reply, close it with the keyboard — each step answering as fast as on a small inbox.
// The data takes about two minutes to build; set POSTDESK_LARGE_DEMO_DIR to a folder to keep it
// between runs (it is rebuilt only when missing or out of date).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
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

const list = () => page.getByTestId('inbox-list');
const rows = () => list().getByTestId('inbox-row');
const thread = () => page.getByTestId('inbox-thread');
const settled = () => page.locator('[data-testid="inbox-panel"][aria-busy="false"]').waitFor();
const openIdInUrl = () => new URL(page.url().replace('#/', '')).searchParams.get('open');

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
  const keep = process.env.POSTDESK_LARGE_DEMO_DIR;
  if (keep) {
    mkdirSync(keep, { recursive: true });
    data = { dir: keep, cleanup: () => undefined };
  } else {
    data = tempDir('postdesk-inbox-large-');
  }
  demo = largeDemo(data.dir, (line) => process.stderr.write(`${line}\n`));
  web = await spawnWebCli({ dataDir: data.dir, timeoutMs: 60_000 });
  ({ context, page, profile } = await openBrowser(problems));
}, 900_000);

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  profile?.cleanup();
  data?.cleanup();
});

describe('Inbox in Chromium on 100k conversations and 1M messages', () => {
  it('given the large demo, when the user opens the inbox, then the first rows show with the true count', async () => {
    const counts = readDb((d) => ({
      messages: (d.prepare('SELECT count(*) AS n FROM conversation_messages').get() as { n: number }).n,
      conversations: (d.prepare('SELECT count(*) AS n FROM conversations WHERE workspace_id = ?').get(demo.workspaceId) as { n: number }).n,
    }));
    expect(counts.messages).toBeGreaterThanOrEqual(1_000_000);
    expect(counts.conversations).toBeGreaterThanOrEqual(100_000);

    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    const t0 = Date.now();
    await page.goto(`${web.origin}/#/inbox`);
    await rows().first().waitFor();
    const firstRowsMs = Date.now() - t0;
    await settled();
    const open = readDb(
      (d) =>
        (d.prepare("SELECT count(*) AS n FROM conversations WHERE workspace_id = ? AND deleted_at IS NULL AND status = 'open' AND (snoozed_until IS NULL OR snoozed_until <= ?)").get(demo.workspaceId, Date.now()) as { n: number }).n,
    );
    await expect.poll(() => page.getByTestId('inbox-count').textContent()).toBe(`${open.toLocaleString('en-GB')} conversations`);
    // Generous for a loaded CI machine; the benchmark measures the real figure.
    expect(firstRowsMs).toBeLessThan(5_000);
    expect(await rows().count()).toBeLessThan(80);
  });

  it('given the Open list, when the user ticks Unread, then only unread conversations are listed, counted from the database', async () => {
    await page.getByRole('checkbox', { name: 'Unread' }).check();
    await expect.poll(() => page.url()).toContain('unread=1');
    await settled();
    const unread = readDb(
      (d) =>
        (d.prepare("SELECT count(*) AS n FROM conversations WHERE workspace_id = ? AND deleted_at IS NULL AND status = 'open' AND unread_count > 0 AND (snoozed_until IS NULL OR snoozed_until <= ?)").get(demo.workspaceId, Date.now()) as { n: number }).n,
    );
    expect(unread).toBeGreaterThan(100);
    await expect.poll(() => page.getByTestId('inbox-count').textContent()).toBe(`${unread.toLocaleString('en-GB')} conversations`);
    expect(await list().locator('.ib-row.is-unread').count()).toBe(await rows().count());
  });

  it('given 1M messages, when the user searches a word, then hits come back with the word marked', async () => {
    await list().focus();
    await page.keyboard.press('/');
    const t0 = Date.now();
    await page.keyboard.type('sourdough');
    const results = page.getByTestId('inbox-search-results');
    // A stall between two keys can show a prefix's hits first ("sou" marks "soup"); the word's own follow.
    await expect
      .poll(
        async () => {
          const marks = await results.locator('mark').allTextContents();
          return marks.length > 0 && marks.every((m) => m.toLowerCase().includes('sourdough'));
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBe(true);
    const searchMs = Date.now() - t0;
    expect(searchMs).toBeLessThan(5_000);
    await page.getByRole('searchbox', { name: 'Search messages' }).press('Escape');
    await rows().first().waitFor();
  });

  it('given a Mastodon conversation, when the user opens it, replies and presses e, then the reply is stored, it is read and closed, and the next one opens', async () => {
    // Mastodon has no reply window; Meta's 24 h window has closed on most of the demo's history.
    await page.goto(`${web.origin}/#/inbox?platform=mastodon`);
    await rows().first().waitFor();
    await settled();
    await list().focus();
    const id = (await rows().first().getAttribute('data-conversation-id')) ?? '';
    const nextId = await rows().nth(1).getAttribute('data-conversation-id');
    await page.keyboard.press('Enter');
    await expect.poll(() => openIdInUrl()).toBe(id);
    await thread().locator('[data-message-id]').first().waitFor();
    await expect.poll(() => readDb((d) => (d.prepare('SELECT unread_count AS n FROM conversations WHERE id = ?').get(id) as { n: number }).n)).toBe(0);
    expect(await page.getByTestId('reply-box').locator('textarea').isEnabled()).toBe(true);

    await page.keyboard.press('r');
    const text = `We have sourdough until noon today — see you soon! ${Date.now()}`;
    await page.keyboard.type(text);
    await page.keyboard.press('Control+Enter');
    await thread().locator('.ib-msg--out', { hasText: text }).waitFor();
    const stored = readDb((d) => d.prepare('SELECT direction, status FROM conversation_messages WHERE conversation_id = ? AND content = ?').get(id, text) as { direction: string; status: string } | undefined);
    expect(stored?.direction).toBe('outbound');

    await page.keyboard.press('Escape');
    await page.keyboard.press('e');
    await expect.poll(() => readDb((d) => (d.prepare('SELECT status FROM conversations WHERE id = ?').get(id) as { status: string }).status)).toBe('closed');
    await expect.poll(() => openIdInUrl()).toBe(nextId);
    await page.screenshot({ path: join(SHOTS, 'inbox-large.png') });
    expect(problems).toEqual([]);
  });
});
