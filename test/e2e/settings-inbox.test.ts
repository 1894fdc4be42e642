// Settings → Inbox in real Chromium against the real web-mode process and its SQLite file, on the
// small bakery demo: the user adds a flagged keyword, a flagged phrase and an ignore example to the
// demo's rules, saves and reloads (they stay, as the rules row holds them); turns auto-reply on for the demo Instagram
// account only after confirming the warning (cancelling first leaves it off); sees each account's
// polling and presses Refresh now (the outcome said as the engine recorded it); creates a saved
// reply, is told in words when a second one wants the same shortcut, and deletes one.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { seedDemo } from '../../db/seed';
import { DB_FILE_NAME } from '../../electron/core/app';
import { openBrowser } from '../helpers/browser';
import { tempDir } from '../helpers/db';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');

let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let data: { dir: string; cleanup: () => void };
let profile: { dir: string; cleanup: () => void };
let workspaceId = '';
let instagram: { id: string; label: string } = { id: '', label: '' };
let initial: { k: string[]; p: string[]; i: string[] } = { k: [], p: [], i: [] };
const problems: string[] = [];

function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(data.dir, DB_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const rulesRow = () =>
  readDb(
    (d) =>
      d.prepare('SELECT flagged_keywords AS k, flagged_phrases AS p, ignore_examples AS i, ai_enabled_for_chats AS chats FROM ai_settings WHERE workspace_id = ?').get(workspaceId) as
        | { k: string; p: string; i: string; chats: number }
        | undefined,
  );
const autoReplyOf = (accountId: string) =>
  readDb((d) => {
    const row = d.prepare('SELECT metadata FROM accounts WHERE id = ?').get(accountId) as { metadata: string };
    const meta = JSON.parse(row.metadata) as { inbox?: { autoReply?: unknown } };
    return meta.inbox?.autoReply ?? null;
  });
const savedReplyRows = () =>
  readDb((d) => d.prepare('SELECT id, title, content, shortcut FROM saved_replies WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY title').all(workspaceId) as { id: string; title: string; content: string; shortcut: string | null }[]);

const section = () => page.getByRole('region', { name: 'Inbox', exact: true });
const rules = () => section().getByTestId('inbox-rules');

async function openSettings(): Promise<void> {
  await page.locator('html[data-app="ready"]').waitFor();
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings', exact: true }).waitFor();
  await rules().getByRole('button', { name: 'Save rules' }).waitFor();
}

async function chipTexts(list: Locator): Promise<string[]> {
  return list.evaluateAll((els) => els.map((e) => e.textContent ?? ''));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  data = tempDir('postdesk-settings-inbox-e2e-');
  const db = openDatabase({ file: join(data.dir, DB_FILE_NAME) });
  try {
    workspaceId = seedDemo(db, { scale: 'small', seed: 7, brand: 'bakery', now: Date.now() - 60_000 }).workspaceId;
    const row = db.sqlite
      .prepare("SELECT id, coalesce(username, display_name) AS label FROM accounts WHERE workspace_id = ? AND platform = 'instagram' AND deleted_at IS NULL")
      .get(workspaceId) as { id: string; label: string };
    instagram = row;
  } finally {
    db.close();
  }
  web = await spawnWebCli({ dataDir: data.dir });
  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  profile?.cleanup();
  data?.cleanup();
});

