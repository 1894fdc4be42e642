// App-wide secrets by name in app_secrets (a developer app's client secret, a Mastodon
// instance's registration): sealed through the vault, bound to their row, never returned as is.
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { newId } from '../../../db/schema/columns';
import { appSecrets } from '../../../db/schema/settings';
import type { SecretVault } from './vault';

function rowOf(db: Database, name: string) {
  return db.orm.select().from(appSecrets).where(and(eq(appSecrets.name, name), isNull(appSecrets.workspaceId))).get();
}

export function hasAppSecret(db: Database, name: string): boolean {
  return rowOf(db, name) !== undefined;
}

/** The opened value, or null when none is saved. A locked vault throws 'secrets_locked'. */
export function readAppSecret(db: Database, vault: SecretVault, name: string): string | null {
  const row = rowOf(db, name);
  return row ? vault.open('app_secrets', row.id, 'value_encrypted', row.valueEncrypted) : null;
}

/** Save (replace) the value, or remove it with null. Runs inside the caller's transaction if any. */
export function writeAppSecret(db: Database, vault: SecretVault, name: string, value: string | null, now = Date.now()): void {
  const existing = rowOf(db, name);
  if (value === null) {
    if (existing) db.orm.delete(appSecrets).where(eq(appSecrets.id, existing.id)).run();
    return;
  }
  const id = existing?.id ?? newId();
  const valueEncrypted = vault.seal('app_secrets', id, 'value_encrypted', value);
  if (existing) db.orm.update(appSecrets).set({ valueEncrypted, updatedAt: now }).where(eq(appSecrets.id, id)).run();
  else db.orm.insert(appSecrets).values({ id, workspaceId: null, name, valueEncrypted }).run();
}
