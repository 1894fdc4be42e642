// Compose's writing help: a post from a brief in the brand's voice (with a template and the
// knowledge base as context), a rewrite that fits one network's limit as Postdesk counts it, and
// hashtag suggestions. Every call goes through `complete`, so it is budgeted, metered and
// cancellable by its request id like any other AI call.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { accounts } from '../../../db/schema/accounts';
import type { Platform } from '../../../db/schema/enums';
import { faqEntries, knowledgeChunks, knowledgeDocuments } from '../../../db/schema/knowledge';
import { contentTemplates } from '../../../db/schema/posts';
import { hybridSearch } from '../../../db/search';
import { inWorkspace } from '../../../db/scope';
import { ApiError } from '../../api/errors';
import { capabilitiesOf } from '../../platforms/capabilities';
import { PLATFORM_NAMES } from '../../platforms/names';
import type { ApiContext } from '../context';
import { LOCAL_EMBEDDER_ID, LOCAL_EMBEDDING_DIMS, localEmbedder } from '../knowledge/local-embedder';
import { withHashtags } from '../posts/hashtag-text';
import { countText, type TextCount } from '../posts/text-count';
import { getPreferences, getWorkspace } from '../workspaces/workspaces';
import { monthSpentNano } from './budget';
import { complete, type CompleteResult } from './complete';
import { NOT_CONFIGURED_MESSAGE } from './errors';
import { nanoToUsd } from './money';
import { getSettings } from './settings';
import {
  cleanModelText,
  draftMessages,
  hashtagMessages,
  overageOf,
  pickHashtags,
  rewriteMessages,
  shortenMessages,
  tightestLimit,
  type BrandProfile,
  type LimitContext,
  type Overage,
} from './writing-prompts';

/** Knowledge passages given to the model with a brief: enough to ground it, few enough to stay cheap. */
export const KNOWLEDGE_SNIPPETS = 4;
/** Characters of one passage in the prompt. */
export const SNIPPET_CHARS = 900;
export const DEFAULT_HASHTAGS = 5;

export interface WritingCost {
  generationId: string;
  costUsd: number;
  model: string;
}

function costOf(r: CompleteResult): WritingCost {
  return { generationId: r.generationId, costUsd: r.costUsd, model: r.model };
}

// ---- status ----------------------------------------------------------------------------------

export interface WritingStatus {
  configured: boolean;
  /** What to do when AI is not set up (the same words the API's not-configured error gives). */
  setup: string | null;
  chatModel: string | null;
  endpoint: string | null;
  /** This month's spend against the cap (USD); null cap: none set. */
  monthlyBudgetUsd: number | null;
  spentThisMonthUsd: number;
}

/** Whether the assist buttons can work, and if not what to tell the user. Makes no call. */
export function writingStatus(ctx: ApiContext, workspaceId: string): WritingStatus {
  const s = getSettings(ctx.db, workspaceId);
  return {
    configured: s.effective.configured,
    setup: s.effective.configured ? null : NOT_CONFIGURED_MESSAGE,
    chatModel: s.effective.configured ? s.effective.chatModel : null,
    endpoint: s.effective.baseUrl,
    monthlyBudgetUsd: s.monthlyBudgetUsd,
    spentThisMonthUsd: nanoToUsd(monthSpentNano(ctx.db, workspaceId)),
  };
}

// ---- context ---------------------------------------------------------------------------------

export function brandProfile(ctx: ApiContext, workspaceId: string): BrandProfile {
  const ws = getWorkspace(ctx.db, workspaceId);
  const prefs = getPreferences(ctx.db, workspaceId);
  return {
    name: ws.name,
    businessType: ws.businessType,
    brandVoice: ws.brandVoice,
    description: ws.description,
    website: ws.website,
    city: ws.locationCity,
    avoidKeywords: prefs.avoidKeywords,
  };
}

export function limitFor(platform: Platform): LimitContext {
  const caps = capabilitiesOf(platform);
  if (!caps) throw new ApiError('invalid_input', `Postdesk cannot publish to ${PLATFORM_NAMES[platform]} yet, so it has no limit to write to.`, [{ path: ['platform'], message: 'not a network Postdesk publishes to' }]);
  return { platform, rules: caps.text };
}

