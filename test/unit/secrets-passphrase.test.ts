// The scrypt passphrase cipher: right passphrase opens, wrong one is refused before any decryption.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, PASSPHRASE_FILE_NAME, PassphraseCipher, SecretError, type SecretErrorCode } from '../../electron/core/secrets';
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

function caught(fn: () => unknown): { code: SecretErrorCode | 'no error' | 'other error'; message: string } {
  try {
    fn();
    return { code: 'no error', message: '' };
  } catch (err) {
    return { code: err instanceof SecretError ? err.code : 'other error', message: err instanceof Error ? err.message : String(err) };
  }
}

// Cheaper cost for most cases so the suite stays quick; one test below runs the real default.
const FAST = { N: 2 ** 12, r: 8, p: 1 };
const AAD = 'app:ai.api_key';

describe('PassphraseCipher', () => {
  it('given a new passphrase, when it unlocks and reopens, then secrets round-trip and the salt file is private', () => {
    const dir = dataDir();
    const first = PassphraseCipher.unlock({ dataDir: dir, passphrase: 'correct horse battery', scrypt: FAST });
    const sealed = first.seal('sk-live-ключ-🗝️', AAD);
    expect(sealed.startsWith(`pd1.${first.keyId}.`)).toBe(true);
    expect(first.keyId.startsWith('p')).toBe(true);

    const file = join(dir, PASSPHRASE_FILE_NAME);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain('correct horse');
    expect(JSON.parse(stored)).toMatchObject({ v: 1, kdf: 'scrypt', N: FAST.N, r: 8, p: 1 });

    const again = PassphraseCipher.unlock({ dataDir: dir, passphrase: 'correct horse battery', scrypt: FAST });
    expect(again.open(sealed, AAD)).toBe('sk-live-ключ-🗝️');
  });

  it('given an existing passphrase, when a wrong one is tried, then it is refused with wrong_passphrase, not garbage', () => {
    const dir = dataDir();
    PassphraseCipher.unlock({ dataDir: dir, passphrase: 'the right passphrase', scrypt: FAST });
    const wrong = caught(() => PassphraseCipher.unlock({ dataDir: dir, passphrase: 'the wrong passphrase', scrypt: FAST }));
    expect(wrong.code).toBe('wrong_passphrase');
    expect(wrong.message).toMatch(/passphrase/i);
    expect(wrong.message).not.toContain('the wrong passphrase');
  });

  it('given composed and decomposed forms of one passphrase, when each unlocks, then both derive the same key', () => {
    const dir = dataDir();
    const composed = 'caf\u00e9 au lait!';
    const decomposed = 'cafe\u0301 au lait!';
    const a = PassphraseCipher.unlock({ dataDir: dir, passphrase: composed, scrypt: FAST });
    const b = PassphraseCipher.unlock({ dataDir: dir, passphrase: decomposed, scrypt: FAST });
    expect(b.keyId).toBe(a.keyId);
  });

  it('given the default scrypt cost, when a passphrase is set, then the file records N=2^17 r=8 p=1', () => {
    const dir = dataDir();
    const cipher = PassphraseCipher.unlock({ dataDir: dir, passphrase: 'a real-cost passphrase' });
    expect(JSON.parse(readFileSync(join(dir, PASSPHRASE_FILE_NAME), 'utf8'))).toMatchObject(DEFAULT_SCRYPT);
    expect(cipher.open(cipher.seal('x', AAD), AAD)).toBe('x');
  });

  it('given the async unlock, when the right and a wrong passphrase are tried, then it matches the sync unlock', async () => {
    const dir = dataDir();
    const created = await PassphraseCipher.unlockAsync({ dataDir: dir, passphrase: 'async passphrase', scrypt: FAST });
    const sync = PassphraseCipher.unlock({ dataDir: dir, passphrase: 'async passphrase', scrypt: FAST });
    expect(sync.keyId).toBe(created.keyId);
    expect(sync.open(created.seal('t', AAD), AAD)).toBe('t');
    await expect(PassphraseCipher.unlockAsync({ dataDir: dir, passphrase: 'not the passphrase', scrypt: FAST })).rejects.toMatchObject({
      code: 'wrong_passphrase',
    });
  });

  it('given a too-short new passphrase, when it is set, then it is refused and no file is written', () => {
    const dir = dataDir();
    expect(caught(() => PassphraseCipher.unlock({ dataDir: dir, passphrase: 'short', scrypt: FAST })).code).toBe('passphrase_too_short');
    expect(existsSync(join(dir, PASSPHRASE_FILE_NAME))).toBe(false);
  });

  it('given a damaged passphrase file, when unlocking, then it fails clearly instead of starting over', () => {
    const dir = dataDir();
    PassphraseCipher.unlock({ dataDir: dir, passphrase: 'the right passphrase', scrypt: FAST });
    const file = join(dir, PASSPHRASE_FILE_NAME);
    writeFileSync(file, '{"v":1,"kdf":"scr', { mode: 0o600 });
    const result = caught(() => PassphraseCipher.unlock({ dataDir: dir, passphrase: 'the right passphrase', scrypt: FAST }));
    expect(result.code).toBe('secret_key_invalid');
    expect(result.message).toContain('damaged');
    expect(readFileSync(file, 'utf8')).toBe('{"v":1,"kdf":"scr');
  });

  it('given a missing passphrase file while sealed secrets exist, when unlocking, then it refuses to create a new salt', () => {
    const dir = dataDir();
    const result = caught(() =>
      PassphraseCipher.unlock({ dataDir: dir, passphrase: 'any passphrase', scrypt: FAST, hasStoredSecrets: () => true }),
    );
    expect(result.code).toBe('secret_key_missing');
    expect(existsSync(join(dir, PASSPHRASE_FILE_NAME))).toBe(false);
  });
});
