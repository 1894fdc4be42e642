// Builds the core once for any host: database, event bus, (later) scheduler and services.
import { join } from 'node:path';
import { openDatabase, type Durability } from '../../db/client';
import type { ApiContext } from './context';
import { EventBus } from './events';

export const APP_VERSION = '0.1.0';
export const DB_FILE_NAME = 'postdesk.db';

export interface CoreOptions {
  dataDir: string;
  host: ApiContext['host'];
  durability?: Durability;
  nativeBinding?: string;
}

export interface Core {
  ctx: ApiContext;
  close(): Promise<void>;
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const db = openDatabase({
    file: join(opts.dataDir, DB_FILE_NAME),
    backupDir: join(opts.dataDir, 'backups'),
    ...(opts.durability ? { durability: opts.durability } : {}),
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  const ctx: ApiContext = {
    db,
    events: new EventBus(),
    dataDir: opts.dataDir,
    host: opts.host,
    appVersion: APP_VERSION,
  };
  return {
    ctx,
    close: async () => {
      db.close();
    },
  };
}
