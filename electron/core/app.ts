// Builds the core once for any host: database, event bus, scheduler and the job types it runs.
import { join } from 'node:path';
import { openDatabase, type Database, type Durability } from '../../db/client';
import { randomBytes } from 'node:crypto';
import { backupCrons, backupJobs } from './backups/jobs';
import { healthOf } from './backups/health';
import { isDamageError, recoveryFromError } from './backups/integrity';
import { readDurability, startupCheck, storageStartError, watchBackgroundCheck } from './backups/lifecycle';
import { setWorkerNativeBinding } from './backups/worker';
import { createScheduler, type Scheduler } from '../scheduler/scheduler';
import { createPlatformRegistry, type PlatformRegistryOptions } from './accounts/registry';
import { cancelAllConnects } from './accounts/connect';
import { cancelAllRequests } from './ai/requests';
import { sweepTemp } from './media/store';
import { instanceClient } from './accounts/dynamic-clients';
import { accountCrons, accountJobs } from './accounts/refresh';
import { postJobs } from './posts/jobs';
import { inboxCrons, inboxJobs } from './inbox/jobs';
import { analyticsCrons, analyticsJobs } from './analytics/jobs';
import { knowledgeJobs } from './knowledge/jobs';
import { topicJobs } from './topics/jobs';
import type { ApiContext, CoreApp } from './context';
import { SecretVault } from './secrets/vault';
import type { SafeStorageLike } from './secrets/safe-storage-cipher';
import type { ScryptParams } from './secrets/passphrase-cipher';
import { EventBus } from './events';
import { maintenanceCrons, maintenanceJobs } from './maintenance/jobs';
import { syncCrons, syncJobs } from './sync/jobs';
import { closeSync, openSync, type SyncScheduleOptions } from './sync/schedule';

export const APP_VERSION = '0.1.0';

/** Every job type the core's scheduler runs (the Queue names each one: renderer/pages/queue/job-types.ts). */
export const JOB_DEFINITIONS = [...maintenanceJobs, ...accountJobs, ...postJobs, ...inboxJobs, ...knowledgeJobs, ...analyticsJobs, ...topicJobs, ...backupJobs, ...syncJobs] as const;
export const DB_FILE_NAME = 'postdesk.db';

export interface CoreOptions {
  dataDir: string;
  host: ApiContext['host'];
  durability?: Durability;
  nativeBinding?: string;
  /** Run the scheduler in this process (default true; tests of other areas may turn it off). */
  scheduler?: boolean;
  /** Electron's safeStorage in the desktop host; the Node host uses a key file or POSTDESK_SECRET_KEY. */
  safeStorage?: SafeStorageLike;
  /** Tests use a cheap scrypt cost for passphrase flows. */
  scrypt?: ScryptParams;
  /** Connector overrides (tests: injected fetch, base URLs of local servers). */
  platforms?: PlatformRegistryOptions;
  openExternal?: (url: string) => Promise<void>;
  env?: Readonly<Record<string, string | undefined>>;
  /** When sync rounds run (tests: short debounce). */
  sync?: SyncScheduleOptions;
}

export interface Core {
  ctx: ApiContext;
  scheduler: Scheduler<CoreApp> | null;
  /** After system sleep: catch up missed work and re-arm timers (Electron powerMonitor). */
  resume(): Promise<void>;
  close(): Promise<void>;
}

function localTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const file = join(opts.dataDir, DB_FILE_NAME);
  const events = new EventBus();
  setWorkerNativeBinding(opts.nativeBinding);
  // Filled in by open() below, and again in place after a restore: hosts keep this one object.
  const ctx = {
    events,
    dataDir: opts.dataDir,
    host: opts.host,
    appVersion: APP_VERSION,
    ...(opts.openExternal ? { openExternal: opts.openExternal } : {}),
  } as ApiContext;
  const health = healthOf(ctx);
  health.file = file;
  let scheduler: Scheduler<CoreApp> | null = null;
  let db: Database;

  /** Open the file (or, when it is damaged, an empty stand-in that serves only recovery). */
  const open = async (): Promise<void> => {
    const check = await startupCheck(file, opts.nativeBinding).catch((err: unknown) => {
      throw storageStartError(err, opts.dataDir);
    });
    health.lastCheck = check.result;
    health.recovery = check.recovery;
    if (!health.recovery) {
      try {
        db = openDatabase({
          file,
          backupDir: join(opts.dataDir, 'backups'),
          durability: opts.durability ?? readDurability(opts.dataDir),
          ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
        });
      } catch (err) {
        if (!isDamageError(err)) throw storageStartError(err, opts.dataDir);
        health.recovery = recoveryFromError(file, err);
      }
    }
    if (health.recovery) {
      // Nothing reads or writes the damaged file; the dispatcher answers only backups.* and app.info.
      console.error(`[core] ${health.recovery.message}`);
      db = openDatabase({ file: ':memory:' });
    }
    let vault: SecretVault;
    try {
      vault = SecretVault.open({
        db,
        dataDir: opts.dataDir,
        platform: process.platform,
        // In recovery a throwaway key: the vault must not create or change key files for a database it cannot read.
        env: health.recovery ? { POSTDESK_SECRET_KEY: randomBytes(32).toString('base64') } : (opts.env ?? process.env),
        ...(opts.safeStorage && !health.recovery ? { safeStorage: opts.safeStorage } : {}),
        ...(opts.scrypt ? { scrypt: opts.scrypt } : {}),
      });
    } catch (err) {
      db.close();
      throw err;
    }
    ctx.db = db;
    ctx.vault = vault;
    ctx.platforms = createPlatformRegistry({ instanceClient: (baseUrl) => instanceClient(db, vault, baseUrl), ...opts.platforms });
    // One SyncService per open database (a restore reopens it with the new file).
    if (!health.recovery) openSync(ctx, opts.sync);

    scheduler = null;
    if (opts.scheduler !== false && !health.recovery) {
      scheduler = createScheduler<CoreApp>({
        db,
        app: { db, ctx },
      definitions: [...JOB_DEFINITIONS],
        onEvent: (event, payload) => events.emit(event, payload),
        log: (message, err) => console.error(`[scheduler] ${message}`, err ?? ''),
      });
      for (const spec of [...maintenanceCrons(localTimezone()), ...accountCrons(), ...inboxCrons(), ...analyticsCrons()]) scheduler.upsertCron(spec);
      for (const spec of backupCrons(localTimezone())) scheduler.upsertCron(spec);
      for (const spec of syncCrons(ctx)) scheduler.upsertCron(spec);
      await scheduler.start();
    }
    if (check.background) watchBackgroundCheck(ctx, file, check.background);
  };

  const shutdown = async (): Promise<void> => {
    cancelAllConnects(ctx);
    // In-flight AI calls end (and are metered as cancelled) before the database closes.
    cancelAllRequests(ctx);
    await scheduler?.stop();
    await closeSync(ctx);
    db.close();
  };

  await open();
  health.reopen = async (swap) => {
    await shutdown();
    try {
      await swap();
    } finally {
      await open();
    }
  };
  health.enterRecovery = async (recovery) => {
    await scheduler?.stop();
    scheduler = null;
    await closeSync(ctx);
    db.close();
    health.recovery = recovery;
    console.error(`[core] ${recovery.message}`);
    db = openDatabase({ file: ':memory:' });
    ctx.db = db;
  };

  // Temp files of imports cut short by a crash; never blocks startup.
  if (!health.recovery) void sweepTemp(opts.dataDir).catch((err: unknown) => console.error('[media] could not clear old temp files:', err));

  return {
    ctx,
    get scheduler() {
      return scheduler;
    },
    resume: async () => {
      await scheduler?.resume();
    },
    close: shutdown,
  };
}
