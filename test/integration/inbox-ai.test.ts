// AI in the inbox through the real API handlers, against a real OpenAI-compatible server on
// 127.0.0.1 and a real database file: triage records the model's decision like a rule's (with the
// escalation and its event), an unusable answer makes no decision and is metered as failed, a
// thread with AI off makes no call, a drafted reply carries the FAQ passage it was grounded in,
// and with no endpoint both say how to set one up.
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { accounts } from '../../db/schema/accounts';
import { aiDecisions, aiGenerations } from '../../db/schema/ai';
import { conversationMessages, conversations, supportEscalations } from '../../db/schema/inbox';
import { closeVectorWorkers } from '../../db/search';
import { NOT_CONFIGURED_MESSAGE } from '../../electron/core/ai/errors';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import { triageNewMessages } from '../../electron/core/inbox/ai-triage';
import { pollCrons } from '../../electron/core/inbox/polling';
import { ingestItems, type IngestAccount } from '../../electron/core/inbox/ingest';
import type { InboxItem } from '../../electron/platforms/connector';
import { startMastodonServer } from '../contract/mastodon';
import { apiError, listen, startTestCore, type TestCore } from '../helpers/core';
import { startOpenAiServer, type OpenAiServer, type RecordedRequest } from '../helpers/openai-server';

let server: OpenAiServer;
let core: TestCore;

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: 'sk-inbox' });
  core = await startTestCore({ scheduler: false });
});
afterAll(async () => {
  await core.cleanup();
  await closeVectorWorkers();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.set({ reply: 'ok', usage: { prompt_tokens: 120, completion_tokens: 30 }, chunkDelayMs: 0, apiKey: 'sk-inbox', models: ['test-model'] });
});

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
let n = 0;

async function setup(opts: { ai?: boolean } = {}) {
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', businessType: 'Bakery', brandVoice: 'friendly', timezone: 'UTC' });
  if (opts.ai !== false) await core.call('ai.updateSettings', { workspaceId: ws.id, baseUrl: server.url, apiKey: 'sk-inbox', chatModel: 'test-model' });
  const self = `did:plc:crumb-${uuidv7()}`;
  const a = core.ctx.db.orm.insert(accounts).values({ workspaceId: ws.id, platform: 'bluesky', platformAccountId: self, username: 'crumb' }).returning().get();
  const account: IngestAccount = { id: a.id, workspaceId: ws.id, platform: 'bluesky', platformAccountId: self };
  return { ws: ws.id, account };
}

function dm(account: IngestAccount, text: string, thread = 'alice'): { conversationId: string; messageIds: string[] } {
  n++;
  const item: InboxItem = { kind: 'dm', platformMessageId: `m${n}`, threadId: thread, parentId: null, authorId: `did:plc:${thread}`, authorHandle: `${thread}.test`, authorName: 'Alice', text, createdAt: T0 + n * 60_000, url: null, replyDeadline: null };
  const r = ingestItems(core.ctx, account, [item], T0 + 86_400_000);
  const conv = core.ctx.db.orm.select().from(conversations).where(eq(conversations.accountId, account.id)).all().find((c) => c.externalConversationId === `dm:${thread}`)!;
  return { conversationId: conv.id, messageIds: r.inboundMessageIds };
}



const generations = (ws: string) => core.ctx.db.orm.select().from(aiGenerations).where(eq(aiGenerations.workspaceId, ws)).all();
const decisions = (ws: string) => core.ctx.db.orm.select().from(aiDecisions).where(eq(aiDecisions.workspaceId, ws)).all();
const promptOf = (r: RecordedRequest) => (r.body?.['messages'] as { role: string; content: string }[]).map((m) => `${m.role}: ${m.content}`).join('\n');

