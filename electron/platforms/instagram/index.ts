// Instagram connector (professional accounts linked to a Facebook Page). A login may reach several
// such accounts: `completeAuth` connects the first, `listInstagramAccounts` lists every one.
import type { AccountCredentials, AuthResult } from '../connector';
import { fetchManagedPages } from '../meta/auth';
import { GraphClient } from '../meta/graph';
import type { MetaConnectorOptions } from '../meta/options';
import { instagramAuthResult, instagramConnector, isLinked, type InstagramConnector } from './connector';

export { INSTAGRAM_SCOPES, type InstagramConnector } from './connector';

export function createInstagramConnector(opts: MetaConnectorOptions = {}): InstagramConnector {
  return instagramConnector(opts);
}

export interface InstagramChoice extends AuthResult {
  /** The Facebook Page the Instagram account is linked to (its name is what people recognise). */
  pageId: string;
  pageName: string | null;
}

/** Every Instagram professional account the login behind `credentials` reaches through its Pages. */
export async function listInstagramAccounts(
  input: { baseUrl: string; credentials: AccountCredentials; signal?: AbortSignal },
  opts: MetaConnectorOptions = {},
): Promise<readonly InstagramChoice[]> {
  const userToken = input.credentials.refreshToken;
  if (userToken === null) return [];
  const pages = await fetchManagedPages(new GraphClient('instagram', opts), input.baseUrl, userToken, input.signal);
  return pages
    .filter(isLinked)
    .map((p) => ({ ...instagramAuthResult(p, { token: userToken, pageTokenExpiresAt: input.credentials.expiresAt }), pageId: p.id, pageName: p.name ?? null }));
}
