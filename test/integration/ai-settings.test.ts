// Provider settings through the real API: defaults when nothing is saved, the "not configured"
// message, the key sealed at rest and never returned, the app-wide endpoint and whose key goes
// where, "Test connection" against a real server, and the model catalogue.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { aiGenerations, aiSettings } from '../../db/schema/ai';
import { appSecrets } from '../../db/schema/settings';
import { DB_FILE_NAME } from '../../electron/core/app';
import { complete } from '../../electron/core/ai/complete';
import { AiNotConfiguredError, NOT_CONFIGURED_MESSAGE } from '../../electron/core/ai/errors';
import { apiError, startTestCore, type TestCore } from '../helpers/core';
import { startOpenAiServer, type OpenAiServer } from '../helpers/openai-server';

let server: OpenAiServer;
let other: OpenAiServer;
let core: TestCore;
const KEY = 'sk-proj-Zx9Qw8Ertyu7Iop6Asdf5Ghjk4Lzxc3Vbnm2';

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: KEY, models: ['test-model', 'other-model', 'test-embed'] });
  other = await startOpenAiServer({ models: ['ws-model'] });
  core = await startTestCore({ scheduler: false });
});
afterAll(async () => {
  await core.cleanup();
  await server.close();
  await other.close();
});
beforeEach(async () => {
  server.requests.length = 0;
  other.requests.length = 0;
  await core.call('ai.updateAppEndpoint', { baseUrl: null, apiKey: null, chatModel: null, embeddingModel: null });
});

async function newWorkspace(): Promise<string> {
  return (await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' })).id;
}


const ask = (workspaceId: string) => complete(core.ctx, { workspaceId, feature: 'chat', messages: [{ role: 'user', content: 'hi' }], maxTokens: 10 });

describe('defaults and not configured', () => {
  it('given a workspace that never saved AI settings, when asked, then the seed defaults come back and nothing is configured', async () => {
    const ws = await newWorkspace();
    const s = await core.call('ai.settings', { workspaceId: ws });
    expect(s).toMatchObject({
      saved: false,
      baseUrl: null,
      hasKey: false,
      chatModel: 'anthropic/claude-3.5-haiku',
      temperature: 0.2,
      topP: 1,
      language: 'en',
      tone: 'friendly',
      systemPrompt: null,
      enabledForDms: true,
      enabledForComments: true,
      monthlyBudgetUsd: null,
      monthlyCredits: 0,
      creditsBalance: null,
      effective: { configured: false, source: null, baseUrl: null },
    });
  });

  it('given no endpoint anywhere, when a feature calls the AI, then AiNotConfigured says where to set one up (Ollama for offline) and nothing is sent or metered', async () => {
    const ws = await newWorkspace();
    const err = await ask(ws).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AiNotConfiguredError);
    expect((err as Error).message).toBe(NOT_CONFIGURED_MESSAGE);
    expect(NOT_CONFIGURED_MESSAGE).toMatch(/Settings → AI → Endpoint/);
    expect(NOT_CONFIGURED_MESSAGE).toMatch(/http:\/\/127\.0\.0\.1:11434\/v1/);
    expect(core.ctx.db.orm.select().from(aiGenerations).where(eq(aiGenerations.workspaceId, ws)).all()).toHaveLength(0);

    const { toApiError } = await import('../../electron/api/dispatch');
    expect(toApiError(err).toJSON()).toEqual({ code: 'ai_not_configured', message: NOT_CONFIGURED_MESSAGE });
    expect(await core.call('ai.testConnection', { workspaceId: ws })).toMatchObject({ ok: false, code: 'not_configured', message: NOT_CONFIGURED_MESSAGE });

    const heard: unknown[] = [];
    const off = core.ctx.events.subscribe((event, payload) => event === 'ai.stream' && heard.push(payload));
    await expect(complete(core.ctx, { workspaceId: ws, feature: 'post', messages: [{ role: 'user', content: 'hi' }], stream: { requestId: 'r-1' } })).rejects.toBeInstanceOf(AiNotConfiguredError);
    off();
    expect(heard).toEqual([{ requestId: 'r-1', delta: '', done: true, error: NOT_CONFIGURED_MESSAGE }]);
  });

  it('given an unknown workspace, when its settings are asked for, then not_found', async () => {
    const err = await apiError(core.call('ai.settings', { workspaceId: '01890000-0000-7000-8000-000000000000' }));
    expect(err.code).toBe('not_found');
  });
});

