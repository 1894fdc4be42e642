// Ingestion into a real database file: what a connector's page becomes (conversations, messages,
// comments, customers), that the same page twice adds nothing, threads and replies, our own
// messages, monitored posts, re-opening, waking, follow-ups, and hostile text stored safely.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../electron/api/events';
import { EventBus } from '../../electron/core/events';
import { ingestItems, MAX_TEXT_CHARS, type IngestAccount } from '../../electron/core/inbox/ingest';
import { toMessageView } from '../../electron/core/inbox/summary';
import { createWorkspace } from '../../electron/core/workspaces/workspaces';
import type { ConnectorAccount, InboxItem, PlatformConnector } from '../../electron/platforms/connector';
import { createMastodonConnector } from '../../electron/platforms/mastodon';
import { searchText } from '../../db/search';
import type { Platform } from '../../db/schema';
import { accounts } from '../../db/schema/accounts';
import { customerIdentities, customers } from '../../db/schema/crm';
import { automatedFollowups, comments, conversationMessages, conversations } from '../../db/schema/inbox';
import { monitoredPosts } from '../../db/schema/posts';
import { startMastodonServer } from '../contract/mastodon';
import { openTestDb } from '../helpers/db';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const NOW = T0 + 86_400_000;
const MIN = 60_000;
const POST = 'at://did:plc:crumb/app.bsky.feed.post/3kpost';
const SELF = 'did:plc:crumb';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup() {
  const db = openTestDb();
  cleanups.push(() => db.cleanup());
  const events = new EventBus();
  const seen: { event: EventName; payload: unknown }[] = [];
  events.subscribe((event, payload) => seen.push({ event, payload }));
  const ws = createWorkspace(db, { name: 'Crumb Bakery', businessType: 'bakery', brandVoice: 'friendly', timezone: 'UTC' });
  const addAccount = (platform: Platform, platformAccountId: string): IngestAccount => {
    const a = db.orm.insert(accounts).values({ workspaceId: ws.id, platform, platformAccountId, username: 'crumb', displayName: 'Crumb Bakery' }).returning().get();
    return { id: a.id, workspaceId: ws.id, platform, platformAccountId };
  };
  const account = addAccount('bluesky', SELF);
  const monitor = (platformPostId: string, over: Partial<typeof monitoredPosts.$inferInsert> = {}) =>
    db.orm
      .insert(monitoredPosts)
      .values({ workspaceId: ws.id, accountId: account.id, platformPostId, platform: 'bluesky', monitoringEnabled: true, monitoringStartedAt: T0 - 3_600_000, monitoringEndsAt: T0 + 7 * 86_400_000, ...over })
      .returning()
      .get();
  const ctx = { db, events };
  const count = (table: 'conversations' | 'conversation_messages' | 'comments' | 'customers' | 'customer_identities' | 'ai_decisions' | 'support_escalations') =>
    db.sqlite.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0;
  const conversation = (key: string) => db.orm.select().from(conversations).where(and(eq(conversations.accountId, account.id), eq(conversations.externalConversationId, key))).get();
  const messagesOf = (conversationId: string) =>
    db.orm.select().from(conversationMessages).where(eq(conversationMessages.conversationId, conversationId)).orderBy(conversationMessages.sentAt).all();
  return { db, events, seen, ws, account, addAccount, monitor, ctx, count, conversation, messagesOf };
}

let n = 0;
function item(over: Partial<InboxItem> = {}): InboxItem {
  n++;
  return {
    kind: 'dm',
    platformMessageId: `msg-${n}`,
    threadId: 'convo-alice',
    parentId: null,
    authorId: 'did:plc:alice',
    authorHandle: 'alice.test',
    authorName: 'Alice',
    text: `hello ${n}`,
    createdAt: T0 + n * MIN,
    url: null,
    replyDeadline: null,
    ...over,
  };
}

