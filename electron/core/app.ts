// Builds the core once for any host: database, event bus, scheduler and the job types it runs.
import { join } from 'node:path';
import { openDatabase, type Durability } from '../../db/client';
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
import type { ApiContext, CoreApp } from './context';
import { SecretVault } from './secrets/vault';
import type { SafeStorageLike } from './secrets/safe-storage-cipher';
import type { ScryptParams } from './secrets/passphrase-cipher';
import { EventBus } from './events';
import { maintenanceCrons, maintenanceJobs } from './maintenance/jobs';

export const APP_VERSION = '0.1.0';
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
  const db = openDatabase({
    file: join(opts.dataDir, DB_FILE_NAME),
    backupDir: join(opts.dataDir, 'backups'),
    ...(opts.durability ? { durability: opts.durability } : {}),
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  const events = new EventBus();
  let vault: SecretVault;
  try {
    vault = SecretVault.open({
      db,
      dataDir: opts.dataDir,
      platform: process.platform,
      env: opts.env ?? process.env,
      ...(opts.safeStorage ? { safeStorage: opts.safeStorage } : {}),
      ...(opts.scrypt ? { scrypt: opts.scrypt } : {}),
    });
  } catch (err) {
    db.close();
    throw err;
  }
  const ctx: ApiContext = {
    db,
    events,
    dataDir: opts.dataDir,
    host: opts.host,
    appVersion: APP_VERSION,
    vault,
    platforms: createPlatformRegistry({ instanceClient: (baseUrl) => instanceClient(db, vault, baseUrl), ...opts.platforms }),
    ...(opts.openExternal ? { openExternal: opts.openExternal } : {}),
  };

  // Temp files of imports cut short by a crash; never blocks startup.
  void sweepTemp(opts.dataDir).catch((err: unknown) => console.error('[media] could not clear old temp files:', err));

  let scheduler: Scheduler<CoreApp> | null = null;
  if (opts.scheduler !== false) {
    scheduler = createScheduler<CoreApp>({
      db,
      app: { db, ctx },
      definitions: [...maintenanceJobs, ...accountJobs, ...postJobs, ...inboxJobs, ...knowledgeJobs, ...analyticsJobs],
      onEvent: (event, payload) => events.emit(event, payload),
      log: (message, err) => console.error(`[scheduler] ${message}`, err ?? ''),
    });
    for (const spec of [...maintenanceCrons(localTimezone()), ...accountCrons(), ...inboxCrons(), ...analyticsCrons()]) scheduler.upsertCron(spec);
    await scheduler.start();
  }

  return {
    ctx,
    scheduler,
    resume: async () => {
      await scheduler?.resume();
    },
    close: async () => {
      cancelAllConnects(ctx);
      // In-flight AI calls end (and are metered as cancelled) before the database closes.
      cancelAllRequests(ctx);
      await scheduler?.stop();
      db.close();
    },
  };
}
