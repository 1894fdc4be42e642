// Customers (000's CRM): one contact per person, whichever network they write from. The inbox finds
// or creates the contact behind each sender (customer_identities ties a network's user id to it);
// the CRM page lists, reads and edits them. A name the user typed is theirs: ingestion only fills
// what is empty.
import type BetterSqlite3 from 'better-sqlite3';
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { conversations } from '../../../db/schema/inbox';
import { newId } from '../../../db/schema/columns';
import { customerIdentities, customers } from '../../../db/schema/crm';
import type { Platform } from '../../../db/schema';
import type { ApiContext } from '../context';
import { InboxError, summarize } from '../inbox/summary';
import type { CustomerIdentityView, CustomerView, LifecycleStage } from '../inbox/views';

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

interface IdentityHit {
  identityId: string;
  handle: string | null;
  displayName: string | null;
  profileUrl: string | null;
  identityDeletedAt: number | null;
  customerId: string | null;
  name: string | null;
  firstSeenAt: number | null;
  lastContactAt: number | null;
}

interface Statements {
  find: BetterSqlite3.Statement<[string, string, string], IdentityHit>;
  touch: BetterSqlite3.Statement<[string | null, number, number, number, string]>;
  insert: BetterSqlite3.Statement<[string, string, string | null, string, number, number, number, number]>;
  insertIdentity: BetterSqlite3.Statement<[string, string, string, string, string, string | null, string | null, string | null, number, number]>;
  updateIdentity: BetterSqlite3.Statement<[string, string | null, string | null, string | null, number, string]>;
}

const prepared = new WeakMap<BetterSqlite3.Database, Statements>();

/** Ingestion asks this once per new message: plain prepared statements, built once per connection. */
function statementsFor(sqlite: BetterSqlite3.Database): Statements {
  let s = prepared.get(sqlite);
  if (!s) {
    s = {
      find: sqlite.prepare<[string, string, string], IdentityHit>(
        `SELECT ci.id AS identityId, ci.handle, ci.display_name AS displayName, ci.profile_url AS profileUrl, ci.deleted_at AS identityDeletedAt,
                c.id AS customerId, c.name, c.first_seen_at AS firstSeenAt, c.last_contact_at AS lastContactAt
           FROM customer_identities ci LEFT JOIN customers c ON c.id = ci.customer_id AND c.deleted_at IS NULL
          WHERE ci.workspace_id = ? AND ci.channel = ? AND ci.external_id = ?`,
      ),
      touch: sqlite.prepare<[string | null, number, number, number, string]>('UPDATE customers SET name = ?, first_seen_at = ?, last_contact_at = ?, updated_at = ? WHERE id = ?'),
      insert: sqlite.prepare<[string, string, string | null, string, number, number, number, number]>(
        `INSERT INTO customers (id, workspace_id, name, source, lifecycle_stage, first_seen_at, last_contact_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'lead', ?, ?, ?, ?)`,
      ),
      insertIdentity: sqlite.prepare<[string, string, string, string, string, string | null, string | null, string | null, number, number]>(
        'INSERT INTO customer_identities (id, workspace_id, customer_id, channel, external_id, handle, display_name, profile_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateIdentity: sqlite.prepare<[string, string | null, string | null, string | null, number, string]>(
        'UPDATE customer_identities SET customer_id = ?, handle = ?, display_name = ?, profile_url = ?, deleted_at = NULL, updated_at = ? WHERE id = ?',
      ),
    };
    prepared.set(sqlite, s);
  }
  return s;
}

/**
 * The contact behind a sender, created on first contact (a lead, sourced from that network). Runs
 * inside the caller's transaction. `at` is when they wrote: first_seen_at and last_contact_at
 * follow the network's clock, so a backlog fetched late still dates each contact correctly.
 */
export function ensureCustomer(db: Pick<Database, 'sqlite'>, sender: Sender, at: number, now: number): EnsuredCustomer {
  const st = statementsFor(db.sqlite);
  const hit = st.find.get(sender.workspaceId, sender.platform, sender.externalId);
  const identity = { handle: sender.handle ?? hit?.handle ?? null, displayName: sender.displayName ?? hit?.displayName ?? null, profileUrl: sender.profileUrl ?? hit?.profileUrl ?? null };

  if (hit?.customerId) {
    // Only real changes are written: customers sync, and a poll re-reads the same messages often.
    const name = hit.name ?? sender.displayName ?? sender.handle;
    const lastContactAt = Math.max(hit.lastContactAt ?? at, at);
    const firstSeenAt = Math.min(hit.firstSeenAt ?? at, at);
    if (name !== hit.name || lastContactAt !== hit.lastContactAt || firstSeenAt !== hit.firstSeenAt) st.touch.run(name, firstSeenAt, lastContactAt, now, hit.customerId);
    // People rename themselves; the identity keeps what the network says now.
    if (identity.handle !== hit.handle || identity.displayName !== hit.displayName || identity.profileUrl !== hit.profileUrl || hit.identityDeletedAt !== null) {
      st.updateIdentity.run(hit.customerId, identity.handle, identity.displayName, identity.profileUrl, now, hit.identityId);
    }
    return { customerId: hit.customerId, created: false };
  }

  const customerId = newId();
  st.insert.run(customerId, sender.workspaceId, sender.displayName ?? sender.handle, sender.platform, at, at, now, now);
  // An identity that outlived its contact (deleted from the CRM) moves to the new one: the person
  // is new to us again.
  if (hit) st.updateIdentity.run(customerId, identity.handle, identity.displayName, identity.profileUrl, now, hit.identityId);
  else st.insertIdentity.run(newId(), sender.workspaceId, customerId, sender.platform, sender.externalId, identity.handle, identity.displayName, identity.profileUrl, now, now);
  return { customerId, created: true };
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
