// Triage without AI (issue 7): the workspace's flagged keywords and phrases escalate a message to a
// person, its ignore examples mark small talk as needing no answer. The matcher is pure; applying a
// decision (the ai_decisions log, the conversation's triage, an escalation) is shared with the AI,
// which records its own decisions through recordDecision the same way.
import type BetterSqlite3 from 'better-sqlite3';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { aiDecisions, aiSettings } from '../../../db/schema/ai';
import { comments, conversations, supportEscalations } from '../../../db/schema/inbox';
import type { ApiContext } from '../context';
import type { EscalationReason, TriageDecision } from './views';

// --- the matcher (pure) ---------------------------------------------------------------------------

export interface RuleSet {
  flaggedKeywords: readonly string[];
  flaggedPhrases: readonly string[];
  ignoreExamples: readonly string[];
}

export interface RuleMatch {
  decision: 'escalate' | 'ignore';
  /** 'keyword: refund', 'phrase: speak to a human', 'ignore example: thanks!' (the rule as the user wrote it). */
  matchedRule: string;
  /** Why, in words for the user. */
  reason: string;
  /** Set for 'escalate': the support_escalations reason. */
  escalationReason: EscalationReason | null;
}

/**
 * An ignore example matches a message with the same words in any order and punctuation, or one
 * that shares at least 80% of their distinct words (Jaccard). 0.8 keeps "thanks so much!!" ~
 * "thanks so much :)" and "great post, love it" ~ "love it, great post", while one changed word in
 * a four-word message ("thank you very much" vs "thank you so much", 0.6) is no longer "the same".
 */
export const IGNORE_SIMILARITY = 0.8;

// Format characters (zero-width space/joiners, bidi overrides, soft hyphen) and the other default
// ignorables (variation selectors, fillers) are invisible: a word split by them reads as one word.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const APOSTROPHES = /[\u2018\u2019\u02bc\u02b9\u0060\u00b4]/g;
const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * The text rules compare: NFKC (full-width and styled letters become plain ones), case-folded
 * (upper then lower, so ß ~ SS ~ ss and final sigma ~ sigma), invisible characters removed,
 * apostrophes unified, whitespace folded to single spaces.
 */
