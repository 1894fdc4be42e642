// Ad accounts at Meta and Google (000 AdsPlatform). The account itself (id, name, currency,
// timezone) is plain; its credentials (an access token, Google's developer token and login
// customer id...) are sealed with the vault into account_secrets (ad_account_id), bound to the
// row, and never leave the core: listings only say whether some are saved.
import type { Database } from '../../../db/client';
import { type AD_PLATFORMS } from '../../../db/schema/ads';
import { newId } from '../../../db/schema/columns';
import { ApiError } from '../../api/errors';
import type { ApiContext } from '../context';
import { getWorkspace } from '../workspaces/workspaces';

export type AdPlatform = (typeof AD_PLATFORMS)[number];
/** The platforms whose CSV exports Postdesk reads. */
export const SUPPORTED_AD_PLATFORMS = ['meta', 'google'] as const;
export type SupportedAdPlatform = (typeof SUPPORTED_AD_PLATFORMS)[number];

export const AD_PLATFORM_NAMES: Record<SupportedAdPlatform, string> = { meta: 'Meta Ads', google: 'Google Ads' };

export interface AdCredentials {
  accessToken?: string | undefined;
  /** Google Ads API developer token. */
  developerToken?: string | undefined;
  /** Google Ads manager account the calls go through. */
  loginCustomerId?: string | undefined;
  refreshToken?: string | undefined;
}

export interface AdAccountView {
  id: string;
  workspaceId: string;
  platform: AdPlatform;
  externalAccountId: string;
  name: string | null;
  currency: string | null;
  timezone: string | null;
  status: string;
  hasCredentials: boolean;
  lastSyncedAt: number | null;
  lastError: string | null;
  adCampaigns: number;
  createdAt: number;
}

/** Meta ad account ids are "act_" + digits; Google customer ids are 10 digits, shown 123-456-7890. */
export function normaliseExternalId(platform: SupportedAdPlatform, raw: string): string {
  const t = raw.trim();
  if (platform === 'meta') {
    const m = /^(?:act_)?(\d{5,20})$/i.exec(t);
    if (!m) throw new ApiError('invalid_input', `"${raw}" isn't a Meta ad account id. Copy it from Ads Manager → Account overview (it looks like act_1234567890 or just the digits).`, [{ path: ['externalAccountId'], message: 'not a Meta ad account id' }]);
    return `act_${m[1]}`;
  }
  const digits = t.replace(/-/g, '');
  if (!/^\d{10}$/.test(digits)) throw new ApiError('invalid_input', `"${raw}" isn't a Google Ads customer id. It is the 10-digit number at the top of Google Ads, like 123-456-7890.`, [{ path: ['externalAccountId'], message: 'not a Google Ads customer id' }]);
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
}

const SELECT = `SELECT a.id, a.workspace_id AS workspaceId, a.platform, a.external_account_id AS externalAccountId, a.name, a.currency, a.timezone, a.status,
                       a.last_synced_at AS lastSyncedAt, a.last_error AS lastError, a.created_at AS createdAt,
                       EXISTS (SELECT 1 FROM account_secrets s WHERE s.ad_account_id = a.id AND s.credentials_encrypted IS NOT NULL) AS hasCredentials,
                       (SELECT COUNT(*) FROM ad_campaigns c WHERE c.ad_account_id = a.id AND c.deleted_at IS NULL) AS adCampaigns
                  FROM ad_accounts a`;

type RawView = Omit<AdAccountView, 'hasCredentials'> & { hasCredentials: number };
const view = (r: RawView): AdAccountView => ({ ...r, hasCredentials: r.hasCredentials === 1 });

export function listAdAccounts(db: Database, workspaceId: string): AdAccountView[] {
  getWorkspace(db, workspaceId);
  return (db.sqlite.prepare(`${SELECT} WHERE a.workspace_id = ? AND a.deleted_at IS NULL ORDER BY a.platform, a.name`).all(workspaceId) as RawView[]).map(view);
}

export function getAdAccount(db: Database, adAccountId: string): AdAccountView {
  const r = db.sqlite.prepare(`${SELECT} WHERE a.id = ? AND a.deleted_at IS NULL`).get(adAccountId) as RawView | undefined;
  if (!r) throw new ApiError('not_found', 'That ad account does not exist (it may have been removed). Add it again under Campaigns → Ads.');
  return view(r);
}

function hasAny(c: AdCredentials): boolean {
  return Object.values(c).some((v) => typeof v === 'string' && v.trim() !== '');
}

