// The X inbox is two timelines: mentions (GET /2/users/:id/mentions, where replies to the
// account's posts count as comments) and direct messages (GET /2/dm_events). One opaque cursor
// carries each timeline's own next_token, so both page independently.
import type { ConnectorAccount, InboxItem, InboxKind, InboxQuery, Page, PublishedItem, ReplyRequest } from '../connector';
import { joinUrl } from '../connector';
import { PlatformError } from '../errors';
import { bearer } from '../http';
import { isoSeconds, tweetUrl, type XContext } from './context';
import { uploadMedia } from './media';
import { noPostCreated, postReply } from './publish';
import { dmEventPage, dmSent, tweetPage, type XUser } from './schemas';
import { checkDmText, checkMediaSet } from './text';

/** Per timeline: absent = not started, null = read to the end, string = X's next_token. */
interface Cursor {
  m?: string | null;
  d?: string | null;
}

function decodeCursor(cursor: string | null): Cursor {
  if (cursor === null) return {};
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null) {
      const { m, d } = value as Record<string, unknown>;
      const ok = (v: unknown): v is string | null | undefined => v === undefined || v === null || typeof v === 'string';
      if (ok(m) && ok(d)) return { ...(m === undefined ? {} : { m }), ...(d === undefined ? {} : { d }) };
    }
  } catch {
    // falls through to the refusal below
  }
  throw new PlatformError({ platform: 'x', category: 'validation', message: 'The inbox position for X is not one Postdesk made; start again from the newest messages.', effect: 'none' });
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function parseTime(value: string | undefined): number {
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  if (Number.isNaN(ms)) throw new PlatformError({ platform: 'x', category: 'transient', message: 'X sent an inbox item without a readable time.', effect: 'none' });
  return ms;
}

function usersById(users: readonly XUser[] | undefined): Map<string, XUser> {
  return new Map((users ?? []).map((u) => [u.id, u]));
}

async function mentionsPage(ctx: XContext, account: ConnectorAccount, query: InboxQuery, token: string | undefined): Promise<{ items: InboxItem[]; next: string | null }> {
  const { data } = await ctx.http.json(
    {
      method: 'GET',
      url: joinUrl(account.baseUrl, `/2/users/${encodeURIComponent(account.platformAccountId)}/mentions`),
      headers: bearer(account.credentials.accessToken),
      query: {
        // X takes 5..100 here.
        max_results: Math.min(Math.max(query.limit, 5), 100),
        'tweet.fields': 'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets',
        expansions: 'author_id',
        'user.fields': 'username,name',
        start_time: query.since === null ? undefined : isoSeconds(query.since),
        pagination_token: token,
      },
      ...(query.signal ? { signal: query.signal } : {}),
    },
    tweetPage,
  );
  const users = usersById(data.includes?.users);
  const items = (data.data ?? []).map((t): InboxItem => {
    const author = t.author_id === undefined ? undefined : users.get(t.author_id);
    const kind: InboxKind = t.in_reply_to_user_id === account.platformAccountId ? 'comment' : 'mention';
    return {
      kind,
      platformMessageId: t.id,
      threadId: t.conversation_id ?? t.id,
      parentId: t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id ?? null,
      authorId: t.author_id ?? '',
      authorHandle: author?.username ?? null,
      authorName: author?.name ?? null,
      text: t.text,
      createdAt: parseTime(t.created_at),
      url: tweetUrl(t.id, author?.username ?? null),
      replyDeadline: null,
    };
  });
  return { items, next: data.meta.next_token ?? null };
}

