// AI Studio: saved chat threads with their history (studio-store.ts keeps them as LangGraph-style
// checkpoints), a model per thread from the catalogue with the studio's default, answers streamed
// as 'ai.stream' events and metered as 'chat' generations through `complete`, Stop through
// ai.cancel, regenerate as a new branch from the turn's parent, and an optional "use my knowledge
// base" that grounds the answer on hybrid search and keeps the passages it used with the answer.
import { desc, eq, isNull, sql } from 'drizzle-orm';
import { aiStudioSettings, aiStudioThreads } from '../../../db/schema/ai';
import { newId } from '../../../db/schema/columns';
import { inWorkspace, type WorkspaceScope } from '../../../db/scope';
import { ApiError } from '../../api/errors';
import type { ApiContext } from '../context';
import { getWorkspace } from '../workspaces/workspaces';
import { complete } from './complete';
import { AiError, NOT_CONFIGURED_MESSAGE } from './errors';
import { getSettings, resolveAi } from './settings';
import { cancelRequest } from './requests';
import { knowledgeFor } from './writing';
import { ANSWER_MAX_TOKENS, HISTORY_TOKEN_BUDGET, MAX_MESSAGE_CHARS, studioSystemPrompt, titleFrom, turnMessages } from './studio-prompt';
import {
  clearPendingWrites,
  countCheckpoints,
  dropThreadState,
  getCheckpoint,
  headCheckpoint,
  liveThread,
  pendingWrites,
  putCheckpoint,
  putPendingWrite,
  siblingCheckpoints,
  type Checkpoint,
  type HistoryBound,
  type StudioMessage,
  type StudioSource,
  type TurnStatus,
} from './studio-store';

export type { StudioMessage, StudioSource, TurnStatus, HistoryBound };

/** The studio's temperature when none was saved (ai_studio_settings' own default). */
const DEFAULT_TEMPERATURE = 0.7;
/** Characters of the message used as the knowledge search query. */
const QUERY_CHARS = 2_000;

// ---- answers being written -------------------------------------------------------------------

interface Running {
  turnId: string;
  requestId: string;
  /** The message being answered (null: regenerating an answer already in the history). */
  userMessage: StudioMessage | null;
}

const runningByCore = new WeakMap<ApiContext, Map<string, Running>>();

function runningMap(ctx: ApiContext): Map<string, Running> {
  let m = runningByCore.get(ctx);
  if (!m) runningByCore.set(ctx, (m = new Map()));
  return m;
}

function changed(ctx: ApiContext, workspaceId: string, threadId: string): void {
  ctx.events.emit('studio.changed', { workspaceId, threadId });
}

// ---- settings --------------------------------------------------------------------------------

export interface StudioSettingsView {
  workspaceId: string;
  /** False: nothing saved yet; the default model is the workspace's chat model. */
  saved: boolean;
  defaultModel: string;
  defaultSystemPrompt: string | null;
  temperature: number;
  /** The workspace's chat model (Settings → AI), offered in the picker too. */
  workspaceModel: string;
  /** Whether an AI endpoint is set up; when not, `setup` says how. */
  configured: boolean;
  setup: string | null;
  endpointKind: ReturnType<typeof getSettings>['effective']['kind'];
  /** Earlier messages sent with each turn, in estimated tokens. */
  historyTokenBudget: number;
  /** The longest message studio.send takes. */
  maxMessageChars: number;
}

export function getStudioSettings(ctx: ApiContext, workspaceId: string): StudioSettingsView {
  const ai = getSettings(ctx.db, workspaceId);
  const scope = inWorkspace(ctx.db.orm, workspaceId);
  const row = ctx.db.orm.select().from(aiStudioSettings).where(scope.owns(aiStudioSettings, isNull(aiStudioSettings.deletedAt))).get();
  return {
    workspaceId,
    saved: row !== undefined,
    defaultModel: row?.defaultModel ?? ai.effective.chatModel,
    defaultSystemPrompt: row?.defaultSystemPrompt ?? null,
    temperature: row?.temperature ?? DEFAULT_TEMPERATURE,
    workspaceModel: ai.effective.chatModel,
    configured: ai.effective.configured,
    setup: ai.effective.configured ? null : NOT_CONFIGURED_MESSAGE,
    endpointKind: ai.effective.kind,
    historyTokenBudget: HISTORY_TOKEN_BUDGET,
    maxMessageChars: MAX_MESSAGE_CHARS,
  };
}

export interface StudioSettingsPatch {
  workspaceId: string;
  defaultModel?: string | undefined;
  defaultSystemPrompt?: string | null | undefined;
  temperature?: number | undefined;
}

