// The parts of LinkedIn's responses the connector reads, and nothing more: a field LinkedIn adds
// never breaks us, a field we rely on going missing is an error instead of a silent default.
import { z } from 'zod';

/** www.linkedin.com/oauth/v2/accessToken (code exchange and programmatic refresh). */
export const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  // Only apps approved for programmatic refresh get these two.
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().optional(),
  scope: z.string().optional(),
});

/** OpenID Connect userinfo: `sub` is the member id behind urn:li:person:<sub>. */
export const userInfo = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  picture: z.string().optional(),
});

export const initializeImageUpload = z.object({
  value: z.object({
    uploadUrl: z.url(),
    image: z.string().startsWith('urn:li:image:'),
  }),
});

const paging = z.object({
  start: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().optional(),
});

export const postsPage = z.object({
  elements: z.array(
    z.object({
      id: z.string().min(1),
      commentary: z.string().optional(),
      createdAt: z.number().optional(),
    }),
  ),
  paging: paging.optional(),
});

export const comment = z.object({
  commentUrn: z.string().startsWith('urn:li:comment:').optional(),
  $URN: z.string().startsWith('urn:li:comment:').optional(),
  actor: z.string().min(1),
  object: z.string().min(1),
  parentComment: z.string().optional(),
  message: z.object({ text: z.string() }),
  created: z.object({ time: z.number() }),
});
export type LinkedInComment = z.output<typeof comment>;

export const commentsPage = z.object({
  elements: z.array(comment),
  paging: paging.optional(),
});

/** A created comment: its URN is in the body (the versioned API) or `$URN` (older answers). */
export const createdComment = z.object({
  commentUrn: z.string().startsWith('urn:li:comment:').optional(),
  $URN: z.string().startsWith('urn:li:comment:').optional(),
});

export const socialActions = z.object({
  likesSummary: z.object({ totalLikes: z.number().int().nonnegative() }).optional(),
  commentsSummary: z.object({ aggregatedTotalComments: z.number().int().nonnegative() }).optional(),
});

const count = z.number().nonnegative().optional();

export const shareStatistics = z.object({
  elements: z.array(
    z.object({
      share: z.string().optional(),
      ugcPost: z.string().optional(),
      totalShareStatistics: z.object({
        impressionCount: count,
        uniqueImpressionsCount: count,
        clickCount: count,
        likeCount: count,
        commentCount: count,
        shareCount: count,
      }),
    }),
  ),
});

export const organizationAcls = z.object({
  elements: z.array(
    z.object({
      organization: z.string().startsWith('urn:li:organization:'),
      role: z.string(),
      state: z.string(),
    }),
  ),
  paging: paging.optional(),
});

export const organization = z.object({
  id: z.number(),
  localizedName: z.string().optional(),
  vanityName: z.string().optional(),
});
