// Search over the local database: full-text (FTS5, bm25), vector kNN (sqlite-vec) and hybrid
// (both fused by reciprocal rank fusion). Every string a user can type goes through toFtsQuery
// first, so FTS5's query language (AND/OR/NOT/NEAR, *, ^, column filters, parentheses) can never
// be reached from a search box: user text only ever becomes quoted string literals.
import type BetterSqlite3 from 'better-sqlite3';
import { knnSearch, type VectorDb } from './vector';

export {
  closeVectorWorkers,
  configureVectorWorkers,
  ensureVectorTable,
  knnSearch,
  putChunkEmbedding,
  putChunkEmbeddings,
  QUANTIZED_MIN_WORK,
  resolveWorkerEntry,
  vectorTableName,
  warmVectorIndex,
  type KnnHit,
  type KnnOptions,
  type PoolConfig,
  type VectorDb,
  WORKER_MIN_WORK,
} from './vector';

// ---------------------------------------------------------------------------------------------
// User input -> FTS5 MATCH expression
// ---------------------------------------------------------------------------------------------

/** Longer input is cut: nobody types more, and every term costs a posting-list walk. */
export const FTS_MAX_INPUT_CHARS = 512;
/** More terms than this add nothing to relevance but multiply the work per query. */
export const FTS_MAX_TERMS = 16;
/** A one-letter prefix expands to a large share of the vocabulary; require two. */
const PREFIX_MIN_CHARS = 2;

export interface FtsQueryOptions {
  /** 'all' (default): every term must match, as a search box does. 'any': OR, ranked by bm25 —
   *  for natural-language questions in hybrid search, where no chunk contains every word. */
  match?: 'all' | 'any';
  /** Treat the last bare word as a prefix while the user is still typing it (default true). */
  prefix?: boolean;
  /** Match word variants: every bare word becomes an OR of its inflected forms, so "cakes"
   *  finds "cake" and "sunday" finds "sundays" (the FTS tables do not stem). Exact forms, not a
   *  prefix query: FTS5 answers those by merging every matching word's doclist, ~15 ms apiece. */
  variants?: boolean;
}

/** A word and its likely English inflections (plural, -ed, -ing, -er, doubled consonants),
 *  built around prefixStem; forms that do not exist simply match nothing. */
export function wordForms(word: string): string[] {
  const w = word.toLowerCase();
  const s = prefixStem(w);
  if (s === w && (!/^\p{L}+$/u.test(w) || w.length < 3)) return [w];
  // bake -> bak + ed/ing/er; policy -> polic + ies
  const b = s.endsWith('e') ? s.slice(0, -1) : s;
  const forms = [w, w.endsWith('s') ? w : w + 's', s, s + 's', b + 'e', b + 'es', b + 'ed', b + 'ing', b + 'ings', b + 'er', b + 'ers', b + 'y', b + 'ies'];
  const last = b[b.length - 1] ?? '';
  // ship -> shipped, shipping; wed -> wedding: a short vowel before a final consonant doubles.
  if (b === s && /[aeiou][b-df-hj-np-tv-z]$/.test(s) && !/[wxy]$/.test(s)) forms.push(s + last + 'ed', s + last + 'ing', s + last + 'ings', s + last + 'er');
  // Sorted, so "cake" and "cakes" give the same group and the query says it once.
  return [...new Set(forms)].sort();
}

/** Cut English inflections so the rest is a prefix of every variant: policies/policy -> polic,
 *  weddings -> wedding, shipping/shipped -> ship. Never below three characters. */
export function prefixStem(word: string): string {
  const w = word.toLowerCase();
  if (!/^\p{L}+$/u.test(w) || w.length < 4) return w;
  let s = w;
  if (/ies$/.test(s)) s = s.slice(0, -3);
  else if (/(s|x|z|ch|sh)es$/.test(s)) s = s.slice(0, -2);
  else if (/[^s]s$/.test(s)) s = s.slice(0, -1);
  else if (/[^aeiou]y$/.test(s)) s = s.slice(0, -1);
  if (/ing$/.test(s) && s.length > 5) s = s.slice(0, -3);
  else if (/ed$/.test(s) && s.length > 4) s = s.slice(0, -2);
  if (s !== w && /([b-df-hj-np-tv-z])\1$/.test(s) && !/(ll|ss)$/.test(s)) s = s.slice(0, -1);
  return s.length >= 3 ? s : w;
}

