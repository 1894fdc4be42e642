// `npm test`: everything, one command — type check, lint, build, Node tests, e2e in Chromium.
// Ends with one plain line "tests: N passed, N failed" so any reader can tell the outcome.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);

function step(title, cmd, args, opts = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' }, ...opts });
  const ok = r.status === 0;
  console.log(`=== ${title}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

function vitestCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const j = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: j.numPassedTests ?? 0, failed: (j.numFailedTests ?? 0) + (j.numFailedTestSuites ?? 0) };
}

mkdirSync(join(root, 'test-results'), { recursive: true });
const failures = [];
let passed = 0;
let failed = 0;

if (only.length === 0 || only.includes('static')) {
  if (!step('type check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])) failures.push('type check');
  if (!step('lint', bin('eslint'), ['.', '--max-warnings=0'])) failures.push('lint');
  if (!step('build', process.execPath, ['scripts/build.mjs'])) failures.push('build');
}
// The e2e files that need the large demo (100k conversations, 1M messages: ~80 s to build) run
// one after another, so they share one build in a folder made for this run, unless the caller
// keeps one of their own. They only read it or change what they then check themselves.
const sharedDemo = process.env.POSTDESK_LARGE_DEMO_DIR ? null : mkdtempSync(join(tmpdir(), 'postdesk-large-demo-'));
for (const project of ['node', 'e2e']) {
  if (only.length > 0 && !only.includes(project)) continue;
  const out = join(root, 'test-results', `vitest-${project}.json`);
  const env = { ...process.env, FORCE_COLOR: '0', ...(project === 'e2e' && sharedDemo ? { POSTDESK_LARGE_DEMO_DIR: sharedDemo } : {}) };
  const ok = step(`tests (${project})`, bin('vitest'), ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], { env });
  const c = vitestCounts(out);
  passed += c.passed;
  failed += c.failed;
  if (!ok) failures.push(`tests (${project})`);
}

if (sharedDemo) rmSync(sharedDemo, { recursive: true, force: true });
console.log(failures.length ? `\nFAILED: ${failures.join(', ')}` : '\nall steps ok');
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
