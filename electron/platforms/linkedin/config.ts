// LinkedIn's fixed facts and the few settings a user or a test may change. LinkedIn serves sign-in
// (www.linkedin.com) and the API (api.linkedin.com) from different hosts, so both bases are settings.
import type { ConnectorOptions } from '../connector';

export const LINKEDIN_API_BASE = 'https://api.linkedin.com';
export const LINKEDIN_AUTH_BASE = 'https://www.linkedin.com';

/**
 * The Marketing API version every /rest call names. LinkedIn sunsets a version about a year after
 * release, so this is pinned here and overridable rather than derived from today's date.
 */
export const LINKEDIN_API_VERSION = '202605';

/** Sign In with LinkedIn (OpenID Connect) plus Share on LinkedIn: enough to post as the member. */
export const LINKEDIN_MEMBER_SCOPES = ['openid', 'profile', 'w_member_social'] as const;

/**
 * Community Management API: post, read comments and statistics as a Page the member administers.
 * LinkedIn grants these only to an app approved for that product, so they are opt-in.
 */
export const LINKEDIN_ORGANIZATION_SCOPES = ['r_organization_social', 'w_organization_social', 'rw_organization_admin'] as const;

export interface LinkedInClientCredentials {
  clientId: string;
  clientSecret?: string;
}

export interface LinkedInConnectorOptions extends ConnectorOptions {
  /** Where /oauth/v2/* lives; the API base is each account's `baseUrl`. */
  authBaseUrl?: string;
  /** `LinkedIn-Version` (YYYYMM). */
  apiVersion?: string;
  /** Scopes asked for at sign-in; asking for one the app lacks makes LinkedIn refuse the whole sign-in. */
  scopes?: readonly string[];
  /**
   * Send a PKCE challenge and verifier. LinkedIn documents PKCE only for native apps it enables by
   * hand; whether a standard app's endpoints ignore the extra fields is unverified, so this can be
   * turned off if LinkedIn refuses them.
   */
  pkce?: boolean;
  /** The user's app, for revoke (whose interface method receives no client). */
  client?: LinkedInClientCredentials;
  /** Per-upload timeout; images can be tens of megabytes. */
  uploadTimeoutMs?: number;
}

export interface ResolvedLinkedInConfig {
  authBaseUrl: string;
  apiVersion: string;
  scopes: readonly string[];
  pkce: boolean;
  client: LinkedInClientCredentials | null;
  uploadTimeoutMs: number;
  now: () => number;
}

export function resolveConfig(opts: LinkedInConnectorOptions): ResolvedLinkedInConfig {
  const apiVersion = opts.apiVersion ?? LINKEDIN_API_VERSION;
  if (!/^\d{6}(\.\d{2})?$/.test(apiVersion)) throw new RangeError(`LinkedIn-Version must look like YYYYMM, not "${apiVersion}".`);
  return {
    authBaseUrl: opts.authBaseUrl ?? LINKEDIN_AUTH_BASE,
    apiVersion,
    scopes: opts.scopes ?? LINKEDIN_MEMBER_SCOPES,
    pkce: opts.pkce ?? true,
    client: opts.client ?? null,
    uploadTimeoutMs: opts.uploadTimeoutMs ?? 5 * 60_000,
    now: opts.now ?? Date.now,
  };
}

/** Whether an author URN is a Page (organization) rather than a member. */
export function isOrganizationUrn(urn: string): boolean {
  return urn.startsWith('urn:li:organization:');
}

/** The public page of a post (share or ugcPost URN). */
export function postUrl(urn: string): string {
  return `https://www.linkedin.com/feed/update/${urn}/`;
}
