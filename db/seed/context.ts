// What every step of the demo generator shares: the connection, the workspace being filled, the
// brand, the scale, the clock, the random streams, and what earlier steps made.
import type BetterSqlite3 from 'better-sqlite3';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Platform } from '../schema';
import type { Brand } from './brand';
import type { Rng } from './random';
import type { Scale } from './scales';
import { TableWriter, type ProgressFn } from './writer';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface SeededAccount {
  id: string;
  platform: Platform;
  username: string;
  platformAccountId: string;
  followers: number;
}

export interface SeededCustomer {
  id: string;
  name: string;
  /** Identity on each platform it has one on (external id + handle). */
  identities: Partial<Record<Platform, { externalId: string; handle: string }>>;
}

/** A published post target whose comments are monitored (one monitored_posts row each). */
export interface SeededTarget {
  targetId: string;
  monitoredPostId: string;
  account: SeededAccount;
  platformPostId: string;
  publishedAt: number;
  /** Comments the comments step writes on it (post_metrics.comments counts them). */
  comments: number;
}

export interface SeedContext {
  readonly sqlite: BetterSqlite3.Database;
  readonly workspaceId: string;
  readonly brand: Brand;
  readonly scale: Scale;
  readonly rng: Rng;
  /** Generation time: history ends here, scheduled posts start after it. */
  readonly now: number;
  /** Where history starts (now - historyDays). */
  readonly start: number;
  readonly onProgress: ProgressFn | undefined;
  accounts: SeededAccount[];
  customers: SeededCustomer[];
  targets: SeededTarget[];
  campaignIds: { id: string; startsAt: number; endsAt: number }[];
  templateIds: string[];
  /** Rows written per table. */
  readonly counts: Record<string, number>;
}

/** A TableWriter that adds its rows to ctx.counts when finished. */
export function writer<T extends SQLiteTable, K extends keyof T['$inferInsert'] & string>(
  ctx: SeedContext,
  table: T,
  keys: readonly K[],
  total: number | null = null,
): TableWriter<T, K> & { close(): number } {
  const w = new TableWriter(ctx.sqlite, table, keys, { total, onProgress: ctx.onProgress });
  return Object.assign(w, {
    close: () => {
      const n = w.finish();
      ctx.counts[w.name] = (ctx.counts[w.name] ?? 0) + n;
      return n;
    },
  });
}

/**
 * A time in [from, to] where later times are likelier (density grows linearly): a business's
 * activity grows, and recent weeks carry most of it.
 */
export function growingTime(rng: Rng, from: number, to: number): number {
  return from + (to - from) * Math.sqrt(rng.next());
}

/** Split `total` into `n` positive integer parts drawn around `draw()`, summing exactly to total. */
export function exactParts(rng: Rng, n: number, total: number, draw: () => number, min = 1): number[] {
  if (n === 0) return [];
  if (total < n * min) throw new RangeError(`cannot split ${total} into ${n} parts of at least ${min}`);
  const parts = Array.from({ length: n }, () => Math.max(min, Math.round(draw())));
  let sum = parts.reduce((a, b) => a + b, 0);
  // Scale to the total first, then fix the rounding difference one unit at a time.
  if (sum !== total) {
    const f = total / sum;
    for (let i = 0; i < n; i++) parts[i] = Math.max(min, Math.round((parts[i] as number) * f));
    sum = parts.reduce((a, b) => a + b, 0);
  }
  while (sum !== total) {
    const i = Math.floor(rng.next() * n);
    const p = parts[i] as number;
    if (sum < total) {
      parts[i] = p + 1;
      sum++;
    } else if (p > min) {
      parts[i] = p - 1;
      sum--;
    }
  }
  return parts;
}
