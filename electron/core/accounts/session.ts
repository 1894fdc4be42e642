// Work done as an account (publish, read the inbox, fetch metrics): load its tokens, call the
// connector, renew the token once if the platform refuses it, and if that fails too, mark the
// account for reconnecting so its other jobs wait instead of failing one by one.
import { eq } from 'drizzle-orm';
import { accounts } from '../../../db/schema/accounts';
import type { ConnectorAccount, PlatformConnector } from '../../platforms/connector';
import { PlatformError, toJobError } from '../../platforms/errors';
import { withFreshCredentials, isAuthFailure } from '../../platforms/session';
import { JobError } from '../../scheduler/definitions';
import type { ApiContext } from '../context';
import { isSecretError } from '../secrets/errors';
import { AccountNotFoundError, markNeedsReconnect, recordRefresh } from './accounts';
import { getPlatformAppClient } from './platform-apps';
import { loadCredentials } from './credentials';

export class AccountUnavailableError extends Error {
  constructor(
    readonly accountId: string,
    readonly status: string,
    message: string,
  ) {
    super(message);
    this.name = 'AccountUnavailableError';
  }
}

export interface AccountCall<T> {
  (connector: PlatformConnector, account: ConnectorAccount): Promise<T>;
}

export async function withAccount<T>(ctx: ApiContext, accountId: string, call: AccountCall<T>): Promise<T> {
  // Only the columns a call needs: this runs for every publish, so no full AccountView here.
  const row = ctx.db.orm
    .select({ platform: accounts.platform, platformAccountId: accounts.platformAccountId, serverUrl: accounts.serverUrl, status: accounts.status, username: accounts.username })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  if (!row) throw new AccountNotFoundError(accountId);
  if (row.status !== 'active') {
    throw new AccountUnavailableError(accountId, row.status, `${row.username ?? row.platform} is ${row.status === 'disconnected' ? 'disconnected' : 'waiting to be reconnected'}.`);
  }
  const connector = ctx.platforms.connector(row.platform);
  const account: ConnectorAccount = {
    platformAccountId: row.platformAccountId,
    baseUrl: ctx.platforms.baseUrl(row.platform, row.serverUrl),
    credentials: loadCredentials(ctx.db, ctx.vault, accountId),
  };
  try {
    return await withFreshCredentials(
      connector,
      account,
      {
        // The user's own app (X, LinkedIn, Meta), which some networks want when renewing a token.
        client: () => getPlatformAppClient(ctx.db, ctx.vault, row.platform),
        onRefreshed: (credentials) => recordRefresh(ctx, accountId, credentials),
      },
      (a) => call(connector, a),
    );
  } catch (err) {
    if (isAuthFailure(err)) markNeedsReconnect(ctx, accountId, err);
    throw err;
  }
}

/**
 * For job handlers: the same, with failures in the scheduler's terms. An account that needs
 * reconnecting parks the job (hold) rather than spending its attempts.
 */
export async function withAccountJob<T>(ctx: ApiContext, accountId: string, call: AccountCall<T>): Promise<T> {
  try {
    return await withAccount(ctx, accountId, call);
  } catch (err) {
    if (err instanceof AccountUnavailableError) throw new JobError(err.message, { hold: 'account', effect: 'none', cause: err });
    // Locked behind the passphrase: wait for the user to unlock rather than fail attempt by attempt.
    if (isSecretError(err, 'secrets_locked')) throw new JobError(err.message, { hold: 'account', effect: 'none', cause: err });
    if (err instanceof PlatformError) {
      if (err.category === 'auth') throw new JobError(err.message, { hold: 'account', effect: err.effect, cause: err });
      throw toJobError(err);
    }
    throw err;
  }
}
