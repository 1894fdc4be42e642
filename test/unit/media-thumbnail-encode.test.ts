// The window's side of thumbnails, the parts that need no browser: the size (never enlarged, the
// long side at most 480), the encoding loop (falling quality, JPEG where WebP encoding is missing,
// shrinking only when even the lowest quality is too big), the video frame time, the base64 sent,
// and which items need one. Real decoding and encoding run in Chromium (test/e2e/media-thumbnails).
import { describe, expect, it } from 'vitest';
import {
  blobToBase64,
  encodeThumbnail,
  frameTime,
  needsThumbnail,
  THUMB_MAX_BYTES,
  THUMB_TARGET_BYTES,
  thumbnailSize,
  thumbnailSrc,
  thumbnailUrlOf,
  type Encoder,
  type ThumbMime,
} from '../../renderer/lib/thumbnails';
import { sameShape } from '../../electron/core/media/thumbnails';

interface Call {
  width: number;
  height: number;
  mime: ThumbMime;
  quality: number;
}

/** An encoder whose output size is bytes-per-pixel × pixels × quality, answering as `answers` says. */
function fakeEncoder(bytesPerPixel: number, answers: (mime: ThumbMime) => string = (m) => m): { encode: Encoder; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    encode: (width, height, mime, quality) => {
      calls.push({ width, height, mime, quality });
      return Promise.resolve(new Blob([new Uint8Array(Math.round(width * height * bytesPerPixel * quality))], { type: answers(mime) }));
    },
  };
}

describe('thumbnailSize', () => {
  it('given pictures of every shape, then the long side is at most 480, the shape is kept, and small ones are not enlarged', () => {
    expect(thumbnailSize(4000, 3000)).toEqual({ width: 480, height: 360 });
    expect(thumbnailSize(3000, 4000)).toEqual({ width: 360, height: 480 });
    expect(thumbnailSize(1920, 1080)).toEqual({ width: 480, height: 270 });
    expect(thumbnailSize(64, 48)).toEqual({ width: 64, height: 48 });
    expect(thumbnailSize(480, 480)).toEqual({ width: 480, height: 480 });
    expect(thumbnailSize(10000, 3)).toEqual({ width: 480, height: 1 });
    // Whatever the window makes, the engine's shape check accepts.
    for (const [w, h] of [[4000, 3000], [1080, 1920], [10000, 3], [1001, 999], [7, 5000]] as const) {
      const t = thumbnailSize(w, h);
      expect(sameShape(w, h, t.width, t.height)).toBe(true);
    }
  });
});

describe('encodeThumbnail', () => {
  it('given a picture that is small enough at the first quality, then one WebP encode is all it takes', async () => {
    const { encode, calls } = fakeEncoder(0.3);
    const t = await encodeThumbnail(480, 360, encode);
    expect(t).toMatchObject({ mime: 'image/webp', width: 480, height: 360 });
    expect(t!.blob.size).toBeLessThanOrEqual(THUMB_TARGET_BYTES);
    expect(calls).toEqual([{ width: 480, height: 360, mime: 'image/webp', quality: 0.82 }]);
  });

  it('given a busy picture, then quality falls until it fits the target, and failing that the smallest under the cap is kept', async () => {
    const busy = fakeEncoder(0.9);
    const fitted = await encodeThumbnail(480, 360, busy.encode);
    expect(busy.calls.map((c) => c.quality)).toEqual([0.82, 0.7, 0.55]);
    expect(fitted!.blob.size).toBe(Math.round(480 * 360 * 0.9 * 0.55));

    const noisy = fakeEncoder(2);
    const kept = await encodeThumbnail(480, 360, noisy.encode);
    expect(kept).toMatchObject({ width: 480, height: 360 });
    expect(kept!.blob.size).toBe(Math.round(480 * 360 * 2 * 0.55));
    expect(kept!.blob.size).toBeGreaterThan(THUMB_TARGET_BYTES);
    expect(kept!.blob.size).toBeLessThanOrEqual(THUMB_MAX_BYTES);
  });

  it('given a picture too big even at the lowest quality, then it shrinks by quarters, keeping its shape, until it fits', async () => {
    const { encode, calls } = fakeEncoder(6);
    const t = await encodeThumbnail(480, 360, encode);
    expect(t!.blob.size).toBeLessThanOrEqual(THUMB_MAX_BYTES);
    expect(t!.width).toBeLessThan(480);
    expect(sameShape(480, 360, t!.width, t!.height)).toBe(true);
    expect(new Set(calls.map((c) => `${c.width}x${c.height}`)).size).toBeGreaterThan(1);
  });

  it('given an engine that cannot encode WebP (it answers PNG), then JPEG is used; one that cannot encode at all gives none', async () => {
    const noWebp = fakeEncoder(0.3, (m) => (m === 'image/webp' ? 'image/png' : m));
    const t = await encodeThumbnail(320, 240, noWebp.encode);
    expect(t).toMatchObject({ mime: 'image/jpeg', width: 320, height: 240 });
    expect(t!.blob.type).toBe('image/jpeg');
    expect(noWebp.calls.map((c) => c.mime)).toEqual(['image/webp', 'image/jpeg']);

    const nothing = fakeEncoder(0.3, () => 'image/png');
    expect(await encodeThumbnail(320, 240, nothing.encode)).toBeNull();
    expect(await encodeThumbnail(320, 240, () => Promise.resolve(null))).toBeNull();
  });
});

describe('the rest', () => {
  it('given a blob, then its base64 is what Node decodes back to the same bytes, for sizes across the chunk boundary', async () => {
    for (const n of [0, 1, 2, 3, 0x8000 - 1, 0x8000, 0x8000 * 3 + 7]) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff));
      const s = await blobToBase64(new Blob([new Uint8Array(bytes)]));
      expect(s).toBe(bytes.toString('base64'));
    }
  });

  it('given a video duration, then the frame is at 1 s, or 10% in for a short one, or the first when unknown', () => {
    expect(frameTime(60)).toBe(1);
    expect(frameTime(10)).toBe(1);
    expect(frameTime(4)).toBeCloseTo(0.4);
    expect(frameTime(Number.POSITIVE_INFINITY)).toBe(0);
    expect(frameTime(Number.NaN)).toBe(0);
    expect(frameTime(0)).toBe(0);
  });

  it('given library items, then only pictures, GIFs and videos with a file here and no thumbnail need one; the src prefers the thumbnail', () => {
    const base = { id: 'x', url: '/media/x', width: 10, height: 10 };
    expect(needsThumbnail({ ...base, kind: 'image' })).toBe(true);
    expect(needsThumbnail({ ...base, kind: 'gif', thumbnailUrl: null })).toBe(true);
    expect(needsThumbnail({ ...base, kind: 'video' })).toBe(true);
    expect(needsThumbnail({ ...base, kind: 'image', thumbnailUrl: '/media/x?thumb=ab' })).toBe(false);
    expect(needsThumbnail({ ...base, kind: 'image', url: null })).toBe(false);
    expect(needsThumbnail({ ...base, kind: 'document' })).toBe(false);
    expect(thumbnailSrc({ url: '/media/x', thumbnailUrl: '/media/x?thumb=ab' })).toBe('/media/x?thumb=ab');
    expect(thumbnailSrc({ url: '/media/x', thumbnailUrl: null })).toBe('/media/x');
    expect(thumbnailUrlOf('/media/x')).toBe('/media/x?thumb=1');
    expect(thumbnailUrlOf('/media/x?v=2')).toBe('/media/x?v=2&thumb=1');
  });
});
