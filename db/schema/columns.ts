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
