// Compose's writing help through the real API handlers against a real OpenAI-compatible server on
// 127.0.0.1: a post from a brief streams its deltas in order and comes back whole with the
// knowledge passages it was given; a rewrite that comes back over a network's limit (as Postdesk
// counts it) is retried once with the overage stated, then returned whole and marked over-limit;
// hashtags come back normalised and new; each call is metered under its own feature; no endpoint,
// no budget and a cancel each say so in words.
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aiGenerations } from '../../db/schema/ai';
import { closeVectorWorkers, putChunkEmbeddings } from '../../db/search';
import type { EventPayload } from '../../electron/api/events';
import { NOT_CONFIGURED_MESSAGE } from '../../electron/core/ai/errors';
import { LOCAL_EMBEDDER_ID, localEmbedder } from '../../electron/core/knowledge/local-embedder';
import { countText } from '../../electron/core/posts/text-count';
import { CAPABILITIES } from '../../electron/platforms/capabilities';
import { apiError, startTestCore, type TestCore } from '../helpers/core';
import { startOpenAiServer, type OpenAiServer, type RecordedRequest } from '../helpers/openai-server';

let server: OpenAiServer;
let core: TestCore;

const POST = 'Our sourdough workshop is back on Saturday 5 April: learn to feed a starter, shape a loaf and take it home warm. Tickets $45, lunch included.';

const KB: Record<string, string> = {
  'Sourdough workshops': 'Every first Saturday of the month we host a sourdough workshop from 10am to 1pm; tickets cost $45 and include lunch. Bring an apron.',
  'Opening hours': 'Opening hours: Monday to Friday 7am to 6pm, Saturday 8am to 4pm. We are closed on Sundays and public holidays.',
  'Gift cards': 'Gift cards can be bought in store or online in amounts from $10 to $200 and are valid for two years.',
  Parking: 'Parking: there is free customer parking behind the building, and two bike racks by the entrance.',
};

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: 'sk-writing' });
  core = await startTestCore({ scheduler: false });
});
afterAll(async () => {
  await core.cleanup();
  await closeVectorWorkers();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.set({ reply: POST, usage: undefined, chunkDelayMs: 0, apiKey: 'sk-writing', models: ['test-model', 'anthropic/claude-3.5-haiku'] });
});

async function workspace(ai: Record<string, unknown> | null = {}): Promise<string> {
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', businessType: 'Bakery', brandVoice: 'playful', timezone: 'Europe/London', description: 'A neighbourhood bakery in Leith.' });
  if (ai) await core.call('ai.updateSettings', { workspaceId: ws.id, baseUrl: server.url, apiKey: 'sk-writing', chatModel: 'test-model', tone: 'cheeky', language: 'en', ...ai });
  return ws.id;
}

function addKnowledge(workspaceId: string): Map<string, string> {
  const db = core.ctx.db;
  const titles = new Map<string, string>(); // chunk id -> document title
  const insDoc = db.sqlite.prepare(`INSERT INTO knowledge_documents(id, workspace_id, title, status, embed_model, embed_dims) VALUES (?, ?, ?, 'indexed', ?, 384)`);
  const insChunk = db.sqlite.prepare(`INSERT INTO knowledge_chunks(id, workspace_id, document_id, chunk_index, content, start_char, end_char) VALUES (?, ?, ?, 0, ?, 0, ?)`);
  const entries = Object.entries(KB);
  const vectors = localEmbedder.embed(entries.map(([, t]) => t));
  const rows: { chunkSeq: number; workspaceId: string; vector: Float32Array }[] = [];
  db.sqlite.transaction(() => {
    entries.forEach(([title, text], i) => {
      const doc = uuidv7();
      insDoc.run(doc, workspaceId, title, LOCAL_EMBEDDER_ID);
      const chunk = uuidv7();
      const seq = Number(insChunk.run(chunk, workspaceId, doc, text, text.length).lastInsertRowid);
      titles.set(chunk, title);
      rows.push({ chunkSeq: seq, workspaceId, vector: vectors[i]! });
    });
  })();
  putChunkEmbeddings(db, rows);
  return titles;
}

function addAccount(workspaceId: string, platform: 'bluesky' | 'x' | 'mastodon'): string {
  const id = uuidv7();
  const now = Date.now();
  core.ctx.db.sqlite
    .prepare(`INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username, auth_kind, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'crumb', 'app_password', 'active', ?, ?)`)
    .run(id, workspaceId, platform, `acct-${id}`, now, now);
  return id;
}

