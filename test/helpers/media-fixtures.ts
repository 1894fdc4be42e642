// Media files built byte by byte, so the tests need no binary fixtures. PNG, GIF and JPEG are
// complete, decodable images (PNG with real zlib data and CRCs; GIF with real LZW codes; JPEG a
// baseline grey picture with its own Huffman tables). MP4/MOV and WebM carry the real container
// structure (ftyp, moov with mvhd/trak/tkhd/mdia/hdlr; EBML header, Segment, Info, Tracks,
// Cluster) around placeholder frame data, which is all a metadata probe reads.
import { crc32, deflateSync } from 'node:zlib';

const u8 = (n: number) => Buffer.of(n & 0xff);
const u16be = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32be = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const u64be = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
const u16le = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const ascii = (s: string) => Buffer.from(s, 'latin1');

// ------------------------------------------------------------------------------------------- PNG

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([ascii(type), data]);
  return Buffer.concat([u32be(data.length), body, u32be(crc32(body))]);
}

/** An RGB PNG of the given size, a colour gradient (so different sizes give different bytes). */
export function png(width: number, height: number, seed = 0): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = (x * 7 + seed) & 0xff;
      row[2 + x * 3] = (y * 13 + seed) & 0xff;
      row[3 + x * 3] = (x + y + seed) & 0xff;
    }
    rows.push(row);
  }
  const ihdr = Buffer.concat([u32be(width), u32be(height), u8(8), u8(2), u8(0), u8(0), u8(0)]);
  return Buffer.concat([
    Buffer.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ------------------------------------------------------------------------------------------- GIF

/**
 * A two-colour GIF89a. The LZW stream sends a Clear code before every pixel, which keeps every
 * code 3 bits wide: valid LZW that any decoder reads, without writing a compressor.
 */
export function gif(width: number, height: number, frames = 1): Buffer {
  const parts: Buffer[] = [ascii('GIF89a'), u16le(width), u16le(height), Buffer.of(0x80, 0, 0), Buffer.of(0, 0, 0, 0xff, 0xff, 0xff)];
  if (frames > 1) {
    // NETSCAPE2.0 loop extension: an animated GIF as browsers expect it.
    parts.push(Buffer.of(0x21, 0xff, 0x0b), ascii('NETSCAPE2.0'), Buffer.of(0x03, 0x01, 0x00, 0x00, 0x00));
  }
  for (let f = 0; f < frames; f++) {
    if (frames > 1) parts.push(Buffer.of(0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00));
    parts.push(Buffer.of(0x2c), u16le(0), u16le(0), u16le(width), u16le(height), u8(0));
    const codes: number[] = [];
    for (let i = 0; i < width * height; i++) codes.push(4, (i + f) % 2);
    codes.push(5);
    const bytes: number[] = [];
    let acc = 0;
    let bits = 0;
    for (const c of codes) {
      acc |= c << bits;
      bits += 3;
      while (bits >= 8) {
        bytes.push(acc & 0xff);
        acc >>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) bytes.push(acc & 0xff);
    parts.push(u8(2));
    for (let i = 0; i < bytes.length; i += 255) {
      const block = bytes.slice(i, i + 255);
      parts.push(u8(block.length), Buffer.from(block));
    }
    parts.push(u8(0));
  }
  parts.push(u8(0x3b));
  return Buffer.concat(parts);
}

// ------------------------------------------------------------------------------------------ JPEG

function jpegSegment(marker: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.of(0xff, marker), u16be(data.length + 2), data]);
}

/** TIFF/EXIF block with IFD0 holding only Orientation (tag 0x0112, SHORT). */
export function exifWithOrientation(orientation: number, byteOrder: 'II' | 'MM' = 'MM'): Buffer {
  const le = byteOrder === 'II';
  const w16 = (n: number) => (le ? u16le(n) : u16be(n));
  const w32 = (n: number) => (le ? u32le(n) : u32be(n));
  const entry = Buffer.concat([w16(0x0112), w16(3), w32(1), w16(orientation), Buffer.alloc(2)]);
  return Buffer.concat([ascii('Exif\0\0'), ascii(byteOrder), w16(42), w32(8), w16(1), entry, w32(0)]);
}

export interface JpegOptions {
  /** EXIF orientation 1-8 in an APP1 segment. */
  orientation?: number;
  /** Bytes of APPn segments before the frame header, as cameras write (ICC, MPF, thumbnails). */
  paddingBytes?: number;
  /** SOF2 instead of SOF0 (the header is the same shape). */
  progressive?: boolean;
}

/**
 * A grey baseline JPEG: one component, every 8x8 block DC difference 0 and no AC coefficients.
 * The Huffman tables hold a single 1-bit code each (DC category 0, AC end-of-block), so each
 * block is the two bits "00".
 */
export function jpeg(width: number, height: number, opts: JpegOptions = {}): Buffer {
  const parts: Buffer[] = [Buffer.of(0xff, 0xd8)];
  parts.push(jpegSegment(0xe0, Buffer.concat([ascii('JFIF\0'), Buffer.of(1, 1, 0), u16be(1), u16be(1), Buffer.of(0, 0)])));
  if (opts.orientation !== undefined) parts.push(jpegSegment(0xe1, exifWithOrientation(opts.orientation)));
  let pad = opts.paddingBytes ?? 0;
  while (pad > 0) {
    const n = Math.min(pad, 65_000);
    parts.push(jpegSegment(0xe2, Buffer.concat([ascii('ICC_PROFILE\0'), Buffer.alloc(n, 0x41)])));
    pad -= n;
  }
  parts.push(jpegSegment(0xdb, Buffer.concat([u8(0), Buffer.alloc(64, 1)])));
  parts.push(jpegSegment(opts.progressive ? 0xc2 : 0xc0, Buffer.concat([u8(8), u16be(height), u16be(width), u8(1), Buffer.of(1, 0x11, 0)])));
  const oneCode = Buffer.concat([u8(1), Buffer.alloc(15, 0), u8(0)]);
  parts.push(jpegSegment(0xc4, Buffer.concat([u8(0x00), oneCode])));
  parts.push(jpegSegment(0xc4, Buffer.concat([u8(0x10), oneCode])));
  parts.push(jpegSegment(0xda, Buffer.of(1, 1, 0x00, 0, 63, 0)));
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = blocks * 2;
  const data = Buffer.alloc(Math.ceil(bits / 8), 0);
  // Pad the last byte with 1-bits, as T.81 F.1.2.3 asks.
  const spare = data.length * 8 - bits;
  if (spare > 0) data[data.length - 1] = (1 << spare) - 1;
  parts.push(data, Buffer.of(0xff, 0xd9));
  return Buffer.concat(parts);
}

// ------------------------------------------------------------------------------------------ WebP

/**
 * Real 1x1 WebP files (the feature-detection images Modernizr has shipped for years), one per
 * first-chunk kind.
 */
export const WEBP_1X1 = {
  lossy: Buffer.from('UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA', 'base64'),
  lossless: Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
  alpha: Buffer.from('UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA==', 'base64'),
  animated: Buffer.from('UklGRlIAAABXRUJQVlA4WAoAAAASAAAAAAAAAAAAQU5JTQYAAAD/////AABBTk1GJgAAAAAAAAAAAAAAAAAAAGQAAABWUDhMDQAAAC8AAAAQBxAREYiI/gcA', 'base64'),
} as const;

function riffWebp(chunks: Buffer[]): Buffer {
  const body = Buffer.concat([ascii('WEBP'), ...chunks]);
  return Buffer.concat([ascii('RIFF'), u32le(body.length), body]);
}

function riffChunk(fourcc: string, data: Buffer): Buffer {
  const padded = data.length % 2 === 1 ? Buffer.concat([data, u8(0)]) : data;
  return Buffer.concat([ascii(fourcc), u32le(data.length), padded]);
}

const u24le = (n: number) => Buffer.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff);

