// What a media file really is, read from its bytes: the type from magic numbers (a file's name and
// the type a browser claims are both untrustworthy), and the dimensions and duration the platforms
// check before accepting an upload. Pure JS, no native library: these containers keep what we need
// in small headers, so the parsers read a few positioned slices and never the whole file (a 1 GiB
// video costs a handful of reads). Every length read from the file is bounds-checked, because the
// bytes come from anywhere.
import { open } from 'node:fs/promises';

/** The formats Postdesk accepts: what every supported network takes, and what a browser can show. */
export const MEDIA_FORMATS = ['png', 'jpeg', 'gif', 'webp', 'mp4', 'mov', 'webm'] as const;
export type MediaFormat = (typeof MEDIA_FORMATS)[number];

export interface FormatInfo {
  mimeType: string;
  /** File extension used in the store. */
  ext: string;
  /** The library's kind (db/schema/media.ts MEDIA_KINDS): GIFs are their own kind on every network. */
  kind: 'image' | 'gif' | 'video';
}

export const FORMAT_INFO: Record<MediaFormat, FormatInfo> = {
  png: { mimeType: 'image/png', ext: 'png', kind: 'image' },
  jpeg: { mimeType: 'image/jpeg', ext: 'jpg', kind: 'image' },
  gif: { mimeType: 'image/gif', ext: 'gif', kind: 'gif' },
  webp: { mimeType: 'image/webp', ext: 'webp', kind: 'image' },
  mp4: { mimeType: 'video/mp4', ext: 'mp4', kind: 'video' },
  mov: { mimeType: 'video/quicktime', ext: 'mov', kind: 'video' },
  webm: { mimeType: 'video/webm', ext: 'webm', kind: 'video' },
};

export interface MediaProbe extends FormatInfo {
  format: MediaFormat;
  /** As displayed: a JPEG's EXIF rotation and a video track's rotation matrix are applied. */
  width: number;
  height: number;
  /** Videos only, and only when the container states it (a live-recorded WebM may not). */
  durationMs: number | null;
}

export type ProbeErrorCode = 'unsupported' | 'corrupt';

/** Why a file was refused, worded for the person who picked it. */
export class MediaProbeError extends Error {
  constructor(
    readonly code: ProbeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MediaProbeError';
  }
}

const SUPPORTED_LIST = 'PNG, JPEG, GIF, WebP, MP4, MOV or WebM';

/** Random access to the bytes being probed: a file on disk, or a buffer in tests. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes at `position`; fewer only at the end of the data. */
  read(position: number, length: number): Promise<Buffer>;
}

export function bufferSource(data: Uint8Array): ByteSource {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return {
    size: buf.length,
    read: (position, length) => Promise.resolve(buf.subarray(Math.min(position, buf.length), Math.min(position + length, buf.length))),
  };
}

/** Enough bytes to recognise every supported format (WebM's DocType sits a few dozen bytes in). */
export const SNIFF_BYTES = 64;

/** MP4 and MOV share a container (ISO BMFF) and are told apart by probeMedia. */
export type SniffedFormat = Exclude<MediaFormat, 'mp4' | 'mov'> | 'isobmff';

export type SniffResult =
  | { ok: true; format: SniffedFormat }
  | { ok: false; message: string };

const ascii = (b: Buffer, start: number, end: number) => b.toString('latin1', start, end);

