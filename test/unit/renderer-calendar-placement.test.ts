// Where posts sit and where a drop sends them: the same wall-clock time on another day across DST
// changes, week-view slots, side-by-side lanes, "+N more", stable account colours, and which posts
// may be dragged at all.
import { describe, expect, it } from 'vitest';
import { parseIsoDay } from '../../renderer/pages/calendar/grid';
import { byDay, layoutDay, minutesAt, moveToDay, slotTime, visibleInCell } from '../../renderer/pages/calendar/placement';
import { accountColours, firstLine, isMovable, notMovableReason, safeLink } from '../../renderer/pages/calendar/post-info';
import { dayOf, wallTime, zonedTimeToEpoch } from '../../renderer/pages/calendar/zoned';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const day = (s: string) => {
  const d = parseIsoDay(s);
  if (d === null) throw new Error(`bad day ${s}`);
  return d;
};
const at = (tz: string, y: number, mo: number, d: number, h: number, mi = 0) => zonedTimeToEpoch({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0, millisecond: 0 }, tz);

describe('dropping on another day (month view) keeps the time of day in the workspace zone', () => {
  it('given a 09:00 Paris post on Friday 27 March, when dropped on Monday 30 March (after the clocks went forward), then it is 09:00 CEST: 3 days less one hour later', () => {
    const before = at('Europe/Paris', 2026, 3, 27, 9);
    const after = moveToDay(before, day('2026-03-30'), 'Europe/Paris');
    expect(wallTime(after, 'Europe/Paris')).toMatchObject({ year: 2026, month: 3, day: 30, hour: 9, minute: 0 });
    expect(after - before).toBe(3 * DAY - HOUR);
    expect(after).toBe(Date.UTC(2026, 2, 30, 7, 0));
  });

  it('given a 09:00 New York post on 30 October, when dropped on 2 November (after the clocks went back), then it is 09:00 EST: 3 days plus one hour later', () => {
    const before = at('America/New_York', 2026, 10, 30, 9);
    const after = moveToDay(before, day('2026-11-02'), 'America/New_York');
    expect(wallTime(after, 'America/New_York')).toMatchObject({ day: 2, hour: 9, minute: 0 });
    expect(after - before).toBe(3 * DAY + HOUR);
  });

  it('given a 02:30 post, when dropped on the Paris spring-forward day where 02:30 does not exist, then it lands at 03:30', () => {
    const before = at('Europe/Paris', 2026, 3, 26, 2, 30);
    const after = moveToDay(before, day('2026-03-29'), 'Europe/Paris');
    expect(wallTime(after, 'Europe/Paris')).toMatchObject({ day: 29, hour: 3, minute: 30 });
  });

  it('given the machine’s own zone differs from the workspace’s, then only the workspace zone counts (the same instant moves differently for Tokyo)', () => {
    const instant = Date.UTC(2026, 2, 27, 8, 0); // 09:00 Paris, 17:00 Tokyo
    const paris = moveToDay(instant, day('2026-03-30'), 'Europe/Paris');
    const tokyo = moveToDay(instant, day('2026-03-30'), 'Asia/Tokyo');
    expect(wallTime(paris, 'Europe/Paris').hour).toBe(9);
    expect(wallTime(tokyo, 'Asia/Tokyo').hour).toBe(17);
    expect(paris - tokyo).not.toBe(0);
  });

  it('given seconds in the time, then they are kept too', () => {
    const before = Date.UTC(2026, 5, 1, 7, 0, 42, 5);
    const after = moveToDay(before, day('2026-06-03'), 'Europe/Paris');
    expect(after - before).toBe(2 * DAY);
  });
});

