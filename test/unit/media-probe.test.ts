// The media probe on files built byte by byte: type from magic bytes, dimensions from headers,
// duration from MP4 mvhd and WebM Info, rotation applied, and refusals worded for people. Damaged
// input of every kind must end in a MediaProbeError, never a crash or a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bufferSource,
  exifOrientation,
  MediaProbeError,
  probeMedia,
  sniffFormat,
  type ByteSource,
} from '../../electron/core/media/probe';
import {
  box,
  exifWithOrientation,
  ftyp,
  gif,
  jpeg,
  mp4,
  mvhd,
  png,
  ROTATE_90,
  trak,
  WEBP_1X1,
  webm,
  webpHeader,
} from '../helpers/media-fixtures';

/** Counts what the probe reads, to show big files are never read whole. */
function countingSource(data: Buffer): ByteSource & { bytesRead: () => number } {
  const inner = bufferSource(data);
  let read = 0;
  return {
    size: inner.size,
    read: async (p, l) => {
      const b = await inner.read(p, l);
      read += b.length;
      return b;
    },
    bytesRead: () => read,
  };
}

const probe = (b: Buffer) => probeMedia(bufferSource(b));

async function refusal(b: Buffer): Promise<MediaProbeError> {
  const err = await probe(b).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaProbeError);
  return err as MediaProbeError;
}

