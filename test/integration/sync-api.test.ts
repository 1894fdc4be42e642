// Sync through the API of a real core (startTestCore: database file, vault, scheduler) against a
// real Postgres: connect, choose, Sync now with progress, status, the scheduler's rounds (on a
// local edit, and none while paused), conflicts to review, disconnect; bad connection strings
// refused in words without the string (or its password) coming back.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiError, listen, startTestCore, type TestCore } from '../helpers/core';
import { freePort, startPostgres, type TestPostgres } from '../helpers/postgres';
import { openDevice, type Device } from '../helpers/sync';

let pgServer: TestPostgres;
let dbName: string;
let url: string;
const cores: TestCore[] = [];
const devices: Device[] = [];
const clients: pg.Client[] = [];

beforeAll(async () => {
  pgServer = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pgServer?.stop();
});
beforeEach(async () => {
  dbName = await pgServer.createDatabase();
  url = pgServer.url(dbName);
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.end();
  for (const d of devices.splice(0)) await d.close();
  for (const c of cores.splice(0)) await c.cleanup();
});

/** A core whose automatic rounds come quickly; the backstop outbox look is off unless asked. */
async function core(sync: { debounceMs?: number; watchMs?: number; startupDelayMs?: number; backoffBaseMs?: number } = {}, dataDir?: string): Promise<TestCore> {
  const c = await startTestCore({ sync: { debounceMs: 60_000, maxWaitMs: 120_000, watchMs: 600_000, startupDelayMs: 600_000, ...sync }, ...(dataDir ? { dataDir } : {}) });
  cores.push(c);
  return c;
}

async function cloud(): Promise<pg.Client> {
  const c = await pgServer.admin(dbName);
  clients.push(c);
  return c;
}

async function cloudContent(client: pg.Client, postId: string): Promise<string | null> {
  const r = await client.query<{ content: string }>('SELECT content FROM postdesk.posts WHERE id = $1', [postId]);
  return r.rows[0]?.content ?? null;
}

async function waitFor<T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await sleep(50);
  }
}

/** A workspace with posts, connected, chosen and synced once. */
async function synced(c: TestCore, posts = 3): Promise<{ ws: string; postIds: string[] }> {
  const ws = (await c.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'UTC' })).id;
  const postIds: string[] = [];
  for (let i = 0; i < posts; i++) postIds.push((await c.call('posts.create', { workspaceId: ws, content: `Post ${i}`, targets: [] })).id);
  await c.call('sync.connect', { connectionString: url });
  await c.call('sync.chooseWorkspaces', { workspaceIds: [ws] });
  const r = await c.call('sync.syncNow', {});
  expect(r.ran).toBe(true);
  return { ws, postIds };
}

