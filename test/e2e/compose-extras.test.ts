// Compose's signatures and saved hashtag groups in real Chromium against the real web-mode process
// and its SQLite file. Signatures: the user makes a default one in the dialog, adds it to the post
// (the draft and Bluesky's counter include it), takes it off again, and is refused — with the
// count — when it would push the post over Bluesky's 300 graphemes. Hashtag groups: the ones an
// older version kept in the window's localStorage move into the database on the first visit (and
// leave localStorage), a new one is saved there, and all of them survive a wiped browser profile.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/schema/columns';
import { openBrowser } from '../helpers/browser';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const HANDLE = 'kofi-and-crumb.bsky.social';
const SIGNATURE = '— Kōfi & Crumb, Leith 🥐';
const TEXT = 'Rye is back on Thursday.';

let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
let workspaceId = '';
const problems: string[] = [];

function readDb<T>(fn: (db: Database.Database) => T, readonly = true): T {
  const db = new Database(join(web.dataDir, 'postdesk.db'), { readonly, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
const draftContent = () => readDb((db) => (db.prepare('SELECT content FROM posts WHERE deleted_at IS NULL').get() as { content: string } | undefined)?.content);
const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;

const mainText = () => page.getByRole('textbox', { name: 'Post text' });
const counter = () => page.locator('.cmp-counters').getByTestId('char-count');
const dialog = () => page.getByRole('dialog', { name: 'Signatures' });
const nav = (name: string) => page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name, exact: true });
const groupNames = () => page.getByTestId('hashtag-group').evaluateAll((els) => els.map((e) => e.querySelector('.cmp-pill__main')?.childNodes[1]?.textContent ?? ''));
const groupRows = () =>
  readDb((db) => (db.prepare('SELECT name, hashtags FROM hashtag_groups WHERE deleted_at IS NULL ORDER BY name').all() as { name: string; hashtags: string }[]).map((r) => ({ name: r.name, hashtags: JSON.parse(r.hashtags) as string[] })));

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await spawnWebCli();
  const ws = await web.call('workspaces.create', { name: 'Kōfi & Crumb', timezone: 'Europe/London' });
  workspaceId = ws.id;
  // A connected Bluesky account without a sign-in: composing only needs the row.
  readDb((db) => {
    const now = Date.now();
    db.prepare(
      `INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username, display_name, auth_kind, status, created_at, updated_at)
       VALUES (?, ?, 'bluesky', 'did:plc:kofiextras', ?, 'Kōfi & Crumb', 'app_password', 'active', ?, ?)`,
    ).run(newId(), workspaceId, HANDLE, now, now);
  }, false);
  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  profile?.cleanup();
});

