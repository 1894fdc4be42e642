// Per-cell stamps survive batching: a device that edits one column, then another column of the
// same row before syncing, must not stamp its first edit with the time of its second. Found by
// the property test (sync-property.test.ts), kept here as a fixed case: device A edits the title,
// device C edits the title a moment later, A edits the use count later still, then both sync —
// C's title is the latest write of that cell and must win everywhere.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/schema/columns';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { insertWorkspace } from '../helpers/rows';
import { openDevice, snapshot, type Device } from '../helpers/sync';

let server: TestPostgres;
let a: Device;
let c: Device;

beforeAll(async () => {
  server = await startPostgres();
  const dbName = await server.createDatabase();
  a = await openDevice('A', server.url(dbName));
  c = await openDevice('C', server.url(dbName));
}, 60_000);

afterAll(async () => {
  await a?.close();
  await c?.close();
  await server?.stop();
});

describe('stamps of batched edits', () => {
  it('given A edits a title, C edits it later, and A then edits another column of the row, when both sync, then C’s title wins on both devices and A’s count stays', async () => {
    const ws = insertWorkspace(a.db.sqlite, 'Crumb Bakery');
    await a.sync.chooseWorkspaces([ws]);
    const id = newId();
    a.db.sqlite.prepare(`INSERT INTO saved_replies (id, workspace_id, title, content, use_count) VALUES (?, ?, 'Hours', 'We open at 8.', 0)`).run(id, ws);
    await a.sync.syncNow();
    await c.sync.chooseWorkspaces([ws]);
    await c.sync.syncNow();

    const set = (d: Device, col: 'title' | 'use_count', v: string | number) => d.db.sqlite.prepare(`UPDATE saved_replies SET ${col} = ? WHERE id = ?`).run(v, id);
    set(a, 'title', 'Opening hours (A)');
    await sleep(5);
    set(c, 'title', 'Opening hours (C)');
    await sleep(5);
    set(a, 'use_count', 3);

    await a.sync.syncNow();
    await c.sync.syncNow();
    await a.sync.syncNow();

    for (const d of [a, c]) {
      const row = (snapshot(d.db, ws).saved_replies ?? []).find((r) => (r as { id: string }).id === id) as { title: string; use_count: number };
      expect(row).toMatchObject({ title: 'Opening hours (C)', use_count: 3 });
    }
  });
});
