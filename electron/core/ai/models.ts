// The model catalogue (ai_models): what the model picker shows, the price each call is metered at
// and the credits it costs. Seeded once with a default catalogue when the table is empty.
//
// Prices are USD per 1M tokens, input / output, as the providers published them in 2025 (OpenRouter
// passes them through unchanged). They are approximate: providers change them, tiers (long context,
// batch, cached input) differ, and OpenRouter may route to a host with its own price. Users can
// correct a row; local models cost nothing.
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { aiModels, type AI_MODEL_TYPES, type AI_PROVIDERS } from '../../../db/schema/ai';
import { pricePerMtokToMicros, type Price } from './money';

interface CatalogueEntry {
  name: string;
  provider: (typeof AI_PROVIDERS)[number];
  modelId: string;
  description: string;
  modelType: (typeof AI_MODEL_TYPES)[number];
  creditCost: number;
  maxContextTokens: number;
  inputCostPerMtok: number;
  outputCostPerMtok: number;
  supportsImages?: boolean;
}

export const DEFAULT_CATALOGUE: readonly CatalogueEntry[] = [
  { name: 'GPT-4o mini', provider: 'openai', modelId: 'openai/gpt-4o-mini', description: 'Fast and cheap; good for triage, hashtags and short rewrites.', modelType: 'affordable', creditCost: 1, maxContextTokens: 128_000, inputCostPerMtok: 0.15, outputCostPerMtok: 0.6, supportsImages: true },
  { name: 'GPT-4o', provider: 'openai', modelId: 'openai/gpt-4o', description: 'Strong all-round writer.', modelType: 'advanced', creditCost: 5, maxContextTokens: 128_000, inputCostPerMtok: 2.5, outputCostPerMtok: 10, supportsImages: true },
  { name: 'GPT-4.1', provider: 'openai', modelId: 'openai/gpt-4.1', description: 'Long context, careful instruction following.', modelType: 'advanced', creditCost: 4, maxContextTokens: 1_047_576, inputCostPerMtok: 2, outputCostPerMtok: 8, supportsImages: true },
  { name: 'GPT-4.1 mini', provider: 'openai', modelId: 'openai/gpt-4.1-mini', description: 'Balanced price and quality.', modelType: 'fast', creditCost: 1, maxContextTokens: 1_047_576, inputCostPerMtok: 0.4, outputCostPerMtok: 1.6, supportsImages: true },
  { name: 'GPT-4.1 nano', provider: 'openai', modelId: 'openai/gpt-4.1-nano', description: 'Cheapest OpenAI chat model; classification.', modelType: 'affordable', creditCost: 1, maxContextTokens: 1_047_576, inputCostPerMtok: 0.1, outputCostPerMtok: 0.4 },
  { name: 'GPT-5', provider: 'openai', modelId: 'openai/gpt-5', description: 'Reasoning model for the hardest drafts.', modelType: 'advanced', creditCost: 5, maxContextTokens: 400_000, inputCostPerMtok: 1.25, outputCostPerMtok: 10, supportsImages: true },
  { name: 'GPT-5 mini', provider: 'openai', modelId: 'openai/gpt-5-mini', description: 'Smaller reasoning model.', modelType: 'fast', creditCost: 2, maxContextTokens: 400_000, inputCostPerMtok: 0.25, outputCostPerMtok: 2, supportsImages: true },
  { name: 'GPT-5 nano', provider: 'openai', modelId: 'openai/gpt-5-nano', description: 'Smallest reasoning model.', modelType: 'affordable', creditCost: 1, maxContextTokens: 400_000, inputCostPerMtok: 0.05, outputCostPerMtok: 0.4 },
  { name: 'Claude 3.5 Haiku', provider: 'anthropic', modelId: 'anthropic/claude-3.5-haiku', description: 'Quick, friendly replies (the default).', modelType: 'fast', creditCost: 1, maxContextTokens: 200_000, inputCostPerMtok: 0.8, outputCostPerMtok: 4 },
  { name: 'Claude Haiku 4.5', provider: 'anthropic', modelId: 'anthropic/claude-haiku-4.5', description: 'Newer fast Claude.', modelType: 'fast', creditCost: 2, maxContextTokens: 200_000, inputCostPerMtok: 1, outputCostPerMtok: 5, supportsImages: true },
  { name: 'Claude Sonnet 4.5', provider: 'anthropic', modelId: 'anthropic/claude-sonnet-4.5', description: 'Best writing quality for long posts.', modelType: 'advanced', creditCost: 6, maxContextTokens: 200_000, inputCostPerMtok: 3, outputCostPerMtok: 15, supportsImages: true },
  { name: 'Gemini 2.5 Flash', provider: 'google', modelId: 'google/gemini-2.5-flash', description: 'Fast, long context.', modelType: 'fast', creditCost: 1, maxContextTokens: 1_048_576, inputCostPerMtok: 0.3, outputCostPerMtok: 2.5, supportsImages: true },
  { name: 'Gemini 2.5 Flash-Lite', provider: 'google', modelId: 'google/gemini-2.5-flash-lite', description: 'Cheapest Gemini.', modelType: 'affordable', creditCost: 1, maxContextTokens: 1_048_576, inputCostPerMtok: 0.1, outputCostPerMtok: 0.4 },
  { name: 'Gemini 2.5 Pro', provider: 'google', modelId: 'google/gemini-2.5-pro', description: 'Strong reasoning (price for prompts up to 200k tokens).', modelType: 'advanced', creditCost: 5, maxContextTokens: 1_048_576, inputCostPerMtok: 1.25, outputCostPerMtok: 10, supportsImages: true },
  { name: 'Mistral Small 3.2', provider: 'mistral', modelId: 'mistralai/mistral-small-3.2-24b-instruct', description: 'Small open-weights model, cheap.', modelType: 'affordable', creditCost: 1, maxContextTokens: 128_000, inputCostPerMtok: 0.1, outputCostPerMtok: 0.3 },
  { name: 'Mistral Medium 3', provider: 'mistral', modelId: 'mistralai/mistral-medium-3', description: 'Mid-size Mistral.', modelType: 'fast', creditCost: 2, maxContextTokens: 128_000, inputCostPerMtok: 0.4, outputCostPerMtok: 2 },
  { name: 'text-embedding-3-small', provider: 'openai', modelId: 'openai/text-embedding-3-small', description: 'Embeddings for knowledge search.', modelType: 'affordable', creditCost: 1, maxContextTokens: 8191, inputCostPerMtok: 0.02, outputCostPerMtok: 0 },
  { name: 'text-embedding-3-large', provider: 'openai', modelId: 'openai/text-embedding-3-large', description: 'Larger embeddings.', modelType: 'advanced', creditCost: 1, maxContextTokens: 8191, inputCostPerMtok: 0.13, outputCostPerMtok: 0 },
  { name: 'Llama 3.2 (Ollama, local)', provider: 'local', modelId: 'llama3.2', description: 'Runs on this computer through Ollama; free and offline.', modelType: 'fast', creditCost: 1, maxContextTokens: 128_000, inputCostPerMtok: 0, outputCostPerMtok: 0 },
  { name: 'Qwen 2.5 7B (Ollama, local)', provider: 'local', modelId: 'qwen2.5', description: 'Local, multilingual.', modelType: 'fast', creditCost: 1, maxContextTokens: 32_768, inputCostPerMtok: 0, outputCostPerMtok: 0 },
  { name: 'nomic-embed-text (Ollama, local)', provider: 'local', modelId: 'nomic-embed-text', description: 'Local embeddings.', modelType: 'affordable', creditCost: 1, maxContextTokens: 8192, inputCostPerMtok: 0, outputCostPerMtok: 0 },
];

