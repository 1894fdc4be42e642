// Optional sync to a cloud Postgres (issue 9 refines this with its own migrations). Modelled on
// Actual Budget's CRDT: every change to a synced column is one row in sync_changes, stamped with
// a hybrid logical clock and written in the same transaction as the data; the last writer per
// cell wins, and a cell where both sides changed is recorded in sync_conflicts for review.
import { sql } from 'drizzle-orm';
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, enumCheck, enumText, epochMs, id, json, timestamps } from './columns';
import { workspaceRef } from './workspaces';

/** This install and the others that sync with it. The node id is the HLC's tie-breaker. */
export const devices = sqliteTable(
  'devices',
  {
    id: id(),
    name: text('name').notNull(),
    /** 16 hex digits, unique per install (the HLC node). */
    nodeId: text('node_id').notNull(),
    /** 'darwin', 'win32', 'linux', 'web'. */
    os: text('os'),
    appVersion: text('app_version'),
    isCurrent: bool('is_current').notNull().default(false),
    /** The last HLC timestamp this device issued or saw (meaningful for the current device). */
    lastHlc: text('last_hlc'),
    lastSeenAt: epochMs('last_seen_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('devices_node_id_unique').on(t.nodeId),
    uniqueIndex('devices_one_current_unique').on(t.isCurrent).where(sql`${t.isCurrent} = 1`),
  ],
);

export const CHANGE_ORIGINS = ['local', 'remote'] as const;

/** The change log: the outbox (local, not yet pushed) and what was pulled (remote). */
export const syncChanges = sqliteTable(
  'sync_changes',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** HLC timestamp: ISO time, counter and node; sorts as text. */
    hlc: text('hlc').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    columnName: text('column_name').notNull(),
    value: json<unknown>('value'),
    origin: enumText('origin', CHANGE_ORIGINS).notNull().default('local'),
    /** When a local change reached the server; NULL: still in the outbox. */
    pushedAt: epochMs('pushed_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('sync_changes_hlc_cell_unique').on(t.hlc, t.tableName, t.rowId, t.columnName),
    index('sync_changes_outbox_idx').on(t.workspaceId, t.hlc).where(sql`${t.origin} = 'local' AND ${t.pushedAt} IS NULL`),
    index('sync_changes_cell_idx').on(t.tableName, t.rowId, t.columnName, t.hlc),
    enumCheck('sync_changes', t.origin, CHANGE_ORIGINS),
  ],
);

/** How far this device has pulled from and pushed to each remote, per workspace. */
export const syncCursors = sqliteTable(
  'sync_cursors',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** 'cloud', or another device's node id. */
    remote: text('remote').notNull(),
    lastPulledHlc: text('last_pulled_hlc'),
    lastPushedHlc: text('last_pushed_hlc'),
    lastSyncedAt: epochMs('last_synced_at'),
    lastError: text('last_error'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('sync_cursors_workspace_remote_unique').on(t.workspaceId, t.remote)],
);

export const CONFLICT_WINNERS = ['local', 'remote'] as const;

/** A cell both sides changed: last-writer-wins picked `winner`; the user may review it. */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    id: id(),
    workspaceId: workspaceRef(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    columnName: text('column_name').notNull(),
    localValue: json<unknown>('local_value'),
    remoteValue: json<unknown>('remote_value'),
    localHlc: text('local_hlc').notNull(),
    remoteHlc: text('remote_hlc').notNull(),
    winner: enumText('winner', CONFLICT_WINNERS).notNull(),
    reviewedAt: epochMs('reviewed_at'),
    ...timestamps(),
  },
  (t) => [
    index('sync_conflicts_workspace_unreviewed_idx').on(t.workspaceId, t.createdAt).where(sql`${t.reviewedAt} IS NULL`),
    index('sync_conflicts_row_idx').on(t.tableName, t.rowId),
    enumCheck('sync_conflicts', t.winner, CONFLICT_WINNERS),
  ],
);
