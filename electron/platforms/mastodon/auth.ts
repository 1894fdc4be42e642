// Signing in to a Mastodon instance: register Postdesk as an app on it (POST /api/v1/apps, once
// per instance), then OAuth 2 authorization code with PKCE S256 (Mastodon 4.3+, PR #31129) through
// a loopback redirect. Doorkeeper ignores the port of a loopback redirect URI (RFC 8252 §7.3,
// doorkeeper#1170), so one registration serves every ephemeral port.
import type { AccountCredentials, AuthCallback, AuthResult, AuthStart, ConnectorAccount, ConnectorOptions } from '../connector';
import { expiresAtFrom, joinUrl } from '../connector';
import { PlatformError } from '../errors';
import { HttpClient } from '../http';
import { codeChallengeS256 } from '../pkce';
import { api, authHeaders, refuse, type AppClient, type MastodonContext } from './context';
import { accountSchema, applicationSchema, tokenSchema } from './schemas';

/**
 * Granular scopes (Mastodon 3.x+): read the profile, statuses (also conversations) and
 * notifications; write statuses and media. Nothing that follows, blocks or changes the account.
 */
export const MASTODON_SCOPES = ['read:accounts', 'read:statuses', 'read:notifications', 'write:statuses', 'write:media'] as const;

const APP_NAME = 'Postdesk';
const APP_WEBSITE = 'https://postdesk.app';