// unicode61 (the tokenizer of every FTS table here) keeps letters, numbers and private-use
// characters in tokens and treats everything else as a separator; an item without any of them
// would be an empty phrase, which matches nothing.
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;
const NON_TOKEN_CHARS = /[^\p{L}\p{N}\p{Co}]+/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Format characters (zero-width joiners, soft hyphens, bidi marks) sit inside words: drop them so
// "co\u00ADoperate" stays one word. Control and line/paragraph separators separate words.
const FORMAT_CHARS = /\p{Cf}/gu;
const CONTROL_CHARS = /[\p{Cc}\p{Zl}\p{Zp}]/gu;

/** Words that carry no meaning in an OR query: they would match nearly every chunk. */
const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in ' +
    'into is it its me my of on or our so than that the their them then there these they this ' +
    'to us was we were what when where which who why will with would you your'
  ).split(' '),
);

interface Item {
  text: string;
  phrase: boolean;
}

function splitItems(s: string): Item[] {
  const items: Item[] = [];
  const pushWords = (chunk: string) => {
    for (const w of chunk.split(/\s+/u)) if (w) items.push({ text: w, phrase: false });
  };
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('"', i);
    if (open < 0) {
      pushWords(s.slice(i));
      break;
    }
    const close = s.indexOf('"', open + 1);
    if (close < 0) {
      // An unbalanced quote is a typo, not a phrase: the rest are plain words.
      pushWords(s.slice(i, open) + ' ' + s.slice(open + 1));
      break;
    }
    pushWords(s.slice(i, open));
    const phrase = s.slice(open + 1, close).trim();
    if (phrase) items.push({ text: phrase, phrase: true });
    i = close + 1;
  }
  return items;
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * Turn anything a user can type into a safe FTS5 MATCH expression, or null when nothing
 * searchable remains. Each word (or "quoted phrase" the user typed) becomes a string literal, so
 * FTS5 operators typed by the user are plain words; the last bare word becomes a prefix query.
 * Never throws.
 */
export function toFtsQuery(userInput: string, opts: FtsQueryOptions = {}): string | null {
  const terms = ftsTerms(userInput, opts);
  return terms === null ? null : terms.join(opts.match === 'any' ? ' OR ' : ' ');
}

