// Analytics benchmark (`npm run bench -- analytics [--reuse <dir>]`) on the large demo (10k posts,
// ~13k published post targets with latest figures, ~66k metric snapshots, two years of history):
//  - dashboard_p50_ms / dashboard_p95_ms: analytics.dashboard computed in the core (totals and the
//    previous period, daily series in the workspace timezone, per account and platform, top posts,
//    the 365-day heatmap) for 7, 30 and 90 days and a custom quarter, all accounts and one account.
//    The heatmap is remembered until its posts or figures change, so repeated runs measure it
//    remembered; dashboard_cold_90d_ms measures it computed, on a fresh connection.
//  - csv_export_ms (730 days) / pdf_export_ms (90 days), with the longest event-loop stall.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client';
import { exportCsv } from '../electron/core/analytics/csv';
import { dashboard, type RangeInput } from '../electron/core/analytics/dashboard';
import { exportPdf } from '../electron/core/analytics/pdf';
import { DB_FILE_NAME } from '../electron/core/app';
import { largeDemo } from '../test/helpers/large-demo';
import { percentile, report, withLongestStall } from './lib';

const args = parseArgs({ options: { reuse: { type: 'string' }, runs: { type: 'string' } }, strict: true }).values;
const log = (line: string) => process.stderr.write(`${line}\n`);
const RUNS = Number(args.runs ?? 20);

const dir = args.reuse ?? mkdtempSync(join(tmpdir(), 'postdesk-bench-analytics-'));
const demo = largeDemo(dir, log);
const db = openDatabase({ file: join(dir, DB_FILE_NAME) });
try {
  const ws = demo.workspaceId;
  // The demo's own "now", so its recent weeks are the ones measured however old the folder is.
  const now = demo.now;
  const accounts = db.sqlite.prepare<[string], { id: string }>(`SELECT id FROM accounts WHERE workspace_id = ? AND deleted_at IS NULL`).all(ws);
  const ranges: RangeInput[] = [{ days: 7 }, { days: 30 }, { days: 90 }, { from: '2026-01-01', to: '2026-03-31' }];
  const queries = ranges.flatMap((range) => [{ range }, { range, accountIds: [accounts[0]!.id] }]);
  // Warm the page cache and the statement cache once.
  for (const q of queries) dashboard(db, ws, q, now);
  const samples: number[] = [];
  const perRange = new Map<string, number[]>();
  let posts = 0;
  for (let run = 0; run < RUNS; run++) {
    for (const q of queries) {
      const t0 = performance.now();
      const d = dashboard(db, ws, q, now);
      const ms = performance.now() - t0;
      samples.push(ms);
      const key = 'days' in q.range && q.range.days !== undefined ? `${q.range.days}d` : 'quarter';
      perRange.set(key, [...(perRange.get(key) ?? []), ms]);
      if (run === 0 && q.accountIds === undefined && key === '90d') posts = d.totals.posts;
    }
  }
  // Cold: a fresh connection each time (no remembered heatmap, no prepared statements), 90 days.
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) {
    const fresh = openDatabase({ file: join(dir, DB_FILE_NAME) });
    try {
      const t0 = performance.now();
      dashboard(fresh, ws, { range: { days: 90 } }, now);
      cold.push(performance.now() - t0);
    } finally {
      fresh.close();
    }
  }
  const csv = await withLongestStall(async () => {
    const t0 = performance.now();
    const out = await exportCsv(db, ws, { range: { days: 730 } }, now);
    return { ms: performance.now() - t0, rows: out.rows };
  });
  // The first report of a process also loads the standard fonts' metrics; the second is the steady state.
  const firstPdf = await withLongestStall(async () => {
    const t1 = performance.now();
    await exportPdf(db, ws, { range: { days: 90 } }, now);
    return performance.now() - t1;
  });
  const pdfRun = await withLongestStall(async () => {
    const t1 = performance.now();
    const out = await exportPdf(db, ws, { range: { days: 90 } }, now);
    return { ms: performance.now() - t1, out };
  });
  const pdf = pdfRun.result.out;
  const pdfMs = pdfRun.result.ms;
  const byRange = [...perRange].map(([k, v]) => `${k} p50 ${percentile(v, 50).toFixed(1)}`).join(', ');
  report('analytics', [
    { name: 'dashboard_p50_ms', value: percentile(samples, 50), unit: 'ms', note: `${samples.length} dashboards in the core (${queries.length} queries × ${RUNS}): ${byRange}; 90 days = ${posts} published posts` },
    { name: 'dashboard_p95_ms', value: percentile(samples, 95), unit: 'ms', aim: { op: '<', value: 100 } },
    { name: 'dashboard_cold_90d_ms', value: percentile(cold, 50), unit: 'ms', note: `90 days on a fresh connection (the year-long heatmap computed, not remembered), median of ${cold.length}: ${cold.map((v) => v.toFixed(0)).join(', ')}` },
    { name: 'csv_export_ms', value: csv.result.ms, unit: 'ms', note: `730 days, ${csv.result.rows} rows; longest event-loop stall ${csv.gapMs.toFixed(1)} ms` },
    { name: 'pdf_export_ms', value: pdfMs, unit: 'ms', note: `90 days, ${pdf.pages} page(s), ${Math.round(pdf.bytes.length / 1024)} KB; longest event-loop stall ${pdfRun.gapMs.toFixed(1)} ms (the process's first report: ${firstPdf.result.toFixed(0)} ms, stall ${firstPdf.gapMs.toFixed(0)} ms)` },
  ]);
} finally {
  db.close();
  log(`\nBenchmark data kept in ${dir}. Rerun with --reuse ${dir}, or delete it.`);
}
