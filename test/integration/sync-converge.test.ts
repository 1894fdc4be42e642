// Two devices (two SQLite files) edit the same workspace offline, sync through a real Postgres
// and end with identical rows, identical to the cloud's mirror tables; conflicting cells go to
// the later writer, what was overwritten is recorded, and a delete wins over a later edit.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../db/schema/columns';
import { captureInstalled } from '../../electron/core/sync/capture';
import { migrateCloud } from '../../electron/core/sync/cloud-schema';
import { SyncService } from '../../electron/core/sync/service';
import { openTestDb } from '../helpers/db';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { cloudSnapshot, normaliseJson, openDevice, snapshot, wireSnapshot, type Device } from '../helpers/sync';
import { insertWorkspace } from '../helpers/rows';

let pgServer: TestPostgres;
let url: string;
const devices: Device[] = [];

beforeAll(async () => {
  pgServer = await startPostgres();
  await pgServer.createRole('alice');
}, 60_000);
afterAll(async () => {
  await pgServer?.stop();
});
beforeEach(async () => {
  const dbName = await pgServer.createDatabase();
  // The owner (superuser here) sets the cloud up; devices sign in as a member role.
  const admin = await openDevice('admin', pgServer.url(dbName));
  await admin.close();
  url = pgServer.url(dbName, 'alice', 'alice');
});
afterEach(async () => {
  for (const d of devices.splice(0)) await d.close();
});

async function device(name: string): Promise<Device> {
  const d = await openDevice(name, url, { migrate: false });
  devices.push(d);
  return d;
}

let clock = Date.now() - 10_000_000;
/** Distinct, increasing commit times, so "later writer" is unambiguous. */
const tick = () => (clock += 1000);

function addPost(d: Device, ws: string, content: string): string {
  const id = newId();
  d.db.sqlite
    .prepare(`INSERT INTO posts (id, workspace_id, content, hashtags, created_at, updated_at) VALUES (?, ?, ?, '["#a","#b"]', ?, ?)`)
    .run(id, ws, content, tick(), clock);
  return id;
}