/** The terms of toFtsQuery, each a complete MATCH expression of its own ("word" or "stem" *). */
export function ftsTerms(userInput: string, opts: FtsQueryOptions = {}): string[] | null {
  if (typeof userInput !== 'string' || userInput.length === 0) return null;
  const cleaned = userInput
    .slice(0, FTS_MAX_INPUT_CHARS)
    .replace(LONE_SURROGATE, ' ')
    .replace(FORMAT_CHARS, '')
    .replace(CONTROL_CHARS, ' ')
    .normalize('NFC');
  const stillTyping = !/\s$/u.test(cleaned);

  const any = opts.match === 'any';
  let items = splitItems(cleaned).filter((it) => TOKEN_CHAR.test(it.text));
  if (any) {
    const meaningful = items.filter((it) => it.phrase || !STOPWORDS.has(it.text.toLowerCase()));
    // A question made only of stopwords ("what is it") still searches for them.
    if (meaningful.length > 0) items = meaningful;
  }
  const seen = new Set<string>();
  items = items.filter((it) => {
    const key = `${it.phrase ? 'p' : 'w'}:${it.text.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  items = items.slice(0, FTS_MAX_TERMS);
  if (items.length === 0) return null;

  const parts = items.map((it, idx) => {
    if (opts.variants && !it.phrase) {
      // "Sunday?" is the word sunday; "e-mail" or "don't" stay as typed (a phrase of pieces).
      const pieces = it.text.split(NON_TOKEN_CHARS).filter(Boolean);
      const forms = pieces.length === 1 ? wordForms(pieces[0] ?? '') : [];
      if (forms.length > 1) return `(${forms.map(quote).join(' OR ')})`;
    }
    let expr = quote(it.text);
    const isLast = idx === items.length - 1;
    if (isLast && !it.phrase && opts.prefix !== false && stillTyping) {
      const pieces = it.text.split(NON_TOKEN_CHARS).filter(Boolean);
      const lastPiece = pieces[pieces.length - 1] ?? '';
      if ([...lastPiece].length >= PREFIX_MIN_CHARS) expr += ' *';
    }
    return expr;
  });
  // Variants can fold two words into one stem ("cake cakes"): say it once.
  return [...new Set(parts)];
}

// ---------------------------------------------------------------------------------------------
// Full-text search
// ---------------------------------------------------------------------------------------------

export type TextTarget = 'posts' | 'messages' | 'comments' | 'knowledge';

/** Base table and its FTS5 external-content table (content_rowid = seq), per target, with the
 *  indexed column and the AFTER INSERT trigger that keeps it in step (migrations/0001_search.sql). */
const TARGETS: Record<TextTarget, { table: string; fts: string; column: string; insertTrigger: string }> = {
  posts: { table: 'posts', fts: 'posts_fts', column: 'content', insertTrigger: 'posts_fts_ai' },
  messages: { table: 'conversation_messages', fts: 'messages_fts', column: 'content', insertTrigger: 'messages_fts_ai' },
  comments: { table: 'comments', fts: 'comments_fts', column: 'text', insertTrigger: 'comments_fts_ai' },
  knowledge: { table: 'knowledge_chunks', fts: 'knowledge_fts', column: 'content', insertTrigger: 'knowledge_fts_ai' },
};

/** A bulk insert into a full-text-indexed table whose rows get seq values in one known range. */
export interface BulkFtsRange {
  table: string;
  /** Every row with seq in [from, to] after the load is one the load inserted. */
  from: number;
  to: number;
}

/**
 * Index a bulk load's rows in one pass instead of row by row. The insert trigger costs ~20 µs a
 * row through the FTS5 virtual-table interface; indexing the same rows with one INSERT ... SELECT
 * afterwards is ~8× faster (200k inbox messages: 4.0 s against 0.5 s). Call inside the load's
 * transaction: the triggers are dropped before `load` and recreated from their own SQL after it,
 * so other connections never see them missing and a rollback restores them.
 */
export function withBulkFtsIndexing<T>(sqlite: BetterSqlite3.Database, ranges: BulkFtsRange[], load: () => T): T {
  if (!sqlite.inTransaction) throw new Error('withBulkFtsIndexing must run inside the load transaction');
  const targets = Object.values(TARGETS).filter((t) => ranges.some((r) => r.table === t.table));
  const saved = targets.map((t) => {
    const row = sqlite.prepare<[string], { sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`).get(t.insertTrigger);
    if (!row) throw new Error(`the full-text trigger ${t.insertTrigger} is missing`);
    sqlite.exec(`DROP TRIGGER ${t.insertTrigger}`);
    return { target: t, sql: row.sql };
  });
  const result = load();
  for (const { target: t, sql } of saved) {
    for (const r of ranges.filter((x) => x.table === t.table)) {
      sqlite.prepare(`INSERT INTO ${t.fts}(rowid, ${t.column}) SELECT seq, ${t.column} FROM ${t.table} WHERE seq BETWEEN ? AND ?`).run(r.from, r.to);
    }
    sqlite.exec(sql);
  }
  return result;
}

/** Snippet highlight markers: control characters never appear in stored text a user typed, and
 *  unlike HTML tags they cannot inject markup if a view forgets to escape. See snippetParts. */
export const SNIPPET_OPEN = '\u0002';
export const SNIPPET_CLOSE = '\u0003';

export interface TextSearchOptions extends FtsQueryOptions {
  workspaceId: string;
  target: TextTarget;
  query: string;
  /** Default 20, at most 200. */
  limit?: number;
  /** Tokens of context in the snippet (default 12, at most 64). */
  snippetTokens?: number;
}

/**
 * bm25 is costly for common terms: FTS5 computes each term's document frequency by visiting every
 * row that contains it (~0.8 µs each), then reads the size record of every match (~1 µs each). A
 * word found in 250k of 1M messages takes ~300-500 ms to rank that way. So a term found in more
 * than this many rows is "common": text search then lists the newest matches first (in an inbox
 * those are the ones people look for) with rank null, and hybrid search leaves common terms out
 * (their idf weight is near zero anyway). Telling whether a term is common walks at most this
 * many doclist entries, well under a millisecond.
 */
export const FTS_COMMON_TERM_ROWS = 1000;

export interface TextHit {
  id: string;
  seq: number;
  /** FTS5 bm25: more negative is a better match; hits come best first. null when a search term
   *  is too common to rank cheaply (see FTS_COMMON_TERM_ROWS): hits then come newest first. */
  rank: number | null;
  /** Matching excerpt, hits wrapped in SNIPPET_OPEN / SNIPPET_CLOSE. */
  snippet: string;
}

export type SearchDb = Pick<VectorDb, 'sqlite'>;

const softDeleteCache = new WeakMap<BetterSqlite3.Database, Map<string, boolean>>();

