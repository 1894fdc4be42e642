// Which connector serves each network, built once per core. Tests and power users point a
// network at another server (a local contract server, a proxy) with `baseUrls`; accounts that
// live on their own server (a Mastodon instance, a Bluesky PDS) keep using that server.
import type { Platform } from '../../../db/schema/enums';
import type { ConnectorOptions, PlatformConnector } from '../../platforms/connector';
import { CONNECTOR_FACTORIES, type ConnectorFactory } from './connectors';

export interface PlatformRegistryOptions extends ConnectorOptions {
  /** Where each network's API is, instead of the connector's default. */
  baseUrls?: Partial<Record<Platform, string>>;
  /** Replace a connector outright (tests of the accounts service). */
  factories?: Partial<Record<Platform, ConnectorFactory>>;
  /** The fixed loopback port for networks that match callback URLs exactly (0: ephemeral, for tests). */
  callbackPort?: number;
  /** Mastodon's per-instance app client, which revoking a token needs. */
  instanceClient?: (baseUrl: string) => { clientId: string; clientSecret: string } | null;
}

export interface PlatformRegistry {
  /** Networks Postdesk can connect, in the order the Accounts page offers them. */
  readonly supported: readonly Platform[];
  connector(platform: Platform): PlatformConnector;
  /** Where browser sign-ins return for networks that need the callback URL registered exactly. */
  readonly callbackPort: number;
  /** What every connector was built with (fetch, clock): helpers outside a connector use the same. */
  readonly connectorOptions: ConnectorOptions;
  /** The API base for an account: its own server if it has one, else the configured or default one. */
  baseUrl(platform: Platform, serverUrl?: string | null): string;
}

/** Registered once in the user's developer app as http://127.0.0.1:47263/callback. */
export const DEFAULT_CALLBACK_PORT = 47263;

export class UnsupportedPlatformError extends Error {
  constructor(readonly platform: string) {
    super(`Postdesk cannot connect ${platform} accounts yet.`);
    this.name = 'UnsupportedPlatformError';
  }
}

export function createPlatformRegistry(opts: PlatformRegistryOptions = {}): PlatformRegistry {
  const factories: Partial<Record<Platform, ConnectorFactory>> = { ...CONNECTOR_FACTORIES, ...opts.factories };
  const connectorOptions: ConnectorOptions = {
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  };
  const built = new Map<Platform, PlatformConnector>();
  const supported = (Object.keys(factories) as Platform[]).filter((p) => factories[p] !== undefined);

  const connector = (platform: Platform): PlatformConnector => {
    let c = built.get(platform);
    if (!c) {
      const factory = factories[platform];
      if (!factory) throw new UnsupportedPlatformError(platform);
      c = factory(connectorOptions, { ...(opts.baseUrls?.[platform] ? { baseUrl: opts.baseUrls[platform] } : {}), ...(opts.instanceClient ? { instanceClient: opts.instanceClient } : {}) });
      built.set(platform, c);
    }
    return c;
  };

  return {
    supported,
    connector,
    connectorOptions,
    callbackPort: opts.callbackPort ?? DEFAULT_CALLBACK_PORT,
    baseUrl: (platform, serverUrl) => serverUrl ?? opts.baseUrls?.[platform] ?? connector(platform).defaultBaseUrl,
  };
}
