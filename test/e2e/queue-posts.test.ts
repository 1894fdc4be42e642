// The Queue's Posts view in real Chromium against the real web-mode process and its SQLite file.
// A Tokyo workspace (no clock changes, so "+1 day" is exactly 24 hours there) with a connected
// Bluesky account, three posts scheduled days ahead and a draft, made through the HTTP API. The
// user filters by status (kept in the URL across a reload), ticks two with a shift-click and moves
// them a day later — the database has both exactly a day later, the third untouched; ticks all with
// Ctrl+A and reads an honest "3 of 4" when one has no time; cancels one after a confirmation;
// imports a CSV whose bad row blocks the import until the fixed file is chosen; pauses an imported
// post with a key; and sees a post made elsewhere appear with no reload. Nothing may log a script error or a CSP violation.
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/schema/columns';
import { civilDate, dayOf, wallTime, zonedTimeToEpoch, type DayNumber } from '../../renderer/pages/calendar/zoned';
import { openBrowser } from '../helpers/browser';
import { tempDir } from '../helpers/db';
import { png } from '../helpers/media-fixtures';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const TZ = 'Asia/Tokyo';
const DAY = 86_400_000;
const BRAND = 'Kōfi & Crumb';
const HANDLE = 'kofi-and-crumb.bsky.social';

let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
let files: { dir: string; cleanup: () => void };
const problems: string[] = [];

let workspaceId = '';
let accountId = '';
let today: DayNumber;
const ids = { first: '', second: '', third: '', draft: '', live: '' };
const TEXTS = {
  first: 'Sourdough Saturday: the first loaves are out at 9:30.\nCome early, they go fast.',
  second: 'Cardamom knots are back this week 🌀',
  third: 'Pre-orders for the weekend close on Thursday',
  draft: 'Holiday hours (still checking with Sam)',
};

const tokyo = (day: DayNumber, hour: number, minute = 0) => zonedTimeToEpoch({ ...civilDate(day), hour, minute, second: 0, millisecond: 0 }, TZ);

