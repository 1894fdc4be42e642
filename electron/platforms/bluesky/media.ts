// Images and video for a post: checked against Bluesky's limits before anything is sent, then each
// file's bytes go to com.atproto.repo.uploadBlob and the returned blob refs into the embed
// (app.bsky.embed.images, or app.bsky.embed.video for one video).
import { readFile } from 'node:fs/promises';
import { CAPABILITIES } from '../capabilities';
import type { MediaInput, PostPart } from '../connector';
import { PlatformError } from '../errors';
import { graphemeLength, utf8Length } from './facets';
import { blobSchema, type BlobRef } from './schemas';
import type { Xrpc, XrpcCall } from './xrpc';

const CAPS = CAPABILITIES.bluesky;
/** Uploads get longer than ordinary calls: a 100 MB video on a slow uplink. */
const UPLOAD_TIMEOUT_MS = 300_000;

function refuse(category: 'validation' | 'media', message: string): PlatformError {
  return new PlatformError({ platform: 'bluesky', category, message, effect: 'none' });
}

/** Everything Bluesky would refuse, found before the first request. `label` names the part ("Post 2 of the thread"). */
export function checkPart(part: PostPart, label: string): void {
  const graphemes = graphemeLength(part.text);
  if (graphemes > CAPS.text.limit.value) {
    throw refuse('validation', `${label} has ${graphemes} characters; Bluesky allows ${CAPS.text.limit.value}. Shorten it or split it into a thread.`);
  }
  if (CAPS.text.bytesLimit !== null && utf8Length(part.text) > CAPS.text.bytesLimit) {
    throw refuse('validation', `${label} is too long for Bluesky (over ${CAPS.text.bytesLimit} bytes of text). Shorten it.`);
  }
  if (part.text.trim() === '' && part.media.length === 0) throw refuse('validation', `${label} is empty.`);

  const media = part.media;
  for (const m of media) {
    if (!(CAPS.media.kinds as readonly string[]).includes(m.kind)) {
      throw refuse('media', `Bluesky doesn't accept ${m.kind === 'gif' ? 'GIF files as animations; attach it as a video or a still image' : `${m.kind} attachments`}.`);
    }
    if (m.path === null) throw refuse('media', 'This attachment has no local file to upload to Bluesky.');
    if (m.altText !== null && CAPS.altText.maxLength.value !== null && graphemeLength(m.altText) > CAPS.altText.maxLength.value) {
      throw refuse('validation', `An image description in ${label.toLowerCase()} is longer than Bluesky's ${CAPS.altText.maxLength.value} characters.`);
    }
  }
  const videos = media.filter((m) => m.kind === 'video');
  if (videos.length > 0 && videos.length !== media.length) throw refuse('media', `${label} mixes images and a video; Bluesky takes either up to ${CAPS.media.maxItems} images or one video.`);
  if (videos.length > CAPS.media.maxVideos) throw refuse('media', `${label} has ${videos.length} videos; Bluesky takes one video per post.`);
  if (media.length > CAPS.media.maxItems) throw refuse('media', `${label} has ${media.length} images; Bluesky takes at most ${CAPS.media.maxItems} per post.`);
  for (const m of media) checkSize(m, m.sizeBytes);
}

function checkSize(m: MediaInput, bytes: number): void {
  const limit = m.kind === 'video' ? CAPS.media.maxVideoBytes.value : CAPS.media.maxImageBytes.value;
  if (limit !== null && bytes > limit) {
    const mb = (n: number) => `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)} MB`;
    throw refuse('media', `A ${m.kind} is ${mb(bytes)}; Bluesky takes ${m.kind === 'video' ? 'videos' : 'images'} up to ${mb(limit)}. Compress or resize it.`);
  }
}

async function upload(xrpc: Xrpc, call: XrpcCall, m: MediaInput): Promise<BlobRef> {
  let bytes: Buffer;
  try {
    bytes = await readFile(m.path ?? '');
  } catch (err) {
    throw new PlatformError({ platform: 'bluesky', category: 'media', message: 'An attachment could not be read from disk; it may have been moved or deleted.', effect: 'none', cause: err });
  }
  // The size on record may be stale; the bytes are what Bluesky will judge.
  checkSize(m, bytes.length);
  // A blob is content-addressed and invisible until a record points at it, so sending it again is
  // harmless: the upload counts as idempotent (a cut upload is 'effect none').
  const out = await xrpc.procedure(
    call,
    'com.atproto.repo.uploadBlob',
    { body: new Uint8Array(bytes), contentType: m.mimeType, idempotent: true, timeoutMs: UPLOAD_TIMEOUT_MS },
    blobSchema,
  );
  return out.blob;
}

export type Embed =
  | { $type: 'app.bsky.embed.images'; images: { image: BlobRef; alt: string; aspectRatio?: { width: number; height: number } }[] }
  | { $type: 'app.bsky.embed.video'; video: BlobRef; alt?: string; aspectRatio?: { width: number; height: number } };

function aspectRatio(m: MediaInput): { aspectRatio: { width: number; height: number } } | Record<string, never> {
  const { width, height } = m;
  return width !== undefined && height !== undefined && Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 ? { aspectRatio: { width, height } } : {};
}

/** Upload a part's media (checked by checkPart) and build its embed; undefined when it has none. */
export async function uploadEmbed(xrpc: Xrpc, call: XrpcCall, media: readonly MediaInput[]): Promise<Embed | undefined> {
  if (media.length === 0) return undefined;
  const first = media[0];
  if (first?.kind === 'video') {
    const video = await upload(xrpc, call, first);
    return { $type: 'app.bsky.embed.video', video, ...(first.altText ? { alt: first.altText } : {}), ...aspectRatio(first) };
  }
  const images: Extract<Embed, { $type: 'app.bsky.embed.images' }>['images'] = [];
  // One at a time: a PDS rate-limits uploads per account, and order must match the composer's.
  for (const m of media) images.push({ image: await upload(xrpc, call, m), alt: m.altText ?? '', ...aspectRatio(m) });
  return { $type: 'app.bsky.embed.images', images };
}