function writeCredentials(ctx: ApiContext, workspaceId: string, adAccountId: string, creds: AdCredentials | null) {
  const existing = ctx.db.sqlite.prepare(`SELECT id FROM account_secrets WHERE ad_account_id = ?`).get(adAccountId) as { id: string } | undefined;
  if (creds === null || !hasAny(creds)) {
    if (existing) ctx.db.sqlite.prepare(`DELETE FROM account_secrets WHERE id = ?`).run(existing.id);
    return;
  }
  const rowId = existing?.id ?? newId();
  const clean = Object.fromEntries(Object.entries(creds).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
  const sealedJson = ctx.vault.seal('account_secrets', rowId, 'credentials_encrypted', JSON.stringify(clean));
  const sealedToken = clean['accessToken'] ? ctx.vault.seal('account_secrets', rowId, 'access_token_encrypted', clean['accessToken']) : null;
  const now = Date.now();
  if (existing) {
    ctx.db.sqlite.prepare(`UPDATE account_secrets SET credentials_encrypted = ?, access_token_encrypted = ?, updated_at = ? WHERE id = ?`).run(sealedJson, sealedToken, now, rowId);
  } else {
    ctx.db.sqlite
      .prepare(`INSERT INTO account_secrets (id, workspace_id, ad_account_id, credentials_encrypted, access_token_encrypted, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(rowId, workspaceId, adAccountId, sealedJson, sealedToken, now, now);
  }
}

export function createAdAccount(
  ctx: ApiContext,
  input: { workspaceId: string; platform: SupportedAdPlatform; externalAccountId: string; name?: string | null | undefined; currency?: string | null | undefined; timezone?: string | null | undefined; credentials?: AdCredentials | undefined },
): AdAccountView {
  getWorkspace(ctx.db, input.workspaceId);
  const external = normaliseExternalId(input.platform, input.externalAccountId);
  const clash = ctx.db.sqlite
    .prepare(`SELECT id FROM ad_accounts WHERE workspace_id = ? AND platform = ? AND external_account_id = ? AND deleted_at IS NULL`)
    .get(input.workspaceId, input.platform, external);
  if (clash) throw new ApiError('conflict', `${AD_PLATFORM_NAMES[input.platform]} account ${external} is already added to this workspace.`);
  // Sealing needs the key: refuse before writing anything when the vault is locked.
  if (input.credentials && hasAny(input.credentials)) ctx.vault.assertUnlocked();
  const id = newId();
  const now = Date.now();
  ctx.db.sqlite.transaction(() => {
    // A removed account with the same id comes back as the same row (the unique index spans tombstones).
    ctx.db.sqlite.prepare(`DELETE FROM ad_accounts WHERE workspace_id = ? AND platform = ? AND external_account_id = ? AND deleted_at IS NOT NULL`).run(input.workspaceId, input.platform, external);
    ctx.db.sqlite
      .prepare(`INSERT INTO ad_accounts (id, workspace_id, platform, external_account_id, name, currency, timezone, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`)
      .run(id, input.workspaceId, input.platform, external, input.name?.trim() || null, input.currency?.toUpperCase() ?? null, input.timezone ?? null, now, now);
    if (input.credentials) writeCredentials(ctx, input.workspaceId, id, input.credentials);
  })();
  return getAdAccount(ctx.db, id);
}

export function updateAdAccount(
  ctx: ApiContext,
  adAccountId: string,
  patch: { name?: string | null | undefined; currency?: string | null | undefined; timezone?: string | null | undefined; status?: 'active' | 'paused' | undefined; credentials?: AdCredentials | null | undefined },
): AdAccountView {
  const a = getAdAccount(ctx.db, adAccountId);
  if (patch.credentials) ctx.vault.assertUnlocked();
  ctx.db.sqlite.transaction(() => {
    ctx.db.sqlite
      .prepare(
        `UPDATE ad_accounts SET name = ?, currency = ?, timezone = ?, status = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        patch.name === undefined ? a.name : patch.name?.trim() || null,
        patch.currency === undefined ? a.currency : (patch.currency?.toUpperCase() ?? null),
        patch.timezone === undefined ? a.timezone : patch.timezone,
        patch.status ?? a.status,
        Date.now(),
        adAccountId,
      );
    if (patch.credentials !== undefined) writeCredentials(ctx, a.workspaceId, adAccountId, patch.credentials);
  })();
  return getAdAccount(ctx.db, adAccountId);
}

/** The sealed credentials, opened (for a connector that calls the platform's API). */
export function readAdCredentials(ctx: ApiContext, adAccountId: string): AdCredentials | null {
  const r = ctx.db.sqlite.prepare(`SELECT id, credentials_encrypted AS sealed FROM account_secrets WHERE ad_account_id = ?`).get(adAccountId) as { id: string; sealed: string | null } | undefined;
  if (!r?.sealed) return null;
  return JSON.parse(ctx.vault.open('account_secrets', r.id, 'credentials_encrypted', r.sealed)) as AdCredentials;
}

/** Removes the account, its sealed credentials (gone, not flagged) and its imported campaigns and figures. */
export function removeAdAccount(ctx: ApiContext, adAccountId: string): { removed: boolean } {
  const a = getAdAccount(ctx.db, adAccountId);
  ctx.db.sqlite.transaction(() => {
    ctx.db.sqlite.prepare(`DELETE FROM account_secrets WHERE ad_account_id = ?`).run(adAccountId);
    ctx.db.sqlite.prepare(`DELETE FROM ad_accounts WHERE id = ?`).run(adAccountId);
  })();
  ctx.events.emit('campaigns.changed', { workspaceId: a.workspaceId, campaignId: null });
  return { removed: true };
}
