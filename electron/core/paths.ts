// Where Postdesk keeps its data when no --data folder is given. Matches Electron's
// app.getPath('userData') for an app named "Postdesk", so the desktop app and web mode
// open the same file by default.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Postdesk';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.POSTDESK_DATA_DIR) return env.POSTDESK_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}
