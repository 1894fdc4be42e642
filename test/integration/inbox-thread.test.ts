// One thread through the real API: its messages page by page (oldest first on screen), whether the
// network still takes a reply and why not, the contact behind it, and its follow-ups, escalations
// and triage decisions.
import { afterEach, describe, expect, it } from 'vitest';
import { aiDecisions, automatedFollowups, customerIdentities, customers } from '../../db/schema';
import { startTestCore, type TestCore } from '../helpers/core';
import { addAccount, addThread, escalate } from '../helpers/inbox-threads';

const HOUR = 3_600_000;

let core: TestCore | undefined;
afterEach(async () => {
  await core?.cleanup();
  core = undefined;
});

async function setup() {
  core = await startTestCore({ scheduler: false });
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  return { core, db: core.ctx.db, workspaceId: ws.id };
}

describe('messages', () => {
  it('given seven messages, when the thread is read three at a time, then each page is oldest first and says whether older ones remain', async () => {
    const s = await setup();
    const account = addAccount(s.db, s.workspaceId, 'bluesky', 'crumb.bsky.social');
    const t0 = Date.now() - 10 * HOUR;
    const id = addThread(s.db, {
      workspaceId: s.workspaceId,
      accountId: account,
      messages: Array.from({ length: 7 }, (_, i) => ({ content: `m${i}`, sentAt: t0 + i * 60_000, direction: i % 2 ? ('outbound' as const) : ('inbound' as const) })),
    });
    const first = await s.core.call('inbox.get', { conversationId: id, limit: 3 });
    expect(first.messages.map((m) => m.content)).toEqual(['m4', 'm5', 'm6']);
    expect(first.hasOlder).toBe(true);
    const second = await s.core.call('inbox.get', { conversationId: id, limit: 3, before: first.messages[0]!.sentAt });
    expect(second.messages.map((m) => m.content)).toEqual(['m1', 'm2', 'm3']);
    expect(second.hasOlder).toBe(true);
    const last = await s.core.call('inbox.get', { conversationId: id, limit: 3, before: second.messages[0]!.sentAt });
    expect(last.messages.map((m) => m.content)).toEqual(['m0']);
    expect(last.hasOlder).toBe(false);
    expect(first.messages.map((m) => m.direction)).toEqual(['inbound', 'outbound', 'inbound']);
  });

  it('given an unknown or deleted thread, when opened, then it is not_found in words', async () => {
    const s = await setup();
    const account = addAccount(s.db, s.workspaceId, 'bluesky', 'crumb.bsky.social');
    const gone = addThread(s.db, { workspaceId: s.workspaceId, accountId: account, deletedAt: Date.now(), messages: [{ content: 'x', sentAt: Date.now() }] });
    await expect(s.core.call('inbox.get', { conversationId: gone })).rejects.toMatchObject({ code: 'not_found', message: 'That conversation no longer exists.' });
  });
});

