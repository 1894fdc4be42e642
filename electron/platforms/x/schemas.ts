// The parts of X's API v2 answers the connector reads (docs.x.com; see docs/PLATFORMS.md "X").
// Only the fields used: anything else X adds is ignored, and a missing id fails the parse, so the
// connector never reports a success it cannot point to.
import { z } from 'zod';

const id = z.string().min(1);

/** RFC 6749 §5.1 token response; X always sends `scope`, and `refresh_token` only with offline.access. */
export const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().optional(),
  scope: z.string().optional(),
});

export const revokeResponse = z.object({ revoked: z.boolean() });

const user = z.object({
  id,
  username: z.string(),
  name: z.string(),
  profile_image_url: z.string().optional(),
});
export type XUser = z.output<typeof user>;

export const usersMe = z.object({ data: user });

/** POST /2/tweets answers 201 `{data: {id, text}}`. */
export const createdTweet = z.object({ data: z.object({ id, text: z.string() }) });

export const deletedTweet = z.object({ data: z.object({ deleted: z.boolean() }) });

const publicMetrics = z.object({
  impression_count: z.number().optional(),
  like_count: z.number().optional(),
  retweet_count: z.number().optional(),
  reply_count: z.number().optional(),
  quote_count: z.number().optional(),
  bookmark_count: z.number().optional(),
});

const tweet = z.object({
  id,
  text: z.string(),
  created_at: z.string().optional(),
  author_id: z.string().optional(),
  conversation_id: z.string().optional(),
  in_reply_to_user_id: z.string().optional(),
  referenced_tweets: z.array(z.object({ type: z.string(), id })).optional(),
  public_metrics: publicMetrics.optional(),
});
export type XTweet = z.output<typeof tweet>;

/** Timelines (`/users/:id/tweets`, `/users/:id/mentions`): `data` is absent when the page is empty. */
export const tweetPage = z.object({
  data: z.array(tweet).optional(),
  includes: z.object({ users: z.array(user).optional() }).optional(),
  meta: z.object({ next_token: z.string().optional() }),
});

/** GET /2/tweets?ids=: found posts in `data`, deleted or hidden ones as partial `errors`. */
export const tweetLookup = z.object({ data: z.array(tweet).optional() });

const dmEvent = z.object({
  id,
  event_type: z.string(),
  text: z.string().optional(),
  sender_id: z.string().optional(),
  dm_conversation_id: z.string().optional(),
  created_at: z.string().optional(),
});

export const dmEventPage = z.object({
  data: z.array(dmEvent).optional(),
  includes: z.object({ users: z.array(user).optional() }).optional(),
  meta: z.object({ next_token: z.string().optional() }).optional(),
});

/** POST /2/dm_conversations/:id/messages answers 201 with the new event's id. */
export const dmSent = z.object({ data: z.object({ dm_conversation_id: z.string(), dm_event_id: id }) });

const processingInfo = z.object({
  state: z.enum(['pending', 'in_progress', 'succeeded', 'failed']),
  check_after_secs: z.number().optional(),
  error: z.object({ name: z.string().optional(), message: z.string().optional() }).optional(),
});
export type XProcessingInfo = z.output<typeof processingInfo>;

export const mediaInitialized = z.object({ data: z.object({ id }) });

/** FINALIZE: `processing_info` only when X still has work to do (GIF, video). */
export const mediaFinalized = z.object({ data: z.object({ id, processing_info: processingInfo.optional() }) });

export const mediaStatus = z.object({ data: z.object({ processing_info: processingInfo.optional() }) });

export const mediaMetadata = z.object({ data: z.object({}) });
