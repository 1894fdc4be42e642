// The inbox list through the real API on a real database file: status tabs (snoozed ones apart
// until they wake), every filter including and excluding, offset windows over a stable order, the
// tab counts agreeing with the tabs, and totals that follow every change.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { DB_FILE_NAME } from '../../electron/core/app';
import { inboxCounts, listConversations, listTags } from '../../electron/core/inbox/list';
import type { InboxView } from '../../electron/core/inbox/views';
import { startTestCore, type TestCore } from '../helpers/core';
import { addAccount, addThread, escalate } from '../helpers/inbox-threads';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

let core: TestCore | undefined;
afterEach(async () => {
  await core?.cleanup();
  core = undefined;
});

async function setup() {
  core = await startTestCore({ scheduler: false });
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  const db = core.ctx.db;
  const insta = addAccount(db, ws.id, 'instagram', 'crumb.insta');
  const bsky = addAccount(db, ws.id, 'bluesky', 'crumb.bsky.social');
  return { core, db, workspaceId: ws.id, insta, bsky };
}

function say(content: string, sentAt: number) {
  return [{ content, sentAt }];
}

const names = (items: { customerName: string | null }[]) => items.map((i) => i.customerName);

describe('status tabs', () => {
  it('given open, pending, closed, snoozed, woken and deleted threads, when each tab is listed, then each holds exactly its own and the counts agree', async () => {
    const s = await setup();
    const now = Date.now();
    const t = (name: string, extra: Partial<Parameters<typeof addThread>[1]>, at: number) =>
      addThread(s.db, { workspaceId: s.workspaceId, accountId: s.insta, name, messages: say(`hi from ${name}`, at), ...extra });
    t('Open Olive', { status: 'open', unread: 2 }, now - 1 * HOUR);
    t('Pending Pia', { status: 'pending' }, now - 2 * HOUR);
    t('Closed Cleo', { status: 'closed' }, now - 3 * HOUR);
    t('Snoozed Sam', { status: 'open', snoozedUntil: now + 5 * HOUR, unread: 1 }, now - 4 * HOUR);
    t('Snoozed Pending Pat', { status: 'pending', snoozedUntil: now + 2 * HOUR }, now - 5 * HOUR);
    t('Woken Wes', { status: 'open', snoozedUntil: now - 1000 }, now - 6 * HOUR);
    t('Deleted Dan', { status: 'open', deletedAt: now - HOUR }, now - 7 * HOUR);

    const tab = async (view: InboxView) => core!.call('inbox.list', { workspaceId: s.workspaceId, view });
    expect(names((await tab('open')).items)).toEqual(['Open Olive', 'Woken Wes']);
    expect(names((await tab('pending')).items)).toEqual(['Pending Pia']);
    expect(names((await tab('snoozed')).items)).toEqual(['Snoozed Sam', 'Snoozed Pending Pat']);
    expect(names((await tab('closed')).items)).toEqual(['Closed Cleo']);
    const all = await tab('all');
    expect(names(all.items)).toEqual(['Open Olive', 'Pending Pia', 'Closed Cleo', 'Snoozed Sam', 'Snoozed Pending Pat', 'Woken Wes']);
    expect(all.total).toBe(6);
    // A snooze whose time passed is over: the thread shows no snooze.
    expect(all.items.find((i) => i.customerName === 'Woken Wes')?.snoozedUntil).toBeNull();
    expect(all.items.find((i) => i.customerName === 'Snoozed Sam')?.snoozedUntil).toBe(now + 5 * HOUR);

    const counts = await core!.call('inbox.counts', { workspaceId: s.workspaceId });
    expect(counts).toMatchObject({ open: 2, pending: 1, snoozed: 2, closed: 1, unread: 1 });
    for (const view of ['open', 'pending', 'snoozed', 'closed'] as const) expect((await tab(view)).total).toBe(counts[view]);
    const unreadOpen = await core!.call('inbox.list', { workspaceId: s.workspaceId, view: 'open', unreadOnly: true });
    const unreadPending = await core!.call('inbox.list', { workspaceId: s.workspaceId, view: 'pending', unreadOnly: true });
    expect(unreadOpen.total + unreadPending.total).toBe(counts.unread);
  });

  it('given a snoozed thread, when its time comes, then it moves from Snoozed to Open and the counts move with it (no write needed)', async () => {
    const s = await setup();
    const until = T0 + 3 * HOUR;
    addThread(s.db, { workspaceId: s.workspaceId, accountId: s.insta, name: 'Later Lou', snoozedUntil: until, unread: 1, messages: say('call me back', T0 - HOUR) });
    const f = { workspaceId: s.workspaceId, offset: 0, limit: 50 };

    expect(listConversations(s.db, { ...f, view: 'snoozed' }, until - 1).total).toBe(1);
    expect(listConversations(s.db, { ...f, view: 'open' }, until - 1).total).toBe(0);
    expect(inboxCounts(s.db, s.workspaceId, until - 1)).toMatchObject({ open: 0, snoozed: 1, unread: 0 });

    expect(listConversations(s.db, { ...f, view: 'snoozed' }, until).total).toBe(0);
    const open = listConversations(s.db, { ...f, view: 'open' }, until);
    expect(names(open.items)).toEqual(['Later Lou']);
    expect(open.items[0]?.snoozedUntil).toBeNull();
    expect(inboxCounts(s.db, s.workspaceId, until)).toMatchObject({ open: 1, snoozed: 0, unread: 1 });
  });
});

