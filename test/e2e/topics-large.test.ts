// A large inbox: more customer messages than one run analyses. The run takes the newest
// MAX_MESSAGES, says it was capped, and the main event loop never blocks for 50 ms (the main
// thread's own CPU time between 5 ms ticks; the lag is measured too, with monitorEventLoopDelay and a 5 ms timer, as
// test/e2e/knowledge-large.test.ts does),
// since embedding runs in the knowledge worker and the clustering in the topics worker. It lives
// with the e2e files, which run one at a time: beside the parallel Node suite, other processes'
// CPU on this two-core machine shows up as 50-100 ms of this process's loop lag (as it does for
// knowledge-large.test.ts), which is starvation, not blocking.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../electron/api/events';
import { closeExtractWorker } from '../../electron/core/knowledge/extract-client';
import { MAX_MESSAGES } from '../../electron/core/topics/analyze';
import { labelledInbox } from '../fixtures/topics/corpus';
import { startTestCore, type TestCore } from '../helpers/core';
import { addAccount, addThread } from '../helpers/inbox-threads';

const LAG_LIMIT_MS = 50;
const TOTAL = MAX_MESSAGES + 1_000;
let core: TestCore;
let ws: string;
const progress: EventPayload<'topics.progress'>[] = [];

beforeAll(async () => {
  core = await startTestCore();
  core.ctx.events.subscribe((event, payload) => {
    if (event === 'topics.progress') progress.push(payload as EventPayload<'topics.progress'>);
  });
  ws = (await core.call('workspaces.create', { name: 'Busy Shop', timezone: 'Europe/London' })).id;
  const acc = addAccount(core.ctx.db, ws, 'bluesky', 'busyshop');
  const corpus = labelledInbox(60, 11);
  const now = Date.now();
  // Threads of five messages each; message i is i minutes old, so the newest MAX_MESSAGES are known.
  for (let t = 0; t < TOTAL / 5; t++) {
    const messages = Array.from({ length: 5 }, (_, j) => {
      const i = t * 5 + j;
      return { content: `${corpus[i % corpus.length]!.content} (${i})`, sentAt: now - (i + 1) * 60_000 };
    });
    addThread(core.ctx.db, { workspaceId: ws, accountId: acc, messages });
  }
  // Warm the embedding worker (under vitest it compiles its TypeScript on first start).
  const warm = await core.call('topics.run', { workspaceId: ws, days: 1, maxTopics: 2 });
  await finished(warm.jobId, 300_000);
}, 300_000);

afterAll(async () => {
  await closeExtractWorker();
  await core.cleanup();
});

/** The worst lateness of a 5 ms timer over `ms` with nothing else to do. */
function worstLateness(ms: number): Promise<number> {
  return new Promise((resolve) => {
    let worst = 0;
    let last = performance.now();
    const t = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last - 5);
      last = now;
    }, 5);
    setTimeout(() => {
      clearInterval(t);
      resolve(worst);
    }, ms);
  });
}

function finished(jobId: string, timeoutMs: number): Promise<EventPayload<'topics.progress'>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const end = progress.find((e) => e.jobId === jobId && e.status !== 'running');
      if (end) resolve(end);
      else if (Date.now() - started > timeoutMs) reject(new Error('the topic analysis did not finish'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe('a large inbox', () => {
  it(`given ${TOTAL} customer messages, when analysed, then the newest ${MAX_MESSAGES} are, the run says so, and the event loop never blocks for 50 ms`, async () => {
    // The same process idle for 5 s first: how late a 5 ms timer runs on this machine right now
    // with nothing of ours to do (other processes' CPU; reported beside the figures).
    const idleLate = await worstLateness(5_000);
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    let worstTimerLate = 0;
    // Blocking, as opposed to waiting for a CPU: the CPU time this (main) thread itself used
    // between two 5 ms ticks (process.threadCpuUsage). A synchronous 100 ms stretch of work on the
    // main thread shows here as ~100 ms whatever the machine's load; time spent waiting while
    // other processes or our worker threads had the CPU does not.
    let worstBusy = 0;
    const busyByStage: Record<string, number> = {};
    let cpu = process.threadCpuUsage();
    // The worst lateness seen in each stage of the run, to tell which stage a spike came from.
    const lateByStage: Record<string, number> = {};
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      const late = now - last - 5;
      worstTimerLate = Math.max(worstTimerLate, late);
      const stage = progress.at(-1)?.stage ?? 'queued';
      lateByStage[stage] = Math.max(lateByStage[stage] ?? 0, Math.round(late));
      const used = process.threadCpuUsage(cpu);
      cpu = process.threadCpuUsage();
      const busy = (used.user + used.system) / 1000;
      worstBusy = Math.max(worstBusy, busy);
      busyByStage[stage] = Math.max(busyByStage[stage] ?? 0, Math.round(busy));
      last = now;
    }, 5);
    histogram.enable();
    const started = performance.now();
    const { jobId } = await core.call('topics.run', { workspaceId: ws, days: 30 });
    const end = await finished(jobId, 600_000);
    const elapsed = performance.now() - started;
    histogram.disable();
    clearInterval(ticker);

    const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
    const latest = await core.call('topics.latest', { workspaceId: ws });
    const figures = {
      messages: latest.run?.totalDocuments,
      topics: latest.run?.totalTopics,
      elapsed_s: Math.round(elapsed / 100) / 10,
      lag_max_ms: ms(histogram.max),
      lag_p99_ms: ms(histogram.percentile(99)),
      timer_late_max_ms: Math.round(worstTimerLate * 10) / 10,
      timer_late_by_stage_ms: lateByStage,
      main_cpu_between_ticks_max_ms: Math.round(worstBusy * 10) / 10,
      main_cpu_between_ticks_by_stage_ms: busyByStage,
      idle_timer_late_max_ms: Math.round(idleLate * 10) / 10,
    };
    console.log(`[topics] ${TOTAL} messages (cap ${MAX_MESSAGES}): ${JSON.stringify(figures)}`);

    expect(end.status).toBe('done');
    expect(end.message).toContain(`Analysed the newest 5,000 of ${TOTAL.toLocaleString('en')} messages.`);
    expect(latest.run).toMatchObject({ totalDocuments: MAX_MESSAGES, messagesInWindow: TOTAL, capped: true });
    expect(latest.run!.notes.join(' ')).toContain('Analysed the newest 5,000');
    expect(latest.topics.length).toBeGreaterThanOrEqual(3);
    // Only the newest were taken: none of the oldest thousand is in any topic.
    const oldest = (await core.call('topics.messages', { workspaceId: ws, topicId: latest.topics[0]!.topicId, limit: 200 })).messages;
    for (const m of oldest) expect(m.sentAt).toBeGreaterThan(Date.now() - (MAX_MESSAGES + 10) * 60_000);

    // Never blocked for more than 50 ms; and the lag, which on this shared two-core machine also
    // counts waiting for a CPU (single spikes of 100+ ms with the process idle under load), stays
    // under 50 ms for 99% of the run.
    expect(figures.main_cpu_between_ticks_max_ms).toBeLessThan(LAG_LIMIT_MS);
    expect(figures.lag_p99_ms).toBeLessThan(LAG_LIMIT_MS);
  }, 700_000);
});
