// Embedding through the configured endpoint, and re-embedding when the model changes, against the
// local OpenAI-compatible test server: every chunk moves to the new model's vectors (and table),
// documents record the model and dims, search compares queries only with the model in force, and
// an endpoint that refuses leaves search on full-text with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../electron/api/events';
import { closeExtractWorker } from '../../electron/core/knowledge/extract-client';
import { LOCAL_EMBEDDER_ID } from '../../electron/core/knowledge/local-embedder';
import { watchKnowledge } from '../fixtures/knowledge/watch';
import { startTestCore, type TestCore } from '../helpers/core';
import { startOpenAiServer, type OpenAiServer } from '../helpers/openai-server';

const DIMS = 64;
let server: OpenAiServer;
let core: TestCore;
let watch: ReturnType<typeof watchKnowledge>;
let ws: string;
const reembeds: EventPayload<'knowledge.reembed'>[] = [];

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: 'sk-test', dimensions: DIMS, models: ['test-chat', 'test-embed'] });
  core = await startTestCore();
  watch = watchKnowledge(core);
  core.ctx.events.subscribe((event, payload) => {
    if (event === 'knowledge.reembed') reembeds.push(payload as EventPayload<'knowledge.reembed'>);
  });
  ws = (await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/London' })).id;
});
afterAll(async () => {
  watch.stop();
  await closeExtractWorker();
  await core.cleanup();
  await server.close();
});

