// Topic analysis end to end through the real handlers and the scheduler, on a real database file:
// a labelled synthetic inbox (refunds, shipping delays, praise, pricing questions, plus unrelated
// and hostile messages) is clustered back into its themes (purity and NMI printed and asserted),
// keywords name the themes, labels come from keywords offline and from the local OpenAI-compatible
// server when one is set up, runs are stored and read back, and workspaces never see each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiOutput } from '../../electron/api';
import type { EventPayload } from '../../electron/api/events';
import { closeExtractWorker } from '../../electron/core/knowledge/extract-client';
import { labelledInbox, nmi, purity, THEME_WORDS, THEMES, type Label } from '../fixtures/topics/corpus';
import { startTestCore, type TestCore } from '../helpers/core';
import { addAccount, addThread } from '../helpers/inbox-threads';
import { startOpenAiServer, type OpenAiServer } from '../helpers/openai-server';

const DAY = 86_400_000;
let server: OpenAiServer;
let core: TestCore;
let wsA: string;
let wsB: string;
let wsEmpty: string;
/** Message id -> theme, for the inbound messages of workspace A inside the window. */
const truth = new Map<string, Label>();
const progress: EventPayload<'topics.progress'>[] = [];

function messageIdsOf(conversationId: string): { id: string; direction: string; isPrivateNote: number }[] {
  return core.ctx.db.sqlite
    .prepare(`SELECT id, direction, is_private_note AS isPrivateNote FROM conversation_messages WHERE conversation_id = ?`)
    .all(conversationId) as { id: string; direction: string; isPrivateNote: number }[];
}

/** AI answer to the labelling prompt: "AI: <first keyword>" per group, as JSON. */
function labelReply(body: Record<string, unknown> | null): string {
  const messages = (body?.['messages'] ?? []) as { role: string; content: string }[];
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const data = JSON.parse(user.slice(user.lastIndexOf('{"groups"'))) as { groups: { id: number; keywords: string[] }[] };
  return JSON.stringify({ topics: data.groups.map((g) => ({ id: g.id, label: `AI: ${g.keywords[0] ?? 'misc'}` })) });
}

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: 'sk-test', models: ['test-chat', 'test-embed'], dimensions: 32, reply: (req) => labelReply(req.body) });
  core = await startTestCore();
  core.ctx.events.subscribe((event, payload) => {
    if (event === 'topics.progress') progress.push(payload as EventPayload<'topics.progress'>);
  });
  wsA = (await core.call('workspaces.create', { name: 'Candle Co', timezone: 'Europe/London' })).id;
  wsB = (await core.call('workspaces.create', { name: 'Bike Shop', timezone: 'Europe/London' })).id;
  wsEmpty = (await core.call('workspaces.create', { name: 'Quiet Studio', timezone: 'Europe/London' })).id;
  const now = Date.now();
  const accA = addAccount(core.ctx.db, wsA, 'bluesky', 'candleco');
  labelledInbox().forEach((m, i) => {
    const sentAt = now - ((i * 37) % (9 * DAY)) - 60_000;
    const conv = addThread(core.ctx.db, {
      workspaceId: wsA,
      accountId: accA,
      messages: [
        { content: m.content, sentAt },
        // Our replies and private notes are not what customers write about.
        ...(i % 5 === 0 ? [{ content: 'Thanks for reaching out, we will refund or reship as needed.', sentAt: sentAt + 1000, direction: 'outbound' as const }] : []),
        ...(i % 7 === 0 ? [{ content: 'Note to self: pricing refund shipping praise', sentAt: sentAt + 2000, isPrivateNote: true }] : []),
      ],
    });
    const inbound = messageIdsOf(conv).find((r) => r.direction === 'inbound' && !r.isPrivateNote)!;
    truth.set(inbound.id, m.label);
  });
  // Older than any window used here: must not be analysed.
  for (let i = 0; i < 30; i++) {
    addThread(core.ctx.db, { workspaceId: wsA, accountId: accA, messages: [{ content: `Do you repair antique clocks? Clock number ${i}`, sentAt: now - 60 * DAY - i * 1000 }] });
  }
  const accB = addAccount(core.ctx.db, wsB, 'bluesky', 'bikeshop');
  for (let i = 0; i < 40; i++) {
    const content = i % 2 ? `My bicycle chain keeps slipping on gear ${i % 7}, can you tune it?` : `Do you sell tubeless tyres for gravel bikes, size ${i % 5}?`;
    addThread(core.ctx.db, { workspaceId: wsB, accountId: accB, messages: [{ content, sentAt: now - i * 3_600_000 }] });
  }
});

