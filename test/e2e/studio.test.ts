// AI Studio in real Chromium against the real web-mode process, its SQLite file and a real
// OpenAI-compatible server on 127.0.0.1. With no endpoint the page says how to set one up and the
// box is off; once set, a message sent with Enter (Shift+Enter is a new line) streams its answer
// into view, is saved, and the chat reopens with its history after a reload; Stop mid-answer keeps
// the message and the text so far, marked as stopped.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser } from '../helpers/browser';
import { startOpenAiServer, type OpenAiServer } from '../helpers/openai-server';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const ANSWER = 'Three ideas: a sourdough masterclass reel, a behind-the-ovens story at 5 am, and a regulars’ loyalty card post with a photo of the stamp.';

let web: SpawnedWeb;
let ai: OpenAiServer;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
let workspaceId = '';
const problems: string[] = [];

function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(web.dataDir, 'postdesk.db'), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
const generations = () => readDb((db) => db.prepare("SELECT status FROM ai_generations WHERE generation_type = 'chat' ORDER BY created_at, rowid").all() as { status: string }[]);
const threads = () => readDb((db) => db.prepare('SELECT id, title, message_count AS messageCount FROM ai_studio_threads WHERE deleted_at IS NULL').all() as { id: string; title: string; messageCount: number }[]);

const h1 = () => page.getByRole('heading', { level: 1, name: 'AI Studio', exact: true });
const box = () => page.getByRole('textbox', { name: 'Message' });
const log = () => page.getByRole('log', { name: 'Messages' });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ai = await startOpenAiServer({ reply: ANSWER, chunkDelayMs: 150 });
  web = await spawnWebCli();
  workspaceId = (await web.call('workspaces.create', { name: 'Crumb Bakery', businessType: 'Bakery', brandVoice: 'friendly', timezone: 'Europe/London' })).id;
  ({ context, page, profile } = await openBrowser(problems));
  await page.addInitScript('globalThis.__name = (f) => f');
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  await ai?.close();
  profile?.cleanup();
});

