// Publishing to Instagram: Meta fetches the media itself from a public URL into a container,
// processes it, and only media_publish makes it public. So a failure before media_publish leaves
// nothing visible. Images are single posts (with alt text), one video is a reel, several items a
// carousel. The account's publishing quota is read first so a full quota never costs an attempt.
import type { PlatformCapabilities } from '../capabilities';
import { publishMarker, type ConnectorAccount, type MediaInput, type PublishedItem, type PublishRequest, type PublishResult } from '../connector';
import { PlatformError } from '../errors';
import { checkMedia, checkText, withMarker } from '../meta/checks';
import { type GraphClient, refuse, reissue } from '../meta/graph';
import { realSleep, type MetaConnectorOptions } from '../meta/options';
import { idSchema } from '../meta/schemas';
import { containerStatusSchema, permalinkSchema, publishingLimitSchema } from './schemas';

const DEFAULT_POLL_MS = 3_000;
const DEFAULT_MAX_POLLS = 60;
/** The quota is a moving 24 h window whose oldest entry Meta doesn't report; an hour keeps the re-check cheap. */
const QUOTA_RETRY_MS = 60 * 60_000;

export async function publishToInstagram(
  graph: GraphClient,
  caps: PlatformCapabilities,
  opts: MetaConnectorOptions,
  account: ConnectorAccount,
  req: PublishRequest,
): Promise<PublishResult> {
  const { root } = req;
  if (req.thread.length > 0) throw refuse('instagram', 'validation', 'Instagram has no threads. Use a carousel or a first comment instead.');
  if (req.inReplyTo !== null) throw refuse('instagram', 'validation', 'Instagram posts cannot reply to another post; answer comments from the inbox.');
  if (req.scheduleAt !== null) {
    throw refuse('instagram', 'validation', "Instagram can't hold a post for later through its API; Postdesk publishes it at the scheduled time instead.");
  }
  if (root.media.length === 0) throw refuse('instagram', 'validation', 'An Instagram post needs at least one image or video.');
  checkMedia('instagram', caps, root.media);
  for (const m of root.media) checkPublicMedia(m);
  const caption = withMarker(root.text, publishMarker(req.idempotencyKey));
  checkText('instagram', caps, caption, 'caption');
  if (req.firstComment !== null) checkText('instagram', caps, req.firstComment, 'first comment');

  await checkQuota(graph, account, req.signal);
  const poll = { interval: opts.pollIntervalMs ?? DEFAULT_POLL_MS, max: opts.maxPolls ?? DEFAULT_MAX_POLLS, sleep: opts.sleep ?? realSleep };
  const container = await buildContainer(graph, account, root.media, caption, poll, req.signal);
  const published = await graph.call(
    account.baseUrl,
    { method: 'POST', path: `${account.platformAccountId}/media_publish`, token: account.credentials.accessToken, form: { creation_id: container }, ...(req.signal ? { signal: req.signal } : {}) },
    idSchema,
  );
  const rootItem: PublishedItem = { platformPostId: published.id, url: await permalinkOf(graph, account, published.id) };
  const firstComment = req.firstComment === null ? null : await addFirstComment(graph, account, published.id, req.firstComment, req.signal);
  return { root: rootItem, thread: [], firstComment, scheduledOnPlatform: false, publishedAt: graph.now() };
}

function checkPublicMedia(m: MediaInput): void {
  if (m.url === null || !/^https?:\/\//i.test(m.url)) {
    throw refuse(
      'instagram',
      'media',
      'Instagram fetches images and videos from a public web address, and this one is only on your computer. Upload it somewhere public (your site or a storage bucket) and attach that link.',
    );
  }
  if (m.kind === 'image' && m.mimeType.toLowerCase() !== 'image/jpeg') {
    throw refuse('instagram', 'media', `Instagram publishes images only as JPEG; this one is ${m.mimeType}. Export it as JPEG and try again.`);
  }
}

async function checkQuota(graph: GraphClient, account: ConnectorAccount, signal: AbortSignal | undefined): Promise<void> {
  const data = await graph.call(
    account.baseUrl,
    {
      method: 'GET',
      path: `${account.platformAccountId}/content_publishing_limit`,
      token: account.credentials.accessToken,
      query: { fields: 'quota_usage,config' },
      ...(signal ? { signal } : {}),
    },
    publishingLimitSchema,
  );
  const [usage] = data.data;
  if (usage?.config && usage.quota_usage >= usage.config.quota_total) {
    throw new PlatformError({
      platform: 'instagram',
      category: 'rate_limit',
      message: `This Instagram account has used all ${usage.config.quota_total} posts Meta allows through the API in 24 hours. Postdesk will try again later.`,
      retryAfterMs: QUOTA_RETRY_MS,
      effect: 'none',
    });
  }
}