describe('saving settings and the key', () => {
  it('given every field, when saved, then they read back, the key only as hasKey, sealed in the database file, and removable', async () => {
    const ws = await newWorkspace();
    const saved = await core.call('ai.updateSettings', {
      workspaceId: ws,
      baseUrl: `${server.url}/`,
      apiKey: KEY,
      chatModel: 'test-model',
      embeddingModel: 'test-embed',
      temperature: 0.9,
      topP: 0.8,
      language: 'de',
      tone: 'playful',
      systemPrompt: 'We bake.',
      enabledForDms: false,
      enabledForComments: true,
      monthlyBudgetUsd: 12.5,
      monthlyCredits: 300,
    });
    expect(saved).toMatchObject({
      saved: true,
      baseUrl: server.url,
      hasKey: true,
      chatModel: 'test-model',
      embeddingModel: 'test-embed',
      temperature: 0.9,
      topP: 0.8,
      language: 'de',
      tone: 'playful',
      systemPrompt: 'We bake.',
      enabledForDms: false,
      monthlyBudgetUsd: 12.5,
      monthlyCredits: 300,
      creditsBalance: 300,
      effective: { configured: true, source: 'workspace', baseUrl: server.url, hasKey: true, kind: 'other', chatModel: 'test-model', warning: null },
    });
    const again = await core.call('ai.settings', { workspaceId: ws });
    expect(JSON.stringify(again)).not.toContain(KEY);
    expect(JSON.stringify(saved)).not.toContain(KEY);

    // The key works: the call carries it.
    await ask(ws);
    expect(server.requestsTo('chat/completions')[0]!.headers.authorization).toBe(`Bearer ${KEY}`);

    const secret = core.ctx.db.orm.select().from(appSecrets).where(eq(appSecrets.workspaceId, ws)).get()!;
    expect(secret.name).toBe('ai.api_key');
    expect(secret.valueEncrypted).toMatch(/^pd1\./);
    const row = core.ctx.db.orm.select().from(aiSettings).where(eq(aiSettings.workspaceId, ws)).get()!;
    expect(JSON.stringify(row)).not.toContain(KEY);
    core.ctx.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of [DB_FILE_NAME, `${DB_FILE_NAME}-wal`].map((f) => join(core.dir, f)).filter(existsSync)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(Buffer.from(KEY))).toBe(false);
      expect(bytes.includes(Buffer.from(KEY.slice(8, 30)))).toBe(false);
    }

    const removed = await core.call('ai.updateSettings', { workspaceId: ws, apiKey: null });
    expect(removed.hasKey).toBe(false);
    expect(core.ctx.db.orm.select().from(appSecrets).where(eq(appSecrets.workspaceId, ws)).all()).toHaveLength(0);
  });

  it('given a partial update, when saved, then only those fields change (and the inbox rules in the same row are kept)', async () => {
    const ws = await newWorkspace();
    core.ctx.db.orm.insert(aiSettings).values({ workspaceId: ws, flaggedKeywords: ['refund'], tone: 'formal' }).run();
    const s = await core.call('ai.updateSettings', { workspaceId: ws, temperature: 1.1 });
    expect(s).toMatchObject({ temperature: 1.1, tone: 'formal' });
    expect(core.ctx.db.orm.select().from(aiSettings).where(eq(aiSettings.workspaceId, ws)).get()!.flaggedKeywords).toEqual(['refund']);
  });

  it('given bad input, when saved, then it is refused with the reason and nothing changes', async () => {
    const ws = await newWorkspace();
    for (const baseUrl of ['ftp://example.com/v1', 'not a url', 'https://user:sk-secret@example.com/v1']) {
      const err = await apiError(core.call('ai.updateSettings', { workspaceId: ws, baseUrl }));
      expect(err.code).toBe('invalid_input');
      expect(err.message).toMatch(/full http\(s\) URL/);
    }
    expect((await apiError(core.call('ai.updateSettings', { workspaceId: ws, temperature: 3 }))).code).toBe('invalid_input');
    expect((await apiError(core.call('ai.updateSettings', { workspaceId: ws, monthlyBudgetUsd: -1 }))).code).toBe('invalid_input');
    expect((await core.call('ai.settings', { workspaceId: ws })).saved).toBe(false);
  });

  it('given a key for a plain-http endpoint on another machine, when saved, then the settings warn that the key travels unencrypted', async () => {
    const ws = await newWorkspace();
    const s = await core.call('ai.updateSettings', { workspaceId: ws, baseUrl: 'http://192.168.1.20:1234/v1', apiKey: 'lm-key' });
    expect(s.effective.kind).toBe('lmstudio');
    expect(s.effective.warning).toMatch(/unencrypted to 192\.168\.1\.20:1234/);
    const local = await core.call('ai.updateSettings', { workspaceId: ws, baseUrl: 'http://127.0.0.1:11434/v1' });
    expect(local.effective).toMatchObject({ kind: 'ollama', warning: null });
  });
});

