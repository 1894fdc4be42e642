// Creating one status: POST /api/v1/statuses as a form, with the Idempotency-Key header (the
// server returns the original status for a key it saw in the last hour, so the request is safe
// to repeat). With scheduled_at the answer is a ScheduledStatus, a different entity.
import type { ConnectorAccount, PostPart, PublishedItem } from '../connector';
import { api, authHeaders, refuse, type MastodonContext } from './context';
import type { InstanceLimits } from './instance';
import { scheduledStatusSchema, statusSchema, type MastodonScheduledStatus, type MastodonStatus, type Visibility } from './schemas';
import { countableLength } from './text';

/**
 * A scheduled status lives in its own table with its own ids, which may collide with status ids
 * on old instances; the prefix keeps delete() from removing the wrong thing.
 */
export const SCHEDULED_PREFIX = 'scheduled:';

export function scheduledId(platformPostId: string): string | null {
  return platformPostId.startsWith(SCHEDULED_PREFIX) ? platformPostId.slice(SCHEDULED_PREFIX.length) : null;
}

export function checkText(part: Pick<PostPart, 'text' | 'media'>, limits: InstanceLimits, label: string): void {
  if (part.text.trim() === '' && part.media.length === 0) throw refuse('validation', `${label} needs text or an attachment.`);
  const length = countableLength(part.text, limits.charactersReservedPerUrl);
  if (length > limits.maxCharacters) {
    throw refuse('validation', `${label} is ${length} characters; this Mastodon server allows ${limits.maxCharacters} (every link counts as ${limits.charactersReservedPerUrl}).`);
  }
}

export interface StatusParams {
  text: string;
  mediaIds: readonly string[];
  inReplyToId: string | null;
  language: string | null;
  /** null keeps the account's default visibility. */
  visibility: Visibility | null;
  idempotencyKey: string;
  signal?: AbortSignal;
}

function form(p: StatusParams, scheduledAt: number | null): URLSearchParams {
  const body = new URLSearchParams();
  body.set('status', p.text);
  for (const id of p.mediaIds) body.append('media_ids[]', id);
  if (p.inReplyToId !== null) body.set('in_reply_to_id', p.inReplyToId);
  if (p.language !== null) body.set('language', p.language);
  if (p.visibility !== null) body.set('visibility', p.visibility);
  if (scheduledAt !== null) body.set('scheduled_at', new Date(scheduledAt).toISOString());
  return body;
}

function request(account: ConnectorAccount, p: StatusParams, scheduledAt: number | null) {
  return {
    method: 'POST',
    url: api(account, '/api/v1/statuses'),
    headers: authHeaders(account, { 'idempotency-key': p.idempotencyKey }),
    body: form(p, scheduledAt),
    idempotent: true,
    ...(p.signal ? { signal: p.signal } : {}),
  } as const;
}

export async function postStatus(ctx: MastodonContext, account: ConnectorAccount, p: StatusParams): Promise<MastodonStatus> {
  return (await ctx.http.json(request(account, p, null), statusSchema)).data;
}

export async function scheduleStatus(ctx: MastodonContext, account: ConnectorAccount, p: StatusParams, at: number): Promise<MastodonScheduledStatus> {
  return (await ctx.http.json(request(account, p, at), scheduledStatusSchema)).data;
}

export function publishedItem(status: MastodonStatus): PublishedItem {
  return { platformPostId: status.id, url: status.url ?? null };
}

export function visibilityOf(status: MastodonStatus): Visibility {
  const v = status.visibility;
  // A visibility this version doesn't know (a fork's "limited", "local") answers as narrowly as we can.
  return v === 'public' || v === 'unlisted' || v === 'private' || v === 'direct' ? v : 'private';
}
