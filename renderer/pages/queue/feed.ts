// One paged list built from several paged API queries. jobs.list filters by one status at a time,
// while a tab can span several (Done = completed + cancelled, both newest first): the sources are
// merged by the order they share, or, without a comparator, read one after the other (Upcoming =
// the running jobs, then the pending ones by next run).

export interface FeedPage<T> {
  items: T[];
  /** Where the next page starts, or null at the end. */
  nextOffset: number | null;
}

export type FeedSource<T> = (offset: number, limit: number) => Promise<FeedPage<T>>;

export interface FeedOptions<T> {
  /** Sources are each sorted by this; the feed interleaves them in the same order. */
  compare?: (a: T, b: T) => number;
  /** Largest page asked of one source (the API's limit). */
  maxPage: number;
}

export interface Feed<T> {
  /** The next `n` items in order (fewer at the end). Not re-entrant: await one take before the next. */
  take(n: number): Promise<T[]>;
  /** Nothing more to take. */
  done(): boolean;
}

interface Cursor<T> {
  source: FeedSource<T>;
  offset: number | null;
  buffer: T[];
}

export function createFeed<T>(sources: readonly FeedSource<T>[], opts: FeedOptions<T>): Feed<T> {
  const cursors: Cursor<T>[] = sources.map((source) => ({ source, offset: 0, buffer: [] }));
  const exhausted = (c: Cursor<T>) => c.buffer.length === 0 && c.offset === null;

  const fill = async (c: Cursor<T>, want: number) => {
    if (c.offset === null) return;
    const page = await c.source(c.offset, Math.max(1, Math.min(opts.maxPage, want)));
    c.buffer.push(...page.items);
    // A source whose next page would start where this one did would loop forever; treat it as ended.
    c.offset = page.nextOffset !== null && page.nextOffset > c.offset ? page.nextOffset : null;
  };

  return {
    done: () => cursors.every(exhausted),
    async take(n) {
      const out: T[] = [];
      while (out.length < n) {
        const want = n - out.length;
        if (!opts.compare) {
          const c = cursors.find((x) => !exhausted(x));
          if (!c) break;
          if (c.buffer.length === 0) await fill(c, want);
          out.push(...c.buffer.splice(0, want));
          continue;
        }
        // Merging: every source that may still have items must show its head before one is picked.
        await Promise.all(cursors.filter((c) => c.buffer.length === 0 && c.offset !== null).map((c) => fill(c, want)));
        let best: Cursor<T> | null = null;
        for (const c of cursors) {
          const head = c.buffer[0];
          if (head === undefined) continue;
          const bestHead = best?.buffer[0];
          if (bestHead === undefined || opts.compare(head, bestHead) < 0) best = c;
        }
        if (!best) break;
        out.push(best.buffer.shift() as T);
      }
      return out;
    },
  };
}

/** Keep only some items of a source (pages may come back shorter; offsets still advance). */
export function filtered<T>(source: FeedSource<T>, keep: (item: T) => boolean): FeedSource<T> {
  return async (offset, limit) => {
    const page = await source(offset, limit);
    return { items: page.items.filter(keep), nextOffset: page.nextOffset };
  };
}
