// Answering an inbox item. Mastodon delivers a status only to the accounts it mentions (and, if
// public, to followers), so a reply to a DM without "@them" would reach no one: like Mastodon's
// own composer, we address the author and everyone they addressed, and keep the parent's
// visibility so a direct message stays direct.
import type { ConnectorAccount, PublishedItem, ReplyRequest } from '../connector';
import { PlatformError } from '../errors';
import { api, authHeaders, refuse, type MastodonContext } from './context';
import { checkMedia, uploadMedia } from './media';
import { statusSchema, type MastodonStatus } from './schemas';
import { checkText, postStatus, publishedItem, visibilityOf } from './statuses';
import { mentions } from './text';

export function addressees(parent: MastodonStatus, self: string): string[] {
  const accts = [parent.account, ...parent.mentions].filter((a) => a.id !== self).map((a) => a.acct);
  return [...new Set(accts)];
}

export function replyText(text: string, parent: MastodonStatus, self: string): string {
  const missing = addressees(parent, self).filter((acct) => !mentions(text, acct));
  return missing.length === 0 ? text : `${missing.map((a) => `@${a}`).join(' ')} ${text}`;
}

export async function reply(ctx: MastodonContext, account: ConnectorAccount, request: ReplyRequest): Promise<PublishedItem> {
  const signal = request.signal ? { signal: request.signal } : {};
  let parent: MastodonStatus;
  try {
    ({ data: parent } = await ctx.http.json(
      { method: 'GET', url: api(account, `/api/v1/statuses/${encodeURIComponent(request.to.platformMessageId)}`), headers: authHeaders(account), ...signal },
      statusSchema,
    ));
  } catch (err) {
    if (err instanceof PlatformError && err.status === 404) throw refuse('permanent', 'The message being answered is no longer on Mastodon (deleted, or no longer visible to this account).');
    throw err;
  }
  const visibility = request.to.kind === 'dm' ? 'direct' : visibilityOf(parent);
  const text = replyText(request.text, parent, account.platformAccountId);
  const limits = await ctx.limits.get(account.baseUrl, request.signal);
  checkText({ text, media: request.media }, limits, 'The reply');
  checkMedia(request.media, limits);
  const mediaIds: string[] = [];
  for (const [i, m] of request.media.entries()) mediaIds.push(await uploadMedia(ctx, account, m, i, request.signal));
  const status = await postStatus(ctx, account, { text, mediaIds, inReplyToId: parent.id, language: null, visibility, idempotencyKey: request.idempotencyKey, ...signal });
  return publishedItem(status);
}
