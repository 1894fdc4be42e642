// Rules triage as ingestion applies it, in a real database file: the decision log with the matched
// rule, the thread's triage, escalations with their reason and event, and the AI's path
// (recordDecision) writing the same way.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../electron/api/events';
import { EventBus } from '../../electron/core/events';
import { ingestItems, type IngestAccount } from '../../electron/core/inbox/ingest';
import { recordDecision } from '../../electron/core/inbox/triage';
import { createWorkspace } from '../../electron/core/workspaces/workspaces';
import type { InboxItem } from '../../electron/platforms/connector';
import { accounts } from '../../db/schema/accounts';
import { aiDecisions, aiSettings } from '../../db/schema/ai';
import { comments, conversationMessages, conversations, supportEscalations } from '../../db/schema/inbox';
import { monitoredPosts } from '../../db/schema/posts';
import { startTestCore } from '../helpers/core';
import { openTestDb } from '../helpers/db';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const NOW = T0 + 86_400_000;
const SELF = 'did:plc:crumb';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(rules: { flaggedKeywords?: string[]; flaggedPhrases?: string[]; ignoreExamples?: string[] } = {}) {
  const db = openTestDb();
  cleanups.push(() => db.cleanup());
  const events = new EventBus();
  const seen: { event: EventName; payload: unknown }[] = [];
  events.subscribe((event, payload) => seen.push({ event, payload }));
  const ws = createWorkspace(db, { name: 'Crumb Bakery', businessType: 'bakery', brandVoice: 'friendly', timezone: 'UTC' });
  const a = db.orm.insert(accounts).values({ workspaceId: ws.id, platform: 'bluesky', platformAccountId: SELF, username: 'crumb' }).returning().get();
  const account: IngestAccount = { id: a.id, workspaceId: ws.id, platform: 'bluesky', platformAccountId: SELF };
  db.orm
    .insert(aiSettings)
    .values({
      workspaceId: ws.id,
      flaggedKeywords: rules.flaggedKeywords ?? ['refund', 'lawyer'],
      flaggedPhrases: rules.flaggedPhrases ?? ['speak to a human'],
      ignoreExamples: rules.ignoreExamples ?? ['Thanks!', 'love it'],
    })
    .run();
  const ctx = { db, events };
  const conversation = (threadId: string) => db.orm.select().from(conversations).where(eq(conversations.externalConversationId, `dm:${threadId}`)).get()!;
  const decisions = () => db.orm.select().from(aiDecisions).orderBy(aiDecisions.createdAt, aiDecisions.id).all();
  const escalations = () => db.orm.select().from(supportEscalations).orderBy(supportEscalations.createdAt, supportEscalations.id).all();
  const eventsNamed = (name: EventName) => seen.filter((e) => e.event === name).map((e) => e.payload);
  return { db, ws, account, ctx, seen, conversation, decisions, escalations, eventsNamed };
}

let n = 0;
function dm(text: string, over: Partial<InboxItem> = {}): InboxItem {
  n++;
  return { kind: 'dm', platformMessageId: `m${n}`, threadId: 'alice', parentId: null, authorId: 'did:plc:alice', authorHandle: 'alice.test', authorName: 'Alice', text, createdAt: T0 + n * 60_000, url: null, replyDeadline: null, ...over };
}

