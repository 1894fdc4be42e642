// The Calendar in real Chromium against the real web-mode process and its SQLite file. The
// workspace is in New York while the browser is in Paris, and the posts sit around New York's
// next clock change, so a page that used the machine's zone, or moved posts by whole 24 hours,
// would put them at the wrong time. The user drags a scheduled post to another day and the
// database gets the same wall-clock time on the new day; a published post does not move; a move
// the engine refuses goes back with a toast; the panel reschedules to a typed time; a post made
// elsewhere appears live; the week view takes a drop on a time slot; a weekly post shows in every
// week of a later month as a lighter repeat that opens the series.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/schema/columns';
import { addMonths, isoDay, monthGrid, periodLabel } from '../../renderer/pages/calendar/grid';
import { civilDate, dayOf, offsetAt, wallTime, zonedTimeToEpoch, type DayNumber } from '../../renderer/pages/calendar/zoned';
import { openBrowser } from '../helpers/browser';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const TZ = 'America/New_York';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const BRAND = 'Kōfi & Crumb';
const HANDLE = 'kofi-and-crumb.bsky.social';

let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
const problems: string[] = [];

let workspaceId = '';
let accountId = '';
/** The Saturday before New York's next clock change, and the Monday after it. */
let from: DayNumber;
let to: DayNumber;
const ids = { scheduled: '', published: '', needsApproval: '', live1: '', live2: '', weekly: '' };
const TEXT = 'Sourdough Saturday: the first loaves are out at 9:30.\nCome early, they go fast. 🥖';

const nyTime = (day: DayNumber, hour: number, minute = 0) => zonedTimeToEpoch({ ...civilDate(day), hour, minute, second: 0, millisecond: 0 }, TZ);

