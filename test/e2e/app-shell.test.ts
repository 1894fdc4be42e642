// The renderer shell in real Chromium against the real web-mode process and a fresh data folder:
// first-run onboarding (with the engine's validation shown on the fields), persistence across a
// reload and in the SQLite file itself, every page through the sidebar (screenshots in light and
// dark), the command palette, the workspace switcher and the keyboard.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser } from '../helpers/browser';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const BRAND = 'Kōfi & Crumb';
const AREAS = [
  { id: 'dashboard', label: 'Dashboard', heading: BRAND },
  { id: 'compose', label: 'Compose', heading: 'New post' },
  { id: 'calendar', label: 'Calendar', heading: 'Calendar' },
  { id: 'queue', label: 'Queue', heading: 'Queue' },
  { id: 'inbox', label: 'Inbox', heading: 'Inbox' },
  { id: 'knowledge', label: 'Knowledge', heading: 'Knowledge' },
  { id: 'studio', label: 'AI Studio', heading: 'AI Studio' },
  { id: 'analytics', label: 'Analytics', heading: 'Analytics' },
  { id: 'campaigns', label: 'Campaigns', heading: 'Campaigns' },
  { id: 'accounts', label: 'Accounts', heading: 'Accounts' },
  { id: 'settings', label: 'Settings', heading: 'Settings' },
] as const;

let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
const problems: string[] = [];
/** Every answer with status >= 400, as "<status> <path>". */
const failedResponses: string[] = [];

const h1 = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const sidebarLink = (label: string) => page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: label, exact: true });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await spawnWebCli();
  ({ context, page, profile } = await openBrowser(problems));
  page.on('response', (r) => {
    if (r.status() >= 400) failedResponses.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  profile?.cleanup();
});

