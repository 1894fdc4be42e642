// Bulk actions from the Queue's Posts view: ticking (one, a shift-click range, all), planning a
// move so each post keeps its wall-clock time across a clock change, refusing a move into the
// past before anything is sent, and the report of what happened to each post, in words.
import { describe, expect, it } from 'vitest';
import { wallTime, zonedTimeToEpoch } from '../../renderer/pages/calendar/zoned';
import { describeBulk, mergeResults, planBulk, shiftWallClock, type BulkPost } from '../../renderer/pages/queue/posts-bulk';
import { EMPTY_SELECTION, headerState, prune, selectAll, selectedInOrder, toggleOne, toggleRange } from '../../renderer/pages/queue/posts-selection';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const wall = (y: number, mo: number, d: number, h = 0, mi = 0) => ({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0, millisecond: 0 });
const NY = 'America/New_York';

describe('ticking posts', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];

  it('given a click on b then a shift-click on d, then b to d are ticked; a shift-click back on c unticks c and d', () => {
    let s = toggleOne(EMPTY_SELECTION, 'b');
    s = toggleRange(s, order, 'd');
    expect(selectedInOrder(s, order)).toEqual(['b', 'c', 'd']);
    expect(s.anchor).toBe('b');
    // c is ticked, so the range from b to c follows it off.
    s = toggleRange(s, order, 'c');
    expect(selectedInOrder(s, order)).toEqual(['d']);
  });

  it('given a shift-click upwards, then the range runs from the anchor up', () => {
    const s = toggleRange(toggleOne(EMPTY_SELECTION, 'd'), order, 'a');
    expect(selectedInOrder(s, order)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('given no anchor (or one no longer listed), then a shift-click is a plain toggle', () => {
    expect(selectedInOrder(toggleRange(EMPTY_SELECTION, order, 'c'), order)).toEqual(['c']);
    const gone = { ids: new Set(['zz']), anchor: 'zz' };
    expect([...toggleRange(gone, order, 'b').ids].sort()).toEqual(['b', 'zz']);
  });

  it('given select all, then every row is ticked and the header reads all; pruning drops rows that left the list', () => {
    const s = selectAll(order);
    expect(headerState(s, order)).toBe('all');
    expect(headerState(EMPTY_SELECTION, order)).toBe('none');
    const pruned = prune(s, ['a', 'c']);
    expect(selectedInOrder(pruned, order)).toEqual(['a', 'c']);
    expect(headerState(pruned, order)).toBe('some');
    // Nothing to prune: the same object, so React does not re-render for nothing.
    expect(prune(pruned, ['a', 'c'])).toBe(pruned);
  });
});

describe('planning a move', () => {
  it('given +1 day across New York’s spring change, then 09:30 stays 09:30 (23 hours), while a post a week earlier moves by exactly 24 hours', () => {
    const beforeChange = zonedTimeToEpoch(wall(2026, 3, 7, 9, 30), NY); // Saturday before the change on Sunday 8 March
    const weekEarlier = zonedTimeToEpoch(wall(2026, 2, 28, 9, 30), NY);
    expect(shiftWallClock(beforeChange, 1, NY) - beforeChange).toBe(23 * HOUR);
    expect(wallTime(shiftWallClock(beforeChange, 1, NY), NY)).toMatchObject({ day: 8, hour: 9, minute: 30 });
    const posts: BulkPost[] = [
      { id: 'p1', content: 'Sourdough Saturday', publishAt: beforeChange, timezone: null },
      { id: 'p2', content: 'Croissant class', publishAt: weekEarlier, timezone: null },
      { id: 'p3', content: 'Holiday hours', publishAt: null, timezone: null },
    ];
    const plan = planBulk({ kind: 'shift', days: 1 }, posts, NY, Date.UTC(2026, 1, 1));
    expect(plan.refused).toEqual([]);
    expect(plan.requests).toEqual([
      { postIds: ['p1'], action: { kind: 'shift', byMs: 23 * HOUR } },
      // The post with no time goes with the plain day: the engine says it has no time to move.
      { postIds: ['p2', 'p3'], action: { kind: 'shift', byMs: DAY } },
    ]);
  });

  it('given a post with its own timezone, then its own clock decides', () => {
    const at = zonedTimeToEpoch(wall(2026, 3, 28, 9, 0), 'Europe/Paris'); // Paris changes on the 29th
    const plan = planBulk({ kind: 'shift', days: 1 }, [{ id: 'p', content: 'x', publishAt: at, timezone: 'Europe/Paris' }], 'Asia/Tokyo', Date.UTC(2026, 0, 1));
    expect(plan.requests).toEqual([{ postIds: ['p'], action: { kind: 'shift', byMs: 23 * HOUR } }]);
  });

  it('given −1 day that would land in the past, then that post is refused here and the others are sent', () => {
    const now = Date.UTC(2026, 5, 10, 12, 0);
    const posts: BulkPost[] = [
      { id: 'soon', content: 'Tomorrow morning', publishAt: now + 20 * HOUR, timezone: null },
      { id: 'later', content: 'Next week', publishAt: now + 7 * DAY, timezone: null },
    ];
    const plan = planBulk({ kind: 'shift', days: -1 }, posts, 'UTC', now, 'en-GB');
    expect(plan.requests).toEqual([{ postIds: ['later'], action: { kind: 'shift', byMs: -DAY } }]);
    expect(plan.refused).toEqual([{ postId: 'soon', ok: false, error: 'The new time (Wed 10 Jun, 08:00) has already passed.' }]);
  });

  it('given a move to a past time, then nothing is sent; pause and cancel send every post in one call', () => {
    const now = Date.UTC(2026, 5, 10, 12, 0);
    const posts: BulkPost[] = [{ id: 'a', content: 'A', publishAt: now + DAY, timezone: null }];
    expect(planBulk({ kind: 'move', at: now - HOUR }, posts, 'UTC', now).requests).toEqual([]);
    expect(planBulk({ kind: 'move', at: now + HOUR }, posts, 'UTC', now).requests).toEqual([{ postIds: ['a'], action: { kind: 'move', at: now + HOUR } }]);
    expect(planBulk({ kind: 'pause' }, posts, 'UTC', now).requests).toEqual([{ postIds: ['a'], action: { kind: 'pause' } }]);
    expect(planBulk({ kind: 'cancel' }, [], 'UTC', now).requests).toEqual([]);
  });
});

describe('reporting what happened', () => {
  const posts: BulkPost[] = [
    { id: 'a', content: 'Sourdough Saturday: the first loaves are out at 9:30.\nCome early.', publishAt: 1, timezone: null },
    { id: 'b', content: 'Croissant class recap', publishAt: 2, timezone: null },
    { id: 'c', content: 'Holiday hours', publishAt: null, timezone: null },
  ];

  it('given 2 of 3 moved and one with no time, then the headline says 2 of 3 and the reason names the post', () => {
    const results = mergeResults(
      ['a', 'b', 'c'],
      [{ postId: 'c', ok: false, error: 'It has no time to move.' }],
      [
        { postId: 'b', ok: true },
        { postId: 'a', ok: true },
      ],
    );
    expect(results.map((r) => r.postId)).toEqual(['a', 'b', 'c']);
    const r = describeBulk({ kind: 'shift', days: 1 }, results, posts, 'UTC', 0);
    expect(r.headline).toBe('Moved 2 of 3 posts 1 day later.');
    expect(r.failures).toEqual([{ reason: 'It has no time to move.', posts: [{ id: 'c', title: 'Holiday hours' }] }]);
    expect(r.line).toBe('Moved 2 of 3 posts 1 day later — 1 was not: It has no time to move. (“Holiday hours”)');
    expect(r.okIds).toEqual(['a', 'b']);
    expect(r.failedIds).toEqual(['c']);
  });

  it('given everything worked, then it says so plainly; given nothing did, then it says none', () => {
    const ok = describeBulk({ kind: 'pause' }, [{ postId: 'a', ok: true }, { postId: 'b', ok: true }], posts, 'UTC', 0);
    expect(ok.headline).toBe('Paused 2 posts.');
    expect(ok.failures).toEqual([]);
    const one = describeBulk({ kind: 'shift', days: 7 }, [{ postId: 'a', ok: true }], posts, 'UTC', 0);
    expect(one.headline).toBe('Moved the post 1 week later.');
    const none = describeBulk(
      { kind: 'cancel' },
      [
        { postId: 'a', ok: false, error: 'The post is already published.' },
        { postId: 'b', ok: false, error: 'The post is already published.' },
        { postId: 'c', ok: false },
      ],
      posts,
      'UTC',
      0,
    );
    expect(none.headline).toBe('None of the 3 posts were cancelled.');
    expect(none.failures).toEqual([
      { reason: 'The post is already published.', posts: [{ id: 'a', title: 'Sourdough Saturday: the first loaves are out at 9:30.' }, { id: 'b', title: 'Croissant class recap' }] },
      { reason: 'The engine gave no reason.', posts: [{ id: 'c', title: 'Holiday hours' }] },
    ]);
  });

  it('given a move to a time, then the headline names the time on the workspace clock', () => {
    const at = Date.UTC(2026, 5, 12, 7, 0);
    expect(describeBulk({ kind: 'move', at }, [{ postId: 'a', ok: true }], posts, 'Europe/Paris', Date.UTC(2026, 5, 1), 'en-GB').headline).toBe('Moved the post to Fri 12 Jun, 09:00.');
  });
});
