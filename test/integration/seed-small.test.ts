// The demo generator at small scale, into a real migrated file: it writes what it promises, the
// file is intact, search finds what was seeded, inbox counters agree with the messages, and the
// same seed gives the same workspace.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { getTableName } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client';
import { scopedTables } from '../../db/scope';
import { closeVectorWorkers, knnSearch, searchText } from '../../db/search';
import { SCALES, seedDemo, type SeedResult } from '../../db/seed';
import { localEmbedder } from '../../electron/core/knowledge/local-embedder';
import { tempDir } from '../helpers/db';

const NOW = Date.UTC(2025, 4, 15, 12, 0, 0);
const small = SCALES.small;

let tmp: ReturnType<typeof tempDir>;
let db: Database;
let seeded: SeedResult;
let seedMs: number;

function open(name: string): Database {
  return openDatabase({ file: join(tmp.dir, name) });
}

/** One hash per workspace-scoped table: every column of every row, in rowid order. */
function fingerprint(d: Database, workspaceId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of scopedTables) {
    const name = getTableName(t);
    const rows = d.sqlite.prepare(`SELECT * FROM "${name}" WHERE workspace_id = ? ORDER BY rowid`).all(workspaceId) as Record<string, unknown>[];
    // putChunkEmbeddings stamps embedded_at with the wall clock: the one value a seed cannot fix.
    for (const r of rows) delete r['embedded_at'];
    out[name] = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  }
  return out;
}

function count(sql: string, ...params: unknown[]): number {
  return (db.sqlite.prepare(sql).get(...params) as { n: number }).n;
}

beforeAll(() => {
  tmp = tempDir('postdesk-seed-');
  db = open('postdesk.db');
  const t0 = performance.now();
  seeded = seedDemo(db, { scale: 'small', seed: 7, now: NOW });
  seedMs = performance.now() - t0;
});

afterAll(async () => {
  await closeVectorWorkers();
  db.close();
  tmp.cleanup();
});