/** Register Postdesk on an instance; the core keeps the result per instance in settings. */
export async function registerApp(baseUrl: string, redirectUri: string, opts: ConnectorOptions = {}): Promise<AppClient> {
  const http = new HttpClient({ platform: 'mastodon', ...(opts.fetch ? { fetch: opts.fetch } : {}), ...(opts.now ? { now: opts.now } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
  const { data } = await http.json(
    {
      method: 'POST',
      url: joinUrl(baseUrl, '/api/v1/apps'),
      form: { client_name: APP_NAME, redirect_uris: redirectUri, scopes: MASTODON_SCOPES.join(' '), website: APP_WEBSITE },
    },
    applicationSchema,
  );
  return { clientId: data.client_id, clientSecret: data.client_secret };
}

export function beginAuth(opts: { baseUrl: string; clientId: string; redirectUri: string; state: string; codeVerifier: string }): AuthStart {
  const url = new URL(joinUrl(opts.baseUrl, '/oauth/authorize'));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', opts.clientId);
  url.searchParams.set('redirect_uri', opts.redirectUri);
  url.searchParams.set('scope', MASTODON_SCOPES.join(' '));
  url.searchParams.set('state', opts.state);
  url.searchParams.set('code_challenge', codeChallengeS256(opts.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  // Without it an instance already signed in as someone else would silently pick that account.
  url.searchParams.set('force_login', 'true');
  return { url: url.toString(), state: opts.state, codeVerifier: opts.codeVerifier, redirectUri: opts.redirectUri };
}

function credentialsFrom(token: { access_token: string; scope?: string | undefined; refresh_token?: string | null | undefined; expires_in?: number | null | undefined }, now: number, previousRefresh: string | null = null): AccountCredentials {
  return {
    accessToken: token.access_token,
    // Doorkeeper may rotate the refresh token; without a new one the old one stays valid.
    refreshToken: token.refresh_token ?? previousRefresh,
    expiresAt: expiresAtFrom(token.expires_in, now),
    scopes: (token.scope ?? MASTODON_SCOPES.join(' ')).split(/\s+/).filter((s) => s !== ''),
  };
}

/**
 * The token endpoint answers a bad, used or revoked code or refresh token with 400 invalid_grant
 * and a bad client with 401 invalid_client; either way only signing in again helps.
 */
function asAuthFailure(err: unknown, what: string): unknown {
  if (!(err instanceof PlatformError) || err.status === null || err.status >= 500 || err.status === 429) return err;
  if (err.status !== 400 && err.status !== 401 && err.status !== 403) return err;
  return new PlatformError({
    platform: 'mastodon',
    category: 'auth',
    status: err.status,
    code: err.code,
    message: `Mastodon refused ${what} (HTTP ${err.status}). Reconnect the account.`,
    effect: 'none',
    cause: err,
  });
}

export async function completeAuth(ctx: MastodonContext, input: { baseUrl: string; clientId?: string; clientSecret?: string; callback: AuthCallback }): Promise<AuthResult> {
  if (!input.clientId || !input.clientSecret) {
    throw refuse('permanent', 'Mastodon needs the app registered on this instance (client id and secret) before signing in.');
  }
  const { callback } = input;
  let token;
  try {
    ({ data: token } = await ctx.http.json(
      {
        method: 'POST',
        url: joinUrl(input.baseUrl, '/oauth/token'),
        form: {
          grant_type: 'authorization_code',
          code: callback.code,
          client_id: input.clientId,
          client_secret: input.clientSecret,
          redirect_uri: callback.redirectUri,
          code_verifier: callback.codeVerifier,
          scope: MASTODON_SCOPES.join(' '),
        },
      },
      tokenSchema,
    ));
  } catch (err) {
    throw asAuthFailure(err, 'the sign-in code');
  }
  const credentials = credentialsFrom(token, ctx.now());
  const account: ConnectorAccount = { platformAccountId: '', baseUrl: input.baseUrl, credentials };
  const { data: me } = await ctx.http.json({ method: 'GET', url: api(account, '/api/v1/accounts/verify_credentials'), headers: authHeaders(account) }, accountSchema);
  // Read the instance's limits now, while we know it answers, so the first publish has them.
  await ctx.limits.get(input.baseUrl);
  return {
    profile: {
      platformAccountId: me.id,
      username: me.acct,
      displayName: me.display_name === '' ? null : me.display_name,
      profileUrl: me.url ?? null,
      avatarUrl: me.avatar ?? null,
      serverUrl: input.baseUrl.replace(/\/+$/, ''),
    },
    credentials,
  };
}

export async function refresh(ctx: MastodonContext, account: ConnectorAccount, client?: { clientId: string; clientSecret?: string }): Promise<AccountCredentials> {
  const refreshToken = account.credentials.refreshToken;
  // Mastodon's tokens don't expire unless the instance enables refresh tokens; without one the
  // token was revoked or the app removed, and only the user can sign in again.
  if (refreshToken === null) throw refuse('auth', 'This Mastodon sign-in can no longer be used. Reconnect the account.');
  const app = client ?? (await ctx.appClient(account.baseUrl));
  if (!app) throw refuse('auth', 'Postdesk no longer has its app registration for this Mastodon instance. Reconnect the account.');
  try {
    const { data } = await ctx.http.json(
      {
        method: 'POST',
        url: api(account, '/oauth/token'),
        form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: app.clientId, ...(app.clientSecret ? { client_secret: app.clientSecret } : {}) },
      },
      tokenSchema,
    );
    return credentialsFrom(data, ctx.now(), refreshToken);
  } catch (err) {
    throw asAuthFailure(err, 'to renew the sign-in');
  }
}

export async function revoke(ctx: MastodonContext, account: ConnectorAccount, client?: { clientId: string; clientSecret?: string }): Promise<void> {
  // Mastodon's apps are confidential: revoking needs the secret as well as the id.
  const app = client?.clientSecret ? { clientId: client.clientId, clientSecret: client.clientSecret } : await ctx.appClient(account.baseUrl);
  if (!app) throw refuse('permanent', 'Revoking a Mastodon token needs the app registration for this instance, which Postdesk no longer has.');
  // RFC 7009: the answer is 200 even for a token that is already invalid.
  await ctx.http.send({
    method: 'POST',
    url: api(account, '/oauth/revoke'),
    form: { client_id: app.clientId, client_secret: app.clientSecret, token: account.credentials.accessToken },
    idempotent: true,
  });
}