describe('connecting', () => {
  it('given strings that are not a reachable Postgres, when connecting, then each is refused in words and the password never comes back', async () => {
    const c = await core();
    const notPostgres = await apiError(c.call('sync.connect', { connectionString: 'mysql://bob:hunter2@db.example.com/app' }));
    expect(notPostgres.code).toBe('invalid_input');
    expect(notPostgres.message).toMatch(/starts with postgres:\/\//);

    const closedPort = await freePort();
    const unreachable = await apiError(c.call('sync.connect', { connectionString: `postgres://bob:hunter2@127.0.0.1:${closedPort}/app` }));
    expect(unreachable.code).toBe('unavailable');
    expect(unreachable.message).toMatch(/Could not reach the database server/);

    const wrongPassword = await apiError(c.call('sync.connect', { connectionString: pgServer.url(dbName, 'postgres', 'hunter2') }));
    expect(wrongPassword.message).toMatch(/refused the user name or password/);

    for (const e of [notPostgres, unreachable, wrongPassword]) expect(JSON.stringify(e.toJSON())).not.toContain('hunter2');
    const status = await c.call('sync.status', {});
    expect(status).toMatchObject({ connected: false, lastError: null, workspaces: [] });
    expect(JSON.stringify(status)).not.toContain('hunter2');
  });

  it('given a connected core, when it restarts, then it is still connected without asking for the string again, and the string is stored sealed', async () => {
    const c = await core();
    const { migrated } = await c.call('sync.connect', { connectionString: url });
    expect(migrated).toBeGreaterThan(0);
    const sealed = c.ctx.db.sqlite.prepare(`SELECT * FROM app_secrets`).all();
    expect(JSON.stringify(sealed)).not.toContain('postgres://');
    const dir = c.dir;
    await c.close();
    cores.splice(cores.indexOf(c), 1);
    const again = await core({}, dir);
    expect((await again.call('sync.status', {})).connected).toBe(true);
    expect((await again.call('sync.cloudWorkspaces', {})).workspaces).toEqual([]);
  });
});

describe('a passphrase on saved sign-ins', () => {
  it('given sync set up and a passphrase, when the core restarts locked, then sync waits, and after unlocking it syncs what was written meanwhile', async () => {
    const c = await core({ debounceMs: 100 });
    const { postIds } = await synced(c, 1);
    await c.call('security.setPassphrase', { passphrase: 'correct horse battery' });
    const dir = c.dir;
    await c.close();
    cores.splice(cores.indexOf(c), 1);

    const again = await core({ debounceMs: 100, watchMs: 200 }, dir);
    expect(await again.call('sync.status', {})).toMatchObject({ connected: false, locked: true });
    const err = await apiError(again.call('sync.syncNow', {}));
    expect(err.message).toMatch(/unlocked.*passphrase in Settings → Security/);

    await again.call('security.unlock', { passphrase: 'correct horse battery' });
    expect(await again.call('sync.status', {})).toMatchObject({ connected: true, locked: false });
    await again.call('posts.update', { postId: postIds[0]!, content: 'after unlocking' });
    const pgc = await cloud();
    await waitFor('the edit in the cloud', () => cloudContent(pgc, postIds[0]!), (v) => v === 'after unlocking');
  });
});

describe('a round', () => {
  it('given a connected workspace, when Sync now runs twice at once, then one round sends everything with progress and status says synced', async () => {
    const c = await core();
    const ws = (await c.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'UTC' })).id;
    const postIds: string[] = [];
    for (let i = 0; i < 40; i++) postIds.push((await c.call('posts.create', { workspaceId: ws, content: `Post ${i}`, targets: [] })).id);
    await c.call('sync.connect', { connectionString: url });
    const listed = await c.call('sync.cloudWorkspaces', {});
    expect(listed.workspaces).toEqual([{ id: ws, name: 'Crumb Bakery', inCloud: false, here: true }]);
    const chosen = await c.call('sync.chooseWorkspaces', { workspaceIds: [ws] });
    expect(chosen.workspaces).toEqual([{ id: ws, name: 'Crumb Bakery' }]);
    expect(chosen.pending).toBeGreaterThanOrEqual(41);

    const progress = listen(c, 'sync.progress');
    const changed = listen(c, 'sync.changed');
    const before = Date.now();
    const [a, b] = await Promise.all([c.call('sync.syncNow', {}), c.call('sync.syncNow', {})]);
    expect(a.ran && a.pushed).toBeGreaterThanOrEqual(41);
    expect(b).toMatchObject({ ran: true, pushed: a.ran ? a.pushed : -1 });
    const pushes = progress.filter((p) => p.status === 'running' && p.phase === 'push');
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.at(-1)!.done).toBeGreaterThanOrEqual(41);
    expect(progress.filter((p) => p.status === 'done')).toHaveLength(1);
    expect(progress.at(-1)).toMatchObject({ status: 'done', fraction: 1 });
    expect(changed.filter((e) => e.reason === 'synced')).toHaveLength(1);

    const status = await c.call('sync.status', {});
    expect(status).toMatchObject({ connected: true, paused: false, running: false, pending: 0, lastError: null });
    expect(status.lastSyncedAt).toBeGreaterThanOrEqual(before);
    const pgc = await cloud();
    expect(await cloudContent(pgc, postIds[39]!)).toBe('Post 39');
    expect((await c.call('sync.cloudWorkspaces', {})).workspaces).toEqual([{ id: ws, name: 'Crumb Bakery', inCloud: true, here: true }]);
  });

  it('given the same post edited here and later on another device, when this core syncs, then the later edit wins and the overwritten value is listed for review', async () => {
    const c = await core();
    const { ws, postIds } = await synced(c, 1);
    const other = await openDevice('laptop', url);
    devices.push(other);
    await other.sync.chooseWorkspaces([ws]);
    await other.sync.syncNow();

    await c.call('posts.update', { postId: postIds[0]!, content: 'Written on the desktop' });
    await sleep(5);
    other.db.sqlite.prepare('UPDATE posts SET content = ?, updated_at = ? WHERE id = ?').run('Written on the laptop', Date.now(), postIds[0]);
    await other.sync.syncNow();
    const r = await c.call('sync.syncNow', {});
    expect(r).toMatchObject({ ran: true, conflicts: 1 });

    const { conflicts } = await c.call('sync.conflicts', { workspaceId: ws });
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      workspaceName: 'Crumb Bakery',
      tableName: 'posts',
      rowId: postIds[0],
      columnName: 'content',
      winner: 'remote',
      overwritten: 'Written on the desktop',
      kept: 'Written on the laptop',
    });
    expect((await c.call('sync.status', {})).unreviewedConflicts).toBe(1);
    expect(await c.call('sync.reviewConflicts', { conflictIds: [conflicts[0]!.id] })).toEqual({ reviewed: 1 });
    expect((await c.call('sync.status', {})).unreviewedConflicts).toBe(0);
    expect((await c.call('sync.conflicts', { workspaceId: ws })).conflicts[0]!.reviewedAt).toBeGreaterThan(0);
    expect((await c.call('posts.get', { postId: postIds[0]! })).content).toBe('Written on the laptop');
  });
});

