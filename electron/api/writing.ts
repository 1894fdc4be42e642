// Writing help for Compose: write a post from a brief, rewrite a text for one network's limit,
// suggest hashtags, and whether any of it can work right now. Streamed methods name a request id;
// the text arrives as 'ai.stream' events under it and `ai.cancel` with the same id stops the call.
import { z } from 'zod';
import { PLATFORMS } from '../../db/schema/enums';
import { draftFromBrief, rewriteForPlatform, suggestHashtags, writingStatus } from '../core/ai/writing';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const requestId = z.string().trim().min(1).max(200);
const postText = z.string().max(20_000);
const hashtag = z.string().trim().regex(/^#?[\p{L}\p{N}_]+$/u, 'a hashtag is letters, digits and _');

export const writingApi = area('writing', {
  'writing.status': method({
    description: 'Whether the AI writing buttons can work (an endpoint is set) and, if not, exactly how to set one up; this month’s spend against the budget. Makes no AI call.',
    input: z.object({ workspaceId }),
    handler: (ctx, i) => writingStatus(ctx, i.workspaceId),
  }),
  'writing.draftFromBrief': method({
    description: 'Write a post from a brief in the brand voice, with a template and the knowledge base as context; streamed as ai.stream events under requestId; returns the text and the knowledge passages used.',
    input: z.object({
      workspaceId,
      brief: z.string().trim().min(3, 'say in a few words what the post is about').max(4000),
      accountIds: z.array(id).max(50).optional(),
      templateId: id.optional(),
      requestId,
    }),
    handler: (ctx, i) => draftFromBrief(ctx, i),
  }),
  'writing.rewriteForPlatform': method({
    description: "Rewrite a text for one network within its limit as Postdesk counts it (one more try when the first is over; marked overLimit if still over); streamed under requestId.",
    input: z.object({
      workspaceId,
      text: postText.refine((t) => t.trim() !== '', 'write something to rewrite first'),
      platform: z.enum(PLATFORMS),
      hashtags: z.array(hashtag).max(60).optional(),
      requestId,
    }),
    handler: (ctx, i) => rewriteForPlatform(ctx, i),
  }),
  'writing.suggestHashtags': method({
    description: 'Suggest hashtags for a text: normalised, each once, none already in the text or in exclude.',
    input: z.object({
      workspaceId,
      text: postText.refine((t) => t.trim() !== '', 'write the post first: hashtags are suggested from its text'),
      platform: z.enum(PLATFORMS).optional(),
      max: z.number().int().min(1).max(30).optional(),
      exclude: z.array(hashtag).max(60).optional(),
      requestId: requestId.optional(),
    }),
    handler: (ctx, i) => suggestHashtags(ctx, i),
  }),
});
