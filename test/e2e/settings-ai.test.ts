// Settings → AI in real Chromium against the real web-mode process, its SQLite file and a real
// OpenAI-compatible HTTP server started here (test/helpers/openai-server.ts, which refuses calls
// without its key). A new user sees that no endpoint is set up and that usage is zero; enters the
// server's URL and a key; "Test connection" reaches the server with that key and lists its models
// (the default model is not among them, said in words); the user picks one, tests again (it
// answers), saves; after a reload the key shows as saved and is nowhere in the page, and the
// database holds it only sealed. A monthly budget is saved and shown against this month's spend,
// the usage is downloaded as CSV, and a key over plain http to another machine is warned about.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE_NAME } from '../../electron/core/app';
import { openBrowser } from '../helpers/browser';
import { startOpenAiServer, type OpenAiServer } from '../helpers/openai-server';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const BRAND = 'Kōfi & Crumb';
const KEY = 'sk-e2e-Zq8vR2mW7kP4tY9xL3nB6cJ1';

let ai: OpenAiServer;
let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
let workspaceId = '';
const problems: string[] = [];

function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(web.dataDir, DB_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const appEndpoint = () =>
  readDb((d) => {
    const row = d.prepare("SELECT value FROM app_settings WHERE key = 'ai.default_endpoint'").get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as { baseUrl?: string; chatModel?: string | null; embeddingModel?: string | null }) : null;
  });
const keyRows = () => readDb((d) => d.prepare("SELECT workspace_id AS ws, value_encrypted AS v FROM app_secrets WHERE name = 'ai.api_key'").all() as { ws: string | null; v: string }[]);
const h1 = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const section = () => page.getByRole('region', { name: 'AI', exact: true });
const endpoint = () => section().getByTestId('ai-endpoint');
const usage = () => section().getByTestId('ai-usage');

async function openSettings(): Promise<void> {
  await page.locator('html[data-app="ready"]').waitFor();
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await h1('Settings').waitFor();
  await endpoint().getByRole('button', { name: 'Test connection' }).waitFor();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ai = await startOpenAiServer({ apiKey: KEY, models: ['test-model', 'test-embed'], reply: 'OK' });
  web = await spawnWebCli();
  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  await ai?.close();
  profile?.cleanup();
});

