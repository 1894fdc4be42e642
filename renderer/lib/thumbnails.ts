// Thumbnails of library items, made here because the engine has no image decoder and every window
// has one: a picture is decoded small with createImageBitmap (EXIF orientation applied), a video
// is seeked to an early frame, and the result is encoded WebP (JPEG where the engine cannot
// encode WebP), at most THUMB_MAX_EDGE a side and aiming under ~100 kB, then handed to the engine
// with media.setThumbnail, which checks it again. Made once when a file is imported, and lazily
// for items that have none when the library shows them. A thumbnail that cannot be made is not an
// error anyone needs to see: the full picture is shown instead.
import { useEffect } from 'react';
import type { ApiOutput } from '../../electron/api';
import { call } from '../api/client';

/** The engine refuses more (electron/core/media/thumbnails.ts THUMBNAIL_MAX_EDGE). */
export const THUMB_MAX_EDGE = 480;
/** What we aim for: a grid of 60 loads in a blink. */
export const THUMB_TARGET_BYTES = 100 * 1024;
/** What we may send at worst (the engine takes up to 512 KiB). */
export const THUMB_MAX_BYTES = 500 * 1024;
const QUALITIES = [0.82, 0.7, 0.55] as const;
const VIDEO_TIMEOUT_MS = 15_000;

export type ThumbMime = 'image/webp' | 'image/jpeg';

export interface ThumbnailSubject {
  id: string;
  kind: string;
  /** Where the original is served (`/media/<id>`), or null when it is not on this computer. */
  url: string | null;
  /** As displayed (EXIF orientation applied), when known. */
  width: number | null;
  height: number | null;
  thumbnailUrl?: string | null | undefined;
}

export interface EncodedThumbnail {
  mime: ThumbMime;
  blob: Blob;
  width: number;
  height: number;
}

/** The thumbnail size of a w×h picture: the long side at most `max`, never enlarged, at least 1 px. */
export function thumbnailSize(width: number, height: number, max = THUMB_MAX_EDGE): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Whether this item should get a thumbnail (pictures, GIFs and videos with a file here, none yet). */
export function needsThumbnail(m: ThumbnailSubject): boolean {
  return !m.thumbnailUrl && m.url !== null && (m.kind === 'image' || m.kind === 'gif' || m.kind === 'video');
}

/** What to put in an <img>: the thumbnail when there is one, else the original. */
export function thumbnailSrc(m: { url: string | null; thumbnailUrl?: string | null | undefined }): string | null {
  return m.thumbnailUrl ?? m.url;
}

/**
 * `/media/<id>?thumb=1`: the thumbnail, or the picture itself while it has none (a video without
 * one answers 404). For places that know only the item's URL (a post's attachments).
 */
