// The Queue page in real Chromium against the real web-mode process and a real data folder: a
// seeded demo workspace plus job rows written straight into its SQLite file before the server
// starts (a failed publish with three attempts, a publish scheduled soon, one held for a decision,
// a failed app-wide maintenance run). The user reads them, retries with the keyboard, cancels with
// a confirmation, and every outcome is checked against the database rows. Whether the scheduler
// runs inside web mode decides what a retried maintenance job does; the test reads which it is
// from the database and asserts that behaviour.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/schema/columns';
import { openBrowser } from '../helpers/browser';
import { tempDir } from '../helpers/db';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const MIN = 60_000;
const HOUR = 60 * MIN;

const PUBLISH_ERROR =
  'Bluesky refused the post: the text is 312 characters and the limit is 300. Shorten it in Compose, then retry. (HTTP 400 InvalidRequest: Record/text must not be longer than 300 graphemes)';
const MAINTENANCE_ERROR = 'SQLITE_BUSY: database is locked — another program held the file during the checkpoint.';

let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let data: { dir: string; cleanup: () => void };
let profile: { dir: string; cleanup: () => void };
let workspace: { id: string; name: string; timezone: string };
const ids = { failed: '', scheduled: '', held: '', maintenance: '', running: '', series: '' };
const SERIES_KEY = 'post-series:weekly-bake-of-the-week';
const problems: string[] = [];

interface JobRow {
  status: string;
  hold: string | null;
  attempts: number;
  interruptions: number;
  max_attempts: number;
  run_at: number;
  last_error: string | null;
  completed_at: number | null;
}

function openDb(readonly = true) {
  return new Database(join(data.dir, 'postdesk.db'), { readonly, fileMustExist: true });
}