describe('flagged keywords and phrases', () => {
  it('given a message with a flagged keyword in odd case, when ingested, then it is escalated: the decision names the keyword, the thread is high priority with AI off, an escalation is open and one event says so', () => {
    const s = setup();
    const r = ingestItems(s.ctx, s.account, [dm('I want a ReFuNd for my order')], NOW);
    expect(r.escalations).toBe(1);
    const conv = s.conversation('alice');
    const [message] = s.db.orm.select().from(conversationMessages).where(eq(conversationMessages.conversationId, conv.id)).all();
    expect(s.decisions()).toEqual([
      expect.objectContaining({
        workspaceId: s.ws.id,
        decision: 'escalate',
        confidence: 1,
        matchedRule: 'keyword: refund',
        model: null,
        messageId: message!.id,
        commentId: null,
        conversationId: conv.id,
        messageText: 'I want a ReFuNd for my order',
        reason: 'Flagged keyword "refund": the message needs a person soon.',
      }),
    ]);
    expect(conv).toMatchObject({ triage: 'escalate', priority: 'high', aiMode: 'OFF' });
    expect(s.escalations()).toEqual([expect.objectContaining({ conversationId: conv.id, reason: 'urgent_request', confidence: 1, message: 'I want a ReFuNd for my order', resolvedAt: null })]);
    expect(s.eventsNamed('inbox.escalated')).toEqual([{ workspaceId: s.ws.id, conversationId: conv.id, customerName: 'Alice', reason: 'urgent_request', message: 'I want a ReFuNd for my order' }]);
    // After the data is committed: the event and the rows agree when a listener reads them.
    const order = s.seen.map((e) => e.event);
    expect(order.indexOf('inbox.changed')).toBeLessThan(order.indexOf('inbox.escalated'));
  });

  it('given a phrase split by a zero-width space and a legal keyword, when ingested, then each escalates with its own reason', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [dm('can I speak to a hu\u200Bman please'), dm('my LAWYER will call', { threadId: 'bob', authorId: 'did:plc:bob' })], NOW);
    expect(s.decisions().map((d) => d.matchedRule)).toEqual(['phrase: speak to a human', 'keyword: lawyer']);
    expect(s.escalations().map((e) => e.reason)).toEqual(['human_requested', 'legal_matter']);
    expect(s.eventsNamed('inbox.escalated')).toHaveLength(2);
  });

  it('given an urgent thread, when escalated, then its priority stays urgent', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [dm('hello')], NOW);
    s.db.orm.update(conversations).set({ priority: 'urgent' }).run();
    ingestItems(s.ctx, s.account, [dm('refund now')], NOW);
    expect(s.conversation('alice').priority).toBe('urgent');
  });

  it('given two flagged messages in one thread in one page, when ingested, then both are logged and escalated but one notification is raised', () => {
    const s = setup();
    const r = ingestItems(s.ctx, s.account, [dm('refund?'), dm('REFUND!!')], NOW);
    expect(r.escalations).toBe(2);
    expect(s.escalations()).toHaveLength(2);
    expect(s.eventsNamed('inbox.escalated')).toEqual([expect.objectContaining({ message: 'REFUND!!' })]);
  });

  it('given a very long flagged message, when logged, then the decision keeps its first 500 characters', () => {
    const s = setup();
    const text = `refund ${'🍰'.repeat(1_000)}`;
    ingestItems(s.ctx, s.account, [dm(text)], NOW);
    const [d] = s.decisions();
    expect(Array.from(d!.messageText!)).toHaveLength(500);
    expect(text.startsWith(d!.messageText!)).toBe(true);
  });
});

describe('ignore examples', () => {
  it('given small talk like an ignore example, when ingested, then it is ignored with the example recorded and nothing is escalated', () => {
    const s = setup();
    const r = ingestItems(s.ctx, s.account, [dm('THANKS!!')], NOW);
    expect(r.escalations).toBe(0);
    expect(s.decisions()).toEqual([expect.objectContaining({ decision: 'ignore', matchedRule: 'ignore example: Thanks!', confidence: 1 })]);
    expect(s.conversation('alice')).toMatchObject({ triage: 'ignore', priority: 'normal', aiMode: 'ON' });
    expect(s.escalations()).toEqual([]);
    expect(s.eventsNamed('inbox.escalated')).toEqual([]);
  });

  it('given a message that is both an ignore example and flagged, when ingested, then escalation wins', () => {
    const s = setup({ ignoreExamples: ['thanks for the refund'] });
    ingestItems(s.ctx, s.account, [dm('Thanks for the refund')], NOW);
    expect(s.decisions().map((d) => [d.decision, d.matchedRule])).toEqual([['escalate', 'keyword: refund']]);
  });

  it('given an ignored thread, when a message no rule matches arrives, then no decision is logged and the thread is no longer marked ignored', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [dm('love it')], NOW);
    expect(s.conversation('alice').triage).toBe('ignore');
    ingestItems(s.ctx, s.account, [dm('what time do you open tomorrow?')], NOW);
    expect(s.decisions()).toHaveLength(1);
    expect(s.conversation('alice').triage).toBeNull();
  });

  it('given an escalated thread still open, when the customer then says thanks, then the thread stays escalated until someone handles it', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [dm('refund please')], NOW);
    ingestItems(s.ctx, s.account, [dm('thanks!')], NOW);
    expect(s.decisions().map((d) => d.decision)).toEqual(['escalate', 'ignore']);
    expect(s.conversation('alice').triage).toBe('escalate');
  });
});

