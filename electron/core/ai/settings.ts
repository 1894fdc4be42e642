// Provider settings: per workspace (ai_settings, the seed's defaults when no row exists) over an
// app-wide default endpoint (app_settings 'ai.default_endpoint'). API keys are sealed through the
// vault into app_secrets ('ai.api_key', per workspace or app-wide), never into ai_settings, and are
// never returned: views carry `hasKey` only.
//
// The endpoint, its key and its models are one connection: a workspace with its own base URL uses
// its own key and models; a workspace on the app-wide endpoint uses the app-wide key and models
// (falling back to the workspace's model when the app-wide one names none). The key therefore never
// travels to an endpoint it was not entered for.
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { aiSettings } from '../../../db/schema/ai';
import { creditBalances } from '../../../db/schema/billing';
import { newId } from '../../../db/schema/columns';
import { appSecrets, appSettings } from '../../../db/schema/settings';
import type { ApiContext } from '../context';
import type { SecretVault } from '../secrets/vault';
import { getWorkspace } from '../workspaces/workspaces';
import { AiNotConfiguredError } from './errors';
import { nanoToUsd, usdToNano } from './money';
import { setPlanCredits } from './ledger';

export const API_KEY_SECRET = 'ai.api_key';
export const DEFAULT_ENDPOINT_SETTING = 'ai.default_endpoint';

/** What ai_settings gives a workspace that never saved AI settings (the columns' own defaults). */
export const SETTINGS_DEFAULTS = {
  chatModel: 'anthropic/claude-3.5-haiku',
  temperature: 0.2,
  topP: 1,
  language: 'en',
  tone: 'friendly',
} as const;

export type EndpointKind = 'openai' | 'openrouter' | 'ollama' | 'lmstudio' | 'other';

export interface AppEndpointView {
  baseUrl: string | null;
  hasKey: boolean;
  chatModel: string | null;
  embeddingModel: string | null;
}

export interface EffectiveEndpointView {
  configured: boolean;
  /** Whose endpoint is in force: the workspace's own, the app-wide default, or none. */
  source: 'workspace' | 'app' | null;
  baseUrl: string | null;
  kind: EndpointKind | null;
  hasKey: boolean;
  chatModel: string;
  embeddingModel: string | null;
  /** Something the user should know (the key would cross the network unencrypted). */
  warning: string | null;
}

export interface AiSettingsView {
  workspaceId: string;
  /** False: nothing saved yet, these are the defaults. */
  saved: boolean;
  baseUrl: string | null;
  hasKey: boolean;
  chatModel: string;
  embeddingModel: string | null;
  temperature: number;
  topP: number;
  language: string;
  tone: string;
  systemPrompt: string | null;
  enabledForDms: boolean;
  enabledForComments: boolean;
  /** Spend cap per calendar month (UTC) in USD; null: no cap. */
  monthlyBudgetUsd: number | null;
  /** Credits granted each month; 0: credits are counted but not limited. */
  monthlyCredits: number;
  creditsBalance: number | null;
  appDefault: AppEndpointView;
  effective: EffectiveEndpointView;
}

/** Everything a call needs, with the key opened. Internal: never sent to the renderer. */
export interface ResolvedAi {
  workspaceId: string;
  baseUrl: string;
  kind: EndpointKind;
  apiKey: string | null;
  chatModel: string;
  embeddingModel: string | null;
  temperature: number;
  topP: number;
  language: string;
  tone: string;
  systemPrompt: string | null;
  monthlyCapNanoUsd: number | null;
}

interface StoredEndpoint {
  baseUrl: string | null;
  chatModel: string | null;
  embeddingModel: string | null;
}

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

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

/** "http://x:11434/v1/" → "http://x:11434/v1". Throws on anything that is not a plain http(s) URL. */
export function normaliseBaseUrl(raw: string): string {
  const url = new URL(raw.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('the base URL must start with http:// or https://');
  if (url.username || url.password) throw new Error('put the API key in its own field, not in the URL');
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

// ---- secrets ---------------------------------------------------------------------------------

function keyRow(db: Database, workspaceId: string | null) {
  return db.orm
    .select()
    .from(appSecrets)
    .where(and(eq(appSecrets.name, API_KEY_SECRET), workspaceId === null ? isNull(appSecrets.workspaceId) : eq(appSecrets.workspaceId, workspaceId)))
    .get();
}

function hasKey(db: Database, workspaceId: string | null): boolean {
  return keyRow(db, workspaceId) !== undefined;
}

function readKey(db: Database, vault: SecretVault, workspaceId: string | null): string | null {
  const row = keyRow(db, workspaceId);
  return row ? vault.open('app_secrets', row.id, 'value_encrypted', row.valueEncrypted) : null;
}

/** Save (replace) or, with null, remove the key; sealed and bound to its app_secrets row. */
function writeKey(db: Database, vault: SecretVault, workspaceId: string | null, value: string | null, now = Date.now()): void {
  const existing = keyRow(db, workspaceId);
  if (value === null) {
    if (existing) db.orm.delete(appSecrets).where(eq(appSecrets.id, existing.id)).run();
    return;
  }
  const id = existing?.id ?? newId();
  const valueEncrypted = vault.seal('app_secrets', id, 'value_encrypted', value);
  if (existing) db.orm.update(appSecrets).set({ valueEncrypted, updatedAt: now }).where(eq(appSecrets.id, id)).run();
  else db.orm.insert(appSecrets).values({ id, workspaceId, name: API_KEY_SECRET, valueEncrypted }).run();
}

// ---- app-wide default endpoint ---------------------------------------------------------------

function readAppEndpoint(db: Database): StoredEndpoint {
  const row = db.orm.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, DEFAULT_ENDPOINT_SETTING)).get();
  const v = (row?.value ?? {}) as Partial<Record<keyof StoredEndpoint, unknown>>;
  const str = (x: unknown) => (typeof x === 'string' && x.length > 0 ? x : null);
  return { baseUrl: str(v.baseUrl), chatModel: str(v.chatModel), embeddingModel: str(v.embeddingModel) };
}

