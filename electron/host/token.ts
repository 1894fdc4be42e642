// The web host's access token: 32 random bytes, kept in `<dataDir>/web-token` (mode 0600) so a
// bookmarked URL keeps working across restarts. Anyone who can read that file already owns the
// data folder, so the file is no weaker than the database beside it.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_FILE_NAME = 'web-token';

/** 64 lowercase hex chars: safe in a URL fragment, a header, and a Sec-WebSocket-Protocol token. */
const TOKEN_FORMAT = /^[0-9a-f]{64}$/;

export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_FORMAT.test(token);
}

export interface LoadTokenOptions {
  /** Throw the stored token away and issue a fresh one (`--new-token`), e.g. after it leaked. */
  renew?: boolean;
}

/**
 * Read the stored token, or create one. A missing, unreadable-as-token or renewed file is replaced
 * atomically (write to a temp file with 0600, then rename) so a crash never leaves half a token.
 */
export function loadOrCreateToken(dataDir: string, opts: LoadTokenOptions = {}): { token: string; file: string; created: boolean } {
  const file = join(dataDir, TOKEN_FILE_NAME);
  if (!opts.renew) {
    let stored: string | undefined;
    try {
      stored = readFileSync(file, 'utf8').trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (stored !== undefined && isWellFormedToken(stored)) {
      // An older copy or a restore from backup may have loosened the mode; tighten it every start.
      if (process.platform !== 'win32') chmodSync(file, 0o600);
      return { token: stored, file, created: false };
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const token = generateToken();
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, token + '\n', { mode: 0o600 });
  renameSync(tmp, file);
  return { token, file, created: true };
}

/**
 * Compare a presented token with the real one in constant time. Both sides are hashed first so
 * the comparison length never depends on the attacker's input (timingSafeEqual needs equal sizes).
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
