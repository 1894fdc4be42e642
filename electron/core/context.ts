// What every API handler receives: the database, the event bus, where files live.
import type { Database } from '../../db/client';
import type { PlatformRegistry } from './accounts/registry';
import type { EventBus } from './events';
import type { SecretVault } from './secrets/vault';

export interface ApiContext {
  db: Database;
  events: EventBus;
  /** The app's data folder (database, media, backups, token). */
  dataDir: string;
  /** Which host serves this call, for the few methods that differ (e.g. openExternal). */
  host: 'electron' | 'web' | 'in-process';
  appVersion: string;
  /** Seals and opens tokens; may be locked until the user enters their passphrase. */
  vault: SecretVault;
  /** The connector for each network, and where each one's API lives. */
  platforms: PlatformRegistry;
  /**
   * Opens a URL in the user's browser (Electron: shell.openExternal). Absent in web mode and
   * tests: the renderer opens the sign-in page itself from the URL the API returns.
   */
  openExternal?: (url: string) => Promise<void>;
}

/** What job handlers receive: the database, and the API context for work that acts as an account. */
export interface CoreApp {
  db: Database;
  ctx: ApiContext;
}