export function appEndpointView(db: Database): AppEndpointView {
  return { ...readAppEndpoint(db), hasKey: hasKey(db, null) };
}

export interface AppEndpointPatch {
  baseUrl?: string | null | undefined;
  /** A new key; null removes it; absent keeps it. */
  apiKey?: string | null | undefined;
  chatModel?: string | null | undefined;
  embeddingModel?: string | null | undefined;
}

export function updateAppEndpoint(ctx: ApiContext, patch: AppEndpointPatch): AppEndpointView {
  const { db, vault } = ctx;
  if (patch.apiKey) vault.assertUnlocked();
  const current = readAppEndpoint(db);
  const next: StoredEndpoint = {
    baseUrl: patch.baseUrl === undefined ? current.baseUrl : patch.baseUrl === null ? null : normaliseBaseUrl(patch.baseUrl),
    chatModel: patch.chatModel === undefined ? current.chatModel : patch.chatModel?.trim() || null,
    embeddingModel: patch.embeddingModel === undefined ? current.embeddingModel : patch.embeddingModel?.trim() || null,
  };
  const now = Date.now();
  db.sqlite.transaction(() => {
    db.orm
      .insert(appSettings)
      .values({ key: DEFAULT_ENDPOINT_SETTING, value: next, description: 'The AI endpoint workspaces use unless they set their own.' })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: next, updatedAt: now } })
      .run();
    if (patch.apiKey !== undefined) writeKey(db, vault, null, patch.apiKey === null || patch.apiKey.trim() === '' ? null : patch.apiKey.trim(), now);
  })();
  return appEndpointView(db);
}

// ---- per workspace ---------------------------------------------------------------------------

function settingsRow(db: Database, workspaceId: string) {
  return db.orm
    .select()
    .from(aiSettings)
    .where(and(eq(aiSettings.workspaceId, workspaceId), isNull(aiSettings.deletedAt)))
    .get();
}

function plainHttpWarning(baseUrl: string | null, withKey: boolean): string | null {
  if (!baseUrl || !withKey) return null;
  const url = new URL(baseUrl);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return `The endpoint uses http://, so the API key crosses the network unencrypted to ${url.host}. Use https:// unless this is a machine on your own network.`;
  }
  return null;
}

export function getSettings(db: Database, workspaceId: string): AiSettingsView {
  getWorkspace(db, workspaceId);
  const row = settingsRow(db, workspaceId);
  const app = appEndpointView(db);
  const wsHasKey = hasKey(db, workspaceId);
  const chatModel = row?.aiModel ?? SETTINGS_DEFAULTS.chatModel;
  const embeddingModel = row?.embeddingModel ?? null;
  const balance = db.orm.select().from(creditBalances).where(eq(creditBalances.workspaceId, workspaceId)).get();

  const own = row?.baseUrl ?? null;
  const source = own ? 'workspace' : app.baseUrl ? 'app' : null;
  const baseUrl = own ?? app.baseUrl;
  const effectiveHasKey = source === 'workspace' ? wsHasKey : source === 'app' ? app.hasKey : false;
  const effective: EffectiveEndpointView = {
    configured: baseUrl !== null,
    source,
    baseUrl,
    kind: baseUrl ? endpointKind(baseUrl) : null,
    hasKey: effectiveHasKey,
    chatModel: source === 'app' ? (app.chatModel ?? chatModel) : chatModel,
    embeddingModel: source === 'app' ? (app.embeddingModel ?? embeddingModel) : embeddingModel,
    warning: plainHttpWarning(baseUrl, effectiveHasKey),
  };

  return {
    workspaceId,
    saved: row !== undefined,
    baseUrl: own,
    hasKey: wsHasKey,
    chatModel,
    embeddingModel,
    temperature: row?.temperature ?? SETTINGS_DEFAULTS.temperature,
    topP: row?.topP ?? SETTINGS_DEFAULTS.topP,
    language: row?.lang ?? SETTINGS_DEFAULTS.language,
    tone: row?.tone ?? SETTINGS_DEFAULTS.tone,
    systemPrompt: row?.systemPrompt ?? null,
    enabledForDms: row?.aiEnabledForChats ?? true,
    enabledForComments: row?.aiEnabledForComments ?? true,
    monthlyBudgetUsd: row?.monthlyCostCapUsd ?? null,
    monthlyCredits: balance?.planCredits ?? 0,
    creditsBalance: balance ? balance.creditsBalance : null,
    appDefault: app,
    effective,
  };
}