describe('filters', () => {
  async function filtered() {
    const s = await setup();
    const base = { workspaceId: s.workspaceId };
    const at = (h: number) => T0 - h * HOUR;
    const ids = {
      alice: addThread(s.db, { ...base, accountId: s.insta, name: 'Alice', unread: 3, priority: 'urgent', tags: ['Refund', 'orders'], triage: 'escalate', kind: 'dm', messages: say('my cake was wrong', at(1)) }),
      bob: addThread(s.db, { ...base, accountId: s.insta, name: 'Bob', priority: 'low', tags: ['orders'], triage: 'respond', kind: 'comment_thread', messages: say('lovely croissant', at(2)) }),
      cara: addThread(s.db, { ...base, accountId: s.bsky, name: 'Cara', unread: 1, priority: 'high', triage: 'ignore', kind: 'mention', messages: say('@crumb best bakery', at(3)) }),
      dev: addThread(s.db, { ...base, accountId: s.bsky, name: 'Dev', kind: null, messages: say('are you open sunday', at(4)) }),
    };
    escalate(s.db, s.workspaceId, ids.alice);
    // Resolved: no longer escalated.
    escalate(s.db, s.workspaceId, ids.bob, T0);
    return { ...s, ids };
  }

  it('given threads that differ in every filtered field, when each filter is applied, then it keeps exactly the matching ones', async () => {
    const s = await filtered();
    const list = async (f: Record<string, unknown>) => names((await core!.call('inbox.list', { workspaceId: s.workspaceId, view: 'open', ...f })).items);

    expect(await list({})).toEqual(['Alice', 'Bob', 'Cara', 'Dev']);
    expect(await list({ unreadOnly: true })).toEqual(['Alice', 'Cara']);
    expect(await list({ accountIds: [s.bsky] })).toEqual(['Cara', 'Dev']);
    expect(await list({ accountIds: [s.insta, s.bsky] })).toEqual(['Alice', 'Bob', 'Cara', 'Dev']);
    expect(await list({ platforms: ['instagram'] })).toEqual(['Alice', 'Bob']);
    expect(await list({ platforms: ['facebook'] })).toEqual([]);
    // A thread with no kind recorded reads as a DM, and the DM filter finds it.
    expect(await list({ kinds: ['dm'] })).toEqual(['Alice', 'Dev']);
    expect(await list({ kinds: ['comment_thread', 'mention'] })).toEqual(['Bob', 'Cara']);
    expect(await list({ kinds: ['mention', 'dm'] })).toEqual(['Alice', 'Cara', 'Dev']);
    expect(await list({ priorities: ['urgent', 'high'] })).toEqual(['Alice', 'Cara']);
    expect(await list({ tag: 'orders' })).toEqual(['Alice', 'Bob']);
    // Tags match whatever the case typed.
    expect(await list({ tag: 'refund' })).toEqual(['Alice']);
    expect(await list({ tag: 'order' })).toEqual([]);
    expect(await list({ triage: ['ignore', 'respond'] })).toEqual(['Bob', 'Cara']);
    expect(await list({ escalatedOnly: true })).toEqual(['Alice']);
    // Filters combine.
    expect(await list({ unreadOnly: true, platforms: ['bluesky'] })).toEqual(['Cara']);
    expect(await list({ tag: 'orders', priorities: ['low'] })).toEqual(['Bob']);
    expect(await list({ escalatedOnly: true, accountIds: [s.bsky] })).toEqual([]);

    const summary = (await core!.call('inbox.list', { workspaceId: s.workspaceId, view: 'open', escalatedOnly: true })).items[0];
    expect(summary).toMatchObject({ customerName: 'Alice', platform: 'instagram', accountLabel: 'crumb.insta', kind: 'dm', escalated: true, triage: 'escalate', unreadCount: 3, tags: ['Refund', 'orders'] });
    const counts = await core!.call('inbox.counts', { workspaceId: s.workspaceId });
    expect(counts.escalated).toBe(1);
    expect(counts.byAccount).toEqual({ [s.insta]: { unread: 1 }, [s.bsky]: { unread: 1 } });
  });

  it('given threads in two workspaces, when one is listed, counted or asked for tags, then the other never shows', async () => {
    const s = await filtered();
    const other = await core!.call('workspaces.create', { name: 'Other Shop', timezone: 'UTC' });
    const acct = addAccount(s.db, other.id, 'instagram', 'other.shop');
    addThread(s.db, { workspaceId: other.id, accountId: acct, name: 'Stranger', tags: ['secret'], unread: 5, messages: say('not yours', T0) });

    const all = await core!.call('inbox.list', { workspaceId: s.workspaceId, view: 'all' });
    expect(all.items.map((i) => i.workspaceId)).toEqual(Array(4).fill(s.workspaceId));
    expect((await core!.call('inbox.counts', { workspaceId: s.workspaceId })).unread).toBe(2);
    expect(await core!.call('inbox.tags', { workspaceId: s.workspaceId })).toEqual(['orders', 'Refund']);
    expect(names((await core!.call('inbox.list', { workspaceId: other.id, view: 'all' })).items)).toEqual(['Stranger']);
  });
});