describe('seedDemo at small scale', () => {
  it('given a fresh file, when seeded, then each table holds the counts the scale promises', () => {
    const ws = seeded.workspaceId;
    expect(count(`SELECT count(*) AS n FROM accounts WHERE workspace_id = ?`, ws)).toBe(small.platforms.length);
    expect(count(`SELECT count(*) AS n FROM posts WHERE workspace_id = ?`, ws)).toBe(small.posts);
    expect(count(`SELECT count(*) AS n FROM conversations WHERE workspace_id = ?`, ws)).toBe(small.conversations);
    expect(count(`SELECT count(*) AS n FROM conversation_messages WHERE workspace_id = ?`, ws)).toBe(small.messages);
    expect(count(`SELECT count(*) AS n FROM comments WHERE workspace_id = ?`, ws)).toBe(small.comments);
    expect(count(`SELECT count(*) AS n FROM knowledge_chunks WHERE workspace_id = ?`, ws)).toBe(small.chunks);
    expect(count(`SELECT count(*) AS n FROM knowledge_vec_384 WHERE workspace_id = ?`, ws)).toBe(small.chunks);
    expect(count(`SELECT count(*) AS n FROM customers WHERE workspace_id = ?`, ws)).toBe(small.customers);
    expect(count(`SELECT count(*) AS n FROM knowledge_chunks WHERE workspace_id = ? AND embedded_at IS NULL`, ws)).toBe(0);
    for (const table of ['campaigns', 'content_templates', 'hashtag_groups', 'customer_identities', 'post_targets', 'post_metrics', 'post_metrics_history', 'monitored_posts', 'ai_decisions', 'jobs', 'knowledge_documents', 'faq_entries']) {
      expect(count(`SELECT count(*) AS n FROM "${table}" WHERE workspace_id = ?`, ws), table).toBeGreaterThan(0);
    }
    // The result reports what is in the file.
    expect(seeded.counts['conversation_messages']).toBe(small.messages);
    expect(seeded.counts['knowledge_vec_384']).toBe(small.chunks);
    expect(seedMs).toBeLessThan(15_000);
  });

  it('given the seeded file, then integrity, foreign keys and every FTS index check out', () => {
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.sqlite.pragma('foreign_key_check')).toEqual([]);
    for (const fts of ['posts_fts', 'messages_fts', 'comments_fts', 'knowledge_fts']) {
      expect(() => db.sqlite.prepare(`INSERT INTO ${fts}(${fts}, rank) VALUES ('integrity-check', 1)`).run(), fts).not.toThrow();
    }
  });

  it('given a demo, then accounts are active with no secrets stored', () => {
    const ws = seeded.workspaceId;
    expect(count(`SELECT count(*) AS n FROM accounts WHERE workspace_id = ? AND status <> 'active'`, ws)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM account_secrets WHERE workspace_id = ?`, ws)).toBe(0);
  });

  it('given the inbox, then unread counts, last message times and previews follow the messages', () => {
    const ws = seeded.workspaceId;
    const mismatched = count(
      `SELECT count(*) AS n FROM conversations c
        WHERE c.workspace_id = ?
          AND (c.unread_count <> (SELECT count(*) FROM conversation_messages m
                                   WHERE m.conversation_id = c.id AND m.direction = 'inbound' AND m.status <> 'read')
            OR c.last_message_at IS NOT (SELECT max(sent_at) FROM conversation_messages m WHERE m.conversation_id = c.id))`,
      ws,
    );
    expect(mismatched).toBe(0);
    const rows = db.sqlite
      .prepare(
        `SELECT c.last_message_preview AS preview,
                (SELECT content FROM conversation_messages m WHERE m.conversation_id = c.id ORDER BY sent_at DESC LIMIT 1) AS last
           FROM conversations c WHERE c.workspace_id = ?`,
      )
      .all(ws) as { preview: string; last: string }[];
    for (const r of rows) expect(r.last.replace(/\s+/g, ' ').startsWith(r.preview.replace(/…$/, ''))).toBe(true);
    // The demo has something to read: open threads with unread messages, none in closed ones.
    expect(count(`SELECT count(*) AS n FROM conversations WHERE workspace_id = ? AND status = 'open' AND unread_count > 0`, ws)).toBeGreaterThan(10);
    expect(count(`SELECT count(*) AS n FROM conversations WHERE workspace_id = ? AND status = 'closed' AND unread_count > 0`, ws)).toBe(0);
    // Messages went in in the order they were sent (seq order is time order).
    expect(count(`SELECT count(*) AS n FROM conversation_messages a JOIN conversation_messages b ON b.seq = a.seq + 1 WHERE a.workspace_id = ? AND b.sent_at < a.sent_at`, ws)).toBe(0);
  });

  it('given the calendar, then past posts are published with platform ids and metrics, future ones are scheduled', () => {
    const ws = seeded.workspaceId;
    expect(count(`SELECT count(*) AS n FROM posts WHERE workspace_id = ? AND status = 'scheduled' AND publish_at > ?`, ws, NOW)).toBeGreaterThan(0);
    expect(count(`SELECT count(*) AS n FROM posts WHERE workspace_id = ? AND status = 'draft' AND publish_at IS NULL`, ws)).toBeGreaterThan(0);
    expect(count(`SELECT count(*) AS n FROM post_targets WHERE workspace_id = ? AND status = 'published' AND (platform_post_id IS NULL OR platform_url IS NULL OR published_at > ?)`, ws, NOW)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM post_targets t WHERE t.workspace_id = ? AND t.status = 'published' AND NOT EXISTS (SELECT 1 FROM post_metrics p WHERE p.target_id = t.id)`, ws)).toBe(0);
    // post_metrics.comments counts the comments seeded on the post.
    expect(count(`SELECT count(*) AS n FROM post_metrics p WHERE p.workspace_id = ? AND p.comments <> (SELECT count(*) FROM comments c WHERE c.target_id = p.target_id)`, ws)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM comments WHERE workspace_id = ? AND commented_at > ?`, ws, NOW)).toBe(0);
  });

  it('given seeded words, when searched through db/search, then messages, comments, posts and knowledge find them', async () => {
    const ws = seeded.workspaceId;
    const hits = searchText(db, { workspaceId: ws, target: 'messages', query: 'sourdough workshop' });
    expect(hits.length).toBeGreaterThan(0);
    const contents = db.sqlite
      .prepare(`SELECT content FROM conversation_messages WHERE seq IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(hits.map((h) => h.seq))) as { content: string }[];
    for (const c of contents) expect(c.content.toLowerCase()).toMatch(/sourdough[\s\S]*workshop|workshop[\s\S]*sourdough/);
    expect(searchText(db, { workspaceId: ws, target: 'comments', query: 'oven' }).length).toBeGreaterThan(0);
    expect(searchText(db, { workspaceId: ws, target: 'posts', query: 'croissant' }).length).toBeGreaterThan(0);
    expect(searchText(db, { workspaceId: ws, target: 'knowledge', query: 'coeliac' }).length).toBeGreaterThan(0);

    const [vector] = localEmbedder.embed(['What are your opening hours on Sunday?']);
    const near = await knnSearch(db, { workspaceId: ws, vector: vector as Float32Array, k: 5 });
    expect(near).toHaveLength(5);
    const top = db.sqlite.prepare(`SELECT content FROM knowledge_chunks WHERE id = ?`).get(near[0]?.chunkId) as { content: string };
    expect(top.content.toLowerCase()).toMatch(/open|hours|sunday/);
  });

  it('given the same seed and clock, when seeded again into another file, then every row and id is the same', () => {
    const again = open('again.db');
    const other = open('other.db');
    try {
      const r2 = seedDemo(again, { scale: 'small', seed: 7, now: NOW });
      expect(r2.workspaceId).toBe(seeded.workspaceId);
      expect(fingerprint(again, r2.workspaceId)).toEqual(fingerprint(db, seeded.workspaceId));
      const r3 = seedDemo(other, { scale: 'small', seed: 8, now: NOW });
      expect(r3.workspaceId).not.toBe(seeded.workspaceId);
      const a = fingerprint(other, r3.workspaceId);
      const b = fingerprint(db, seeded.workspaceId);
      expect(a['conversation_messages']).not.toBe(b['conversation_messages']);
    } finally {
      again.close();
      other.close();
    }
  });

  it('given a database with a workspace already, when seeded, then the new workspace is added beside it', () => {
    const r = seedDemo(db, { scale: 'small', seed: 9, now: NOW, brand: 'yoga', workspaceName: 'Second brand' });
    expect(r.workspaceId).not.toBe(seeded.workspaceId);
    expect(count(`SELECT count(*) AS n FROM workspaces`)).toBe(2);
    expect(count(`SELECT count(*) AS n FROM conversation_messages WHERE workspace_id = ?`, r.workspaceId)).toBe(small.messages);
    expect(count(`SELECT count(*) AS n FROM knowledge_vec_384 WHERE workspace_id = ?`, r.workspaceId)).toBe(small.chunks);
    expect(searchText(db, { workspaceId: r.workspaceId, target: 'messages', query: 'vinyasa' }).length).toBeGreaterThan(0);
    // Nothing of the first workspace matches the second brand's words.
    expect(searchText(db, { workspaceId: seeded.workspaceId, target: 'messages', query: 'vinyasa' })).toEqual([]);
  });
});
