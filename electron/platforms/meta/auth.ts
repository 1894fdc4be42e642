// Facebook Login for both Meta connectors: the authorize URL (PKCE, loopback redirect), the code
// exchange, the long-lived user token, and the Pages that user manages with their Page tokens.
//
// Credentials a Meta account keeps: `accessToken` is the Page access token (Instagram accounts
// reached through Facebook Login act with their linked Page's token too), `refreshToken` is the
// user's long-lived token. Page tokens have no refresh grant; they are re-read from /me/accounts
// with the user token, which is first re-exchanged for a fresh long-lived one when the app secret
// is at hand. Sources: docs/PLATFORMS.md "Facebook Pages".
import type { z } from 'zod';
import { codeChallengeS256 } from '../pkce';
import { expiresAtFrom, type AccountCredentials, type AuthStart } from '../connector';
import { type GraphClient, refuse } from './graph';
import { dialogUrl } from './options';
import { nextPageQuery, type PagingQuery } from './paging';
import { managedPagesSchema, successSchema, tokenSchema } from './schemas';

export type ManagedPage = z.output<typeof managedPagesSchema>['data'][number];

export function buildAuthorizeUrl(opts: { baseUrl: string; clientId: string; redirectUri: string; state: string; codeVerifier: string; scopes: readonly string[] }): AuthStart {
  const url = new URL(dialogUrl(opts.baseUrl));
  url.searchParams.set('client_id', opts.clientId);
  url.searchParams.set('redirect_uri', opts.redirectUri);
  url.searchParams.set('state', opts.state);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', opts.scopes.join(','));
  // Meta documents PKCE for manually built login flows (OIDC code flow, "still in testing"); it is
  // sent regardless, and the app secret still goes to the token endpoint where the user gave one.
  url.searchParams.set('code_challenge', codeChallengeS256(opts.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { url: url.toString(), state: opts.state, codeVerifier: opts.codeVerifier, redirectUri: opts.redirectUri };
}

export interface UserToken {
  token: string;
  expiresAt: number | null;
}

export async function exchangeCode(
  graph: GraphClient,
  baseUrl: string,
  input: { clientId: string; clientSecret?: string; code: string; codeVerifier: string; redirectUri: string },
): Promise<UserToken> {
  const data = await graph.call(
    baseUrl,
    {
      method: 'GET',
      path: 'oauth/access_token',
      token: null,
      query: {
        client_id: input.clientId,
        redirect_uri: input.redirectUri,
        code: input.code,
        code_verifier: input.codeVerifier,
        client_secret: input.clientSecret,
      },
      secrets: [input.code, input.codeVerifier, ...(input.clientSecret ? [input.clientSecret] : [])],
    },
    tokenSchema,
  );
  return { token: data.access_token, expiresAt: expiresAtFrom(data.expires_in, graph.now()) };
}

/** GET oauth/access_token?grant_type=fb_exchange_token: a user token good for about 60 days. */
export async function exchangeLongLived(graph: GraphClient, baseUrl: string, input: { clientId: string; clientSecret: string; userToken: string }): Promise<UserToken> {
  const data = await graph.call(
    baseUrl,
    {
      method: 'GET',
      path: 'oauth/access_token',
      token: null,
      query: { grant_type: 'fb_exchange_token', client_id: input.clientId, client_secret: input.clientSecret, fb_exchange_token: input.userToken },
      secrets: [input.clientSecret, input.userToken],
    },
    tokenSchema,
  );
  return { token: data.access_token, expiresAt: expiresAtFrom(data.expires_in, graph.now()) };
}

const PAGE_FIELDS = 'id,name,username,access_token,tasks,picture{url},instagram_business_account{id,username,name,profile_picture_url}';
/** /me/accounts is paged; a person managing more Pages than this is out of scope for a solo app. */
const MAX_ACCOUNT_PAGES = 20;

/** Every Page the user manages, following Graph's paging. */
export async function fetchManagedPages(graph: GraphClient, baseUrl: string, userToken: string, signal?: AbortSignal): Promise<ManagedPage[]> {
  const pages: ManagedPage[] = [];
  let page: PagingQuery | null = {};
  for (let i = 0; page !== null && i < MAX_ACCOUNT_PAGES; i++) {
    const data: z.output<typeof managedPagesSchema> = await graph.call(
      baseUrl,
      { method: 'GET', path: 'me/accounts', token: userToken, query: { ...page, fields: PAGE_FIELDS, limit: 100 }, ...(signal ? { signal } : {}) },
      managedPagesSchema,
    );
    pages.push(...data.data);
    page = nextPageQuery(data.paging);
  }
  return pages;
}

/**
 * New credentials for the account whose Page (or linked Instagram account) `matches`: extend the
 * user token when the app secret is known, then read the Page token again. A Page token read with a
 * long-lived user token does not expire, so `expiresAt` is null then; otherwise it lives as long as
 * the user token it came from.
 */
export async function refreshPageCredentials(
  graph: GraphClient,
  baseUrl: string,
  current: AccountCredentials,
  client: { clientId: string; clientSecret?: string } | undefined,
  matches: (page: ManagedPage) => boolean,
): Promise<AccountCredentials> {
  const held = current.refreshToken;
  if (held === null) throw refuse(graph.platform, 'auth', 'Meta has no way to renew this connection without signing in again. Reconnect the account.');
  let user: UserToken = { token: held, expiresAt: null };
  let longLived = false;
  if (client?.clientSecret) {
    user = await exchangeLongLived(graph, baseUrl, { clientId: client.clientId, clientSecret: client.clientSecret, userToken: held });
    longLived = true;
  }
  const pages = await fetchManagedPages(graph, baseUrl, user.token);
  const page = pages.find(matches);
  if (!page) {
    throw refuse(graph.platform, 'auth', 'This Facebook login no longer manages the connected Page (or its Instagram account). Reconnect and grant access to it.');
  }
  return { accessToken: page.access_token, refreshToken: user.token, expiresAt: longLived ? null : user.expiresAt, scopes: current.scopes };
}

/** DELETE /me/permissions: removes the app's access for this user (Meta's revoke). */
export async function revokeLogin(graph: GraphClient, baseUrl: string, userToken: string): Promise<void> {
  const data = await graph.call(baseUrl, { method: 'DELETE', path: 'me/permissions', token: userToken }, successSchema);
  if (!data.success) throw refuse(graph.platform, 'transient', 'Meta did not confirm that access was removed; try disconnecting again.');
}
