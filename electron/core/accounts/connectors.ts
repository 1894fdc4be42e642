// The six networks Postdesk connects, each behind the one PlatformConnector interface.
import type { Platform } from '../../../db/schema/enums';
import { createBlueskyConnector } from '../../platforms/bluesky';
import type { ConnectorOptions, PlatformConnector } from '../../platforms/connector';
import { createFacebookConnector } from '../../platforms/facebook';
import { createInstagramConnector } from '../../platforms/instagram';
import { createLinkedInConnector } from '../../platforms/linkedin';
import { createMastodonConnector } from '../../platforms/mastodon';
import { createXConnector } from '../../platforms/x';

export interface ConnectorDeps {
  /** Where the network's API is, instead of its default (tests, proxies). */
  baseUrl?: string;
  /** Mastodon: the app client registered on an instance (revoking a token needs it). */
  instanceClient?: (baseUrl: string) => { clientId: string; clientSecret: string } | null;
}

export type ConnectorFactory = (opts: ConnectorOptions, deps: ConnectorDeps) => PlatformConnector;

// Base URL overrides reach connectors through each account's `baseUrl` (see registry.baseUrl),
// so most factories need only the shared options. Order: how the Accounts page offers them.
export const CONNECTOR_FACTORIES: Partial<Record<Platform, ConnectorFactory>> = {
  bluesky: (opts) => createBlueskyConnector(opts),
  mastodon: (opts, deps) => createMastodonConnector({ ...opts, ...(deps.instanceClient ? { appClient: deps.instanceClient } : {}) }),
  x: (opts) => createXConnector(opts),
  facebook: (opts) => createFacebookConnector(opts),
  instagram: (opts) => createInstagramConnector(opts),
  // LinkedIn signs in at www.linkedin.com but serves the API at api.linkedin.com; a stand-in
  // server (tests, a proxy) plays both.
  linkedin: (opts, deps) => createLinkedInConnector({ ...opts, ...(deps.baseUrl ? { authBaseUrl: deps.baseUrl } : {}) }),
};
