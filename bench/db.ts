// Database benchmark (`npm run bench -- db [--reuse <dir>]`), at the large demo scale of issue 2:
// bulk inserts into conversation_messages, the inbox list, message full-text search, kNN over
// 100k chunks at 384 and 1536 dims, 1M x 384 quantized with its recall, hybrid search, and the
// main event loop's lag while vector scans run in the worker pool. Every comparative figure is
// measured beside its baseline (the same question with no index) in this run.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { desc, eq, isNull } from 'drizzle-orm';
import { openDatabase, type Database } from '../db/client';
import { conversations } from '../db/schema';
import { inWorkspace } from '../db/scope';
import { closeVectorWorkers, hybridSearch, knnSearch, searchText, warmVectorIndex, type KnnHit } from '../db/search';
import { BRANDS } from '../db/seed';
import { Rng } from '../db/seed/random';
import { TextMaker } from '../db/seed/text';
import { createLocalEmbedder, localEmbedder } from '../electron/core/knowledge/local-embedder';
import { bruteForceHybrid, bruteForceKnn, likeSearchMessages, loadVectors } from './fixtures/db-baselines';
import { buildBenchData, ensureGmm1m, GMM_FILE, GMM_SEED, gmmModel, gmmVector, log, MAIN_FILE, readBenchData, VEC1M_FILE, VEC1M_ROWS, type BenchData } from './fixtures/db-data';
import { percentile, report, round, sample, withLoopLag, type Figure } from './lib';

const args = parseArgs({ options: { reuse: { type: 'string' } }, strict: true }).values;

const p50 = (s: readonly number[]) => percentile(s, 50);
const p95 = (s: readonly number[]) => percentile(s, 95);
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
/** Other processes compete for the same cores; figures sensitive to that say how busy it was. */
const load = (): string => `load average ${(loadavg()[0] ?? 0).toFixed(1)} on ${availableParallelism()} cores`;

