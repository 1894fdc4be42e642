// Graph response shapes both connectors read, reduced to the fields Postdesk uses.
import { z } from 'zod';

/** Cursor paging (`cursors.after`) or time paging (`until` + `__paging_token` in `next`). */
export const pagingSchema = z
  .object({
    cursors: z.object({ after: z.string().optional(), before: z.string().optional() }).optional(),
    next: z.string().optional(),
  })
  .optional();

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), paging: pagingSchema });
}

export const idSchema = z.object({ id: z.string().min(1) });

export const successSchema = z.object({ success: z.boolean() });

/** oauth/access_token for a code and for fb_exchange_token. */
export const tokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
});

export const instagramAccountSchema = z.object({
  id: z.string().min(1),
  username: z.string().optional(),
  name: z.string().optional(),
  profile_picture_url: z.string().optional(),
});

/** One entry of /me/accounts: a Page the user manages, with its Page access token. */
export const managedPageSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  username: z.string().optional(),
  access_token: z.string().min(1),
  tasks: z.array(z.string()).optional(),
  picture: z.object({ data: z.object({ url: z.string().optional() }) }).optional(),
  instagram_business_account: instagramAccountSchema.optional(),
});

export const managedPagesSchema = listOf(managedPageSchema);

export const insightsSchema = z.object({
  data: z.array(
    z.object({
      name: z.string(),
      // Most metrics are a number; *_by_type metrics are an object of counts, which is skipped.
      values: z.array(z.object({ value: z.union([z.number(), z.record(z.string(), z.number())]) })).optional(),
      total_value: z.object({ value: z.number() }).optional(),
    }),
  ),
});

export const fromSchema = z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional() });

export const messageSchema = z.object({ id: z.string(), message: z.string().optional(), created_time: z.string(), from: fromSchema.optional() });

export const messagesSchema = listOf(messageSchema);

export const conversationsSchema = listOf(
  z.object({
    id: z.string(),
    updated_time: z.string().optional(),
    messages: messagesSchema.optional(),
  }),
);

export const participantsSchema = z.object({
  participants: z.object({ data: z.array(fromSchema) }),
});

/** Send API answer. */
export const sentMessageSchema = z.object({ recipient_id: z.string().optional(), message_id: z.string().min(1) });
