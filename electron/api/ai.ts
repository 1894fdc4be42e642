// AI: provider settings per workspace and app-wide (the key goes in, only `hasKey` comes out), a
// real "Test connection", the model catalogue with prices, cancelling a running call, and the
// usage report (by day, feature and model) with its CSV.
import { z } from 'zod';
import { AI_MODEL_TYPES } from '../../db/schema/ai';
import type { ApiContext } from '../core/context';
import { listModels } from '../core/ai/models';
import { cancelRequest } from '../core/ai/requests';
import { appEndpointView, getSettings, normaliseBaseUrl, updateAppEndpoint, updateSettings } from '../core/ai/settings';
import { testConnection } from '../core/ai/test-connection';
import { MAX_RANGE_DAYS, usageByWorkspace, usageByWorkspaceCsv, usageCsv, usageReport } from '../core/ai/usage';
import { ensureFreshEmbeddings } from '../core/knowledge/reembed';
import { getWorkspace, listWorkspaces } from '../core/workspaces/workspaces';
import { area, method } from './contract';
import { workspaceId } from './fields';

const baseUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (v) => {
      try {
        normaliseBaseUrl(v);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'enter the endpoint as a full http(s) URL, e.g. http://127.0.0.1:11434/v1 or https://api.openai.com/v1 (no key inside the URL)' },
  );
const apiKey = z.string().max(4096).refine((v) => !/[\r\n]/.test(v), 'an API key is one line');
const modelName = z.string().trim().min(1, 'enter a model name').max(300);
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a real date');

const days = z.object({ from: isoDay, to: isoDay });
const inRange = <T extends z.infer<typeof days>>(schema: z.ZodType<T>) =>
  schema
    .refine((i) => i.to >= i.from, { message: 'the end must not be before the start', path: ['to'] })
    .refine((i) => (Date.parse(i.to) - Date.parse(i.from)) / 86_400_000 < MAX_RANGE_DAYS, { message: `at most ${MAX_RANGE_DAYS} days at a time`, path: ['to'] });
const range = inRange(days.extend({ workspaceId }));
const allWorkspacesRange = inRange(days);

export const aiApi = area('ai', {
  'ai.settings': method({
    description: "A workspace's AI settings (endpoint, models, voice, toggles, budget) and the app-wide default; never the key, only whether one is saved.",
    input: z.object({ workspaceId }),
    handler: (ctx, i) => getSettings(ctx.db, i.workspaceId),
  }),
  'ai.updateSettings': method({
    description: "Change a workspace's AI settings; an API key is sealed at rest (null removes it).",
    input: z.object({
      workspaceId,
      baseUrl: baseUrl.nullable().optional(),
      apiKey: apiKey.nullable().optional(),
      chatModel: modelName.optional(),
      embeddingModel: modelName.nullable().optional(),
      temperature: z.number().min(0).max(2).optional(),
      topP: z.number().min(0).max(1).optional(),
      language: z.string().trim().min(2).max(35).optional(),
      tone: z.string().trim().min(1).max(100).optional(),
      systemPrompt: z.string().max(20_000).nullable().optional(),
      enabledForDms: z.boolean().optional(),
      enabledForComments: z.boolean().optional(),
      monthlyBudgetUsd: z.number().min(0).max(1_000_000).nullable().optional(),
      monthlyCredits: z.number().int().min(0).max(100_000_000).optional(),
    }),
    handler: (ctx, i) => {
      const view = updateSettings(ctx, i);
      // A new embedding model (or endpoint) leaves the knowledge base's vectors stale: start
      // re-embedding now rather than at the next search (a no-op when nothing is stale).
      ensureFreshEmbeddings(ctx, i.workspaceId);
      return view;
    },
  }),
  'ai.appEndpoint': method({
    description: 'The app-wide default AI endpoint every workspace uses unless it sets its own (no key, only hasKey).',
    input: z.object({}),
    handler: (ctx) => appEndpointView(ctx.db),
  }),
  'ai.updateAppEndpoint': method({
    description: 'Set the app-wide default AI endpoint, its key (sealed; null removes it) and models.',
    input: z.object({
      baseUrl: baseUrl.nullable().optional(),
      apiKey: apiKey.nullable().optional(),
      chatModel: modelName.nullable().optional(),
      embeddingModel: modelName.nullable().optional(),
    }),
    handler: (ctx, i) => {
      const view = updateAppEndpoint(ctx, i);
      // Every workspace that inherits the app's endpoint may now embed with another model.
      for (const w of listWorkspaces(ctx.db)) ensureFreshEmbeddings(ctx, w.id);
      return view;
    },
  }),
  'ai.testConnection': method({
    description: 'A real tiny call to the endpoint (model list, then a 1-token chat): latency and models, or what is wrong in words. Unsaved values may be tried first.',
    input: z.object({
      workspaceId,
      baseUrl: baseUrl.optional(),
      apiKey: apiKey.nullable().optional(),
      chatModel: modelName.optional(),
    }),
    handler: (ctx: ApiContext, i) => {
      getWorkspace(ctx.db, i.workspaceId);
      return testConnection(ctx, i.workspaceId, { baseUrl: i.baseUrl, apiKey: i.apiKey, chatModel: i.chatModel });
    },
  }),
  'ai.models': method({
    description: 'The model catalogue: provider, price per 1M tokens in and out (approximate, USD) and credits per call.',
    input: z.object({ includeInactive: z.boolean().optional(), modelType: z.enum(AI_MODEL_TYPES).optional() }),
    handler: (ctx, i) => listModels(ctx.db, { includeInactive: i.includeInactive ?? false }).filter((m) => !i.modelType || m.modelType === i.modelType),
  }),
  'ai.cancel': method({
    description: 'Stop a running AI call by the request id it was started with; false if none is running.',
    input: z.object({ requestId: z.string().min(1).max(200) }),
    handler: (ctx, i) => ({ cancelled: cancelRequest(ctx, i.requestId) }),
  }),
  'ai.usage': method({
    description: 'AI spend and tokens by UTC day, feature and model between two dates (inclusive), and this month against the budget.',
    input: range,
    handler: (ctx, i) => usageReport(ctx.db, i.workspaceId, i.from, i.to),
  }),
  'ai.usageCsv': method({
    description: 'The usage report as CSV text (one line per day, feature and model, exact USD).',
    input: range,
    handler: (ctx, i) => usageCsv(ctx.db, i.workspaceId, i.from, i.to),
  }),
  'ai.usageByWorkspace': method({
    description: "AI spend per workspace between two UTC dates (inclusive), the costliest first: an agency's AI cost per client. Every workspace is listed, at $0 without calls.",
    input: allWorkspacesRange,
    handler: (ctx, i) => usageByWorkspace(ctx.db, i.from, i.to),
  }),
  'ai.usageByWorkspaceCsv': method({
    description: 'The per-workspace usage as CSV text (one line per workspace, exact USD), for billing clients.',
    input: allWorkspacesRange,
    handler: (ctx, i) => usageByWorkspaceCsv(ctx.db, i.from, i.to),
  }),
});
