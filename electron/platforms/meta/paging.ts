// Graph paging and time, shared by both connectors. Graph pages either by cursor
// (`paging.cursors.after`) or by time (`until` + `__paging_token`, only inside `paging.next`), so
// the next page is described by the query of `paging.next` minus the parts Postdesk sets itself.
// Cursors handed out of the connector hold only those paging parameters, never a token.
import type { z } from 'zod';
import { PlatformError } from '../errors';
import type { MetaPlatform } from './graph';
import type { pagingSchema } from './schemas';

export type GraphPaging = z.output<typeof pagingSchema>;
export type PagingQuery = Readonly<Record<string, string>>;

/** Query keys the connector sets on every request, which the next link merely repeats. */
const OWN_KEYS = new Set(['access_token', 'fields', 'metric', 'platform', 'limit', 'since', 'appsecret_proof']);

/** The query that fetches the page after this one, or null on the last page (Graph omits `next`). */
export function nextPageQuery(paging: GraphPaging): PagingQuery | null {
  if (!paging?.next) return null;
  let url: URL;
  try {
    url = new URL(paging.next);
  } catch {
    return paging.cursors?.after ? { after: paging.cursors.after } : null;
  }
  const out: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (!OWN_KEYS.has(key)) out[key] = value;
  if (Object.keys(out).length === 0 && paging.cursors?.after) out['after'] = paging.cursors.after;
  return Object.keys(out).length === 0 ? null : out;
}

/** Graph writes times as ISO 8601 with a colon-less offset ("2026-11-23T20:00:00+0000"). */
export function graphTime(value: string): number {
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const t = Date.parse(normalised);
  if (Number.isNaN(t)) throw new RangeError(`Not a Graph time: ${value}`);
  return t;
}

/** Unix seconds, as scheduled_publish_time and `since` want them. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

// --- the inbox cursor ---------------------------------------------------------------------------

export interface InboxCursor<K extends string> {
  /** Which source (DMs, comments, mentions) the next page comes from. */
  kind: K;
  /** Graph's paging for that source; null starts it from the newest. */
  page: PagingQuery | null;
}

export function encodeCursor<K extends string>(cursor: InboxCursor<K>): string {
  return Buffer.from(JSON.stringify({ k: cursor.kind, p: cursor.page }), 'utf8').toString('base64url');
}

export function decodeCursor<K extends string>(platform: MetaPlatform, raw: string, kinds: readonly K[]): InboxCursor<K> {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const { k, p } = parsed as { k?: unknown; p?: unknown };
      const kind = kinds.find((x) => x === k);
      const pageOk = p === null || (typeof p === 'object' && Object.values(p as object).every((v) => typeof v === 'string'));
      if (kind !== undefined && pageOk) return { kind, page: p as PagingQuery | null };
    }
  } catch {
    // fall through to the refusal below
  }
  throw new PlatformError({ platform, category: 'validation', message: 'This inbox cursor is not one Postdesk handed out; start again from the newest.', effect: 'none' });
}

/**
 * One inbox page across several sources read in a fixed order: the current source's next Graph
 * page, then the next source from its newest once the current one ends (or passes `since`).
 */
export async function stagedInboxPage<K extends string, T>(
  platform: MetaPlatform,
  order: readonly K[],
  cursor: string | null,
  read: (kind: K, page: PagingQuery | null) => Promise<{ items: readonly T[]; next: PagingQuery | null }>,
): Promise<{ items: readonly T[]; nextCursor: string | null }> {
  if (order.length === 0) return { items: [], nextCursor: null };
  const first = order[0] as K;
  const at = cursor === null ? { kind: first, page: null } : decodeCursor(platform, cursor, order);
  const { items, next } = await read(at.kind, at.page);
  if (next !== null) return { items, nextCursor: encodeCursor({ kind: at.kind, page: next }) };
  const following = order[order.indexOf(at.kind) + 1];
  return { items, nextCursor: following === undefined ? null : encodeCursor({ kind: following, page: null }) };
}

// --- lists of lists (posts with comments, conversations with messages) ---------------------------

export interface ParentRead<T> {
  items: T[];
  /** The parent just read, when its children continue past this page. */
  parentId: string | null;
  childNext: PagingQuery | null;
  /** Values the children's later pages need (a conversation's reply deadline). */
  carry?: Readonly<Record<string, string>>;
  parentNext: PagingQuery | null;
  /** Everything further is older than `since`. */
  stop: boolean;
}

export interface ChildrenRead<T> {
  items: T[];
  childNext: PagingQuery | null;
  /** Replaces the carried values for the following pages. */
  carry?: Readonly<Record<string, string>>;
  stop: boolean;
}

const PARENT = '~parent';
const CHILD = '~child';
const CARRY = '~carry';
const END = '~end';

/**
 * One page of a nested source, one parent at a time: the parent with its newest children
 * embedded, then (when they overflow) the rest of its children through their own edge, then the
 * next parent. Nested limits alone would silently drop children, so they are followed. The
 * position is kept in the paging query under `~` keys, next to the parent list's own paging.
 */
export async function readNestedPage<T>(
  page: PagingQuery | null,
  readParent: (q: PagingQuery) => Promise<ParentRead<T>>,
  readChildren: (parentId: string, q: PagingQuery, carry: Readonly<Record<string, string>>) => Promise<ChildrenRead<T>>,
): Promise<{ items: T[]; next: PagingQuery | null }> {
  const parentId = page?.[PARENT];
  if (page && parentId !== undefined) {
    const parentQ: Record<string, string> = {};
    for (const [k, v] of Object.entries(page)) if (!k.startsWith('~')) parentQ[k] = v;
    const carry = JSON.parse(page[CARRY] ?? '{}') as Record<string, string>;
    const r = await readChildren(parentId, JSON.parse(page[CHILD] ?? '{}') as PagingQuery, carry);
    if (r.childNext !== null && !r.stop) {
      return { items: r.items, next: { ...page, [CHILD]: JSON.stringify(r.childNext), ...(r.carry ? { [CARRY]: JSON.stringify(r.carry) } : {}) } };
    }
    return { items: r.items, next: page[END] === '1' ? null : parentQ };
  }
  const r = await readParent(page ?? {});
  if (r.stop) return { items: r.items, next: null };
  if (r.parentId !== null && r.childNext !== null) {
    return {
      items: r.items,
      next: { ...(r.parentNext ?? { [END]: '1' }), [PARENT]: r.parentId, [CHILD]: JSON.stringify(r.childNext), [CARRY]: JSON.stringify(r.carry ?? {}) },
    };
  }
  return { items: r.items, next: r.parentNext };
}