function jobRow(id: string): JobRow {
  const db = openDb();
  try {
    const row = db.prepare('SELECT status, hold, attempts, interruptions, max_attempts, run_at, last_error, completed_at FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new Error(`job ${id} is not in the database`);
    return row;
  } finally {
    db.close();
  }
}

function attemptRows(id: string): { attempt: number; status: string }[] {
  const db = openDb();
  try {
    return db.prepare('SELECT attempt, status FROM job_attempts WHERE job_id = ? ORDER BY attempt').all(id) as { attempt: number; status: string }[];
  } finally {
    db.close();
  }
}

/** What the page should call a row in this state (jobs.ts's stateOf, in the page's words). */
function chipFor(r: JobRow, now = Date.now()): string {
  if (r.status === 'pending') {
    if (r.hold !== null) return 'Needs you';
    if (r.attempts > r.interruptions) return 'Retrying';
    return r.run_at <= now ? 'Due' : 'Scheduled';
  }
  return { running: 'Running', completed: 'Done', failed: 'Failed', cancelled: 'Cancelled' }[r.status] ?? r.status;
}

async function until<T>(what: string, read: () => T, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A workspace with real content: the seed generator when it exists, otherwise one made through the API. */
async function prepareWorkspace(dir: string): Promise<void> {
  if (existsSync(join(repoRoot, 'db', 'seed', 'cli.ts'))) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'db/seed/cli.ts', '--scale', 'small', '--data', dir, '--quiet'], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`seeding failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return;
  }
  const w = await spawnWebCli({ dataDir: dir });
  try {
    await w.call('workspaces.create', { name: 'Kōfi & Crumb', timezone: 'America/Los_Angeles' });
  } finally {
    await w.stop();
  }
}

function insertJobs(now: number): void {
  const db = openDb(false);
  try {
    const ws = db.prepare('SELECT id, name, timezone FROM workspaces ORDER BY created_at LIMIT 1').get() as typeof workspace;
    workspace = ws;
    // The demo's accounts have no saved sign-in. Active, they draw the web host's sweeps: an inbox
    // check every minute that lands in Done and a metrics fetch each quarter hour that lands in
    // Failed. Either would reorder the lists these tests read whenever a run crossed a minute or a
    // quarter hour. This file is about jobs, not accounts, so no account is left active.
    db.prepare("UPDATE accounts SET status = 'disconnected'").run();
    const job = db.prepare(
      `INSERT INTO jobs (id, workspace_id, type, payload, status, priority, run_at, due_at, attempts, max_attempts, hold, last_error, started_at, completed_at, created_at, updated_at)
       VALUES (@id, @ws, @type, @payload, @status, @priority, @runAt, @runAt, @attempts, @max, @hold, @error, @startedAt, @completedAt, @createdAt, @updatedAt)`,
    );
    const attempt = db.prepare(
      `INSERT INTO job_attempts (job_id, workspace_id, attempt, idempotency_key, runner, status, started_at, finished_at, error, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      // A publish that failed three times, two hours ago.
      ids.failed = newId();
      const failedAt = now - 2 * HOUR;
      job.run({ id: ids.failed, ws: ws.id, type: 'post.publish', payload: JSON.stringify({ targetId: newId() }), status: 'failed', priority: 10, runAt: failedAt - 10 * MIN, attempts: 3, max: 3, hold: null, error: PUBLISH_ERROR, startedAt: failedAt - 1000, completedAt: failedAt, createdAt: now - 26 * HOUR, updatedAt: failedAt });
      for (const n of [1, 2, 3]) {
        const started = failedAt - (4 - n) * 3 * MIN;
        attempt.run(ids.failed, ws.id, n, `${ids.failed}:publish`, 'laptop/4242/0c1d2e', 'failed', started, started + 850, n === 3 ? PUBLISH_ERROR : 'Bluesky did not answer within 15 s (network timeout).', started, started + 850);
      }
      // A publish due in 25 minutes: first in Upcoming (the seeded ones are hours away).
      ids.scheduled = newId();
      job.run({ id: ids.scheduled, ws: ws.id, type: 'post.publish', payload: '{}', status: 'pending', priority: 10, runAt: now + 25 * MIN, attempts: 0, max: 3, hold: null, error: null, startedAt: null, completedAt: null, createdAt: now - HOUR, updatedAt: now - HOUR });
      // A publish that came due while the app was closed and is set to ask.
      ids.held = newId();
      job.run({ id: ids.held, ws: ws.id, type: 'post.publish', payload: '{}', status: 'pending', priority: 10, runAt: now - 3 * HOUR, attempts: 0, max: 3, hold: 'missed', error: null, startedAt: null, completedAt: null, createdAt: now - 30 * HOUR, updatedAt: now - 3 * HOUR });
      // A publish another Postdesk process (an always-on machine sharing the file) is running now,
      // 40% through, under a live lease: this process leaves it alone.
      ids.running = newId();
      job.run({ id: ids.running, ws: ws.id, type: 'post.publish', payload: '{}', status: 'running', priority: 10, runAt: now - 3 * MIN, attempts: 1, max: 3, hold: null, error: null, startedAt: now - 3 * MIN, completedAt: null, createdAt: now - 2 * HOUR, updatedAt: now - MIN });
      db.prepare(`UPDATE jobs SET lease_owner = 'always-on-mini/4242/5f2a9c', lease_expires_at = ?, progress = ? WHERE id = ?`).run(now + HOUR, JSON.stringify({ fraction: 0.4, message: 'Uploading image 2 of 5' }), ids.running);
      attempt.run(ids.running, ws.id, 1, `${ids.running}:publish`, 'always-on-mini/4242/5f2a9c', 'running', now - 3 * MIN, null, null, now - 3 * MIN, now - 3 * MIN);
      // A weekly repeating publish (ten times); this occurrence is in two days.
      ids.series = newId();
      const seriesAt = Math.floor((now + 2 * 24 * HOUR) / MIN) * MIN;
      job.run({ id: ids.series, ws: ws.id, type: 'post.publish', payload: '{}', status: 'pending', priority: 10, runAt: seriesAt, attempts: 0, max: 3, hold: null, error: null, startedAt: null, completedAt: null, createdAt: now - HOUR, updatedAt: now - HOUR });
      db.prepare('UPDATE jobs SET series_key = ?, unique_key = ?, recurrence = ? WHERE id = ?').run(
        SERIES_KEY,
        `${SERIES_KEY}@${seriesAt}`,
        JSON.stringify({ rrule: 'FREQ=WEEKLY;COUNT=10', startsAt: seriesAt, timezone: ws.timezone }),
        ids.series,
      );
      // App-wide upkeep that failed: only under "All workspaces".
      ids.maintenance = newId();
      const mAt = now - 5 * HOUR;
      job.run({ id: ids.maintenance, ws: null, type: 'maintenance.optimize', payload: '{}', status: 'failed', priority: 0, runAt: mAt, attempts: 3, max: 3, hold: null, error: MAINTENANCE_ERROR, startedAt: mAt, completedAt: mAt + 4000, createdAt: mAt, updatedAt: mAt + 4000 });
      for (const n of [1, 2, 3]) attempt.run(ids.maintenance, null, n, `${ids.maintenance}:${n}`, 'laptop/4242/0c1d2e', 'failed', mAt + n * 1000, mAt + n * 1000 + 40, MAINTENANCE_ERROR, mAt, mAt);
    })();
  } finally {
    db.close();
  }
}

