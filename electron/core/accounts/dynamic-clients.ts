// Mastodon has no central developer portal: each instance registers apps on request
// (POST /api/v1/apps). Postdesk registers one per sign-in, because the loopback redirect's port
// changes every time, and keeps the latest per instance, sealed, for revoking tokens later.
import type { Database } from '../../../db/client';
import type { PlatformConnector } from '../../platforms/connector';
import { registerApp } from '../../platforms/mastodon';
import type { ApiContext } from '../context';
import { readAppSecret, writeAppSecret } from '../secrets/app-secrets';
import type { SecretVault } from '../secrets/vault';
import type { PlatformAppClient } from './platform-apps';

const nameFor = (baseUrl: string) => `mastodon.client:${new URL(baseUrl).origin}`;

export async function registerDynamicClient(ctx: ApiContext, connector: PlatformConnector, baseUrl: string, redirectUri: string): Promise<PlatformAppClient> {
  if (connector.platform !== 'mastodon') throw new Error(`${connector.platform} has no dynamic client registration.`);
  const client = await registerApp(baseUrl, redirectUri, ctx.platforms.connectorOptions);
  writeAppSecret(ctx.db, ctx.vault, nameFor(baseUrl), JSON.stringify(client));
  return client;
}

/** The instance's latest registered client, for POST /oauth/revoke; null when unknown or locked. */
export function instanceClient(db: Database, vault: SecretVault, baseUrl: string): { clientId: string; clientSecret: string } | null {
  if (vault.status().state !== 'unlocked') return null;
  const value = readAppSecret(db, vault, nameFor(baseUrl));
  return value === null ? null : (JSON.parse(value) as { clientId: string; clientSecret: string });
}
