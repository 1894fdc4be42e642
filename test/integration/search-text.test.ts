// Full-text search against a real migrated database file: any string a user can type is safe,
// nothing matches that should not, words and phrases are found, and one workspace never sees
// another's rows.
import fc from 'fast-check';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FTS_COMMON_TERM_ROWS, searchText, snippetParts, type TextTarget } from '../../db/search';
import { openTestDb } from '../helpers/db';

type TestDb = ReturnType<typeof openTestDb>;

const TEXTS = [
  'Our refund policy: full refunds within 30 days of purchase, no questions asked.',
  'The café is NOT open on Sundays; come by Monday to Saturday from 8am.',
  'Shipping to Canada takes 5 to 7 business days with tracking.',
  'Use code SPRING20 for 20% off all "limited edition" candles this week!',
  'We do NOT ship perishable goods near the holidays, sorry.',
  'Pricing starts at $19/month for the starter plan (billed yearly).',
  'Thanks for the kind review 😀 — see you soon at the bakery',
  'Opening hours change for the holidays: closed Dec 25 and Jan 1.',
  'Crème brûlée is back on the dessert menu',
  'content:secret is not a column filter here, just text',
];

const TARGETS: TextTarget[] = ['posts', 'messages', 'comments', 'knowledge'];

let db: TestDb;
let wsA: string;
let wsB: string;
/** seq -> text, per target, for the oracle below. */
const stored = new Map<TextTarget, Map<number, string>>();

function insertWorkspace(name: string): string {
  const id = uuidv7();
  db.sqlite.prepare(`INSERT INTO workspaces(id, name) VALUES (?, ?)`).run(id, name);
  return id;
}

/** One row per text in every searchable table of a workspace; returns seq -> text per target. */
function seed(ws: string, texts: string[]): void {
  const s = db.sqlite;
  const account = uuidv7();
  s.prepare(`INSERT INTO accounts(id, workspace_id, platform, platform_account_id) VALUES (?, ?, 'instagram', ?)`).run(account, ws, account);
  const conversation = uuidv7();
  s.prepare(`INSERT INTO conversations(id, workspace_id, account_id, customer_identifier) VALUES (?, ?, ?, 'cust-1')`).run(conversation, ws, account);
  const doc = uuidv7();
  s.prepare(`INSERT INTO knowledge_documents(id, workspace_id, title) VALUES (?, ?, 'FAQ')`).run(doc, ws);
  const put = (target: TextTarget, seq: number | bigint, text: string) => {
    let m = stored.get(target);
    if (!m) stored.set(target, (m = new Map()));
    m.set(Number(seq), text);
  };
  s.transaction(() => {
    texts.forEach((text, i) => {
      put('posts', s.prepare(`INSERT INTO posts(id, workspace_id, content) VALUES (?, ?, ?)`).run(uuidv7(), ws, text).lastInsertRowid, text);
      put(
        'messages',
        s
          .prepare(`INSERT INTO conversation_messages(id, workspace_id, conversation_id, direction, content, sent_at) VALUES (?, ?, ?, 'inbound', ?, ?)`)
          .run(uuidv7(), ws, conversation, text, Date.now()).lastInsertRowid,
        text,
      );
      put(
        'comments',
        s
          .prepare(`INSERT INTO comments(id, workspace_id, account_id, platform, platform_comment_id, text, commented_at) VALUES (?, ?, ?, 'instagram', ?, ?, ?)`)
          .run(uuidv7(), ws, account, uuidv7(), text, Date.now()).lastInsertRowid,
        text,
      );
      put(
        'knowledge',
        s
          .prepare(`INSERT INTO knowledge_chunks(id, workspace_id, document_id, chunk_index, content) VALUES (?, ?, ?, ?, ?)`)
          .run(uuidv7(), ws, doc, i, text).lastInsertRowid,
        text,
      );
    });
  })();
}

/** What unicode61 with remove_diacritics does, closely enough to check a hit really matches. */
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
const tokens = (s: string) => fold(s).split(/[^\p{L}\p{N}\p{Co}]+/u).filter(Boolean);

/** Every hit of an 'all' query contains every complete word the user typed (the last one may be
 *  a prefix still being typed). */
function assertHitsMatch(target: TextTarget, query: string, hits: { seq: number }[]): void {
  const words = tokens(query.slice(0, 512));
  for (const h of hits) {
    const text = stored.get(target)?.get(h.seq);
    expect(text, `hit ${h.seq} is a row of this workspace`).toBeDefined();
    const have = tokens(text ?? '');
    words.forEach((w, i) => {
      const ok = i === words.length - 1 ? have.some((t) => t.startsWith(w)) : have.includes(w);
      expect(ok, `"${query}" hit "${text}" without "${w}"`).toBe(true);
    });
  }
}

