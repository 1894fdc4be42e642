// Publishing on X: POST /2/tweets, threads as replies to the previous part, and the reconcile
// lookup. X takes no idempotency key, so the root carries the publish marker and `findPublished`
// scans the account's own recent posts for it.
import type { ConnectorAccount, FindPublishedOptions, PostPart, PublishedItem, PublishedLookup, PublishRequest, PublishResult } from '../connector';
import { hasPublishMarker, joinUrl, publishMarker } from '../connector';
import { PlatformError } from '../errors';
import { bearer } from '../http';
import { isoSeconds, tweetUrl, type XContext } from './context';
import { uploadMedia } from './media';
import { createdTweet, tweetPage } from './schemas';
import { checkPart } from './text';

/** The user timeline reaches back 3,200 posts: 32 pages of 100. */
const MAX_TIMELINE_PAGES = 32;

function refusePermanent(message: string): never {
  throw new PlatformError({ platform: 'x', category: 'permanent', message, effect: 'none' });
}

/** The marker goes on a line of its own under the text, so the post still reads naturally. */
export function withMarker(text: string, marker: string): string {
  const body = text.trimEnd();
  return body === '' ? marker : `${body}\n\n${marker}`;
}

/** Nothing reaches X from a failed upload but orphaned media, which X discards: no post exists. */
export function noPostCreated(err: unknown): unknown {
  if (!(err instanceof PlatformError) || err.effect === 'none') return err;
  return new PlatformError({
    platform: 'x',
    category: err.category,
    status: err.status,
    code: err.code,
    message: err.message,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
    effect: 'none',
    cause: err,
  });
}

/** Once the first post is out, a failure further down the thread leaves a post on X: never 'none'. */
function partlyPublished(err: unknown, done: number, total: number): unknown {
  if (!(err instanceof PlatformError)) return err;
  return new PlatformError({
    platform: 'x',
    category: err.category,
    status: err.status,
    code: err.code,
    message: `The first ${done} of ${total} posts in the thread are on X, but the next one failed: ${err.message}`,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
    effect: 'unknown',
    cause: err,
  });
}

async function createTweet(ctx: XContext, account: ConnectorAccount, text: string, mediaIds: readonly string[], replyTo: string | null, signal?: AbortSignal): Promise<string> {
  const body: Record<string, unknown> = { text };
  if (mediaIds.length > 0) body['media'] = { media_ids: mediaIds };
  if (replyTo !== null) body['reply'] = { in_reply_to_tweet_id: replyTo };
  const { data } = await ctx.http.json(
    { method: 'POST', url: joinUrl(account.baseUrl, '/2/tweets'), headers: bearer(account.credentials.accessToken), json: body, ...(signal ? { signal } : {}) },
    createdTweet,
  );
  return data.data.id;
}

export async function uploadAll(ctx: XContext, account: ConnectorAccount, part: PostPart, label: string, signal?: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, media] of part.media.entries()) {
    ids.push(await uploadMedia(ctx, account, media, 'tweet', part.media.length > 1 ? `${label}, attachment ${i + 1}` : label, signal));
  }
  return ids;
}

/** Posts a reply to someone's post (inbox replies), after the same checks as a publish. */
export async function postReply(ctx: XContext, account: ConnectorAccount, part: PostPart, inReplyTo: string, signal?: AbortSignal): Promise<PublishedItem> {
  checkPart(part, 'The reply', part.text);
  let mediaIds: string[];
  try {
    mediaIds = await uploadAll(ctx, account, part, 'The reply', signal);
  } catch (err) {
    throw noPostCreated(err);
  }
  const id = await createTweet(ctx, account, part.text, mediaIds, inReplyTo, signal);
  return { platformPostId: id, url: tweetUrl(id, null) };
}

export async function publish(ctx: XContext, account: ConnectorAccount, request: PublishRequest): Promise<PublishResult> {
  if (request.scheduleAt !== null) refusePermanent('X has no scheduled posts in its API; Postdesk publishes X posts itself at the scheduled time.');
  if (request.firstComment !== null) refusePermanent('X has no first comment; add the text as a second post in the thread instead.');

  const parts = [request.root, ...request.thread];
  const label = (i: number): string => (parts.length === 1 ? 'The post' : `Post ${i + 1} of the thread`);
  const texts = parts.map((part, i) => (i === 0 ? withMarker(part.text, publishMarker(request.idempotencyKey)) : part.text));
  parts.forEach((part, i) => checkPart(part, label(i), texts[i] ?? part.text));

  // Every file goes up before the first post, so a failed upload leaves nothing half-published.
  const mediaIds: string[][] = [];
  try {
    for (const [i, part] of parts.entries()) mediaIds.push(await uploadAll(ctx, account, part, label(i), request.signal));
  } catch (err) {
    throw noPostCreated(err);
  }

  const items: PublishedItem[] = [];
  let previous = request.inReplyTo;
  for (const [i, part] of parts.entries()) {
    try {
      const id = await createTweet(ctx, account, texts[i] ?? part.text, mediaIds[i] ?? [], previous, request.signal);
      items.push({ platformPostId: id, url: tweetUrl(id, null) });
      previous = id;
    } catch (err) {
      throw i === 0 ? err : partlyPublished(err, i, parts.length);
    }
  }
  const [root, ...thread] = items;
  if (root === undefined) throw new PlatformError({ platform: 'x', category: 'permanent', message: 'Nothing to publish.', effect: 'none' });
  return { root, thread, firstComment: null, scheduledOnPlatform: false, publishedAt: ctx.now() };
}

export async function findPublished(ctx: XContext, account: ConnectorAccount, lookup: PublishedLookup, opts: FindPublishedOptions): Promise<PublishedItem | null> {
  const marker = lookup.marker ?? publishMarker(lookup.idempotencyKey ?? '');
  let token: string | undefined;
  for (let page = 0; page < MAX_TIMELINE_PAGES; page++) {
    const { data } = await ctx.http.json(
      {
        method: 'GET',
        url: joinUrl(account.baseUrl, `/2/users/${encodeURIComponent(account.platformAccountId)}/tweets`),
        headers: bearer(account.credentials.accessToken),
        query: { start_time: isoSeconds(opts.since), max_results: 100, 'tweet.fields': 'created_at', exclude: 'retweets', pagination_token: token },
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      tweetPage,
    );
    const hit = data.data?.find((t) => hasPublishMarker(t.text, marker));
    if (hit) return { platformPostId: hit.id, url: tweetUrl(hit.id, null) };
    token = data.meta.next_token;
    if (token === undefined) return null;
  }
  // Ran out of timeline to read: "not found" would be a guess, so say so instead.
  throw new PlatformError({ platform: 'x', category: 'transient', message: 'X has more posts since the attempt than its timeline returns; Postdesk could not confirm whether the post went out.', effect: 'none' });
}
