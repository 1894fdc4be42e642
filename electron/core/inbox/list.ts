// The inbox list: conversations and comment threads by last activity, filtered, in offset windows
// for a virtual list of 100k rows; the tab counts and the tag picker.
//
// Every query here walks conversations_list_idx (live rows; status, last activity, id and every
// filtered column are in it), so counting a tab or skipping 99,900 rows reads index pages only.
// A tab spanning several statuses ('all', 'snoozed') is a UNION ALL of one walk per status, which
// SQLite merges in order instead of sorting 100k rows. A window past the middle of the list is
// read from the far end in the opposite order, so the deepest offset costs what the shallowest does.
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Database } from '../../../db/client';
import { accounts } from '../../../db/schema/accounts';
import { conversations, supportEscalations } from '../../../db/schema/inbox';
import { summarize } from './summary';
import { THREAD_KINDS, type ConversationStatus, type ConversationSummary, type InboxCounts, type InboxListFilter, type InboxListResult, type InboxView } from './views';

export interface ListInput extends InboxListFilter {
  offset: number;
  limit: number;
}

/** A walk of one status; `sleep` says which side of a snooze the rows must be on. */
interface Arm {
  status: ConversationStatus;
  sleep: 'awake' | 'asleep' | 'any';
}

const ARMS: Record<InboxView, readonly Arm[]> = {
  open: [{ status: 'open', sleep: 'awake' }],
  pending: [{ status: 'pending', sleep: 'awake' }],
  snoozed: [
    { status: 'open', sleep: 'asleep' },
    { status: 'pending', sleep: 'asleep' },
  ],
  closed: [{ status: 'closed', sleep: 'any' }],
  all: [
    { status: 'open', sleep: 'any' },
    { status: 'pending', sleep: 'any' },
    { status: 'closed', sleep: 'any' },
  ],
};

const c = conversations;
/** Must be written exactly as in the index for SQLite to read it from there. */
const kindExpr = sql`json_extract(${c.metadata}, '$.kind')`;
const FROM_LIST_INDEX = sql`${conversations} INDEXED BY conversations_list_idx`;

