// The media library: importing files (from a path on this machine or an upload stream), listing,
// editing alt text and tags, deleting. One row per workspace per content; one file per content
// across all workspaces. A file is only ever referenced by a row once it is completely on disk
// under its final name, and it is only removed when no live row anywhere points at its bytes.
//
// Thumbnails: plain Node has no image decoder and a native one is not worth its packaging cost,
// so the renderer makes them and the core checks and keeps them (./thumbnails.ts). Until an item
// has one, `/media/<id>?thumb=` serves the original picture instead.
import { and, desc, eq, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import type { Readable } from 'node:stream';
import type { Database } from '../../../db/client';
import { inWorkspace } from '../../../db/scope';
import { media, type MEDIA_KINDS, type MEDIA_SOURCES } from '../../../db/schema/media';
import { postMedia, posts } from '../../../db/schema/posts';
import { workspaces } from '../../../db/schema/workspaces';
import { ApiError, type ApiErrorCode } from '../../api/errors';
import type { ApiContext } from '../context';
import { MediaProbeError, probeFile, sniffFormat, type MediaProbe } from './probe';
import {
  formatBytes,
  MAX_MEDIA_BYTES,
  MediaStoreError,
  placeTemp,
  removeStored,
  resolveStored,
  storedPathFor,
  withKeyLock,
  writeTemp,
  type TempFile,
} from './store';
import { removeThumbnailIfUnused, thumbnailForServing, thumbnailUrl } from './thumbnails';

/** What the library needs of the core: the database and the data folder. */
export type MediaContext = Pick<ApiContext, 'db' | 'dataDir'>;

type MediaRow = typeof media.$inferSelect;

/** A library item as the renderer sees it: no file paths, a URL to load it from instead. */
export interface MediaView {
  id: string;
  workspaceId: string;
  filename: string;
  kind: (typeof MEDIA_KINDS)[number];
  mimeType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  altText: string | null;
  tags: string[];
  source: (typeof MEDIA_SOURCES)[number];
  /** Where it came from (a stock photo's page), when it did not come from this computer. */
  sourceUrl: string | null;
  photographerName: string | null;
  photographerUrl: string | null;
  /**
   * `/media/<id>`: the web host serves it (electron/host/media-routes.ts), and the desktop app's
   * app:// protocol is to serve the same path. null for an item with no file on this machine.
   */
  url: string | null;
  /**
   * `/media/<id>?thumb=<version>`: a still picture at most 480 px a side (WebP or JPEG). null until
   * the renderer has made one (./thumbnails.ts); show `url` meanwhile.
   */
  thumbnailUrl: string | null;
  createdAt: number;
  updatedAt: number;
}

export type MediaImport = MediaView & {
  /** The workspace already had these bytes: this is that item, and nothing new was stored. */
  duplicate: boolean;
};

/** Why an import or a change was refused, for the few callers that answer differently (HTTP 413). */
export type MediaErrorReason =
  | 'not_found'
  | 'unsupported'
  | 'corrupt'
  | 'too_large'
  | 'empty'
  | 'unreadable'
  | 'not_a_file'
  | 'in_use'
  | 'disk_full'
  | 'io'
  | 'aborted';

/** An ApiError (so every transport answers it as usual) that also says why, in code. */
export class MediaError extends ApiError {
  constructor(
    code: ApiErrorCode,
    readonly reason: MediaErrorReason,
    message: string,
  ) {
    super(code, message);
    this.name = 'MediaError';
  }
}

export function mediaUrl(id: string): string {
  return `/media/${id}`;
}

export function toMediaView(m: MediaRow): MediaView {
  return {
    id: m.id,
    workspaceId: m.workspaceId,
    filename: m.filename,
    kind: m.kind,
    mimeType: m.mimeType,
    sizeBytes: m.sizeBytes,
    sha256: m.sha256,
    width: m.width,
    height: m.height,
    durationMs: m.durationMs,
    altText: m.altText,
    tags: m.tags,
    source: m.source,
    sourceUrl: m.url,
    photographerName: m.photographerName,
    photographerUrl: m.photographerUrl,
    url: m.path === null ? null : mediaUrl(m.id),
    thumbnailUrl: thumbnailUrl(m.id, m.thumbnailPath),
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

// ---------------------------------------------------------------------------------------------
// Import

export interface ImportFileInput {
  workspaceId: string;
  /** Absolute path on this machine (desktop app, CLI, web mode on the same machine). */
  path: string;
  altText?: string | null | undefined;
}

export interface ImportStreamInput {
  workspaceId: string;
  /** The name the user knows it by; only shown, never used as a path. */
  filename: string;
  /** What the sender claims; the bytes decide, this only makes a refusal clearer. */
  mimeType?: string | undefined;
  stream: Readable;
  altText?: string | null | undefined;
  signal?: AbortSignal | undefined;
}

export async function importMediaFile(ctx: MediaContext, input: ImportFileInput): Promise<MediaImport> {
  if (!isAbsolute(input.path)) {
    throw new MediaError('invalid_input', 'not_a_file', 'Give the full path of the file (for example /Users/you/Pictures/photo.jpg), not a relative one.');
  }
  requireWorkspace(ctx.db, input.workspaceId);
  const s = await stat(input.path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw new MediaError('not_found', 'not_found', 'There is no file at that path. It may have been moved or renamed.');
    throw new MediaError('invalid_input', 'unreadable', `That file cannot be opened (${err.code ?? 'error'}). Check that Postdesk may read it.`);
  });
  if (s.isDirectory()) throw new MediaError('invalid_input', 'not_a_file', 'That is a folder. Pick the image or video files inside it instead.');
  // Devices, pipes and sockets could stream forever or block: only regular files are imported.
  if (!s.isFile()) throw new MediaError('invalid_input', 'not_a_file', 'That is not a regular file. Pick an image or video file.');
  if (s.size > MAX_MEDIA_BYTES) throw tooLarge(s.size);
  return importStream(ctx, {
    workspaceId: input.workspaceId,
    filename: basename(input.path),
    stream: createReadStream(input.path, { highWaterMark: 1024 * 1024 }),
    altText: input.altText,
  });
}

export async function importMediaStream(ctx: MediaContext, input: ImportStreamInput): Promise<MediaImport> {
  try {
    requireWorkspace(ctx.db, input.workspaceId);
  } catch (err) {
    // Nobody will read the rest of the stream; release it.
    input.stream.destroy();
    throw err;
  }
  return importStream(ctx, input);
}

async function importStream(ctx: MediaContext, input: ImportStreamInput): Promise<MediaImport> {
  const claimed = input.mimeType?.split(';')[0]?.trim().toLowerCase();
  let temp: TempFile;
  try {
    temp = await writeTemp(ctx.dataDir, input.stream, {
      maxBytes: MAX_MEDIA_BYTES,
      checkHead: (head) => {
        const s = sniffFormat(head);
        if (!s.ok) throw new MediaProbeError('unsupported', claimed && /^[\w.+-]+\/[\w.+-]+$/.test(claimed) ? `${s.message} (It was sent as ${claimed}.)` : s.message);
      },
      ...(input.signal ? { signal: input.signal } : {}),
    });
  } catch (err) {
    throw toMediaError(err);
  }
  try {
    const probe = await probeFile(temp.path);
    return await withKeyLock(temp.sha256, () => commit(ctx, input, temp, probe));
  } catch (err) {
    throw toMediaError(err);
  } finally {
    // Once placed the temp name is gone and this does nothing; on any failure it cleans up.
    await rm(temp.path, { force: true }).catch(() => undefined);
  }
}

function liveRow(db: Database, workspaceId: string, sha256: string): MediaRow | undefined {
  return db.orm.select().from(media).where(inWorkspace(db.orm, workspaceId).owns(media, eq(media.sha256, sha256), isNull(media.deletedAt))).get();
}

function liveRefs(db: Database, sha256: string): number {
  return db.orm.select({ n: sql<number>`count(*)` }).from(media).where(and(eq(media.sha256, sha256), isNull(media.deletedAt))).get()?.n ?? 0;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | undefined)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Runs under the content hash's lock: decides duplicate or new, places the file, writes the row. */
async function commit(ctx: MediaContext, input: ImportStreamInput, temp: TempFile, probe: MediaProbe): Promise<MediaImport> {
  const { db, dataDir } = ctx;
  const altText = normaliseAlt(input.altText);
  const existing = liveRow(db, input.workspaceId, temp.sha256);
  if (existing) {
    // Our copy repairs the stored file if it went missing; otherwise it is simply dropped.
    await placeTemp(dataDir, temp, existing.path ?? storedPathFor(temp.sha256, probe.ext));
    // Alt text given with a re-import fills a gap; it never overwrites what the user wrote.
    const row = altText !== null && existing.altText === null
      ? inWorkspace(db.orm, input.workspaceId).update(media, { altText }, eq(media.id, existing.id)).returning().get() ?? existing
      : existing;
    return { ...toMediaView(row), duplicate: true };
  }

  const stored = storedPathFor(temp.sha256, probe.ext);
  const placed = await placeTemp(dataDir, temp, stored);
  try {
    const row = inWorkspace(db.orm, input.workspaceId)
      .insert(media, {
        workspaceId: input.workspaceId,
        filename: cleanFilename(input.filename, probe.ext),
        path: stored,
        kind: probe.kind,
        mimeType: probe.mimeType,
        sizeBytes: temp.size,
        sha256: temp.sha256,
        width: probe.width,
        height: probe.height,
        durationMs: probe.durationMs,
        altText,
        source: 'upload',
        tags: [],
      })
      .returning()
      .get();
    if (!row) throw new Error('the media row was not written');
    return { ...toMediaView(row), duplicate: false };
  } catch (err) {
    // Another process sharing the database file got there first: same bytes, so same answer.
    const winner = isUniqueViolation(err) ? liveRow(db, input.workspaceId, temp.sha256) : undefined;
    if (winner) return { ...toMediaView(winner), duplicate: true };
    // The row failed (the workspace was deleted meanwhile, the disk filled): a file nothing
    // points at must not stay behind.
    if (placed === 'moved' && liveRefs(db, temp.sha256) === 0) await removeStored(dataDir, stored).catch(() => undefined);
    throw err;
  }
}

function tooLarge(size: number): MediaError {
  return new MediaError('invalid_input', 'too_large', `The file is ${formatBytes(size)}; the media library takes files up to ${formatBytes(MAX_MEDIA_BYTES)}. Use a shorter or smaller export.`);
}

function toMediaError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof MediaProbeError) return new MediaError('invalid_input', err.code, err.message);
  if (err instanceof MediaStoreError) {
    switch (err.code) {
      case 'too_large':
        return new MediaError('invalid_input', 'too_large', err.message);
      case 'empty':
        return new MediaError('invalid_input', 'empty', err.message);
      case 'source':
        return new MediaError('invalid_input', 'unreadable', err.message);
      case 'disk_full':
        return new MediaError('disk_full', 'disk_full', err.message);
      case 'io':
        return new MediaError('unavailable', 'io', err.message);
    }
  }
  if ((err as { name?: unknown } | undefined)?.name === 'AbortError') {
    return new MediaError('unavailable', 'aborted', 'The import was cancelled before the file was complete; nothing was saved.');
  }
  // Database errors keep their type: the dispatcher words them (disk full, busy...).
  return err;
}

