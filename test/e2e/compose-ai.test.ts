// Compose's AI assist in real Chromium against the real web-mode process and its SQLite file, with
// a real OpenAI-compatible server on 127.0.0.1. With no endpoint, the AI buttons stay and say how
// to set one up while the draft still saves and schedules. Once the endpoint is set through the
// API, a post is written from a brief — streamed into view, not into the draft — and goes in only
// when accepted, with an undo; a rewrite that comes back too long for Bluesky is tried again and
// lands in Bluesky's tab; Stop cancels a call and leaves the post alone; a suggested hashtag is
// added in one click. Every call is metered in the database.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/schema/columns';
import { openBrowser } from '../helpers/browser';
import { startOpenAiServer, type OpenAiServer } from '../helpers/openai-server';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const HANDLE = 'crumb-ai.bsky.social';
const TZ = 'Europe/London';
const WRITTEN = 'Our sourdough workshop is back this Saturday: feed a starter, shape a loaf and take it home warm. $45 with lunch, eight seats left. 🥖';
const SHORT = 'Sourdough workshop Saturday, $45 with lunch. Eight seats left! 🥖';

let web: SpawnedWeb;
let ai: OpenAiServer;
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
interface PostRow {
  id: string;
  content: string;
  status: string;
  hashtags: string;
}
const drafts = () => readDb((db) => db.prepare("SELECT id, content, status, hashtags FROM posts WHERE deleted_at IS NULL AND status = 'draft'").all() as PostRow[]);
const scheduled = () => readDb((db) => db.prepare("SELECT content, publish_at FROM posts WHERE status = 'scheduled'").all() as { content: string; publish_at: number }[]);
const variant = (postId: string) => readDb((db) => (db.prepare('SELECT content FROM post_targets WHERE post_id = ?').get(postId) as { content: string | null } | undefined)?.content);
const generations = () => readDb((db) => db.prepare('SELECT generation_type AS type, status FROM ai_generations ORDER BY created_at, rowid').all() as { type: string; status: string }[]);

const nav = (name: string) => page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name, exact: true });
const mainText = () => page.getByRole('textbox', { name: 'Post text' });
const publish = () => page.getByRole('region', { name: 'Publish' });
const assist = () => page.getByRole('region', { name: 'AI assist' });
const button = (name: string) => assist().getByRole('button', { name, exact: true });
const result = () => assist().getByTestId('ai-result');

function wallInputs(ms: number, tz: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ai = await startOpenAiServer({ reply: WRITTEN });
  web = await spawnWebCli();
  const ws = await web.call('workspaces.create', { name: 'Crumb Bakery', businessType: 'Bakery', brandVoice: 'friendly', timezone: TZ });
  workspaceId = ws.id;
  // A connected Bluesky account without a sign-in: composing and scheduling only need the row.
  readDb((db) => {
    const now = Date.now();
    db.prepare(
      `INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username, display_name, auth_kind, status, created_at, updated_at)
       VALUES (?, ?, 'bluesky', 'did:plc:crumbai', ?, 'Crumb Bakery', 'app_password', 'active', ?, ?)`,
    ).run(newId(), workspaceId, HANDLE, now, now);
  }, false);
  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  await ai?.close();
  profile?.cleanup();
});