function reembedFinished(after: number): Promise<EventPayload<'knowledge.reembed'>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const end = reembeds.slice(after).find((e) => e.status !== 'running');
      if (end) resolve(end);
      else if (Date.now() - started > 60_000) reject(new Error('re-embedding did not finish'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

interface ChunkState {
  seq: number;
  embedder: string | null;
  dims: number | null;
}

function chunks(): ChunkState[] {
  return core.ctx.db.sqlite
    .prepare(`SELECT seq, json_extract(metadata, '$.embedder') AS embedder, json_extract(metadata, '$.dims') AS dims FROM knowledge_chunks WHERE workspace_id = ? ORDER BY seq`)
    .all(ws) as ChunkState[];
}

function vectorsIn(dims: number): number {
  const table = `knowledge_vec_${dims}`;
  const exists = core.ctx.db.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(table);
  if (!exists) return 0;
  return (core.ctx.db.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE workspace_id = ?`).get(ws) as { n: number }).n;
}

async function importText(fileName: string, text: string) {
  const r = await core.call('knowledge.import', { workspaceId: ws, fileName, text });
  if (r.kind !== 'document') throw new Error('expected a document');
  const end = await watch.done(r.document.id);
  expect(end.stage).toBe('indexed');
  return r.document.id;
}

const SECTIONS = Array.from({ length: 12 }, (_, i) => `## Recipe ${i + 1}\n\n${`Step ${i + 1}: fold the dough, rest it for twenty minutes, and fold again before shaping. `.repeat(8)}`).join('\n\n');

describe('re-embedding', () => {
  let docA: string;
  let faqId: string;

  it('given documents and an FAQ entry embedded offline, then every chunk carries the local embedder', async () => {
    docA = await importText('recipes.md', `# Recipes\n\n${SECTIONS}`);
    await importText('hours.txt', 'We open at seven on weekdays and at eight on Saturdays.');
    faqId = (await core.call('knowledge.faqCreate', { workspaceId: ws, questions: ['Do you sell rye bread?', 'Any rye loaves?'], answer: 'Yes, a dark rye on Thursdays.' })).id;
    const all = chunks();
    expect(all.length).toBeGreaterThan(10);
    for (const c of all) expect(c).toMatchObject({ embedder: LOCAL_EMBEDDER_ID, dims: 384 });
    expect(vectorsIn(384)).toBe(all.length);
    const list = await core.call('knowledge.documents', { workspaceId: ws });
    expect(list.embedder).toMatchObject({ kind: 'local', model: LOCAL_EMBEDDER_ID, staleChunks: 0 });
  });

  it('given an embedding model set in AI settings, then a re-embed job starts at once and moves every chunk to the endpoint model', async () => {
    server.requests.length = 0;
    const mark = reembeds.length;
    await core.call('ai.updateSettings', { workspaceId: ws, baseUrl: server.url, apiKey: 'sk-test', chatModel: 'test-chat', embeddingModel: 'test-embed' });
    // Queued by the settings change itself: nothing has listed or searched the knowledge base yet.
    const queued = core.ctx.db.sqlite.prepare(`SELECT count(*) AS n FROM jobs WHERE type = 'knowledge.reembed' AND workspace_id = ? AND status IN ('pending', 'running')`).get(ws) as { n: number };
    expect(queued.n).toBe(1);

    const end = await reembedFinished(mark);
    expect(end).toMatchObject({ status: 'done', model: 'test-embed', total: chunks().length, done: chunks().length });
    const running = reembeds.slice(mark).filter((e) => e.status === 'running');
    for (let i = 1; i < running.length; i++) expect(running[i]!.done).toBeGreaterThanOrEqual(running[i - 1]!.done);

    const all = chunks();
    for (const c of all) expect(c).toMatchObject({ embedder: 'test-embed', dims: DIMS });
    expect(vectorsIn(DIMS)).toBe(all.length);
    expect(vectorsIn(384)).toBe(0);
    // Batches of at most 64 inputs, each metered.
    const calls = server.requestsTo('embeddings');
    expect(calls.length).toBe(Math.ceil(all.length / 64));
    expect(calls.every((r) => r.body?.['model'] === 'test-embed')).toBe(true);
    const metered = core.ctx.db.sqlite.prepare(`SELECT count(*) AS n FROM ai_generations WHERE workspace_id = ? AND generation_type = 'embedding' AND status = 'completed'`).get(ws) as { n: number };
    expect(metered.n).toBeGreaterThanOrEqual(calls.length);

    const after = await core.call('knowledge.documents', { workspaceId: ws });
    expect(after.embedder.staleChunks).toBe(0);
    for (const d of after.documents) expect(d).toMatchObject({ embedModel: 'test-embed', embedDims: DIMS, stale: false, status: 'indexed' });
    const faq = (await core.call('knowledge.faq', { workspaceId: ws })).find((f) => f.id === faqId)!;
    expect(faq.embedded).toBe(true);
  });

  it('given the endpoint model in force, then vector search embeds the query there and finds the chunk whose text it repeats', async () => {
    server.requests.length = 0;
    const r = await core.call('knowledge.search', { workspaceId: ws, query: 'Do you sell rye bread?\nAny rye loaves?\n\nYes, a dark rye on Thursdays.', mode: 'vector', limit: 3 });
    expect(r.embedder).toEqual({ kind: 'endpoint', model: 'test-embed' });
    expect(r.vectorError).toBeNull();
    expect(r.hits[0]).toMatchObject({ source: 'faq', faqId });
    expect(r.hits[0]!.scores.vector!.similarity).toBeCloseTo(1, 5);
    expect(server.requestsTo('embeddings')).toHaveLength(1);
  });

  it('given a new document while the endpoint model is in force, then it is embedded by the endpoint directly', async () => {
    const id = await importText('rye.md', '# Rye\n\nOur dark rye is baked on Thursdays with a three-day sour.');
    const d = await core.call('knowledge.document', { documentId: id });
    expect(d.document).toMatchObject({ embedModel: 'test-embed', embedDims: DIMS });
    for (const c of d.chunks) expect(c).toMatchObject({ embedder: 'test-embed', dims: DIMS });
  });

  it('given the endpoint refuses the key, then hybrid search still answers from full-text and says why vectors are missing', async () => {
    server.set({ apiKey: 'sk-other' });
    try {
      const r = await core.call('knowledge.search', { workspaceId: ws, query: 'rye on thursdays', mode: 'hybrid' });
      expect(r.vectorError).toMatch(/key/i);
      expect(r.hits.length).toBeGreaterThan(0);
      for (const h of r.hits) expect(h.scores.vector).toBeNull();
    } finally {
      server.set({ apiKey: 'sk-test' });
    }
  });

  it('given the embedding model removed, when knowledge.reembed is called, then every chunk goes back to the built-in embedder and the endpoint vectors are gone', async () => {
    await core.call('ai.updateSettings', { workspaceId: ws, embeddingModel: null });
    const mark = reembeds.length;
    const r = await core.call('knowledge.reembed', { workspaceId: ws });
    expect(r.embedder).toMatchObject({ kind: 'local', model: LOCAL_EMBEDDER_ID });
    expect(r.jobId).not.toBeNull();
    expect(await reembedFinished(mark)).toMatchObject({ status: 'done', model: LOCAL_EMBEDDER_ID });
    const all = chunks();
    for (const c of all) expect(c).toMatchObject({ embedder: LOCAL_EMBEDDER_ID, dims: 384 });
    expect(vectorsIn(384)).toBe(all.length);
    expect(vectorsIn(DIMS)).toBe(0);
    const docs = await core.call('knowledge.documents', { workspaceId: ws });
    for (const d of docs.documents) expect(d).toMatchObject({ embedModel: LOCAL_EMBEDDER_ID, embedDims: 384, stale: false });
    // Nothing left to do: asking again queues nothing.
    expect(await core.call('knowledge.reembed', { workspaceId: ws })).toMatchObject({ queued: false, jobId: null, embedder: { staleChunks: 0 } });
  });

  it('given all: true, then every chunk is embedded again with the same model, staying searchable meanwhile', async () => {
    const mark = reembeds.length;
    const r = await core.call('knowledge.reembed', { workspaceId: ws, all: true });
    expect(r.queued).toBe(true);
    expect(r.embedder.staleChunks).toBe(chunks().length);
    const during = await core.call('knowledge.search', { workspaceId: ws, query: 'fold the dough', mode: 'vector' });
    expect(during.hits.length).toBeGreaterThan(0);
    expect(await reembedFinished(mark)).toMatchObject({ status: 'done', done: chunks().length });
    const d = await core.call('knowledge.document', { documentId: docA });
    for (const c of d.chunks) expect(c).toMatchObject({ embedder: LOCAL_EMBEDDER_ID, dims: 384 });
  });
});
