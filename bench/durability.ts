// `npm run bench -- durability [--large <dir>]`: what synchronous=FULL costs over NORMAL (both
// WAL) for a realistic write: one transaction holding a draft post, an inbound DM through the
// inbox ingest and a queued job (the crash test's unit), on a disk-backed temporary file. FULL
// fsyncs the WAL on every commit; NORMAL only at checkpoints, so a power cut may drop the last
// commits (never corrupt the file) and a process crash loses nothing either way.
// With --large <dir> (a large demo folder, see test/helpers/large-demo.ts) it also times the
// launch check: the header/schema probe and the quick_check that the launch no longer waits for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDatabase, type Durability } from '../db/client';
import { accounts } from '../db/schema';
import { EventBus } from '../electron/core/events';
import { ingestItems } from '../electron/core/inbox/ingest';
import { createDraft } from '../electron/core/posts/posts';
import { createWorkspace } from '../electron/core/workspaces/workspaces';
import { checkDatabaseFile, probeDatabaseFile } from '../electron/core/backups/integrity';
import { enqueueJob } from '../electron/scheduler/enqueue';
import { percentile, report, type Figure } from './lib';

const args = parseArgs({ options: { large: { type: 'string' }, units: { type: 'string' } }, strict: true }).values;
const UNITS = Number(args.units ?? 1500);
const JOB = { type: 'bench.unit', payload: z.object({ seq: z.number().int() }), maxAttempts: 1 } as const;

function measure(durability: Durability, postOnly = false): { p50: number; p95: number; p99: number; perSecond: number } {
  const dir = mkdtempSync(join(tmpdir(), `postdesk-bench-durability-${durability}-`));
  const db = openDatabase({ file: join(dir, 'postdesk.db'), durability });
  try {
    const events = new EventBus();
    const ws = createWorkspace(db, { name: 'Crumb Bakery', businessType: 'bakery', brandVoice: 'friendly', timezone: 'UTC' });
    const a = db.orm.insert(accounts).values({ workspaceId: ws.id, platform: 'bluesky', platformAccountId: 'did:plc:crumb', username: 'crumb', displayName: 'Crumb' }).returning().get();
    const account = { id: a.id, workspaceId: ws.id, platform: 'bluesky' as const, platformAccountId: 'did:plc:crumb' };
    const unit = db.sqlite.transaction((n: number) => {
      createDraft(db, { workspaceId: ws.id, content: `Unit ${n}: today's loaves ${'and pastries '.repeat(20)}`, targets: [] });
      if (postOnly) return;
      ingestItems({ db, events }, account, [
        { kind: 'dm', platformMessageId: `m-${n}`, threadId: `c-${n % 50}`, parentId: null, authorId: `did:plc:c${n % 50}`, authorHandle: null, authorName: null, text: `Rye today? (${n})`, createdAt: Date.now(), url: null, replyDeadline: null },
      ]);
      enqueueJob(db, JOB, { seq: n }, { runAt: Date.now() + 86_400_000 });
    });
    for (let i = 0; i < 50; i++) unit(-i - 1);
    const samples: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < UNITS; i++) {
      const s = performance.now();
      unit(i);
      samples.push(performance.now() - s);
    }
    const total = performance.now() - t0;
    return { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), perSecond: UNITS / (total / 1000) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const normal = measure('normal');
const full = measure('full');
const smallNormal = measure('normal', true);
const smallFull = measure('full', true);
const figures: Figure[] = [
  { name: 'commit_p50_normal_ms', value: normal.p50, unit: 'ms', note: 'post + DM + job per transaction, WAL, synchronous=NORMAL' },
  { name: 'commit_p50_full_ms', value: full.p50, unit: 'ms', baseline: { name: 'normal', value: normal.p50 }, note: 'synchronous=FULL: fsync of the WAL per commit' },
  { name: 'commit_p99_normal_ms', value: normal.p99, unit: 'ms' },
  { name: 'commit_p99_full_ms', value: full.p99, unit: 'ms', baseline: { name: 'normal', value: normal.p99 } },
  { name: 'units_per_s_normal', value: normal.perSecond, unit: '/s' },
  { name: 'units_per_s_full', value: full.perSecond, unit: '/s', baseline: { name: 'normal', value: normal.perSecond } },
  { name: 'post_commit_p50_normal_ms', value: smallNormal.p50, unit: 'ms', note: 'one draft post per transaction: the fsync share shows more' },
  { name: 'post_commit_p50_full_ms', value: smallFull.p50, unit: 'ms', baseline: { name: 'normal', value: smallNormal.p50 } },
  { name: 'posts_per_s_normal', value: smallNormal.perSecond, unit: '/s' },
  { name: 'posts_per_s_full', value: smallFull.perSecond, unit: '/s', baseline: { name: 'normal', value: smallNormal.perSecond } },
];

if (args.large) {
  const file = join(args.large, 'postdesk.db');
  const t0 = performance.now();
  const probed = probeDatabaseFile(file);
  figures.push({ name: 'launch_probe_large_ms', value: performance.now() - t0, unit: 'ms', note: probed ? `found: ${probed.message}` : 'header + schema, what the launch waits for' });
  const q = await checkDatabaseFile(file, 'quick');
  figures.push({ name: 'quick_check_large_s', value: q.ms / 1000, unit: 's', note: `${q.ok ? 'ok' : 'problems'}; runs after startup in a worker for files over 64 MB` });
}

report('durability', figures);
