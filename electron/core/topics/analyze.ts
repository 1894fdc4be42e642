// One topic-analysis run (the 'topics.analyze' job): the workspace's inbound messages of the last
// N days (newest first, capped) are embedded with the knowledge embedder, clustered (cluster.ts),
// described by c-TF-IDF keywords (keywords.ts) and named (labels.ts); the run is stored as a
// topic_models row (with a JSON file under the data folder holding centroids, vocabulary and each
// message's topic, so messages can be listed per topic or new ones re-assigned) and one
// topic_analyses row per topic (-1: the outliers).
//
// Everything heavy stays off the event loop's critical path: messages are read a page of
// conversations at a time, local embeddings are computed in the knowledge worker thread, and the
// clustering math yields every few milliseconds (pacer.ts).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { and, desc, eq, inArray, lt, notInArray } from 'drizzle-orm';
import type { EventPayload } from '../../api/events';
import { topicAnalyses, topicModels } from '../../../db/schema/ai';
import { AiError } from '../ai/errors';
import type { ApiContext } from '../context';
import { currentEmbedder, embedTexts, LOCAL_EMBEDDER, type EmbedderChoice } from '../knowledge/embedders';
import type { Clustering } from './cluster';
import type { KeywordModel } from './keywords';
import type { LsaProjection } from './lsa';
import { labelTopics, type LabelSource } from './labels';
import { Cancelled, Pacer } from './pacer';
import { computeTopicsOffThread } from './worker-client';
import { cleanText, excerpt } from './text';

export const TOPICS_JOB_TYPE = 'topics.analyze';
/** Newest messages analysed per run: beyond this a run takes minutes and says it was capped. */
export const MAX_MESSAGES = 5_000;
export const DEFAULT_MAX_TOPICS = 10;
export const MAX_TOPICS_LIMIT = 20;
export const DEFAULT_SEED = 42;
export const OUTLIER_TOPIC = -1;
/** Samples kept per topic (nearest the centroid first). */
export const SAMPLES_PER_TOPIC = 5;
/** Runs kept per workspace; older ones (rows and files) are removed after each run. */
export const RUNS_KEPT = 20;
/** Conversations read per page while collecting messages. */
const CONVERSATION_PAGE = 100;
/** Texts per embedding call from here (progress is reported between calls). */
const EMBED_STEP = 256;
const DAY_MS = 86_400_000;

export interface AnalyzeParams {
  workspaceId: string;
  days: number;
  maxTopics: number;
  seed: number;
}

export interface AnalyzeRun {
  jobId?: string;
  signal?: AbortSignal;
  progress?: (fraction: number, message: string) => void;
  now?: number;
}

export interface AnalyzeResult {
  /** null when there was nothing to analyse. */
  modelId: string | null;
  topics: number;
  analysed: number;
  outliers: number;
  capped: boolean;
  message: string;
}

export type TopicStage = EventPayload<'topics.progress'>['stage'];

export interface SourceMessage {
  id: string;
  conversationId: string;
  sentAt: number;
  text: string;
}

export interface MessageWindow {
  messages: SourceMessage[];
  /** Inbound messages in the window before the cap. */
  total: number;
  capped: boolean;
}

