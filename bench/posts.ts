// Posts benchmark (`npm run bench -- posts`): how long the Calendar waits for the dates of a
// workspace's repeating posts (posts.occurrences over a six-week month view, on the main process).
// - calendar_occurrences_p50/p95_ms: 200 live series (weekly, daily, three times a week, monthly,
//   a year of dates each) in New York, months into their run, the window moved week by week;
//   baseline: the same expansion done the plain way in this run (the scheduler's
//   occurrencesBetween per series and per call, plus a second pass to number the dates).
// - calendar_occurrences_cold_ms: the first call for 200 series never expanded before in this
//   process (each rule iterated once, then remembered), and the longest the event loop was held
//   meanwhile (the expansion yields every few ms).
// - calendar_occurrences_hourly_cold_ms: the same with every fifth series hourly (3,000 dates).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/client';
import { posts, workspaces } from '../db/schema';
import { listOccurrences } from '../electron/core/posts/occurrences';
import { occurrencesBetween } from '../electron/scheduler/recurrence';
import { instantOf } from '../electron/scheduler/zoned-time';
import { percentile, report, withLoopLag, type Figure } from './lib';

const NY = 'America/New_York';
const DAY = 86_400_000;
const SERIES = Number(process.env.POSTS_SERIES ?? 200);
const TYPICAL = ['FREQ=WEEKLY;COUNT=52', 'FREQ=DAILY;COUNT=365', 'FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=156', 'FREQ=MONTHLY;COUNT=24'];
const WITH_HOURLY = [...TYPICAL, 'FREQ=HOURLY;COUNT=3000'];
const ny = (y: number, m: number, d: number, h = 0) => instantOf({ year: y, month: m, day: d, hour: h, minute: 0, second: 0 }, NY);

const dir = mkdtempSync(join(tmpdir(), 'postdesk-bench-posts-'));
const db = openDatabase({ file: join(dir, 'postdesk.db') });

function workspace(name: string, rules: readonly string[], minute: number): string {
  const ws = db.orm.insert(workspaces).values({ name, timezone: NY }).returning({ id: workspaces.id }).get().id;
  db.orm.transaction(() => {
    for (let i = 0; i < SERIES; i++) {
      db.orm
        .insert(posts)
        .values({ workspaceId: ws, content: `Series ${i}`, status: 'scheduled', rrule: rules[i % rules.length]!, publishAt: ny(2031, 1, 1 + (i % 28), 8 + (i % 10)) + minute * 60_000 })
        .run();
    }
  });
  return ws;
}

/** The plain way: the scheduler's expansion per series on every call, and a pass to number them. */
function plain(workspaceId: string, from: number, to: number): number {
  const rows = db.sqlite.prepare(`SELECT rrule, publish_at AS startsAt FROM posts WHERE workspace_id = ? AND rrule IS NOT NULL`).all(workspaceId) as { rrule: string; startsAt: number }[];
  let n = 0;
  for (const r of rows) {
    const rec = { rrule: r.rrule, startsAt: r.startsAt, timezone: NY };
    const dates = occurrencesBetween(rec, from, to - 1, 501);
    if (dates.length > 0 && from > r.startsAt) occurrencesBetween(rec, r.startsAt, from - 1, 20_000);
    n += dates.length;
  }
  return n;
}

const from0 = ny(2031, 9, 29);
const windows = Array.from({ length: 30 }, (_, i) => ({ from: from0 + (i % 8) * 7 * DAY, to: from0 + (i % 8) * 7 * DAY + 42 * DAY }));

const warm = workspace('Warm', TYPICAL, 0);
await listOccurrences(db, { workspaceId: warm, ...windows[0]! });
plain(warm, windows[0]!.from, windows[0]!.to);
const ours: number[] = [];
const base: number[] = [];
let dates = 0;
for (const w of windows) {
  let t = performance.now();
  dates = (await listOccurrences(db, { workspaceId: warm, ...w })).items.length;
  ours.push(performance.now() - t);
  t = performance.now();
  plain(warm, w.from, w.to);
  base.push(performance.now() - t);
}

async function timedCold(workspaceId: string): Promise<{ ms: number; lagMaxMs: number }> {
  const t0 = performance.now();
  const { lagMaxMs } = await withLoopLag(() => listOccurrences(db, { workspaceId, ...windows[0]! }));
  return { ms: performance.now() - t0, lagMaxMs };
}
const cold = await timedCold(workspace('Cold', TYPICAL, 7));
const hourly = await timedCold(workspace('Hourly', WITH_HOURLY, 13));
// What this machine's load alone does to the loop over as long: the stall figures' baseline.
const idle = await withLoopLag(() => new Promise((r) => setTimeout(r, Math.max(cold.ms, hourly.ms))));

db.close();
rmSync(dir, { recursive: true, force: true });

const load = loadavg()[0]!.toFixed(1);
const results: Figure[] = [
  { name: 'calendar_occurrences_p50_ms', value: percentile(ours, 50), unit: 'ms', baseline: { name: 'plain expansion', value: percentile(base, 50) }, note: `${SERIES} series, ${dates} dates in 6 weeks` },
  { name: 'calendar_occurrences_p95_ms', value: percentile(ours, 95), unit: 'ms', baseline: { name: 'plain expansion', value: percentile(base, 95) }, aim: { op: '<', value: 50 } },
  { name: 'calendar_occurrences_cold_ms', value: cold.ms, unit: 'ms', note: 'first call for these series in the process' },
  { name: 'calendar_occurrences_cold_loop_held_max_ms', value: cold.lagMaxMs, unit: 'ms', baseline: { name: 'idle loop, same length', value: idle.lagMaxMs }, aim: { op: '<', value: 50 }, note: 'longest event-loop stall during it' },
  { name: 'calendar_occurrences_hourly_cold_ms', value: hourly.ms, unit: 'ms', note: '1 in 5 series hourly (3,000 dates)' },
  { name: 'calendar_occurrences_hourly_cold_loop_held_max_ms', value: hourly.lagMaxMs, unit: 'ms', baseline: { name: 'idle loop, same length', value: idle.lagMaxMs }, aim: { op: '<', value: 50 }, note: `load ${load} on this machine` },
];
report('posts', results);
