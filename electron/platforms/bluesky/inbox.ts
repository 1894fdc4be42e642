// The inbox from two services: replies, mentions and quotes are notifications served by the
// AppView (the PDS forwards app.bsky.notification.* to it); DMs live on the chat service, reached
// through the PDS with an `atproto-proxy` header. One opaque cursor carries both positions.
import type { InboxItem, InboxKind, InboxQuery, Page } from '../connector';
import { PlatformError } from '../errors';
import { convosSchema, messagesSchema, messageViewSchema, notificationsSchema, type Notification } from './schemas';
import { CHAT_PROXY, parseAtUri, type Xrpc, type XrpcCall } from './xrpc';

/** Where each stream stands: a cursor, null for "from the newest", or 'done'. */
interface InboxCursor {
  n: string | null | 'done';
  d: string | null | 'done';
}

const REASONS: Readonly<Record<string, InboxKind>> = { reply: 'comment', mention: 'mention', quote: 'mention' };
/** listConvos and getMessages pages; the chat service caps both at 100. */
const CONVOS_PER_PAGE = 10;
const MESSAGES_PER_CONVO = 25;

export function encodeCursor(c: InboxCursor): string | null {
  if (c.n === 'done' && c.d === 'done') return null;
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null): InboxCursor {
  if (cursor === null) return { n: null, d: null };
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof v === 'object' && v !== null) {
      const { n, d } = v as Record<string, unknown>;
      const ok = (x: unknown): x is string | null => x === null || typeof x === 'string';
      if (ok(n) && ok(d)) return { n, d };
    }
  } catch {
    // fall through
  }
  throw new PlatformError({ platform: 'bluesky', category: 'validation', message: 'The inbox position is not one Postdesk made; start again from the newest.', effect: 'none' });
}

function time(iso: unknown): number | null {
  if (typeof iso !== 'string') return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

export function postUrl(uri: string, handle?: string | null): string | null {
  const p = parseAtUri(uri);
  if (!p || p.collection !== 'app.bsky.feed.post') return null;
  return `https://bsky.app/profile/${handle && handle !== 'handle.invalid' ? handle : p.repo}/post/${p.rkey}`;
}

function strongRefUri(v: unknown): string | null {
  if (typeof v !== 'object' || v === null) return null;
  const uri = (v as Record<string, unknown>)['uri'];
  return typeof uri === 'string' ? uri : null;
}

export function notificationToItem(n: Notification): InboxItem | null {
  const kind = REASONS[n.reason];
  if (!kind) return null;
  const reply = n.record['reply'];
  const replyRec = typeof reply === 'object' && reply !== null ? (reply as Record<string, unknown>) : null;
  const indexedAt = time(n.indexedAt) ?? 0;
  return {
    kind,
    platformMessageId: n.uri,
    threadId: strongRefUri(replyRec?.['root']) ?? n.uri,
    parentId: strongRefUri(replyRec?.['parent']),
    authorId: n.author.did,
    authorHandle: n.author.handle,
    authorName: n.author.displayName ?? null,
    text: typeof n.record['text'] === 'string' ? n.record['text'] : '',
    createdAt: time(n.record['createdAt']) ?? indexedAt,
    url: postUrl(n.uri, n.author.handle),
    replyDeadline: null,
  };
}

const NO_DM_ACCESS =
  'This Bluesky app password cannot read or send direct messages. Create one with "Allow access to your direct messages" ticked and reconnect the account.';

/**
 * Chat calls need a privileged app password: the PDS answers others with 400 InvalidToken "Bad
 * token method", which would otherwise read as an expired session (and send the account to
 * "reconnect" after a pointless refresh). `scopes` holds the JWT's scope claim when we know it.
 */
export function assertDmAccess(scopes: readonly string[]): void {
  if (scopes.includes('com.atproto.appPass')) throw new PlatformError({ platform: 'bluesky', category: 'permanent', message: NO_DM_ACCESS, effect: 'none' });
}

async function chatCall<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof PlatformError && err.code === 'InvalidToken' && /bad token method/i.test(err.message)) {
      throw new PlatformError({ platform: 'bluesky', category: 'permanent', status: err.status, code: err.code, message: NO_DM_ACCESS, effect: 'none', cause: err });
    }
    throw upstreamHint(err, 'direct messages');
  }
}

/** Say which service failed: without an AppView (or chat service) behind the PDS, nothing else is wrong. */
export function upstreamHint(err: unknown, what: string): unknown {
  if (!(err instanceof PlatformError) || (err.code !== 'UpstreamFailure' && err.status !== 502)) return err;
  return new PlatformError({
    platform: 'bluesky',
    category: err.category,
    status: err.status,
    code: err.code,
    effect: err.effect,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
    message: `Your Bluesky server could not reach the service that provides ${what} (${err.code ?? `HTTP ${err.status}`}); Postdesk will try again.`,
    cause: err,
  });
}