/** The inbound (customer) messages of the window, newest first, at most `cap`. */
export async function collectMessages(ctx: Pick<ApiContext, 'db'>, workspaceId: string, since: number, cap: number, pacer: Pacer): Promise<MessageWindow> {
  const sqlite = ctx.db.sqlite;
  // A conversation whose last activity is before the window has no message in it: skip it whole.
  const convPage = sqlite.prepare(
    `SELECT id FROM conversations
      WHERE workspace_id = ? AND deleted_at IS NULL AND last_message_at >= ? AND id > ?
      ORDER BY id LIMIT ${CONVERSATION_PAGE}`,
  );
  let kept: SourceMessage[] = [];
  let total = 0;
  let after = '';
  for (;;) {
    const convs = (convPage.all(workspaceId, since, after) as { id: string }[]).map((r) => r.id);
    if (convs.length === 0) break;
    after = convs[convs.length - 1]!;
    const rows = sqlite
      .prepare(
        `SELECT id, conversation_id AS conversationId, sent_at AS sentAt, substr(content, 1, 4000) AS text
           FROM conversation_messages
          WHERE conversation_id IN (${convs.map(() => '?').join(',')})
            AND workspace_id = ? AND direction = 'inbound' AND is_private_note = 0 AND deleted_at IS NULL
            AND sent_at >= ? AND length(trim(content)) > 0`,
      )
      .all(...convs, workspaceId, since) as SourceMessage[];
    for (const r of rows) {
      const text = cleanText(r.text);
      if (text.length === 0) continue;
      total++;
      kept.push({ ...r, text });
    }
    // Keep memory bounded on a huge inbox: trim to the newest `cap` now and then.
    if (kept.length > cap * 2) kept = newestFirst(kept).slice(0, cap);
    await pacer.pause();
  }
  kept = newestFirst(kept);
  return { messages: kept.slice(0, cap), total, capped: kept.length > cap || total > cap };
}

function newestFirst(rows: SourceMessage[]): SourceMessage[] {
  return rows.sort((a, b) => b.sentAt - a.sentAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Is there anything to analyse? (A cheap check for topics.run, before a job is queued.) */
export function hasInboundMessages(ctx: Pick<ApiContext, 'db'>, workspaceId: string, since: number): boolean {
  return (
    ctx.db.sqlite
      .prepare(
        `SELECT 1 FROM conversations c JOIN conversation_messages m ON m.conversation_id = c.id
          WHERE c.workspace_id = ? AND c.deleted_at IS NULL AND c.last_message_at >= ?
            AND m.direction = 'inbound' AND m.is_private_note = 0 AND m.deleted_at IS NULL
            AND m.sent_at >= ? AND length(trim(m.content)) > 0
          LIMIT 1`,
      )
      .get(workspaceId, since, since) !== undefined
  );
}

export function minTopicSize(n: number): number {
  return Math.max(4, Math.ceil(n * 0.01));
}

function modelVersion(now: number): string {
  const iso = new Date(now).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}_${iso.slice(11, 19).replace(/:/g, '')}`;
}

export function modelFilePath(workspaceId: string, modelId: string): string {
  return join('topics', workspaceId, `${modelId}.json`);
}

/** What the model file holds (format 1). */
export interface TopicModelFile {
  format: 'postdesk-topics-1';
  modelId: string;
  workspaceId: string;
  embedder: { model: string; dims: number };
  seed: number;
  createdAt: number;
  dateRange: { start: number; end: number };
  topics: { topicId: number; label: string; keywords: string[]; centroid: number[]; threshold: number }[];
  vocabulary: Record<string, { idf: number; word: string }>;
  /** The LSA projection of the run (see lsa.ts): terms, their idf, and terms × dims loadings. */
  lsa: { terms: string[]; idf: number[]; loadings: number[]; dims: number };
  /** [message id, topic id, similarity to the topic's centroid] */
  assignments: [string, number, number][];
}

interface EmbedOutcome {
  vectors: Float32Array[];
  dims: number;
  embedder: EmbedderChoice;
  note: string | null;
}

async function embedAll(ctx: ApiContext, workspaceId: string, texts: string[], signal: AbortSignal | undefined, step: (done: number) => void): Promise<EmbedOutcome> {
  const run = async (choice: EmbedderChoice) => {
    const vectors: Float32Array[] = [];
    let dims = choice.dims ?? 0;
    for (let i = 0; i < texts.length; i += EMBED_STEP) {
      const r = await embedTexts(ctx, workspaceId, choice, texts.slice(i, i + EMBED_STEP), { bulk: true, ...(signal ? { signal } : {}) });
      vectors.push(...r.vectors);
      dims = r.dims;
      step(vectors.length);
    }
    return { vectors, dims };
  };
  const choice = currentEmbedder(ctx.db, workspaceId);
  try {
    return { ...(await run(choice)), embedder: choice, note: null };
  } catch (err) {
    // The endpoint being away should not stop the analysis: the built-in embedder is always there.
    if (choice.kind !== 'endpoint' || !(err instanceof AiError) || signal?.aborted) throw err;
    const r = await run(LOCAL_EMBEDDER);
    return { ...r, embedder: LOCAL_EMBEDDER, note: `Embedded with the built-in embedder: the endpoint's "${choice.model}" failed (${err.message})` };
  }
}