describe('app-wide endpoint', () => {
  it('given only an app-wide endpoint, when a workspace calls, then it uses the app endpoint, key and model; a workspace with its own endpoint never receives the app key', async () => {
    await core.call('ai.updateAppEndpoint', { baseUrl: server.url, apiKey: KEY, chatModel: 'other-model' });
    expect(await core.call('ai.appEndpoint', {})).toEqual({ baseUrl: server.url, hasKey: true, chatModel: 'other-model', embeddingModel: null });

    const inherits = await newWorkspace();
    const view = await core.call('ai.settings', { workspaceId: inherits });
    expect(view.effective).toMatchObject({ configured: true, source: 'app', baseUrl: server.url, hasKey: true, chatModel: 'other-model' });
    await ask(inherits);
    const sent = server.requestsTo('chat/completions')[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body!['model']).toBe('other-model');

    const own = await newWorkspace();
    await core.call('ai.updateSettings', { workspaceId: own, baseUrl: other.url, chatModel: 'ws-model' });
    await ask(own);
    const toOther = other.requestsTo('chat/completions')[0]!;
    expect(toOther.headers.authorization).toBeUndefined();
    expect(toOther.body!['model']).toBe('ws-model');
  });
});

describe('test connection', () => {
  it('given a working endpoint, when tested, then it answers with latency, the model list and a 1-token chat', async () => {
    const ws = await newWorkspace();
    await core.call('ai.updateSettings', { workspaceId: ws, baseUrl: server.url, apiKey: KEY, chatModel: 'test-model' });
    const r = await core.call('ai.testConnection', { workspaceId: ws });
    expect(r).toMatchObject({ ok: true, baseUrl: server.url, model: 'test-model', models: ['other-model', 'test-embed', 'test-model'] });
    if (!r.ok) throw new Error('unreachable');
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.chatLatencyMs).toBeGreaterThanOrEqual(0);
    expect(server.requestsTo('models')).toHaveLength(1);
    expect(server.requestsTo('chat/completions')[0]!.body).toMatchObject({ max_tokens: 1, model: 'test-model' });
  });

  it('given a model the endpoint does not have, when tested, then it says so and lists what there is, without a chat call', async () => {
    const ws = await newWorkspace();
    await core.call('ai.updateSettings', { workspaceId: ws, baseUrl: server.url, apiKey: KEY, chatModel: 'gpt-9' });
    const r = await core.call('ai.testConnection', { workspaceId: ws });
    expect(r).toMatchObject({ ok: false, code: 'model_not_found' });
    if (r.ok) throw new Error('unreachable');
    expect(r.message).toMatch(/no model called "gpt-9".*other-model, test-embed, test-model/);
    expect(server.requestsTo('chat/completions')).toHaveLength(0);
  });

  it('given the wrong key or nothing listening, when tested, then the answer says which, in words', async () => {
    const ws = await newWorkspace();
    await core.call('ai.updateSettings', { workspaceId: ws, baseUrl: server.url, apiKey: 'sk-wrong', chatModel: 'test-model' });
    const wrong = await core.call('ai.testConnection', { workspaceId: ws });
    expect(wrong).toMatchObject({ ok: false, code: 'unauthorized', message: expect.stringMatching(/refused the API key/) });

    const down = await core.call('ai.testConnection', { workspaceId: ws, baseUrl: 'http://127.0.0.1:9/v1', apiKey: null });
    expect(down).toMatchObject({ ok: false, code: 'unreachable', baseUrl: 'http://127.0.0.1:9/v1', message: expect.stringMatching(/Nothing answered at http:\/\/127\.0\.0\.1:9\/v1/) });
  });

  it('given unsaved values, when tested, then they are used without being saved, and the saved key is not sent to a different endpoint', async () => {
    const ws = await newWorkspace();
    await core.call('ai.updateSettings', { workspaceId: ws, baseUrl: server.url, apiKey: KEY, chatModel: 'test-model' });
    const r = await core.call('ai.testConnection', { workspaceId: ws, baseUrl: other.url, chatModel: 'ws-model' });
    expect(r).toMatchObject({ ok: true, baseUrl: other.url, model: 'ws-model' });
    expect(other.requestsTo('models')[0]!.headers.authorization).toBeUndefined();
    expect((await core.call('ai.settings', { workspaceId: ws })).baseUrl).toBe(server.url);
  });
});