describe('sniffing the type from the first bytes', () => {
  it('given each supported format, then it is recognised whatever the file is called', () => {
    expect(sniffFormat(png(2, 2))).toEqual({ ok: true, format: 'png' });
    expect(sniffFormat(jpeg(8, 8))).toEqual({ ok: true, format: 'jpeg' });
    expect(sniffFormat(gif(2, 2))).toEqual({ ok: true, format: 'gif' });
    expect(sniffFormat(WEBP_1X1.lossy)).toEqual({ ok: true, format: 'webp' });
    expect(sniffFormat(webm())).toEqual({ ok: true, format: 'webm' });
    expect(sniffFormat(mp4())).toEqual({ ok: true, format: 'isobmff' });
  });

  it('given common files that are not media, then the refusal names what they are', () => {
    const pdf = sniffFormat(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'));
    expect(pdf.ok).toBe(false);
    expect(!pdf.ok && pdf.message).toMatch(/PDF document.*PNG, JPEG, GIF, WebP, MP4, MOV or WebM/);
    const svg = sniffFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'));
    expect(!svg.ok && svg.message).toMatch(/SVG/);
    const zip = sniffFormat(Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'));
    expect(!zip.ok && zip.message).toMatch(/ZIP/);
  });

  it('given an empty file or random bytes, then it is refused', () => {
    expect(sniffFormat(Buffer.alloc(0))).toEqual({ ok: false, message: 'The file is empty.' });
    const random = sniffFormat(Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'));
    expect(!random.ok && random.message).toMatch(/not a file type Postdesk can attach/);
  });
});

describe('images', () => {
  it('given a PNG, then its size comes from IHDR', async () => {
    await expect(probe(png(37, 21))).resolves.toEqual({
      format: 'png', mimeType: 'image/png', ext: 'png', kind: 'image', width: 37, height: 21, durationMs: null,
    });
  });

  it('given a PNG cut inside its header, then it is refused as damaged', async () => {
    const err = await refusal(png(4, 4).subarray(0, 20));
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/PNG file is damaged or incomplete/);
  });

  it('given a GIF (still or animated), then its screen size is read and it is its own kind', async () => {
    await expect(probe(gif(5, 3))).resolves.toMatchObject({ format: 'gif', mimeType: 'image/gif', kind: 'gif', width: 5, height: 3 });
    await expect(probe(gif(16, 9, 3))).resolves.toMatchObject({ kind: 'gif', width: 16, height: 9 });
  });

  it('given a baseline and a progressive JPEG, then the frame header gives the size', async () => {
    await expect(probe(jpeg(640, 480))).resolves.toMatchObject({ format: 'jpeg', mimeType: 'image/jpeg', ext: 'jpg', width: 640, height: 480 });
    await expect(probe(jpeg(300, 200, { progressive: true }))).resolves.toMatchObject({ width: 300, height: 200 });
  });

  it('given a camera JPEG rotated by EXIF (orientation 6), then width and height are as displayed', async () => {
    await expect(probe(jpeg(4032, 3024, { orientation: 6 }))).resolves.toMatchObject({ width: 3024, height: 4032 });
    // 3 is upside down: same shape.
    await expect(probe(jpeg(4032, 3024, { orientation: 3 }))).resolves.toMatchObject({ width: 4032, height: 3024 });
  });

  it('given EXIF in either byte order, then the orientation is read', () => {
    expect(exifOrientation(exifWithOrientation(8, 'II').subarray(6))).toBe(8);
    expect(exifOrientation(exifWithOrientation(5, 'MM').subarray(6))).toBe(5);
    expect(exifOrientation(Buffer.from('not tiff at all'))).toBeUndefined();
  });

  it('given 300 KB of metadata before the frame header, then the probe skips it by length and reads little', async () => {
    const file = jpeg(1200, 800, { paddingBytes: 300_000 });
    const src = countingSource(file);
    await expect(probeMedia(src)).resolves.toMatchObject({ width: 1200, height: 800 });
    expect(src.bytesRead()).toBeLessThan(1_000);
  });

  it('given a JPEG whose data starts before any frame header, then it is refused as damaged', async () => {
    const full = jpeg(8, 8);
    const sof = full.indexOf(Buffer.of(0xff, 0xc0));
    const broken = Buffer.concat([full.subarray(0, sof), Buffer.of(0xff, 0xda, 0x00, 0x02), Buffer.of(0xff, 0xd9)]);
    expect((await refusal(broken)).code).toBe('corrupt');
  });

  it('given the real 1x1 WebP files (lossy, lossless, alpha, animated), then each is read as 1x1', async () => {
    for (const [name, bytes] of Object.entries(WEBP_1X1)) {
      await expect(probe(bytes), name).resolves.toMatchObject({ format: 'webp', mimeType: 'image/webp', width: 1, height: 1 });
    }
  });

  it('given WebP headers of each kind at large sizes, then the size fields are decoded exactly', async () => {
    await expect(probe(webpHeader.lossy(1920, 1080))).resolves.toMatchObject({ width: 1920, height: 1080 });
    await expect(probe(webpHeader.lossless(16383, 7))).resolves.toMatchObject({ width: 16383, height: 7 });
    await expect(probe(webpHeader.extended(20000, 12345, true))).resolves.toMatchObject({ width: 20000, height: 12345 });
  });
});

describe('MP4 and MOV', () => {
  it('given an MP4, then the video track size and the movie duration are read', async () => {
    await expect(probe(mp4({ width: 1280, height: 720, timescale: 600, duration: 9000 }))).resolves.toEqual({
      format: 'mp4', mimeType: 'video/mp4', ext: 'mp4', kind: 'video', width: 1280, height: 720, durationMs: 15_000,
    });
  });

  it('given a QuickTime brand, then it is a MOV', async () => {
    await expect(probe(mp4({ brand: 'qt  ', compatible: ['qt  '] }))).resolves.toMatchObject({ format: 'mov', mimeType: 'video/quicktime', ext: 'mov' });
  });

  it('given a phone video with a 90° matrix, then width and height are as displayed', async () => {
    await expect(probe(mp4({ width: 1920, height: 1080, matrix: ROTATE_90 }))).resolves.toMatchObject({ width: 1080, height: 1920 });
  });

  it('given version 1 boxes (64-bit times), then duration and size are still read', async () => {
    await expect(probe(mp4({ version: 1, timescale: 90000, duration: 90000 * 61, width: 3840, height: 2160 }))).resolves.toMatchObject({
      width: 3840, height: 2160, durationMs: 61_000,
    });
  });

  it('given an audio track before the video track, then the video track is the one measured', async () => {
    await expect(probe(mp4({ audioFirst: true, width: 720, height: 1280 }))).resolves.toMatchObject({ width: 720, height: 1280 });
  });

  it('given moov after a 64-bit 20 MB mdat, then the probe jumps over the media data', async () => {
    const file = mp4({ moovLast: true, largeMdat: true, mdatBytes: 20 * 1024 * 1024, width: 640, height: 360 });
    const src = countingSource(file);
    await expect(probeMedia(src)).resolves.toMatchObject({ width: 640, height: 360, durationMs: 2500 });
    expect(src.bytesRead()).toBeLessThan(2_000);
  });

  it('given an audio-only MP4, then it is refused for having no video track', async () => {
    const err = await refusal(mp4({ noVideo: true }));
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/no video track/);
  });

  it('given a HEIC photo (same container), then it is refused with what to do', async () => {
    const heic = Buffer.concat([ftyp('heic', ['mif1', 'heic']), box('meta', Buffer.alloc(40))]);
    const err = await refusal(heic);
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/HEIC\/AVIF.*JPEG/);
  });

  it('given an MP4 still being written (no moov yet), then it is refused as incomplete', async () => {
    const partial = Buffer.concat([ftyp('isom', ['isom']), box('mdat', Buffer.alloc(100))]);
    const err = await refusal(partial);
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/no movie header/);
  });

  it('given a box with an impossible size, then it is refused as damaged', async () => {
    const bad = Buffer.concat([ftyp('isom'), Buffer.of(0, 0, 0, 4), Buffer.from('moov')]);
    expect((await refusal(bad)).code).toBe('corrupt');
  });

  it('given a movie header with an unknown duration, then the duration is null but the size is read', async () => {
    const file = Buffer.concat([ftyp('isom'), box('moov', mvhd(1000, 0xffffffff), trak('vide', 320, 240))]);
    await expect(probe(file)).resolves.toMatchObject({ width: 320, height: 240, durationMs: null });
  });
});

