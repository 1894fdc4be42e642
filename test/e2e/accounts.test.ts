// The Accounts page in real Chromium against the real web-mode process and a real Bluesky PDS
// running on loopback (@atproto/dev-env): a user with a fresh data folder creates a workspace,
// connects a Bluesky account with a handle and an app password typed into the page (a wrong
// password first, refused by the PDS and shown in the form), sees it listed as healthy, sets its
// default hashtags and monitoring rule, and disconnects it. Every step is checked against the
// SQLite file, and the page never holds the app password or a token.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser } from '../helpers/browser';
import { startTestPds, type TestPds, type TestPdsAccount } from '../helpers/pds';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const BRAND = 'Kōfi & Crumb';

let pds: TestPds;
let bsky: TestPdsAccount;
/** The PDS as the user types it: plain http is allowed to loopback only. */
let pdsAddress: string;
let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
const problems: string[] = [];

interface AccountRow {
  id: string;
  platform: string;
  username: string | null;
  status: string;
  server_url: string | null;
  metadata: string;
}

function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(web.dataDir, 'postdesk.db'), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const accountRows = () => readDb((db) => db.prepare('SELECT id, platform, username, status, server_url, metadata FROM accounts').all() as AccountRow[]);
const secretCount = (accountId: string) => readDb((db) => (db.prepare('SELECT count(*) AS n FROM account_secrets WHERE account_id = ?').get(accountId) as { n: number }).n);

const h1 = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const card = () => page.locator('article.acct-card').filter({ hasText: bsky.handle });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  pds = await startTestPds();
  bsky = await pds.createAccount();
  pdsAddress = pds.url.replace('://localhost:', '://127.0.0.1:');
  web = await spawnWebCli();
  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  await pds?.close();
  profile?.cleanup();
});

describe('Accounts page in Chromium (web mode, real Bluesky PDS)', () => {
  it('given a new workspace, when the user opens Accounts, then it invites them to connect the first account', async () => {
    await page.goto(web.openUrl);
    await h1('Welcome to Postdesk').waitFor();
    await page.getByLabel('Brand name', { exact: true }).fill(BRAND);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await h1(BRAND).waitFor();

    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Accounts', exact: true }).click();
    await h1('Accounts').waitFor();
    const empty = page.getByTestId('accounts-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain(`Connect ${BRAND}’s first account`);
    expect(accountRows()).toEqual([]);
  });

  it('given the Bluesky form, when the PDS refuses a wrong app password, then the form says so and keeps what was typed', async () => {
    await page.getByRole('button', { name: 'Connect account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect an account' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: /^Bluesky/ }).click();
    const form = page.getByRole('dialog', { name: 'Connect Bluesky' });
    await form.waitFor();

    const handle = form.getByLabel('Handle');
    const password = form.getByLabel('App password');
    // The first field has the focus; the password field hides what is typed and is not autofilled.
    await expect.poll(() => handle.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await password.getAttribute('type')).toBe('password');
    expect(await password.getAttribute('autocomplete')).toBe('off');
    expect(await form.getByLabel(/^Server \(PDS\)/).getAttribute('placeholder')).toBe('bsky.social');
    expect(await form.textContent()).toContain('Use an app password, not your main password');

    await handle.fill(bsky.handle);
    await password.fill('aaaa-bbbb-cccc-dddd');
    await form.getByLabel(/^Server \(PDS\)/).fill(pdsAddress);
    await password.press('Enter');
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Bluesky did not accept the sign-in.*Invalid identifier or password/);
    expect(await handle.inputValue()).toBe(bsky.handle);
    expect(accountRows()).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'page-accounts-refused.png') });
  });

  it('when the user enters the real app password, then the account is listed as healthy and its sign-in is sealed in the database', async () => {
    const form = page.getByRole('dialog', { name: 'Connect Bluesky' });
    await form.getByLabel('App password').fill(bsky.appPassword);
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await form.waitFor({ state: 'hidden' });

    await card().waitFor();
    expect(await card().getByTestId('account-health').textContent()).toBe('Healthy');
    await card().getByText('Connected and working.').waitFor();
    const sub = await card().locator('.acct-card__sub').textContent();
    expect(sub).toContain('Bluesky');
    expect(sub).toContain(`:${new URL(pds.url).port}`);
    // The new account has the focus (and a moment of highlight), not the button that opened the dialog.
    expect(await card().evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByText(/1 account · 1 healthy/).waitFor();

    const rows = accountRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platform: 'bluesky', username: bsky.handle, status: 'active' });
    expect(secretCount(rows[0]!.id)).toBe(1);
    // Nothing secret reached the page.
    const html = await page.content();
    expect(html).not.toContain(bsky.appPassword);
    await page.screenshot({ path: join(SHOTS, 'page-accounts.png') });
  });

  it('when the user sets default hashtags and the account’s own monitoring rule, then the database has them as the engine normalised them', async () => {
    await card().getByRole('button', { name: /^Defaults & monitoring/ }).click();
    const tags = card().getByLabel('Default hashtags');
    await tags.fill('#Bread, sourdough ');
    await tags.fill('bread');
    await tags.press('Enter');
    expect(await card().locator('.tag-input__tag').allTextContents()).toEqual(['#Bread', '#sourdough']);
    await card().getByLabel('Use the workspace default').uncheck();
    await card().getByLabel('Latest posts to watch').fill('25');
    await card().getByRole('button', { name: 'Save', exact: true }).click();
    await card().getByText('Use 1 to 20 posts.').waitFor();
    await card().getByLabel('Latest posts to watch').fill('12');
    await card().getByRole('button', { name: 'Save', exact: true }).click();
    await card().getByText('Saved.', { exact: true }).waitFor();

    const row = accountRows()[0]!;
    expect((JSON.parse(row.metadata) as { defaults?: unknown }).defaults).toEqual({ hashtags: ['#Bread', '#sourdough'] });
    const rule = readDb((db) => db.prepare('SELECT auto_monitor_enabled, auto_monitor_count, monitoring_duration_days FROM monitoring_rules WHERE account_id = ?').get(row.id));
    expect(rule).toEqual({ auto_monitor_enabled: 1, auto_monitor_count: 12, monitoring_duration_days: 7 });
    await card().getByText('Watches its latest 12 posts for comments for 7 days').waitFor();
  });

  it('when the user disconnects it (after a confirmation that says what happens), then it is marked disconnected and its tokens are gone', async () => {
    await card().getByRole('button', { name: /^Disconnect…/ }).click();
    const dialog = page.getByRole('dialog', { name: `Disconnect @${bsky.handle}?` });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('sign-in tokens are wiped from this computer');
    expect(await dialog.textContent()).toContain('Posts scheduled for it pause');
    // The safe choice has the focus; Escape keeps the account.
    expect(await dialog.getByRole('button', { name: 'Keep connected' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(accountRows()[0]?.status).toBe('active');

    await card().getByRole('button', { name: /^Disconnect…/ }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => card().getByTestId('account-health').textContent()).toBe('Disconnected');
    await card().getByRole('button', { name: /^Reconnect/ }).waitFor();
    await card().getByRole('button', { name: /^Remove…/ }).waitFor();

    const row = accountRows()[0]!;
    expect(row.status).toBe('disconnected');
    expect(secretCount(row.id)).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'page-accounts-disconnected.png') });
  });

  it('then nothing went wrong in the page: no script errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
