// Column helpers shared by every area's tables, so that ids, times, JSON and enums look the same
// everywhere and the scoping/sync code can rely on the column names.
import { sql, type SQL } from 'drizzle-orm';
import { check, integer, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDv7 text id: sorts by creation and merges across devices without collisions. */
export const newId = (): string => uuidv7();

export const id = () => text('id').primaryKey().$defaultFn(newId);

/** Epoch milliseconds (UTC). The SQL default lets raw SQL and triggers insert rows too. */
const nowMs = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`;
export const epochMs = (name: string) => integer(name);
export const createdAt = () => integer('created_at').notNull().default(nowMs);
export const updatedAt = () =>
  integer('updated_at')
    .notNull()
    .default(nowMs)
    .$onUpdateFn(() => Date.now());
export const deletedAt = () => integer('deleted_at');

/** created_at + updated_at, spread into a table definition. */
export const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });
/** created_at + updated_at + deleted_at (tombstone) for tables that sync. */
export const syncedTimestamps = () => ({ ...timestamps(), deletedAt: deletedAt() });

export const bool = (name: string) => integer(name, { mode: 'boolean' });
export const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();

/** A Postgres enum / CHECK (x IN (...)) becomes a text column with a CHECK constraint. */
export function inList(column: AnySQLiteColumn, values: readonly string[]): SQL {
  const list = sql.join(
    values.map((v) => sql.raw(`'${v.replaceAll("'", "''")}'`)),
    sql.raw(', '),
  );
  return sql`${column} IN (${list})`;
}

/** CHECK named `<table>_<column>_check`, so a violation message names the column. */
export function enumCheck(table: string, column: AnySQLiteColumn, values: readonly string[]) {
  return check(`${table}_${column.name}_check`, inList(column, values));
}

/**
 * A text column typed as a union of `values`; pair it with enumCheck() so SQLite enforces the
 * same list. The scoping and constraint tests read the list back from the column (enumValues).
 */
export const enumText = <U extends string, T extends Readonly<[U, ...U[]]>>(name: string, values: T) =>
  text(name, { enum: values });

/**
 * The four tables that feed FTS5 and vec0 (posts, conversation_messages, comments,
 * knowledge_chunks) need a stable integer rowid: `seq INTEGER PRIMARY KEY` aliases the rowid,
 * so VACUUM never renumbers it. It is local to this file (never synced); every foreign key
 * references the UUIDv7 `id` instead.
 */
export const seqKey = () => ({
  seq: integer('seq').primaryKey(),
  id: text('id').notNull().unique().$defaultFn(newId),
});

/** A count that starts at zero (metrics, usage). */
export const counter = (name: string) => integer(name).notNull().default(0);

/** CHECK (column >= 0), named like enumCheck so the error names the column. */
export function nonNegative(table: string, column: AnySQLiteColumn) {
  return check(`${table}_${column.name}_check`, sql`${column} >= 0`);
}

/** CHECK (column BETWEEN lo AND hi) for bounded settings (temperature, ratings, counts). */
export function between(table: string, column: AnySQLiteColumn, lo: number, hi: number) {
  return check(`${table}_${column.name}_check`, sql`${column} BETWEEN ${sql.raw(String(lo))} AND ${sql.raw(String(hi))}`);
}

/** Calendar day 'YYYY-MM-DD' (the seeds' DATE columns), checked by shape. */
export function isoDateCheck(table: string, column: AnySQLiteColumn) {
  return check(
    `${table}_${column.name}_check`,
    sql`${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`,
  );
}

/** Today's UTC date as 'YYYY-MM-DD', usable as a column default. */
export const todayUtc = sql`(date('now'))`;
