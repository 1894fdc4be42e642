// The scheduler's small parts: lease owners and liveness, job type names, recurring next
// occurrences, cron firings in a timezone across DST, and the worker helper.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nextFiring } from '../../electron/scheduler/cron';
import { defineJob, JobError } from '../../electron/scheduler/definitions';
import { isOwnerDead, markLive, markStopped, newOwnerId } from '../../electron/scheduler/owner';
import { nextRecurringAt } from '../../electron/scheduler/store';
import { runInWorker, WorkerPool, WorkerTaskError } from '../../electron/scheduler/worker';

const host = hostname().replaceAll('/', '_');
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('lease owners', () => {
  it('given an owner on this machine whose process has exited, then it is dead; a live one is not', () => {
    const gone = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    expect(isOwnerDead(`${host}/${gone}/abc`)).toBe(true);
    expect(isOwnerDead(`${host}/${process.ppid}/abc`)).toBe(false);
  });

  it('given an owner on another machine or in an unknown format, then it is never declared dead', () => {
    expect(isOwnerDead('some-other-host/1/abc')).toBe(false);
    expect(isOwnerDead('garbage')).toBe(false);
    expect(isOwnerDead(`${host}/not-a-pid/abc`)).toBe(false);
  });

  it('given a runner in this process, then it is alive while started and dead once stopped', () => {
    const me = newOwnerId();
    expect(me.startsWith(`${host}/${process.pid}/`)).toBe(true);
    markLive(me);
    expect(isOwnerDead(me)).toBe(false);
    markStopped(me);
    expect(isOwnerDead(me)).toBe(true);
  });
});

describe('job definitions', () => {
  it('given a type that is not "area.verb", then defining it fails with a hint', () => {
    expect(() => defineJob({ type: 'Publish', payload: z.object({}), handler: () => undefined })).toThrow(/area\.verb/);
    expect(() => defineJob({ type: 'post.publish', payload: z.object({}), maxAttempts: 0, handler: () => undefined })).toThrow(/maxAttempts/);
    expect(defineJob({ type: 'post.publish', payload: z.object({}), handler: () => undefined }).type).toBe('post.publish');
  });

  it('given a JobError, then it carries retryability and effect, defaulting to a retryable unknown outcome', () => {
    const e = new JobError('timeout');
    expect([e.retryable, e.effect, e.retryAfterMs]).toEqual([true, 'unknown', undefined]);
    const p = new JobError('bad request', { retryable: false, effect: 'none' });
    expect([p.retryable, p.effect]).toEqual([false, 'none']);
  });
});

describe('next occurrence of a recurring job', () => {
  const rec = JSON.stringify({ rrule: 'FREQ=DAILY', startsAt: Date.parse('2026-01-01T09:00:00Z'), timezone: 'UTC' });

  it('given an occurrence that just ran, then the next is the following day', () => {
    const due = Date.parse('2026-01-05T09:00:00Z');
    expect(iso(nextRecurringAt({ recurrence: rec, due_at: due, run_at: due }, due, 300_000))).toBe('2026-01-06T09:00:00.000Z');
  });

  it('given occurrences missed long ago, then they collapse into the next one still ahead', () => {
    const due = Date.parse('2026-01-05T09:00:00Z');
    const now = Date.parse('2026-01-09T12:00:00Z');
    expect(iso(nextRecurringAt({ recurrence: rec, due_at: due, run_at: due }, now, 300_000))).toBe('2026-01-10T09:00:00.000Z');
  });

  it('given a damaged recurrence, then the series ends instead of failing', () => {
    expect(nextRecurringAt({ recurrence: '{"rrule":', due_at: 0, run_at: 0 }, 0, 0)).toBeNull();
  });
});

describe('cron firings', () => {
  it('given 02:30 daily in New York, then on the spring-forward day it still fires once (croner: at the gap\'s end), and the next day at 02:30 EDT', () => {
    const first = nextFiring('30 2 * * *', 'America/New_York', Date.parse('2026-03-07T12:00:00Z'))!;
    const second = nextFiring('30 2 * * *', 'America/New_York', first)!;
    const third = nextFiring('30 2 * * *', 'America/New_York', second)!;
    expect(iso(first)).toBe('2026-03-08T07:00:00.000Z'); // 02:30 does not exist that day: 03:00 EDT
    expect(iso(third)).toBe('2026-03-10T06:30:00.000Z');
    expect(second - first).toBeGreaterThan(20 * 3_600_000);
  });
});

describe('worker helper', () => {
  it('given a CPU-heavy function, then it runs in a worker and returns its result', async () => {
    const sum = await runInWorker((n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += i % 7;
      return s;
    }, 1_000_000);
    let expected = 0;
    for (let i = 0; i < 1_000_000; i++) expected += i % 7;
    expect(sum).toBe(expected);
  });

  it('given a function that throws, then the error comes back as a WorkerTaskError', async () => {
    const pool = new WorkerPool(1);
    try {
      await expect(
        pool.run(() => {
          throw new Error('bad file');
        }, null),
      ).rejects.toThrow(WorkerTaskError);
    } finally {
      await pool.close();
    }
  });

  it('given an endless loop, when the signal aborts, then the call rejects and the pool keeps working', async () => {
    const pool = new WorkerPool(1);
    try {
      const ac = new AbortController();
      const stuck = pool.run(() => {
        for (;;) {
          // spin
        }
      }, null, { signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      await expect(stuck).rejects.toThrow(/Cancelled/);
      expect(await pool.run((x: number) => x + 1, 41)).toBe(42);
    } finally {
      await pool.close();
    }
  });
});
