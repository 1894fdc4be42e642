// The SQLite side of sync: this device's identity and clock, stamping captured changes with HLCs
// (commit order = outbox order), the push queue, and applying pulled changes cell by cell.
//
// Merge rule (the same on the server, see cloud-schema.ts): a cell takes an incoming value when
// its clock is greater than the cell's clock; a row delete (tombstone) beats everything, and a
// tombstoned row ignores later changes. When the value a cell loses was written on this device,
// the pair is kept in sync_conflicts so the user can see what was overwritten.
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../../db/client';
import { newId } from '../../../db/schema/columns';
import { Hlc, hlcNode, newNodeId } from './hlc';
import { fromWire, syncTable, syncTableByName, syncTables, toWire, type SyncTable, type WireValue } from './tables';

/** One changed row as it travels: cells {column: [value, hlc]} and/or a tombstone stamp. */
export interface ChangeEntry {
  t: string;
  id: string;
  ws: string;
  c: Record<string, [WireValue, string]>;
  d: string | null;
}

/** A pulled entry, with the server's sequence number and the node that wrote it. */
export interface PulledEntry extends ChangeEntry {
  seq: number;
  node: string;
}

type Row = Record<string, unknown>;
/** Columns every edit touches: a clash there is not worth showing the user. */
const BOOKKEEPING = new Set(['updated_at', 'created_at']);
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

export class LocalSync {
  readonly node: string;
  readonly clock: Hlc;
  private readonly stmts = new Map<string, BetterSqlite3.Statement>();

  constructor(
    readonly db: Database,
    now: () => number = Date.now,
  ) {
    const device = ensureDevice(db.sqlite);
    this.node = device.nodeId;
    this.clock = new Hlc(device.nodeId, device.lastHlc, now);
  }

  private stmt(sql: string): BetterSqlite3.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.sqlite.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Workspaces chosen for sync (a cursor row per workspace for the cloud). */
  syncedWorkspaces(): Set<string> {
    const rows = this.stmt(`SELECT workspace_id AS ws FROM sync_cursors WHERE remote = 'cloud'`).all() as { ws: string }[];
    return new Set(rows.map((r) => r.ws));
  }

  private readRow(t: SyncTable, id: string): Row | undefined {
    return this.stmt(`SELECT * FROM ${q(t.name)} WHERE id = ?`).get(id) as Row | undefined;
  }

  private readClocks(t: string, id: string): { clocks: Record<string, string>; deletedHlc: string | null } | undefined {
    const r = this.stmt('SELECT clocks, deleted_hlc AS d FROM sync_clocks WHERE table_name = ? AND row_id = ?').get(t, id) as
      | { clocks: string; d: string | null }
      | undefined;
    return r ? { clocks: JSON.parse(r.clocks) as Record<string, string>, deletedHlc: r.d } : undefined;
  }

  private writeClocks(t: string, id: string, ws: string, clocks: Record<string, string>, deletedHlc: string | null): void {
    this.stmt(
      `INSERT INTO sync_clocks (table_name, row_id, workspace_id, clocks, deleted_hlc) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (table_name, row_id) DO UPDATE SET clocks = excluded.clocks, deleted_hlc = excluded.deleted_hlc,
         updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER)`,
    ).run(t, id, ws, JSON.stringify(clocks), deletedHlc);
  }

  private saveClock(): void {
    this.stmt('UPDATE devices SET last_hlc = ? WHERE is_current = 1').run(this.clock.current());
  }