const seeded = new WeakSet<Database>();

/** Seeds the default catalogue into an empty ai_models table (once per open database). */
export function ensureCatalogue(db: Database): void {
  if (seeded.has(db)) return;
  const any = db.orm.select({ id: aiModels.id }).from(aiModels).limit(1).get();
  if (!any) {
    db.sqlite.transaction(() => {
      for (const m of DEFAULT_CATALOGUE) {
        db.orm
          .insert(aiModels)
          .values({ ...m, supportsImages: m.supportsImages ?? false })
          .onConflictDoNothing({ target: aiModels.modelId })
          .run();
      }
    })();
  }
  seeded.add(db);
}

export interface ModelView {
  id: string;
  name: string;
  provider: (typeof AI_PROVIDERS)[number];
  modelId: string;
  description: string | null;
  modelType: (typeof AI_MODEL_TYPES)[number];
  creditCost: number;
  maxContextTokens: number | null;
  /** USD per 1M tokens; null: unknown. */
  inputCostPerMtok: number | null;
  outputCostPerMtok: number | null;
  supportsImages: boolean;
  isActive: boolean;
}

export function listModels(db: Database, opts: { includeInactive?: boolean } = {}): ModelView[] {
  ensureCatalogue(db);
  const rows = db.orm.select().from(aiModels).orderBy(asc(aiModels.provider), asc(aiModels.name)).all();
  return rows
    .filter((r) => opts.includeInactive || r.isActive)
    .map((r) => ({
      id: r.id,
      name: r.name,
      provider: r.provider,
      modelId: r.modelId,
      description: r.description,
      modelType: r.modelType,
      creditCost: r.creditCost,
      maxContextTokens: r.maxContextTokens,
      inputCostPerMtok: r.inputCostPerMtok,
      outputCostPerMtok: r.outputCostPerMtok,
      supportsImages: r.supportsImages,
      isActive: r.isActive,
    }));
}