const h1 = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const tab = (name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });
const table = () => page.getByRole('tabpanel').getByRole('table').first();
const row = (jobId: string): Locator => page.locator(`tr[data-job-id="${jobId}"]`);
const chip = (jobId: string) => row(jobId).locator('.chip').first();
const cells = (jobId: string) => row(jobId).locator(':scope > td, :scope > th');

async function openTab(name: string) {
  await tab(name).click();
  expect(await tab(name).getAttribute('aria-selected')).toBe('true');
  await page.locator('[role="tabpanel"][aria-busy="false"]').waitFor();
}

async function chooseScope(label: 'This workspace' | 'All workspaces') {
  await page.getByRole('radio', { name: label }).check();
  await page.locator('[role="tabpanel"][aria-busy="false"]').waitFor();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  data = tempDir('postdesk-queue-');
  await prepareWorkspace(data.dir);
  insertJobs(Date.now());
  web = await spawnWebCli({ dataDir: data.dir });
  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.stop();
  data?.cleanup();
  profile?.cleanup();
});

/** Web mode runs the scheduler when the maintenance cron rule was registered at startup. */
function schedulerRuns(): boolean {
  const db = openDb();
  try {
    const t = db.prepare("SELECT count(*) AS n FROM cron_jobs WHERE job_type = 'maintenance.optimize'").get() as { n: number };
    return t.n > 0;
  } finally {
    db.close();
  }
}