// What people commonly try to upload, named so the refusal says what the file actually is.
const KNOWN_OTHERS: { test: (b: Buffer) => boolean; name: string }[] = [
  { name: 'a PDF document', test: (b) => ascii(b, 0, 5) === '%PDF-' },
  { name: 'a ZIP archive (or an Office document)', test: (b) => ascii(b, 0, 4) === 'PK\x03\x04' },
  { name: 'a TIFF image', test: (b) => ['II*\x00', 'MM\x00*'].includes(ascii(b, 0, 4)) },
  { name: 'a BMP image', test: (b) => ascii(b, 0, 2) === 'BM' && b.length >= 14 },
  { name: 'an SVG or other text file', test: (b) => /^\s*</.test(ascii(b, 0, Math.min(b.length, 16))) },
  { name: 'an AVI video (convert it to MP4)', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'AVI ' },
  { name: 'a WAV audio file', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WAVE' },
  { name: 'an MP3 audio file', test: (b) => ascii(b, 0, 3) === 'ID3' },
];

/**
 * The format named by a file's first bytes (pass at least SNIFF_BYTES, or the whole file if it is
 * shorter). ISO BMFF (MP4/MOV/HEIC/AVIF) is only a candidate here: whether it holds a video is
 * decided by probeMedia, which reads its boxes.
 */
export function sniffFormat(head: Uint8Array): SniffResult {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length === 0) return { ok: false, message: 'The file is empty.' };
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) return { ok: true, format: 'png' };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { ok: true, format: 'jpeg' };
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return { ok: true, format: 'gif' };
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { ok: true, format: 'webp' };
  if (b.length >= 4 && b.readUInt32BE(0) === 0x1a45dfa3) return { ok: true, format: 'webm' };
  if (b.length >= 12) {
    const type = ascii(b, 4, 8);
    // ftyp is where every modern MP4/MOV starts; QuickTime files older than ftyp start straight
    // with one of these atoms.
    if (type === 'ftyp' || type === 'moov' || type === 'mdat' || type === 'wide' || type === 'free' || type === 'skip') {
      return { ok: true, format: 'isobmff' };
    }
  }
  const other = KNOWN_OTHERS.find((k) => k.test(b));
  return {
    ok: false,
    message: other
      ? `This file is ${other.name}, which Postdesk cannot attach to posts. Use ${SUPPORTED_LIST}.`
      : `This is not a file type Postdesk can attach to posts (its content is not ${SUPPORTED_LIST}).`,
  };
}

/** Reads the format's headers for dimensions and duration; refuses what it cannot vouch for. */
export async function probeMedia(src: ByteSource): Promise<MediaProbe> {
  const head = await src.read(0, SNIFF_BYTES);
  const sniff = sniffFormat(head);
  if (!sniff.ok) throw new MediaProbeError('unsupported', sniff.message);
  switch (sniff.format) {
    case 'png':
      return withInfo('png', await probePng(src));
    case 'jpeg':
      return withInfo('jpeg', await probeJpeg(src));
    case 'gif':
      return withInfo('gif', probeGif(head));
    case 'webp':
      return withInfo('webp', await probeWebp(src));
    case 'webm':
      return withInfo('webm', await probeWebm(src));
    case 'isobmff': {
      const { format, ...dims } = await probeIsoBmff(src);
      return withInfo(format, dims);
    }
  }
}

interface Dimensions {
  width: number;
  height: number;
  durationMs?: number | null;
}

function withInfo(format: MediaFormat, d: Dimensions): MediaProbe {
  return { format, ...FORMAT_INFO[format], width: d.width, height: d.height, durationMs: d.durationMs ?? null };
}

function corrupt(format: string, what: string): MediaProbeError {
  return new MediaProbeError('corrupt', `This ${format} file is damaged or incomplete (${what}). Export it again and retry.`);
}

async function readExact(src: ByteSource, position: number, length: number, format: string): Promise<Buffer> {
  const b = position >= 0 && position + length <= src.size ? await src.read(position, length) : Buffer.alloc(0);
  if (b.length < length) throw corrupt(format, 'it ends too early');
  return b;
}

function checkDims(format: string, width: number, height: number): Dimensions {
  if (!(width > 0 && height > 0)) throw corrupt(format, 'its width or height is zero');
  return { width, height };
}

// ---------------------------------------------------------------------------------------------
// PNG: the IHDR chunk must come first (PNG spec 11.2.2), so 24 bytes give the size.

async function probePng(src: ByteSource): Promise<Dimensions> {
  const b = await readExact(src, 0, 24, 'PNG');
  if (b.readUInt32BE(8) !== 13 || ascii(b, 12, 16) !== 'IHDR') throw corrupt('PNG', 'its header chunk is missing');
  return checkDims('PNG', b.readUInt32BE(16), b.readUInt32BE(20));
}

// ---------------------------------------------------------------------------------------------
// GIF: the logical screen size, little-endian, right after the signature.

function probeGif(head: Buffer): Dimensions {
  if (head.length < 10) throw corrupt('GIF', 'it ends too early');
  return checkDims('GIF', head.readUInt16LE(6), head.readUInt16LE(8));
}

// ---------------------------------------------------------------------------------------------
// JPEG: walk the marker segments to the first SOFn. Cameras put large EXIF, ICC and MPF segments
// first, so the walk skips segments by their length instead of scanning bytes. EXIF orientation
// 5-8 means the picture is shown rotated a quarter turn, so the displayed width is the stored
// height (what browsers and the networks show, and what aspect-ratio limits apply to).