  /**
   * Stamp up to `limit` captured changes in outbox (= commit) order and queue them for the
   * cloud. Runs inside the caller's transaction or its own; returns how many outbox rows it took.
   */
  stamp(limit = 2000): number {
    return this.db.sqlite.transaction(() => {
      const rows = this.stmt('SELECT seq, table_name AS t, row_id AS id, ws_id AS ws, cols, at FROM sync_outbox ORDER BY seq LIMIT ?').all(
        limit,
      ) as { seq: number; t: string; id: string; ws: string; cols: string | null; at: number }[];
      if (rows.length === 0) return 0;
      const synced = this.syncedWorkspaces();
      // Each write is stamped in commit order with its own commit time; several writes to one row
      // in this batch then become one entry in which every cell keeps the stamp of the last write
      // that touched it. (One stamp per row, the last write's, let an early edit of one column ride
      // on a later edit of another and beat a newer edit of that column made on another device.)
      const groups = new Map<string, { t: string; id: string; ws: string; inserted: string | null; cells: Map<string, string>; deleted: string | null }>();
      for (const r of rows) {
        if (!synced.has(r.ws)) continue;
        const key = `${r.t}\u0000${r.id}`;
        let g = groups.get(key);
        if (!g) {
          g = { t: r.t, id: r.id, ws: r.ws, inserted: null, cells: new Map(), deleted: null };
          groups.set(key, g);
        }
        const hlc = this.clock.send(r.at);
        if (r.cols === '-') g.deleted = hlc;
        else if (r.cols === null) {
          // An insert (or re-insert) writes every column at once.
          g.inserted = hlc;
          g.cells.clear();
        } else for (const c of r.cols.split(',')) if (c) g.cells.set(c, hlc);
      }
      for (const g of groups.values()) {
        const table = syncTableByName.get(g.t);
        if (!table) continue;
        const prior = this.readClocks(g.t, g.id);
        if (prior?.deletedHlc) continue; // deletes win: a tombstoned row stays gone
        const row = this.readRow(table, g.id);
        if (!row) {
          if (g.deleted === null) continue; // deleted by a later write still in the outbox
          this.writeClocks(g.t, g.id, g.ws, prior?.clocks ?? {}, g.deleted);
          this.queue({ t: g.t, id: g.id, ws: g.ws, c: {}, d: g.deleted });
          continue;
        }
        // A row deleted and written again under its id in this batch: every column as it is now.
        const whole = g.inserted ?? g.deleted;
        const cols = whole !== null ? table.columns : table.columns.filter((c) => g.cells.has(c.name));
        if (cols.length === 0) continue;
        const cells: ChangeEntry['c'] = {};
        const clocks = { ...(prior?.clocks ?? {}) };
        for (const c of cols) {
          const hlc = g.cells.get(c.name) ?? (whole as string);
          cells[c.name] = [toWire(c.kind, row[c.name]), hlc];
          clocks[c.name] = hlc;
        }
        this.writeClocks(g.t, g.id, g.ws, clocks, null);
        this.queue({ t: g.t, id: g.id, ws: g.ws, c: cells, d: null });
      }
      this.stmt('DELETE FROM sync_outbox WHERE seq <= ?').run(rows[rows.length - 1]!.seq);
      this.saveClock();
      return rows.length;
    })();
  }

  private queue(e: ChangeEntry): void {
    this.stmt('INSERT INTO sync_pending (workspace_id, table_name, row_id, cells, deleted_hlc) VALUES (?, ?, ?, ?, ?)').run(
      e.ws,
      e.t,
      e.id,
      JSON.stringify(e.c),
      e.d,
    );
  }

