// `npm start` on a machine that cannot get Electron: it must stop with exit code 1 and say what
// happened and what to do (check the connection, or use web mode), not hang or dump only a stack.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db';

const root = process.cwd();
const electronInstalled = existsSync(join(root, 'node_modules', 'electron', 'path.txt'));

function start(env: Record<string, string>) {
  const { dir, cleanup } = tempDir('postdesk-start-');
  try {
    const r = spawnSync(process.execPath, ['scripts/start-electron.mjs', '--skip-build'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, electron_config_cache: join(dir, 'cache'), ...env },
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    cleanup();
  }
}

describe('npm start without the Electron binary', () => {
  // Only where Electron has never been downloaded: elsewhere this would start the real app.
  it.skipIf(electronInstalled)('given the download fails (offline), then it exits 1 and says to check the connection or use web mode', () => {
    // An unreachable mirror makes "offline" certain and fast, whatever this machine's network.
    const r = start({ ELECTRON_MIRROR: 'http://127.0.0.1:9/' });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/could not download Electron \d+\.\d+\.\d+/);
    expect(r.out).toContain('check your internet connection');
    expect(r.out).toContain('npm run web');
    // Nothing half-installed is left behind for the next launch to trip on.
    expect(existsSync(join(root, 'node_modules', 'electron', 'path.txt'))).toBe(false);
  });

  it('given ELECTRON_OVERRIDE_DIST_PATH points at an empty folder, then it exits 1 and names the variable', () => {
    const { dir, cleanup } = tempDir('postdesk-no-electron-');
    try {
      const r = start({ ELECTRON_OVERRIDE_DIST_PATH: dir });
      expect(r.status).toBe(1);
      expect(r.out).toContain('ELECTRON_OVERRIDE_DIST_PATH');
      expect(r.out).toContain('npm run web');
    } finally {
      cleanup();
    }
  });
});