function emit(ctx: ApiContext, p: AnalyzeParams, run: AnalyzeRun, payload: Omit<EventPayload<'topics.progress'>, 'workspaceId' | 'jobId'>): void {
  ctx.events.emit('topics.progress', { workspaceId: p.workspaceId, jobId: run.jobId ?? null, ...payload });
}

export async function analyzeTopics(ctx: ApiContext, p: AnalyzeParams, run: AnalyzeRun = {}): Promise<AnalyzeResult> {
  const started = Date.now();
  const now = run.now ?? started;
  const since = now - p.days * DAY_MS;
  const pacer = new Pacer(8, run.signal);
  const report = (stage: TopicStage, fraction: number, message: string) => {
    run.progress?.(fraction, message);
    emit(ctx, p, run, { status: 'running', stage, fraction, message, modelId: null });
  };
  try {
    report('collecting', 0.01, `Reading customer messages of the last ${p.days} day${p.days === 1 ? '' : 's'}`);
    const window = await collectMessages(ctx, p.workspaceId, since, MAX_MESSAGES, pacer);
    const msgs = window.messages;
    if (msgs.length === 0) {
      const message = `No customer messages in the last ${p.days} day${p.days === 1 ? '' : 's'} to analyse. Choose a longer period, or refresh the inbox first.`;
      emit(ctx, p, run, { status: 'done', stage: 'done', fraction: 1, message, modelId: null });
      return { modelId: null, topics: 0, analysed: 0, outliers: 0, capped: false, message };
    }
    const cappedNote = window.capped ? `Analysed the newest ${msgs.length.toLocaleString('en')} of ${window.total.toLocaleString('en')} messages.` : null;
    report('embedding', 0.1, `Embedding ${msgs.length} messages${cappedNote ? ` (${cappedNote})` : ''}`);

    const texts = msgs.map((m) => m.text);
    const emb = await embedAll(ctx, p.workspaceId, texts, run.signal, (done) => report('embedding', 0.1 + 0.4 * (done / texts.length), `Embedded ${done} of ${texts.length} messages`));
    pacer.throwIfCancelled();

    report('clustering', 0.5, 'Grouping similar messages');
    const flat = new Float32Array(emb.vectors.length * emb.dims);
    emb.vectors.forEach((v, i) => flat.set(v.subarray(0, emb.dims), i * emb.dims));
    const { clustering, keywords: kw, lsa } = await computeTopicsOffThread(
      { texts, vectors: flat, dims: emb.dims, seed: p.seed, maxTopics: p.maxTopics, minTopicSize: minTopicSize(msgs.length) },
      (f, message) => report('clustering', 0.5 + 0.38 * f, message),
      run.signal,
    );
    pacer.throwIfCancelled();
    const inputs = clustering.topics.map((t, topicId) => ({
      topicId,
      keywords: kw.topics[topicId]!.keywords,
      samples: t.members.slice(0, SAMPLES_PER_TOPIC).map((i) => texts[i]!),
    }));
    report('labelling', 0.9, clustering.topics.length > 0 ? 'Naming the topics' : 'No topic stood out');
    const labels = await labelTopics(ctx, p.workspaceId, inputs, run.signal);

    report('saving', 0.96, 'Saving the topics');
    const result = await store(ctx, p, {
      now,
      since,
      msgs,
      window,
      clustering,
      keywords: kw,
      lsa,
      labels: labels.labels,
      labelSource: labels.source,
      notes: [cappedNote, emb.note, labels.note].filter((n): n is string => n !== null),
      embedder: { model: emb.embedder.model, dims: emb.dims },
      durationMs: Date.now() - started,
    });
    const message =
      `Found ${clustering.topics.length} topic${clustering.topics.length === 1 ? '' : 's'} in ${msgs.length} messages` +
      (clustering.outliers.length ? ` (${clustering.outliers.length} fit none).` : '.') +
      (cappedNote ? ` ${cappedNote}` : '');
    emit(ctx, p, run, { status: 'done', stage: 'done', fraction: 1, message, modelId: result.modelId });
    return { modelId: result.modelId, topics: clustering.topics.length, analysed: msgs.length, outliers: clustering.outliers.length, capped: window.capped, message };
  } catch (err) {
    if (err instanceof Cancelled || run.signal?.aborted) {
      emit(ctx, p, run, { status: 'cancelled', stage: 'cancelled', fraction: 1, message: 'The topic analysis was cancelled.', modelId: null });
      throw err instanceof Cancelled ? err : new Cancelled();
    }
    const error = err instanceof Error ? err.message : String(err);
    emit(ctx, p, run, { status: 'failed', stage: 'failed', fraction: 1, message: null, modelId: null, error });
    throw err;
  }
}