describe('two devices', () => {
  it('given a workspace on device A, when B chooses it from the cloud and syncs, then B holds the same rows', async () => {
    const a = await device('A');
    const b = await device('B');
    const ws = insertWorkspace(a.db.sqlite, 'Bakery');
    addPost(a, ws, 'hello');
    a.db.sqlite.prepare(`INSERT INTO saved_replies (id, workspace_id, title, content, tags) VALUES (?, ?, 'Hours', 'We open at 8', '["faq"]')`).run(newId(), ws);
    await a.sync.chooseWorkspaces([ws]);
    const pushed = await a.sync.syncNow();
    expect(pushed.pushed).toBe(3);
    expect(captureInstalled(a.db.sqlite)).toBe(true);

    expect(await b.sync.cloudWorkspaces()).toEqual([{ id: ws, name: 'Bakery' }]);
    await b.sync.chooseWorkspaces([ws]);
    const pulled = await b.sync.syncNow();
    expect(pulled.pulled).toBe(3);
    expect(snapshot(b.db, ws)).toEqual(snapshot(a.db, ws));
    expect(b.sync.status()).toMatchObject({ pending: 0, lastError: null, workspaces: [ws] });
  });

  it('given both devices edit offline, when they sync, then they converge on the later writer per cell, the loser is recorded and the delete wins', async () => {
    const a = await device('A');
    const b = await device('B');
    const ws = insertWorkspace(a.db.sqlite, 'Shop');
    const post = addPost(a, ws, 'draft one');
    const reply = newId();
    a.db.sqlite.prepare(`INSERT INTO saved_replies (id, workspace_id, title, content) VALUES (?, ?, 'Hi', 'Hello!')`).run(reply, ws);
    await a.sync.chooseWorkspaces([ws]);
    await a.sync.syncNow();
    await b.sync.chooseWorkspaces([ws]);
    await b.sync.syncNow();

    // Offline: A edits the post's content, then B edits content and status later; B deletes the
    // reply, A edits it afterwards; each adds a row of its own.
    a.db.sqlite.prepare('UPDATE posts SET content = ?, updated_at = ? WHERE id = ?').run('A wording', tick(), post);
    await sleep(5); // commit times are compared to the millisecond
    b.db.sqlite.prepare('UPDATE posts SET content = ?, status = ?, updated_at = ? WHERE id = ?').run('B wording', 'scheduled', tick(), post);
    b.db.sqlite.prepare('DELETE FROM saved_replies WHERE id = ?').run(reply);
    await sleep(5);
    a.db.sqlite.prepare('UPDATE saved_replies SET content = ? WHERE id = ?').run('edited after the delete', reply);
    const fromA = addPost(a, ws, 'only on A');
    const fromB = addPost(b, ws, 'only on B');

    await a.sync.syncNow();
    await b.sync.syncNow();
    await a.sync.syncNow();

    const snapA = snapshot(a.db, ws);
    expect(snapA).toEqual(snapshot(b.db, ws));
    const posts = new Map(snapA.posts!.map((p) => [p.id, p]));
    expect(posts.get(post)).toMatchObject({ content: 'B wording', status: 'scheduled' });
    expect(posts.has(fromA) && posts.has(fromB)).toBe(true);
    expect(snapA.saved_replies ?? []).toEqual([]);
    const conflicts = a.db.sqlite.prepare(`SELECT column_name, local_value, remote_value, winner FROM sync_conflicts WHERE row_id = ?`).all(post);
    expect(conflicts).toContainEqual({ column_name: 'content', local_value: '"A wording"', remote_value: '"B wording"', winner: 'remote' });

    const admin = await pgServer.admin(url.split('/').pop()!);
    try {
      expect(await cloudSnapshot(admin, ws)).toEqual(normaliseJson(wireSnapshot(a.db, ws)));
    } finally {
      await admin.end();
    }
  });

  it('given a batch the server already committed, when it is sent again, then nothing changes in the cloud', async () => {
    const a = await device('A');
    const ws = insertWorkspace(a.db.sqlite, 'Repeat');
    addPost(a, ws, 'once');
    await a.sync.chooseWorkspaces([ws]);
    await a.sync.syncNow({});
    const admin = await pgServer.admin(url.split('/').pop()!);
    try {
      const before = await admin.query('SELECT count(*)::int AS n FROM postdesk.changes');
      const entries = await admin.query(`SELECT tbl AS t, row_id AS id, workspace_id AS ws, cells AS c, deleted_hlc AS d FROM postdesk.changes`);
      await admin.query('SELECT postdesk.push($1, $2::jsonb)', [a.sync.local.node, JSON.stringify(entries.rows)]);
      const after = await admin.query('SELECT count(*)::int AS n FROM postdesk.changes');
      expect(after.rows[0]).toEqual(before.rows[0]);
    } finally {
      await admin.end();
    }
  });

  it('given sync is paused, when a round is asked for, then nothing is sent until it resumes', async () => {
    const a = await device('A');
    const ws = insertWorkspace(a.db.sqlite, 'Paused');
    await a.sync.chooseWorkspaces([ws]);
    await a.sync.syncNow();
    a.sync.pause();
    addPost(a, ws, 'waiting');
    expect(await a.sync.syncNow()).toEqual({ pushed: 0, pulled: 0, conflicts: 0 });
    expect(a.sync.status()).toMatchObject({ paused: true, pending: 1 });
    a.sync.resume();
    expect((await a.sync.syncNow()).pushed).toBe(1);
  });

  it('given a cloud set up by a newer Postdesk, when a device connects, then it is refused in words and nothing is changed', async () => {
    const admin = await pgServer.admin(url.split('/').pop()!);
    try {
      await admin.query('UPDATE postdesk.meta SET version = 99');
      const db = openTestDb();
      try {
        const sync = new SyncService({ db });
        await expect(sync.connect(pgServer.url(url.split('/').pop()!))).rejects.toThrow(/newer Postdesk.*Update Postdesk/);
        expect(captureInstalled(db.sqlite)).toBe(false);
        expect((await admin.query('SELECT version FROM postdesk.meta')).rows[0]).toEqual({ version: 99 });
      } finally {
        db.cleanup();
      }
    } finally {
      await admin.end();
    }
  });

  it('given a cloud already at this version, when it is migrated again, then nothing is applied', async () => {
    const admin = await pgServer.admin(url.split('/').pop()!);
    try {
      expect(await migrateCloud(admin)).toEqual({ applied: [], mirrorsUpdated: false });
    } finally {
      await admin.end();
    }
  });

  it('given a row that references one pulled pages later, when a device pulls both, then both arrive intact', async () => {
    const a = await device('A');
    const b = await device('B');
    const ws = insertWorkspace(a.db.sqlite, 'Threads');
    const account = newId();
    a.db.sqlite.prepare(`INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username) VALUES (?, ?, 'mastodon', 'm1', 'baker')`).run(account, ws);
    const conv = newId();
    a.db.sqlite.prepare(`INSERT INTO conversations (id, workspace_id, account_id, customer_identifier) VALUES (?, ?, ?, 'c1')`).run(conv, ws, account);
    // The reply comes 300 messages before the one it answers.
    const ids = Array.from({ length: 302 }, () => newId()).sort();
    const [reply, ...rest] = ids as [string, ...string[]];
    const answered = rest[rest.length - 1]!;
    const insert = a.db.sqlite.prepare(
      `INSERT INTO conversation_messages (id, workspace_id, conversation_id, direction, content, sent_at, reply_to_message_id) VALUES (?, ?, ?, 'inbound', ?, ?, ?)`,
    );
    // Written reply first (references checked at commit), so it is also captured and sent first.
    a.db.sqlite.transaction(() => {
      a.db.sqlite.pragma('defer_foreign_keys = ON');
      insert.run(reply, ws, conv, 'the reply', Date.now(), answered);
      for (const id of rest) insert.run(id, ws, conv, `message ${id}`, Date.now(), null);
    })();
    await a.sync.chooseWorkspaces([ws]);
    await a.sync.syncNow();
    await b.sync.chooseWorkspaces([ws]);
    await b.sync.syncNow();
    expect(b.db.sqlite.prepare('SELECT reply_to_message_id AS r FROM conversation_messages WHERE id = ?').get(reply)).toEqual({ r: answered });
    expect(snapshot(b.db, ws)).toEqual(snapshot(a.db, ws));
    expect(b.db.sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(b.db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
