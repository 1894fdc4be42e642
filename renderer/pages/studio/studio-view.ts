// AI Studio's plain data: the model picker's options, what a turn's end means in words, the
// history note, and a request id for one streamed answer. Pure, so it needs no browser.
import type { ApiOutput } from '../../../electron/api';
import { modelOptions, type CatalogueModel } from '../settings/ai-settings';

export type ThreadItem = ApiOutput<'studio.threads'>[number];
export type ThreadView = ApiOutput<'studio.thread'>;
export type StudioMessage = ThreadView['messages'][number];
export type StudioSettings = ApiOutput<'studio.settings'>;

export interface ModelChoice {
  value: string;
  label: string;
}

/** Catalogue models that fit the endpoint, with the workspace's model and the current one always present. */
export function modelChoices(catalogue: readonly CatalogueModel[], settings: StudioSettings, current: string | null): ModelChoice[] {
  const out: ModelChoice[] = [];
  const seen = new Set<string>();
  const add = (value: string, label: string) => {
    if (value === '' || seen.has(value)) return;
    seen.add(value);
    out.push({ value, label });
  };
  if (current) add(current, current);
  add(settings.defaultModel, `${settings.defaultModel} (studio default)`);
  add(settings.workspaceModel, `${settings.workspaceModel} (Settings → AI)`);
  for (const o of modelOptions(catalogue, [], settings.endpointKind, 'chat')) add(o.value, o.detail ? `${o.value} · ${o.detail}` : o.value);
  return out;
}

/** How an answer ended, in words (null: it simply finished). */
export function endNote(m: StudioMessage): string | null {
  switch (m.status) {
    case 'cancelled':
      return m.content ? 'Stopped: the text so far is kept.' : 'Stopped before the first word.';
    case 'failed':
      return `No answer: ${m.error ?? 'the AI call failed.'}`;
    case 'interrupted':
      return m.error ?? 'Postdesk stopped before this answer was written.';
    default:
      return null;
  }
}

/** The line under the composer: what the model is shown, and what the last turn left out. */
export function historyNote(budgetTokens: number, last: ThreadView['history']): string {
  const base = `The model sees your newest messages, up to about ${budgetTokens.toLocaleString('en')} tokens; older ones are left out.`;
  if (!last || last.omitted === 0) return base;
  return `${base} The last answer was written without the ${last.omitted === 1 ? 'oldest message' : `${last.omitted} oldest messages`}.`;
}

export function newRequestId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return `studio-${c.randomUUID()}`;
  return `studio-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** "14:05" today, "3 Mar" this year, "3 Mar 2025" before. */
export function shortTime(ms: number | null, now = Date.now()): string {
  if (ms === null) return '';
  const d = new Date(ms);
  const n = new Date(now);
  if (d.toDateString() === n.toDateString()) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', ...(d.getFullYear() === n.getFullYear() ? {} : { year: 'numeric' }) });
}