interface StoreInput {
  now: number;
  since: number;
  msgs: SourceMessage[];
  window: MessageWindow;
  clustering: Clustering;
  keywords: KeywordModel;
  lsa: LsaProjection;
  labels: Map<number, string>;
  labelSource: LabelSource;
  notes: string[];
  embedder: { model: string; dims: number };
  durationMs: number;
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

async function store(ctx: ApiContext, p: AnalyzeParams, s: StoreInput): Promise<{ modelId: string }> {
  const { clustering, msgs } = s;
  const dateRange = { start: s.since, end: s.now };
  const outlierKeywords = s.keywords.topics[clustering.topics.length]?.keywords ?? [];
  const rows = [
    ...clustering.topics.map((t, topicId) => ({
      topicId,
      label: s.labels.get(topicId) ?? `Topic ${topicId + 1}`,
      keywords: s.keywords.topics[topicId]!.keywords,
      count: t.members.length,
      samples: t.members.slice(0, SAMPLES_PER_TOPIC),
    })),
    ...(clustering.outliers.length > 0
      ? [{ topicId: OUTLIER_TOPIC, label: 'Other messages', keywords: outlierKeywords, count: clustering.outliers.length, samples: clustering.outliers.slice(0, SAMPLES_PER_TOPIC) }]
      : []),
  ];

  // The rows go first (the model's id names its file); if the file cannot be written they are
  // removed again, so no run ever points at a missing file.
  const modelId = ctx.db.orm.transaction((tx) => {
    tx.update(topicModels).set({ isActive: false, updatedAt: s.now }).where(and(eq(topicModels.workspaceId, p.workspaceId), eq(topicModels.isActive, true))).run();
    const id = tx
      .insert(topicModels)
      .values({
        workspaceId: p.workspaceId,
        modelVersion: modelVersion(s.now),
        storagePath: '',
        dateRangeStart: dateRange.start,
        dateRangeEnd: dateRange.end,
        totalTopics: clustering.topics.length,
        totalDocuments: msgs.length,
        isActive: true,
        metadata: {
          days: p.days,
          maxTopics: p.maxTopics,
          seed: p.seed,
          embedder: s.embedder,
          messagesInWindow: s.window.total,
          capped: s.window.capped,
          outliers: clustering.outliers.length,
          k: clustering.k,
          silhouette: clustering.scores.map((x) => ({ k: x.k, silhouette: round(x.silhouette, 4) })),
          labelSource: s.labelSource,
          notes: s.notes,
          durationMs: s.durationMs,
          samples: Object.fromEntries(rows.map((r) => [String(r.topicId), r.samples.map((i) => msgs[i]!.id)])),
        },
      })
      .returning({ id: topicModels.id })
      .get().id;
    tx.update(topicModels).set({ storagePath: modelFilePath(p.workspaceId, id) }).where(eq(topicModels.id, id)).run();
    for (const r of rows) {
      tx.insert(topicAnalyses)
        .values({
          workspaceId: p.workspaceId,
          modelId: id,
          topicId: r.topicId,
          topicLabel: r.label,
          topicKeywords: r.keywords,
          messageCount: r.count,
          sampleMessages: r.samples.map((i) => excerpt(msgs[i]!.text)),
          dateRangeStart: dateRange.start,
          dateRangeEnd: dateRange.end,
        })
        .run();
    }
    return id;
  });

  const assignments: [string, number, number][] = [];
  clustering.topics.forEach((t, topicId) => t.members.forEach((i, j) => assignments.push([msgs[i]!.id, topicId, round(t.sims[j]!, 4)])));
  for (const i of clustering.outliers) assignments.push([msgs[i]!.id, OUTLIER_TOPIC, 0]);
  const file: TopicModelFile = {
    format: 'postdesk-topics-1',
    modelId,
    workspaceId: p.workspaceId,
    embedder: s.embedder,
    seed: p.seed,
    createdAt: s.now,
    dateRange,
    topics: clustering.topics.map((t, topicId) => ({
      topicId,
      label: s.labels.get(topicId) ?? `Topic ${topicId + 1}`,
      keywords: s.keywords.topics[topicId]!.keywords,
      centroid: Array.from(t.centroid, (x) => round(x, 6)),
      threshold: round(clustering.thresholds[topicId]!, 4),
    })),
    vocabulary: s.keywords.vocabulary,
    lsa: { terms: s.lsa.terms, idf: s.lsa.idf.map((x) => round(x, 6)), loadings: Array.from(s.lsa.loadings, (x) => round(x, 6)), dims: s.lsa.dims },
    assignments,
  };
  const abs = join(ctx.dataDir, modelFilePath(p.workspaceId, modelId));
  try {
    await mkdir(dirname(abs), { recursive: true });
    // The rows' transaction and the file's JSON are the main thread's largest steps: a turn between.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await writeFile(abs, JSON.stringify(file));
  } catch (err) {
    ctx.db.orm.delete(topicAnalyses).where(eq(topicAnalyses.modelId, modelId)).run();
    ctx.db.orm.delete(topicModels).where(eq(topicModels.id, modelId)).run();
    throw new Error(`Could not save the topic model file (${err instanceof Error ? err.message : String(err)}). Check there is free disk space, then run the analysis again.`, { cause: err });
  }
  await pruneOldRuns(ctx, p.workspaceId);
  return { modelId };
}

/** Keep the newest RUNS_KEPT runs of a workspace; older rows and files go. */
async function pruneOldRuns(ctx: ApiContext, workspaceId: string): Promise<void> {
  const keep = ctx.db.orm
    .select({ id: topicModels.id })
    .from(topicModels)
    .where(eq(topicModels.workspaceId, workspaceId))
    .orderBy(desc(topicModels.createdAt), desc(topicModels.id))
    .limit(RUNS_KEPT)
    .all()
    .map((r) => r.id);
  if (keep.length < RUNS_KEPT) return;
  const oldest = keep[keep.length - 1]!;
  const old = ctx.db.orm
    .select({ id: topicModels.id, path: topicModels.storagePath })
    .from(topicModels)
    .where(and(eq(topicModels.workspaceId, workspaceId), notInArray(topicModels.id, keep), lt(topicModels.id, oldest)))
    .all();
  if (old.length === 0) return;
  const ids = old.map((o) => o.id);
  ctx.db.orm.transaction((tx) => {
    tx.delete(topicAnalyses).where(inArray(topicAnalyses.modelId, ids)).run();
    tx.delete(topicModels).where(inArray(topicModels.id, ids)).run();
  });
  for (const o of old) if (o.path) await rm(join(ctx.dataDir, o.path), { force: true });
}