describe('ingesting a page twice', () => {
  it('given a page of DMs, a comment and a mention ingested once, when the same page comes again, then nothing is added: rows, unread counts and events unchanged', () => {
    const s = setup();
    s.monitor(POST);
    const page = [
      item({ text: 'Do you deliver?' }),
      item({ text: 'On Sundays too?' }),
      item({ threadId: 'convo-bob', authorId: 'did:plc:bob', authorHandle: 'bob.test', authorName: 'Bob', text: 'Hi!' }),
      item({ kind: 'comment', threadId: POST, parentId: POST, text: 'Looks delicious', url: 'https://bsky.app/profile/alice.test/post/1' }),
      item({ kind: 'mention', threadId: 'at://did:plc:carol/app.bsky.feed.post/9', authorId: 'did:plc:carol', authorHandle: 'carol.test', authorName: null, text: '@crumb best croissant' }),
    ];
    const first = ingestItems(s.ctx, s.account, page, NOW);
    expect(first).toMatchObject({ added: 5, escalations: 0, skipped: 0 });
    expect(first.conversationIds).toHaveLength(4);
    expect(first.inboundMessageIds).toHaveLength(5);

    const snapshot = () => ({
      conversations: s.count('conversations'),
      messages: s.count('conversation_messages'),
      comments: s.count('comments'),
      customers: s.count('customers'),
      identities: s.count('customer_identities'),
      unread: s.db.orm.select({ key: conversations.externalConversationId, unread: conversations.unreadCount, updatedAt: conversations.updatedAt }).from(conversations).orderBy(conversations.externalConversationId).all(),
      customerRows: s.db.orm.select().from(customers).orderBy(customers.id).all(),
    });
    const before = snapshot();
    expect(before).toMatchObject({ conversations: 4, messages: 5, comments: 1, customers: 3, identities: 3 });
    expect(before.unread.map((r) => [r.key, r.unread])).toEqual([
      [`c:${POST}:did:plc:alice`, 1],
      ['dm:convo-alice', 2],
      ['dm:convo-bob', 1],
      ['m:at://did:plc:carol/app.bsky.feed.post/9:did:plc:carol', 1],
    ]);
    s.seen.length = 0;

    const again = ingestItems(s.ctx, s.account, page, NOW + 5 * MIN);
    expect(again).toEqual({ added: 0, conversationIds: [], inboundMessageIds: [], escalations: 0, skipped: 0 });
    // Not even a timestamp moves: customers and conversations sync, and polls overlap on purpose.
    expect(snapshot()).toEqual(before);
    expect(s.seen).toEqual([]);
  });

  it('given one new message among ones already stored, when the page comes, then only it is added and the thread counts one more unread', () => {
    const s = setup();
    const a = item();
    const b = item();
    ingestItems(s.ctx, s.account, [a, b], NOW);
    const c = item({ text: 'Still there?' });
    const r = ingestItems(s.ctx, s.account, [c, b, a], NOW);
    expect(r.added).toBe(1);
    const conv = s.conversation('dm:convo-alice');
    expect(conv?.unreadCount).toBe(3);
    expect(conv?.lastMessagePreview).toBe('Still there?');
    expect(r.inboundMessageIds).toEqual([s.messagesOf(conv!.id)[2]!.id]);
    expect(s.seen.filter((e) => e.event === 'inbox.changed').at(-1)?.payload).toEqual({ workspaceId: s.ws.id, conversationIds: [conv!.id] });
  });
});