describe('reply window', () => {
  it('given threads on networks with and without reply windows, when each is opened, then the window says until when, or why not', async () => {
    const s = await setup();
    const now = Date.now();
    const insta = addAccount(s.db, s.workspaceId, 'instagram', 'crumb.insta');
    const linkedin = addAccount(s.db, s.workspaceId, 'linkedin', 'crumb-co');
    const bsky = addAccount(s.db, s.workspaceId, 'bluesky', 'crumb.bsky.social');
    const thread = (accountId: string, kind: 'dm' | 'comment_thread' | 'mention', messages: Parameters<typeof addThread>[1]['messages']) =>
      addThread(s.db, { workspaceId: s.workspaceId, accountId, kind, messages });
    const window = async (id: string) => (await s.core.call('inbox.get', { conversationId: id })).replyWindow;

    // The connector's own deadline on the customer's newest message wins.
    const deadline = now + 5 * HOUR;
    const stored = thread(insta, 'dm', [
      { content: 'old', sentAt: now - 30 * HOUR, metadata: { replyDeadline: now - 6 * HOUR } },
      { content: 'new', sentAt: now - 2 * HOUR, metadata: { replyDeadline: deadline } },
      { content: 'our answer', sentAt: now - HOUR, direction: 'outbound' },
    ]);
    expect(await window(stored)).toEqual({ closesAt: deadline, open: true, reason: null });

    // No deadline stored: Meta's 24 hours from their last message.
    const lastAt = now - 30 * HOUR;
    const lapsed = thread(insta, 'dm', [{ content: 'anyone there?', sentAt: lastAt }]);
    const closed = await window(lapsed);
    expect(closed).toMatchObject({ closesAt: lastAt + 24 * HOUR, open: false });
    expect(closed.reason).toMatch(/^Instagram only takes replies within 24 hours of the person's last message/);

    // A comment thread has no window; Bluesky has none at all.
    expect(await window(thread(insta, 'comment_thread', [{ content: 'yum', sentAt: lastAt }]))).toEqual({ closesAt: null, open: true, reason: null });
    expect(await window(thread(bsky, 'dm', [{ content: 'hi', sentAt: lastAt }]))).toEqual({ closesAt: null, open: true, reason: null });

    // LinkedIn's API answers comments only.
    expect(await window(thread(linkedin, 'comment_thread', [{ content: 'congrats', sentAt: lastAt }]))).toMatchObject({ open: true });
    const dm = await window(thread(linkedin, 'dm', [{ content: 'hello', sentAt: lastAt }]));
    expect(dm).toMatchObject({ open: false, closesAt: null });
    expect(dm.reason).toBe("LinkedIn doesn't let apps answer direct messages; reply in the LinkedIn app instead.");
  });
});

describe('around the thread', () => {
  it('given a contact, follow-ups, escalations and a dozen decisions, when the thread is opened, then it shows them, the last ten decisions newest first', async () => {
    const s = await setup();
    const now = Date.now();
    const account = addAccount(s.db, s.workspaceId, 'instagram', 'crumb.insta');
    const customerId = s.db.orm.insert(customers).values({ workspaceId: s.workspaceId, name: 'Ann Lee', lifecycleStage: 'customer' }).returning({ id: customers.id }).get().id;
    s.db.orm.insert(customerIdentities).values({ workspaceId: s.workspaceId, customerId, channel: 'instagram', externalId: 'ig-ann', handle: 'ann.lee' }).run();
    const id = addThread(s.db, {
      workspaceId: s.workspaceId,
      accountId: account,
      customerId,
      name: 'Ann Lee',
      messages: Array.from({ length: 12 }, (_, i) => ({ content: `question ${i}`, sentAt: now - (20 - i) * HOUR })),
    });
    const thread = await s.core.call('inbox.get', { conversationId: id, limit: 100 });
    const messageIds = thread.messages.map((m) => m.id);
    messageIds.forEach((messageId, i) => {
      s.db.orm
        .insert(aiDecisions)
        .values({ workspaceId: s.workspaceId, conversationId: id, messageId, decision: i === 11 ? 'escalate' : 'respond', matchedRule: i === 11 ? 'keyword: refund' : null, createdAt: now - (20 - i) * HOUR + 1000 })
        .run();
    });
    const esc = escalate(s.db, s.workspaceId, id);
    s.db.orm.insert(automatedFollowups).values({ workspaceId: s.workspaceId, conversationId: id, message: 'Still keen on the tart?', scheduledFor: now + 48 * HOUR }).run();
    s.db.orm.insert(automatedFollowups).values({ workspaceId: s.workspaceId, conversationId: id, message: 'Checking in', scheduledFor: now + 2 * HOUR }).run();

    const view = await s.core.call('inbox.get', { conversationId: id });
    expect(view.customer).toMatchObject({ id: customerId, name: 'Ann Lee', lifecycleStage: 'customer', identities: [{ channel: 'instagram', handle: 'ann.lee' }] });
    expect(view.followups.map((f) => [f.message, f.status])).toEqual([
      ['Checking in', 'pending'],
      ['Still keen on the tart?', 'pending'],
    ]);
    expect(view.escalations.map((e) => [e.id, e.resolvedAt])).toEqual([[esc, null]]);
    expect(view.conversation.escalated).toBe(true);
    expect(view.decisions).toHaveLength(10);
    expect(view.decisions[0]).toMatchObject({ messageId: messageIds[11], decision: 'escalate', matchedRule: 'keyword: refund' });
    expect(view.decisions.map((d) => d.messageId)).toEqual(messageIds.slice(2).reverse());
  });

  it('given a thread whose contact was deleted, when opened, then it shows without a contact card', async () => {
    const s = await setup();
    const account = addAccount(s.db, s.workspaceId, 'instagram', 'crumb.insta');
    const customerId = s.db.orm.insert(customers).values({ workspaceId: s.workspaceId, name: 'Gone', deletedAt: Date.now() }).returning({ id: customers.id }).get().id;
    const id = addThread(s.db, { workspaceId: s.workspaceId, accountId: account, customerId, messages: [{ content: 'hi', sentAt: Date.now() - HOUR }] });
    expect((await s.core.call('inbox.get', { conversationId: id })).customer).toBeNull();
  });
});
