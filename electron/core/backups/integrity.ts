// Startup and periodic integrity checks of the live database file.
//
// Cost (measured on the large demo database, 1.2 GB, 1M messages, on the shared 2-core machine):
// `PRAGMA quick_check` took 82 s, far too long to hold a launch. So a launch is bounded: a cheap
// synchronous probe always (the header is SQLite's, the schema parses: 0.16 s on that file), then
// quick_check: on this thread for files up to 4 MB (a few ms, less than starting a worker), in a
// worker awaited before the core opens up to 64 MB, and beyond that in the background after
// startup, switching the core into recovery if it finds damage. The weekly scheduled check is the
// full integrity_check, also in a worker.
import BetterSqlite3 from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { IntegrityResult, Recovery } from './health';
import { recoveryMessage } from './health';
import { runFileTask, type CheckLevel } from './worker';

/** Files up to this size are quick_checked before the core opens them (in a worker). */
export const STARTUP_CHECK_AWAIT_BYTES = 64 * 1024 * 1024;
/** Up to this size quick_check takes a few ms: cheaper on this thread than starting a worker (~100 ms). */
export const STARTUP_CHECK_INLINE_BYTES = 4 * 1024 * 1024;

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const DAMAGE_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

export function isDamageError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && DAMAGE_CODES.test(code);
}

function recovery(file: string, reason: Recovery['reason'], problems: string[], now: number): Recovery {
  const r: Recovery = { reason, file, problems, detectedAt: now, message: '' };
  r.message = recoveryMessage(r);
  return r;
}

/**
 * Cheap checks that hold at any size: SQLite's header, and a schema SQLite can read. With
 * `quickCheck` (small files only) also quick_check on the same connection.
 */
export function probeDatabaseFile(file: string, nativeBinding?: string, quickCheck = false): Recovery | null {
  if (!existsSync(file) || statSync(file).size === 0) return null;
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(MAGIC)) return recovery(file, 'not_a_database', ['the file does not start with the SQLite header'], Date.now());
  let db: BetterSqlite3.Database | null = null;
  try {
    db = new BetterSqlite3(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (!quickCheck) return null;
    const lines = (db.pragma('quick_check(20)') as Record<string, unknown>[]).map((r) => String(Object.values(r)[0]));
    return lines.length === 1 && lines[0] === 'ok' ? null : recovery(file, 'damaged', lines, Date.now());
  } catch (err) {
    if (isDamageError(err)) return recovery(file, 'damaged', [err instanceof Error ? err.message : String(err)], Date.now());
    throw err;
  } finally {
    db?.close();
  }
}

/** quick_check or integrity_check of `file` in a worker thread. */
export async function checkDatabaseFile(file: string, level: CheckLevel): Promise<IntegrityResult> {
  const t0 = performance.now();
  let problems: string[];
  try {
    ({ problems } = await runFileTask({ kind: 'check', file, level }));
  } catch (err) {
    if (!isDamageError(err)) throw err;
    problems = [err instanceof Error ? err.message : String(err)];
  }
  return { level, ok: problems.length === 0, problems, checkedAt: Date.now(), ms: Math.round(performance.now() - t0) };
}

export function recoveryFromCheck(file: string, result: IntegrityResult): Recovery | null {
  return result.ok ? null : recovery(file, 'damaged', result.problems, result.checkedAt);
}

export function recoveryFromError(file: string, err: unknown): Recovery {
  const code = (err as { code?: unknown })?.code;
  return recovery(file, code === 'SQLITE_NOTADB' ? 'not_a_database' : 'damaged', [err instanceof Error ? err.message : String(err)], Date.now());
}
