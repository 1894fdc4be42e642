// Workspace isolation, generated from the schema: for every user-owned table (db/scope.ts's
// scopedTables, not a hand list) rows of workspace A and B exist, and WorkspaceScope(A) selects,
// counts, updates, deletes and inserts without ever reading or changing a row of B. Deleting a
// workspace removes everything it owned, search indexes included, and nothing of the others.
import { eq, getTableColumns, getTableName, like, or } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inWorkspace, scopedTables, type ScopedTable } from '../../db/scope';
import * as schema from '../../db/schema';
import { openTestDb } from '../helpers/db';
import { allTables, insertWorkspace, RowFactory, type Row } from '../helpers/rows';

/** Tables that hold no workspace's data, each for a reason (app-wide or membership itself). */
const APP_WIDE = new Set([
  'workspaces',
  'users',
  'workspace_members',
  'devices',
  'ai_models',
  'stock_photo_cache',
  'app_settings',
  'sync_outbox',
  'sync_state',
]);

const FTS_SOURCES = [
  { fts: 'posts_fts', table: 'posts', key: 'content' },
  { fts: 'messages_fts', table: 'conversation_messages', key: 'content' },
  { fts: 'comments_fts', table: 'comments', key: 'text' },
  { fts: 'knowledge_fts', table: 'knowledge_chunks', key: 'content' },
] as const;

type Db = ReturnType<typeof openTestDb>;

function rowsOf(db: Db, table: SQLiteTable, ws: string): unknown[] {
  return db.sqlite.prepare(`SELECT * FROM "${getTableName(table)}" WHERE workspace_id = ? ORDER BY rowid`).all(ws);
}

function countOf(db: Db, table: SQLiteTable, ws: string): number {
  return (
    db.sqlite.prepare(`SELECT count(*) AS n FROM "${getTableName(table)}" WHERE workspace_id = ?`).get(ws) as {
      n: number;
    }
  ).n;
}

/** Every row workspace B owns, in every scoped table: the thing no operation on A may change. */
function snapshot(db: Db, ws: string): string {
  return JSON.stringify(scopedTables.map((t) => [getTableName(t), rowsOf(db, t, ws)]));
}

function textFor(table: string, token: string): Row {
  const f = FTS_SOURCES.find((x) => x.table === table);
  return f ? { [f.key]: `${token} shared words` } : {};
}

describe('which tables are scoped', () => {
  it('given the schema, when tables are classified, then every table is scoped unless it is app-wide by design', () => {
    const scopedNames = new Set(scopedTables.map((t) => getTableName(t)));
    const unclassified = allTables.map((t) => getTableName(t)).filter((n) => !scopedNames.has(n) && !APP_WIDE.has(n));
    expect(unclassified).toEqual([]);
    expect(scopedTables.length).toBeGreaterThanOrEqual(60);
    for (const t of scopedTables) expect(getTableColumns(t), getTableName(t)).toHaveProperty('updatedAt');
  });
});