describe('Queue page in Chromium (web mode)', () => {
  it('given seeded jobs, when the Queue opens, then Upcoming lists them soonest first with state, time in the workspace timezone, attempts and the stats line', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Queue', exact: true }).click();
    await h1('Queue').waitFor();
    await page.locator('[role="tabpanel"][aria-busy="false"]').waitFor();
    expect(await tab('Upcoming').getAttribute('aria-selected')).toBe('true');

    const db = openDb();
    const pending = (db.prepare("SELECT count(*) AS n FROM jobs WHERE workspace_id = ? AND status IN ('pending', 'running') AND hold IS NULL").get(workspace.id) as { n: number }).n;
    db.close();
    // The stats line and the tab counts come from jobs.stats.
    const stats = page.getByTestId('queue-stats');
    await expect.poll(() => stats.textContent()).toMatch(new RegExp(`^${pending} upcoming · 1 needs you · 1 failed · next run in 2[45] min`));
    expect(await tab('Upcoming').textContent()).toBe(`Upcoming${pending}`);

    // What runs now comes first, with its progress; then soonest first: the job due in 25 minutes.
    const rows = table().locator('tbody tr.qrow');
    expect(await rows.nth(0).getAttribute('data-job-id')).toBe(ids.running);
    expect(await rows.nth(1).getAttribute('data-job-id')).toBe(ids.scheduled);
    expect(await chip(ids.running).textContent()).toBe('Running');
    const bar = row(ids.running).getByRole('progressbar', { name: 'Publish post progress' });
    expect(await bar.getAttribute('aria-valuenow')).toBe('40');
    // Started 3 min before the seed; the label rounds to the minute, and the run may be 30 s past it.
    expect(await cells(ids.running).nth(2).textContent()).toMatch(/^started [34] min ago$/);
    expect(await cells(ids.running).nth(3).textContent()).toBe('1 of 3');
    await row(ids.running).getByRole('button', { name: 'Publish post', exact: true }).click();
    const runningDetails = page.getByRole('region', { name: 'Publish post: details and attempts' });
    await runningDetails.getByText('Uploading image 2 of 5').waitFor();
    expect(await runningDetails.getByRole('table', { name: 'Attempts' }).locator('tbody tr').first().textContent()).toContain('always-on');
    await page.screenshot({ path: join(SHOTS, 'page-queue-running.png') });
    await row(ids.running).getByRole('button', { name: 'Publish post', exact: true }).click();
    expect(await runningDetails.count()).toBe(0);

    const c = cells(ids.scheduled);
    expect(await c.nth(0).textContent()).toBe('Publish post');
    expect(await row(ids.scheduled).locator('.qjob__label').getAttribute('title')).toBe('post.publish');
    expect(await chip(ids.scheduled).textContent()).toBe('Scheduled');
    expect(await c.nth(2).textContent()).toMatch(/^in 2[45] min$/);
    const when = row(ids.scheduled).locator('time');
    // The exact time on hover, on the workspace's clock (the browser is in Paris).
    expect(await when.getAttribute('title')).toMatch(new RegExp(`^\\w{3}, \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2}:\\d{2} \\(${workspace.timezone.replace('/', '\\/')}\\)$`));
    expect(await c.nth(3).textContent()).toBe('0 of 3');
    expect(await c.nth(4).textContent()).toBe('—');
    expect(await row(ids.scheduled).getByRole('button', { name: /^Cancel/ }).count()).toBe(1);
    expect(await row(ids.scheduled).getByRole('button', { name: /^Retry/ }).count()).toBe(0);
    // Held and failed jobs are not "upcoming".
    expect(await row(ids.held).count()).toBe(0);
    expect(await row(ids.failed).count()).toBe(0);
  });

  it('given Needs you, then the held publish shows when it was due and can be run now or cancelled', async () => {
    await openTab('Needs you');
    expect(await table().locator('tbody tr').count()).toBe(1);
    expect(await chip(ids.held).textContent()).toBe('Needs you');
    expect(await cells(ids.held).nth(2).textContent()).toBe('was due 3 h ago');
    expect(await row(ids.held).getByRole('button', { name: /^Run now/ }).count()).toBe(1);
    expect(await row(ids.held).getByRole('button', { name: /^Cancel/ }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'page-queue-needs-you.png') });
  });

  it('given the Failed tab, when the user opens the failed publish, then the error is in words and all three attempts are listed', async () => {
    await openTab('Failed');
    expect(await chip(ids.failed).textContent()).toBe('Failed');
    const c = cells(ids.failed);
    // Failed 2 h before the seed; a slow run may be a minute past it by now.
    expect(await c.nth(2).textContent()).toMatch(/^failed 2 h( 1 min)? ago$/);
    expect(await c.nth(3).textContent()).toBe('3 of 3');
    // The cell holds the error on one line (cut at a word); the details hold all of it.
    expect(PUBLISH_ERROR.startsWith((await c.nth(4).textContent())!.replace(/…$/, ''))).toBe(true);

    const toggle = row(ids.failed).getByRole('button', { name: 'Publish post', exact: true });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const details = page.getByRole('region', { name: 'Publish post: details and attempts' });
    await details.waitFor();
    expect(await details.locator('pre.qerror').textContent()).toBe(PUBLISH_ERROR);
    const attempts = details.getByRole('table', { name: 'Attempts' });
    await attempts.waitFor();
    const rows = attempts.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).locator('th').textContent()).toBe('1');
    expect(await rows.nth(0).textContent()).toContain('Bluesky did not answer within 15 s');
    expect(await rows.nth(2).textContent()).toContain('Failed');
    expect(await rows.nth(2).textContent()).toContain('850 ms');
    expect(await rows.nth(2).textContent()).toContain('laptop/4242/0c1d2e');
    await page.screenshot({ path: join(SHOTS, 'page-queue-failed.png') });
  });

  it('when the user retries it with the keyboard (j, r), then the database has it pending again and the page shows it where the database says', async () => {
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    const toggle = page.locator(`#queue-job-${ids.failed}`);
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('r');

    // It leaves Failed, and the database agrees it is queued again with a fresh budget of attempts.
    await row(ids.failed).waitFor({ state: 'detached' });
    const r = jobRow(ids.failed);
    expect(r.status).not.toBe('failed');
    expect(r.last_error).toBe(PUBLISH_ERROR);
    expect(r.max_attempts).toBeGreaterThan(3);
    await page.getByTestId('queue-empty').waitFor();
    expect(await page.getByTestId('queue-empty').textContent()).toContain('No failed jobs');
    await page.screenshot({ path: join(SHOTS, 'page-queue-empty.png') });

    // Its post is gone (the fixture names a target that does not exist), so the publish ends as
    // skipped; wherever it is by now, the page agrees with the database.
    const now = jobRow(ids.failed);
    await openTab(now.status === 'completed' || now.status === 'cancelled' ? 'Done' : now.status === 'failed' ? 'Failed' : 'Upcoming');
    await row(ids.failed).waitFor();
    expect(await chip(ids.failed).textContent()).toBe(chipFor(jobRow(ids.failed)));
    const after = jobRow(ids.failed);
    expect(await cells(ids.failed).nth(3).textContent()).toBe(`${after.attempts - after.interruptions} of ${after.max_attempts}`);
  });

  it('when the user cancels the scheduled publish (c) and confirms, then its row is cancelled in the database and it moves to Done', async () => {
    await openTab('Upcoming');
    await page.locator(`#queue-job-${ids.scheduled}`).focus();
    await page.keyboard.press('c');
    const dialog = page.getByRole('dialog', { name: 'Cancel “Publish post”?' });
    await dialog.waitFor();
    // The safe choice has the focus; Escape keeps the job.
    expect(await dialog.getByRole('button', { name: 'Keep it' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'page-queue-cancel.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(jobRow(ids.scheduled).status).toBe('pending');

    await row(ids.scheduled).getByRole('button', { name: /^Cancel/ }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row(ids.scheduled).waitFor({ state: 'detached' });

    const r = jobRow(ids.scheduled);
    expect(r.status).toBe('cancelled');
    expect(r.last_error).toBe('Cancelled.');
    expect(r.completed_at).not.toBeNull();
    expect(await page.getByRole('status').filter({ hasText: '“Publish post” was cancelled.' }).count()).toBe(1);

    await openTab('Done');
    expect(await table().locator('tbody tr').first().getAttribute('data-job-id')).toBe(ids.scheduled);
    expect(await chip(ids.scheduled).textContent()).toBe('Cancelled');
    expect(await cells(ids.scheduled).nth(2).textContent()).toMatch(/^cancelled (just now|\d+ s ago)$/);
    // A cancelled job can be retried, not cancelled again.
    expect(await row(ids.scheduled).getByRole('button', { name: /^Retry/ }).count()).toBe(1);
    expect(await row(ids.scheduled).getByRole('button', { name: /^Cancel/ }).count()).toBe(0);
  });

  it('given a repeating publish, when the user cancels this run, then the next one is queued; when they end the series, then nothing of it is left to run', async () => {
    await openTab('Upcoming');
    await row(ids.series).waitFor();
    expect(await row(ids.series).locator('.qtag').textContent()).toBe('Repeats');
    await row(ids.series).getByRole('button', { name: /^Cancel/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel “Publish post”?' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Cancel the whole series' }).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Cancel this run' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row(ids.series).waitFor({ state: 'detached' });

    const readSeries = () => {
      const db = openDb();
      try {
        return db.prepare('SELECT id, status, due_at, recurrence IS NOT NULL AS repeats FROM jobs WHERE series_key = ? ORDER BY due_at').all(SERIES_KEY) as { id: string; status: string; due_at: number; repeats: number }[];
      } finally {
        db.close();
      }
    };
    const [first, next] = readSeries();
    expect(first?.status).toBe('cancelled');
    expect(next?.status).toBe('pending');
    // One week later on the workspace's clock.
    expect(next!.due_at - first!.due_at).toBe(7 * 24 * HOUR);
    await row(next!.id).waitFor();
    expect(await row(next!.id).locator('.qtag').textContent()).toBe('Repeats');
    expect(await cells(next!.id).nth(2).textContent()).toBe('in 1 week');

    await row(next!.id).getByRole('button', { name: /^Cancel/ }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel the whole series' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row(next!.id).waitFor({ state: 'detached' });
    const after = readSeries();
    expect(after.map((r) => [r.status, r.repeats])).toEqual([
      ['cancelled', 1],
      ['cancelled', 0],
    ]);
    expect(await page.getByRole('status').filter({ hasText: 'and the rest of its series were cancelled' }).count()).toBe(1);
  });

  it('given all workspaces, when the user retries the failed app-wide maintenance, then it does what the scheduler does with it and the page follows the database', async () => {
    await openTab('Failed');
    expect(await row(ids.maintenance).count()).toBe(0);
    await chooseScope('All workspaces');
    await row(ids.maintenance).waitFor();
    expect(await cells(ids.maintenance).nth(0).textContent()).toBe('Database maintenance');
    expect(await cells(ids.maintenance).nth(1).textContent()).toBe('App-wide');
    expect(await cells(ids.maintenance).nth(5).textContent()).toBe(MAINTENANCE_ERROR);

    await row(ids.maintenance).getByRole('button', { name: /^Retry/ }).click();
    await row(ids.maintenance).waitFor({ state: 'detached' });

    if (schedulerRuns()) {
      // The scheduler has a handler for it: it runs at once and succeeds, as a fourth attempt.
      const done = await until('the retried maintenance job to finish', () => jobRow(ids.maintenance), (r) => r.status === 'completed');
      expect(done.attempts).toBe(4);
      expect(attemptRows(ids.maintenance)).toEqual([
        { attempt: 1, status: 'failed' },
        { attempt: 2, status: 'failed' },
        { attempt: 3, status: 'failed' },
        { attempt: 4, status: 'succeeded' },
      ]);
      await openTab('Done');
      await row(ids.maintenance).waitFor();
      expect(await chip(ids.maintenance).textContent()).toBe('Done');
      await row(ids.maintenance).getByRole('button', { name: 'Database maintenance', exact: true }).click();
      const attempts = page.getByRole('region', { name: 'Database maintenance: details and attempts' }).getByRole('table', { name: 'Attempts' });
      await attempts.waitFor();
      expect(await attempts.locator('tbody tr').count()).toBe(4);
      expect(await attempts.locator('tbody tr').nth(3).textContent()).toContain('Succeeded');
    } else {
      // Nothing runs jobs in this process: it waits, queued again, and the page says so.
      const r = jobRow(ids.maintenance);
      expect(r.status).toBe('pending');
      await openTab('Upcoming');
      await row(ids.maintenance).waitFor();
      expect(await chip(ids.maintenance).textContent()).toBe(chipFor(r));
    }
  });

  it('given jobs change elsewhere (another window cancels one), then the open page follows through the scheduler events, with no reload', async () => {
    await chooseScope('This workspace');
    await openTab('Upcoming');
    const firstId = await table().locator('tbody tr.qrow[data-state="scheduled"]').first().getAttribute('data-job-id');
    expect(firstId).toBeTruthy();
    await web.call('jobs.cancel', { jobId: firstId!, series: false });
    expect(jobRow(firstId!).status).toBe('cancelled');
    if (schedulerRuns()) {
      // jobs.cancelled reached the page over the WebSocket; the debounced refetch removed the row.
      await row(firstId!).waitFor({ state: 'detached', timeout: 15_000 });
    } else {
      // Without a scheduler nothing announces the change; the page does not poll, so the row stays until a refresh.
      await page.waitForTimeout(1_500);
      expect(await row(firstId!).count()).toBe(1);
    }
  });

  it('given more jobs than a page, when the user loads more, then the next page is appended in order', async () => {
    await chooseScope('All workspaces');
    await openTab('All');
    const db = openDb();
    const total = (db.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n;
    db.close();
    expect(total).toBeGreaterThan(50);
    expect(await table().locator('tbody tr.qrow').count()).toBe(50);
    expect(await page.getByText(`Showing 50 of ${total} jobs`).count()).toBe(1);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => table().locator('tbody tr.qrow').count()).toBe(Math.min(100, total));
    // Latest change first, across both pages.
    const updated = await table()
      .locator('tbody tr.qrow')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-job-id')));
    expect(new Set(updated).size).toBe(updated.length);
  });

  it('screenshots: the queue in light and dark', async () => {
    await chooseScope('All workspaces');
    await openTab('Upcoming');
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.screenshot({ path: join(SHOTS, 'page-queue.png') });
    await page.getByRole('radio', { name: 'Dark theme' }).check();
    await openTab('Done');
    // A completed job always has an attempt to show; the one cancelled earlier in this file has none, and it is
    // first in Done whenever nothing finished after it.
    const first = table().locator('tbody tr.qrow[data-state="completed"]').first();
    await first.locator('[data-queue-row-toggle]').click();
    await page.getByRole('region', { name: /details and attempts$/ }).getByRole('table', { name: 'Attempts' }).first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'page-queue-dark.png') });
    await page.getByRole('radio', { name: 'Light theme' }).check();
  });

  it('given the whole session, then no script error or CSP violation was logged', () => {
    expect(problems).toEqual([]);
  });
});