describe('threads and replies', () => {
  it('given a comment, our answer from the app and their reply to it arriving newest first, when ingested, then they form one thread with each reply pointing at its parent', () => {
    const s = setup();
    s.monitor(POST);
    const theirs = item({ kind: 'comment', threadId: POST, parentId: POST, platformMessageId: `${POST}/c1`, text: 'Gluten free options?', createdAt: T0 + MIN });
    const ours = item({ kind: 'comment', threadId: POST, parentId: `${POST}/c1`, platformMessageId: `${POST}/r1`, authorId: SELF, authorHandle: 'crumb', authorName: 'Crumb', text: 'Yes, on Fridays', createdAt: T0 + 2 * MIN });
    const again = item({ kind: 'comment', threadId: POST, parentId: `${POST}/r1`, platformMessageId: `${POST}/c2`, text: 'Great, see you Friday', createdAt: T0 + 3 * MIN, url: 'https://bsky.app/profile/alice.test/post/c2' });
    const r = ingestItems(s.ctx, s.account, [again, ours, theirs], NOW);
    expect(r).toMatchObject({ added: 3, skipped: 0 });

    const conv = s.conversation(`c:${POST}:did:plc:alice`);
    expect(conv?.metadata).toMatchObject({ kind: 'comment_thread', threadId: POST });
    const [m1, m2, m3] = s.messagesOf(conv!.id);
    expect([m1?.content, m2?.content, m3?.content]).toEqual(['Gluten free options?', 'Yes, on Fridays', 'Great, see you Friday']);
    expect(m2).toMatchObject({ direction: 'outbound', isFromAgent: true, replyToMessageId: m1!.id, senderName: 'Crumb Bakery' });
    expect(m3).toMatchObject({ direction: 'inbound', replyToMessageId: m2!.id });
    expect(m3!.metadata).toEqual({ kind: 'comment', threadId: POST, parentId: `${POST}/r1`, url: 'https://bsky.app/profile/alice.test/post/c2', replyDeadline: null, authorHandle: 'alice.test' });
    // Their reply after our answer is the one unread message.
    expect(conv?.unreadCount).toBe(1);
    // Our own comment is not a received comment.
    expect(s.count('comments')).toBe(2);
  });

  it('given a reply stored before its parent (pages come newest first), when the parent arrives in a later page, then the reply is linked to it', () => {
    const s = setup();
    s.monitor(POST);
    const parent = item({ kind: 'comment', threadId: POST, parentId: POST, text: 'first', createdAt: T0 + MIN });
    const child = item({ kind: 'comment', threadId: POST, parentId: parent.platformMessageId, text: 'second', createdAt: T0 + 2 * MIN });
    ingestItems(s.ctx, s.account, [child], NOW);
    ingestItems(s.ctx, s.account, [parent], NOW);
    const [p, c] = s.messagesOf(s.conversation(`c:${POST}:did:plc:alice`)!.id);
    expect(p?.content).toBe('first');
    expect(c?.replyToMessageId).toBe(p!.id);
  });

  it('given a DM with a reply deadline, when ingested, then the message keeps what a reply needs (thread, kind, deadline) and the thread its window', () => {
    const s = setup();
    const deadline = T0 + 25 * 3_600_000;
    ingestItems(s.ctx, s.account, [item({ replyDeadline: deadline, threadId: 't_123' })], NOW);
    const conv = s.conversation('dm:t_123');
    expect(conv?.metadata).toEqual({ kind: 'dm', threadId: 't_123', replyDeadline: deadline });
    expect(s.messagesOf(conv!.id)[0]?.metadata).toMatchObject({ kind: 'dm', threadId: 't_123', replyDeadline: deadline, parentId: null });
  });
});

describe('our own messages', () => {
  it('given a DM thread where we answered from the network app, when ingested, then our message is outbound, the thread is read and nothing of ours is triaged', () => {
    const s = setup();
    s.db.sqlite.prepare(`INSERT INTO ai_settings (id, workspace_id, flagged_keywords) VALUES ('s1', ?, '["refund"]')`).run(s.ws.id);
    const theirs = item({ text: 'Hi, is the shop open?' });
    const ours = item({ authorId: SELF, authorHandle: 'crumb', authorName: 'Crumb', text: 'Yes! No refund needed for that.' });
    const r = ingestItems(s.ctx, s.account, [ours, theirs], NOW);
    expect(r.inboundMessageIds).toHaveLength(1);
    const conv = s.conversation('dm:convo-alice')!;
    expect(conv.unreadCount).toBe(0);
    expect(conv.lastMessagePreview).toBe('Yes! No refund needed for that.');
    expect(s.messagesOf(conv.id).map((m) => [m.direction, m.status])).toEqual([
      ['inbound', 'delivered'],
      ['outbound', 'sent'],
    ]);
    expect(s.count('ai_decisions')).toBe(0);
    expect(conv.triage).toBeNull();
  });

  it('given our own DM into a thread we do not hold, or our own post answering nobody, when ingested, then it is skipped', () => {
    const s = setup();
    const r = ingestItems(s.ctx, s.account, [item({ authorId: SELF, threadId: 'unknown' }), item({ kind: 'mention', authorId: SELF, threadId: POST })], NOW);
    expect(r).toMatchObject({ added: 0, skipped: 2 });
    expect(s.count('conversations')).toBe(0);
  });
});

