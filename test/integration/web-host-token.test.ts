// The web token file: created once with mode 0600, reused, renewed on request, and compared safely.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateToken, TOKEN_FILE_NAME, tokenMatches } from '../../electron/host/token';
import { tempDir } from '../helpers/db';

const mode = (file: string) => statSync(file).mode & 0o777;

describe('web token', () => {
  let dir: ReturnType<typeof tempDir> | undefined;
  afterEach(() => dir?.cleanup());

  it('given an empty data folder, when the token is loaded, then 32 random bytes are stored with mode 0600', () => {
    dir = tempDir();
    const t = loadOrCreateToken(dir.dir);
    expect(t.created).toBe(true);
    expect(t.token).toMatch(/^[0-9a-f]{64}$/);
    expect(t.file).toBe(join(dir.dir, TOKEN_FILE_NAME));
    expect(readFileSync(t.file, 'utf8').trim()).toBe(t.token);
    if (process.platform !== 'win32') expect(mode(t.file)).toBe(0o600);
  });

  it('given a stored token, when loaded again, then the same token is reused', () => {
    dir = tempDir();
    const first = loadOrCreateToken(dir.dir);
    const again = loadOrCreateToken(dir.dir);
    expect(again).toEqual({ ...first, created: false });
  });

  it('given --new-token, when loaded, then a different token replaces the stored one', () => {
    dir = tempDir();
    const first = loadOrCreateToken(dir.dir);
    const renewed = loadOrCreateToken(dir.dir, { renew: true });
    expect(renewed.token).not.toBe(first.token);
    expect(loadOrCreateToken(dir.dir).token).toBe(renewed.token);
  });

  it('given a token file someone loosened to 0644, when loaded, then it is tightened back to 0600', () => {
    if (process.platform === 'win32') return;
    dir = tempDir();
    const { file } = loadOrCreateToken(dir.dir);
    chmodSync(file, 0o644);
    loadOrCreateToken(dir.dir);
    expect(mode(file)).toBe(0o600);
  });

  it('given a damaged token file, when loaded, then a fresh well-formed token replaces it', () => {
    dir = tempDir();
    writeFileSync(join(dir.dir, TOKEN_FILE_NAME), 'not a token');
    const t = loadOrCreateToken(dir.dir);
    expect(t.created).toBe(true);
    expect(t.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('given presented tokens, when compared, then only the exact token matches', () => {
    const real = 'a'.repeat(64);
    expect(tokenMatches(real, real)).toBe(true);
    expect(tokenMatches(undefined, real)).toBe(false);
    expect(tokenMatches('', real)).toBe(false);
    expect(tokenMatches('a'.repeat(63), real)).toBe(false);
    expect(tokenMatches('a'.repeat(65), real)).toBe(false);
    expect(tokenMatches('A'.repeat(64), real)).toBe(false);
  });
});
