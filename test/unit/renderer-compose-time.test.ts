// The schedule panel's clock: what is typed is read in the workspace's timezone (not this
// machine's), DST gaps and overlaps resolve exactly as the scheduler resolves them, and a repeat
// preset becomes the RRULE the core expands (and back).
import { describe, expect, it } from 'vitest';
import { instantOf as coreInstantOf, wallTimeAt as coreWallTimeAt } from '../../electron/scheduler/zoned-time';
import { validateRecurrence, firstOccurrences } from '../../electron/scheduler/recurrence';
import { describeRepeat, fromRrule, repeatProblem, toRrule, type Repeat } from '../../renderer/pages/compose/repeat';
import { resolveChoice, suggestedTime, type ScheduleChoice } from '../../renderer/pages/compose/schedule-choice';
import { fromInputs, instantOf, toInputs, wallTimeAt, zoneLabel } from '../../renderer/pages/compose/zoned-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('zoned time in the composer', () => {
  it('given a date and time typed for Paris, then the instant is Paris time whatever this machine’s zone is', () => {
    expect(iso(fromInputs('2026-01-15', '09:00', 'Europe/Paris')!)).toBe('2026-01-15T08:00:00.000Z');
    expect(iso(fromInputs('2026-07-15', '09:00', 'Europe/Paris')!)).toBe('2026-07-15T07:00:00.000Z');
    expect(iso(fromInputs('2026-07-15', '09:00', 'Asia/Kolkata')!)).toBe('2026-07-15T03:30:00.000Z');
  });

  it('given an instant, then the inputs show it in the zone, and reading them back gives the same minute', () => {
    const at = Date.parse('2026-03-29T00:30:00Z');
    expect(toInputs(at, 'Europe/Paris')).toEqual({ date: '2026-03-29', time: '01:30' });
    expect(toInputs(at, 'America/New_York')).toEqual({ date: '2026-03-28', time: '20:30' });
    expect(fromInputs('2026-03-28', '20:30', 'America/New_York')).toBe(at);
  });

  it('given incomplete or impossible input, then there is no time (not a silent roll into March)', () => {
    expect(fromInputs('', '09:00', 'UTC')).toBeNull();
    expect(fromInputs('2026-02-01', '', 'UTC')).toBeNull();
    expect(fromInputs('2026-02-31', '09:00', 'UTC')).toBeNull();
    expect(fromInputs('2026-13-01', '09:00', 'UTC')).toBeNull();
  });

  it.each([
    // A spring-forward gap (New York 02:30 does not exist), a fall-back overlap (01:30 happens twice),
    // Paris's own change, a half-hour zone and a zone that skipped a whole day (Samoa, 2011).
    [{ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, 'America/New_York'],
    [{ year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }, 'America/New_York'],
    [{ year: 2026, month: 3, day: 29, hour: 2, minute: 15, second: 0 }, 'Europe/Paris'],
    [{ year: 2026, month: 10, day: 25, hour: 2, minute: 15, second: 0 }, 'Europe/Paris'],
    [{ year: 2026, month: 6, day: 1, hour: 23, minute: 59, second: 59 }, 'Australia/Adelaide'],
    [{ year: 2011, month: 12, day: 30, hour: 12, minute: 0, second: 0 }, 'Pacific/Apia'],
  ])('given %o in %s, then the composer picks the same instant as the scheduler', (wall, tz) => {
    expect(instantOf(wall, tz)).toBe(coreInstantOf(wall, tz));
    const at = instantOf(wall, tz);
    expect(wallTimeAt(at, tz)).toEqual(coreWallTimeAt(at, tz));
  });

  it('names the zone with its offset at that moment', () => {
    expect(zoneLabel('Europe/Paris', Date.parse('2026-01-15T12:00:00Z'))).toBe('Paris (UTC+01:00)');
    expect(zoneLabel('Europe/Paris', Date.parse('2026-07-15T12:00:00Z'))).toBe('Paris (UTC+02:00)');
    expect(zoneLabel('America/New_York', Date.parse('2026-07-15T12:00:00Z'))).toBe('New York (UTC-04:00)');
    expect(zoneLabel('UTC', 0)).toBe('UTC');
  });
});