const JPEG_MAX_SEGMENTS = 1000;

async function probeJpeg(src: ByteSource): Promise<Dimensions> {
  let pos = 2;
  let orientation = 1;
  for (let n = 0; n < JPEG_MAX_SEGMENTS; n++) {
    const m = await readExact(src, pos, 2, 'JPEG');
    if (m[0] !== 0xff) throw corrupt('JPEG', `no marker at byte ${pos}`);
    const marker = m[1]!;
    if (marker === 0xff) {
      // Fill byte before a marker (allowed by T.81 B.1.1.2).
      pos += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) throw corrupt('JPEG', 'the image data starts before the image size is given');
    const len = (await readExact(src, pos + 2, 2, 'JPEG')).readUInt16BE(0);
    if (len < 2) throw corrupt('JPEG', `a segment at byte ${pos} has an impossible length`);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      const sof = await readExact(src, pos + 4, 5, 'JPEG');
      const height = sof.readUInt16BE(1);
      const width = sof.readUInt16BE(3);
      // Height 0 defers it to a DNL marker after the first scan: legal, but no network takes it.
      if (height === 0) throw new MediaProbeError('unsupported', 'This JPEG states its height only after the image data (a DNL marker), which the networks do not accept. Re-save it from an image editor.');
      const d = checkDims('JPEG', width, height);
      return orientation >= 5 && orientation <= 8 ? { width: d.height, height: d.width } : d;
    }
    if (marker === 0xe1 && len >= 16) {
      const seg = await readExact(src, pos + 4, len - 2, 'JPEG');
      if (ascii(seg, 0, 6) === 'Exif\x00\x00') orientation = exifOrientation(seg.subarray(6)) ?? orientation;
    }
    pos += 2 + len;
  }
  throw corrupt('JPEG', 'no image size among its first segments');
}

/** EXIF IFD0 tag 0x0112, or undefined when absent or unreadable (then the image is upright). */
export function exifOrientation(tiff: Buffer): number | undefined {
  if (tiff.length < 8) return undefined;
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  if (u16(2) !== 42) return undefined;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > tiff.length) return undefined;
    // Type 3 is SHORT: the value sits in the first two bytes of the value field.
    if (u16(e) === 0x0112 && u16(e + 2) === 3) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// WebP: RIFF with one of three first chunks. VP8X (extended: alpha, animation, metadata) states
// the canvas; VP8L (lossless) and VP8 (lossy) state the frame size in their bitstream headers.

async function probeWebp(src: ByteSource): Promise<Dimensions> {
  const b = await readExact(src, 0, 30, 'WebP');
  const chunk = ascii(b, 12, 16);
  if (chunk === 'VP8X') {
    return checkDims('WebP', b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1);
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) throw corrupt('WebP', 'its lossless signature is wrong');
    const bits = b.readUInt32LE(21);
    return checkDims('WebP', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) throw corrupt('WebP', 'its key frame start code is missing');
    return checkDims('WebP', b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
  }
  throw corrupt('WebP', `its first chunk is "${chunk.replace(/[^\x20-\x7e]/g, '?')}", not an image`);
}

// ---------------------------------------------------------------------------------------------
// MP4 / MOV (ISO BMFF, QuickTime): walk boxes with positioned reads so an mdat of any size (and a
// moov placed after it, as cameras write) costs nothing to pass. What we need: mvhd (movie
// duration), and for the first video track (hdlr 'vide') its tkhd size and rotation matrix.

interface Box {
  type: string;
  /** Where the box's payload starts and where the box ends. */
  start: number;
  end: number;
}

const MAX_BOXES = 10_000;
/** Boxes we read whole are tiny; anything bigger is not what it claims. */
const MAX_SMALL_BOX = 64 * 1024;

async function* boxes(src: ByteSource, from: number, to: number, format: string): AsyncGenerator<Box> {
  let pos = from;
  for (let n = 0; pos + 8 <= to; n++) {
    if (n >= MAX_BOXES) throw corrupt(format, 'too many boxes');
    const h = await readExact(src, pos, 8, format);
    let size = h.readUInt32BE(0);
    const type = ascii(h, 4, 8);
    let header = 8;
    if (size === 1) {
      const big = (await readExact(src, pos + 8, 8, format)).readBigUInt64BE(0);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(format, `the "${type}" box is impossibly large`);
      size = Number(big);
      header = 16;
    } else if (size === 0) {
      size = to - pos;
    }
    if (size < header) throw corrupt(format, `the "${type.replace(/[^\x20-\x7e]/g, '?')}" box has an impossible size`);
    // A box running past the end means a truncated file; an mdat cut short still lets us read
    // a moov that came before it, so only stop here.
    const end = Math.min(pos + size, to);
    yield { type, start: pos + header, end };
    if (pos + size > to) return;
    pos += size;
  }
}

