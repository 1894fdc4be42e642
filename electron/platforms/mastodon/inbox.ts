// The inbox from two lists: mention notifications (GET /api/v1/notifications?types[]=mention),
// which are comments when they answer one of our statuses and mentions otherwise, and direct
// conversations (GET /api/v1/conversations). A direct status also raises a mention notification;
// it is left to the conversations list so a DM never shows twice. Each list pages through its
// own Link header; the opaque cursor carries both.
import { z } from 'zod';
import type { ConnectorAccount, InboxItem, InboxKind, InboxQuery, Page } from '../connector';
import { api, authHeaders, refuse, type MastodonContext } from './context';
import { nextMaxId } from './link-header';
import { conversationSchema, notificationSchema, type MastodonStatus } from './schemas';
import { htmlToText } from './text';

type Source = 'mentions' | 'dms';
type Cursor = Partial<Record<Source, string>>;

const PAGE_MAX: Readonly<Record<Source, number>> = { mentions: 80, dms: 40 };
const cursorSchema = z.object({ mentions: z.string().optional(), dms: z.string().optional() }).strict();

function encodeCursor(c: Cursor): string | null {
  return Object.keys(c).length === 0 ? null : Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw refuse('validation', 'This inbox page cursor is not one Postdesk made for Mastodon.');
  }
}

function sourcesFor(kinds: readonly InboxKind[]): Source[] {
  const out: Source[] = [];
  if (kinds.includes('mention') || kinds.includes('comment')) out.push('mentions');
  if (kinds.includes('dm')) out.push('dms');
  return out;
}

function item(kind: InboxKind, status: MastodonStatus, threadId: string): InboxItem {
  return {
    kind,
    platformMessageId: status.id,
    threadId,
    parentId: status.in_reply_to_id ?? null,
    authorId: status.account.id,
    authorHandle: status.account.acct,
    authorName: status.account.display_name === '' ? null : status.account.display_name,
    text: htmlToText(status.content),
    createdAt: Date.parse(status.created_at),
    url: status.url ?? null,
    replyDeadline: null,
  };
}

interface SourcePage {
  items: InboxItem[];
  next: string | null;
  /** The oldest entry the server sent, kept or not: paging stops once it is older than `since`. */
  oldest: number | null;
}

function oldestOf(times: readonly string[]): number | null {
  return times.length === 0 ? null : Math.min(...times.map((t) => Date.parse(t)));
}

async function fetchMentions(ctx: MastodonContext, account: ConnectorAccount, q: InboxQuery, maxId: string | null, limit: number): Promise<SourcePage> {
  const { data, headers } = await ctx.http.json(
    { method: 'GET', url: api(account, '/api/v1/notifications'), headers: authHeaders(account), query: { 'types[]': ['mention'], limit, max_id: maxId }, ...(q.signal ? { signal: q.signal } : {}) },
    z.array(notificationSchema),
  );
  const items: InboxItem[] = [];
  for (const n of data) {
    // Servers before 3.5 ignore types[]; filter here as well.
    if (n.type !== 'mention' || !n.status || n.status.visibility === 'direct') continue;
    const kind: InboxKind = n.status.in_reply_to_account_id === account.platformAccountId ? 'comment' : 'mention';
    if (q.kinds.includes(kind)) items.push(item(kind, n.status, n.status.in_reply_to_id ?? n.status.id));
  }
  return { items, next: data.length === 0 ? null : nextMaxId(headers), oldest: oldestOf(data.map((n) => n.created_at)) };
}

async function fetchDms(ctx: MastodonContext, account: ConnectorAccount, q: InboxQuery, maxId: string | null, limit: number): Promise<SourcePage> {
  const { data, headers } = await ctx.http.json(
    { method: 'GET', url: api(account, '/api/v1/conversations'), headers: authHeaders(account), query: { limit, max_id: maxId }, ...(q.signal ? { signal: q.signal } : {}) },
    z.array(conversationSchema),
  );
  const items: InboxItem[] = [];
  for (const c of data) {
    const last = c.last_status;
    // Our own last message is not something to answer.
    if (last && last.account.id !== account.platformAccountId) items.push(item('dm', last, c.id));
  }
  return { items, next: data.length === 0 ? null : nextMaxId(headers), oldest: oldestOf(data.flatMap((c) => (c.last_status ? [c.last_status.created_at] : []))) };
}

export async function fetchInbox(ctx: MastodonContext, account: ConnectorAccount, q: InboxQuery): Promise<Page<InboxItem>> {
  const requested = sourcesFor(q.kinds);
  const cursor: Cursor | null = q.cursor === null ? null : decodeCursor(q.cursor);
  // Sources still to read: all of them on the first page, then those the cursor carries on.
  const active = requested.filter((s) => cursor === null || cursor[s] !== undefined);
  const next: Cursor = {};
  const items: InboxItem[] = [];
  for (const [i, source] of active.entries()) {
    const share = Math.floor(q.limit / active.length) + (i < q.limit % active.length ? 1 : 0);
    const limit = Math.min(Math.max(1, share), PAGE_MAX[source]);
    const maxId = cursor?.[source] ?? null;
    const page = source === 'mentions' ? await fetchMentions(ctx, account, q, maxId, limit) : await fetchDms(ctx, account, q, maxId, limit);
    const since = q.since;
    items.push(...(since === null ? page.items : page.items.filter((it) => it.createdAt >= since)));
    const reachedSince = since !== null && page.oldest !== null && page.oldest < since;
    if (page.next !== null && !reachedSince) next[source] = page.next;
  }
  items.sort((a, b) => b.createdAt - a.createdAt);
  return { items, nextCursor: encodeCursor(next) };
}