describe('week view slots', () => {
  it('given a pointer 9.5 hours down a 24-hour column, then the slot is 09:30 (snapped down to 15 minutes), clamped at the ends', () => {
    expect(minutesAt(5_000, 44 * 24)).toBe(23 * 60 + 45); // below the column: the last slot
    expect(minutesAt(44 * 9.5, 44 * 24)).toBe(9 * 60 + 30);
    expect(minutesAt(44 * 9.5 + 10, 44 * 24)).toBe(9 * 60 + 30);
    expect(minutesAt(-20, 44 * 24)).toBe(0);
    expect(minutesAt(10, 0)).toBe(0);
  });

  it('given a slot on the spring-forward Sunday, then 10:15 is 10:15 CEST, and the skipped 02:15 becomes 03:15', () => {
    expect(slotTime(day('2026-03-29'), 10 * 60 + 15, 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 8, 15));
    expect(wallTime(slotTime(day('2026-03-29'), 2 * 60 + 15, 'Europe/Paris'), 'Europe/Paris')).toMatchObject({ hour: 3, minute: 15 });
    expect(slotTime(day('2026-03-28'), 10 * 60 + 15, 'Europe/Paris')).toBe(Date.UTC(2026, 2, 28, 9, 15));
  });

  it('given posts close together, then overlapping ones share the width in lanes and a lone one takes it all', () => {
    const placed = layoutDay([
      { item: 'a', minutes: 540 },
      { item: 'b', minutes: 550 },
      { item: 'c', minutes: 560 },
      { item: 'd', minutes: 575 },
      { item: 'e', minutes: 720 },
    ]);
    const by = Object.fromEntries(placed.map((p) => [p.item, p]));
    expect(by.a).toMatchObject({ lane: 0, lanes: 3 });
    expect(by.b).toMatchObject({ lane: 1, lanes: 3 });
    expect(by.c).toMatchObject({ lane: 2, lanes: 3 });
    // a's block (09:00–09:30) has ended by 09:35, so d reuses its lane within the same group.
    expect(by.d).toMatchObject({ lane: 0, lanes: 3 });
    expect(by.e).toMatchObject({ lane: 0, lanes: 1, minutes: 720 });
  });

  it('given posts of a week in Auckland, then each is filed under its Auckland day, in time order', () => {
    const tz = 'Pacific/Auckland';
    const posts = [at(tz, 2026, 4, 6, 23, 30), at(tz, 2026, 4, 6, 8), at(tz, 2026, 4, 7, 0, 15)];
    const grouped = byDay(posts, (t) => dayOf(t, tz), (t) => t);
    expect(grouped.get(day('2026-04-06'))).toEqual([posts[1], posts[0]]);
    expect(grouped.get(day('2026-04-07'))).toEqual([posts[2]]);
  });
});

describe('month cells, colours and who may move', () => {
  it('given room for 3 lines, then 3 posts show, and 5 show 2 plus "+3 more"', () => {
    expect(visibleInCell(0, 3)).toEqual({ shown: 0, more: 0 });
    expect(visibleInCell(3, 3)).toEqual({ shown: 3, more: 0 });
    expect(visibleInCell(5, 3)).toEqual({ shown: 2, more: 3 });
  });

  it('given accounts, then each has its own colour, and connecting a new account recolours none of the others', () => {
    const accounts = Array.from({ length: 6 }, (_, i) => ({ id: `01935c7e-0000-7000-8000-00000000000${i}`, connectedAt: 1_000 + i }));
    const before = accountColours(accounts);
    expect(new Set(before.values()).size).toBe(6);
    const after = accountColours([...accounts, { id: '01935c7e-ffff-7000-8000-0000000000aa', connectedAt: 9_999 }]);
    for (const a of accounts) expect(after.get(a.id)).toBe(before.get(a.id));
    // Same input, same colours, whatever order the list came in.
    expect(accountColours([...accounts].reverse())).toEqual(before);
  });

  it('given more accounts than colours, then colours repeat rather than fail', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ id: `acc-${i}`, connectedAt: i }));
    const colours = accountColours(many, 12);
    expect(colours.size).toBe(15);
    expect(new Set(colours.values()).size).toBe(12);
  });

  it('given statuses, then only scheduled, draft and approved posts move, and the others say why not', () => {
    expect(isMovable({ status: 'scheduled' })).toBe(true);
    expect(isMovable({ status: 'draft' })).toBe(true);
    expect(isMovable({ status: 'approved' })).toBe(true);
    expect(isMovable({ status: 'published' })).toBe(false);
    expect(notMovableReason({ status: 'published' })).toMatch(/Already published/);
    expect(isMovable({ status: 'publishing' })).toBe(false);
    expect(notMovableReason({ status: 'scheduled' })).toBeNull();
  });

  it('given text, then a chip shows its first line with words, shortened by characters not code units', () => {
    expect(firstLine('\n\n  Fresh sourdough today!\nCome early.')).toBe('Fresh sourdough today!');
    expect(firstLine('   ')).toBe('(no text)');
    expect(firstLine('🥐'.repeat(10), 5)).toBe('🥐🥐🥐🥐…');
  });

  it('given a platform URL, then only http(s) links are offered', () => {
    expect(safeLink('https://bsky.app/profile/a/post/1')).toBe('https://bsky.app/profile/a/post/1');
    expect(safeLink('javascript:alert(1)')).toBeNull();
    expect(safeLink(null)).toBeNull();
  });
});