export function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKC')
    .replace(APOSTROPHES, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words of normalised text by Unicode word boundaries (UAX #29): "don't" is one word, "e-mail" two. */
export function wordsOf(normalized: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(normalized)) if (s.isWordLike) out.push(s.segment);
  return out;
}

interface SequenceRule {
  kind: 'keyword' | 'phrase';
  /** As the user wrote it, for matched_rule. */
  text: string;
  words: string[];
  /** Rules with no words at all (an emoji, "!!!") match as normalised substrings instead. */
  normalized: string;
  escalationReason: EscalationReason;
}

interface IgnoreRule {
  text: string;
  normalized: string;
  words: Set<string>;
}

export interface CompiledRules {
  sequences: SequenceRule[];
  ignores: IgnoreRule[];
}

const LEGAL_WORDS = new Set(['lawyer', 'lawyers', 'legal', 'sue', 'sues', 'suing', 'sued', 'lawsuit', 'court', 'courts', 'attorney', 'attorneys', 'solicitor', 'solicitors', 'litigation']);
const HUMAN_WORDS = new Set(['human', 'humans', 'person', 'agent', 'agents', 'manager', 'supervisor', 'representative', 'operator', 'someone', 'somebody', 'staff']);

/**
 * Which support_escalations reason a flagged rule stands for, read from the rule's own words:
 * legal words (lawyer, sue, court, attorney, ...) are a legal matter; asking for a human, person,
 * agent or manager is a human request; any other flagged word is an urgent request. When several
 * rules match, the weightiest reason wins: legal, then human, then urgent.
 */
export function escalationReasonOf(words: readonly string[]): EscalationReason {
  if (words.some((w) => LEGAL_WORDS.has(w))) return 'legal_matter';
  if (words.some((w) => HUMAN_WORDS.has(w))) return 'human_requested';
  return 'urgent_request';
}

const REASON_WEIGHT: Record<EscalationReason, number> = { legal_matter: 3, human_requested: 2, urgent_request: 1, complex_issue: 0, ai_limitation: 0 };
const REASON_WORDS: Record<EscalationReason, string> = {
  legal_matter: 'mentions a legal matter',
  human_requested: 'asks for a person',
  urgent_request: 'needs a person soon',
  complex_issue: 'is complex',
  ai_limitation: 'is beyond what the AI can answer',
};

export function compileRules(rules: RuleSet): CompiledRules {
  const sequence = (kind: SequenceRule['kind'], raw: string): SequenceRule | null => {
    const text = raw.trim();
    const normalized = normalizeText(text);
    if (normalized === '') return null;
    const words = wordsOf(normalized);
    return { kind, text, words, normalized, escalationReason: escalationReasonOf(words) };
  };
  // Phrases first: when two rules give the same reason, the more specific one is recorded.
  const sequences = [...rules.flaggedPhrases.map((p) => sequence('phrase', p)), ...rules.flaggedKeywords.map((k) => sequence('keyword', k))].filter((r): r is SequenceRule => r !== null);
  const ignores = rules.ignoreExamples
    .map((raw) => {
      const text = raw.trim();
      const normalized = normalizeText(text);
      return { text, normalized, words: new Set(wordsOf(normalized)) };
    })
    .filter((r) => r.normalized !== '');
  return { sequences, ignores };
}

class MessageWords {
  readonly words: string[];
  private positions: Map<string, number[]> | null = null;

  constructor(readonly normalized: string) {
    this.words = wordsOf(normalized);
  }

  /** Whether `seq` occurs as contiguous whole words. */
  contains(seq: readonly string[]): boolean {
    const [first] = seq;
    if (first === undefined) return false;
    this.positions ??= this.index();
    for (const p of this.positions.get(first) ?? []) {
      let i = 1;
      while (i < seq.length && this.words[p + i] === seq[i]) i++;
      if (i === seq.length) return true;
    }
    return false;
  }

  private index(): Map<string, number[]> {
    const m = new Map<string, number[]>();
    this.words.forEach((w, i) => {
      const list = m.get(w);
      if (list) list.push(i);
      else m.set(w, [i]);
    });
    return m;
  }
}

function quoted(s: string): string {
  return `"${s.length > 80 ? `${s.slice(0, 79)}…` : s}"`;
}

/** The decision the rules make for one message, or null when none applies. Escalation beats ignore. */
export function matchRules(rules: CompiledRules, text: string): RuleMatch | null {
  if (rules.sequences.length === 0 && rules.ignores.length === 0) return null;
  const msg = new MessageWords(normalizeText(text));

  const hits = rules.sequences.filter((r) => (r.words.length > 0 ? msg.contains(r.words) : msg.normalized.includes(r.normalized)));
  if (hits.length > 0) {
    // Stable: among equal reasons the first hit (phrases, then keywords, in the user's order) wins.
    const best = hits.reduce((a, b) => (REASON_WEIGHT[b.escalationReason] > REASON_WEIGHT[a.escalationReason] ? b : a));
    const others = hits.filter((h) => h !== best);
    const also = others.length === 0 ? '' : ` Also matched: ${others.slice(0, 5).map((h) => `${h.kind} ${quoted(h.text)}`).join(', ')}${others.length > 5 ? ', …' : ''}.`;
    return {
      decision: 'escalate',
      matchedRule: `${best.kind}: ${best.text}`,
      reason: `Flagged ${best.kind} ${quoted(best.text)}: the message ${REASON_WORDS[best.escalationReason]}.${also}`,
      escalationReason: best.escalationReason,
    };
  }

  let bestIgnore: { rule: IgnoreRule; similarity: number } | null = null;
  const msgSet = new Set(msg.words);
  for (const rule of rules.ignores) {
    const similarity = rule.normalized === msg.normalized ? 1 : jaccard(msgSet, rule.words);
    if (similarity >= IGNORE_SIMILARITY && (bestIgnore === null || similarity > bestIgnore.similarity)) bestIgnore = { rule, similarity };
    if (bestIgnore?.similarity === 1) break;
  }
  if (bestIgnore) {
    const { rule, similarity } = bestIgnore;
    return {
      decision: 'ignore',
      matchedRule: `ignore example: ${rule.text}`,
      reason:
        similarity === 1
          ? `Same words as the ignore example ${quoted(rule.text)}: no answer needed.`
          : `Close to the ignore example ${quoted(rule.text)} (${Math.round(similarity * 100)}% of the words shared): no answer needed.`,
      escalationReason: null,
    };
  }
  return null;
}

/** |A ∩ B| / |A ∪ B| over distinct words; 0 when either has no words (emoji-only text must be equal to match). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  // The ratio cannot reach the threshold when one set is much larger: skip the count.
  if (Math.min(a.size, b.size) / Math.max(a.size, b.size) < IGNORE_SIMILARITY) return Math.min(a.size, b.size) / Math.max(a.size, b.size);
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  return inter / (a.size + b.size - inter);
}

// --- applying a decision ----------------------------------------------------------------------------

/** The workspace's rules (ai_settings); none written yet means no rules. */
export function loadRules(tx: Pick<Database['orm'], 'select'>, workspaceId: string): CompiledRules {
  const row = tx
    .select({ flaggedKeywords: aiSettings.flaggedKeywords, flaggedPhrases: aiSettings.flaggedPhrases, ignoreExamples: aiSettings.ignoreExamples })
    .from(aiSettings)
    .where(and(eq(aiSettings.workspaceId, workspaceId), isNull(aiSettings.deletedAt)))
    .get();
  return compileRules(row ?? { flaggedKeywords: [], flaggedPhrases: [], ignoreExamples: [] });
}

export interface DecisionInput {
  workspaceId: string;
  conversationId: string | null;
  /** The message decided on (DMs, mentions, a comment's message in its thread). */
  messageId: string | null;
  /** The comment decided on, when it is one. */
  commentId: string | null;
  decision: TriageDecision;
  /** 0..1; rules are certain (1). */
  confidence: number | null;
  reason: string | null;
  matchedRule: string | null;
  /** The model that decided; null for rules. */
  model: string | null;
  /** The customer's words (the log keeps the first 500 characters). */
  messageText: string;
  /** Why a person must answer; for 'escalate' only. The AI's default is 'ai_limitation'. */
  escalationReason?: EscalationReason | undefined;
  /** Whatever else the decider wants kept with the decision (the AI's prompt version, scores). */
  snapshot?: Record<string, unknown> | undefined;
}

export type EscalatedEvent = { workspaceId: string; conversationId: string; customerName: string | null; reason: string; message: string };

export interface AppliedDecision {
  decisionId: string;
  escalationId: string | null;
  /** The 'inbox.escalated' payload to emit once the transaction has committed. */
  escalated: EscalatedEvent | null;
}

/** ai_decisions.message_text holds 500 characters (a CHECK); cut without splitting a surrogate pair. */
export function first500(s: string): string {
  const chars = Array.from(s);
  return chars.length <= 500 ? s : chars.slice(0, 500).join('');
}

/** What an escalation keeps of the customer's words: enough to act on from the notification and list. */
const ESCALATION_MESSAGE_MAX = 2000;

const triageStatements = new WeakMap<BetterSqlite3.Database, { escalate: BetterSqlite3.Statement<[number, string]>; other: BetterSqlite3.Statement<[{ decision: TriageDecision | null; now: number; id: string }]> }>();

/**
 * The conversation's triage is the latest decision on it, except that an escalation is not talked
 * down (by "thanks!" or a message no rule matched) while it is still open: a person must see it.
 * Ingestion calls this for most new messages, hence a statement prepared once per connection.
 */
export function setConversationTriage(db: Pick<Database, 'sqlite'>, conversationId: string, decision: TriageDecision | null, now: number): void {
  let st = triageStatements.get(db.sqlite);
  if (!st) {
    st = {
      escalate: db.sqlite.prepare(`UPDATE conversations SET triage = 'escalate', updated_at = ? WHERE id = ?`),
      other: db.sqlite.prepare(
        `UPDATE conversations SET triage = @decision, updated_at = @now WHERE id = @id
           AND NOT (triage IS 'escalate' AND EXISTS (SELECT 1 FROM support_escalations se WHERE se.conversation_id = conversations.id AND se.resolved_at IS NULL AND se.deleted_at IS NULL))
           AND triage IS NOT @decision -- the same triage again writes nothing (conversations sync)
        `,
      ),
    };
    triageStatements.set(db.sqlite, st);
  }
  if (decision === 'escalate') st.escalate.run(now, conversationId);
  else st.other.run({ decision, now, id: conversationId });
}

/**
 * One decision, inside the caller's transaction (on the same connection): the ai_decisions row; the conversation's (and
 * comment's) triage; for 'escalate' a support_escalations row, the conversation raised to at least
 * high priority and its AI mode turned OFF (a person takes the thread from here).
 */
export function applyDecision(db: Database, input: DecisionInput, now: number): AppliedDecision {
  const tx = db.orm;
  if (input.messageId === null && input.commentId === null) throw new Error('a decision is about a message or a comment');
  if (input.confidence !== null && !(input.confidence >= 0 && input.confidence <= 1)) throw new RangeError('confidence is between 0 and 1');
  const [row] = tx
    .insert(aiDecisions)
    .values({
      workspaceId: input.workspaceId,
      messageId: input.messageId,
      commentId: input.commentId,
      conversationId: input.conversationId,
      decision: input.decision,
      confidence: input.confidence,
      reason: input.reason,
      matchedRule: input.matchedRule,
      messageText: first500(input.messageText),
      snapshotJson: input.snapshot ?? null,
      model: input.model,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: aiDecisions.id })
    .all();
  if (!row) throw new Error('the decision was not written');

  if (input.commentId !== null) {
    tx.update(comments).set({ triage: input.decision, aiDecisionId: row.id, updatedAt: now }).where(eq(comments.id, input.commentId)).run();
  }
  if (input.conversationId !== null) setConversationTriage(db, input.conversationId, input.decision, now);
  if (input.decision !== 'escalate') return { decisionId: row.id, escalationId: null, escalated: null };

  const reason = input.escalationReason ?? 'ai_limitation';
  const message = Array.from(input.messageText).slice(0, ESCALATION_MESSAGE_MAX).join('');
  const [esc] = tx
    .insert(supportEscalations)
    .values({
      workspaceId: input.workspaceId,
      conversationId: input.conversationId,
      commentId: input.commentId,
      message,
      confidence: input.confidence,
      reason,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: supportEscalations.id })
    .all();
  if (!esc) throw new Error('the escalation was not written');
  if (input.conversationId === null) return { decisionId: row.id, escalationId: esc.id, escalated: null };
  const conv = tx
    .update(conversations)
    .set({
      priority: sql`CASE WHEN ${conversations.priority} IN ('low', 'normal') THEN 'high' ELSE ${conversations.priority} END`,
      aiMode: 'OFF',
      updatedAt: now,
    })
    .where(eq(conversations.id, input.conversationId))
    .returning({ customerName: conversations.customerName, customerIdentifier: conversations.customerIdentifier })
    .get();
  return {
    decisionId: row.id,
    escalationId: esc.id,
    escalated: {
      workspaceId: input.workspaceId,
      conversationId: input.conversationId,
      customerName: conv?.customerName ?? conv?.customerIdentifier ?? null,
      reason,
      message,
    },
  };
}

/**
 * Record a decision made outside ingestion (the AI's, or a person's re-triage) in its own
 * transaction, then tell the app: 'inbox.changed', and 'inbox.escalated' for an escalation.
 */
export function recordDecision(ctx: Pick<ApiContext, 'db' | 'events'>, input: DecisionInput, now = Date.now()): AppliedDecision {
  const applied = ctx.db.sqlite.transaction(() => applyDecision(ctx.db, input, now))();
  if (input.conversationId !== null) ctx.events.emit('inbox.changed', { workspaceId: input.workspaceId, conversationIds: [input.conversationId] });
  if (applied.escalated) ctx.events.emit('inbox.escalated', applied.escalated);
  return applied;
}