describe('the schedule', () => {
  it('given a synced workspace, when a post is edited, then a round runs on its own a moment later', async () => {
    const c = await core({ debounceMs: 200 });
    const { postIds } = await synced(c);
    const pgc = await cloud();
    const progress = listen(c, 'sync.progress');

    await c.call('posts.update', { postId: postIds[1]!, content: 'Fresh croissants at 7' });
    expect((await c.call('sync.status', {})).pending).toBeGreaterThan(0);
    await waitFor('the edit in the cloud', () => cloudContent(pgc, postIds[1]!), (v) => v === 'Fresh croissants at 7');
    await waitFor('pending to drain', () => c.call('sync.status', {}), (s) => s.pending === 0 && !s.running);
    expect(progress.some((p) => p.reason === 'change' && p.status === 'done')).toBe(true);
    const job = c.ctx.db.sqlite.prepare(`SELECT status, payload FROM jobs WHERE type = 'sync.run' ORDER BY created_at DESC LIMIT 1`).get() as { status: string; payload: string };
    expect(job.status).toBe('completed');
    expect(JSON.parse(job.payload)).toEqual({ reason: 'change' });
  });

  it('given a write no event announces, when the backstop looks at the outbox, then it is synced too', async () => {
    // A failed automatic round backs off before the next; here the wait starts at 0.5 s instead of
    // 30 s. Twice in CI, on a loaded machine, the edit had not arrived after 45 s; that is what
    // a failed round or two at the default back-off would do, and the cause was not kept (see the
    // message below).
    const c = await core({ debounceMs: 100, watchMs: 300, backoffBaseMs: 500 });
    const { ws } = await synced(c, 1);
    const pgc = await cloud();
    const id = (await c.call('posts.create', { workspaceId: ws, content: 'draft', targets: [] })).id;
    await waitFor('the new post in the cloud', () => cloudContent(pgc, id), (v) => v === 'draft');
    c.ctx.db.sqlite.prepare('UPDATE posts SET content = ? WHERE id = ?').run('edited by raw SQL', id);
    const failed = listen(c, 'sync.progress');
    try {
      await waitFor('the raw edit in the cloud', () => cloudContent(pgc, id), (v) => v === 'edited by raw SQL', 45_000);
    } catch (err) {
      // Say why, so a failure here can be diagnosed from the CI log alone.
      const status = await c.call('sync.status', {});
      const jobs = c.ctx.db.sqlite.prepare(`SELECT status, run_at, last_error FROM jobs WHERE type = 'sync.run' ORDER BY created_at DESC LIMIT 5`).all();
      const outbox = c.ctx.db.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get();
      const errors = failed.filter((p) => p.status === 'failed').map((p) => p.error);
      throw new Error(`${(err as Error).message}; status ${JSON.stringify(status)}; sync.run jobs ${JSON.stringify(jobs)}; outbox ${JSON.stringify(outbox)}; failed rounds ${JSON.stringify(errors)}`, { cause: err });
    }
  }, 60_000);

  it('given another device changed a post while this core was closed, when the core starts again, then it fetches the change on its own', async () => {
    const c = await core();
    const { ws, postIds } = await synced(c, 1);
    const dir = c.dir;
    await c.close();
    cores.splice(cores.indexOf(c), 1);
    const other = await openDevice('laptop', url);
    devices.push(other);
    await other.sync.chooseWorkspaces([ws]);
    await other.sync.syncNow();
    other.db.sqlite.prepare('UPDATE posts SET content = ?, updated_at = ? WHERE id = ?').run('Changed on the laptop overnight', Date.now(), postIds[0]);
    await other.sync.syncNow();

    const again = await core({ startupDelayMs: 100 }, dir);
    await waitFor('the laptop\'s edit here', () => again.call('posts.get', { postId: postIds[0]! }), (p) => p.content === 'Changed on the laptop overnight');
  });

  it('given sync is paused, when a post is edited and the periodic round fires, then nothing is sent until resume', async () => {
    const c = await core({ debounceMs: 150 });
    const { postIds } = await synced(c);
    const pgc = await cloud();
    const paused = await c.call('sync.pause', {});
    expect(paused.paused).toBe(true);
    const cron = () => c.ctx.db.sqlite.prepare(`SELECT enabled FROM cron_jobs WHERE job_type = 'sync.run'`).get() as { enabled: number };
    expect(cron().enabled).toBe(0);

    await c.call('posts.update', { postId: postIds[0]!, content: 'Edited while paused' });
    const job = c.scheduler!.enqueueType('sync.run', { reason: 'periodic' });
    c.scheduler!.runner.wake();
    const done = await waitFor(
      'the periodic job',
      () => c.ctx.db.sqlite.prepare('SELECT status, result FROM jobs WHERE id = ?').get(job.id) as { status: string; result: string | null },
      (j) => j.status === 'completed',
    );
    expect(JSON.parse(done.result!)).toEqual({ ran: false, skipped: 'paused' });
    await sleep(600); // past the debounce: no change-triggered round either
    expect(await cloudContent(pgc, postIds[0]!)).toBe('Post 0');
    expect((await c.call('sync.status', {})).pending).toBeGreaterThan(0);

    await c.call('sync.resume', {});
    expect(cron().enabled).toBe(1);
    await waitFor('the paused edit in the cloud', () => cloudContent(pgc, postIds[0]!), (v) => v === 'Edited while paused');
  });

  it('given the cloud goes away, when a round fails, then the status says so in words and automatic rounds back off', async () => {
    const c = await core({ debounceMs: 100 });
    const { postIds } = await synced(c);
    // Take the database away under the open connection.
    const admin = await pgServer.admin();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [dbName]);
    await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS false`);
    try {
      const progress = listen(c, 'sync.progress');
      await c.call('posts.update', { postId: postIds[0]!, content: 'offline edit' });
      const failed = await waitFor('a failed round', () => progress.find((p) => p.status === 'failed'), (p) => p !== undefined);
      expect(failed!.error).toBeTruthy();
      const status = await c.call('sync.status', {});
      expect(status.lastError).toBeTruthy();
      expect(status.retryAt).toBeGreaterThan(Date.now() + 20_000);
      // Another edit during the wait starts no round.
      await c.call('posts.update', { postId: postIds[1]!, content: 'second offline edit' });
      await sleep(400);
      expect(progress.filter((p) => p.status === 'running')).toHaveLength(1);
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    // Sync now is not held back by the wait.
    const r = await c.call('sync.syncNow', {});
    expect(r.ran).toBe(true);
    expect(await c.call('sync.status', {})).toMatchObject({ lastError: null, retryAt: null, pending: 0 });
  });

  it('given a connected core, when it disconnects, then nothing is recorded or sent and Sync now says to connect first', async () => {
    const c = await core({ debounceMs: 100 });
    const { postIds } = await synced(c);
    const pgc = await cloud();
    const status = await c.call('sync.disconnect', {});
    expect(status).toMatchObject({ connected: false });
    await c.call('posts.update', { postId: postIds[0]!, content: 'after disconnect' });
    expect((c.ctx.db.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n).toBe(0);
    const err = await apiError(c.call('sync.syncNow', {}));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/Connect a Postgres database/);
    await sleep(300);
    expect(await cloudContent(pgc, postIds[0]!)).toBe('Post 0');
    expect(JSON.stringify(c.ctx.db.sqlite.prepare('SELECT * FROM app_secrets').all())).not.toMatch(/sync\.connection_string/);
  });
});
