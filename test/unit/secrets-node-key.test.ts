// The Node host's AES-256-GCM cipher against real key files in temporary folders.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_FILE_NAME, NodeKeyCipher, SECRET_KEY_ENV, SecretError, type SecretErrorCode } from '../../electron/core/secrets';
import { tempDir } from '../helpers/db';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function dataDir(): string {
  const t = tempDir('postdesk-secrets-');
  cleanups.push(t.cleanup);
  return t.dir;
}

function codeOf(fn: () => unknown): SecretErrorCode | 'no error' | 'other error' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return err instanceof SecretError ? err.code : 'other error';
  }
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return '';
}

/** Flips one bit of the decoded body at `index` and re-encodes, like a damaged or edited row. */
function flipBodyByte(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const body = Buffer.from(parts[3] ?? '', 'base64url');
  body[index % body.length] = (body[index % body.length] ?? 0) ^ 0x01;
  parts[3] = body.toString('base64url');
  return parts.join('.');
}

const POSIX = process.platform !== 'win32';
const AAD = 'account:0192-abc:access_token';

describe('NodeKeyCipher', () => {
  it('given a fresh data folder, when a unicode token is sealed and opened, then it round-trips and the sealed text hides it', () => {
    const cipher = NodeKeyCipher.load({ dataDir: dataDir(), env: {} });
    const token = 'ya29.токен-🔐-مفتاح-\u0000-end';
    const sealed = cipher.seal(token, AAD);
    expect(sealed).toMatch(/^pd1\.k[A-Za-z0-9_-]{10}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('ya29');
    expect(cipher.open(sealed, AAD)).toBe(token);
    // A random nonce per seal: the same token never seals to the same text.
    expect(cipher.seal(token, AAD)).not.toBe(sealed);
    expect(cipher.open(cipher.seal('', AAD), AAD)).toBe('');
  });

  it('given a sealed token, when any single byte of its body is flipped, then open fails as tampered', () => {
    const cipher = NodeKeyCipher.load({ dataDir: dataDir(), env: {} });
    const sealed = cipher.seal('refresh-token-value', AAD);
    const bodyLength = Buffer.from(sealed.split('.')[3] ?? '', 'base64url').length;
    for (let i = 0; i < bodyLength; i++) {
      expect(codeOf(() => cipher.open(flipBodyByte(sealed, i), AAD))).toBe('secret_tampered');
    }
    const parts = sealed.split('.');
    const nonce = Buffer.from(parts[2] ?? '', 'base64url');
    nonce[0] = (nonce[0] ?? 0) ^ 0x80;
    parts[2] = nonce.toString('base64url');
    expect(codeOf(() => cipher.open(parts.join('.'), AAD))).toBe('secret_tampered');
  });

  it('given a token sealed for one row, when it is opened for another row, then it fails as tampered', () => {
    const cipher = NodeKeyCipher.load({ dataDir: dataDir(), env: {} });
    const sealed = cipher.seal('secret', 'account:A:access_token');
    expect(codeOf(() => cipher.open(sealed, 'account:B:access_token'))).toBe('secret_tampered');
    expect(codeOf(() => cipher.open(sealed, 'account:A:refresh_token'))).toBe('secret_tampered');
    expect(cipher.open(sealed, 'account:A:access_token')).toBe('secret');
  });

  it('given values that are not sealed text, when opened, then they fail with a format error that does not echo them', () => {
    const cipher = NodeKeyCipher.load({ dataDir: dataDir(), env: {} });
    for (const bad of ['plain-token-in-clear', 'pd2.kx.AAAA.BBBB', 'pd1.k.x', 'pd1.kabc.!!.BBBB', '']) {
      expect(codeOf(() => cipher.open(bad, AAD))).toBe('secret_format');
    }
    expect(messageOf(() => cipher.open('plain-token-in-clear', AAD))).not.toContain('plain-token');
  });

  it('given no key, when the cipher loads, then it creates secret.key with mode 0600 and later instances reuse it', () => {
    const dir = dataDir();
    const first = NodeKeyCipher.load({ dataDir: dir, env: {} });
    const file = join(dir, KEY_FILE_NAME);
    expect(first.source).toBe('key-file');
    expect(existsSync(file)).toBe(true);
    if (POSIX) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    // No temp files left behind by the atomic create.
    expect(readdirSync(dir)).toEqual([KEY_FILE_NAME]);

    const sealed = first.seal('kept across restarts', AAD);
    const second = NodeKeyCipher.load({ dataDir: dir, env: {} });
    expect(second.keyId).toBe(first.keyId);
    expect(second.open(sealed, AAD)).toBe('kept across restarts');
  });

  it.skipIf(!POSIX)('given a key file readable by others, when the cipher loads, then it tightens the file to 0600', () => {
    const dir = dataDir();
    NodeKeyCipher.load({ dataDir: dir, env: {} });
    const file = join(dir, KEY_FILE_NAME);
    chmodSync(file, 0o644);
    NodeKeyCipher.load({ dataDir: dir, env: {} });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('given a damaged key file, when the cipher loads, then it fails clearly and keeps the file as it was', () => {
    const dir = dataDir();
    const file = join(dir, KEY_FILE_NAME);
    const good = randomBytes(32).toString('base64');
    for (const damaged of [good.slice(0, 20), 'not base64 at all!', randomBytes(16).toString('base64'), '']) {
      writeFileSync(file, damaged, { mode: 0o600 });
      const message = messageOf(() => NodeKeyCipher.load({ dataDir: dir, env: {} }));
      expect(codeOf(() => NodeKeyCipher.load({ dataDir: dir, env: {} }))).toBe('secret_key_invalid');
      expect(message).toContain('damaged');
      expect(message).toContain(file);
      if (damaged !== '') expect(message).not.toContain(damaged);
      expect(readFileSync(file, 'utf8')).toBe(damaged);
    }
  });

  it('given a missing key file while sealed secrets exist, when the cipher loads, then it refuses to make a new key', () => {
    const dir = dataDir();
    const code = codeOf(() => NodeKeyCipher.load({ dataDir: dir, env: {}, hasStoredSecrets: () => true }));
    expect(code).toBe('secret_key_missing');
    expect(existsSync(join(dir, KEY_FILE_NAME))).toBe(false);
  });

  it('given POSTDESK_SECRET_KEY, when the cipher loads, then it uses that key and writes no key file', () => {
    const dir = dataDir();
    const key = randomBytes(32).toString('base64');
    const a = NodeKeyCipher.load({ dataDir: dir, env: { [SECRET_KEY_ENV]: key } });
    expect(a.source).toBe('env');
    expect(existsSync(join(dir, KEY_FILE_NAME))).toBe(false);
    const sealed = a.seal('from env', AAD);
    const b = NodeKeyCipher.load({ dataDir: dataDir(), env: { [SECRET_KEY_ENV]: key } });
    expect(b.open(sealed, AAD)).toBe('from env');

    const other = NodeKeyCipher.load({ dataDir: dataDir(), env: { [SECRET_KEY_ENV]: randomBytes(32).toString('base64') } });
    expect(codeOf(() => other.open(sealed, AAD))).toBe('secret_key_mismatch');
  });

  it('given a malformed POSTDESK_SECRET_KEY, when the cipher loads, then it names the variable but not its value', () => {
    const bad = randomBytes(31).toString('base64');
    const message = messageOf(() => NodeKeyCipher.load({ dataDir: dataDir(), env: { [SECRET_KEY_ENV]: bad } }));
    expect(message).toContain(SECRET_KEY_ENV);
    expect(message).not.toContain(bad);
    expect(codeOf(() => NodeKeyCipher.load({ dataDir: dataDir(), env: { [SECRET_KEY_ENV]: bad } }))).toBe('secret_key_invalid');
  });
});
