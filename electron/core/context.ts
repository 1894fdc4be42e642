// What every API handler receives: the database, the event bus, where files live.
import type { Database } from '../../db/client';
import type { EventBus } from './events';

export interface ApiContext {
  db: Database;
  events: EventBus;
  /** The app's data folder (database, media, backups, token). */
  dataDir: string;
  /** Which host serves this call, for the few methods that differ (e.g. openExternal). */
  host: 'electron' | 'web' | 'in-process';
  appVersion: string;
}
