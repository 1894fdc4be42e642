// `npm start`: the desktop app, from a fresh clone. In order:
//   1. build what is stale (scripts/build.mjs --if-stale);
//   2. make sure the Electron binary is there: `npm install` does not download it (allowScripts),
//      so the first launch does, once, and says clearly what to do when that fails (offline);
//   3. check that better-sqlite3 loads inside Electron. Its N-API prebuild normally does; only if
//      it does not is it rebuilt for Electron's ABI into .cache/electron-native/, a separate copy,
//      so the Node build that the tests use is never touched;
//   4. start Electron on the app, passing through any arguments (`npm start -- --data /tmp/x`).
// `--skip-build` skips step 1.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronPkgDir = join(root, 'node_modules', 'electron');
const nativeCacheDir = join(root, '.cache', 'electron-native');
const OWN_FLAGS = new Set(['--skip-build']);

const say = (msg) => console.log(`postdesk: ${msg}`);

/** Prints what happened and what to do, then exits 1. */
function fail(what, todo) {
  console.error(`\npostdesk: ${what}\n\nWhat to do:\n${todo.map((t) => `  - ${t}`).join('\n')}\n`);
  process.exit(1);
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function electronVersion() {
  return JSON.parse(readFileSync(join(electronPkgDir, 'package.json'), 'utf8')).version;
}

function platformExecutable() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (process.platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** The Electron executable if it is installed and matches the package version, else undefined. */
export function findElectronBinary(env = process.env) {
  // Set by distributions that ship their own Electron, as the electron package itself honours it.
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = join(env.ELECTRON_OVERRIDE_DIST_PATH, readText(join(electronPkgDir, 'path.txt')) ?? platformExecutable());
    return existsSync(exe) ? exe : undefined;
  }
  const rel = readText(join(electronPkgDir, 'path.txt'));
  const installed = readText(join(electronPkgDir, 'dist', 'version'))?.replace(/^v/, '');
  if (!rel || installed !== electronVersion()) return undefined;
  const exe = join(electronPkgDir, 'dist', rel);
  return existsSync(exe) ? exe : undefined;
}

/** Finds the Electron binary, downloading it once if needed; exits with advice when it cannot. */
export function ensureElectronBinary(env = process.env) {
  const found = findElectronBinary(env);
  if (found) return found;
  const version = electronVersion();
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    fail(`ELECTRON_OVERRIDE_DIST_PATH is set to ${env.ELECTRON_OVERRIDE_DIST_PATH}, but there is no Electron executable in it.`, [
      'point ELECTRON_OVERRIDE_DIST_PATH at the folder that contains the Electron executable, or unset it so npm start downloads Electron',
      'or use Postdesk in your browser instead: npm run web',
    ]);
  }
  say(`first launch: downloading the Electron ${version} runtime (about 100 MB, once) into node_modules/electron/dist ...`);
  const r = spawnSync(process.execPath, [join(electronPkgDir, 'install.js')], { cwd: electronPkgDir, stdio: 'inherit', env });
  const exe = r.status === 0 ? findElectronBinary(env) : undefined;
  if (!exe) {
    fail(`could not download Electron ${version}, the desktop runtime Postdesk runs in (${r.error?.message ?? `the download exited with code ${r.status}`}; details above).`, [
      'check your internet connection, then run npm start again (behind a proxy: set HTTPS_PROXY; with a mirror: set ELECTRON_MIRROR)',
      'or use Postdesk in your browser right now, with no download: npm run web',
    ]);
  }
  say('Electron is ready.');
  return exe;
}

// Runs inside Electron as plain Node: opens a database with the same native pieces the app uses
// (better-sqlite3, a blob round trip, the sqlite-vec extension).
const PROBE = `
const binding = process.env.POSTDESK_SQLITE_BINDING;
const Database = require('better-sqlite3');
const db = new Database(':memory:', binding ? { nativeBinding: binding } : {});
const row = db.prepare('select ? as b').get(Buffer.from([1, 2, 3]));
if (!row || row.b.length !== 3) throw new Error('blob round trip failed');
require('sqlite-vec').load(db);
db.prepare('select vec_version() as v').get();
db.close();
`;

/** Does better-sqlite3 (optionally a given binding) load under this Electron? */
export function probeSqlite(electronExe, binding) {
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  if (binding) env.POSTDESK_SQLITE_BINDING = binding;
  else delete env.POSTDESK_SQLITE_BINDING;
  const r = spawnSync(electronExe, ['-e', PROBE], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim() };
}

