// Mastodon has no central developer portal: each instance registers apps on request
// (POST /api/v1/apps). Postdesk registers one per sign-in, because the loopback redirect's port
// changes every time, and keeps the latest per instance, sealed, for revoking tokens later.
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { newId } from '../../../db/schema/columns';
import { appSecrets } from '../../../db/schema/settings';
import type { PlatformConnector } from '../../platforms/connector';
import { registerApp } from '../../platforms/mastodon';
import type { ApiContext } from '../context';
import type { SecretVault } from '../secrets/vault';
import type { PlatformAppClient } from './platform-apps';

const nameFor = (baseUrl: string) => `mastodon.client:${new URL(baseUrl).origin}`;

export async function registerDynamicClient(ctx: ApiContext, connector: PlatformConnector, baseUrl: string, redirectUri: string): Promise<PlatformAppClient> {
  if (connector.platform !== 'mastodon') throw new Error(`${connector.platform} has no dynamic client registration.`);
  const client = await registerApp(baseUrl, redirectUri, ctx.platforms.connectorOptions);
  saveInstanceClient(ctx.db, ctx.vault, baseUrl, client);
  return client;
}

function saveInstanceClient(db: Database, vault: SecretVault, baseUrl: string, client: { clientId: string; clientSecret: string }): void {
  const name = nameFor(baseUrl);
  const existing = db.orm.select({ id: appSecrets.id }).from(appSecrets).where(and(eq(appSecrets.name, name), isNull(appSecrets.workspaceId))).get();
  const id = existing?.id ?? newId();
  const valueEncrypted = vault.seal('app_secrets', id, 'value_encrypted', JSON.stringify(client));
  if (existing) db.orm.update(appSecrets).set({ valueEncrypted, updatedAt: Date.now() }).where(eq(appSecrets.id, id)).run();
  else db.orm.insert(appSecrets).values({ id, workspaceId: null, name, valueEncrypted }).run();
}

/** The instance's latest registered client, for POST /oauth/revoke; null when unknown or locked. */
export function instanceClient(db: Database, vault: SecretVault, baseUrl: string): { clientId: string; clientSecret: string } | null {
  const row = db.orm.select().from(appSecrets).where(and(eq(appSecrets.name, nameFor(baseUrl)), isNull(appSecrets.workspaceId))).get();
  if (!row || vault.status().state !== 'unlocked') return null;
  return JSON.parse(vault.open('app_secrets', row.id, 'value_encrypted', row.valueEncrypted)) as { clientId: string; clientSecret: string };
}