describe('model catalogue', () => {
  it('given a fresh database, when the models are listed, then the default catalogue is there with prices per 1M tokens and credits per call', async () => {
    const models = await core.call('ai.models', {});
    expect(models.length).toBeGreaterThanOrEqual(15);
    expect(models.find((m) => m.modelId === 'anthropic/claude-3.5-haiku')).toMatchObject({ provider: 'anthropic', inputCostPerMtok: 0.8, outputCostPerMtok: 4, creditCost: 1 });
    expect(models.find((m) => m.modelId === 'openai/gpt-4o-mini')).toMatchObject({ inputCostPerMtok: 0.15, outputCostPerMtok: 0.6 });
    expect(models.find((m) => m.modelId === 'llama3.2')).toMatchObject({ provider: 'local', inputCostPerMtok: 0, outputCostPerMtok: 0 });
    const affordable = await core.call('ai.models', { modelType: 'affordable' });
    expect(affordable.length).toBeGreaterThan(0);
    expect(affordable.every((m) => m.modelType === 'affordable')).toBe(true);
    expect(new Set(models.map((m) => m.modelId)).size).toBe(models.length);
  });
});

describe('locked secrets', () => {
  // Also the vault's regression test: a data folder whose passphrase is set and which holds only
  // app secrets (no account secret) once failed to reopen (a one-argument COALESCE).
  it('given a passphrase not yet entered, when a key is saved or a keyed endpoint is called, then the error says to unlock; a keyless endpoint still works', async () => {
    const first = await startTestCore({ scheduler: false });
    const ws = (await first.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' })).id;
    const keyless = (await first.call('workspaces.create', { name: 'Local only', timezone: 'Europe/Paris' })).id;
    await first.call('ai.updateSettings', { workspaceId: ws, baseUrl: server.url, apiKey: KEY, chatModel: 'test-model' });
    await first.call('ai.updateSettings', { workspaceId: keyless, baseUrl: other.url, chatModel: 'ws-model' });
    await first.call('security.setPassphrase', { passphrase: 'correct horse battery' });
    await first.close();

    const second = await startTestCore({ scheduler: false, dataDir: first.dir });
    try {
      const saving = await apiError(second.call('ai.updateSettings', { workspaceId: ws, apiKey: 'sk-new' }));
      expect(saving.code).toBe('locked');
      expect((await apiError(second.call('ai.testConnection', { workspaceId: ws }))).code).toBe('locked');
      await expect(complete(second.ctx, { workspaceId: ws, feature: 'chat', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ code: 'secrets_locked' });
      const r = await complete(second.ctx, { workspaceId: keyless, feature: 'chat', messages: [{ role: 'user', content: 'hi' }] });
      expect(r.text.length).toBeGreaterThan(0);
    } finally {
      await second.cleanup();
      rmSync(first.dir, { recursive: true, force: true });
    }
  });
});
