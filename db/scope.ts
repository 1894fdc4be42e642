// Workspace scoping, enforced in one place. Every user-owned table carries workspace_id; services
// reach those tables through a WorkspaceScope so a query made for workspace A can neither read nor
// change rows of workspace B. The list of scoped tables is derived from the schema, not written down.
import { and, eq, getTableColumns, is, sql, type SQL } from 'drizzle-orm';
import { SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Orm } from './client';
import * as schema from './schema';

export type ScopedTable = SQLiteTable & { workspaceId: SQLiteColumn };

export function isScopedTable(t: unknown): t is ScopedTable {
  return is(t, SQLiteTable) && 'workspaceId' in getTableColumns(t) && t !== schema.workspaceMembers;
}

/** Every table whose rows belong to one workspace (workspace_members is membership itself). */
export const scopedTables: readonly ScopedTable[] = (Object.values(schema) as unknown[]).filter(isScopedTable);

type Cond = SQL | undefined;

export class WorkspaceScope {
  constructor(
    readonly orm: Orm,
    readonly workspaceId: string,
  ) {}

  /** The condition every statement on a user-owned table carries, plus any others. */
  owns(table: ScopedTable, ...conds: Cond[]): SQL {
    return and(eq(table.workspaceId, this.workspaceId), ...conds) as SQL;
  }

  select<T extends ScopedTable>(table: T, ...conds: Cond[]) {
    return this.orm.select().from(table as SQLiteTable).where(this.owns(table, ...conds));
  }

  count<T extends ScopedTable>(table: T, ...conds: Cond[]): number {
    const row = this.orm
      .select({ n: sql<number>`count(*)` })
      .from(table as SQLiteTable)
      .where(this.owns(table, ...conds))
      .get();
    return row?.n ?? 0;
  }

  /** Inserted rows always land in this workspace, whatever the caller passed. */
  insert<T extends ScopedTable>(table: T, values: T['$inferInsert'] | T['$inferInsert'][]) {
    const rows = (Array.isArray(values) ? values : [values]).map((v) => ({
      ...v,
      workspaceId: this.workspaceId,
    }));
    return this.orm.insert(table).values(rows as T['$inferInsert'][]);
  }

  /** A row can never be moved to another workspace: workspace_id is stripped from the change. */
  update<T extends ScopedTable>(table: T, set: Partial<T['$inferInsert']>, ...conds: Cond[]) {
    const { workspaceId: _ignored, ...rest } = set as Record<string, unknown>;
    return this.orm
      .update(table)
      .set(rest as Partial<T['$inferInsert']>)
      .where(this.owns(table, ...conds));
  }

  delete<T extends ScopedTable>(table: T, ...conds: Cond[]) {
    return this.orm.delete(table).where(this.owns(table, ...conds));
  }
}

export function inWorkspace(orm: Orm, workspaceId: string): WorkspaceScope {
  return new WorkspaceScope(orm, workspaceId);
}
