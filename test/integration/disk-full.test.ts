// Disk full and a file that can no longer be written: the API answers a typed error, the process
// keeps serving, nothing committed is lost, and writes work again once the cause is gone.
// As root (CI) the data folder is a small tmpfs the test mounts, filled for real; elsewhere
// SQLite's max_page_count stands in for the disk's end (the same SQLITE_FULL path).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../electron/api/errors';
import { startTestCore, type TestCore } from '../helpers/core';
import { tempDir } from '../helpers/db';

const root = tempDir('postdesk-diskfull-');
const mountPoint = join(root.dir, 'disk');
let mounted = false;

beforeAll(() => {
  mkdirSync(mountPoint);
  if (process.getuid?.() !== 0) return;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch {
    // No CAP_SYS_ADMIN (a container): the max_page_count fallback below.
  }
});

afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
  root.cleanup();
});

function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('disk full', () => {
  let core: TestCore;
  afterAll(async () => {
    await core?.close();
  });

  it('given a nearly full disk, when posts are written until the disk is full, then the API answers disk_full, the core keeps serving, and after space is freed writes succeed with nothing lost', async () => {
    const dataDir = join(mountPoint, 'data');
    core = await startTestCore({ dataDir });
    const ws = await core.call('workspaces.create', { name: 'Bakery', timezone: 'Europe/Paris' });
    const ballast = join(mountPoint, 'ballast');
    if (mounted) {
      // Leave about 1 MB: a few dozen posts fit, then the disk is full.
      writeFileSync(ballast, Buffer.alloc(Math.max(0, freeBytes(mountPoint) - 1024 * 1024)));
    } else {
      const pages = Number(core.ctx.db.sqlite.pragma('page_count', { simple: true }));
      core.ctx.db.sqlite.pragma(`max_page_count = ${pages + 200}`);
    }

    const committed: string[] = [];
    let error: ApiError | null = null;
    const body = 'Fresh sourdough every morning. '.repeat(600);
    for (let i = 0; i < 2000 && !error; i++) {
      try {
        const post = await core.call('posts.create', { workspaceId: ws.id, content: `${i} ${body}`.slice(0, 16000), targets: [] });
        committed.push(post.id);
      } catch (err) {
        error = err as ApiError;
      }
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe('disk_full');
    expect(error?.message).toMatch(/disk is full/);
    expect(committed.length).toBeGreaterThan(3);

    // Still serving: reads answer, and a second write fails the same typed way (no crash, no hang).
    expect((await core.call('workspaces.list', {})).map((w) => w.id)).toEqual([ws.id]);
    expect((await failure(core.call('posts.create', { workspaceId: ws.id, content: body, targets: [] }))).code).toBe('disk_full');

    // Space comes back.
    if (mounted) rmSync(ballast);
    else core.ctx.db.sqlite.pragma('max_page_count = 1073741823');
    const after = await core.call('posts.create', { workspaceId: ws.id, content: 'After the disk was freed', targets: [] });
    const ids = (await core.call('posts.list', { workspaceId: ws.id })).items.map((p) => p.id);
    for (const id of [...committed, after.id]) expect(ids).toContain(id);
    expect(core.ctx.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('given the data folder\'s drive turned read-only, when the core starts, then it refuses in words, and once writable it starts with nothing lost', async () => {
    if (!mounted) return;
    const [ws] = await core.call('workspaces.list', {});
    const before = (await core.call('posts.list', { workspaceId: ws!.id })).total;
    await core.close();
    execFileSync('mount', ['-o', 'remount,ro', mountPoint], { stdio: 'pipe' });
    try {
      const err = await startTestCore({ dataDir: join(mountPoint, 'data') }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(/read-only/);
      expect((err as { code?: string } | null)?.code).toBe('read_only');
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mountPoint], { stdio: 'pipe' });
    }
    core = await startTestCore({ dataDir: join(mountPoint, 'data') });
    await core.call('posts.create', { workspaceId: ws!.id, content: 'writable again', targets: [] });
    expect((await core.call('posts.list', { workspaceId: ws!.id })).total).toBe(before + 1);
  });

  it('given a read-only connection (a file the process may not write), when a post is written, then the API answers read_only and the core keeps serving', async () => {
    const [ws] = await core.call('workspaces.list', {});
    // query_only makes SQLite refuse writes exactly as for a read-only file (SQLITE_READONLY).
    core.ctx.db.sqlite.pragma('query_only = ON');
    try {
      const err = await failure(core.call('posts.create', { workspaceId: ws!.id, content: 'refused', targets: [] }));
      expect(err.code).toBe('read_only');
      expect((await core.call('workspaces.list', {})).length).toBe(1);
    } finally {
      core.ctx.db.sqlite.pragma('query_only = OFF');
    }
    await core.call('posts.create', { workspaceId: ws!.id, content: 'accepted', targets: [] });
  });
});
