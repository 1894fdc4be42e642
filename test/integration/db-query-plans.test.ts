// The hot queries walk an index instead of sorting: checked with EXPLAIN QUERY PLAN on a file with
// enough rows (and ANALYZE statistics) that the planner has a real choice to make.
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inWorkspace } from '../../db/scope';
import { accounts, conversations, jobs, posts } from '../../db/schema';
import { inList } from '../../db/schema/columns';
import { openTestDb } from '../helpers/db';
import { insertWorkspace, RowFactory } from '../helpers/rows';

type Db = ReturnType<typeof openTestDb>;

function planOf(db: Db, query: { toSQL(): { sql: string; params: unknown[] } }): string {
  const { sql, params } = query.toSQL();
  const rows = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

let db: Db;
let ws: string;
beforeAll(() => {
  db = openTestDb();
  const factory = new RowFactory(db.sqlite);
  ws = insertWorkspace(db.sqlite, 'Busy Bistro');
  const other = insertWorkspace(db.sqlite, 'Quiet Quay');
  const account = factory.insert(accounts, ws);
  const insert = db.sqlite.prepare(
    `INSERT INTO conversations (id, workspace_id, account_id, customer_identifier, status, last_message_at, unread_count)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const statuses = ['open', 'open', 'pending', 'closed'];
  db.sqlite.transaction(() => {
    const postStatuses = ['draft', 'scheduled', 'published', 'published', 'failed'] as const;
    const accountStatuses = ['active', 'expired', 'revoked'] as const;
    for (let i = 0; i < 500; i++) {
      factory.insert(posts, ws, { values: { status: postStatuses[i % 5], publishAt: 1_700_000_000_000 + i * 60_000 } });
      factory.insert(accounts, ws, { values: { status: accountStatuses[i % 3], tokenExpiresAt: 1_700_000_000_000 + i } });
      factory.insert(jobs, null, { values: { status: i % 10 === 0 ? 'pending' : 'completed' } });
    }
    for (let i = 0; i < 2000; i++) {
      insert.run(`c-${i}`, i % 5 === 0 ? other : ws, account.id, `customer-${i}`, statuses[i % 4], 1_700_000_000_000 + i * 1000, i % 3);
    }
  })();
  db.sqlite.exec('ANALYZE');
});
afterAll(() => db.cleanup());

describe('query plans', () => {
  it('given open threads with and without unread messages, when the sidebar badge sums unread, then it reads only the unread index', () => {
    const sql = `SELECT count(*) AS threads, coalesce(sum(unread_count), 0) AS unread FROM conversations
                 WHERE workspace_id = ? AND status = 'open' AND unread_count > 0`;
    const plan = (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(ws) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toContain('conversations_unread_idx');
    const expected = db.sqlite
      .prepare(`SELECT count(*) AS threads, coalesce(sum(unread_count), 0) AS unread FROM conversations NOT INDEXED WHERE workspace_id = ? AND status = 'open' AND unread_count > 0`)
      .get(ws);
    expect(db.sqlite.prepare(sql).get(ws)).toEqual(expected);
  });

  it('given many conversations, when the inbox lists 50 open ones by last message, then it walks conversations_inbox_idx with no sort', () => {
    const query = inWorkspace(db.orm, ws)
      .select(conversations, eq(conversations.status, 'open'))
      .orderBy(desc(conversations.lastMessageAt))
      .limit(50);
    const plan = planOf(db, query);
    expect(plan).toContain('USING INDEX conversations_inbox_idx (workspace_id=? AND status=?)');
    expect(plan).not.toContain('TEMP B-TREE');
    const rows = query.all();
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.status === 'open' && r.workspaceId === ws)).toBe(true);
    const times = rows.map((r) => r.lastMessageAt ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('given the scheduler, when it asks for posts due to publish with the literal status list, then it uses the partial posts_due_idx', () => {
    // A partial index is only used when the query's terms imply its WHERE. `status = ?` does (SQLite
    // re-plans with the bound value) but `IN (?, ?)` does not: the list must be literal, which is
    // what inList() from db/schema/columns.ts renders.
    const query = db.orm
      .select({ id: posts.id })
      .from(posts)
      .where(and(inList(posts.status, ['scheduled', 'approved']), lte(posts.publishAt, Date.now())))
      .orderBy(asc(posts.publishAt));
    const plan = planOf(db, query);
    expect(plan).toContain('posts_due_idx');
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it('given the job runner, when it looks for the next due pending job, then it uses the partial jobs_due_idx', () => {
    const query = db.orm
      .select({ id: jobs.id, runAt: jobs.runAt })
      .from(jobs)
      .where(and(eq(jobs.status, 'pending'), lte(jobs.runAt, Date.now())))
      .orderBy(asc(jobs.runAt))
      .limit(1);
    const plan = planOf(db, query);
    expect(plan).toContain('jobs_due_idx');
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it('given the token refresher, when it looks for active tokens about to expire, then it uses accounts_token_expires_idx', () => {
    const query = db.orm
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(eq(accounts.status, 'active'), lte(accounts.tokenExpiresAt, Date.now() + 3_600_000)));
    expect(planOf(db, query)).toContain('accounts_token_expires_idx');
  });
});