export function updateStudioSettings(ctx: ApiContext, patch: StudioSettingsPatch): StudioSettingsView {
  const current = getStudioSettings(ctx, patch.workspaceId);
  const set = {
    ...(patch.defaultModel !== undefined ? { defaultModel: patch.defaultModel.trim() } : {}),
    ...(patch.defaultSystemPrompt !== undefined ? { defaultSystemPrompt: patch.defaultSystemPrompt?.trim() || null } : {}),
    ...(patch.temperature !== undefined ? { temperature: patch.temperature } : {}),
  };
  const now = Date.now();
  ctx.db.orm
    .insert(aiStudioSettings)
    // A first save keeps the model the picker showed as the default (the column's own default is an OpenRouter id).
    .values({ workspaceId: patch.workspaceId, defaultModel: current.defaultModel, temperature: current.temperature, ...set })
    .onConflictDoUpdate({ target: aiStudioSettings.workspaceId, set: { ...set, deletedAt: null, updatedAt: now } })
    .run();
  return getStudioSettings(ctx, patch.workspaceId);
}

// ---- threads ---------------------------------------------------------------------------------

export interface ThreadItem {
  id: string;
  title: string;
  /** The thread's own model; null: the studio default. */
  model: string | null;
  messageCount: number;
  lastMessageAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** An answer is being written right now. */
  running: boolean;
}

function itemOf(ctx: ApiContext, row: typeof aiStudioThreads.$inferSelect): ThreadItem {
  return {
    id: row.id,
    title: row.title ?? 'New chat',
    model: row.model,
    messageCount: row.messageCount,
    lastMessageAt: row.lastMessageAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    running: runningMap(ctx).has(row.id),
  };
}

function scopeFor(ctx: ApiContext, workspaceId: string): WorkspaceScope {
  getWorkspace(ctx.db, workspaceId);
  return inWorkspace(ctx.db.orm, workspaceId);
}

function threadOrThrow(scope: WorkspaceScope, threadId: string) {
  const row = liveThread(scope, threadId);
  if (!row) throw new ApiError('not_found', 'That chat is not in this workspace any more (it may have been deleted). Pick another chat or start a new one.');
  return row;
}

export function listThreads(ctx: ApiContext, workspaceId: string): ThreadItem[] {
  const scope = scopeFor(ctx, workspaceId);
  return ctx.db.orm
    .select()
    .from(aiStudioThreads)
    .where(scope.owns(aiStudioThreads, isNull(aiStudioThreads.deletedAt)))
    .orderBy(desc(sql`coalesce(${aiStudioThreads.lastMessageAt}, ${aiStudioThreads.createdAt})`), desc(aiStudioThreads.id))
    .all()
    .map((r) => itemOf(ctx, r));
}

export function createThread(ctx: ApiContext, input: { workspaceId: string; title?: string | undefined; model?: string | null | undefined }): ThreadItem {
  const scope = scopeFor(ctx, input.workspaceId);
  const id = newId();
  const now = Date.now();
  ctx.db.sqlite.transaction(() => {
    scope.insert(aiStudioThreads, { workspaceId: input.workspaceId, id, title: input.title?.trim() || null, model: input.model?.trim() || null, createdAt: now, updatedAt: now }).run();
    // LangGraph starts a thread with an empty 'input' checkpoint: every turn then has a parent to branch from.
    putCheckpoint(scope, id, null, [], { source: 'input', step: -1 }, now);
  })();
  changed(ctx, input.workspaceId, id);
  return itemOf(ctx, threadOrThrow(scope, id));
}

export function renameThread(ctx: ApiContext, input: { workspaceId: string; threadId: string; title: string }): ThreadItem {
  const scope = scopeFor(ctx, input.workspaceId);
  threadOrThrow(scope, input.threadId);
  scope.update(aiStudioThreads, { title: input.title.trim(), updatedAt: Date.now() }, eq(aiStudioThreads.id, input.threadId)).run();
  changed(ctx, input.workspaceId, input.threadId);
  return itemOf(ctx, threadOrThrow(scope, input.threadId));
}

export function deleteThread(ctx: ApiContext, input: { workspaceId: string; threadId: string }): { deleted: true } {
  const scope = scopeFor(ctx, input.workspaceId);
  threadOrThrow(scope, input.threadId);
  // An answer still being written is stopped: nobody will read it.
  const running = runningMap(ctx).get(input.threadId);
  const now = Date.now();
  ctx.db.sqlite.transaction(() => {
    scope.update(aiStudioThreads, { deletedAt: now, updatedAt: now }, eq(aiStudioThreads.id, input.threadId)).run();
    dropThreadState(scope, input.threadId);
  })();
  if (running) cancelRequest(ctx, running.requestId);
  changed(ctx, input.workspaceId, input.threadId);
  return { deleted: true };
}

