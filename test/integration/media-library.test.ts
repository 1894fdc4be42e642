// The media library on a real core (database file, data folder): importing real image and video
// files, storing each content once, refusing what is not media with nothing left behind, soft
// deletes that keep a file another workspace still uses, a 50 MB import in bounded memory, and
// the web routes (upload, serve with ranges and caching) through a real node:http server.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toApiError } from '../../electron/api/dispatch';
import { mediaApi } from '../../electron/api/media';
import { importMediaFile, importMediaStream, MediaError } from '../../electron/core/media/library';
import { MediaStoreError, sweepTemp, tempDirOf, writeTemp } from '../../electron/core/media/store';
import { handleMediaRequest } from '../../electron/host/media-routes';
import { startTestCore, type TestCore } from '../helpers/core';
import { tempDir } from '../helpers/db';
import { gif, jpeg, mp4, mp4Around, png, WEBP_1X1, webm } from '../helpers/media-fixtures';

type MediaMethods = typeof mediaApi;
type MediaMethod = keyof MediaMethods;

/** The media methods as dispatch runs them (input validated by the schema, errors in wire terms). */
async function call<M extends MediaMethod>(core: TestCore, name: M, input: unknown): Promise<Awaited<ReturnType<MediaMethods[M]['handler']>>> {
  const def = mediaApi[name];
  try {
    const parsed = def.input.parse(input);
    return (await (def.handler as (c: typeof core.ctx, i: unknown) => unknown)(core.ctx, parsed)) as Awaited<ReturnType<MediaMethods[M]['handler']>>;
  } catch (err) {
    throw toApiError(err);
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let core: TestCore;
let files: { dir: string; cleanup: () => void };
let wsA: string;
let wsB: string;

beforeEach(async () => {
  core = await startTestCore({ scheduler: false });
  files = tempDir('postdesk-media-src-');
  wsA = (await core.call('workspaces.create', { name: 'Blue Fern Bakery', businessType: 'bakery', brandVoice: 'friendly', timezone: 'Europe/Paris' })).id;
  wsB = (await core.call('workspaces.create', { name: 'Harbour Yoga', businessType: 'yoga', brandVoice: 'inspirational', timezone: 'Europe/Lisbon' })).id;
});

afterEach(async () => {
  await core.cleanup();
  files.cleanup();
});

function writeSource(name: string, bytes: Buffer): string {
  const p = join(files.dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Every file under <data>/media, relative, for "nothing was left behind" checks. */
function mediaFiles(): string[] {
  const root = join(core.dir, 'media');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(root.length + 1))
    .sort();
}

function mediaRows(): { workspace_id: string; sha256: string; deleted_at: number | null }[] {
  return core.ctx.db.sqlite.prepare('SELECT workspace_id, sha256, deleted_at FROM media ORDER BY created_at').all() as never;
}

describe('importing files from disk', () => {
  it('given a PNG, JPEG, GIF, WebP, MP4 and WebM, when imported, then each is stored by content hash with its real type and size', async () => {
    const samples = [
      { name: 'storefront.png', bytes: png(64, 48), mime: 'image/png', kind: 'image', w: 64, h: 48, d: null },
      { name: 'croissant.JPG', bytes: jpeg(4032, 3024, { orientation: 6 }), mime: 'image/jpeg', kind: 'image', w: 3024, h: 4032, d: null },
      { name: 'dance.gif', bytes: gif(20, 10, 4), mime: 'image/gif', kind: 'gif', w: 20, h: 10, d: null },
      { name: 'logo.webp', bytes: WEBP_1X1.alpha, mime: 'image/webp', kind: 'image', w: 1, h: 1, d: null },
      { name: 'tour.mp4', bytes: mp4({ width: 1080, height: 1920, timescale: 600, duration: 4200 }), mime: 'video/mp4', kind: 'video', w: 1080, h: 1920, d: 7000 },
      { name: 'reel.webm', bytes: webm({ width: 640, height: 360, durationMs: 1500 }), mime: 'video/webm', kind: 'video', w: 640, h: 360, d: 1500 },
    ];
    for (const s of samples) {
      const r = await call(core, 'media.importFile', { workspaceId: wsA, path: writeSource(s.name, s.bytes) });
      expect(r, s.name).toMatchObject({
        workspaceId: wsA, filename: s.name, kind: s.kind, mimeType: s.mime, sizeBytes: s.bytes.length,
        sha256: sha(s.bytes), width: s.w, height: s.h, durationMs: s.d, duplicate: false, url: `/media/${r.id}`, tags: [], source: 'upload',
      });
      const ext = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'video/mp4': 'mp4', 'video/webm': 'webm' }[s.mime];
      const stored = join(core.dir, 'media', r.sha256!.slice(0, 2), `${r.sha256}.${ext}`);
      expect(readFileSync(stored).equals(s.bytes), s.name).toBe(true);
    }
    const list = await call(core, 'media.list', { workspaceId: wsA });
    expect(list.total).toBe(6);
    // Newest first.
    expect(list.items.map((m) => m.filename)).toEqual(['reel.webm', 'tour.mp4', 'logo.webp', 'dance.gif', 'croissant.JPG', 'storefront.png']);
    // Views carry no paths on this machine.
    expect(JSON.stringify(list)).not.toContain(core.dir);
    expect(JSON.stringify(list)).not.toContain(files.dir);
    expect(readdirSync(tempDirOf(core.dir))).toEqual([]);
  });

  it('given the same bytes imported twice (once from a file, once as a stream), then there is one item and one file', async () => {
    const bytes = jpeg(800, 600);
    const first = await importMediaFile(core.ctx, { workspaceId: wsA, path: writeSource('a.jpg', bytes), altText: 'Our new oven' });
    const second = await importMediaStream(core.ctx, { workspaceId: wsA, filename: 'copy of a.jpg', mimeType: 'image/jpeg', stream: Readable.from([bytes]) });
    expect(second).toMatchObject({ id: first.id, duplicate: true, filename: 'a.jpg', altText: 'Our new oven' });
    expect(mediaRows()).toHaveLength(1);
    expect(mediaFiles()).toEqual([join(first.sha256!.slice(0, 2), `${first.sha256}.jpg`)]);
  });

  it('given a duplicate import with alt text, then it fills missing alt text but never replaces what was written', async () => {
    const bytes = png(10, 10);
    const path = writeSource('p.png', bytes);
    await importMediaFile(core.ctx, { workspaceId: wsA, path });
    expect((await importMediaFile(core.ctx, { workspaceId: wsA, path, altText: 'A red square' })).altText).toBe('A red square');
    expect((await importMediaFile(core.ctx, { workspaceId: wsA, path, altText: 'Something else' })).altText).toBe('A red square');
  });

  it('given the same file imported by two workspaces at the same moment, then each gets its own item and the file is stored once', async () => {
    const bytes = mp4({ width: 640, height: 480 });
    const path = writeSource('same.mp4', bytes);
    const [a, b, a2] = await Promise.all([
      importMediaFile(core.ctx, { workspaceId: wsA, path }),
      importMediaFile(core.ctx, { workspaceId: wsB, path }),
      importMediaFile(core.ctx, { workspaceId: wsA, path }),
    ]);
    expect(a.id).not.toBe(b.id);
    expect(a2.id).toBe(a.id);
    expect([a.duplicate, a2.duplicate].sort()).toEqual([false, true]);
    expect(mediaRows()).toHaveLength(2);
    expect(mediaFiles()).toHaveLength(1);
  });

  it('given a relative path, a folder, a device or a missing file, then each is refused with what to do', async () => {
    await expect(call(core, 'media.importFile', { workspaceId: wsA, path: 'photos/a.png' })).rejects.toMatchObject({
      code: 'invalid_input', issues: [{ path: ['path'], message: expect.stringMatching(/full path/) }],
    });
    await expect(call(core, 'media.importFile', { workspaceId: wsA, path: files.dir })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/folder/) });
    await expect(call(core, 'media.importFile', { workspaceId: wsA, path: '/dev/zero' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/not a regular file/) });
    await expect(call(core, 'media.importFile', { workspaceId: wsA, path: join(files.dir, 'gone.png') })).rejects.toMatchObject({ code: 'not_found' });
    expect(mediaRows()).toEqual([]);
  });

  it('given a file over 1 GiB, then it is refused before a byte is read', async () => {
    const path = join(files.dir, 'huge.mp4');
    writeFileSync(path, mp4());
    // Sparse: 1 GiB + 1 byte on paper, nothing on disk.
    truncateSync(path, 1024 ** 3 + 1);
    const started = Date.now();
    await expect(importMediaFile(core.ctx, { workspaceId: wsA, path })).rejects.toMatchObject({ code: 'invalid_input', reason: 'too_large', message: expect.stringMatching(/1 GiB/) });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(mediaFiles()).toEqual([]);
  });

  it('given a stream that grows past the limit, then the import stops there and removes its temp file', async () => {
    const chunk = Buffer.concat([png(2, 2), Buffer.alloc(4096)]);
    const err = await writeTemp(core.dir, Readable.from([chunk, chunk, chunk]), { maxBytes: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaStoreError);
    expect((err as MediaStoreError).code).toBe('too_large');
    expect(readdirSync(tempDirOf(core.dir))).toEqual([]);
  });
});

describe('refusing what is not media', () => {
  it('given a PDF, random bytes, an empty file, an MP4 with no movie header and a truncated PNG, then each is refused and nothing is left', async () => {
    const bad = [
      { name: 'invoice.png', bytes: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n'), reason: 'unsupported', msg: /PDF document/ },
      { name: 'noise.jpg', bytes: createHash('sha512').update('x').digest(), reason: 'unsupported', msg: /not a file type/ },
      { name: 'empty.gif', bytes: Buffer.alloc(0), reason: 'empty', msg: /empty/ },
      { name: 'recording.mp4', bytes: Buffer.concat([mp4().subarray(0, 32), Buffer.alloc(5000)]), reason: 'corrupt', msg: /damaged|no movie header/ },
      { name: 'cut.png', bytes: png(30, 30).subarray(0, 20), reason: 'corrupt', msg: /damaged or incomplete/ },
    ];
    for (const b of bad) {
      const err = await importMediaFile(core.ctx, { workspaceId: wsA, path: writeSource(b.name, b.bytes) }).catch((e: unknown) => e);
      expect(err, b.name).toBeInstanceOf(MediaError);
      expect(err, b.name).toMatchObject({ code: 'invalid_input', reason: b.reason, message: expect.stringMatching(b.msg) });
    }
    expect(mediaRows()).toEqual([]);
    expect(mediaFiles()).toEqual([]);
  });

  it('given a stream claiming to be an image that is not, then the refusal says what it was sent as', async () => {
    const err = await importMediaStream(core.ctx, {
      workspaceId: wsA, filename: 'photo.heic', mimeType: 'image/heic', stream: Readable.from([Buffer.from('<html><script>alert(1)</script></html>')]),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/\(It was sent as image\/heic\.\)/) });
    expect(mediaFiles()).toEqual([]);
  });

  it('given a source that fails halfway, then the import reports it and leaves no temp file', async () => {
    async function* failing() {
      yield png(4, 4);
      throw Object.assign(new Error('disk unplugged'), { code: 'EIO' });
    }
    const err = await importMediaStream(core.ctx, { workspaceId: wsA, filename: 'x.png', stream: Readable.from(failing()) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_input', reason: 'unreadable', message: expect.stringMatching(/could not be read to the end \(EIO\)/) });
    expect(mediaFiles()).toEqual([]);
  });

  it('given a long stream of the wrong type, then reading stops after its first bytes', async () => {
    let pulled = 0;
    async function* junk() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield Buffer.alloc(64 * 1024, 0x61);
      }
    }
    await expect(importMediaStream(core.ctx, { workspaceId: wsA, filename: 'notes.txt', stream: Readable.from(junk()) })).rejects.toMatchObject({ reason: 'unsupported' });
    expect(pulled).toBeLessThan(5);
    expect(mediaFiles()).toEqual([]);
  });

  it('given an unknown workspace, then the import is refused before reading', async () => {
    await expect(importMediaStream(core.ctx, { workspaceId: '01890000-0000-7000-8000-000000000000', filename: 'a.png', stream: Readable.from([png(2, 2)]) })).rejects.toMatchObject({ code: 'not_found' });
    expect(mediaFiles()).toEqual([]);
  });

  it('given temp files left by a crash, when swept, then only the stale ones go', async () => {
    const dir = tempDirOf(core.dir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'old.part'), 'x');
    writeFileSync(join(dir, 'fresh.part'), 'y');
    const twoHoursAgo = (Date.now() - 2 * 3600_000) / 1000;
    utimesSync(join(dir, 'old.part'), twoHoursAgo, twoHoursAgo);
    expect(await sweepTemp(core.dir)).toBe(1);
    expect(readdirSync(dir)).toEqual(['fresh.part']);
  });
});