function readDb<T>(fn: (db: Database.Database) => T, readonly = true): T {
  const db = new Database(join(web.dataDir, 'postdesk.db'), { readonly, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
const publishAt = (postId: string) => readDb((db) => (db.prepare('SELECT publish_at AS at FROM posts WHERE id = ?').get(postId) as { at: number | null }).at);
const postStatus = (postId: string) => readDb((db) => (db.prepare('SELECT status FROM posts WHERE id = ?').get(postId) as { status: string }).status);
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

/** The next day New York's clocks change that is at least three days away. */
function nextClockChange(now: number): DayNumber {
  const today = dayOf(now, TZ);
  for (let d = today + 3; d < today + 400; d++) {
    if (offsetAt(nyTime(d, 12), TZ) !== offsetAt(nyTime(d - 1, 12), TZ)) return d;
  }
  throw new Error('no clock change in New York within 400 days');
}

const h1 = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const cell = (day: DayNumber) => page.locator(`[data-drop-day="${isoDay(day)}"]`);
const chip = (postId: string) => page.locator(`[data-post-id="${postId}"]`).first();
const chipIn = (day: DayNumber, postId: string) => cell(day).locator(`[data-post-id="${postId}"]`);

async function drag(source: Locator, target: { x: number; y: number }) {
  const box = await source.boundingBox();
  if (!box) throw new Error('the post to drag is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 8, box.y + box.height / 2 + 4, { steps: 2 });
  await page.mouse.move(target.x, target.y, { steps: 12 });
  await page.mouse.up();
}

async function centreOf(l: Locator): Promise<{ x: number; y: number }> {
  const box = await l.boundingBox();
  if (!box) throw new Error('the drop target is not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height - 10 };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await spawnWebCli();
  const ws = await web.call('workspaces.create', { name: BRAND, timezone: TZ });
  workspaceId = ws.id;
  // A connected Bluesky account without going through a sign-in: the calendar only needs the row.
  accountId = newId();
  readDb((db) => {
    const now = Date.now();
    db.prepare(
      `INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username, display_name, auth_kind, status, created_at, updated_at)
       VALUES (?, ?, 'bluesky', 'did:plc:kofiandcrumbtest', ?, 'Kōfi & Crumb', 'app_password', 'active', ?, ?)`,
    ).run(accountId, workspaceId, HANDLE, now, now);
  }, false);

  const change = nextClockChange(Date.now());
  from = change - 1;
  to = change + 1;
  const targets = [{ accountId }];

  const a = await web.call('posts.create', { workspaceId, content: TEXT, targets });
  ids.scheduled = a.id;
  await web.call('posts.schedule', { postId: a.id, when: { mode: 'at', at: nyTime(from, 9, 30) } });

  // Already out: a published post on the same day (written as the publisher leaves it).
  const b = await web.call('posts.create', { workspaceId, content: 'Croissant class recap — thanks to everyone who came!', targets });
  ids.published = b.id;
  // A draft that needs approval, given a time: the engine refuses to schedule it.
  const d = await web.call('posts.create', { workspaceId, content: 'Holiday hours (waiting for Sam to approve)', targets, requiresApproval: true });
  ids.needsApproval = d.id;
  readDb((db) => {
    const at = nyTime(from, 8);
    db.prepare(`UPDATE posts SET status = 'published', publish_at = ?, published_at = ? WHERE id = ?`).run(at, at, b.id);
    db.prepare(`UPDATE post_targets SET status = 'published', published_at = ?, platform_post_id = 'at://did:plc:kofiandcrumbtest/app.bsky.feed.post/3kcal', platform_url = 'https://bsky.app/profile/kofi-and-crumb.bsky.social/post/3kcal' WHERE post_id = ?`).run(at, b.id);
    db.prepare('UPDATE posts SET publish_at = ? WHERE id = ?').run(nyTime(from, 12), d.id);
  }, false);

  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  profile?.cleanup();
});

describe('Calendar page in Chromium (web mode)', () => {
  it('given no posts last month, when the user goes back a month, then the empty state links to Compose; t comes back to today', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Calendar', exact: true }).click();
    await h1('Calendar').waitFor();
    const period = page.getByTestId('calendar-period');
    const today = dayOf(Date.now(), TZ);
    expect(await period.textContent()).toBe(periodLabel('month', today, 1, 'en-GB'));
    // The workspace's clock, not the browser's (Paris).
    expect(await page.locator('.page-header__subtitle').textContent()).toContain(`Times in ${TZ}`);
    expect(await page.locator('.page-header__subtitle').textContent()).toContain('this computer is on Europe/Paris');
    await page.locator(`[aria-current="date"][data-drop-day="${isoDay(today)}"]`).waitFor();

    await page.keyboard.press('ArrowLeft');
    const c = civilDate(today);
    const lastMonth = c.month === 1 ? { year: c.year - 1, month: 12, day: 1 } : { year: c.year, month: c.month - 1, day: 1 };
    await expect.poll(() => period.textContent()).toBe(periodLabel('month', dayOf(Date.UTC(lastMonth.year, lastMonth.month - 1, 15), 'UTC'), 1, 'en-GB'));
    const empty = page.getByTestId('calendar-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('Nothing planned for');
    expect(await empty.getByRole('link', { name: 'Write a post in Compose' }).getAttribute('href')).toMatch(/\/compose$/);

    await page.keyboard.press('t');
    await expect.poll(() => period.textContent()).toBe(periodLabel('month', today, 1, 'en-GB'));
  });

  it('given posts around New York’s clock change, when the user pages to them, then each shows on its day at New York time with its account', async () => {
    // Show a month that holds both the Saturday before the change and the Monday after it.
    const holds = (day: DayNumber, month: DayNumber) => {
      const c = civilDate(month);
      return monthGrid(c.year, c.month, 1).weeks.flat().includes(day);
    };
    const month = holds(to, from) ? from : to;
    expect(holds(from, month) && holds(to, month)).toBe(true);
    const today = civilDate(dayOf(Date.now(), TZ));
    const target = civilDate(month);
    const steps = (target.year - today.year) * 12 + (target.month - today.month);
    for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('calendar-period').textContent()).toBe(periodLabel('month', month, 1, 'en-GB'));
    await page.locator('.cal-main[aria-busy="false"]').waitFor();

    await chipIn(from, ids.scheduled).waitFor();
    expect(await chipIn(from, ids.scheduled).locator('.cal-post__time').textContent()).toBe('09:30');
    expect(await chipIn(from, ids.scheduled).locator('.cal-post__text').textContent()).toBe('Sourdough Saturday: the first loaves are out at 9:30.');
    expect(await chipIn(from, ids.scheduled).getAttribute('aria-label')).toContain(HANDLE);
    expect(await chipIn(from, ids.published).locator('.cal-post__time').textContent()).toBe('08:00');
    expect(await chipIn(from, ids.needsApproval).locator('.cal-post__time').textContent()).toBe('12:00');
    // In time order, and the legend names the account.
    expect(await cell(from).locator('[data-post-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-post-id')))).toEqual([ids.published, ids.scheduled, ids.needsApproval]);
    expect(await page.getByTestId('calendar-legend').textContent()).toContain(`@${HANDLE}`);
    await page.screenshot({ path: join(SHOTS, 'page-calendar-month.png') });
  });

  it('when the user drags the published post to another day, then it does not move (and says why)', async () => {
    const before = publishAt(ids.published);
    expect(await chipIn(from, ids.published).getAttribute('title')).toMatch(/Already published/);
    await drag(chipIn(from, ids.published), await centreOf(cell(to)));
    // A click could have opened it; a drag must not have moved it.
    await page.waitForTimeout(300);
    expect(await chipIn(from, ids.published).count()).toBe(1);
    expect(await chipIn(to, ids.published).count()).toBe(0);
    expect(publishAt(ids.published)).toBe(before);
    if (await page.getByTestId('calendar-post-panel').count()) await page.keyboard.press('Escape');
  });

  it('when the engine refuses a move (the draft still needs approval), then the post goes back and a toast says why', async () => {
    const before = publishAt(ids.needsApproval);
    await drag(chipIn(from, ids.needsApproval), await centreOf(cell(to)));
    const toast = page.locator('.toast--error').filter({ hasText: 'Could not move' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain('needs approval');
    expect(await toast.textContent()).toContain('It is back at');
    await chipIn(from, ids.needsApproval).waitFor();
    expect(await chipIn(to, ids.needsApproval).count()).toBe(0);
    expect(publishAt(ids.needsApproval)).toBe(before);
    expect(postStatus(ids.needsApproval)).toBe('draft');
    await toast.getByRole('button', { name: /^Dismiss/ }).click();
  });

  it('when the user drags the scheduled post across the clock change, then the database has 09:30 New York time on the new day — not 48 hours later', async () => {
    const before = publishAt(ids.scheduled);
    expect(before).toBe(nyTime(from, 9, 30));
    await drag(chipIn(from, ids.scheduled), await centreOf(cell(to)));
    await chipIn(to, ids.scheduled).waitFor();
    expect(await chipIn(from, ids.scheduled).count()).toBe(0);

    const expected = nyTime(to, 9, 30);
    await expect.poll(() => publishAt(ids.scheduled)).toBe(expected);
    const after = publishAt(ids.scheduled)!;
    expect(wallTime(after, TZ)).toMatchObject({ ...civilDate(to), hour: 9, minute: 30 });
    // Two calendar days, and the clock changed in between.
    expect(Math.abs(after - before! - 2 * DAY)).toBe(HOUR);
    expect(postStatus(ids.scheduled)).toBe('scheduled');
    // The publish job moved with it.
    expect(pendingJobRunAt(ids.scheduled)).toEqual([expected]);
    expect(await chipIn(to, ids.scheduled).locator('.cal-post__time').textContent()).toBe('09:30');
  });

  it('when the user opens the post, then the panel shows its full text, account and status, and reschedules it to a typed time', async () => {
    await chipIn(to, ids.scheduled).click();
    const panel = page.getByTestId('calendar-post-panel');
    await panel.waitFor();
    expect(await panel.locator('.cal-panel__text').first().textContent()).toBe(TEXT);
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toContain('09:30');
    expect(await panel.locator('.cal-target').textContent()).toContain(HANDLE);
    expect(await panel.getByTestId('target-status').textContent()).toBe('Scheduled');
    const field = panel.getByLabel('Reschedule to');
    expect(await field.inputValue()).toBe(`${isoDay(to)}T09:30`);
    await page.screenshot({ path: join(SHOTS, 'page-calendar-panel.png') });

    await field.fill(`${isoDay(to)}T14:15`);
    await panel.getByRole('button', { name: 'Reschedule', exact: true }).click();
    await expect.poll(() => publishAt(ids.scheduled)).toBe(nyTime(to, 14, 15));
    await expect.poll(() => chipIn(to, ids.scheduled).locator('.cal-post__time').textContent()).toBe('14:15');
    await expect.poll(() => panel.getByRole('heading', { level: 2 }).textContent()).toContain('14:15');

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
  });

  it('when posts are scheduled elsewhere (the API), then they appear live, and a full day offers "+N more"', async () => {
    const targets = [{ accountId }];
    for (const [key, hour, text] of [
      ['live1', 16, 'Afternoon bake: cardamom knots'],
      ['live2', 17, 'Last call for tomorrow’s pre-orders'],
    ] as const) {
      const p = await web.call('posts.create', { workspaceId, content: text, targets });
      ids[key] = p.id;
      await web.call('posts.schedule', { postId: p.id, when: { mode: 'at', at: nyTime(from, hour) } });
    }
    const more = cell(from).getByRole('button', { name: /more on/ });
    await more.waitFor();
    expect(await more.textContent()).toBe('+2 more');
    expect(await cell(from).locator('[data-post-id]').count()).toBe(2);
    await more.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.locator('[data-post-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-post-id')))).toEqual([ids.published, ids.needsApproval, ids.live1, ids.live2]);
    await page.screenshot({ path: join(SHOTS, 'page-calendar-more.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('when the user switches to the week view (w) and drops the post on Tuesday 11:00, then that is its new time', async () => {
    await page.keyboard.press('w');
    await page.getByTestId('calendar-week').waitFor();
    await chip(ids.scheduled).waitFor();
    const column = page.locator(`[data-drop-day="${isoDay(to + 1)}"][data-drop-slots]`);
    const box = await column.boundingBox();
    if (!box) throw new Error('Tuesday’s column is not on screen');
    // 11:05 down the column: the 11:00 slot.
    const y = box.y + ((11 * 60 + 5) / (24 * 60)) * box.height;
    await drag(chip(ids.scheduled), { x: box.x + box.width / 2, y });
    await expect.poll(() => publishAt(ids.scheduled)).toBe(nyTime(to + 1, 11, 0));
    expect(await column.locator(`[data-post-id="${ids.scheduled}"] .cal-post__time`).textContent()).toBe('11:00');
    await page.screenshot({ path: join(SHOTS, 'page-calendar-week.png') });
  });

  it('when the user colours by status and goes back to the month (m), then the legend names the statuses on screen', async () => {
    await page.getByRole('radio', { name: 'By status' }).check();
    await page.keyboard.press('m');
    await page.getByTestId('calendar-month').waitFor();
    await page.locator('.cal-main[aria-busy="false"]').waitFor();
    const legend = page.getByTestId('calendar-legend').locator('.cal-legend__item');
    // The month holds a scheduled, a published and a draft post (the week only the scheduled one).
    await expect.poll(() => legend.allTextContents()).toEqual(['Draft', 'Scheduled', 'Published']);
    expect(await chip(ids.scheduled).getAttribute('class')).toContain('cal-tone--accent');
    await page.screenshot({ path: join(SHOTS, 'page-calendar-status.png') });
  });

  it('given a weekly post, when the user pages two months on, then it shows once in every week of the month, on its weekday at 10:00 New York time, as a repeat that opens the series', async () => {
    // Starts the Tuesday after the clock change, so the month two on is all repeats.
    const start = to + 1;
    const p = await web.call('posts.create', { workspaceId, content: 'Tuesday loaf club: this week’s bake is rye', targets: [{ accountId }] });
    ids.weekly = p.id;
    await web.call('posts.schedule', { postId: p.id, when: { mode: 'recurring', at: nyTime(start, 10), rrule: 'FREQ=WEEKLY;COUNT=20' } });

    const target = addMonths(start, 2);
    const label = periodLabel('month', target, 1, 'en-GB');
    const period = page.getByTestId('calendar-period');
    for (let i = 0; i < 6 && (await period.textContent()) !== label; i++) {
      await page.getByRole('button', { name: 'Next month' }).click();
    }
    expect(await period.textContent()).toBe(label);
    await page.locator('.cal-main[aria-busy="false"]').waitFor();

    const { year, month } = civilDate(target);
    const weeks = monthGrid(year, month, 1).weeks;
    await expect.poll(() => page.locator(`[data-post-id="${p.id}"]`).count()).toBe(weeks.length);
    for (const week of weeks) {
      const day = week.find((d) => (d - start) % 7 === 0)!;
      const repeat = chipIn(day, p.id);
      expect(await repeat.count()).toBe(1);
      expect(await repeat.getAttribute('data-repeat')).toBe(String((day - start) / 7));
      expect(await repeat.locator('.cal-post__time').textContent()).toBe('10:00');
      expect(await repeat.getAttribute('class')).toContain('is-repeat');
      expect(await repeat.getAttribute('title')).toMatch(/repeat of a series/);
    }
    await page.screenshot({ path: join(SHOTS, 'page-calendar-repeats.png') });

    const day = weeks[2]!.find((d) => (d - start) % 7 === 0)!;
    await chipIn(day, p.id).click();
    const panel = page.getByTestId('calendar-post-panel');
    await panel.waitFor();
    expect(await panel.locator('.cal-panel__text').first().textContent()).toBe('Tuesday loaf club: this week’s bake is rye');
    // The series itself: its first date and its rule.
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toContain('10:00');
    expect(await panel.locator('.cal-panel__repeat').textContent()).toContain('FREQ=WEEKLY;COUNT=20');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
  });

  it('then nothing went wrong in the page: no script errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
