// Customers (000's CRM): one contact per person, whichever network they write from. The inbox finds
// or creates the contact behind each sender (customer_identities ties a network's user id to it);
// the CRM page lists, reads and edits them. A name the user typed is theirs: ingestion only fills
// what is empty.
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { conversations } from '../../../db/schema/inbox';
import { customerIdentities, customers } from '../../../db/schema/crm';
import type { Platform } from '../../../db/schema';
import type { ApiContext } from '../context';
import { InboxError, summarize } from '../inbox/summary';
import type { CustomerIdentityView, CustomerView, LifecycleStage } from '../inbox/views';

type Tx = Pick<Database['orm'], 'select' | 'insert' | 'update'>;
type CustomerRow = typeof customers.$inferSelect;
type IdentityRow = typeof customerIdentities.$inferSelect;

/** A contact in the CRM list: everything but the conversation history, which only the detail reads. */
export type CustomerListItem = Omit<CustomerView, 'conversations'> & { conversationCount: number };

export interface CustomerListResult {
  /** By last contact, newest first; contacts never heard from last. */
  items: CustomerListItem[];
  total: number;
  offset: number;
}

export interface CustomerListInput {
  workspaceId: string;
  query?: string | undefined;
  stage?: LifecycleStage | undefined;
  offset: number;
  limit: number;
}

export interface CustomerUpdate {
  customerId: string;
  lifecycleStage?: LifecycleStage | undefined;
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  notes?: string | null | undefined;
  tags?: string[] | undefined;
}

export interface Sender {
  workspaceId: string;
  platform: Platform;
  /** The network's user id (stable, unlike a handle). */
  externalId: string;
  handle: string | null;
  displayName: string | null;
  profileUrl: string | null;
}

export interface EnsuredCustomer {
  customerId: string;
  created: boolean;
}

/**
 * The contact behind a sender, created on first contact (a lead, sourced from that network). Runs
 * inside the caller's transaction. `at` is when they wrote: first_seen_at and last_contact_at
 * follow the network's clock, so a backlog fetched late still dates each contact correctly.
 */
export function ensureCustomer(tx: Tx, sender: Sender, at: number, now: number): EnsuredCustomer {
  const identity = tx
    .select({ identity: customerIdentities, customer: customers })
    .from(customerIdentities)
    .leftJoin(customers, and(eq(customers.id, customerIdentities.customerId), isNull(customers.deletedAt)))
    .where(and(eq(customerIdentities.workspaceId, sender.workspaceId), eq(customerIdentities.channel, sender.platform), eq(customerIdentities.externalId, sender.externalId)))
    .get();

  if (identity?.customer) {
    const c = identity.customer;
    // Only real changes are written: customers sync, and a poll re-reads the same messages often.
    const name = c.name ?? sender.displayName ?? sender.handle;
    const lastContactAt = Math.max(c.lastContactAt ?? at, at);
    const firstSeenAt = Math.min(c.firstSeenAt ?? at, at);
    if (name !== c.name || lastContactAt !== c.lastContactAt || firstSeenAt !== c.firstSeenAt) {
      tx.update(customers).set({ name, lastContactAt, firstSeenAt, updatedAt: now }).where(eq(customers.id, c.id)).run();
    }
    const was = identity.identity;
    const next = { handle: sender.handle ?? was.handle, displayName: sender.displayName ?? was.displayName, profileUrl: sender.profileUrl ?? was.profileUrl };
    if (next.handle !== was.handle || next.displayName !== was.displayName || next.profileUrl !== was.profileUrl || was.deletedAt !== null) {
      // People rename themselves; the identity keeps what the network says now.
      tx.update(customerIdentities).set({ ...next, deletedAt: null, updatedAt: now }).where(eq(customerIdentities.id, was.id)).run();
    }
    return { customerId: c.id, created: false };
  }

  const [created] = tx
    .insert(customers)
    .values({
      workspaceId: sender.workspaceId,
      name: sender.displayName ?? sender.handle,
      source: sender.platform,
      lifecycleStage: 'lead',
      firstSeenAt: at,
      lastContactAt: at,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: customers.id })
    .all();
  if (!created) throw new Error('the new customer was not written');
  if (identity) {
    // The identity outlived its contact (deleted from the CRM): the person is new to us again.
    tx.update(customerIdentities)
      .set({ customerId: created.id, handle: sender.handle, displayName: sender.displayName, profileUrl: sender.profileUrl, deletedAt: null, updatedAt: now })
      .where(eq(customerIdentities.id, identity.identity.id))
      .run();
  } else {
    tx.insert(customerIdentities)
      .values({
        workspaceId: sender.workspaceId,
        customerId: created.id,
        channel: sender.platform,
        externalId: sender.externalId,
        handle: sender.handle,
        displayName: sender.displayName,
        profileUrl: sender.profileUrl,
        createdAt: now,
        updatedAt: now,
      })
      .run();
  }
  return { customerId: created.id, created: true };
}

function identityView(r: IdentityRow): CustomerIdentityView {
  return { channel: r.channel, externalId: r.externalId, handle: r.handle, displayName: r.displayName, profileUrl: r.profileUrl };
}