describe('comments only on monitored posts', () => {
  it('given comments on a post we do not monitor, after its window, and on one someone stopped watching, when ingested, then those are dropped and counted; in-window ones are kept with their post', () => {
    const s = setup();
    const watched = s.monitor(POST);
    s.monitor('post-stopped', { monitoringEnabled: false, monitoringEndsAt: NOW + 86_400_000 });
    // The window ended before this poll, and the poller already switched the flag off.
    const ended = s.monitor('post-ended', { monitoringEnabled: false, monitoringEndsAt: NOW - MIN });
    const r = ingestItems(
      s.ctx,
      s.account,
      [
        item({ kind: 'comment', threadId: 'post-unknown', text: 'not ours' }),
        item({ kind: 'comment', threadId: 'post-stopped', text: 'stopped' }),
        item({ kind: 'comment', threadId: 'post-ended', text: 'too late', createdAt: NOW - 1 }),
        item({ kind: 'comment', threadId: 'post-ended', text: 'inside the window, fetched late', createdAt: NOW - 2 * MIN }),
        item({ kind: 'comment', threadId: POST, text: 'on the watched post' }),
      ],
      NOW,
    );
    expect(r).toMatchObject({ added: 2, skipped: 3 });
    const rows = s.db.orm.select().from(comments).orderBy(comments.commentedAt).all();
    expect(rows.map((c) => [c.text, c.monitoredPostId])).toEqual([
      ['on the watched post', watched.id],
      ['inside the window, fetched late', ended.id],
    ]);
    const conv = s.conversation(`c:${POST}:did:plc:alice`)!;
    expect(rows[0]).toMatchObject({ customerId: conv.customerId, platform: 'bluesky', platformPostId: POST, authorId: 'did:plc:alice', authorName: 'Alice', isRead: false });
    expect(conv.metadata).toMatchObject({ kind: 'comment_thread', monitoredPostId: watched.id });
  });

  it('given a mention in someone else\'s thread, when ingested, then it needs no monitored post', () => {
    const s = setup();
    const r = ingestItems(s.ctx, s.account, [item({ kind: 'mention', threadId: 'at://did:plc:zed/app.bsky.feed.post/1' })], NOW);
    expect(r.added).toBe(1);
    expect(s.conversation('m:at://did:plc:zed/app.bsky.feed.post/1:did:plc:alice')?.metadata).toMatchObject({ kind: 'mention' });
  });
});

describe('a new message on a resting thread', () => {
  it('given a closed thread and a snoozed one, when each customer writes again, then the closed one re-opens and the snoozed one wakes', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [item({ threadId: 'closed' }), item({ threadId: 'snoozed' }), item({ threadId: 'pending' })], NOW);
    s.db.orm.update(conversations).set({ status: 'closed', unreadCount: 0 }).where(eq(conversations.externalConversationId, 'dm:closed')).run();
    s.db.orm.update(conversations).set({ snoozedUntil: NOW + 86_400_000 }).where(eq(conversations.externalConversationId, 'dm:snoozed')).run();
    s.db.orm.update(conversations).set({ status: 'pending' }).where(eq(conversations.externalConversationId, 'dm:pending')).run();

    ingestItems(s.ctx, s.account, [item({ threadId: 'closed' }), item({ threadId: 'snoozed' }), item({ threadId: 'pending' })], NOW + MIN);
    expect(s.conversation('dm:closed')).toMatchObject({ status: 'open', unreadCount: 1 });
    expect(s.conversation('dm:snoozed')).toMatchObject({ status: 'open', snoozedUntil: null, unreadCount: 2 });
    // Pending waits on the customer: their answer puts it back in Open.
    expect(s.conversation('dm:pending')).toMatchObject({ status: 'open' });
  });

  it('given a closed thread, when only our own message arrives, then it stays closed', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [item()], NOW);
    s.db.orm.update(conversations).set({ status: 'closed' }).run();
    ingestItems(s.ctx, s.account, [item({ authorId: SELF })], NOW);
    expect(s.conversation('dm:convo-alice')).toMatchObject({ status: 'closed', unreadCount: 0 });
  });
});

