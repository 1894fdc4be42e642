// Which rows make up one workspace, derived from the schema rather than listed by hand, so a table
// added later travels in archives without anyone remembering to add it here:
//  - the workspaces row itself;
//  - every workspace-scoped table (db/scope.ts scopedTables), rows where workspace_id is this one
//    (tables that also hold app-wide rows keep those: workspace_id NULL is not this workspace);
//  - workspace_members, and the rows of non-scoped tables that scoped rows point at with a foreign
//    key (today: users, as authors, approvers, agents and members), since the rows would not
//    insert without them;
//  - the vec0 tables' embeddings of this workspace's knowledge chunks (derived, but costly to
//    recompute, and the search results depend on them).
// Secrets (account_secrets, app_secrets) are planned apart: they leave only re-sealed under an
// export passphrase (see secrets.ts).
import type BetterSqlite3 from 'better-sqlite3';
import { getTableName } from 'drizzle-orm';
import { scopedTables } from '../../../db/scope';

export const SECRET_TABLES = ['account_secrets', 'app_secrets'] as const;
export type SecretTable = (typeof SECRET_TABLES)[number];

const scopedNames = new Set(scopedTables.map((t) => getTableName(t)));

export interface PlannedTable {
  name: string;
  kind: 'rows' | 'vectors' | 'secrets';
  /** A table other workspaces share (users): rows already here are kept on import. */
  shared: boolean;
  columns: string[];
  /** SELECT of this workspace's rows; named parameter @ws: the workspace id. */
  select: string;
  /** COUNT of the same rows, for progress. */
  count: string;
}

interface ForeignKey {
  table: string;
  from: string;
  to: string;
}

export const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function foreignKeys(sqlite: BetterSqlite3.Database, table: string): ForeignKey[] {
  return sqlite.prepare<[], ForeignKey>(`PRAGMA foreign_key_list(${q(table)})`).all();
}

/** Ordinary (insertable) columns in table order: generated and hidden columns are left out. */
export function columnsOf(sqlite: BetterSqlite3.Database, table: string, schema = 'main'): string[] {
  return sqlite
    .prepare<[], { name: string; hidden: number }>(`PRAGMA ${q(schema)}.table_xinfo(${q(table)})`)
    .all()
    .filter((c) => c.hidden === 0)
    .map((c) => c.name);
}

function tableExists(sqlite: BetterSqlite3.Database, name: string): boolean {
  return sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** The vec0 tables holding chunk embeddings (knowledge_vec_384 and any other size made at run time). */
export function vectorTables(sqlite: BetterSqlite3.Database): string[] {
  return sqlite
    .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'knowledge_vec_[0-9]*' AND sql LIKE '%USING vec0%' ORDER BY name`)
    .all()
    .map((r) => r.name);
}

/** Tables ordered so a row's parents come first where the foreign keys allow (cycles fall back to
 * name order; the import defers foreign key checks to its commit, so order is a courtesy). */
function ordered(sqlite: BetterSqlite3.Database, names: string[]): string[] {
  const set = new Set(names);
  const deps = new Map(names.map((n) => [n, new Set(foreignKeys(sqlite, n).map((f) => f.table).filter((t) => t !== n && set.has(t)))]));
  const out: string[] = [];
  const done = new Set<string>();
  while (out.length < names.length) {
    const ready = names.filter((n) => !done.has(n) && [...deps.get(n)!].every((d) => done.has(d)));
    const next = ready.length > 0 ? ready : [names.filter((n) => !done.has(n)).sort()[0]!];
    for (const n of next) {
      done.add(n);
      out.push(n);
    }
  }
  return out;
}

export function planTables(sqlite: BetterSqlite3.Database): PlannedTable[] {
  const scoped = [...scopedNames].filter((n) => tableExists(sqlite, n)).sort();
  const secret = new Set<string>(SECRET_TABLES);

  // Non-scoped tables that scoped rows (or memberships) point at, with the columns that do.
  const referenced = new Map<string, { table: string; column: string; to: string }[]>();
  for (const s of [...scoped, 'workspace_members']) {
    for (const fk of foreignKeys(sqlite, s)) {
      if (fk.table === 'workspaces' || scopedNames.has(fk.table)) continue;
      const list = referenced.get(fk.table) ?? [];
      list.push({ table: s, column: fk.from, to: fk.to });
      referenced.set(fk.table, list);
    }
  }

  const plans: PlannedTable[] = [];
  const rowsPlan = (name: string, where: string, kind: PlannedTable['kind'] = 'rows', shared = false): PlannedTable => ({
    name,
    kind,
    shared,
    columns: columnsOf(sqlite, name),
    select: `SELECT ${columnsOf(sqlite, name).map(q).join(', ')} FROM ${q(name)} WHERE ${where}`,
    count: `SELECT COUNT(*) AS n FROM ${q(name)} WHERE ${where}`,
  });

  plans.push(rowsPlan('workspaces', 'id = @ws'));
  for (const [table, refs] of [...referenced.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const key = refs[0]!.to;
    const sources = refs.map((r) => `SELECT ${q(r.column)} FROM ${q(r.table)} WHERE workspace_id = @ws AND ${q(r.column)} IS NOT NULL`).join(' UNION ');
    plans.push(rowsPlan(table, `${q(key)} IN (${sources})`, 'rows', true));
  }
  plans.push(rowsPlan('workspace_members', 'workspace_id = @ws'));
  for (const name of ordered(sqlite, scoped)) {
    plans.push(rowsPlan(name, 'workspace_id = @ws', secret.has(name) ? 'secrets' : 'rows'));
  }
  for (const name of vectorTables(sqlite)) {
    // vec0 answers a full scan; its partition key is compared per row (there are few chunks
    // beside messages and posts, so this is not where exports spend their time).
    plans.push({
      name,
      kind: 'vectors',
      shared: false,
      columns: ['chunk_seq', 'workspace_id', 'embedding'],
      select: `SELECT chunk_seq, workspace_id, embedding FROM ${q(name)} WHERE chunk_seq IN (SELECT seq FROM knowledge_chunks WHERE workspace_id = @ws)`,
      count: `SELECT COUNT(*) AS n FROM knowledge_chunks WHERE workspace_id = @ws AND embedded_at IS NOT NULL`,
    });
  }
  return plans;
}

/** The last migration applied to a database (its schema version). */
export function schemaVersion(sqlite: BetterSqlite3.Database): { idx: number; tag: string } {
  const row = sqlite.prepare<[], { idx: number; tag: string }>(`SELECT idx, tag FROM __postdesk_migrations ORDER BY idx DESC LIMIT 1`).get();
  if (!row) throw new Error('the database has no migrations applied');
  return row;
}
