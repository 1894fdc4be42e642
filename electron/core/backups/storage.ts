// SQLite reports a write that the OS refused as SQLITE_IOERR_WRITE (or _FSYNC, _SHMSIZE) whether
// the disk was full or the drive went read-only: better-sqlite3 does not expose errno. The data
// folder itself tells which: no free blocks means full; a folder we may not write means read-only.
import { accessSync, constants, statfsSync } from 'node:fs';

/** Free space under this is "full" for our purposes (SQLite needs room for a WAL frame or two). */
const NEARLY_FULL_BYTES = 256 * 1024;

export function writeFailureKind(dataDir: string): 'disk_full' | 'read_only' | null {
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read_only';
  }
  try {
    const s = statfsSync(dataDir);
    if (s.bavail * s.bsize < NEARLY_FULL_BYTES) return 'disk_full';
  } catch {
    // statfs is missing on some platforms; fall through.
  }
  return null;
}