export interface SettingsPatch {
  workspaceId: string;
  baseUrl?: string | null | undefined;
  apiKey?: string | null | undefined;
  chatModel?: string | undefined;
  embeddingModel?: string | null | undefined;
  temperature?: number | undefined;
  topP?: number | undefined;
  language?: string | undefined;
  tone?: string | undefined;
  systemPrompt?: string | null | undefined;
  enabledForDms?: boolean | undefined;
  enabledForComments?: boolean | undefined;
  monthlyBudgetUsd?: number | null | undefined;
  monthlyCredits?: number | undefined;
}

export function updateSettings(ctx: ApiContext, patch: SettingsPatch): AiSettingsView {
  const { db, vault } = ctx;
  getWorkspace(db, patch.workspaceId);
  if (patch.apiKey) vault.assertUnlocked();
  const set: Partial<typeof aiSettings.$inferInsert> = {};
  if (patch.baseUrl !== undefined) set.baseUrl = patch.baseUrl === null || patch.baseUrl.trim() === '' ? null : normaliseBaseUrl(patch.baseUrl);
  if (patch.chatModel !== undefined) set.aiModel = patch.chatModel.trim();
  if (patch.embeddingModel !== undefined) set.embeddingModel = patch.embeddingModel?.trim() || null;
  if (patch.temperature !== undefined) set.temperature = patch.temperature;
  if (patch.topP !== undefined) set.topP = patch.topP;
  if (patch.language !== undefined) set.lang = patch.language.trim();
  if (patch.tone !== undefined) set.tone = patch.tone.trim();
  if (patch.systemPrompt !== undefined) set.systemPrompt = patch.systemPrompt?.trim() || null;
  if (patch.enabledForDms !== undefined) set.aiEnabledForChats = patch.enabledForDms;
  if (patch.enabledForComments !== undefined) set.aiEnabledForComments = patch.enabledForComments;
  if (patch.monthlyBudgetUsd !== undefined) set.monthlyCostCapUsd = patch.monthlyBudgetUsd === null ? null : nanoToUsd(usdToNano(patch.monthlyBudgetUsd));

  const now = Date.now();
  db.sqlite.transaction(() => {
    db.orm
      .insert(aiSettings)
      .values({ workspaceId: patch.workspaceId, ...set })
      .onConflictDoUpdate({ target: aiSettings.workspaceId, set: { ...set, deletedAt: null, updatedAt: now } })
      .run();
    if (patch.apiKey !== undefined) {
      writeKey(db, vault, patch.workspaceId, patch.apiKey === null || patch.apiKey.trim() === '' ? null : patch.apiKey.trim(), now);
    }
    if (patch.monthlyCredits !== undefined) setPlanCredits(db, patch.workspaceId, patch.monthlyCredits, now);
  })();
  return getSettings(db, patch.workspaceId);
}

/** Overrides for "Test connection" before saving: the values being edited. */
export interface EndpointOverride {
  baseUrl?: string | undefined;
  apiKey?: string | null | undefined;
  chatModel?: string | undefined;
}

/** Everything a call needs, key opened. Throws AiNotConfiguredError when no base URL is set. */
export function resolveAi(ctx: ApiContext, workspaceId: string, override: EndpointOverride = {}): ResolvedAi {
  const view = getSettings(ctx.db, workspaceId);
  const baseUrl = override.baseUrl ? normaliseBaseUrl(override.baseUrl) : view.effective.baseUrl;
  if (!baseUrl) throw new AiNotConfiguredError();
  let apiKey: string | null;
  if (override.apiKey !== undefined) apiKey = override.apiKey?.trim() || null;
  else if (override.baseUrl && normaliseBaseUrl(override.baseUrl) !== view.effective.baseUrl) apiKey = null;
  else if (view.effective.source === 'workspace') apiKey = view.hasKey ? readKey(ctx.db, ctx.vault, workspaceId) : null;
  else apiKey = view.appDefault.hasKey ? readKey(ctx.db, ctx.vault, null) : null;
  return {
    workspaceId,
    baseUrl,
    kind: endpointKind(baseUrl),
    apiKey,
    chatModel: override.chatModel?.trim() || view.effective.chatModel,
    embeddingModel: view.effective.embeddingModel,
    temperature: view.temperature,
    topP: view.topP,
    language: view.language,
    tone: view.tone,
    systemPrompt: view.systemPrompt,
    monthlyCapNanoUsd: view.monthlyBudgetUsd === null ? null : usdToNano(view.monthlyBudgetUsd),
  };
}
