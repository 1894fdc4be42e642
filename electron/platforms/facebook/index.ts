// Facebook Pages connector. A login may manage several Pages: `completeAuth` connects the first,
// and `listPages` lists every one (each ready to connect) so the core can offer a choice.
import type { AccountCredentials, AuthResult } from '../connector';
import { fetchManagedPages } from '../meta/auth';
import { GraphClient } from '../meta/graph';
import type { MetaConnectorOptions } from '../meta/options';
import { facebookConnector, pageAuthResult, type FacebookConnector } from './connector';

export { FACEBOOK_SCOPES, type FacebookConnector } from './connector';

export function createFacebookConnector(opts: MetaConnectorOptions = {}): FacebookConnector {
  return facebookConnector(opts);
}

export interface PageChoice extends AuthResult {
  /** What the user may do on the Page (CREATE_CONTENT, MODERATE, MESSAGING, ...). */
  tasks: readonly string[];
}

/**
 * Every Page the login behind `credentials` (from `completeAuth` or a connected Page) manages,
 * each as an account that can be stored as is. All share the same user token and so its expiry.
 */
export async function listPages(input: { baseUrl: string; credentials: AccountCredentials; signal?: AbortSignal }, opts: MetaConnectorOptions = {}): Promise<readonly PageChoice[]> {
  const userToken = input.credentials.refreshToken;
  if (userToken === null) return [];
  const pages = await fetchManagedPages(new GraphClient('facebook', opts), input.baseUrl, userToken, input.signal);
  return pages.map((p) => ({ ...pageAuthResult(p, { token: userToken, pageTokenExpiresAt: input.credentials.expiresAt }), tasks: p.tasks ?? [] }));
}
