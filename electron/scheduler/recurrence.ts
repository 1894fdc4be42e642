// RFC 5545 recurrence for posts, anchored to the workspace's timezone: "every Monday at 9:00"
// stays 9:00 on the wall clock across DST changes. rrule runs in floating time (no TZID, whose
// results would depend on the machine's timezone) and each occurrence is then placed in the zone.
import rrulePkg from 'rrule';
import { floatingDate, instantOf, wallOfFloating, wallTimeAt } from './zoned-time';

const { RRule, rrulestr } = rrulePkg;

export class RecurrenceError extends Error {
  override name = 'RecurrenceError';
}

export interface Recurrence {
  /** The RRULE body, e.g. "FREQ=WEEKLY;BYDAY=MO;COUNT=10" (an optional "RRULE:" prefix is accepted). */
  rrule: string;
  /** First occurrence (UTC ms); its wall time in `timezone` is the series' time of day. */
  startsAt: number;
  timezone: string;
}

function parseRule(rec: Recurrence): InstanceType<typeof RRule> {
  const body = rec.rrule.trim().replace(/^RRULE:/i, '');
  if (!/^[A-Z0-9=;,:+-]+$/i.test(body) || !/FREQ=/i.test(body)) {
    throw new RecurrenceError(`"${rec.rrule.slice(0, 80)}" is not a recurrence rule (expected something like FREQ=WEEKLY;BYDAY=MO).`);
  }
  if (/DTSTART|TZID/i.test(body)) {
    throw new RecurrenceError('Give the start time and timezone separately, not inside the rule.');
  }
  let parsed: InstanceType<typeof RRule>;
  try {
    parsed = rrulestr(`RRULE:${body}`, { dtstart: floatingDate(wallTimeAt(rec.startsAt, rec.timezone)) }) as InstanceType<typeof RRule>;
  } catch (err) {
    throw new RecurrenceError(`The recurrence rule could not be read: ${(err as Error).message}`);
  }
  // UNTIL in the rule is an instant (UTC); convert it to the floating frame used for expansion.
  if (parsed.options.until) {
    const untilWall = floatingDate(wallTimeAt(parsed.options.until.getTime(), rec.timezone));
    parsed = new RRule({ ...parsed.origOptions, dtstart: parsed.options.dtstart, until: untilWall });
  }
  return parsed;
}

/** Check a rule and that it ends (COUNT or UNTIL), as a post series must. */
export function validateRecurrence(rec: Recurrence, { requireEnd = true } = {}): void {
  const rule = parseRule(rec);
  if (requireEnd && !rule.options.count && !rule.options.until) {
    throw new RecurrenceError('A repeating post needs an end: a number of times (COUNT) or a last date (UNTIL).');
  }
}

/** Occurrences (UTC ms) in [from, to], at most `limit`. */
export function occurrencesBetween(rec: Recurrence, from: number, to: number, limit = 1000): number[] {
  const rule = parseRule(rec);
  const out: number[] = [];
  // Widen the floating window by a day each side: the zone offset is at most ±14 h.
  const fromF = new Date(from - 86_400_000);
  const toF = new Date(to + 86_400_000);
  rule.between(fromF, toF, true, (d) => {
    const at = instantOf(wallOfFloating(d), rec.timezone);
    if (at >= from && at <= to) out.push(at);
    return out.length < limit;
  });
  return out;
}

/** The first occurrence strictly after `after` (UTC ms), or null when the series has ended. */
export function nextOccurrence(rec: Recurrence, after: number): number | null {
  const rule = parseRule(rec);
  // Step through floating time: the instant order matches the wall order except inside an
  // overlap, so keep going until an occurrence lands after `after`.
  let cursor = new Date(after - 86_400_000);
  for (let guard = 0; guard < 10_000; guard++) {
    const d = rule.after(cursor, false);
    if (!d) return null;
    const at = instantOf(wallOfFloating(d), rec.timezone);
    if (at > after) return at;
    cursor = d;
  }
  return null;
}

/**
 * The series' wall-clock times in order, each as a floating ms (the wall clock read as if it were
 * UTC), at most `limit`; `complete` is false when the series goes on past them. For callers that
 * window or number one series many times (the Calendar): iterating the rule is the expensive part,
 * and these need no timezone work until a date is actually shown (instantOf(wallOfFloating(..))).
 */
export function floatingOccurrences(rec: Recurrence, limit: number): { dates: number[]; complete: boolean } {
  const rule = parseRule(rec);
  const dates: number[] = [];
  let complete = true;
  rule.all((d) => {
    if (dates.length >= limit) {
      complete = false;
      return false;
    }
    dates.push(d.getTime());
    return true;
  });
  return { dates, complete };
}

/** First `n` occurrences from the start, for previews ("next 5 posts"). */
export function firstOccurrences(rec: Recurrence, n: number): number[] {
  const rule = parseRule(rec);
  const out: number[] = [];
  rule.all((d, i) => {
    if (i >= n) return false;
    out.push(instantOf(wallOfFloating(d), rec.timezone));
    return true;
  });
  return out;
}