/** Soft-deleted rows (deleted_at set) must not surface in search, where a table has the column. */
function hasDeletedAt(sqlite: BetterSqlite3.Database, table: string): boolean {
  let perDb = softDeleteCache.get(sqlite);
  if (!perDb) softDeleteCache.set(sqlite, (perDb = new Map()));
  let has = perDb.get(table);
  if (has === undefined) {
    const cols = sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[];
    has = cols.some((c) => c.name === 'deleted_at');
    perDb.set(table, has);
  }
  return has;
}

function clampInt(v: number | undefined, def: number, min: number, max: number): number {
  if (v === undefined || !Number.isFinite(v)) return def;
  return Math.min(max, Math.max(min, Math.trunc(v)));
}

/** FTS5 reports malformed MATCH expressions as SQLITE_ERROR "fts5: ..."; only those are user
 *  input problems, anything else (missing table, I/O) is a real failure and propagates. */
function isFtsSyntaxError(err: unknown): boolean {
  return err instanceof Error && /^fts5: /.test(err.message);
}

/** Ranked full-text hits in one workspace. Any user string is safe; garbage finds nothing. */
export function searchText(db: SearchDb, opts: TextSearchOptions): TextHit[] {
  const target = TARGETS[opts.target];
  if (!target) throw new Error(`unknown search target: ${String(opts.target)}`);
  const terms = ftsTerms(opts.query, opts);
  if (terms === null) return [];
  const limit = clampInt(opts.limit, 20, 1, 200);
  const tokens = clampInt(opts.snippetTokens, 12, 1, 64);
  const any = opts.match === 'any';
  try {
    // FTS5 answers a prefix query by merging the doclists of every word with that prefix (no
    // prefix index here), ~20 ms for a word in 25% of 1M rows. When the word as typed is already
    // common, its exact form fills the page by itself: search that instead.
    const last = terms[terms.length - 1];
    if (last?.endsWith(' *')) {
      const exact = last.slice(0, -2);
      if (isCommonTerm(db.sqlite, target.fts, exact)) terms[terms.length - 1] = exact;
    }
    const common = terms.filter((t) => isCommonTerm(db.sqlite, target.fts, t));
    if (any && common.length > 0 && common.length < terms.length) {
      // OR: the rare terms carry the ranking; the common ones would only slow it down.
      const rare = terms.filter((t) => !common.includes(t));
      return ftsQuery(db.sqlite, target, rare.join(' OR '), opts.workspaceId, limit, tokens, 'rank');
    }
    const match = terms.join(any ? ' OR ' : ' ');
    return ftsQuery(db.sqlite, target, match, opts.workspaceId, limit, tokens, common.length > 0 ? 'recent' : 'rank');
  } catch (err) {
    if (isFtsSyntaxError(err)) return [];
    throw err;
  }
}

/** Rows bm25 may rank for the full-text half of a hybrid search (~3 µs each with idf). */
const HYBRID_FTS_ROW_BUDGET = 2000;

/** How many rows (of any workspace) a term matches, counting no further than one past
 *  FTS_COMMON_TERM_ROWS. */
