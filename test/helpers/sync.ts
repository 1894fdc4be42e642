// Devices for sync tests: each one a real SQLite file with its own SyncService, connected to a
// real Postgres database; plus a way to compare what devices (and the cloud) hold.
import type pg from 'pg';
import { SyncService } from '../../electron/core/sync/service';
import { syncTables, toWire } from '../../electron/core/sync/tables';
import { openTestDb } from './db';

export type TestDb = ReturnType<typeof openTestDb>;

export interface Device {
  name: string;
  db: TestDb;
  sync: SyncService;
  close(): Promise<void>;
}

export async function openDevice(name: string, url: string, opts: { migrate?: boolean } = {}): Promise<Device> {
  const db = openTestDb();
  const sync = new SyncService({ db, ...(opts.migrate === false ? { migrate: false } : {}) });
  await sync.connect(url);
  return {
    name,
    db,
    sync,
    async close() {
      await sync.close();
      db.cleanup();
    },
  };
}

/** Every synced row of a workspace, table by table, in id order (local `seq` left out). */
export function snapshot(db: TestDb, ws: string): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of syncTables) {
    const cols = t.columns.map((c) => `"${c.name}"`).join(', ');
    const rows = db.sqlite.prepare(`SELECT ${cols} FROM "${t.name}" WHERE "${t.workspaceColumn}" = ? ORDER BY id`).all(ws) as Record<string, unknown>[];
    if (rows.length) out[t.name] = rows;
  }
  return out;
}

/** The same rows in wire form (ISO times, booleans), to compare with the cloud's mirror tables. */
export function wireSnapshot(db: TestDb, ws: string): Record<string, Record<string, unknown>[]> {
  const snap = snapshot(db, ws);
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of syncTables) {
    const rows = snap[t.name];
    if (!rows) continue;
    out[t.name] = rows.map((r) => Object.fromEntries(t.columns.map((c) => [c.name, toWire(c.kind, r[c.name])])));
  }
  return out;
}

/** The cloud's live (not deleted) mirror rows of a workspace, in the same wire form. */
export async function cloudSnapshot(client: pg.ClientBase, ws: string): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of syncTables) {
    const cols = t.columns
      .map((c) => {
        const n = `"${c.name}"`;
        if (c.kind === 'time') return `to_char(${n} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${n}`;
        if (c.kind === 'json') return `${n}::text AS ${n}`;
        if (c.kind === 'uuid') return `${n}::text AS ${n}`;
        return n;
      })
      .join(', ');
    const r = await client.query<Record<string, unknown>>(
      `SELECT ${cols} FROM postdesk."${t.name}" WHERE "${t.workspaceColumn}" = $1 AND deleted_at IS NULL ORDER BY id`,
      [ws],
    );
    if (r.rows.length) {
      out[t.name] = r.rows.map((row) =>
        Object.fromEntries(
          t.columns.map((c) => {
            const v = row[c.name];
            if (c.kind === 'int' && typeof v === 'string') return [c.name, Number(v)];
            if (c.kind === 'json' && typeof v === 'string') return [c.name, normaliseJsonText(v)];
            return [c.name, v ?? null];
          }),
        ),
      );
    }
  }
  return out;
}

/** JSON text normalised (Postgres jsonb reorders keys) for a cloud comparison. */
export function normaliseJson(snap: Record<string, Record<string, unknown>[]>): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of syncTables) {
    const rows = snap[t.name];
    if (!rows) continue;
    out[t.name] = rows
      .filter((r) => r.deleted_at === null || r.deleted_at === undefined)
      .map((r) =>
        Object.fromEntries(
          t.columns.map((c) => {
            const v = r[c.name];
            if (c.kind === 'json' && typeof v === 'string') return [c.name, normaliseJsonText(v)];
            return [c.name, v];
          }),
        ),
      );
    if (out[t.name]!.length === 0) delete out[t.name];
  }
  return out;
}

function normaliseJsonText(text: string): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]))
        : v;
  return JSON.stringify(sortKeys(JSON.parse(text)));
}

