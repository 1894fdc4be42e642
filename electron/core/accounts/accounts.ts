// Connected accounts as the app sees them: listing (never with secrets), recording a sign-in,
// disconnecting, per-account defaults and monitoring rules, and what happens when a sign-in
// stops working (status, the reason, and its jobs parked until the user reconnects).
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { accounts, monitoringRules, type ACCOUNT_AUTH_KINDS } from '../../../db/schema/accounts';
import type { Platform } from '../../../db/schema/enums';
import { jobs } from '../../../db/schema/jobs';
import type { AuthResult } from '../../platforms/connector';
import type { PlatformError } from '../../platforms/errors';
import { schedulerFor } from '../../scheduler/scheduler';
import { holdAccountJobs, releaseAccountJobs } from '../../scheduler/account-holds';
import type { ApiContext } from '../context';
import { loadCredentials, saveCredentials, wipeCredentials } from './credentials';
import { getPlatformAppClient } from './platform-apps';

type AccountRow = typeof accounts.$inferSelect;
export type AccountAuthKind = (typeof ACCOUNT_AUTH_KINDS)[number];

/** Healthy; a token expiring soon with no way to renew it; needs the user; or not connected. */
export type AccountHealth = 'healthy' | 'expiring' | 'needs_reconnect' | 'error' | 'disconnected';

export interface MonitoringRule {
  autoMonitorEnabled: boolean;
  autoMonitorCount: number;
  monitoringDurationDays: number;
  /** true: the workspace default applies (no rule of the account's own). */
  inherited: boolean;
}

export interface AccountDefaults {
  /** Added to new posts for this account in the composer. */
  hashtags: string[];
}

/** What the renderer sees of an account: profile, status and health. Never a token. */
export interface AccountView {
  id: string;
  workspaceId: string;
  platform: Platform;
  platformAccountId: string;
  username: string | null;
  displayName: string | null;
  profileUrl: string | null;
  avatarUrl: string | null;
  serverUrl: string | null;
  authKind: AccountAuthKind;
  status: AccountRow['status'];
  health: AccountHealth;
  /** One sentence on the health, for the card and the banner. */
  healthMessage: string;
  scopes: string[];
  tokenExpiresAt: number | null;
  connectedAt: number;
  lastRefreshedAt: number | null;
  lastError: string | null;
  /** Jobs parked until the account is reconnected. */
  pausedJobs: number;
  defaults: AccountDefaults;
  monitoring: MonitoringRule;
}

export class AccountNotFoundError extends Error {
  constructor(id: string) {
    super(`There is no account ${id}; it may have been removed in another window.`);
    this.name = 'AccountNotFoundError';
  }
}

const DAY = 86_400_000;
export const DEFAULT_MONITORING = { autoMonitorEnabled: true, autoMonitorCount: 5, monitoringDurationDays: 7 } as const;

