// What the user does to threads, through the real API: each action changes what the list shows,
// announces inbox.changed for the threads it touched, refuses unknown threads and bad times, and
// private notes stay out of the list's preview and unread count.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../electron/api/events';
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
  const db = core.ctx.db;
  const account = addAccount(db, ws.id, 'instagram', 'crumb.insta');
  const now = Date.now();
  const thread = (name: string, extra: Partial<Parameters<typeof addThread>[1]> = {}, hoursAgo = 1) =>
    addThread(db, { workspaceId: ws.id, accountId: account, name, messages: [{ content: `hello from ${name}`, sentAt: now - hoursAgo * HOUR }], ...extra });
  const events: { name: EventName; payload: unknown }[] = [];
  core.ctx.events.subscribe((name, payload) => events.push({ name, payload }));
  return { core, db, workspaceId: ws.id, account, thread, events, now };
}

type Setup = Awaited<ReturnType<typeof setup>>;

const open = (s: Setup, extra: Record<string, unknown> = {}) => s.core.call('inbox.list', { workspaceId: s.workspaceId, view: 'open', ...extra });
const changedIds = (s: Setup) => s.events.filter((e) => e.name === 'inbox.changed').map((e) => e.payload);

describe('read state', () => {
  it('given unread threads, when marked read and one marked unread again, then the unread filter and badge follow, and each change is announced', async () => {
    const s = await setup();
    const a = s.thread('Ann', { unread: 3 }, 1);
    const b = s.thread('Ben', { unread: 1 }, 2);
    expect((await open(s, { unreadOnly: true })).total).toBe(2);

    const read = await s.core.call('inbox.markRead', { conversationIds: [b, a] });
    expect(read.map((r) => [r.id, r.unreadCount])).toEqual([[b, 0], [a, 0]]);
    expect((await open(s, { unreadOnly: true })).total).toBe(0);
    expect((await s.core.call('inbox.counts', { workspaceId: s.workspaceId })).unread).toBe(0);

    const again = await s.core.call('inbox.markUnread', { conversationIds: [a] });
    expect(again[0]?.unreadCount).toBe(1);
    expect((await open(s, { unreadOnly: true })).items.map((i) => i.id)).toEqual([a]);
    expect(changedIds(s)).toEqual([
      { workspaceId: s.workspaceId, conversationIds: [b, a] },
      { workspaceId: s.workspaceId, conversationIds: [a] },
    ]);
  });

  it('given a thread with 4 unread, when marked unread, then it keeps its 4', async () => {
    const s = await setup();
    const a = s.thread('Ann', { unread: 4 });
    expect((await s.core.call('inbox.markUnread', { conversationIds: [a] }))[0]?.unreadCount).toBe(4);
  });
});

describe('status and snooze', () => {
  it('given open threads, when one is set pending and one closed, then they move tabs, closing ends its snooze and resolves its escalation', async () => {
    const s = await setup();
    const a = s.thread('Ann', {}, 1);
    const b = s.thread('Ben', { snoozedUntil: s.now + 5 * HOUR }, 2);
    escalate(s.db, s.workspaceId, b);
    expect((await s.core.call('inbox.counts', { workspaceId: s.workspaceId })).escalated).toBe(1);

    await s.core.call('inbox.setStatus', { conversationIds: [a], status: 'pending' });
    const [closed] = await s.core.call('inbox.setStatus', { conversationIds: [b], status: 'closed' });
    expect(closed).toMatchObject({ id: b, status: 'closed', snoozedUntil: null, escalated: false });

    const counts = await s.core.call('inbox.counts', { workspaceId: s.workspaceId });
    expect(counts).toMatchObject({ open: 0, pending: 1, snoozed: 0, closed: 1, escalated: 0 });
    expect((await s.core.call('inbox.list', { workspaceId: s.workspaceId, view: 'closed' })).items.map((i) => i.id)).toEqual([b]);
    expect(changedIds(s)).toEqual([
      { workspaceId: s.workspaceId, conversationIds: [a] },
      { workspaceId: s.workspaceId, conversationIds: [b] },
    ]);
  });

  it('given open and closed threads, when snoozed until tomorrow, then both wait in Snoozed (the closed one reopened), and a null snooze wakes them', async () => {
    const s = await setup();
    const a = s.thread('Ann', {}, 1);
    const b = s.thread('Ben', { status: 'closed' }, 2);
    const until = s.now + 24 * HOUR;
    const snoozed = await s.core.call('inbox.snooze', { conversationIds: [a, b], until });
    expect(snoozed.map((x) => [x.status, x.snoozedUntil])).toEqual([
      ['open', until],
      ['open', until],
    ]);
    expect((await open(s)).total).toBe(0);
    expect((await s.core.call('inbox.list', { workspaceId: s.workspaceId, view: 'snoozed' })).items.map((i) => i.id)).toEqual([a, b]);

    await s.core.call('inbox.snooze', { conversationIds: [a, b], until: null });
    expect((await open(s)).items.map((i) => i.id)).toEqual([a, b]);
    expect((await s.core.call('inbox.counts', { workspaceId: s.workspaceId })).snoozed).toBe(0);
  });

  it('given a time already past, when snoozing until it, then it is refused in words and nothing changes', async () => {
    const s = await setup();
    const a = s.thread('Ann');
    await expect(s.core.call('inbox.snooze', { conversationIds: [a], until: Date.now() - 1000 })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/future/),
    });
    expect((await open(s)).items.map((i) => i.snoozedUntil)).toEqual([null]);
    expect(changedIds(s)).toEqual([]);
  });
});

