// LinkedIn (Posts API) behind the one PlatformConnector interface. Each method is a thin call into
// the module that knows that part of LinkedIn; what LinkedIn's API cannot do fails here, plainly.
import type { AccountCredentials, ConnectorAccount, OAuthPkceAuth, PlatformConnector } from '../connector';
import { joinUrl } from '../connector';
import { CAPABILITIES } from '../capabilities';
import { LinkedInApi } from './api';
import { fetchCommentInbox, replyToComment } from './comments';
import { LINKEDIN_API_BASE, type LinkedInClientCredentials, type LinkedInConnectorOptions } from './config';
import { fetchPostMetrics } from './metrics';
import { buildAuthorizeUrl, exchangeCode, refreshCredentials, revokeToken } from './oauth';
import { deletePost, findPublished, publishPost } from './posts';

export interface LinkedInConnector extends PlatformConnector {
  readonly auth: OAuthPkceAuth;
  /** LinkedIn's revoke needs the app's id and secret, which the interface method does not pass. */
  revoke(account: ConnectorAccount, client?: LinkedInClientCredentials): Promise<void>;
}

export function createLinkedInConnector(opts: LinkedInConnectorOptions = {}): LinkedInConnector {
  const api = new LinkedInApi(opts);
  const authBase = api.config.authBaseUrl;
  return {
    platform: 'linkedin',
    capabilities: CAPABILITIES.linkedin,
    auth: {
      kind: 'oauth2',
      authorizeUrl: joinUrl(authBase, '/oauth/v2/authorization'),
      tokenUrl: joinUrl(authBase, '/oauth/v2/accessToken'),
      scopes: api.config.scopes,
      clientIdSource: 'user_app',
      needsClientSecret: true,
    },
    defaultBaseUrl: LINKEDIN_API_BASE,

    beginAuth: (input) => buildAuthorizeUrl(api, input),
    completeAuth: async (input) => {
      if (!('callback' in input)) throw new TypeError('LinkedIn signs in through the browser, not with a password.');
      return exchangeCode(api, { baseUrl: input.baseUrl, clientId: input.clientId, clientSecret: input.clientSecret, callback: input.callback });
    },
    refresh: (account, client): Promise<AccountCredentials> => refreshCredentials(api, account, client),
    revoke: (account, client) => revokeToken(api, account, client),

    publish: (account, request) => publishPost(api, account, request),
    findPublished: (account, lookup, findOpts) => findPublished(api, account, lookup, findOpts),
    delete: (account, id, signal) => deletePost(api, account, id, signal),

    fetchInbox: (account, query) => fetchCommentInbox(api, account, query),
    reply: (account, request) => replyToComment(api, account, request),

    fetchMetrics: (account, ids, signal) => fetchPostMetrics(api, account, ids, signal),
  };
}