// ---- one thread, with its messages -----------------------------------------------------------

export interface EarlierAnswer {
  checkpointId: string;
  content: string;
  status: TurnStatus | null;
  model: string | null;
  at: number;
}

export interface ThreadView extends ThreadItem {
  /** The model the next answer uses: the thread's own, else the studio default. */
  effectiveModel: string;
  messages: StudioMessage[];
  checkpointId: string | null;
  /** Checkpoints saved for this thread (every turn and every regenerated answer). */
  checkpoints: number;
  /** Whether the last turn used the knowledge base (what the toggle starts at). */
  useKnowledge: boolean;
  /** How much history the last turn sent. */
  history: HistoryBound | null;
  /** Answers the last one replaced by regenerating, oldest first. */
  earlierAnswers: EarlierAnswer[];
  /** The answer being written: its request id (for Stop and the stream) and the message it answers. */
  pending: { requestId: string; userMessage: StudioMessage | null } | null;
}

/**
 * A turn whose user message was saved but whose answer never was (Postdesk stopped mid-answer):
 * the message goes into the history with an answer marked interrupted, so nothing typed is lost.
 */
function replayPendingWrites(ctx: ApiContext, scope: WorkspaceScope, threadId: string): boolean {
  if (runningMap(ctx).has(threadId)) return false;
  const writes = pendingWrites(scope, threadId);
  if (writes.length === 0) return false;
  ctx.db.sqlite.transaction(() => {
    for (const w of writes) {
      const head = headCheckpoint(scope, threadId);
      const answer: StudioMessage = {
        id: newId(),
        role: 'assistant',
        content: '',
        at: w.message.at,
        status: 'interrupted',
        error: 'Postdesk stopped before this answer was written. Regenerate to ask again.',
        model: w.model,
        useKnowledge: w.useKnowledge,
      };
      const messages = [...(head?.messages ?? []), w.message, answer];
      putCheckpoint(scope, threadId, head?.checkpointId ?? null, messages, { source: 'loop', step: (head?.metadata.step ?? -1) + 1, status: 'interrupted', model: w.model, useKnowledge: w.useKnowledge, recovered: true });
      clearPendingWrites(scope, threadId, w.taskId);
      scope.update(aiStudioThreads, { messageCount: messages.length, updatedAt: Date.now() }, eq(aiStudioThreads.id, threadId)).run();
    }
  })();
  return true;
}

function studioDefaultModel(ctx: ApiContext, workspaceId: string): string {
  return getStudioSettings(ctx, workspaceId).defaultModel;
}

function viewOf(ctx: ApiContext, scope: WorkspaceScope, workspaceId: string, threadId: string): ThreadView {
  const row = threadOrThrow(scope, threadId);
  const head = headCheckpoint(scope, threadId);
  const running = runningMap(ctx).get(threadId);
  const lastAnswer = head?.messages.at(-1);
  return {
    ...itemOf(ctx, row),
    effectiveModel: row.model ?? studioDefaultModel(ctx, workspaceId),
    messages: head?.messages ?? [],
    checkpointId: head?.checkpointId ?? null,
    checkpoints: countCheckpoints(scope, threadId),
    useKnowledge: head?.metadata.useKnowledge ?? false,
    history: head?.metadata.history ?? null,
    earlierAnswers: head
      ? siblingCheckpoints(scope, threadId, head)
          .map((c) => ({ c, answer: c.messages.at(-1) }))
          .filter((x) => x.answer?.role === 'assistant' && lastAnswer?.role === 'assistant')
          .map(({ c, answer }) => ({ checkpointId: c.checkpointId, content: answer!.content, status: answer!.status ?? null, model: answer!.model ?? null, at: c.createdAt }))
      : [],
    pending: running ? { requestId: running.requestId, userMessage: running.userMessage } : null,
  };
}

export function getThread(ctx: ApiContext, input: { workspaceId: string; threadId: string }): ThreadView {
  const scope = scopeFor(ctx, input.workspaceId);
  threadOrThrow(scope, input.threadId);
  if (replayPendingWrites(ctx, scope, input.threadId)) changed(ctx, input.workspaceId, input.threadId);
  return viewOf(ctx, scope, input.workspaceId, input.threadId);
}

// ---- a turn ----------------------------------------------------------------------------------

export interface TurnResult {
  status: Exclude<TurnStatus, 'failed' | 'interrupted'>;
  thread: ThreadView;
}