describe('follow-ups when the customer replies', () => {
  it('given pending follow-ups, when the customer writes, then those set up before their message that cancel on reply are cancelled and the others stay', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [item({ createdAt: T0 })], NOW);
    const conv = s.conversation('dm:convo-alice')!;
    const followup = (createdAt: number, cancelOnReply: boolean, status: 'pending' | 'sent' = 'pending') =>
      s.db.orm.insert(automatedFollowups).values({ workspaceId: s.ws.id, conversationId: conv.id, message: 'Still interested?', scheduledFor: NOW + 86_400_000, cancelOnReply, status, createdAt }).returning().get().id;
    const before = followup(T0 + MIN, true);
    const keeps = followup(T0 + MIN, false);
    const after = followup(T0 + 3 * 3_600_000, true);
    const sent = followup(T0 + MIN, true, 'sent');
    // One whose send has begun is the follow-up job's to settle.
    const sending = followup(T0 + MIN, true);
    s.db.orm.insert(conversationMessages).values({ workspaceId: s.ws.id, conversationId: conv.id, direction: 'outbound', content: 'Still interested?', status: 'pending', sentAt: T0 + 90 * MIN, metadata: { automatic: 'followup', followupId: sending, sendStartedAt: T0 + 90 * MIN } }).run();

    ingestItems(s.ctx, s.account, [item({ text: 'Yes, one more question', createdAt: T0 + 2 * 3_600_000 })], NOW);
    const status = (id: string) => s.db.orm.select({ status: automatedFollowups.status }).from(automatedFollowups).where(eq(automatedFollowups.id, id)).get()?.status;
    expect([status(before), status(keeps), status(after), status(sent), status(sending)]).toEqual(['cancelled', 'pending', 'pending', 'sent', 'pending']);
  });
});

describe('customers', () => {
  it('given one person writing a DM and a comment, and on a second account of the same network, when ingested, then one customer with one identity is behind every thread', () => {
    const s = setup();
    s.monitor(POST);
    const second = s.addAccount('bluesky', 'did:plc:crumb-two');
    ingestItems(s.ctx, s.account, [item({ createdAt: T0 + MIN }), item({ kind: 'comment', threadId: POST, createdAt: T0 + 5 * MIN }), item({ authorId: 'did:plc:bob', threadId: 'convo-bob', authorName: 'Bob' })], NOW);
    ingestItems(s.ctx, second, [item({ threadId: 'other-convo', createdAt: T0 + 9 * MIN, authorName: 'Alice B.' })], NOW);

    const alice = s.db.orm.select().from(customerIdentities).where(eq(customerIdentities.externalId, 'did:plc:alice')).all();
    expect(alice).toHaveLength(1);
    const customerId = alice[0]!.customerId;
    const threads = s.db.orm.select({ customerId: conversations.customerId }).from(conversations).where(eq(conversations.customerIdentifier, 'did:plc:alice')).all();
    expect(threads.map((t) => t.customerId)).toEqual([customerId, customerId, customerId]);
    expect(s.db.orm.select({ customerId: comments.customerId }).from(comments).get()?.customerId).toBe(customerId);
    expect(s.count('customers')).toBe(2);
    const row = s.db.orm.select().from(customers).where(eq(customers.id, customerId)).get();
    // The first name seen stays the contact's; the identity follows the network's current name.
    expect(row).toMatchObject({ name: 'Alice', source: 'bluesky', lifecycleStage: 'lead', firstSeenAt: T0 + MIN, lastContactAt: T0 + 9 * MIN });
    expect(alice[0]?.displayName).toBe('Alice B.');
    expect(s.seen.filter((e) => e.event === 'customers.changed')).toHaveLength(2);
  });

  it('given the same id on another network, when ingested, then it is another person', () => {
    const s = setup();
    const mastodon = s.addAccount('mastodon', '1');
    ingestItems(s.ctx, s.account, [item({ authorId: '42' })], NOW);
    ingestItems(s.ctx, mastodon, [item({ authorId: '42' })], NOW);
    expect(s.count('customers')).toBe(2);
  });
});

