// Data benchmark (`npm run bench -- data [--reuse <dir>]`) on the large demo database (100k
// conversations, 1M messages, 200k comments, 100k knowledge chunks with vectors):
//  - export_rows_per_s: rows of the workspace written to an archive (rows, files, gzip) per second,
//    through the real archive.export path (worker thread) from a core opened on the demo folder;
//  - import_rows_per_s: rows per second importing that archive into a fresh data folder (unpack,
//    checksums, scratch database, one-transaction copy with full-text indexing);
//  - backup_s: a verified online backup of the demo database (createBackup from
//    electron/core/backups: VACUUM INTO in a worker, then integrity_check on the copy).
// It then checks the round trip: every row of every table (a digest per table, both sides read in
// the same order) and every media file's bytes, and fails loudly if anything differs.
// The main event loop's worst delay during export and import is reported beside the figures.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, DB_FILE_NAME, type Core } from '../electron/core/app';
import { exportWorkspace, importArchive } from '../electron/core/archive/archive';
import { planTables } from '../electron/core/archive/tables';
import { createBackup } from '../electron/core/backups/backup';
import { startBackgroundCheckpoints } from '../electron/scheduler/checkpointer';
import { largeDemo } from '../test/helpers/large-demo';
import { report, withLoopLag, type Figure } from './lib';

const args = parseArgs({ options: { reuse: { type: 'string' } }, strict: true }).values;
const log = (line: string) => process.stderr.write(`${line}\n`);

const demoDir = args.reuse ?? process.env['POSTDESK_LARGE_DEMO_DIR'] ?? mkdtempSync(join(tmpdir(), 'postdesk-large-demo-'));
const scratch = mkdtempSync(join(tmpdir(), 'postdesk-bench-data-'));

/** A digest of each table's rows for the workspace, read in a fixed order. */
function digests(core: Core, workspaceId: string): Map<string, { rows: number; sha: string }> {
  const out = new Map<string, { rows: number; sha: string }>();
  for (const p of planTables(core.ctx.db.sqlite)) {
    if (p.kind === 'secrets') continue;
    const key = p.columns.includes('id') ? 'id' : p.columns.includes('chunk_seq') ? 'chunk_seq' : p.columns.map((c) => `"${c}"`).join(', ');
    // A knowledge file's absolute path is rewritten to the new data folder on import by design.
    const cols = p.columns.filter((c) => !(p.name === 'knowledge_documents' && c === 'file_path'));
    const sql = `SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM (${p.select}) ORDER BY ${key}`;
    const hash = createHash('sha256');
    let rows = 0;
    for (const r of core.ctx.db.sqlite.prepare(sql).raw(true).iterate({ ws: workspaceId }) as IterableIterator<unknown[]>) {
      hash.update(JSON.stringify(r.map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : v))));
      hash.update('\n');
      rows++;
    }
    out.set(p.name, { rows, sha: hash.digest('hex') });
  }
  return out;
}

function mediaDigests(core: Core, workspaceId: string): Map<string, string> {
  const out = new Map<string, string>();
  const rows = core.ctx.db.sqlite.prepare<[string], { path: string | null; thumb: string | null }>('SELECT path, thumbnail_path AS thumb FROM media WHERE workspace_id = ?').all(workspaceId);
  for (const r of rows) {
    for (const p of [r.path, r.thumb]) {
      const abs = p ? join(core.ctx.dataDir, p) : null;
      if (p && abs && existsSync(abs)) out.set(p, createHash('sha256').update(readFileSync(abs)).digest('hex'));
    }
  }
  return out;
}