interface Poll {
  interval: number;
  max: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

async function buildContainer(graph: GraphClient, account: ConnectorAccount, media: readonly MediaInput[], caption: string, poll: Poll, signal: AbortSignal | undefined): Promise<string> {
  const [only] = media;
  if (media.length === 1 && only) {
    const id = await createContainer(graph, account, { ...itemFields(only, false), caption }, signal);
    await waitUntilFinished(graph, account, id, poll, signal);
    return id;
  }
  const children: string[] = [];
  for (const m of media) children.push(await createContainer(graph, account, itemFields(m, true), signal));
  // Video children must finish processing before the carousel can reference them.
  for (const child of children) await waitUntilFinished(graph, account, child, poll, signal);
  const parent = await createContainer(graph, account, { media_type: 'CAROUSEL', children: children.join(','), caption }, signal);
  await waitUntilFinished(graph, account, parent, poll, signal);
  return parent;
}

function itemFields(m: MediaInput, carouselItem: boolean): Record<string, string> {
  const url = m.url ?? '';
  const fields: Record<string, string> =
    m.kind === 'video' ? { media_type: carouselItem ? 'VIDEO' : 'REELS', video_url: url } : { image_url: url, ...(m.altText ? { alt_text: m.altText } : {}) };
  if (carouselItem) fields['is_carousel_item'] = 'true';
  return fields;
}

async function createContainer(graph: GraphClient, account: ConnectorAccount, form: Record<string, string>, signal: AbortSignal | undefined): Promise<string> {
  const created = await graph.call(
    account.baseUrl,
    { method: 'POST', path: `${account.platformAccountId}/media`, token: account.credentials.accessToken, form, ...(signal ? { signal } : {}) },
    idSchema,
  );
  return created.id;
}

async function waitUntilFinished(graph: GraphClient, account: ConnectorAccount, containerId: string, poll: Poll, signal: AbortSignal | undefined): Promise<void> {
  for (let attempt = 0; attempt < poll.max; attempt++) {
    const { status_code, status } = await graph.call(
      account.baseUrl,
      { method: 'GET', path: containerId, token: account.credentials.accessToken, query: { fields: 'status_code,status' }, ...(signal ? { signal } : {}) },
      containerStatusSchema,
    );
    if (status_code === 'FINISHED') return;
    if (status_code === 'ERROR') {
      throw refuse('instagram', 'media', `Instagram could not process this media${status ? ` (${status})` : ''}. Check the format, size and aspect ratio, and that the link opens for anyone.`);
    }
    if (status_code === 'EXPIRED') throw refuse('instagram', 'transient', 'Instagram discarded the prepared media before it was published; Postdesk will prepare it again.');
    if (status_code === 'PUBLISHED') throw refuse('instagram', 'permanent', 'Instagram says this prepared media was already published.');
    await poll.sleep(poll.interval, signal);
  }
  throw refuse('instagram', 'transient', 'Instagram is still processing the media; nothing was published yet. Postdesk will try again.');
}

/** The permalink is a convenience; the post is published whether or not it can be read back now. */
async function permalinkOf(graph: GraphClient, account: ConnectorAccount, mediaId: string): Promise<string | null> {
  try {
    const data = await graph.call(account.baseUrl, { method: 'GET', path: mediaId, token: account.credentials.accessToken, query: { fields: 'permalink' } }, permalinkSchema);
    return data.permalink ?? null;
  } catch {
    return null;
  }
}

/** As on Facebook: the post is already live, so a failed first comment says so with effect 'unknown'. */
async function addFirstComment(graph: GraphClient, account: ConnectorAccount, mediaId: string, text: string, signal: AbortSignal | undefined): Promise<PublishedItem> {
  try {
    const created = await graph.call(
      account.baseUrl,
      { method: 'POST', path: `${mediaId}/comments`, token: account.credentials.accessToken, form: { message: text }, ...(signal ? { signal } : {}) },
      idSchema,
    );
    return { platformPostId: created.id, url: null };
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    throw reissue(err, { effect: 'unknown', message: `The post ${mediaId} is live on Instagram, but its first comment failed: ${err.message}` });
  }
}