describe('hostile input', () => {
  const hostile = {
    script: '<script>window.__pwned = 1</script>',
    img: '<img src=x onerror="alert(1)">',
    js: '[click](javascript:alert(1)) javascript:alert(document.cookie)',
    rtl: 'invoice\u202Egpj.exe and \u2067isolated\u2069',
    zwj: 'fam\u200D👨\u200D👩\u200D👧 re\u200Bfund',
    lone: 'broken \uD800 and \uDC00 halves, whole 😀',
    nul: 'before\u0000after \u0002fake highlight\u0003',
  };

  it('given messages and author names holding markup, javascript: links, bidi overrides, zero-width joiners, lone surrogates and NULs, when ingested, then they are stored as text and read back the same (invalid code units as U+FFFD)', () => {
    const s = setup();
    const items = Object.entries(hostile).map(([k, text]) => item({ threadId: `t-${k}`, authorId: `did:plc:${k}`, authorName: text, authorHandle: hostile.script, text, url: 'javascript:alert(1)' }));
    const r = ingestItems(s.ctx, s.account, items, NOW);
    expect(r).toMatchObject({ added: items.length, skipped: 0 });

    const expected: Record<string, string> = {
      ...hostile,
      lone: 'broken \uFFFD and \uFFFD halves, whole 😀',
      nul: 'before\uFFFDafter \uFFFDfake highlight\uFFFD',
    };
    for (const [k, text] of Object.entries(expected)) {
      const conv = s.conversation(`dm:t-${k}`)!;
      expect(conv.customerName).toBe(text);
      const [m] = s.messagesOf(conv.id);
      const view = toMessageView(m!);
      expect(view.content).toBe(text);
      expect(view.senderName).toBe(text);
      // A link that is not a web address is not kept as the message's link.
      expect(view.url).toBeNull();
      // What SQLite holds is valid UTF-8 that decodes to the same text.
      const raw = s.db.sqlite.prepare<[string], { b: Buffer }>('SELECT CAST(content AS BLOB) AS b FROM conversation_messages WHERE id = ?').get(m!.id)!.b;
      expect(new TextDecoder('utf-8', { fatal: true }).decode(raw)).toBe(text);
    }
    // Full-text search still works on them, and finds words the markup surrounds.
    expect(searchText(s.db, { workspaceId: s.ws.id, target: 'messages', query: 'pwned' })).toHaveLength(1);
    expect(searchText(s.db, { workspaceId: s.ws.id, target: 'messages', query: 'after' })).toHaveLength(1);
  });

  it('given a 100 kB message, when ingested, then it is stored whole and the list preview is cut', () => {
    const s = setup();
    const text = `${'Je voudrais commander un gâteau ☕ '.repeat(3_000)}fin`;
    expect(text.length).toBeGreaterThan(100_000);
    const started = performance.now();
    ingestItems(s.ctx, s.account, [item({ text })], NOW);
    expect(performance.now() - started).toBeLessThan(1_000);
    const conv = s.conversation('dm:convo-alice')!;
    expect(s.messagesOf(conv.id)[0]?.content).toBe(text);
    expect(conv.lastMessagePreview!.length).toBeLessThanOrEqual(140);
    expect(conv.lastMessagePreview!.endsWith('…')).toBe(true);
  });

  it('given a text longer than the stored maximum, when ingested, then it is cut there without splitting a character and says how long it was', () => {
    const s = setup();
    const text = `${'a'.repeat(MAX_TEXT_CHARS - 1)}😀 and more`;
    ingestItems(s.ctx, s.account, [item({ text })], NOW);
    const [m] = s.messagesOf(s.conversation('dm:convo-alice')!.id);
    expect(m!.content).toBe('a'.repeat(MAX_TEXT_CHARS - 1));
    expect(m!.metadata['truncatedFrom']).toBe(text.length);
  });

  it('given items without an id or author, an unknown kind, a bad time and a future time, when ingested, then the bad ones are skipped and the rest of the page is stored', () => {
    const s = setup();
    const broken = [item({ platformMessageId: '' }), item({ authorId: '' }), { ...item(), kind: 'story' } as unknown as InboxItem, item({ threadId: 'x'.repeat(5_000) })];
    const r = ingestItems(s.ctx, s.account, [...broken, item({ createdAt: Number.NaN, text: 'no time' }), item({ createdAt: NOW + 86_400_000, text: 'from the future' })], NOW);
    expect(r).toMatchObject({ added: 2, skipped: 4 });
    const times = s.messagesOf(s.conversation('dm:convo-alice')!.id).map((m) => m.sentAt);
    expect(times).toEqual([NOW, NOW]);
  });

  it('given a page with a message that violates nothing but one that is the same id twice, when ingested, then the duplicate is stored once', () => {
    const s = setup();
    const a = item();
    const r = ingestItems(s.ctx, s.account, [a, { ...a }], NOW);
    expect(r.added).toBe(1);
    expect(s.db.sqlite.prepare('SELECT count(*) AS n FROM conversation_messages').get()).toEqual({ n: 1 });
  });
});