describe('Compose AI assist in Chromium (web mode)', () => {
  it('given no AI endpoint, then the AI buttons are there and say how to set one up, and the draft still saves and schedules', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await nav('Compose').click();
    await page.getByRole('heading', { level: 1, name: 'New post' }).waitFor();
    await page.getByRole('button', { name: `@${HANDLE} on Bluesky`, exact: true }).click();
    await mainText().fill('Rye is back on Thursday.');

    // A short line says it is not set up and where; the buttons stay, described by it.
    const setup = assist().getByTestId('ai-setup');
    await setup.waitFor();
    expect(await setup.textContent()).toContain('AI is not set up: add an endpoint in Settings → AI (a local Ollama works offline).');
    for (const name of ['Write from a brief', 'Rewrite for Bluesky', 'Suggest hashtags']) expect(await button(name).isVisible()).toBe(true);
    expect(await assist().getByRole('group', { name: 'AI assist' }).getAttribute('aria-describedby')).toBe(await setup.getAttribute('id'));

    // Pressing one explains exactly what to enter (and focuses the explanation) instead of failing.
    await button('Write from a brief').click();
    await expect.poll(() => setup.textContent()).toContain('Settings → AI → Endpoint');
    expect(await setup.textContent()).toContain('a local Ollama at http://127.0.0.1:11434/v1');
    await expect.poll(() => setup.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await assist().getByRole('textbox', { name: 'Brief' }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'page-compose-ai-setup.png') });

    await expect.poll(() => drafts().map((d) => d.content)).toEqual(['Rye is back on Thursday.']);
    const at = Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000;
    const { date, time } = wallInputs(at, TZ);
    await publish().getByText('At a time', { exact: true }).click();
    await publish().getByLabel('Date', { exact: true }).fill(date);
    await publish().getByLabel('Time', { exact: true }).fill(time);
    await expect.poll(() => publish().locator('.cmp-publish__primary').isDisabled()).toBe(false);
    await publish().locator('.cmp-publish__primary').click();
    await publish().getByTestId('scheduled-summary').waitFor({ timeout: 10_000 });
    expect(scheduled()).toEqual([{ content: 'Rye is back on Thursday.', publish_at: at }]);
    expect(ai.requests).toHaveLength(0);
    expect(generations()).toEqual([]);
  });

  it('given the endpoint set through the API, when a post is written from a brief, then it streams into view, stays out of the draft until accepted, and can be undone', async () => {
    await web.call('ai.updateSettings', { workspaceId, baseUrl: ai.url, chatModel: 'test-model' });
    ai.set({ reply: WRITTEN, chunkDelayMs: 120 });
    await page.getByRole('button', { name: 'New post' }).click();
    await page.getByRole('heading', { level: 1, name: 'New post' }).waitFor();
    await page.getByRole('button', { name: `@${HANDLE} on Bluesky`, exact: true }).click();
    await mainText().fill('Workshop notes');
    await expect.poll(() => assist().getByTestId('ai-setup').count()).toBe(0);
    expect(await assist().textContent()).toContain('test-model');

    await button('Write from a brief').click();
    await assist().getByRole('textbox', { name: 'Brief' }).fill('Announce Saturday’s sourdough workshop, $45 with lunch, eight seats left');
    await button('Write').click();

    // Part of the text is on screen while the rest is still being written; Stop is offered meanwhile.
    await expect.poll(async () => (await result().textContent()) ?? '', { timeout: 10_000 }).toContain('sourdough workshop');
    expect(await button('Stop').isVisible()).toBe(true);
    expect(await result().textContent()).not.toContain('eight seats left');
    await page.screenshot({ path: join(SHOTS, 'page-compose-ai-streaming.png') });

    await button('Replace my text').waitFor({ timeout: 15_000 });
    expect(await result().textContent()).toContain(WRITTEN);
    expect(await result().textContent()).toMatch(/Bluesky: \d+\/300/);
    // Not in the draft until accepted.
    expect(await mainText().inputValue()).toBe('Workshop notes');
    const prompt = JSON.stringify(ai.requestsTo('chat/completions')[0]?.body);
    expect(prompt).toContain('Brand voice: friendly');
    expect(prompt).toContain('Bluesky allows at most 300 characters');
    await page.screenshot({ path: join(SHOTS, 'page-compose-ai-result.png'), fullPage: true });

    await button('Replace my text').click();
    expect(await mainText().inputValue()).toBe(WRITTEN);
    await expect.poll(() => drafts().map((d) => d.content)).toEqual([WRITTEN]);

    await assist().getByTestId('ai-undo').getByRole('button', { name: 'Undo' }).click();
    expect(await mainText().inputValue()).toBe('Workshop notes');
    await expect.poll(() => drafts().map((d) => d.content)).toEqual(['Workshop notes']);

    // Accepted for good this time, below the notes.
    await button('Write from a brief').click();
    await button('Write').click();
    await button('Add below my text').click({ timeout: 15_000 });
    expect(await mainText().inputValue()).toBe(`Workshop notes\n\n${WRITTEN}`);
    await expect.poll(() => drafts().map((d) => d.content)).toEqual([`Workshop notes\n\n${WRITTEN}`]);
  });

  it('when a rewrite for Bluesky comes back too long, then it is tried once more and the short one goes into Bluesky’s tab when accepted', async () => {
    const tooLong = `${'Sourdough '.repeat(40).trim()}.`;
    let calls = 0;
    ai.set({ chunkDelayMs: 0, reply: () => (++calls === 1 ? tooLong : SHORT) });
    await button('Rewrite for Bluesky').click();
    await button('Use for Bluesky').waitFor({ timeout: 15_000 });
    expect(calls).toBe(2);
    expect(await result().textContent()).toContain(SHORT);
    expect(await result().textContent()).not.toContain('still too long');
    // The main text is untouched; Bluesky now has its own version.
    await button('Use for Bluesky').click();
    expect(await mainText().inputValue()).toBe(`Workshop notes\n\n${WRITTEN}`);
    const postId = drafts()[0]!.id;
    await expect.poll(() => variant(postId)).toBe(SHORT);
    expect(await page.getByRole('tab', { name: new RegExp(`@${HANDLE}.*own text`) }).count()).toBe(1);
  });

  it('when the user presses Stop, then the call is cancelled, the post is unchanged, and it says so', async () => {
    ai.set({ reply: WRITTEN, chunkDelayMs: 250 });
    await button('Write from a brief').click();
    await button('Write').click();
    await expect.poll(async () => (await result().textContent()) ?? '', { timeout: 10_000 }).toContain('Our');
    await button('Stop').click();
    await assist().getByTestId('ai-error').waitFor();
    expect(await assist().getByTestId('ai-error').textContent()).toContain('Stopped. Nothing in your post was changed.');
    expect(await mainText().inputValue()).toBe(`Workshop notes\n\n${WRITTEN}`);
  });

  it('when hashtags are suggested, then one click adds one to the post', async () => {
    ai.set({ reply: 'Try: #Sourdough #Workshop #sourdough #Leith', chunkDelayMs: 0 });
    await button('Suggest hashtags').click();
    const add = assist().getByRole('button', { name: 'Add #Sourdough' });
    await add.waitFor();
    expect(await assist().getByRole('button', { name: /^Add #/ }).allTextContents()).toEqual(['Add #Sourdough', 'Add #Workshop', 'Add #Leith']);
    await add.click();
    await expect.poll(() => JSON.parse(drafts()[0]!.hashtags) as string[]).toEqual(['#Sourdough']);
    expect(await assist().getByRole('button', { name: 'Add #Sourdough' }).count()).toBe(0);
  });

  it('then every call was metered, and nothing went wrong in the page', () => {
    expect(generations()).toEqual([
      { type: 'post', status: 'completed' },
      { type: 'post', status: 'completed' },
      { type: 'enhancement', status: 'completed' },
      { type: 'enhancement', status: 'completed' },
      { type: 'post', status: 'cancelled' },
      { type: 'hashtags', status: 'completed' },
    ]);
    expect(problems).toEqual([]);
  });
});
