// Connecting an account. App passwords (Bluesky) sign in directly. OAuth networks run the
// loopback flow in the background: the API returns the sign-in URL at once (Electron opens it in
// the system browser; web mode opens it from the page), and `accounts.connect` events report the
// outcome. One flow per workspace and network at a time; a new one cancels the old.
import type { Platform } from '../../../db/schema/enums';
import { newId } from '../../../db/schema/columns';
import type { PlatformConnector } from '../../platforms/connector';
import { PLATFORM_NAMES } from '../../platforms/names';
import { PlatformError } from '../../platforms/errors';
import type { ApiContext } from '../context';
import { recordSignIn, type AccountView } from './accounts';
import { OAuthFlowError, runLoopbackAuthorization } from './oauth-loopback';
import { getPlatformAppClient, type PlatformAppClient } from './platform-apps';

export class ConnectError extends Error {
  constructor(
    readonly code: 'needs_app' | 'wrong_method' | 'not_found',
    message: string,
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

export interface AppPasswordConnect {
  workspaceId: string;
  platform: Platform;
  /** The entry server (Bluesky: https://bsky.social, or a self-hosted PDS). */
  serverUrl?: string | undefined;
  identifier: string;
  password: string;
}

export async function connectWithAppPassword(ctx: ApiContext, input: AppPasswordConnect): Promise<AccountView> {
  const connector = ctx.platforms.connector(input.platform);
  if (connector.auth.kind !== 'app_password') {
    throw new ConnectError('wrong_method', `${PLATFORM_NAMES[input.platform]} accounts connect by signing in through the browser, not with a password.`);
  }
  ctx.vault.assertUnlocked();
  const baseUrl = normaliseServer(input.serverUrl) ?? ctx.platforms.baseUrl(input.platform);
  const result = await connector.completeAuth({ baseUrl, login: { identifier: input.identifier.trim(), password: input.password } });
  return recordSignIn(ctx, { workspaceId: input.workspaceId, platform: input.platform, authKind: 'app_password', serverUrl: baseUrl, result });
}

interface Flow {
  id: string;
  workspaceId: string;
  platform: Platform;
  controller: AbortController;
}

const flowsByCore = new WeakMap<ApiContext, Map<string, Flow>>();

function flowsOf(ctx: ApiContext): Map<string, Flow> {
  let flows = flowsByCore.get(ctx);
  if (!flows) flowsByCore.set(ctx, (flows = new Map()));
  return flows;
}

export interface OAuthConnect {
  workspaceId: string;
  platform: Platform;
  /** Mastodon: the instance (https://mastodon.social); others use their API's default. */
  serverUrl?: string | undefined;
  timeoutMs?: number;
}

export interface ConnectStarted {
  flowId: string;
  authorizeUrl: string;
  redirectUri: string;
  /** true when the core opened the browser itself (Electron); false: the page must open it. */
  opened: boolean;
}

/** Networks whose OAuth client is registered per server on the fly (Mastodon), not by the user. */
export type DynamicClientRegistration = (ctx: ApiContext, connector: PlatformConnector, baseUrl: string, redirectUri: string) => Promise<PlatformAppClient>;

export async function startOAuthConnect(ctx: ApiContext, input: OAuthConnect, register?: DynamicClientRegistration): Promise<ConnectStarted> {
  const connector = ctx.platforms.connector(input.platform);
  if (connector.auth.kind !== 'oauth2') {
    throw new ConnectError('wrong_method', `${PLATFORM_NAMES[input.platform]} accounts connect with a handle and an app password, not through the browser.`);
  }
  ctx.vault.assertUnlocked();
  const baseUrl = normaliseServer(input.serverUrl) ?? ctx.platforms.baseUrl(input.platform);
  let client: PlatformAppClient | ((redirectUri: string) => Promise<PlatformAppClient>);
  if (connector.auth.clientIdSource === 'dynamic_registration') {
    if (!register) throw new ConnectError('needs_app', `Postdesk cannot register itself with ${PLATFORM_NAMES[input.platform]} servers in this build.`);
    client = (redirectUri) => register(ctx, connector, baseUrl, redirectUri);
  } else {
    const app = getPlatformAppClient(ctx.db, ctx.vault, input.platform);
    if (!app || (connector.auth.needsClientSecret && !app.clientSecret)) {
      throw new ConnectError(
        'needs_app',
        `Connecting ${PLATFORM_NAMES[input.platform]} needs your own ${PLATFORM_NAMES[input.platform]} developer app. Add its client id${connector.auth.needsClientSecret ? ' and secret' : ''} in Settings → Platforms first.`,
      );
    }
    client = app;
  }

  const flows = flowsOf(ctx);
  for (const f of flows.values()) {
    if (f.workspaceId === input.workspaceId && f.platform === input.platform) f.controller.abort();
  }
  const flow: Flow = { id: newId(), workspaceId: input.workspaceId, platform: input.platform, controller: new AbortController() };
  flows.set(flow.id, flow);
  const emit = (status: 'waiting' | 'connected' | 'failed' | 'cancelled', extra: { authorizeUrl?: string; accountId?: string; error?: string } = {}) =>
    ctx.events.emit('accounts.connect', { flowId: flow.id, workspaceId: input.workspaceId, platform: input.platform, status, ...extra });

  let opened = false;
  const started = new Promise<ConnectStarted>((resolve, reject) => {
    const result = runLoopbackAuthorization({
      connector,
      baseUrl,
      client,
      signal: flow.controller.signal,
      // Networks with the user's own app match the registered callback exactly, port included.
      ...(connector.auth.kind === 'oauth2' && connector.auth.clientIdSource === 'user_app' ? { port: ctx.platforms.callbackPort } : {}),
      ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
      openExternal: async (url) => {
        if (ctx.openExternal) {
          await ctx.openExternal(url);
          opened = true;
        }
      },
      onListening: ({ authorizeUrl, redirectUri }) => {
        emit('waiting', { authorizeUrl });
        // Resolved before openExternal runs: the page learns the URL even if opening fails.
        queueMicrotask(() => resolve({ flowId: flow.id, authorizeUrl, redirectUri, opened }));
      },
    });
    result.then(
      (auth) => {
        flows.delete(flow.id);
        try {
          const account = recordSignIn(ctx, { workspaceId: input.workspaceId, platform: input.platform, authKind: 'oauth2', serverUrl: input.serverUrl ? baseUrl : null, result: auth });
          emit('connected', { accountId: account.id });
        } catch (err) {
          emit('failed', { error: err instanceof Error ? err.message : String(err) });
        }
      },
      (err: unknown) => {
        flows.delete(flow.id);
        // Failing before the browser step (e.g. registration refused) rejects the API call itself.
        reject(err);
        if (err instanceof OAuthFlowError && err.code === 'aborted') emit('cancelled');
        else emit('failed', { error: flowMessage(err) });
      },
    );
  });
  return started;
}

export function cancelConnect(ctx: ApiContext, flowId: string): boolean {
  const flow = flowsOf(ctx).get(flowId);
  if (!flow) return false;
  flow.controller.abort();
  return true;
}

/** Stop every flow (the core is closing). */
export function cancelAllConnects(ctx: ApiContext): void {
  for (const f of flowsOf(ctx).values()) f.controller.abort();
}

function flowMessage(err: unknown): string {
  if (err instanceof OAuthFlowError || err instanceof PlatformError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/** "mastodon.social" -> "https://mastodon.social"; junk is refused rather than guessed at. */
export function normaliseServer(input: string | undefined): string | undefined {
  const raw = input?.trim();
  if (!raw) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw.replace(/^@?[^@]*@/, '')}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConnectError('not_found', `"${raw}" is not a server address. Use something like mastodon.social.`);
  }
  // Plain http only to this machine (a self-hosted or test server): tokens must not cross a network in clear.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConnectError('not_found', `"${raw}" must be an https:// address.`);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
