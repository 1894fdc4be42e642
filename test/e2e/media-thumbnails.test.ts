// Media thumbnails in real Chromium against the real web-mode process: a 1200×900 PNG picked in
// Compose gets a WebP thumbnail made by the page (createImageBitmap + canvas), checked and stored
// by the engine (≤ 480 px, under ~100 kB, in media/thumbs), shown in the attachment strip and in
// the media library grid. A JPEG imported without a window (so with no thumbnail), stored
// 800×400 but turned a quarter by its EXIF orientation, gets its thumbnail lazily when the
// library shows it, upright (240×480). A WebM recorded in the page (MediaRecorder, so a real
// VP8/VP9 stream) gets a frame as its thumbnail. The page logs no script error and no CSP violation.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource, probeMedia } from '../../electron/core/media/probe';
import { openBrowser } from '../helpers/browser';
import { jpeg, png } from '../helpers/media-fixtures';
import { repoRoot, spawnWebCli, type SpawnedWeb } from '../helpers/web';

const SHOTS = join(repoRoot, 'test-results');
const PICTURE = png(1200, 900, 11);

let web: SpawnedWeb;
let context: BrowserContext;
let page: Page;
let profile: { dir: string; cleanup: () => void };
let workspaceId = '';
const problems: string[] = [];

interface MediaRow {
  id: string;
  filename: string;
  thumbnail_path: string | null;
}

function mediaRows(): MediaRow[] {
  const db = new Database(join(web.dataDir, 'postdesk.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, filename, thumbnail_path FROM media WHERE deleted_at IS NULL ORDER BY filename').all() as MediaRow[];
  } finally {
    db.close();
  }
}

const rowOf = (filename: string) => mediaRows().find((r) => r.filename === filename);
const nav = (name: string) => page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name, exact: true });
const library = () => page.getByRole('dialog', { name: 'Media library' });
/** The natural size of a loaded <img>, or null while it is loading. */
const loadedSize = (img: ReturnType<Page['locator']>) =>
  img.evaluate((el: HTMLImageElement) => (el.complete && el.naturalWidth > 0 ? `${el.naturalWidth}x${el.naturalHeight}` : null));

async function storedThumbnail(filename: string): Promise<{ bytes: Buffer; format: string; width: number; height: number }> {
  const path = rowOf(filename)?.thumbnail_path;
  expect(path).toMatch(/^media\/thumbs\/[0-9a-f]{2}\/[0-9a-f]{64}\.webp$/);
  const bytes = readFileSync(join(web.dataDir, path!));
  const probe = await probeMedia(bufferSource(bytes));
  return { bytes, format: probe.format, width: probe.width, height: probe.height };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await spawnWebCli();
  workspaceId = (await web.call('workspaces.create', { name: 'Kōfi & Crumb', timezone: 'Europe/London' })).id;
  ({ context, page, profile } = await openBrowser(problems));
});

afterAll(async () => {
  await context?.close();
  await web?.cleanup();
  profile?.cleanup();
});

