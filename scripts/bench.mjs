// `npm run bench -- <suite> [args]`: runs bench/<suite>.ts, which prints a table and writes
// bench-results/<suite>.json. Suites that drive the built app build it first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [suite, ...rest] = process.argv.slice(2);
const suites = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && f !== 'lib.ts')
  .map((f) => f.replace(/\.ts$/, ''));

if (!suite || !suites.includes(suite)) {
  console.error(`usage: npm run bench -- <suite>\nsuites: ${suites.join(', ')}`);
  process.exit(2);
}
if (existsSync(join(root, 'renderer', 'index.html'))) {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(root, 'bench', `${suite}.ts`), ...rest], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
