// Thumbnails of library items. Plain Node has no image or video decoder, but every host has a
// browser engine: the renderer draws the picture (or a video frame) small, encodes WebP (JPEG
// where WebP encoding is missing) and hands the bytes over with media.setThumbnail. They come
// from a window, so they are checked like any upload: the type by magic number and matching what
// was declared, a whole file (RIFF length, JPEG end marker), no animation, at most
// THUMBNAIL_MAX_EDGE pixels a side, and, for pictures, the shape of the original.
//
// Stored content-addressed like the originals, under their own folder (`media/thumbs/..`): a
// thumbnail could be byte-identical to an imported WebP, and the originals' reference count
// (rows with that sha256) knows nothing of thumbnails. A thumbnail file goes when no live row's
// thumbnail_path points at it.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import type { Database } from '../../../db/client';
import { inWorkspace } from '../../../db/scope';
import { media } from '../../../db/schema/media';
import { ApiError } from '../../api/errors';
import type { ApiContext } from '../context';
import { bufferSource, MediaProbeError, probeMedia, sniffFormat } from './probe';
import { MEDIA_DIR, MediaStoreError, placeTemp, removeStored, resolveStored, withKeyLock, writeTemp, type TempFile } from './store';

/** The long side of a thumbnail at most: sharp in a 240 px grid cell on a 2x screen. */
export const THUMBNAIL_MAX_EDGE = 480;
/** Decoded bytes at most. The renderer aims for ~100 kB; this leaves room for a busy photo. */
export const THUMBNAIL_MAX_BYTES = 512 * 1024;
export const THUMBNAIL_MIME_TYPES = ['image/webp', 'image/jpeg'] as const;
export type ThumbnailMime = (typeof THUMBNAIL_MIME_TYPES)[number];

const THUMB_DIR = 'thumbs';
const EXT: Record<ThumbnailMime, string> = { 'image/webp': 'webp', 'image/jpeg': 'jpg' };
const FORMAT: Record<ThumbnailMime, 'webp' | 'jpeg'> = { 'image/webp': 'webp', 'image/jpeg': 'jpeg' };
const MIME_OF_EXT: Record<string, ThumbnailMime> = { webp: 'image/webp', jpg: 'image/jpeg' };

type MediaRow = typeof media.$inferSelect;

