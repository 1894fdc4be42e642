// A generic row factory: builds a valid row for any table from drizzle's metadata (enum values,
// NOT NULL column types, foreign keys resolved by creating parent rows in the same workspace), so
// tests that must cover every table (scoping, cascades, constraints, upgrades) never keep a hand
// list that drifts from the schema. Only CHECKs that need particular values have overrides below.
import type BetterSqlite3 from 'better-sqlite3';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { newId } from '../../db/schema/columns';
import * as schema from '../../db/schema';

/** App-level values keyed by the table's TypeScript property names (what drizzle inserts take). */
export type Row = Record<string, unknown>;

export const allTables: readonly SQLiteTable[] = (Object.values(schema) as unknown[]).filter(
  (v): v is SQLiteTable => is(v, SQLiteTable),
);

export function tableNamed(name: string): SQLiteTable {
  const t = allTables.find((x) => getTableName(x) === name);
  if (!t) throw new Error(`no table named ${name} in db/schema`);
  return t;
}

interface ParentRef {
  foreignTable: SQLiteTable;
  foreignColumn: SQLiteColumn;
}

/** key -> column, column name -> key, and each single-column foreign key by column name. */
function describe(table: SQLiteTable) {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  const keyOf = new Map<string, string>();
  for (const [key, col] of Object.entries(columns)) keyOf.set(col.name, key);
  const fks = new Map<string, ParentRef>();
  for (const fk of getTableConfig(table).foreignKeys) {
    const ref = fk.reference();
    const [col] = ref.columns;
    const [foreignColumn] = ref.foreignColumns;
    if (col && foreignColumn) fks.set(col.name, { foreignTable: ref.foreignTable, foreignColumn });
  }
  return { columns, keyOf, fks };
}

export interface BuildContext {
  /** Creates (and inserts) a parent row of `table` in the same workspace; returns its values. */
  parent(table: SQLiteTable): Row;
}

type Override = (ctx: BuildContext) => Row;

/**
 * CHECKs that tie several columns together need a specific shape. Everything else is derived.
 * Keys are table names; values are merged over the generated row (explicit overrides win).
 */
const tableOverrides: Record<string, Override> = {
  account_secrets: (ctx) => ({ accountId: ctx.parent(schema.accounts).id }),
  media: () => ({ path: 'media/photo.jpg' }),
  knowledge_chunks: (ctx) => ({ documentId: ctx.parent(schema.knowledgeDocuments).id }),
  support_escalations: (ctx) => ({ conversationId: ctx.parent(schema.conversations).id }),
  automated_followups: (ctx) => ({ conversationId: ctx.parent(schema.conversations).id }),
};

/** Column names whose CHECK wants a shape, wherever they appear. `n` makes each value unique. */
const byColumnName: Record<string, (n: number) => unknown> = {
  date: (n) => isoDay(n),
  analysis_date: (n) => isoDay(n),
  month: (n) => `${String(2000 + Math.floor(n / 12)).padStart(4, '0')}-${String((n % 12) + 1).padStart(2, '0')}`,
  currency: () => 'USD',
  country: () => 'US',
  sha256: (n) => n.toString(16).padStart(64, '0'),
  confidence: () => 0.5,
  user_rating: () => 4,
  temperature: () => 0.5,
  top_p: () => 0.9,
  message_text: (n) => `message ${n}`,
  questions: (n) => [`question ${n}?`],
};

function isoDay(n: number): string {
  return new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
}

export interface BuildOptions {
  /** Explicit values (win over everything). `null` forces a nullable column empty. */
  values?: Row;
  /** Nullable columns (by TS key) to fill too, e.g. the members of a UNIQUE index. */
  fill?: readonly string[];
}

export class RowFactory {
  private n = 0;

  constructor(
    readonly sqlite: BetterSqlite3.Database,
    /** Only columns that exist in the open file are written (older migration levels). */
    private readonly existingColumns?: (tableName: string) => Set<string> | undefined,
  ) {}

  next(): number {
    this.n += 1;
    return this.n;
  }