function accountPlatforms(ctx: ApiContext, workspaceId: string, ids: readonly string[]): Platform[] {
  if (ids.length === 0) return [];
  const rows = inWorkspace(ctx.db.orm, workspaceId)
    .select(accounts, inArray(accounts.id, [...ids]), isNull(accounts.deletedAt))
    .all();
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw new ApiError('not_found', 'One of the chosen accounts is not in this workspace any more (it may have been removed). Choose the accounts again.');
  return rows.map((r) => r.platform);
}

function templateFor(ctx: ApiContext, workspaceId: string, templateId: string) {
  const t = inWorkspace(ctx.db.orm, workspaceId).select(contentTemplates, eq(contentTemplates.id, templateId), isNull(contentTemplates.deletedAt)).get();
  if (!t) throw new ApiError('not_found', 'That template is not in this workspace any more. Pick another one or write without a template.');
  return t;
}

export interface KnowledgeSource {
  chunkId: string;
  documentId: string | null;
  faqId: string | null;
  title: string;
  /** The passage as given to the model. */
  text: string;
}

/**
 * Whether the workspace's chunks carry the built-in embedder's vectors, so a query embedded the
 * same way may be compared with them. Another model's vectors (even of 384 dimensions) never are.
 */
function usesLocalEmbedder(ctx: ApiContext, workspaceId: string): boolean {
  const models = ctx.db.orm
    .selectDistinct({ model: knowledgeDocuments.embedModel })
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.workspaceId, workspaceId), isNull(knowledgeDocuments.deletedAt)))
    .all()
    .map((r) => r.model)
    .filter((m): m is string => m !== null);
  return models.every((m) => m === LOCAL_EMBEDDER_ID);
}

function titleOf(row: { docTitle: string | null; fileName: string | null; faqTitle: string | null; questions: string[] | null }): string {
  return row.docTitle?.trim() || row.fileName?.trim() || row.faqTitle?.trim() || row.questions?.[0]?.trim() || 'Untitled';
}

/** The passages of the knowledge base nearest the brief (hybrid: bm25 + the built-in embedder). */
export async function knowledgeFor(ctx: ApiContext, workspaceId: string, query: string, k = KNOWLEDGE_SNIPPETS): Promise<KnowledgeSource[]> {
  const vector = usesLocalEmbedder(ctx, workspaceId) ? localEmbedder.embed([query])[0] : undefined;
  // Over-fetch: a hit of a deleted document or a switched-off FAQ entry is dropped below.
  const hits = await hybridSearch(ctx.db, { workspaceId, query, k: k * 2, ...(vector ? { vector, dims: LOCAL_EMBEDDING_DIMS } : {}) });
  if (hits.length === 0) return [];
  const rows = ctx.db.orm
    .select({
      chunkId: knowledgeChunks.id,
      documentId: knowledgeChunks.documentId,
      faqId: knowledgeChunks.faqId,
      content: knowledgeChunks.content,
      docTitle: knowledgeDocuments.title,
      fileName: knowledgeDocuments.fileName,
      docDeleted: knowledgeDocuments.deletedAt,
      faqTitle: faqEntries.title,
      questions: faqEntries.questions,
      faqActive: faqEntries.isActive,
      faqDeleted: faqEntries.deletedAt,
    })
    .from(knowledgeChunks)
    .leftJoin(knowledgeDocuments, eq(knowledgeDocuments.id, knowledgeChunks.documentId))
    .leftJoin(faqEntries, eq(faqEntries.id, knowledgeChunks.faqId))
    .where(and(eq(knowledgeChunks.workspaceId, workspaceId), inArray(knowledgeChunks.id, hits.map((h) => h.chunkId))))
    .all();
  const byId = new Map(rows.map((r) => [r.chunkId, r]));
  const out: KnowledgeSource[] = [];
  for (const h of hits) {
    const r = byId.get(h.chunkId);
    if (!r || r.docDeleted !== null || r.faqDeleted !== null || r.faqActive === false) continue;
    const text = r.content.length > SNIPPET_CHARS ? `${r.content.slice(0, SNIPPET_CHARS).replace(/\s+\S*$/u, '')} …` : r.content;
    out.push({ chunkId: r.chunkId, documentId: r.documentId, faqId: r.faqId, title: titleOf(r), text });
    if (out.length === k) break;
  }
  return out;
}

