// Thumbnails on the real web host and core (database file, data folder): media.setThumbnail over
// HTTP checks the bytes before anything is stored, keeps them content-addressed under
// media/thumbs, and GET /media/<id>?thumb= serves the thumbnail (cached for good at its current
// version), or the original picture while there is none; deleting or replacing drops the file
// once no item uses it.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../electron/api/errors';
import { THUMBNAIL_MAX_BYTES } from '../../electron/core/media/thumbnails';
import { jpeg, mp4, png, webpHeader } from '../helpers/media-fixtures';
import { startTestWebHost, type TestWebHost } from '../helpers/web';

let host: TestWebHost;
let wsA: string;
let wsB: string;

beforeEach(async () => {
  host = await startTestWebHost();
  wsA = (await host.call('workspaces.create', { name: 'Blue Fern Bakery', timezone: 'Europe/Paris' })).id;
  wsB = (await host.call('workspaces.create', { name: 'Harbour Yoga', timezone: 'Europe/Lisbon' })).id;
});

afterEach(async () => {
  await host.cleanup();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const b64 = (b: Buffer) => b.toString('base64');

async function upload(workspaceId: string, filename: string, bytes: Buffer): Promise<{ id: string; url: string; thumbnailUrl: string | null }> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/media?workspaceId=${workspaceId}&filename=${filename}`, {
    method: 'PUT',
    body: new Uint8Array(bytes),
    headers: { Authorization: `Bearer ${host.token}` },
  });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { result: { id: string; url: string; thumbnailUrl: string | null } }).result;
}

const get = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${host.port}${path}`, init);

function thumbFiles(): string[] {
  const root = join(host.dir, 'media', 'thumbs');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(root.length + 1))
    .sort();
}

function tempFiles(): string[] {
  const dir = join(host.dir, 'media', 'tmp');
  return existsSync(dir) ? readdirSync(dir) : [];
}

function thumbnailPathOf(mediaId: string): string | null {
  const db = new Database(join(host.dir, 'postdesk.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT thumbnail_path FROM media WHERE id = ?').get(mediaId) as { thumbnail_path: string | null }).thumbnail_path;
  } finally {
    db.close();
  }
}

