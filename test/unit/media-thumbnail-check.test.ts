// Thumbnails come from a window, so the core trusts nothing about them: the bytes must be the
// declared type by magic number, a whole file, still, at most 480 px a side, and shaped like the
// original picture. Also the stored-path grammar (rows arrive by sync) and the caching rule.
import { describe, expect, it } from 'vitest';
import {
  checkThumbnail,
  mediaCacheControl,
  parseThumbnailPath,
  sameShape,
  THUMBNAIL_MAX_BYTES,
  thumbnailStoredPath,
  thumbnailUrl,
} from '../../electron/core/media/thumbnails';
import { gif, jpeg, png, WEBP_1X1, webpHeader } from '../helpers/media-fixtures';

const photo = { kind: 'image' as const, width: 4000, height: 3000 };
const SHA = 'ab'.repeat(32);

describe('checkThumbnail', () => {
  it('given a WebP of each first-chunk kind and a JPEG, each declared as itself and within 480 px, then they are accepted with their size', async () => {
    expect(await checkThumbnail(webpHeader.lossy(480, 360), 'image/webp', photo)).toEqual({ mimeType: 'image/webp', width: 480, height: 360 });
    expect(await checkThumbnail(webpHeader.lossless(480, 360), 'image/webp', photo)).toEqual({ mimeType: 'image/webp', width: 480, height: 360 });
    expect(await checkThumbnail(webpHeader.extended(480, 360), 'image/webp', photo)).toEqual({ mimeType: 'image/webp', width: 480, height: 360 });
    expect(await checkThumbnail(jpeg(480, 360), 'image/jpeg', photo)).toEqual({ mimeType: 'image/jpeg', width: 480, height: 360 });
    // Real encoder output (1x1) for a 1x1 original.
    expect(await checkThumbnail(WEBP_1X1.lossy, 'image/webp', { kind: 'image', width: 1, height: 1 })).toMatchObject({ width: 1, height: 1 });
  });

  it('given bytes of another type than declared, then the refusal names what they really are', async () => {
    await expect(checkThumbnail(png(48, 36), 'image/webp', photo)).rejects.toMatchObject({ code: 'invalid_input', message: 'The thumbnail was sent as image/webp but its bytes are a PNG file.' });
    await expect(checkThumbnail(jpeg(48, 36), 'image/webp', photo)).rejects.toMatchObject({ message: 'The thumbnail was sent as image/webp but its bytes are a JPEG file.' });
    await expect(checkThumbnail(webpHeader.lossy(48, 36), 'image/jpeg', photo)).rejects.toMatchObject({ message: 'The thumbnail was sent as image/jpeg but its bytes are a WEBP file.' });
    await expect(checkThumbnail(gif(48, 36), 'image/jpeg', photo)).rejects.toMatchObject({ message: expect.stringContaining('a GIF file') });
    await expect(checkThumbnail(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/webp', photo)).rejects.toMatchObject({ message: expect.stringContaining('not an image') });
    await expect(checkThumbnail(Buffer.alloc(0), 'image/webp', photo)).rejects.toMatchObject({ message: 'The thumbnail is empty.' });
  });

  it('given a cut-off WebP or JPEG, or an animated WebP, then it is refused', async () => {
    const webp = webpHeader.lossy(480, 360);
    await expect(checkThumbnail(webp.subarray(0, webp.length - 4), 'image/webp', photo)).rejects.toMatchObject({ message: expect.stringMatching(/not a complete WebP file \(its header says 40 bytes, 36 arrived\)/) });
    await expect(checkThumbnail(Buffer.concat([webp, Buffer.alloc(64)]), 'image/webp', photo)).rejects.toMatchObject({ message: expect.stringMatching(/not a complete WebP/) });
    const j = jpeg(480, 360);
    await expect(checkThumbnail(j.subarray(0, j.length - 1), 'image/jpeg', photo)).rejects.toMatchObject({ message: expect.stringMatching(/end-of-image marker/) });
    await expect(checkThumbnail(WEBP_1X1.animated, 'image/webp', { kind: 'gif', width: 1, height: 1 })).rejects.toMatchObject({ message: expect.stringMatching(/animated WebP/) });
    await expect(checkThumbnail(webpHeader.extended(480, 360, true), 'image/webp', photo)).rejects.toMatchObject({ message: expect.stringMatching(/animated WebP/) });
  });

  it('given a side over 480 px, or more than 512 KiB, then it is refused; 480 exactly and 512 KiB exactly pass the size checks', async () => {
    await expect(checkThumbnail(webpHeader.lossy(481, 361), 'image/webp', photo)).rejects.toMatchObject({ message: 'The thumbnail is 481×361; thumbnails may be at most 480 pixels on each side.' });
    await expect(checkThumbnail(jpeg(360, 481), 'image/jpeg', { kind: 'image', width: 3000, height: 4000 })).rejects.toMatchObject({ message: expect.stringMatching(/360×481/) });
    await expect(checkThumbnail(webpHeader.lossy(480, 480), 'image/webp', { kind: 'image', width: 480, height: 480 })).resolves.toMatchObject({ width: 480 });

    const padded = (total: number) => {
      const j = jpeg(480, 360);
      // A JPEG grown with a comment segment before the frame: still a whole, valid file.
      const fill = total - j.length;
      const com = Buffer.concat([Buffer.of(0xff, 0xfe, ((fill - 2) >> 8) & 0xff, (fill - 2) & 0xff), Buffer.alloc(fill - 4, 0x20)]);
      return Buffer.concat([j.subarray(0, 2), com, j.subarray(2)]);
    };
    expect(padded(THUMBNAIL_MAX_BYTES + 1)).toHaveLength(THUMBNAIL_MAX_BYTES + 1);
    await expect(checkThumbnail(padded(THUMBNAIL_MAX_BYTES + 1), 'image/jpeg', photo)).rejects.toMatchObject({ message: 'The thumbnail is 513 KiB; thumbnails may be at most 512 KiB.' });
  });

  it('given a thumbnail of another shape than the picture (turned, or another file), then it is refused; a video frame is not shape-checked', async () => {
    await expect(checkThumbnail(webpHeader.lossy(360, 480), 'image/webp', photo)).rejects.toMatchObject({
      message: 'The thumbnail is 360×480, which is not the shape of the 4000×3000 original (is it turned, or of another file?).',
    });
    await expect(checkThumbnail(webpHeader.lossy(480, 480), 'image/webp', photo)).rejects.toMatchObject({ message: expect.stringMatching(/not the shape/) });
    await expect(checkThumbnail(webpHeader.lossy(480, 270), 'image/webp', { kind: 'video', width: 1440, height: 1080 })).resolves.toMatchObject({ width: 480, height: 270 });
    await expect(checkThumbnail(webpHeader.lossy(480, 270), 'image/webp', { kind: 'image', width: null, height: null })).resolves.toMatchObject({ width: 480 });
  });
});

describe('sameShape', () => {
  it('given scaled-down sizes within rounding, then they match; others do not', () => {
    expect(sameShape(4000, 3000, 480, 360)).toBe(true);
    expect(sameShape(4000, 3000, 240, 180)).toBe(true);
    expect(sameShape(1920, 1081, 480, 270)).toBe(true);
    expect(sameShape(3000, 4000, 360, 480)).toBe(true);
    // A sliver: 10000×3 shrinks to 480×1 (0.144 px rounds up to the 1 px minimum).
    expect(sameShape(10000, 3, 480, 1)).toBe(true);
    expect(sameShape(64, 48, 64, 48)).toBe(true);
    expect(sameShape(500, 500, 480, 479)).toBe(true);
    expect(sameShape(4000, 3000, 480, 270)).toBe(false);
    expect(sameShape(4000, 3000, 360, 480)).toBe(false);
    expect(sameShape(3000, 4000, 480, 360)).toBe(false);
  });
});

describe('stored paths, URLs and caching', () => {
  it('given a hash, then the stored path sits under media/thumbs and parses back; anything else (from sync) does not parse', () => {
    expect(thumbnailStoredPath(SHA, 'image/webp')).toBe(`media/thumbs/ab/${SHA}.webp`);
    expect(thumbnailStoredPath(SHA, 'image/jpeg')).toBe(`media/thumbs/ab/${SHA}.jpg`);
    expect(parseThumbnailPath(`media/thumbs/ab/${SHA}.jpg`)).toEqual({ sha256: SHA, mimeType: 'image/jpeg' });
    for (const bad of [`media/ab/${SHA}.webp`, `media/thumbs/ab/../../${SHA}.webp`, '../../etc/passwd', `media/thumbs/ab/${SHA}.png`, `/media/thumbs/ab/${SHA}.webp`]) {
      expect(parseThumbnailPath(bad)).toBeNull();
    }
    expect(() => thumbnailStoredPath('../x', 'image/webp')).toThrow(/not a SHA-256/);
    expect(thumbnailUrl('0190a0b0-0000-7000-8000-000000000001', `media/thumbs/ab/${SHA}.webp`)).toBe(`/media/0190a0b0-0000-7000-8000-000000000001?thumb=${SHA.slice(0, 16)}`);
    expect(thumbnailUrl('0190a0b0-0000-7000-8000-000000000001', null)).toBeNull();
    expect(thumbnailUrl('0190a0b0-0000-7000-8000-000000000001', '../../etc/passwd')).toBeNull();
  });

  it('given a media answer, then only the original or the current thumbnail version is cached for good', () => {
    expect(mediaCacheControl({ variant: 'original', sha256: SHA }, null)).toBe('private, max-age=31536000, immutable');
    expect(mediaCacheControl({ variant: 'thumbnail', sha256: SHA }, SHA.slice(0, 16))).toBe('private, max-age=31536000, immutable');
    expect(mediaCacheControl({ variant: 'thumbnail', sha256: SHA }, '1')).toBe('private, no-cache');
    expect(mediaCacheControl({ variant: 'original', sha256: SHA }, '1')).toBe('private, no-cache');
    expect(mediaCacheControl({ variant: 'original', sha256: SHA }, SHA.slice(0, 16))).toBe('private, no-cache');
  });
});