describe('Settings → Inbox in Chromium (web mode, small demo)', () => {
  it('given the demo’s rules, when the user adds a keyword, a phrase and an ignore example and saves, then the rules row holds them after the old ones', async () => {
    await page.goto(web.openUrl);
    await openSettings();
    const before = rulesRow();
    initial = {
      k: JSON.parse(before?.k ?? '[]') as string[],
      p: JSON.parse(before?.p ?? '[]') as string[],
      i: JSON.parse(before?.i ?? '[]') as string[],
    };
    await expect.poll(() => chipTexts(rules().locator('.tag-input__text'))).toEqual(initial.k);

    const keywords = rules().getByLabel('Flagged keywords');
    await keywords.fill('mouldy');
    await keywords.press('Enter');
    // The same word in another case is one rule.
    await keywords.fill('Mouldy');
    await keywords.press(',');
    expect(await chipTexts(rules().locator('.tag-input__text'))).toEqual([...initial.k, 'mouldy']);

    const phrase = rules().getByLabel('Flagged phrases');
    await phrase.fill('the cake  was stale');
    await phrase.press('Enter');
    const example = rules().getByLabel('Ignore examples');
    await example.fill('thanks a million!');
    await rules().getByRole('button', { name: 'Add example' }).click();
    expect(await chipTexts(rules().locator('.list-editor__text'))).toEqual([...initial.p, 'the cake was stale', ...initial.i, 'thanks a million!']);
    // Each list says what it does.
    expect(await rules().textContent()).toContain('Escalate: a message with any of these words');
    expect(await rules().textContent()).toContain('Set aside:');
    // No endpoint yet: AI triage says what it needs.
    expect(await rules().getByTestId('inbox-ai-note').textContent()).toContain('AI triage needs an AI endpoint');

    // Nothing is stored before Save.
    expect(rulesRow()?.k).toBe(before?.k);
    await rules().getByRole('button', { name: 'Save rules' }).click();
    await expect.poll(() => rules().getByRole('status').textContent()).toBe('Saved');
    const row = rulesRow();
    expect(JSON.parse(row?.k ?? 'null')).toEqual([...initial.k, 'mouldy']);
    expect(JSON.parse(row?.p ?? 'null')).toEqual([...initial.p, 'the cake was stale']);
    expect(JSON.parse(row?.i ?? 'null')).toEqual([...initial.i, 'thanks a million!']);
    expect(row?.chats).toBe(1);
  });

  it('when the page is reloaded, then the saved rules are shown again', async () => {
    await page.reload();
    await openSettings();
    await expect.poll(() => chipTexts(rules().locator('.tag-input__text'))).toEqual([...initial.k, 'mouldy']);
    expect(await chipTexts(rules().locator('.list-editor__text'))).toEqual([...initial.p, 'the cake was stale', ...initial.i, 'thanks a million!']);
    expect(await rules().getByRole('button', { name: 'Save rules' }).isDisabled()).toBe(true);
  });

  it('given the demo Instagram account, when the user turns auto-reply on, then it happens only after confirming the warning', async () => {
    const accounts = section().getByTestId('inbox-accounts');
    const row = accounts.locator(`[data-account-id="${instagram.id}"]`);
    await row.waitFor();
    const toggle = row.getByRole('switch');
    expect(await toggle.isChecked()).toBe(false);
    expect(autoReplyOf(instagram.id)).toBeNull();

    // Cancelling leaves it off.
    await toggle.click();
    const dialog = page.getByRole('dialog', { name: /^Let Postdesk reply on its own for / });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Postdesk may send AI-written replies from this account without you reading them first');
    expect(await dialog.textContent()).toContain('Every automatic send is marked “AI reply”');
    await page.screenshot({ path: join(SHOTS, 'settings-inbox-autoreply.png') });
    await dialog.getByRole('button', { name: 'Keep it off' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await toggle.isChecked()).toBe(false);
    expect(autoReplyOf(instagram.id)).toBeNull();

    await toggle.click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Turn on auto-reply' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => toggle.isChecked()).toBe(true);
    expect(autoReplyOf(instagram.id)).toBe(true);
    expect(await row.textContent()).toContain('Auto-reply on');

    // The others stay off.
    const others = readDb((d) => d.prepare('SELECT id FROM accounts WHERE workspace_id = ? AND id <> ?').all(workspaceId, instagram.id) as { id: string }[]);
    for (const o of others) expect(autoReplyOf(o.id)).not.toBe(true);

    // After a reload it is still on.
    await page.reload();
    await section().getByTestId('inbox-accounts').locator(`[data-account-id="${instagram.id}"]`).getByRole('switch').waitFor();
    await expect.poll(() => section().getByTestId('inbox-accounts').locator(`[data-account-id="${instagram.id}"]`).getByRole('switch').isChecked()).toBe(true);
  });

  it('given accounts that are not really connected, when the user presses Refresh now, then each one’s polling is said in words, as the engine recorded it', async () => {
    const accounts = section().getByTestId('inbox-accounts');
    const polled = readDb((d) => d.prepare('SELECT count(*) AS n FROM accounts WHERE workspace_id = ? AND deleted_at IS NULL').get(workspaceId) as { n: number }).n;
    await expect.poll(() => accounts.getByTestId('inbox-account').count()).toBe(polled);
    await accounts.getByRole('button', { name: 'Refresh now' }).click();
    const live = accounts.locator('.set-live');
    await expect.poll(async () => (await live.textContent()) ?? '', { timeout: 30_000 }).toMatch(/^(Nothing new|\d+ new messages?|1 new message)/);
    const states = readDb(
      (d) =>
        d
          .prepare('SELECT s.account_id AS id, s.last_error AS e, s.last_poll_at AS at FROM inbox_poll_state s JOIN accounts a ON a.id = s.account_id WHERE a.workspace_id = ?')
          .all(workspaceId) as { id: string; e: string | null; at: number | null }[],
    );
    expect(states.length).toBe(polled);
    for (const s of states) {
      const row = accounts.locator(`[data-account-id="${s.id}"]`);
      await expect.poll(() => row.textContent()).toContain(s.at === null ? 'Not checked yet' : 'Checked ');
      if (s.e) await expect.poll(() => row.textContent()).toContain(`Last check failed: ${s.e}`);
      expect(await row.textContent()).toMatch(/every \d+ min|reconnected/);
    }
    await page.screenshot({ path: join(SHOTS, 'settings-inbox-accounts.png') });
  });

  it('when the user creates a saved reply, then it is listed and stored; a second with the same shortcut is refused in words', async () => {
    const card = section().getByTestId('saved-replies');
    const before = savedReplyRows();
    await card.getByRole('button', { name: 'New saved reply' }).click();
    const dialog = page.getByRole('dialog', { name: 'New saved reply' });
    await dialog.waitFor();
    // Empty: said on the fields, nothing stored.
    await dialog.getByRole('button', { name: 'Save reply' }).click();
    await expect.poll(() => dialog.getByText('Give it a title, so you can find it in the / menu.').count()).toBe(1);
    await dialog.getByLabel('Title').fill('Gift cards');
    await dialog.getByLabel(/^Shortcut/).fill('/gift');
    await dialog.getByLabel('Text').fill('Gift cards come in $25, $50 and $100 and never expire. Ask at the counter or reply here.');
    await dialog.getByRole('button', { name: 'Save reply' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const item = card.getByTestId('saved-reply').filter({ hasText: 'Gift cards' });
    await item.waitFor();
    expect(await item.textContent()).toContain('/gift');
    const rows = savedReplyRows();
    expect(rows.length).toBe(before.length + 1);
    expect(rows.find((r) => r.title === 'Gift cards')).toMatchObject({ shortcut: 'gift', content: 'Gift cards come in $25, $50 and $100 and never expire. Ask at the counter or reply here.' });

    await card.getByRole('button', { name: 'New saved reply' }).click();
    await dialog.waitFor();
    await dialog.getByLabel('Title').fill('Gift vouchers');
    await dialog.getByLabel(/^Shortcut/).fill('GIFT');
    await dialog.getByLabel('Text').fill('Vouchers too.');
    await dialog.getByRole('button', { name: 'Save reply' }).click();
    const shortcut = dialog.getByLabel(/^Shortcut/);
    await expect.poll(() => shortcut.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.textContent()).toContain('The shortcut /GIFT already belongs to "Gift cards"');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(savedReplyRows().length).toBe(before.length + 1);
  });

  it('when the user edits and then deletes the saved reply, then the database follows', async () => {
    const card = section().getByTestId('saved-replies');
    const item = card.getByTestId('saved-reply').filter({ hasText: 'Gift cards' });
    await item.getByRole('button', { name: 'Edit Gift cards' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit “Gift cards”' });
    await dialog.waitFor();
    expect(await dialog.getByLabel(/^Shortcut/).inputValue()).toBe('gift');
    await dialog.getByLabel('Title').fill('Gift cards and vouchers');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await card.getByTestId('saved-reply').filter({ hasText: 'Gift cards and vouchers' }).waitFor();
    expect(savedReplyRows().find((r) => r.shortcut === 'gift')?.title).toBe('Gift cards and vouchers');

    await card.getByRole('button', { name: 'Delete Gift cards and vouchers' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Gift cards and vouchers”?' });
    await confirm.getByRole('button', { name: 'Delete reply' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(() => card.getByTestId('saved-reply').filter({ hasText: 'Gift cards' }).count()).toBe(0);
    expect(savedReplyRows().some((r) => r.title.startsWith('Gift'))).toBe(false);
    await section().screenshot({ path: join(SHOTS, 'settings-inbox.png') });
  });

  it('then nothing went wrong in the page', () => {
    expect(problems).toEqual([]);
  });
});
