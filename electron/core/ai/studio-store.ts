// AI Studio's saved state, kept the way LangGraph's checkpoint savers keep an agent thread:
// - ai_checkpoints: one checkpoint per turn holding the thread's whole message list (channel
//   `messages`), linked to the checkpoint it grew from. The thread's state is its newest checkpoint
//   (ids are UUIDv7, so the newest sorts last); a regenerated answer is a second child of the same
//   parent, so earlier answers stay in the history as siblings.
// - ai_checkpoint_writes: a step's pending writes. The user's message is written here before the
//   model is called, so a crash or a cancel mid-answer loses nothing the user typed; the turn's
//   checkpoint clears it, and a write left behind by a crash is replayed when the thread resumes.
// Every statement goes through the workspace scope.
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { aiCheckpoints, aiCheckpointWrites, aiStudioThreads } from '../../../db/schema/ai';
import { newId } from '../../../db/schema/columns';
import type { WorkspaceScope } from '../../../db/scope';

export const TURN_STATUSES = ['completed', 'cancelled', 'failed', 'interrupted'] as const;
export type TurnStatus = (typeof TURN_STATUSES)[number];

const sourceShape = z.object({
  chunkId: z.string(),
  documentId: z.string().nullable(),
  faqId: z.string().nullable(),
  title: z.string(),
  excerpt: z.string(),
});
export type StudioSource = z.infer<typeof sourceShape>;

const messageShape = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  /** Epoch ms. */
  at: z.number(),
  /** Assistant messages: how the turn ended. */
  status: z.enum(TURN_STATUSES).optional(),
  /** Why a failed turn failed, in words for the user. */
  error: z.string().optional(),
  model: z.string().optional(),
  /** The knowledge passages the answer was grounded on (empty when the toggle was off or nothing matched). */
  sources: z.array(sourceShape).optional(),
  /** Whether the knowledge base was asked for this answer. */
  useKnowledge: z.boolean().optional(),
  generationId: z.string().optional(),
});
export type StudioMessage = z.infer<typeof messageShape>;

/** LangGraph's checkpoint layout (v1), with the one channel a chat needs. */
const checkpointShape = z.object({
  v: z.number(),
  id: z.string(),
  ts: z.string(),
  channel_values: z.object({ messages: z.array(messageShape) }),
});

export const historyShape = z.object({
  /** Earlier messages the model was given with this turn. */
  sent: z.number().int(),
  /** Earlier messages left out to stay within the history budget. */
  omitted: z.number().int(),
  budgetTokens: z.number().int(),
});
export type HistoryBound = z.infer<typeof historyShape>;

const metadataShape = z
  .object({
    /** 'input': the empty start of a thread; 'loop': a turn; 'fork': a regenerated turn. */
    source: z.enum(['input', 'loop', 'fork']).catch('loop'),
    step: z.number().int().catch(0),
    status: z.enum(TURN_STATUSES).optional(),
    model: z.string().optional(),
    generationId: z.string().optional(),
    promptTokens: z.number().optional(),
    completionTokens: z.number().optional(),
    costUsd: z.number().optional(),
    useKnowledge: z.boolean().optional(),
    history: historyShape.optional(),
    recovered: z.boolean().optional(),
  })
  .passthrough();
export type CheckpointMetadata = z.infer<typeof metadataShape>;

export interface Checkpoint {
  checkpointId: string;
  parentCheckpointId: string | null;
  messages: StudioMessage[];
  metadata: CheckpointMetadata;
  createdAt: number;
}

const NS = '';

function toCheckpoint(row: typeof aiCheckpoints.$inferSelect): Checkpoint {
  // A checkpoint that synced in from elsewhere in another shape reads as empty rather than crashing the page.
  const parsed = checkpointShape.safeParse(row.checkpoint);
  const meta = metadataShape.safeParse(row.metadata);
  return {
    checkpointId: row.checkpointId,
    parentCheckpointId: row.parentCheckpointId,
    messages: parsed.success ? parsed.data.channel_values.messages : [],
    metadata: meta.success ? meta.data : { source: 'loop', step: 0 },
    createdAt: row.createdAt,
  };
}

export function liveThread(scope: WorkspaceScope, threadId: string) {
  return scope.orm.select().from(aiStudioThreads).where(scope.owns(aiStudioThreads, eq(aiStudioThreads.id, threadId), isNull(aiStudioThreads.deletedAt))).get();
}

/** The thread's state: its newest checkpoint, or undefined for a thread with none yet. */
export function headCheckpoint(scope: WorkspaceScope, threadId: string): Checkpoint | undefined {
  const row = scope.orm
    .select()
    .from(aiCheckpoints)
    .where(scope.owns(aiCheckpoints, eq(aiCheckpoints.threadId, threadId), eq(aiCheckpoints.checkpointNs, NS)))
    .orderBy(desc(aiCheckpoints.checkpointId))
    .limit(1)
    .get();
  return row ? toCheckpoint(row) : undefined;
}

