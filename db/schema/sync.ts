// Optional sync to a cloud Postgres (issue 9). Modelled on Actual Budget's CRDT: a hybrid
// logical clock per cell, last writer wins, deletes win, what was overwritten is kept.
// Capture: triggers (installed by electron/core/sync/capture.ts only while sync is on) append
// one cheap row per written row to sync_outbox in the writer's own transaction; the engine later
// stamps those rows with HLCs in commit order (sync_clocks, the per-cell clocks) and queues them
// for the cloud in sync_pending, which is emptied only after the server committed a batch.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
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

/** How far this device has pulled from and pushed to each remote, per workspace. */
export const syncCursors = sqliteTable(
  'sync_cursors',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** 'cloud', or another device's node id. */
    remote: text('remote').notNull(),
    lastPulledHlc: text('last_pulled_hlc'),
    /** The cloud change log's sequence number this device has applied up to (pull cursor). */
    lastPulledSeq: integer('last_pulled_seq').notNull().default(0),
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

/**
 * Written by the capture triggers, read and emptied by the engine. No foreign key on purpose:
 * deleting a workspace cascades through its rows and each delete is captured here; a reference
 * to the workspace being deleted would fail that delete. `cols` is NULL for an insert (every
 * column), the comma-separated changed columns for an update, and '-' for a delete.
 */
export const syncOutbox = sqliteTable('sync_outbox', {
  seq: integer('seq').primaryKey(),
  tableName: text('table_name').notNull(),
  rowId: text('row_id').notNull(),
  wsId: text('ws_id').notNull(),
  cols: text('cols'),
  at: integer('at')
    .notNull()
    .default(sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`),
});

/**
 * One row (id = 1). `applying` = 1 only inside the transaction that applies pulled changes, so
 * the triggers do not capture them again; no other connection can write meanwhile (SQLite has one
 * writer), so a database-wide flag is as good as a connection-level one and needs no function.
 */
export const syncState = sqliteTable(
  'sync_state',
  {
    id: integer('id').primaryKey(),
    applying: integer('applying').notNull().default(0),
    /** Hash of the installed capture triggers: reinstalled when the schema changes. */
    triggersHash: text('triggers_hash'),
    paused: bool('paused').notNull().default(false),
    /** Where the connection string is kept (an app secret); NULL: sync not set up. */
    connectedAt: epochMs('connected_at'),
    lastError: text('last_error'),
  },
  (t) => [check('sync_state_one_row', sql`${t.id} = 1`)],
);

/** The clock of every synced cell this device knows: {column: hlc}, and the row's tombstone. */
export const syncClocks = sqliteTable(
  'sync_clocks',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    workspaceId: workspaceRef(),
    clocks: json<Record<string, string>>('clocks').notNull(),
    /** HLC of the delete; once set, later changes to the row are ignored (deletes win). */
    deletedHlc: text('deleted_hlc'),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.tableName, t.rowId] })],
);

/** Stamped local changes waiting for the cloud, one row per changed row, in push order. */
export const syncPending = sqliteTable(
  'sync_pending',
  {
    seq: integer('seq').primaryKey(),
    workspaceId: workspaceRef(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    /** {column: [value in wire form, hlc]} */
    cells: json<Record<string, [unknown, string]>>('cells').notNull(),
    deletedHlc: text('deleted_hlc'),
    ...timestamps(),
  },
  (t) => [index('sync_pending_workspace_idx').on(t.workspaceId, t.seq)],
);