describe('events', () => {
  it('given a page touching two threads, when ingested, then one inbox.changed names both, and a page of nothing new sends none', () => {
    const s = setup();
    ingestItems(s.ctx, s.account, [item(), item({ threadId: 'b', authorId: 'did:plc:b' })], NOW);
    const changed = s.seen.filter((e) => e.event === 'inbox.changed');
    expect(changed).toHaveLength(1);
    const ids = s.db.orm.select({ id: conversations.id }).from(conversations).all().map((r) => r.id).sort();
    expect([...(changed[0]!.payload as { conversationIds: string[] }).conversationIds].sort()).toEqual(ids);
    s.seen.length = 0;
    ingestItems(s.ctx, s.account, [], NOW);
    expect(s.seen).toEqual([]);
    expect(s.db.orm.select({ n: sql<number>`count(*)` }).from(conversations).get()?.n).toBe(2);
  });
});

describe('a real connector page', () => {
  /** Every page of the inbox, as the poller reads it, each ingested as it comes. */
  async function pollAll(connector: PlatformConnector, account: ConnectorAccount, ingest: (items: readonly InboxItem[]) => number): Promise<number> {
    let cursor: string | null = null;
    let added = 0;
    let pages = 0;
    do {
      const page = await connector.fetchInbox(account, { kinds: ['dm', 'mention', 'comment'], cursor, since: null, limit: 2 });
      added += ingest(page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    return added;
  }

  it('given comments, a mention and DMs on a Mastodon instance, when its inbox is read through the connector twice, then the first read stores them in their threads and the second adds nothing', async () => {
    const srv = await startMastodonServer();
    cleanups.push(() => srv.close());
    const s = setup();
    const token = srv.issueToken();
    const connected: ConnectorAccount = { platformAccountId: srv.me.id, baseUrl: srv.baseUrl, credentials: { ...token, expiresAt: null, scopes: ['read', 'write'] } };
    const account = s.addAccount('mastodon', srv.me.id);
    const connector = createMastodonConnector();
    const { root } = await connector.publish(connected, { root: { text: 'Fresh sourdough today', media: [] }, thread: [], firstComment: null, scheduleAt: null, idempotencyKey: `job-${randomUUID()}`, inReplyTo: null, language: 'en' });
    s.db.orm.insert(monitoredPosts).values({ workspaceId: s.ws.id, accountId: account.id, platformPostId: root.platformPostId, platform: 'mastodon', monitoringEnabled: true, monitoringEndsAt: Date.now() + 86_400_000 }).run();

    const bob = srv.addAccount('bob', 'fosstodon.org', 'Bob <script>alert(1)</script>');
    const carol = srv.addAccount('carol', 'mas.to', 'Carol');
    const t0 = Date.now() - 60_000;
    srv.receive(bob, '@alice is it vegan?', { inReplyToId: root.platformPostId, at: t0 + 1_000 });
    srv.receive(carol, '@alice looks great', { inReplyToId: root.platformPostId, at: t0 + 2_000 });
    srv.receive(carol, 'Everyone go to @alice for bread', { at: t0 + 3_000 });
    srv.receive(bob, '@alice can I order 3 loaves?', { visibility: 'direct', at: t0 + 4_000 });

    const ingest = (items: readonly InboxItem[]) => ingestItems(s.ctx, account, items, Date.now()).added;
    expect(await pollAll(connector, connected, ingest)).toBe(4);
    const rows = s.db.orm.select({ key: conversations.externalConversationId, kind: sql<string>`json_extract(${conversations.metadata}, '$.kind')`, name: conversations.customerName }).from(conversations).all();
    expect(rows.map((r) => r.kind).sort()).toEqual(['comment_thread', 'comment_thread', 'dm', 'mention']);
    expect(rows.find((r) => r.kind === 'dm')?.name).toBe('Bob <script>alert(1)</script>');
    expect(s.count('comments')).toBe(2);
    // One contact per person, whatever they wrote.
    expect(s.count('customers')).toBe(2);

    const before = { messages: s.count('conversation_messages'), unread: s.db.orm.select({ u: conversations.unreadCount }).from(conversations).all() };
    expect(await pollAll(connector, connected, ingest)).toBe(0);
    expect({ messages: s.count('conversation_messages'), unread: s.db.orm.select({ u: conversations.unreadCount }).from(conversations).all() }).toEqual(before);
  });
});
