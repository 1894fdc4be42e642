// Migrations against real files: from empty, from every earlier level with data present, a failed
// migration that must leave the file as it was, a file from a newer Postdesk, and the backup.
import BetterSqlite3 from 'better-sqlite3';
import { getTableColumns, getTableName } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openConnection, openDatabase } from '../../db/client';
import { appliedMigrations, migrate, migrationHash, MigrationError } from '../../db/migrate';
import { migrations as embedded, type EmbeddedMigration } from '../../migrations/embedded';
import { tempDir } from '../helpers/db';
import { allTables, fileColumns, insertWorkspace, RowFactory, tableNamed, type Row } from '../helpers/rows';

const FTS_SOURCES = [
  { fts: 'posts_fts', table: 'posts', key: 'content' },
  { fts: 'messages_fts', table: 'conversation_messages', key: 'content' },
  { fts: 'comments_fts', table: 'comments', key: 'text' },
  { fts: 'knowledge_fts', table: 'knowledge_chunks', key: 'content' },
] as const;

const lastIdx = Math.max(...embedded.map((m) => m.idx));

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function newFile(): { dir: string; file: string } {
  const { dir, cleanup } = tempDir('postdesk-migrate-');
  cleanups.push(cleanup);
  return { dir, file: join(dir, 'postdesk.db') };
}

function tableCounts(sqlite: BetterSqlite3.Database): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of allTables) {
    const name = getTableName(t);
    if (fileColumns(sqlite, name).size === 0) continue;
    const row = sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number };
    counts.set(name, row.n);
  }
  return counts;
}