async function findChild(src: ByteSource, parent: Box, type: string, format: string): Promise<Box | undefined> {
  for await (const b of boxes(src, parent.start, parent.end, format)) if (b.type === type) return b;
  return undefined;
}

async function smallBox(src: ByteSource, box: Box, format: string): Promise<Buffer> {
  const len = box.end - box.start;
  if (len > MAX_SMALL_BOX) throw corrupt(format, `the "${box.type}" box is too large`);
  return readExact(src, box.start, len, format);
}

/** Full boxes (mvhd, tkhd, mehd) start with a version byte; version 1 widens times to 64 bits. */
function fullBoxVersion(b: Buffer, format: string, type: string): number {
  if (b.length < 4) throw corrupt(format, `the "${type}" box is too short`);
  return b[0]!;
}

function u64(b: Buffer, o: number): number {
  return Number(b.readBigUInt64BE(o));
}

function movieDuration(mvhd: Buffer, format: string): { timescale: number; duration: number | null } {
  const v = fullBoxVersion(mvhd, format, 'mvhd');
  const need = v === 1 ? 32 : 20;
  if (mvhd.length < need) throw corrupt(format, 'the movie header is too short');
  const timescale = v === 1 ? mvhd.readUInt32BE(20) : mvhd.readUInt32BE(12);
  const raw = v === 1 ? mvhd.readBigUInt64BE(24) : BigInt(mvhd.readUInt32BE(16));
  // All ones means "unknown" (a fragmented file states it in mehd instead).
  const unknown = v === 1 ? raw === 0xffffffffffffffffn : raw === 0xffffffffn;
  return { timescale, duration: unknown || raw === 0n ? null : Number(raw) };
}

interface TrackHeader {
  width: number;
  height: number;
  /** A quarter-turn matrix: the picture is shown rotated, so width and height swap on screen. */
  quarterTurn: boolean;
}

function trackHeader(tkhd: Buffer, format: string): TrackHeader {
  const v = fullBoxVersion(tkhd, format, 'tkhd');
  const matrixAt = v === 1 ? 4 + 32 + 16 : 4 + 20 + 16;
  if (tkhd.length < matrixAt + 36 + 8) throw corrupt(format, 'a track header is too short');
  const a = tkhd.readInt32BE(matrixAt);
  const b = tkhd.readInt32BE(matrixAt + 4);
  const c = tkhd.readInt32BE(matrixAt + 12);
  const d = tkhd.readInt32BE(matrixAt + 16);
  // 16.16 fixed point; the fraction is never meaningful for a pixel size.
  const width = Math.round(tkhd.readUInt32BE(matrixAt + 36) / 65536);
  const height = Math.round(tkhd.readUInt32BE(matrixAt + 40) / 65536);
  return { width, height, quarterTurn: a === 0 && d === 0 && b !== 0 && c !== 0 };
}

async function handlerType(src: ByteSource, trak: Box, format: string): Promise<string | undefined> {
  const mdia = await findChild(src, trak, 'mdia', format);
  if (!mdia) return undefined;
  const hdlr = await findChild(src, mdia, 'hdlr', format);
  if (!hdlr) return undefined;
  const b = await smallBox(src, hdlr, format);
  return b.length >= 12 ? ascii(b, 8, 12) : undefined;
}

