// The real `npm run web` process: the bundle built by scripts/build.mjs, run as a child.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../electron/host/web-cli';
import { tempDir } from '../helpers/db';
import { buildOnce, CLI_BUNDLE, postApi, rawRequest, repoRoot, spawnWebCli } from '../helpers/web';

beforeAll(async () => {
  await buildOnce();
}, 180_000);

const dirs: ReturnType<typeof tempDir>[] = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));
const freshDir = () => {
  const d = tempDir('postdesk-webcli-');
  dirs.push(d);
  return d.dir;
};

function runCli(args: string[]) {
  return spawnSync(process.execPath, [CLI_BUNDLE, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000 });
}

describe('web-cli: arguments', () => {
  it('given good arguments, when parsed, then port and absolute data folder come out', () => {
    expect(parseCliArgs(['--port', '8123', '--data', 'rel/dir'])).toMatchObject({ port: 8123, newToken: false, hostOnlyPrint: false });
    expect((parseCliArgs(['--data', 'rel/dir']) as { dataDir: string }).dataDir).toBe(join(process.cwd(), 'rel/dir'));
    expect(parseCliArgs(['--port=0', '--new-token'])).toMatchObject({ port: 0, newToken: true });
    expect(parseCliArgs(['-h'])).toBe('help');
  });

  it('given bad arguments, when parsed, then a UsageError says what is wrong', () => {
    for (const bad of [['--port', 'abc'], ['--port', '70000'], ['--port', '-1'], ['--bogus'], ['stray'], ['--data', ''], ['--port']]) {
      expect(() => parseCliArgs(bad), bad.join(' ')).toThrow(UsageError);
    }
  });

  it('given a bad argument, when the CLI runs, then it exits 2 with the reason and usage on stderr', () => {
    const r = runCli(['--port', 'abc']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--port must be a whole number');
    expect(r.stderr).toContain('Usage:');
  });

  it('given --help, when the CLI runs, then it prints usage and exits 0 without opening a database', () => {
    const dir = freshDir();
    const r = runCli(['--help', '--data', dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--port');
    expect(existsSync(join(dir, 'postdesk.db'))).toBe(false);
  });
});

describe('web-cli: running', () => {
  it('given a fresh data folder, when started, then it prints one URL line, serves the API and the renderer, and stores the token 0600', async () => {
    const dir = freshDir();
    const web = await spawnWebCli({ dataDir: dir });
    try {
      expect(web.token).toMatch(/^[0-9a-f]{64}$/);
      expect(web.openUrl).toBe(`http://127.0.0.1:${web.port}/#token=${web.token}`);
      const tokenFile = join(dir, 'web-token');
      expect(readFileSync(tokenFile, 'utf8').trim()).toBe(web.token);
      if (process.platform !== 'win32') expect(statSync(tokenFile).mode & 0o777).toBe(0o600);

      expect(await web.call('app.info', {})).toMatchObject({ host: 'web', dataDir: dir });
      const ws = await web.call('workspaces.create', { name: 'Harbor Yoga', timezone: 'America/New_York' });
      expect((await web.call('workspaces.list', {})).map((w) => w.id)).toEqual([ws.id]);

      // The renderer is served from the bundle's sibling dist/renderer, which build.mjs makes
      // whenever the renderer has an index.html; without one the page says how to build it.
      const page = await rawRequest({ port: web.port, path: '/' });
      expect(page.headers['content-security-policy']).toContain(`ws://127.0.0.1:${web.port}`);
      if (existsSync(join(repoRoot, 'renderer', 'index.html'))) {
        expect(page.status).toBe(200);
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(page.text).toBe(readFileSync(join(repoRoot, 'dist', 'renderer', 'index.html'), 'utf8'));
      } else {
        expect(page.status).toBe(404);
        expect(page.text).toContain('npm run build');
      }
    } finally {
      expect(await web.stop('SIGTERM')).toBe(0);
    }
    // Exactly one line on stdout; the token appears nowhere else.
    expect(web.stdout().split('\n').filter(Boolean)).toHaveLength(1);
    expect(web.stderr()).not.toContain(web.token ?? 'no-token');
  });

  it('given a restart on the same folder, when started again, then the token and the data are kept; --new-token replaces the token', async () => {
    const dir = freshDir();
    const first = await spawnWebCli({ dataDir: dir });
    await first.call('workspaces.create', { name: 'Kept Across Restarts', timezone: 'UTC' });
    expect(await first.stop('SIGINT')).toBe(0);

    const second = await spawnWebCli({ dataDir: dir });
    try {
      expect(second.token).toBe(first.token);
      expect((await second.call('workspaces.list', {})).map((w) => w.name)).toEqual(['Kept Across Restarts']);
    } finally {
      await second.stop();
    }

    const third = await spawnWebCli({ dataDir: dir, args: ['--new-token'] });
    try {
      expect(third.token).not.toBe(first.token);
      expect((await postApi(third.port, first.token, 'app.info', '{}')).status).toBe(401);
      expect((await postApi(third.port, third.token, 'app.info', '{}')).status).toBe(200);
    } finally {
      await third.stop();
    }
  });

  it('given --host-only-print, when started, then the line carries no token and the token file still works', async () => {
    const dir = freshDir();
    const web = await spawnWebCli({ dataDir: dir, args: ['--host-only-print'] });
    try {
      expect(web.token).toBeUndefined();
      expect(web.stdout()).not.toContain('#token=');
      const token = readFileSync(join(dir, 'web-token'), 'utf8').trim();
      expect((await postApi(web.port, token, 'app.info', '{}')).status).toBe(200);
    } finally {
      await web.stop();
    }
  });

  it('given a port already taken, when started on it, then it exits 1 and says to pick another', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const r = runCli(['--port', String(port), '--data', freshDir()]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });
});
