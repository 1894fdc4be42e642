// Reconcile after a crash: did an earlier attempt go out? Mastodon keeps an Idempotency-Key for
// one hour and offers no way to look one up, so:
// - a marker in the text is searched for in the account's own statuses back to `since`;
// - a scheduled post is found by the key itself, which ScheduledStatus.params.idempotency keeps;
// - a key alone, not found, is "not published" only while the server still remembers the key,
//   because then the retry that follows is deduplicated by the server. Later we can't tell.
import { z } from 'zod';
import type { ConnectorAccount, FindPublishedOptions, PublishedItem, PublishedLookup } from '../connector';
import { hasPublishMarker, publishMarker } from '../connector';
import { PlatformError } from '../errors';
import { api, authHeaders, type MastodonContext } from './context';
import { nextMaxId } from './link-header';
import { scheduledStatusSchema, statusSchema } from './schemas';
import { publishedItem, SCHEDULED_PREFIX } from './statuses';
import { htmlToText } from './text';

/** PostStatusService keeps keys 3,600 s; leave room for clock skew and the retry's own delay. */
export const IDEMPOTENCY_KEY_TTL_MS = 60 * 60_000;
const KEY_SAFETY_MARGIN_MS = 10 * 60_000;
/** 25 pages of 40: a thousand statuses is far more than anyone posts between a crash and its reconcile. */
const MAX_PAGES = 25;

export async function findPublished(ctx: MastodonContext, account: ConnectorAccount, lookup: PublishedLookup, opts: FindPublishedOptions): Promise<PublishedItem | null> {
  const marker = lookup.marker ?? publishMarker(lookup.idempotencyKey ?? '');
  const key = lookup.idempotencyKey ?? null;

  const held = await findScheduled(ctx, account, (s) => (key !== null && s.params.idempotency === key) || hasPublishMarker(s.params.text ?? '', marker), opts.signal);
  if (held) return held;

  const posted = await findOwnStatus(ctx, account, marker, opts);
  if (posted) return posted;

  if (key === null) return null;
  if (ctx.now() - opts.since < IDEMPOTENCY_KEY_TTL_MS - KEY_SAFETY_MARGIN_MS) return null;
  throw new PlatformError({
    platform: 'mastodon',
    category: 'permanent',
    message: 'Postdesk cannot tell whether the earlier attempt was published on Mastodon (it was more than an hour ago). Check the profile, then publish again if it is missing.',
    effect: 'unknown',
  });
}

async function findOwnStatus(ctx: MastodonContext, account: ConnectorAccount, marker: string, opts: FindPublishedOptions): Promise<PublishedItem | null> {
  let maxId: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { data, headers } = await ctx.http.json(
      {
        method: 'GET',
        url: api(account, `/api/v1/accounts/${encodeURIComponent(account.platformAccountId)}/statuses`),
        headers: authHeaders(account),
        query: { limit: 40, exclude_reblogs: true, max_id: maxId },
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      z.array(statusSchema),
    );
    for (const status of data) {
      if (Date.parse(status.created_at) < opts.since) return null;
      if (hasPublishMarker(htmlToText(status.content), marker)) return publishedItem(status);
    }
    maxId = nextMaxId(headers);
    if (data.length === 0 || maxId === null) return null;
  }
  throw new PlatformError({
    platform: 'mastodon',
    category: 'permanent',
    message: 'Too many posts since the earlier attempt for Postdesk to check whether it was published. Check the profile.',
    effect: 'unknown',
  });
}

async function findScheduled(
  ctx: MastodonContext,
  account: ConnectorAccount,
  matches: (s: z.output<typeof scheduledStatusSchema>) => boolean,
  signal?: AbortSignal,
): Promise<PublishedItem | null> {
  let maxId: string | null = null;
  // At most 300 scheduled statuses per account (ScheduledStatusValidator), 40 per page.
  for (let page = 0; page < 10; page++) {
    const { data, headers } = await ctx.http.json(
      { method: 'GET', url: api(account, '/api/v1/scheduled_statuses'), headers: authHeaders(account), query: { limit: 40, max_id: maxId }, ...(signal ? { signal } : {}) },
      z.array(scheduledStatusSchema),
    );
    const hit = data.find(matches);
    if (hit) return { platformPostId: `${SCHEDULED_PREFIX}${hit.id}`, url: null };
    maxId = nextMaxId(headers);
    if (data.length === 0 || maxId === null) return null;
  }
  return null;
}
