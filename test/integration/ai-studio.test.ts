// AI Studio through the real API handlers, a real database file and a real OpenAI-compatible
// server on 127.0.0.1: an answer streams and is saved as a checkpoint with its metering; Stop
// mid-answer keeps the user's message and marks the turn cancelled; regenerate branches from the
// turn's parent and keeps the old answer; history sent to the model is bounded; a message left by
// a crash is replayed as interrupted; the knowledge toggle grounds the answer and keeps its
// passages; threads are scoped to their workspace; with no endpoint nothing is saved and the error
// says how to set one up.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aiCheckpoints, aiCheckpointWrites, aiCostTracking, aiGenerations, aiStudioThreads } from '../../db/schema/ai';
import { closeVectorWorkers } from '../../db/search';
import { inWorkspace } from '../../db/scope';
import { toApiError } from '../../electron/api/dispatch';
import { AiNotConfiguredError, NOT_CONFIGURED_MESSAGE } from '../../electron/core/ai/errors';
import { HISTORY_TOKEN_BUDGET } from '../../electron/core/ai/studio-prompt';
import { headCheckpoint, putPendingWrite } from '../../electron/core/ai/studio-store';
import { apiError, listen, startTestCore, type TestCore } from '../helpers/core';
import { startOpenAiServer, type OpenAiServer, type RecordedRequest } from '../helpers/openai-server';

let server: OpenAiServer;
let core: TestCore;

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: 'sk-studio' });
  core = await startTestCore({ scheduler: false });
});
afterAll(async () => {
  await core.cleanup();
  await closeVectorWorkers();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.set({ reply: 'Hello from the test model.', usage: { prompt_tokens: 200, completion_tokens: 40 }, chunkDelayMs: 0, models: ['test-model', 'other-model'] });
});

let reqN = 0;
const rid = () => `studio-test-${++reqN}`;

async function workspace(opts: { ai?: boolean } = {}): Promise<string> {
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', businessType: 'Bakery', brandVoice: 'friendly', timezone: 'UTC' });
  if (opts.ai !== false) await core.call('ai.updateSettings', { workspaceId: ws.id, baseUrl: server.url, apiKey: 'sk-studio', chatModel: 'test-model' });
  return ws.id;
}



const chatMessages = (r: RecordedRequest) => r.body?.['messages'] as { role: string; content: string }[];
const generations = (ws: string) => core.ctx.db.orm.select().from(aiGenerations).where(eq(aiGenerations.workspaceId, ws)).all();
const checkpoints = (threadId: string) => core.ctx.db.orm.select().from(aiCheckpoints).where(eq(aiCheckpoints.threadId, threadId)).orderBy(aiCheckpoints.checkpointId).all();
const writes = (threadId: string) => core.ctx.db.orm.select().from(aiCheckpointWrites).where(eq(aiCheckpointWrites.threadId, threadId)).all();