describe('where rules apply', () => {
  it('given a comment on a monitored post, when flagged, then the comment carries the triage and the decision names the comment too', () => {
    const s = setup();
    const post = 'at://did:plc:crumb/app.bsky.feed.post/1';
    s.db.orm.insert(monitoredPosts).values({ workspaceId: s.ws.id, accountId: s.account.id, platformPostId: post, platform: 'bluesky', monitoringEnabled: true, monitoringEndsAt: NOW + 86_400_000 }).run();
    ingestItems(s.ctx, s.account, [dm('refund or I complain', { kind: 'comment', threadId: post, parentId: post })], NOW);
    const comment = s.db.orm.select().from(comments).get()!;
    const [d] = s.decisions();
    expect(d).toMatchObject({ commentId: comment.id, decision: 'escalate' });
    expect(comment).toMatchObject({ triage: 'escalate', aiDecisionId: d!.id });
    expect(s.escalations()[0]).toMatchObject({ commentId: comment.id, conversationId: d!.conversationId });
  });

  it('given a thread with automation disabled, when a flagged message arrives, then the rules leave it alone', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [dm('hi')], NOW);
    s.db.orm.update(conversations).set({ automationDisabled: true }).run();
    const r = ingestItems(s.ctx, s.account, [dm('refund')], NOW);
    expect(r.escalations).toBe(0);
    expect(s.decisions()).toEqual([]);
  });

  it('given a thread with AI turned off, when a flagged message arrives, then the rules still apply (they are not AI)', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [dm('hi')], NOW);
    s.db.orm.update(conversations).set({ aiMode: 'OFF' }).run();
    expect(ingestItems(s.ctx, s.account, [dm('refund')], NOW).escalations).toBe(1);
  });

  it('given a workspace without rules, when messages arrive, then nothing is decided', () => {
    const s = setup({ flaggedKeywords: [], flaggedPhrases: [], ignoreExamples: [] });
    ingestItems(s.ctx, s.account, [dm('refund'), dm('thanks')], NOW);
    expect(s.decisions()).toEqual([]);
  });

  it('given a flagged message we answered from the network app in the same page, when ingested, then it is logged and its escalation is already resolved, with no notification', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [dm('refund please'), dm('Done, refunded!', { authorId: SELF })], NOW);
    expect(s.decisions()).toHaveLength(1);
    expect(s.escalations()[0]?.resolvedAt).toBe(NOW);
    expect(s.eventsNamed('inbox.escalated')).toEqual([]);
  });
});