export function getCheckpoint(scope: WorkspaceScope, threadId: string, checkpointId: string): Checkpoint | undefined {
  const row = scope.orm
    .select()
    .from(aiCheckpoints)
    .where(scope.owns(aiCheckpoints, eq(aiCheckpoints.threadId, threadId), eq(aiCheckpoints.checkpointNs, NS), eq(aiCheckpoints.checkpointId, checkpointId)))
    .get();
  return row ? toCheckpoint(row) : undefined;
}

/** Other checkpoints grown from the same parent: earlier answers to the same question. */
export function siblingCheckpoints(scope: WorkspaceScope, threadId: string, head: Checkpoint): Checkpoint[] {
  if (head.parentCheckpointId === null) return [];
  return scope.orm
    .select()
    .from(aiCheckpoints)
    .where(scope.owns(aiCheckpoints, eq(aiCheckpoints.threadId, threadId), eq(aiCheckpoints.checkpointNs, NS), eq(aiCheckpoints.parentCheckpointId, head.parentCheckpointId)))
    .orderBy(asc(aiCheckpoints.checkpointId))
    .all()
    .map(toCheckpoint)
    .filter((c) => c.checkpointId !== head.checkpointId);
}

export function countCheckpoints(scope: WorkspaceScope, threadId: string): number {
  return scope.count(aiCheckpoints, eq(aiCheckpoints.threadId, threadId));
}

/** Saves a checkpoint (call inside the caller's transaction) and returns it. */
export function putCheckpoint(
  scope: WorkspaceScope,
  threadId: string,
  parentCheckpointId: string | null,
  messages: StudioMessage[],
  metadata: CheckpointMetadata,
  now = Date.now(),
): Checkpoint {
  const checkpointId = newId();
  scope
    .insert(aiCheckpoints, {
      workspaceId: scope.workspaceId,
      threadId,
      checkpointNs: NS,
      checkpointId,
      parentCheckpointId,
      type: 'json',
      checkpoint: { v: 1, id: checkpointId, ts: new Date(now).toISOString(), channel_values: { messages }, channel_versions: { messages: metadata.step + 1 } },
      metadata,
      createdAt: now,
      updatedAt: now,
    })
    .run();
  return { checkpointId, parentCheckpointId, messages, metadata, createdAt: now };
}

// ---- pending writes --------------------------------------------------------------------------

const MESSAGES_CHANNEL = 'messages';

const pendingShape = z.object({ message: messageShape, model: z.string(), useKnowledge: z.boolean(), requestId: z.string() });
export type PendingTurn = z.infer<typeof pendingShape>;

export interface PendingWrite extends PendingTurn {
  taskId: string;
  /** The checkpoint the turn started from. */
  checkpointId: string;
}

/** The user's message of a turn about to be answered, saved before the model is called. */
export function putPendingWrite(scope: WorkspaceScope, threadId: string, checkpointId: string, taskId: string, turn: PendingTurn, now = Date.now()): void {
  scope
    .insert(aiCheckpointWrites, {
      workspaceId: scope.workspaceId,
      threadId,
      checkpointNs: NS,
      checkpointId,
      taskId,
      idx: 0,
      channel: MESSAGES_CHANNEL,
      type: 'json',
      blob: Buffer.from(JSON.stringify(turn), 'utf8'),
      createdAt: now,
      updatedAt: now,
    })
    .run();
}

function parseBlob(blob: Buffer | null): unknown {
  try {
    return blob ? JSON.parse(blob.toString('utf8')) : null;
  } catch {
    // A write that is not JSON (from another writer of this table) is not one of ours: skip it.
    return null;
  }
}

export function pendingWrites(scope: WorkspaceScope, threadId: string): PendingWrite[] {
  const rows = scope.orm
    .select()
    .from(aiCheckpointWrites)
    .where(scope.owns(aiCheckpointWrites, eq(aiCheckpointWrites.threadId, threadId), eq(aiCheckpointWrites.checkpointNs, NS), eq(aiCheckpointWrites.channel, MESSAGES_CHANNEL)))
    .orderBy(asc(aiCheckpointWrites.createdAt), asc(aiCheckpointWrites.taskId), asc(aiCheckpointWrites.idx))
    .all();
  const out: PendingWrite[] = [];
  for (const r of rows) {
    const parsed = pendingShape.safeParse(parseBlob(r.blob));
    if (parsed.success) out.push({ ...parsed.data, taskId: r.taskId, checkpointId: r.checkpointId });
  }
  return out;
}

export function clearPendingWrites(scope: WorkspaceScope, threadId: string, taskId: string): void {
  scope.delete(aiCheckpointWrites, and(eq(aiCheckpointWrites.threadId, threadId), eq(aiCheckpointWrites.taskId, taskId))).run();
}

/** A deleted chat's words go with it; the thread row stays as a tombstone for sync. */
export function dropThreadState(scope: WorkspaceScope, threadId: string): void {
  scope.delete(aiCheckpointWrites, eq(aiCheckpointWrites.threadId, threadId)).run();
  scope.delete(aiCheckpoints, eq(aiCheckpoints.threadId, threadId)).run();
}