describe('Compose signatures and hashtag groups in Chromium (web mode)', () => {
  it('given a draft for Bluesky, when the user makes a default signature in the dialog and adds it, then the text and Bluesky’s count include it and the draft is saved with it', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await nav('Compose').click();
    await page.getByRole('heading', { level: 1, name: 'New post' }).waitFor();
    await page.getByRole('button', { name: `@${HANDLE} on Bluesky`, exact: true }).click();
    await mainText().fill(TEXT);

    await page.getByRole('button', { name: 'Signatures…' }).click();
    await dialog().waitFor();
    await dialog().getByText('No signatures yet.').waitFor();
    await dialog().getByRole('button', { name: 'New signature' }).click();
    await dialog().getByLabel('Name').fill('Shop');
    await dialog().getByLabel('Text').fill(SIGNATURE);
    await dialog().getByLabel(/^Default/).check();
    await dialog().getByRole('button', { name: 'Save signature' }).click();

    const item = dialog().getByTestId('signature').filter({ hasText: 'Shop' });
    await item.waitFor();
    const withSignature = `${TEXT}\n\n${SIGNATURE}`;
    expect(await item.getByTestId('signature-fit').textContent()).toBe(`Bluesky ${graphemes(withSignature)}/300`);
    expect(await item.textContent()).toContain('Default');
    await page.screenshot({ path: join(SHOTS, 'page-compose-signatures.png') });
    await item.getByRole('button', { name: 'Add to the post' }).click();
    await dialog().waitFor({ state: 'hidden' });

    expect(await mainText().inputValue()).toBe(withSignature);
    expect(await counter().textContent()).toContain(`${graphemes(withSignature)}/300`);
    await expect.poll(draftContent, { timeout: 10_000 }).toBe(withSignature);
    expect(readDb((db) => db.prepare('SELECT name, content, is_default FROM signatures').all())).toEqual([{ name: 'Shop', content: SIGNATURE, is_default: 1 }]);
    // Already on: the one-click button does not offer it again.
    expect(await page.getByRole('button', { name: 'Add signature “Shop”' }).count()).toBe(0);
  });

  it('when the user takes it off in the dialog, then the text is as typed; the toolbar then offers the default in one click', async () => {
    await page.getByRole('button', { name: 'Signatures…' }).click();
    await dialog().getByTestId('signature').filter({ hasText: 'Shop' }).getByRole('button', { name: 'Take it off' }).click();
    await dialog().waitFor({ state: 'hidden' });
    expect(await mainText().inputValue()).toBe(TEXT);
    await page.getByRole('button', { name: 'Add signature “Shop”' }).click();
    expect(await mainText().inputValue()).toBe(`${TEXT}\n\n${SIGNATURE}`);
  });

  it('given a text with 10 graphemes left on Bluesky, then the signature is refused with the count, in the dialog and on the toolbar', async () => {
    const long = `${'🍞'.repeat(290)}`;
    await mainText().fill(long);
    const quick = page.getByRole('button', { name: 'Add signature “Shop”' });
    await quick.waitFor();
    expect(await quick.isDisabled()).toBe(true);
    expect(await quick.getAttribute('title')).toContain(`too long for Bluesky (${290 + 2 + graphemes(SIGNATURE)} of 300)`);

    await page.getByRole('button', { name: 'Signatures…' }).click();
    const item = dialog().getByTestId('signature').filter({ hasText: 'Shop' });
    expect(await item.getByTestId('signature-fit').textContent()).toBe(`Too long for Bluesky (${290 + 2 + graphemes(SIGNATURE)} of 300)`);
    expect(await item.getByRole('button', { name: 'Add to the post' }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    expect(await mainText().inputValue()).toBe(long);
  });

  it('given hashtag groups an older version kept in localStorage, when Compose opens, then they move into the workspace’s database, in order, and leave localStorage', async () => {
    const key = `postdesk.hashtagGroups.${workspaceId}`;
    const legacy = [
      { name: 'Bakery', tags: ['#bread', '#sourdough'] },
      { name: 'Coffee', tags: ['#flatwhite'] },
    ];
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, JSON.stringify(legacy)] as const);
    await nav('Calendar').click();
    await nav('Compose').click();
    await expect.poll(() => groupNames()).toEqual(['Bakery', 'Coffee']);
    expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBeNull();
    expect(groupRows()).toEqual([
      { name: 'Bakery', hashtags: ['#bread', '#sourdough'] },
      { name: 'Coffee', hashtags: ['#flatwhite'] },
    ]);
  });

  it('when the user adds a group and saves the tags as a new one, then it is saved in the database and shown first', async () => {
    await page.getByTestId('hashtag-group').filter({ hasText: 'Bakery' }).getByRole('button', { name: /^Bakery/ }).click();
    await page.getByRole('button', { name: 'Save these as a group…' }).click();
    await page.getByLabel('Group name').fill('Loaves');
    await page.getByRole('button', { name: 'Save group' }).click();
    await expect.poll(() => groupNames()).toEqual(['Loaves', 'Bakery', 'Coffee']);
    expect(groupRows().find((g) => g.name === 'Loaves')).toEqual({ name: 'Loaves', hashtags: ['#bread', '#sourdough'] });
  });

  it('given the browser forgets everything it stored (a reinstall), when Compose opens again, then the groups are all still there', async () => {
    await page.evaluate(() => localStorage.clear());
    await nav('Calendar').click();
    await nav('Compose').click();
    await expect.poll(() => groupNames()).toEqual(['Loaves', 'Bakery', 'Coffee']);
    await page.screenshot({ path: join(SHOTS, 'page-compose-hashtag-groups.png') });
  });

  it('then nothing went wrong in the page: no script errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