function streamOf(requestId: string): EventPayload<'ai.stream'>[] {
  const seen: EventPayload<'ai.stream'>[] = [];
  core.ctx.events.subscribe((event, payload) => {
    if (event === 'ai.stream' && (payload as EventPayload<'ai.stream'>).requestId === requestId) seen.push(payload as EventPayload<'ai.stream'>);
  });
  return seen;
}

const generations = (workspaceId: string) => core.ctx.db.orm.select().from(aiGenerations).where(eq(aiGenerations.workspaceId, workspaceId)).all();


const promptOf = (r: RecordedRequest) => (r.body?.['messages'] as { role: string; content: string }[]).map((m) => `${m.role}: ${m.content}`).join('\n');

describe('writing.draftFromBrief', () => {
  it('given a brief, a template, a Bluesky account and a knowledge base, when a post is written, then it streams in order, comes back whole, names the passages it used, and is metered as a post', async () => {
    const ws = await workspace();
    const titles = addKnowledge(ws);
    const bluesky = addAccount(ws, 'bluesky');
    const templates = await core.call('posts.templates', { workspaceId: ws });
    const template = templates.find((t) => t.theme === 'promotion')!;
    const requestId = `draft-${uuidv7()}`;
    const events = streamOf(requestId);

    const r = await core.call('writing.draftFromBrief', { workspaceId: ws, brief: 'Announce the next sourdough workshop', accountIds: [bluesky], templateId: template.id, requestId });

    expect(r.text).toBe(POST);
    // Deltas in order, then one done: together they are the text.
    expect(events.length).toBeGreaterThan(5);
    expect(events.slice(0, -1).every((e) => !e.done && e.error === undefined)).toBe(true);
    expect(events.at(-1)).toEqual({ requestId, delta: '', done: true });
    expect(events.map((e) => e.delta).join('')).toBe(POST);

    // The workshop document is the best passage for this brief, and every source is a real chunk with its title.
    expect(r.sources.length).toBeGreaterThan(0);
    expect(r.sources[0]).toMatchObject({ title: 'Sourdough workshops', text: KB['Sourdough workshops'] });
    for (const s of r.sources) expect(titles.get(s.chunkId)).toBe(s.title);
    expect(r.templateId).toBe(template.id);
    expect(r.fits).toEqual([{ platform: 'bluesky', ...countText(POST, CAPABILITIES.bluesky.text) }]);

    const [sent] = server.requestsTo('chat/completions');
    const prompt = promptOf(sent!);
    expect(sent!.body?.['stream']).toBe(true);
    expect(prompt).toContain('Brand: Crumb Bakery (Bakery)');
    expect(prompt).toContain('Brand voice: playful');
    expect(prompt).toContain('A neighbourhood bakery in Leith.');
    expect(prompt).toContain('Tone: cheeky.'); // the AI settings' voice, added by complete()
    expect(prompt).toContain('Bluesky allows at most 300 characters');
    expect(prompt).toContain('Announce the next sourdough workshop');
    expect(prompt).toContain(template.text);
    expect(prompt).toContain(KB['Sourdough workshops']);

    const [row] = generations(ws);
    expect(row).toMatchObject({ id: r.generationId, generationType: 'post', status: 'completed', modelUsed: 'test-model' });
    expect(row!.completionTokens).toBe(Math.ceil(POST.length / 4));
    expect(row!.tokensEstimated).toBe(false);
  });

  it('given the model wraps its answer in quotation marks, then the post comes back without them', async () => {
    const ws = await workspace();
    server.set({ reply: `“${POST}”` });
    const r = await core.call('writing.draftFromBrief', { workspaceId: ws, brief: 'Announce the workshop', requestId: uuidv7() });
    expect(r.text).toBe(POST);
    expect(r.sources).toEqual([]);
    expect(r.fits).toEqual([]);
  });

  it('given a template or an account of another workspace, then it is not found and nothing is sent', async () => {
    const ws = await workspace();
    const other = await workspace();
    const theirs = (await core.call('posts.templates', { workspaceId: other }))[0]!;
    expect((await apiError(core.call('writing.draftFromBrief', { workspaceId: ws, brief: 'A post', templateId: theirs.id, requestId: 'x1' }))).code).toBe('not_found');
    expect((await apiError(core.call('writing.draftFromBrief', { workspaceId: ws, brief: 'A post', accountIds: [addAccount(other, 'x')], requestId: 'x2' }))).code).toBe('not_found');
    expect(server.requestsTo('chat/completions')).toHaveLength(0);
  });

  it('given an empty brief, then the input is refused at the edge', async () => {
    const ws = await workspace();
    const err = await apiError(core.call('writing.draftFromBrief', { workspaceId: ws, brief: '  ', requestId: 'x' }));
    expect(err.code).toBe('invalid_input');
    expect(err.issues?.[0]?.path).toEqual(['brief']);
  });
});