/** WebP headers for a given size: the chunk layout is real, the frame data a placeholder. */
export const webpHeader = {
  lossy: (w: number, h: number) =>
    riffWebp([riffChunk('VP8 ', Buffer.concat([Buffer.of(0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a), u16le(w), u16le(h), Buffer.alloc(10)]))]),
  lossless: (w: number, h: number) =>
    riffWebp([riffChunk('VP8L', Buffer.concat([u8(0x2f), u32le(((w - 1) & 0x3fff) | (((h - 1) & 0x3fff) << 14)), Buffer.alloc(8)]))]),
  extended: (w: number, h: number, animated = false) =>
    riffWebp([riffChunk('VP8X', Buffer.concat([u8(animated ? 0x02 : 0), Buffer.alloc(3), u24le(w - 1), u24le(h - 1)]))]),
};

// --------------------------------------------------------------------------------------- MP4/MOV

export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32be(body.length + 8), ascii(type), body]);
}

/** A box with a 64-bit size (size field 1, then largesize), as files over 4 GiB use. */
export function largeBox(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32be(1), ascii(type), u64be(body.length + 16), body]);
}

const fullBox = (type: string, version: number, ...payload: Buffer[]) => box(type, u8(version), Buffer.alloc(3), ...payload);

export function ftyp(major: string, compatible: string[] = [major]): Buffer {
  return box('ftyp', ascii(major), u32be(0x200), ...compatible.map(ascii));
}

const IDENTITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
/** A 90° rotation, as phones write for portrait video. */
export const ROTATE_90 = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];

function matrix(m: readonly number[]): Buffer {
  const b = Buffer.alloc(36);
  m.forEach((v, i) => b.writeInt32BE(v, i * 4));
  return b;
}

export function mvhd(timescale: number, duration: number, version: 0 | 1 = 0): Buffer {
  const times = version === 1 ? Buffer.concat([u64be(0), u64be(0), u32be(timescale), u64be(duration)]) : Buffer.concat([u32be(0), u32be(0), u32be(timescale), u32be(duration)]);
  return fullBox('mvhd', version, times, u32be(0x10000), u16be(0x100), Buffer.alloc(10), matrix(IDENTITY), Buffer.alloc(24), u32be(3));
}

export function tkhd(width: number, height: number, opts: { version?: 0 | 1; matrix?: readonly number[]; trackId?: number } = {}): Buffer {
  const v = opts.version ?? 0;
  const id = opts.trackId ?? 1;
  const times = v === 1 ? Buffer.concat([u64be(0), u64be(0), u32be(id), u32be(0), u64be(0)]) : Buffer.concat([u32be(0), u32be(0), u32be(id), u32be(0), u32be(0)]);
  return box('tkhd', u8(v), Buffer.of(0, 0, 3), times, Buffer.alloc(8), u16be(0), u16be(0), u16be(0), u16be(0), matrix(opts.matrix ?? IDENTITY), u32be(width * 0x10000), u32be(height * 0x10000));
}

export function hdlr(handler: string): Buffer {
  return fullBox('hdlr', 0, u32be(0), ascii(handler), Buffer.alloc(12), ascii('Handler\0'));
}

export function trak(handler: 'vide' | 'soun', width: number, height: number, opts: { version?: 0 | 1; matrix?: readonly number[]; trackId?: number } = {}): Buffer {
  return box('trak', tkhd(width, height, opts), box('mdia', fullBox('mdhd', 0, u32be(0), u32be(0), u32be(1000), u32be(0), u16be(0x55c4), u16be(0)), hdlr(handler)));
}

export interface Mp4Options {
  brand?: string;
  compatible?: string[];
  width?: number;
  height?: number;
  timescale?: number;
  /** In timescale units. */
  duration?: number;
  version?: 0 | 1;
  matrix?: readonly number[];
  /** Put moov after mdat, as cameras do when they do not "fast start". */
  moovLast?: boolean;
  /** Add an audio track before the video track. */
  audioFirst?: boolean;
  /** Bytes of mdat payload. */
  mdatBytes?: number;
  /** A 64-bit-size mdat. */
  largeMdat?: boolean;
  noVideo?: boolean;
}

export function mp4(o: Mp4Options = {}): Buffer {
  const tracks: Buffer[] = [];
  if (o.audioFirst || o.noVideo) tracks.push(trak('soun', 0, 0, { trackId: 2 }));
  if (!o.noVideo) tracks.push(trak('vide', o.width ?? 1280, o.height ?? 720, { ...(o.version !== undefined ? { version: o.version } : {}), ...(o.matrix ? { matrix: o.matrix } : {}) }));
  const moov = box('moov', mvhd(o.timescale ?? 1000, o.duration ?? 2500, o.version ?? 0), ...tracks);
  const payload = Buffer.alloc(o.mdatBytes ?? 256, 0x11);
  const mdat = o.largeMdat ? largeBox('mdat', payload) : box('mdat', payload);
  const head = ftyp(o.brand ?? 'isom', o.compatible ?? ['isom', 'iso2', 'avc1', 'mp41']);
  return Buffer.concat(o.moovLast ? [head, mdat, moov] : [head, moov, mdat]);
}

