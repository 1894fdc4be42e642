// Facebook Page responses, reduced to the fields Postdesk reads.
import { z } from 'zod';
import { fromSchema, listOf } from '../meta/schemas';

/** POST /{page-id}/photos: the photo, and for a published photo the feed story it made. */
export const photoCreatedSchema = z.object({ id: z.string().min(1), post_id: z.string().min(1).optional() });

export const commentSchema = z.object({
  id: z.string(),
  message: z.string().optional(),
  created_time: z.string(),
  from: fromSchema.optional(),
  permalink_url: z.string().optional(),
  parent: z.object({ id: z.string() }).optional(),
});

export const commentsSchema = listOf(commentSchema);

export const feedSchema = listOf(
  z.object({
    id: z.string(),
    message: z.string().optional(),
    created_time: z.string(),
    updated_time: z.string().optional(),
    permalink_url: z.string().optional(),
    comments: commentsSchema.optional(),
  }),
);

export const scheduledPostsSchema = listOf(z.object({ id: z.string(), message: z.string().optional(), permalink_url: z.string().optional() }));

export const taggedSchema = listOf(
  z.object({ id: z.string(), message: z.string().optional(), created_time: z.string(), from: fromSchema.optional(), permalink_url: z.string().optional() }),
);

/** GET /{post-id} for a post handed over with published=false + scheduled_publish_time. */
export const heldPostSchema = z.object({
  id: z.string(),
  is_published: z.boolean().optional(),
  /** Unix seconds; while it is still held. */
  scheduled_publish_time: z.number().optional(),
  created_time: z.string().optional(),
  permalink_url: z.string().optional(),
});

/** Counts every post carries, whatever Meta does to its insight metrics. */
export const postCountsSchema = z.object({
  shares: z.object({ count: z.number() }).optional(),
  comments: z.object({ summary: z.object({ total_count: z.number() }) }).optional(),
  reactions: z.object({ summary: z.object({ total_count: z.number() }) }).optional(),
});