/** Seconds spent in each import stage, from the progress events: where the time goes. */
function stageClock(core: Core): { stop(): string } {
  const spent = new Map<string, number>();
  let current: { stage: string; since: number } | null = null;
  const unsubscribe = core.ctx.events.subscribe((event, payload) => {
    if (event !== 'archive.progress') return;
    const stage = (payload as { stage: string }).stage;
    if (current?.stage === stage) return;
    const now = performance.now();
    if (current) spent.set(current.stage, (spent.get(current.stage) ?? 0) + now - current.since);
    current = { stage, since: now };
  });
  return {
    stop() {
      unsubscribe();
      if (current) spent.set(current.stage, (spent.get(current.stage) ?? 0) + performance.now() - current.since);
      return [...spent].map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`).join(', ');
    },
  };
}

async function main(): Promise<void> {
  const demo = largeDemo(demoDir, log);
  const figures: Figure[] = [];

  // backup_s first, on a quiet file: the verified copy the app makes daily and before migrations.
  log('Verified backup of the large demo database…');
  const t0 = performance.now();
  const backup = await createBackup({ source: join(demoDir, DB_FILE_NAME), dir: join(scratch, 'backups') });
  const backupS = (performance.now() - t0) / 1000;
  log(`  ${(backup.bytes / 1e6).toFixed(0)} MB in ${backupS.toFixed(1)} s, integrity ${backup.verified}`);
  rmSync(join(scratch, 'backups'), { recursive: true, force: true });

  const source = await createCore({ dataDir: demoDir, host: 'in-process', scheduler: false, env: {} });
  const target = await createCore({ dataDir: join(scratch, 'target'), host: 'in-process', scheduler: false, env: {} });
  // The app's scheduler checkpoints the WAL from a background thread; the import relies on it as it
  // does in the desktop app and web mode. Only the checkpointer is started here, not the jobs.
  const stopCheckpoints = startBackgroundCheckpoints(target.ctx.db.sqlite, target.ctx.db.file);
  try {
    const archive = join(scratch, 'large.postdesk.tgz');
    log('Exporting the large demo workspace…');
    const exp = await withLoopLag(() => exportWorkspace(source.ctx, { workspaceId: demo.workspaceId, path: archive }));
    log(`  ${exp.result.rows} rows, ${(exp.result.bytes / 1e6).toFixed(0)} MB in ${exp.result.seconds.toFixed(1)} s`);

    log('Importing it into a fresh data folder…');
    const stages = stageClock(target);
    const imp = await withLoopLag(() => importArchive(target.ctx, { path: archive }));
    log(`  ${imp.result.rows} rows in ${imp.result.seconds.toFixed(1)} s (${stages.stop()})`);

    log('Comparing every row and media file…');
    const [a, b] = [digests(source, demo.workspaceId), digests(target, demo.workspaceId)];
    const differ = [...a.entries()].filter(([t, d]) => b.get(t)?.sha !== d.sha).map(([t, d]) => `${t} (${d.rows} vs ${b.get(t)?.rows ?? 0} rows)`);
    const [ma, mb] = [mediaDigests(source, demo.workspaceId), mediaDigests(target, demo.workspaceId)];
    const mediaDiffer = [...ma.entries()].filter(([p, s]) => mb.get(p) !== s).map(([p]) => p);
    if (differ.length > 0 || mediaDiffer.length > 0) {
      throw new Error(`the round trip changed data: tables ${differ.join(', ') || 'none'}; media ${mediaDiffer.join(', ') || 'none'}`);
    }
    const rows = [...a.values()].reduce((n, d) => n + d.rows, 0);
    log(`  identical: ${a.size} tables, ${rows} rows, ${ma.size} media files`);

    figures.push(
      { name: 'export_rows_per_s', value: exp.result.rows / exp.result.seconds, unit: 'rows/s', aim: { op: '>=', value: 50_000 }, note: `${exp.result.rows} rows, ${(exp.result.bytes / 1e6).toFixed(0)} MB archive, ${exp.result.seconds.toFixed(1)} s` },
      { name: 'import_rows_per_s', value: imp.result.rows / imp.result.seconds, unit: 'rows/s', aim: { op: '>=', value: 50_000 }, note: `${imp.result.seconds.toFixed(1)} s incl. unpacking, checksums, full-text indexing` },
      { name: 'backup_s', value: backupS, unit: 's', aim: { op: '<', value: 10 }, note: `verified (integrity_check), ${(backup.bytes / 1e6).toFixed(0)} MB` },
      { name: 'export_loop_lag_p99_ms', value: exp.lagP99Ms, unit: 'ms', note: `main event loop during the export (max ${exp.lagMaxMs.toFixed(0)} ms)` },
      { name: 'import_loop_lag_p99_ms', value: imp.lagP99Ms, unit: 'ms', note: `main event loop during the import (max ${imp.lagMaxMs.toFixed(0)} ms)` },
      { name: 'load_average', value: loadavg()[0] ?? 0, unit: '', note: `1-minute load on ${cpus().length} cores when the run ended: figures from a shared machine` },
      { name: 'archive_mb', value: exp.result.bytes / 1e6, unit: 'MB' },
    );
  } finally {
    await source.close();
    await stopCheckpoints();
    await target.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  report('data', figures);
}

main().catch((err: unknown) => {
  console.error(err);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
});