/** `media/thumbs/<first 2 hex>/<sha256>.<ext>`, relative to the data folder like the originals. */
export function thumbnailStoredPath(sha256: string, mime: ThumbnailMime): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256.slice(0, 80)}`);
  return `${MEDIA_DIR}/${THUMB_DIR}/${sha256.slice(0, 2)}/${sha256}.${EXT[mime]}`;
}

const STORED = new RegExp(`^${MEDIA_DIR}/${THUMB_DIR}/[0-9a-f]{2}/([0-9a-f]{64})\\.(webp|jpg)$`);

/** The hash and type a stored thumbnail path names, or null for anything else (rows can arrive by sync). */
export function parseThumbnailPath(path: string): { sha256: string; mimeType: ThumbnailMime } | null {
  const m = STORED.exec(path);
  const mimeType = m?.[2] ? MIME_OF_EXT[m[2]] : undefined;
  return m?.[1] && mimeType ? { sha256: m[1], mimeType } : null;
}

/**
 * `/media/<id>?thumb=<version>`: the version (the thumbnail's hash, shortened) changes with the
 * bytes, so a browser may cache the answer for good. null when the item has no thumbnail.
 */
export function thumbnailUrl(mediaId: string, thumbnailPath: string | null): string | null {
  const parsed = thumbnailPath === null ? null : parseThumbnailPath(thumbnailPath);
  return parsed ? `/media/${mediaId}?thumb=${thumbnailVersion(parsed.sha256)}` : null;
}

export function thumbnailVersion(sha256: string): string {
  return sha256.slice(0, 16);
}

// ---------------------------------------------------------------------------------------------
// Checking the bytes

export interface CheckedThumbnail {
  mimeType: ThumbnailMime;
  width: number;
  height: number;
}

/** What the original looks like, to check the thumbnail against (null fields are not checked). */
export interface ThumbnailOriginal {
  kind: MediaRow['kind'];
  width: number | null;
  height: number | null;
}

function refuse(message: string): ApiError {
  return new ApiError('invalid_input', message);
}

/** RIFF's size field counts everything after itself; a chunk of odd length is padded to even. */
function checkWebpContainer(b: Buffer): void {
  const riffSize = b.readUInt32LE(4);
  if (riffSize + 8 !== b.length && riffSize + 9 !== b.length) {
    throw refuse(`The thumbnail is not a complete WebP file (its header says ${riffSize + 8} bytes, ${b.length} arrived).`);
  }
  // VP8X flags: bit 1 is animation. A thumbnail is one still picture.
  if (b.toString('latin1', 12, 16) === 'VP8X' && b.length > 20 && (b[20]! & 0x02) !== 0) {
    throw refuse('The thumbnail is an animated WebP; a thumbnail is one still picture.');
  }
}

function checkJpegContainer(b: Buffer): void {
  if (b[b.length - 2] !== 0xff || b[b.length - 1] !== 0xd9) {
    throw refuse('The thumbnail is not a complete JPEG file (it does not end with the end-of-image marker).');
  }
}

/**
 * Refuses anything that is not a whole, still WebP/JPEG of the declared type, at most
 * THUMBNAIL_MAX_EDGE a side, shaped like the original picture (within rounding). Videos are not
 * shape-checked: a container's display size and a decoder's frame size can differ honestly
 * (non-square pixels).
 */
export async function checkThumbnail(bytes: Buffer, declared: ThumbnailMime, original: ThumbnailOriginal | null): Promise<CheckedThumbnail> {
  if (bytes.length === 0) throw refuse('The thumbnail is empty.');
  if (bytes.length > THUMBNAIL_MAX_BYTES) {
    throw refuse(`The thumbnail is ${Math.ceil(bytes.length / 1024)} KiB; thumbnails may be at most ${THUMBNAIL_MAX_BYTES / 1024} KiB.`);
  }
  const sniff = sniffFormat(bytes);
  const want = FORMAT[declared];
  if (!sniff.ok || sniff.format !== want) {
    const what = sniff.ok ? (sniff.format === 'isobmff' ? 'an MP4/MOV file' : `a ${sniff.format.toUpperCase()} file`) : 'not an image';
    throw refuse(`The thumbnail was sent as ${declared} but its bytes are ${what}.`);
  }
  if (want === 'webp') checkWebpContainer(bytes);
  else checkJpegContainer(bytes);
  let width: number;
  let height: number;
  try {
    ({ width, height } = await probeMedia(bufferSource(bytes)));
  } catch (err) {
    if (err instanceof MediaProbeError) throw refuse(`The thumbnail could not be read: ${err.message}`);
    throw err;
  }
  if (width > THUMBNAIL_MAX_EDGE || height > THUMBNAIL_MAX_EDGE) {
    throw refuse(`The thumbnail is ${width}×${height}; thumbnails may be at most ${THUMBNAIL_MAX_EDGE} pixels on each side.`);
  }
  if (original && original.kind !== 'video' && original.width && original.height && !sameShape(original.width, original.height, width, height)) {
    throw refuse(`The thumbnail is ${width}×${height}, which is not the shape of the ${original.width}×${original.height} original (is it turned, or of another file?).`);
  }
  return { mimeType: declared, width, height };
}

/**
 * Whether a w×h picture is the original scaled down: its short side is what the long side implies,
 * give or take rounding (2 px, or 3% for encoders that round to even sizes).
 */
export function sameShape(origW: number, origH: number, w: number, h: number): boolean {
  const [oLong, oShort, long, short] = origW >= origH ? [origW, origH, w, h] : [origH, origW, h, w];
  // A square original may come out a pixel off either way; otherwise the long side must match.
  if (origW !== origH && (origW >= origH) !== (w >= h) && Math.abs(w - h) > 2) return false;
  const expected = (oShort * long) / oLong;
  return Math.abs(short - expected) <= Math.max(2, expected * 0.03);
}

// ---------------------------------------------------------------------------------------------
// Storing

export interface SetThumbnailInput {
  mediaId: string;
  mimeType: ThumbnailMime;
  bytes: Buffer;
}

function notFound(): ApiError {
  return new ApiError('not_found', 'That media item does not exist (it may have been deleted).');
}

function liveById(db: Database, mediaId: string): MediaRow | undefined {
  return db.orm.select().from(media).where(and(eq(media.id, mediaId), isNull(media.deletedAt))).get();
}

function liveThumbnailRefs(db: Database, path: string): number {
  return db.orm.select({ n: sql<number>`count(*)` }).from(media).where(and(eq(media.thumbnailPath, path), isNull(media.deletedAt))).get()?.n ?? 0;
}

function storeError(err: unknown): unknown {
  if (err instanceof MediaStoreError) {
    if (err.code === 'disk_full') return new ApiError('disk_full', 'The disk is full, so the thumbnail was not saved. Free some space; the library shows the full picture meanwhile.');
    if (err.code === 'io') return new ApiError('unavailable', err.message);
  }
  return err;
}

/**
 * Checks and stores a thumbnail for a live item, replacing any earlier one (whose file goes if no
 * other row uses it). Returns the updated row.
 */
export async function setThumbnail(ctx: Pick<ApiContext, 'db' | 'dataDir'>, input: SetThumbnailInput): Promise<MediaRow> {
  const { db, dataDir } = ctx;
  const row = liveById(db, input.mediaId);
  if (!row) throw notFound();
  const checked = await checkThumbnail(input.bytes, input.mimeType, { kind: row.kind, width: row.width, height: row.height });

  let temp: TempFile;
  try {
    temp = await writeTemp(dataDir, Readable.from([input.bytes]), { maxBytes: THUMBNAIL_MAX_BYTES });
  } catch (err) {
    throw storeError(err);
  }
  const stored = thumbnailStoredPath(temp.sha256, checked.mimeType);
  const result = await withKeyLock(`thumb:${stored}`, async () => {
    try {
      const placed = await placeTemp(dataDir, temp, stored);
      // Read again under the lock: the item may have been deleted, or given this very thumbnail.
      const current = liveById(db, input.mediaId);
      if (current?.thumbnailPath === stored) return { row: current, previous: null };
      const updated = current
        ? inWorkspace(db.orm, current.workspaceId).update(media, { thumbnailPath: stored }, eq(media.id, input.mediaId), isNull(media.deletedAt)).returning().get()
        : undefined;
      if (!updated) {
        if (placed === 'moved' && liveThumbnailRefs(db, stored) === 0) await removeStored(dataDir, stored).catch(() => undefined);
        throw notFound();
      }
      return { row: updated, previous: current?.thumbnailPath ?? null };
    } catch (err) {
      throw storeError(err);
    }
  });
  // Outside the new file's lock: two locks are never held at once, so no two calls can wait on each other.
  if (result.previous !== null) await removeThumbnailIfUnused(ctx, result.previous).catch(() => undefined);
  return result.row;
}

/**
 * Deletes a stored thumbnail that no live row points at any more (after a delete or a
 * replacement). Returns whether a file was removed.
 */
export async function removeThumbnailIfUnused(ctx: Pick<ApiContext, 'db' | 'dataDir'>, path: string): Promise<boolean> {
  if (!parseThumbnailPath(path)) return false;
  return withKeyLock(`thumb:${path}`, async () => (liveThumbnailRefs(ctx.db, path) === 0 ? removeStored(ctx.dataDir, path) : false));
}

// ---------------------------------------------------------------------------------------------
// Serving

export interface ServableThumbnail {
  path: string;
  size: number;
  mimeType: ThumbnailMime;
  sha256: string;
  mtimeMs: number;
}

/** The thumbnail file of a live item, or null when it has none (or its file is not on this machine). */
export async function thumbnailForServing(ctx: Pick<ApiContext, 'db' | 'dataDir'>, row: Pick<MediaRow, 'thumbnailPath'>): Promise<ServableThumbnail | null> {
  const parsed = row.thumbnailPath ? parseThumbnailPath(row.thumbnailPath) : null;
  if (!row.thumbnailPath || !parsed) return null;
  const abs = resolveStored(ctx.dataDir, row.thumbnailPath);
  if (!abs) return null;
  const s = await stat(abs).catch(() => null);
  if (!s?.isFile()) return null;
  return { path: abs, size: s.size, mimeType: parsed.mimeType, sha256: parsed.sha256, mtimeMs: s.mtimeMs };
}

/**
 * Cache-Control for a media answer. The original and a thumbnail asked for by its current
 * version never change under their URL; anything else asked as `?thumb=` (no thumbnail yet, so
 * the original stands in, or an older version) must be asked again next time.
 */
export function mediaCacheControl(file: { variant: 'original' | 'thumbnail'; sha256: string | null }, thumbParam: string | null): string {
  if (thumbParam === null) return 'private, max-age=31536000, immutable';
  if (file.variant === 'thumbnail' && file.sha256 !== null && thumbParam === thumbnailVersion(file.sha256)) return 'private, max-age=31536000, immutable';
  return 'private, no-cache';
}