/** A display name: no folders, no control characters, bounded, never empty. */
export function cleanFilename(name: string, ext: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean === '' || clean === '.' || clean === '..' ? `media.${ext}` : clean;
}

function normaliseAlt(alt: string | null | undefined): string | null {
  const t = alt?.trim();
  return t ? t : null;
}

function requireWorkspace(db: Database, workspaceId: string): void {
  const ws = db.orm.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)).get();
  if (!ws) throw new MediaError('not_found', 'not_found', 'That workspace does not exist (it may have been deleted).');
}

// ---------------------------------------------------------------------------------------------
// Reading and editing

export interface MediaFilter {
  workspaceId: string;
  kind?: (typeof MEDIA_KINDS)[number] | undefined;
  limit: number;
  offset: number;
}

/** Newest first, deleted items left out. */
export function listMedia(ctx: Pick<MediaContext, 'db'>, f: MediaFilter): { items: MediaView[]; total: number } {
  const scope = inWorkspace(ctx.db.orm, f.workspaceId);
  const conds: (SQL | undefined)[] = [isNull(media.deletedAt), f.kind ? eq(media.kind, f.kind) : undefined];
  const total = scope.count(media, ...conds);
  const rows = ctx.db.orm
    .select()
    .from(media)
    .where(scope.owns(media, ...conds))
    .orderBy(desc(media.createdAt), desc(media.id))
    .limit(f.limit)
    .offset(f.offset)
    .all();
  return { items: rows.map(toMediaView), total };
}

