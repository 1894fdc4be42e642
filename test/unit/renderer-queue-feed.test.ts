// A tab's list built from several paged jobs.list queries: read one after the other, or merged in
// the order they share, page by page, never repeating or dropping an item.
import { describe, expect, it } from 'vitest';
import { createFeed, filtered, type FeedSource } from '../../renderer/pages/queue/feed';

interface Item {
  id: string;
  at: number;
}

/** A paged source over a sorted array that records every request, like jobs.list with offset/limit. */
function pagedSource(items: Item[], log: string[] = [], name = 'src'): FeedSource<Item> {
  return async (offset, limit) => {
    log.push(`${name}@${offset}+${limit}`);
    const page = items.slice(offset, offset + limit);
    const next = offset + page.length;
    return { items: page, nextOffset: next < items.length ? next : null };
  };
}

const items = (prefix: string, ats: number[]): Item[] => ats.map((at, i) => ({ id: `${prefix}${i}`, at }));
const newestFirst = (a: Item, b: Item) => b.at - a.at || (a.id < b.id ? 1 : -1);

describe('createFeed without a comparator (Upcoming: running, then pending)', () => {
  it('given two sources, when taking pages, then the first is read to its end before the second', async () => {
    const running = items('r', [1, 2]);
    const pending = items('p', [3, 4, 5, 6, 7]);
    const feed = createFeed([pagedSource(running), pagedSource(pending)], { maxPage: 200 });
    expect((await feed.take(3)).map((i) => i.id)).toEqual(['r0', 'r1', 'p0']);
    expect(feed.done()).toBe(false);
    expect((await feed.take(3)).map((i) => i.id)).toEqual(['p1', 'p2', 'p3']);
    expect((await feed.take(3)).map((i) => i.id)).toEqual(['p4']);
    expect(feed.done()).toBe(true);
    expect(await feed.take(3)).toEqual([]);
  });

  it('given a page size above the API limit, when taking, then each request asks for at most maxPage', async () => {
    const log: string[] = [];
    const feed = createFeed([pagedSource(items('p', Array.from({ length: 450 }, (_, i) => i)), log, 'p')], { maxPage: 200 });
    expect((await feed.take(450)).length).toBe(450);
    expect(log).toEqual(['p@0+200', 'p@200+200', 'p@400+50']);
  });
});

describe('createFeed with a comparator (Done: completed and cancelled, newest first)', () => {
  it('given two sorted sources, when merged across pages, then the order is global and nothing repeats or goes missing', async () => {
    const completed = items('c', [100, 90, 70, 40, 30, 10]);
    const cancelled = items('x', [95, 60, 50, 20]);
    const feed = createFeed([pagedSource(completed), pagedSource(cancelled)], { maxPage: 3, compare: newestFirst });
    const seen: Item[] = [];
    while (!feed.done()) seen.push(...(await feed.take(4)));
    expect(seen.map((i) => i.at)).toEqual([100, 95, 90, 70, 60, 50, 40, 30, 20, 10]);
    expect(new Set(seen.map((i) => i.id)).size).toBe(10);
  });

  it('given one empty source, when merged, then the other is read alone', async () => {
    const feed = createFeed([pagedSource([]), pagedSource(items('c', [3, 2, 1]))], { maxPage: 2, compare: newestFirst });
    expect((await feed.take(10)).map((i) => i.at)).toEqual([3, 2, 1]);
    expect(feed.done()).toBe(true);
  });
});

describe('filtered sources and misbehaving sources', () => {
  it('given a filter that empties whole pages, when taking, then the feed reads on instead of stopping early', async () => {
    // Upcoming leaves held jobs out of the pending query: here the first page is all held.
    const pending = [...items('held', [1, 2]), ...items('p', [3, 4])];
    const feed = createFeed([filtered(pagedSource(pending), (i) => !i.id.startsWith('held'))], { maxPage: 2 });
    expect((await feed.take(5)).map((i) => i.id)).toEqual(['p0', 'p1']);
    expect(feed.done()).toBe(true);
  });

  it('given a source whose next offset does not advance, when taking, then the feed ends instead of looping forever', async () => {
    const stuck: FeedSource<Item> = async () => ({ items: [], nextOffset: 0 });
    const feed = createFeed([stuck], { maxPage: 50 });
    expect(await feed.take(10)).toEqual([]);
    expect(feed.done()).toBe(true);
  });
});
