// Real database files in a fresh temporary folder per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database, type OpenOptions } from '../../db/client';

export function tempDir(prefix = 'postdesk-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A migrated database in a real file; close and delete it with `cleanup`. */
export function openTestDb(opts: Partial<OpenOptions> = {}): Database & { dir: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const db = openDatabase({ file: join(dir, 'postdesk.db'), ...opts });
  return Object.assign(db, {
    dir,
    cleanup: () => {
      db.close();
      cleanup();
    },
  });
}
