// One sync round between this SQLite file and the cloud: stamp what was captured, push the queue
// in batches (each batch is one round trip to postdesk.push and leaves the queue only after the
// server committed it; a re-sent batch changes nothing), then pull each chosen workspace's log
// from its cursor in pages, each page applied and its cursor moved in one local transaction.
// A dropped connection or a killed process resumes from where the last committed batch left off.
import type { ClientBase } from 'pg';
import type { LocalSync, PulledEntry } from './local';
import { syncTables } from './tables';

export interface SyncProgress {
  phase: 'prepare' | 'push' | 'pull';
  done: number;
  /** Best estimate; grows if new changes arrive meanwhile. */
  total: number;
}

export interface SyncRoundOptions {
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  pushBatch?: number;
  pullBatch?: number;
}

export interface SyncRoundResult {
  pushed: number;
  pulled: number;
  conflicts: number;
}

/** Rows per local transaction when stamping or applying: a few ms each on an idle machine. */
const STAMP_CHUNK = 100;
/** Outbox rows stamped before they are sent. */
const STAMP_SLICE = 10_000;
const APPLY_CHUNK = 100;

/** Let timers and I/O run between batches: no batch holds the event loop for long. */
const yieldLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Sync was stopped.');
}

export class WorkspaceNotSharedError extends Error {
  constructor(readonly workspaceId: string) {
    super(
      `Workspace ${workspaceId} is already synced by another cloud account. Ask its owner to share it with your database role, or choose another workspace.`,
    );
  }
}

export async function joinWorkspaces(client: ClientBase, workspaces: Iterable<string>): Promise<void> {
  for (const ws of workspaces) {
    const r = await client.query<{ ok: boolean }>('SELECT postdesk.join_workspace($1) AS ok', [ws]);
    if (!r.rows[0]?.ok) throw new WorkspaceNotSharedError(ws);
  }
}

/** Queue every never-synced row of the chosen workspaces (the first sync), in batches. */
export async function seedAll(local: LocalSync, opts: SyncRoundOptions = {}): Promise<number> {
  let total = 0;
  for (const ws of local.syncedWorkspaces()) {
    const exists = local.db.sqlite.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(ws);
    if (!exists) continue;
    const state = { table: 0, after: '' };
    while (state.table < syncTables.length) {
      checkAbort(opts.signal);
      total += local.db.sqlite.transaction(() => local.seedWorkspace(ws, state, 2000))();
      opts.onProgress?.({ phase: 'prepare', done: total, total });
      await yieldLoop();
    }
  }
  return total;
}

export async function stampAll(local: LocalSync, opts: SyncRoundOptions = {}): Promise<void> {
  const total = local.outboxCount();
  let done = 0;
  for (;;) {
    checkAbort(opts.signal);
    const n = local.stamp(STAMP_CHUNK);
    if (n === 0) return;
    done += n;
    opts.onProgress?.({ phase: 'prepare', done, total: Math.max(total, done) });
    await yieldLoop();
  }
}

export async function pushAll(local: LocalSync, client: ClientBase, opts: SyncRoundOptions = {}): Promise<number> {
  const batch = opts.pushBatch ?? 500;
  let done = 0;
  for (;;) {
    checkAbort(opts.signal);
    const { lastSeq, entries } = local.pending(batch);
    if (entries.length === 0) return done;
    await client.query('SELECT postdesk.push($1, $2::jsonb)', [local.node, JSON.stringify(entries)]);
    local.acknowledge(lastSeq);
    done += entries.length;
    opts.onProgress?.({ phase: 'push', done, total: done + (entries.length === batch ? local.pendingCount() : 0) });
  }
}

interface ChangeRow {
  seq: string;
  tbl: string;
  row_id: string;
  workspace_id: string;
  node: string;
  cells: PulledEntry['c'];
  deleted_hlc: string | null;
}