describe('decisions from the AI', () => {
  it('given an AI decision to respond, when recorded, then it is logged with its model and confidence and the thread shows it', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [dm('what are your opening hours?')], NOW);
    const conv = s.conversation('alice');
    const message = s.db.orm.select().from(conversationMessages).get()!;
    s.seen.length = 0;
    const applied = recordDecision(s.ctx, { workspaceId: s.ws.id, conversationId: conv.id, messageId: message.id, commentId: null, decision: 'respond', confidence: 0.72, reason: 'A question the knowledge base answers.', matchedRule: null, model: 'anthropic/claude-3.5-haiku', messageText: message.content }, NOW + 1);
    expect(applied.escalationId).toBeNull();
    expect(s.decisions()).toEqual([expect.objectContaining({ id: applied.decisionId, decision: 'respond', confidence: 0.72, model: 'anthropic/claude-3.5-haiku', matchedRule: null })]);
    expect(s.conversation('alice').triage).toBe('respond');
    expect(s.seen).toEqual([{ event: 'inbox.changed', payload: { workspaceId: s.ws.id, conversationIds: [conv.id] } }]);
  });

  it('given an AI decision to escalate, when recorded, then an escalation with its reason and confidence is raised and announced', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [dm('my cake order arrived broken and I need it for tonight')], NOW);
    const conv = s.conversation('alice');
    const message = s.db.orm.select().from(conversationMessages).get()!;
    const applied = recordDecision(s.ctx, { workspaceId: s.ws.id, conversationId: conv.id, messageId: message.id, commentId: null, decision: 'escalate', confidence: 0.9, reason: 'Damaged order, time-critical.', matchedRule: null, model: 'm', messageText: message.content, escalationReason: 'complex_issue' }, NOW + 1);
    expect(s.escalations()).toEqual([expect.objectContaining({ id: applied.escalationId, reason: 'complex_issue', confidence: 0.9 })]);
    expect(s.conversation('alice')).toMatchObject({ triage: 'escalate', aiMode: 'OFF', priority: 'high' });
    expect(s.eventsNamed('inbox.escalated')).toEqual([expect.objectContaining({ conversationId: conv.id, reason: 'complex_issue' })]);
  });

  it('given a confidence outside 0..1 or no message, when recorded, then it is refused and nothing is written', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [dm('hello')], NOW);
    const conv = s.conversation('alice');
    const message = s.db.orm.select().from(conversationMessages).get()!;
    const base = { workspaceId: s.ws.id, conversationId: conv.id, messageId: message.id, commentId: null, decision: 'respond' as const, reason: null, matchedRule: null, model: 'm', messageText: 'hello' };
    expect(() => recordDecision(s.ctx, { ...base, confidence: 1.5 })).toThrow(RangeError);
    expect(() => recordDecision(s.ctx, { ...base, confidence: 0.5, messageId: null })).toThrow();
    expect(s.decisions()).toEqual([]);
  });
});

describe('rules saved in the app', () => {
  it('given keywords saved through the API, when a matching message is ingested, then the inbox lists the thread as escalated and counts it', async () => {
    const core = await startTestCore({ scheduler: false });
    cleanups.push(() => core.cleanup());
    const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'UTC' });
    await core.call('inbox.updateRules', { workspaceId: ws.id, flaggedKeywords: ['  Refund '], ignoreExamples: ['thanks!'] });
    const a = core.ctx.db.orm.insert(accounts).values({ workspaceId: ws.id, platform: 'bluesky', platformAccountId: SELF, username: 'crumb' }).returning().get();
    const account: IngestAccount = { id: a.id, workspaceId: ws.id, platform: 'bluesky', platformAccountId: SELF };
    ingestItems(core.ctx, account, [dm('REFUND my order please'), dm('thanks!', { threadId: 'bob', authorId: 'did:plc:bob' })], Date.now());

    const escalated = await core.call('inbox.list', { workspaceId: ws.id, view: 'open', triage: ['escalate'] });
    expect(escalated.items).toEqual([expect.objectContaining({ customerName: 'Alice', triage: 'escalate', escalated: true, priority: 'high', aiMode: 'OFF' })]);
    expect((await core.call('inbox.list', { workspaceId: ws.id, view: 'open', triage: ['ignore'] })).items.map((c) => c.customerIdentifier)).toEqual(['did:plc:bob']);
    expect((await core.call('inbox.counts', { workspaceId: ws.id })).escalated).toBe(1);
  });
});
