// The CRM over a real database file: contacts made by ingestion, listed by last contact and
// searched, read with their handles and history, and edited, without ingestion undoing edits.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../electron/api/events';
import { getCustomer, listCustomers, updateCustomer } from '../../electron/core/customers/customers';
import { EventBus } from '../../electron/core/events';
import { ingestItems, type IngestAccount } from '../../electron/core/inbox/ingest';
import { InboxError } from '../../electron/core/inbox/summary';
import { createWorkspace } from '../../electron/core/workspaces/workspaces';
import type { InboxItem } from '../../electron/platforms/connector';
import type { Platform } from '../../db/schema';
import { accounts } from '../../db/schema/accounts';
import { customerIdentities, customers } from '../../db/schema/crm';
import { startTestCore } from '../helpers/core';
import { openTestDb } from '../helpers/db';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const NOW = T0 + 86_400_000;
const MIN = 60_000;

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
  const other = createWorkspace(db, { name: 'Other Brand', businessType: 'saas', brandVoice: 'casual', timezone: 'UTC' });
  const addAccount = (workspaceId: string, platform: Platform, platformAccountId: string): IngestAccount => {
    const a = db.orm.insert(accounts).values({ workspaceId, platform, platformAccountId, username: `${platform}-us` }).returning().get();
    return { id: a.id, workspaceId, platform, platformAccountId };
  };
  const bluesky = addAccount(ws.id, 'bluesky', 'did:plc:crumb');
  const mastodon = addAccount(ws.id, 'mastodon', '1');
  const ctx = { db, events };
  const customerOf = (externalId: string): string => {
    const row = db.orm.select({ id: customerIdentities.customerId }).from(customerIdentities).where(eq(customerIdentities.externalId, externalId)).get();
    if (!row) throw new Error(`no customer for ${externalId}`);
    return row.id;
  };
  return { db, ctx, seen, ws, other, bluesky, mastodon, addAccount, customerOf };
}

let n = 0;
function dm(authorId: string, over: Partial<InboxItem> = {}): InboxItem {
  n++;
  return { kind: 'dm', platformMessageId: `m${n}`, threadId: `t-${authorId}`, parentId: null, authorId, authorHandle: `${authorId}.test`, authorName: null, text: `hello ${n}`, createdAt: T0 + n * MIN, url: null, replyDeadline: null, ...over };
}

describe('the CRM list', () => {
  it('given people who wrote at different times, when listed, then the latest contact comes first with their handles and thread counts', () => {
    const s = setup();
    ingestItems(s.ctx, s.bluesky, [dm('ann', { authorName: 'Ann', createdAt: T0 + MIN }), dm('ben', { authorName: 'Ben', createdAt: T0 + 5 * MIN }), dm('ann', { threadId: 'second', createdAt: T0 + 2 * MIN })], NOW);
    ingestItems(s.ctx, s.mastodon, [dm('cat@social.example', { authorName: 'Cat', createdAt: T0 + 3 * MIN })], NOW);
    const list = listCustomers(s.db, { workspaceId: s.ws.id, offset: 0, limit: 50 });
    expect(list.total).toBe(3);
    expect(list.items.map((c) => [c.name, c.conversationCount, c.lastContactAt])).toEqual([
      ['Ben', 1, T0 + 5 * MIN],
      ['Cat', 1, T0 + 3 * MIN],
      ['Ann', 2, T0 + 2 * MIN],
    ]);
    expect(list.items[1]?.identities).toEqual([{ channel: 'mastodon', externalId: 'cat@social.example', handle: 'cat@social.example.test', displayName: 'Cat', profileUrl: null }]);
    expect(list.items[1]?.source).toBe('mastodon');
    // Paging keeps the order and the total.
    expect(listCustomers(s.db, { workspaceId: s.ws.id, offset: 1, limit: 1 })).toMatchObject({ total: 3, offset: 1, items: [expect.objectContaining({ name: 'Cat' })] });
    // Another workspace sees none of them.
    expect(listCustomers(s.db, { workspaceId: s.other.id, offset: 0, limit: 50 }).total).toBe(0);
  });

  it('given a search by name, handle or email and a stage filter, when listed, then only matching contacts come, and % or _ are plain characters', () => {
    const s = setup();
    ingestItems(s.ctx, s.bluesky, [dm('ann', { authorName: 'Ann Baker' }), dm('ben', { authorName: 'Ben', authorHandle: 'ben_100%.bsky' }), dm('cat', { authorName: 'Cat' })], NOW);
    updateCustomer(s.ctx, { customerId: s.customerOf('cat'), email: 'cat@example.org', lifecycleStage: 'customer' }, NOW);
    const names = (query: string | undefined, stage?: 'customer') => listCustomers(s.db, { workspaceId: s.ws.id, query, stage, offset: 0, limit: 50 }).items.map((c) => c.name);
    expect(names('baker')).toEqual(['Ann Baker']);
    expect(names('_100%')).toEqual(['Ben']);
    expect(names('%')).toEqual(['Ben']);
    expect(names('example.org')).toEqual(['Cat']);
    expect(names('ann')).toEqual(['Ann Baker']);
    expect(names(undefined, 'customer')).toEqual(['Cat']);
    expect(names('nobody')).toEqual([]);
  });
});

