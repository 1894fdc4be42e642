// The Mastodon REST entities as the connector reads them (docs.joinmastodon.org/entities), cut
// down to the fields it uses. Ids are strings on every instance (snowflakes since 2.0).
import { z } from 'zod';

export const applicationSchema = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
});

/** Token entity; refresh_token/expires_in only where the instance enables refresh tokens. */
export const tokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).nullish(),
  expires_in: z.number().nullish(),
});

export const accountSchema = z.object({
  id: z.string().min(1),
  username: z.string(),
  acct: z.string(),
  display_name: z.string(),
  url: z.string().nullish(),
  avatar: z.string().nullish(),
});
export type MastodonAccount = z.output<typeof accountSchema>;

export const VISIBILITIES = ['public', 'unlisted', 'private', 'direct'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

const mentionSchema = z.object({ id: z.string(), acct: z.string() });

export const statusSchema = z.object({
  id: z.string().min(1),
  created_at: z.string(),
  in_reply_to_id: z.string().nullish(),
  in_reply_to_account_id: z.string().nullish(),
  // Newer servers add visibilities (e.g. "limited" on forks); an unknown one is treated as private.
  visibility: z.string(),
  url: z.string().nullish(),
  content: z.string(),
  account: accountSchema,
  mentions: z.array(mentionSchema).default([]),
  replies_count: z.number().int().nonnegative(),
  reblogs_count: z.number().int().nonnegative(),
  favourites_count: z.number().int().nonnegative(),
});
export type MastodonStatus = z.output<typeof statusSchema>;

/** What POST /api/v1/statuses answers when scheduled_at is given. */
export const scheduledStatusSchema = z.object({
  id: z.string().min(1),
  scheduled_at: z.string(),
  params: z.object({
    text: z.string().nullish(),
    // The Idempotency-Key the status was scheduled with (docs' ScheduledStatus params).
    idempotency: z.string().nullish(),
  }),
});
export type MastodonScheduledStatus = z.output<typeof scheduledStatusSchema>;

/** MediaAttachment: `url` stays null while the full-size file is still processing (202 / 206). */
export const mediaAttachmentSchema = z.object({
  id: z.string().min(1),
  url: z.string().nullable(),
});

export const notificationSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  created_at: z.string(),
  account: accountSchema,
  status: statusSchema.nullish(),
});

export const conversationSchema = z.object({
  id: z.string().min(1),
  accounts: z.array(accountSchema),
  last_status: statusSchema.nullish(),
});

/** GET /api/v2/instance (4.0+): the limits this server enforces. Every field is optional on forks. */
export const instanceSchema = z.object({
  configuration: z
    .object({
      statuses: z
        .object({
          max_characters: z.number().int().positive().optional(),
          max_media_attachments: z.number().int().positive().optional(),
          characters_reserved_per_url: z.number().int().nonnegative().optional(),
        })
        .optional(),
      media_attachments: z
        .object({
          supported_mime_types: z.array(z.string()).optional(),
          image_size_limit: z.number().int().positive().optional(),
          video_size_limit: z.number().int().positive().optional(),
          description_limit: z.number().int().positive().optional(),
        })
        .optional(),
    })
    .optional(),
});
