// Tokens are renewed before they run out: a sweep every 10 minutes queues one refresh per account
// whose token ends within the lead time, so a post due at 9:00 never meets a token that died at
// 8:59. A refresh the platform refuses marks the account for reconnecting (and parks its jobs).
import { and, eq, isNotNull, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accounts } from '../../../db/schema/accounts';
import type { CronSpec } from '../../scheduler/cron';
import { defineJob, JobError } from '../../scheduler/definitions';
import { schedulerFor } from '../../scheduler/scheduler';
import { PlatformError, toJobError } from '../../platforms/errors';
import type { AccountCredentials } from '../../platforms/connector';
import type { ApiContext, CoreApp } from '../context';
import { markNeedsReconnect, recordRefresh } from './accounts';
import { loadCredentials } from './credentials';
import { getPlatformAppClient } from './platform-apps';

/** Renew this long before expiry: X's 2 h tokens get refreshed with a comfortable margin. */
export const REFRESH_LEAD_MS = 30 * 60_000;
export const PERIODIC_REFRESH_MS = 30 * 86_400_000;

export const refreshAccountToken = defineJob<{ accountId: string }, { refreshed: boolean; expiresAt: number | null; reason?: string }, CoreApp>({
  type: 'accounts.refresh_token',
  payload: z.object({ accountId: z.string() }),
  maxAttempts: 5,
  missedRunPolicy: 'run_now',
  timeoutMs: 60_000,
  handler: async ({ app, payload, now }) => {
    const { ctx } = app;
    const row = ctx.db.orm.select().from(accounts).where(eq(accounts.id, payload.accountId)).get();
    if (!row || row.status !== 'active') return { refreshed: false, expiresAt: null, reason: 'The account is not connected.' };
    if (ctx.vault.status().state === 'locked') {
      throw new JobError('Saved sign-ins are locked until the passphrase is entered.', { hold: 'account', effect: 'none' });
    }
    const credentials = loadCredentials(ctx.db, ctx.vault, row.id);
    if (credentials.refreshToken === null) {
      // Nothing to renew with: once the token has ended, the user has to sign in again.
      if (row.tokenExpiresAt !== null && row.tokenExpiresAt <= now()) {
        markNeedsReconnect(ctx, row.id, new Error(`The ${row.platform} sign-in ended and ${row.platform} offers no way to renew it without you.`), now());
      }
      return { refreshed: false, expiresAt: row.tokenExpiresAt, reason: 'The platform gave no refresh token.' };
    }
    try {
      const next = await renewSignIn(ctx, row, credentials, now());
      return { refreshed: true, expiresAt: next.expiresAt };
    } catch (err) {
      if (err instanceof PlatformError && err.category === 'auth') throw new JobError(err.message, { retryable: false, effect: 'none', cause: err });
      if (err instanceof PlatformError) throw toJobError(err);
      throw err;
    }
  },
});

/**
 * Renew one sign-in with the network and keep the new tokens; a refusal marks the account for
 * reconnecting. Shared by the renewal job and the Accounts page's "Check now".
 */
export async function renewSignIn(ctx: ApiContext, row: typeof accounts.$inferSelect, credentials: AccountCredentials, now = Date.now()): Promise<AccountCredentials> {
  const connector = ctx.platforms.connector(row.platform);
  const client = getPlatformAppClient(ctx.db, ctx.vault, row.platform);
  try {
    const next = await connector.refresh({ platformAccountId: row.platformAccountId, baseUrl: ctx.platforms.baseUrl(row.platform, row.serverUrl), credentials }, client);
    recordRefresh(ctx, row.id, next, now);
    return next;
  } catch (err) {
    if (err instanceof PlatformError && err.category === 'auth') markNeedsReconnect(ctx, row.id, err, now);
    throw err;
  }
}

export const sweepExpiringTokens = defineJob<Record<string, never>, { queued: number }, CoreApp>({
  type: 'accounts.refresh_sweep',
  payload: z.object({}).strict() as z.ZodType<Record<string, never>>,
  maxAttempts: 3,
  missedRunPolicy: 'run_now',
  handler: ({ app, now }) => {
    const db = app.ctx.db;
    const due = db.orm
      .select({ id: accounts.id, workspaceId: accounts.workspaceId, expiresAt: accounts.tokenExpiresAt, lastRefreshedAt: accounts.lastRefreshedAt })
      .from(accounts)
      .where(
        and(
          eq(accounts.status, 'active'),
          or(
            and(isNotNull(accounts.tokenExpiresAt), lte(accounts.tokenExpiresAt, now() + REFRESH_LEAD_MS)),
            // Tokens with no end of their own can still rest on one that ends (Meta's Page token on
            // a ~60-day user token): renewing monthly keeps that one alive.
            and(sql`json_extract(${accounts.metadata}, '$.renewable') = 1`, lte(accounts.lastRefreshedAt, now() - PERIODIC_REFRESH_MS)),
          ),
        ),
      )
      .all();
    const scheduler = schedulerFor(db);
    if (!scheduler) return { queued: 0 };
    let queued = 0;
    for (const a of due) {
      // One refresh per token: the key changes once the token (and its expiry) is renewed.
      const r = scheduler.enqueueType(refreshAccountToken.type, { accountId: a.id }, {
        uniqueKey: `accounts.refresh:${a.id}:${a.expiresAt ?? `renewed@${a.lastRefreshedAt}`}`,
        workspaceId: a.workspaceId,
        accountId: a.id,
        priority: 5,
      });
      if (r.created) queued++;
    }
    return { queued };
  },
});

export const accountJobs = [refreshAccountToken, sweepExpiringTokens] as const;

export function accountCrons(): CronSpec[] {
  return [{ name: 'Renew sign-ins before they expire', jobType: sweepExpiringTokens.type, cronExpression: '*/10 * * * *', timezone: 'UTC', workspaceId: null, missedRunPolicy: 'run_once' }];
}
