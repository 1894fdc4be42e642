// Settings → Inbox, the parts that are plain data: rule lists as the engine will store them (so the
// chips show what Save keeps), each account's polling in words, and a saved reply checked before
// it is sent. Pure, so it is unit-tested.
import type { ApiOutput } from '../../../electron/api';

export type TriageRules = ApiOutput<'inbox.rules'>;
export type PollState = ApiOutput<'inbox.pollStatus'>[number];
export type SavedReply = ApiOutput<'inbox.savedReplies'>[number];

/** The API's limits (electron/api/inbox.ts). */
export const MAX_RULES = 500;
export const MAX_RULE_LENGTH = 200;
export const MAX_TITLE = 120;
export const MAX_REPLY = 20_000;
export const MAX_SHORTCUT = 40;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One rule as the engine keeps it: trimmed, inner whitespace folded (inbox/rules.ts cleanList). */
export function cleanRule(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ');
}

/** Keywords are single words: commas, semicolons, spaces and new lines separate them. */
export function splitKeywords(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map(cleanRule)
    .filter((k) => k !== '');
}

/** Phrases and examples are whole lines: only new lines separate them (a pasted list). */
export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(cleanRule)
    .filter((k) => k !== '');
}

/** Add to a list, skipping what is already there in any case ("Refund" and "refund" are one rule). */
export function addUnique(existing: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(existing.map((x) => x.toLocaleLowerCase()));
  const out = [...existing];
  for (const raw of added) {
    const item = cleanRule(raw);
    const key = item.toLocaleLowerCase();
    if (item === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function sameRules(a: TriageRules, b: TriageRules): boolean {
  return (
    sameList(a.flaggedKeywords, b.flaggedKeywords) &&
    sameList(a.flaggedPhrases, b.flaggedPhrases) &&
    sameList(a.ignoreExamples, b.ignoreExamples) &&
    a.aiEnabledForChats === b.aiEnabledForChats &&
    a.aiEnabledForComments === b.aiEnabledForComments
  );
}

/** What is wrong with a rule list before it is sent, in the field's words; null when fine. */
export function listProblem(items: readonly string[], noun: string): string | null {
  if (items.length > MAX_RULES) return `Keep it to ${MAX_RULES} ${noun}s or fewer (there are ${items.length}).`;
  const long = items.find((x) => x.length > MAX_RULE_LENGTH);
  if (long) return `“${long.slice(0, 24)}…” is longer than ${MAX_RULE_LENGTH} characters; shorten it to the words that matter.`;
  return null;
}

// ---- polling -------------------------------------------------------------------------------------

/** "every 5 min", "every 1 h 30 min": how often an account is checked now. */
export function paceWords(intervalMs: number): string {
  const min = Math.max(1, Math.round(intervalMs / MINUTE));
  if (min < 60) return `every ${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest === 0 ? `every ${h} h` : `every ${h} h ${rest} min`;
}

/** "just now", "12 min ago", "3 h ago", "2 days ago". */
export function agoWords(at: number, now: number): string {
  const d = now - at;
  if (d < MINUTE) return 'just now';
  if (d < HOUR) return `${Math.floor(d / MINUTE)} min ago`;
  if (d < DAY) return `${Math.floor(d / HOUR)} h ago`;
  const days = Math.floor(d / DAY);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** "in 4 min", "in 2 h", or "due now" once the moment has come. */
export function inWords(at: number, now: number): string {
  const d = at - now;
  if (d <= 30_000) return 'due now';
  if (d < HOUR) return `in ${Math.max(1, Math.round(d / MINUTE))} min`;
  if (d < DAY) return `in ${Math.round(d / HOUR)} h`;
  const days = Math.round(d / DAY);
  return days === 1 ? 'in a day' : `in ${days} days`;
}

export interface PollLine {
  /** Short state for the badge. */
  label: 'Checking' | 'Failing' | 'Paused' | 'Waiting';
  tone: 'success' | 'danger' | 'muted' | 'warning';
  /** One sentence: last check, next check, pace. */
  text: string;
  /** The last error, as the engine worded it; null when the last check went well. */
  error: string | null;
}

export function pollLine(s: PollState, now: number): PollLine {
  const last = s.lastPollAt === null ? 'Not checked yet' : `Checked ${agoWords(s.lastPollAt, now)}`;
  const error = s.lastError?.trim() ? s.lastError.trim() : null;
  if (s.nextPollAt === null) {
    // Only accounts that cannot poll have no next check (disconnected, or needing a new sign-in).
    return { label: 'Paused', tone: 'warning', text: `${last}. Not checking until the account is reconnected on the Accounts page.`, error };
  }
  if (error) return { label: 'Failing', tone: 'danger', text: `${last}; next try ${inWords(s.nextPollAt, now)}, then ${paceWords(s.intervalMs)} until it works.`, error };
  const next = `next check ${inWords(s.nextPollAt, now)}, ${paceWords(s.intervalMs)} while it is quiet`;
  return { label: s.lastPollAt === null ? 'Waiting' : 'Checking', tone: s.lastPollAt === null ? 'muted' : 'success', text: `${last}; ${next}.`, error: null };
}

// ---- saved replies -------------------------------------------------------------------------------

export interface SavedReplyDraft {
  title: string;
  content: string;
  shortcut: string;
}

export type SavedReplyErrors = Partial<Record<keyof SavedReplyDraft, string>>;

export const EMPTY_DRAFT: SavedReplyDraft = { title: '', content: '', shortcut: '' };

/** "/hours " → "hours": the slash is how it is typed in the reply box, not part of the name. */
export function cleanShortcut(raw: string): string {
  return raw.trim().replace(/^\/+/, '');
}

const SHORTCUT = /^[\p{L}\p{N}_-]+$/u;

export function savedReplyProblems(d: SavedReplyDraft): SavedReplyErrors {
  const out: SavedReplyErrors = {};
  const title = d.title.trim();
  if (title === '') out.title = 'Give it a title, so you can find it in the / menu.';
  else if (title.length > MAX_TITLE) out.title = `Keep the title under ${MAX_TITLE} characters (it has ${title.length}).`;
  const content = d.content.trim();
  if (content === '') out.content = 'Write the reply it inserts.';
  else if (content.length > MAX_REPLY) out.content = `Keep it under ${MAX_REPLY.toLocaleString('en')} characters (it has ${content.length.toLocaleString('en')}).`;
  const shortcut = cleanShortcut(d.shortcut);
  if (shortcut !== '' && !SHORTCUT.test(shortcut)) out.shortcut = 'A shortcut is one word: letters, digits, - or _ (no spaces).';
  else if (shortcut.length > MAX_SHORTCUT) out.shortcut = `Keep the shortcut under ${MAX_SHORTCUT} characters.`;
  return out;
}

export function draftOf(r: SavedReply): SavedReplyDraft {
  // Older rows (the demo's) keep the slash in the shortcut; the form shows it once, before the field.
  return { title: r.title, content: r.content, shortcut: cleanShortcut(r.shortcut ?? '') };
}

/** The fields that changed, for inbox.updateSavedReply; an emptied shortcut is removed (null). */
export function savedReplyPatch(before: SavedReply, d: SavedReplyDraft): { title?: string; content?: string; shortcut?: string | null } {
  const patch: { title?: string; content?: string; shortcut?: string | null } = {};
  const title = d.title.trim();
  if (title !== before.title) patch.title = title;
  if (d.content.trim() !== before.content.trim()) patch.content = d.content.trim();
  const shortcut = cleanShortcut(d.shortcut);
  if ((shortcut || null) !== before.shortcut) patch.shortcut = shortcut || null;
  return patch;
}
