// The Instagram account's inbox, in a fixed order: Direct conversations (through the linked Page),
// then comments on the account's media, then media that tag the account.
import type { z } from 'zod';
import type { PlatformCapabilities } from '../capabilities';
import type { ConnectorAccount, InboxItem, InboxKind, InboxQuery, Page } from '../connector';
import type { GraphClient } from '../meta/graph';
import { readDmPage } from '../meta/messaging';
import { graphTime, nextPageQuery, readNestedPage, stagedInboxPage, type PagingQuery, type ParentRead } from '../meta/paging';
import { igCommentsSchema, mediaListSchema, taggedMediaSchema, type igCommentSchema } from './schemas';

const ORDER: readonly InboxKind[] = ['dm', 'comment', 'mention'];

/**
 * Instagram media carry no last-activity time, so comments are looked for on media posted up to
 * this long before `since`; later comments on older media are not seen by an incremental read.
 */
export const COMMENT_LOOKBACK_MS = 28 * 86_400_000;

export async function fetchInstagramInbox(
  graph: GraphClient,
  caps: PlatformCapabilities,
  account: ConnectorAccount,
  query: InboxQuery,
  pageId: () => Promise<string>,
): Promise<Page<InboxItem>> {
  const order = ORDER.filter((k) => query.kinds.includes(k));
  const { items, nextCursor } = await stagedInboxPage('instagram', order, query.cursor, async (kind, page) => {
    if (kind === 'dm') {
      return readDmPage(graph, {
        account,
        pageId: await pageId(),
        selfId: account.platformAccountId,
        platform: 'instagram',
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

const COMMENT_FIELDS = 'id,text,timestamp,username,from';

/** One media per page with its comments; a media's further comments continue on its own edge. */
function readComments(graph: GraphClient, account: ConnectorAccount, page: PagingQuery | null, query: InboxQuery): Promise<{ items: InboxItem[]; next: PagingQuery | null }> {
  const self = account.platformAccountId;
  const token = account.credentials.accessToken;
  const sig = query.signal ? { signal: query.signal } : {};
  const perPage = Math.max(1, Math.min(query.limit, 50));

  // Instagram does not document the order of a media's comments, so each is filtered by `since`
  // rather than the first old one ending the media.
  const convert = (mediaId: string, permalink: string | null, comments: readonly z.output<typeof igCommentSchema>[]) => {
    const items: InboxItem[] = [];
    for (const c of comments) {
      if (c.from?.id === self) continue;
      const createdAt = graphTime(c.timestamp);
      if (query.since !== null && createdAt < query.since) continue;
      const handle = c.username ?? c.from?.username ?? null;
      items.push({
        kind: 'comment',
        platformMessageId: c.id,
        threadId: mediaId,
        parentId: mediaId,
        authorId: c.from?.id ?? handle ?? '',
        authorHandle: handle,
        authorName: null,
        text: c.text ?? '',
        createdAt,
        url: permalink,
        replyDeadline: null,
      });
    }
    return items;
  };

  return readNestedPage<InboxItem>(
    page,
    async (q): Promise<ParentRead<InboxItem>> => {
      const data = await graph.call(
        account.baseUrl,
        { method: 'GET', path: `${self}/media`, token, query: { ...q, fields: `id,timestamp,permalink,comments.limit(${perPage}){${COMMENT_FIELDS}}`, limit: 1 }, ...sig },
        mediaListSchema,
      );
      const media = data.data[0];
      if (!media) return { items: [], parentId: null, childNext: null, parentNext: null, stop: false };
      if (query.since !== null && graphTime(media.timestamp) < query.since - COMMENT_LOOKBACK_MS) {
        return { items: [], parentId: null, childNext: null, parentNext: null, stop: true };
      }
      const permalink = media.permalink ?? null;
      return {
        items: convert(media.id, permalink, media.comments?.data ?? []),
        parentId: media.id,
        childNext: nextPageQuery(media.comments?.paging),
        carry: permalink === null ? {} : { permalink },
        parentNext: nextPageQuery(data.paging),
        stop: false,
      };
    },
    async (mediaId, q, carry) => {
      const data = await graph.call(account.baseUrl, { method: 'GET', path: `${mediaId}/comments`, token, query: { ...q, fields: COMMENT_FIELDS, limit: perPage }, ...sig }, igCommentsSchema);
      return { items: convert(mediaId, carry['permalink'] ?? null, data.data), childNext: nextPageQuery(data.paging), stop: false };
    },
  );
}

async function readMentions(graph: GraphClient, account: ConnectorAccount, page: PagingQuery | null, query: InboxQuery): Promise<{ items: InboxItem[]; next: PagingQuery | null }> {
  const data = await graph.call(
    account.baseUrl,
    {
      method: 'GET',
      path: `${account.platformAccountId}/tags`,
      token: account.credentials.accessToken,
      query: { ...page, fields: 'id,caption,timestamp,username,permalink', limit: Math.max(1, Math.min(query.limit, 50)) },
      ...(query.signal ? { signal: query.signal } : {}),
    },
    taggedMediaSchema,
  );
  const items: InboxItem[] = [];
  for (const media of data.data) {
    const createdAt = graphTime(media.timestamp);
    if (query.since !== null && createdAt < query.since) return { items, next: null };
    items.push({
      kind: 'mention',
      platformMessageId: media.id,
      threadId: media.id,
      parentId: null,
      authorId: media.username ?? '',
      authorHandle: media.username ?? null,
      authorName: null,
      text: media.caption ?? '',
      createdAt,
      url: media.permalink ?? null,
      replyDeadline: null,
    });
  }
  return { items, next: nextPageQuery(data.paging) };
}