afterAll(async () => {
  await closeExtractWorker();
  await core.cleanup();
  await server.close();
});

function finished(jobId: string, timeoutMs = 120_000): Promise<EventPayload<'topics.progress'>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const end = progress.find((e) => e.jobId === jobId && e.status !== 'running');
      if (end) resolve(end);
      else if (Date.now() - started > timeoutMs) reject(new Error('the topic analysis did not finish'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

async function allAssignments(workspaceId: string, latest: ApiOutput<'topics.latest'>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of latest.topics) {
    for (let offset = 0; ; offset += 200) {
      const page = await core.call('topics.messages', { workspaceId, topicId: t.topicId, limit: 200, offset });
      for (const m of page.messages) out.set(m.messageId, t.topicId);
      if (offset + 200 >= page.total) break;
    }
  }
  return out;
}

describe('topic analysis', () => {
  let offline: ApiOutput<'topics.latest'>;

  it('given a workspace with no customer messages in the period, when a run is asked for, then it is refused in words and nothing is queued', async () => {
    await expect(core.call('topics.run', { workspaceId: wsEmpty, days: 30 })).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('No customer messages in the last 30 days'),
    });
    const latest = await core.call('topics.latest', { workspaceId: wsEmpty });
    expect(latest).toEqual({ run: null, topics: [], runningJobId: null });
  });

  it('given a labelled inbox and no AI endpoint, when analysed, then the themes come back as topics with their words as keywords and labels', async () => {
    const { jobId, alreadyRunning } = await core.call('topics.run', { workspaceId: wsA, days: 14, maxTopics: 8 });
    expect(alreadyRunning).toBe(false);
    const end = await finished(jobId);
    expect(end).toMatchObject({ status: 'done', stage: 'done', fraction: 1 });
    expect(end.modelId).toEqual(expect.any(String));
    const mine = progress.filter((e) => e.jobId === jobId);
    expect(new Set(mine.map((e) => e.stage))).toEqual(new Set(['collecting', 'embedding', 'clustering', 'labelling', 'saving', 'done']));
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.fraction).toBeGreaterThanOrEqual(mine[i - 1]!.fraction);

    offline = await core.call('topics.latest', { workspaceId: wsA });
    const run = offline.run!;
    expect(run.id).toBe(end.modelId);
    expect(run.totalDocuments).toBe(truth.size);
    expect(run.labelSource).toBe('keywords');
    expect(run.notes.join(' ')).toContain('no AI endpoint is set up');
    expect(run.capped).toBe(false);
    expect(offline.runningJobId).toBeNull();

    const assigned = await allAssignments(wsA, offline);
    // Every analysed message is one of the window's inbound customer messages: no replies, notes or old ones.
    expect([...assigned.keys()].sort()).toEqual([...truth.keys()].sort());
    const pairs = [...assigned].map(([id, cluster]) => ({ label: truth.get(id)!, cluster }));
    const themed = pairs.filter((p) => p.label !== 'noise');
    const figures = {
      topics: run.totalTopics,
      outliers: run.outliers,
      purity: Math.round(purity(themed) * 1000) / 1000,
      nmi: Math.round(nmi(themed) * 1000) / 1000,
      noise_as_outliers: pairs.filter((p) => p.label === 'noise' && p.cluster === -1).length,
      themed_as_outliers: themed.filter((p) => p.cluster === -1).length,
      duration_ms: run.durationMs,
    };
    console.log(`[topics] labelled inbox (${THEMES.length} themes x 45 + ${pairs.length - themed.length} noise): ${JSON.stringify(figures)}`);
    expect(figures.purity).toBeGreaterThanOrEqual(0.9);
    expect(figures.nmi).toBeGreaterThanOrEqual(0.75);
    expect(figures.themed_as_outliers).toBeLessThanOrEqual(themed.length * 0.1);

    // Each theme lands in topics of its own (a theme may split into sub-themes, e.g. "late
    // delivery" and "tracking"): the topics it is the majority of hold nearly all its messages,
    // and every such topic's keywords include the theme's words.
    const majority = new Map<number, Label>();
    for (const t of offline.topics) {
      const counts = new Map<Label, number>();
      for (const p of pairs) if (p.cluster === t.topicId) counts.set(p.label, (counts.get(p.label) ?? 0) + 1);
      majority.set(t.topicId, [...counts].sort((a, b) => b[1] - a[1])[0]![0]);
    }
    for (const theme of THEMES) {
      const own = offline.topics.filter((t) => t.topicId !== -1 && majority.get(t.topicId) === theme);
      expect(own.length, theme).toBeGreaterThanOrEqual(1);
      const inOwn = themed.filter((p) => p.label === theme && own.some((t) => t.topicId === p.cluster)).length;
      expect(inOwn / 45, theme).toBeGreaterThanOrEqual(0.8);
      for (const topic of own) {
        expect(topic.keywords.some((k) => THEME_WORDS[theme].includes(k)), `${theme}: ${topic.keywords.join(', ')}`).toBe(true);
        expect(topic.label.toLowerCase()).toContain(topic.keywords[0]!);
      }
    }

    // Largest first, outliers last; samples are the topic's own messages with their conversation.
    const sizes = offline.topics.filter((t) => t.topicId !== -1).map((t) => t.count);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    for (const t of offline.topics) {
      expect(t.samples.length).toBeGreaterThan(0);
      for (const s of t.samples) {
        expect(assigned.get(s.messageId)).toBe(t.topicId);
        expect(s.conversationId).toEqual(expect.any(String));
      }
    }
  });

  it('given hostile messages, then samples and keywords carry no control characters and a huge message is cut short', async () => {
    const all = offline.topics.flatMap((t) => [...t.samples.map((s) => s.text), ...t.keywords, t.label]);
    for (const text of all) {
      // eslint-disable-next-line no-control-regex -- looking for control characters
      expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u202A-\u202E]/);
      expect(text.length).toBeLessThanOrEqual(280);
    }
  });

  it('given the same messages and seed, when analysed again, then the same topics come back; the new run is the active one and both are listed', async () => {
    const { jobId } = await core.call('topics.run', { workspaceId: wsA, days: 14, maxTopics: 8 });
    const end = await finished(jobId);
    const again = await core.call('topics.latest', { workspaceId: wsA });
    expect(again.run!.id).toBe(end.modelId);
    expect(again.run!.id).not.toBe(offline.run!.id);
    const shape = (l: ApiOutput<'topics.latest'>) => l.topics.map((t) => ({ count: t.count, keywords: t.keywords, samples: t.samples.map((s) => s.messageId) }));
    expect(shape(again)).toEqual(shape(offline));
    const runs = await core.call('topics.runs', { workspaceId: wsA });
    expect(runs.map((r) => r.id)).toEqual([again.run!.id, offline.run!.id]);
    expect(runs.map((r) => r.isActive)).toEqual([true, false]);
    // The older run stays readable by id.
    const older = await core.call('topics.latest', { workspaceId: wsA, modelId: offline.run!.id });
    expect(shape(older)).toEqual(shape(offline));
  });

  it('given an AI endpoint with a chat model, when analysed, then one metered call names every topic', async () => {
    await core.call('ai.updateSettings', { workspaceId: wsA, baseUrl: server.url, apiKey: 'sk-test', chatModel: 'test-chat' });
    server.requests.length = 0;
    const { jobId } = await core.call('topics.run', { workspaceId: wsA, days: 14, maxTopics: 8 });
    await finished(jobId);
    const latest = await core.call('topics.latest', { workspaceId: wsA });
    expect(latest.run!.labelSource).toBe('ai');
    for (const t of latest.topics.filter((x) => x.topicId !== -1)) expect(t.label).toBe(`AI: ${t.keywords[0]}`);
    const calls = server.requestsTo('chat/completions');
    expect(calls).toHaveLength(1);
    // Embeddings stay local: no embedding model is set.
    expect(server.requestsTo('embeddings')).toHaveLength(0);
    const metered = core.ctx.db.sqlite
      .prepare(`SELECT count(*) AS n FROM ai_generations WHERE workspace_id = ? AND generation_type = 'analysis' AND status = 'completed'`)
      .get(wsA) as { n: number };
    expect(metered.n).toBe(1);
  });

  it('given the AI answers with something that is not a label per topic, then labels come from keywords and the run says why', async () => {
    server.set({ reply: 'Sure! Here are some labels: refunds, shipping.' });
    const { jobId } = await core.call('topics.run', { workspaceId: wsA, days: 14, maxTopics: 8 });
    await finished(jobId);
    const latest = await core.call('topics.latest', { workspaceId: wsA });
    expect(latest.run!.labelSource).toBe('keywords');
    expect(latest.run!.notes.join(' ')).toContain('the AI answer was not a label for every topic');
    for (const t of latest.topics.filter((x) => x.topicId !== -1)) expect(t.label.toLowerCase()).toContain(t.keywords[0]!);
    server.set({ reply: (req) => labelReply(req.body) });
  });

  it('given the endpoint refuses the key, then the run still finishes with keyword labels and says why', async () => {
    server.fail({ path: 'chat/completions', kind: 'status', status: 401 });
    const { jobId } = await core.call('topics.run', { workspaceId: wsA, days: 14, maxTopics: 8 });
    expect((await finished(jobId)).status).toBe('done');
    const latest = await core.call('topics.latest', { workspaceId: wsA });
    expect(latest.run!.labelSource).toBe('keywords');
    expect(latest.run!.notes.join(' ')).toContain('the AI could not name the topics');
  });

  it('given a run under way, when its job is cancelled, then it stops, says so, and stores nothing', async () => {
    const before = (await core.call('topics.runs', { workspaceId: wsA })).length;
    const mark = progress.length;
    const { jobId } = await core.call('topics.run', { workspaceId: wsA, days: 14, maxTopics: 8 });
    await expect.poll(() => progress.slice(mark).some((e) => e.jobId === jobId && e.status === 'running'), { timeout: 30_000 }).toBe(true);
    await core.call('jobs.cancel', { jobId });
    const end = await finished(jobId);
    expect(end).toMatchObject({ status: 'cancelled', modelId: null, message: 'The topic analysis was cancelled.' });
    await expect.poll(async () => (await core.call('jobs.get', { jobId })).status, { timeout: 30_000 }).toBe('cancelled');
    expect((await core.call('topics.runs', { workspaceId: wsA })).length).toBe(before);
    expect((await core.call('topics.latest', { workspaceId: wsA })).runningJobId).toBeNull();
  });

  it('given an embedding model set, then messages are embedded by the endpoint (metered, in batches); when it refuses, the built-in embedder takes over and the run says so', async () => {
    await core.call('ai.updateSettings', { workspaceId: wsA, embeddingModel: 'test-embed' });
    server.requests.length = 0;
    let { jobId } = await core.call('topics.run', { workspaceId: wsA, days: 14, maxTopics: 8 });
    expect((await finished(jobId)).status).toBe('done');
    let run = (await core.call('topics.latest', { workspaceId: wsA })).run!;
    expect(run.embedder).toBe('test-embed');
    const calls = server.requestsTo('embeddings');
    expect(calls).toHaveLength(Math.ceil(truth.size / 64));
    expect(calls.reduce((n, r) => n + (r.body?.['input'] as string[]).length, 0)).toBe(truth.size);

    server.fail({ path: 'embeddings', kind: 'status', status: 401 });
    ({ jobId } = await core.call('topics.run', { workspaceId: wsA, days: 14, maxTopics: 8 }));
    expect((await finished(jobId)).status).toBe('done');
    run = (await core.call('topics.latest', { workspaceId: wsA })).run!;
    expect(run.embedder).toBe('postdesk-local-hash-v1');
    expect(run.notes.join(' ')).toContain('Embedded with the built-in embedder: the endpoint\'s "test-embed" failed');
    await core.call('ai.updateSettings', { workspaceId: wsA, embeddingModel: null });
  });

  it('given two workspaces, then each sees only its own messages and runs', async () => {
    const before = await core.call('topics.latest', { workspaceId: wsB });
    expect(before.run).toBeNull();
    const { jobId } = await core.call('topics.run', { workspaceId: wsB, days: 7 });
    await finished(jobId);
    const b = await core.call('topics.latest', { workspaceId: wsB });
    expect(b.run!.totalDocuments).toBe(40);
    const bMessages = await allAssignments(wsB, b);
    for (const id of bMessages.keys()) expect(truth.has(id)).toBe(false);
    expect(b.topics.flatMap((t) => t.keywords)).not.toContain('refund');
    const aRuns = await core.call('topics.runs', { workspaceId: wsA });
    // Another workspace's run cannot be read through this one.
    await expect(core.call('topics.latest', { workspaceId: wsB, modelId: aRuns[0]!.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.call('topics.messages', { workspaceId: wsB, modelId: aRuns[0]!.id, topicId: 0 })).rejects.toMatchObject({ code: 'not_found' });
    expect((await core.call('topics.runs', { workspaceId: wsB })).map((r) => r.id)).toEqual([b.run!.id]);
  });

  it('given invalid input, then it is refused before any work', async () => {
    await expect(core.call('topics.run', { workspaceId: wsA, days: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('topics.run', { workspaceId: wsA, days: 7, maxTopics: 99 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('topics.messages', { workspaceId: wsA, topicId: 7.5 })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
