// Which tables sync and how each column travels, derived from the Drizzle schema (never a hand
// list): every workspace-owned table that carries `deleted_at` (db/scope.ts + syncedTimestamps),
// plus `workspaces` itself so another device can create the workspace its rows point at.
// Local-only tables (jobs, poll state, caches, metrics) have no `deleted_at` and never leave the
// machine; secrets live in account_secrets/app_secrets, which are not synced at all.
import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { scopedTables } from '../../../db/scope';
import { workspaces } from '../../../db/schema';

/** How a column is represented on the wire and in Postgres. */
export type ColumnKind = 'uuid' | 'text' | 'int' | 'real' | 'bool' | 'json' | 'time';

export interface SyncColumn {
  name: string;
  kind: ColumnKind;
}

export interface SyncTable {
  name: string;
  /** Synced columns, `id` first; the local `seq` rowid alias is left out (it is per file). */
  columns: SyncColumn[];
  /** The column that says which workspace a row belongs to (`id` for workspaces itself). */
  workspaceColumn: 'workspace_id' | 'id';
  /** Names of synced tables this one references (push and seed order: parents first). */
  parents: string[];
}

/** Integer columns that hold epoch milliseconds: `*_at` and the few named otherwise. */
const TIME_NAMES = /(_at|_until|^scheduled_for)$/;

function kindOf(col: Column, fkColumns: Set<string>): ColumnKind {
  if (col.name === 'id' || col.name === 'workspace_id' || fkColumns.has(col.name)) return 'uuid';
  switch (col.columnType) {
    case 'SQLiteTextJson':
      return 'json';
    case 'SQLiteBoolean':
      return 'bool';
    case 'SQLiteReal':
      return 'real';
    case 'SQLiteInteger':
    case 'SQLiteTimestamp':
      return TIME_NAMES.test(col.name) ? 'time' : 'int';
    default:
      return 'text';
  }
}

function describe(table: SQLiteTable, syncedNames: Set<string>): SyncTable {
  const name = getTableName(table);
  const config = getTableConfig(table);
  const fkColumns = new Set<string>();
  const parents = new Set<string>();
  for (const fk of config.foreignKeys) {
    const ref = fk.reference();
    const target = getTableName(ref.foreignTable);
    // Only references to synced tables hold UUIDv7 ids for sure; others (users) stay text.
    if (!syncedNames.has(target)) continue;
    for (const c of ref.columns) fkColumns.add(c.name);
    if (target !== name) parents.add(target);
  }
  const columns = Object.values(getTableColumns(table))
    .filter((c) => c.name !== 'seq')
    .map((c) => ({ name: c.name, kind: kindOf(c, fkColumns) }))
    .sort((a, b) => (a.name === 'id' ? -1 : b.name === 'id' ? 1 : 0));
  return { name, columns, workspaceColumn: name === 'workspaces' ? 'id' : 'workspace_id', parents: [...parents] };
}

function topological(tables: SyncTable[]): SyncTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const out: SyncTable[] = [];
  const seen = new Set<string>();
  const visit = (t: SyncTable, path: Set<string>) => {
    if (seen.has(t.name) || path.has(t.name)) return; // a cycle is broken by deferred FKs on apply
    path.add(t.name);
    for (const p of t.parents) {
      const parent = byName.get(p);
      if (parent) visit(parent, path);
    }
    path.delete(t.name);
    seen.add(t.name);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t, new Set());
  return out;
}

function build(): SyncTable[] {
  const sources: SQLiteTable[] = [workspaces, ...scopedTables.filter((t) => 'deletedAt' in getTableColumns(t))];
  const names = new Set(sources.map((t) => getTableName(t)));
  return topological(sources.map((t) => describe(t, names)));
}

/** Synced tables, parents before children. */
export const syncTables: readonly SyncTable[] = build();
export const syncTableByName: ReadonlyMap<string, SyncTable> = new Map(syncTables.map((t) => [t.name, t]));

export function syncTable(name: string): SyncTable {
  const t = syncTableByName.get(name);
  if (!t) throw new Error(`Sync: "${name}" is not a synced table.`);
  return t;
}

/** A value as it travels (and is logged in Postgres): JSON-safe and typed for Postgres. */
export type WireValue = string | number | boolean | null;

/** SQLite value → wire: times as ISO strings, booleans as booleans, JSON text kept verbatim. */
export function toWire(kind: ColumnKind, v: unknown): WireValue {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'time':
      return new Date(Number(v)).toISOString();
    case 'bool':
      return Number(v) !== 0;
    case 'int':
    case 'real':
      return typeof v === 'bigint' ? Number(v) : (v as number);
    default:
      return typeof v === 'string' ? v : JSON.stringify(v);
  }
}

/** Wire → SQLite value. */
export function fromWire(kind: ColumnKind, v: WireValue): string | number | null {
  if (v === null) return null;
  switch (kind) {
    case 'time':
      return typeof v === 'number' ? v : Date.parse(String(v));
    case 'bool':
      return v === true || v === 'true' || v === 1 ? 1 : 0;
    case 'int':
    case 'real':
      return Number(v);
    default:
      return String(v);
  }
}
