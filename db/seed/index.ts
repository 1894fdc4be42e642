// The demo/scale generator: fills one new workspace with a solo marketer's content (a brand, its
// accounts, a content calendar with results, an inbox, comments, a knowledge base) at a chosen
// scale. Deterministic: the same seed, brand, scale and `now` give the same rows and ids.
// Rows go in through prepared statements in batched transactions (see writer.ts); the FTS
// triggers index text as it lands and the local embedder fills knowledge_vec_384.
import type BetterSqlite3 from 'better-sqlite3';
import { scopedTables } from '../scope';
import { getTableName } from 'drizzle-orm';
import type { Brand } from './brand';
import { bakery } from './brands/bakery';
import { yoga } from './brands/yoga';
import { seedCatalog } from './catalog';
import { seedComments } from './comments';
import { DAY, type SeedContext } from './context';
import { seedInbox } from './inbox';
import { seedKnowledge } from './knowledge';
import { seedPosts } from './posts';
import { Rng } from './random';
import { SCALES, type Scale, type ScaleName } from './scales';
import { insertWorkspace, seedAccounts, seedWorkspaceSettings } from './workspace';
import type { ProgressFn } from './writer';

export { SCALES, SCALE_NAMES, type Scale, type ScaleName } from './scales';
export type { ProgressEvent, ProgressFn } from './writer';

export const BRANDS = { bakery, yoga } as const satisfies Record<string, Brand>;
export type BrandName = keyof typeof BRANDS;
export const BRAND_NAMES = Object.keys(BRANDS) as BrandName[];

export const DEFAULT_SEED = 1;

export interface SeedOptions {
  scale: ScaleName | Scale;
  /** PRNG seed (default 1). */
  seed?: number;
  brand?: BrandName;
  /** Workspace name (default: the brand's name). */
  workspaceName?: string;
  /** End of the generated history (default Date.now()); fix it for byte-identical output. */
  now?: number;
  onProgress?: ProgressFn;
}

export interface SeedResult {
  workspaceId: string;
  workspaceName: string;
  brand: BrandName;
  scale: ScaleName;
  seed: number;
  now: number;
  /** Rows of the workspace per table after seeding (every workspace-scoped table, plus vectors). */
  counts: Record<string, number>;
  /** Wall time per step, ms. */
  steps: { step: string; ms: number }[];
  elapsedMs: number;
}

/** A cache big enough for the FTS and index pages a million-row load touches (restored after). */
const SEED_CACHE_KIB = 262_144;

/**
 * Fill a new workspace of an open, migrated database. On failure the partial workspace is
 * deleted (its rows cascade) and the error rethrown.
 */
export function seedDemo(db: { sqlite: BetterSqlite3.Database }, opts: SeedOptions): SeedResult {
  const t0 = performance.now();
  const scale = typeof opts.scale === 'string' ? SCALES[opts.scale] : opts.scale;
  if (!scale) throw new RangeError(`unknown scale ${String(opts.scale)}`);
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const brandName: BrandName = opts.brand ?? 'bakery';
  const brand: Brand = BRANDS[brandName];
  const now = opts.now ?? Date.now();
  const start = now - scale.historyDays * DAY;
  const rng = new Rng(seed, `postdesk-demo:${brandName}:${scale.name}`);
  const workspaceName = (opts.workspaceName ?? brand.name).trim() || brand.name;
  const sqlite = db.sqlite;

  const workspaceId = insertWorkspace(sqlite, {
    name: workspaceName,
    brand,
    rng: rng.fork('workspace'),
    createdAt: start - 2 * DAY,
    demo: { generator: 'postdesk-demo', scale: scale.name, seed, brand: brandName },
  });
  const ctx: SeedContext = {
    sqlite,
    workspaceId,
    brand,
    scale,
    rng,
    now,
    start,
    onProgress: opts.onProgress,
    accounts: [],
    customers: [],
    targets: [],
    campaignIds: [],
    templateIds: [],
    counts: {},
  };

  const previousCache = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma(`cache_size = -${SEED_CACHE_KIB}`);
  const steps: { step: string; ms: number }[] = [];
  const step = (name: string, fn: (c: SeedContext) => void) => {
    const s = performance.now();
    fn(ctx);
    steps.push({ step: name, ms: performance.now() - s });
  };
  try {
    step('workspace', seedWorkspaceSettings);
    step('accounts', seedAccounts);
    step('catalog', seedCatalog);
    step('posts', seedPosts);
    step('inbox', seedInbox);
    step('comments', seedComments);
    step('knowledge', seedKnowledge);
  } catch (err) {
    try {
      sqlite.prepare(`DELETE FROM workspaces WHERE id = ?`).run(workspaceId);
    } catch {
      // The original error says more than a failed cleanup would.
    }
    throw err;
  } finally {
    sqlite.pragma(`cache_size = ${previousCache}`);
  }

  const counts: Record<string, number> = { workspaces: 1 };
  for (const t of scopedTables) {
    const name = getTableName(t);
    const row = sqlite.prepare(`SELECT count(*) AS n FROM "${name}" WHERE workspace_id = ?`).get(workspaceId) as { n: number };
    if (row.n > 0) counts[name] = row.n;
  }
  counts['knowledge_vec_384'] = ctx.counts['knowledge_vec_384'] ?? 0;
  return { workspaceId, workspaceName, brand: brandName, scale: scale.name, seed, now, counts, steps, elapsedMs: performance.now() - t0 };
}
