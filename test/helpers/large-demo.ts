// The large demo data (issue 2's scale: 100k conversations, 1M messages) in a folder of its own,
// built once and reused: the inbox benchmark and the large-data e2e test both open it through the
// real web host. A marker file says the build finished, so a crash mid-build is never reused.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../db/client';
import { seedDemo } from '../../db/seed';
import { DB_FILE_NAME } from '../../electron/core/app';

/** Bump when the data changes shape, so a reused folder is rebuilt rather than measured stale. */
const VERSION = 1;
const MARKER = 'large-demo.json';

export interface LargeDemo {
  version: number;
  workspaceId: string;
  /** The seeder's "now": message times are relative to it. */
  now: number;
  seedSeconds: number;
}

export function readLargeDemo(dir: string): LargeDemo | null {
  const marker = join(dir, MARKER);
  if (!existsSync(marker) || !existsSync(join(dir, DB_FILE_NAME))) return null;
  const data = JSON.parse(readFileSync(marker, 'utf8')) as LargeDemo;
  return data.version === VERSION ? data : null;
}

/** The large bakery workspace in `dir`, built if it is not there yet (about two minutes). */
export function largeDemo(dir: string, log: (line: string) => void = () => undefined): LargeDemo {
  const existing = readLargeDemo(dir);
  if (existing) return existing;
  if (existsSync(join(dir, DB_FILE_NAME))) {
    throw new Error(`${join(dir, DB_FILE_NAME)} exists but is not a finished large demo build; delete the folder or choose another.`);
  }
  const now = Date.now();
  const t0 = performance.now();
  log(`Building the large demo (100k conversations, 1M messages) in ${dir}…`);
  const db = openDatabase({ file: join(dir, DB_FILE_NAME) });
  let workspaceId: string;
  try {
    workspaceId = seedDemo(db, {
      scale: 'large',
      seed: 1,
      brand: 'bakery',
      now,
      onProgress: (e) => {
        if (e.finished) log(`  ${e.table.padEnd(24)} ${String(e.done).padStart(9)} rows`);
      },
    }).workspaceId;
  } finally {
    db.close();
  }
  const data: LargeDemo = { version: VERSION, workspaceId, now, seedSeconds: Math.round((performance.now() - t0) / 1000) };
  writeFileSync(join(dir, MARKER), JSON.stringify(data, null, 2) + '\n');
  log(`Built in ${data.seedSeconds} s`);
  return data;
}