describe('inboxAi.triage', () => {
  it('given a complaint the model escalates, when triaged, then ai_decisions holds the model, confidence and reason, an escalation is open, the thread is raised with AI off, and inbox.escalated fires', async () => {
    const s = await setup();
    const { conversationId, messageIds } = dm(s.account, 'My cake arrived smashed and nobody answers the phone. I want this sorted today.');
    server.set({ reply: JSON.stringify({ decision: 'escalate', confidence: 0.86, reason: 'An angry customer with a damaged order wants it fixed today.', escalationReason: 'urgent_request' }) });
    const escalated = listen(core, 'inbox.escalated');

    const r = await core.call('inboxAi.triage', { conversationId });

    expect(r).toMatchObject({ status: 'decided', decision: 'escalate', confidence: 0.86, messageId: messageIds[0] });
    const [sent] = server.requestsTo('chat/completions');
    expect(sent!.body?.['response_format']).toEqual({ type: 'json_object' });
    expect(promptOf(sent!)).toContain('My cake arrived smashed');
    expect(decisions(s.ws)).toEqual([
      expect.objectContaining({ decision: 'escalate', confidence: 0.86, reason: 'An angry customer with a damaged order wants it fixed today.', model: 'test-model', matchedRule: null, messageId: messageIds[0], conversationId }),
    ]);
    const escalations = core.ctx.db.orm.select().from(supportEscalations).where(eq(supportEscalations.conversationId, conversationId)).all();
    expect(escalations).toEqual([expect.objectContaining({ reason: 'urgent_request', confidence: 0.86, resolvedAt: null })]);
    expect(core.ctx.db.orm.select().from(conversations).where(eq(conversations.id, conversationId)).get()).toMatchObject({ triage: 'escalate', priority: 'high', aiMode: 'OFF' });
    expect(escalated).toEqual([expect.objectContaining({ workspaceId: s.ws, conversationId, reason: 'urgent_request' })]);
    expect(generations(s.ws)).toEqual([expect.objectContaining({ generationType: 'triage', status: 'completed', promptTokens: 120, completionTokens: 30, conversationId })]);

    // Decided once: asking again makes no call (and AI is now off on the escalated thread).
    const again = await core.call('inboxAi.triage', { conversationId });
    expect(again).toMatchObject({ status: 'skipped' });
    expect(server.requestsTo('chat/completions')).toHaveLength(1);
  });

  it('given a model answer that is not the JSON asked for, when triaged, then no decision is made and the generation is metered as failed', async () => {
    const s = await setup();
    const { conversationId } = dm(s.account, 'Do you have gluten free bread?', 'bob');
    for (const reply of ['Sure! I think you should respond to this one.', JSON.stringify({ decision: 'maybe', confidence: 2, reason: '' })]) {
      server.set({ reply });
      const r = await core.call('inboxAi.triage', { conversationId });
      expect(r).toMatchObject({ status: 'failed' });
      if (r.status === 'failed') expect(r.error).toMatch(/not usable/);
    }
    expect(decisions(s.ws)).toEqual([]);
    expect(core.ctx.db.orm.select().from(conversations).where(eq(conversations.id, conversationId)).get()!.triage).toBeNull();
    const gens = generations(s.ws);
    expect(gens).toHaveLength(2);
    for (const g of gens) expect(g).toMatchObject({ generationType: 'triage', status: 'failed', promptTokens: 120, completionTokens: 30 });
    expect(gens[0]!.errorMessage).toMatch(/no decision was made/);
  });

  it('given a thread with AI mode OFF, when triaged (by the API or after ingestion), then no call is made and nothing is decided', async () => {
    const s = await setup();
    const { conversationId, messageIds } = dm(s.account, 'What time do you open on Saturday?', 'carol');
    await core.call('inbox.setAiMode', { conversationId, aiMode: 'OFF' });
    expect(await core.call('inboxAi.triage', { conversationId })).toEqual({ status: 'skipped', messageId: messageIds[0], skipped: 'ai_mode_off' });
    expect(await triageNewMessages(core.ctx, messageIds)).toEqual([{ status: 'skipped', messageId: messageIds[0], skipped: 'ai_mode_off' }]);
    expect(server.requestsTo('chat/completions')).toHaveLength(0);
    expect(decisions(s.ws)).toEqual([]);
  });

  it('given DMs switched off for AI, when new messages are triaged after ingestion, then no call is made; switched on, the model decides respond', async () => {
    const s = await setup();
    await core.call('ai.updateSettings', { workspaceId: s.ws, enabledForDms: false });
    const { messageIds } = dm(s.account, 'Can I order a birthday cake for Friday?', 'dan');
    expect(await triageNewMessages(core.ctx, messageIds)).toEqual([expect.objectContaining({ status: 'skipped', skipped: 'ai_disabled_for_kind' })]);
    expect(server.requestsTo('chat/completions')).toHaveLength(0);

    await core.call('ai.updateSettings', { workspaceId: s.ws, enabledForDms: true });
    server.set({ reply: '```json\n{"decision":"respond","confidence":0.9,"reason":"A clear order question we can answer."}\n```' });
    const [r] = await triageNewMessages(core.ctx, messageIds);
    expect(r).toMatchObject({ status: 'decided', decision: 'respond', confidence: 0.9, escalationId: null });
    expect(decisions(s.ws)).toEqual([expect.objectContaining({ decision: 'respond', model: 'test-model', reason: 'A clear order question we can answer.' })]);
  });

  it('given a message the rules already escalated, when AI triage runs, then it makes no call', async () => {
    const s = await setup();
    await core.call('inbox.updateRules', { workspaceId: s.ws, flaggedKeywords: ['lawyer'] });
    const { messageIds } = dm(s.account, 'My lawyer will call you', 'erin');
    const decidedByRules = decisions(s.ws);
    expect(decidedByRules).toEqual([expect.objectContaining({ matchedRule: 'keyword: lawyer', model: null })]);
    const [r] = await triageNewMessages(core.ctx, messageIds);
    expect(r).toMatchObject({ status: 'skipped' });
    expect(server.requestsTo('chat/completions')).toHaveLength(0);
    expect(decisions(s.ws)).toEqual(decidedByRules);
  });

  it('given no AI endpoint, when triage is asked for, then the error says how to set one up and nothing is written', async () => {
    const s = await setup({ ai: false });
    const { conversationId } = dm(s.account, 'Hello?', 'fay');
    const err = await apiError(core.call('inboxAi.triage', { conversationId }));
    expect(err.code).toBe('ai_not_configured');
    expect(err.message).toBe(NOT_CONFIGURED_MESSAGE);
    expect(decisions(s.ws)).toEqual([]);
  });
});

