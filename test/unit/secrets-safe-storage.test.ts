// The Electron safeStorage adapter and the cipher choice, with a fake safeStorage that encrypts
// like Electron's Linux 'basic_text' backend (AES-128-CBC, fixed key, no MAC).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  chooseCipher,
  chooseCipherAsync,
  NodeKeyCipher,
  SafeStorageCipher,
  SECRET_KEY_ENV,
  SecretError,
  type SafeStorageLike,
  type SecretErrorCode,
} from '../../electron/core/secrets';
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

class FakeSafeStorage implements SafeStorageLike {
  available = true;
  readonly #key = randomBytes(16);
  constructor(private readonly backend?: string) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend ?? 'unknown';
  }
  encryptString(s: string): Buffer {
    const iv = Buffer.alloc(16, 0x20); // Electron's Linux backends use a fixed IV too.
    const c = createCipheriv('aes-128-cbc', this.#key, iv);
    return Buffer.concat([Buffer.from('v10'), c.update(s, 'utf8'), c.final()]);
  }
  decryptString(b: Buffer): string {
    const d = createDecipheriv('aes-128-cbc', this.#key, Buffer.alloc(16, 0x20));
    return Buffer.concat([d.update(b.subarray(3)), d.final()]).toString('utf8');
  }
}

const AAD = 'account:01J:cookies';

describe('SafeStorageCipher', () => {
  it('given a working keychain, when a unicode cookie jar is sealed, then it opens only for its own row', () => {
    const cipher = new SafeStorageCipher(new FakeSafeStorage('gnome_libsecret'));
    const jar = JSON.stringify({ auth_token: 'abc', ct0: 'ž🍪' });
    const sealed = cipher.seal(jar, AAD);
    expect(sealed.startsWith('pd1.ss.')).toBe(true);
    expect(sealed).not.toContain('auth_token');
    expect(cipher.open(sealed, AAD)).toBe(jar);
    expect(codeOf(() => cipher.open(sealed, 'account:other:cookies'))).toBe('secret_tampered');
  });

  it('given a sealed value, when any byte of the keychain blob is flipped, then open fails as tampered (CBC has no MAC)', () => {
    const cipher = new SafeStorageCipher(new FakeSafeStorage('kwallet5'));
    const sealed = cipher.seal('a long enough token to span several cipher blocks: 0123456789abcdef', AAD);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    for (let i = 3; i < body.length; i++) {
      const copy = Buffer.from(body);
      copy[i] = (copy[i] ?? 0) ^ 0x04;
      parts[3] = copy.toString('base64url');
      expect(codeOf(() => cipher.open(parts.join('.'), AAD))).toBe('secret_tampered');
    }
  });

  it('given the keychain locks, when sealing or opening, then it says the keychain is unavailable', () => {
    const storage = new FakeSafeStorage('gnome_libsecret');
    const cipher = new SafeStorageCipher(storage);
    const sealed = cipher.seal('t', AAD);
    storage.available = false;
    expect(codeOf(() => cipher.seal('t', AAD))).toBe('secret_storage_unavailable');
    expect(codeOf(() => cipher.open(sealed, AAD))).toBe('secret_storage_unavailable');
  });

  it('given a value sealed with the key file, when the keychain cipher opens it, then it reports a key mismatch', () => {
    const fileSealed = NodeKeyCipher.load({ dataDir: dataDir(), env: {} }).seal('t', AAD);
    const cipher = new SafeStorageCipher(new FakeSafeStorage('gnome_libsecret'));
    expect(codeOf(() => cipher.open(fileSealed, AAD))).toBe('secret_key_mismatch');
  });
});

describe('chooseCipher', () => {
  it('given Linux with basic_text, when choosing, then it avoids the fixed key and warns, recommending a passphrase', () => {
    const chosen = chooseCipher({ safeStorage: new FakeSafeStorage('basic_text'), platform: 'linux', dataDir: dataDir(), env: {} });
    expect(chosen.kind).toBe('key-file');
    expect(chosen.warning?.code).toBe('linux_no_secret_service');
    expect(chosen.warning?.message).toContain('basic_text');
    expect(chosen.warning?.message).toMatch(/passphrase/i);
  });

  it('given Linux with an unknown backend, when choosing, then it warns the same way', () => {
    const storage: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      encryptString: (s) => Buffer.from(s),
      decryptString: (b) => b.toString(),
    };
    const chosen = chooseCipher({ safeStorage: storage, platform: 'linux', dataDir: dataDir(), env: {} });
    expect(chosen.warning?.code).toBe('linux_no_secret_service');
    expect(chosen.kind).toBe('key-file');
  });

  it('given Linux with a secret service, or macOS, when choosing, then safeStorage is used with no warning', () => {
    const linux = chooseCipher({ safeStorage: new FakeSafeStorage('gnome_libsecret'), platform: 'linux', dataDir: dataDir(), env: {} });
    expect(linux.kind).toBe('safe-storage');
    expect(linux.warning).toBeUndefined();
    const mac = chooseCipher({ safeStorage: new FakeSafeStorage(), platform: 'darwin', dataDir: dataDir(), env: {} });
    expect(mac.kind).toBe('safe-storage');
    expect(mac.cipher.open(mac.cipher.seal('m', AAD), AAD)).toBe('m');
  });

  it('given the keychain is unavailable, when choosing, then it falls back to the key file with a warning', () => {
    const storage = new FakeSafeStorage('gnome_libsecret');
    storage.available = false;
    const chosen = chooseCipher({ safeStorage: storage, platform: 'win32', dataDir: dataDir(), env: {} });
    expect(chosen.kind).toBe('key-file');
    expect(chosen.warning?.code).toBe('keychain_unavailable');
  });

  it('given a passphrase, when choosing, then the passphrase cipher wins even over a working keychain', () => {
    const chosen = chooseCipher({
      safeStorage: new FakeSafeStorage('basic_text'),
      platform: 'linux',
      dataDir: dataDir(),
      env: {},
      passphrase: 'my long passphrase',
      scrypt: { N: 2 ** 12, r: 8, p: 1 },
    });
    expect(chosen.kind).toBe('passphrase');
    expect(chosen.warning).toBeUndefined();
  });

  it('given a passphrase in the async chooser, when choosing, then it unlocks off the event loop to the same key', async () => {
    const dir = dataDir();
    const scrypt = { N: 2 ** 12, r: 8, p: 1 };
    const a = await chooseCipherAsync({ platform: 'linux', dataDir: dir, env: {}, passphrase: 'my long passphrase', scrypt });
    const b = chooseCipher({ platform: 'linux', dataDir: dir, env: {}, passphrase: 'my long passphrase', scrypt });
    expect(a.kind).toBe('passphrase');
    expect(b.cipher.open(a.cipher.seal('s', AAD), AAD)).toBe('s');
  });

  it('given the Node host, when choosing, then the env key or key file is used with no warning', () => {
    const env = chooseCipher({ platform: 'linux', dataDir: dataDir(), env: { [SECRET_KEY_ENV]: randomBytes(32).toString('base64') } });
    expect(env.kind).toBe('env-key');
    expect(env.warning).toBeUndefined();
    const file = chooseCipher({ platform: 'linux', dataDir: dataDir(), env: {} });
    expect(file.kind).toBe('key-file');
  });
});
