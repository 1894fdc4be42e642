// The user's own developer app for networks that require one (X, Meta, LinkedIn): its client id
// is a setting, its client secret is sealed in app_secrets. Settings explains where to get them.
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import type { Platform } from '../../../db/schema/enums';
import { appSettings } from '../../../db/schema/settings';
import { hasAppSecret, readAppSecret, writeAppSecret } from '../secrets/app-secrets';
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

export function getPlatformAppView(db: Database, platform: Platform): PlatformAppView {
  return { platform, clientId: readClientId(db, platform), hasClientSecret: hasAppSecret(db, secretName(platform)) };
}

/** For the core only (OAuth exchange, refresh). */
export function getPlatformAppClient(db: Database, vault: SecretVault, platform: Platform): PlatformAppClient | undefined {
  const clientId = readClientId(db, platform);
  if (clientId === null) return undefined;
  const clientSecret = readAppSecret(db, vault, secretName(platform));
  return clientSecret === null ? { clientId } : { clientId, clientSecret };
}

/** `clientSecret`: a string replaces it, null removes it, undefined keeps it. */
export function setPlatformApp(db: Database, vault: SecretVault, platform: Platform, input: { clientId: string; clientSecret?: string | null }): PlatformAppView {
  const now = Date.now();
  db.orm.transaction((tx) => {
    tx.insert(appSettings)
      .values({ key: settingKey(platform), value: { clientId: input.clientId }, description: `Your ${platform} developer app's client id` })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: { clientId: input.clientId }, updatedAt: now } })
      .run();
    if (input.clientSecret !== undefined) writeAppSecret(db, vault, secretName(platform), input.clientSecret, now);
  });
  return getPlatformAppView(db, platform);
}