export async function pullPage(client: ClientBase, ws: string, after: number, node: string, limit: number): Promise<PulledEntry[]> {
  const r = await client.query<ChangeRow>(
    `SELECT seq, tbl, row_id, workspace_id, node, cells, deleted_hlc FROM postdesk.changes
     WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [ws, after, limit],
  );
  return r.rows.map((x) => ({
    seq: Number(x.seq),
    t: x.tbl,
    id: x.row_id,
    ws: x.workspace_id,
    node: x.node,
    c: x.cells,
    d: x.deleted_hlc,
  }));
}

/** Pull one workspace (or a workspace this device does not have yet) up to the server's head. */
export async function pullWorkspace(
  local: LocalSync,
  client: ClientBase,
  ws: string,
  opts: SyncRoundOptions & { alsoWorkspaces?: string[]; onPage?: (n: number) => void } = {},
): Promise<{ pulled: number; conflicts: number }> {
  const limit = opts.pullBatch ?? 1000;
  let pulled = 0;
  let conflicts = 0;
  let after = local.cursor(ws);
  for (;;) {
    checkAbort(opts.signal);
    const page = await pullPage(client, ws, after, local.node, limit);
    if (page.length === 0) return { pulled, conflicts };
    after = page[page.length - 1]!.seq;
    // A page is one round trip; it is applied in smaller transactions with the event loop free
    // in between (a message insert also feeds full-text search), each moving the cursor.
    for (let i = 0; i < page.length; i += APPLY_CHUNK) {
      const chunk = page.slice(i, i + APPLY_CHUNK);
      // Our own pushes come back in the log; they are already applied here.
      const foreign = chunk.filter((e) => e.node !== local.node);
      const r = local.apply(foreign, { ws, seq: chunk[chunk.length - 1]!.seq }, opts.alsoWorkspaces);
      pulled += foreign.length;
      conflicts += r.conflicts;
      opts.onPage?.(foreign.length);
      await yieldLoop();
    }
  }
}

/**
 * Stamp a slice of the outbox, send it, and again until the outbox is empty: a large first sync
 * starts sending at once (and a stop or a crash midway keeps what was sent) instead of stamping a
 * million rows before the first byte leaves. Returns how many entries the server took.
 */
async function stampAndPush(local: LocalSync, client: ClientBase, opts: SyncRoundOptions): Promise<number> {
  // Counted once: count(*) over a large outbox is not free.
  const toSend = local.outboxCount() + local.pendingCount();
  let stamped = 0;
  let pushed = 0;
  for (;;) {
    let slice = 0;
    while (slice < STAMP_SLICE) {
      checkAbort(opts.signal);
      const n = local.stamp(STAMP_CHUNK);
      if (n === 0) break;
      slice += n;
      stamped += n;
      if (pushed === 0) opts.onProgress?.({ phase: 'prepare', done: stamped, total: Math.max(toSend, stamped) });
      await yieldLoop();
    }
    const base = pushed;
    pushed += await pushAll(local, client, {
      ...opts,
      onProgress: (p) => opts.onProgress?.({ phase: 'push', done: base + p.done, total: Math.max(toSend, base + p.done) }),
    });
    if (slice < STAMP_SLICE) return pushed;
  }
}

export async function syncRound(local: LocalSync, client: ClientBase, opts: SyncRoundOptions = {}): Promise<SyncRoundResult> {
  const workspaces = [...local.syncedWorkspaces()];
  await joinWorkspaces(client, workspaces);
  const pushed = await stampAndPush(local, client, opts);
  let pulled = 0;
  let conflicts = 0;
  const head = await client.query<{ s: string | null }>('SELECT max(seq) AS s FROM postdesk.changes WHERE workspace_id = ANY($1::uuid[])', [
    workspaces,
  ]);
  const headSeq = Number(head.rows[0]?.s ?? 0);
  const behind = workspaces.reduce((n, ws) => n + Math.max(0, headSeq - local.cursor(ws)), 0);
  for (const ws of workspaces) {
    const r = await pullWorkspace(local, client, ws, {
      ...opts,
      onPage: (n) => {
        pulled += n;
        opts.onProgress?.({ phase: 'pull', done: pulled, total: Math.max(behind, pulled) });
      },
    });
    conflicts += r.conflicts;
  }
  return { pushed, pulled, conflicts };
}

/**
 * Make a workspace that exists only in the cloud known here: apply its `workspaces` row first, so
 * the rows that reference it (and its sync cursor) have something to point at.
 */
export async function adoptWorkspace(local: LocalSync, client: ClientBase, ws: string): Promise<boolean> {
  const r = await client.query<ChangeRow>(
    `SELECT seq, tbl, row_id, workspace_id, node, cells, deleted_hlc FROM postdesk.changes
     WHERE workspace_id = $1 AND tbl = 'workspaces' ORDER BY seq`,
    [ws],
  );
  if (r.rows.length === 0) return false;
  const entries = r.rows.map((x) => ({ seq: Number(x.seq), t: x.tbl, id: x.row_id, ws: x.workspace_id, node: x.node, c: x.cells, d: x.deleted_hlc }));
  local.apply(entries, null, [ws]);
  return local.db.sqlite.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(ws) !== undefined;
}

/** Only one device publishes a post target: true when this node holds (or just took) the claim. */
export async function claimPublish(client: ClientBase, postTargetId: string, workspaceId: string, occurrenceAt: number, node: string): Promise<boolean> {
  const r = await client.query<{ ok: boolean }>('SELECT postdesk.claim_publish($1, $2, $3, $4) AS ok', [
    postTargetId,
    workspaceId,
    new Date(occurrenceAt).toISOString(),
    node,
  ]);
  return r.rows[0]?.ok === true;
}