async function probeIsoBmff(src: ByteSource): Promise<Dimensions & { format: 'mp4' | 'mov' }> {
  let format: 'mp4' | 'mov' = 'mov';
  let label = 'video';
  let moov: Box | undefined;
  let first = true;
  for await (const box of boxes(src, 0, src.size, label)) {
    if (first && box.type === 'ftyp') {
      const ftyp = await smallBox(src, box, label);
      const brand = ftyp.length >= 4 ? ascii(ftyp, 0, 4) : '';
      format = brand === 'qt  ' ? 'mov' : 'mp4';
      label = format === 'mov' ? 'MOV' : 'MP4';
      const brands = [brand];
      for (let o = 8; o + 4 <= ftyp.length; o += 4) brands.push(ascii(ftyp, o, o + 4));
      if (brands.some((x) => IMAGE_BRANDS.has(x)) && !brands.some((x) => VIDEO_BRANDS.has(x))) {
        throw new MediaProbeError('unsupported', `This is a HEIC/AVIF image, which the networks do not accept. Export it as JPEG (or PNG) and import that.`);
      }
    }
    first = false;
    if (box.type === 'moov') {
      moov = box;
      break;
    }
  }
  if (!moov) throw new MediaProbeError('corrupt', `This ${label} file has no movie header (moov), so it is not a playable video. If it was still being copied or recorded, wait for it to finish and retry.`);

  let timescale = 0;
  let duration: number | null = null;
  let video: TrackHeader | undefined;
  for await (const child of boxes(src, moov.start, moov.end, label)) {
    if (child.type === 'mvhd') {
      ({ timescale, duration } = movieDuration(await smallBox(src, child, label), label));
    } else if (child.type === 'mvex' && duration === null) {
      const mehd = await findChild(src, child, 'mehd', label);
      if (mehd) {
        const b = await smallBox(src, mehd, label);
        const v = fullBoxVersion(b, label, 'mehd');
        if (b.length >= (v === 1 ? 12 : 8)) duration = (v === 1 ? u64(b, 4) : b.readUInt32BE(4)) || null;
      }
    } else if (child.type === 'trak' && !video) {
      if ((await handlerType(src, child, label)) !== 'vide') continue;
      const tkhd = await findChild(src, child, 'tkhd', label);
      if (!tkhd) throw corrupt(label, 'a video track has no header');
      video = trackHeader(await smallBox(src, tkhd, label), label);
    }
  }
  if (!video) throw new MediaProbeError('unsupported', `This ${label} file has no video track (audio-only files cannot be attached to posts).`);
  const d = checkDims(label, video.width, video.height);
  const durationMs = duration !== null && timescale > 0 ? Math.round((duration * 1000) / timescale) : null;
  return { format, ...(video.quarterTurn ? { width: d.height, height: d.width } : d), durationMs };
}