describe('offset windows', () => {
  it('given 230 threads, some active at the same moment, when the list is read window by window, then the windows join into one sorted list with no repeats at every offset', async () => {
    const s = await setup();
    const created: { id: string; at: number }[] = [];
    for (let i = 0; i < 230; i++) {
      // Groups of three share a time: their order must come from the id, the same every time.
      const at = T0 - Math.floor(i / 3) * 60_000;
      created.push({ id: addThread(s.db, { workspaceId: s.workspaceId, accountId: i % 2 ? s.insta : s.bsky, status: i % 7 === 0 ? 'closed' : 'open', messages: say(`message ${i}`, at) }), at });
    }
    const expected = [...created].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((c) => c.id);

    const seen: string[] = [];
    for (let offset = 0; offset < 260; offset += 37) {
      const page = await core!.call('inbox.list', { workspaceId: s.workspaceId, view: 'all', offset, limit: 37 });
      expect(page.total).toBe(230);
      expect(page.offset).toBe(offset);
      seen.push(...page.items.map((i) => i.id));
    }
    expect(seen).toEqual(expected);

    // Any window, near either end or in the middle, is the matching slice.
    for (const [offset, limit] of [[0, 5], [100, 20], [114, 3], [200, 30], [225, 10], [229, 1], [230, 10]] as const) {
      const page = await core!.call('inbox.list', { workspaceId: s.workspaceId, view: 'all', offset, limit });
      expect(page.items.map((i) => i.id)).toEqual(expected.slice(offset, offset + limit));
    }
    // One status alone keeps the same order.
    const open = await core!.call('inbox.list', { workspaceId: s.workspaceId, view: 'open', offset: 150, limit: 100 });
    const openExpected = expected.filter((id) => created.findIndex((c) => c.id === id) % 7 !== 0);
    expect(open.total).toBe(openExpected.length);
    expect(open.items.map((i) => i.id)).toEqual(openExpected.slice(150, 250));
  });
});

