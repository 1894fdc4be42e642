// Messenger and Instagram Direct through the Page: conversations read from
// /{page-id}/conversations?platform=..., replies sent with the Send API (POST /{page-id}/messages).
// Meta allows a reply only inside the standard messaging window (24 h after the person's last
// message) and a private reply to a comment only within 7 days of it; both are checked here
// before calling, so a closed window never costs a request or reads as a platform failure.
import type { z } from 'zod';
import { replyWindowOpen, type ConnectorAccount, type InboxItem, type PublishedItem } from '../connector';
import type { PlatformCapabilities } from '../capabilities';
import { type GraphClient, refuse } from './graph';
import { graphTime, nextPageQuery, readNestedPage, type ChildrenRead, type PagingQuery, type ParentRead } from './paging';
import { conversationsSchema, messagesSchema, participantsSchema, sentMessageSchema, type messageSchema } from './schemas';

export interface DmPageInput {
  account: ConnectorAccount;
  pageId: string;
  /** Whose messages are ours (the Page, or the Instagram account), so they are not inbox items. */
  selfId: string;
  platform: 'messenger' | 'instagram';
  page: PagingQuery | null;
  since: number | null;
  limit: number;
  dmWindowMs: number;
  signal?: AbortSignal;
}

const MESSAGE_FIELDS = 'id,message,created_time,from';

/**
 * Conversations as inbox items, one conversation per page: each message from the other person,
 * newest first, with the reply deadline counted from their latest message.
 */
export function readDmPage(graph: GraphClient, input: DmPageInput): Promise<{ items: InboxItem[]; next: PagingQuery | null }> {
  const token = input.account.credentials.accessToken;
  const sig = input.signal ? { signal: input.signal } : {};
  const perPage = Math.max(1, Math.min(input.limit, 100));

  /**
   * Messages of one conversation page; `stop` once they are older than `since`. Newest come first,
   * so the first message from the person is their latest: the reply window runs from it, whichever
   * message is being answered.
   */
  const convert = (conversationId: string, messages: readonly z.output<typeof messageSchema>[], known: number | null) => {
    const items: InboxItem[] = [];
    let deadline = known;
    for (const m of messages) {
      const createdAt = graphTime(m.created_time);
      if (input.since !== null && createdAt < input.since) return { items, deadline, stop: true };
      if (m.from === undefined || m.from.id === input.selfId) continue;
      deadline ??= createdAt + input.dmWindowMs;
      items.push({
        kind: 'dm',
        platformMessageId: m.id,
        threadId: conversationId,
        parentId: null,
        authorId: m.from.id,
        authorHandle: m.from.username ?? null,
        authorName: m.from.name ?? null,
        text: m.message ?? '',
        createdAt,
        url: null,
        replyDeadline: deadline,
      });
    }
    return { items, deadline, stop: false };
  };

  return readNestedPage<InboxItem>(
    input.page,
    async (q): Promise<ParentRead<InboxItem>> => {
      const data = await graph.call(
        input.account.baseUrl,
        {
          method: 'GET',
          path: `${input.pageId}/conversations`,
          token,
          query: { ...q, platform: input.platform, fields: `id,updated_time,messages.limit(${perPage}){${MESSAGE_FIELDS}}`, limit: 1 },
          ...sig,
        },
        conversationsSchema,
      );
      const conversation = data.data[0];
      if (!conversation) return { items: [], parentId: null, childNext: null, parentNext: null, stop: false };
      // Conversations come most recently active first; once one is older than `since`, all are.
      if (input.since !== null && conversation.updated_time !== undefined && graphTime(conversation.updated_time) < input.since) {
        return { items: [], parentId: null, childNext: null, parentNext: null, stop: true };
      }
      const { items, deadline, stop } = convert(conversation.id, conversation.messages?.data ?? [], null);
      return {
        items,
        parentId: conversation.id,
        childNext: stop ? null : nextPageQuery(conversation.messages?.paging),
        carry: deadline === null ? {} : { deadline: String(deadline) },
        parentNext: nextPageQuery(data.paging),
        stop: false,
      };
    },
    async (conversationId, q, carry): Promise<ChildrenRead<InboxItem>> => {
      const data = await graph.call(
        input.account.baseUrl,
        { method: 'GET', path: `${conversationId}/messages`, token, query: { ...q, fields: MESSAGE_FIELDS, limit: perPage }, ...sig },
        messagesSchema,
      );
      const { items, deadline, stop } = convert(conversationId, data.data, carry['deadline'] === undefined ? null : Number(carry['deadline']));
      return { items, childNext: stop ? null : nextPageQuery(data.paging), carry: deadline === null ? {} : { deadline: String(deadline) }, stop };
    },
  );
}

/** Answer a conversation: the Send API needs the person's id, read from the conversation. */
export async function sendDmReply(
  graph: GraphClient,
  input: { account: ConnectorAccount; pageId: string; selfId: string; to: { threadId: string; replyDeadline: number | null }; text: string; capabilities: PlatformCapabilities; signal?: AbortSignal },
): Promise<PublishedItem> {
  if (!replyWindowOpen(input.to, graph.now())) {
    const hours = Math.round((input.capabilities.replyWindows.dmMs ?? 0) / 3_600_000);
    throw refuse(graph.platform, 'validation', `Meta only allows replying within ${hours} hours of the person's last message, and that window has closed. Wait for them to write again.`);
  }
  const token = input.account.credentials.accessToken;
  const signal = input.signal ? { signal: input.signal } : {};
  const conversation = await graph.call(
    input.account.baseUrl,
    { method: 'GET', path: input.to.threadId, token, query: { fields: 'participants' }, ...signal },
    participantsSchema,
  );
  const them = conversation.participants.data.find((p) => p.id !== input.selfId && p.id !== input.pageId);
  if (!them) throw refuse(graph.platform, 'permanent', 'Meta did not say who is on the other side of this conversation, so there is no one to reply to.');
  const sent = await graph.call(
    input.account.baseUrl,
    {
      method: 'POST',
      path: `${input.pageId}/messages`,
      token,
      json: { recipient: { id: them.id }, messaging_type: 'RESPONSE', message: { text: input.text } },
      ...signal,
    },
    sentMessageSchema,
  );
  return { platformPostId: sent.message_id, url: null };
}

/** A private message to the author of a comment (one per comment, within 7 days of it). */
export async function sendPrivateReply(
  graph: GraphClient,
  input: { account: ConnectorAccount; pageId: string; commentId: string; commentCreatedAt: number; text: string; capabilities: PlatformCapabilities; signal?: AbortSignal },
): Promise<PublishedItem> {
  const windowMs = input.capabilities.replyWindows.privateReplyToCommentMs;
  if (windowMs !== null && !replyWindowOpen({ replyDeadline: input.commentCreatedAt + windowMs }, graph.now())) {
    throw refuse(graph.platform, 'validation', `Meta only allows a private reply within ${Math.round(windowMs / 86_400_000)} days of the comment, and that time has passed.`);
  }
  const sent = await graph.call(
    input.account.baseUrl,
    {
      method: 'POST',
      path: `${input.pageId}/messages`,
      token: input.account.credentials.accessToken,
      json: { recipient: { comment_id: input.commentId }, message: { text: input.text } },
      ...(input.signal ? { signal: input.signal } : {}),
    },
    sentMessageSchema,
  );
  return { platformPostId: sent.message_id, url: null };
}