function healthOf(row: AccountRow, now: number): { health: AccountHealth; message: string } {
  switch (row.status) {
    case 'disconnected':
      return { health: 'disconnected', message: 'Disconnected: its sign-in was removed from this computer.' };
    case 'expired':
      return { health: 'needs_reconnect', message: 'Its sign-in expired. Reconnect it to resume publishing; scheduled posts are paused until then.' };
    case 'revoked':
      return { health: 'needs_reconnect', message: 'Access was withdrawn on the platform. Reconnect it to resume publishing; scheduled posts are paused until then.' };
    case 'error':
      return { health: 'error', message: row.lastError ?? 'The last check failed.' };
    case 'active':
      // Short-lived tokens that Postdesk renews itself (X's 2 h) are fine; only an end nobody can push back is news.
      if (row.tokenExpiresAt !== null && row.tokenExpiresAt - now < 3 * DAY && row.metadata['renewable'] === false) {
        const days = Math.max(0, Math.round((row.tokenExpiresAt - now) / DAY));
        return { health: 'expiring', message: `Its sign-in ends ${days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`} unless Postdesk can renew it.` };
      }
      return { health: 'healthy', message: 'Connected and working.' };
  }
}

function toView(db: Database, row: AccountRow, now: number): AccountView {
  const own = db.orm.select().from(monitoringRules).where(eq(monitoringRules.accountId, row.id)).get();
  const workspaceRule = own
    ? undefined
    : db.orm
        .select()
        .from(monitoringRules)
        .where(and(eq(monitoringRules.workspaceId, row.workspaceId), isNull(monitoringRules.accountId)))
        .get();
  const rule = own ?? workspaceRule;
  const paused = db.orm
    .select({ n: sql<number>`count(*)` })
    .from(jobs)
    .where(and(eq(jobs.accountId, row.id), eq(jobs.status, 'pending'), eq(jobs.hold, 'account')))
    .get();
  const defaults = (row.metadata['defaults'] ?? {}) as Partial<AccountDefaults>;
  const { health, message } = healthOf(row, now);
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    platform: row.platform,
    platformAccountId: row.platformAccountId,
    username: row.username,
    displayName: row.displayName,
    profileUrl: row.profileUrl,
    avatarUrl: row.avatarUrl,
    serverUrl: row.serverUrl,
    authKind: row.authKind,
    status: row.status,
    health,
    healthMessage: message,
    scopes: row.scopes,
    tokenExpiresAt: row.tokenExpiresAt,
    connectedAt: row.connectedAt,
    lastRefreshedAt: row.lastRefreshedAt,
    lastError: row.lastError,
    pausedJobs: paused?.n ?? 0,
    defaults: { hashtags: Array.isArray(defaults.hashtags) ? defaults.hashtags : [] },
    monitoring: rule
      ? { autoMonitorEnabled: rule.autoMonitorEnabled, autoMonitorCount: rule.autoMonitorCount, monitoringDurationDays: rule.monitoringDurationDays, inherited: !own }
      : { ...DEFAULT_MONITORING, inherited: true },
  };
}

function rowOf(db: Database, accountId: string): AccountRow {
  const row = db.orm.select().from(accounts).where(eq(accounts.id, accountId)).get();
  if (!row) throw new AccountNotFoundError(accountId);
  return row;
}

export function listAccounts(db: Database, workspaceId: string, now = Date.now()): AccountView[] {
  return db.orm
    .select()
    .from(accounts)
    .where(eq(accounts.workspaceId, workspaceId))
    .orderBy(asc(accounts.platform), asc(accounts.connectedAt))
    .all()
    .map((r) => toView(db, r, now));
}

export function getAccount(db: Database, accountId: string, now = Date.now()): AccountView {
  return toView(db, rowOf(db, accountId), now);
}

export interface RecordSignIn {
  workspaceId: string;
  platform: Platform;
  authKind: AccountAuthKind;
  /** The server the account lives on (PDS, instance), when the connector reports one. */
  serverUrl: string | null;
  result: AuthResult;
  metadata?: Record<string, unknown>;
}

/**
 * A new or renewed sign-in: the account (matched by its platform id, so reconnecting updates the
 * same row and keeps its post history) turns active, its tokens are sealed, its paused jobs resume.
 */
export function recordSignIn(ctx: ApiContext, input: RecordSignIn, now = Date.now()): AccountView {
  const { db, vault } = ctx;
  const { profile, credentials } = input.result;
  // Seal before writing anything: a locked vault must not leave an account without tokens.
  vault.assertUnlocked();
  const accountId = db.orm.transaction((tx) => {
    const existing = tx
      .select()
      .from(accounts)
      .where(and(eq(accounts.workspaceId, input.workspaceId), eq(accounts.platform, input.platform), eq(accounts.platformAccountId, profile.platformAccountId)))
      .get();
    const fields = {
      username: profile.username,
      displayName: profile.displayName,
      profileUrl: profile.profileUrl,
      avatarUrl: profile.avatarUrl,
      serverUrl: profile.serverUrl ?? input.serverUrl,
      authKind: input.authKind,
      scopes: [...credentials.scopes],
      status: 'active' as const,
      tokenExpiresAt: credentials.expiresAt,
      lastRefreshedAt: now,
      lastError: null,
      updatedAt: now,
    };
    let id: string;
    if (existing) {
      id = existing.id;
      tx.update(accounts)
        .set({ ...fields, metadata: { ...existing.metadata, ...input.metadata, renewable: credentials.refreshToken !== null } })
        .where(eq(accounts.id, id))
        .run();
    } else {
      id = tx
        .insert(accounts)
        .values({ ...fields, workspaceId: input.workspaceId, platform: input.platform, platformAccountId: profile.platformAccountId, connectedAt: now, metadata: { ...input.metadata, renewable: credentials.refreshToken !== null } })
        .returning({ id: accounts.id })
        .get().id;
    }
    saveCredentials(db, vault, { workspaceId: input.workspaceId, accountId: id, credentials });
    return id;
  });
  releaseHeldJobs(ctx, accountId, now);
  ctx.events.emit('accounts.changed', { workspaceId: input.workspaceId, accountId });
  return getAccount(db, accountId, now);
}

/**
 * The platform refused the account's sign-in and a refresh could not fix it. Its jobs are parked
 * (no retry storm) and the Accounts page shows a reconnect banner. A token refused before its own
 * expiry was withdrawn on the platform (revoked); otherwise it ran out (expired).
 */
export function markNeedsReconnect(ctx: ApiContext, accountId: string, err: PlatformError | Error, now = Date.now()): AccountView {
  const row = rowOf(ctx.db, accountId);
  if (row.status === 'disconnected') return toView(ctx.db, row, now);
  const stillValid = row.tokenExpiresAt === null || row.tokenExpiresAt > now;
  const status = stillValid ? 'revoked' : 'expired';
  ctx.db.orm.update(accounts).set({ status, lastError: err.message, updatedAt: now }).where(eq(accounts.id, accountId)).run();
  holdAccountJobs(ctx.db, accountId, now);
  ctx.events.emit('accounts.changed', { workspaceId: row.workspaceId, accountId });
  const who = row.username ?? row.displayName ?? row.platform;
  ctx.events.emit('app.notice', { level: 'warning', message: `${who} on ${row.platform} needs reconnecting; its scheduled work is paused until then.` });
  return getAccount(ctx.db, accountId, now);
}

/** New tokens from a refresh: sealed, and the account marked healthy again. */
export function recordRefresh(ctx: ApiContext, accountId: string, credentials: Parameters<typeof saveCredentials>[2]['credentials'], now = Date.now()): void {
  const row = rowOf(ctx.db, accountId);
  ctx.db.orm.transaction(() => {
    saveCredentials(ctx.db, ctx.vault, { workspaceId: row.workspaceId, accountId, credentials });
    ctx.db.orm
      .update(accounts)
      .set({ tokenExpiresAt: credentials.expiresAt, lastRefreshedAt: now, scopes: [...credentials.scopes], updatedAt: now, ...(row.status === 'active' ? { lastError: null } : {}) })
      .where(eq(accounts.id, accountId))
      .run();
  });
}

/**
 * Disconnect: revoke on the platform where it offers that (best effort: the user's intent is to
 * be disconnected, even when the platform is unreachable), wipe the tokens, keep the row so the
 * post history still names the account, and park its jobs.
 */
export async function disconnectAccount(ctx: ApiContext, accountId: string, now = Date.now()): Promise<{ account: AccountView; revoked: boolean; revokeError: string | null }> {
  const row = rowOf(ctx.db, accountId);
  let revoked = false;
  let revokeError: string | null = null;
  const connector = ctx.platforms.connector(row.platform);
  if (connector.revoke && row.status !== 'disconnected') {
    try {
      const credentials = loadCredentials(ctx.db, ctx.vault, accountId);
      const client = getPlatformAppClient(ctx.db, ctx.vault, row.platform);
      await connector.revoke({ platformAccountId: row.platformAccountId, baseUrl: ctx.platforms.baseUrl(row.platform, row.serverUrl), credentials }, client);
      revoked = true;
    } catch (err) {
      revokeError = err instanceof Error ? err.message : String(err);
    }
  }
  ctx.db.orm.transaction(() => {
    wipeCredentials(ctx.db, accountId);
    ctx.db.orm.update(accounts).set({ status: 'disconnected', tokenExpiresAt: null, lastError: null, updatedAt: now }).where(eq(accounts.id, accountId)).run();
    holdAccountJobs(ctx.db, accountId, now);
  });
  ctx.events.emit('accounts.changed', { workspaceId: row.workspaceId, accountId });
  return { account: getAccount(ctx.db, accountId, now), revoked, revokeError };
}

/** After the passphrase is entered: jobs parked while the vault was locked run again. */
export function releaseActiveAccounts(ctx: ApiContext, now = Date.now()): number {
  const active = ctx.db.orm.select({ id: accounts.id }).from(accounts).where(eq(accounts.status, 'active')).all();
  let released = 0;
  for (const { id } of active) released += releaseHeldJobs(ctx, id, now);
  return released;
}

/** Through the scheduler when it runs here (so it looks at once), else straight in the table. */
function releaseHeldJobs(ctx: ApiContext, accountId: string, now: number): number {
  const scheduler = schedulerFor(ctx.db);
  return scheduler ? scheduler.releaseAccount(accountId) : releaseAccountJobs(ctx.db, accountId, now);
}

/** Remove a disconnected account for good (its post history keeps the text, loses the link). */
export function removeAccount(ctx: ApiContext, accountId: string): void {
  const row = rowOf(ctx.db, accountId);
  ctx.db.orm.delete(accounts).where(eq(accounts.id, accountId)).run();
  ctx.events.emit('accounts.changed', { workspaceId: row.workspaceId, accountId });
}

export interface AccountSettingsPatch {
  defaults?: Partial<AccountDefaults>;
  /** null: go back to the workspace default. */
  monitoring?: Omit<MonitoringRule, 'inherited'> | null;
}

export function updateAccountSettings(ctx: ApiContext, accountId: string, patch: AccountSettingsPatch, now = Date.now()): AccountView {
  const row = rowOf(ctx.db, accountId);
  ctx.db.orm.transaction((tx) => {
    if (patch.defaults) {
      const current = (row.metadata['defaults'] ?? {}) as Partial<AccountDefaults>;
      tx.update(accounts)
        .set({ metadata: { ...row.metadata, defaults: { ...current, ...patch.defaults } }, updatedAt: now })
        .where(eq(accounts.id, accountId))
        .run();
    }
    if (patch.monitoring === null) {
      tx.delete(monitoringRules).where(eq(monitoringRules.accountId, accountId)).run();
    } else if (patch.monitoring) {
      tx.insert(monitoringRules)
        .values({ workspaceId: row.workspaceId, accountId, ...patch.monitoring })
        .onConflictDoUpdate({ target: monitoringRules.accountId, set: { ...patch.monitoring, updatedAt: now } })
        .run();
    }
  });
  ctx.events.emit('accounts.changed', { workspaceId: row.workspaceId, accountId });
  return getAccount(ctx.db, accountId, now);
}

/** Normalise hashtags as typed ("#Bread", "bread ", "##bread") to one form: "#bread" keeps its case. */
export function normaliseHashtags(input: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of input) {
    const tag = raw.trim().replace(/^#+/, '');
    if (tag === '' || /\s/.test(tag)) continue;
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(`#${tag}`);
  }
  return out;
}