/** HEIF/AVIF still images share MP4's container; these brands mark them. */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis', 'hevc', 'hevx']);
/** Brands that promise a movie, for files that list image and video brands together. */
const VIDEO_BRANDS = new Set(['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'qt  ', 'M4V ', 'dash', '3gp4', '3gp5', '3gp6']);

// ---------------------------------------------------------------------------------------------
// WebM (Matroska subset): EBML elements with variable-length ids and sizes. We need the DocType,
// Segment > Info (TimestampScale, Duration) and Segment > Tracks > TrackEntry (type 1 = video) >
// Video > PixelWidth/PixelHeight. Both come before the first Cluster in files written by browsers
// (MediaRecorder), ffmpeg and mkvmerge, so the walk stops at the first Cluster.

const EBML = {
  header: 0x1a45dfa3,
  docType: 0x4282,
  segment: 0x18538067,
  info: 0x1549a966,
  timestampScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackType: 0x83,
  video: 0xe0,
  pixelWidth: 0xb0,
  pixelHeight: 0xba,
  cluster: 0x1f43b675,
} as const;

/** Info and Tracks are a few KB; a much larger one is not a real header. */
const MAX_EBML_MASTER = 4 * 1024 * 1024;
const MAX_EBML_ELEMENTS = 10_000;

interface Vint {
  value: number;
  length: number;
  /** All value bits set: "size unknown" (live streams, MediaRecorder). */
  unknown: boolean;
}

function vint(b: Buffer, o: number, keepMarker: boolean): Vint | undefined {
  if (o >= b.length) return undefined;
  const first = b[o]!;
  if (first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (o + length > b.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = b[o + i]!;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

interface Element {
  id: number;
  /** Absolute position of the payload. */
  start: number;
  /** null: unknown size, runs to the end of its parent. */
  size: number | null;
}

/** Reads one element header at `pos` from the file (ids up to 4 bytes, sizes up to 8). */
async function elementAt(src: ByteSource, pos: number): Promise<Element | undefined> {
  const h = await src.read(pos, 12);
  const id = vint(h, 0, true);
  if (!id || id.length > 4) return undefined;
  const size = vint(h, id.length, false);
  if (!size) return undefined;
  return { id: id.value, start: pos + id.length + size.length, size: size.unknown ? null : size.value };
}

/** Children of an element already in memory. */
function* childrenOf(b: Buffer): Generator<{ id: number; data: Buffer }> {
  let o = 0;
  for (let n = 0; o < b.length && n < MAX_EBML_ELEMENTS; n++) {
    const id = vint(b, o, true);
    if (!id || id.length > 4) return;
    const size = vint(b, o + id.length, false);
    if (!size || size.unknown) return;
    const start = o + id.length + size.length;
    const end = start + size.value;
    if (end > b.length) return;
    yield { id: id.value, data: b.subarray(start, end) };
    o = end;
  }
}

function uint(b: Buffer): number {
  let v = 0;
  for (const byte of b) v = v * 256 + byte;
  return v;
}

function float(b: Buffer): number | null {
  if (b.length === 4) return b.readFloatBE(0);
  if (b.length === 8) return b.readDoubleBE(0);
  return null;
}

async function probeWebm(src: ByteSource): Promise<Dimensions> {
  const header = await elementAt(src, 0);
  if (!header || header.id !== EBML.header || header.size === null || header.size > 4096) throw corrupt('WebM', 'its EBML header is unreadable');
  const headerBytes = await readExact(src, header.start, header.size, 'WebM');
  let docType = '';
  for (const c of childrenOf(headerBytes)) if (c.id === EBML.docType) docType = c.data.toString('latin1').replace(/\0+$/, '');
  if (docType !== 'webm') {
    throw new MediaProbeError('unsupported', docType === 'matroska'
      ? 'This is a Matroska (MKV) video, which the networks do not accept. Convert it to MP4 and import that.'
      : `This file is an EBML document of type "${docType.slice(0, 20)}", not a WebM video.`);
  }
  const segment = await elementAt(src, header.start + header.size);
  if (!segment || segment.id !== EBML.segment) throw corrupt('WebM', 'it has no segment');
  const segmentEnd = segment.size === null ? src.size : Math.min(src.size, segment.start + segment.size);

  let scale = 1_000_000;
  let rawDuration: number | null = null;
  let video: { width: number; height: number } | undefined;
  let pos = segment.start;
  for (let n = 0; pos < segmentEnd && n < MAX_EBML_ELEMENTS; n++) {
    const el = await elementAt(src, pos);
    if (!el || el.id === EBML.cluster || el.size === null) break;
    if (el.id === EBML.info || el.id === EBML.tracks) {
      if (el.size > MAX_EBML_MASTER) throw corrupt('WebM', 'a header element is too large');
      const body = await readExact(src, el.start, el.size, 'WebM');
      if (el.id === EBML.info) {
        for (const c of childrenOf(body)) {
          if (c.id === EBML.timestampScale) scale = uint(c.data) || scale;
          if (c.id === EBML.duration) rawDuration = float(c.data);
        }
      } else {
        video ??= firstVideoTrack(body);
      }
    }
    pos = el.start + el.size;
  }
  if (!video) throw new MediaProbeError('unsupported', 'This WebM file has no video track (audio-only files cannot be attached to posts).');
  const d = checkDims('WebM', video.width, video.height);
  const durationMs = rawDuration !== null && Number.isFinite(rawDuration) && rawDuration > 0 ? Math.round((rawDuration * scale) / 1e6) : null;
  return { ...d, durationMs };
}

function firstVideoTrack(tracks: Buffer): { width: number; height: number } | undefined {
  for (const entry of childrenOf(tracks)) {
    if (entry.id !== EBML.trackEntry) continue;
    let type = 0;
    let width = 0;
    let height = 0;
    for (const c of childrenOf(entry.data)) {
      if (c.id === EBML.trackType) type = uint(c.data);
      if (c.id === EBML.video) {
        for (const v of childrenOf(c.data)) {
          if (v.id === EBML.pixelWidth) width = uint(v.data);
          if (v.id === EBML.pixelHeight) height = uint(v.data);
        }
      }
    }
    if (type === 1) return { width, height };
  }
  return undefined;
}

/** Probes a file on disk with positioned reads; the handle is closed whatever happens. */
export async function probeFile(path: string): Promise<MediaProbe> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return await probeMedia({
      size,
      read: async (position, length) => {
        const len = Math.max(0, Math.min(length, size - position));
        if (len === 0) return Buffer.alloc(0);
        const buf = Buffer.alloc(len);
        const { bytesRead } = await handle.read(buf, 0, len, position);
        return buf.subarray(0, bytesRead);
      },
    });
  } finally {
    await handle.close();
  }
}