describe('repeat presets', () => {
  const start = Date.parse('2026-03-03T08:30:00Z'); // Tuesday 09:30 in Paris

  it('given every week, 4 times, then the rule is FREQ=WEEKLY;COUNT=4 and the core expands it on Tuesdays at 09:30 Paris time across DST', () => {
    const r: Repeat = { freq: 'weekly', end: { kind: 'count', count: 4 } };
    const rrule = toRrule(r, 'Europe/Paris')!;
    expect(rrule).toBe('FREQ=WEEKLY;COUNT=4');
    const rec = { rrule, startsAt: start, timezone: 'Europe/Paris' };
    expect(() => validateRecurrence(rec)).not.toThrow();
    const times = firstOccurrences(rec, 10);
    expect(times).toHaveLength(4);
    expect(times.map((t) => toInputs(t, 'Europe/Paris').time)).toEqual(['09:30', '09:30', '09:30', '09:30']);
    expect(iso(times[3]!)).toBe('2026-03-24T08:30:00.000Z');
    expect(describeRepeat(r, start, 'Europe/Paris', 'en-GB')).toBe('Every Tuesday at 09:30, 4 times');
  });

  it('given every day until a date, then UNTIL is the end of that day in the workspace zone and the last post is on that day', () => {
    const r: Repeat = { freq: 'daily', end: { kind: 'until', date: '2026-03-06' } };
    const rrule = toRrule(r, 'Europe/Paris')!;
    expect(rrule).toBe('FREQ=DAILY;UNTIL=20260306T225959Z');
    const times = firstOccurrences({ rrule, startsAt: start, timezone: 'Europe/Paris' }, 10);
    expect(times.map((t) => toInputs(t, 'Europe/Paris').date)).toEqual(['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']);
    expect(fromRrule(rrule, 'Europe/Paris')).toEqual(r);
  });

  it('given a monthly post on the 31st, then the description warns that short months are skipped', () => {
    const at = Date.parse('2026-01-31T08:00:00Z');
    expect(describeRepeat({ freq: 'monthly', end: { kind: 'count', count: 3 } }, at, 'UTC', 'en-GB')).toBe('Every month on the 31st at 08:00 (months without that day are skipped), 3 times');
  });

  it('given a repeat that does not make sense, then it says what to change and there is no rule', () => {
    expect(repeatProblem({ freq: 'daily', end: { kind: 'count', count: 1 } }, start, 'UTC')).toMatch(/at least 2/);
    expect(repeatProblem({ freq: 'daily', end: { kind: 'count', count: 9999 } }, start, 'UTC')).toMatch(/at most/);
    expect(repeatProblem({ freq: 'daily', end: { kind: 'until', date: '2026-03-01' } }, start, 'UTC')).toMatch(/before the first post/);
    expect(repeatProblem({ freq: 'daily', end: { kind: 'until', date: '' } }, start, 'UTC')).toMatch(/last date/);
    expect(toRrule({ freq: 'daily', end: { kind: 'count', count: 0 } }, 'UTC')).toBeNull();
  });

  it('given a rule the presets cannot show, then it is not mistaken for one', () => {
    expect(fromRrule('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4', 'UTC')).toBeNull();
    expect(fromRrule('FREQ=YEARLY;COUNT=2', 'UTC')).toBeNull();
    expect(fromRrule('RRULE:FREQ=MONTHLY;COUNT=6', 'UTC')).toEqual({ freq: 'monthly', end: { kind: 'count', count: 6 } });
  });
});

describe('the schedule choice', () => {
  const now = Date.parse('2026-05-04T10:00:00Z');
  const base: ScheduleChoice = { mode: 'at', date: '2026-05-04', time: '14:00', repeat: { freq: 'weekly', end: { kind: 'count', count: 3 } } };
  const opts = { timezone: 'Europe/Paris', now, nextSlot: undefined, native: [] };

  it('given a time later today in Paris, then it is sent as that instant', () => {
    expect(resolveChoice(base, opts)).toEqual({ when: { mode: 'at', at: Date.parse('2026-05-04T12:00:00Z') }, at: Date.parse('2026-05-04T12:00:00Z'), problems: [] });
  });

  it('given a time that has passed, then nothing is sent and the panel says why', () => {
    const r = resolveChoice({ ...base, time: '11:30' }, opts);
    expect(r.when).toBeNull();
    expect(r.problems).toEqual(['That time has passed; pick a later one (or publish now).']);
  });

  it('given the next free slot, then it waits for the lookup and says when there is none', () => {
    expect(resolveChoice({ ...base, mode: 'next_slot' }, opts).problems).toEqual(['Looking for the next free slot…']);
    expect(resolveChoice({ ...base, mode: 'next_slot' }, { ...opts, nextSlot: null }).problems[0]).toMatch(/preferred posting times/);
    const slot = now + 3_600_000;
    expect(resolveChoice({ ...base, mode: 'next_slot' }, { ...opts, nextSlot: slot })).toEqual({ when: { mode: 'next_slot' }, at: slot, problems: [] });
  });

  it('given a repeat, then the rule travels with the first time; a network holding the post refuses a series', () => {
    const r = resolveChoice({ ...base, mode: 'recurring' }, opts);
    expect(r.when).toEqual({ mode: 'recurring', at: Date.parse('2026-05-04T12:00:00Z'), rrule: 'FREQ=WEEKLY;COUNT=3' });
    const held = resolveChoice({ ...base, mode: 'recurring' }, { ...opts, native: [{ label: 'Mastodon' }] });
    expect(held.when).toBeNull();
    expect(held.problems[0]).toMatch(/^Mastodon: a repeating post is published by Postdesk/);
  });

  it('given publish now, then it needs nothing else', () => {
    expect(resolveChoice({ ...base, mode: 'now', date: '', time: '' }, opts)).toEqual({ when: { mode: 'now' }, at: now, problems: [] });
  });

  it('suggests the next quarter hour at least half an hour away', () => {
    expect(iso(suggestedTime(Date.parse('2026-05-04T10:07:00Z')))).toBe('2026-05-04T10:45:00.000Z');
    expect(iso(suggestedTime(Date.parse('2026-05-04T10:15:00Z')))).toBe('2026-05-04T10:45:00.000Z');
  });
});
