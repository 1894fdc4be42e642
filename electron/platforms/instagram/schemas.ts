// Instagram (Graph API, professional accounts) responses, reduced to the fields Postdesk reads.
import { z } from 'zod';
import { listOf } from '../meta/schemas';

export const CONTAINER_STATUSES = ['EXPIRED', 'ERROR', 'FINISHED', 'IN_PROGRESS', 'PUBLISHED'] as const;

/** GET /{container-id}?fields=status_code,status: `status` carries the error subcode on ERROR. */
export const containerStatusSchema = z.object({ status_code: z.enum(CONTAINER_STATUSES), status: z.string().optional() });

export const publishingLimitSchema = z.object({
  data: z.array(z.object({ quota_usage: z.number(), config: z.object({ quota_total: z.number(), quota_duration: z.number().optional() }).optional() })),
});

export const permalinkSchema = z.object({ permalink: z.string().optional() });

export const igCommentSchema = z.object({
  id: z.string(),
  text: z.string().optional(),
  timestamp: z.string(),
  username: z.string().optional(),
  from: z.object({ id: z.string(), username: z.string().optional() }).optional(),
});

export const igCommentsSchema = listOf(igCommentSchema);

export const mediaListSchema = listOf(
  z.object({
    id: z.string(),
    caption: z.string().optional(),
    timestamp: z.string(),
    permalink: z.string().optional(),
    comments: igCommentsSchema.optional(),
  }),
);

export const taggedMediaSchema = listOf(
  z.object({ id: z.string(), caption: z.string().optional(), timestamp: z.string(), username: z.string().optional(), permalink: z.string().optional() }),
);

export const mediaCountsSchema = z.object({ like_count: z.number().optional(), comments_count: z.number().optional() });

export const pageIdSchema = z.object({ id: z.string().min(1) });