export function thumbnailUrlOf(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}thumb=1`;
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Draws a picture at a size and encodes it; a canvas's own encoder in the window, a fake in tests. */
export type Encoder = (width: number, height: number, mime: ThumbMime, quality: number) => Promise<Blob | null>;

/**
 * Encodes at falling quality until under THUMB_TARGET_BYTES, shrinking by a quarter when even the
 * lowest quality is over THUMB_MAX_BYTES. WebP first; an engine that answers a WebP request with
 * another type (it falls back to PNG) gets JPEG instead. The shape never changes, only the scale.
 */
export async function encodeThumbnail(width: number, height: number, encode: Encoder, mime: ThumbMime = 'image/webp'): Promise<EncodedThumbnail | null> {
  let w = width;
  let h = height;
  for (let shrink = 0; shrink < 6; shrink++) {
    let smallest: Blob | null = null;
    for (const q of QUALITIES) {
      const blob = await encode(w, h, mime, q);
      if (!blob) return null;
      if (blob.type !== mime) return mime === 'image/webp' ? encodeThumbnail(width, height, encode, 'image/jpeg') : null;
      if (blob.size <= THUMB_TARGET_BYTES) return { mime, blob, width: w, height: h };
      if (!smallest || blob.size < smallest.size) smallest = blob;
    }
    if (smallest && smallest.size <= THUMB_MAX_BYTES) return { mime, blob: smallest, width: w, height: h };
    ({ width: w, height: h } = thumbnailSize(width, height, Math.max(16, Math.round(Math.max(w, h) * 0.75))));
  }
  return null;
}

function canvasEncoder(source: CanvasImageSource): Encoder {
  return async (width, height, mime, quality) => {
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d');
    if (!g) return null;
    // JPEG has no transparency: a see-through PNG would turn black without a backdrop.
    if (mime === 'image/jpeg') {
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, width, height);
    }
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = 'high';
    g.drawImage(source, 0, 0, width, height);
    return canvas.convertToBlob({ type: mime, quality });
  };
}

// ---------------------------------------------------------------------------------------------
// Decoding

async function pictureThumbnail(source: Blob, width: number | null, height: number | null): Promise<EncodedThumbnail | null> {
  let bitmap: ImageBitmap;
  if (width && height) {
    // Decoded straight to the small size: a 24-megapixel photo never sits in memory whole.
    const size = thumbnailSize(width, height);
    bitmap = await createImageBitmap(source, { imageOrientation: 'from-image', resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' });
  } else {
    const full = await createImageBitmap(source, { imageOrientation: 'from-image' });
    const size = thumbnailSize(full.width, full.height);
    bitmap = await createImageBitmap(full, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' });
    full.close();
  }
  try {
    return await encodeThumbnail(bitmap.width, bitmap.height, canvasEncoder(bitmap));
  } finally {
    bitmap.close();
  }
}

function waitFor(el: HTMLMediaElement, event: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      el.removeEventListener(event, ok);
      el.removeEventListener('error', failed);
      if (err) reject(err);
      else resolve();
    };
    const ok = () => done();
    const failed = () => done(new Error(`the video could not be read (${el.error?.message || `code ${el.error?.code ?? '?'}`})`));
    const timer = setTimeout(() => done(new Error(`the video gave no ${event} within ${ms / 1000} s`)), ms);
    el.addEventListener(event, ok, { once: true });
    el.addEventListener('error', failed, { once: true });
  });
}

/** A frame ~1 s in (10% of a shorter video), where a first frame is often black or a fade-in. */
export function frameTime(durationSeconds: number): number {
  return Number.isFinite(durationSeconds) && durationSeconds > 0 ? Math.min(1, durationSeconds * 0.1) : 0;
}

async function videoThumbnail(url: string): Promise<EncodedThumbnail | null> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  try {
    const meta = waitFor(video, 'loadedmetadata', VIDEO_TIMEOUT_MS);
    video.src = url;
    await meta;
    const t = frameTime(video.duration);
    if (t > 0) {
      const seeked = waitFor(video, 'seeked', VIDEO_TIMEOUT_MS);
      video.currentTime = t;
      await seeked;
    }
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) await waitFor(video, 'loadeddata', VIDEO_TIMEOUT_MS);
    if (!video.videoWidth || !video.videoHeight) return null;
    const size = thumbnailSize(video.videoWidth, video.videoHeight);
    const bitmap = await createImageBitmap(video, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' });
    try {
      return await encodeThumbnail(bitmap.width, bitmap.height, canvasEncoder(bitmap));
    } finally {
      bitmap.close();
    }
  } finally {
    // Lets go of the connection and the decoder at once rather than at garbage collection.
    video.removeAttribute('src');
    video.load();
  }
}

/**
 * A thumbnail of the item: from `file` when the window has the bytes (just picked), else from the
 * served original. Videos are always read from their URL (a blob: URL would need the CSP to allow
 * it, and a same-origin URL seeks by range without loading the whole file).
 */
export async function makeThumbnail(m: ThumbnailSubject, file?: Blob): Promise<EncodedThumbnail | null> {
  if (m.kind === 'video') return m.url ? videoThumbnail(m.url) : null;
  if (m.kind !== 'image' && m.kind !== 'gif') return null;
  let source = file;
  if (!source) {
    if (!m.url) return null;
    const res = await fetch(m.url);
    if (!res.ok) throw new Error(`the picture could not be loaded (HTTP ${res.status})`);
    source = await res.blob();
  }
  return pictureThumbnail(source, m.width, m.height);
}

/** Standard padded base64 of a blob, in chunks (spreading a whole file into one call overflows the stack). */
export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

// ---------------------------------------------------------------------------------------------
// Making and saving, one at a time

type MediaView = ApiOutput<'media.setThumbnail'>;

/** Items whose thumbnail failed in this window: not tried again until it reloads. */
const failed = new Set<string>();
const inFlight = new Map<string, Promise<string | null>>();
let queue: Promise<unknown> = Promise.resolve();

/** Runs thumbnail work one item at a time, so a library full of photos does not stall the window. */
function serially<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Makes and saves a thumbnail for the item if it has none, and answers its thumbnail URL (null
 * when none could be made). Never throws: failures are logged and the original is shown instead.
 */
export function ensureThumbnail(m: ThumbnailSubject, file?: Blob): Promise<string | null> {
  if (m.thumbnailUrl) return Promise.resolve(m.thumbnailUrl);
  if (!needsThumbnail(m) || failed.has(m.id)) return Promise.resolve(null);
  const pending = inFlight.get(m.id);
  if (pending) return pending;
  const work = serially(async () => {
    try {
      const made = await makeThumbnail(m, file);
      if (!made) {
        failed.add(m.id);
        return null;
      }
      const saved: MediaView = await call('media.setThumbnail', { mediaId: m.id, mime: made.mime, dataBase64: await blobToBase64(made.blob) });
      return saved.thumbnailUrl;
    } catch (err) {
      failed.add(m.id);
      console.warn(`[thumbnails] no thumbnail for media ${m.id}:`, err instanceof Error ? err.message : err);
      return null;
    } finally {
      inFlight.delete(m.id);
    }
  });
  inFlight.set(m.id, work);
  return work;
}

/**
 * While `items` are shown, makes the missing thumbnails one by one and reports each as it is saved,
 * so a grid can swap the full picture for it. `onMade` should be stable (useCallback).
 */
export function useLazyThumbnails<T extends ThumbnailSubject>(items: readonly T[], onMade: (id: string, thumbnailUrl: string) => void): void {
  useEffect(() => {
    let live = true;
    const missing = items.filter(needsThumbnail);
    void (async () => {
      for (const m of missing) {
        if (!live) return;
        const url = await ensureThumbnail(m);
        if (live && url) onMade(m.id, url);
      }
    })();
    return () => {
      live = false;
    };
  }, [items, onMade]);
}