describe('app shell in Chromium (web mode)', () => {
  it('given a fresh data folder, when the user completes onboarding, then the dashboard shows the brand, survives a reload, and the row is in the SQLite file', async () => {
    await page.goto(web.openUrl);
    await h1('Welcome to Postdesk').waitFor();
    // The token left the address bar at once; the router owns the hash now.
    expect(page.url()).not.toContain('token=');

    const name = page.getByLabel('Brand name', { exact: true });
    const timezone = page.getByRole('combobox', { name: 'Timezone' });
    expect(await timezone.inputValue()).toBe('Europe/Paris');
    await page.screenshot({ path: join(SHOTS, 'onboarding.png') });

    // Submit with no name and an unknown timezone: the engine's issues land on the two fields.
    await timezone.fill('Mars/Olympus_Mons');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByText('A brand name is needed.').waitFor();
    await page.getByText(/Not a known IANA timezone/).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await timezone.getAttribute('aria-invalid')).toBe('true');
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'onboarding-errors.png') });

    await name.fill(BRAND);
    const business = page.getByRole('combobox', { name: 'Business type' });
    await business.fill('bake');
    await page.getByRole('option', { name: 'Bakery' }).click();
    expect(await business.inputValue()).toBe('Bakery');
    await page.getByRole('radio', { name: /^Playful/ }).check();
    // Search the zone list by city and pick with the keyboard.
    await timezone.fill('tokyo');
    await page.getByRole('option', { name: /Asia\/Tokyo/ }).waitFor();
    await timezone.press('Enter');
    expect(await timezone.inputValue()).toBe('Asia/Tokyo');
    await page.getByLabel(/^Description/).fill('Small-batch coffee and pastries on the harbour.');
    await page.getByRole('button', { name: 'Create workspace' }).click();

    await h1(BRAND).waitFor();
    expect(page.url()).toMatch(/#\/dashboard$/);
    await page.getByText('Small-batch coffee and pastries on the harbour.').waitFor();

    await page.reload();
    await h1(BRAND).waitFor();
    expect(await page.getByRole('button', { name: /Workspace: Kōfi & Crumb/ }).count()).toBe(1);

    const db = new Database(join(web.dataDir, 'postdesk.db'), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT name, business_type, brand_voice, timezone, description FROM workspaces').all();
      expect(rows).toEqual([
        { name: BRAND, business_type: 'Bakery', brand_voice: 'playful', timezone: 'Asia/Tokyo', description: 'Small-batch coffee and pastries on the harbour.' },
      ]);
    } finally {
      db.close();
    }
  });

  it('given a workspace, when the user visits every page through the sidebar, then each shows its page (screenshots in light and dark)', async () => {
    for (const area of AREAS) {
      await sidebarLink(area.label).click();
      await h1(area.heading).waitFor();
      expect(await sidebarLink(area.label).getAttribute('aria-current')).toBe('page');
      if ('issue' in area) await page.getByText(`issue #${area.issue}`).waitFor();
      // A fresh workspace: the queue e2e writes the populated page-queue.png.
      await page.screenshot({ path: join(SHOTS, area.id === 'queue' ? 'page-queue-fresh.png' : `page-${area.id}.png`) });
    }
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');

    await page.getByRole('radio', { name: 'Dark theme' }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await sidebarLink('Dashboard').click();
    await h1(BRAND).waitFor();
    await page.screenshot({ path: join(SHOTS, 'page-dashboard-dark.png') });
    await sidebarLink('Settings').click();
    await h1('Settings').waitFor();
    await page.screenshot({ path: join(SHOTS, 'page-settings-dark.png') });
    // The choice is remembered across reloads.
    await page.reload();
    await h1('Settings').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByRole('radio', { name: 'Light theme' }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });

  it('given the command palette, when the user types and presses Enter, then it goes to the page, creates and switches workspaces', async () => {
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('combobox', { name: /Command palette/ });
    await palette.waitFor();
    await palette.fill('calen');
    await page.screenshot({ path: join(SHOTS, 'command-palette.png') });
    await palette.press('Enter');
    await h1('Calendar').waitFor();
    expect(await palette.isVisible()).toBe(false);

    // Arrow keys move the selection: from "Go to Dashboard", one down is "Go to Compose".
    await page.keyboard.press('Control+K');
    await palette.waitFor();
    await palette.press('ArrowDown');
    await palette.press('Enter');
    await h1('New post').waitFor();

    await page.keyboard.press('Control+K');
    await palette.fill('new workspace');
    await palette.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New workspace' });
    await dialog.waitFor();
    await dialog.getByLabel('Brand name', { exact: true }).fill('Northwind Plumbing');
    await page.screenshot({ path: join(SHOTS, 'new-workspace-dialog.png') });
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await h1('Northwind Plumbing').waitFor();

    await page.keyboard.press('Control+K');
    await palette.fill('switch kofi');
    await palette.press('Enter');
    await page.getByRole('button', { name: /Workspace: Kōfi & Crumb/ }).waitFor();

    // Escape closes the palette without doing anything.
    await page.keyboard.press('Control+K');
    await palette.waitFor();
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'hidden' });
  });

  it('given the app, when the user presses g then a letter or ?, then it navigates or shows the keys; the switcher menu works from the keyboard', async () => {
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await h1('Inbox').waitFor();
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await h1('Settings').waitFor();

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await page.screenshot({ path: join(SHOTS, 'keyboard-help.png') });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    const switcher = page.getByRole('button', { name: /Workspace: / });
    await switcher.focus();
    await page.keyboard.press('ArrowDown');
    const menu = page.getByRole('menu', { name: 'Workspaces' });
    await menu.waitFor();
    await page.screenshot({ path: join(SHOTS, 'workspace-switcher.png') });
    // Focus starts on the current workspace (Kōfi, the first); one down is Northwind.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /Workspace: Northwind Plumbing/ }).waitFor();
    expect(await switcher.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('given Settings, when the user edits the profile, then invalid fields are flagged and a valid save reaches the database', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await h1('Settings').waitFor();
    const name = page.getByLabel('Brand name', { exact: true });
    await name.fill('   ');
    await page.getByRole('button', { name: 'Save changes' }).click();
    // The engine's issue path is ['patch', 'name']; it lands on the name field.
    await page.getByText('A brand name is needed.').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');

    await name.fill('Northwind Plumbing & Heating');
    await page.getByLabel(/^Description/).fill('Emergency call-outs across the valley.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Brand profile saved').waitFor();
    await page.getByRole('button', { name: /Workspace: Northwind Plumbing & Heating/ }).waitFor();
    const saved = (await web.call('workspaces.list', {})).find((w) => w.name === 'Northwind Plumbing & Heating');
    expect(saved?.description).toBe('Emergency call-outs across the valley.');
  });

  it('given the whole session, then no script error or CSP violation was logged, and the only failed requests were the two deliberately invalid forms', () => {
    expect(problems).toEqual([]);
    expect(failedResponses).toEqual(['400 /api/workspaces.create', '400 /api/workspaces.update']);
  });

  it('given the engine stops, when the user saves, then the window says it is reconnecting and the toast says what failed and what to do', async () => {
    await sidebarLink('Settings').click();
    await h1('Settings').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.app)).toBe('ready');
    await web.stop();
    await page.getByRole('status').getByText('Reconnecting…').waitFor();
    await page.getByLabel(/^Description/).fill('Plumbing, heating and honest quotes.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const toast = page.getByRole('alert').filter({ hasText: 'Could not save the brand profile' });
    await toast.waitFor();
    // The engine's message, with the command shown as code rather than raw backticks.
    expect(await toast.textContent()).toContain("Postdesk's engine is not reachable — is npm run web still running?");
    expect(await toast.locator('code').first().textContent()).toBe('npm run web');
    await page.screenshot({ path: join(SHOTS, 'engine-unreachable.png') });
  });
});
