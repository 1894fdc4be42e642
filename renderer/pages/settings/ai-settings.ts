// Settings → AI, the parts that are plain data: endpoint presets, the base URL checked the way the
// engine checks it (so the form refuses what Save would), which key a save or a test sends, the
// model picker's options, number fields, usage ranges, money and the day chart's scale. Pure, so it
// is unit-tested.
import type { ApiOutput } from '../../../electron/api';
import type { ComboOption } from '../../components/Combobox';

export type AiSettings = ApiOutput<'ai.settings'>;
export type CatalogueModel = ApiOutput<'ai.models'>[number];
export type TestResult = ApiOutput<'ai.testConnection'>;
export type UsageReport = ApiOutput<'ai.usage'>;
export type WorkspaceUsage = ApiOutput<'ai.usageByWorkspace'>;
export type EndpointKind = NonNullable<AiSettings['effective']['kind']>;

export interface Preset {
  kind: Exclude<EndpointKind, 'other'>;
  label: string;
  baseUrl: string;
  needsKey: boolean;
  /** Where the key comes from, or why none is needed. */
  keyHint: string;
}

export const PRESETS: readonly Preset[] = [
  { kind: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', needsKey: true, keyHint: 'Create one at platform.openai.com → API keys (it starts with sk-).' },
  { kind: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true, keyHint: 'Create one at openrouter.ai → Keys (it starts with sk-or-).' },
  { kind: 'ollama', label: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', needsKey: false, keyHint: 'Ollama on this computer needs no key. Start it, then `ollama pull llama3.2`.' },
  { kind: 'lmstudio', label: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1', needsKey: false, keyHint: 'LM Studio needs no key: load a model and start its local server.' },
];

const URL_EXAMPLE = 'http://127.0.0.1:11434/v1 or https://api.openai.com/v1';

/** "http://x:11434/v1/" → "http://x:11434/v1", or what is wrong with it in words (engine: ai/settings normaliseBaseUrl). */
export function checkBaseUrl(raw: string): { url: string; error: null } | { url: null; error: string } {
  const text = raw.trim();
  if (text === '') return { url: null, error: `Enter the endpoint’s base URL, e.g. ${URL_EXAMPLE}.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { url: null, error: `That is not a full URL. Start with http:// or https://, e.g. ${URL_EXAMPLE}.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { url: null, error: 'The base URL must start with http:// or https://.' };
  if (url.username || url.password) return { url: null, error: 'Put the API key in its own field, not in the URL.' };
  url.hash = '';
  return { url: url.toString().replace(/\/+$/, ''), error: null };
}

/** The same guess the engine makes (ai/settings endpointKind): by host for the clouds, by port locally. */
export function endpointKind(baseUrl: string): EndpointKind {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'other';
  }
  if (url.hostname === 'api.openai.com') return 'openai';
  if (url.hostname === 'openrouter.ai' || url.hostname.endsWith('.openrouter.ai')) return 'openrouter';
  if (url.port === '11434') return 'ollama';
  if (url.port === '1234') return 'lmstudio';
  return 'other';
}

/** The preset a typed URL is (exactly), for the preset buttons; null: a custom endpoint. */
export function presetOf(raw: string): Preset | null {
  const checked = checkBaseUrl(raw);
  if (!checked.url) return null;
  return PRESETS.find((p) => p.baseUrl === checked.url) ?? null;
}

export function kindLabel(kind: EndpointKind | null): string {
  if (kind === null) return 'No endpoint';
  return PRESETS.find((p) => p.kind === kind)?.label ?? 'Custom endpoint';
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

/** The engine's own warning (ai/settings plainHttpWarning), shown while typing, before Save. */
export function plainHttpWarning(baseUrl: string | null, withKey: boolean): string | null {
  if (!baseUrl || !withKey) return null;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return `The endpoint uses http://, so the API key crosses the network unencrypted to ${url.host}. Use https:// unless this is a machine on your own network.`;
  }
  return null;
}

function originOf(raw: string | null): string | null {
  if (!raw) return null;
  try {
    return new URL(raw).origin;
  } catch {
    return null;
  }
}

export interface KeyDraft {
  /** What is typed in the key field now ('' = nothing typed). */
  typed: string;
  /** The user pressed "Remove key". */
  clear: boolean;
}

/**
 * The `apiKey` a save sends: a typed key; null to remove the saved one (asked for, or the endpoint
 * moved to another server — a key is only ever sent where it was entered); undefined keeps it.
 */
export function keyToSave(key: KeyDraft, saved: { baseUrl: string | null; hasKey: boolean }, draftUrl: string): string | null | undefined {
  if (key.typed.trim() !== '') return key.typed.trim();
  if (!saved.hasKey) return undefined;
  if (key.clear) return null;
  return originOf(saved.baseUrl) !== null && originOf(saved.baseUrl) === originOf(checkBaseUrl(draftUrl).url) ? undefined : null;
}

/** True when saving would drop the saved key because the endpoint moved (the form says so first). */
export function keyWillBeDropped(key: KeyDraft, saved: { baseUrl: string | null; hasKey: boolean }, draftUrl: string): boolean {
  return !key.clear && key.typed.trim() === '' && keyToSave(key, saved, draftUrl) === null;
}

/** The `apiKey` "Test connection" sends: the typed one; null when the key is being removed; undefined: the engine picks the saved one (for the same endpoint only). */
export function keyToTest(key: KeyDraft): string | null | undefined {
  if (key.typed.trim() !== '') return key.typed.trim();
  return key.clear ? null : undefined;
}

// ---- models --------------------------------------------------------------------------------------

function perMillion(usd: number | null): string {
  if (usd === null) return '?';
  return `$${usd < 1 ? usd.toFixed(usd < 0.1 ? 3 : 2).replace(/0$/, '') : usd.toFixed(2)}`;
}

/** "$0.15 in · $0.60 out per 1M tokens", or "free, runs locally". */
export function priceWords(m: Pick<CatalogueModel, 'provider' | 'inputCostPerMtok' | 'outputCostPerMtok'>): string {
  if (m.provider === 'local' || (m.inputCostPerMtok === 0 && m.outputCostPerMtok === 0)) return 'free, runs locally';
  if (m.outputCostPerMtok === 0) return `${perMillion(m.inputCostPerMtok)} per 1M tokens`;
  return `${perMillion(m.inputCostPerMtok)} in · ${perMillion(m.outputCostPerMtok)} out per 1M`;
}

function isEmbedding(id: string): boolean {
  return /embed/i.test(id);
}

/** How the catalogue names a model on this kind of endpoint (OpenAI itself drops "openai/"). */
function catalogueIdFor(m: CatalogueModel, kind: EndpointKind | null): string | null {
  if (kind === 'ollama' || kind === 'lmstudio') return m.provider === 'local' ? m.modelId : null;
  if (kind === 'openai') return m.provider === 'openai' ? m.modelId.replace(/^openai\//, '') : null;
  if (kind === 'openrouter') return m.provider === 'local' ? null : m.modelId;
  return m.modelId;
}

/**
 * The picker's options: what the endpoint listed in the last test first ("on this endpoint"), then
 * catalogue models that fit the endpoint, with their price. Chat and embedding models apart.
 */
export function modelOptions(catalogue: readonly CatalogueModel[], listed: readonly string[], kind: EndpointKind | null, purpose: 'chat' | 'embedding'): ComboOption[] {
  const fits = (id: string) => (purpose === 'embedding' ? isEmbedding(id) : !isEmbedding(id));
  const out: ComboOption[] = [];
  const seen = new Set<string>();
  const priced = new Map<string, CatalogueModel>();
  for (const m of catalogue) {
    const id = catalogueIdFor(m, kind);
    if (id) priced.set(id, m);
  }
  // An endpoint that lists models: embedding pickers still show every listed model when none
  // looks like one (local servers name theirs freely).
  const listedFit = listed.filter(fits);
  for (const id of listedFit.length > 0 || purpose === 'chat' ? listedFit : listed) {
    if (seen.has(id)) continue;
    seen.add(id);
    const m = priced.get(id);
    out.push({ value: id, detail: m ? `on this endpoint · ${priceWords(m)}` : 'on this endpoint' });
  }
  if (listed.length > 0) return out;
  for (const [id, m] of priced) {
    if (seen.has(id) || !fits(id)) continue;
    seen.add(id);
    out.push({ value: id, detail: priceWords(m) });
  }
  return out;
}

// ---- numbers -------------------------------------------------------------------------------------

export type Parsed<T> = { value: T; error: null } | { value: null; error: string };

/** A decimal in a range, typed with a point or a comma. */
export function parseNumber(text: string, min: number, max: number, what: string): Parsed<number> {
  const t = text.trim().replace(',', '.');
  const n = t === '' ? Number.NaN : Number(t);
  if (!Number.isFinite(n)) return { value: null, error: `Enter ${what} as a number from ${min} to ${max}.` };
  if (n < min || n > max) return { value: null, error: `${what[0]?.toUpperCase()}${what.slice(1)} goes from ${min} to ${max}.` };
  return { value: n, error: null };
}

/** The monthly budget: empty is "no cap"; "$25", "25.50" and "25,50" are read as dollars. */
export function parseBudget(text: string): Parsed<number | null> {
  const t = text.trim().replace(/^\$/, '').replace(/\s/g, '');
  if (t === '') return { value: null, error: null };
  const r = parseNumber(t, 0, 1_000_000, 'the budget in US dollars');
  return r.error === null ? { value: Math.round(r.value * 100) / 100, error: null } : r;
}

export function budgetText(usd: number | null): string {
  return usd === null ? '' : String(usd);
}

// ---- usage ---------------------------------------------------------------------------------------

export type RangeChoice = 'month' | '30d' | '90d';

export const RANGE_LABELS: Record<RangeChoice, string> = { month: 'This month', '30d': 'Last 30 days', '90d': 'Last 90 days' };

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The report's days are UTC calendar days, as the engine meters them; `to` is today, inclusive. */
export function usageRange(choice: RangeChoice, now: number): { from: string; to: string } {
  const to = isoDay(now);
  if (choice === 'month') return { from: `${to.slice(0, 7)}-01`, to };
  const days = choice === '30d' ? 30 : 90;
  return { from: isoDay(now - (days - 1) * DAY), to };
}

/** Whole cents for people: "$0.00", "$12.35"; a non-zero amount under half a cent is "<$0.01". */
export function money(nano: number): string {
  if (nano > 0 && nano < 5_000_000) return '<$0.01';
  return `$${(Math.round(nano / 10_000_000) / 100).toFixed(2)}`;
}

/** "$3.20 of $25.00 (13%)", with the share capped for the meter at 100. */
export function budgetLine(month: UsageReport['month']): { text: string; share: number | null; over: boolean } {
  const spent = money(month.spentNanoUsd);
  if (month.budgetUsd === null) return { text: `${spent} spent this month, no budget set`, share: null, over: false };
  const budgetNano = Math.round(month.budgetUsd * 1e9);
  const share = budgetNano === 0 ? (month.spentNanoUsd > 0 ? 1 : 0) : month.spentNanoUsd / budgetNano;
  const pct = Math.round(share * 100);
  const over = budgetNano > 0 ? month.spentNanoUsd >= budgetNano : month.spentNanoUsd > 0;
  return { text: `${spent} of ${money(budgetNano)} this month (${pct}%)`, share: Math.min(1, share), over };
}

/** A round top for the day chart's axis: 1, 2 or 5 × 10ⁿ cents at least as high as the largest day. */
export function chartTop(nanoValues: readonly number[]): number {
  const max = Math.max(0, ...nanoValues);
  if (max === 0) return 10_000_000; // one cent: an empty chart still has an axis
  const cents = max / 10_000_000;
  const p = 10 ** Math.floor(Math.log10(cents));
  const step = [1, 2, 5, 10].find((s) => s * p >= cents) ?? 10;
  return step * p * 10_000_000;
}

export const FEATURE_LABELS: Record<string, string> = {
  post: 'Writing posts',
  enhancement: 'Rewrites',
  hashtags: 'Hashtags',
  reply: 'Reply drafts',
  triage: 'Inbox triage',
  alt_text: 'Alt text',
  summary: 'Summaries',
  chat: 'Chat and connection tests',
  embedding: 'Knowledge search (embeddings)',
  campaign: 'Campaigns',
  component: 'Campaign pieces',
  analysis: 'Topic analysis',
  migration_plan: 'Migration plans',
};

export function featureLabel(key: string): string {
  return FEATURE_LABELS[key] ?? (key === '' ? 'Other' : key.replace(/_/g, ' '));
}

/** "1,234" in the app's locale. */
export function count(n: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(n);
}