function identitiesOf(db: Database, customerIds: readonly string[]): Map<string, CustomerIdentityView[]> {
  const out = new Map<string, CustomerIdentityView[]>();
  if (customerIds.length === 0) return out;
  const rows = db.orm
    .select()
    .from(customerIdentities)
    .where(and(inArray(customerIdentities.customerId, [...customerIds]), isNull(customerIdentities.deletedAt)))
    .orderBy(customerIdentities.createdAt)
    .all();
  for (const r of rows) {
    const list = out.get(r.customerId) ?? [];
    list.push(identityView(r));
    out.set(r.customerId, list);
  }
  return out;
}

function baseView(r: CustomerRow, identities: CustomerIdentityView[]): Omit<CustomerView, 'conversations'> {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    name: r.name,
    email: r.email,
    phone: r.phone,
    avatarUrl: r.avatarUrl,
    lifecycleStage: r.lifecycleStage,
    source: r.source,
    notes: r.notes,
    tags: r.tags,
    firstSeenAt: r.firstSeenAt,
    lastContactAt: r.lastContactAt,
    identities,
  };
}

/** LIKE treats % and _ as wildcards; a search for "50%" means the characters. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function listCustomers(db: Database, input: CustomerListInput): CustomerListResult {
  const conds: SQL[] = [eq(customers.workspaceId, input.workspaceId), isNull(customers.deletedAt)];
  if (input.stage) conds.push(eq(customers.lifecycleStage, input.stage));
  const q = input.query?.trim() ?? '';
  if (q !== '') {
    const p = likePattern(q);
    conds.push(
      sql`(${customers.name} LIKE ${p} ESCAPE '\\' OR ${customers.email} LIKE ${p} ESCAPE '\\' OR ${customers.phone} LIKE ${p} ESCAPE '\\' OR EXISTS (
        SELECT 1 FROM ${customerIdentities} ci WHERE ci.customer_id = ${customers.id} AND ci.deleted_at IS NULL
          AND (ci.handle LIKE ${p} ESCAPE '\\' OR ci.display_name LIKE ${p} ESCAPE '\\' OR ci.external_id = ${q})))`,
    );
  }
  const where = and(...conds);
  const total = db.orm.select({ n: sql<number>`count(*)` }).from(customers).where(where).get()?.n ?? 0;
  const rows = db.orm
    .select()
    .from(customers)
    .where(where)
    .orderBy(sql`${customers.lastContactAt} IS NULL`, desc(customers.lastContactAt), desc(customers.id))
    .limit(input.limit)
    .offset(input.offset)
    .all();
  const ids = rows.map((r) => r.id);
  const identities = identitiesOf(db, ids);
  const counts = new Map(
    ids.length === 0
      ? []
      : db.orm
          .select({ id: conversations.customerId, n: sql<number>`count(*)` })
          .from(conversations)
          .where(and(inArray(conversations.customerId, ids), isNull(conversations.deletedAt)))
          .groupBy(conversations.customerId)
          .all()
          .map((r) => [r.id, r.n] as const),
  );
  return {
    items: rows.map((r) => ({ ...baseView(r, identities.get(r.id) ?? []), conversationCount: counts.get(r.id) ?? 0 })),
    total,
    offset: input.offset,
  };
}

/** How much history the detail shows; the inbox's own filters reach the rest. */
const HISTORY_LIMIT = 200;

export function getCustomer(db: Database, customerId: string): CustomerView {
  const row = db.orm.select().from(customers).where(and(eq(customers.id, customerId), isNull(customers.deletedAt))).get();
  if (!row) throw new InboxError('not_found', 'That contact no longer exists.');
  const convRows = db.orm
    .select()
    .from(conversations)
    .where(and(eq(conversations.customerId, customerId), isNull(conversations.deletedAt)))
    .orderBy(sql`${conversations.lastMessageAt} IS NULL`, desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(HISTORY_LIMIT)
    .all();
  return { ...baseView(row, identitiesOf(db, [customerId]).get(customerId) ?? []), conversations: summarize(db, convRows) };
}

export function updateCustomer(ctx: Pick<ApiContext, 'db' | 'events'>, input: CustomerUpdate, now = Date.now()): CustomerView {
  const { db } = ctx;
  const row = db.orm.select().from(customers).where(and(eq(customers.id, input.customerId), isNull(customers.deletedAt))).get();
  if (!row) throw new InboxError('not_found', 'That contact no longer exists.');
  const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());
  const set: Partial<typeof customers.$inferInsert> = { updatedAt: now };
  if (input.lifecycleStage !== undefined) set.lifecycleStage = input.lifecycleStage;
  if (input.name !== undefined) set.name = blankToNull(input.name);
  if (input.email !== undefined) set.email = blankToNull(input.email);
  if (input.phone !== undefined) set.phone = blankToNull(input.phone);
  // Notes keep their line breaks and spacing; only an empty note becomes "no notes".
  if (input.notes !== undefined) set.notes = input.notes === null || input.notes.trim() === '' ? null : input.notes;
  if (input.tags !== undefined) set.tags = [...new Set(input.tags.map((t) => t.trim()).filter((t) => t !== ''))];
  db.orm.update(customers).set(set).where(eq(customers.id, row.id)).run();
  ctx.events.emit('customers.changed', { workspaceId: row.workspaceId, customerId: row.id });
  return getCustomer(db, row.id);
}
