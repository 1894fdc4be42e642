// The monthly budget: a call is refused BEFORE it is made when the most it could cost would take
// the workspace's spend this month (UTC) past its cap, or when it needs more credits than are left.
//
// "The most it could cost" is an upper bound: the prompt's UTF-8 bytes (a byte-level BPE token
// covers at least one byte, so no tokenizer in use yields more tokens than bytes) plus a few tokens
// of chat framing per message, and max_tokens of output, at the model's price. Calls in flight hold
// their bound as a reservation, so two calls started together cannot both squeeze under the cap.
// Reaching the cap exactly is allowed; crossing it is not.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { usageMonthly } from '../../../db/schema/billing';
import { BudgetExceededError } from './errors';
import { currentCredits } from './ledger';
import { costNanoUsd, formatUsd } from './money';
import type { ModelPrice } from './models';

/** Chat framing per message (role markers) and per request (assistant priming), as OpenAI counts it. */
export const TOKENS_PER_MESSAGE = 4;
export const TOKENS_PER_REQUEST = 3;

export interface PromptMessage {
  role: string;
  content: string;
}

/** No tokenizer yields more tokens than this for these messages. */
export function promptTokenUpperBound(messages: readonly PromptMessage[]): number {
  let n = TOKENS_PER_REQUEST;
  for (const m of messages) n += Buffer.byteLength(m.content, 'utf8') + Buffer.byteLength(m.role, 'utf8') + TOKENS_PER_MESSAGE;
  return n;
}

/** A typical count (about 4 characters a token for English), for metering when the server reports
 * no usage; such rows are flagged tokens_estimated. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export function estimatePromptTokens(messages: readonly PromptMessage[]): number {
  let n = TOKENS_PER_REQUEST;
  for (const m of messages) n += estimateTokens(m.content) + TOKENS_PER_MESSAGE;
  return n;
}

export function monthOf(at: number): string {
  return new Date(at).toISOString().slice(0, 7);
}

/** Spend metered this calendar month (UTC), in nano-dollars. */
export function monthSpentNano(db: Database, workspaceId: string, at = Date.now()): number {
  const row = db.orm
    .select({ nano: usageMonthly.aiCostNanoUsd })
    .from(usageMonthly)
    .where(and(eq(usageMonthly.workspaceId, workspaceId), eq(usageMonthly.month, monthOf(at))))
    .get();
  return row?.nano ?? 0;
}

interface Held {
  nano: number;
  credits: number;
}

const inFlight = new WeakMap<Database, Map<string, Set<Held>>>();

function heldFor(db: Database, workspaceId: string): Set<Held> {
  let byWs = inFlight.get(db);
  if (!byWs) inFlight.set(db, (byWs = new Map()));
  let held = byWs.get(workspaceId);
  if (!held) byWs.set(workspaceId, (held = new Set()));
  return held;
}

export interface Reservation {
  /** The bound this call was admitted with. */
  estimateNanoUsd: number;
  release(): void;
}

export interface ReserveInput {
  workspaceId: string;
  capNanoUsd: number | null;
  price: ModelPrice;
  promptUpperBound: number;
  maxOutputTokens: number;
  now?: number;
}

function monthName(at: number): string {
  return new Date(at).toLocaleString('en', { month: 'long', timeZone: 'UTC' });
}

function nextMonthName(at: number): string {
  const d = new Date(at);
  return `1 ${new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' })}`;
}

/** Admit the call or throw BudgetExceededError; the reservation must be released when it ends. */
export function reserveBudget(db: Database, input: ReserveInput): Reservation {
  const now = input.now ?? Date.now();
  const estimate = costNanoUsd(input.promptUpperBound, input.maxOutputTokens, input.price);
  const held = heldFor(db, input.workspaceId);
  let heldNano = 0;
  let heldCredits = 0;
  for (const h of held) {
    heldNano += h.nano;
    heldCredits += h.credits;
  }

  if (input.capNanoUsd !== null) {
    const spent = monthSpentNano(db, input.workspaceId, now);
    if (spent + heldNano + estimate > input.capNanoUsd) {
      const pending = heldNano > 0 ? ` (including $${formatUsd(heldNano)} held by calls still running)` : '';
      throw new BudgetExceededError(
        `This AI call was not made: it could cost up to $${formatUsd(estimate)}, and this workspace has spent ` +
          `$${formatUsd(spent + heldNano)}${pending} of its $${formatUsd(input.capNanoUsd)} budget for ${monthName(now)}. ` +
          `Raise the monthly budget in Settings → AI, switch to a cheaper or local model, or wait until ${nextMonthName(now)}.`,
        { limit: 'usd', capNanoUsd: input.capNanoUsd, spentNanoUsd: spent + heldNano, estimateNanoUsd: estimate },
      );
    }
  }

  const credits = currentCredits(db, input.workspaceId, now);
  if (credits.tracked && credits.balance - heldCredits < input.price.credits) {
    throw new BudgetExceededError(
      `This AI call was not made: it needs ${input.price.credits} credit${input.price.credits === 1 ? '' : 's'} and ` +
        `${Math.max(0, credits.balance - heldCredits)} are left this month. Raise the monthly credits in Settings → AI, ` +
        `pick a model that costs fewer credits, or wait until ${nextMonthName(now)}.`,
      { limit: 'credits', creditsBalance: credits.balance, creditsNeeded: input.price.credits },
    );
  }

  const mine: Held = { nano: estimate, credits: input.price.credits };
  held.add(mine);
  return { estimateNanoUsd: estimate, release: () => void held.delete(mine) };
}