describe('media thumbnails in Chromium (web mode)', () => {
  it('when the user uploads a 1200×900 PNG in Compose, then a WebP thumbnail of at most 480 px and under 100 kB is stored and the attachment strip shows it', async () => {
    await page.goto(web.openUrl);
    await page.locator('html[data-app="ready"]').waitFor();
    await nav('Compose').click();
    await page.getByRole('heading', { level: 1, name: 'New post' }).waitFor();

    await page.locator('input[type="file"]').setInputFiles({ name: 'counter.png', mimeType: 'image/png', buffer: PICTURE });
    const img = page.locator('.cmp-thumb').filter({ hasText: 'counter.png' }).locator('img');
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(/^\/media\/[0-9a-f-]{36}\?thumb=1$/);
    // The strip's picture is the 480×360 thumbnail, not the 1200×900 original.
    await expect.poll(() => loadedSize(img), { timeout: 15_000 }).toBe('480x360');

    const thumb = await storedThumbnail('counter.png');
    expect(thumb).toMatchObject({ format: 'webp', width: 480, height: 360 });
    expect(thumb.bytes.length).toBeLessThan(100 * 1024);
    expect(thumb.bytes.toString('latin1', 0, 4)).toBe('RIFF');
    expect(thumb.bytes.toString('latin1', 8, 12)).toBe('WEBP');
  });

  it('when the user opens the media library, then the grid shows the thumbnail; an older item without one, turned by EXIF, gets an upright one while it is shown', async () => {
    // Imported without a window, as the CLI or an older version would: no thumbnail yet.
    const turned = jpeg(800, 400, { orientation: 6 });
    const res = await fetch(`${web.origin}/api/media?workspaceId=${workspaceId}&filename=turned.jpg`, {
      method: 'PUT',
      body: new Uint8Array(turned),
      headers: { Authorization: `Bearer ${web.token}` },
    });
    expect(res.status).toBe(201);
    const older = ((await res.json()) as { result: { id: string; width: number; height: number; thumbnailUrl: string | null } }).result;
    expect(older).toMatchObject({ width: 400, height: 800, thumbnailUrl: null });

    await page.getByRole('button', { name: 'From library' }).click();
    await library().waitFor();
    const grid = library().getByRole('list', { name: 'Library items' });
    const counterImg = grid.getByRole('button', { name: /counter\.png/ }).locator('img');
    const counterId = rowOf('counter.png')!.id;
    expect(await counterImg.getAttribute('src')).toMatch(new RegExp(`^/media/${counterId}\\?thumb=[0-9a-f]{16}$`));
    await expect.poll(() => loadedSize(counterImg), { timeout: 15_000 }).toBe('480x360');

    const turnedImg = grid.getByRole('button', { name: /turned\.jpg/ }).locator('img');
    await expect.poll(() => rowOf('turned.jpg')?.thumbnail_path ?? null, { timeout: 20_000 }).not.toBeNull();
    await expect.poll(() => turnedImg.getAttribute('src'), { timeout: 10_000 }).toMatch(new RegExp(`^/media/${older.id}\\?thumb=[0-9a-f]{16}$`));
    await expect.poll(() => loadedSize(turnedImg), { timeout: 15_000 }).toBe('240x480');
    expect(await storedThumbnail('turned.jpg')).toMatchObject({ format: 'webp', width: 240, height: 480 });
    await page.screenshot({ path: join(SHOTS, 'page-media-library-thumbnails.png') });

    await library().getByRole('button', { name: 'Cancel' }).click();
    await library().waitFor({ state: 'hidden' });
    expect(problems).toEqual([]);
  });

  it('when the user uploads a video, then a frame of it becomes its thumbnail and the strip shows that instead of a placeholder', async () => {
    // Two seconds of a moving 640×360 picture, recorded by the engine itself.
    const webmBase64 = await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 360;
      const g = canvas.getContext('2d')!;
      const rec = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });
      const parts: Blob[] = [];
      rec.ondataavailable = (e) => parts.push(e.data);
      const stopped = new Promise((r) => (rec.onstop = r));
      rec.start(200);
      const t0 = performance.now();
      await new Promise<void>((done) => {
        const frame = () => {
          const t = performance.now() - t0;
          g.fillStyle = `hsl(${Math.round(t / 10) % 360} 70% 50%)`;
          g.fillRect(0, 0, 640, 360);
          g.fillStyle = '#fff';
          g.fillRect((t / 5) % 600, 150, 40, 40);
          if (t < 2000) requestAnimationFrame(frame);
          else done();
        };
        frame();
      });
      rec.stop();
      await stopped;
      const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    });
    await page.locator('input[type="file"]').setInputFiles({ name: 'oven.webm', mimeType: 'video/webm', buffer: Buffer.from(webmBase64, 'base64') });
    const img = page.locator('.cmp-thumb').filter({ hasText: 'oven.webm' }).locator('img');
    await expect.poll(() => loadedSize(img), { timeout: 30_000 }).toBe('480x270');
    const thumb = await storedThumbnail('oven.webm');
    expect(thumb).toMatchObject({ format: 'webp', width: 480, height: 270 });
    // A decoded frame of the recording (a bright hue), not an empty black canvas.
    const [r, g, b] = await img.evaluate((el: HTMLImageElement) => {
      const c = document.createElement('canvas');
      c.width = 1;
      c.height = 1;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(el, 10, 10, 1, 1, 0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data];
    });
    expect(Math.max(r!, g!, b!)).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });
});
