// The inbox list at the scale: 100k conversations in one workspace. Every statement the
// list runs must walk conversations_list_idx without sorting (EXPLAIN QUERY PLAN), and reading a
// window anywhere in the list (offset 0, the middle, 99,900) must stay quick, the count included.
// Timings are printed; the limits are generous (several times what a loaded laptop measures) so
// they catch a plan gone wrong (a table scan, a sort of 100k rows), not machine noise.
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxCounts, listConversations } from '../../electron/core/inbox/list';
import { createWorkspace } from '../../electron/core/workspaces/workspaces';
import type { InboxView } from '../../electron/core/inbox/views';
import { openTestDb } from '../helpers/db';
import { addAccount } from '../helpers/inbox-threads';

const N = 100_000;
const T0 = Date.UTC(2025, 0, 1);
const SNOOZED_UNTIL = Date.now() + 30 * 24 * 3_600_000;
let db: ReturnType<typeof openTestDb>;
let workspaceId: string;
let snoozed = 0;

beforeAll(() => {
  db = openTestDb();
  workspaceId = createWorkspace(db, { name: 'Big Bakery', businessType: 'bakery', brandVoice: 'friendly', timezone: 'UTC' }).id;
  const accountIds = (['instagram', 'facebook', 'bluesky', 'mastodon', 'x'] as const).map((p) => addAccount(db, workspaceId, p, `big.${p}`));
  const insert = db.sqlite.prepare(
    `INSERT INTO conversations (id, workspace_id, account_id, customer_identifier, status, priority, tags, triage, unread_count, last_message_at, snoozed_until, metadata)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const kinds = ['dm', 'dm', 'dm', 'comment_thread', 'mention'];
  db.sqlite.transaction(() => {
    for (let i = 0; i < N; i++) {
      const status = i % 10 < 7 ? 'closed' : i % 10 < 9 ? 'open' : 'pending';
      // Everything but the status varies by tens, so every tab holds every kind of thread.
      const g = Math.floor(i / 10);
      const sleeps = status === 'open' && g % 7 === 3;
      if (sleeps) snoozed += 1;
      insert.run(
        `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`,
        workspaceId,
        accountIds[g % accountIds.length],
        `person-${i}`,
        status,
        ['low', 'normal', 'normal', 'high', 'urgent'][g % 5],
        JSON.stringify(g % 13 === 0 ? ['wedding', 'cake'] : g % 7 === 0 ? ['refund'] : []),
        [null, 'respond', 'ignore', 'escalate'][g % 4],
        i % 3 === 0 ? 1 + (i % 4) : 0,
        // Some share a moment, as a burst of mentions does.
        T0 + Math.floor(i / 2) * 60_000,
        sleeps ? SNOOZED_UNTIL : null,
        JSON.stringify({ kind: kinds[(g * 7) % kinds.length] }),
      );
    }
  })();
  expect(db.sqlite.prepare('SELECT count(*) FROM conversations').pluck().get()).toBe(N);
  // As a database in use is: its write-ahead log folded in.
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
}, 120_000);
afterAll(() => db?.cleanup());

/** The SQL of every statement `fn` prepares on the connection. */
function statementsOf(sqlite: BetterSqlite3.Database, fn: () => void): string[] {
  const seen: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    seen.push(source);
    return prepare(source);
  }) as typeof sqlite.prepare;
  try {
    fn();
  } finally {
    sqlite.prepare = prepare;
  }
  return seen;
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
}

/** A write elsewhere, so the next list counts afresh (the kept totals are for unchanged data). */
function touch(): void {
  db.sqlite.prepare(`UPDATE workspaces SET name = name WHERE id = ?`).run(workspaceId);
}

describe('the inbox list at 100k conversations', () => {
  it('given every tab and filter, when listed deep into the list, then each statement on conversations walks the list index and sorts nothing', () => {
    const views: InboxView[] = ['open', 'pending', 'snoozed', 'closed', 'all'];
    const filters = [{}, { unreadOnly: true }, { kinds: ['dm' as const] }, { kinds: ['mention' as const] }, { tag: 'wedding' }, { triage: ['ignore' as const] }, { priorities: ['urgent' as const] }, { platforms: ['bluesky' as const] }];
    for (const view of views) {
      for (const f of filters) {
        touch();
        const input = { workspaceId, view, limit: 100, ...f };
        const { total } = listConversations(db, { ...input, offset: 0 });
        expect(total, `${view} ${JSON.stringify(f)}`).toBeGreaterThan(100);
        touch();
        // Near the top (read newest first) and near the end (read from the far end, oldest first).
        const sqls = statementsOf(db.sqlite, () => {
          listConversations(db, { ...input, offset: 50 });
          listConversations(db, { ...input, offset: total - 120 });
        });
        const onList = sqls.filter((s) => /INDEXED BY conversations_list_idx/.test(s));
        expect(onList.length, `${view} ${JSON.stringify(f)}`).toBeGreaterThanOrEqual(3);
        for (const sql of onList) {
          const plan = (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...placeholders(sql)) as { detail: string }[]).map((r) => r.detail).join('\n');
          expect(plan, `${view} ${JSON.stringify(f)}`).toContain('conversations_list_idx');
          expect(plan, `${view} ${JSON.stringify(f)}`).not.toMatch(/TEMP B-TREE|SCAN conversations/);
        }
      }
    }
  });

  it('given the All tab of 100k, when windows are read from the top, the middle and offset 99,900, then each costs a fraction of the plain query, counting included', () => {
    // The plain query, as an ORM would write it: reads every row and sorts them for each window.
    const plain = db.sqlite.prepare(`SELECT * FROM conversations WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY last_message_at DESC, id DESC LIMIT 100 OFFSET ?`);
    const report: string[] = [];
    const figures: { offset: number; baseline: number; cold: number; warm: number }[] = [];
    for (const offset of [0, 50_000, 99_900]) {
      const baseline = median(Array.from({ length: 3 }, () => timed(() => plain.all(workspaceId, offset)).ms));
      touch();
      const cold = timed(() => listConversations(db, { workspaceId, view: 'all', offset, limit: 100 }));
      expect(cold.value.total).toBe(N);
      expect(cold.value.items.map((i) => i.id)).toEqual((plain.all(workspaceId, offset) as { id: string }[]).map((r) => r.id));
      const warm = median(Array.from({ length: 5 }, () => timed(() => listConversations(db, { workspaceId, view: 'all', offset, limit: 100 })).ms));
      figures.push({ offset, baseline, cold: cold.ms, warm });
      report.push(`offset ${offset}: ${cold.ms.toFixed(1)} ms counting, ${warm.toFixed(1)} ms after (plain query ${baseline.toFixed(1)} ms)`);
    }
    touch();
    const counts = timed(() => inboxCounts(db, workspaceId));
    report.push(`tab counts ${counts.ms.toFixed(1)} ms`);
    console.log(`inbox list at 100k: ${report.join('; ')}`);
    expect(snoozed).toBeGreaterThan(1000);
    expect(counts.value).toMatchObject({ closed: 70_000, pending: 10_000, open: 20_000 - snoozed, snoozed });
    // Counting 100k index entries costs about what the plain query's first page does; every
    // window after it, and any window deep in the list, costs a fraction.
    const worst = Math.max(...figures.map((f) => f.baseline));
    for (const f of figures) {
      expect(f.cold, `offset ${f.offset}`).toBeLessThan(worst);
      expect(f.warm * 3, `offset ${f.offset}`).toBeLessThan(f.baseline);
    }
  });
});

/** EXPLAIN needs a value for every parameter; any value gives the plan of the real query. */
function placeholders(sql: string): (string | number)[] {
  return Array.from(sql.matchAll(/\?/g), () => 0);
}
