// A damaged database file: the core does not crash or start empty; it starts in recovery, reports
// the damage, keeps the file, and a restore from the newest good backup brings the data back.
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../electron/api/errors';
import { startTestCore, type TestCore } from '../helpers/core';
import { tempDir } from '../helpers/db';

const cores: TestCore[] = [];
const dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.cleanup();
  for (const d of dirs.splice(0)) d.cleanup();
});

/** A data folder with a workspace, 300 posts and a verified backup, closed cleanly. */
async function preparedFolder() {
  const t = tempDir('postdesk-corrupt-');
  dirs.push(t);
  const core = await startTestCore({ dataDir: t.dir, scheduler: false });
  const ws = await core.call('workspaces.create', { name: 'Bakery', timezone: 'Europe/Paris' });
  for (let i = 0; i < 300; i++) await core.call('posts.create', { workspaceId: ws.id, content: `Post number ${i} with some text to fill pages`, targets: [] });
  const backup = await core.call('backups.create', {});
  await core.close();
  return { dir: t.dir, ws, backup };
}

/** Overwrite every other page from page 3 on with a pattern (the header and schema page survive). */
function overwritePages(file: string): void {
  const pageSize = 4096;
  const pages = Math.floor(statSync(file).size / pageSize);
  const fd = openSync(file, 'r+');
  try {
    for (let p = 2; p < pages; p += 2) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, p * pageSize);
  } finally {
    closeSync(fd);
  }
}

async function expectDamaged(core: TestCore) {
  const err = await core.call('workspaces.list', {}).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('damaged');
  expect((err as ApiError).message).toMatch(/damaged|not a Postdesk database/);
}

describe('a damaged database at startup', () => {
  it('given a copy of the file with pages overwritten, when the core starts on it, then it reports the damage, keeps the file, and a restore brings the data back', async () => {
    const { dir, ws, backup } = await preparedFolder();
    // Work on a copy, as a user's disk would hand us a damaged file.
    const damagedDir = join(dir, 'copy');
    mkdirSync(damagedDir);
    copyFileSync(join(dir, 'postdesk.db'), join(damagedDir, 'postdesk.db'));
    mkdirSync(join(damagedDir, 'backups'));
    copyFileSync(backup.path, join(damagedDir, 'backups', backup.name));
    copyFileSync(`${backup.path}.json`, join(damagedDir, 'backups', `${backup.name}.json`));
    const file = join(damagedDir, 'postdesk.db');
    overwritePages(file);
    const damagedBytes = readFileSync(file);

    const core = await startTestCore({ dataDir: damagedDir });
    cores.push(core);
    const status = await core.call('backups.status', {});
    expect(status.recovery?.reason).toBe('damaged');
    expect(status.recovery?.problems.length).toBeGreaterThan(0);
    expect(status.recovery?.newestGood).toBe(backup.name);
    expect(core.scheduler).toBeNull();
    await expectDamaged(core);
    // Nothing touched the damaged file.
    expect(readFileSync(file).equals(damagedBytes)).toBe(true);

    const restored = await core.call('backups.restore', { name: backup.name });
    expect(restored.keptAside).toMatch(/postdesk\.db\.damaged-/);
    expect(readFileSync(restored.keptAside).equals(damagedBytes)).toBe(true);
    const after = await core.call('backups.status', {});
    expect(after.recovery).toBeNull();
    const list = await core.call('workspaces.list', {});
    expect(list.map((w) => w.id)).toEqual([ws.id]);
    const posts = await core.call('posts.list', { workspaceId: ws.id, limit: 500 });
    expect(JSON.stringify(posts)).toContain('Post number 299');
  });

  it('given a file that is not a database at all, when the core starts, then it is in recovery and the file is kept unchanged', async () => {
    const { dir, backup } = await preparedFolder();
    const file = join(dir, 'postdesk.db');
    writeFileSync(file, 'this is a shopping list, not a database\n'.repeat(200));
    const core = await startTestCore({ dataDir: dir });
    cores.push(core);
    const status = await core.call('backups.status', {});
    expect(status.recovery?.reason).toBe('not_a_database');
    await expectDamaged(core);
    expect(readFileSync(file, 'utf8')).toMatch(/^this is a shopping list/);
    const restored = await core.call('backups.restore', { name: backup.name });
    expect(existsSync(restored.keptAside)).toBe(true);
    expect((await core.call('workspaces.list', {})).length).toBe(1);
  });

  it('given a running core whose file gets damaged on disk, when the full integrity check runs, then it reports the problems and the core switches to recovery', async () => {
    const { dir, backup } = await preparedFolder();
    const core = await startTestCore({ dataDir: dir, scheduler: false });
    cores.push(core);
    expect((await core.call('backups.status', {})).recovery).toBeNull();
    core.ctx.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    overwritePages(join(dir, 'postdesk.db'));
    const result = await core.call('backups.check', { level: 'full' });
    expect(result.ok).toBe(false);
    expect(result.problems.length).toBeGreaterThan(0);
    // The switch happens just after the answer (a scheduler job calling the check must finish first).
    for (let i = 0; i < 50 && (await core.call('backups.status', {})).recovery === null; i++) await new Promise((r) => setTimeout(r, 20));
    const status = await core.call('backups.status', {});
    expect(status.recovery?.reason).toBe('damaged');
    expect(status.recovery?.newestGood).toBe(backup.name);
    await expectDamaged(core);
  });
});