/** Every table and column in the file, for "unchanged" comparisons beyond the bytes. */
function logicalDump(file: string): string {
  const sqlite = new BetterSqlite3(file, { readonly: true });
  try {
    const master = sqlite.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`).all() as {
      type: string;
      name: string;
    }[];
    const rows = master
      .filter((m) => m.type === 'table' && !m.name.startsWith('sqlite_') && !/_fts|_vec_/.test(m.name))
      .map((m) => [m.name, sqlite.prepare(`SELECT * FROM "${m.name}" ORDER BY rowid`).all()]);
    return JSON.stringify({ master, rows });
  } finally {
    sqlite.close();
  }
}

describe('migrations', () => {
  it('given the migrations folder, when embedded.ts is compared with it, then it is up to date', () => {
    const dir = join(process.cwd(), 'migrations');
    const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as {
      entries: { idx: number; tag: string }[];
    };
    const fromDisk = journal.entries.map((e) => {
      const sql = readFileSync(join(dir, `${e.tag}.sql`), 'utf8');
      return { idx: e.idx, tag: e.tag, hash: migrationHash(sql) };
    });
    expect(embedded.map(({ idx, tag, hash }) => ({ idx, tag, hash }))).toEqual(fromDisk);
  });

  it('given an empty file, when opened, then every migration, table, column and search table exists', () => {
    const { file } = newFile();
    const db = openDatabase({ file });
    cleanups.unshift(() => db.close());
    expect(db.migration.applied).toEqual(embedded.map((m) => m.tag));
    expect(db.migration.backupFile).toBeNull();
    expect(appliedMigrations(db.sqlite).map((a) => a.idx)).toEqual(embedded.map((m) => m.idx));
    for (const t of allTables) {
      const inFile = fileColumns(db.sqlite, getTableName(t));
      const declared = Object.values(getTableColumns(t)).map((c) => c.name);
      expect([...inFile].sort(), getTableName(t)).toEqual([...declared].sort());
    }
    // Indexes and CHECKs too: a schema edit without a new migration shows up here.
    const master = db.sqlite.prepare(`SELECT type, name, sql FROM sqlite_master`).all() as {
      type: string;
      name: string;
      sql: string | null;
    }[];
    const fileIndexes = master
      .filter((m) => m.type === 'index' && !m.name.startsWith('sqlite_autoindex'))
      .map((m) => m.name)
      .sort();
    const declaredIndexes = allTables
      .flatMap((t) => [
        ...getTableConfig(t).indexes.map((i) => i.config.name),
        ...Object.values(getTableColumns(t))
          .filter((c) => c.isUnique)
          .map((c) => c.uniqueName ?? ''),
      ])
      .sort();
    expect(fileIndexes).toEqual(declaredIndexes);
    const fileChecks = master
      .flatMap((m) => [...(m.sql ?? '').matchAll(/CONSTRAINT "(\w+)" CHECK/g)].map((x) => x[1]))
      .sort();
    const declaredChecks = allTables.flatMap((t) => getTableConfig(t).checks.map((c) => c.name)).sort();
    expect(fileChecks).toEqual(declaredChecks);
    const virtual = db.sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`)
      .all() as { name: string }[];
    expect(virtual.map((v) => v.name)).toEqual([
      'comments_fts',
      'knowledge_fts',
      'knowledge_vec_384',
      'messages_fts',
      'posts_fts',
    ]);
    expect(db.sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  for (let k = 0; k < lastIdx; k++) {
    it(`given a file at migration ${k} with a row in every table, when opened by this version, then no row is lost and the text is searchable`, () => {
      const { file } = newFile();
      const old = openDatabase({ file, migrateUpTo: k });
      expect(appliedMigrations(old.sqlite).at(-1)?.idx).toBe(k);
      const factory = new RowFactory(old.sqlite, (name) => fileColumns(old.sqlite, name));
      const ws = insertWorkspace(old.sqlite, 'Upgrade Bakery');
      const token = `upgradetoken${k}`;
      for (const t of allTables) {
        const name = getTableName(t);
        if (fileColumns(old.sqlite, name).size === 0) continue;
        const fts = FTS_SOURCES.find((f) => f.table === name);
        const values: Row = fts ? { [fts.key]: `${token} survives the upgrade` } : {};
        const scoped = 'workspaceId' in getTableColumns(t);
        factory.insert(t, scoped ? ws : null, { values });
      }
      const before = tableCounts(old.sqlite);
      old.close();

      const upgraded = openDatabase({ file });
      cleanups.unshift(() => upgraded.close());
      expect(upgraded.migration.applied).toEqual(embedded.filter((m) => m.idx > k).map((m) => m.tag));
      const after = tableCounts(upgraded.sqlite);
      for (const [name, n] of before) expect(after.get(name), name).toBe(n);
      for (const f of FTS_SOURCES) {
        const hits = upgraded.sqlite.prepare(`SELECT count(*) AS n FROM ${f.fts} WHERE ${f.fts} MATCH ?`).get(token) as {
          n: number;
        };
        expect(hits.n, f.fts).toBeGreaterThanOrEqual(1);
        upgraded.sqlite.prepare(`INSERT INTO ${f.fts}(${f.fts}, rank) VALUES ('integrity-check', 1)`).run();
      }
      expect(upgraded.sqlite.pragma('foreign_key_check')).toEqual([]);
    });
  }

  it('given a migration that fails half-way, when applied, then the file is byte-for-byte what it was', () => {
    const { file } = newFile();
    const db = openDatabase({ file });
    const ws = insertWorkspace(db.sqlite, 'Careful Café');
    new RowFactory(db.sqlite).insert(tableNamed('posts'), ws, {
      values: { content: 'must survive' },
    });
    db.close();
    const bytesBefore = readFileSync(file);
    const dumpBefore = logicalDump(file);

    const badSql = [
      'CREATE TABLE half_done (x INTEGER)',
      "UPDATE posts SET content = 'changed by a broken migration'",
      'INSERT INTO no_such_table VALUES (1)',
    ].join('\n--> statement-breakpoint\n');
    const bad: EmbeddedMigration = { idx: lastIdx + 1, tag: `${lastIdx + 1}_broken`, hash: migrationHash(badSql), sql: badSql };
    const sqlite = openConnection({ file });
    let error: unknown;
    try {
      migrate(sqlite, { file, migrations: [...embedded, bad] });
    } catch (err) {
      error = err;
    } finally {
      sqlite.close();
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('migration_failed');
    expect((error as Error).message).toMatch(/broken" failed: no such table: no_such_table\. The database was left unchanged/);
    expect(logicalDump(file)).toBe(dumpBefore);
    expect(readFileSync(file).equals(bytesBefore)).toBe(true);
  });

  it('given a file written by a newer Postdesk, when opened, then it is refused and left unchanged', () => {
    const { file } = newFile();
    const db = openDatabase({ file });
    db.sqlite
      .prepare(`INSERT INTO __postdesk_migrations (idx, tag, hash, applied_at) VALUES (?, ?, ?, ?)`)
      .run(lastIdx + 50, '9999_from_the_future', 'f'.repeat(64), Date.now());
    db.close();
    const bytesBefore = readFileSync(file);

    let error: unknown;
    try {
      openDatabase({ file }).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('newer_database');
    expect((error as Error).message).toMatch(/newer version of Postdesk .*9999_from_the_future.*Update Postdesk/);
    expect(readFileSync(file).equals(bytesBefore)).toBe(true);
  });

  it('given an existing file behind this version, when migrated, then a backup of the old file is written first', () => {
    const { dir, file } = newFile();
    const old = openDatabase({ file, migrateUpTo: 0 });
    const ws = insertWorkspace(old.sqlite, 'Backed Up Bakery');
    old.close();

    const db = openDatabase({ file });
    cleanups.unshift(() => db.close());
    const backup = db.migration.backupFile;
    expect(backup).not.toBeNull();
    expect(backup!.startsWith(join(dir, 'backups'))).toBe(true);
    expect(existsSync(backup!)).toBe(true);
    const copy = new BetterSqlite3(backup!, { readonly: true });
    try {
      expect(appliedMigrations(copy).map((a) => a.idx)).toEqual([0]);
      expect(copy.prepare('SELECT name FROM workspaces WHERE id = ?').get(ws)).toEqual({ name: 'Backed Up Bakery' });
    } finally {
      copy.close();
    }
  });

  it('given an up-to-date file, when opened again, then nothing is applied and no backup is taken', () => {
    const { file } = newFile();
    openDatabase({ file }).close();
    const again = openDatabase({ file });
    cleanups.unshift(() => again.close());
    expect(again.migration).toEqual({ applied: [], backupFile: null });
  });
});