function liveById(db: Database, mediaId: string): MediaRow {
  const row = db.orm.select().from(media).where(and(eq(media.id, mediaId), isNull(media.deletedAt))).get();
  if (!row) throw new MediaError('not_found', 'not_found', 'That media item does not exist (it may have been deleted).');
  return row;
}

export function getMedia(ctx: Pick<MediaContext, 'db'>, mediaId: string): MediaView {
  return toMediaView(liveById(ctx.db, mediaId));
}

export interface MediaPatch {
  /** null or blank clears it. */
  altText?: string | null | undefined;
  tags?: string[] | undefined;
}

export function updateMedia(ctx: Pick<MediaContext, 'db'>, mediaId: string, patch: MediaPatch): MediaView {
  const row = liveById(ctx.db, mediaId);
  const set: Partial<typeof media.$inferInsert> = {};
  if (patch.altText !== undefined) set.altText = normaliseAlt(patch.altText);
  if (patch.tags !== undefined) set.tags = normaliseTags(patch.tags);
  if (Object.keys(set).length === 0) return toMediaView(row);
  const updated = inWorkspace(ctx.db.orm, row.workspaceId).update(media, set, eq(media.id, mediaId), isNull(media.deletedAt)).returning().get();
  if (!updated) throw new MediaError('not_found', 'not_found', 'That media item does not exist (it may have been deleted).');
  return toMediaView(updated);
}

