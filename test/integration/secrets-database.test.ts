// Proves sealed secrets never reach the real database file in clear: the raw bytes of the main
// file and its WAL are scanned for the token, with a clear-text marker as the scan's own control.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { accounts, accountSecrets, appSecrets, workspaces } from '../../db/schema';
import { hasStoredSecrets, NodeKeyCipher, PassphraseCipher, SecretError, type SecretCipher } from '../../electron/core/secrets';
import { openTestDb } from '../helpers/db';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The file and its WAL as the disk holds them right now (the WAL is where fresh commits live). */
function rawBytes(file: string): Buffer {
  const parts = [readFileSync(file)];
  if (existsSync(`${file}-wal`)) parts.push(readFileSync(`${file}-wal`));
  return Buffer.concat(parts);
}

function containsBytes(haystack: Buffer, text: string): boolean {
  return haystack.includes(Buffer.from(text, 'utf8'));
}

function checkDatabase(cipherFor: (dataDir: string) => SecretCipher) {
  const db = openTestDb();
  cleanups.push(db.cleanup);
  expect(hasStoredSecrets(db.sqlite)).toBe(false);
  const cipher = cipherFor(db.dir);

  const accessToken = `ya29.a0AfB_byC-ACCESS-${'ż'.repeat(3)}-7f3c9e1d2b4a`;
  const refreshToken = '1//0gREFRESH-TOKEN-unique-81d7c0';
  const apiKey = 'sk-proj-APIKEY-unique-5e2a91bd';
  const marker = 'clear-text-marker-handle-4c1e.bsky.social';

  const [ws] = db.orm.insert(workspaces).values({ name: 'Secrets test' }).returning().all();
  if (!ws) throw new Error('workspace insert returned nothing');
  const [account] = db.orm
    .insert(accounts)
    .values({ workspaceId: ws.id, platform: 'bluesky', platformAccountId: 'did:plc:test', username: marker, authKind: 'oauth2' })
    .returning()
    .all();
  if (!account) throw new Error('account insert returned nothing');

  db.orm
    .insert(accountSecrets)
    .values({
      workspaceId: ws.id,
      accountId: account.id,
      accessTokenEncrypted: cipher.seal(accessToken, `account:${account.id}:access_token`),
      refreshTokenEncrypted: cipher.seal(refreshToken, `account:${account.id}:refresh_token`),
    })
    .run();
  db.orm.insert(appSecrets).values({ name: 'ai.api_key', valueEncrypted: cipher.seal(apiKey, 'app:ai.api_key') }).run();

  // Before any checkpoint the rows sit in the WAL; the control proves the scan sees them there.
  expect(existsSync(`${db.file}-wal`)).toBe(true);
  let bytes = rawBytes(db.file);
  expect(containsBytes(bytes, marker)).toBe(true);
  for (const secret of [accessToken, refreshToken, apiKey]) expect(containsBytes(bytes, secret)).toBe(false);

  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  bytes = rawBytes(db.file);
  expect(containsBytes(bytes, marker)).toBe(true);
  for (const secret of [accessToken, refreshToken, apiKey]) expect(containsBytes(bytes, secret)).toBe(false);
  expect(hasStoredSecrets(db.sqlite)).toBe(true);

  // Reopened from disk by a fresh cipher instance, the row opens only under its own aad.
  const file = db.file;
  db.close();
  const reopened = openDatabase({ file });
  cleanups.unshift(() => reopened.close());
  const again = cipherFor(db.dir);
  const row = reopened.orm.select().from(accountSecrets).where(eq(accountSecrets.accountId, account.id)).get();
  if (!row?.accessTokenEncrypted || !row.refreshTokenEncrypted) throw new Error('secret row missing');
  expect(again.open(row.accessTokenEncrypted, `account:${account.id}:access_token`)).toBe(accessToken);
  expect(again.open(row.refreshTokenEncrypted, `account:${account.id}:refresh_token`)).toBe(refreshToken);
  // A ciphertext swapped into the other column is caught.
  expect(() => again.open(row.accessTokenEncrypted ?? '', `account:${account.id}:refresh_token`)).toThrow(SecretError);
  const app = reopened.orm.select().from(appSecrets).where(eq(appSecrets.name, 'ai.api_key')).get();
  expect(app && again.open(app.valueEncrypted, 'app:ai.api_key')).toBe(apiKey);
}

describe('secrets in the database file', () => {
  it('given tokens sealed with the key-file cipher, when written to a real database, then the file and WAL never hold their bytes', () => {
    checkDatabase((dir) => NodeKeyCipher.load({ dataDir: dir, env: {} }));
  });

  it('given tokens sealed with a passphrase, when written to a real database, then the file and WAL never hold their bytes', () => {
    checkDatabase((dir) => PassphraseCipher.unlock({ dataDir: dir, passphrase: 'integration passphrase', scrypt: { N: 2 ** 12, r: 8, p: 1 } }));
  });

  it('given stored secrets and a lost key file, when the cipher loads with the database check, then it refuses to make a new key', () => {
    const db = openTestDb();
    cleanups.push(db.cleanup);
    const cipher = NodeKeyCipher.load({ dataDir: db.dir, env: {} });
    db.orm.insert(appSecrets).values({ name: 'pexels.api_key', valueEncrypted: cipher.seal('k', 'app:pexels.api_key') }).run();
    const keyFile = cipher.keyFile;
    if (!keyFile) throw new Error('expected a key file');
    // The user restored the database but not the key file.
    rmSync(keyFile);
    expect(() => NodeKeyCipher.load({ dataDir: db.dir, env: {}, hasStoredSecrets: () => hasStoredSecrets(db.sqlite) })).toThrow(
      expect.objectContaining({ code: 'secret_key_missing' }),
    );
    expect(existsSync(keyFile)).toBe(false);
  });
});
