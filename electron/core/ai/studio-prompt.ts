// What AI Studio sends the model for one turn: a system message (the studio's role, the user's own
// studio instructions, knowledge passages when asked for), the newest earlier turns that fit the
// history budget, and the new message. Pure, so the bound is tested without a server.
import { estimateTokens, TOKENS_PER_MESSAGE } from './budget';
import type { ChatMessage } from './complete';
import type { HistoryBound, StudioMessage, StudioSource } from './studio-store';

/**
 * Earlier messages sent with a turn, in estimated tokens (≈4 characters a token). Long chats would
 * otherwise grow every call's cost without end and overflow small local models' context; the
 * newest turns are what a follow-up question is about. The UI says so.
 */
export const HISTORY_TOKEN_BUDGET = 8_000;
/** The longest message a user can send (≈4,000 tokens), so the newest one always fits beside its history. */
export const MAX_MESSAGE_CHARS = 16_000;
/** Output cap per answer. */
export const ANSWER_MAX_TOKENS = 2_048;

const TITLE_CHARS = 60;

/** A new chat's title: its first message's first line, cut at a word. */
export function titleFrom(text: string): string {
  const line = text.trim().split(/\r?\n/)[0]?.replace(/\s+/g, ' ').trim() ?? '';
  if (line.length <= TITLE_CHARS) return line || 'New chat';
  const cut = line.slice(0, TITLE_CHARS).replace(/\s+\S*$/u, '');
  return `${cut || line.slice(0, TITLE_CHARS)}…`;
}

function cost(m: StudioMessage): number {
  return estimateTokens(m.content) + TOKENS_PER_MESSAGE;
}

/**
 * The newest whole turns (a question with its answer) whose messages fit `budgetTokens`. Answers
 * with no text (failed, cancelled before a word) are not sent: the model gains nothing from them.
 * A turn is kept whole or left out, so the model never sees an answer without its question.
 */
export function boundHistory(history: readonly StudioMessage[], budgetTokens = HISTORY_TOKEN_BUDGET): { kept: StudioMessage[]; bound: HistoryBound } {
  const usable = history.filter((m) => m.content.trim() !== '');
  const turns: StudioMessage[][] = [];
  for (const m of usable) {
    const last = turns.at(-1);
    if (m.role === 'user' || !last) turns.push([m]);
    else last.push(m);
  }
  const keptTurns: StudioMessage[][] = [];
  let used = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i]!;
    const c = t.reduce((n, m) => n + cost(m), 0);
    if (used + c > budgetTokens) break;
    used += c;
    keptTurns.unshift(t);
  }
  const kept = keptTurns.flat();
  return { kept, bound: { sent: kept.length, omitted: usable.length - kept.length, budgetTokens } };
}

export interface StudioBrand {
  name: string;
  businessType: string | null;
}

export function studioSystemPrompt(brand: StudioBrand, instructions: string | null, sources: readonly StudioSource[] | null): string {
  const parts = [
    `You are the assistant in Postdesk's AI Studio, helping the team of ${brand.name}${brand.businessType ? ` (${brand.businessType})` : ''} with their marketing: ` +
      'posts, replies to customers, campaign ideas and plans. Answer clearly and practically.',
  ];
  if (instructions?.trim()) parts.push(instructions.trim());
  if (sources !== null) {
    parts.push(
      sources.length > 0
        ? 'Ground your answer in these passages from the brand\'s knowledge base and cite them as [1], [2]. ' +
            'If they do not hold the answer, say so and invent no facts (prices, dates, policies).\n\n' +
            sources.map((s, i) => `[${i + 1}] ${s.title}\n${s.excerpt}`).join('\n\n')
        : 'The user asked you to use their knowledge base, but nothing in it matched this message: say so if the answer needs facts about the brand, and invent none.',
    );
  }
  return parts.join('\n\n');
}

/** The request's messages: system, the bounded history, the new message. */
export function turnMessages(system: string, history: readonly StudioMessage[], message: string, budgetTokens = HISTORY_TOKEN_BUDGET): { messages: ChatMessage[]; bound: HistoryBound } {
  const { kept, bound } = boundHistory(history, budgetTokens);
  return {
    messages: [{ role: 'system', content: system }, ...kept.map((m) => ({ role: m.role, content: m.content })), { role: 'user', content: message }],
    bound,
  };
}