function packageVersion(name) {
  return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** A key for "this Electron + this better-sqlite3 were checked": skips the probe on later launches. */
function probeKey(electronExe, binding) {
  const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
  return JSON.stringify({
    electron: electronVersion(),
    exe: mtime(electronExe),
    betterSqlite3: packageVersion('better-sqlite3'),
    sqliteVec: packageVersion('sqlite-vec'),
    binding: binding ?? null,
    bindingMtime: binding ? mtime(binding) : 0,
    platform: `${process.platform}-${process.arch}`,
  });
}

/**
 * Rebuilds better-sqlite3 for Electron's ABI in a private copy under .cache/electron-native/ and
 * returns the path of the built addon. node_modules/better-sqlite3 (the Node build) is not touched.
 */
async function rebuildForElectron(version) {
  const dir = join(nativeCacheDir, `${version}-${process.platform}-${process.arch}`);
  rmSync(dir, { recursive: true, force: true });
  const modules = join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  for (const name of ['better-sqlite3', 'node-addon-api']) {
    cpSync(join(root, 'node_modules', name), join(modules, name), {
      recursive: true,
      filter: (src) => !src.startsWith(join(root, 'node_modules', name, 'build')),
    });
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'postdesk-electron-native', private: true, dependencies: { 'better-sqlite3': packageVersion('better-sqlite3') } }, null, 2),
  );
  // better-sqlite3's binding.gyp builds nothing when a prebuild exists unless force_build is set.
  process.env.npm_config_force_build = '1';
  // scripts/node22.sh points node-gyp at Node's headers; here it must use Electron's.
  delete process.env.npm_config_nodedir;
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({
    buildPath: dir,
    projectRootPath: dir, // never walk up into the project's own node_modules
    electronVersion: version,
    onlyModules: ['better-sqlite3'],
    force: true,
    buildFromSource: true,
  });
  const built = join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new Error(`the rebuild finished but ${built} is missing`);
  return built;
}

/**
 * Returns the better-sqlite3 binding Electron should use: undefined for the normal one (the
 * prebuild loads), or the path of a copy rebuilt for Electron. Exits with advice on failure.
 */
export async function ensureSqliteForElectron(electronExe) {
  const stamp = join(nativeCacheDir, 'probe-ok.json');
  const version = electronVersion();
  const rebuilt = join(nativeCacheDir, `${version}-${process.platform}-${process.arch}`, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  const checked = readText(stamp);
  if (checked === probeKey(electronExe, undefined)) return undefined;
  if (existsSync(rebuilt) && checked === probeKey(electronExe, rebuilt)) return rebuilt;
  const first = probeSqlite(electronExe, undefined);
  const remember = (binding) => {
    mkdirSync(nativeCacheDir, { recursive: true });
    writeFileSync(stamp, probeKey(electronExe, binding));
    return binding;
  };
  if (first.ok) return remember(undefined);
  if (existsSync(rebuilt) && probeSqlite(electronExe, rebuilt).ok) return remember(rebuilt);

  say(`the database engine (better-sqlite3) does not load inside Electron ${version}:\n${first.output.split('\n').slice(-5).join('\n')}`);
  say('rebuilding it for Electron into .cache/electron-native/ (needs a C++ toolchain and Electron headers from the internet; takes a minute) ...');
  let built;
  try {
    built = await rebuildForElectron(version);
  } catch (err) {
    fail(`rebuilding better-sqlite3 for Electron ${version} failed: ${err instanceof Error ? err.message : String(err)}`, [
      'check your internet connection (the Electron headers are downloaded) and that a C++ toolchain is installed (Linux: build-essential and python3; macOS: Xcode command line tools; Windows: Visual Studio Build Tools), then run npm start again',
      'or use Postdesk in your browser instead: npm run web',
    ]);
  }
  const second = probeSqlite(electronExe, built);
  if (!second.ok) {
    fail(`better-sqlite3 was rebuilt for Electron ${version} but still does not load:\n${second.output.split('\n').slice(-5).join('\n')}`, [
      'delete node_modules and .cache/electron-native, run npm install, then npm start',
      'or use Postdesk in your browser instead: npm run web',
    ]);
  }
  say('better-sqlite3 rebuilt for Electron.');
  return remember(built);
}

const SANDBOX_HINTS = [/SUID sandbox helper binary/i, /setuid_sandbox_host/i, /No usable sandbox/i];

/** Starts Electron on the app and exits with its exit code. */
export function launch(electronExe, args, binding) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  if (binding) env.POSTDESK_SQLITE_BINDING = binding;
  else delete env.POSTDESK_SQLITE_BINDING;
  const child = spawn(electronExe, [root, ...args], { cwd: root, env, stdio: ['inherit', 'inherit', 'pipe'] });
  let stderrTail = '';
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-8000);
  });
  // Ctrl+C reaches Electron directly (same process group); it closes the database and exits.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (err) => fail(`could not start Electron (${err.message}).`, ['delete node_modules/electron/dist and run npm start again to download it afresh', 'or use npm run web']));
  child.on('exit', (code, signal) => {
    if (code !== 0 && SANDBOX_HINTS.some((re) => re.test(stderrTail))) {
      const sandbox = join(electronPkgDir, 'dist', 'chrome-sandbox');
      fail("Electron's process sandbox could not start on this Linux system (see the message above).", [
        `give Electron's sandbox helper the rights it needs: sudo chown root:root ${sandbox} && sudo chmod 4755 ${sandbox}`,
        'or, on Ubuntu 23.10 and later, allow unprivileged user namespaces (see https://github.com/electron/electron/issues/42510)',
        'or use Postdesk in your browser instead: npm run web',
      ]);
    }
    if (code !== 0 && /Running as root without --no-sandbox/i.test(stderrTail)) {
      fail('Electron refuses to run as root.', ['run npm start as your normal user', 'or use npm run web']);
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  if (!argv.includes('--skip-build')) {
    const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) fail('the build failed (see the errors above).', ['fix the error shown above and run npm start again']);
  }
  const exe = ensureElectronBinary();
  const binding = await ensureSqliteForElectron(exe);
  launch(exe, argv.filter((a) => !OWN_FLAGS.has(a)), binding);
}