interface TurnInput {
  ctx: ApiContext;
  scope: WorkspaceScope;
  workspaceId: string;
  threadId: string;
  parent: Checkpoint;
  /** Messages before the one answered. */
  history: StudioMessage[];
  userMessage: StudioMessage;
  model: string;
  useKnowledge: boolean;
  requestId: string;
  source: 'loop' | 'fork';
  turnId: string;
}

async function runTurn(t: TurnInput): Promise<TurnResult> {
  const { ctx, scope, workspaceId, threadId } = t;
  const settings = getStudioSettings(ctx, workspaceId);
  const brand = getWorkspace(ctx.db, workspaceId);
  let sources: StudioSource[] | null = null;
  if (t.useKnowledge) {
    try {
      sources = (await knowledgeFor(ctx, workspaceId, t.userMessage.content.slice(0, QUERY_CHARS))).map((k) => ({ chunkId: k.chunkId, documentId: k.documentId, faqId: k.faqId, title: k.title, excerpt: k.text }));
    } catch (err) {
      // Grounding helps but must not stop the answer: a failed search means no passages, said in the prompt.
      console.warn('[studio] knowledge search failed; answering without it:', err);
      sources = [];
    }
  }
  const { messages, bound } = turnMessages(studioSystemPrompt(brand, settings.defaultSystemPrompt, sources), t.history, t.userMessage.content);

  // The text streamed so far, kept if the answer is stopped or cut off.
  let partial = '';
  const off = ctx.events.subscribe((event, payload) => {
    if (event === 'ai.stream' && (payload as { requestId: string }).requestId === t.requestId) partial += (payload as { delta: string }).delta;
  });
  let answer: StudioMessage;
  let failure: unknown = null;
  const meta: Record<string, unknown> = {};
  const base = { id: newId(), role: 'assistant' as const, at: Date.now(), model: t.model, useKnowledge: t.useKnowledge, ...(sources ? { sources } : {}) };
  try {
    const r = await complete(ctx, {
      workspaceId,
      feature: 'chat',
      messages,
      model: t.model,
      temperature: settings.temperature,
      maxTokens: ANSWER_MAX_TOKENS,
      stream: { requestId: t.requestId },
    });
    answer = { ...base, content: r.text, status: 'completed', model: r.model, generationId: r.generationId, at: Date.now() };
    Object.assign(meta, { generationId: r.generationId, promptTokens: r.usage.promptTokens, completionTokens: r.usage.completionTokens, costUsd: r.costUsd });
  } catch (err) {
    const cancelled = err instanceof AiError && err.code === 'cancelled';
    if (!cancelled) failure = err;
    const generationId = err instanceof AiError ? err.generationId : undefined;
    answer = {
      ...base,
      content: partial,
      status: cancelled ? 'cancelled' : 'failed',
      at: Date.now(),
      ...(cancelled ? {} : { error: err instanceof Error ? err.message : String(err) }),
      ...(generationId ? { generationId } : {}),
    };
    if (generationId) meta['generationId'] = generationId;
  } finally {
    off();
  }

  const status = answer.status!;
  const finalMessages = [...t.history, t.userMessage, answer];
  const now = Date.now();
  ctx.db.sqlite.transaction(() => {
    // Deleted mid-answer: its words went with it; nothing is written back.
    if (!liveThread(scope, threadId)) return;
    putCheckpoint(scope, threadId, t.parent.checkpointId, finalMessages, { source: t.source, step: t.parent.metadata.step + 1, status, model: t.model, useKnowledge: t.useKnowledge, history: bound, ...meta }, now);
    clearPendingWrites(scope, threadId, t.turnId);
    scope.update(aiStudioThreads, { messageCount: finalMessages.length, lastMessageAt: now, updatedAt: now }, eq(aiStudioThreads.id, threadId)).run();
  })();
  runningMap(ctx).delete(threadId);
  changed(ctx, workspaceId, threadId);
  if (failure !== null) throw failure;
  return { status: status === 'cancelled' ? 'cancelled' : 'completed', thread: viewOf(ctx, scope, workspaceId, threadId) };
}

interface Prepared {
  scope: WorkspaceScope;
  thread: typeof aiStudioThreads.$inferSelect;
  head: Checkpoint;
}

