// Posts API: create, find again after a crash, delete. LinkedIn takes no idempotency key, so each
// post carries the scheduler's marker and `findPublished` looks for it among the author's posts.
import {
  type ConnectorAccount,
  type FindPublishedOptions,
  type MediaInput,
  type MediaKind,
  type PublishRequest,
  type PublishResult,
  type PublishedItem,
  type PublishedLookup,
  hasPublishMarker,
  publishMarker,
} from '../connector';
import { CAPABILITIES, type PlatformCapabilities } from '../capabilities';
import { PlatformError } from '../errors';
import { type LinkedInApi, encodeUrn, linkedInError } from './api';
import { postUrl } from './config';
import { COMMENT_LIMIT, postComment } from './comments';
import { escapeLittleText, unescapeLittleText } from './little-text';
import { type UploadedImage, checkImage, uploadImage } from './media';
import { restrictedRead } from './permissions';
import { postsPage } from './schemas';

const CAPS: PlatformCapabilities = CAPABILITIES.linkedin;
const MARKER_SEPARATOR = '\n\n';
/** Posts per finder page while reconciling; LinkedIn allows up to 100. */
const FIND_PAGE = 50;
/** More posts than an account can make in a day (150 a day, a third-party figure). */
const FIND_MAX_POSTS = 500;

function checkMedia(media: readonly MediaInput[]): void {
  if (media.length === 0) return;
  const kinds = new Set<MediaKind>(media.map((m) => m.kind));
  for (const kind of kinds) {
    if (!CAPS.media.kinds.includes(kind)) throw linkedInError('media', `LinkedIn posts can't carry ${kind} files.`);
  }
  if (kinds.size > 1 && !CAPS.media.mixKinds) throw linkedInError('media', 'A LinkedIn post carries either images, one video or one document, not a mix.');
  if (!kinds.has('image')) {
    throw linkedInError('media', "Postdesk can't upload LinkedIn videos or documents yet; publish this one with images or as text.");
  }
  if (media.length > CAPS.media.maxItems) throw linkedInError('media', `A LinkedIn post can carry at most ${CAPS.media.maxItems} images; this one has ${media.length}.`);
  media.forEach(checkImage);
}

function checkCommentText(text: string, what: string): void {
  if (text.trim() === '') throw linkedInError('validation', `The ${what} is empty.`);
  if (text.length > COMMENT_LIMIT) throw linkedInError('validation', `A LinkedIn comment can be at most ${COMMENT_LIMIT} characters; the ${what} has ${text.length}.`);
}

/** Refuse what LinkedIn would refuse (or silently mangle) before any request is made. */
export function checkPublishRequest(request: PublishRequest, marker: string): void {
  if (request.thread.length > 0) {
    throw linkedInError('permanent', 'LinkedIn has no threads. Publish the follow-ups as separate posts, or put one in a first comment.');
  }
  if (request.scheduleAt !== null) {
    throw linkedInError('permanent', "LinkedIn's API cannot hold a post for later; Postdesk publishes it itself at the scheduled time.");
  }
  if (request.inReplyTo !== null) throw linkedInError('permanent', "LinkedIn's API cannot publish a post as a reply; comment on the post instead.");
  const { text, media } = request.root;
  if (text.trim() === '' && media.length === 0) throw linkedInError('validation', 'The post is empty: add text or an image.');
  const limit = CAPS.text.limit.value;
  const length = text.length + MARKER_SEPARATOR.length + marker.length;
  if (length > limit) {
    throw linkedInError(
      'validation',
      `LinkedIn posts can be at most ${limit} characters; this one has ${text.length} (plus ${length - text.length} Postdesk adds to recognise it later). Shorten it by ${length - limit}.`,
    );
  }
  checkMedia(media);
  if (request.firstComment !== null) checkCommentText(request.firstComment, 'first comment');
}

function commentaryFor(text: string, marker: string): string {
  return text.trim() === '' ? marker : `${escapeLittleText(text)}${MARKER_SEPARATOR}${marker}`;
}

