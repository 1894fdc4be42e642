// Sync service: the one surface the API, the Settings page and the scheduler use.
//
//   const sync = new SyncService({ db, vault });
//   await sync.connect('postgres://role:pw@host/db')   // validates, migrates the cloud schema,
//                                                     // saves the string sealed, turns capture on
//   await sync.cloudWorkspaces()                      // [{id, name}] visible to this role
//   await sync.chooseWorkspaces([id, ...])            // which workspaces sync (local or cloud-only)
//   await sync.syncNow({ signal, onProgress })        // one round: stamp, push, pull (progress:
//                                                     // phase prepare|push|pull, done, total)
//   sync.status()                                     // connected, paused, pending, last sync, error
//   sync.pause() / sync.resume()                      // capture keeps running while paused
//   await sync.claimPublish(targetId, ws, occurrenceAt) // one device publishes a post target
//                                                     // (the publish job asks via publish-claim.ts)
//   await sync.disconnect()                           // capture off, connection string forgotten
//
// Errors a user sees say what happened and what to do (SyncError.message). A round never runs
// twice at once: a second syncNow waits for the first and returns its result.
import pg from 'pg';
import type { Database } from '../../../db/client';
import { readAppSecret, writeAppSecret } from '../secrets/app-secrets';
import type { SecretVault } from '../secrets/vault';
import { captureInstalled, installCapture, removeCapture } from './capture';
import { CloudSchemaError, checkCloud, migrateCloud } from './cloud-schema';
import { adoptWorkspace, claimPublish, joinWorkspaces, seedAll, stampAll, syncRound, WorkspaceNotSharedError, type SyncRoundOptions, type SyncRoundResult } from './engine';
import { LocalSync } from './local';
import { registerPublishClaimer } from './publish-claim';

const SECRET_NAME = 'sync.connection_string';

export interface SyncStatus {
  connected: boolean;
  paused: boolean;
  running: boolean;
  /** Chosen workspaces. */
  workspaces: string[];
  /** Local changes not yet in the cloud (captured rows + stamped rows waiting to be pushed). */
  pending: number;
  lastSyncedAt: number | null;
  lastError: string | null;
  deviceNode: string;
}

export class SyncError extends Error {
  constructor(
    message: string,
    readonly code: 'not_connected' | 'connect_failed' | 'cloud_schema' | 'workspace' | 'network' | 'local',
  ) {
    super(message);
  }
}

export interface SyncServiceOptions {
  db: Database;
  /** Where the connection string is kept sealed; without it (tests, benchmarks) it stays in memory. */
  vault?: SecretVault;
  /** Migrate the cloud schema on connect (default true); false for member roles that may not. */
  migrate?: boolean;
}

function describePgError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT')
    return `Could not reach the database server (${e.code}). Check the host and port in the connection string and your network, then try again.`;
  if (e.code === '28P01' || e.code === '28000') return 'The database refused the user name or password. Check the connection string.';
  if (e.code === '3D000') return 'That database does not exist on the server. Check the database name in the connection string.';
  if (e.code === '42501') return `The database role may not do this (${e.message ?? 'permission denied'}). Use a role that owns the postdesk schema, or ask its owner to share the workspace.`;
  return e.message ?? String(err);
}

export class SyncService {
  readonly local: LocalSync;
  private client: pg.Client | null = null;
  private url: string | null = null;
  private running: Promise<SyncRoundResult> | null = null;

  constructor(private readonly opts: SyncServiceOptions) {
    this.local = new LocalSync(opts.db);
    registerPublishClaimer(opts.db, this);
    if (opts.vault && this.state().connectedAt !== null) {
      try {
        this.url = readAppSecret(opts.db, opts.vault, SECRET_NAME);
      } catch {
        // A locked vault: status() says not connected until it is unlocked and sync reconnects.
      }
      if (this.url) installCapture(opts.db.sqlite);
    }
  }

  private get sqlite() {
    return this.opts.db.sqlite;
  }

  private state(): { paused: number; connectedAt: number | null; lastError: string | null } {
    return this.sqlite.prepare('SELECT paused, connected_at AS connectedAt, last_error AS lastError FROM sync_state WHERE id = 1').get() as {
      paused: number;
      connectedAt: number | null;
      lastError: string | null;
    };
  }

  private async openClient(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    // A dropped connection must not crash the app: the next round opens a new one.
    client.on('error', () => {
      if (this.client === client) this.client = null;
    });
    await client.connect();
    return client;
  }

  private async cloud(): Promise<pg.Client> {
    if (!this.url) throw new SyncError('Sync is not set up on this device. Connect a Postgres database in Settings → Sync.', 'not_connected');
    if (!this.client) this.client = await this.openClient(this.url);
    return this.client;
  }

  /** Validate the connection string, migrate (or check) the cloud schema, save it, start capture. */
  async connect(connectionString: string): Promise<{ migrated: number[] }> {
    let client: pg.Client;
    try {
      client = await this.openClient(connectionString);
    } catch (err) {
      throw new SyncError(describePgError(err), 'connect_failed');
    }
    let migrated: number[] = [];
    try {
      if (this.opts.migrate === false) await checkCloud(client);
      else migrated = (await migrateCloud(client)).applied;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (err instanceof CloudSchemaError) throw new SyncError(err.message, 'cloud_schema');
      throw new SyncError(describePgError(err), 'connect_failed');
    }
    await this.client?.end().catch(() => undefined);
    this.client = client;
    this.url = connectionString;
    if (this.opts.vault) writeAppSecret(this.opts.db, this.opts.vault, SECRET_NAME, connectionString);
    installCapture(this.sqlite);
    this.sqlite.prepare('UPDATE sync_state SET connected_at = ?, last_error = NULL WHERE id = 1').run(Date.now());
    return { migrated };
  }