describe('inboxAi.draftReply', () => {
  it('given FAQ entries on delivery and parking, when a reply to a delivery question is drafted, then it streams, the prompt holds the FAQ passage and the result names it as a source', async () => {
    const s = await setup();
    const faq = await core.call('knowledge.faqCreate', {
      workspaceId: s.ws,
      questions: ['Do you deliver?', 'Can you deliver a cake to my house?'],
      answer: 'We deliver cakes within 5 miles of the shop for a flat $6 fee, Tuesday to Saturday.',
      title: 'Delivery',
    });
    await core.call('knowledge.faqCreate', { workspaceId: s.ws, questions: ['Where can I park?'], answer: 'Free customer parking is behind the building.', title: 'Parking' });
    const { conversationId } = dm(s.account, 'Hi! Can you deliver a birthday cake to my house on Saturday?', 'gus');
    const reply = 'Yes! We deliver cakes within 5 miles for a flat $6 fee, Saturdays included.';
    server.set({ reply });
    const requestId = `draft-${uuidv7()}`;
    const stream = listen(core, 'ai.stream');

    const r = await core.call('inboxAi.draftReply', { conversationId, requestId });

    expect(r.text).toBe(reply);
    const mine = stream.filter((e) => e.requestId === requestId);
    expect(mine.map((e) => e.delta).join('')).toBe(reply);
    expect(mine.at(-1)).toMatchObject({ done: true });
    expect(r.sources[0]).toMatchObject({ faqId: faq.id, documentTitle: 'Delivery' });
    expect(r.sources[0]!.excerpt).toContain('flat $6 fee');
    const prompt = promptOf(server.requestsTo('chat/completions')[0]!);
    expect(prompt).toContain('We deliver cakes within 5 miles of the shop for a flat $6 fee');
    expect(prompt).toContain('Can you deliver a birthday cake');
    const chunk = core.ctx.db.sqlite.prepare('SELECT faq_id AS faqId FROM knowledge_chunks WHERE id = ?').get(r.sources[0]!.chunkId) as { faqId: string } | undefined;
    expect(chunk?.faqId).toBe(faq.id);
    expect(generations(s.ws)).toEqual([expect.objectContaining({ generationType: 'reply', status: 'completed', conversationId })]);
    // A draft is only text: nothing was added to the thread.
    const outbound = core.ctx.db.orm.select().from(conversationMessages).where(eq(conversationMessages.conversationId, conversationId)).all().filter((m) => m.direction === 'outbound');
    expect(outbound).toEqual([]);
  });

  it('given a thread with AI mode OFF, when a draft is asked for, then it is refused in words and no call is made', async () => {
    const s = await setup();
    const { conversationId } = dm(s.account, 'Do you sell gift cards?', 'ivy');
    await core.call('inbox.setAiMode', { conversationId, aiMode: 'OFF' });
    const err = await apiError(core.call('inboxAi.draftReply', { conversationId, requestId: 'r-off' }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/AI is off for this thread/);
    expect(server.requests).toHaveLength(0);
    expect(generations(s.ws)).toEqual([]);
  });

  it('given no AI endpoint, when a draft is asked for, then the error says how to set one up', async () => {
    const s = await setup({ ai: false });
    const { conversationId } = dm(s.account, 'Are you open today?', 'hal');
    const err = await apiError(core.call('inboxAi.draftReply', { conversationId, requestId: 'r1' }));
    expect(err.code).toBe('ai_not_configured');
    expect(err.message).toBe(NOT_CONFIGURED_MESSAGE);
    expect(server.requests).toHaveLength(0);
  });
});

describe('triage after a poll', () => {
  it('given a new DM fetched by a poll of a Mastodon account, when the poll ends, then the AI triages it beside the poll and the decision is logged', async () => {
    const polled = await startTestCore();
    const masto = await startMastodonServer();
    try {
      for (const spec of pollCrons()) polled.scheduler!.upsertCron({ ...spec, enabled: false });
      const ws = await polled.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'UTC' });
      await polled.call('ai.updateSettings', { workspaceId: ws.id, baseUrl: server.url, apiKey: 'sk-inbox', chatModel: 'test-model' });
      const tokens = masto.issueToken();
      const account = recordSignIn(polled.ctx, {
        workspaceId: ws.id,
        platform: 'mastodon',
        authKind: 'oauth2',
        serverUrl: masto.baseUrl,
        result: {
          profile: { platformAccountId: masto.me.id, username: masto.me.username, displayName: masto.me.displayName, profileUrl: null, avatarUrl: null, serverUrl: masto.baseUrl },
          credentials: { accessToken: tokens.accessToken, refreshToken: null, expiresAt: null, scopes: ['read', 'write'] },
        },
      });
      const bob = masto.addAccount('bob', 'fosstodon.org', 'Bob Baker');
      masto.receive(bob, '@alice do you deliver on Sundays?', { visibility: 'direct' });
      server.set({ reply: JSON.stringify({ decision: 'respond', confidence: 0.8, reason: 'A delivery question the bakery can answer.' }) });

      expect(await polled.call('inbox.refresh', { workspaceId: ws.id, accountId: account.id })).toEqual({ queued: 1 });
      const logged = () => polled.ctx.db.orm.select().from(aiDecisions).where(eq(aiDecisions.workspaceId, ws.id)).all();
      await vi.waitFor(() => expect(logged()).toHaveLength(1), { timeout: 10_000, interval: 50 });
      expect(logged()[0]).toMatchObject({ decision: 'respond', confidence: 0.8, model: 'test-model', reason: 'A delivery question the bakery can answer.' });
      expect(promptOf(server.requestsTo('chat/completions')[0]!)).toContain('do you deliver on Sundays?');
      await polled.scheduler!.idle();
    } finally {
      await polled.cleanup();
      await masto.close();
    }
  });
});
