// Builds the core once for any host: database, event bus, scheduler and the job types it runs.
import { join } from 'node:path';
import { openDatabase, type Durability } from '../../db/client';
import { createScheduler, type Scheduler } from '../scheduler/scheduler';
import type { ApiContext } from './context';
import { EventBus } from './events';
import { maintenanceCrons, maintenanceJobs, type MaintenanceApp } from './maintenance/jobs';

export const APP_VERSION = '0.1.0';
export const DB_FILE_NAME = 'postdesk.db';

export interface CoreOptions {
  dataDir: string;
  host: ApiContext['host'];
  durability?: Durability;
  nativeBinding?: string;
  /** Run the scheduler in this process (default true; tests of other areas may turn it off). */
  scheduler?: boolean;
}

export interface Core {
  ctx: ApiContext;
  scheduler: Scheduler<MaintenanceApp> | null;
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
  const ctx: ApiContext = {
    db,
    events,
    dataDir: opts.dataDir,
    host: opts.host,
    appVersion: APP_VERSION,
  };

  let scheduler: Scheduler<MaintenanceApp> | null = null;
  if (opts.scheduler !== false) {
    scheduler = createScheduler<MaintenanceApp>({
      db,
      app: { db },
      definitions: [...maintenanceJobs],
      onEvent: (event, payload) => events.emit(event, payload),
      log: (message, err) => console.error(`[scheduler] ${message}`, err ?? ''),
    });
    for (const spec of maintenanceCrons(localTimezone())) scheduler.upsertCron(spec);
    await scheduler.start();
  }

  return {
    ctx,
    scheduler,
    resume: async () => {
      await scheduler?.resume();
    },
    close: async () => {
      await scheduler?.stop();
      db.close();
    },
  };
}
