// Issue 6's acceptance test, in real Chromium against the real web-mode process and a real
// Bluesky PDS on loopback: a user connects their Bluesky account through the Accounts page, opens
// Compose, picks the account, writes a post (the counter counts as Bluesky does and blocks a text
// over the limit), attaches a PNG from disk with alt text, leaves and comes back to find the draft
// as it was, schedules it for the next minute in the workspace's timezone with Ctrl+Enter, watches
// the Queue turn the publish job to done, and reads the post back from the PDS with @atproto/api:
// the text, and the image with its alt text and its exact size. Every step is checked against the
// SQLite file too, and the page logs no script error and no CSP violation.
import { AtpAgent } from '@atproto/api';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser } from '../helpers/browser';
import { png } from '../helpers/media-fixtures';
import { startTestPds, type TestPds, type TestPdsAccount } from '../helpers/pds';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const BRAND = 'Kōfi & Crumb';
const TEXT = `Fresh sourdough out of the oven at 7 🥖\nFirst 20 loaves come with a free coffee. ${Date.now().toString(36)}`;
const ALT = 'A round sourdough loaf with a dark, blistered crust on a wooden board.';
const IMAGE = png(64, 48, 7);

let pds: TestPds;
let bsky: TestPdsAccount;
let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
let scheduledFor = 0;
const problems: string[] = [];

interface PostRow {
  id: string;
  content: string;
  status: string;
  publish_at: number | null;
  hashtags: string;
}

function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(web.dataDir, 'postdesk.db'), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const postRows = () => readDb((db) => db.prepare('SELECT id, content, status, publish_at, hashtags FROM posts WHERE deleted_at IS NULL').all() as PostRow[]);
const workspaceTimezone = () => readDb((db) => (db.prepare('SELECT timezone FROM workspaces').get() as { timezone: string }).timezone);

const h1 = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const nav = (name: string) => page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name, exact: true });
const chip = () => page.getByRole('button', { name: `@${bsky.handle} on Bluesky`, exact: true });
const mainText = () => page.getByRole('textbox', { name: 'Post text' });
const publish = () => page.getByRole('region', { name: 'Publish' });

/** The wall date and time of `ms` in `tz`, as `<input type=date|time>` take them. */
function wallInputs(ms: number, tz: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  pds = await startTestPds();
  bsky = await pds.createAccount();
  web = await spawnWebCli();
  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  await pds?.close();
  profile?.cleanup();
});