function termRows(sqlite: BetterSqlite3.Database, fts: string, term: string): number {
  const row = sqlite
    .prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM ${fts} WHERE ${fts} MATCH ? LIMIT ?)`)
    .get(term, FTS_COMMON_TERM_ROWS + 1) as { n: number };
  return row.n;
}

/** Whether a term matches more than FTS_COMMON_TERM_ROWS rows (of any workspace). */
function isCommonTerm(sqlite: BetterSqlite3.Database, fts: string, term: string): boolean {
  return (
    sqlite.prepare(`SELECT 1 FROM ${fts} WHERE ${fts} MATCH ? LIMIT 1 OFFSET ?`).get(term, FTS_COMMON_TERM_ROWS) !==
    undefined
  );
}

function ftsQuery(
  sqlite: BetterSqlite3.Database,
  target: { table: string; fts: string },
  match: string,
  workspaceId: string,
  limit: number,
  snippetTokens: number,
  order: 'rank' | 'recent',
): TextHit[] {
  const live = hasDeletedAt(sqlite, target.table) ? 'AND t.deleted_at IS NULL' : '';
  // Only reference the rank column when ordering by it: selecting it computes bm25.
  const stmt = sqlite.prepare(
    `SELECT t.id AS id, t.seq AS seq, ${order === 'rank' ? 'f.rank' : 'NULL'} AS rank,
            snippet(${target.fts}, 0, ?, ?, '…', ?) AS snippet
       FROM ${target.fts} f JOIN ${target.table} t ON t.seq = f.rowid
      WHERE f.${target.fts} MATCH ? AND t.workspace_id = ? ${live}
      ORDER BY ${order === 'rank' ? 'f.rank' : 'f.rowid DESC'}
      LIMIT ?`,
  );
  return stmt.all(SNIPPET_OPEN, SNIPPET_CLOSE, snippetTokens, match, workspaceId, limit) as TextHit[];
}

/** Split a snippet into plain and highlighted runs, for views that render highlights safely. */
export function snippetParts(snippet: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  for (const seg of snippet.split(SNIPPET_OPEN)) {
    const close = seg.indexOf(SNIPPET_CLOSE);
    if (close < 0) {
      if (seg) parts.push({ text: seg, hit: false });
      continue;
    }
    if (close > 0) parts.push({ text: seg.slice(0, close), hit: true });
    const rest = seg.slice(close + 1);
    if (rest) parts.push({ text: rest, hit: false });
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Hybrid search: bm25 + kNN, fused by reciprocal rank fusion
// ---------------------------------------------------------------------------------------------

/** RRF constant from Cormack et al. (2009): dampens the weight of the very top ranks. */
export const RRF_K = 60;

export interface HybridOptions {
  workspaceId: string;
  query: string;
  /** Query embedding; without it hybrid search is full-text only. */
  vector?: Float32Array;
  k: number;
  /** Embedding table to search (default: vector.length). */
  dims?: number;
  /** Candidates taken from each list before fusing (default max(4k, 40)). */
  candidates?: number;
}

export interface HybridHit {
  chunkId: string;
  chunkSeq: number;
  score: number;
  /** 1-based position in the full-text list, when the chunk was there. */
  ftsRank?: number;
  /** 1-based position in the vector list, when the chunk was there. */
  vecRank?: number;
}

export async function hybridSearch(db: VectorDb, opts: HybridOptions): Promise<HybridHit[]> {
  const k = clampInt(opts.k, 10, 1, 200);
  const n = clampInt(opts.candidates, Math.max(4 * k, 40), k, 1000);
  // Start the vector scan first: it may run in a worker while FTS runs here.
  const vecPromise =
    opts.vector && opts.vector.length > 0
      ? knnSearch(db, { workspaceId: opts.workspaceId, vector: opts.vector, k: n, dims: opts.dims ?? opts.vector.length })
      : Promise.resolve([]);
  // A question is not a conjunction of its words: OR them and let bm25 weigh them. Terms found
  // in very many chunks are left out (see FTS_COMMON_TERM_ROWS); the vectors still see them.
  let ftsHits: TextHit[];
  try {
    const terms = ftsTerms(opts.query, { match: 'any', prefix: false, variants: true }) ?? [];
    const fts = TARGETS.knowledge;
    // Rarest terms first, while the rows to rank stay within budget (bm25 costs per row).
    const counted = terms
      .map((t) => ({ t, n: termRows(db.sqlite, fts.fts, t) }))
      .filter((c) => c.n <= FTS_COMMON_TERM_ROWS)
      .sort((a, b) => a.n - b.n);
    const chosen: string[] = [];
    let rows = 0;
    for (const c of counted) {
      if (chosen.length > 0 && rows + c.n > HYBRID_FTS_ROW_BUDGET) break;
      chosen.push(c.t);
      rows += c.n;
    }
    ftsHits = chosen.length === 0 ? [] : ftsQuery(db.sqlite, fts, chosen.join(' OR '), opts.workspaceId, n, 8, 'rank');
  } catch (err) {
    if (!isFtsSyntaxError(err)) {
      // Don't leave the vector scan's rejection unobserved when FTS fails for real.
      vecPromise.catch(() => undefined);
      throw err;
    }
    ftsHits = [];
  }
  const vecHits = await vecPromise;

  const fused = new Map<number, HybridHit>();
  const entry = (seq: number, id: string): HybridHit => {
    let hit = fused.get(seq);
    if (!hit) fused.set(seq, (hit = { chunkId: id, chunkSeq: seq, score: 0 }));
    return hit;
  };
  ftsHits.forEach((h, i) => {
    const e = entry(h.seq, h.id);
    e.ftsRank = i + 1;
    e.score += 1 / (RRF_K + i + 1);
  });
  vecHits.forEach((h, i) => {
    const e = entry(h.chunkSeq, h.chunkId);
    e.vecRank = i + 1;
    e.score += 1 / (RRF_K + i + 1);
  });
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || (a.ftsRank ?? Infinity) - (b.ftsRank ?? Infinity) || a.chunkSeq - b.chunkSeq)
    .slice(0, k);
}
