// Work that came due while Postdesk was closed or the machine slept: per-job missed-run policies
// (run now, skip, ask) and the spaced-out catch-up of overdue publishes.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, type MissedRunPolicy } from '../../electron/scheduler/definitions';
import { harness, T0, type Harness } from '../fixtures/scheduler/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const HOUR = 3_600_000;
const payload = z.object({ name: z.string() });

function jobs(ran: string[]) {
  const of = (type: string, policy: MissedRunPolicy) =>
    defineJob({ type, payload, missedRunPolicy: policy, handler: ({ payload: p }) => void ran.push(p.name) });
  return { runNow: of('test.run_now', 'run_now'), skip: of('test.skip', 'skip'), ask: of('test.ask', 'ask') };
}

describe('missed-run policies at startup', () => {
  it('given jobs missed by an hour while closed, when the app starts, then run_now runs, skip is cancelled with the reason, and ask waits for the user', async () => {
    const ran: string[] = [];
    const { runNow, skip, ask } = jobs(ran);
    h = harness([runNow, skip, ask], { start: T0 + HOUR });
    const s = h.scheduler;
    const a = s.enqueue(runNow, { name: 'digest' }, { runAt: T0 });
    const b = s.enqueue(skip, { name: 'stale poll' }, { runAt: T0 });
    const c = s.enqueue(ask, { name: 'launch post' }, { runAt: T0 });
    await s.start();
    await h.settle();

    expect(ran).toEqual(['digest']);
    expect(h.job(a.id).status).toBe('completed');
    expect(h.job(b.id)).toMatchObject({ status: 'cancelled', last_error: expect.stringMatching(/^Skipped: it was due at 2026-03-01T12:00:00.000Z/) });
    expect(h.job(c.id)).toMatchObject({ status: 'pending', hold: 'missed' });
    expect(h.eventsOf('jobs.missed').map((e) => [e.jobId, e.action, e.dueAt])).toEqual([
      [a.id, 'run_now', T0],
      [b.id, 'skip', T0],
      [c.id, 'ask', T0],
    ]);

    // A held job stays put however much time passes...
    await h.advance(HOUR, HOUR);
    expect(ran).toEqual(['digest']);
    // ...until the user says run it.
    s.retry(c.id);
    await h.settle();
    expect(ran).toEqual(['digest', 'launch post']);
    expect(h.job(c.id)).toMatchObject({ status: 'completed', hold: null });
  });

  it('given a held job, when the user cancels it, then it is skipped', async () => {
    const ran: string[] = [];
    const { ask } = jobs(ran);
    h = harness([ask], { start: T0 + HOUR });
    const { id } = h.scheduler.enqueue(ask, { name: 'x' }, { runAt: T0 });
    await h.scheduler.start();
    await h.settle();
    expect(h.scheduler.cancel(id).status).toBe('cancelled');
    await h.advance(HOUR, HOUR);
    expect(ran).toEqual([]);
  });

  it("given a job's own policy, then it wins over its type's", async () => {
    const ran: string[] = [];
    const { runNow } = jobs(ran);
    h = harness([runNow], { start: T0 + HOUR });
    const { id } = h.scheduler.enqueue(runNow, { name: 'only this one is skipped' }, { runAt: T0, missedRunPolicy: 'skip' });
    h.scheduler.enqueue(runNow, { name: 'runs' }, { runAt: T0 });
    await h.scheduler.start();
    await h.settle();
    expect(ran).toEqual(['runs']);
    expect(h.job(id).status).toBe('cancelled');
  });

  it('given a job only a minute late (within the grace time), then it runs whatever its policy', async () => {
    const ran: string[] = [];
    const { skip } = jobs(ran);
    h = harness([skip], { start: T0 + 60_000 });
    h.scheduler.enqueue(skip, { name: 'slightly late' }, { runAt: T0 });
    await h.scheduler.start();
    await h.settle();
    expect(ran).toEqual(['slightly late']);
    expect(h.eventsOf('jobs.missed')).toEqual([]);
  });

  it('given a retry that came due while closed, then it is not "missed": it runs', async () => {
    const ran: string[] = [];
    const { skip } = jobs(ran);
    h = harness([skip], { start: T0 + HOUR });
    const { id } = h.scheduler.enqueue(skip, { name: 'retry' }, { runAt: T0 });
    h.db.sqlite.prepare('UPDATE jobs SET attempts = 1 WHERE id = ?').run(id);
    await h.scheduler.start();
    await h.settle();
    expect(ran).toEqual(['retry']);
  });
});

describe('missed-run policies after sleep', () => {
  it('given the machine slept past a job, when the runner wakes (late timer or resume), then the policy applies before anything runs', async () => {
    const ran: string[] = [];
    const { skip, runNow } = jobs(ran);
    h = harness([skip, runNow]);
    await h.scheduler.start();
    const a = h.scheduler.enqueue(skip, { name: 'poll at 12:30' }, { runAt: T0 + HOUR / 2 });
    const b = h.scheduler.enqueue(runNow, { name: 'report at 12:40' }, { runAt: T0 + HOUR / 2 + 600_000 });
    await h.settle();
    // Asleep from 12:00 to 14:00: no timer fired meanwhile.
    h.clock.set(T0 + 2 * HOUR);
    await h.clock.advance(0); // the overdue timer fires on wake
    await h.settle();
    await h.scheduler.resume(); // and the host's resume notification arrives too
    await h.settle();
    expect(ran).toEqual(['report at 12:40']);
    expect(h.job(a.id).status).toBe('cancelled');
    expect(h.job(b.id).status).toBe('completed');
  });
});

describe('catch-up spacing', () => {
  it('given many overdue publishes at startup, then they run a few seconds apart in their original order instead of all at once', async () => {
    const starts: [string, number][] = [];
    const publish = defineJob({
      type: 'test.publish',
      payload,
      catchUpSpacingMs: 3000,
      handler: (ctx) => void starts.push([ctx.payload.name, ctx.now()]),
    });
    const other = defineJob({ type: 'test.other', payload, handler: (ctx) => void starts.push([ctx.payload.name, ctx.now()]) });
    h = harness([publish, other], { start: T0 + HOUR, concurrency: 4 });
    for (let i = 4; i >= 0; i--) h.scheduler.enqueue(publish, { name: `post ${i}` }, { runAt: T0 + i * 60_000 });
    h.scheduler.enqueue(other, { name: 'sync' }, { runAt: T0 });
    await h.scheduler.start();
    await h.advance(20_000, 500);
    expect(starts).toEqual([
      ['sync', T0 + HOUR],
      ['post 0', T0 + HOUR],
      ['post 1', T0 + HOUR + 3000],
      ['post 2', T0 + HOUR + 6000],
      ['post 3', T0 + HOUR + 9000],
      ['post 4', T0 + HOUR + 12_000],
    ]);
    const missed = h.eventsOf('jobs.missed').filter((e) => e.type === 'test.publish');
    expect(missed.map((e) => e.runAt)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + HOUR + i * 3000));
  });
});
