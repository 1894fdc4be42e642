// The Queue's Posts filters: what the URL's query says, written back the same way, and the
// date presets turned into posts.list's window on the workspace's clock (not this machine's).
import { describe, expect, it } from 'vitest';
import { isoDay, parseIsoDay } from '../../renderer/pages/calendar/grid';
import { dayOf, wallTime } from '../../renderer/pages/calendar/zoned';
import { isFiltered, listQuery, NO_FILTERS, parseFilters, rangeDays, rangeLabel, rangeWindow, statusesLabel, writeFilters, type PostsFilters } from '../../renderer/pages/queue/posts-filters';

const day = (s: string) => {
  const d = parseIsoDay(s);
  if (d === null) throw new Error(`bad day ${s}`);
  return d;
};
const ACCOUNT = '0190f7a2-4b1c-7d2e-9f00-5a6b7c8d9e0f';

describe('reading filters from the URL', () => {
  it('given a query with statuses, an account and a preset, when parsed, then each comes back in the standard order', () => {
    const f = parseFilters(new URLSearchParams(`view=posts&status=failed,scheduled&account=${ACCOUNT}&range=next7`));
    expect(f).toEqual({ statuses: ['scheduled', 'failed'], accountId: ACCOUNT, range: { kind: 'preset', preset: 'next7' } });
  });

  it('given unknown statuses, a broken day and an unknown preset, when parsed, then they are dropped rather than guessed', () => {
    const f = parseFilters(new URLSearchParams('status=sent,scheduled,,DRAFT&range=fortnight&from=2026-02-30&to=2026-03-05'));
    expect(f.statuses).toEqual(['scheduled']);
    expect(f.range).toEqual({ kind: 'custom', from: null, to: day('2026-03-05') });
    expect(parseFilters(new URLSearchParams('range=&from=soon'))).toEqual(NO_FILTERS);
  });

  it('given filters, when written and read again, then they are the same and the view key is kept', () => {
    const cases: PostsFilters[] = [
      NO_FILTERS,
      { statuses: ['partially_published', 'draft'], accountId: null, range: { kind: 'preset', preset: 'month' } },
      { statuses: [], accountId: ACCOUNT, range: { kind: 'custom', from: day('2026-03-28'), to: null } },
      { statuses: ['cancelled'], accountId: ACCOUNT, range: { kind: 'custom', from: day('2026-03-28'), to: day('2026-04-02') } },
    ];
    for (const f of cases) {
      const q = writeFilters(f, new URLSearchParams('view=posts&status=failed'));
      expect(q.get('view')).toBe('posts');
      expect(parseFilters(q)).toEqual(f);
    }
    expect(writeFilters({ statuses: ['failed', 'scheduled'], accountId: null, range: { kind: 'custom', from: day('2026-03-28'), to: day('2026-04-02') } }).toString()).toBe(
      'status=scheduled%2Cfailed&from=2026-03-28&to=2026-04-02',
    );
    expect(writeFilters(NO_FILTERS, new URLSearchParams('view=posts&range=today&account=x')).toString()).toBe('view=posts');
  });

  it('says whether anything is filtered, and names the statuses briefly', () => {
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, range: { kind: 'preset', preset: 'today' } })).toBe(true);
    expect(statusesLabel([])).toBe('Any status');
    expect(statusesLabel(['scheduled', 'partially_published'])).toBe('Scheduled, Partly published');
    expect(statusesLabel(['scheduled', 'failed', 'draft'])).toBe('3 statuses');
  });
});

