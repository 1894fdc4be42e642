// OAuth 2.0 authorization code with PKCE against X, with the user's own app (docs.x.com
// "OAuth 2.0 Authorization Code Flow with PKCE"). Public clients send their client_id in the
// form; confidential clients also authenticate with HTTP Basic. Refresh tokens are single-use:
// every refresh returns a new one that replaces the old, so it is always handed back.
import type { AccountCredentials, AuthCallback, AuthResult, AuthStart, ConnectorAccount } from '../connector';
import { expiresAtFrom, joinUrl } from '../connector';
import { PlatformError } from '../errors';
import { bearer } from '../http';
import { codeChallengeS256 } from '../pkce';
import { DEFAULT_API_BASE, DEFAULT_AUTHORIZE_BASE, type XContext } from './context';
import { revokeResponse, tokenResponse, usersMe } from './schemas';

export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write', 'dm.read', 'dm.write'] as const;

export interface XClient {
  clientId: string;
  clientSecret?: string;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function authorizeBase(ctx: XContext, apiBase: string): string {
  if (ctx.authorizeBaseUrl) return ctx.authorizeBaseUrl;
  // A stand-in server (tests, a proxy) serves the consent page from the same host as the API.
  return sameOrigin(apiBase, DEFAULT_API_BASE) ? DEFAULT_AUTHORIZE_BASE : apiBase;
}

export function beginAuth(ctx: XContext, opts: { baseUrl: string; clientId: string; redirectUri: string; state: string; codeVerifier: string }): AuthStart {
  const url = new URL(joinUrl(authorizeBase(ctx, opts.baseUrl), '/i/oauth2/authorize'));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', opts.clientId);
  url.searchParams.set('redirect_uri', opts.redirectUri);
  url.searchParams.set('scope', X_SCOPES.join(' '));
  url.searchParams.set('state', opts.state);
  url.searchParams.set('code_challenge', codeChallengeS256(opts.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { url: url.toString(), state: opts.state, codeVerifier: opts.codeVerifier, redirectUri: opts.redirectUri };
}

function requireClient(client: XClient | undefined, doing: string): XClient {
  if (!client || client.clientId.trim() === '') {
    throw new PlatformError({
      platform: 'x',
      category: 'auth',
      message: `X needs your app's OAuth 2.0 client id to ${doing}. Add it under Settings → Accounts → X (developer.x.com → your app → Keys and tokens), then reconnect.`,
      effect: 'none',
    });
  }
  return client;
}

function basicAuth(client: XClient): Record<string, string> {
  if (client.clientSecret === undefined || client.clientSecret === '') return {};
  // RFC 6749 §2.3.1: each part form-encoded before base64.
  const pair = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
  return { authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
}

/**
 * X answers a spent, revoked or unknown code or refresh token with 400 `invalid_request` ("Value
 * passed for the token was invalid."), which the shared mapping reads as a validation error. At the
 * token endpoint any refusal means the sign-in is no longer usable, so it becomes `auth`.
 */
function tokenRefusal(err: unknown, doing: 'connect' | 'refresh'): unknown {
  if (!(err instanceof PlatformError) || (err.status !== 400 && err.status !== 401)) return err;
  const message =
    doing === 'refresh'
      ? 'X refused to renew access: the sign-in was revoked, expired or already used. Reconnect the X account.'
      : 'X refused the sign-in code (it may have expired or been used already). Start connecting the X account again.';
  return new PlatformError({ platform: 'x', category: 'auth', status: err.status, code: err.code, message: `${message} (${err.message})`, effect: 'none', cause: err });
}

async function tokenRequest(ctx: XContext, baseUrl: string, client: XClient, form: Record<string, string>, doing: 'connect' | 'refresh', previous: string | null): Promise<AccountCredentials> {
  try {
    const { data } = await ctx.http.json(
      {
        method: 'POST',
        url: joinUrl(baseUrl, '/2/oauth2/token'),
        headers: basicAuth(client),
        form: { ...form, client_id: client.clientId },
        // A repeated refresh with a spent token is refused, never doubled: safe to call again.
        idempotent: true,
      },
      tokenResponse,
    );
    return {
      accessToken: data.access_token,
      // X rotates refresh tokens; if one ever comes back without a new one, the old one still stands.
      refreshToken: data.refresh_token ?? previous,
      expiresAt: expiresAtFrom(data.expires_in, ctx.now()),
      scopes: data.scope ? data.scope.split(/\s+/).filter(Boolean) : [...X_SCOPES],
    };
  } catch (err) {
    throw tokenRefusal(err, doing);
  }
}

export async function completeAuth(ctx: XContext, input: { baseUrl: string; clientId?: string; clientSecret?: string; callback: AuthCallback }): Promise<AuthResult> {
  const client = requireClient(
    input.clientId === undefined ? undefined : { clientId: input.clientId, ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}) },
    'connect',
  );
  const { callback } = input;
  const credentials = await tokenRequest(
    ctx,
    input.baseUrl,
    client,
    { grant_type: 'authorization_code', code: callback.code, redirect_uri: callback.redirectUri, code_verifier: callback.codeVerifier },
    'connect',
    null,
  );
  const { data } = await ctx.http.json(
    { method: 'GET', url: joinUrl(input.baseUrl, '/2/users/me'), headers: bearer(credentials.accessToken), query: { 'user.fields': 'profile_image_url' } },
    usersMe,
  );
  return {
    profile: {
      platformAccountId: data.data.id,
      username: data.data.username,
      displayName: data.data.name,
      profileUrl: `https://x.com/${data.data.username}`,
      avatarUrl: data.data.profile_image_url ?? null,
      serverUrl: null,
    },
    credentials,
  };
}

export async function refresh(ctx: XContext, account: ConnectorAccount, client: XClient | undefined): Promise<AccountCredentials> {
  const app = requireClient(client ?? ctx.client, 'renew access');
  const refreshToken = account.credentials.refreshToken;
  if (refreshToken === null) {
    throw new PlatformError({ platform: 'x', category: 'auth', message: 'X gave no refresh token for this account (offline access was not granted). Reconnect the X account.', effect: 'none' });
  }
  return tokenRequest(ctx, account.baseUrl, app, { grant_type: 'refresh_token', refresh_token: refreshToken }, 'refresh', refreshToken);
}

/** Revokes the refresh token (the long-lived one) and then the access token. */
export async function revoke(ctx: XContext, account: ConnectorAccount, client: XClient | undefined): Promise<void> {
  const app = requireClient(client ?? ctx.client, 'disconnect');
  const tokens: [string, string][] = [];
  if (account.credentials.refreshToken !== null) tokens.push([account.credentials.refreshToken, 'refresh_token']);
  tokens.push([account.credentials.accessToken, 'access_token']);
  for (const [token, hint] of tokens) {
    const { data } = await ctx.http.json(
      {
        method: 'POST',
        url: joinUrl(account.baseUrl, '/2/oauth2/revoke'),
        headers: basicAuth(app),
        form: { token, token_type_hint: hint, client_id: app.clientId },
        idempotent: true,
      },
      revokeResponse,
    );
    if (!data.revoked) {
      throw new PlatformError({ platform: 'x', category: 'transient', message: 'X did not confirm that access was revoked; Postdesk will try again.', effect: 'none' });
    }
  }
}
