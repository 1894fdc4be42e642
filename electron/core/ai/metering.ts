// Metering: one ai_generations row per AI call — completed, failed or cancelled — and, in the same
// transaction, the day's ai_cost_tracking row, the month's usage_monthly row, a feature_usage row
// and the credit ledger. Costs are integer nano-dollars (exact); the seeds' REAL USD columns are
// filled from them for display.
//
// What a row means:
// - One row per call the feature made, however many HTTP attempts it took: `iterations` is the
//   number of attempts and result_data.attempts lists each failed one (status, code, wait). A 429
//   or 5xx answer is not billed by providers, so retried attempts add no tokens or cost.
// - Tokens come from the server's `usage`. When it gives none (a stream without a usage chunk, a
//   cancelled or interrupted stream) they are estimated from the text and tokens_estimated is set.
// - Credits are charged for completed calls only; cost is recorded whenever tokens were used,
//   since a provider bills a stream cut short for what it generated.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { aiCostTracking, aiGenerations, type GENERATION_STATUSES, type GENERATION_TYPES } from '../../../db/schema/ai';
import { featureUsage, usageMonthly } from '../../../db/schema/billing';
import { newId } from '../../../db/schema/columns';
import { monthOf } from './budget';
import { chargeCredits } from './ledger';
import { costNanoUsd, nanoToUsd } from './money';
import type { ModelPrice } from './models';

export type GenerationType = (typeof GENERATION_TYPES)[number];
export type GenerationStatus = Exclude<(typeof GENERATION_STATUSES)[number], 'processing'>;

export interface AttemptLog {
  attempt: number;
  code: string;
  status?: number | undefined;
  message: string;
  /** How long the next attempt waited (retry-after or backoff), ms. */
  waitMs?: number | undefined;
}

export interface MeterInput {
  workspaceId: string;
  type: GenerationType;
  model: string;
  promptTokens: number;
  completionTokens: number;
  tokensEstimated: boolean;
  price: ModelPrice;
  status: GenerationStatus;
  errorMessage?: string | null | undefined;
  latencyMs: number;
  attempts: AttemptLog[];
  /** Number of HTTP attempts made. */
  iterations: number;
  /** The call's start: its day and month in the roll-ups. */
  startedAt: number;
  /** The last user message, clipped: what the call was about, for the usage page. */
  promptText?: string | null | undefined;
  resultData?: Record<string, unknown> | undefined;
  links?: { postId?: string | undefined; conversationId?: string | undefined; campaignId?: string | undefined } | undefined;
}

export interface Metered {
  generationId: string;
  costNanoUsd: number;
  creditsCharged: number;
  /** Credits left after this call; null when credits are not limited. */
  creditsBalanceAfter: number | null;
}

const PROMPT_CLIP = 500;

export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function recordGeneration(db: Database, m: MeterInput): Metered {
  const generationId = newId();
  const nano = costNanoUsd(m.promptTokens, m.completionTokens, m.price);
  const usd = nanoToUsd(nano);
  const tokens = m.promptTokens + m.completionTokens;
  const credits = m.status === 'completed' ? m.price.credits : 0;
  const now = Date.now();

  return db.sqlite.transaction((): Metered => {
    db.orm
      .insert(aiGenerations)
      .values({
        id: generationId,
        workspaceId: m.workspaceId,
        postId: m.links?.postId ?? null,
        conversationId: m.links?.conversationId ?? null,
        campaignId: m.links?.campaignId ?? null,
        generationType: m.type,
        promptText: m.promptText ? m.promptText.slice(0, PROMPT_CLIP) : null,
        modelUsed: m.model,
        promptTokens: m.promptTokens,
        completionTokens: m.completionTokens,
        cost: usd,
        costNanoUsd: nano,
        tokensEstimated: m.tokensEstimated,
        creditsCharged: credits,
        status: m.status,
        resultData: {
          ...m.resultData,
          priceKnown: m.price.known,
          ...(m.price.catalogueId ? { pricedAs: m.price.catalogueId } : {}),
          ...(m.attempts.length > 0 ? { attempts: m.attempts } : {}),
        },
        errorMessage: m.errorMessage ?? null,
        latencyMs: Math.round(m.latencyMs),
        iterations: Math.max(1, m.iterations),
        completedAt: now,
        createdAt: m.startedAt,
        updatedAt: now,
      })
      .run();

    const balanceAfter = credits > 0 ? chargeCredits(db, m.workspaceId, credits, generationId, now) : null;

    const byProvider = {
      openaiCost: m.price.provider === 'openai' ? usd : 0,
      anthropicCost: m.price.provider === 'anthropic' ? usd : 0,
      otherCost: m.price.provider !== 'openai' && m.price.provider !== 'anthropic' ? usd : 0,
    };
    db.orm
      .insert(aiCostTracking)
      .values({
        workspaceId: m.workspaceId,
        date: dayOf(m.startedAt),
        ...byProvider,
        totalCost: usd,
        totalCostNanoUsd: nano,
        generationsCount: 1,
        tokensUsed: tokens,
      })
      .onConflictDoUpdate({
        target: [aiCostTracking.workspaceId, aiCostTracking.date],
        set: {
          openaiCost: sql`${aiCostTracking.openaiCost} + ${byProvider.openaiCost}`,
          anthropicCost: sql`${aiCostTracking.anthropicCost} + ${byProvider.anthropicCost}`,
          otherCost: sql`${aiCostTracking.otherCost} + ${byProvider.otherCost}`,
          // The REAL total is derived from the exact one, so it never drifts.
          totalCost: sql`(${aiCostTracking.totalCostNanoUsd} + ${nano}) / 1000000000.0`,
          totalCostNanoUsd: sql`${aiCostTracking.totalCostNanoUsd} + ${nano}`,
          generationsCount: sql`${aiCostTracking.generationsCount} + 1`,
          tokensUsed: sql`${aiCostTracking.tokensUsed} + ${tokens}`,
          updatedAt: now,
        },
      })
      .run();

    db.orm
      .insert(usageMonthly)
      .values({ workspaceId: m.workspaceId, month: monthOf(m.startedAt), aiCreditsUsed: credits, apiCallsMade: 1, aiCostNanoUsd: nano })
      .onConflictDoUpdate({
        target: [usageMonthly.workspaceId, usageMonthly.month],
        set: {
          aiCreditsUsed: sql`${usageMonthly.aiCreditsUsed} + ${credits}`,
          apiCallsMade: sql`${usageMonthly.apiCallsMade} + 1`,
          aiCostNanoUsd: sql`${usageMonthly.aiCostNanoUsd} + ${nano}`,
          updatedAt: now,
        },
      })
      .run();

    if (tokens > 0 || credits > 0) {
      db.orm
        .insert(featureUsage)
        .values({
          workspaceId: m.workspaceId,
          feature: `ai.${m.type}`,
          quantity: tokens,
          unit: 'tokens',
          creditsUsed: credits,
          cost: usd,
          metadata: { generationId, model: m.model, status: m.status, costNanoUsd: nano },
          createdAt: m.startedAt,
          updatedAt: now,
        })
        .run();
    }

    return { generationId, costNanoUsd: nano, creditsCharged: credits, creditsBalanceAfter: balanceAfter };
  })();
}
