// Publishing a post, a thread (each part a reply to the one before) or a natively scheduled post.
// Every part carries its own Idempotency-Key derived from the job's key, so repeating a publish
// that failed halfway returns the parts already posted instead of posting them twice.
import type { ConnectorAccount, PublishedItem, PublishRequest, PublishResult } from '../connector';
import { CAPABILITIES } from '../capabilities';
import { PlatformError } from '../errors';
import { refuse, withEffect, type MastodonContext } from './context';
import { checkMedia, uploadMedia } from './media';
import { checkText, postStatus, publishedItem, SCHEDULED_PREFIX, scheduleStatus } from './statuses';

const MIN_LEAD_MS = CAPABILITIES.mastodon.scheduling.minLeadMs;

/** The key for part `index` of a thread (0 is the root, which keeps the job's key as it is). */
export function partKey(idempotencyKey: string, index: number): string {
  return index === 0 ? idempotencyKey : `${idempotencyKey}:${index}`;
}

function label(index: number, total: number): string {
  return total === 1 ? 'The post' : `Part ${index + 1} of the thread`;
}

export async function publish(ctx: MastodonContext, account: ConnectorAccount, request: PublishRequest): Promise<PublishResult> {
  if (request.firstComment !== null) {
    throw refuse('permanent', 'Mastodon has no first comment; add the text as the next part of a thread instead.');
  }
  const parts = [request.root, ...request.thread];
  if (request.scheduleAt !== null) {
    // A reply needs its parent to exist, so only the first post of a thread could be held.
    if (request.thread.length > 0) throw refuse('validation', 'Mastodon can schedule a single post, not a thread. Publish the thread at its time instead.');
    if (request.scheduleAt - ctx.now() < MIN_LEAD_MS) throw refuse('validation', 'Mastodon holds a post only when it is scheduled at least 5 minutes ahead.');
  }
  const limits = await ctx.limits.get(account.baseUrl, request.signal);
  parts.forEach((part, i) => {
    checkText(part, limits, label(i, parts.length));
    checkMedia(part.media, limits);
  });

  const signal = request.signal ? { signal: request.signal } : {};
  const rootMedia = await uploadAll(ctx, account, request.root.media, request.signal);
  const rootParams = { text: request.root.text, mediaIds: rootMedia, inReplyToId: request.inReplyTo, language: request.language, visibility: null, idempotencyKey: request.idempotencyKey, ...signal };

  if (request.scheduleAt !== null) {
    const held = await scheduleStatus(ctx, account, rootParams, request.scheduleAt);
    return { root: { platformPostId: `${SCHEDULED_PREFIX}${held.id}`, url: null }, thread: [], firstComment: null, scheduledOnPlatform: true, publishedAt: null };
  }

  const root = await postStatus(ctx, account, rootParams);
  const thread: PublishedItem[] = [];
  let parentId = root.id;
  for (const [i, part] of request.thread.entries()) {
    try {
      const mediaIds = await uploadAll(ctx, account, part.media, request.signal);
      const status = await postStatus(ctx, account, { text: part.text, mediaIds, inReplyToId: parentId, language: request.language, visibility: null, idempotencyKey: partKey(request.idempotencyKey, i + 1), ...signal });
      thread.push(publishedItem(status));
      parentId = status.id;
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      // Part of the thread is public already: the outcome is not "nothing happened", so the
      // scheduler reconciles; repeating within the hour reuses the parts through their keys.
      const done = thread.length + 1;
      throw withEffect(err, 'unknown', `${done} of ${parts.length} posts of the thread were published; the next one failed: ${err.message}`);
    }
  }
  return { root: publishedItem(root), thread, firstComment: null, scheduledOnPlatform: false, publishedAt: Date.parse(root.created_at) };
}

async function uploadAll(ctx: MastodonContext, account: ConnectorAccount, media: PublishRequest['root']['media'], signal?: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  // One at a time: the media endpoint is rate limited separately (30 per 30 minutes by default).
  for (const [i, m] of media.entries()) ids.push(await uploadMedia(ctx, account, m, i, signal));
  return ids;
}