// ---- fit ---------------------------------------------------------------------------------------

export interface Fit {
  platform: Platform;
  used: number;
  limit: number;
  remaining: number;
  over: boolean;
  bytes?: number;
}

function fitOf(platform: Platform, count: TextCount): Fit {
  return { platform, used: count.used, limit: count.limit, remaining: count.remaining, over: count.over, ...(count.bytes === undefined ? {} : { bytes: count.bytes }) };
}

/** How the text fits each network, with the hashtags publishing adds. */
export function fitsOf(text: string, platforms: readonly Platform[], hashtags: readonly string[] = []): Fit[] {
  const out: Fit[] = [];
  for (const p of new Set(platforms)) {
    const caps = capabilitiesOf(p);
    if (caps) out.push(fitOf(p, countText(withHashtags(text, hashtags), caps.text)));
  }
  return out;
}

/** Output tokens to allow for a text of `limit` characters (≈3 a token, plus room to finish). */
function outputTokensFor(limit: number | null): number {
  if (limit === null) return 700;
  return Math.min(1500, Math.max(200, Math.ceil(limit / 3) + 100));
}

// ---- write from a brief ----------------------------------------------------------------------

export interface DraftInput {
  workspaceId: string;
  brief: string;
  accountIds?: readonly string[] | undefined;
  templateId?: string | undefined;
  requestId: string;
  signal?: AbortSignal | undefined;
}

export interface DraftResult extends WritingCost {
  text: string;
  /** The knowledge passages given to the model, best first. */
  sources: KnowledgeSource[];
  templateId: string | null;
  /** How the text fits each chosen account's network. */
  fits: Fit[];
}

export async function draftFromBrief(ctx: ApiContext, input: DraftInput): Promise<DraftResult> {
  const brand = brandProfile(ctx, input.workspaceId);
  const platforms = accountPlatforms(ctx, input.workspaceId, input.accountIds ?? []);
  const template = input.templateId ? templateFor(ctx, input.workspaceId, input.templateId) : null;
  const limit = tightestLimit(platforms.flatMap((p) => (capabilitiesOf(p) ? [limitFor(p)] : [])));
  let sources: KnowledgeSource[] = [];
  try {
    sources = await knowledgeFor(ctx, input.workspaceId, input.brief);
  } catch (err) {
    // The knowledge base helps but must not stop the writing: a failed search means no context.
    console.warn('[writing] knowledge search failed; writing without it:', err);
  }
  const messages = draftMessages({
    brand,
    brief: input.brief,
    template: template ? { name: template.name, theme: template.theme, text: template.templateText } : null,
    knowledge: sources.map((s) => ({ title: s.title, text: s.text })),
    limit,
    platforms,
  });
  const r = await complete(ctx, {
    workspaceId: input.workspaceId,
    feature: 'post',
    messages,
    maxTokens: outputTokensFor(limit?.rules.limit.value ?? null),
    stream: { requestId: input.requestId },
    signal: input.signal,
  });
  const text = cleanModelText(r.text);
  return { ...costOf(r), text, sources, templateId: template?.id ?? null, fits: fitsOf(text, platforms) };
}

// ---- rewrite for one network -------------------------------------------------------------------

export interface RewriteInput {
  workspaceId: string;
  text: string;
  platform: Platform;
  /** The post's hashtags, which publishing appends: the rewrite leaves room for them. */
  hashtags?: readonly string[] | undefined;
  requestId: string;
  signal?: AbortSignal | undefined;
}

