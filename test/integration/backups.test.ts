// Backups: verified copies, the rotation policy, a bad copy refused, restore keeps the current
// file aside. Real cores over real files in temporary folders.
import { existsSync, readdirSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup, listBackups, rotateBackups, verifyBackup } from '../../electron/core/backups/backup';
import { backupFileName } from '../../electron/core/backups/names';
import { backupsToDelete, type RotationEntry } from '../../electron/core/backups/rotation';
import { startTestCore, type TestCore } from '../helpers/core';
import { tempDir } from '../helpers/db';
import { ApiError } from '../../electron/api/errors';

const DAY = 86_400_000;
const cores: TestCore[] = [];
const dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.cleanup();
  for (const d of dirs.splice(0)) d.cleanup();
});

async function coreWithPosts(n: number) {
  const core = await startTestCore({ scheduler: false });
  cores.push(core);
  const ws = await core.call('workspaces.create', { name: 'Bakery', timezone: 'Europe/Paris' });
  for (let i = 0; i < n; i++) await core.call('posts.create', { workspaceId: ws.id, content: `Post ${i}`, targets: [] });
  return { core, ws };
}

function postCount(file: string): number {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM posts').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Overwrite `pages` pages from the middle of a file with garbage. */
function smashPages(file: string, pages: number): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    for (let p = 0; p < pages; p++) writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(size / 2 / 4096) * 4096 + p * 4096 - 4096 * Math.floor(pages / 2));
  } finally {
    closeSync(fd);
  }
}

