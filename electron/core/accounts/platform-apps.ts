// The user's own developer app for networks that require one (X, Meta, LinkedIn): its client id
// is a setting, its client secret is sealed in app_secrets. Settings explains where to get them.
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import type { Platform } from '../../../db/schema/enums';
import { newId } from '../../../db/schema/columns';
import { appSecrets, appSettings } from '../../../db/schema/settings';
import type { SecretVault } from '../secrets/vault';

const settingKey = (platform: Platform) => `platforms.${platform}.app`;
const secretName = (platform: Platform) => `platforms.${platform}.client_secret`;

export interface PlatformAppView {
  platform: Platform;
  clientId: string | null;
  /** Whether a secret is saved; the secret itself never leaves the core. */
  hasClientSecret: boolean;
}

export interface PlatformAppClient {
  clientId: string;
  clientSecret?: string;
}

function readClientId(db: Database, platform: Platform): string | null {
  const row = db.orm.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, settingKey(platform))).get();
  const value = row?.value as { clientId?: unknown } | null | undefined;
  return typeof value?.clientId === 'string' && value.clientId !== '' ? value.clientId : null;
}

function secretRow(db: Database, platform: Platform) {
  return db.orm
    .select()
    .from(appSecrets)
    .where(and(eq(appSecrets.name, secretName(platform)), isNull(appSecrets.workspaceId)))
    .get();
}

export function getPlatformAppView(db: Database, platform: Platform): PlatformAppView {
  return { platform, clientId: readClientId(db, platform), hasClientSecret: secretRow(db, platform) !== undefined };
}

/** For the core only (OAuth exchange, refresh). */
export function getPlatformAppClient(db: Database, vault: SecretVault, platform: Platform): PlatformAppClient | undefined {
  const clientId = readClientId(db, platform);
  if (clientId === null) return undefined;
  const row = secretRow(db, platform);
  return row ? { clientId, clientSecret: vault.open('app_secrets', row.id, 'value_encrypted', row.valueEncrypted) } : { clientId };
}

/** `clientSecret`: a string replaces it, null removes it, undefined keeps it. */
export function setPlatformApp(db: Database, vault: SecretVault, platform: Platform, input: { clientId: string; clientSecret?: string | null }): PlatformAppView {
  const now = Date.now();
  db.orm.transaction((tx) => {
    tx.insert(appSettings)
      .values({ key: settingKey(platform), value: { clientId: input.clientId }, description: `Your ${platform} developer app's client id` })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: { clientId: input.clientId }, updatedAt: now } })
      .run();
    const existing = secretRow(db, platform);
    if (input.clientSecret === null && existing) tx.delete(appSecrets).where(eq(appSecrets.id, existing.id)).run();
    if (typeof input.clientSecret === 'string') {
      const id = existing?.id ?? newId();
      const valueEncrypted = vault.seal('app_secrets', id, 'value_encrypted', input.clientSecret);
      if (existing) tx.update(appSecrets).set({ valueEncrypted, updatedAt: now }).where(eq(appSecrets.id, id)).run();
      else tx.insert(appSecrets).values({ id, workspaceId: null, name: secretName(platform), valueEncrypted }).run();
    }
  });
  return getPlatformAppView(db, platform);
}
