// The FTS5 and vec0 tables of migrations/0001_search.sql follow their source tables through
// inserts, text edits, unrelated edits and deletes, and `seq` survives VACUUM so the rowids the
// indexes hold keep pointing at the right rows.
import { eq, getTableName } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { comments, conversationMessages, knowledgeChunks, posts } from '../../db/schema';
import { openTestDb } from '../helpers/db';
import { insertWorkspace, RowFactory } from '../helpers/rows';

type Db = ReturnType<typeof openTestDb>;

const SOURCES = [
  { fts: 'posts_fts', table: posts, key: 'content', col: 'content' },
  { fts: 'messages_fts', table: conversationMessages, key: 'content', col: 'content' },
  { fts: 'comments_fts', table: comments, key: 'text', col: 'text' },
  { fts: 'knowledge_fts', table: knowledgeChunks, key: 'content', col: 'content' },
] as const;

let db: Db;
let factory: RowFactory;
let ws: string;
beforeEach(() => {
  db = openTestDb();
  factory = new RowFactory(db.sqlite);
  ws = insertWorkspace(db.sqlite, 'Searchable Salon');
});
afterEach(() => db.cleanup());

function match(fts: string, query: string): number[] {
  return (db.sqlite.prepare(`SELECT rowid FROM ${fts} WHERE ${fts} MATCH ? ORDER BY rowid`).all(query) as {
    rowid: number;
  }[]).map((r) => r.rowid);
}

function seqOf(table: string, id: unknown): number {
  return (db.sqlite.prepare(`SELECT seq FROM "${table}" WHERE id = ?`).get(id) as { seq: number }).seq;
}

describe.each(SOURCES.map((s) => [s.fts, s] as const))('%s', (_name, s) => {
  const tableName = getTableName(s.table);

  it('given a new row, when its words are searched (accents folded), then it is found by its seq', () => {
    const row = factory.insert(s.table, ws, { values: { [s.key]: 'Crème brûlée every Friday' } });
    expect(match(s.fts, 'creme brulee')).toEqual([seqOf(tableName, row.id)]);
  });

  it('given a row whose text is edited, when searched, then the new words match and the old ones do not', () => {
    const row = factory.insert(s.table, ws, { values: { [s.key]: 'sourdough loaves' } });
    db.sqlite.prepare(`UPDATE "${tableName}" SET "${s.col}" = ? WHERE id = ?`).run('rye crackers', row.id);
    expect(match(s.fts, 'sourdough')).toEqual([]);
    expect(match(s.fts, 'rye')).toEqual([seqOf(tableName, row.id)]);
    db.sqlite.prepare(`UPDATE "${tableName}" SET updated_at = 1 WHERE id = ?`).run(row.id);
    expect(match(s.fts, 'rye')).toEqual([seqOf(tableName, row.id)]);
  });

  it('given rows deleted in the middle, when the file is vacuumed, then seq is unchanged and search still points at the right rows', () => {
    const rows = ['alpha one', 'bravo two', 'charlie three', 'delta four'].map((t) =>
      factory.insert(s.table, ws, { values: { [s.key]: t } }),
    );
    const seqs = rows.map((r) => seqOf(tableName, r.id));
    db.sqlite.prepare(`DELETE FROM "${tableName}" WHERE id = ?`).run(rows[1]!.id);
    db.sqlite.exec('VACUUM');
    expect([0, 2, 3].map((i) => seqOf(tableName, rows[i]!.id))).toEqual([seqs[0], seqs[2], seqs[3]]);
    expect(match(s.fts, 'bravo')).toEqual([]);
    expect(match(s.fts, 'delta')).toEqual([seqs[3]]);
    db.sqlite.prepare(`INSERT INTO ${s.fts}(${s.fts}, rank) VALUES ('integrity-check', 1)`).run();
  });
});

describe('knowledge_vec_384', () => {
  it('given an embedded chunk, when the chunk (or its document) is deleted, then its vector is gone too', () => {
    const vec = (x: number) => new Float32Array(384).fill(0).map((_, i) => (i === 0 ? 1 : x));
    const insertVec = db.sqlite.prepare(`INSERT INTO knowledge_vec_384 (chunk_seq, workspace_id, embedding) VALUES (?, ?, ?)`);
    const a = factory.insert(knowledgeChunks, ws, { values: { content: 'opening hours' } });
    const b = factory.insert(knowledgeChunks, ws, { values: { content: 'refund policy' } });
    insertVec.run(BigInt(seqOf('knowledge_chunks', a.id)), ws, vec(0.01));
    insertVec.run(BigInt(seqOf('knowledge_chunks', b.id)), ws, vec(0.02));
    const knn = () =>
      (db.sqlite
        .prepare(`SELECT chunk_seq FROM knowledge_vec_384 WHERE embedding MATCH ? AND k = 5 AND workspace_id = ? ORDER BY distance`)
        .all(vec(0.01), ws) as { chunk_seq: number }[]).map((r) => r.chunk_seq);
    expect(knn()).toEqual([seqOf('knowledge_chunks', a.id), seqOf('knowledge_chunks', b.id)]);

    db.orm.delete(knowledgeChunks).where(eq(knowledgeChunks.id, String(a.id))).run();
    expect(knn()).toEqual([seqOf('knowledge_chunks', b.id)]);
    db.sqlite.prepare('DELETE FROM knowledge_documents WHERE id = ?').run(b.documentId);
    expect(knn()).toEqual([]);
  });
});
