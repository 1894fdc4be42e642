// Instagram professional accounts through the Instagram API with Facebook Login: the account is
// the Instagram account linked to a Page (`instagram_business_account`), and it acts with that
// Page's access token, which also reaches Instagram Direct through the Page's conversations.
// (Instagram Login on graph.instagram.com is the other route; it has no Page and no Page inbox.)
import { CAPABILITIES } from '../capabilities';
import {
  hasPublishMarker,
  publishMarker,
  type AccountCredentials,
  type AuthResult,
  type ConnectorAccount,
  type PlatformConnector,
  type PostMetrics,
  type PublishedItem,
} from '../connector';
import { buildAuthorizeUrl, exchangeCode, exchangeLongLived, fetchManagedPages, refreshPageCredentials, revokeLogin, type ManagedPage, type UserToken } from '../meta/auth';
import { checkText } from '../meta/checks';
import { GraphClient, refuse } from '../meta/graph';
import { readInsights } from '../meta/insights';
import { sendDmReply, sendPrivateReply } from '../meta/messaging';
import { defaultGraphBaseUrl, dialogUrl, type MetaConnectorOptions } from '../meta/options';
import { graphTime, nextPageQuery, type PagingQuery } from '../meta/paging';
import { idSchema } from '../meta/schemas';
import { fetchInstagramInbox } from './inbox';
import { publishToInstagram } from './publish';
import { mediaCountsSchema, mediaListSchema, pageIdSchema } from './schemas';

export const INSTAGRAM_SCOPES = [
  'instagram_basic',
  'instagram_content_publish',
  'instagram_manage_comments',
  'instagram_manage_insights',
  'instagram_manage_messages',
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_metadata',
] as const;

const MAX_SCAN_PAGES = 10;

export interface InstagramConnector extends PlatformConnector {
  /** A private Direct reply to a comment's author (once per comment, within 7 days of it). */
  privateReply(account: ConnectorAccount, input: { commentId: string; commentCreatedAt: number; text: string; signal?: AbortSignal }): Promise<PublishedItem>;
}

export type LinkedPage = ManagedPage & { instagram_business_account: NonNullable<ManagedPage['instagram_business_account']> };

export function isLinked(page: ManagedPage): page is LinkedPage {
  return page.instagram_business_account !== undefined;
}

export function instagramAuthResult(page: LinkedPage, user: { token: string; pageTokenExpiresAt: number | null }): AuthResult {
  const ig = page.instagram_business_account;
  const credentials: AccountCredentials = { accessToken: page.access_token, refreshToken: user.token, expiresAt: user.pageTokenExpiresAt, scopes: INSTAGRAM_SCOPES };
  return {
    profile: {
      platformAccountId: ig.id,
      username: ig.username ?? null,
      displayName: ig.name ?? ig.username ?? null,
      profileUrl: ig.username ? `https://www.instagram.com/${ig.username}` : null,
      avatarUrl: ig.profile_picture_url ?? null,
      serverUrl: null,
    },
    credentials,
  };
}