/** Await `p`, naming the missing upstream service if that is why it failed. */
export async function hinted<T>(p: Promise<T>, what: string): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw upstreamHint(err, what);
  }
}

async function notificationsPage(xrpc: Xrpc, call: XrpcCall, kinds: readonly InboxKind[], cursor: string | null, since: number | null, limit: number) {
  const reasons = Object.entries(REASONS).filter(([, k]) => kinds.includes(k)).map(([r]) => r);
  const page = await hinted(
    xrpc.query(call, 'app.bsky.notification.listNotifications', { limit, reasons, ...(cursor === null ? {} : { cursor }) }, notificationsSchema),
    'notifications (replies and mentions)',
  );
  const items: InboxItem[] = [];
  let reachedSince = false;
  for (const n of page.notifications) {
    // Notifications come newest first by indexedAt; the first older than `since` ends the stream.
    if (since !== null && (time(n.indexedAt) ?? 0) < since) {
      reachedSince = true;
      break;
    }
    const item = notificationToItem(n);
    // Older AppViews ignore `reasons`, so likes and follows are dropped here too.
    if (item && kinds.includes(item.kind)) items.push(item);
  }
  const next = reachedSince || !page.cursor || page.notifications.length === 0 ? 'done' : page.cursor;
  return { items, next };
}

async function dmPage(xrpc: Xrpc, call: XrpcCall, selfDid: string, cursor: string | null, since: number | null) {
  const chat: XrpcCall = { ...call, proxy: CHAT_PROXY };
  const page = await chatCall(xrpc.query(chat, 'chat.bsky.convo.listConvos', { limit: CONVOS_PER_PAGE, ...(cursor === null ? {} : { cursor }) }, convosSchema));
  const items: InboxItem[] = [];
  let reachedSince = false;
  for (const convo of page.convos) {
    const last = time(convo.lastMessage?.sentAt);
    // Conversations come by latest activity; one quiet since `since` means the rest are too.
    if (since !== null && last !== null && last < since) {
      reachedSince = true;
      break;
    }
    const messages = await chatCall(xrpc.query(chat, 'chat.bsky.convo.getMessages', { convoId: convo.id, limit: MESSAGES_PER_CONVO }, messagesSchema));
    for (const raw of messages.messages) {
      const parsed = messageViewSchema.safeParse(raw);
      // Deleted and system messages carry no text to answer.
      if (!parsed.success || (raw.$type !== undefined && raw.$type !== 'chat.bsky.convo.defs#messageView')) continue;
      const m = parsed.data;
      if (m.sender.did === selfDid) continue;
      const sentAt = time(m.sentAt) ?? 0;
      if (since !== null && sentAt < since) continue;
      const author = convo.members.find((p) => p.did === m.sender.did);
      items.push({
        kind: 'dm',
        platformMessageId: m.id,
        threadId: convo.id,
        parentId: null,
        authorId: m.sender.did,
        authorHandle: author?.handle ?? null,
        authorName: author?.displayName ?? null,
        text: m.text,
        createdAt: sentAt,
        url: null,
        replyDeadline: null,
      });
    }
  }
  const next = reachedSince || !page.cursor || page.convos.length === 0 ? 'done' : page.cursor;
  return { items, next };
}

export async function fetchInbox(xrpc: Xrpc, call: XrpcCall, self: { did: string; scopes: readonly string[] }, query: InboxQuery): Promise<Page<InboxItem>> {
  const state = decodeCursor(query.cursor);
  const wantsNotifications = query.kinds.includes('comment') || query.kinds.includes('mention');
  const wantsDms = query.kinds.includes('dm');
  if (wantsDms) assertDmAccess(self.scopes);
  const limit = Math.max(1, Math.min(100, Math.floor(query.limit)));
  const next: InboxCursor = { n: wantsNotifications ? state.n : 'done', d: wantsDms ? state.d : 'done' };
  const items: InboxItem[] = [];
  if (next.n !== 'done') {
    const page = await notificationsPage(xrpc, call, query.kinds, next.n, query.since, limit);
    items.push(...page.items);
    next.n = page.next;
  }
  if (next.d !== 'done') {
    const page = await dmPage(xrpc, call, self.did, next.d, query.since);
    items.push(...page.items);
    next.d = page.next;
  }
  items.sort((a, b) => b.createdAt - a.createdAt);
  return { items, nextCursor: encodeCursor(next) };
}

/** Answer a DM: chat.bsky.convo.sendMessage in the conversation the message came from. */
export async function sendMessage(xrpc: Xrpc, call: XrpcCall, convoId: string, text: string): Promise<string> {
  const out = await chatCall(xrpc.procedure({ ...call, proxy: CHAT_PROXY }, 'chat.bsky.convo.sendMessage', { json: { convoId, message: { text } } }, messageViewSchema));
  return out.id;
}
