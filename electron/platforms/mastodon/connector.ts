// The Mastodon connector (any instance): the PlatformConnector the core calls, put together from
// the parts in this folder. Deleting and metrics are small enough to live here.
import { CAPABILITIES } from '../capabilities';
import type { ConnectorAccount, PlatformConnector, PostMetrics } from '../connector';
import { PlatformError } from '../errors';
import { beginAuth, completeAuth, MASTODON_SCOPES, refresh, revoke } from './auth';
import { api, authHeaders, createContext, refuse, type MastodonConnectorOptions, type MastodonContext } from './context';
import { fetchInbox } from './inbox';
import { checkScheduled } from './held';
import type { InstanceLimits } from './instance';
import { findPublished } from './lookup';
import { publish } from './publish';
import { reply } from './reply';
import { statusSchema } from './schemas';
import { scheduledId } from './statuses';

export const MASTODON_DEFAULT_BASE_URL = 'https://mastodon.social';

/** The connector plus what only Mastodon has: limits that differ per instance. */
export interface MastodonConnector extends PlatformConnector {
  /** The limits the instance reports (read at connect time and cached per run). */
  instanceLimits(baseUrl: string, signal?: AbortSignal): Promise<InstanceLimits>;
}

async function remove(ctx: MastodonContext, account: ConnectorAccount, platformPostId: string, signal?: AbortSignal): Promise<void> {
  const held = scheduledId(platformPostId);
  const path = held === null ? `/api/v1/statuses/${encodeURIComponent(platformPostId)}` : `/api/v1/scheduled_statuses/${encodeURIComponent(held)}`;
  try {
    await ctx.http.send({ method: 'DELETE', url: api(account, path), headers: authHeaders(account), ...(signal ? { signal } : {}) });
  } catch (err) {
    // 404 "Record not found": already gone (a retried delete whose first try went through, or a
    // scheduled post that has since been published and must be deleted by its status id).
    if (err instanceof PlatformError && err.status === 404 && held === null) return;
    if (err instanceof PlatformError && err.status === 404) {
      throw refuse('permanent', 'This scheduled Mastodon post is no longer held by the server; it was cancelled or has been published.');
    }
    throw err;
  }
}

async function metrics(ctx: MastodonContext, account: ConnectorAccount, ids: readonly string[], signal?: AbortSignal): Promise<PostMetrics[]> {
  const out: PostMetrics[] = [];
  for (const id of ids) {
    // A post still held by the server has no counts yet: nothing reported, nothing returned.
    if (scheduledId(id) !== null) continue;
    try {
      const { data } = await ctx.http.json({ method: 'GET', url: api(account, `/api/v1/statuses/${encodeURIComponent(id)}`), headers: authHeaders(account), ...(signal ? { signal } : {}) }, statusSchema);
      // Mastodon has no impressions or reach: only what the Status carries.
      out.push({ platformPostId: id, fetchedAt: ctx.now(), values: { likes: data.favourites_count, reposts: data.reblogs_count, replies: data.replies_count } });
    } catch (err) {
      // A deleted post is absent from the answer rather than failing everyone else's metrics.
      if (err instanceof PlatformError && err.status === 404) continue;
      throw err;
    }
  }
  return out;
}

export function createMastodonConnector(opts: MastodonConnectorOptions = {}): MastodonConnector {
  const ctx = createContext(opts);
  return {
    platform: 'mastodon',
    capabilities: CAPABILITIES.mastodon,
    auth: {
      kind: 'oauth2',
      // Per instance: beginAuth builds the real URL from the account's base URL.
      authorizeUrl: `${MASTODON_DEFAULT_BASE_URL}/oauth/authorize`,
      tokenUrl: `${MASTODON_DEFAULT_BASE_URL}/oauth/token`,
      scopes: MASTODON_SCOPES,
      clientIdSource: 'dynamic_registration',
      // Apps from POST /api/v1/apps are confidential: the token endpoint wants the secret too.
      needsClientSecret: true,
    },
    defaultBaseUrl: MASTODON_DEFAULT_BASE_URL,
    beginAuth,
    completeAuth: (input) => {
      if (!('callback' in input)) return Promise.reject(refuse('permanent', 'Mastodon signs in through the browser (OAuth), not with a password.'));
      return completeAuth(ctx, { baseUrl: input.baseUrl, callback: input.callback, ...(input.clientId ? { clientId: input.clientId } : {}), ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}) });
    },
    refresh: (account, client) => refresh(ctx, account, client),
    revoke: (account, client?: { clientId: string; clientSecret?: string }) => revoke(ctx, account, client),
    publish: (account, request) => publish(ctx, account, request),
    findPublished: (account, lookup, o) => findPublished(ctx, account, lookup, o),
    delete: (account, id, signal) => remove(ctx, account, id, signal),
    checkScheduled: (account, held, signal) => checkScheduled(ctx, account, held, signal),
    fetchInbox: (account, query) => fetchInbox(ctx, account, query),
    reply: (account, request) => reply(ctx, account, request),
    fetchMetrics: (account, ids, signal) => metrics(ctx, account, ids, signal),
    instanceLimits: (baseUrl, signal) => ctx.limits.get(baseUrl, signal),
  };
}