/** Realistic questions: what customers write (the inbox openings of the demo brand). */
function customerQuestions(n: number, seed: number): string[] {
  const text = new TextMaker(BRANDS.bakery, new Rng(seed, 'bench-questions'));
  const rng = new Rng(seed, 'bench-questions-pick');
  const out: string[] = [];
  const intents = BRANDS.bakery.intents.filter((i) => i.key !== 'spam');
  while (out.length < n) out.push(text.fill(rng.pick(rng.pick(intents).opening)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bulk insert
// ---------------------------------------------------------------------------------------------

function bulkInsert(dir: string): Figure[] {
  log('bulk insert into conversation_messages (fresh file)');
  const file = join(dir, 'bulk-insert.db');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const db = openDatabase({ file });
  try {
    const s = db.sqlite;
    const rng = new Rng(5, 'bench-bulk');
    const text = new TextMaker(BRANDS.bakery, rng.fork('text'));
    s.prepare(`INSERT INTO workspaces (id, name) VALUES ('w', 'Bulk')`).run();
    s.prepare(`INSERT INTO accounts (id, workspace_id, platform, platform_account_id) VALUES ('a', 'w', 'instagram', '1')`).run();
    const convs = 1000;
    const insConv = s.prepare(`INSERT INTO conversations (id, workspace_id, account_id, customer_identifier) VALUES (?, 'w', 'a', ?)`);
    s.transaction(() => {
      for (let c = 0; c < convs; c++) insConv.run(`c${c}`, `u${c}`);
    })();
    // The columns the inbox sync writes for a received message.
    const ins = s.prepare(
      `INSERT INTO conversation_messages (id, workspace_id, conversation_id, external_message_id, direction, content, sender_id, sender_name, status, sent_at, created_at, updated_at)
       VALUES (?, 'w', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const intents = BRANDS.bakery.intents;
    let made = 0;
    const rows = (n: number): unknown[][] => {
      const out: unknown[][] = [];
      const t0 = Date.now();
      for (let i = 0; i < n; i++, made++) {
        const c = rng.int(0, convs - 1);
        const at = t0 + made;
        const inbound = rng.chance(0.55);
        const intent = rng.pick(intents);
        out.push([rng.uuidv7(at), `c${c}`, `x${made}`, inbound ? 'inbound' : 'outbound', text.fill(rng.pick(inbound ? intent.opening : intent.answer)), `u${c}`, 'Name', 'delivered', at, at, at]);
      }
      return out;
    };
    const rate = (n: number, perTx: number): number => {
      const data = rows(n);
      const tx = s.transaction((batch: unknown[][]) => {
        for (const r of batch) ins.run(r);
      });
      const t = performance.now();
      for (let i = 0; i < data.length; i += perTx) tx(data.slice(i, i + perTx));
      return (n / (performance.now() - t)) * 1000;
    };
    // Median of three rounds each: checkpoints and the disk's write-back make single runs noisy.
    const median3 = (n: number, perTx: number) => percentile([rate(n, perTx), rate(n, perTx), rate(n, perTx)], 50);
    rate(5_000, 100); // warm the statement and the page cache
    const perRow = median3(3_000, 1);
    const per100 = median3(40_000, 100);
    const per5000 = median3(40_000, 5000);
    s.exec(`DROP TRIGGER messages_fts_ai`);
    const noFts100 = median3(40_000, 100);

    // Calibration: better-sqlite3's own benchmark shape on this machine (its docs report ~276k
    // rows/s for 100-row transactions).
    const cal = new BetterSqlite3(join(dir, 'calibration.db'));
    cal.pragma('journal_mode = WAL');
    cal.pragma('synchronous = NORMAL');
    cal.exec(`DROP TABLE IF EXISTS small; CREATE TABLE small (nul, integer INTEGER, real REAL, text TEXT, blob BLOB)`);
    const calIns = cal.prepare(`INSERT INTO small (nul, integer, real, text, blob) VALUES (?, ?, ?, ?, ?)`);
    const blob = Buffer.alloc(16, 0xaa);
    const calTx = cal.transaction(() => {
      for (let i = 0; i < 100; i++) calIns.run(null, 1234, 0.5, 'this is a short text', blob);
    });
    for (let i = 0; i < 200; i++) calTx();
    const ct = performance.now();
    for (let i = 0; i < 2000; i++) calTx();
    const calibration = (200_000 / (performance.now() - ct)) * 1000;
    cal.close();

    return [
      {
        name: 'bulk_insert_rows_per_s',
        value: per100,
        unit: 'rows/s',
        baseline: { name: 'one row per transaction', value: perRow },
        aim: { op: '>', value: 250_000 },
        note: `prepared INSERTs, 100-row transactions, messages_fts trigger + 4 indexes + FKs, into an empty table, median of 3 rounds; ${load()}`,
      },
      { name: 'bulk_insert_5000_rows_per_s', value: per5000, unit: 'rows/s', baseline: { name: '100-row transactions', value: per100 }, note: 'same rows, 5000-row transactions (FTS5 flushes its pending terms once per commit)' },
      { name: 'bulk_insert_no_fts_rows_per_s', value: noFts100, unit: 'rows/s', baseline: { name: 'with the FTS trigger', value: per100 }, note: '100-row transactions with messages_fts_ai dropped (scratch file only)' },
      {
        name: 'bulk_insert_calibration_rows_per_s',
        value: calibration,
        unit: 'rows/s',
        baseline: { name: 'better-sqlite3 published', value: 276_000 },
        note: "better-sqlite3's benchmark table (5 columns, no index) in 100-row transactions on this machine; the baseline is their published figure, not measured here",
      },
    ];
  } finally {
    db.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`, join(dir, 'calibration.db'), join(dir, 'calibration.db-wal'), join(dir, 'calibration.db-shm')]) rmSync(f, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Inbox list
// ---------------------------------------------------------------------------------------------

const INBOX_COLUMNS = `id, account_id, customer_id, customer_name, customer_avatar_url, status, priority, tags, ai_mode,
  unread_count, last_message_at, last_message_preview, snoozed_until`;

function inboxSql(indexed: boolean, after: boolean): string {
  return `SELECT ${INBOX_COLUMNS} FROM conversations${indexed ? '' : ' NOT INDEXED'}
           WHERE workspace_id = ? AND status = 'open' AND deleted_at IS NULL${after ? ' AND last_message_at < ?' : ''}
           ORDER BY last_message_at DESC LIMIT 50`;
}

async function inbox(db: Database, ws: string): Promise<Figure[]> {
  log('inbox list');
  const s = db.sqlite;
  const first = s.prepare(inboxSql(true, false));
  const next = s.prepare(inboxSql(true, true));
  const firstBase = s.prepare(inboxSql(false, false));
  const nextBase = s.prepare(inboxSql(false, true));
  const plan = (s.prepare(`EXPLAIN QUERY PLAN ${inboxSql(true, false)}`).all(ws) as { detail: string }[]).map((r) => r.detail).join('; ');
  // Cursors for later pages: where page 2, 3, ... of the open list start.
  const times = (s.prepare(`SELECT last_message_at AS t FROM conversations WHERE workspace_id = ? AND status = 'open' ORDER BY last_message_at DESC`).all(ws) as { t: number }[]).map((r) => r.t);
  const open = times.length;
  const rng = new Rng(3, 'bench-inbox');
  const cursor = () => times[Math.min(open - 1, 50 * rng.int(1, Math.max(1, Math.floor(open / 50) - 1)))] as number;
  // Half the loads are the first page (opening the inbox), half scroll further down.
  const load = (i: number) => (i % 2 === 0 ? first.all(ws) : next.all(ws, cursor()));
  const samples = await sample(400, load, 20);
  const base = await sample(12, (i) => (i % 2 === 0 ? firstBase.all(ws) : nextBase.all(ws, cursor())), 1);

  // The same list through drizzle and the workspace scope, as a service would write it.
  const scope = inWorkspace(db.orm, ws);
  const viaScope = await sample(
    200,
    () =>
      scope
        .select(conversations, eq(conversations.status, 'open'), isNull(conversations.deletedAt))
        .orderBy(desc(conversations.lastMessageAt))
        .limit(50)
        .all(),
    20,
  );

  // The badge: how many open threads have unread messages, and how many messages that is.
  const badge = s.prepare(`SELECT count(*) AS threads, coalesce(sum(unread_count), 0) AS messages FROM conversations WHERE workspace_id = ? AND status = 'open' AND unread_count > 0`);
  const badgeBase = s.prepare(`SELECT count(*) AS threads, coalesce(sum(unread_count), 0) AS messages FROM conversations NOT INDEXED WHERE workspace_id = ? AND status = 'open' AND unread_count > 0`);
  const badgeS = await sample(200, () => badge.get(ws), 10);
  const badgeB = await sample(10, () => badgeBase.get(ws), 1);
  return [
    { name: 'inbox_list_p50_ms', value: p50(samples), unit: 'ms', baseline: { name: 'NOT INDEXED', value: p50(base) }, note: `${open} open of 100k conversations; first page and keyset pages alternate; plan: ${plan}` },
    { name: 'inbox_list_p95_ms', value: p95(samples), unit: 'ms', baseline: { name: 'NOT INDEXED', value: p95(base) }, aim: { op: '<', value: 5 } },
    { name: 'inbox_list_scope_p50_ms', value: p50(viaScope), unit: 'ms', note: 'first page through drizzle + WorkspaceScope (query built per call, all columns)' },
    { name: 'inbox_unread_badge_p50_ms', value: p50(badgeS), unit: 'ms', baseline: { name: 'NOT INDEXED', value: p50(badgeB) }, note: 'count and sum of unread over all open threads' },
  ];
}

// ---------------------------------------------------------------------------------------------
// Full-text search
// ---------------------------------------------------------------------------------------------

/** What people type into the inbox search box: common and rare words, names, phrases, a word
 *  still being typed, two-word queries, and a word that is not there. */
const FTS_QUERIES = [
  'cake',
  'sourdough',
  'refund',
  'birthday cake',
  'gluten free',
  'pistachio',
  'croiss',
  '"gift card"',
  'order number',
  'Priya',
  'allergic',
  'deposit online',
  'parking',
  'coeliac',
  'wedding',
  'stale',
  'deliver Sellwood',
  'hazelnut praline',
  'Apple Pay',
  'kouign',
  'charged twice',
  'open Monday',
  'xylophone',
  'chocolate fudge cake',
];

async function fts(db: Database, ws: string): Promise<Figure[]> {
  log('message full-text search');
  const perQuery = new Map<string, number[]>();
  const samples = await sample(
    FTS_QUERIES.length * 8,
    (i) => {
      const q = FTS_QUERIES[i % FTS_QUERIES.length] as string;
      const t = performance.now();
      searchText(db, { workspaceId: ws, target: 'messages', query: q });
      const list = perQuery.get(q) ?? [];
      list.push(performance.now() - t);
      perQuery.set(q, list);
    },
    FTS_QUERIES.length,
  );
  const base = await sample(FTS_QUERIES.length, (i) => likeSearchMessages(db.sqlite, ws, FTS_QUERIES[i] as string), 0);
  const slowest = [...perQuery.entries()].map(([q, s]) => [q, p50(s)] as const).sort((a, b) => b[1] - a[1]);
  const worst = slowest.slice(0, 3).map(([q, ms]) => `${q} ${round(ms, 1)} ms`).join(', ');
  const hits = FTS_QUERIES.map((q) => searchText(db, { workspaceId: ws, target: 'messages', query: q }).length);
  return [
    { name: 'fts_search_p50_ms', value: p50(samples), unit: 'ms', baseline: { name: "LIKE '%word%'", value: p50(base) }, note: `${FTS_QUERIES.length} queries over 1M messages via searchText (${hits.filter((h) => h > 0).length} with hits)` },
    { name: 'fts_search_p95_ms', value: p95(samples), unit: 'ms', baseline: { name: "LIKE '%word%'", value: p95(base) }, aim: { op: '<', value: 5 }, note: `slowest (p50): ${worst}` },
  ];
}

// ---------------------------------------------------------------------------------------------
// kNN
// ---------------------------------------------------------------------------------------------

function overlap(a: readonly { chunkSeq: number }[], b: readonly { chunkSeq: number }[]): number {
  const set = new Set(b.map((h) => h.chunkSeq));
  return a.filter((h) => set.has(h.chunkSeq)).length;
}

async function knn100k(db: Database, ws: string, dims: 384 | 1536, queries: string[]): Promise<Figure[]> {
  log(`kNN top-10 over 100k chunks at ${dims} dims`);
  const embedder = dims === 384 ? localEmbedder : createLocalEmbedder(1536);
  const vectors = embedder.embed(queries);
  const table = `knowledge_vec_${dims}`;
  const mem = loadVectors(db.sqlite, table, dims, ws);
  const exact: KnnHit[][] = [];
  const samples = await sample(vectors.length, async (i) => {
    exact[i] = await knnSearch(db, { workspaceId: ws, vector: vectors[i] as Float32Array, k: 10, dims, mode: 'exact' });
  }, 3);
  const js: { chunkSeq: number }[][] = [];
  const base = await sample(vectors.length, (i) => {
    js[i] = bruteForceKnn(mem, vectors[i] as Float32Array, 10);
  }, 1);
  // Sanity: the exact scan and the JS scan agree (ties aside).
  const agree = vectors.reduce((s, _, i) => s + overlap(exact[i] ?? [], js[i] ?? []), 0) / (vectors.length * 10);

  // What knnSearch does by default once the quantized index is warm (auto mode).
  const tw = performance.now();
  await warmVectorIndex(db, { workspaceId: ws, dims });
  const warmMs = performance.now() - tw;
  const auto: KnnHit[][] = [];
  const autoS = await sample(vectors.length, async (i) => {
    auto[i] = await knnSearch(db, { workspaceId: ws, vector: vectors[i] as Float32Array, k: 10, dims });
  }, 3);
  const recall = vectors.reduce((s, _, i) => s + overlap(auto[i] ?? [], exact[i] ?? []), 0) / (vectors.length * 10);
  const rows = mem.seqs.length;
  const vecNote = dims === 384 ? 'vectors from the built-in local embedder over the seeded chunk text' : 'synthetic: the local hashing embedder at 1536 dims over the same chunk text (a stand-in for a remote 1536-dim model)';
  return [
    {
      name: `knn_100k_${dims}_p50_ms`,
      value: p50(samples),
      unit: 'ms',
      baseline: { name: 'JS brute force (in memory)', value: p50(base) },
      ...(dims === 384 ? { aim: { op: '<' as const, value: 100 } } : {}),
      note: `exact scan (mode 'exact') in the worker pool, ${rows} vectors; ${vecNote}; agrees with the JS scan on ${round(agree * 100, 1)}% of hits`,
    },
    { name: `knn_100k_${dims}_p95_ms`, value: p95(samples), unit: 'ms', baseline: { name: 'JS brute force (in memory)', value: p95(base) } },
    {
      name: `knn_100k_${dims}_auto_p50_ms`,
      value: p50(autoS),
      unit: 'ms',
      baseline: { name: 'exact', value: p50(samples) },
      note: `default mode once warm (int8 quantized + rescore, ${queries.length} queries): recall@10 ${round(recall, 3)}; index build ${Math.round(warmMs)} ms`,
    },
  ];
}

interface VectorSet {
  file: string;
  workspaceId: string;
  queries: Float32Array[];
  /** Figure names: knn_1m_384_quantized{suffix}_p50_ms, ..._recall_at_10. */
  suffix: string;
  describe: string;
  aims: boolean;
}

async function knn1m(set: VectorSet): Promise<Figure[]> {
  log(`kNN top-10 over 1M x 384, quantized + rescore${set.suffix ? ` (${set.suffix.slice(1)})` : ''}`);
  const db = openDatabase({ file: set.file });
  try {
    const ws = set.workspaceId;
    const vectors = set.queries;
    const tw = performance.now();
    await warmVectorIndex(db, { workspaceId: ws, dims: 384 });
    const buildMs = performance.now() - tw;
    const quant: KnnHit[][] = [];
    const scanMs: number[] = [];
    const samples = await sample(vectors.length, async (i) => {
      quant[i] = await knnSearch(db, {
        workspaceId: ws,
        vector: vectors[i] as Float32Array,
        k: 10,
        mode: 'quantized',
        onStats: (st) => scanMs.push(st.scanMs + st.rescoreMs),
      });
    }, 3);
    const exact: KnnHit[][] = [];
    const exactS = await sample(vectors.length, async (i) => {
      exact[i] = await knnSearch(db, { workspaceId: ws, vector: vectors[i] as Float32Array, k: 10, mode: 'exact' });
    }, 1);
    let strict = 0;
    let tieAware = 0;
    vectors.forEach((_, i) => {
      const e = exact[i] ?? [];
      const q = quant[i] ?? [];
      strict += overlap(q, e);
      // A hit at the same distance as the exact 10th is as good an answer (duplicate passages).
      const tenth = e[e.length - 1]?.distance ?? Infinity;
      tieAware += Math.min(10, q.filter((h) => h.distance <= tenth + 1e-6).length);
    });
    const n = vectors.length * 10;
    return [
      {
        name: `knn_1m_384_quantized${set.suffix}_p50_ms`,
        value: p50(samples),
        unit: 'ms',
        baseline: { name: 'exact scan (sqlite-vec)', value: p50(exactS) },
        ...(set.aims ? { aim: { op: '<' as const, value: 60 } } : {}),
        note: `${set.describe}; int8 scan + full-precision rescore in the worker; p95 ${round(p95(samples), 1)} ms; worker time per query p50 ${round(p50(scanMs), 1)} ms; index build ${Math.round(buildMs)} ms`,
      },
      {
        name: `knn_1m_384_quantized${set.suffix}_recall_at_10`,
        value: strict / n,
        unit: 'ratio',
        ...(set.aims ? { aim: { op: '>=' as const, value: 0.95 } } : {}),
        note: `against exact search over ${vectors.length} queries; counting ties at the 10th distance as hits: ${round(tieAware / n, 3)}`,
      },
    ];
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Hybrid search and the main loop
// ---------------------------------------------------------------------------------------------

async function hybrid(db: Database, ws: string, queries: string[]): Promise<Figure[]> {
  log('hybrid search over 100k chunks');
  await warmVectorIndex(db, { workspaceId: ws, dims: 384 });
  const samples = await sample(queries.length * 2, async (i) => {
    const q = queries[i % queries.length] as string;
    const [vector] = localEmbedder.embed([q]);
    await hybridSearch(db, { workspaceId: ws, query: q, vector: vector as Float32Array, k: 10 });
  }, 5);
  const mem = loadVectors(db.sqlite, 'knowledge_vec_384', 384, ws);
  const base = await sample(10, (i) => {
    const q = queries[i] as string;
    const [vector] = localEmbedder.embed([q]);
    bruteForceHybrid(db.sqlite, mem, ws, q, vector as Float32Array, 10);
  }, 1);
  return [
    { name: 'hybrid_p50_ms', value: p50(samples), unit: 'ms', baseline: { name: 'LIKE + JS brute force', value: p50(base) }, note: `${queries.length} customer questions, query embedding included; vectors in default (auto) mode, warm` },
    { name: 'hybrid_p95_ms', value: p95(samples), unit: 'ms', baseline: { name: 'LIKE + JS brute force', value: p95(base) }, aim: { op: '<', value: 50 } },
  ];
}

const SCANS = 120;

async function loopLag(db: Database, ws: string, queries: string[]): Promise<Figure[]> {
  log('main event loop lag during vector scans');
  const vectors = localEmbedder.embed(queries);
  // Two scans in flight at a time for the whole run, exact mode so every query is a full 100k scan.
  const run = async (thread: 'auto' | 'main', n: number) => {
    let next = 0;
    const lane = async () => {
      while (next < n) {
        const i = next++;
        await knnSearch(db, { workspaceId: ws, vector: vectors[i % vectors.length] as Float32Array, k: 10, mode: 'exact', thread });
        await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all([lane(), lane()]);
  };
  await run('auto', 4);
  // Control: the same loop with nothing to do. On a shared VM the OS alone delays it by a few ms.
  const idle = await withLoopLag(() => new Promise((r) => setTimeout(r, 4000)));
  const t = performance.now();
  const worker = await withLoopLag(() => run('auto', SCANS));
  const during = load();
  const workerSecs = (performance.now() - t) / 1000;
  const inline = await withLoopLag(() => run('main', 10));
  return [
    {
      name: 'main_loop_lag_p99_ms',
      value: worker.lagP99Ms,
      unit: 'ms',
      baseline: { name: 'same scans inline (thread: main)', value: inline.lagP99Ms },
      aim: { op: '<', value: 5 },
      note: `${SCANS} exact 100k x 384 scans, 2 in flight, over ${round(workerSecs, 1)} s; max lag ${round(worker.lagMaxMs, 1)} ms (inline: ${round(inline.lagMaxMs, 1)} ms); ${during}`,
    },
    { name: 'main_loop_lag_idle_p99_ms', value: idle.lagP99Ms, unit: 'ms', note: `control: 4 s with no work at all, just before (max ${round(idle.lagMaxMs, 1)} ms): what the machine's scheduling adds on its own` },
  ];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dir = args.reuse ?? mkdtempSync(join(tmpdir(), 'postdesk-bench-db-'));
  let data: BenchData | null = readBenchData(dir);
  if (data) log(`Reusing the benchmark data in ${dir} (built ${data.builtAt})`);
  else data = buildBenchData(dir);
  log(`Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), Node ${process.version}, ${load()}`);

  const figures: Figure[] = [];
  figures.push(...bulkInsert(dir));
  gc();
  const db = openDatabase({ file: join(dir, MAIN_FILE) });
  try {
    const questions = customerQuestions(40, 21);
    figures.push(...(await inbox(db, data.large)));
    figures.push(...(await fts(db, data.large)));
    figures.push(...(await loopLag(db, data.large, questions)));
    figures.push(...(await knn100k(db, data.large, 384, questions)));
    gc();
    figures.push(...(await knn100k(db, data.large, 1536, questions)));
    gc();
    figures.push(...(await hybrid(db, data.large, questions)));
    gc();
    figures.push(
      ...(await knn1m({
        file: join(dir, VEC1M_FILE),
        workspaceId: data.vec1m,
        queries: localEmbedder.embed(customerQuestions(50, 22)),
        suffix: '',
        describe: `${VEC1M_ROWS} generated knowledge chunks embedded by the built-in 384-dim local embedder (clustered by document kind and shared sentences, not uniform noise), queried with 50 customer questions`,
        aims: true,
      })),
    );
    gc();
    const model = gmmModel(GMM_SEED);
    const qrng = new Rng(GMM_SEED, 'bench-gmm-queries');
    figures.push(
      ...(await knn1m({
        file: join(dir, GMM_FILE),
        workspaceId: ensureGmm1m(dir, data.now),
        queries: Array.from({ length: 50 }, () => gmmVector(model, qrng)),
        suffix: '_gmm',
        describe: `${VEC1M_ROWS} dense clustered Gaussian vectors shaped like a sentence-embedding model's (shared mean direction, 2000 topics of Zipf-like size, sub-topics of ~20 paraphrases, decaying spectrum; cosine ~0.25 random, ~0.6 same topic, ~0.75 same sub-topic), queried with 50 new draws`,
        aims: false,
      })),
    );
  } finally {
    db.close();
    await closeVectorWorkers();
  }
  const order = [
    'bulk_insert_rows_per_s',
    'inbox_list_p50_ms',
    'inbox_list_p95_ms',
    'fts_search_p50_ms',
    'fts_search_p95_ms',
    'knn_100k_384_p50_ms',
    'knn_100k_384_p95_ms',
    'knn_100k_1536_p50_ms',
    'knn_100k_1536_p95_ms',
    'knn_1m_384_quantized_p50_ms',
    'knn_1m_384_quantized_recall_at_10',
    'hybrid_p50_ms',
    'hybrid_p95_ms',
    'main_loop_lag_p99_ms',
  ];
  const rank = (n: string) => (order.includes(n) ? order.indexOf(n) : order.length);
  figures.sort((a, b) => rank(a.name) - rank(b.name));
  report('db', figures);
  log(`\nBenchmark data kept in ${dir} (${data.buildSeconds.seed + data.buildSeconds.vectors1536 + data.buildSeconds.vectors1m} s to build). Rerun with --reuse ${dir}, or delete it.`);
}

await main();
