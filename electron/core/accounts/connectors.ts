// The six networks Postdesk connects, each behind the one PlatformConnector interface.
import type { Platform } from '../../../db/schema/enums';
import type { ConnectorOptions, PlatformConnector } from '../../platforms/connector';
import { createXConnector } from '../../platforms/x';

export interface ConnectorDeps {
  /** Where the network's API is, instead of its default (tests, proxies). */
  baseUrl?: string;
  /** Mastodon: the app client registered on an instance (revoking a token needs it). */
  instanceClient?: (baseUrl: string) => { clientId: string; clientSecret: string } | null;
}

export type ConnectorFactory = (opts: ConnectorOptions, deps: ConnectorDeps) => PlatformConnector;

// Base URL overrides reach connectors through each account's `baseUrl` (see registry.baseUrl),
// so most factories need only the shared options.
export const CONNECTOR_FACTORIES: Partial<Record<Platform, ConnectorFactory>> = {
  x: (opts) => createXConnector(opts),
};