beforeAll(() => {
  db = openTestDb();
  wsA = insertWorkspace('Bakery');
  wsB = insertWorkspace('Other client');
  seed(wsA, TEXTS);
  // Workspace B holds one marker text that A must never see.
  seed(wsB, ['zebra marker only in workspace B', 'refund policy of workspace B']);
});
afterAll(() => db?.cleanup());

describe('searchText', () => {
  it.each(TARGETS)('given %s, when searching a word, then the row is found with a highlighted snippet', (target) => {
    const hits = searchText(db, { workspaceId: wsA, target, query: 'shipping' });
    expect(hits).toHaveLength(1);
    const hit = hits[0];
    expect(stored.get(target)?.get(hit?.seq ?? -1)).toContain('Shipping to Canada');
    expect(hit?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(snippetParts(hit?.snippet ?? '')).toContainEqual({ text: 'Shipping', hit: true });
    expect(typeof hit?.rank).toBe('number');
  });

  it.each(TARGETS)('given %s, when searching a quoted phrase, then only the exact phrase matches', (target) => {
    expect(searchText(db, { workspaceId: wsA, target, query: '"business days"' })).toHaveLength(1);
    expect(searchText(db, { workspaceId: wsA, target, query: '"days business"' })).toHaveLength(0);
    expect(searchText(db, { workspaceId: wsA, target, query: '"limited edition" candles' })).toHaveLength(1);
  });

  it('given accents and case, when searching, then they are folded', () => {
    expect(searchText(db, { workspaceId: wsA, target: 'posts', query: 'CREME BRULEE' })).toHaveLength(1);
    expect(searchText(db, { workspaceId: wsA, target: 'posts', query: 'cafe' })).toHaveLength(1);
  });

  it('given a word being typed, when searching, then the last word matches as a prefix', () => {
    expect(searchText(db, { workspaceId: wsA, target: 'messages', query: 'refu' })).toHaveLength(1);
    expect(searchText(db, { workspaceId: wsA, target: 'messages', query: 'refu ' })).toHaveLength(0);
  });

  it('given FTS operators typed as words, when searching, then they are matched as words', () => {
    // Three texts contain "not": an operator reading would return the other seven, or throw.
    const notHits = searchText(db, { workspaceId: wsA, target: 'posts', query: 'NOT' });
    expect(notHits).toHaveLength(3);
    assertHitsMatch('posts', 'NOT', notHits);
    // "ship NOT perishable" as words: only the text holding all three.
    const hits = searchText(db, { workspaceId: wsA, target: 'posts', query: 'ship NOT perishable' });
    expect(hits).toHaveLength(1);
    // "OR" is a word too: nothing contains both "refund" and "or" and "pricing".
    expect(searchText(db, { workspaceId: wsA, target: 'posts', query: 'refund OR pricing' })).toHaveLength(0);
    expect(searchText(db, { workspaceId: wsA, target: 'posts', query: 'NEAR(the holidays)' })).toHaveLength(1);
    expect(searchText(db, { workspaceId: wsA, target: 'posts', query: 'content:secret' })).toHaveLength(1);
  });

  it('given two workspaces, when searching one, then the other one\'s rows never appear', () => {
    for (const target of TARGETS) {
      expect(searchText(db, { workspaceId: wsA, target, query: 'zebra' })).toEqual([]);
      const b = searchText(db, { workspaceId: wsB, target, query: 'zebra' });
      expect(b).toHaveLength(1);
      const refunds = searchText(db, { workspaceId: wsA, target, query: 'refund policy' });
      expect(refunds.map((h) => stored.get(target)?.get(h.seq))).toEqual([TEXTS[0]]);
    }
  });

  it('given hostile input, when searching every target, then nothing throws and nothing matches wrongly', () => {
    const hostile = [
      '"', '""', '"""', "'", '\'; DROP TABLE posts; --', 'a"b', '"unclosed phrase', 'AND', 'OR', 'NOT', 'NEAR', 'NEAR(a b, 5)',
      'NOT NOT NOT', '* ', '*', 'refund*', '^refund', 'content:refund', 'text:refund', '{content}: refund', '(refund', ')', '()',
      'refund AND', 'OR refund', '- refund', '+refund', 'refund\u0000policy', '\u0000', '\u0000\u0000"\u0000', 'x\uD800y', '\uDFFF',
      '😀', '😀 review', '👨‍👩‍👧', '\u202Eevil', 'ǅemo', 'ｆｕｌｌ', 'x'.repeat(10_240), '"'.repeat(10_240), 'refund '.repeat(2000),
      '\u0000'.repeat(10_240), 'NEAR('.repeat(2048), ' '.repeat(10_240), '\\', '%', '_', '\n\r\t', 'SELECT * FROM posts',
    ];
    for (const target of TARGETS) {
      for (const query of hostile) {
        let hits: { seq: number }[] = [];
        expect(() => (hits = searchText(db, { workspaceId: wsA, target, query })), JSON.stringify(query.slice(0, 40))).not.toThrow();
        assertHitsMatch(target, query, hits);
      }
    }
    // The word inside the noise is still found.
    expect(searchText(db, { workspaceId: wsA, target: 'posts', query: 'refund\u0000' })).toHaveLength(1);
    expect(searchText(db, { workspaceId: wsA, target: 'posts', query: '😀 review' })).toHaveLength(1);
  });

  it('given arbitrary strings, when searching, then nothing throws and every hit holds the words', () => {
    const words = fc.constantFrom('refund', 'NOT', 'OR', 'AND', 'NEAR', '"', '*', '^', ':', '(', ')', 'café', 'days', '\u0000', '😀', 'holidays', ' ');
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(words, { maxLength: 12 }).map((w) => w.join(' '))),
        fc.constantFrom(...TARGETS),
        (query, target) => {
          const hits = searchText(db, { workspaceId: wsA, target, query });
          assertHitsMatch(target, query, hits);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('given a soft-deleted post, when searching, then it is not found', () => {
    const id = uuidv7();
    db.sqlite.prepare(`INSERT INTO posts(id, workspace_id, content, deleted_at) VALUES (?, ?, 'archived walrus announcement', ?)`).run(id, wsA, Date.now());
    expect(searchText(db, { workspaceId: wsA, target: 'posts', query: 'walrus' })).toEqual([]);
    db.sqlite.prepare(`UPDATE posts SET deleted_at = NULL WHERE id = ?`).run(id);
    expect(searchText(db, { workspaceId: wsA, target: 'posts', query: 'walrus' }).map((h) => h.id)).toEqual([id]);
  });

  it('given several matches, when searching, then the closer match ranks first and limit applies', () => {
    const s = db.sqlite;
    const a = uuidv7();
    const b = uuidv7();
    s.prepare(`INSERT INTO posts(id, workspace_id, content) VALUES (?, ?, ?)`).run(a, wsA, 'giraffe giraffe giraffe: the giraffe sale');
    s.prepare(`INSERT INTO posts(id, workspace_id, content) VALUES (?, ?, ?)`).run(b, wsA, 'a long post about many things in the shop, and somewhere a giraffe, among lots of other words that dilute it');
    const hits = searchText(db, { workspaceId: wsA, target: 'posts', query: 'giraffe' });
    expect(hits.map((h) => h.id)).toEqual([a, b]);
    expect(hits[0]?.rank).toBeLessThan(hits[1]?.rank ?? 0);
    expect(searchText(db, { workspaceId: wsA, target: 'posts', query: 'giraffe', limit: 1 })).toHaveLength(1);
  });

  it('given a word in more rows than can be ranked cheaply, when searching, then the newest matches come first', () => {
    const s = db.sqlite;
    const ins = s.prepare(`INSERT INTO posts(id, workspace_id, content) VALUES (?, ?, ?)`);
    const ids: string[] = [];
    s.transaction(() => {
      for (let i = 0; i <= FTS_COMMON_TERM_ROWS + 10; i++) {
        const id = uuidv7();
        ids.push(id);
        ins.run(id, wsA, `weekly muffin special number ${i}${i % 2 ? ' with blueberries' : ''}`);
      }
    })();
    const hits = searchText(db, { workspaceId: wsA, target: 'posts', query: 'muffin', limit: 5 });
    expect(hits.map((h) => h.id)).toEqual(ids.slice(-5).reverse());
    expect(hits.every((h) => h.rank === null)).toBe(true);
    // A rare word beside the common one is still required (AND), newest first.
    const both = searchText(db, { workspaceId: wsA, target: 'posts', query: 'muffin blueberries', limit: 3 });
    expect(both.map((h) => h.id)).toEqual(ids.filter((_, i) => i % 2 === 1).slice(-3).reverse());
    // In OR mode the rare term alone ranks (bm25).
    const any = searchText(db, { workspaceId: wsA, target: 'posts', query: 'muffin giraffe', match: 'any', prefix: false });
    expect(any.length).toBeGreaterThan(0);
    expect(any.every((h) => typeof h.rank === 'number')).toBe(true);
  });
});