describe('editing and deleting', () => {
  it('given an item, when alt text and tags change, then they are saved cleaned up and can be cleared', async () => {
    const m = await importMediaFile(core.ctx, { workspaceId: wsA, path: writeSource('a.png', png(3, 3)) });
    const u = await call(core, 'media.update', { mediaId: m.id, altText: '  Fresh bread on the counter ', tags: ['#bread', 'Bread', ' morning '] });
    expect(u).toMatchObject({ altText: 'Fresh bread on the counter', tags: ['bread', 'morning'] });
    expect(await call(core, 'media.update', { mediaId: m.id, altText: null })).toMatchObject({ altText: null, tags: ['bread', 'morning'] });
    expect(await call(core, 'media.get', { mediaId: m.id })).toMatchObject({ altText: null, tags: ['bread', 'morning'] });
  });

  it('given images and videos, when listing one kind with paging, then only that kind comes back', async () => {
    for (let i = 0; i < 3; i++) await importMediaFile(core.ctx, { workspaceId: wsA, path: writeSource(`p${i}.png`, png(5 + i, 5)) });
    await importMediaFile(core.ctx, { workspaceId: wsA, path: writeSource('v.mp4', mp4()) });
    await importMediaFile(core.ctx, { workspaceId: wsB, path: writeSource('other.png', png(99, 5)) });
    const page = await call(core, 'media.list', { workspaceId: wsA, kind: 'image', limit: 2, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.items.map((m) => m.filename)).toEqual(['p1.png', 'p0.png']);
    expect((await call(core, 'media.list', { workspaceId: wsA, kind: 'video' })).items.map((m) => m.filename)).toEqual(['v.mp4']);
  });

  it('given the same file in two workspaces, when one deletes it, then the file stays for the other; when both have, it is gone', async () => {
    const bytes = jpeg(320, 240);
    const path = writeSource('shared.jpg', bytes);
    const a = await importMediaFile(core.ctx, { workspaceId: wsA, path });
    const b = await importMediaFile(core.ctx, { workspaceId: wsB, path });
    const stored = join(core.dir, 'media', a.sha256!.slice(0, 2), `${a.sha256}.jpg`);

    expect(await call(core, 'media.delete', { mediaId: a.id })).toEqual({ deleted: true, fileRemoved: false });
    expect(existsSync(stored)).toBe(true);
    await expect(call(core, 'media.get', { mediaId: a.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((await call(core, 'media.list', { workspaceId: wsA })).total).toBe(0);
    expect(await call(core, 'media.get', { mediaId: b.id })).toMatchObject({ id: b.id });

    expect(await call(core, 'media.delete', { mediaId: b.id })).toEqual({ deleted: true, fileRemoved: true });
    expect(existsSync(stored)).toBe(false);
    // The tombstones stay (they sync); re-importing makes a new item and brings the file back.
    expect(mediaRows().map((r) => r.deleted_at !== null)).toEqual([true, true]);
    const again = await importMediaFile(core.ctx, { workspaceId: wsA, path });
    expect(again).toMatchObject({ duplicate: false });
    expect(again.id).not.toBe(a.id);
    expect(readFileSync(stored).equals(bytes)).toBe(true);
  });

  it('given an image attached to a draft, when deleting it, then it is refused until the post lets go of it', async () => {
    const m = await importMediaFile(core.ctx, { workspaceId: wsA, path: writeSource('a.png', png(8, 8)) });
    const post = await core.call('posts.create', { workspaceId: wsA, content: 'Fresh bread today', targets: [], media: [{ mediaId: m.id }] });
    await expect(call(core, 'media.delete', { mediaId: m.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/A post that is not published yet uses this file/) });
    expect(mediaFiles()).toHaveLength(1);
    await core.call('posts.update', { postId: post.id, media: [] });
    expect(await call(core, 'media.delete', { mediaId: m.id })).toEqual({ deleted: true, fileRemoved: true });
    expect(mediaFiles()).toEqual([]);
  });
});

// ----------------------------------------------------------------------------------- memory

/** V8's gc(), so the sampled memory is what is live rather than garbage not yet collected. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** A valid 50 MB MP4 produced chunk by chunk: never held whole by the test either. */
function bigMp4Stream(payloadBytes: number): { stream: Readable; digest: () => string; size: number } {
  const { head, mdatHeader } = mp4Around(payloadBytes, { width: 1920, height: 1080 });
  const hash = createHash('sha256');
  const CHUNK = 1024 * 1024;
  async function* gen() {
    for (const b of [head, mdatHeader]) {
      hash.update(b);
      yield b;
    }
    for (let sent = 0, n = 0; sent < payloadBytes; n++) {
      const c = Buffer.alloc(Math.min(CHUNK, payloadBytes - sent), n & 0xff);
      hash.update(c);
      sent += c.length;
      yield c;
    }
  }
  return { stream: Readable.from(gen(), { objectMode: false }), digest: () => hash.digest('hex'), size: head.length + mdatHeader.length + payloadBytes };
}

async function peakDuring<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const gc = exposeGc();
  gc();
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = used();
  let peak = base;
  const timer = setInterval(() => {
    gc();
    peak = Math.max(peak, used());
  }, 25);
  try {
    const result = await work();
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

describe('large files', () => {
  it('given a 50 MB video stream, when imported, then memory stays far below the file size and the hash is right', async () => {
    const big = bigMp4Stream(50 * 1024 * 1024);
    const { result, growth } = await peakDuring(() => importMediaStream(core.ctx, { workspaceId: wsA, filename: 'long.mp4', stream: big.stream }));
    expect(result).toMatchObject({ sizeBytes: big.size, sha256: big.digest(), width: 1920, height: 1080, kind: 'video' });
    expect(statSync(join(core.dir, 'media', result.sha256!.slice(0, 2), `${result.sha256}.mp4`)).size).toBe(big.size);
    expect(growth, `peak live memory growth ${(growth / 1024 / 1024).toFixed(1)} MiB`).toBeLessThan(16 * 1024 * 1024);
  });
});

// ----------------------------------------------------------------------------------- HTTP

describe('web routes through a real HTTP server', () => {
  let server: Server;
  let base: string;

  beforeEach(async () => {
    server = createServer((req, res) => {
      const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      handleMediaRequest(core.ctx, req, res, pathname)
        .then((handled) => {
          if (!handled) {
            res.writeHead(404, { 'Content-Type': 'text/plain' });
            res.end('not a media route');
          }
        })
        .catch(() => res.destroy());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const put = (query: Record<string, string>, body: Buffer, type = 'application/octet-stream') =>
    fetch(`${base}/api/media?${new URLSearchParams(query).toString()}`, { method: 'PUT', body: new Uint8Array(body), headers: { 'Content-Type': type } });

  it('given a PUT of a PNG, then it is imported (201), a second PUT is the same item (200), and GET serves the bytes with caching headers', async () => {
    const bytes = png(120, 80);
    const r1 = await put({ workspaceId: wsA, filename: 'Café menu.png', altText: 'Menu board' }, bytes, 'image/png');
    expect(r1.status).toBe(201);
    const { result } = (await r1.json()) as { result: { id: string; url: string; width: number; altText: string; duplicate: boolean } };
    expect(result).toMatchObject({ width: 120, altText: 'Menu board', duplicate: false, url: `/media/${result.id}` });

    const r2 = await put({ workspaceId: wsA, filename: 'again.png' }, bytes);
    expect(r2.status).toBe(200);
    expect(((await r2.json()) as { result: { id: string; duplicate: boolean } }).result).toMatchObject({ id: result.id, duplicate: true });

    const g = await fetch(`${base}${result.url}`);
    expect(g.status).toBe(200);
    expect(Buffer.from(await g.arrayBuffer()).equals(bytes)).toBe(true);
    expect(Object.fromEntries(g.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(bytes.length),
      'cache-control': 'private, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
      'accept-ranges': 'bytes',
      etag: `"${sha(bytes)}"`,
    });
    expect(g.headers.get('content-disposition')).toBe(`inline; filename="Caf_ menu.png"; filename*=UTF-8''Caf%C3%A9%20menu.png`);

    const cached = await fetch(`${base}${result.url}`, { headers: { 'If-None-Match': `"${sha(bytes)}"` } });
    expect(cached.status).toBe(304);
    const head = await fetch(`${base}${result.url}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
  });

  it('given a video, when the player asks for byte ranges, then it gets exactly those bytes (206) or 416 outside the file', async () => {
    const bytes = mp4({ mdatBytes: 10_000 });
    const m = await importMediaFile(core.ctx, { workspaceId: wsA, path: writeSource('clip.mp4', bytes) });
    const r = await fetch(`${base}/media/${m.id}`, { headers: { Range: 'bytes=100-199' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(r.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await r.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);

    const tail = await fetch(`${base}/media/${m.id}`, { headers: { Range: 'bytes=-50' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 50))).toBe(true);

    const open = await fetch(`${base}/media/${m.id}`, { headers: { Range: `bytes=${bytes.length - 10}-` } });
    expect(open.headers.get('content-range')).toBe(`bytes ${bytes.length - 10}-${bytes.length - 1}/${bytes.length}`);
    await open.arrayBuffer();

    const outside = await fetch(`${base}/media/${m.id}`, { headers: { Range: `bytes=${bytes.length}-` } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    await outside.arrayBuffer();

    // A Range made against other bytes (If-Range not our ETag): the whole file.
    const stale = await fetch(`${base}/media/${m.id}`, { headers: { Range: 'bytes=0-9', 'If-Range': '"something-else"' } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(bytes.length);
  });

  it('given unknown, malformed and deleted ids, then GET answers 404; other paths are left to the host', async () => {
    const m = await importMediaFile(core.ctx, { workspaceId: wsA, path: writeSource('a.gif', gif(3, 3)) });
    await call(core, 'media.delete', { mediaId: m.id });
    for (const p of [`/media/${m.id}`, '/media/01890000-0000-7000-8000-000000000000', '/media/..%2F..%2Fpostdesk.db', '/media/']) {
      const r = await fetch(`${base}${p}`);
      expect(r.status, p).toBe(404);
      expect(await r.json(), p).toMatchObject({ code: 'not_found' });
    }
    const other = await fetch(`${base}/api/media.list`);
    expect(await other.text()).toBe('not a media route');
    const wrongVerb = await fetch(`${base}/api/media`, { method: 'POST', body: '{}' });
    expect(wrongVerb.status).toBe(405);
    expect(wrongVerb.headers.get('allow')).toBe('PUT');
  });

  it('given an upload that is not media, a bad query or an unknown workspace, then the answer says why and nothing is stored', async () => {
    const notMedia = await put({ workspaceId: wsA, filename: 'doc.png' }, Buffer.from('%PDF-1.7 a long document...'), 'image/png');
    expect(notMedia.status).toBe(415);
    expect(await notMedia.json()).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/PDF document/) });

    const noName = await put({ workspaceId: wsA }, png(2, 2));
    expect(noName.status).toBe(400);
    expect(await noName.json()).toMatchObject({ code: 'invalid_input', issues: [{ path: ['filename'] }] });

    const noWorkspace = await put({ workspaceId: '01890000-0000-7000-8000-000000000000', filename: 'a.png' }, png(2, 2));
    expect(noWorkspace.status).toBe(404);

    expect(mediaRows()).toEqual([]);
    expect(mediaFiles()).toEqual([]);
  });

  it('given a 5 MB upload of the wrong type, then the client still receives the 415 (not a connection reset) and nothing is stored', async () => {
    const junk = Buffer.alloc(5 * 1024 * 1024, 0x61);
    const r = await put({ workspaceId: wsA, filename: 'big.txt' }, junk, 'text/plain');
    expect(r.status).toBe(415);
    expect(r.headers.get('connection')).toBe('close');
    expect(mediaFiles()).toEqual([]);
  });

  it('given a declared size over 1 GiB, then 413 comes back without waiting for the body', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/api/media?workspaceId=${wsA}&filename=huge.mp4`, { method: 'PUT', headers: { 'Content-Length': String(1024 ** 3 + 1) } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on('error', reject);
      req.write(mp4().subarray(0, 64));
    });
    expect(status).toBe(413);
    expect(mediaFiles()).toEqual([]);
  });

  it('given a 50 MB video streamed as the body, then it is imported whole', async () => {
    const big = bigMp4Stream(50 * 1024 * 1024);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/api/media?workspaceId=${wsA}&filename=long.mp4`, { method: 'PUT', headers: { 'Content-Type': 'video/mp4' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(`${res.statusCode} ${text}`));
      });
      req.on('error', reject);
      big.stream.pipe(req);
    });
    expect(body.startsWith('201 ')).toBe(true);
    const { result } = JSON.parse(body.slice(4)) as { result: { sizeBytes: number; sha256: string } };
    expect(result).toMatchObject({ sizeBytes: big.size, sha256: big.digest() });
  });

  it('given an upload cut off midway, then nothing is stored and no temp file is left', async () => {
    const req = request(`${base}/api/media?workspaceId=${wsA}&filename=cut.mp4`, { method: 'PUT', headers: { 'Content-Length': '2000000' } });
    req.on('error', () => undefined);
    req.write(mp4().subarray(0, 200));
    req.write(Buffer.alloc(100_000));
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    // The server notices the reset and cleans up.
    for (let i = 0; i < 50 && readdirSync(tempDirOf(core.dir)).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(tempDirOf(core.dir))).toEqual([]);
    expect(mediaRows()).toEqual([]);
  });
});