/** A valid 480×360 JPEG grown to exactly `total` bytes with comment segments before the frame. */
function jpegOfSize(total: number): Buffer {
  const j = jpeg(480, 360);
  const segments: Buffer[] = [];
  let fill = total - j.length;
  while (fill > 0) {
    const size = Math.min(fill, 0xffff + 2);
    // A segment is its marker, its length (counting itself) and its payload; 4 bytes at least.
    const take = fill - size > 0 && fill - size < 4 ? size - 4 : size;
    segments.push(Buffer.concat([Buffer.of(0xff, 0xfe, ((take - 2) >> 8) & 0xff, (take - 2) & 0xff), Buffer.alloc(take - 4, 0x20)]));
    fill -= take;
  }
  const out = Buffer.concat([j.subarray(0, 2), ...segments, j.subarray(2)]);
  expect(out.length).toBe(total);
  return out;
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('media thumbnails through the web host', () => {
  it('given a 640×480 PNG, when the window sends a 480×360 WebP of it, then it is stored by its hash, named in the item, and served at its version for good while the original stays as it was', async () => {
    const original = png(640, 480, 3);
    const item = await upload(wsA, 'loaf.png', original);
    expect(item.thumbnailUrl).toBeNull();

    const thumb = webpHeader.lossy(480, 360);
    const view = await host.call('media.setThumbnail', { mediaId: item.id, mime: 'image/webp', dataBase64: b64(thumb) });
    const digest = sha(thumb);
    expect(view).toMatchObject({ id: item.id, width: 640, height: 480, url: `/media/${item.id}`, thumbnailUrl: `/media/${item.id}?thumb=${digest.slice(0, 16)}` });
    expect(thumbFiles()).toEqual([join(digest.slice(0, 2), `${digest}.webp`)]);
    expect(readFileSync(join(host.dir, 'media', 'thumbs', digest.slice(0, 2), `${digest}.webp`)).equals(thumb)).toBe(true);
    expect(thumbnailPathOf(item.id)).toBe(`media/thumbs/${digest.slice(0, 2)}/${digest}.webp`);
    expect(tempFiles()).toEqual([]);
    expect((await host.call('media.list', { workspaceId: wsA })).items[0]?.thumbnailUrl).toBe(view.thumbnailUrl);

    const served = await get(view.thumbnailUrl!);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(served.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(served.headers.get('etag')).toBe(`"${digest}"`);
    expect(served.headers.get('content-disposition')).toContain('filename="loaf-thumbnail.webp"');
    expect(Buffer.from(await served.arrayBuffer()).equals(thumb)).toBe(true);
    const head = await get(view.thumbnailUrl!, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(thumb.length));
    // Any other ?thumb= value gets the thumbnail too, but must ask again next time.
    expect((await get(`/media/${item.id}?thumb=1`)).headers.get('cache-control')).toBe('private, no-cache');
    const notModified = await get(view.thumbnailUrl!, { headers: { 'If-None-Match': `"${digest}"` } });
    expect(notModified.status).toBe(304);

    const plain = await get(`/media/${item.id}`);
    expect(plain.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await plain.arrayBuffer()).equals(original)).toBe(true);
  });

  it('given items without a thumbnail, then ?thumb= serves a picture’s original (asked again next time) and a video’s nothing; once the video has one, that', async () => {
    const picture = png(64, 48, 9);
    const p = await upload(wsA, 'small.png', picture);
    const fallback = await get(`/media/${p.id}?thumb=1`);
    expect(fallback.status).toBe(200);
    expect(fallback.headers.get('content-type')).toBe('image/png');
    expect(fallback.headers.get('cache-control')).toBe('private, no-cache');
    expect(fallback.headers.get('etag')).toBe(`"${sha(picture)}"`);
    expect(Buffer.from(await fallback.arrayBuffer()).equals(picture)).toBe(true);

    const v = await upload(wsA, 'clip.mp4', mp4({ width: 1920, height: 1080, duration: 12_000 }));
    const none = await get(`/media/${v.id}?thumb=1`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { code: string }).code).toBe('not_found');

    const frame = jpeg(480, 270);
    const view = await host.call('media.setThumbnail', { mediaId: v.id, mime: 'image/jpeg', dataBase64: b64(frame) });
    expect(view.thumbnailUrl).toBe(`/media/${v.id}?thumb=${sha(frame).slice(0, 16)}`);
    const served = await get(view.thumbnailUrl!);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(frame)).toBe(true);
    // The video itself is still the video.
    expect((await get(`/media/${v.id}`)).headers.get('content-type')).toBe('video/mp4');
  });

  it('given bytes that are not a whole still WebP/JPEG of the picture’s shape within the limits, then each is refused and nothing is stored', async () => {
    const item = await upload(wsA, 'photo.png', png(640, 480, 1));
    const send = (mime: 'image/webp' | 'image/jpeg', bytes: Buffer | string) =>
      refusal(host.call('media.setThumbnail', { mediaId: item.id, mime, dataBase64: typeof bytes === 'string' ? bytes : b64(bytes) }));

    expect((await send('image/webp', png(48, 36))).message).toBe('The thumbnail was sent as image/webp but its bytes are a PNG file.');
    expect((await send('image/jpeg', webpHeader.lossy(480, 360))).message).toBe('The thumbnail was sent as image/jpeg but its bytes are a WEBP file.');
    const webp = webpHeader.lossy(480, 360);
    expect((await send('image/webp', webp.subarray(0, webp.length - 2))).message).toMatch(/not a complete WebP file/);
    expect((await send('image/webp', webpHeader.extended(480, 360, true))).message).toMatch(/animated WebP/);
    const j = jpeg(480, 360);
    expect((await send('image/jpeg', j.subarray(0, j.length - 2))).message).toMatch(/end-of-image marker/);
    expect((await send('image/webp', webpHeader.lossy(482, 362))).message).toBe('The thumbnail is 482×362; thumbnails may be at most 480 pixels on each side.');
    expect((await send('image/webp', webpHeader.lossy(360, 480))).message).toMatch(/not the shape of the 640×480 original/);

    // The size cap holds before decoding (schema) and after (the bytes themselves).
    const tooLong = await send('image/webp', 'A'.repeat(Math.ceil(THUMBNAIL_MAX_BYTES / 3) * 4 + 4));
    expect(tooLong.code).toBe('invalid_input');
    expect(tooLong.issues?.[0]).toMatchObject({ path: ['dataBase64'], message: 'a thumbnail may be at most 512 KiB' });
    const notBase64 = await send('image/webp', 'UklGR!!!');
    expect(notBase64.issues?.[0]).toMatchObject({ path: ['dataBase64'], message: 'not base64 data' });
    // One byte over: its base64 is as long as 512 KiB's, so only the decoded size can tell.
    const huge = jpegOfSize(THUMBNAIL_MAX_BYTES + 1);
    expect(b64(huge).length).toBe(Math.ceil(THUMBNAIL_MAX_BYTES / 3) * 4);
    expect((await send('image/jpeg', huge)).message).toBe('The thumbnail is 513 KiB; thumbnails may be at most 512 KiB.');

    const badMime = await refusal(host.call('media.setThumbnail', { mediaId: item.id, mime: 'image/png' as 'image/webp', dataBase64: b64(png(48, 36)) }));
    expect(badMime.issues?.[0]?.path).toEqual(['mime']);

    expect(thumbFiles()).toEqual([]);
    expect(tempFiles()).toEqual([]);
    expect(thumbnailPathOf(item.id)).toBeNull();
    expect((await host.call('media.get', { mediaId: item.id })).thumbnailUrl).toBeNull();
  });

  it('given an unknown or deleted item, then setThumbnail answers not_found and leaves no file', async () => {
    const item = await upload(wsA, 'gone.png', png(64, 48, 2));
    await host.call('media.delete', { mediaId: item.id });
    const thumb = b64(webpHeader.lossy(64, 48));
    expect((await refusal(host.call('media.setThumbnail', { mediaId: item.id, mime: 'image/webp', dataBase64: thumb }))).code).toBe('not_found');
    expect((await refusal(host.call('media.setThumbnail', { mediaId: '0190a0b0-0000-7000-8000-0000000000ff', mime: 'image/webp', dataBase64: thumb }))).code).toBe('not_found');
    expect(thumbFiles()).toEqual([]);
    expect(tempFiles()).toEqual([]);
  });

  it('given an item with a thumbnail, when a new one replaces it, then the old file goes; sending the same one again changes nothing', async () => {
    const item = await upload(wsA, 'swap.png', png(640, 480, 4));
    const first = webpHeader.lossy(480, 360);
    const second = jpeg(240, 180);
    await host.call('media.setThumbnail', { mediaId: item.id, mime: 'image/webp', dataBase64: b64(first) });
    const before = (await host.call('media.get', { mediaId: item.id })).updatedAt;
    const again = await host.call('media.setThumbnail', { mediaId: item.id, mime: 'image/webp', dataBase64: b64(first) });
    expect(again.updatedAt).toBe(before);
    expect(thumbFiles()).toEqual([join(sha(first).slice(0, 2), `${sha(first)}.webp`)]);

    const replaced = await host.call('media.setThumbnail', { mediaId: item.id, mime: 'image/jpeg', dataBase64: b64(second) });
    expect(replaced.thumbnailUrl).toBe(`/media/${item.id}?thumb=${sha(second).slice(0, 16)}`);
    expect(thumbFiles()).toEqual([join(sha(second).slice(0, 2), `${sha(second)}.jpg`)]);
    // The old version's URL now gets the new thumbnail, not cached for good.
    const old = await get(`/media/${item.id}?thumb=${sha(first).slice(0, 16)}`);
    expect(old.headers.get('content-type')).toBe('image/jpeg');
    expect(old.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('given the same picture and thumbnail in two workspaces, when one deletes its item the thumbnail stays for the other; when both have, it is gone with the original', async () => {
    const picture = jpeg(640, 480);
    const a = await upload(wsA, 'shared.jpg', picture);
    const b = await upload(wsB, 'shared.jpg', picture);
    const thumb = webpHeader.lossy(480, 360);
    await host.call('media.setThumbnail', { mediaId: a.id, mime: 'image/webp', dataBase64: b64(thumb) });
    await host.call('media.setThumbnail', { mediaId: b.id, mime: 'image/webp', dataBase64: b64(thumb) });
    expect(thumbFiles()).toHaveLength(1);

    expect(await host.call('media.delete', { mediaId: a.id })).toEqual({ deleted: true, fileRemoved: false });
    expect(thumbFiles()).toHaveLength(1);
    expect((await get(`/media/${b.id}?thumb=1`)).headers.get('content-type')).toBe('image/webp');
    expect((await get(`/media/${a.id}?thumb=1`)).status).toBe(404);

    expect(await host.call('media.delete', { mediaId: b.id })).toEqual({ deleted: true, fileRemoved: true });
    expect(thumbFiles()).toEqual([]);
  });

  it('given a thumbnail sent while the item is being deleted, then whichever comes first, no thumbnail file is left behind', async () => {
    for (let n = 0; n < 6; n++) {
      const item = await upload(wsA, `race-${n}.png`, png(64, 48, 100 + n));
      const thumb = b64(webpHeader.lossy(64, 48 + (n % 2)));
      const [set, del] = await Promise.allSettled([
        n % 2 === 0 ? host.call('media.setThumbnail', { mediaId: item.id, mime: 'image/webp', dataBase64: thumb }) : host.call('media.delete', { mediaId: item.id }),
        n % 2 === 0 ? host.call('media.delete', { mediaId: item.id }) : host.call('media.setThumbnail', { mediaId: item.id, mime: 'image/webp', dataBase64: thumb }),
      ]);
      const outcomes = [set, del].map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as ApiError).code));
      expect(outcomes.filter((o) => o !== 'ok' && o !== 'not_found')).toEqual([]);
      expect(thumbFiles()).toEqual([]);
    }
    expect(tempFiles()).toEqual([]);
  });

  it('given a thumbnail path that arrived from elsewhere pointing outside the thumbnails folder, then it is neither shown nor served', async () => {
    const picture = png(64, 48, 5);
    const item = await upload(wsA, 'synced.png', picture);
    const db = new Database(join(host.dir, 'postdesk.db'));
    try {
      db.prepare('UPDATE media SET thumbnail_path = ? WHERE id = ?').run('../postdesk.db', item.id);
    } finally {
      db.close();
    }
    expect((await host.call('media.get', { mediaId: item.id })).thumbnailUrl).toBeNull();
    const served = await get(`/media/${item.id}?thumb=1`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(picture)).toBe(true);
  });
});
