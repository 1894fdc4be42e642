// LinkedIn's 3-legged OAuth with the user's own app. LinkedIn wants the client secret at the token
// endpoint even from a desktop app (PKCE-only exchange is a native-app programme it enables by
// hand), so the secret is always sent and the PKCE pair is added on top where configured.
import { z } from 'zod';
import type { AccountCredentials, AuthCallback, AuthResult, AuthStart, ConnectorAccount } from '../connector';
import { expiresAtFrom, joinUrl } from '../connector';
import { PlatformError } from '../errors';
import { bearer } from '../http';
import { codeChallengeS256 } from '../pkce';
import { type LinkedInApi, linkedInError, recategorize } from './api';
import type { LinkedInClientCredentials } from './config';
import { tokenResponse, userInfo } from './schemas';

export function buildAuthorizeUrl(api: LinkedInApi, input: { clientId: string; redirectUri: string; state: string; codeVerifier: string }): AuthStart {
  const url = new URL(joinUrl(api.config.authBaseUrl, '/oauth/v2/authorization'));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('state', input.state);
  url.searchParams.set('scope', api.config.scopes.join(' '));
  if (api.config.pkce) {
    url.searchParams.set('code_challenge', codeChallengeS256(input.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return { url: url.toString(), state: input.state, codeVerifier: input.codeVerifier, redirectUri: input.redirectUri };
}

function requireClient(client: Partial<LinkedInClientCredentials> | undefined | null): { clientId: string; clientSecret: string } {
  if (!client?.clientId || !client.clientSecret) {
    throw linkedInError(
      'validation',
      "LinkedIn needs your app's Client ID and Client Secret (LinkedIn Developer Portal › your app › Auth). Add both in Settings, then connect again.",
    );
  }
  return { clientId: client.clientId, clientSecret: client.clientSecret };
}

/**
 * The token endpoint answers a bad code, verifier or refresh token with 400 `{error, error_description}`
 * (invalid_request / invalid_grant) and a bad secret with 401 invalid_client: all of them mean the
 * user has to sign in again, which is what 'auth' tells the core.
 */
async function tokenCall(api: LinkedInApi, form: Record<string, string>, refusal: string): Promise<z.output<typeof tokenResponse>> {
  try {
    return await api.plain({ method: 'POST', url: joinUrl(api.config.authBaseUrl, '/oauth/v2/accessToken'), form }, tokenResponse);
  } catch (err) {
    if (err instanceof PlatformError && (err.status === 400 || err.status === 401)) throw recategorize(err, 'auth', refusal);
    throw err;
  }
}

function scopesOf(scope: string | undefined, fallback: readonly string[]): readonly string[] {
  // LinkedIn lists granted scopes comma-separated ("openid,profile,w_member_social").
  if (scope === undefined) return fallback;
  return scope.split(/[\s,]+/).filter((s) => s !== '');
}

export async function exchangeCode(
  api: LinkedInApi,
  input: { baseUrl: string; clientId?: string; clientSecret?: string; callback: AuthCallback },
): Promise<AuthResult> {
  const client = requireClient(input);
  const { callback } = input;
  const form: Record<string, string> = {
    grant_type: 'authorization_code',
    code: callback.code,
    redirect_uri: callback.redirectUri,
    client_id: client.clientId,
    client_secret: client.clientSecret,
  };
  if (api.config.pkce) form['code_verifier'] = callback.codeVerifier;
  const token = await tokenCall(api, form, 'LinkedIn refused the sign-in (the code expired, was already used, or the app settings do not match). Connect again.');
  const now = api.now();
  const credentials: AccountCredentials = {
    accessToken: token.access_token,
    refreshToken: token.refresh_token ?? null,
    expiresAt: expiresAtFrom(token.expires_in, now),
    scopes: scopesOf(token.scope, api.config.scopes),
  };
  const me = await api.plain({ method: 'GET', url: joinUrl(input.baseUrl, '/v2/userinfo'), headers: bearer(credentials.accessToken) }, userInfo);
  return {
    profile: {
      platformAccountId: `urn:li:person:${me.sub}`,
      // OpenID userinfo carries no vanity name, so there is no handle or public profile URL to show.
      username: null,
      displayName: me.name ?? null,
      profileUrl: null,
      avatarUrl: me.picture ?? null,
      serverUrl: null,
    },
    credentials,
  };
}

export async function refreshCredentials(api: LinkedInApi, account: ConnectorAccount, client: LinkedInClientCredentials | undefined): Promise<AccountCredentials> {
  const refreshToken = account.credentials.refreshToken;
  if (refreshToken === null) {
    // Programmatic refresh is for approved partners only; other apps get a 60-day token and no way to extend it.
    throw linkedInError('auth', 'LinkedIn does not let this app renew its sign-in, and the current one has run out. Reconnect the account.');
  }
  const app = client ?? api.config.client ?? undefined;
  let creds: { clientId: string; clientSecret: string };
  try {
    creds = requireClient(app);
  } catch (err) {
    throw err instanceof PlatformError ? recategorize(err, 'auth', err.message) : err;
  }
  const token = await tokenCall(
    api,
    { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: creds.clientId, client_secret: creds.clientSecret },
    'LinkedIn no longer accepts this account\'s sign-in (it expired or was revoked). Reconnect the account.',
  );
  return {
    accessToken: token.access_token,
    // LinkedIn keeps the refresh token (its 365-day life is not extended); keep ours if it omits it.
    refreshToken: token.refresh_token ?? refreshToken,
    expiresAt: expiresAtFrom(token.expires_in, api.now()),
    scopes: scopesOf(token.scope, account.credentials.scopes),
  };
}

export async function revokeToken(api: LinkedInApi, account: ConnectorAccount, client: LinkedInClientCredentials | undefined): Promise<void> {
  const creds = requireClient(client ?? api.config.client ?? undefined);
  // 200 with an empty body; nothing to read.
  await api.plain(
    {
      method: 'POST',
      url: joinUrl(api.config.authBaseUrl, '/oauth/v2/revoke'),
      form: { client_id: creds.clientId, client_secret: creds.clientSecret, token: account.credentials.accessToken },
      idempotent: true,
    },
    z.unknown(),
  );
}
