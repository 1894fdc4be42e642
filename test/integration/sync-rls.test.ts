// Row-level security on the cloud side, with two real Postgres login roles: member B can neither
// read nor change workspace A's rows, even with hand-written SQL (select, update, insert, delete,
// the push and claim functions, joining or sharing A), until A's member shares it.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/schema/columns';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { openDevice, type Device } from '../helpers/sync';
import { insertWorkspace } from '../helpers/rows';
import pgLib from 'pg';

let server: TestPostgres;
let dbName: string;
let alice: Device;
let bob: Device;
let bobSql: pg.Client;
let admin: pg.Client;
let wsA: string;
let wsB: string;
let postA: string;

beforeAll(async () => {
  server = await startPostgres();
  await server.createRole('alice');
  await server.createRole('bob');
  dbName = await server.createDatabase();
  const owner = await openDevice('owner', server.url(dbName));
  await owner.close();
  alice = await openDevice('alice', server.url(dbName, 'alice', 'alice'), { migrate: false });
  bob = await openDevice('bob', server.url(dbName, 'bob', 'bob'), { migrate: false });
  wsA = insertWorkspace(alice.db.sqlite, 'Alice agency');
  postA = newId();
  alice.db.sqlite.prepare(`INSERT INTO posts (id, workspace_id, content) VALUES (?, ?, 'secret launch')`).run(postA, wsA);
  await alice.sync.chooseWorkspaces([wsA]);
  await alice.sync.syncNow();
  wsB = insertWorkspace(bob.db.sqlite, 'Bob shop');
  await bob.sync.chooseWorkspaces([wsB]);
  await bob.sync.syncNow();
  bobSql = new pgLib.Client({ connectionString: server.url(dbName, 'bob', 'bob') });
  await bobSql.connect();
  admin = await server.admin(dbName);
}, 60_000);

afterAll(async () => {
  await bobSql?.end();
  await admin?.end();
  await alice?.close();
  await bob?.close();
  await server?.stop();
});

const aliceRow = async () => (await admin.query('SELECT content, deleted_at FROM postdesk.posts WHERE id = $1', [postA])).rows[0];

describe('row-level security between two roles', () => {
  it('given A synced by alice, when bob selects from every table, then he sees none of A', async () => {
    for (const sql of [
      'SELECT count(*)::int AS n FROM postdesk.posts WHERE workspace_id = $1',
      'SELECT count(*)::int AS n FROM postdesk.workspaces WHERE id = $1',
      'SELECT count(*)::int AS n FROM postdesk.changes WHERE workspace_id = $1',
      'SELECT count(*)::int AS n FROM postdesk.cells WHERE workspace_id = $1',
      'SELECT count(*)::int AS n FROM postdesk.members WHERE workspace_id = $1',
    ]) {
      expect((await bobSql.query(sql, [wsA])).rows[0], sql).toEqual({ n: 0 });
    }
    expect((await admin.query('SELECT count(*)::int AS n FROM postdesk.posts WHERE workspace_id = $1', [wsA])).rows[0]).toEqual({ n: 1 });
    expect(await bob.sync.cloudWorkspaces()).toEqual([{ id: wsB, name: 'Bob shop' }]);
  });

  it('given A synced by alice, when bob updates, deletes or inserts with SQL, then A is unchanged', async () => {
    expect((await bobSql.query(`UPDATE postdesk.posts SET content = 'pwned' WHERE workspace_id = $1`, [wsA])).rowCount).toBe(0);
    expect((await bobSql.query(`UPDATE postdesk.posts SET content = 'pwned' WHERE id = $1`, [postA])).rowCount).toBe(0);
    await expect(bobSql.query(`DELETE FROM postdesk.posts WHERE id = $1`, [postA])).rejects.toThrow(/permission denied/);
    await expect(bobSql.query(`INSERT INTO postdesk.posts (id, workspace_id, content) VALUES ($1, $2, 'spam')`, [newId(), wsA])).rejects.toThrow(
      /row-level security/,
    );
    await expect(bobSql.query(`INSERT INTO postdesk.members (workspace_id, role_name) VALUES ($1, 'bob')`, [wsA])).rejects.toThrow(/permission denied/);
    // Moving his own row into A is refused as well.
    await expect(bobSql.query(`UPDATE postdesk.workspaces SET id = $1 WHERE id = $2`, [wsA, wsB])).rejects.toThrow(/row-level security|duplicate/);
    expect(await aliceRow()).toMatchObject({ content: 'secret launch', deleted_at: null });
  });

  it('given A synced by alice, when bob calls the push and claim functions for A, then they fail and A is unchanged', async () => {
    const hlc = `${new Date(Date.now() + 60_000).toISOString()}-0000-00000000000000bb`;
    const intoA = [{ t: 'posts', id: newId(), ws: wsA, c: { content: ['spam', hlc] }, d: null }];
    await expect(bobSql.query('SELECT postdesk.push($1, $2::jsonb)', ['00000000000000bb', JSON.stringify(intoA)])).rejects.toThrow(/row-level security/);
    // A's row id under his own workspace: the hidden row is neither read nor overwritten.
    const hijack = [{ t: 'posts', id: postA, ws: wsB, c: { content: ['pwned', hlc] }, d: null }];
    await expect(bobSql.query('SELECT postdesk.push($1, $2::jsonb)', ['00000000000000bb', JSON.stringify(hijack)])).rejects.toThrow();
    const tomb = [{ t: 'posts', id: postA, ws: wsA, c: {}, d: hlc }];
    await expect(bobSql.query('SELECT postdesk.push($1, $2::jsonb)', ['00000000000000bb', JSON.stringify(tomb)])).rejects.toThrow(/row-level security/);
    await expect(bobSql.query('SELECT postdesk.claim_publish($1, $2, now(), $3)', [newId(), wsA, 'bb'])).rejects.toThrow(/row-level security/);
    expect((await bobSql.query('SELECT postdesk.join_workspace($1) AS ok', [wsA])).rows[0]).toEqual({ ok: false });
    await expect(bobSql.query(`SELECT postdesk.share_workspace($1, 'bob')`, [wsA])).rejects.toThrow(/only a member/);
    await expect(bob.sync.chooseWorkspaces([wsB, wsA])).rejects.toThrow(/neither on this device nor in the cloud/);
    expect(await aliceRow()).toMatchObject({ content: 'secret launch', deleted_at: null });
    expect((await admin.query('SELECT count(*)::int AS n FROM postdesk.changes WHERE workspace_id = $1', [wsA])).rows[0]).toEqual({ n: 2 });
  });

  it('given alice shares A with bob, when bob chooses it and syncs, then he gets its rows', async () => {
    const aliceSql = new pgLib.Client({ connectionString: server.url(dbName, 'alice', 'alice') });
    await aliceSql.connect();
    try {
      await aliceSql.query(`SELECT postdesk.share_workspace($1, 'bob')`, [wsA]);
    } finally {
      await aliceSql.end();
    }
    await bob.sync.chooseWorkspaces([wsB, wsA]);
    await bob.sync.syncNow();
    expect(bob.db.sqlite.prepare('SELECT content FROM posts WHERE id = ?').get(postA)).toEqual({ content: 'secret launch' });
  });
});