function readDb<T>(fn: (db: Database.Database) => T, readonly = true): T {
  const db = new Database(join(web.dataDir, 'postdesk.db'), { readonly, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
const postRow = (postId: string) => readDb((db) => db.prepare('SELECT status, publish_at AS at FROM posts WHERE id = ?').get(postId) as { status: string; at: number | null });
const pendingJobRunAt = (postId: string) =>
  readDb((db) =>
    (
      db
        .prepare(
          `SELECT j.run_at AS runAt FROM jobs j JOIN post_targets t ON t.id = json_extract(j.payload, '$.targetId')
           WHERE t.post_id = ? AND j.status = 'pending' AND j.type = 'post.publish'`,
        )
        .all(postId) as { runAt: number }[]
    ).map((r) => r.runAt),
  );

const h1 = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const panel = () => page.getByTestId('posts-panel');
const rows = () => panel().locator('tbody tr[data-post-id]');
const row = (postId: string) => panel().locator(`tr[data-post-id="${postId}"]`);
const check = (postId: string) => page.locator(`#queue-post-${postId}`);
const shownIds = () => rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-post-id')));
const settled = () => page.locator('[data-testid="posts-panel"][aria-busy="false"]').waitFor();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  files = tempDir('postdesk-csv-media-');
  web = await spawnWebCli();
  const ws = await web.call('workspaces.create', { name: BRAND, timezone: TZ });
  workspaceId = ws.id;
  // A connected Bluesky account without a sign-in: scheduling only needs an active account row.
  accountId = newId();
  readDb((db) => {
    const now = Date.now();
    db.prepare(
      `INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username, display_name, auth_kind, status, created_at, updated_at)
       VALUES (?, ?, 'bluesky', 'did:plc:kofiandcrumbqueue', ?, 'Kōfi & Crumb', 'app_password', 'active', ?, ?)`,
    ).run(accountId, workspaceId, HANDLE, now, now);
  }, false);

  today = dayOf(Date.now(), TZ);
  const targets = [{ accountId }];
  for (const [key, offset] of [
    ['first', 3],
    ['second', 4],
    ['third', 5],
  ] as const) {
    const p = await web.call('posts.create', { workspaceId, content: TEXTS[key], targets });
    ids[key] = p.id;
    await web.call('posts.schedule', { postId: p.id, when: { mode: 'at', at: tokyo(today + offset, 9, 30) } });
  }
  ids.draft = (await web.call('posts.create', { workspaceId, content: TEXTS.draft, targets })).id;

  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  profile?.cleanup();
  files?.cleanup();
});

describe('Queue → Posts in Chromium (web mode)', () => {
  it('given scheduled posts and a draft, when the user opens Queue → Posts, then each shows its Tokyo time, first line, account and status', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Queue', exact: true }).click();
    await h1('Queue').waitFor();
    // The Jobs view is still the default, with its tabs.
    expect(await page.getByRole('tab', { name: /^Upcoming/ }).count()).toBe(1);
    await page.getByRole('radio', { name: 'Posts', exact: true }).click();
    await settled();
    expect(page.url()).toContain('#/queue?view=posts');
    expect(await page.getByRole('radio', { name: 'Posts', exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByTestId('posts-subtitle').textContent()).toBe(`Posts · times in ${TZ} (this computer is on Europe/Paris)`);

    expect(await shownIds()).toEqual([ids.first, ids.second, ids.third, ids.draft]);
    const first = row(ids.first);
    const expectedTime = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TZ }).format(
      new Date(tokyo(today + 3, 9, 30)),
    );
    // Shown on Tokyo's clock although the browser is in Paris.
    expect(await first.locator('time').textContent()).toBe(expectedTime);
    expect(await first.locator('time').textContent()).toContain('09:30');
    expect(await first.locator('.qp-post__text').textContent()).toBe('Sourdough Saturday: the first loaves are out at 9:30.');
    expect(await first.getByTestId('post-target').textContent()).toContain(HANDLE);
    expect(await first.getByTestId('post-target').textContent()).toContain('Scheduled');
    expect(await first.getByTestId('post-status').textContent()).toBe('Scheduled');
    expect(await row(ids.draft).getByTestId('post-status').textContent()).toBe('Draft');
    expect(await row(ids.draft).locator('.qp-cell-when').textContent()).toBe('No time');
    expect(await page.getByTestId('posts-count').textContent()).toBe('Showing 4 of 4 posts');
  });

  it('when the user filters by status Scheduled, then the draft goes, the URL keeps the filter, and a reload shows the same list', async () => {
    await page.getByRole('button', { name: /^Status:/ }).click();
    await page.getByRole('checkbox', { name: 'Scheduled', exact: true }).check();
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await expect.poll(() => shownIds()).toEqual([ids.first, ids.second, ids.third]);
    expect(page.url()).toMatch(/[?&]status=scheduled(&|$)/);
    expect(await page.getByRole('button', { name: /^Status:/ }).textContent()).toContain('Status: Scheduled');

    await page.reload();
    await h1('Queue').waitFor();
    await settled();
    await expect.poll(() => shownIds()).toEqual([ids.first, ids.second, ids.third]);
    expect(await page.getByRole('button', { name: /^Status:/ }).textContent()).toContain('Status: Scheduled');
    await page.screenshot({ path: join(SHOTS, 'page-queue-posts.png') });
  });

  it('when the user ticks two posts (a click, then a shift-click) and moves them +1 day, then the database has each exactly a day later and the third untouched', async () => {
    const before = { first: postRow(ids.first).at!, second: postRow(ids.second).at!, third: postRow(ids.third).at! };
    await check(ids.first).click();
    await check(ids.second).click({ modifiers: ['Shift'] });
    expect(await check(ids.first).isChecked()).toBe(true);
    expect(await check(ids.second).isChecked()).toBe(true);
    expect(await check(ids.third).isChecked()).toBe(false);
    const bar = page.getByTestId('posts-bulk-bar');
    expect(await bar.textContent()).toContain('2 posts ticked');

    await bar.getByRole('button', { name: 'Move…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move 2 posts' });
    await dialog.waitFor();
    await page.screenshot({ path: join(SHOTS, 'page-queue-posts-move.png') });
    await dialog.getByRole('button', { name: '+1 day', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    const report = page.getByTestId('posts-bulk-report');
    await report.waitFor();
    expect(await report.textContent()).toContain('Moved 2 posts 1 day later.');
    await expect.poll(() => postRow(ids.first).at).toBe(before.first + DAY);
    expect(postRow(ids.second).at).toBe(before.second + DAY);
    expect(postRow(ids.third).at).toBe(before.third);
    // Still 09:30 in Tokyo, a day later, and still scheduled; the publish jobs moved with them.
    expect(wallTime(postRow(ids.first).at!, TZ)).toMatchObject({ ...civilDate(today + 4), hour: 9, minute: 30 });
    expect(postRow(ids.first).status).toBe('scheduled');
    expect(pendingJobRunAt(ids.first)).toEqual([before.first + DAY]);
    expect(pendingJobRunAt(ids.second)).toEqual([before.second + DAY]);
    // Everything worked, so nothing stays ticked; the list follows the database (first and third now share a day).
    expect(await bar.count()).toBe(0);
    await expect.poll(() => row(ids.first).locator('time').textContent()).toContain('09:30');
    await expect.poll(() => shownIds()).toEqual([ids.first, ids.second, ids.third]);
  });

  it('when the user clears the filters, ticks everything with Ctrl+A and moves it a week (m), then the report says 3 of 4 and why the draft was not moved', async () => {
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => shownIds()).toEqual([ids.first, ids.second, ids.third, ids.draft]);
    expect(page.url()).not.toContain('status=');
    const before = { first: postRow(ids.first).at!, second: postRow(ids.second).at!, third: postRow(ids.third).at! };

    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+a');
    expect(await page.getByTestId('posts-bulk-bar').textContent()).toContain('4 posts ticked');
    await page.keyboard.press('m');
    const dialog = page.getByRole('dialog', { name: 'Move 4 posts' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '+1 week', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    const report = page.getByTestId('posts-bulk-report');
    await expect.poll(() => report.textContent()).toContain('Moved 3 of 4 posts 1 week later.');
    expect(await report.textContent()).toContain('1 was not: It has no time to move.');
    expect(await report.textContent()).toContain(`“${TEXTS.draft}”`);
    expect(postRow(ids.first).at).toBe(before.first + 7 * DAY);
    expect(postRow(ids.second).at).toBe(before.second + 7 * DAY);
    expect(postRow(ids.third).at).toBe(before.third + 7 * DAY);
    expect(postRow(ids.draft)).toEqual({ status: 'draft', at: null });
    // Only the one that was not moved stays ticked.
    await expect.poll(() => page.getByTestId('posts-bulk-bar').textContent()).toContain('1 post ticked');
    expect(await check(ids.draft).isChecked()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'page-queue-posts-report.png') });
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('posts-bulk-bar').count()).toBe(0);
  });

  it('when the user ticks one with x and cancels it (c), then it asks first, and confirming cancels it in the database', async () => {
    await check(ids.third).focus();
    await page.keyboard.press('x');
    expect(await check(ids.third).isChecked()).toBe(true);
    await page.keyboard.press('c');
    const dialog = page.getByRole('dialog', { name: 'Cancel this post?' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Keep it' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(postRow(ids.third).status).toBe('scheduled');

    await page.getByTestId('posts-bulk-bar').getByRole('button', { name: 'Cancel…' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel post' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => postRow(ids.third).status).toBe('cancelled');
    expect(pendingJobRunAt(ids.third)).toEqual([]);
    await expect.poll(() => row(ids.third).getByTestId('post-status').textContent()).toBe('Cancelled');
    expect(await page.getByTestId('posts-bulk-report').textContent()).toContain('Cancelled the post.');
  });

  it('when the user imports a CSV with a bad row, then the preview names the problem and Import waits; the fixed file imports every row', async () => {
    const photo = join(files.dir, 'loaf.png');
    writeFileSync(photo, png(64, 48));
    const day = (offset: number) => {
      const c = civilDate(today + offset);
      return `${c.year}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
    };
    const rowsFor = (who: string) =>
      [
        'text,accounts,time,media',
        `"Matcha buns, fresh at 8",@${HANDLE},${day(10)} 08:00,${photo}`,
        `Sunday brunch menu is up,${who},${day(11)} 10:15,`,
        `A draft for the autumn menu,bluesky:${HANDLE},,`,
      ].join('\n') + '\n';

    await page.getByRole('button', { name: 'Import CSV…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import posts from a CSV file' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('full path');
    await dialog.locator('input[type="file"]').setInputFiles({ name: 'october.csv', mimeType: 'text/csv', buffer: Buffer.from(rowsFor('@nobody.bsky.social')) });

    const preview = dialog.getByTestId('csv-preview');
    await preview.waitFor();
    expect(await dialog.getByRole('heading', { level: 3 }).textContent()).toBe('october.csv: 3 rows · 2 ready · 1 to fix');
    const bad = preview.locator('tr[data-line="3"]');
    expect(await bad.textContent()).toContain('Fix');
    expect(await bad.textContent()).toContain('No connected account matches "@nobody.bsky.social"');
    expect(await preview.locator('tr[data-line="2"]').textContent()).toContain('loaf.png');
    expect(await preview.locator('tr[data-line="2"]').textContent()).toContain('08:00');
    expect(await preview.locator('tr[data-line="4"]').textContent()).toContain('Draft — no time');
    const importButton = dialog.getByRole('button', { name: /^(Fix|Import) \d/ });
    expect(await importButton.textContent()).toBe('Fix 1 row to import');
    expect(await importButton.isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'page-queue-posts-import-error.png') });
    const importedBefore = readDb((db) => (db.prepare("SELECT count(*) AS n FROM posts WHERE source = 'imported'").get() as { n: number }).n);
    expect(importedBefore).toBe(0);

    // The user fixes row 3 in the spreadsheet and chooses the file again.
    await dialog.locator('input[type="file"]').setInputFiles({ name: 'october.csv', mimeType: 'text/csv', buffer: Buffer.from(rowsFor(`@${HANDLE}`)) });
    await expect.poll(() => dialog.getByRole('heading', { level: 3 }).textContent()).toBe('october.csv: 3 rows · 3 ready');
    expect(await importButton.textContent()).toBe('Import 3 posts');
    await page.screenshot({ path: join(SHOTS, 'page-queue-posts-import.png') });
    await importButton.click();
    await expect.poll(() => dialog.getByRole('heading', { level: 3 }).textContent(), { timeout: 15_000 }).toBe('Imported 3 posts: 2 scheduled, 1 as a draft.');

    const imported = readDb(
      (db) =>
        db
          .prepare(
            `SELECT p.content, p.status, p.publish_at AS at, (SELECT count(*) FROM post_media pm WHERE pm.post_id = p.id) AS media
             FROM posts p WHERE p.source = 'imported' ORDER BY p.publish_at IS NULL, p.publish_at`,
          )
          .all() as { content: string; status: string; at: number | null; media: number }[],
    );
    expect(imported).toEqual([
      { content: 'Matcha buns, fresh at 8', status: 'scheduled', at: tokyo(today + 10, 8, 0), media: 1 },
      { content: 'Sunday brunch menu is up', status: 'scheduled', at: tokyo(today + 11, 10, 15), media: 0 },
      { content: 'A draft for the autumn menu', status: 'draft', at: null, media: 0 },
    ]);
    await dialog.getByRole('button', { name: 'Done', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    // posts.changed brought them into the list.
    await expect.poll(() => panel().locator('tbody tr').filter({ hasText: 'Matcha buns, fresh at 8' }).count()).toBe(1);
    expect(await page.getByTestId('posts-count').textContent()).toBe('Showing 7 of 7 posts');
  });

  it('when the user ticks an imported post and presses p, then it is paused: a draft again with no publish job, and the list says so', async () => {
    const brunch = readDb((db) => (db.prepare("SELECT id FROM posts WHERE content = 'Sunday brunch menu is up'").get() as { id: string }).id);
    expect(pendingJobRunAt(brunch)).toHaveLength(1);
    await check(brunch).click();
    await page.keyboard.press('p');
    await expect.poll(() => postRow(brunch).status).toBe('draft');
    expect(pendingJobRunAt(brunch)).toEqual([]);
    // Its time is kept, so it can be scheduled again as it was.
    expect(postRow(brunch).at).not.toBeNull();
    await expect.poll(() => page.getByTestId('posts-bulk-report').textContent()).toContain('Paused the post.');
    await expect.poll(() => row(brunch).getByTestId('post-status').textContent()).toBe('Draft');
    expect(await row(brunch).getByTestId('post-target').textContent()).toContain('Not scheduled');
  });

  it('screenshots: the posts view in dark', async () => {
    await page.getByRole('radio', { name: 'Dark theme' }).check();
    await page.screenshot({ path: join(SHOTS, 'page-queue-posts-dark.png') });
    await page.getByRole('radio', { name: 'Light theme' }).check();
  });

  it('when a post is scheduled elsewhere (the API), then it appears in the open list with no reload', async () => {
    const p = await web.call('posts.create', { workspaceId, content: 'Live from another window: rye is back', targets: [{ accountId }] });
    ids.live = p.id;
    await web.call('posts.schedule', { postId: p.id, when: { mode: 'at', at: tokyo(today + 2, 12, 0) } });
    await row(ids.live).waitFor({ timeout: 15_000 });
    // Soonest first: two days ahead comes before everything else.
    expect((await shownIds())[0]).toBe(ids.live);
  });

  it('given the Next 7 days preset, then only posts within the week on Tokyo’s clock are listed, and Jobs is one click away', async () => {
    await page.getByRole('radio', { name: 'Next 7 days' }).check();
    await settled();
    // The live post (in 2 days) and nothing else: the moved ones are 11-12 days ahead, drafts have no time.
    await expect.poll(() => shownIds()).toEqual([ids.live]);
    expect(page.url()).toContain('range=next7');
    await page.getByRole('radio', { name: 'Jobs', exact: true }).click();
    await page.getByRole('tab', { name: /^Upcoming/ }).waitFor();
    expect(page.url()).not.toContain('view=posts');
    await page.goBack();
    await settled();
    expect(page.url()).toContain('range=next7');
    await expect.poll(() => shownIds()).toEqual([ids.live]);
  });

  it('then nothing went wrong in the page: no script errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