describe('one contact', () => {
  it('given a contact with threads on two accounts, when read, then their identities and conversations come newest first', () => {
    const s = setup();
    const second = s.addAccount(s.ws.id, 'bluesky', 'did:plc:crumb-2');
    ingestItems(s.ctx, s.bluesky, [dm('ann', { authorName: 'Ann', createdAt: T0 + MIN, text: 'first thread' })], NOW);
    ingestItems(s.ctx, second, [dm('ann', { authorName: 'Ann', createdAt: T0 + 9 * MIN, text: 'second account' })], NOW);
    const c = getCustomer(s.db, s.customerOf('ann'));
    expect(c).toMatchObject({ name: 'Ann', lifecycleStage: 'lead', firstSeenAt: T0 + MIN, lastContactAt: T0 + 9 * MIN });
    expect(c.identities.map((i) => [i.channel, i.externalId])).toEqual([['bluesky', 'ann']]);
    expect(c.conversations.map((v) => [v.lastMessagePreview, v.accountId])).toEqual([
      ['second account', second.id],
      ['first thread', s.bluesky.id],
    ]);
  });

  it('given an unknown id, when read or edited, then it is not found', () => {
    const s = setup();
    expect(() => getCustomer(s.db, 'nope')).toThrow(InboxError);
    expect(() => updateCustomer(s.ctx, { customerId: 'nope', name: 'x' })).toThrow(/no longer exists/);
  });
});

describe('editing a contact', () => {
  it('given edits to stage, name, email, phone, notes and tags, when saved, then they are kept, blanks clear a field, tags are de-duplicated and the CRM is told', () => {
    const s = setup();
    ingestItems(s.ctx, s.bluesky, [dm('ann', { authorName: 'ann🍰' })], NOW);
    const id = s.customerOf('ann');
    s.seen.length = 0;
    const v = updateCustomer(s.ctx, { customerId: id, lifecycleStage: 'customer', name: '  Ann Baker ', email: 'ann@example.org', phone: '   ', notes: 'Allergic to nuts.\n  Orders Fridays.', tags: ['vip', ' vip', 'wholesale'] }, NOW);
    expect(v).toMatchObject({ lifecycleStage: 'customer', name: 'Ann Baker', email: 'ann@example.org', phone: null, notes: 'Allergic to nuts.\n  Orders Fridays.', tags: ['vip', 'wholesale'] });
    expect(s.seen).toEqual([{ event: 'customers.changed', payload: { workspaceId: s.ws.id, customerId: id } }]);
    // Fields not named are left as they are.
    expect(updateCustomer(s.ctx, { customerId: id, notes: null }, NOW)).toMatchObject({ name: 'Ann Baker', email: 'ann@example.org', notes: null, tags: ['vip', 'wholesale'] });
  });

  it('given a name the user typed, when the person writes again under a new display name, then the contact keeps the typed name and the identity shows the new one', () => {
    const s = setup();
    ingestItems(s.ctx, s.bluesky, [dm('ann', { authorName: 'ann🍰' })], NOW);
    const id = s.customerOf('ann');
    updateCustomer(s.ctx, { customerId: id, name: 'Ann Baker' }, NOW);
    ingestItems(s.ctx, s.bluesky, [dm('ann', { authorName: 'Annie' })], NOW);
    const c = getCustomer(s.db, id);
    expect(c.name).toBe('Ann Baker');
    expect(c.identities[0]?.displayName).toBe('Annie');
  });

  it('given a contact deleted from the CRM, when the person writes again, then a new contact is made for them and their identity moves to it', () => {
    const s = setup();
    ingestItems(s.ctx, s.bluesky, [dm('ann', { authorName: 'Ann' })], NOW);
    const old = s.customerOf('ann');
    s.db.orm.update(customers).set({ deletedAt: NOW }).where(eq(customers.id, old)).run();
    ingestItems(s.ctx, s.bluesky, [dm('ann', { authorName: 'Ann' })], NOW);
    const now = s.customerOf('ann');
    expect(now).not.toBe(old);
    expect(s.db.orm.select().from(customerIdentities).all()).toHaveLength(1);
    expect(listCustomers(s.db, { workspaceId: s.ws.id, offset: 0, limit: 10 }).items.map((c) => c.id)).toEqual([now]);
  });
});

describe('the customers API', () => {
  it('given a contact made by ingestion, when listed, read and edited through the API, then the handlers answer with the same views, refuse a bad email and say when a contact is gone', async () => {
    const core = await startTestCore({ scheduler: false });
    cleanups.push(() => core.cleanup());
    const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'UTC' });
    const a = core.ctx.db.orm.insert(accounts).values({ workspaceId: ws.id, platform: 'bluesky', platformAccountId: 'did:plc:crumb', username: 'crumb' }).returning().get();
    ingestItems(core.ctx, { id: a.id, workspaceId: ws.id, platform: 'bluesky', platformAccountId: 'did:plc:crumb' }, [dm('ann', { authorName: 'Ann' })], NOW);

    const list = await core.call('customers.list', { workspaceId: ws.id, query: 'ann' });
    expect(list).toMatchObject({ total: 1, offset: 0, items: [expect.objectContaining({ name: 'Ann', conversationCount: 1 })] });
    const id = list.items[0]!.id;
    const updated = await core.call('customers.update', { customerId: id, lifecycleStage: 'prospect', email: 'ann@example.org' });
    expect(updated).toMatchObject({ lifecycleStage: 'prospect', email: 'ann@example.org' });
    expect((await core.call('customers.get', { customerId: id })).conversations).toHaveLength(1);
    await expect(core.call('customers.update', { customerId: id, email: 'not an email' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('customers.get', { customerId: '01900000-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
