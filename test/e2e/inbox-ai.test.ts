// The inbox's AI in real Chromium against the real web-mode process and a real OpenAI-compatible
// server on 127.0.0.1. First with no AI endpoint anywhere: every AI button in the inbox says how to
// set one up (and where), while the inbox itself still works — a reply is written and stored — and
// the knowledge base still answers a test question through the built-in embedder (compose's AI
// buttons, drafting and scheduling without an endpoint are covered the same way in
// compose-ai.test.ts). Then with the endpoint set: Draft with AI streams a reply grounded in the
// knowledge base, shows the passage it used, and goes into the reply box only when accepted;
// Triage with AI records a decision that the thread's details show with its reason.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { DB_FILE_NAME } from '../../electron/core/app';
import { openBrowser } from '../helpers/browser';
import { startOpenAiServer, type OpenAiServer } from '../helpers/openai-server';
import { addAccount, addThread } from '../helpers/inbox-threads';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const SETUP = /No AI endpoint is set up yet\. Open Settings → AI → Endpoint .*http:\/\/127\.0\.0\.1:11434\/v1/;

let web: SpawnedWeb;
let ai: OpenAiServer;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
let workspaceId = '';
let threadId = '';
const problems: string[] = [];

const dbFile = () => join(web.dataDir, DB_FILE_NAME);
function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(dbFile(), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
const thread = () => page.getByTestId('inbox-thread');
/** The customer and thread details open beside the thread (where Triage with AI lives). */
async function openSide(): Promise<void> {
  const toggle = thread().getByRole('button', { name: 'Customer' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator('#ib-side').waitFor();
}
const DRAFT = 'Yes! Our dark rye is baked every Thursday morning — come early, it sells out by noon.';
const TRIAGE = JSON.stringify({ decision: 'respond', confidence: 0.92, reason: 'A product question the bakery can answer.' });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ai = await startOpenAiServer({ reply: DRAFT });
  web = await spawnWebCli();
  workspaceId = (await web.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/London' })).id;
  const db = openDatabase({ file: dbFile() });
  try {
    const account = addAccount(db, workspaceId, 'mastodon', 'crumb');
    const now = Date.now();
    threadId = addThread(db, {
      workspaceId,
      accountId: account,
      name: 'Ada Baker',
      unread: 1,
      messages: [{ content: 'Do you have rye bread on Thursdays?', sentAt: now - 60_000 }],
    });
  } finally {
    db.close();
  }
  await web.call('knowledge.import', { workspaceId, fileName: 'bread.md', text: '# Our breads\n\nDark rye is baked every Thursday morning and sells out by noon.\n\n# Hours\n\nWe open at seven on weekdays.' });
  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  await ai?.close();
  profile?.cleanup();
});

describe('Inbox AI in Chromium (web mode)', () => {
  it('given a customer thread, when Draft with AI and Triage with AI are pressed, then each says how to set up an endpoint, links to Settings, and nothing is written', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.evaluate((id) => (location.hash = `#/inbox?open=${id}`), threadId);
    await expect.poll(() => thread().getAttribute('data-conversation-id'), { timeout: 15_000 }).toBe(threadId);

    await thread().getByRole('button', { name: 'Draft with AI' }).click();
    const draftSetup = page.getByTestId('ai-draft').getByTestId('ai-setup');
    await draftSetup.waitFor();
    expect(await draftSetup.textContent()).toMatch(SETUP);
    expect(await draftSetup.getByRole('link', { name: 'Open Settings' }).getAttribute('href')).toMatch(/settings\?section=ai$/);

    await openSide();
    const triage = page.getByTestId('ai-triage');
    await triage.getByRole('button', { name: 'Triage with AI' }).click();
    const triageSetup = triage.getByTestId('ai-setup');
    await triageSetup.waitFor();
    expect(await triageSetup.textContent()).toMatch(SETUP);
    await page.screenshot({ path: join(SHOTS, 'page-inbox-ai-absent.png') });

    expect(readDb((db) => db.prepare('SELECT count(*) AS n FROM ai_generations').get() as { n: number }).n).toBe(0);
    expect(readDb((db) => db.prepare('SELECT count(*) AS n FROM ai_decisions').get() as { n: number }).n).toBe(0);
  });

  it('given the same thread, when the user writes a reply by hand, then it is stored as outbound and shown with its real state', async () => {
    const text = `Yes — dark rye every Thursday morning. ${Date.now()}`;
    await page.getByRole('textbox', { name: 'Reply' }).fill(text);
    await page.keyboard.press('Control+Enter');
    await thread().locator('.ib-msg--out', { hasText: text }).waitFor();
    const row = readDb((db) => db.prepare('SELECT direction, status FROM conversation_messages WHERE conversation_id = ? AND content = ?').get(threadId, text) as { direction: string; status: string } | undefined);
    expect(row?.direction).toBe('outbound');
    expect(['pending', 'sent', 'failed']).toContain(row?.status);
  });

  it('given the knowledge base, when a question is tested, then the built-in embedder and full text still find the passage', async () => {
    await page.evaluate(() => (location.hash = '#/knowledge'));
    await page.getByRole('heading', { level: 1, name: 'Knowledge' }).waitFor();
    await expect.poll(() => page.getByText('Search uses the built-in embedder', { exact: false }).count()).toBe(1);
    await page.getByRole('searchbox', { name: 'Question' }).fill('When is rye bread baked?');
    await page.getByRole('button', { name: 'Search' }).click();
    const hits = page.getByRole('list', { name: 'Search results' });
    await hits.waitFor();
    expect(await hits.locator('li').first().textContent()).toContain('Dark rye is baked every Thursday');
    expect(problems).toEqual([]);
  });

  it('given the endpoint set, when Draft with AI is pressed, then the draft streams in, names the passage it used, and goes into the reply box only when accepted', async () => {
    await web.call('ai.updateSettings', { workspaceId, baseUrl: ai.url, chatModel: 'test-model' });
    ai.set({ reply: DRAFT, chunkDelayMs: 60 });
    await page.evaluate((id) => (location.hash = `#/inbox?open=${id}`), threadId);
    await expect.poll(() => thread().getAttribute('data-conversation-id'), { timeout: 15_000 }).toBe(threadId);
    const box = page.getByRole('textbox', { name: 'Reply' });
    await box.fill('');

    const panel = page.getByTestId('ai-draft');
    await panel.getByRole('button', { name: 'Draft with AI' }).click();
    await panel.getByRole('button', { name: 'Use this draft' }).waitFor({ timeout: 15_000 });
    expect(await panel.locator('.ib-ai-draft__text').textContent()).toBe(DRAFT);
    // Grounded: the passage about rye went to the model and is named under the draft.
    const prompt = JSON.stringify(ai.requests.at(-1)?.body?.['messages'] ?? []);
    expect(prompt).toContain('Dark rye is baked every Thursday');
    await panel.getByText(/Based on \d+ passages? from your knowledge base/).click();
    expect(await panel.locator('.ib-ai-draft__sources').textContent()).toContain('Our breads');
    expect(await box.inputValue()).toBe('');

    await panel.getByRole('button', { name: 'Use this draft' }).click();
    await expect.poll(() => box.inputValue()).toBe(DRAFT);
    await page.screenshot({ path: join(SHOTS, 'page-inbox-ai-draft.png') });
    // A draft is only text: nothing was sent.
    expect(readDb((db) => db.prepare('SELECT count(*) AS n FROM conversation_messages WHERE conversation_id = ? AND content = ?').get(threadId, DRAFT) as { n: number }).n).toBe(0);
    await box.fill('');
  });

  it('given the endpoint set, when Triage with AI is pressed, then the decision is logged and the details show it with its reason', async () => {
    ai.set({ reply: TRIAGE, chunkDelayMs: 0 });
    await openSide();
    await page.getByTestId('ai-triage').getByRole('button', { name: 'Triage with AI' }).click();
    const shown = page.locator('.ib-details__triage');
    await expect.poll(() => shown.textContent(), { timeout: 15_000 }).toMatch(/A product question the bakery can answer/);
    expect(await shown.textContent()).toMatch(/92% sure/);
    const decision = readDb((db) => db.prepare('SELECT decision, confidence FROM ai_decisions WHERE conversation_id = ?').get(threadId) as { decision: string; confidence: number } | undefined);
    expect(decision).toMatchObject({ decision: 'respond', confidence: 0.92 });
    expect(problems).toEqual([]);
  });
});