describe('writing.rewriteForPlatform', () => {
  it('given a first answer over X’s 280 as X counts emoji, when rewritten, then it asks once more with the overage measured and returns the shorter text', async () => {
    const ws = await workspace();
    // 145 croissants: 145 code points, 290 UTF-16 units, and 290 of X's weighted characters.
    const tooLong = '🥐'.repeat(145);
    const short = 'Sourdough workshop, Sat 5 April, $45 with lunch. Come shape a loaf with us! 🥐';
    let calls = 0;
    server.set({ reply: () => (++calls === 1 ? tooLong : short) });
    const requestId = `rw-${uuidv7()}`;
    const events = streamOf(requestId);

    const r = await core.call('writing.rewriteForPlatform', { workspaceId: ws, text: POST, platform: 'x', requestId });

    expect(r).toMatchObject({ text: short, platform: 'x', tries: 2, overLimit: false, overBy: null });
    expect(r.fit).toMatchObject({ used: countText(short, CAPABILITIES.x.text).used, limit: 280, over: false });
    const [first, second] = server.requestsTo('chat/completions');
    expect(promptOf(first!)).toContain('X allows at most 280 characters, where an emoji or a Chinese, Japanese or Korean character counts as 2');
    expect(promptOf(first!)).toContain(POST);
    // The second try carries the first answer and the overage as X counts it: 290 of 280.
    expect(promptOf(second!)).toContain(`assistant: ${tooLong}`);
    expect(promptOf(second!)).toContain('It is 290 of X\'s characters');
    expect(promptOf(second!)).toContain('10 over the 280 allowed');
    // Both tries stream under the one id: the first ends with done, the second's text follows.
    const doneAt = events.findIndex((e) => e.done);
    expect(events.slice(0, doneAt).map((e) => e.delta).join('')).toBe(tooLong);
    expect(events.slice(doneAt + 1, -1).map((e) => e.delta).join('')).toBe(short);
    expect(events.at(-1)?.done).toBe(true);
    const rows = generations(ws);
    expect(rows.map((g) => g.generationType)).toEqual(['enhancement', 'enhancement']);
    expect(r.generationIds).toEqual(rows.map((g) => g.id));
  });

  it('given both answers over Bluesky’s 300, then the second comes back whole and marked over the limit, not cut', async () => {
    const ws = await workspace();
    const words = Array.from({ length: 70 }, (_, i) => `loaf${i}`).join(' '); // 419 graphemes
    server.set({ reply: words });
    const r = await core.call('writing.rewriteForPlatform', { workspaceId: ws, text: POST, platform: 'bluesky', requestId: uuidv7() });
    expect(r.text).toBe(words);
    expect(r.tries).toBe(2);
    expect(r.overLimit).toBe(true);
    expect(r.overBy).toEqual({ amount: words.length - 300, unit: 'characters' });
    expect(r.fit).toMatchObject({ used: words.length, limit: 300, over: true, remaining: 300 - words.length });
    expect(server.requestsTo('chat/completions')).toHaveLength(2);
  });

  it('given the post’s hashtags, then the limit leaves room for them and the fit counts them', async () => {
    const ws = await workspace();
    const text = 'x'.repeat(480);
    server.set({ reply: text });
    const tags = ['#sourdough', '#Leith'];
    const r = await core.call('writing.rewriteForPlatform', { workspaceId: ws, text: POST, platform: 'mastodon', hashtags: tags, requestId: uuidv7() });
    // 480 + "\n\n#sourdough #Leith" (19) = 499: fits Mastodon's 500 in one try.
    expect(r).toMatchObject({ tries: 1, overLimit: false });
    expect(r.fit.used).toBe(499);
    const prompt = promptOf(server.requestsTo('chat/completions')[0]!);
    expect(prompt).toContain('in at most 481 of Mastodon\'s characters');
    expect(prompt).toContain('Publishing adds #sourdough #Leith at the end');
  });

  it('given a network Postdesk cannot publish to, then the input is refused in words', async () => {
    const ws = await workspace();
    const err = await apiError(core.call('writing.rewriteForPlatform', { workspaceId: ws, text: POST, platform: 'tiktok', requestId: 'x' }));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toBe('Postdesk cannot publish to TikTok yet, so it has no limit to write to.');
  });
});

