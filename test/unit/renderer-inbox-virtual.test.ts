// The virtual list's arithmetic (which rows to render, which pages to fetch, where to scroll) and
// its page cache, and the list filters kept in the URL.
import { describe, expect, it } from 'vitest';
import { isFiltered, listQuery, NO_FILTERS, parseFilters, writeFilters, type InboxFilters } from '../../renderer/pages/inbox/inbox-filters';
import { contentHeight, MAX_SCROLL_PX, PageCache, pagesFor, scrollToShow, visibleRows } from '../../renderer/pages/inbox/virtual-window';

const ROW = 72;

describe('visibleRows', () => {
  it('given the top of a 100k list, when rendered, then only the visible rows and the overscan below are in the DOM', () => {
    expect(visibleRows({ scrollTop: 0, height: 720, rowHeight: ROW, total: 100_000, overscan: 6 })).toEqual({ start: 0, end: 16 });
  });

  it('given a scroll to the middle, when rendered, then the window is around it with overscan on both sides', () => {
    const r = visibleRows({ scrollTop: 50_000 * ROW + 30, height: 720, rowHeight: ROW, total: 100_000, overscan: 6 });
    expect(r).toEqual({ start: 49_994, end: 50_017 });
    expect(r.end - r.start).toBeLessThan(30);
  });

  it('given the bottom (or a scrollTop past it after the list shrank), when rendered, then the window ends at the last row', () => {
    expect(visibleRows({ scrollTop: 99_990 * ROW, height: 720, rowHeight: ROW, total: 100_000, overscan: 6 })).toEqual({ start: 99_984, end: 100_000 });
    expect(visibleRows({ scrollTop: 1_000_000, height: 720, rowHeight: ROW, total: 20, overscan: 6 })).toEqual({ start: 19, end: 20 });
  });

  it('given an empty list or a negative overscroll bounce, when rendered, then nothing or the top', () => {
    expect(visibleRows({ scrollTop: 0, height: 720, rowHeight: ROW, total: 0, overscan: 6 })).toEqual({ start: 0, end: 0 });
    expect(visibleRows({ scrollTop: -40, height: 720, rowHeight: ROW, total: 5, overscan: 6 })).toEqual({ start: 0, end: 5 });
  });
});

describe('pagesFor', () => {
  it('given rows across a page boundary, when fetching, then both pages and no more', () => {
    expect(pagesFor({ start: 94, end: 117 }, 100)).toEqual([0, 1]);
    expect(pagesFor({ start: 0, end: 16 }, 100)).toEqual([0]);
    expect(pagesFor({ start: 99_984, end: 100_000 }, 100)).toEqual([999]);
    expect(pagesFor({ start: 3, end: 3 }, 100)).toEqual([]);
  });
});

describe('scrollToShow', () => {
  it('given a visible row, when selected, then the list does not move', () => {
    expect(scrollToShow(3, 0, 720, ROW)).toBeNull();
  });

  it('given a row below or above the viewport, when selected, then the list moves just enough', () => {
    expect(scrollToShow(10, 0, 720, ROW)).toBe(11 * ROW - 720);
    expect(scrollToShow(5, 10 * ROW, 720, ROW)).toBe(5 * ROW);
  });
});

describe('contentHeight', () => {
  it('given 100k rows, when the scrollbar is sized, then it is the full height; beyond the browser cap it is capped', () => {
    expect(contentHeight(100_000, ROW)).toBe(7_200_000);
    expect(contentHeight(10_000_000, ROW)).toBe(MAX_SCROLL_PX);
    expect(contentHeight(-1, ROW)).toBe(0);
  });
});

describe('PageCache', () => {
  it('given more pages than it holds, when one is added, then the least recently used goes, but never a page on screen', () => {
    const c = new PageCache<string>(3);
    c.set(0, 'a');
    c.set(1, 'b');
    c.set(2, 'c');
    c.get(0); // 0 is now the most recent
    c.set(3, 'd', new Set([1]));
    expect(c.keys().sort()).toEqual([0, 1, 3]);
    expect(c.has(2)).toBe(false);
  });

  it('given a peek, when pages are evicted, then the peeked page was not counted as used', () => {
    const c = new PageCache<string>(2);
    c.set(0, 'a');
    c.set(1, 'b');
    c.peek(0);
    c.set(2, 'c');
    expect(c.keys().sort()).toEqual([1, 2]);
  });

  it('given every page is on screen, when one more arrives, then the cache grows rather than drop a visible page', () => {
    const c = new PageCache<string>(1);
    c.set(0, 'a');
    c.set(1, 'b', new Set([0, 1]));
    expect(c.size).toBe(2);
  });
});

describe('inbox filters in the URL', () => {
  const all: InboxFilters = {
    view: 'pending',
    accountId: '019a3b2c-0000-7000-8000-000000000001',
    platform: 'instagram',
    kind: 'comment_thread',
    unread: true,
    priority: 'urgent',
    tag: 'wholesale',
    triage: 'escalate',
    escalated: true,
  };

  it('given every filter, when written and read back, then they are the same and the open thread is kept', () => {
    const q = writeFilters(all, new URLSearchParams('open=abc'));
    expect(q.get('open')).toBe('abc');
    expect(parseFilters(q)).toEqual(all);
  });

  it('given no filters, when written, then the URL stays plain', () => {
    expect(writeFilters(NO_FILTERS).toString()).toBe('');
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, view: 'closed' })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, unread: true })).toBe(true);
  });

  it('given a hand-edited URL with unknown values, when read, then they are dropped, not guessed', () => {
    const f = parseFilters(new URLSearchParams('view=spam&platform=myspace&kind=letters&priority=9&triage=x&unread=yes&account=<script>&tag='));
    expect(f).toEqual(NO_FILTERS);
  });

  it('given filters, when turned into the list query, then only the chosen ones are sent, as the API’s arrays', () => {
    expect(listQuery('ws1', NO_FILTERS)).toEqual({ workspaceId: 'ws1', view: 'open' });
    expect(listQuery('ws1', all)).toEqual({
      workspaceId: 'ws1',
      view: 'pending',
      accountIds: [all.accountId],
      platforms: ['instagram'],
      kinds: ['comment_thread'],
      unreadOnly: true,
      priorities: ['urgent'],
      tag: 'wholesale',
      triage: ['escalate'],
      escalatedOnly: true,
    });
  });
});