  outboxCount(): number {
    return (this.stmt('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
  }

  pendingCount(): number {
    return (this.stmt('SELECT count(*) AS n FROM sync_pending').get() as { n: number }).n;
  }

  /** The next batch to push, oldest first. */
  pending(limit: number): { lastSeq: number; entries: ChangeEntry[] } {
    const rows = this.stmt(
      'SELECT seq, workspace_id AS ws, table_name AS t, row_id AS id, cells, deleted_hlc AS d FROM sync_pending ORDER BY seq LIMIT ?',
    ).all(limit) as { seq: number; ws: string; t: string; id: string; cells: string; d: string | null }[];
    return {
      lastSeq: rows.length ? rows[rows.length - 1]!.seq : 0,
      entries: rows.map((r) => ({ t: r.t, id: r.id, ws: r.ws, c: JSON.parse(r.cells) as ChangeEntry['c'], d: r.d })),
    };
  }

  /** The server committed everything up to `lastSeq`: only now does it leave the queue. */
  acknowledge(lastSeq: number): void {
    this.stmt('DELETE FROM sync_pending WHERE seq <= ?').run(lastSeq);
  }

  /**
   * Queue every existing row (stamped with its own last update, never a future time, so a newer
   * edit elsewhere still wins) of a workspace that was never synced (the first sync), parents
   * first, `limit` rows per call so the caller can yield between calls. Returns rows queued.
   */
  seedWorkspace(ws: string, state: { table: number; after: string }, limit = 5000): number {
    let queued = 0;
    while (state.table < syncTables.length && queued < limit) {
      const t = syncTables[state.table]!;
      const want = limit - queued;
      // `+workspace_id` keeps SQLite off the workspace index, so each chunk walks the id index
      // from where the last one stopped instead of sorting the whole workspace every time.
      const rows = this.stmt(
        `INSERT INTO sync_outbox (table_name, row_id, ws_id, cols, at)
         SELECT ?, id, ?, NULL, min(coalesce(updated_at, created_at), CAST(unixepoch('subsec') * 1000 AS INTEGER)) FROM ${q(t.name)} AS r
         WHERE +${q(t.workspaceColumn)} = ? AND id > ?
           AND NOT EXISTS (SELECT 1 FROM sync_clocks k WHERE k.table_name = ? AND k.row_id = r.id)
         ORDER BY id LIMIT ? RETURNING row_id`,
      ).all(t.name, ws, ws, state.after, t.name, want) as { row_id: string }[];
      queued += rows.length;
      if (rows.length < want) {
        state.table++;
        state.after = '';
      } else state.after = rows[rows.length - 1]!.row_id;
    }
    return queued;
  }

  /**
   * Apply pulled entries in one transaction: first stamp what is still in the outbox (so local
   * edits made before this pull are compared with their real clocks), then merge cell by cell
   * with capture off, and move the pull cursor in the same transaction.
   */
  apply(
    entries: PulledEntry[],
    cursor: { ws: string; seq: number } | null,
    alsoWorkspaces: readonly string[] = [],
  ): { applied: number; conflicts: number } {
    let applied = 0;
    let conflicts = 0;
    const run = this.db.sqlite.transaction(() => {
      while (this.stamp(5000) > 0);
      this.stmt('UPDATE sync_state SET applying = 1 WHERE id = 1').run();
      // Only reached when called inside someone's transaction (foreign_keys cannot change then).
      this.db.sqlite.pragma('defer_foreign_keys = ON');
      const synced = this.syncedWorkspaces();
      for (const ws of alsoWorkspaces) synced.add(ws);
      for (const e of entries) {
        const table = syncTableByName.get(e.t);
        if (!table || !synced.has(e.ws)) continue;
        for (const [, h] of Object.values(e.c)) this.clock.recv(h);
        if (e.d) this.clock.recv(e.d);
        const local = this.readClocks(e.t, e.id);
        if (local?.deletedHlc) continue;
        if (e.d) {
          this.stmt(`DELETE FROM ${q(e.t)} WHERE id = ?`).run(e.id);
          this.writeClocks(e.t, e.id, e.ws, local?.clocks ?? {}, e.d);
          applied++;
          continue;
        }
        const row = this.readRow(table, e.id);
        const clocks = { ...(local?.clocks ?? {}) };
        const winners: { name: string; value: string | number | null }[] = [];
        for (const col of table.columns) {
          const cell = e.c[col.name];
          if (!cell) continue;
          const [v, h] = cell;
          const value = fromWire(col.kind, v);
          const mine = clocks[col.name];
          const remoteWins = !mine || h > mine;
          if (mine && mine !== h && hlcNode(mine) === this.node && row && row[col.name] !== value && !BOOKKEEPING.has(col.name)) {
            conflicts++;
            this.recordConflict(e, col.name, row[col.name], value, mine, h, remoteWins ? 'remote' : 'local');
          }
          if (remoteWins) {
            winners.push({ name: col.name, value });
            clocks[col.name] = h;
          }
        }
        if (winners.length === 0) continue;
        if (row) {
          this.stmt(`UPDATE ${q(e.t)} SET ${winners.map((w) => `${q(w.name)} = ?`).join(', ')} WHERE id = ?`).run(
            ...winners.map((w) => w.value),
            e.id,
          );
        } else {
          if (!winners.some((w) => w.name === 'id')) winners.push({ name: 'id', value: e.id });
          try {
            this.stmt(`INSERT INTO ${q(e.t)} (${winners.map((w) => q(w.name)).join(', ')}) VALUES (${winners.map(() => '?').join(', ')})`).run(
              ...winners.map((w) => w.value),
            );
          } catch (err) {
            // Two devices created rows that a unique rule says are the same thing (a hashtag
            // group named alike): keep ours, record theirs as overwritten, keep syncing. A failed
            // statement undoes only itself, so the rest of the batch stands.
            if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
            conflicts++;
            this.recordConflict(e, '*', null, Object.fromEntries(winners.map((w) => [w.name, w.value])), '', e.c['id']?.[1] ?? '', 'local');
            continue;
          }
        }
        this.writeClocks(e.t, e.id, e.ws, clocks, null);
        applied++;
      }
      if (cursor) {
        this.stmt(`UPDATE sync_cursors SET last_pulled_seq = ?, updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER)
                   WHERE workspace_id = ? AND remote = 'cloud'`).run(cursor.seq, cursor.ws);
      }
      this.saveClock();
      this.stmt('UPDATE sync_state SET applying = 0 WHERE id = 1').run();
    });
    // Another device's order can put a row before the row it references, even pages apart (a
    // comment's AI decision, a reply before the message it answers, tables that reference each
    // other), so references are not checked while pulled rows go in: the origin's own checks
    // held, and its cascades arrive as their own changes. The connection is ours for this
    // synchronous call, so switching the pragma around it affects nothing else.
    const fk = this.db.sqlite.pragma('foreign_keys', { simple: true }) === 1;
    if (fk) this.db.sqlite.pragma('foreign_keys = OFF');
    try {
      run.immediate();
    } finally {
      if (fk) this.db.sqlite.pragma('foreign_keys = ON');
    }
    return { applied, conflicts };
  }

  private recordConflict(e: ChangeEntry, column: string, localValue: unknown, remoteValue: unknown, localHlc: string, remoteHlc: string, winner: 'local' | 'remote'): void {
    this.stmt(
      `INSERT INTO sync_conflicts (id, workspace_id, table_name, row_id, column_name, local_value, remote_value, local_hlc, remote_hlc, winner)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(newId(), e.ws, e.t, e.id, column, JSON.stringify(localValue ?? null), JSON.stringify(remoteValue ?? null), localHlc, remoteHlc, winner);
  }

  cursor(ws: string): number {
    const r = this.stmt(`SELECT last_pulled_seq AS s FROM sync_cursors WHERE workspace_id = ? AND remote = 'cloud'`).get(ws) as { s: number } | undefined;
    return r?.s ?? 0;
  }

  /** Choose a workspace for sync; it may not exist locally yet (pulled from the cloud). */
  addWorkspace(ws: string): void {
    this.stmt(`INSERT INTO sync_cursors (id, workspace_id, remote) VALUES (?, ?, 'cloud') ON CONFLICT DO NOTHING`).run(newId(), ws);
  }

  /**
   * Stop syncing a workspace. Its clocks go too: edits made while it is not synced are not
   * captured, so choosing it again must queue every row afresh (stamped with its own update time).
   */
  removeWorkspace(ws: string): void {
    this.db.sqlite.transaction(() => {
      this.stmt(`DELETE FROM sync_cursors WHERE workspace_id = ? AND remote = 'cloud'`).run(ws);
      this.stmt('DELETE FROM sync_clocks WHERE workspace_id = ?').run(ws);
      this.stmt('DELETE FROM sync_pending WHERE workspace_id = ?').run(ws);
    })();
  }
}

/** The current device row, created on first use with a fresh node id. */
export function ensureDevice(sqlite: BetterSqlite3.Database): { nodeId: string; lastHlc: string | null } {
  const row = sqlite.prepare('SELECT node_id AS nodeId, last_hlc AS lastHlc FROM devices WHERE is_current = 1').get() as
    | { nodeId: string; lastHlc: string | null }
    | undefined;
  if (row) return row;
  const nodeId = newNodeId();
  sqlite
    .prepare('INSERT INTO devices (id, name, node_id, os, is_current) VALUES (?, ?, ?, ?, 1)')
    .run(newId(), `This device (${process.platform})`, nodeId, process.platform);
  return { nodeId, lastHlc: null };
}

export { syncTable };