describe('studio.send', () => {
  it('given a new chat, when a message is sent, then the answer streams, is saved as a checkpoint after the start checkpoint with model, tokens and generation, and is metered as a chat', async () => {
    const ws = await workspace();
    const t = await core.call('studio.create', { workspaceId: ws });
    const requestId = rid();
    const stream = listen(core, 'ai.stream');
    const changed = listen(core, 'studio.changed');
    const reply = 'Try a loyalty card: every tenth loaf free, stamped at the till.';
    server.set({ reply });

    const r = await core.call('studio.send', { workspaceId: ws, threadId: t.id, text: 'Give me one idea to bring customers back   \nmore often.', requestId });

    expect(r.status).toBe('completed');
    const mine = stream.filter((e) => e.requestId === requestId);
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.map((e) => e.delta).join('')).toBe(reply);
    expect(mine.at(-1)).toMatchObject({ done: true });
    expect(r.thread.messages).toEqual([
      expect.objectContaining({ role: 'user', content: 'Give me one idea to bring customers back   \nmore often.' }),
      expect.objectContaining({ role: 'assistant', content: reply, status: 'completed', model: 'test-model' }),
    ]);
    expect(r.thread.title).toBe('Give me one idea to bring customers back');
    expect(r.thread.effectiveModel).toBe('test-model');
    expect(r.thread.history).toEqual({ sent: 0, omitted: 0, budgetTokens: HISTORY_TOKEN_BUDGET });
    expect(changed.some((c) => c.threadId === t.id)).toBe(true);

    // The request: the studio's system message (with the brand), then the message; streamed with usage.
    const [sent] = server.requestsTo('chat/completions');
    expect(sent!.body).toMatchObject({ model: 'test-model', stream: true, temperature: 0.7 });
    const msgs = chatMessages(sent!);
    expect(msgs[0]!.role).toBe('system');
    expect(msgs[0]!.content).toContain('Crumb Bakery');
    expect(msgs.slice(1)).toEqual([{ role: 'user', content: 'Give me one idea to bring customers back   \nmore often.' }]);

    // Checkpoints: the empty start, then the turn, linked; no pending write is left.
    const cps = checkpoints(t.id);
    expect(cps).toHaveLength(2);
    expect(cps[0]).toMatchObject({ parentCheckpointId: null, metadata: { source: 'input', step: -1 } });
    const gen = generations(ws);
    expect(gen).toEqual([expect.objectContaining({ generationType: 'chat', status: 'completed', promptTokens: 200, completionTokens: 40, modelUsed: 'test-model' })]);
    expect(cps[1]).toMatchObject({ parentCheckpointId: cps[0]!.checkpointId, workspaceId: ws, metadata: { source: 'loop', step: 0, status: 'completed', model: 'test-model', generationId: gen[0]!.id, promptTokens: 200, completionTokens: 40 } });
    expect(writes(t.id)).toEqual([]);
    const day = core.ctx.db.orm.select().from(aiCostTracking).where(eq(aiCostTracking.workspaceId, ws)).all();
    expect(day).toEqual([expect.objectContaining({ generationsCount: 1, tokensUsed: 240 })]);

    // The list and a reopened thread agree with what was returned.
    const list = await core.call('studio.threads', { workspaceId: ws });
    expect(list).toEqual([expect.objectContaining({ id: t.id, messageCount: 2, running: false, title: 'Give me one idea to bring customers back' })]);
    const reopened = await core.call('studio.thread', { workspaceId: ws, threadId: t.id });
    expect(reopened.messages).toEqual(r.thread.messages);
  });

  it('given an answer streaming slowly, when Stop is pressed mid-stream, then the user message was saved before the call, the turn is kept as cancelled with the text so far, and the call is metered as cancelled', async () => {
    const ws = await workspace();
    const t = await core.call('studio.create', { workspaceId: ws, title: 'Slow one' });
    const reply = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    server.set({ reply, chunkDelayMs: 25, usage: null });
    const requestId = rid();
    const stream = listen(core, 'ai.stream');

    const sending = core.call('studio.send', { workspaceId: ws, threadId: t.id, text: 'Write me a long story about bread.', requestId });
    await expect.poll(() => stream.filter((e) => e.requestId === requestId && e.delta !== '').length, { timeout: 5_000, interval: 10 }).toBeGreaterThan(2);
    // Mid-answer: the message is a pending write, and the thread says an answer is being written.
    const pending = writes(t.id);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.blob!.toString('utf8')).toContain('Write me a long story about bread.');
    const mid = await core.call('studio.thread', { workspaceId: ws, threadId: t.id });
    expect(mid.pending).toMatchObject({ requestId, userMessage: { content: 'Write me a long story about bread.' } });
    expect(mid.running).toBe(true);
    // A second message while one is being answered is refused in words.
    const busy = await apiError(core.call('studio.send', { workspaceId: ws, threadId: t.id, text: 'hello?', requestId: rid() }));
    expect(busy.code).toBe('conflict');

    expect(await core.call('ai.cancel', { requestId })).toEqual({ cancelled: true });
    const r = await sending;

    expect(r.status).toBe('cancelled');
    const [user, answer] = r.thread.messages;
    expect(user).toMatchObject({ role: 'user', content: 'Write me a long story about bread.' });
    expect(answer).toMatchObject({ role: 'assistant', status: 'cancelled' });
    expect(answer!.content.length).toBeGreaterThan(0);
    expect(reply.startsWith(answer!.content)).toBe(true);
    expect(answer!.content.length).toBeLessThan(reply.length);
    expect(r.thread.pending).toBeNull();
    expect(writes(t.id)).toEqual([]);
    expect(checkpoints(t.id).at(-1)!.metadata).toMatchObject({ status: 'cancelled' });
    expect(generations(ws)).toEqual([expect.objectContaining({ generationType: 'chat', status: 'cancelled', tokensEstimated: true })]);
    // The thread is free again.
    server.set({ chunkDelayMs: 0 });
    const next = await core.call('studio.send', { workspaceId: ws, threadId: t.id, text: 'Shorter, please.', requestId: rid() });
    expect(next.thread.messages).toHaveLength(4);
  });

  it('given an endpoint that refuses the request, when a message is sent, then the call fails in words and the turn is kept with the message and the error', async () => {
    const ws = await workspace();
    const t = await core.call('studio.create', { workspaceId: ws });
    server.fail({ path: 'chat/completions', kind: 'status', status: 400, body: { error: { message: 'context too long' } } });

    const err = await apiError(core.call('studio.send', { workspaceId: ws, threadId: t.id, text: 'Plan my week of posts.', requestId: rid() }));

    expect(err.message).toMatch(/refused the request .*context too long/);
    const view = await core.call('studio.thread', { workspaceId: ws, threadId: t.id });
    expect(view.messages).toEqual([
      expect.objectContaining({ role: 'user', content: 'Plan my week of posts.' }),
      expect.objectContaining({ role: 'assistant', status: 'failed', content: '', error: err.message }),
    ]);
    expect(writes(t.id)).toEqual([]);
    expect(generations(ws)).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('given a long chat, when another message is sent, then only the newest whole turns within the history budget go to the model and the thread says how many were left out', async () => {
    const ws = await workspace();
    const t = await core.call('studio.create', { workspaceId: ws });
    server.set({ reply: 'Noted.' });
    // ~3,000 tokens each: two earlier turns fit the 8,000-token budget, three do not.
    const long = (n: number) => `Message ${n}: ${'flour water salt yeast '.repeat(545)}`;
    for (let n = 1; n <= 3; n++) await core.call('studio.send', { workspaceId: ws, threadId: t.id, text: long(n), requestId: rid() });
    server.requests.length = 0;

    const r = await core.call('studio.send', { workspaceId: ws, threadId: t.id, text: 'Summarise what I sent.', requestId: rid() });

    const msgs = chatMessages(server.requestsTo('chat/completions')[0]!);
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(msgs[1]!.content.startsWith('Message 2:')).toBe(true);
    expect(msgs[3]!.content.startsWith('Message 3:')).toBe(true);
    expect(msgs.some((m) => m.content.startsWith('Message 1:'))).toBe(false);
    expect(msgs.at(-1)).toEqual({ role: 'user', content: 'Summarise what I sent.' });
    expect(r.thread.history).toEqual({ sent: 4, omitted: 2, budgetTokens: HISTORY_TOKEN_BUDGET });
    // Nothing is lost from the saved history itself.
    expect(r.thread.messages).toHaveLength(8);
  });

  it('given the knowledge toggle on and an FAQ entry, when a question is sent, then the prompt holds the passage and the answer keeps it as its source', async () => {
    const ws = await workspace();
    const faq = await core.call('knowledge.faqCreate', {
      workspaceId: ws,
      questions: ['Do you deliver?', 'Can you deliver a cake?'],
      answer: 'We deliver cakes within 5 miles of the shop for a flat $6 fee, Tuesday to Saturday.',
      title: 'Delivery',
    });
    const t = await core.call('studio.create', { workspaceId: ws });

    const r = await core.call('studio.send', { workspaceId: ws, threadId: t.id, text: 'Write a post saying we deliver cakes.', requestId: rid(), useKnowledge: true });

    const system = chatMessages(server.requestsTo('chat/completions')[0]!)[0]!.content;
    expect(system).toContain('flat $6 fee');
    const answer = r.thread.messages[1]!;
    expect(answer.useKnowledge).toBe(true);
    expect(answer.sources?.[0]).toMatchObject({ faqId: faq.id, title: 'Delivery' });
    expect(r.thread.useKnowledge).toBe(true);

    // Off: no passages, and the prompt does not mention the knowledge base.
    server.requests.length = 0;
    const off = await core.call('studio.send', { workspaceId: ws, threadId: t.id, text: 'And one about parking.', requestId: rid(), useKnowledge: false });
    expect(chatMessages(server.requestsTo('chat/completions')[0]!)[0]!.content).not.toContain('knowledge base');
    expect(off.thread.messages[3]!.sources).toBeUndefined();
    expect(off.thread.useKnowledge).toBe(false);
  });

  it('given a model picked for the thread, when sent, then that model answers and the thread keeps it; the studio default applies to threads without one', async () => {
    const ws = await workspace();
    expect(await core.call('studio.settings', { workspaceId: ws })).toMatchObject({ saved: false, defaultModel: 'test-model', configured: true, setup: null, historyTokenBudget: HISTORY_TOKEN_BUDGET });
    await core.call('studio.updateSettings', { workspaceId: ws, defaultModel: 'other-model', temperature: 0.3, defaultSystemPrompt: 'Always answer in two sentences.' });
    const a = await core.call('studio.create', { workspaceId: ws });
    await core.call('studio.send', { workspaceId: ws, threadId: a.id, text: 'hi', requestId: rid() });
    const first = server.requestsTo('chat/completions')[0]!;
    expect(first.body).toMatchObject({ model: 'other-model', temperature: 0.3 });
    expect(chatMessages(first)[0]!.content).toContain('Always answer in two sentences.');

    const b = await core.call('studio.create', { workspaceId: ws });
    const r = await core.call('studio.send', { workspaceId: ws, threadId: b.id, text: 'hi', requestId: rid(), model: 'test-model' });
    expect(server.requestsTo('chat/completions')[1]!.body).toMatchObject({ model: 'test-model' });
    expect(r.thread).toMatchObject({ model: 'test-model', effectiveModel: 'test-model' });
    await core.call('studio.send', { workspaceId: ws, threadId: b.id, text: 'again', requestId: rid() });
    expect(server.requestsTo('chat/completions')[2]!.body).toMatchObject({ model: 'test-model' });
  });
});

