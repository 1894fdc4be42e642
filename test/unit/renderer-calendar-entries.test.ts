// What the calendar draws from posts.list and posts.occurrences: each post once at its time, each
// other date of a live series as a repeat of it, and nothing stale while a series is being moved.
import { describe, expect, it } from 'vitest';
import { calendarEntries, type Occurrence } from '../../renderer/pages/calendar/entries';
import type { PostView } from '../../renderer/pages/calendar/post-info';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2031-03-03T14:00:00Z');

function post(id: string, over: Partial<PostView> = {}): PostView {
  return {
    id,
    workspaceId: 'ws',
    content: `Post ${id}`,
    status: 'scheduled',
    source: 'manual',
    publishAt: T0,
    timezone: null,
    rrule: null,
    missedRunPolicy: 'publish_late',
    requiresApproval: false,
    approvedAt: null,
    rejectionNote: null,
    hashtags: [],
    templateId: null,
    campaignId: null,
    publishedAt: null,
    createdAt: 0,
    updatedAt: 0,
    targets: [],
    media: [],
    ...over,
  };
}

const weekly = post('series', { rrule: 'FREQ=WEEKLY;COUNT=4' });
const occ = (index: number, isNext = false): Occurrence => ({ postId: 'series', at: T0 + index * 7 * DAY, index, isNext });

describe('calendar entries', () => {
  it('given a weekly series whose start is in the window, then the start is the post itself and the other weeks are repeats of it', () => {
    const single = post('single', { publishAt: T0 + HOUR });
    const entries = calendarEntries([weekly, single], [occ(0, true), occ(1), occ(2), occ(3)], [weekly]);
    expect(entries.map((e) => [e.key, e.at - T0, e.repeat])).toEqual([
      ['series', 0, null],
      ['single', HOUR, null],
      [`series@${T0 + 7 * DAY}`, 7 * DAY, { index: 1, isNext: false }],
      [`series@${T0 + 14 * DAY}`, 14 * DAY, { index: 2, isNext: false }],
      [`series@${T0 + 21 * DAY}`, 21 * DAY, { index: 3, isNext: false }],
    ]);
    // A repeat opens the series' post.
    expect(entries[2]!.post).toBe(weekly);
  });

  it('given a later month where only repeats fall (the post itself is not in posts.list), then every date is a repeat of the engine’s copy of the series, the next one marked', () => {
    const entries = calendarEntries([], [occ(2, true), occ(3)], [weekly]);
    expect(entries.map((e) => ({ post: e.post.id, repeat: e.repeat }))).toEqual([
      { post: 'series', repeat: { index: 2, isNext: true } },
      { post: 'series', repeat: { index: 3, isNext: false } },
    ]);
  });

  it('given the series is being dragged, then its repeats are hidden until the engine answers', () => {
    const moved = { ...weekly, publishAt: T0 + DAY };
    const entries = calendarEntries([moved], [occ(0), occ(1)], [weekly], new Set(['series']));
    expect(entries.map((e) => [e.key, e.at])).toEqual([['series', T0 + DAY]]);
  });

  it('given the series was unscheduled here (back to draft) before the refetch, then it no longer repeats', () => {
    const draft = { ...weekly, status: 'draft' as const };
    expect(calendarEntries([draft], [occ(0), occ(1)], [weekly]).map((e) => e.key)).toEqual(['series']);
  });
});