export function instagramConnector(opts: MetaConnectorOptions): InstagramConnector {
  const graph = new GraphClient('instagram', opts);
  const caps = CAPABILITIES.instagram;
  const defaultBaseUrl = defaultGraphBaseUrl(opts.graphVersion);
  // The Page behind an Instagram account, keyed by its token: a Page token's /me is the Page.
  const pageIds = new Map<string, string>();

  async function pageIdOf(account: ConnectorAccount, signal?: AbortSignal): Promise<string> {
    const token = account.credentials.accessToken;
    const known = pageIds.get(token);
    if (known !== undefined) return known;
    const me = await graph.call(account.baseUrl, { method: 'GET', path: 'me', token, query: { fields: 'id' }, ...(signal ? { signal } : {}) }, pageIdSchema);
    pageIds.set(token, me.id);
    return me.id;
  }

  async function scanForMarker(account: ConnectorAccount, marker: string, since: number, signal?: AbortSignal): Promise<PublishedItem | null> {
    let page: PagingQuery | null = {};
    for (let i = 0; page !== null && i < MAX_SCAN_PAGES; i++) {
      const data: Awaited<ReturnType<typeof readMedia>> = await readMedia(account, page, signal);
      for (const media of data.data) {
        if (graphTime(media.timestamp) < since) return null;
        if (media.caption !== undefined && hasPublishMarker(media.caption, marker)) return { platformPostId: media.id, url: media.permalink ?? null };
      }
      page = nextPageQuery(data.paging);
    }
    return null;
  }

  function readMedia(account: ConnectorAccount, page: PagingQuery, signal?: AbortSignal) {
    return graph.call(
      account.baseUrl,
      {
        method: 'GET',
        path: `${account.platformAccountId}/media`,
        token: account.credentials.accessToken,
        query: { ...page, fields: 'id,caption,timestamp,permalink', limit: 25 },
        ...(signal ? { signal } : {}),
      },
      mediaListSchema,
    );
  }

  return {
    platform: 'instagram',
    capabilities: caps,
    defaultBaseUrl,
    auth: {
      kind: 'oauth2',
      authorizeUrl: dialogUrl(defaultBaseUrl),
      tokenUrl: `${defaultBaseUrl}/oauth/access_token`,
      scopes: INSTAGRAM_SCOPES,
      clientIdSource: 'user_app',
      needsClientSecret: true,
    },

    beginAuth: (input) => buildAuthorizeUrl({ ...input, scopes: INSTAGRAM_SCOPES }),

    async completeAuth(input) {
      if (!('callback' in input)) throw refuse('instagram', 'permanent', 'Instagram connects through Facebook Login, not a password.');
      if (!input.clientId) throw refuse('instagram', 'validation', 'Instagram needs the App ID of your Meta app (Settings explains where to find it).');
      const { callback } = input;
      let user: UserToken = await exchangeCode(graph, input.baseUrl, {
        clientId: input.clientId,
        ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}),
        code: callback.code,
        codeVerifier: callback.codeVerifier,
        redirectUri: callback.redirectUri,
      });
      let longLived = false;
      if (input.clientSecret) {
        user = await exchangeLongLived(graph, input.baseUrl, { clientId: input.clientId, clientSecret: input.clientSecret, userToken: user.token });
        longLived = true;
      }
      const first = (await fetchManagedPages(graph, input.baseUrl, user.token)).find(isLinked);
      if (!first) {
        throw refuse(
          'instagram',
          'auth',
          'None of the Pages this login shared has an Instagram professional account linked. Link the Instagram account to a Facebook Page, then reconnect and tick that Page.',
        );
      }
      return instagramAuthResult(first, { token: user.token, pageTokenExpiresAt: longLived ? null : user.expiresAt });
    },

    refresh: (account, client) =>
      refreshPageCredentials(graph, account.baseUrl, account.credentials, client, (p) => p.instagram_business_account?.id === account.platformAccountId),

    async revoke(account) {
      if (account.credentials.refreshToken !== null) await revokeLogin(graph, account.baseUrl, account.credentials.refreshToken);
    },

    publish: (account, request) => publishToInstagram(graph, caps, opts, account, request),

    findPublished(account, lookup, o) {
      const marker = lookup.marker ?? publishMarker(lookup.idempotencyKey);
      return scanForMarker(account, marker, o.since, o.signal);
    },

    delete() {
      return Promise.reject(refuse('instagram', 'permanent', "Instagram's API does not allow deleting posts. Delete it in the Instagram app."));
    },

    fetchInbox: (account, query) => fetchInstagramInbox(graph, caps, account, query, () => pageIdOf(account, query.signal)),

    async reply(account, request) {
      if (request.media.length > 0) throw refuse('instagram', 'validation', 'Postdesk sends inbox replies to Instagram as text only; remove the attachment.');
      const { to } = request;
      const sig = request.signal ? { signal: request.signal } : {};
      if (to.kind === 'dm') {
        return sendDmReply(graph, { account, pageId: await pageIdOf(account, request.signal), selfId: account.platformAccountId, to, text: request.text, capabilities: caps, ...sig });
      }
      checkText('instagram', caps, request.text, 'reply');
      const token = account.credentials.accessToken;
      // A comment is answered in its thread; a post that tags the account gets a comment from it.
      const created =
        to.kind === 'comment'
          ? await graph.call(account.baseUrl, { method: 'POST', path: `${to.platformMessageId}/replies`, token, form: { message: request.text }, ...sig }, idSchema)
          : await graph.call(
              account.baseUrl,
              { method: 'POST', path: `${account.platformAccountId}/mentions`, token, form: { media_id: to.platformMessageId, message: request.text }, ...sig },
              idSchema,
            );
      return { platformPostId: created.id, url: null };
    },

    async privateReply(account, input) {
      return sendPrivateReply(graph, { account, pageId: await pageIdOf(account, input.signal), ...input, capabilities: caps });
    },

    async fetchMetrics(account, platformPostIds, signal) {
      const out: PostMetrics[] = [];
      for (const id of platformPostIds) {
        const insights = await readInsights(
          graph,
          account,
          id,
          { views: 'impressions', reach: 'reach', likes: 'likes', comments: 'replies', shares: 'reposts', saved: 'bookmarks', total_interactions: 'engagements' },
          signal,
        );
        let values: PostMetrics['values'];
        if (insights !== null) values = insights;
        else {
          // Insights refused (media type or retired metric): the counts on the media itself.
          const counts = await graph.call(
            account.baseUrl,
            { method: 'GET', path: id, token: account.credentials.accessToken, query: { fields: 'like_count,comments_count' }, ...(signal ? { signal } : {}) },
            mediaCountsSchema,
          );
          values = {};
          if (counts.like_count !== undefined) values.likes = counts.like_count;
          if (counts.comments_count !== undefined) values.replies = counts.comments_count;
        }
        out.push({ platformPostId: id, fetchedAt: graph.now(), values });
      }
      return out;
    },
  };
}