describe('Compose in Chromium (web mode, real Bluesky PDS): issue 6 acceptance', () => {
  it('given a new workspace with its Bluesky account connected on the Accounts page, when the user opens Compose, then the account is offered as a target', async () => {
    await page.goto(web.openUrl);
    await h1('Welcome to Postdesk').waitFor();
    await page.getByLabel('Brand name', { exact: true }).fill(BRAND);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await h1(BRAND).waitFor();

    await nav('Accounts').click();
    await h1('Accounts').waitFor();
    await page.getByRole('button', { name: 'Connect account' }).click();
    await page.getByRole('dialog', { name: 'Connect an account' }).getByRole('button', { name: /^Bluesky/ }).click();
    const form = page.getByRole('dialog', { name: 'Connect Bluesky' });
    await form.getByLabel('Handle').fill(bsky.handle);
    await form.getByLabel('App password').fill(bsky.appPassword);
    await form.getByLabel(/^Server \(PDS\)/).fill(pds.url.replace('://localhost:', '://127.0.0.1:'));
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await form.waitFor({ state: 'hidden' });
    await page.locator('article.acct-card').filter({ hasText: bsky.handle }).getByText('Connected and working.').waitFor();

    await nav('Compose').click();
    await h1('New post').waitFor();
    await chip().waitFor();
    expect(await chip().getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('save-state').textContent()).toContain('Not saved yet');
    // Nothing typed, nothing chosen: no empty draft is stored.
    expect(postRows()).toEqual([]);
  });

  it('when the user picks the account and types, then the draft saves itself, gets its own URL, and the counter counts as Bluesky does', async () => {
    await chip().click();
    expect(await chip().getAttribute('aria-pressed')).toBe('true');
    await mainText().fill(TEXT);
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toContain('Saved on this computer');
    await expect.poll(() => page.url()).toMatch(/#\/compose\/[0-9a-f-]{36}$/);

    const rows = postRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ content: TEXT, status: 'draft', publish_at: null });
    const targets = readDb((db) => db.prepare('SELECT platform, status FROM post_targets WHERE post_id = ?').all(rows[0]!.id));
    expect(targets).toEqual([{ platform: 'bluesky', status: 'pending' }]);

    // Graphemes: the baguette emoji is one, the line break one.
    const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(TEXT)].length;
    const counter = page.locator('.cmp-counters').getByTestId('char-count');
    expect(await counter.textContent()).toContain(`${graphemes}/300`);
    // The preview shows the text as Bluesky would, line break included.
    const preview = page.getByRole('figure', { name: 'Preview on Bluesky' });
    expect(await preview.locator('.pv-text').first().innerText()).toBe(TEXT);
  });

  it('given a text over Bluesky’s 300 graphemes, then its counter turns red, the reason is listed and Schedule is refused; shortening it clears both', async () => {
    await mainText().fill(`${TEXT} ${'more '.repeat(60)}`);
    const counter = page.locator('.cmp-counters').getByTestId('char-count');
    await expect.poll(() => counter.getAttribute('class')).toContain('cmp-count--over');
    const button = publish().locator('.cmp-publish__primary');
    expect(await button.isDisabled()).toBe(true);
    expect(await publish().locator('.cmp-blockers').textContent()).toMatch(/Bluesky: \d+ characters? over Bluesky's limit of 300/);
    await page.screenshot({ path: join(SHOTS, 'page-compose-over-limit.png') });

    await mainText().fill(TEXT);
    await expect.poll(() => counter.getAttribute('class')).not.toContain('cmp-count--over');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toContain('Saved on this computer');
    expect(postRows()[0]?.content).toBe(TEXT);
  });

  it('when the user uploads a PNG from disk and describes it (Escape first cancels the dialog), then it is attached with its alt text', async () => {
    await page.locator('input[type="file"]').setInputFiles({ name: 'loaf.png', mimeType: 'image/png', buffer: IMAGE });
    const thumb = page.locator('.cmp-thumb').filter({ hasText: 'loaf.png' });
    await thumb.locator('img').waitFor();
    // The thumbnail is the stored file, served by the engine and allowed by the CSP.
    await expect.poll(() => thumb.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
    expect(await thumb.textContent()).toContain('64×48');

    await thumb.getByRole('button', { name: /^Add alt text/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Alt text' });
    await dialog.waitFor();
    await dialog.getByLabel('Description').fill('not this');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await thumb.getByRole('button', { name: /^Add alt text/ }).count()).toBe(1);

    await thumb.getByRole('button', { name: /^Add alt text/ }).click();
    await dialog.getByLabel('Description').fill(ALT);
    await dialog.getByRole('button', { name: 'Save alt text' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await thumb.getByRole('button', { name: /^Edit alt text/ }).waitFor();
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toContain('Saved on this computer');

    const media = readDb((db) =>
      db.prepare('SELECT m.filename, m.mime_type, m.size_bytes, m.width, m.height, pm.alt_text FROM post_media pm JOIN media m ON m.id = pm.media_id').all(),
    );
    expect(media).toEqual([{ filename: 'loaf.png', mime_type: 'image/png', size_bytes: IMAGE.length, width: 64, height: 48, alt_text: ALT }]);
    expect(await page.getByRole('figure', { name: 'Preview on Bluesky' }).locator('img').getAttribute('alt')).toBe(ALT);
    await page.screenshot({ path: join(SHOTS, 'page-compose.png') });
  });

  it('when the user leaves Compose and comes back, then the draft is there as they left it', async () => {
    await nav('Queue').click();
    await h1('Queue').waitFor();
    await nav('Compose').click();
    await h1('Edit draft').waitFor();
    await expect.poll(() => mainText().inputValue()).toBe(TEXT);
    expect(await chip().getAttribute('aria-pressed')).toBe('true');
    await page.locator('.cmp-thumb').filter({ hasText: 'loaf.png' }).getByRole('button', { name: /^Edit alt text/ }).waitFor();
    expect(page.url()).toContain(`#/compose/${postRows()[0]!.id}`);
    // A reload opens the same draft from its URL.
    await page.reload();
    await h1('Edit draft').waitFor();
    await expect.poll(() => mainText().inputValue()).toBe(TEXT);
  });

  it('when the user schedules it for the next minute in the workspace’s timezone with Ctrl+Enter, then it is scheduled, read-only, and says when', async () => {
    const tz = workspaceTimezone();
    // The time field has minute precision: the next whole minute at least 15 s away.
    scheduledFor = Math.ceil((Date.now() + 15_000) / 60_000) * 60_000;
    const { date, time } = wallInputs(scheduledFor, tz);
    await publish().getByText('At a time', { exact: true }).click();
    await publish().getByLabel('Date', { exact: true }).fill(date);
    await publish().getByLabel('Time', { exact: true }).fill(time);
    expect(await publish().getByTestId('schedule-zone').textContent()).toMatch(new RegExp(`^${tz.split('/').pop()!.replace(/_/g, ' ')} \\(UTC[+-]\\d\\d:\\d\\d\\)`));
    await expect.poll(() => publish().locator('.cmp-publish__primary').isDisabled()).toBe(false);

    await mainText().focus();
    await page.keyboard.press('Control+Enter');
    const summary = publish().getByTestId('scheduled-summary');
    await summary.waitFor({ timeout: 10_000 });
    expect(await summary.textContent()).toMatch(/Scheduled for|Going out now|Publishing now/);
    await publish().getByRole('link', { name: 'Watch it in the Queue' }).waitFor();
    expect(await page.getByTestId('post-status').first().textContent()).toMatch(/Scheduled|Publishing/);

    const row = postRows()[0]!;
    expect(row.status === 'scheduled' || row.status === 'publishing' || row.status === 'published').toBe(true);
    expect(row.publish_at).toBe(scheduledFor);
    // A scheduled post is read-only until it is unscheduled.
    expect(await mainText().getAttribute('readonly')).not.toBeNull();
    await page.screenshot({ path: join(SHOTS, 'page-compose-scheduled.png') });
  });

  it('when the user watches the Queue, then the publish job runs at its time and turns done', async () => {
    await publish().getByRole('link', { name: 'Watch it in the Queue' }).click();
    await h1('Queue').waitFor();
    await page.getByRole('tab', { name: /^Done/ }).click();
    const row = page.locator('tr[data-job-id]').filter({ hasText: 'Publish post' });
    await expect.poll(() => row.first().getAttribute('data-state'), { timeout: 120_000, interval: 1_000 }).toBe('completed');
    expect(Date.now()).toBeGreaterThanOrEqual(scheduledFor);
    await expect.poll(() => postRows()[0]?.status, { timeout: 10_000 }).toBe('published');
    await page.screenshot({ path: join(SHOTS, 'page-compose-queue-done.png') });
  }, 180_000);

  it('then the PDS has the post: the text, and the image with its alt text and exact size', async () => {
    const agent = new AtpAgent({ service: pds.url });
    await agent.login({ identifier: bsky.handle, password: bsky.password });
    const res = await agent.com.atproto.repo.listRecords({ repo: bsky.did, collection: 'app.bsky.feed.post', limit: 50 });
    const mine = res.data.records.filter((r) => (r.value as { text?: string }).text === TEXT);
    expect(mine).toHaveLength(1);
    const record = mine[0]!.value as { text: string; embed?: { $type: string; images?: { alt: string; image: { mimeType: string; size: number } }[] } };
    expect(record.embed?.$type).toBe('app.bsky.embed.images');
    expect(record.embed?.images).toHaveLength(1);
    expect(record.embed!.images![0]).toMatchObject({ alt: ALT, image: { mimeType: 'image/png', size: IMAGE.length } });

    const target = readDb((db) => db.prepare('SELECT status, platform_post_id FROM post_targets').get()) as { status: string; platform_post_id: string };
    expect(target).toEqual({ status: 'published', platform_post_id: mine[0]!.uri });
  });

  it('when the user opens the post again, then Compose shows it published, per account', async () => {
    await nav('Compose').click();
    // A published post is not "the draft in progress": Compose starts a new one.
    await h1('New post').waitFor();
    // Older links (?post=<id>) still open the post.
    await page.goto(`${web.origin}/#/compose?post=${postRows()[0]!.id}`);
    await h1('Post').waitFor();
    await expect.poll(() => page.getByTestId('post-status').first().textContent()).toBe('Published');
    expect(await publish().locator('[data-target-status="published"]').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'page-compose-published.png') });
  });

  it('then nothing went wrong in the page: no script errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
