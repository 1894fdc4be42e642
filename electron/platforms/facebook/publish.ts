// Publishing to a Facebook Page: text (with the first link as the link card) to /{page-id}/feed,
// one photo to /{page-id}/photos, several photos as unpublished photos attached to one feed post.
// Native scheduling is `published=false` + `scheduled_publish_time` on the same calls. Facebook
// takes no idempotency key, so the publish marker goes at the end of the text for reconcile.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { withinSchedulingWindow, type PlatformCapabilities } from '../capabilities';
import { publishMarker, type ConnectorAccount, type MediaInput, type PublishedItem, type PublishRequest, type PublishResult } from '../connector';
import { PlatformError } from '../errors';
import { checkMedia, checkText, withMarker } from '../meta/checks';
import { type GraphClient, refuse, reissue } from '../meta/graph';
import { unixSeconds } from '../meta/paging';
import { idSchema } from '../meta/schemas';
import { photoCreatedSchema } from './schemas';

/** Uploads get longer than ordinary calls: a few MB over a slow uplink. */
const UPLOAD_TIMEOUT_MS = 120_000;

export function postUrl(postId: string): string {
  return `https://www.facebook.com/${postId}`;
}

export async function publishToPage(graph: GraphClient, caps: PlatformCapabilities, account: ConnectorAccount, req: PublishRequest): Promise<PublishResult> {
  const { root } = req;
  if (req.thread.length > 0) throw refuse('facebook', 'validation', 'Facebook Pages have no threads. Put the follow-ups in one post, or use a first comment.');
  if (req.inReplyTo !== null) throw refuse('facebook', 'validation', 'Postdesk posts to Facebook as the Page only; replying to another post is done from the inbox.');
  const message = withMarker(root.text, publishMarker(req.idempotencyKey));
  checkText('facebook', caps, message);
  checkMedia('facebook', caps, root.media);
  if (root.media.some((m) => m.kind === 'video')) {
    throw refuse('facebook', 'media', 'Postdesk cannot upload video to Facebook yet. Post the images or text now, and add the video on Facebook.');
  }
  for (const m of root.media) if (m.path === null && m.url === null) throw refuse('facebook', 'media', 'An attachment has neither a file nor a web address; add it again.');

  const now = graph.now();
  const scheduling: Record<string, string> = {};
  if (req.scheduleAt !== null) {
    if (!withinSchedulingWindow(caps, req.scheduleAt, now)) {
      const { minLeadMs, maxLeadMs } = caps.scheduling;
      throw refuse('facebook', 'validation', `Facebook can hold a post from ${minLeadMs / 60_000} minutes up to ${Math.round((maxLeadMs ?? 0) / 86_400_000)} days ahead; pick a time in that range.`);
    }
    if (req.firstComment !== null) throw refuse('facebook', 'validation', "Facebook can't add a first comment to a post it is holding for later. Remove the first comment or publish now.");
    scheduling['published'] = 'false';
    scheduling['scheduled_publish_time'] = String(unixSeconds(req.scheduleAt));
  }

  const postId = await createPost(graph, account, message, root.media, scheduling, req.signal);
  const rootItem: PublishedItem = { platformPostId: postId, url: postUrl(postId) };
  const firstComment = req.firstComment === null ? null : await addFirstComment(graph, account, postId, req.firstComment, caps, req.signal);
  const scheduled = req.scheduleAt !== null;
  return { root: rootItem, thread: [], firstComment, scheduledOnPlatform: scheduled, publishedAt: scheduled ? null : graph.now() };
}

async function createPost(
  graph: GraphClient,
  account: ConnectorAccount,
  message: string,
  media: readonly MediaInput[],
  scheduling: Readonly<Record<string, string>>,
  signal: AbortSignal | undefined,
): Promise<string> {
  const page = account.platformAccountId;
  const token = account.credentials.accessToken;
  const sig = signal ? { signal } : {};
  const [only] = media;
  if (media.length === 0) {
    const link = /https?:\/\/[^\s<>"]+/.exec(message)?.[0];
    const created = await graph.call(
      account.baseUrl,
      { method: 'POST', path: `${page}/feed`, token, form: { message, ...(link ? { link } : {}), ...scheduling }, ...sig },
      idSchema,
    );
    return created.id;
  }
  if (media.length === 1 && only) {
    const photo = await graph.call(
      account.baseUrl,
      { method: 'POST', path: `${page}/photos`, token, ...(await photoPayload(only, { caption: message, ...scheduling })), timeoutMs: UPLOAD_TIMEOUT_MS, ...sig },
      photoCreatedSchema,
    );
    // A published photo answers with the feed story's id; a scheduled one may only have the photo.
    return photo.post_id ?? photo.id;
  }
  // Several photos: each uploaded unpublished (temporary when the post is scheduled), then one
  // feed post attaches them. Photos left behind by a failure stay unpublished and invisible.
  const attached: Record<string, string> = {};
  for (const [i, m] of media.entries()) {
    const photo = await graph.call(
      account.baseUrl,
      {
        method: 'POST',
        path: `${page}/photos`,
        token,
        ...(await photoPayload(m, { published: 'false', ...(scheduling['published'] ? { temporary: 'true' } : {}) })),
        timeoutMs: UPLOAD_TIMEOUT_MS,
        ...sig,
      },
      photoCreatedSchema,
    );
    attached[`attached_media[${i}]`] = JSON.stringify({ media_fbid: photo.id });
  }
  const created = await graph.call(account.baseUrl, { method: 'POST', path: `${page}/feed`, token, form: { message, ...attached, ...scheduling }, ...sig }, idSchema);
  return created.id;
}

/** A photo by address (`url`) or by bytes (multipart `source`), with its alt text. */
async function photoPayload(m: MediaInput, fields: Readonly<Record<string, string>>): Promise<{ form: Record<string, string> } | { body: FormData }> {
  const all: Record<string, string> = { ...fields, ...(m.altText ? { alt_text_custom: m.altText } : {}) };
  if (m.path === null) return { form: { ...all, url: m.url ?? '' } };
  let bytes: Buffer;
  try {
    bytes = await readFile(m.path);
  } catch (err) {
    throw new PlatformError({ platform: 'facebook', category: 'media', message: `Postdesk could not read ${basename(m.path)} to upload it. Check that the file still exists.`, effect: 'none', cause: err });
  }
  const body = new FormData();
  for (const [k, v] of Object.entries(all)) body.append(k, v);
  body.append('source', new Blob([new Uint8Array(bytes)], { type: m.mimeType }), basename(m.path));
  return { body };
}

/**
 * The first comment goes under the post once it is live. If it fails, the post is already public:
 * the error says so and carries effect 'unknown', so the scheduler reconciles instead of posting twice.
 */
async function addFirstComment(
  graph: GraphClient,
  account: ConnectorAccount,
  postId: string,
  text: string,
  caps: PlatformCapabilities,
  signal: AbortSignal | undefined,
): Promise<PublishedItem> {
  try {
    checkText('facebook', caps, text, 'first comment');
    const created = await graph.call(
      account.baseUrl,
      { method: 'POST', path: `${postId}/comments`, token: account.credentials.accessToken, form: { message: text }, ...(signal ? { signal } : {}) },
      idSchema,
    );
    return { platformPostId: created.id, url: null };
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    throw reissue(err, { effect: 'unknown', message: `The post ${postId} is live on Facebook, but its first comment failed: ${err.message}` });
  }
}
