// Media library: list, read, edit alt text and tags, delete, and import a file from this machine.
// Uploads from a browser do not fit a JSON call; web mode takes them as `PUT /api/media`
// (electron/host/media-routes.ts), into the same import. Thumbnails are small enough for JSON:
// the renderer makes them (a browser engine decodes every format) and the core checks them.
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { MEDIA_KINDS } from '../../db/schema/media';
import { deleteMedia, getMedia, importMediaFile, listMedia, toMediaView, updateMedia } from '../core/media/library';
import { setThumbnail, THUMBNAIL_MAX_BYTES, THUMBNAIL_MIME_TYPES } from '../core/media/thumbnails';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const mediaId = id;
/** Longer than any network allows (X 1000, Mastodon 1500, Bluesky 2000); each target checks its own. */
const altText = z.string().max(5000);
const tag = z.string().trim().min(1).max(50);

const localPath = z
  .string()
  .min(1)
  .max(4096)
  // No NUL: it would cut the path short in the operating system's calls.
  .refine((p) => !p.includes('\0'), 'not a valid path')
  // A relative path would be resolved against wherever the core happens to run.
  .refine((p) => isAbsolute(p), 'give the full path of the file, not a relative one');

/** Base64 (RFC 4648, padded) of at most THUMBNAIL_MAX_BYTES bytes, refused before it is decoded. */
const thumbnailBase64 = z
  .base64('not base64 data')
  .min(4, 'the thumbnail is empty')
  .max(Math.ceil(THUMBNAIL_MAX_BYTES / 3) * 4, `a thumbnail may be at most ${THUMBNAIL_MAX_BYTES / 1024} KiB`);

export const mediaApi = area('media', {
  'media.list': method({
    description: 'The media library of a workspace, newest first, optionally one kind (image, video, gif).',
    input: z.object({
      workspaceId,
      kind: z.enum(MEDIA_KINDS).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
    }),
    handler: (ctx, i) => listMedia(ctx, i),
  }),
  'media.get': method({
    description: 'One media item: type, size, dimensions, duration, alt text, tags, and the URL to show it.',
    input: z.object({ mediaId }),
    handler: (ctx, i) => getMedia(ctx, i.mediaId),
  }),
  'media.update': method({
    description: 'Change a media item\'s alt text (null clears it) or tags.',
    input: z.object({
      mediaId,
      altText: altText.nullable().optional(),
      tags: z.array(tag).max(50).optional(),
    }),
    handler: (ctx, i) => updateMedia(ctx, i.mediaId, { altText: i.altText, tags: i.tags }),
  }),
  'media.delete': method({
    description: 'Delete a media item (refused while an unpublished post uses it). The file goes once no workspace uses it.',
    input: z.object({ mediaId }),
    handler: (ctx, i) => deleteMedia(ctx, i.mediaId),
  }),
  'media.importFile': method({
    description: 'Import an image or video from a full path on this computer; the same file imported twice is kept once.',
    input: z.object({ workspaceId, path: localPath, altText: altText.optional() }),
    handler: (ctx, i) => importMediaFile(ctx, i),
  }),
  'media.setThumbnail': method({
    description: 'Store the thumbnail the window made of a media item: a still WebP or JPEG, at most 480 px a side and 512 KiB, as base64.',
    input: z.object({ mediaId, mime: z.enum(THUMBNAIL_MIME_TYPES), dataBase64: thumbnailBase64 }),
    handler: async (ctx, i) => toMediaView(await setThumbnail(ctx, { mediaId: i.mediaId, mimeType: i.mime, bytes: Buffer.from(i.dataBase64, 'base64') })),
  }),
});