export interface ModelPrice extends Price {
  /** Whole credits a call costs (ai_models.credit_cost, rounded up). */
  credits: number;
  provider: (typeof AI_PROVIDERS)[number];
  /** False: the model is not in the catalogue, so the call is metered at $0 (flagged in the row). */
  known: boolean;
  /** The catalogue row's model id, when found. */
  catalogueId: string | null;
}

const UNKNOWN: Omit<ModelPrice, 'provider'> = { inputMicrosPerMtok: 0, outputMicrosPerMtok: 0, credits: 1, known: false, catalogueId: null };

/** The ids a configured model may be catalogued under: as typed, without the provider prefix the
 * catalogue adds ('gpt-4o-mini' → 'openai/gpt-4o-mini'), without a dated snapshot suffix
 * ('gpt-4o-mini-2024-07-18') or an Ollama tag ('llama3.2:latest'). */
function candidates(model: string): string[] {
  const bare = model.trim();
  const out = [bare];
  const undated = bare.replace(/-\d{4}-\d{2}-\d{2}$/, '').replace(/:[\w.-]+$/, '');
  if (undated !== bare) out.push(undated);
  return out;
}

export function priceFor(db: Database, model: string): ModelPrice {
  ensureCatalogue(db);
  for (const id of candidates(model)) {
    const exact = db.orm.select().from(aiModels).where(eq(aiModels.modelId, id)).get();
    const row =
      exact ??
      (id.includes('/')
        ? undefined
        : db.orm
            .select()
            .from(aiModels)
            .all()
            .find((r) => r.modelId.endsWith(`/${id}`)));
    if (row) {
      return {
        inputMicrosPerMtok: pricePerMtokToMicros(row.inputCostPerMtok),
        outputMicrosPerMtok: pricePerMtokToMicros(row.outputCostPerMtok),
        credits: Math.max(1, Math.ceil(row.creditCost)),
        provider: row.provider,
        known: row.inputCostPerMtok !== null || row.outputCostPerMtok !== null,
        catalogueId: row.modelId,
      };
    }
  }
  return { ...UNKNOWN, provider: 'other' };
}