describe('rotation policy', () => {
  it('given 60 days of daily backups, when rotated, then the newest of 7 days and of 4 weeks stay', () => {
    const now = Date.UTC(2026, 10, 24, 12);
    const entries: RotationEntry[] = [];
    for (let d = 0; d < 60; d++) entries.push({ name: `d${d}`, kind: 'daily', createdAt: now - d * DAY, verified: 'ok' });
    const doomed = new Set(backupsToDelete(entries, now));
    const kept = entries.filter((e) => !doomed.has(e.name)).map((e) => e.name);
    // 7 days (d0..d6) plus the newest of the 4 most recent ISO weeks, some of which are among them.
    expect(kept.slice(0, 7)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    expect(kept.length).toBeGreaterThanOrEqual(9);
    expect(kept.length).toBeLessThanOrEqual(11);
    expect(kept.every((n) => Number(n.slice(1)) < 28)).toBe(true);
  });

  it('given failed copies and old pre-migration copies, when rotated, then failed go, 2 newest pre-migration stay', () => {
    const now = Date.UTC(2026, 10, 24, 12);
    const entries: RotationEntry[] = [
      { name: 'good', kind: 'manual', createdAt: now - DAY, verified: 'ok' },
      { name: 'bad', kind: 'daily', createdAt: now, verified: 'failed' },
      { name: 'pre1', kind: 'pre-migration', createdAt: now - 100 * DAY, verified: 'unchecked' },
      { name: 'pre2', kind: 'pre-migration', createdAt: now - 120 * DAY, verified: 'unchecked' },
      { name: 'pre3', kind: 'pre-migration', createdAt: now - 140 * DAY, verified: 'unchecked' },
      { name: 'pre-recent', kind: 'pre-migration', createdAt: now - 2 * DAY, verified: 'unchecked' },
    ];
    expect(backupsToDelete(entries, now).sort()).toEqual(['bad', 'pre2', 'pre3']);
  });

  it('given real backup files older than the policy keeps, when rotateBackups runs, then they and their sidecars are deleted', async () => {
    const { core } = await coreWithPosts(3);
    const dir = join(core.dir, 'backups');
    const first = await createBackup({ source: join(core.dir, 'postdesk.db'), dir, kind: 'daily' });
    const now = first.createdAt;
    // Copies of the verified backup under names 1..20 days older.
    for (let d = 1; d <= 20; d++) {
      const name = backupFileName('daily', now - d * DAY);
      writeFileSync(join(dir, name), Buffer.from([]));
      writeFileSync(join(dir, `${name}.json`), JSON.stringify({ verified: 'ok', checkedAt: now, problems: [] }));
    }
    const deleted = rotateBackups(dir, now);
    expect(deleted.length).toBeGreaterThan(5);
    const left = readdirSync(dir);
    for (const name of deleted) {
      expect(left).not.toContain(name);
      expect(left).not.toContain(`${name}.json`);
    }
    expect(listBackups(dir)[0]?.name).toBe(first.name);
  });
});

describe('making and checking backups', () => {
  it('given a database with posts, when backed up through the API, then a verified copy with all rows is listed', async () => {
    const { core } = await coreWithPosts(5);
    const entry = await core.call('backups.create', {});
    expect(entry.verified).toBe('ok');
    expect(entry.kind).toBe('manual');
    expect(postCount(entry.path)).toBe(5);
    const status = await core.call('backups.status', {});
    expect(status.backups.map((b) => b.name)).toContain(entry.name);
    expect(status.backups[0]?.bytes).toBeGreaterThan(0);
  });

  it('given a backup whose pages were overwritten, when verified, then it is marked failed and restoring it is refused with the current file untouched', async () => {
    const { core } = await coreWithPosts(200);
    const entry = await core.call('backups.create', {});
    smashPages(entry.path, 4);
    const side = await verifyBackup(entry);
    expect(side.verified).toBe('failed');
    expect(side.problems.length).toBeGreaterThan(0);
    const before = readdirSync(core.dir).sort();
    const err = await core.call('backups.restore', { name: entry.name }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/integrity check/);
    expect(readdirSync(core.dir).sort()).toEqual(before);
    expect((await core.call('workspaces.list', {})).length).toBe(1);
  });

  it('given a migration ran on an older file, when listed, then its pre-migration copy is in the same list', async () => {
    const { dir, cleanup } = tempDir();
    dirs.push({ cleanup });
    const { openDatabase } = await import('../../db/client');
    const old = openDatabase({ file: join(dir, 'postdesk.db'), migrateUpTo: 0 });
    old.close();
    const core = await startTestCore({ dataDir: dir, scheduler: false });
    cores.push(core);
    const status = await core.call('backups.status', {});
    expect(status.backups.some((b) => b.kind === 'pre-migration')).toBe(true);
  });
});

describe('restore', () => {
  it('given a backup and later changes, when restored, then the backup data is back and the current file is kept aside with the later changes', async () => {
    const { core, ws } = await coreWithPosts(3);
    const entry = await core.call('backups.create', {});
    for (let i = 0; i < 4; i++) await core.call('posts.create', { workspaceId: ws.id, content: `Later ${i}`, targets: [] });
    const result = await core.call('backups.restore', { name: entry.name });
    expect(existsSync(result.keptAside)).toBe(true);
    expect(result.keptAside).toMatch(/postdesk\.db\.replaced-/);
    expect(postCount(result.keptAside)).toBe(7);
    // The same core answers from the restored file.
    const ids = await core.call('workspaces.list', {});
    expect(ids.map((w) => w.id)).toEqual([ws.id]);
    expect(postCount(join(core.dir, 'postdesk.db'))).toBe(3);
    // The core keeps working after the restore.
    await core.call('posts.create', { workspaceId: ws.id, content: 'After restore', targets: [] });
    expect(postCount(join(core.dir, 'postdesk.db'))).toBe(4);
    // No WAL of the old file was left to be replayed into the restored one.
    expect(readdirSync(core.dir).filter((n) => n.startsWith('postdesk.db.replaced-') && n.endsWith('-wal')).length).toBeLessThanOrEqual(1);
  });
});

describe('the daily backup job', () => {
  it('given an unchecked pre-migration copy, when the daily job runs, then a daily backup is made and the pre-migration copy is checked', async () => {
    const { dir, cleanup } = tempDir();
    dirs.push({ cleanup });
    const { openDatabase } = await import('../../db/client');
    openDatabase({ file: join(dir, 'postdesk.db'), migrateUpTo: 0 }).close();
    const core = await startTestCore({ dataDir: dir });
    cores.push(core);
    expect((await core.call('backups.status', {})).backups.find((b) => b.kind === 'pre-migration')?.verified).toBe('unchecked');
    const { dailyBackupJob } = await import('../../electron/core/backups/jobs');
    const job = core.scheduler!.enqueue(dailyBackupJob, {});
    const statusOf = () => core.ctx.db.sqlite.prepare<[string], { status: string }>('SELECT status FROM jobs WHERE id = ?').get(job.id)?.status;
    for (let waited = 0; waited < 30_000 && !['completed', 'failed'].includes(statusOf() ?? ''); waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(statusOf()).toBe('completed');
    const backups = (await core.call('backups.status', {})).backups;
    expect(backups.some((b) => b.kind === 'daily' && b.verified === 'ok')).toBe(true);
    expect(backups.find((b) => b.kind === 'pre-migration')?.verified).toBe('ok');
  });
});