/** The parts of an MP4 around a large mdat, so a test can stream a big file without holding it. */
export function mp4Around(mdatBytes: number, o: Omit<Mp4Options, 'mdatBytes' | 'largeMdat' | 'moovLast'> = {}): { head: Buffer; mdatHeader: Buffer } {
  const moov = box('moov', mvhd(o.timescale ?? 1000, o.duration ?? 2500), trak('vide', o.width ?? 1920, o.height ?? 1080));
  return {
    head: Buffer.concat([ftyp(o.brand ?? 'isom', o.compatible ?? ['isom', 'mp41']), moov]),
    mdatHeader: Buffer.concat([u32be(mdatBytes + 8), ascii('mdat')]),
  };
}

// ------------------------------------------------------------------------------------------ WebM

/** EBML element: id bytes as written (marker included), size as an 8-byte vint (or unknown). */
export function ebml(id: number, data: Buffer | null, unknownSize = false): Buffer {
  const idBytes: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) idBytes.unshift(v & 0xff);
  const size = Buffer.alloc(8);
  if (unknownSize) size.fill(0xff, 0, 8).writeUInt8(0x01, 0);
  else {
    size.writeBigUInt64BE(BigInt(data?.length ?? 0));
    size[0] = 0x01;
  }
  return Buffer.concat([Buffer.from(idBytes), size, data ?? Buffer.alloc(0)]);
}

const ebmlUint = (id: number, v: number) => {
  const bytes: number[] = [];
  for (let x = v; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return ebml(id, Buffer.from(bytes.length ? bytes : [0]));
};
const ebmlFloat = (id: number, v: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return ebml(id, b);
};
const ebmlString = (id: number, s: string) => ebml(id, ascii(s));

export interface WebmOptions {
  docType?: string;
  width?: number;
  height?: number;
  /** In ms with the default 1 ms timestamp scale; omitted: no Duration (as MediaRecorder writes). */
  durationMs?: number;
  timestampScale?: number;
  /** Segment of unknown size (live recording). */
  unknownSegmentSize?: boolean;
  audioOnly?: boolean;
  /** Put Tracks before Info. */
  tracksFirst?: boolean;
}

export function webm(o: WebmOptions = {}): Buffer {
  const header = ebml(0x1a45dfa3, Buffer.concat([
    ebmlUint(0x4286, 1), ebmlUint(0x42f7, 1), ebmlUint(0x42f2, 4), ebmlUint(0x42f3, 8),
    ebmlString(0x4282, o.docType ?? 'webm'), ebmlUint(0x4287, 4), ebmlUint(0x4285, 2),
  ]));
  const scale = o.timestampScale ?? 1_000_000;
  const info = ebml(0x1549a966, Buffer.concat([
    ebmlUint(0x2ad7b1, scale),
    ...(o.durationMs !== undefined ? [ebmlFloat(0x4489, (o.durationMs * 1e6) / scale)] : []),
    ebmlString(0x4d80, 'postdesk-test'), ebmlString(0x5741, 'postdesk-test'),
  ]));
  const audio = ebml(0xae, Buffer.concat([ebmlUint(0xd7, 2), ebmlUint(0x73c5, 2), ebmlUint(0x83, 2), ebmlString(0x86, 'A_OPUS'), ebml(0xe1, Buffer.concat([ebmlFloat(0xb5, 48000), ebmlUint(0x9f, 2)]))]));
  const video = ebml(0xae, Buffer.concat([
    ebmlUint(0xd7, 1), ebmlUint(0x73c5, 1), ebmlUint(0x83, 1), ebmlString(0x86, 'V_VP8'),
    ebml(0xe0, Buffer.concat([ebmlUint(0xb0, o.width ?? 640), ebmlUint(0xba, o.height ?? 360)])),
  ]));
  const tracks = ebml(0x1654ae6b, o.audioOnly ? audio : Buffer.concat([audio, video]));
  const cluster = ebml(0x1f43b675, Buffer.concat([ebmlUint(0xe7, 0), ebml(0xa3, Buffer.alloc(64, 0x22))]), o.unknownSegmentSize);
  const voidEl = ebml(0xec, Buffer.alloc(32));
  const body = Buffer.concat([voidEl, ...(o.tracksFirst ? [tracks, info] : [info, tracks]), cluster]);
  return Buffer.concat([header, ebml(0x18538067, body, o.unknownSegmentSize)]);
}