/** Checks shared by send and regenerate, before anything is written. */
function prepare(ctx: ApiContext, workspaceId: string, threadId: string): Prepared {
  const scope = scopeFor(ctx, workspaceId);
  const thread = threadOrThrow(scope, threadId);
  if (runningMap(ctx).has(threadId)) throw new ApiError('conflict', 'An answer is still being written in this chat. Wait for it or press Stop, then send again.');
  // Not configured: say how to set it up before anything is saved (the message stays in the box).
  resolveAi(ctx, workspaceId);
  replayPendingWrites(ctx, scope, threadId);
  let head = headCheckpoint(scope, threadId);
  if (!head) {
    // A thread that arrived without its start checkpoint (sync carries threads, not checkpoints).
    head = ctx.db.sqlite.transaction(() => putCheckpoint(scope, threadId, null, [], { source: 'input', step: -1 }))();
  }
  return { scope, thread, head };
}

function modelFor(ctx: ApiContext, p: Prepared, workspaceId: string, requested: string | undefined): string {
  const model = requested?.trim();
  if (model && model !== p.thread.model) {
    // The picker's choice sticks to the thread.
    p.scope.update(aiStudioThreads, { model, updatedAt: Date.now() }, eq(aiStudioThreads.id, p.thread.id)).run();
    return model;
  }
  return model || p.thread.model || studioDefaultModel(ctx, workspaceId);
}

export interface SendInput {
  workspaceId: string;
  threadId: string;
  text: string;
  requestId: string;
  useKnowledge?: boolean | undefined;
  model?: string | undefined;
}

/**
 * Send a message and stream the answer. The message is saved (as a pending write) before the
 * model is called; Stop ends the turn as 'cancelled' with the text so far. A failed call saves the
 * turn with the error and rethrows it.
 */
export async function sendMessage(ctx: ApiContext, input: SendInput): Promise<TurnResult> {
  const p = prepare(ctx, input.workspaceId, input.threadId);
  const model = modelFor(ctx, p, input.workspaceId, input.model);
  const useKnowledge = input.useKnowledge ?? false;
  const now = Date.now();
  const userMessage: StudioMessage = { id: newId(), role: 'user', content: input.text.trim(), at: now };
  const turnId = newId();
  ctx.db.sqlite.transaction(() => {
    putPendingWrite(p.scope, input.threadId, p.head.checkpointId, turnId, { message: userMessage, model, useKnowledge, requestId: input.requestId }, now);
    p.scope
      .update(
        aiStudioThreads,
        { ...(p.thread.title ? {} : { title: titleFrom(userMessage.content) }), lastMessageAt: now, updatedAt: now },
        eq(aiStudioThreads.id, input.threadId),
      )
      .run();
  })();
  runningMap(ctx).set(input.threadId, { turnId, requestId: input.requestId, userMessage });
  changed(ctx, input.workspaceId, input.threadId);
  try {
    return await runTurn({ ctx, scope: p.scope, workspaceId: input.workspaceId, threadId: input.threadId, parent: p.head, history: p.head.messages, userMessage, model, useKnowledge, requestId: input.requestId, source: 'loop', turnId });
  } finally {
    runningMap(ctx).delete(input.threadId);
  }
}

export interface RegenerateInput {
  workspaceId: string;
  threadId: string;
  requestId: string;
  useKnowledge?: boolean | undefined;
  model?: string | undefined;
}

/** A new answer to the last message: a new checkpoint from the turn's parent; the old answer stays as a sibling. */
export async function regenerate(ctx: ApiContext, input: RegenerateInput): Promise<TurnResult> {
  const p = prepare(ctx, input.workspaceId, input.threadId);
  const msgs = p.head.messages;
  let lastUser = -1;
  for (let i = msgs.length - 1; i >= 0; i--) {
    if (msgs[i]!.role === 'user') {
      lastUser = i;
      break;
    }
  }
  if (lastUser === -1) throw new ApiError('conflict', 'This chat has no message to answer again yet. Send one first.');
  const userMessage = msgs[lastUser]!;
  const history = msgs.slice(0, lastUser);
  // The turn's parent is the state before its question; a thread whose chain is broken (synced in
  // part) branches from the current head instead, which still keeps every earlier answer.
  const parent = (p.head.parentCheckpointId !== null ? getCheckpoint(p.scope, input.threadId, p.head.parentCheckpointId) : undefined) ?? p.head;
  const model = modelFor(ctx, p, input.workspaceId, input.model);
  const useKnowledge = input.useKnowledge ?? p.head.metadata.useKnowledge ?? false;
  const turnId = newId();
  runningMap(ctx).set(input.threadId, { turnId, requestId: input.requestId, userMessage: null });
  changed(ctx, input.workspaceId, input.threadId);
  try {
    return await runTurn({ ctx, scope: p.scope, workspaceId: input.workspaceId, threadId: input.threadId, parent, history, userMessage, model, useKnowledge, requestId: input.requestId, source: 'fork', turnId });
  } finally {
    runningMap(ctx).delete(input.threadId);
  }
}
