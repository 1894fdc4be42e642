// Compose's AI assist, the parts without a browser: following one call's 'ai.stream' events, and
// putting an accepted result into the draft in a way that can be undone. Pure, so tested in Node.
import type { EventPayload } from '../../../electron/api';
import type { Draft } from './draft';
import { insertTemplate } from './templates';

export type StreamEvent = EventPayload<'ai.stream'>;

export interface StreamState {
  /** What the current try has written so far. */
  text: string;
  /** 1 for the first try; a rewrite that came back too long tries once more (2). */
  attempt: number;
  /** The current try has ended (its `done` event arrived). */
  ended: boolean;
  /** Why the stream ended early, in words. */
  error: string | null;
}

export const STREAM_START: StreamState = { text: '', attempt: 1, ended: false, error: null };

/**
 * One event of the call being followed. Several tries share a request id: text after a `done`
 * is the next try's, so it replaces what was shown rather than being glued to it.
 */
export function streamStep(s: StreamState, e: Pick<StreamEvent, 'delta' | 'done' | 'error'>): StreamState {
  let next = s;
  if (e.delta !== '') next = s.ended ? { text: e.delta, attempt: s.attempt + 1, ended: false, error: null } : { ...s, text: s.text + e.delta };
  if (e.done) next = { ...next, ended: true, error: e.error ?? null };
  return next;
}

/** An id no other call of this window (or another window) will use. */
export function newRequestId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return `compose-${c.randomUUID()}`;
  return `compose-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * An accepted result: the change, its undo, and how to tell the draft still holds what was put in
 * (an undo after further typing would throw that typing away, so it is offered only until then).
 */
export interface Applied {
  label: string;
  apply: (d: Draft) => Draft;
  undo: (d: Draft) => Draft;
  stillApplied: (d: Draft) => boolean;
}

/** A written post into the main text: replacing it, or below what is there. */
export function applyDraftText(before: Draft, text: string, how: 'replace' | 'append', templateId: string | null): Applied {
  const content = insertTemplate(before.content, text, how);
  const previous = { content: before.content, templateId: before.templateId };
  return {
    label: how === 'replace' || before.content.trim() === '' ? 'The written post is in the text.' : 'The written post is below your text.',
    apply: (d) => ({ ...d, content, templateId: templateId ?? d.templateId }),
    undo: (d) => ({ ...d, content: previous.content, templateId: previous.templateId }),
    stillApplied: (d) => d.content === content,
  };
}

/** A rewrite as one account's own text (its variant); undo gives back what it had, even "the main text". */
export function applyVariant(before: Draft, accountId: string, text: string, network: string): Applied {
  const previous = before.targets.find((t) => t.accountId === accountId)?.content ?? null;
  const set = (d: Draft, content: string | null): Draft => ({ ...d, targets: d.targets.map((t) => (t.accountId === accountId ? { ...t, content } : t)) });
  return {
    label: `The ${network} version is in its tab.`,
    apply: (d) => set(d, text),
    undo: (d) => set(d, previous),
    stillApplied: (d) => d.targets.some((t) => t.accountId === accountId && t.content === text),
  };
}

/** Suggested hashtags into the post's hashtags (each once, whatever the case). */
export function addHashtagsTo(d: Draft, tags: readonly string[]): Draft {
  const have = new Set(d.hashtags.map((t) => t.toLowerCase()));
  const fresh: string[] = [];
  for (const t of tags) {
    if (have.has(t.toLowerCase())) continue;
    have.add(t.toLowerCase());
    fresh.push(t);
  }
  return fresh.length === 0 ? d : { ...d, hashtags: [...d.hashtags, ...fresh] };
}

/** The text a rewrite for one account starts from: its own version, or the main text. */
export function textFor(d: Draft, accountId: string): string {
  const own = d.targets.find((t) => t.accountId === accountId)?.content;
  return own !== null && own !== undefined && own.trim() !== '' ? own : d.content;
}
