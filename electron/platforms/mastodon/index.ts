// Mastodon (any instance): the connector factory and the per-instance app registration the core
// runs once per instance before the first sign-in.
export { createMastodonConnector, MASTODON_DEFAULT_BASE_URL, type MastodonConnector } from './connector';
export { registerApp, MASTODON_SCOPES } from './auth';
export type { AppClient, MastodonConnectorOptions } from './context';
export type { InstanceLimits } from './instance';