describe('WebM', () => {
  it('given a WebM with Info and Tracks, then size and duration are read', async () => {
    await expect(probe(webm({ width: 854, height: 480, durationMs: 12_345 }))).resolves.toEqual({
      format: 'webm', mimeType: 'video/webm', ext: 'webm', kind: 'video', width: 854, height: 480, durationMs: 12_345,
    });
  });

  it('given a live recording (unknown segment size, no duration), then the size is read and duration is null', async () => {
    await expect(probe(webm({ unknownSegmentSize: true, width: 1280, height: 720 }))).resolves.toMatchObject({ width: 1280, height: 720, durationMs: null });
  });

  it('given a microsecond timestamp scale and Tracks before Info, then the duration is scaled right', async () => {
    await expect(probe(webm({ timestampScale: 1000, durationMs: 2500, tracksFirst: true }))).resolves.toMatchObject({ durationMs: 2500 });
  });

  it('given a Matroska file or an audio-only WebM, then it is refused with the reason', async () => {
    expect((await refusal(webm({ docType: 'matroska' }))).message).toMatch(/Matroska.*MP4/);
    expect((await refusal(webm({ audioOnly: true }))).message).toMatch(/no video track/);
  });
});

describe('damaged input of any kind', () => {
  const samples = [png(9, 7), jpeg(64, 48, { orientation: 6 }), gif(4, 4), WEBP_1X1.alpha, mp4(), mp4({ moovLast: true }), webm({ durationMs: 1000 })];

  it('given any truncation or byte corruption, then the probe answers or refuses with a MediaProbeError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (sample, flips, cut) => {
          const b = Buffer.from(sample);
          for (const [at, v] of flips) b[at % b.length] = v;
          const input = cut === undefined ? b : b.subarray(0, cut % (b.length + 1));
          try {
            const r = await probe(input);
            expect(r.width).toBeGreaterThan(0);
            expect(r.height).toBeGreaterThan(0);
          } catch (err) {
            expect(err).toBeInstanceOf(MediaProbeError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