describe('WorkspaceScope on every user-owned table', () => {
  let db: Db;
  let factory: RowFactory;
  let wsB: string;
  beforeAll(() => {
    db = openTestDb();
    factory = new RowFactory(db.sqlite);
    wsB = insertWorkspace(db.sqlite, 'Workspace B');
    for (const t of scopedTables) factory.insert(t, wsB, { values: textFor(getTableName(t), 'bravo') });
  });
  afterAll(() => db.cleanup());

  it.each(scopedTables.map((t) => [getTableName(t), t] as const))(
    'given rows of A and B in %s, when A selects, counts, updates, deletes and inserts, then B is untouched',
    (_name, table: ScopedTable) => {
      const wsA = insertWorkspace(db.sqlite, `Workspace A for ${getTableName(table)}`);
      factory.insert(table, wsA);
      expect(countOf(db, table, wsB)).toBeGreaterThan(0);
      const scopeA = inWorkspace(db.orm, wsA);
      const before = snapshot(db, wsB);

      // select
      const selected = scopeA.select(table).all() as { workspaceId: string | null }[];
      expect(selected.length).toBe(countOf(db, table, wsA));
      expect(selected.every((r) => r.workspaceId === wsA)).toBe(true);
      // count
      expect(scopeA.count(table)).toBe(countOf(db, table, wsA));
      // update, including an attempt to move the row to B
      const set = { updatedAt: 42, workspaceId: wsB } as Partial<ScopedTable['$inferInsert']>;
      scopeA.update(table, set).run();
      expect(rowsOf(db, table, wsA).length).toBeGreaterThan(0);
      const stamps = db.sqlite
        .prepare(`SELECT DISTINCT updated_at AS u FROM "${getTableName(table)}" WHERE workspace_id = ?`)
        .all(wsA);
      expect(stamps).toEqual([{ u: 42 }]);
      expect(snapshot(db, wsB)).toBe(before);
      // delete
      scopeA.delete(table).run();
      expect(countOf(db, table, wsA)).toBe(0);
      expect(snapshot(db, wsB)).toBe(before);
      // insert a row that claims to belong to B
      const claimsB = factory.build(table, wsA, { values: { workspaceId: wsB } });
      const beforeInsert = snapshot(db, wsB);
      scopeA.insert(table, claimsB as ScopedTable['$inferInsert']).run();
      expect(countOf(db, table, wsA)).toBe(1);
      expect(snapshot(db, wsB)).toBe(beforeInsert);
    },
  );

  it('given a condition that matches rows of both workspaces, when A selects with it, then only A rows come back', () => {
    const wsA = insertWorkspace(db.sqlite, 'Workspace A conditions');
    factory.insert(schema.posts, wsA, { values: { content: 'alpha shared words' } });
    const matchesBoth = or(like(schema.posts.content, '%shared words%'), eq(schema.posts.workspaceId, wsB));
    expect(db.orm.select().from(schema.posts).where(matchesBoth).all().length).toBeGreaterThan(1);
    const rows = inWorkspace(db.orm, wsA).select(schema.posts, matchesBoth).all();
    expect(rows.map((r) => [r.workspaceId, r.content])).toEqual([[wsA, 'alpha shared words']]);
    expect(inWorkspace(db.orm, wsA).count(schema.posts, matchesBoth)).toBe(1);
  });
});

describe('deleting a workspace', () => {
  it('given rows of A and B in every scoped table and the search indexes, when A is deleted, then all of A is gone and B is intact', () => {
    const db = openTestDb();
    try {
      const factory = new RowFactory(db.sqlite);
      const wsA = insertWorkspace(db.sqlite, 'Doomed Deli');
      const wsB = insertWorkspace(db.sqlite, 'Lasting Lounge');
      for (const [ws, token] of [
        [wsA, 'alphaonly'],
        [wsB, 'bravoonly'],
      ] as const) {
        for (const t of scopedTables) factory.insert(t, ws, { values: textFor(getTableName(t), token) });
        const chunk = db.sqlite
          .prepare(`SELECT seq FROM knowledge_chunks WHERE workspace_id = ? LIMIT 1`)
          .get(ws) as { seq: number };
        const vector = new Float32Array(384).fill(0.1);
        db.sqlite
          .prepare(`INSERT INTO knowledge_vec_384 (chunk_seq, workspace_id, embedding) VALUES (?, ?, ?)`)
          .run(BigInt(chunk.seq), ws, vector);
      }
      for (const t of scopedTables) expect(countOf(db, t, wsA), getTableName(t)).toBeGreaterThan(0);
      const bBefore = snapshot(db, wsB);

      db.sqlite.prepare('DELETE FROM workspaces WHERE id = ?').run(wsA);

      const leftovers = scopedTables.filter((t) => countOf(db, t, wsA) > 0).map((t) => getTableName(t));
      expect(leftovers).toEqual([]);
      expect(snapshot(db, wsB)).toBe(bBefore);
      for (const f of FTS_SOURCES) {
        const hits = (token: string) =>
          (db.sqlite.prepare(`SELECT count(*) AS n FROM ${f.fts} WHERE ${f.fts} MATCH ?`).get(token) as { n: number }).n;
        expect(hits('alphaonly'), f.fts).toBe(0);
        expect(hits('bravoonly'), f.fts).toBeGreaterThan(0);
        db.sqlite.prepare(`INSERT INTO ${f.fts}(${f.fts}, rank) VALUES ('integrity-check', 1)`).run();
      }
      const vecCount = (ws: string) =>
        (db.sqlite.prepare(`SELECT count(*) AS n FROM knowledge_vec_384 WHERE workspace_id = ?`).get(ws) as { n: number })
          .n;
      expect(vecCount(wsA)).toBe(0);
      expect(vecCount(wsB)).toBe(1);
      expect(db.sqlite.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.cleanup();
    }
  });
});