describe('totals after changes', () => {
  it('given a total just counted, when this app or another connection changes the inbox, then the next list counts again', async () => {
    const s = await setup();
    addThread(s.db, { workspaceId: s.workspaceId, accountId: s.insta, messages: say('one', T0) });
    const list = () => core!.call('inbox.list', { workspaceId: s.workspaceId, view: 'open' });
    expect((await list()).total).toBe(1);
    expect((await core!.call('inbox.counts', { workspaceId: s.workspaceId })).open).toBe(1);

    // Another connection (a worker, another process) writes a thread.
    const other = openDatabase({ file: join(core!.dir, DB_FILE_NAME) });
    try {
      addThread(other, { workspaceId: s.workspaceId, accountId: s.insta, tags: ['New'], messages: say('two', T0 + 1) });
    } finally {
      other.close();
    }
    expect((await list()).total).toBe(2);
    expect((await core!.call('inbox.counts', { workspaceId: s.workspaceId })).open).toBe(2);
    expect(await core!.call('inbox.tags', { workspaceId: s.workspaceId })).toEqual(['New']);

    // This connection closes one.
    const [first] = (await list()).items;
    await core!.call('inbox.setStatus', { conversationIds: [first!.id], status: 'closed' });
    expect((await list()).total).toBe(1);
    expect((await core!.call('inbox.counts', { workspaceId: s.workspaceId })).closed).toBe(1);
  });
});

describe('totals inside a transaction', () => {
  it('given a list read inside a transaction that then rolls back, when listed again, then the total is of what was kept', async () => {
    const s = await setup();
    addThread(s.db, { workspaceId: s.workspaceId, accountId: s.insta, messages: say('kept', T0) });
    const f = { workspaceId: s.workspaceId, view: 'open' as const, offset: 0, limit: 50 };
    const attempt = s.db.sqlite.transaction(() => {
      addThread(s.db, { workspaceId: s.workspaceId, accountId: s.insta, messages: say('rolled back', T0 + 1) });
      expect(listConversations(s.db, f).total).toBe(2);
      expect(inboxCounts(s.db, s.workspaceId).open).toBe(2);
      throw new Error('changed my mind');
    });
    expect(() => attempt()).toThrow('changed my mind');
    expect(listConversations(s.db, f).total).toBe(1);
    expect(inboxCounts(s.db, s.workspaceId).open).toBe(1);
  });
});

describe('tags', () => {
  it('given tags in several spellings and on a deleted thread, when the picker asks, then each shows once, sorted, and the deleted one not at all', async () => {
    const s = await setup();
    const base = { workspaceId: s.workspaceId, accountId: s.insta };
    addThread(s.db, { ...base, tags: ['wedding', 'Allergy'], messages: say('a', T0) });
    addThread(s.db, { ...base, tags: ['Wedding', 'catering'], messages: say('b', T0 + 1) });
    addThread(s.db, { ...base, tags: ['zebra'], deletedAt: T0, messages: say('c', T0 + 2) });
    expect(listTags(s.db, s.workspaceId)).toEqual(['Allergy', 'catering', 'Wedding']);
  });
});
