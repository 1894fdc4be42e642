// Did a status Mastodon held for later (scheduled_at) go out? The server publishes it as a new
// status with a new id and deletes the ScheduledStatus, keeping no link between the two, so:
// - GET /api/v1/scheduled_statuses/:id answers while it is still held;
// - once that is 404, the account's own statuses from around the held time are searched for the
//   text that was scheduled (compared as Mastodon renders it: paragraphs and links as text,
//   remote mentions shortened to @user);
// - neither: it was deleted or cancelled on Mastodon, or the server dropped it.
import { z } from 'zod';
import type { ConnectorAccount, HeldPost, HeldPostState } from '../connector';
import { PlatformError } from '../errors';
import { api, authHeaders, type MastodonContext } from './context';
import { nextMaxId } from './link-header';
import { scheduledStatusSchema, statusSchema } from './schemas';
import { publishedItem, scheduledId } from './statuses';
import { htmlToText, REMOTE_MENTION_RE } from './text';

/** Sidekiq may run the publish a little early or late; the clocks may disagree too. */
const SKEW_MS = 15 * 60_000;
/** Ten pages of 40: far more than an account posts around one held status. */
const MAX_PAGES = 10;

/** The text as it reads on the profile, for comparing: remote mentions as @user, whitespace as single spaces. */
export function comparableText(text: string): string {
  return text
    .replace(REMOTE_MENTION_RE, (_m, before: string, user: string) => `${before}@${user}`)
    .replace(/\s+/gu, ' ')
    .trim();
}

export async function checkScheduled(ctx: MastodonContext, account: ConnectorAccount, held: HeldPost, signal?: AbortSignal): Promise<HeldPostState> {
  const sig = signal ? { signal } : {};
  const id = scheduledId(held.platformPostId);
  if (id === null) {
    // Already a status id (published at once after all): read it back.
    try {
      const { data } = await ctx.http.json({ method: 'GET', url: api(account, `/api/v1/statuses/${encodeURIComponent(held.platformPostId)}`), headers: authHeaders(account), ...sig }, statusSchema);
      return { state: 'published', item: publishedItem(data), publishedAt: Date.parse(data.created_at) };
    } catch (err) {
      if (err instanceof PlatformError && err.status === 404) return { state: 'gone' };
      throw err;
    }
  }

  try {
    const { data } = await ctx.http.json({ method: 'GET', url: api(account, `/api/v1/scheduled_statuses/${encodeURIComponent(id)}`), headers: authHeaders(account), ...sig }, scheduledStatusSchema);
    const at = Date.parse(data.scheduled_at);
    return { state: 'held', scheduledAt: Number.isNaN(at) ? null : at };
  } catch (err) {
    if (!(err instanceof PlatformError && err.status === 404)) throw err;
  }

  const wanted = comparableText(held.text);
  const since = held.scheduledAt - SKEW_MS;
  // Newest first: the oldest match from the held time on is the one the server published.
  let found: z.output<typeof statusSchema> | null = null;
  let maxId: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { data, headers } = await ctx.http.json(
      {
        method: 'GET',
        url: api(account, `/api/v1/accounts/${encodeURIComponent(account.platformAccountId)}/statuses`),
        headers: authHeaders(account),
        query: { limit: 40, exclude_reblogs: true, max_id: maxId },
        ...sig,
      },
      z.array(statusSchema),
    );
    for (const status of data) {
      if (Date.parse(status.created_at) < since) return outcome(found);
      if (!status.in_reply_to_id && comparableText(htmlToText(status.content)) === wanted) found = status;
    }
    maxId = nextMaxId(headers);
    if (data.length === 0 || maxId === null) return outcome(found);
  }
  if (found) return outcome(found);
  throw new PlatformError({
    platform: 'mastodon',
    category: 'permanent',
    message: 'Too many posts since this one’s time for Postdesk to check whether Mastodon published it. Check the profile.',
    effect: 'none',
  });
}

function outcome(found: z.output<typeof statusSchema> | null): HeldPostState {
  return found ? { state: 'published', item: publishedItem(found), publishedAt: Date.parse(found.created_at) } : { state: 'gone' };
}