async function dmPage(ctx: XContext, account: ConnectorAccount, query: InboxQuery, token: string | undefined): Promise<{ items: InboxItem[]; next: string | null }> {
  const { data } = await ctx.http.json(
    {
      method: 'GET',
      url: joinUrl(account.baseUrl, '/2/dm_events'),
      headers: bearer(account.credentials.accessToken),
      query: {
        event_types: 'MessageCreate',
        max_results: Math.min(Math.max(query.limit, 1), 100),
        'dm_event.fields': 'id,text,event_type,created_at,sender_id,dm_conversation_id',
        expansions: 'sender_id',
        'user.fields': 'username,name',
        pagination_token: token,
      },
      ...(query.signal ? { signal: query.signal } : {}),
    },
    dmEventPage,
  );
  const users = usersById(data.includes?.users);
  let reachedSince = false;
  const items: InboxItem[] = [];
  for (const e of data.data ?? []) {
    const createdAt = parseTime(e.created_at);
    // dm_events has no start_time: stop at the first event older than asked.
    if (query.since !== null && createdAt < query.since) {
      reachedSince = true;
      continue;
    }
    // The account's own messages are in the same list; the inbox is what others sent.
    if (e.event_type !== 'MessageCreate' || e.sender_id === account.platformAccountId || e.dm_conversation_id === undefined) continue;
    const sender = e.sender_id === undefined ? undefined : users.get(e.sender_id);
    items.push({
      kind: 'dm',
      platformMessageId: e.id,
      threadId: e.dm_conversation_id,
      parentId: null,
      authorId: e.sender_id ?? '',
      authorHandle: sender?.username ?? null,
      authorName: sender?.name ?? null,
      text: e.text ?? '',
      createdAt,
      url: null,
      replyDeadline: null,
    });
  }
  return { items, next: reachedSince ? null : (data.meta?.next_token ?? null) };
}

/** One page of each timeline the query asks for, newest first; each timeline holds up to `limit`. */
export async function fetchInbox(ctx: XContext, account: ConnectorAccount, query: InboxQuery): Promise<Page<InboxItem>> {
  const cursor = decodeCursor(query.cursor);
  const wantTweets = query.kinds.includes('mention') || query.kinds.includes('comment');
  const wantDms = query.kinds.includes('dm');
  const next: Cursor = {};
  const items: InboxItem[] = [];
  if (wantTweets && cursor.m !== null) {
    const page = await mentionsPage(ctx, account, query, cursor.m);
    items.push(...page.items.filter((i) => query.kinds.includes(i.kind)));
    next.m = page.next;
  }
  if (wantDms && cursor.d !== null) {
    const page = await dmPage(ctx, account, query, cursor.d);
    items.push(...page.items);
    next.d = page.next;
  }
  const more = (wantTweets && typeof next.m === 'string') || (wantDms && typeof next.d === 'string');
  items.sort((a, b) => b.createdAt - a.createdAt);
  return { items, nextCursor: more ? encodeCursor({ m: wantTweets ? (next.m ?? null) : null, d: wantDms ? (next.d ?? null) : null }) : null };
}

export async function reply(ctx: XContext, account: ConnectorAccount, request: ReplyRequest): Promise<PublishedItem> {
  if (request.to.kind !== 'dm') return postReply(ctx, account, { text: request.text, media: request.media }, request.to.platformMessageId, request.signal);

  checkDmText(request.text);
  if (request.media.length > 1) throw new PlatformError({ platform: 'x', category: 'media', message: 'A direct message on X takes one attachment at most.', effect: 'none' });
  checkMediaSet(request.media, 'The message');
  const attachments: { media_id: string }[] = [];
  try {
    for (const media of request.media) attachments.push({ media_id: await uploadMedia(ctx, account, media, 'dm', 'The message', request.signal) });
  } catch (err) {
    throw noPostCreated(err);
  }
  const { data } = await ctx.http.json(
    {
      method: 'POST',
      url: joinUrl(account.baseUrl, `/2/dm_conversations/${encodeURIComponent(request.to.threadId)}/messages`),
      headers: bearer(account.credentials.accessToken),
      json: attachments.length > 0 ? { text: request.text, attachments } : { text: request.text },
      ...(request.signal ? { signal: request.signal } : {}),
    },
    dmSent,
  );
  return { platformPostId: data.data.dm_event_id, url: null };
}
