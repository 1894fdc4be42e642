// The Page's inbox, read in a fixed order: Messenger conversations, then comments on the Page's
// posts, then posts that tag the Page. A page of results is one conversation's messages, one
// post's comments, or one Graph page of tags, so the cursor can resume exactly where it stopped.
import type { z } from 'zod';
import type { PlatformCapabilities } from '../capabilities';
import type { ConnectorAccount, InboxItem, InboxKind, InboxQuery, Page } from '../connector';
import type { GraphClient } from '../meta/graph';
import { readDmPage } from '../meta/messaging';
import { graphTime, nextPageQuery, readNestedPage, stagedInboxPage, type PagingQuery, type ParentRead } from '../meta/paging';
import { commentsSchema, feedSchema, taggedSchema, type commentSchema } from './schemas';

const ORDER: readonly InboxKind[] = ['dm', 'comment', 'mention'];

export async function fetchPageInbox(graph: GraphClient, caps: PlatformCapabilities, account: ConnectorAccount, query: InboxQuery): Promise<Page<InboxItem>> {
  const order = ORDER.filter((k) => query.kinds.includes(k));
  const pageId = account.platformAccountId;
  const { items, nextCursor } = await stagedInboxPage('facebook', order, query.cursor, (kind, page) => {
    if (kind === 'dm') {
      return readDmPage(graph, {
        account,
        pageId,
        selfId: pageId,
        platform: 'messenger',
        page,
        since: query.since,
        limit: query.limit,
        dmWindowMs: caps.replyWindows.dmMs ?? 0,
        ...(query.signal ? { signal: query.signal } : {}),
      });
    }
    return kind === 'comment' ? readComments(graph, account, page, query) : readMentions(graph, account, page, query);
  });
  return { items, nextCursor };
}

const COMMENT_FIELDS = 'id,message,created_time,from,permalink_url,parent{id}';

/** One post per page with its newest comments; a post's further comments continue on its own edge. */
function readComments(graph: GraphClient, account: ConnectorAccount, page: PagingQuery | null, query: InboxQuery): Promise<{ items: InboxItem[]; next: PagingQuery | null }> {
  const pageId = account.platformAccountId;
  const token = account.credentials.accessToken;
  const sig = query.signal ? { signal: query.signal } : {};
  const perPage = Math.max(1, Math.min(query.limit, 100));

  /** Newest first, so the first comment older than `since` ends this post. */
  const convert = (postId: string, comments: readonly z.output<typeof commentSchema>[]) => {
    const items: InboxItem[] = [];
    for (const c of comments) {
      const createdAt = graphTime(c.created_time);
      if (query.since !== null && createdAt < query.since) return { items, stop: true };
      if (c.from?.id === pageId) continue;
      items.push({
        kind: 'comment',
        platformMessageId: c.id,
        threadId: postId,
        parentId: c.parent?.id ?? postId,
        authorId: c.from?.id ?? '',
        authorHandle: null,
        authorName: c.from?.name ?? null,
        text: c.message ?? '',
        createdAt,
        url: c.permalink_url ?? null,
        replyDeadline: null,
      });
    }
    return { items, stop: false };
  };

  return readNestedPage<InboxItem>(
    page,
    async (q): Promise<ParentRead<InboxItem>> => {
      const data = await graph.call(
        account.baseUrl,
        {
          method: 'GET',
          path: `${pageId}/feed`,
          token,
          query: { ...q, fields: `id,created_time,updated_time,comments.limit(${perPage}).order(reverse_chronological){${COMMENT_FIELDS}}`, limit: 1 },
          ...sig,
        },
        feedSchema,
      );
      const post = data.data[0];
      if (!post) return { items: [], parentId: null, childNext: null, parentNext: null, stop: false };
      // A post's updated_time moves when someone comments, so an older one has nothing new.
      if (query.since !== null && graphTime(post.updated_time ?? post.created_time) < query.since) {
        return { items: [], parentId: null, childNext: null, parentNext: null, stop: true };
      }
      const { items, stop } = convert(post.id, post.comments?.data ?? []);
      return { items, parentId: post.id, childNext: stop ? null : nextPageQuery(post.comments?.paging), parentNext: nextPageQuery(data.paging), stop: false };
    },
    async (postId, q) => {
      const data = await graph.call(
        account.baseUrl,
        { method: 'GET', path: `${postId}/comments`, token, query: { ...q, order: 'reverse_chronological', fields: COMMENT_FIELDS, limit: perPage }, ...sig },
        commentsSchema,
      );
      const { items, stop } = convert(postId, data.data);
      return { items, childNext: stop ? null : nextPageQuery(data.paging), stop };
    },
  );
}

async function readMentions(graph: GraphClient, account: ConnectorAccount, page: PagingQuery | null, query: InboxQuery): Promise<{ items: InboxItem[]; next: PagingQuery | null }> {
  const data = await graph.call(
    account.baseUrl,
    {
      method: 'GET',
      path: `${account.platformAccountId}/tagged`,
      token: account.credentials.accessToken,
      query: { ...page, fields: 'id,message,created_time,from,permalink_url', limit: Math.max(1, Math.min(query.limit, 100)) },
      ...(query.signal ? { signal: query.signal } : {}),
    },
    taggedSchema,
  );
  const items: InboxItem[] = [];
  for (const post of data.data) {
    const createdAt = graphTime(post.created_time);
    if (query.since !== null && createdAt < query.since) return { items, next: null };
    items.push({
      kind: 'mention',
      platformMessageId: post.id,
      threadId: post.id,
      parentId: null,
      authorId: post.from?.id ?? '',
      authorHandle: null,
      authorName: post.from?.name ?? null,
      text: post.message ?? '',
      createdAt,
      url: post.permalink_url ?? null,
      replyDeadline: null,
    });
  }
  return { items, next: nextPageQuery(data.paging) };
}