describe('priority, tags and AI mode', () => {
  it('given a thread, when its priority, tags and AI mode change, then the filters find it by them', async () => {
    const s = await setup();
    const a = s.thread('Ann', {}, 1);
    s.thread('Ben', {}, 2);
    await s.core.call('inbox.setPriority', { conversationIds: [a], priority: 'urgent' });
    const tagged = await s.core.call('inbox.setTags', { conversationId: a, tags: [' wedding ', 'Allergy', 'WEDDING', 'cake'] });
    // Trimmed, one spelling per tag (the first typed), sorted.
    expect(tagged.tags).toEqual(['Allergy', 'cake', 'wedding']);
    const off = await s.core.call('inbox.setAiMode', { conversationId: a, aiMode: 'OFF' });
    expect(off).toMatchObject({ id: a, aiMode: 'OFF', priority: 'urgent' });

    expect((await open(s, { priorities: ['urgent'] })).items.map((i) => i.id)).toEqual([a]);
    expect((await open(s, { tag: 'Wedding' })).items.map((i) => i.id)).toEqual([a]);
    expect(await s.core.call('inbox.tags', { workspaceId: s.workspaceId })).toEqual(['Allergy', 'cake', 'wedding']);

    await s.core.call('inbox.setTags', { conversationId: a, tags: [] });
    expect((await open(s, { tag: 'wedding' })).total).toBe(0);
    expect(changedIds(s)).toHaveLength(4);
  });
});

describe('unknown threads', () => {
  it('given one unknown id among real ones, when any action runs, then it is not_found and the real ones are untouched', async () => {
    const s = await setup();
    const a = s.thread('Ann', { unread: 2 });
    const gone = s.thread('Gone', { deletedAt: s.now - HOUR });
    const ghost = '01900000-0000-7000-8000-000000000000';
    for (const ids of [[a, ghost], [a, gone]]) {
      await expect(s.core.call('inbox.markRead', { conversationIds: ids })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/1 of these conversations/) });
      await expect(s.core.call('inbox.setStatus', { conversationIds: ids, status: 'closed' })).rejects.toMatchObject({ code: 'not_found' });
    }
    await expect(s.core.call('inbox.setTags', { conversationId: ghost, tags: ['x'] })).rejects.toMatchObject({ code: 'not_found', message: 'That conversation no longer exists.' });
    await expect(s.core.call('inbox.addNote', { conversationId: ghost, text: 'hm' })).rejects.toMatchObject({ code: 'not_found' });
    expect((await open(s)).items.map((i) => [i.unreadCount, i.status])).toEqual([[2, 'open']]);
    expect(changedIds(s)).toEqual([]);
  });
});

describe('private notes', () => {
  it('given an unread thread, when a note is added, then it is in the thread as a note, search finds it, and the preview, last activity and unread count stay the customer’s', async () => {
    const s = await setup();
    const a = s.thread('Ann', { unread: 1 }, 1);
    const before = (await open(s)).items[0]!;

    const note = await s.core.call('inbox.addNote', { conversationId: a, text: 'She ordered the lemon tart last year — offer it again' });
    expect(note).toMatchObject({ conversationId: a, isPrivateNote: true, direction: 'outbound', status: 'sent', isFromAgent: true });

    const after = (await open(s)).items[0]!;
    expect(after.lastMessagePreview).toBe(before.lastMessagePreview);
    expect(after.lastMessagePreview).not.toContain('lemon');
    expect(after.lastMessageAt).toBe(before.lastMessageAt);
    expect(after.unreadCount).toBe(1);

    const thread = await s.core.call('inbox.get', { conversationId: a });
    expect(thread.messages.map((m) => [m.content, m.isPrivateNote])).toEqual([
      ['hello from Ann', false],
      ['She ordered the lemon tart last year — offer it again', true],
    ]);
    const hits = await s.core.call('inbox.search', { workspaceId: s.workspaceId, query: 'lemon tart' });
    expect(hits.map((h) => [h.conversation.id, h.messageId])).toEqual([[a, note.id]]);
    expect(changedIds(s)).toEqual([{ workspaceId: s.workspaceId, conversationIds: [a] }]);
  });
});
