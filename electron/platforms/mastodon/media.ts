// Media for a status: checked against the instance's limits, uploaded with POST /api/v2/media
// (alt text as `description`), and, when the server answers 202, polled at GET /api/v1/media/:id
// until the full-size file is processed (206 while processing, 200 with a url when done). A
// status that attaches unprocessed media is refused with 422, so we wait here instead.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ConnectorAccount, MediaInput } from '../connector';
import { PlatformError } from '../errors';
import { api, authHeaders, refuse, withEffect, type MastodonContext } from './context';
import type { InstanceLimits } from './instance';
import { mediaAttachmentSchema } from './schemas';
import { graphemeLength } from './text';

const MB = 1024 * 1024;

function describe(m: MediaInput, i: number): string {
  return m.path ? `"${basename(m.path)}"` : `attachment ${i + 1}`;
}

/** Refuse, in words, what the instance would refuse anyway (Mastodon's PostStatusService rules). */
export function checkMedia(media: readonly MediaInput[], limits: InstanceLimits): void {
  if (media.length > limits.maxMediaAttachments) {
    throw refuse('media', `This Mastodon server allows at most ${limits.maxMediaAttachments} attachments per post; this one has ${media.length}.`);
  }
  if (media.length > 1 && media.some((m) => m.kind === 'video')) {
    throw refuse('media', 'On Mastodon a video must be the only attachment of its post.');
  }
  media.forEach((m, i) => {
    const name = describe(m, i);
    if (m.kind === 'document') throw refuse('media', `Mastodon can't attach documents such as ${name}; use an image, GIF or video.`);
    if (m.path === null) throw refuse('media', `${name} has no local file to upload.`);
    if (limits.supportedMimeTypes !== null && !limits.supportedMimeTypes.includes(m.mimeType)) {
      throw refuse('media', `This Mastodon server doesn't accept ${m.mimeType} files (${name}).`);
    }
    // GIFs become short videos on the server, but the upload is held to the image limit
    // (MediaAttachment#larger_media_format? is true only for video and audio types).
    const cap = m.kind === 'video' ? limits.videoSizeLimit : limits.imageSizeLimit;
    if (cap !== null && m.sizeBytes > cap) {
      throw refuse('media', `${name} is ${(m.sizeBytes / MB).toFixed(1)} MB; this Mastodon server accepts at most ${(cap / MB).toFixed(1)} MB.`);
    }
    if (m.altText !== null && graphemeLength(m.altText) > limits.descriptionLimit) {
      throw refuse('validation', `The alt text of ${name} is longer than the ${limits.descriptionLimit} characters Mastodon allows.`);
    }
  });
}

async function readBytes(m: MediaInput, i: number): Promise<Buffer<ArrayBuffer>> {
  if (m.path === null) throw refuse('media', `${describe(m, i)} has no local file to upload.`);
  try {
    return await readFile(m.path);
  } catch (err) {
    throw new PlatformError({ platform: 'mastodon', category: 'media', message: `Postdesk could not read ${describe(m, i)} from disk.`, effect: 'none', cause: err });
  }
}

/** Upload one file and return its attachment id once the server can attach it. */
export async function uploadMedia(ctx: MastodonContext, account: ConnectorAccount, m: MediaInput, i: number, signal?: AbortSignal): Promise<string> {
  const bytes = await readBytes(m, i);
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: m.mimeType }), basename(m.path ?? `upload-${i + 1}`));
  if (m.altText !== null && m.altText !== '') form.append('description', m.altText);
  try {
    const { data, status } = await ctx.http.json(
      { method: 'POST', url: api(account, '/api/v2/media'), headers: authHeaders(account), body: form, timeoutMs: ctx.uploadTimeoutMs, ...(signal ? { signal } : {}) },
      mediaAttachmentSchema,
    );
    if (status === 202 || data.url === null) await waitUntilProcessed(ctx, account, data.id, signal);
    return data.id;
  } catch (err) {
    // An upload that failed or was cut leaves at most an unattached file, which the server
    // deletes on its own; no post exists, so the publish as a whole had no effect.
    if (err instanceof PlatformError) throw withEffect(err, 'none');
    throw err;
  }
}

async function waitUntilProcessed(ctx: MastodonContext, account: ConnectorAccount, id: string, signal?: AbortSignal): Promise<void> {
  const deadline = ctx.now() + ctx.mediaProcessingTimeoutMs;
  let delay = 250;
  for (;;) {
    await ctx.sleep(delay, signal);
    const req = { method: 'GET', url: api(account, `/api/v1/media/${encodeURIComponent(id)}`), headers: authHeaders(account), ...(signal ? { signal } : {}) } as const;
    const res = await ctx.http.send(req);
    // 206 Partial Content (empty body): still processing.
    if (res.status !== 206) {
      const media = ctx.http.parse(req, res, mediaAttachmentSchema);
      if (media.url !== null) return;
    }
    if (ctx.now() + delay > deadline) {
      throw new PlatformError({
        platform: 'mastodon',
        category: 'transient',
        message: 'Mastodon is still processing an attachment; Postdesk will try again.',
        effect: 'none',
      });
    }
    delay = Math.min(delay * 2, 5_000);
  }
}