/** Trimmed, without a leading '#', each once (case-insensitively, first spelling kept). */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tags) {
    const clean = t.trim().replace(/^#+/, '').trim();
    const key = clean.toLocaleLowerCase();
    if (clean === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(clean);
  }
  return out;
}

/** A post still on its way out needs its files; published and cancelled posts are history. */
const FINISHED_POST_STATUSES = ['published', 'cancelled'] as const;

export interface MediaDeletion {
  deleted: true;
  /** The bytes were removed from disk (no other workspace uses them). */
  fileRemoved: boolean;
}

/**
 * Soft-deletes an item (the tombstone syncs). Refused while a post that is not yet published
 * uses it: that post would otherwise fail at publish time, long after the user could fix it.
 */
export async function deleteMedia(ctx: MediaContext, mediaId: string): Promise<MediaDeletion> {
  const row = liveById(ctx.db, mediaId);
  const work = async (): Promise<MediaDeletion> => {
    const inUse = ctx.db.orm
      .select({ n: sql<number>`count(DISTINCT ${posts.id})` })
      .from(postMedia)
      .innerJoin(posts, eq(posts.id, postMedia.postId))
      .where(
        and(
          eq(postMedia.mediaId, mediaId),
          isNull(postMedia.deletedAt),
          isNull(posts.deletedAt),
          notInArray(posts.status, [...FINISHED_POST_STATUSES]),
        ),
      )
      .get()?.n ?? 0;
    if (inUse > 0) {
      throw new MediaError(
        'conflict',
        'in_use',
        `${inUse === 1 ? 'A post that is' : `${inUse} posts that are`} not published yet ${inUse === 1 ? 'uses' : 'use'} this file. Remove it from ${inUse === 1 ? 'that post' : 'those posts'} (or delete ${inUse === 1 ? 'it' : 'them'}) first.`,
      );
    }
    // The thumbnail as of the delete itself: one set meanwhile is returned here, and one set
    // after it finds the row gone and cleans up after itself.
    const gone = inWorkspace(ctx.db.orm, row.workspaceId)
      .update(media, { deletedAt: Date.now() }, eq(media.id, mediaId), isNull(media.deletedAt))
      .returning({ thumbnailPath: media.thumbnailPath })
      .get();
    if (!gone) throw new MediaError('not_found', 'not_found', 'That media item does not exist (it may have been deleted).');
    let fileRemoved = false;
    if (row.sha256 !== null && row.path !== null && liveRefs(ctx.db, row.sha256) === 0) {
      fileRemoved = await removeStored(ctx.dataDir, row.path);
    }
    if (gone.thumbnailPath !== null) {
      // The item is gone either way; a thumbnail that cannot be removed now is only a small file.
      await removeThumbnailIfUnused(ctx, gone.thumbnailPath).catch((err: unknown) => console.error('[media] could not remove a thumbnail:', err));
    }
    return { deleted: true, fileRemoved };
  };
  // Without a hash there is no shared file to race for.
  return row.sha256 === null ? work() : withKeyLock(row.sha256, work);
}

// ---------------------------------------------------------------------------------------------
// Serving

export interface ServableMedia {
  /** Absolute, checked to be inside the media folder. */
  path: string;
  size: number;
  mimeType: string;
  sha256: string | null;
  filename: string;
  mtimeMs: number;
  /** The library file itself, or its thumbnail. */
  variant: 'original' | 'thumbnail';
}

export interface ServeOptions {
  /**
   * The thumbnail, or when there is none yet the original if it is a picture (an <img> can show
   * it); a video without a thumbnail has nothing an <img> could show, so that is null.
   */
  thumbnail?: boolean | undefined;
}

/** The file behind `/media/<id>` (`?thumb=`), or null when there is none to serve (unknown, deleted, missing). */
export async function mediaForServing(ctx: MediaContext, mediaId: string, opts: ServeOptions = {}): Promise<ServableMedia | null> {
  const row = ctx.db.orm.select().from(media).where(and(eq(media.id, mediaId), isNull(media.deletedAt))).get();
  if (!row) return null;
  if (opts.thumbnail) {
    const thumb = await thumbnailForServing(ctx, row);
    if (thumb) {
      const stem = row.filename.replace(/\.[^.]*$/, '') || 'media';
      return { ...thumb, filename: `${stem}-thumbnail.${thumb.mimeType === 'image/webp' ? 'webp' : 'jpg'}`, variant: 'thumbnail' };
    }
    if (!row.mimeType?.startsWith('image/')) return null;
  }
  if (!row.path || !row.mimeType) return null;
  const abs = resolveStored(ctx.dataDir, row.path);
  if (!abs) return null;
  const s = await stat(abs).catch(() => null);
  if (!s?.isFile()) return null;
  return { path: abs, size: s.size, mimeType: row.mimeType, sha256: row.sha256, filename: row.filename, mtimeMs: s.mtimeMs, variant: 'original' };
}