describe('studio.regenerate', () => {
  it('given an answered message, when regenerated, then a new checkpoint branches from the same parent, the old answer is kept as an earlier answer and the model sees only the question', async () => {
    const ws = await workspace();
    const t = await core.call('studio.create', { workspaceId: ws });
    server.set({ reply: 'First answer.' });
    await core.call('studio.send', { workspaceId: ws, threadId: t.id, text: 'Name our new rye loaf.', requestId: rid() });
    server.set({ reply: 'Second answer.' });
    server.requests.length = 0;
    const requestId = rid();
    const stream = listen(core, 'ai.stream');

    const r = await core.call('studio.regenerate', { workspaceId: ws, threadId: t.id, requestId });

    expect(stream.filter((e) => e.requestId === requestId).map((e) => e.delta).join('')).toBe('Second answer.');
    expect(r.thread.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Name our new rye loaf.'],
      ['assistant', 'Second answer.'],
    ]);
    expect(r.thread.earlierAnswers).toEqual([expect.objectContaining({ content: 'First answer.', status: 'completed' })]);
    const [root, first, second] = checkpoints(t.id);
    expect(first!.parentCheckpointId).toBe(root!.checkpointId);
    expect(second!.parentCheckpointId).toBe(root!.checkpointId);
    expect(second!.metadata).toMatchObject({ source: 'fork', step: 0, status: 'completed' });
    expect(r.thread.checkpoints).toBe(3);
    expect(chatMessages(server.requestsTo('chat/completions')[0]!).slice(1)).toEqual([{ role: 'user', content: 'Name our new rye loaf.' }]);
    expect(generations(ws).map((g) => g.status)).toEqual(['completed', 'completed']);
  });

  it('given a chat with no message yet, when regenerate is asked, then it is refused in words and no call is made', async () => {
    const ws = await workspace();
    const t = await core.call('studio.create', { workspaceId: ws });
    const err = await apiError(core.call('studio.regenerate', { workspaceId: ws, threadId: t.id, requestId: rid() }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/no message to answer again/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('studio threads', () => {
  it('given a message saved just before Postdesk stopped (a pending write with no answer), when the thread is opened again, then the message is in the history with an interrupted answer and the write is cleared', async () => {
    const ws = await workspace();
    const t = await core.call('studio.create', { workspaceId: ws });
    const scope = inWorkspace(core.ctx.db.orm, ws);
    const head = headCheckpoint(scope, t.id)!;
    putPendingWrite(scope, t.id, head.checkpointId, 'task-crashed', { message: { id: 'm-1', role: 'user', content: 'Draft our Easter opening hours post.', at: Date.now() }, model: 'test-model', useKnowledge: false, requestId: 'gone' });

    const view = await core.call('studio.thread', { workspaceId: ws, threadId: t.id });

    expect(view.messages).toEqual([
      expect.objectContaining({ role: 'user', content: 'Draft our Easter opening hours post.' }),
      expect.objectContaining({ role: 'assistant', status: 'interrupted', content: '' }),
    ]);
    expect(writes(t.id)).toEqual([]);
    expect(checkpoints(t.id).at(-1)).toMatchObject({ parentCheckpointId: head.checkpointId, metadata: { recovered: true } });
    // And it can be answered now.
    server.set({ reply: 'Open 8 to 2 on Easter Sunday.' });
    const r = await core.call('studio.regenerate', { workspaceId: ws, threadId: t.id, requestId: rid() });
    expect(r.thread.messages.at(-1)).toMatchObject({ content: 'Open 8 to 2 on Easter Sunday.', status: 'completed' });
  });

  it('given two chats, when one is renamed and the other deleted, then the list shows the new name, the deleted one is a tombstone with its history gone', async () => {
    const ws = await workspace();
    const a = await core.call('studio.create', { workspaceId: ws });
    const b = await core.call('studio.create', { workspaceId: ws });
    await core.call('studio.send', { workspaceId: ws, threadId: b.id, text: 'secret plans', requestId: rid() });

    await core.call('studio.rename', { workspaceId: ws, threadId: a.id, title: '  Easter campaign  ' });
    expect(await core.call('studio.delete', { workspaceId: ws, threadId: b.id })).toEqual({ deleted: true });

    expect((await core.call('studio.threads', { workspaceId: ws })).map((x) => [x.id, x.title])).toEqual([[a.id, 'Easter campaign']]);
    const row = core.ctx.db.orm.select().from(aiStudioThreads).where(eq(aiStudioThreads.id, b.id)).get();
    expect(row?.deletedAt).toEqual(expect.any(Number));
    expect(checkpoints(b.id)).toEqual([]);
    expect((await apiError(core.call('studio.thread', { workspaceId: ws, threadId: b.id }))).code).toBe('not_found');
    const blank = await apiError(core.call('studio.rename', { workspaceId: ws, threadId: a.id, title: '   ' }));
    expect(blank.code).toBe('invalid_input');
  });

  it("given a chat in workspace A, when workspace B asks for it, sends to it, renames or deletes it, then it is not found and A's chat is untouched", async () => {
    const a = await workspace();
    const b = await workspace();
    const t = await core.call('studio.create', { workspaceId: a });
    await core.call('studio.send', { workspaceId: a, threadId: t.id, text: 'Only for A.', requestId: rid() });
    server.requests.length = 0;

    expect(await core.call('studio.threads', { workspaceId: b })).toEqual([]);
    for (const p of [
      core.call('studio.thread', { workspaceId: b, threadId: t.id }),
      core.call('studio.send', { workspaceId: b, threadId: t.id, text: 'peek', requestId: rid() }),
      core.call('studio.regenerate', { workspaceId: b, threadId: t.id, requestId: rid() }),
      core.call('studio.rename', { workspaceId: b, threadId: t.id, title: 'mine now' }),
      core.call('studio.delete', { workspaceId: b, threadId: t.id }),
    ]) {
      expect((await apiError(p)).code).toBe('not_found');
    }
    expect(server.requests).toHaveLength(0);
    const still = await core.call('studio.thread', { workspaceId: a, threadId: t.id });
    expect(still).toMatchObject({ title: 'Only for A.', messageCount: 2 });
    const rows = core.ctx.db.orm.select().from(aiCheckpoints).where(and(eq(aiCheckpoints.threadId, t.id), eq(aiCheckpoints.workspaceId, b))).all();
    expect(rows).toEqual([]);
  });

  it('given no AI endpoint, when the studio is opened and a message sent, then settings say how to set one up, the send fails with the same words, nothing is saved and no call is made', async () => {
    const ws = await workspace({ ai: false });
    const settings = await core.call('studio.settings', { workspaceId: ws });
    expect(settings).toMatchObject({ configured: false, setup: NOT_CONFIGURED_MESSAGE });
    const t = await core.call('studio.create', { workspaceId: ws });

    const err = await apiError(core.call('studio.send', { workspaceId: ws, threadId: t.id, text: 'Hello?', requestId: rid() }));

    expect(err.message).toBe(NOT_CONFIGURED_MESSAGE);
    expect(err.code).toBe(toApiError(new AiNotConfiguredError()).code);
    expect(writes(t.id)).toEqual([]);
    expect(checkpoints(t.id)).toHaveLength(1);
    expect((await core.call('studio.thread', { workspaceId: ws, threadId: t.id })).messages).toEqual([]);
    expect(server.requests).toHaveLength(0);
    expect(generations(ws)).toEqual([]);
  });
});