function list(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

/** The filters other than the tab, as conditions on index columns (plus two small lookups). */
function filterConditions(f: InboxListFilter): SQL[] {
  const conds: SQL[] = [];
  // An empty list from the UI means "nothing picked", not "match nothing".
  if (f.accountIds?.length) conds.push(sql`${c.accountId} IN (${list(f.accountIds)})`);
  if (f.platforms?.length) {
    conds.push(sql`${c.accountId} IN (SELECT ${accounts.id} FROM ${accounts} WHERE ${accounts.workspaceId} = ${f.workspaceId} AND ${accounts.platform} IN (${list(f.platforms)}))`);
  }
  if (f.kinds?.length && f.kinds.length < THREAD_KINDS.length) {
    // A thread without a kind reads as a DM (threadKindOf), so 'dm' also takes the unmarked ones.
    if (f.kinds.includes('dm')) {
      const others = THREAD_KINDS.filter((k) => !f.kinds?.includes(k));
      conds.push(sql`(${kindExpr} IS NULL OR ${kindExpr} NOT IN (${list(others)}))`);
    } else {
      conds.push(sql`${kindExpr} IN (${list(f.kinds)})`);
    }
  }
  if (f.unreadOnly) conds.push(sql`${c.unreadCount} > 0`);
  if (f.priorities?.length) conds.push(sql`${c.priority} IN (${list(f.priorities)})`);
  if (f.triage?.length) conds.push(sql`${c.triage} IN (${list(f.triage)})`);
  if (f.tag !== undefined && f.tag.trim() !== '') conds.push(hasTag(f.tag.trim()));
  if (f.escalatedOnly) conds.push(sql`${c.id} IN (${openEscalationsOf(f.workspaceId)})`);
  return conds;
}

function hasTag(tag: string): SQL {
  const exact = sql`EXISTS (SELECT 1 FROM json_each(${c.tags}) WHERE lower(json_each.value) = lower(${tag}))`;
  // json_each costs a virtual table per row (~30 ms over 100k); a substring test on the stored
  // JSON rules out nearly every row first. The stored text is JSON.stringify's (drizzle's json
  // mode), so the needle is too; a tag JSON would escape is left to the exact test alone.
  const needle = JSON.stringify(tag);
  if (needle !== `"${tag}"`) return exact;
  return sql`(instr(lower(${c.tags}), lower(${needle})) > 0 AND ${exact})`;
}

/** Conversations of the workspace with an escalation nobody has resolved yet. */
function openEscalationsOf(workspaceId: string): SQL {
  const e = supportEscalations;
  return sql`SELECT ${e.conversationId} FROM ${e} WHERE ${e.workspaceId} = ${workspaceId} AND ${e.conversationId} IS NOT NULL AND ${e.resolvedAt} IS NULL AND ${e.deletedAt} IS NULL`;
}

function sleepCondition(sleep: Arm['sleep'], now: number): SQL | null {
  if (sleep === 'awake') return sql`(${c.snoozedUntil} IS NULL OR ${c.snoozedUntil} <= ${now})`;
  if (sleep === 'asleep') return sql`${c.snoozedUntil} > ${now}`;
  return null;
}

function armWhere(workspaceId: string, arm: Arm, now: number, scope: (col: SQL) => SQL = (col) => col): SQL {
  const conds = [sql`${scope(sql`${c.workspaceId}`)} = ${workspaceId}`, sql`${scope(sql`${c.status}`)} = ${arm.status}`, sql`${c.deletedAt} IS NULL`];
  const sleep = sleepCondition(arm.sleep, now);
  if (sleep) conds.push(sleep);
  return sql.join(conds, sql` AND `);
}

/** The rows of a tab with its filters, as one or more SELECTs of (id, l = last activity). */
function matching(arms: readonly Arm[], f: InboxListFilter, filters: readonly SQL[], now: number, columns: SQL): SQL {
  if (f.escalatedOnly) {
    // A few hundred threads among 100k: let the open escalations lead, each thread looked up by
    // id and the few sorted, rather than walking the index. `+col` keeps SQLite off the
    // workspace/status indexes for this one query.
    const plus = (col: SQL) => sql`+${col}`;
    const anyArm = sql.join(
      arms.map((arm) => sql`(${armWhere(f.workspaceId, arm, now, plus)})`),
      sql` OR `,
    );
    return sql`SELECT ${columns} FROM ${conversations} WHERE (${anyArm}) AND ${sql.join([...filters], sql` AND `)}`;
  }
  const parts = arms.map((arm) => sql`SELECT ${columns} FROM ${FROM_LIST_INDEX} WHERE ${sql.join([armWhere(f.workspaceId, arm, now), ...filters], sql` AND `)}`);
  return sql.join(parts, sql` UNION ALL `);
}

function countMatching(db: Database, arms: readonly Arm[], f: InboxListFilter, filters: readonly SQL[], now: number): number {
  const row = db.orm.get<{ n: number | null }>(sql`SELECT sum(n) AS n FROM (${matching(arms, f, filters, now, sql`count(*) AS n`)})`);
  return row.n ?? 0;
}

function windowIds(db: Database, arms: readonly Arm[], f: InboxListFilter, filters: readonly SQL[], now: number, dir: 'newest' | 'oldest', offset: number, limit: number): string[] {
  const order = dir === 'newest' ? sql`ORDER BY l DESC, id DESC` : sql`ORDER BY l ASC, id ASC`;
  const rows = db.orm.all<{ id: string }>(sql`${matching(arms, f, filters, now, sql`${c.id} AS id, ${c.lastMessageAt} AS l`)} ${order} LIMIT ${limit} OFFSET ${offset}`);
  return rows.map((r) => r.id);
}

/** `col IN (values)` as one bound JSON array: building and preparing a statement with a
 *  parameter per id costs more than running it when a page holds hundreds. */
export function inList(col: SQLiteColumn, values: readonly (string | number)[]): SQL {
  return sql`${col} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

/** A snooze whose time has passed is over: the thread shows as awake (the tabs agree). */
export function wakeIfDue(s: ConversationSummary, now: number): ConversationSummary {
  return s.snoozedUntil !== null && s.snoozedUntil <= now ? { ...s, snoozedUntil: null } : s;
}

// Scrolling a virtual list asks for window after window of the same filter, and every change
// refreshes the tab counts; counting 100k index entries each time costs more than the window
// itself. A count is kept until the database changes (this connection's total_changes(), any
// other connection's commit: data_version) or a snooze ends (the tabs move a thread then without
// any write), so what comes from here is always exact.
interface Cached {
  version: string;
  from: number;
  until: number;
  value: unknown;
}
const cacheByConnection = new WeakMap<object, Map<string, Cached>>();
const MAX_CACHED = 64;

/**
 * Run `read` in one read transaction, with `cached` for what it counts. Inside a caller's own
 * transaction nothing is kept: a count that saw its uncommitted rows would outlive a rollback
 * with nothing to tell it apart.
 */
function snapshot<T>(db: Database, read: (cached: Cache) => T): T {
  const own = !db.sqlite.inTransaction;
  return db.sqlite.transaction(() => read(own ? (key, now, compute) => keep(db, key, now, compute) : (_key, _now, compute) => compute()))();
}

type Cache = <T>(key: string, now: number, compute: () => T) => T;

/** Inside the snapshot's transaction: its first read starts the snapshot, and only then does
 *  data_version tell that snapshot apart from the one a kept value was counted in. */
function keep<T>(db: Database, key: string, now: number, compute: () => T): T {
  // The next snooze to end anywhere: until then the tabs hold what they hold.
  const nextWake = db.orm.get<{ t: number | null }>(sql`SELECT min(${c.snoozedUntil}) AS t FROM ${conversations} WHERE ${c.snoozedUntil} > ${now}`).t;
  const dataVersion = db.sqlite.pragma('data_version', { simple: true }) as number;
  const changes = db.orm.get<{ n: number }>(sql`SELECT total_changes() AS n`).n;
  const version = `${dataVersion}:${changes}`;
  let cache = cacheByConnection.get(db.sqlite);
  if (!cache) cacheByConnection.set(db.sqlite, (cache = new Map()));
  const hit = cache.get(key);
  // A copy: the caller may change what it gets, the cache must not change with it.
  if (hit && hit.version === version && hit.from <= now && now < hit.until) return structuredClone(hit.value) as T;
  const value = compute();
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, { version, from: now, until: nextWake ?? Number.POSITIVE_INFINITY, value: structuredClone(value) });
  return value;
}

function filterKey(f: InboxListFilter): string {
  const { workspaceId, view, accountIds, platforms, kinds, unreadOnly, priorities, tag, triage, escalatedOnly } = f;
  return JSON.stringify(['total', workspaceId, view, accountIds, platforms, kinds, unreadOnly, priorities, tag?.trim(), triage, escalatedOnly]);
}

export function listConversations(db: Database, input: ListInput, now = Date.now()): InboxListResult {
  const arms = ARMS[input.view];
  const filters = filterConditions(input);
  const offset = Math.max(0, Math.trunc(input.offset));
  const limit = Math.max(0, Math.trunc(input.limit));
  // One snapshot for the total and the window, so a message arriving between them cannot shift
  // the window against the total the scrollbar was sized by.
  return snapshot(db, (cached): InboxListResult => {
    const total = cached(filterKey(input), now, () => countMatching(db, arms, input, filters, now));
    const end = Math.min(total, offset + limit);
    if (end <= offset) return { items: [], total, offset };
    const fromFarEnd = offset > total - end;
    const ids = fromFarEnd
      ? windowIds(db, arms, input, filters, now, 'oldest', total - end, end - offset).reverse()
      : windowIds(db, arms, input, filters, now, 'newest', offset, end - offset);
    const rows = db.orm.select().from(conversations).where(inList(conversations.id, ids)).all();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
    return { items: summarize(db, ordered).map((s) => wakeIfDue(s, now)), total, offset };
  });
}

export function inboxCounts(db: Database, workspaceId: string, now = Date.now()): InboxCounts {
  const awakeNow = sql`(${c.snoozedUntil} IS NULL OR ${c.snoozedUntil} <= ${now})`;
  const live = sql`${c.workspaceId} = ${workspaceId} AND ${c.deletedAt} IS NULL`;
  return snapshot(db, (cached) => cached(JSON.stringify(['counts', workspaceId]), now, (): InboxCounts => {
    // Plain aggregates per status walk the index in place; a GROUP BY over 100k rows would sort
    // them all first (80 ms).
    const tabs = db.orm.all<{ status: ConversationStatus; n: number; asleep: number | null; unread: number | null }>(sql`
      SELECT 'open' AS status, count(*) AS n, sum(${c.snoozedUntil} > ${now}) AS asleep, sum(${c.unreadCount} > 0 AND ${awakeNow}) AS unread
        FROM ${FROM_LIST_INDEX} WHERE ${live} AND ${c.status} = 'open'
      UNION ALL
      SELECT 'pending', count(*), sum(${c.snoozedUntil} > ${now}), sum(${c.unreadCount} > 0 AND ${awakeNow})
        FROM ${FROM_LIST_INDEX} WHERE ${live} AND ${c.status} = 'pending'
      UNION ALL
      SELECT 'closed', count(*), 0, 0 FROM ${FROM_LIST_INDEX} WHERE ${live} AND ${c.status} = 'closed'`);
    const counts: InboxCounts = { open: 0, pending: 0, snoozed: 0, closed: 0, unread: 0, escalated: 0, byAccount: {} };
    for (const t of tabs) {
      const asleep = t.asleep ?? 0;
      counts[t.status] = t.n - asleep;
      counts.snoozed += asleep;
      // The badge agrees with the Open and Pending tabs filtered to unread: snoozed threads wait.
      counts.unread += t.unread ?? 0;
    }
    const accountIds = db.orm
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(eq(accounts.workspaceId, workspaceId), isNull(accounts.deletedAt)))
      .all();
    for (const a of accountIds) counts.byAccount[a.id] = { unread: 0 };
    const perAccount = db.orm.all<{ accountId: string; unread: number }>(sql`
      SELECT ${c.accountId} AS accountId, count(*) AS unread FROM ${FROM_LIST_INDEX}
       WHERE ${live} AND ${c.status} IN ('open', 'pending') AND ${c.unreadCount} > 0 AND ${awakeNow}
       GROUP BY 1`);
    for (const a of perAccount) counts.byAccount[a.accountId] = { unread: a.unread };
    // From the escalations side: a few hundred rows, where the list index would walk 100k.
    const e = supportEscalations;
    const escalated = db.orm.get<{ n: number }>(sql`
      SELECT count(DISTINCT ${e.conversationId}) AS n FROM ${e} JOIN ${conversations} ON ${c.id} = ${e.conversationId}
       WHERE ${e.workspaceId} = ${workspaceId} AND ${e.resolvedAt} IS NULL AND ${e.deletedAt} IS NULL AND ${c.deletedAt} IS NULL`);
    counts.escalated = escalated.n;
    return counts;
  }));
}

/** Every tag on a live conversation, once each whatever its case, sorted for the picker. */
export function listTags(db: Database, workspaceId: string, now = Date.now()): string[] {
  return snapshot(db, (cached) => cached(JSON.stringify(['tags', workspaceId]), now, () => readTags(db, workspaceId)));
}

function readTags(db: Database, workspaceId: string): string[] {
  // Conversations share a handful of tag sets: read the distinct sets, split them here.
  const sets = db.orm.all<{ tags: string }>(
    sql`SELECT DISTINCT ${c.tags} AS tags FROM ${FROM_LIST_INDEX} WHERE ${c.workspaceId} = ${workspaceId} AND ${c.deletedAt} IS NULL AND ${c.tags} <> '[]'`,
  );
  const byKey = new Map<string, string>();
  for (const { tags } of sets) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(tags);
    } catch {
      continue;
    }
    if (!Array.isArray(parsed)) continue;
    for (const t of parsed) {
      if (typeof t !== 'string' || t.trim() === '') continue;
      const tag = t.trim();
      const key = tag.toLocaleLowerCase();
      // Two spellings of one tag: show the same one every time, whatever order SQLite read them in.
      const known = byKey.get(key);
      if (known === undefined || tag < known) byKey.set(key, tag);
    }
  }
  return [...byKey.values()].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }) || (a < b ? -1 : 1));
}
