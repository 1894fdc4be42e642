// Work done as an account (publish, read the inbox, fetch metrics): load its tokens, call the
// connector, renew the token once if the platform refuses it, and if that fails too, mark the
// account for reconnecting so its other jobs wait instead of failing one by one.
import type { Platform } from '../../../db/schema/enums';
import type { ConnectorAccount, PlatformConnector } from '../../platforms/connector';
import { withFreshCredentials, isAuthFailure } from '../../platforms/session';
import { JobError } from '../../scheduler/definitions';
import { PlatformError, toJobError } from '../../platforms/errors';
import type { ApiContext } from '../context';
import { isSecretError } from '../secrets/errors';
import { getAccount, markNeedsReconnect, recordRefresh } from './accounts';
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

/** The user's own app id and secret for networks that need one at refresh (X, LinkedIn, Meta). */
export type ClientLookup = (platform: Platform) => { clientId: string; clientSecret?: string } | undefined;

export async function withAccount<T>(ctx: ApiContext, accountId: string, call: AccountCall<T>, client?: ClientLookup): Promise<T> {
  const view = getAccount(ctx.db, accountId);
  if (view.status !== 'active') {
    throw new AccountUnavailableError(accountId, view.status, `${view.username ?? view.platform} is ${view.status === 'disconnected' ? 'disconnected' : 'waiting to be reconnected'}.`);
  }
  const connector = ctx.platforms.connector(view.platform);
  const account: ConnectorAccount = {
    platformAccountId: view.platformAccountId,
    baseUrl: ctx.platforms.baseUrl(view.platform, view.serverUrl),
    credentials: loadCredentials(ctx.db, ctx.vault, accountId),
  };
  const appClient = client?.(view.platform);
  try {
    return await withFreshCredentials(
      connector,
      account,
      { ...(appClient ? { client: appClient } : {}), onRefreshed: (credentials) => recordRefresh(ctx, accountId, credentials) },
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
export async function withAccountJob<T>(ctx: ApiContext, accountId: string, call: AccountCall<T>, client?: ClientLookup): Promise<T> {
  try {
    return await withAccount(ctx, accountId, call, client);
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
