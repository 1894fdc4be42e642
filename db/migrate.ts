// Forward-only migrations, applied at startup in one transaction after a backup of the file.
// The SQL comes from migrations/ (drizzle-kit output plus hand-written files) and is embedded
// into migrations/embedded.ts so bundles and packaged apps carry it without file lookups.
import type BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { migrations as embedded, type EmbeddedMigration } from '../migrations/embedded';

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly code: 'newer_database' | 'migration_failed' | 'modified_migration',
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrateResult {
  applied: string[];
  backupFile: string | null;
}

const LEDGER = '__postdesk_migrations';

function hashOf(sqlText: string): string {
  return createHash('sha256').update(sqlText).digest('hex');
}

function splitStatements(sqlText: string): string[] {
  return sqlText
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function appliedMigrations(sqlite: BetterSqlite3.Database): { idx: number; tag: string; hash: string }[] {
  const exists = sqlite
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(LEDGER);
  if (!exists) return [];
  return sqlite.prepare(`SELECT idx, tag, hash FROM ${LEDGER} ORDER BY idx`).all() as {
    idx: number;
    tag: string;
    hash: string;
  }[];
}

/** Name of the backup taken before migrating `file`: beside it, in a `backups` folder. */
function backupPath(file: string, backupDir: string | undefined, fromIdx: number): string {
  const dir = backupDir ?? join(dirname(file), 'backups');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  return join(dir, `${basename(file)}.pre-migration-${fromIdx}-${stamp}.db`);
}

export interface MigrateOptions {
  /** The database file's path, or ':memory:' (no backup then). */
  file: string;
  backupDir?: string;
  /** Only apply migrations up to and including this index (tests of upgrade paths). */
  upTo?: number;
  migrations?: readonly EmbeddedMigration[];
}

export function migrate(sqlite: BetterSqlite3.Database, opts: MigrateOptions): MigrateResult {
  const all = (opts.migrations ?? embedded).filter((m) => opts.upTo === undefined || m.idx <= opts.upTo);
  const known = new Map(all.map((m) => [m.idx, m]));
  const applied = appliedMigrations(sqlite);
  const appliedIdx = new Set(applied.map((a) => a.idx));

  for (const a of applied) {
    const m = known.get(a.idx);
    if (!m) {
      if (opts.upTo !== undefined && a.idx > opts.upTo) continue;
      throw new MigrationError(
        `This database was written by a newer version of Postdesk (migration ${a.idx} "${a.tag}" is unknown here). Update Postdesk to open it; the file was not changed.`,
        'newer_database',
      );
    }
    if (m.hash !== a.hash) {
      throw new MigrationError(
        `Migration ${a.idx} "${a.tag}" differs from the one applied to this database. Migrations are forward-only: add a new one instead of editing ${m.tag}.sql.`,
        'modified_migration',
      );
    }
  }

  const pending = all.filter((m) => !appliedIdx.has(m.idx)).sort((a, b) => a.idx - b.idx);
  if (pending.length === 0) return { applied: [], backupFile: null };

  let backupFile: string | null = null;
  const hasData = applied.length > 0;
  if (hasData && opts.file !== ':memory:' && existsSync(opts.file)) {
    backupFile = backupPath(opts.file, opts.backupDir, applied.at(-1)?.idx ?? -1);
    // VACUUM INTO is synchronous and writes a consistent, compact copy even in WAL mode.
    sqlite.prepare('VACUUM INTO ?').run(backupFile);
  }

  // Table rebuilds in migrations need foreign keys off; the pragma is a no-op inside a transaction,
  // so it is switched here and the whole result is checked before commit.
  const fkWasOn = sqlite.pragma('foreign_keys', { simple: true }) === 1;
  sqlite.pragma('foreign_keys = OFF');
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      sqlite.exec(
        `CREATE TABLE IF NOT EXISTS ${LEDGER} (idx INTEGER PRIMARY KEY, tag TEXT NOT NULL, hash TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
      );
      const record = sqlite.prepare(`INSERT INTO ${LEDGER} (idx, tag, hash, applied_at) VALUES (?, ?, ?, ?)`);
      for (const m of pending) {
        for (const statement of splitStatements(m.sql)) {
          try {
            sqlite.exec(statement);
          } catch (err) {
            throw new MigrationError(
              `Migration ${m.idx} "${m.tag}" failed: ${(err as Error).message}. The database was left unchanged.`,
              'migration_failed',
            );
          }
        }
        record.run(m.idx, m.tag, m.hash, Date.now());
      }
      const violations = sqlite.prepare('PRAGMA foreign_key_check').all();
      if (violations.length > 0) {
        throw new MigrationError(
          `Migrations left ${violations.length} rows that break foreign keys (first: ${JSON.stringify(violations[0])}). The database was left unchanged.`,
          'migration_failed',
        );
      }
      sqlite.exec('COMMIT');
    } catch (err) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw err;
    }
  } finally {
    if (fkWasOn) sqlite.pragma('foreign_keys = ON');
  }
  return { applied: pending.map((m) => m.tag), backupFile };
}

export { hashOf as migrationHash };