describe('Settings → AI in Chromium (web mode, local OpenAI-compatible server)', () => {
  it('given a new workspace, when the user opens Settings, then AI says no endpoint is set up and usage is zero', async () => {
    await page.goto(web.openUrl);
    await h1('Welcome to Postdesk').waitFor();
    await page.getByLabel('Brand name', { exact: true }).fill(BRAND);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await h1(BRAND).waitFor();
    workspaceId = readDb((d) => (d.prepare('SELECT id FROM workspaces').get() as { id: string }).id);

    await openSettings();
    expect(await endpoint().getByTestId('ai-in-use').textContent()).toContain('No AI endpoint yet');
    expect(await endpoint().getByTestId('ai-key-state').textContent()).toBe('Not saved');
    const month = usage().getByTestId('ai-usage-month');
    await month.waitFor();
    expect(await month.textContent()).toContain('$0.00 spent this month, no budget set');
    expect(await usage().getByTestId('ai-usage-empty').textContent()).toBe('No AI calls in this period.');
    expect(await usage().getByTestId('ai-usage-chart').locator('svg').getAttribute('aria-label')).toMatch(/nothing spent\.$/);
  });

  it('when the user enters the server’s URL and key and tests the connection, then it reaches the server with the key and lists its models', async () => {
    await endpoint().getByLabel('Base URL').fill(`${ai.url}/`);
    await endpoint().getByLabel(/^API key/).fill(KEY);
    await endpoint().getByRole('button', { name: 'Test connection' }).click();
    const result = endpoint().getByTestId('ai-test-result');
    await result.waitFor({ timeout: 20_000 });
    // The default model is not on this server: said in words, with the models it has.
    expect(await result.textContent()).toContain('The test did not pass');
    expect(await result.textContent()).toContain('The endpoint answered, but has no model called "anthropic/claude-3.5-haiku"');
    const chips = result.getByRole('list', { name: 'Models on this endpoint' }).getByRole('button');
    expect(await chips.allTextContents()).toEqual(['test-embed', 'test-model']);
    const listed = ai.requestsTo('models');
    expect(listed.length).toBe(1);
    expect(listed[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    // Nothing saved by a test.
    expect(appEndpoint()).toBeNull();
    expect(keyRows()).toEqual([]);
  });

  it('when the user picks a listed model and tests again, then the model answers and the latency is shown', async () => {
    const chat = endpoint().getByRole('combobox', { name: /^Chat model/ });
    await chat.click();
    const options = endpoint().getByRole('listbox');
    await options.getByRole('option', { name: /^test-model/ }).click();
    expect(await chat.inputValue()).toBe('test-model');
    // Embedding models offered are the server's embedder.
    await endpoint().getByRole('combobox', { name: /^Embedding model/ }).click();
    expect(await endpoint().getByRole('listbox').getByRole('option').allTextContents()).toEqual(['test-embedon this endpoint']);
    await page.keyboard.press('Escape');

    await endpoint().getByRole('button', { name: 'Test connection' }).click();
    const result = endpoint().getByTestId('ai-test-result');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/Connected to Custom endpoint.*Model list in \d+ ms; test-model answered in \d+ ms\./);
    const chatCalls = ai.requestsTo('chat/completions');
    expect(chatCalls.length).toBe(1);
    expect(chatCalls[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(chatCalls[0]?.body?.['model']).toBe('test-model');
    await endpoint().screenshot({ path: join(SHOTS, 'settings-ai-tested.png') });
  });

  it('when the user saves, then the endpoint and model are stored app-wide and the key only sealed', async () => {
    await endpoint().getByRole('button', { name: 'Save endpoint' }).click();
    await expect.poll(() => endpoint().getByTestId('ai-key-state').textContent()).toBe('Saved');
    expect(appEndpoint()).toEqual({ baseUrl: ai.url, chatModel: 'test-model', embeddingModel: null });
    const keys = keyRows();
    expect(keys.length).toBe(1);
    expect(keys[0]?.ws).toBeNull();
    expect(keys[0]?.v).not.toContain(KEY);
    expect(keys[0]?.v).not.toContain(Buffer.from(KEY).toString('base64').slice(0, 16));
    // Nor anywhere else in the file or its write-ahead log.
    for (const suffix of ['', '-wal']) {
      const file = join(web.dataDir, `${DB_FILE_NAME}${suffix}`);
      if (existsSync(file)) expect(readFileSync(file).includes(KEY)).toBe(false);
    }
    expect(await endpoint().getByLabel(/^API key/).inputValue()).toBe('');
    expect(await endpoint().getByTestId('ai-in-use').textContent()).toContain('In use: Custom endpoint');
  });

  it('when the page is reloaded, then the key shows as saved and is not in the page’s DOM', async () => {
    await page.reload();
    await openSettings();
    await expect.poll(() => endpoint().getByTestId('ai-key-state').textContent()).toBe('Saved');
    const inUse = (await endpoint().getByTestId('ai-in-use').textContent()) ?? '';
    expect(inUse).toContain(ai.url);
    expect(inUse).toContain('Saved, encrypted on this computer');
    expect(inUse).toContain('test-model for writing');
    expect(await endpoint().getByLabel('Base URL').inputValue()).toBe(ai.url);
    expect(await endpoint().getByRole('combobox', { name: /^Chat model/ }).inputValue()).toBe('test-model');
    const keyField = endpoint().getByLabel(/^API key/);
    expect(await keyField.inputValue()).toBe('');
    expect(await keyField.getAttribute('type')).toBe('password');
    expect(await keyField.getAttribute('placeholder')).toBe('Saved — type a new key to replace it');
    // Neither the markup nor any input's live value holds the key.
    expect(await page.content()).not.toContain(KEY);
    const values = await page.locator('input, textarea').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(values.some((v) => v.includes(KEY))).toBe(false);
  });

  it('given the saved endpoint, when usage is shown, then this month’s spend is zero (the test call used an unpriced model) and the call is counted', async () => {
    const generations = readDb((d) => d.prepare('SELECT generation_type AS type, cost_nano_usd AS nano, status FROM ai_generations WHERE workspace_id = ?').all(workspaceId) as { type: string; nano: number; status: string }[]);
    expect(generations).toEqual([{ type: 'chat', nano: 0, status: 'completed' }]);
    await expect.poll(() => usage().getByTestId('ai-usage-month').textContent()).toContain('$0.00 spent this month, no budget set');
    const features = usage().getByTestId('ai-usage-features');
    await features.waitFor();
    expect(await features.getByRole('row', { name: /Chat and connection tests/ }).textContent()).toMatch(/Chat and connection tests1.*\$0\.00/);
    expect(await usage().getByTestId('ai-usage-models').textContent()).toContain('test-model');
    await usage().screenshot({ path: join(SHOTS, 'settings-ai-usage.png') });
  });

  it('when the user sets a monthly budget, then it is stored and this month’s spend is shown against it', async () => {
    const voice = section().getByTestId('ai-voice');
    await voice.getByLabel(/^Monthly budget/).fill('12,50');
    await voice.getByLabel('Temperature').fill('3');
    await voice.getByRole('button', { name: 'Save voice and limits' }).click();
    await expect.poll(() => voice.getByText('The temperature goes from 0 to 2.').count()).toBe(1);
    await voice.getByLabel('Temperature').fill('0.4');
    await voice.getByRole('button', { name: 'Save voice and limits' }).click();
    await expect.poll(() => usage().getByTestId('ai-usage-month').textContent()).toContain('$0.00 of $12.50 this month (0%)');
    const row = readDb((d) => d.prepare('SELECT monthly_cost_cap_usd AS cap, temperature FROM ai_settings WHERE workspace_id = ?').get(workspaceId) as { cap: number; temperature: number });
    expect(row).toEqual({ cap: 12.5, temperature: 0.4 });
    expect(await usage().getByRole('meter', { name: 'Budget used this month' }).getAttribute('aria-valuenow')).toBe('0');
  });

  it('when the user exports the usage, then a CSV file downloads with the metered call', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), usage().getByRole('button', { name: 'Export CSV' }).click()]);
    const today = new Date().toISOString().slice(0, 10);
    expect(download.suggestedFilename()).toBe(`postdesk-ai-usage-${today.slice(0, 7)}-01-to-${today}.csv`);
    const file = await download.path();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,feature,model,calls,failed,prompt_tokens,completion_tokens,cost_usd');
    expect(lines.slice(1)).toEqual([expect.stringMatching(new RegExp(`^${today},chat,test-model,1,0,\\d+,\\d+,0$`))]);
  });

  it('given a key over plain http to another machine, when typed, then the form warns before anything is saved', async () => {
    await endpoint().getByLabel('Base URL').fill('http://192.168.1.20:11434/v1');
    await endpoint().getByLabel(/^API key/).fill('sk-another');
    const warning = endpoint().getByRole('alert').filter({ hasText: 'unencrypted' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain('crosses the network unencrypted to 192.168.1.20:11434');
    // A preset puts its URL in the field and is shown as chosen.
    await endpoint().getByRole('button', { name: /^Ollama/ }).click();
    expect(await endpoint().getByLabel('Base URL').inputValue()).toBe('http://127.0.0.1:11434/v1');
    expect(await endpoint().getByRole('button', { name: /^Ollama/ }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => warning.count()).toBe(0);
    expect(appEndpoint()?.baseUrl).toBe(ai.url);
  });

  it('when the user gives this workspace its own endpoint and later moves it back, then its own key lives and goes with it, and the app-wide one stays', async () => {
    const scope = endpoint().getByRole('radiogroup', { name: 'Applies to' });
    await scope.getByRole('radio', { name: `Only ${BRAND}` }).check();
    // The workspace's own (empty) values, not the draft typed for the app-wide endpoint.
    expect(await endpoint().getByLabel('Base URL').inputValue()).toBe('');
    expect(await endpoint().getByLabel(/^API key/).inputValue()).toBe('');
    await endpoint().getByLabel('Base URL').fill(ai.url);
    await endpoint().getByLabel(/^API key/).fill(KEY);
    await endpoint().getByRole('combobox', { name: /^Chat model/ }).fill('test-model');
    await endpoint().getByRole('button', { name: 'Save endpoint' }).click();
    await expect.poll(() => endpoint().getByTestId('ai-in-use').textContent()).toContain(`only for ${BRAND}`);
    const own = () => readDb((d) => d.prepare('SELECT base_url AS url, ai_model AS model FROM ai_settings WHERE workspace_id = ?').get(workspaceId) as { url: string | null; model: string });
    expect(own()).toEqual({ url: ai.url, model: 'test-model' });
    expect(keyRows().map((k) => k.ws).sort()).toEqual([null, workspaceId].sort());

    await scope.getByRole('radio', { name: 'Every workspace' }).check();
    expect(await endpoint().textContent()).toContain(`${BRAND} has its own endpoint now; saving here moves it back to the app-wide one (its own key is removed).`);
    expect(await endpoint().getByLabel('Base URL').inputValue()).toBe(ai.url);
    await endpoint().getByRole('button', { name: 'Save endpoint' }).click();
    await expect.poll(() => endpoint().getByTestId('ai-in-use').textContent()).toContain('app-wide');
    expect(own().url).toBeNull();
    expect(keyRows().map((k) => k.ws)).toEqual([null]);
    expect(await endpoint().getByTestId('ai-key-state').textContent()).toBe('Saved');
  });

  it('then nothing went wrong in the page', () => {
    expect(problems).toEqual([]);
  });
});
