// Builds what the app runs: the main-side bundles (esbuild, node_modules left external so native
// modules load from node_modules) and the renderer (Vite). `--if-stale` skips work when every
// output is newer than every source, so `npm run web` starts fast after the first build.
import { build } from 'esbuild';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));

/** Node-side entry points: source -> output (relative to dist/). */
export const nodeEntries = [
  { in: 'electron/host/web-cli.ts', out: 'host/web-cli', format: 'esm' },
  { in: 'electron/main.ts', out: 'electron/main', format: 'esm' },
  { in: 'electron/preload.ts', out: 'electron/preload', format: 'cjs' },
  { in: 'db/vector/worker.ts', out: 'db/vector/worker', format: 'esm' },
  // Knowledge extraction (pdf.js, mammoth) runs off the main thread in this worker.
  { in: 'electron/core/knowledge/extract-worker.ts', out: 'knowledge/extract-worker', format: 'esm' },
  // Workspace exports and imports (a million rows, hashing, gzip) run off the main thread here.
  { in: 'electron/core/archive/worker.ts', out: 'archive/worker', format: 'esm' },
  // Topic analysis clusters thousands of messages in this worker (electron/core/topics/worker-client.ts).
  { in: 'electron/core/topics/worker.ts', out: 'topics/worker', format: 'esm' },
].filter((e) => existsSync(join(root, e.in)));

/** Loaded from node_modules at run time: native addons, packages that locate files relative
 * to themselves, and ws's optional native helpers. */
export const NATIVE_EXTERNALS = ['electron', 'better-sqlite3', 'sqlite-vec', 'bufferutil', 'utf-8-validate'];

const SOURCE_DIRS = ['electron', 'db', 'renderer', 'migrations'];
const SOURCE_FILES = ['package.json', 'vite.config.ts', 'scripts/build.mjs'];

function newestMtime(paths) {
  let newest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules') walk(join(p, name));
    } else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of paths) walk(join(root, p));
  return newest;
}

function oldestOutput() {
  const outs = [
    ...nodeEntries.map((e) => join(root, 'dist', e.out + (e.format === 'cjs' ? '.cjs' : '.js'))),
    join(root, 'dist', 'renderer', 'index.html'),
  ];
  let oldest = Infinity;
  for (const o of outs) {
    if (!existsSync(o)) return 0;
    oldest = Math.min(oldest, statSync(o).mtimeMs);
  }
  return oldest;
}

export async function buildAll({ quiet = false } = {}) {
  const t0 = Date.now();
  for (const e of nodeEntries) {
    await build({
      entryPoints: [join(root, e.in)],
      outfile: join(root, 'dist', e.out + (e.format === 'cjs' ? '.cjs' : '.js')),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: e.format,
      // Pure-JS dependencies are bundled: loading drizzle-orm's hundreds of ESM files cost
      // ~380 ms of web-mode startup. Native modules and Electron stay external.
      external: NATIVE_EXTERNALS,
      sourcemap: 'linked',
      logLevel: 'warning',
      // Bundled ESM has no require(); some dependencies still call it.
      banner:
        e.format === 'esm'
          ? { js: "import { createRequire as __pdCreateRequire } from 'node:module'; const require = __pdCreateRequire(import.meta.url);" }
          : {},
    });
  }
  if (existsSync(join(root, 'renderer', 'index.html'))) {
    // Build beside the live folder and swap, so a running web host never serves a half-emptied dist/renderer.
    const out = join(root, 'dist', 'renderer');
    const next = join(root, 'dist', `renderer.next-${process.pid}`);
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', next, '--emptyOutDir', '--logLevel', quiet ? 'error' : 'warn'],
      // Always the production React: under vitest NODE_ENV=test leaked into this build, so e2e runs
      // and benchmarks reusing that dist/ measured development React (~3x slower to render).
      { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
    );
    if (r.status !== 0) {
      rmSync(next, { recursive: true, force: true });
      throw new Error('renderer build failed');
    }
    const old = join(root, 'dist', `renderer.old-${process.pid}`);
    if (existsSync(out)) renameSync(out, old);
    renameSync(next, out);
    rmSync(old, { recursive: true, force: true });
  }
  if (!quiet) console.log(`built ${nodeEntries.map((e) => relative(root, join(root, e.in))).join(', ')} and the renderer in ${Date.now() - t0} ms`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (args.has('--if-stale') && oldestOutput() > newestMtime([...SOURCE_DIRS, ...SOURCE_FILES])) process.exit(0);
  await buildAll().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