  /** A valid row for `table` in `workspaceId` (NULL for app-wide tables); parents are inserted. */
  build(table: SQLiteTable, workspaceId: string | null, opts: BuildOptions = {}): Row {
    const { columns, fks } = describe(table);
    const ctx: BuildContext = { parent: (t) => this.insert(t, workspaceId) };
    const explicit = opts.values ?? {};
    const fill = new Set(opts.fill ?? []);
    const special = tableOverrides[getTableName(table)];
    const overrides = { ...(special ? pickMissing(special(ctx), explicit) : {}), ...explicit };
    const row: Row = {};
    for (const [key, col] of Object.entries(columns)) {
      if (key in overrides) {
        row[key] = overrides[key];
        continue;
      }
      if (col.name === 'workspace_id') {
        if (workspaceId !== null || col.notNull) row[key] = workspaceId;
        continue;
      }
      if (col.name === 'id' && col.defaultFn) {
        row[key] = newId();
        continue;
      }
      const required = col.notNull && !col.hasDefault && !col.primary;
      const textKey = col.primary && col.columnType === 'SQLiteText';
      if (!required && !fill.has(key) && !textKey) continue;
      const parent = fks.get(col.name);
      if (parent) {
        if (parent.foreignTable === schema.workspaces) row[key] = workspaceId;
        else row[key] = this.insert(parent.foreignTable, workspaceId)[keyOfColumn(parent.foreignColumn)];
        continue;
      }
      row[key] = this.valueFor(col);
    }
    return row;
  }

  /** build() then INSERT it with plain SQL (works at any migration level); returns the values. */
  insert(table: SQLiteTable, workspaceId: string | null, opts: BuildOptions = {}): Row {
    const row = this.build(table, workspaceId, opts);
    insertRow(this.sqlite, table, row, this.existingColumns?.(getTableName(table)));
    return row;
  }

  private valueFor(col: SQLiteColumn): unknown {
    const n = this.next();
    const special = byColumnName[col.name];
    if (special) return special(n);
    if (col.enumValues && col.enumValues.length > 0) return col.enumValues[0];
    switch (col.columnType) {
      case 'SQLiteText':
        return `${col.name} ${n}`;
      case 'SQLiteTextJson':
        return {};
      case 'SQLiteBoolean':
        return false;
      case 'SQLiteReal':
        return 1.5;
      case 'SQLiteInteger':
        return /(_at|_for)$/.test(col.name) ? Date.UTC(2024, 0, 1) + n * 1000 : n;
      case 'SQLiteBlobBuffer':
        return Buffer.from(`blob ${n}`);
      default:
        throw new Error(`row factory: no value for ${col.name} (${col.columnType})`);
    }
  }
}

function pickMissing(values: Row, explicit: Row): Row {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !(k in explicit)));
}

function keyOfColumn(col: SQLiteColumn): string {
  const { keyOf } = describe(col.table as SQLiteTable);
  const key = keyOf.get(col.name);
  if (!key) throw new Error(`column ${col.name} not found`);
  return key;
}

/** INSERT `row` (app values) into `table`, mapping each value to its driver form. */
export function insertRow(
  sqlite: BetterSqlite3.Database,
  table: SQLiteTable,
  row: Row,
  onlyColumns?: Set<string>,
): void {
  const { columns } = describe(table);
  const names: string[] = [];
  const params: unknown[] = [];
  for (const [key, value] of Object.entries(row)) {
    const col = columns[key];
    if (!col) throw new Error(`${getTableName(table)} has no column ${key}`);
    if (value === undefined || (onlyColumns && !onlyColumns.has(col.name))) continue;
    names.push(col.name);
    params.push(value === null ? null : col.mapToDriverValue(value));
  }
  const quoted = names.map((c) => `"${c}"`).join(', ');
  const marks = names.map(() => '?').join(', ');
  // Every column defaulted: an app-wide state table (sync_state), whose one row its migration may
  // already have written; that row is the row the caller asked for.
  if (names.length === 0) sqlite.prepare(`INSERT OR IGNORE INTO "${getTableName(table)}" DEFAULT VALUES`).run();
  else sqlite.prepare(`INSERT INTO "${getTableName(table)}" (${quoted}) VALUES (${marks})`).run(...params);
}

/** Column names of `table` in the open file (empty set: the table does not exist there). */
export function fileColumns(sqlite: BetterSqlite3.Database, tableName: string): Set<string> {
  const rows = sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(tableName) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/** A workspace row, inserted; returns its id. */
export function insertWorkspace(sqlite: BetterSqlite3.Database, name: string): string {
  const id = newId();
  sqlite.prepare(`INSERT INTO workspaces (id, name) VALUES (?, ?)`).run(id, name);
  return id;
}
