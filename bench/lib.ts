// Shared benchmark plumbing: percentiles, event-loop lag, and the report format of DESIGN.md
// ({suite, results: [{name, value, unit, baseline?}]}) printed as a table and written to
// bench-results/<suite>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** The aim, e.g. "< 5", printed beside the figure and judged honestly. */
  aim?: { op: '<' | '>' | '>='; value: number };
  note?: string;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Time `fn` `n` times (after `warmup` runs); returns the samples in ms. */
export async function sample(n: number, fn: (i: number) => unknown, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/** Runs `work` while measuring the main event loop's delay; returns the p99 lag in ms. */
export async function withLoopLag<T>(work: () => Promise<T>): Promise<{ result: T; lagP99Ms: number; lagMaxMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  try {
    const result = await work();
    return { result, lagP99Ms: h.percentile(99) / 1e6, lagMaxMs: h.max / 1e6 };
  } finally {
    h.disable();
  }
}

/**
 * The longest gap between ticks of a 1 ms interval: how long the event loop was held at once.
 * (monitorEventLoopDelay cannot see a loop that never yields until the end.)
 */
export function stallSampler(): { stop(): number } {
  let last = performance.now();
  let max = 0;
  const t = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(t);
      return Math.max(max, performance.now() - last);
    },
  };
}

/** `work`'s result and the longest the event loop went without turning while it ran. */
export async function withLongestStall<T>(work: () => Promise<T>): Promise<{ result: T; gapMs: number }> {
  const sampler = stallSampler();
  try {
    const result = await work();
    return { result, gapMs: sampler.stop() };
  } finally {
    sampler.stop(); // a second stop only clears the cleared timer
  }
}

function meets(f: Figure): string {
  if (!f.aim) return '';
  const ok = f.aim.op === '<' ? f.value < f.aim.value : f.aim.op === '>' ? f.value > f.aim.value : f.value >= f.aim.value;
  return `${f.aim.op} ${f.aim.value} ${ok ? 'met' : 'MISSED'}`;
}

export function report(suite: string, results: Figure[]): void {
  const rows = results.map((f) => [
    f.name,
    `${round(f.value)} ${f.unit}`,
    f.baseline ? `${round(f.baseline.value)} (${f.baseline.name})` : '',
    meets(f),
    f.note ?? '',
  ]);
  const head = ['figure', 'value', 'baseline', 'aim', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(`\n${suite} (${new Date().toISOString()})`);
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  const dir = join(process.cwd(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  const json = {
    suite,
    measuredAt: new Date().toISOString(),
    results: results.map((f) => ({
      name: f.name,
      value: round(f.value, 4),
      unit: f.unit,
      ...(f.baseline ? { baseline: { name: f.baseline.name, value: round(f.baseline.value, 4) } } : {}),
      ...(f.aim ? { aim: `${f.aim.op} ${f.aim.value}` } : {}),
      ...(f.note ? { note: f.note } : {}),
    })),
  };
  writeFileSync(join(dir, `${suite}.json`), JSON.stringify(json, null, 2) + '\n');
  console.log(`\nwritten bench-results/${suite}.json`);
}
