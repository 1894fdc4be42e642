// Facebook Pages on the Graph API. The connected account is one Page: it acts with the Page
// access token, and keeps the user's long-lived token to read that Page token again (refresh).
import { CAPABILITIES } from '../capabilities';
import { PlatformError } from '../errors';
import {
  hasPublishMarker,
  publishMarker,
  type AccountCredentials,
  type AuthResult,
  type ConnectorAccount,
  type HeldPostState,
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
import { graphTime, nextPageQuery, unixSeconds, type PagingQuery } from '../meta/paging';
import { idSchema, successSchema } from '../meta/schemas';
import { fetchPageInbox } from './inbox';
import { postUrl, publishToPage } from './publish';
import { feedSchema, heldPostSchema, postCountsSchema, scheduledPostsSchema } from './schemas';

export const FACEBOOK_SCOPES = [
  'pages_show_list',
  'pages_manage_posts',
  'pages_read_engagement',
  'pages_manage_engagement',
  'pages_read_user_engagement',
  'pages_manage_metadata',
  'pages_messaging',
  'read_insights',
] as const;

/** Reconcile reads at most this many feed pages back to `since`; a solo Page posts far fewer. */
const MAX_SCAN_PAGES = 10;

export interface FacebookConnector extends PlatformConnector {
  /** A private Messenger reply to a comment's author (once per comment, within 7 days of it). */
  privateReply(account: ConnectorAccount, input: { commentId: string; commentCreatedAt: number; text: string; signal?: AbortSignal }): Promise<PublishedItem>;
}

/** An account for one managed Page, acting with its Page token. */
export function pageAuthResult(page: ManagedPage, user: { token: string; pageTokenExpiresAt: number | null }): AuthResult {
  const credentials: AccountCredentials = { accessToken: page.access_token, refreshToken: user.token, expiresAt: user.pageTokenExpiresAt, scopes: FACEBOOK_SCOPES };
  return {
    profile: {
      platformAccountId: page.id,
      username: page.username ?? null,
      displayName: page.name ?? null,
      profileUrl: `https://www.facebook.com/${page.username ?? page.id}`,
      avatarUrl: page.picture?.data.url ?? null,
      serverUrl: null,
    },
    credentials,
  };
}

export function facebookConnector(opts: MetaConnectorOptions): FacebookConnector {
  const graph = new GraphClient('facebook', opts);
  const caps = CAPABILITIES.facebook;
  const defaultBaseUrl = defaultGraphBaseUrl(opts.graphVersion);

  async function scanForMarker(account: ConnectorAccount, marker: string, since: number, signal?: AbortSignal): Promise<PublishedItem | null> {
    const token = account.credentials.accessToken;
    const sig = signal ? { signal } : {};
    let page: PagingQuery | null = {};
    for (let i = 0; page !== null && i < MAX_SCAN_PAGES; i++) {
      const data: Awaited<ReturnType<typeof readFeed>> = await readFeed(account, page, since, sig);
      for (const post of data.data) {
        if (graphTime(post.created_time) < since) return null;
        if (post.message !== undefined && hasPublishMarker(post.message, marker)) return { platformPostId: post.id, url: post.permalink_url ?? postUrl(post.id) };
      }
      page = nextPageQuery(data.paging);
    }
    // A post Facebook holds for later is not in the feed yet.
    page = {};
    for (let i = 0; page !== null && i < MAX_SCAN_PAGES; i++) {
      const data: Awaited<ReturnType<typeof readScheduled>> = await readScheduled(account, page, token, sig);
      for (const post of data.data) {
        if (post.message !== undefined && hasPublishMarker(post.message, marker)) return { platformPostId: post.id, url: post.permalink_url ?? null };
      }
      page = nextPageQuery(data.paging);
    }
    return null;
  }

  function readFeed(account: ConnectorAccount, page: PagingQuery, since: number, sig: { signal?: AbortSignal }) {
    return graph.call(
      account.baseUrl,
      {
        method: 'GET',
        path: `${account.platformAccountId}/feed`,
        token: account.credentials.accessToken,
        query: { ...page, fields: 'id,message,created_time,permalink_url', since: unixSeconds(since), limit: 25 },
        ...sig,
      },
      feedSchema,
    );
  }

  function readScheduled(account: ConnectorAccount, page: PagingQuery, token: string, sig: { signal?: AbortSignal }) {
    return graph.call(
      account.baseUrl,
      { method: 'GET', path: `${account.platformAccountId}/scheduled_posts`, token, query: { ...page, fields: 'id,message,permalink_url', limit: 25 }, ...sig },
      scheduledPostsSchema,
    );
  }

  function readHeld(account: ConnectorAccount, postId: string, signal?: AbortSignal) {
    return graph.call(
      account.baseUrl,
      {
        method: 'GET',
        path: postId,
        token: account.credentials.accessToken,
        query: { fields: 'id,is_published,scheduled_publish_time,created_time,permalink_url' },
        ...(signal ? { signal } : {}),
      },
      heldPostSchema,
    );
  }

  return {
    platform: 'facebook',
    capabilities: caps,
    defaultBaseUrl,
    auth: {
      kind: 'oauth2',
      authorizeUrl: dialogUrl(defaultBaseUrl),
      tokenUrl: `${defaultBaseUrl}/oauth/access_token`,
      scopes: FACEBOOK_SCOPES,
      clientIdSource: 'user_app',
      needsClientSecret: true,
    },

    beginAuth: (input) => buildAuthorizeUrl({ ...input, scopes: FACEBOOK_SCOPES }),

    async completeAuth(input) {
      if (!('callback' in input)) throw refuse('facebook', 'permanent', 'Facebook connects through Facebook Login, not a password.');
      if (!input.clientId) throw refuse('facebook', 'validation', 'Facebook needs the App ID of your Meta app (Settings explains where to find it).');
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
      const [first] = await fetchManagedPages(graph, input.baseUrl, user.token);
      if (!first) throw refuse('facebook', 'auth', 'This Facebook login manages no Page that Postdesk was given access to. Reconnect and tick the Page in the dialog.');
      return pageAuthResult(first, { token: user.token, pageTokenExpiresAt: longLived ? null : user.expiresAt });
    },

    refresh: (account, client) => refreshPageCredentials(graph, account.baseUrl, account.credentials, client, (p) => p.id === account.platformAccountId),

    async revoke(account) {
      if (account.credentials.refreshToken !== null) await revokeLogin(graph, account.baseUrl, account.credentials.refreshToken);
    },

    publish: (account, request) => publishToPage(graph, caps, account, request),

    findPublished(account, lookup, opts) {
      const marker = lookup.marker ?? publishMarker(lookup.idempotencyKey);
      return scanForMarker(account, marker, opts.since, opts.signal);
    },

    async delete(account, platformPostId, signal) {
      const data = await graph.call(account.baseUrl, { method: 'DELETE', path: platformPostId, token: account.credentials.accessToken, ...(signal ? { signal } : {}) }, successSchema);
      if (!data.success) throw refuse('facebook', 'transient', 'Facebook did not confirm the deletion; Postdesk will check again.');
    },

    // A held post keeps its id when Facebook publishes it; is_published says which it is now.
    async checkScheduled(account, held, signal): Promise<HeldPostState> {
      let post: Awaited<ReturnType<typeof readHeld>>;
      try {
        post = await readHeld(account, held.platformPostId, signal);
      } catch (err) {
        // (#100/33) "Object with ID ... does not exist": deleted on Facebook (or never published).
        if (err instanceof PlatformError && err.code === '100/33') return { state: 'gone' };
        throw err;
      }
      if (post.is_published === false) return { state: 'held', scheduledAt: post.scheduled_publish_time === undefined ? null : post.scheduled_publish_time * 1000 };
      return { state: 'published', item: { platformPostId: post.id, url: post.permalink_url ?? postUrl(post.id) }, publishedAt: post.created_time === undefined ? null : graphTime(post.created_time) };
    },

    fetchInbox: (account, query) => fetchPageInbox(graph, caps, account, query),

    async reply(account, request) {
      if (request.media.length > 0) throw refuse('facebook', 'validation', 'Postdesk sends inbox replies to Facebook as text only; remove the attachment.');
      const { to } = request;
      if (to.kind === 'dm') {
        return sendDmReply(graph, {
          account,
          pageId: account.platformAccountId,
          selfId: account.platformAccountId,
          to,
          text: request.text,
          capabilities: caps,
          ...(request.signal ? { signal: request.signal } : {}),
        });
      }
      checkText('facebook', caps, request.text, 'reply');
      // A comment is answered in its thread; a post that tags the Page is answered with a comment on it.
      const created = await graph.call(
        account.baseUrl,
        { method: 'POST', path: `${to.platformMessageId}/comments`, token: account.credentials.accessToken, form: { message: request.text }, ...(request.signal ? { signal: request.signal } : {}) },
        idSchema,
      );
      return { platformPostId: created.id, url: null };
    },

    privateReply: (account, input) => sendPrivateReply(graph, { account, pageId: account.platformAccountId, ...input, capabilities: caps }),

    async fetchMetrics(account, platformPostIds, signal) {
      const out: PostMetrics[] = [];
      const sig = signal ? { signal } : {};
      for (const id of platformPostIds) {
        const counts = await graph.call(
          account.baseUrl,
          { method: 'GET', path: id, token: account.credentials.accessToken, query: { fields: 'shares,comments.limit(0).summary(true),reactions.limit(0).summary(true)' }, ...sig },
          postCountsSchema,
        );
        const values: PostMetrics['values'] = {};
        if (counts.reactions) values.likes = counts.reactions.summary.total_count;
        if (counts.comments) values.replies = counts.comments.summary.total_count;
        if (counts.shares) values.reposts = counts.shares.count;
        const insights = await readInsights(graph, account, id, { post_media_view: 'impressions', post_total_media_view_unique: 'reach', post_clicks: 'clicks' }, signal);
        out.push({ platformPostId: id, fetchedAt: graph.now(), values: { ...values, ...insights } });
      }
      return out;
    },
  };
}
