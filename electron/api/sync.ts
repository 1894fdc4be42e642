// Sync to a cloud Postgres (Settings → Sync): connect with a connection string, choose the
// workspaces that sync, status, Sync now (progress on 'sync.progress'), pause/resume, disconnect,
// and the values a merge overwrote. 'sync.changed' says when any of it changed.
// The connection string is accepted here and nowhere else: it is never returned, never logged,
// and kept sealed by the secret vault (SyncService.connect).
import { z } from 'zod';
import type { ApiContext } from '../core/context';
import { syncOf, type SyncController } from '../core/sync/schedule';
import { ApiError } from './errors';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const POSTGRES_URL_HINT = 'a Postgres connection string starts with postgres:// or postgresql:// (for example postgres://user:password@host:5432/database)';

/** Checked without echoing the value: zod's messages here never include the input. */
export const connectionString = z
  .string()
  .trim()
  .min(1, 'paste the connection string of your Postgres database')
  .max(4000, 'that is too long for a connection string')
  .refine((s) => /^postgres(ql)?:\/\//i.test(s), POSTGRES_URL_HINT)
  .refine((s) => {
    try {
      return new URL(s).hostname.length > 0;
    } catch {
      return false;
    }
  }, 'the connection string has no server name (postgres://user:password@host:5432/database)');

function controller(ctx: ApiContext): SyncController {
  const c = syncOf(ctx);
  if (!c) throw new ApiError('unavailable', 'Sync is not running in this engine (it starts with the database). Restart Postdesk and try again.');
  return c;
}

function statusOf(ctx: ApiContext) {
  const c = controller(ctx);
  const s = c.service.status();
  const names = new Map(
    (ctx.db.sqlite.prepare('SELECT id, name FROM workspaces').all() as { id: string; name: string }[]).map((w) => [w.id, w.name]),
  );
  const unreviewed = (ctx.db.sqlite.prepare('SELECT count(*) AS n FROM sync_conflicts WHERE reviewed_at IS NULL').get() as { n: number }).n;
  return {
    connected: s.connected,
    /** Set up here, but the saved sign-ins are locked: sync starts when they are unlocked (Settings → Security). */
    locked: c.waitingForUnlock,
    paused: s.paused,
    running: s.running,
    workspaces: s.workspaces.map((id) => ({ id, name: names.get(id) ?? null })),
    pending: s.pending,
    lastSyncedAt: s.lastSyncedAt,
    lastError: s.lastError,
    /** After a network failure, automatic rounds wait until then (Sync now does not). */
    retryAt: c.backoffUntil,
    unreviewedConflicts: unreviewed,
    deviceNode: s.deviceNode,
  };
}

export type SyncStatusView = ReturnType<typeof statusOf>;

interface ConflictRow {
  id: string;
  workspaceId: string;
  workspaceName: string | null;
  tableName: string;
  rowId: string;
  columnName: string;
  localValue: string | null;
  remoteValue: string | null;
  winner: 'local' | 'remote';
  createdAt: number;
  reviewedAt: number | null;
}

const parse = (v: string | null): unknown => {
  if (v === null) return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

export const syncApi = area('sync', {
  'sync.status': method({
    description:
      'Sync on this device: connected, paused, running (a round now), workspaces chosen [{id, name}], pending (local changes not yet in the cloud), lastSyncedAt, lastError (in words), retryAt (automatic rounds wait after a network failure), unreviewedConflicts.',
    input: z.object({}),
    handler: (ctx) => statusOf(ctx),
  }),
  'sync.connect': method({
    description:
      'Connect to a Postgres database with {connectionString} (postgres://user:password@host:5432/db): checks it, creates or migrates the postdesk schema there, keeps the string sealed on this device (never returned), and starts recording changes. Then choose workspaces.',
    input: z.object({ connectionString }),
    handler: async (ctx, i) => {
      const c = controller(ctx);
      const { migrated } = await c.service.connect(i.connectionString);
      c.stateChanged('connected');
      return { migrated: migrated.length, status: statusOf(ctx) };
    },
  }),
  'sync.cloudWorkspaces': method({
    description: 'Workspaces in the cloud database this role can see [{id, name, here}] (here: also on this device), plus this device\'s workspaces not in the cloud yet.',
    input: z.object({}),
    handler: async (ctx) => {
      const cloud = await controller(ctx).service.cloudWorkspaces();
      const local = ctx.db.sqlite.prepare('SELECT id, name FROM workspaces ORDER BY name').all() as { id: string; name: string }[];
      const localIds = new Set(local.map((w) => w.id));
      const cloudIds = new Set(cloud.map((w) => w.id));
      return {
        workspaces: [
          ...cloud.map((w) => ({ id: w.id, name: w.name, inCloud: true, here: localIds.has(w.id) })),
          ...local.filter((w) => !cloudIds.has(w.id)).map((w) => ({ id: w.id, name: w.name, inCloud: false, here: true })),
        ],
      };
    },
  }),
  'sync.chooseWorkspaces': method({
    description:
      'Choose which workspaces sync ({workspaceIds}: the full list; one left out stops syncing, its local data stays). A local one is queued whole for its first push; a cloud-only one is created here and filled by the next round.',
    input: z.object({ workspaceIds: z.array(workspaceId).max(500) }),
    handler: async (ctx, i) => {
      const c = controller(ctx);
      await c.service.chooseWorkspaces([...new Set(i.workspaceIds)]);
      c.stateChanged('workspaces');
      return statusOf(ctx);
    },
  }),
  'sync.syncNow': method({
    description:
      'Run one round now (push local changes, pull the others\'), joining a round already running; progress on "sync.progress". Returns {ran, pushed, pulled, conflicts} or {ran: false, skipped: "paused" | "no_workspaces"}, and the status.',
    input: z.object({}),
    handler: async (ctx) => {
      const outcome = await controller(ctx).round('manual');
      return { ...outcome, status: statusOf(ctx) };
    },
  }),
  'sync.pause': method({
    description: 'Pause sync on this device: changes are still recorded here, nothing is sent or fetched until sync.resume.',
    input: z.object({}),
    handler: (ctx) => {
      const c = controller(ctx);
      c.service.pause();
      c.stateChanged('paused');
      return statusOf(ctx);
    },
  }),
  'sync.resume': method({
    description: 'Resume sync: changes recorded while paused go out with the next round (started shortly if there are any).',
    input: z.object({}),
    handler: (ctx) => {
      const c = controller(ctx);
      c.service.resume();
      c.stateChanged('resumed');
      return statusOf(ctx);
    },
  }),
  'sync.disconnect': method({
    description:
      'Stop syncing on this device: the connection string is forgotten and changes are no longer recorded. Local data stays; the cloud database is not touched.',
    input: z.object({}),
    handler: async (ctx) => {
      const c = controller(ctx);
      await c.service.disconnect();
      c.stateChanged('disconnected');
      return statusOf(ctx);
    },
  }),
  'sync.reviewConflicts': method({
    description: 'Mark overwritten values as reviewed ({conflictIds}, or {all: true}); they stay in the list, no longer counted as unreviewed. Returns how many changed.',
    input: z
      .object({ conflictIds: z.array(id).max(1000).optional(), all: z.literal(true).optional() })
      .refine((i) => (i.conflictIds === undefined) !== (i.all === undefined), { message: 'give either conflictIds or all: true', path: ['conflictIds'] }),
    handler: (ctx, i) => {
      const now = Date.now();
      if (i.all) return { reviewed: ctx.db.sqlite.prepare('UPDATE sync_conflicts SET reviewed_at = ?, updated_at = ? WHERE reviewed_at IS NULL').run(now, now).changes };
      const stmt = ctx.db.sqlite.prepare('UPDATE sync_conflicts SET reviewed_at = ?, updated_at = ? WHERE id = ? AND reviewed_at IS NULL');
      const reviewed = ctx.db.sqlite.transaction(() => (i.conflictIds ?? []).reduce((n, cid) => n + stmt.run(now, now, cid).changes, 0))();
      return { reviewed };
    },
  }),
  'sync.conflicts': method({
    description:
      'Values a merge overwrote, newest first: the cell (table, row, column), this device\'s value and the other device\'s, which one won (the later edit), and when. Optional workspaceId; limit (default 100).',
    input: z.object({ workspaceId: workspaceId.optional(), limit: z.number().int().min(1).max(1000).optional() }),
    handler: (ctx, i) => {
      const rows = ctx.db.sqlite
        .prepare(
          `SELECT c.id, c.workspace_id AS workspaceId, w.name AS workspaceName, c.table_name AS tableName, c.row_id AS rowId,
                  c.column_name AS columnName, c.local_value AS localValue, c.remote_value AS remoteValue, c.winner,
                  c.created_at AS createdAt, c.reviewed_at AS reviewedAt
           FROM sync_conflicts c LEFT JOIN workspaces w ON w.id = c.workspace_id
           WHERE (? IS NULL OR c.workspace_id = ?)
           ORDER BY c.created_at DESC, c.id DESC LIMIT ?`,
        )
        .all(i.workspaceId ?? null, i.workspaceId ?? null, i.limit ?? 100) as ConflictRow[];
      return {
        conflicts: rows.map((r) => ({
          ...r,
          localValue: parse(r.localValue),
          remoteValue: parse(r.remoteValue),
          /** The value that was replaced: this device's when the other won, the other's otherwise. */
          overwritten: parse(r.winner === 'remote' ? r.localValue : r.remoteValue),
          kept: parse(r.winner === 'remote' ? r.remoteValue : r.localValue),
        })),
      };
    },
  }),
});
