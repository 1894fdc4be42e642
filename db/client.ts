// Opens the one SQLite file: pragmas in one place, sqlite-vec loaded, migrations applied.
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as sqliteVec from 'sqlite-vec';
import { migrate, type MigrateResult } from './migrate';
import * as schema from './schema';

export type Schema = typeof schema;
export type Orm = BetterSQLite3Database<Schema>;

export interface Database {
  readonly file: string;
  readonly sqlite: BetterSqlite3.Database;
  readonly orm: Orm;
  readonly migration: MigrateResult;
  close(): void;
}

export type Durability = 'normal' | 'full';

export interface OpenOptions {
  /** Path of the database file, or ':memory:'. */
  file: string;
  /** Where pre-migration backups go (default: `backups/` beside the file). */
  backupDir?: string;
  /** WAL + synchronous=NORMAL (default) may lose the last commits on power loss, never corrupt. */
  durability?: Durability;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Migrate only up to this migration index (upgrade-path tests). */
  migrateUpTo?: number;
  readonly?: boolean;
  /** better-sqlite3 native binding path (Electron packaging may point elsewhere). */
  nativeBinding?: string;
}

/** sqlite-vec's loadable library. In a packaged app it sits in app.asar.unpacked, since SQLite
 * (not Electron's fs) opens it and cannot read inside the asar archive. */
export function vecExtensionPath(): string {
  return sqliteVec.getLoadablePath().replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

export function applyPragmas(sqlite: BetterSqlite3.Database, durability: Durability = 'normal'): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
}

/** Open a connection with the pragmas and sqlite-vec, without migrating (workers, tools). */
export function openConnection(opts: Pick<OpenOptions, 'file' | 'durability' | 'readonly' | 'nativeBinding'>) {
  const isNewFile = opts.file !== ':memory:' && !existsSync(opts.file);
  if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
  const sqlite = new BetterSqlite3(opts.file, {
    readonly: opts.readonly ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  // The file holds private messages and (encrypted) tokens: owner-only from the start. SQLite
  // gives the -wal and -shm files the same permissions as the database file.
  if (isNewFile && !opts.readonly) chmodSync(opts.file, 0o600);
  sqlite.loadExtension(vecExtensionPath());
  if (!opts.readonly) applyPragmas(sqlite, opts.durability);
  else sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

export function openDatabase(opts: OpenOptions): Database {
  const sqlite = openConnection(opts);
  let migration: MigrateResult = { applied: [], backupFile: null };
  try {
    if (opts.migrate !== false && !opts.readonly) {
      migration = migrate(sqlite, {
        file: opts.file,
        ...(opts.backupDir ? { backupDir: opts.backupDir } : {}),
        ...(opts.migrateUpTo !== undefined ? { upTo: opts.migrateUpTo } : {}),
      });
    }
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const orm = drizzle({ client: sqlite, schema, casing: 'snake_case' });
  return {
    file: opts.file,
    sqlite,
    orm,
    migration,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
