// Reading topic analyses back: the runs of a workspace, one run with its topics and their sample
// messages (with the conversation each came from, so the UI can open it), and all the messages of
// one topic from the run's model file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { topicAnalyses, topicModels } from '../../../db/schema/ai';
import { ApiError } from '../../api/errors';
import type { ApiContext } from '../context';
import { getWorkspace } from '../workspaces/workspaces';
import { OUTLIER_TOPIC, type TopicModelFile } from './analyze';
import { activeAnalysis } from './jobs';
import { excerpt } from './text';

/** What a run's metadata holds (written by analyze.ts); parsed, never trusted blindly. */
const runMetadata = z
  .object({
    days: z.number().optional(),
    maxTopics: z.number().optional(),
    seed: z.number().optional(),
    embedder: z.object({ model: z.string(), dims: z.number() }).optional(),
    messagesInWindow: z.number().optional(),
    capped: z.boolean().optional(),
    outliers: z.number().optional(),
    labelSource: z.enum(['ai', 'keywords']).optional(),
    notes: z.array(z.string()).optional(),
    durationMs: z.number().optional(),
    silhouette: z.array(z.object({ k: z.number(), silhouette: z.number() })).optional(),
    samples: z.record(z.string(), z.array(z.string())).optional(),
  })
  .passthrough();

type ModelRow = typeof topicModels.$inferSelect;

export interface RunView {
  id: string;
  version: string;
  createdAt: number;
  dateRangeStart: number | null;
  dateRangeEnd: number | null;
  days: number | null;
  totalTopics: number;
  /** Messages analysed. */
  totalDocuments: number;
  outliers: number;
  /** Customer messages in the period (more than analysed when capped). */
  messagesInWindow: number;
  capped: boolean;
  labelSource: 'ai' | 'keywords';
  /** What the user should know about this run (capped, labels from keywords and why). */
  notes: string[];
  embedder: string | null;
  durationMs: number | null;
  isActive: boolean;
}

export interface SampleView {
  messageId: string;
  /** null when the message has since been deleted. */
  conversationId: string | null;
  text: string;
  sentAt: number | null;
}

export interface TopicView {
  /** -1: messages that fit no topic. */
  topicId: number;
  label: string;
  keywords: string[];
  count: number;
  /** Of the analysed messages, 0..1. */
  share: number;
  samples: SampleView[];
}

function runView(r: ModelRow): RunView {
  const m = runMetadata.safeParse(r.metadata);
  const meta = m.success ? m.data : {};
  return {
    id: r.id,
    version: r.modelVersion,
    createdAt: r.createdAt,
    dateRangeStart: r.dateRangeStart ?? null,
    dateRangeEnd: r.dateRangeEnd ?? null,
    days: meta.days ?? null,
    totalTopics: r.totalTopics,
    totalDocuments: r.totalDocuments,
    outliers: meta.outliers ?? 0,
    messagesInWindow: meta.messagesInWindow ?? r.totalDocuments,
    capped: meta.capped ?? false,
    labelSource: meta.labelSource ?? 'keywords',
    notes: meta.notes ?? [],
    embedder: meta.embedder?.model ?? null,
    durationMs: meta.durationMs ?? null,
    isActive: r.isActive,
  };
}

export function listRuns(ctx: Pick<ApiContext, 'db'>, workspaceId: string, limit: number): RunView[] {
  getWorkspace(ctx.db, workspaceId);
  return ctx.db.orm
    .select()
    .from(topicModels)
    .where(eq(topicModels.workspaceId, workspaceId))
    .orderBy(desc(topicModels.createdAt), desc(topicModels.id))
    .limit(limit)
    .all()
    .map(runView);
}

/** The run asked for, or the workspace's active one; never another workspace's. */
function findRun(ctx: Pick<ApiContext, 'db'>, workspaceId: string, modelId: string | undefined): ModelRow | null {
  getWorkspace(ctx.db, workspaceId);
  if (modelId) {
    const r = ctx.db.orm
      .select()
      .from(topicModels)
      .where(and(eq(topicModels.id, modelId), eq(topicModels.workspaceId, workspaceId)))
      .get();
    if (!r) throw new ApiError('not_found', 'That topic analysis does not exist in this workspace (it may have been replaced by newer runs).');
    return r;
  }
  return (
    ctx.db.orm
      .select()
      .from(topicModels)
      .where(and(eq(topicModels.workspaceId, workspaceId), eq(topicModels.isActive, true)))
      .get() ?? null
  );
}

interface MessageRef {
  id: string;
  conversationId: string;
  content: string;
  sentAt: number;
  customerName: string | null;
}

