// Topic analysis: what customers write about. topics.run queues the 'topics.analyze' job over the
// last N days of inbound messages (watch 'topics.progress'); topics.latest shows the active run
// (or one by id) with its topics, keywords and samples; topics.runs lists past runs; and
// topics.messages lists one topic's messages with their conversations.
import { z } from 'zod';
import type { ApiContext } from '../core/context';
import { DEFAULT_MAX_TOPICS, DEFAULT_SEED, hasInboundMessages, MAX_MESSAGES, MAX_TOPICS_LIMIT } from '../core/topics/analyze';
import { queueAnalysis } from '../core/topics/jobs';
import { listRuns, runWithTopics, topicMessages } from '../core/topics/runs';
import { getWorkspace } from '../core/workspaces/workspaces';
import { area, method } from './contract';
import { ApiError } from './errors';
import { id, workspaceId } from './fields';

const DAY_MS = 86_400_000;

function run(ctx: ApiContext, i: { workspaceId: string; days: number; maxTopics: number; seed: number }) {
  getWorkspace(ctx.db, i.workspaceId);
  if (!hasInboundMessages(ctx, i.workspaceId, Date.now() - i.days * DAY_MS)) {
    throw new ApiError(
      'not_found',
      `No customer messages in the last ${i.days} day${i.days === 1 ? '' : 's'} to analyse. Choose a longer period, or refresh the inbox to fetch new messages.`,
    );
  }
  return queueAnalysis(ctx, i);
}

export const topicsApi = area('topics', {
  'topics.run': method({
    description:
      `Analyse what customers wrote in the last \`days\` days: their inbound messages (newest ${MAX_MESSAGES} at most) are embedded, clustered into at most \`maxTopics\` topics (k chosen by silhouette), ` +
      'described by keywords (c-TF-IDF) and named (by the AI endpoint when set up, else from keywords). Runs as the "topics.analyze" job; progress comes as "topics.progress" events. ' +
      'Returns {jobId, alreadyRunning} (one run per workspace at a time). Fails with not_found when the period has no customer messages. The same seed and messages give the same topics.',
    input: z.object({
      workspaceId,
      days: z.number().int().min(1, 'analyse at least one day').max(3650, 'at most ten years'),
      maxTopics: z.number().int().min(2).max(MAX_TOPICS_LIMIT).default(DEFAULT_MAX_TOPICS),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(DEFAULT_SEED),
    }),
    handler: (ctx, i) => run(ctx, i),
  }),
  'topics.latest': method({
    description:
      'The workspace\'s current topic analysis (or the run `modelId`): run {id, version, createdAt, date range, days, totalTopics, totalDocuments, outliers, messagesInWindow, capped, labelSource, notes, embedder} ' +
      'and topics largest first (topic -1, messages that fit none, last) with label, keywords, count, share and samples {messageId, conversationId, text, sentAt}. run is null before the first analysis. runningJobId: an analysis under way.',
    input: z.object({ workspaceId, modelId: id.optional() }),
    handler: (ctx, i) => runWithTopics(ctx, i.workspaceId, i.modelId),
  }),
  'topics.runs': method({
    description: 'Past topic analyses of a workspace, newest first (the newest 20 are kept).',
    input: z.object({ workspaceId, limit: z.number().int().min(1).max(100).default(20) }),
    handler: (ctx, i) => listRuns(ctx, i.workspaceId, i.limit),
  }),
  'topics.messages': method({
    description:
      'The messages of one topic of the current analysis (or of run `modelId`), most typical first: messageId, conversationId (open it in the Inbox), customerName, text, sentAt, similarity. topicId -1: the outliers. Paged; total counts the topic\'s messages in the run.',
    input: z.object({
      workspaceId,
      modelId: id.optional(),
      topicId: z.number().int().min(-1).max(MAX_TOPICS_LIMIT),
      limit: z.number().int().min(1).max(200).default(50),
      offset: z.number().int().min(0).max(MAX_MESSAGES).default(0),
    }),
    handler: (ctx, i) => topicMessages(ctx, i),
  }),
});
