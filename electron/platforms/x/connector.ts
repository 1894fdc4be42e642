// The X (API v2) connector: OAuth 2.0 with PKCE and the user's own app, posts and threads,
// chunked media upload with alt text, mentions and DMs, and public metrics. The contract it speaks
// is in docs/PLATFORMS.md "X"; test/contract/x.ts plays it in tests.
import type { ConnectorAccount, MetricName, PlatformConnector, PostMetrics } from '../connector';
import { joinUrl } from '../connector';
import { CAPABILITIES } from '../capabilities';
import { PlatformError } from '../errors';
import { bearer } from '../http';
import { beginAuth, completeAuth, refresh, revoke, X_SCOPES, type XClient } from './auth';
import { createContext, DEFAULT_API_BASE, DEFAULT_AUTHORIZE_BASE, type XConnectorOptions, type XContext } from './context';
import { fetchInbox, reply } from './inbox';
import { findPublished, publish } from './publish';
import { deletedTweet, tweetLookup, type XTweet } from './schemas';

/** GET /2/tweets takes at most 100 ids per call. */
const LOOKUP_BATCH = 100;

const METRIC_FIELDS: readonly [keyof NonNullable<XTweet['public_metrics']>, MetricName][] = [
  ['impression_count', 'impressions'],
  ['like_count', 'likes'],
  ['retweet_count', 'reposts'],
  ['reply_count', 'replies'],
  ['quote_count', 'quotes'],
  ['bookmark_count', 'bookmarks'],
];

async function deleteTweet(ctx: XContext, account: ConnectorAccount, id: string, signal?: AbortSignal): Promise<void> {
  const { data } = await ctx.http.json(
    { method: 'DELETE', url: joinUrl(account.baseUrl, `/2/tweets/${encodeURIComponent(id)}`), headers: bearer(account.credentials.accessToken), ...(signal ? { signal } : {}) },
    deletedTweet,
  );
  if (!data.data.deleted) throw new PlatformError({ platform: 'x', category: 'permanent', message: 'X answered but did not delete the post.', effect: 'none' });
}

/**
 * Only `public_metrics`: it carries all six counts (impressions included) for any post, while
 * `non_public_metrics` is refused with a field-authorization error for posts older than 30 days.
 * Posts X cannot return (deleted, protected) are left out rather than reported as zeros.
 */
async function fetchMetrics(ctx: XContext, account: ConnectorAccount, ids: readonly string[], signal?: AbortSignal): Promise<PostMetrics[]> {
  const out: PostMetrics[] = [];
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
    const batch = ids.slice(i, i + LOOKUP_BATCH);
    const { data } = await ctx.http.json(
      {
        method: 'GET',
        url: joinUrl(account.baseUrl, '/2/tweets'),
        headers: bearer(account.credentials.accessToken),
        query: { ids: batch.join(','), 'tweet.fields': 'public_metrics' },
        ...(signal ? { signal } : {}),
      },
      tweetLookup,
    );
    const fetchedAt = ctx.now();
    for (const t of data.data ?? []) {
      const values: PostMetrics['values'] = {};
      for (const [field, name] of METRIC_FIELDS) {
        const v = t.public_metrics?.[field];
        if (v !== undefined) values[name] = v;
      }
      out.push({ platformPostId: t.id, fetchedAt, values });
    }
  }
  return out;
}

export function createXConnectorWith(opts: XConnectorOptions = {}): PlatformConnector & { revoke(account: ConnectorAccount, client?: XClient): Promise<void> } {
  const ctx = createContext(opts);
  return {
    platform: 'x',
    capabilities: CAPABILITIES.x,
    auth: {
      kind: 'oauth2',
      authorizeUrl: joinUrl(DEFAULT_AUTHORIZE_BASE, '/i/oauth2/authorize'),
      tokenUrl: joinUrl(DEFAULT_API_BASE, '/2/oauth2/token'),
      scopes: X_SCOPES,
      clientIdSource: 'user_app',
      needsClientSecret: false,
    },
    defaultBaseUrl: DEFAULT_API_BASE,
    beginAuth: (o) => beginAuth(ctx, o),
    async completeAuth(input) {
      if (!('callback' in input)) throw new PlatformError({ platform: 'x', category: 'permanent', message: 'X signs in through the browser (OAuth), not with a password.', effect: 'none' });
      return completeAuth(ctx, { baseUrl: input.baseUrl, callback: input.callback, ...(input.clientId === undefined ? {} : { clientId: input.clientId }), ...(input.clientSecret === undefined ? {} : { clientSecret: input.clientSecret }) });
    },
    refresh: (account, client) => refresh(ctx, account, client),
    revoke: (account, client?: XClient) => revoke(ctx, account, client),
    publish: (account, request) => publish(ctx, account, request),
    findPublished: (account, lookup, o) => findPublished(ctx, account, lookup, o),
    delete: (account, id, signal) => deleteTweet(ctx, account, id, signal),
    fetchInbox: (account, query) => fetchInbox(ctx, account, query),
    reply: (account, request) => reply(ctx, account, request),
    fetchMetrics: (account, ids, signal) => fetchMetrics(ctx, account, ids, signal),
  };
}
