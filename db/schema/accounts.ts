// Connected accounts. 001 social_accounts, 002 connected_accounts, 000 XAccount and 003 client_oauth
// are one thing here: a workspace's login at one network. Their tokens, 000 XCookies and 004's
// encrypted_credentials live apart in account_secrets, so listing accounts never reads a secret.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { adAccounts } from './ads';
import {
  between,
  bool,
  enumCheck,
  enumText,
  epochMs,
  id,
  inList,
  json,
  syncedTimestamps,
  timestamps,
} from './columns';
import { PLATFORMS } from './enums';
import { workspaceRef } from './workspaces';

export const ACCOUNT_STATUSES = ['active', 'expired', 'revoked', 'error', 'disconnected'] as const;
/** How the account signs in: OAuth 2 (PKCE), an app password (Bluesky), session cookies (000 X). */
export const ACCOUNT_AUTH_KINDS = ['oauth2', 'app_password', 'cookies', 'api_key'] as const;

export const accounts = sqliteTable(
  'accounts',
  {
    id: id(),
    workspaceId: workspaceRef(),
    platform: enumText('platform', PLATFORMS).notNull(),
    /** The network's id for the profile, page or location (seeds: account_id). */
    platformAccountId: text('platform_account_id').notNull(),
    username: text('username'),
    /** 002 account_name / 001 display_name. */
    displayName: text('display_name'),
    profileUrl: text('profile_url'),
    avatarUrl: text('avatar_url'),
    /** Mastodon instance, Bluesky PDS or a self-hosted API: the connector's base URL. */
    serverUrl: text('server_url'),
    authKind: enumText('auth_kind', ACCOUNT_AUTH_KINDS).notNull().default('oauth2'),
    scopes: json<string[]>('scopes').notNull().default([]),
    /** 001 is_active folds into status: anything but 'active' is not used for publishing. */
    status: enumText('status', ACCOUNT_STATUSES).notNull().default('active'),
    /** When the access token expires; the secret itself is in account_secrets. */
    tokenExpiresAt: epochMs('token_expires_at'),
    connectedAt: epochMs('connected_at')
      .notNull()
      .default(sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`),
    lastRefreshedAt: epochMs('last_refreshed_at'),
    lastSyncedAt: epochMs('last_synced_at'),
    lastError: text('last_error'),
    /** 000 XAccount's profile figures. */
    followersCount: integer('followers_count'),
    followingCount: integer('following_count'),
    /** Anything else the connector keeps (003 client_oauth.data without its secrets). */
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('accounts_workspace_platform_account_unique').on(t.workspaceId, t.platform, t.platformAccountId),
    index('accounts_platform_idx').on(t.platform),
    // 002 idx_connected_accounts_expires: the refresher walks only live tokens.
    index('accounts_token_expires_idx').on(t.tokenExpiresAt).where(sql`${t.status} = 'active'`),
    enumCheck('accounts', t.platform, PLATFORMS),
    enumCheck('accounts', t.authKind, ACCOUNT_AUTH_KINDS),
    enumCheck('accounts', t.status, ACCOUNT_STATUSES),
  ],
);

export const INTEGRATION_CONNECTION_STATUSES = ['connected', 'disconnected', 'error', 'pending'] as const;
export const INTEGRATION_SYNC_STATUSES = ['idle', 'syncing', 'error', 'completed'] as const;
/** 004 platform_integrations.platform_type: the website builders a campaign can be exported to. */
export const WEBSITE_PLATFORMS = ['gohighlevel', 'simvoly', 'wordpress', 'custom'] as const;

/**
 * 003 user_integrations (category/provider/data) + 004 platform_integrations (website builders).
 * A website builder is category 'website' and its provider must be one of 004's platform types.
 */
export const integrations = sqliteTable(
  'integrations',
  {
    id: id(),
    workspaceId: workspaceRef(),
    category: text('category').notNull(),
    provider: text('provider').notNull(),
    connectionStatus: enumText('connection_status', INTEGRATION_CONNECTION_STATUSES).notNull().default('pending'),
    accountName: text('account_name'),
    accountEmail: text('account_email'),
    /** Non-secret settings (003 data, 004 platform_metadata). */
    data: json<Record<string, unknown>>('data').notNull().default({}),
    lastSyncAt: epochMs('last_sync_at'),
    syncStatus: enumText('sync_status', INTEGRATION_SYNC_STATUSES).notNull().default('idle'),
    syncErrorMessage: text('sync_error_message'),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('integrations_workspace_category_provider_unique').on(t.workspaceId, t.category, t.provider),
    enumCheck('integrations', t.connectionStatus, INTEGRATION_CONNECTION_STATUSES),
    enumCheck('integrations', t.syncStatus, INTEGRATION_SYNC_STATUSES),
    check(
      'integrations_website_provider_check',
      sql`${t.category} <> 'website' OR ${inList(t.provider, WEBSITE_PLATFORMS)}`,
    ),
  ],
);

/**
 * Ciphertext only (services encrypt with safeStorage or AES-256-GCM before writing). One row per
 * owner: a social account, an integration or an ad account. Not synced: ciphertext is bound to
 * this machine's key.
 */
export const accountSecrets = sqliteTable(
  'account_secrets',
  {
    id: id(),
    workspaceId: workspaceRef(),
    accountId: text('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    integrationId: text('integration_id').references(() => integrations.id, { onDelete: 'cascade' }),
    adAccountId: text('ad_account_id').references((): AnySQLiteColumn => adAccounts.id, { onDelete: 'cascade' }),
    accessTokenEncrypted: text('access_token_encrypted'),
    refreshTokenEncrypted: text('refresh_token_encrypted'),
    appPasswordEncrypted: text('app_password_encrypted'),
    /** 000 XCookies: the session cookie jar. */
    cookiesEncrypted: text('cookies_encrypted'),
    cookiesExpiresAt: epochMs('cookies_expires_at'),
    apiKeyEncrypted: text('api_key_encrypted'),
    /** 004 encrypted_credentials: any other credential set, as encrypted JSON. */
    credentialsEncrypted: text('credentials_encrypted'),
    /** Which key encrypted the row, so keys can be rotated. */
    keyVersion: integer('key_version').notNull().default(1),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('account_secrets_account_unique').on(t.accountId),
    uniqueIndex('account_secrets_integration_unique').on(t.integrationId),
    uniqueIndex('account_secrets_ad_account_unique').on(t.adAccountId),
    check(
      'account_secrets_owner_check',
      sql`(${t.accountId} IS NOT NULL) + (${t.integrationId} IS NOT NULL) + (${t.adAccountId} IS NOT NULL) = 1`,
    ),
  ],
);

/** 001 monitoring_rules: watch the last N posts for comments for N days (per account or default). */
export const monitoringRules = sqliteTable(
  'monitoring_rules',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** NULL: the workspace-wide default. */
    accountId: text('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    autoMonitorEnabled: bool('auto_monitor_enabled').notNull().default(true),
    autoMonitorCount: integer('auto_monitor_count').notNull().default(5),
    monitoringDurationDays: integer('monitoring_duration_days').notNull().default(7),
    ...syncedTimestamps(),
  },
  (t) => [
    index('monitoring_rules_workspace_idx').on(t.workspaceId),
    uniqueIndex('monitoring_rules_account_unique').on(t.accountId),
    between('monitoring_rules', t.autoMonitorCount, 1, 20),
    between('monitoring_rules', t.monitoringDurationDays, 1, 30),
  ],
);