export interface RewriteResult {
  text: string;
  platform: Platform;
  fit: Fit;
  /** Still over the limit after the second try: returned whole, for the user to shorten. */
  overLimit: boolean;
  overBy: Overage | null;
  /** Model calls made: 2 when the first answer was over the limit. */
  tries: 1 | 2;
  generationIds: string[];
  costUsd: number;
  model: string;
}

/**
 * A version of `text` within the network's limit. When the first answer is still over, the model
 * is asked once more with the overage measured as the network measures it; if that is still over
 * it comes back marked `overLimit`, whole — never cut mid-word behind the user's back.
 *
 * Both tries stream under the same request id: a delta after a `done` event starts the second
 * try's text (and `ai.cancel` stops whichever try is running).
 */
export async function rewriteForPlatform(ctx: ApiContext, input: RewriteInput): Promise<RewriteResult> {
  const limit = limitFor(input.platform);
  const brand = brandProfile(ctx, input.workspaceId);
  const hashtags = input.hashtags ?? [];
  // What the hashtags take, measured with an empty text: whatever is left is the text's room.
  const tagCost = hashtags.length > 0 ? countText(withHashtags('x', hashtags), limit.rules).used - countText('x', limit.rules).used : 0;
  const room = limit.rules.limit.value - tagCost;
  if (room <= 0) {
    throw new ApiError('invalid_input', `The hashtags alone take ${tagCost} of ${PLATFORM_NAMES[input.platform]}'s ${limit.rules.limit.value} characters, leaving no room for the text. Remove some hashtags first.`, [{ path: ['hashtags'], message: 'too long for this network' }]);
  }
  const messages = rewriteMessages({ brand, text: input.text, limit, hashtags, room });
  const maxTokens = outputTokensFor(limit.rules.limit.value);
  const call = (m: typeof messages) =>
    complete(ctx, { workspaceId: input.workspaceId, feature: 'enhancement', messages: m, maxTokens, stream: { requestId: input.requestId }, signal: input.signal });

  const first = await call(messages);
  let text = cleanModelText(first.text);
  let count = countText(withHashtags(text, hashtags), limit.rules);
  let over = overageOf(count, limit.rules);
  const results = [first];
  if (over) {
    const second = await call(shortenMessages(messages, text, count, over, room, limit));
    results.push(second);
    text = cleanModelText(second.text);
    count = countText(withHashtags(text, hashtags), limit.rules);
    over = overageOf(count, limit.rules);
  }
  const last = results[results.length - 1]!;
  return {
    text,
    platform: input.platform,
    fit: fitOf(input.platform, count),
    overLimit: over !== null,
    overBy: over,
    tries: results.length === 1 ? 1 : 2,
    generationIds: results.map((r) => r.generationId),
    costUsd: nanoToUsd(results.reduce((n, r) => n + r.costNanoUsd, 0)),
    model: last.model,
  };
}

// ---- hashtags ----------------------------------------------------------------------------------

export interface HashtagInput {
  workspaceId: string;
  text: string;
  platform?: Platform | undefined;
  max?: number | undefined;
  /** Hashtags the post already carries outside its text (the composer's hashtag field). */
  exclude?: readonly string[] | undefined;
  requestId?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface HashtagResult extends WritingCost {
  hashtags: string[];
}

export async function suggestHashtags(ctx: ApiContext, input: HashtagInput): Promise<HashtagResult> {
  const brand = brandProfile(ctx, input.workspaceId);
  const max = input.max ?? DEFAULT_HASHTAGS;
  const exclude = input.exclude ?? [];
  const existing = [...new Set([...(input.text.match(/#[\p{L}\p{N}_]+/gu) ?? []), ...exclude.map((t) => `#${t.replace(/^#+/, '')}`)])];
  const r = await complete(ctx, {
    workspaceId: input.workspaceId,
    feature: 'hashtags',
    messages: hashtagMessages({ brand, text: input.text, platform: input.platform ?? null, max, existing }),
    // A few more than asked: some come back already used or malformed and are dropped.
    maxTokens: Math.min(400, 20 * (max + 5)),
    requestId: input.requestId,
    signal: input.signal,
  });
  return { ...costOf(r), hashtags: pickHashtags(r.text, input.text, exclude, max) };
}