/** Live messages by id within the workspace (deleted ones are simply absent). */
function messagesById(ctx: Pick<ApiContext, 'db'>, workspaceId: string, ids: readonly string[]): Map<string, MessageRef> {
  const out = new Map<string, MessageRef>();
  for (let i = 0; i < ids.length; i += 400) {
    const part = ids.slice(i, i + 400);
    if (part.length === 0) continue;
    const rows = ctx.db.sqlite
      .prepare(
        `SELECT m.id, m.conversation_id AS conversationId, substr(m.content, 1, 4000) AS content, m.sent_at AS sentAt, c.customer_name AS customerName
           FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
          WHERE m.id IN (${part.map(() => '?').join(',')}) AND m.workspace_id = ? AND c.workspace_id = ?
            AND m.deleted_at IS NULL AND c.deleted_at IS NULL`,
      )
      .all(...part, workspaceId, workspaceId) as MessageRef[];
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

export interface LatestView {
  run: RunView | null;
  topics: TopicView[];
  /** The analysis queued or running now, if any (its progress comes as 'topics.progress'). */
  runningJobId: string | null;
}

export function runWithTopics(ctx: Pick<ApiContext, 'db'>, workspaceId: string, modelId?: string): LatestView {
  const model = findRun(ctx, workspaceId, modelId);
  const runningJobId = activeAnalysis(ctx, workspaceId);
  if (!model) return { run: null, topics: [], runningJobId };
  const run = runView(model);
  const meta = runMetadata.safeParse(model.metadata);
  const sampleIds = meta.success ? (meta.data.samples ?? {}) : {};
  const rows = ctx.db.orm
    .select()
    .from(topicAnalyses)
    .where(and(eq(topicAnalyses.modelId, model.id), eq(topicAnalyses.workspaceId, workspaceId)))
    .all();
  const live = messagesById(ctx, workspaceId, Object.values(sampleIds).flat());
  const topics = rows
    .map((r): TopicView => {
      const ids = sampleIds[String(r.topicId)] ?? [];
      const samples = r.sampleMessages.map((text, i): SampleView => {
        const id = ids[i] ?? '';
        const m = live.get(id);
        return { messageId: id, conversationId: m?.conversationId ?? null, text, sentAt: m?.sentAt ?? null };
      });
      return {
        topicId: r.topicId,
        label: r.topicLabel ?? (r.topicId === OUTLIER_TOPIC ? 'Other messages' : `Topic ${r.topicId + 1}`),
        keywords: r.topicKeywords,
        count: r.messageCount,
        share: run.totalDocuments > 0 ? r.messageCount / run.totalDocuments : 0,
        samples,
      };
    })
    // Largest first; the outliers last whatever their size.
    .sort((a, b) => Number(a.topicId === OUTLIER_TOPIC) - Number(b.topicId === OUTLIER_TOPIC) || b.count - a.count || a.topicId - b.topicId);
  return { run, topics, runningJobId };
}

const modelFile = z.object({
  format: z.literal('postdesk-topics-1'),
  modelId: z.string(),
  workspaceId: z.string(),
  assignments: z.array(z.tuple([z.string(), z.number(), z.number()])),
});

async function readModelFile(ctx: Pick<ApiContext, 'dataDir'>, model: ModelRow): Promise<Pick<TopicModelFile, 'assignments'>> {
  let text: string;
  try {
    text = await readFile(join(ctx.dataDir, model.storagePath), 'utf8');
  } catch {
    throw new ApiError('not_found', 'The file of this topic analysis is missing from the data folder. Run the analysis again.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = modelFile.safeParse(json);
  if (!parsed.success || parsed.data.modelId !== model.id || parsed.data.workspaceId !== model.workspaceId) {
    throw new ApiError('internal', 'The file of this topic analysis is damaged. Run the analysis again.');
  }
  return parsed.data;
}

export interface TopicMessage {
  messageId: string;
  conversationId: string;
  customerName: string | null;
  text: string;
  sentAt: number;
  /** Similarity to the topic's centre (0 for outliers): 1 is most typical. */
  similarity: number;
}

export interface TopicMessagesView {
  modelId: string;
  topicId: number;
  /** Messages of the topic in the run (some may have been deleted since). */
  total: number;
  messages: TopicMessage[];
}

/** A topic's messages, most typical first, paged, with their conversation ids. */
export async function topicMessages(
  ctx: Pick<ApiContext, 'db' | 'dataDir'>,
  i: { workspaceId: string; modelId?: string | undefined; topicId: number; limit: number; offset: number },
): Promise<TopicMessagesView> {
  const model = findRun(ctx, i.workspaceId, i.modelId);
  if (!model) throw new ApiError('not_found', 'No topic analysis has been run in this workspace yet. Run one first.');
  const file = await readModelFile(ctx, model);
  const inTopic = file.assignments.filter((a) => a[1] === i.topicId);
  if (inTopic.length === 0 && !(i.topicId === OUTLIER_TOPIC || (i.topicId >= 0 && i.topicId < model.totalTopics))) {
    throw new ApiError('not_found', `This analysis has no topic ${i.topicId}.`);
  }
  const page = inTopic.slice(i.offset, i.offset + i.limit);
  const live = messagesById(ctx, i.workspaceId, page.map((a) => a[0]));
  const messages: TopicMessage[] = [];
  for (const [id, , sim] of page) {
    const m = live.get(id);
    if (!m) continue;
    messages.push({ messageId: id, conversationId: m.conversationId, customerName: m.customerName, text: excerpt(m.content, 1000), sentAt: m.sentAt, similarity: sim });
  }
  return { modelId: model.id, topicId: i.topicId, total: inTopic.length, messages };
}