describe('date ranges on the workspace clock', () => {
  const today = day('2026-03-27'); // a Friday; Europe changes its clocks on Sunday the 29th

  it('given the presets, then today is one day, the next 7 days start today, and this month is the whole calendar month', () => {
    expect(rangeDays({ kind: 'preset', preset: 'today' }, today)).toEqual({ first: today, last: today });
    const week = rangeDays({ kind: 'preset', preset: 'next7' }, today);
    expect([isoDay(week.first!), isoDay(week.last!)]).toEqual(['2026-03-27', '2026-04-02']);
    const month = rangeDays({ kind: 'preset', preset: 'month' }, today);
    expect([isoDay(month.first!), isoDay(month.last!)]).toEqual(['2026-03-01', '2026-03-31']);
    const december = rangeDays({ kind: 'preset', preset: 'month' }, day('2026-12-15'));
    expect([isoDay(december.first!), isoDay(december.last!)]).toEqual(['2026-12-01', '2026-12-31']);
    const february = rangeDays({ kind: 'preset', preset: 'month' }, day('2028-02-10'));
    expect(isoDay(february.last!)).toBe('2028-02-29');
  });

  it('given custom days typed the wrong way round, then the days between them are used', () => {
    expect(rangeDays({ kind: 'custom', from: day('2026-04-05'), to: day('2026-04-01') }, today)).toEqual({ first: day('2026-04-01'), last: day('2026-04-05') });
    expect(rangeDays({ kind: 'custom', from: null, to: day('2026-04-01') }, today)).toEqual({ first: null, last: day('2026-04-01') });
  });

  it('given the next 7 days in Paris across the spring change, then the window runs from Paris midnight to Paris midnight (167 hours)', () => {
    const w = rangeWindow({ kind: 'preset', preset: 'next7' }, today, 'Europe/Paris');
    expect(w.from).toBe(Date.UTC(2026, 2, 26, 23, 0)); // 00:00 CET
    expect(w.to).toBe(Date.UTC(2026, 3, 2, 22, 0)); // 00:00 CEST on 3 April
    expect((w.to! - w.from!) / 3_600_000).toBe(7 * 24 - 1);
    expect(wallTime(w.to!, 'Europe/Paris')).toMatchObject({ day: 3, hour: 0, minute: 0 });
  });

  it('given "today" in Tokyo asked from anywhere, then it is Tokyo’s day', () => {
    // 20:00 UTC on the 27th is already the 28th in Tokyo.
    const at = Date.UTC(2026, 2, 27, 20, 0);
    const tokyoToday = dayOf(at, 'Asia/Tokyo');
    expect(isoDay(tokyoToday)).toBe('2026-03-28');
    expect(rangeWindow({ kind: 'preset', preset: 'today' }, tokyoToday, 'Asia/Tokyo')).toEqual({ from: Date.UTC(2026, 2, 27, 15, 0), to: Date.UTC(2026, 2, 28, 15, 0) });
  });

  it('given filters, when turned into a posts.list query, then only what is set is sent', () => {
    expect(listQuery('ws-1', NO_FILTERS, today, 'UTC')).toEqual({ workspaceId: 'ws-1' });
    expect(listQuery('ws-1', { statuses: ['scheduled'], accountId: ACCOUNT, range: { kind: 'custom', from: day('2026-04-01'), to: null } }, today, 'UTC')).toEqual({
      workspaceId: 'ws-1',
      statuses: ['scheduled'],
      accountId: ACCOUNT,
      from: Date.UTC(2026, 3, 1),
    });
  });

  it('names a range in words, with the year only when it is another year', () => {
    expect(rangeLabel({ kind: 'any' }, today, 'en-GB')).toBe('any time');
    expect(rangeLabel({ kind: 'preset', preset: 'today' }, today, 'en-GB')).toBe('Fri 27 Mar');
    expect(rangeLabel({ kind: 'preset', preset: 'next7' }, today, 'en-GB')).toBe('Fri 27 Mar – Thu 2 Apr');
    expect(rangeLabel({ kind: 'custom', from: day('2026-12-30'), to: day('2027-01-02') }, today, 'en-GB')).toBe('Wed, 30 Dec 2026 – Sat, 2 Jan 2027');
    expect(rangeLabel({ kind: 'custom', from: null, to: day('2026-04-01') }, today, 'en-GB')).toBe('until Wed 1 Apr');
  });
});