describe('writing.suggestHashtags', () => {
  it('given an answer with prose, duplicates, punctuation and tags already used, then the hashtags are normalised, new and at most max', async () => {
    const ws = await workspace();
    server.set({ reply: 'Here are some ideas:\n1. #Sourdough\n2. #sourdough, #Bakery!\n3. #rye-bread #Leith #EdinburghEats #RealBread #Workshop' });
    const r = await core.call('writing.suggestHashtags', { workspaceId: ws, text: 'Workshop on Saturday at our #bakery', platform: 'instagram', exclude: ['leith'], max: 3 });
    // #bakery is in the text, #Leith in the post's hashtags, #rye-bread is not a hashtag networks accept.
    expect(r.hashtags).toEqual(['#Sourdough', '#EdinburghEats', '#RealBread']);
    const prompt = promptOf(server.requestsTo('chat/completions')[0]!);
    expect(prompt).toContain('Suggest up to 3 hashtags for this post on Instagram.');
    expect(prompt).toContain('Do not suggest #bakery #leith');
    expect(server.requestsTo('chat/completions')[0]!.body?.['stream']).not.toBe(true);
    expect(generations(ws)).toMatchObject([{ id: r.generationId, generationType: 'hashtags', status: 'completed' }]);
  });
});

describe('when AI cannot run', () => {
  it('given no endpoint anywhere, then status says how to set one up, every writing call says the same in words, and nothing is metered', async () => {
    const ws = await workspace(null);
    expect(await core.call('writing.status', { workspaceId: ws })).toEqual({ configured: false, setup: NOT_CONFIGURED_MESSAGE, chatModel: null, endpoint: null, monthlyBudgetUsd: null, spentThisMonthUsd: 0 });
    const requestId = uuidv7();
    const events = streamOf(requestId);
    const calls = [
      core.call('writing.draftFromBrief', { workspaceId: ws, brief: 'Announce the workshop', requestId }),
      core.call('writing.rewriteForPlatform', { workspaceId: ws, text: POST, platform: 'bluesky', requestId: uuidv7() }),
      core.call('writing.suggestHashtags', { workspaceId: ws, text: POST }),
    ];
    for (const c of calls) {
      const err = await apiError(c);
      expect(err.code).toBe('ai_not_configured');
      expect(err.message).toBe(NOT_CONFIGURED_MESSAGE);
      expect(err.message).toContain('http://127.0.0.1:11434/v1');
    }
    // A window waiting on the stream hears why nothing will come.
    expect(events).toEqual([{ requestId, delta: '', done: true, error: NOT_CONFIGURED_MESSAGE }]);
    expect(generations(ws)).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('given a $0 budget on a paid model, then the call is refused before anything is sent, with what to do', async () => {
    const ws = await workspace({ chatModel: 'anthropic/claude-3.5-haiku', monthlyBudgetUsd: 0 });
    const status = await core.call('writing.status', { workspaceId: ws });
    expect(status).toMatchObject({ configured: true, setup: null, chatModel: 'anthropic/claude-3.5-haiku', monthlyBudgetUsd: 0 });
    const err = await apiError(core.call('writing.suggestHashtags', { workspaceId: ws, text: POST }));
    expect(err.code).toBe('budget_exceeded');
    expect(err.message).toMatch(/^This AI call was not made: it could cost up to \$[\d.]+, and this workspace has spent \$0 of its \$0 budget for \w+\. Raise the monthly budget in Settings → AI/);
    expect(server.requests).toHaveLength(0);
  });

  it('given a post being written, when ai.cancel names its request, then the call stops as cancelled and is metered so', async () => {
    const ws = await workspace();
    server.set({ chunkDelayMs: 60 });
    const requestId = `cancel-${uuidv7()}`;
    const events = streamOf(requestId);
    const writing = apiError(core.call('writing.draftFromBrief', { workspaceId: ws, brief: 'Announce the workshop', requestId }));
    await expect.poll(() => events.filter((e) => e.delta !== '').length, { timeout: 5000 }).toBeGreaterThan(1);
    expect(await core.call('ai.cancel', { requestId })).toEqual({ cancelled: true });
    const err = await writing;
    expect(err.code).toBe('cancelled');
    expect(events.at(-1)).toMatchObject({ done: true, error: err.message });
    expect(generations(ws)).toMatchObject([{ generationType: 'post', status: 'cancelled' }]);
  });
});