  async disconnect(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = null;
    this.url = null;
    if (this.opts.vault) writeAppSecret(this.opts.db, this.opts.vault, SECRET_NAME, null);
    removeCapture(this.sqlite);
    this.sqlite.prepare('UPDATE sync_state SET connected_at = NULL WHERE id = 1').run();
  }

  /** Workspaces this database role can see in the cloud. */
  async cloudWorkspaces(): Promise<{ id: string; name: string }[]> {
    const client = await this.cloud();
    const r = await client.query<{ id: string; name: string }>('SELECT id, name FROM postdesk.workspaces WHERE deleted_at IS NULL ORDER BY name');
    return r.rows;
  }

  /**
   * Choose the workspaces that sync. A local one is queued whole for its first push; a cloud-only
   * one is created here from the cloud and filled by the next syncNow.
   */
  async chooseWorkspaces(ids: readonly string[]): Promise<void> {
    const client = await this.cloud();
    const wanted = new Set(ids);
    for (const ws of this.local.syncedWorkspaces()) if (!wanted.has(ws)) this.local.removeWorkspace(ws);
    for (const ws of wanted) {
      const here = this.sqlite.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(ws) !== undefined;
      if (!here && !(await adoptWorkspace(this.local, client, ws))) {
        throw new SyncError(`Workspace ${ws} is neither on this device nor in the cloud. Refresh the list and choose again.`, 'workspace');
      }
      try {
        await joinWorkspaces(client, [ws]);
      } catch (err) {
        throw new SyncError((err as Error).message, 'workspace');
      }
      this.local.addWorkspace(ws);
    }
    // Changes captured before the choice are stamped first, so the seed skips rows they cover.
    await stampAll(this.local);
    await seedAll(this.local);
  }

  status(): SyncStatus {
    const s = this.state();
    const cursor = this.sqlite.prepare(`SELECT max(last_synced_at) AS t FROM sync_cursors WHERE remote = 'cloud'`).get() as { t: number | null };
    return {
      connected: this.url !== null && captureInstalled(this.sqlite),
      paused: s.paused === 1,
      running: this.running !== null,
      workspaces: [...this.local.syncedWorkspaces()],
      pending: this.local.outboxCount() + this.local.pendingCount(),
      lastSyncedAt: cursor.t,
      lastError: s.lastError,
      deviceNode: this.local.node,
    };
  }

  /** Paused: changes are still captured locally, nothing is sent or fetched until resumed. */
  pause(): void {
    this.sqlite.prepare('UPDATE sync_state SET paused = 1 WHERE id = 1').run();
  }

  resume(): void {
    this.sqlite.prepare('UPDATE sync_state SET paused = 0 WHERE id = 1').run();
  }

  /** One round. Paused or not connected: returns zeros without touching the network. */
  async syncNow(opts: SyncRoundOptions = {}): Promise<SyncRoundResult> {
    if (this.running) return this.running;
    if (this.state().paused === 1 || !this.url) return { pushed: 0, pulled: 0, conflicts: 0 };
    this.running = (async () => {
      try {
        const client = await this.cloud();
        const result = await syncRound(this.local, client, opts);
        this.sqlite.prepare(`UPDATE sync_cursors SET last_synced_at = ?, last_error = NULL WHERE remote = 'cloud'`).run(Date.now());
        this.sqlite.prepare('UPDATE sync_state SET last_error = NULL WHERE id = 1').run();
        return result;
      } catch (err) {
        // The connection may be half-dead: the next round opens a fresh one.
        await this.client?.end().catch(() => undefined);
        this.client = null;
        const isLocal = String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_');
        const message =
          err instanceof SyncError || err instanceof WorkspaceNotSharedError
            ? (err as Error).message
            : isLocal
              ? `Changes from the cloud could not be saved on this device (${(err as Error).message}). Sync will try again; nothing was lost on either side.`
              : describePgError(err);
        this.sqlite.prepare('UPDATE sync_state SET last_error = ? WHERE id = 1').run(message);
        throw err instanceof SyncError ? err : new SyncError(message, err instanceof WorkspaceNotSharedError ? 'workspace' : isLocal ? 'local' : 'network');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Is this workspace synced (then publishing goes through claimPublish)? */
  syncsWorkspace(workspaceId: string): boolean {
    return this.url !== null && this.local.syncedWorkspaces().has(workspaceId);
  }

  /** True when this device holds the claim to publish this occurrence of the post target. */
  async claimPublish(postTargetId: string, workspaceId: string, occurrenceAt: number): Promise<boolean> {
    try {
      const client = await this.cloud();
      return await claimPublish(client, postTargetId, workspaceId, occurrenceAt, this.local.node);
    } catch (err) {
      await this.client?.end().catch(() => undefined);
      this.client = null;
      throw new SyncError(
        `Could not reach the sync database to make sure no other device publishes this post (${describePgError(err)}). It will be tried again.`,
        'network',
      );
    }
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}
