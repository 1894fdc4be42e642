// The schedule panel's choice turned into what posts.schedule takes, and every reason it cannot
// be sent yet, in words. Pure: the panel shows the reasons, the tests pin them down.
import type { ApiInput } from '../../../electron/api';
import { repeatProblem, toRrule, type Repeat } from './repeat';
import { fromInputs } from './zoned-time';

export type When = ApiInput<'posts.schedule'>['when'];
export type ScheduleMode = When['mode'];

export interface ScheduleChoice {
  mode: ScheduleMode;
  /** 'YYYY-MM-DD' and 'HH:MM' in the workspace timezone (at a time, and the first of a series). */
  date: string;
  time: string;
  repeat: Repeat;
}

/** A target the network is asked to hold (native scheduling). */
export interface NativeTarget {
  /** The account, for the message. */
  label: string;
}

export interface Resolved {
  when: When | null;
  /** When the (first) post goes out, when known. */
  at: number | null;
  problems: string[];
}

const MINUTE = 60_000;

export function resolveChoice(c: ScheduleChoice, opts: { timezone: string; now: number; nextSlot: number | null | undefined; native: readonly NativeTarget[] }): Resolved {
  const problems: string[] = [];
  let when: When | null = null;
  let at: number | null = null;
  switch (c.mode) {
    case 'now':
      when = { mode: 'now' };
      at = opts.now;
      break;
    case 'next_slot':
      if (opts.nextSlot === null) problems.push('There is no free slot: set your preferred posting times in Settings.');
      else if (opts.nextSlot === undefined) problems.push('Looking for the next free slot…');
      else {
        when = { mode: 'next_slot' };
        at = opts.nextSlot;
      }
      break;
    case 'at':
    case 'recurring': {
      at = fromInputs(c.date, c.time, opts.timezone);
      if (at === null) {
        problems.push('Pick a date and a time.');
        break;
      }
      if (at <= opts.now) {
        problems.push('That time has passed; pick a later one (or publish now).');
        break;
      }
      if (c.mode === 'at') {
        when = { mode: 'at', at };
        break;
      }
      const problem = repeatProblem(c.repeat, at, opts.timezone);
      const rrule = toRrule(c.repeat, opts.timezone);
      if (problem || !rrule) problems.push(problem ?? 'Choose how often it repeats.');
      else when = { mode: 'recurring', at, rrule };
      break;
    }
  }
  // Its window (too soon, too far) is validateTarget's business; a series is this panel's.
  if (c.mode === 'recurring') {
    for (const n of opts.native) problems.push(`${n.label}: a repeating post is published by Postdesk; turn off “let the network publish it”.`);
  }
  return { when: problems.length === 0 ? when : null, at, problems };
}

/** A sensible first suggestion for "at a time": the next quarter hour at least 30 minutes away. */
export function suggestedTime(now: number): number {
  const q = 15 * MINUTE;
  return Math.ceil((now + 30 * MINUTE) / q) * q;
}
