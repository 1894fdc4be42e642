// Comments (socialActions/{urn}/comments): the first comment under our post, the inbox (other
// people's comments on our recent posts) and replies to them. LinkedIn has no DM or mention API
// for general apps, so comments are the whole inbox.
import { z } from 'zod';
import type { ConnectorAccount, InboxItem, InboxQuery, Page, PublishedItem, ReplyRequest } from '../connector';
import { type LinkedInApi, encodeUrn, linkedInError } from './api';
import { postUrl } from './config';
import { escapeLittleText, unescapeLittleText } from './little-text';
import { restrictedRead } from './permissions';
import { type LinkedInComment, commentsPage, createdComment, postsPage } from './schemas';

/** LinkedIn's comment box stops at 1,250 characters (third-party figure; see docs/PLATFORMS.md). */
export const COMMENT_LIMIT = 1250;
/** Our posts looked at per inbox call; each costs one comments request at least. */
const POSTS_PER_PAGE = 10;
const MAX_COMMENTS_PER_CALL = 100;

function commentUrl(postUrn: string, commentUrn: string): string {
  return `${postUrl(postUrn)}?commentUrn=${encodeURIComponent(commentUrn)}`;
}

function urnOf(c: { commentUrn?: string | undefined; $URN?: string | undefined }): string | null {
  return c.commentUrn ?? c.$URN ?? null;
}

export async function postComment(
  api: LinkedInApi,
  account: ConnectorAccount,
  input: { target: string; object: string; text: string; parentComment?: string; signal?: AbortSignal | undefined },
): Promise<PublishedItem> {
  const { data, status } = await api.json(
    account,
    {
      method: 'POST',
      path: `/rest/socialActions/${encodeUrn(input.target)}/comments`,
      json: {
        actor: account.platformAccountId,
        object: input.object,
        message: { text: escapeLittleText(input.text) },
        ...(input.parentComment === undefined ? {} : { parentComment: input.parentComment }),
      },
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    },
    createdComment,
  );
  const urn = urnOf(data);
  if (urn === null) {
    throw linkedInError('transient', 'LinkedIn accepted the comment but did not say which comment it created.', { status, effect: 'unknown' });
  }
  return { platformPostId: urn, url: commentUrl(input.object, urn) };
}

// --- inbox --------------------------------------------------------------------------------------

/** Where the next page starts: the n-th of our posts (newest first) and a comment offset in it. */
const cursorSchema = z.object({ v: z.literal(1), post: z.number().int().nonnegative(), comment: z.number().int().nonnegative() });
type Cursor = z.output<typeof cursorSchema>;

function encodeCursor(c: Omit<Cursor, 'v'>): string {
  return Buffer.from(JSON.stringify({ v: 1, ...c })).toString('base64url');
}

function decodeCursor(raw: string | null): Cursor {
  if (raw === null) return { v: 1, post: 0, comment: 0 };
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch (err) {
    throw linkedInError('validation', 'This LinkedIn inbox position is not one Postdesk made; start from the newest again.', { cause: err });
  }
}

function toInboxItem(c: LinkedInComment, postUrn: string): InboxItem | null {
  const urn = urnOf(c);
  if (urn === null) return null;
  return {
    kind: 'comment',
    platformMessageId: urn,
    // The post's own URN (share/ugcPost), as publishing stored it, so the comment finds its
    // monitored post; LinkedIn takes it as a reply's `object` just as it takes the activity URN.
    threadId: postUrn,
    parentId: c.parentComment ?? null,
    authorId: c.actor,
    // Names need the profile APIs, which general apps cannot call for other members.
    authorHandle: null,
    authorName: null,
    text: unescapeLittleText(c.message.text),
    createdAt: c.created.time,
    url: commentUrl(postUrn, urn),
    replyDeadline: null,
  };
}

export async function fetchCommentInbox(api: LinkedInApi, account: ConnectorAccount, query: InboxQuery): Promise<Page<InboxItem>> {
  if (!query.kinds.includes('comment')) {
    throw linkedInError('permanent', "LinkedIn's API gives apps no access to messages or mentions; only comments on your posts can be read.");
  }
  const author = account.platformAccountId;
  const signal = query.signal === undefined ? {} : { signal: query.signal };
  const limit = Math.max(1, query.limit);
  const at = decodeCursor(query.cursor);
  const items: InboxItem[] = [];
  try {
    const posts = await api.json(
      account,
      { method: 'GET', path: '/rest/posts', query: { q: 'author', author, sortBy: 'CREATED', start: at.post, count: POSTS_PER_PAGE }, restliMethod: 'FINDER', ...signal },
      postsPage,
    );
    const list = posts.data.elements;
    for (const [i, post] of list.entries()) {
      const postIndex = at.post + i;
      // Newest first: older posts are outside the window the caller asked for.
      if (query.since !== null && post.createdAt !== undefined && post.createdAt < query.since) return { items, nextCursor: null };
      let start = i === 0 ? at.comment : 0;
      for (;;) {
        const count = Math.min(limit - items.length, MAX_COMMENTS_PER_CALL);
        const page = await api.json(account, { method: 'GET', path: `/rest/socialActions/${encodeUrn(post.id)}/comments`, query: { start, count }, ...signal }, commentsPage);
        for (const c of page.data.elements) {
          // Our own first comments and replies are not messages to answer.
          if (c.actor === author) continue;
          if (query.since !== null && c.created.time < query.since) continue;
          const item = toInboxItem(c, post.id);
          if (item !== null) items.push(item);
        }
        const got = page.data.elements.length;
        start += got;
        const total = page.data.paging?.total;
        const more = got > 0 && (total === undefined ? got === count : start < total);
        if (!more) break;
        if (items.length >= limit) return { items, nextCursor: encodeCursor({ post: postIndex, comment: start }) };
      }
      if (items.length >= limit) return { items, nextCursor: encodeCursor({ post: postIndex + 1, comment: 0 }) };
    }
    return { items, nextCursor: list.length === POSTS_PER_PAGE ? encodeCursor({ post: at.post + list.length, comment: 0 }) : null };
  } catch (err) {
    throw restrictedRead(err, author, 'the comments');
  }
}

export async function replyToComment(api: LinkedInApi, account: ConnectorAccount, request: ReplyRequest): Promise<PublishedItem> {
  const { to } = request;
  if (to.kind !== 'comment') throw linkedInError('permanent', "LinkedIn's API can only answer comments; messages are not open to apps.");
  if (request.media.length > 0) throw linkedInError('media', 'Replies on LinkedIn are text only in Postdesk; remove the attachment.');
  if (request.text.trim() === '') throw linkedInError('validation', 'The reply is empty.');
  if (request.text.length > COMMENT_LIMIT) {
    throw linkedInError('validation', `A LinkedIn comment can be at most ${COMMENT_LIMIT} characters; this reply has ${request.text.length}.`);
  }
  return postComment(api, account, {
    target: to.platformMessageId,
    object: to.threadId,
    text: request.text,
    parentComment: to.platformMessageId,
    signal: request.signal,
  });
}
