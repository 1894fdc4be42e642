// Property: three devices (three SQLite files) make random interleaved inserts, edits, deletes and
// syncs on one workspace through a real Postgres. After everyone syncs, all three hold identical
// rows, identical to the cloud's mirror, and every cell holds the latest write made to it (by
// commit time) unless its row was deleted: no acknowledged write is lost except to a later one.
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/schema/columns';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { cloudSnapshot, normaliseJson, openDevice, snapshot, wireSnapshot, type Device } from '../helpers/sync';
import { insertWorkspace } from '../helpers/rows';
import type pg from 'pg';

let server: TestPostgres;
let devices: Device[] = [];
let admin: pg.Client;

beforeAll(async () => {
  server = await startPostgres();
  const dbName = await server.createDatabase();
  devices = [await openDevice('A', server.url(dbName)), await openDevice('B', server.url(dbName)), await openDevice('C', server.url(dbName))];
  admin = await server.admin(dbName);
}, 60_000);

afterAll(async () => {
  await admin?.end();
  for (const d of devices) await d.close();
  await server?.stop();
});

const COLUMNS = ['title', 'content', 'use_count'] as const;
type Col = (typeof COLUMNS)[number];

type Op =
  | { kind: 'insert'; dev: number }
  | { kind: 'edit'; dev: number; pick: number; col: Col; text: string; n: number }
  | { kind: 'delete'; dev: number; pick: number }
  | { kind: 'sync'; dev: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), dev: fc.nat(2) }),
  fc.record({
    kind: fc.constant('edit' as const),
    dev: fc.nat(2),
    pick: fc.nat(),
    col: fc.constantFrom(...COLUMNS),
    text: fc.string({ maxLength: 12 }),
    n: fc.nat(1000),
  }),
  fc.record({
    kind: fc.constant('edit' as const),
    dev: fc.nat(2),
    pick: fc.nat(),
    col: fc.constantFrom(...COLUMNS),
    text: fc.string({ maxLength: 12 }),
    n: fc.nat(1000),
  }),
  fc.record({ kind: fc.constant('delete' as const), dev: fc.nat(2), pick: fc.nat() }),
  fc.record({ kind: fc.constant('sync' as const), dev: fc.nat(2) }),
);

describe('three devices, random edits', () => {
  it('given random interleaved edits, deletes and syncs, when all devices sync, then all are identical to each other and the cloud and the latest write of every cell survives', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40 }), async (ops) => {
        runs++;
        const [a] = devices as [Device, Device, Device];
        const ws = insertWorkspace(a.db.sqlite, `Run ${runs}`);
        await a.sync.chooseWorkspaces([ws]);
        await a.sync.syncNow();
        for (const d of devices.slice(1)) {
          await d.sync.chooseWorkspaces([ws]);
          await d.sync.syncNow();
        }
        // The model: for each cell the latest write (writes are made one at a time, a few ms
        // apart, so commit order is time order), and which rows were deleted anywhere.
        const latest = new Map<string, unknown>();
        const deleted = new Set<string>();
        const rowsOn = (d: Device) =>
          (d.db.sqlite.prepare('SELECT id FROM saved_replies WHERE workspace_id = ? ORDER BY id').all(ws) as { id: string }[]).map((r) => r.id);
        for (const op of ops) {
          const d = devices[op.dev]!;
          if (op.kind === 'sync') {
            await d.sync.syncNow();
            continue;
          }
          await sleep(2);
          if (op.kind === 'insert') {
            const id = newId();
            d.db.sqlite.prepare(`INSERT INTO saved_replies (id, workspace_id, title, content, use_count) VALUES (?, ?, 't', 'c', 0)`).run(id, ws);
            latest.set(`${id}.title`, 't');
            latest.set(`${id}.content`, 'c');
            latest.set(`${id}.use_count`, 0);
            continue;
          }
          const rows = rowsOn(d);
          if (rows.length === 0) continue;
          const id = rows[op.pick % rows.length]!;
          if (op.kind === 'delete') {
            d.db.sqlite.prepare('DELETE FROM saved_replies WHERE id = ?').run(id);
            deleted.add(id);
          } else {
            const value = op.col === 'use_count' ? op.n : op.text;
            d.db.sqlite.prepare(`UPDATE saved_replies SET ${op.col} = ? WHERE id = ?`).run(value, id);
            latest.set(`${id}.${op.col}`, value);
          }
        }
        for (const d of [...devices, devices[0]!, devices[1]!]) await d.sync.syncNow();

        const snaps = devices.map((d) => snapshot(d.db, ws));
        expect(snaps[1]).toEqual(snaps[0]);
        expect(snaps[2]).toEqual(snaps[0]);
        expect(await cloudSnapshot(admin, ws)).toEqual(normaliseJson(wireSnapshot(devices[0]!.db, ws)));
        const final = (snaps[0]!.saved_replies ?? []) as { id: string; title: string; content: string; use_count: number }[];
        const expectedIds = [...new Set([...latest.keys()].map((k) => k.split('.')[0]!))].filter((id) => !deleted.has(id)).sort();
        expect(final.map((r) => r.id)).toEqual(expectedIds);
        for (const r of final) {
          for (const c of COLUMNS) expect(r[c], `${r.id}.${c}`).toEqual(latest.get(`${r.id}.${c}`));
        }
      }),
      { numRuns: 20 },
    );
  }, 150_000);
});
