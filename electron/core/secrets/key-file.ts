// Creates and reads small secret files (the key file, the passphrase's salt) safely: created
// atomically with mode 0600 and never replaced once they exist, since replacing a key orphans
// every secret sealed with it.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

const POSIX = process.platform !== 'win32';

/** Writes `content` to `file` only if it does not exist yet. Returns false if another process (or
 * an earlier run) created it first; the caller then reads that one instead. */
export function createFileExclusive(file: string, content: string): boolean {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Write a private temp file, flush it, then hard-link it into place: link() fails if the target
  // exists, so a concurrent start can never overwrite a key, and readers never see a half file.
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
  syncDir(dir);
  return true;
}

/** Reads a secret file, first tightening its permissions if group or others could read it. */
export function readPrivateFile(file: string): string | null {
  if (!existsSync(file)) return null;
  if (POSIX) {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8');
}

function syncDir(dir: string): void {
  if (!POSIX) return;
  // The new directory entry must survive a crash too; best effort, some filesystems refuse.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not fatal: the file itself is already flushed */
  }
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === code;
}