function contentFor(images: readonly UploadedImage[]): Record<string, unknown> | undefined {
  const withAlt = (img: UploadedImage): Record<string, string> => (img.altText ? { id: img.id, altText: img.altText } : { id: img.id });
  if (images.length === 0) return undefined;
  if (images.length === 1 && images[0]) return { media: withAlt(images[0]) };
  return { multiImage: { images: images.map(withAlt) } };
}

export async function publishPost(api: LinkedInApi, account: ConnectorAccount, request: PublishRequest): Promise<PublishResult> {
  const marker = publishMarker(request.idempotencyKey);
  checkPublishRequest(request, marker);
  const author = account.platformAccountId;
  const signal = request.signal;

  const images: UploadedImage[] = [];
  for (const media of request.root.media) images.push(await uploadImage(api, account, author, media, signal));

  const content = contentFor(images);
  const res = await api.send(account, {
    method: 'POST',
    path: '/rest/posts',
    json: {
      author,
      commentary: commentaryFor(request.root.text, marker),
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      ...(content === undefined ? {} : { content }),
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    },
    ...(signal === undefined ? {} : { signal }),
  });
  const urn = res.headers.get('x-restli-id');
  if (urn === null || !/^urn:li:(share|ugcPost):\S+$/.test(urn)) {
    throw linkedInError('transient', 'LinkedIn accepted the post but did not say which post it created; Postdesk will check whether it went out before trying again.', {
      status: res.status,
      effect: 'unknown',
    });
  }
  const root: PublishedItem = { platformPostId: urn, url: postUrl(urn) };
  const publishedAt = api.now();

  let firstComment: PublishedItem | null = null;
  if (request.firstComment !== null) {
    try {
      firstComment = await postComment(api, account, { target: urn, object: urn, text: request.firstComment, signal });
    } catch (err) {
      // The post is live: an error here must not read as "nothing happened", or a retry would post it twice.
      if (!(err instanceof PlatformError)) throw err;
      throw new PlatformError({
        platform: 'linkedin',
        category: err.category,
        message: `The post is live on LinkedIn (${urn}), but its first comment failed: ${err.message}`,
        status: err.status,
        code: err.code,
        effect: 'unknown',
        traceId: err.traceId,
        ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
        cause: err,
      });
    }
  }
  return { root, thread: [], firstComment, scheduledOnPlatform: false, publishedAt };
}

export async function findPublished(api: LinkedInApi, account: ConnectorAccount, lookup: PublishedLookup, opts: FindPublishedOptions): Promise<PublishedItem | null> {
  const marker = lookup.marker ?? publishMarker(lookup.idempotencyKey);
  const author = account.platformAccountId;
  for (let start = 0; start < FIND_MAX_POSTS; start += FIND_PAGE) {
    let page;
    try {
      page = await api.json(
        account,
        {
          method: 'GET',
          path: '/rest/posts',
          query: { q: 'author', author, sortBy: 'CREATED', start, count: FIND_PAGE },
          restliMethod: 'FINDER',
          ...(opts.signal === undefined ? {} : { signal: opts.signal }),
        },
        postsPage,
      );
    } catch (err) {
      throw restrictedRead(err, author, 'the posts');
    }
    for (const post of page.data.elements) {
      // Newest first: once past the attempt's start, an older post cannot be the one we look for.
      if (post.createdAt !== undefined && post.createdAt < opts.since) return null;
      if (post.commentary !== undefined && hasPublishMarker(unescapeLittleText(post.commentary), marker)) {
        return { platformPostId: post.id, url: postUrl(post.id) };
      }
    }
    if (page.data.elements.length < FIND_PAGE) return null;
  }
  throw linkedInError('permanent', `More than ${FIND_MAX_POSTS} LinkedIn posts since this attempt started; Postdesk can't tell whether it went out. Check the profile and mark it by hand.`);
}

export async function deletePost(api: LinkedInApi, account: ConnectorAccount, urn: string, signal?: AbortSignal): Promise<void> {
  try {
    await api.send(account, { method: 'DELETE', path: `/rest/posts/${encodeUrn(urn)}`, restliMethod: 'DELETE', ...(signal === undefined ? {} : { signal }) });
  } catch (err) {
    // Gone already (an earlier attempt deleted it, or the user did): the goal is met.
    if (err instanceof PlatformError && err.status === 404) return;
    throw err;
  }
}