describe('AI Studio in Chromium (web mode)', () => {
  it('given no AI endpoint, when the studio is opened and a chat started, then it says how to set one up and the message box is off', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'AI Studio', exact: true }).click();
    await h1().waitFor();
    await page.getByRole('tab', { name: 'Chats', selected: true }).waitFor();

    const setup = page.getByTestId('studio-setup');
    await setup.waitFor();
    expect(await setup.textContent()).toContain('Settings → AI → Endpoint');
    expect(await setup.getByRole('link', { name: 'Open Settings → AI' }).getAttribute('href')).toContain('/settings?section=ai');

    await page.getByRole('button', { name: 'New chat' }).first().click();
    await box().waitFor();
    expect(await box().isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'page-studio-setup.png') });
    expect(threads()).toHaveLength(1);
  });

  it('given an endpoint, when a message is sent with Enter, then the answer streams into view, is saved, and the chat reopens with it after a reload', async () => {
    await web.call('ai.updateSettings', { workspaceId, baseUrl: ai.url, chatModel: 'test-model' });
    await page.reload();
    await h1().waitFor();
    await expect.poll(() => box().isDisabled()).toBe(false);
    expect(await page.getByTestId('studio-setup').count()).toBe(0);

    // Shift+Enter is a new line, not a send.
    await box().click();
    await page.keyboard.type('Give me three post ideas');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('for this week.');
    expect(await box().inputValue()).toBe('Give me three post ideas\nfor this week.');
    expect(ai.requestsTo('chat/completions')).toHaveLength(0);

    await page.keyboard.press('Enter');
    // Streaming: part of the answer shows before all of it is there, with Stop offered meanwhile.
    const streaming = page.getByTestId('studio-streaming');
    await expect.poll(async () => (await streaming.textContent().catch(() => '')) ?? '', { timeout: 10_000, interval: 20 }).toMatch(/^Three ideas:/);
    const partial = (await streaming.textContent()) ?? '';
    expect(partial.length).toBeLessThan(ANSWER.length);
    expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
    expect(await box().inputValue()).toBe('');

    await log().getByText(ANSWER, { exact: true }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Send' }).waitFor();
    expect(await log().getByText('Give me three post ideas').count()).toBe(1);
    await page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /Give me three post ideas/ }).waitFor();
    expect(page.url()).toMatch(/#\/studio\?thread=[0-9a-f-]{36}$/);
    expect(threads()).toEqual([expect.objectContaining({ title: 'Give me three post ideas', messageCount: 2 })]);
    expect(generations()).toEqual([{ status: 'completed' }]);
    await page.screenshot({ path: join(SHOTS, 'page-studio.png') });

    await page.reload();
    await h1().waitFor();
    await log().getByText(ANSWER, { exact: true }).waitFor();
    expect(await log().getByText('Give me three post ideas').count()).toBe(1);
    expect(await page.getByText(/The model sees your newest messages, up to about 8,000 tokens/).count()).toBe(1);
  });

  it('given a slow answer, when Stop is pressed mid-stream, then the message and the text so far stay, marked as stopped, and the call is metered as cancelled', async () => {
    ai.set({ reply: Array.from({ length: 80 }, (_, i) => `step${i}`).join(' '), chunkDelayMs: 80 });
    await box().fill('Write a very long plan.');
    await box().press('Enter');
    const streaming = page.getByTestId('studio-streaming');
    await expect.poll(async () => (await streaming.textContent().catch(() => '')) ?? '', { timeout: 10_000, interval: 20 }).toMatch(/^step0 step1 step2/);
    await page.getByRole('button', { name: 'Stop' }).click();

    await page.getByText('Stopped: the text so far is kept.').waitFor({ timeout: 10_000 });
    expect(await log().getByText('Write a very long plan.').count()).toBe(1);
    await page.getByRole('button', { name: 'Send' }).waitFor();
    await expect.poll(() => generations()).toEqual([{ status: 'completed' }, { status: 'cancelled' }]);
    expect(threads()).toEqual([expect.objectContaining({ messageCount: 4 })]);
  });

  it('given an FAQ entry, when a new chat asks with "Use my knowledge base" on, then the answer shows the passage it was grounded on', async () => {
    await web.call('knowledge.faqCreate', {
      workspaceId,
      questions: ['Do you deliver?', 'Can you deliver a cake?'],
      answer: 'We deliver cakes within 5 miles of the shop for a flat $6 fee, Tuesday to Saturday.',
      title: 'Delivery',
    });
    ai.set({ reply: 'Cake delivery is here: within 5 miles, flat $6, Tuesday to Saturday [1].', chunkDelayMs: 0 });
    await page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: 'New chat' }).click();
    await expect.poll(() => log().count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Use my knowledge base' }).check();
    await box().fill('Write a post saying we deliver cakes.');
    await box().press('Enter');

    await log().getByText('Cake delivery is here', { exact: false }).waitFor({ timeout: 15_000 });
    const sources = log().getByText('Based on 1 passage from your knowledge base');
    await sources.click();
    await log().getByText(/flat \$6 fee/).waitFor();
    expect(await log().locator('.studio-msg__sources strong').first().textContent()).toBe('Delivery');
    const system = (ai.requestsTo('chat/completions').at(-1)!.body!['messages'] as { content: string }[])[0]!.content;
    expect(system).toContain('flat $6 fee');
    await page.screenshot({ path: join(SHOTS, 'page-studio-knowledge.png') });
    expect(threads()).toHaveLength(2);
  });

  it('given an answered chat, when the user regenerates, renames and deletes it, then the new answer shows with the earlier one kept, the list follows, and the deleted chat is gone', async () => {
    ai.set({ reply: 'A second take on cake delivery.' });
    await log().getByRole('button', { name: 'Regenerate' }).click();
    await log().getByText('A second take on cake delivery.', { exact: true }).waitFor({ timeout: 15_000 });
    await log().getByText('Earlier answers (1)').click();
    await log().getByText(/Cake delivery is here/).waitFor();
    await expect.poll(() => generations().length).toBe(4);

    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    const name = page.getByRole('textbox', { name: 'Chat name' });
    await name.fill('Delivery post');
    await name.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Delivery post' }).waitFor();
    await page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /^Delivery post/ }).waitFor();

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('group', { name: 'Delete this chat?' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => threads().map((t) => t.title)).toEqual(['Give me three post ideas']);
    await page.getByRole('heading', { level: 2, name: 'Give me three post ideas' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /^Delivery post/ }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
