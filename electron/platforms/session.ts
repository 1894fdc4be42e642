// Calls made as an account: when the platform says the access token is no longer good, refresh it
// once and repeat the call once. A second refusal, or a refresh the platform refuses, is the
// user's to fix (reconnect), so it is thrown for the caller to mark the account expired.
import type { AccountCredentials, ConnectorAccount, PlatformConnector } from './connector';
import { PlatformError } from './errors';

type AppClient = { clientId: string; clientSecret?: string };

export interface SessionHooks {
  /**
   * The user's app client id and secret, for platforms whose refresh needs them. A function is
   * asked only when a refresh actually happens (opening a sealed secret on every call is waste).
   */
  client?: AppClient | (() => AppClient | undefined);
  /** Persist new credentials before the repeated call, so a crash right after keeps them. */
  onRefreshed(credentials: AccountCredentials): void | Promise<void>;
}

/** Why a call needs the user to reconnect: the token expired and could not be renewed, or was revoked. */
export function isAuthFailure(err: unknown): err is PlatformError {
  return err instanceof PlatformError && err.category === 'auth';
}

export async function withFreshCredentials<T>(
  connector: PlatformConnector,
  account: ConnectorAccount,
  hooks: SessionHooks,
  call: (account: ConnectorAccount) => Promise<T>,
): Promise<T> {
  try {
    return await call(account);
  } catch (err) {
    // Only a refused token is worth a refresh; an auth error on a request that never reached the
    // platform cannot happen (those are 'transient'), so effect is 'none' and repeating is safe.
    if (!isAuthFailure(err) || err.effect !== 'none' || account.credentials.refreshToken === null) throw err;
  }
  const client = typeof hooks.client === 'function' ? hooks.client() : hooks.client;
  const credentials = await connector.refresh(account, client);
  await hooks.onRefreshed(credentials);
  return call({ ...account, credentials });
}
