// An account's tokens, sealed in account_secrets. The only module that reads or writes that
// table for social accounts; nothing it returns is ever sent to the renderer.
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { newId } from '../../../db/schema/columns';
import { accountSecrets } from '../../../db/schema/accounts';
import type { AccountCredentials } from '../../platforms/connector';
import type { SecretVault } from '../secrets/vault';

/** Scopes and expiry are not secret (they live on accounts); the sealed JSON keeps the rest. */
interface SealedExtras {
  scopes: readonly string[];
  expiresAt: number | null;
}

export class MissingCredentialsError extends Error {
  constructor() {
    super('This account has no saved sign-in. Reconnect it on the Accounts page.');
    this.name = 'MissingCredentialsError';
  }
}

/** Write (or replace) the account's sealed tokens. Call inside the caller's transaction. */
export function saveCredentials(db: Database, vault: SecretVault, input: { workspaceId: string; accountId: string; credentials: AccountCredentials }): void {
  const existing = db.orm.select({ id: accountSecrets.id }).from(accountSecrets).where(eq(accountSecrets.accountId, input.accountId)).get();
  const rowId = existing?.id ?? newId();
  const { accessToken, refreshToken, scopes, expiresAt } = input.credentials;
  const extras: SealedExtras = { scopes, expiresAt };
  const values = {
    accessTokenEncrypted: vault.seal('account_secrets', rowId, 'access_token_encrypted', accessToken),
    refreshTokenEncrypted: refreshToken === null ? null : vault.seal('account_secrets', rowId, 'refresh_token_encrypted', refreshToken),
    credentialsEncrypted: vault.seal('account_secrets', rowId, 'credentials_encrypted', JSON.stringify(extras)),
    updatedAt: Date.now(),
  };
  if (existing) {
    db.orm.update(accountSecrets).set(values).where(eq(accountSecrets.id, rowId)).run();
  } else {
    db.orm.insert(accountSecrets).values({ id: rowId, workspaceId: input.workspaceId, accountId: input.accountId, ...values }).run();
  }
}

export function loadCredentials(db: Database, vault: SecretVault, accountId: string): AccountCredentials {
  const row = db.orm.select().from(accountSecrets).where(eq(accountSecrets.accountId, accountId)).get();
  if (!row?.accessTokenEncrypted) throw new MissingCredentialsError();
  const extras = row.credentialsEncrypted
    ? (JSON.parse(vault.open('account_secrets', row.id, 'credentials_encrypted', row.credentialsEncrypted)) as SealedExtras)
    : { scopes: [], expiresAt: null };
  return {
    accessToken: vault.open('account_secrets', row.id, 'access_token_encrypted', row.accessTokenEncrypted),
    refreshToken: row.refreshTokenEncrypted ? vault.open('account_secrets', row.id, 'refresh_token_encrypted', row.refreshTokenEncrypted) : null,
    scopes: extras.scopes,
    expiresAt: extras.expiresAt,
  };
}

/** Disconnect: the sealed values are gone, not just flagged. */
export function wipeCredentials(db: Database, accountId: string): void {
  // secure_delete overwrites the freed cells, so even the ciphertext does not linger in the file.
  const before = db.sqlite.pragma('secure_delete', { simple: true }) as number;
  db.sqlite.pragma('secure_delete = ON');
  try {
    db.orm.delete(accountSecrets).where(eq(accountSecrets.accountId, accountId)).run();
  } finally {
    db.sqlite.pragma(`secure_delete = ${before === 1 ? 'ON' : 'OFF'}`);
  }
}
