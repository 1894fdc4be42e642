// Crash safety: a child process writes realistic work (a post, an inbox DM, a queued job per
// transaction) and is killed with SIGKILL at random moments, 50 times over the same file. After
// every kill the file passes integrity_check and every unit the child reported as committed is in
// it. WAL with synchronous=NORMAL loses nothing committed on a process crash (only a power cut can
// drop the last commits), so this must hold for every run.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { repoRoot } from '../helpers/web';
import { tempDir } from '../helpers/db';

const KILLS = 50;
const tmp = tempDir('postdesk-crash-');
// Inside the repository, so the bundle's external native modules resolve from node_modules.
const bundleDir = join(repoRoot, 'node_modules', '.cache', `postdesk-crash-${process.pid}`);
const bundle = join(bundleDir, 'crash-child.mjs');

beforeAll(async () => {
  mkdirSync(bundleDir, { recursive: true });
  // One bundle, started 50 times: tsx would spend a second compiling on every start.
  await build({
    entryPoints: [join(repoRoot, 'test', 'helpers', 'crash-child.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: ['better-sqlite3', 'sqlite-vec', 'electron'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
});

afterAll(() => {
  rmSync(bundleDir, { recursive: true, force: true });
  tmp.cleanup();
});

interface Unit {
  seq: number;
  postId: string;
  messageId: string;
  jobId: string;
}

/** Start the writer, let it run for `ms` after it is ready, SIGKILL it; the units it reported. */
function runAndKill(file: string, ms: number): Promise<{ units: Unit[]; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), ms);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      clearTimeout(timer);
      // Only whole lines: a line cut by the kill was never fully reported.
      const lines = out.split('\n').slice(0, -1);
      const units = lines
        .filter((l) => l.startsWith('committed '))
        .map((l) => {
          const [, seq, postId, messageId, jobId] = l.split(' ');
          return { seq: Number(seq), postId: postId ?? '', messageId: messageId ?? '', jobId: jobId ?? '' };
        });
      resolve({ units, signal, stderr });
    });
  });
}

describe('crash safety', () => {
  it(`given a writer killed with SIGKILL at random moments ${KILLS} times, when the file is reopened after each kill, then integrity_check is ok and every reported commit is present`, { timeout: 150_000 }, async () => {
    const file = join(tmp.dir, 'postdesk.db');
    const reported: Unit[] = [];
    let killedMidRun = 0;
    for (let i = 0; i < KILLS; i++) {
      const { units, signal, stderr } = await runAndKill(file, 20 + Math.floor(Math.random() * 300));
      expect(signal, stderr).toBe('SIGKILL');
      if (units.length > 0) killedMidRun++;
      reported.push(...units);

      // Given the killed writer's file, when reopened as the app would (WAL recovery included)...
      const db = openDatabase({ file });
      try {
        expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
        const hasPost = db.sqlite.prepare<[string], { n: number }>('SELECT count(*) AS n FROM posts WHERE id = ?');
        const hasMessage = db.sqlite.prepare<[string], { n: number }>('SELECT count(*) AS n FROM conversation_messages WHERE external_message_id = ?');
        const hasJob = db.sqlite.prepare<[string], { n: number }>('SELECT count(*) AS n FROM jobs WHERE id = ?');
        for (const u of units) {
          expect(hasPost.get(u.postId)?.n, `post of unit ${u.seq} (run ${i})`).toBe(1);
          expect(hasMessage.get(u.messageId)?.n, `message of unit ${u.seq} (run ${i})`).toBe(1);
          expect(hasJob.get(u.jobId)?.n, `job of unit ${u.seq} (run ${i})`).toBe(1);
        }
        // Units are whole: as many posts as messages as jobs, never a unit half written.
        const posts = db.sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM posts').get()?.n ?? 0;
        const jobs = db.sqlite.prepare<[], { n: number }>("SELECT count(*) AS n FROM jobs WHERE type = 'crash.unit'").get()?.n ?? 0;
        expect(jobs).toBe(posts);
        expect(posts).toBeGreaterThanOrEqual(reported.length);
      } finally {
        db.close();
      }
    }
    // Every commit ever reported is still there at the end.
    const db = openDatabase({ file });
    try {
      const ids = new Set(db.sqlite.prepare<[], { id: string }>('SELECT id FROM posts').all().map((r) => r.id));
      for (const u of reported) expect(ids.has(u.postId)).toBe(true);
    } finally {
      db.close();
    }
    expect(reported.length).toBeGreaterThan(KILLS);
    expect(killedMidRun).toBeGreaterThan(KILLS / 2);
  });
});
