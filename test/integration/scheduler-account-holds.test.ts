// An account whose sign-in stops working parks its jobs instead of failing them one retry at a
// time, and reconnecting releases them with their attempt counts intact.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId } from '../../db/schema/columns';
import { defineJob, JobError } from '../../electron/scheduler/definitions';
import { harness, T0, type Harness } from '../fixtures/scheduler/harness';
import { insertWorkspace } from '../helpers/rows';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

function insertAccount(sqlite: Harness['db']['sqlite'], workspaceId: string): string {
  const id = newId();
  sqlite
    .prepare(`INSERT INTO accounts (id, workspace_id, platform, platform_account_id, auth_kind) VALUES (?, ?, 'mastodon', ?, 'oauth2')`)
    .run(id, workspaceId, `acct-${id}`);
  return id;
}

describe('jobs of an account that must be reconnected', () => {
  it('given a handler that finds the sign-in revoked, when it throws a hold, then the job is parked without spending an attempt and is not retried', async () => {
    let calls = 0;
    let signedIn = false;
    const job = defineJob({
      type: 'test.publish_as_account',
      payload: z.object({}),
      maxAttempts: 3,
      handler: () => {
        calls++;
        if (!signedIn) throw new JobError('The account must be reconnected.', { hold: 'account', effect: 'none' });
        return 'published';
      },
    });
    h = harness([job]);
    const ws = insertWorkspace(h.db.sqlite, 'Bakery');
    const accountId = insertAccount(h.db.sqlite, ws);
    const { id } = h.scheduler.enqueue(job, {}, { accountId, workspaceId: ws });
    await h.scheduler.start();
    await h.settle();

    expect(calls).toBe(1);
    const parked = h.job(id);
    expect(parked).toMatchObject({ status: 'pending', hold: 'account', attempts: 0, last_error: 'The account must be reconnected.' });

    // An hour of retry backoff would have tried it several times; a parked job stays put.
    await h.advance(3_600_000, 60_000);
    expect(calls).toBe(1);

    signedIn = true;
    expect(h.scheduler.releaseAccount(accountId)).toBe(1);
    await h.settle();
    expect(calls).toBe(2);
    expect(h.job(id)).toMatchObject({ status: 'completed', hold: null, attempts: 1 });
  });

  it('given pending jobs of two accounts, when one account is held, then only its jobs wait and the other account keeps publishing', async () => {
    const ran: string[] = [];
    const job = defineJob({ type: 'test.as_account', payload: z.object({ name: z.string() }), handler: ({ payload }) => void ran.push(payload.name) });
    h = harness([job]);
    const ws = insertWorkspace(h.db.sqlite, 'Bakery');
    const expired = insertAccount(h.db.sqlite, ws);
    const healthy = insertAccount(h.db.sqlite, ws);
    h.scheduler.enqueue(job, { name: 'expired-1' }, { accountId: expired, runAt: T0 + 1000 });
    h.scheduler.enqueue(job, { name: 'expired-2' }, { accountId: expired, runAt: T0 + 2000 });
    h.scheduler.enqueue(job, { name: 'healthy' }, { accountId: healthy, runAt: T0 + 1500 });

    expect(h.scheduler.holdAccount(expired)).toBe(2);
    await h.scheduler.start();
    await h.advance(5000);
    expect(ran).toEqual(['healthy']);

    expect(h.scheduler.releaseAccount(expired)).toBe(2);
    await h.settle();
    expect(ran).toEqual(['healthy', 'expired-1', 'expired-2']);
  });

  it('given a recurring job of an account, when an occurrence finishes, then the next one acts as the same account', async () => {
    const job = defineJob({ type: 'test.recurring_as_account', payload: z.object({}), handler: () => undefined });
    h = harness([job]);
    const ws = insertWorkspace(h.db.sqlite, 'Bakery');
    const accountId = insertAccount(h.db.sqlite, ws);
    h.scheduler.enqueue(job, {}, { accountId, recurrence: { rrule: 'FREQ=DAILY', startsAt: T0 + 1000, timezone: 'UTC' }, runAt: T0 + 1000 });
    await h.scheduler.start();
    await h.advance(2000);
    const rows = h.db.sqlite.prepare(`SELECT status, account_id FROM jobs ORDER BY run_at`).all() as { status: string; account_id: string | null }[];
    expect(rows).toEqual([
      { status: 'completed', account_id: accountId },
      { status: 'pending', account_id: accountId },
    ]);
  });
});
