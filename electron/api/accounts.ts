// Connected accounts: list, connect (app password or browser sign-in), disconnect, per-account
// defaults and monitoring rules, and the user's own developer apps. No method returns a token.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { accounts } from '../../db/schema/accounts';
import { PLATFORMS } from '../../db/schema/enums';
import {
  disconnectAccount,
  getAccount,
  listAccounts,
  normaliseHashtags,
  removeAccount,
  updateAccountSettings,
} from '../core/accounts/accounts';
import { cancelConnect, connectWithAppPassword, ConnectError, startOAuthConnect } from '../core/accounts/connect';
import { registerDynamicClient } from '../core/accounts/dynamic-clients';
import { listPlatformInfo } from '../core/accounts/platform-info';
import { getPlatformAppView, setPlatformApp } from '../core/accounts/platform-apps';
import { loadCredentials } from '../core/accounts/credentials';
import { renewSignIn } from '../core/accounts/refresh';
import { area, method } from './contract';
import { ApiError } from './errors';
import { id, workspaceId } from './fields';

const platform = z.enum(PLATFORMS);
const accountId = id;
const server = z.string().trim().max(300).optional();

const monitoring = z.object({
  autoMonitorEnabled: z.boolean(),
  autoMonitorCount: z.number().int().min(1).max(20),
  monitoringDurationDays: z.number().int().min(1).max(30),
});

function connectErrors<T>(fn: () => Promise<T>): Promise<T> {
  return fn().catch((err: unknown) => {
    if (err instanceof ConnectError) throw new ApiError(err.code === 'not_found' ? 'invalid_input' : 'conflict', err.message);
    throw err;
  });
}

export const accountsApi = area('accounts', {
  'accounts.platforms': method({
    description: 'The networks Postdesk can connect, how each signs in, and what each can do.',
    input: z.object({}),
    handler: (ctx) => listPlatformInfo(ctx.db, ctx.platforms),
  }),
  'accounts.list': method({
    description: "A workspace's connected accounts with status and health (never tokens).",
    input: z.object({ workspaceId }),
    handler: (ctx, i) => listAccounts(ctx.db, i.workspaceId),
  }),
  'accounts.get': method({
    description: 'One account with status, health, defaults and monitoring rule.',
    input: z.object({ accountId }),
    handler: (ctx, i) => getAccount(ctx.db, i.accountId),
  }),
  'accounts.connectWithPassword': method({
    description: 'Connect (or reconnect) an account that signs in with a handle and an app password (Bluesky).',
    input: z.object({
      workspaceId,
      platform,
      serverUrl: server,
      identifier: z.string().trim().min(1, 'enter your handle or email').max(320),
      password: z.string().min(1, 'enter the app password').max(200),
    }),
    handler: (ctx, i) => connectErrors(() => connectWithAppPassword(ctx, i)),
  }),
  'accounts.startConnect': method({
    description: 'Start a browser sign-in (OAuth with PKCE); the outcome arrives as accounts.connect events.',
    input: z.object({ workspaceId, platform, serverUrl: server }),
    handler: (ctx, i) => connectErrors(() => startOAuthConnect(ctx, i, registerDynamicClient)),
  }),
  'accounts.cancelConnect': method({
    description: 'Stop waiting for a browser sign-in.',
    input: z.object({ flowId: id }),
    handler: (ctx, i) => ({ cancelled: cancelConnect(ctx, i.flowId) }),
  }),
  'accounts.check': method({
    description: 'Check an account now: renew its sign-in where the platform allows; a refused sign-in marks it for reconnecting.',
    input: z.object({ accountId }),
    handler: async (ctx, i) => {
      const row = ctx.db.orm.select().from(accounts).where(eq(accounts.id, i.accountId)).get();
      if (!row) return getAccount(ctx.db, i.accountId);
      if (row.status === 'active') {
        const credentials = loadCredentials(ctx.db, ctx.vault, row.id);
        if (credentials.refreshToken !== null) await renewSignIn(ctx, row, credentials);
      }
      return getAccount(ctx.db, i.accountId);
    },
  }),
  'accounts.disconnect': method({
    description: 'Disconnect: revoke on the platform where possible, wipe the tokens, pause its jobs. History is kept.',
    input: z.object({ accountId }),
    handler: (ctx, i) => disconnectAccount(ctx, i.accountId),
  }),
  'accounts.remove': method({
    description: 'Remove a disconnected account from the list for good.',
    input: z.object({ accountId }),
    handler: (ctx, i) => {
      if (getAccount(ctx.db, i.accountId).status !== 'disconnected') {
        throw new ApiError('conflict', 'Disconnect the account first; then it can be removed.');
      }
      removeAccount(ctx, i.accountId);
      return { removed: true };
    },
  }),
  'accounts.updateSettings': method({
    description: "An account's default hashtags and its comment-monitoring rule (null: use the workspace default).",
    input: z.object({
      accountId,
      defaults: z.object({ hashtags: z.array(z.string().max(100)).max(30) }).partial().optional(),
      monitoring: monitoring.nullable().optional(),
    }),
    handler: (ctx, i) =>
      updateAccountSettings(ctx, i.accountId, {
        ...(i.defaults ? { defaults: { ...(i.defaults.hashtags ? { hashtags: normaliseHashtags(i.defaults.hashtags) } : {}) } } : {}),
        ...(i.monitoring === undefined ? {} : { monitoring: i.monitoring }),
      }),
  }),
  'accounts.getApp': method({
    description: 'Your developer app for a network (client id, and whether a secret is saved).',
    input: z.object({ platform }),
    handler: (ctx, i) => getPlatformAppView(ctx.db, i.platform),
  }),
  'accounts.setApp': method({
    description: 'Save your developer app for a network: client id, and the secret where the network needs one.',
    input: z.object({
      platform,
      clientId: z.string().trim().min(1, 'paste the client id').max(300),
      clientSecret: z.string().trim().min(1).max(500).nullable().optional(),
    }),
    handler: (ctx, i) => setPlatformApp(ctx.db, ctx.vault, i.platform, { clientId: i.clientId, ...(i.clientSecret === undefined ? {} : { clientSecret: i.clientSecret }) }),
  }),
});
