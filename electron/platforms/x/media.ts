// Media upload through X's v2 chunked endpoints: initialize (JSON), append each segment
// (multipart), finalize, poll STATUS while a GIF or video is processed, then set alt text with
// POST /2/media/metadata. Used for images too: the one-shot POST /2/media/upload's shapes are not
// confirmed (docs/PLATFORMS.md), while one initialize/append/finalize round is.
import { open } from 'node:fs/promises';
import type { ConnectorAccount, MediaInput } from '../connector';
import { joinUrl } from '../connector';
import { PlatformError } from '../errors';
import { bearer } from '../http';
import type { XContext } from './context';
import { mediaFinalized, mediaInitialized, mediaMetadata, mediaStatus, type XProcessingInfo } from './schemas';
import { checkMediaSize } from './text';

/** X keeps segments at or under 5 MB (server maximum 8 MB); 4 MB leaves headroom. */
export const SEGMENT_BYTES = 4 * 1024 * 1024;
const APPEND_TIMEOUT_MS = 120_000;
/** How long to wait for X to process a video before calling it a transient failure. */
const MAX_PROCESSING_MS = 10 * 60_000;

export type MediaPurpose = 'tweet' | 'dm';

function category(media: MediaInput, purpose: MediaPurpose): string {
  const kind = media.kind === 'gif' ? 'gif' : media.kind === 'video' ? 'video' : 'image';
  return `${purpose}_${kind}`;
}

function processingFailed(info: XProcessingInfo, label: string): PlatformError {
  const why = info.error?.message ?? info.error?.name ?? 'no reason given';
  return new PlatformError({ platform: 'x', category: 'media', code: info.error?.name ?? null, message: `${label}: X could not process the file (${why}). Try another file or format.`, effect: 'none' });
}

async function waitForProcessing(ctx: XContext, account: ConnectorAccount, mediaId: string, first: XProcessingInfo | undefined, label: string, signal?: AbortSignal): Promise<void> {
  let info = first;
  let waited = 0;
  while (info !== undefined && info.state !== 'succeeded') {
    if (info.state === 'failed') throw processingFailed(info, label);
    const waitMs = Math.min(Math.max(info.check_after_secs ?? 2, 1), 60) * 1000;
    if (waited + waitMs > MAX_PROCESSING_MS) {
      throw new PlatformError({ platform: 'x', category: 'transient', message: `${label}: X is still processing the file after ${MAX_PROCESSING_MS / 60_000} minutes; Postdesk will try again.`, effect: 'none' });
    }
    await ctx.sleep(waitMs, signal);
    waited += waitMs;
    const { data } = await ctx.http.json(
      { method: 'GET', url: joinUrl(account.baseUrl, '/2/media/upload'), headers: bearer(account.credentials.accessToken), query: { command: 'STATUS', media_id: mediaId }, ...(signal ? { signal } : {}) },
      mediaStatus,
    );
    info = data.data.processing_info;
  }
}

/** Uploads one file and returns its media id, ready to attach. */
export async function uploadMedia(ctx: XContext, account: ConnectorAccount, media: MediaInput, purpose: MediaPurpose, label: string, signal?: AbortSignal): Promise<string> {
  if (media.path === null) throw new PlatformError({ platform: 'x', category: 'media', message: `${label}: the attachment has no local file to upload.`, effect: 'none' });
  const auth = bearer(account.credentials.accessToken);
  const withSignal = signal ? { signal } : {};
  let file;
  try {
    file = await open(media.path, 'r');
  } catch (err) {
    throw new PlatformError({ platform: 'x', category: 'media', message: `${label}: the file could not be read from this computer (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, effect: 'none', cause: err });
  }
  let mediaId: string;
  let processing: XProcessingInfo | undefined;
  try {
    const { size } = await file.stat();
    checkMediaSize(media, size, label);
    const init = await ctx.http.json(
      {
        method: 'POST',
        url: joinUrl(account.baseUrl, '/2/media/upload/initialize'),
        headers: auth,
        json: { media_type: media.mimeType.toLowerCase(), total_bytes: size, media_category: category(media, purpose) },
        ...withSignal,
      },
      mediaInitialized,
    );
    mediaId = init.data.data.id;
    const buffer = Buffer.alloc(Math.min(SEGMENT_BYTES, Math.max(size, 1)));
    for (let offset = 0, segment = 0; offset < size; offset += SEGMENT_BYTES, segment++) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(SEGMENT_BYTES, size - offset), offset);
      const form = new FormData();
      form.set('segment_index', String(segment));
      form.set('media', new Blob([buffer.subarray(0, bytesRead)], { type: 'application/octet-stream' }), 'segment');
      await ctx.http.send({
        method: 'POST',
        url: joinUrl(account.baseUrl, `/2/media/upload/${encodeURIComponent(mediaId)}/append`),
        headers: auth,
        body: form,
        timeoutMs: APPEND_TIMEOUT_MS,
        ...withSignal,
      });
    }
    const fin = await ctx.http.json(
      { method: 'POST', url: joinUrl(account.baseUrl, `/2/media/upload/${encodeURIComponent(mediaId)}/finalize`), headers: auth, ...withSignal },
      mediaFinalized,
    );
    processing = fin.data.data.processing_info;
  } finally {
    await file.close();
  }
  await waitForProcessing(ctx, account, mediaId, processing, label, signal);
  if (media.altText !== null && media.altText !== '') {
    await ctx.http.json(
      { method: 'POST', url: joinUrl(account.baseUrl, '/2/media/metadata'), headers: auth, json: { id: mediaId, metadata: { alt_text: { text: media.altText } } }, ...withSignal },
      mediaMetadata,
    );
  }
  return mediaId;
}
