// "Repeat" in the schedule panel: a few presets people actually use (every day, every week on
// the first post's weekday, every month on its day) with an end (after N times or on a date),
// written as the RFC 5545 rule the core expands in the workspace timezone. Pure, so tested.
import { instantOf, wallTimeAt } from './zoned-time';

export type RepeatFreq = 'daily' | 'weekly' | 'monthly';
export type RepeatEnd = { kind: 'count'; count: number } | { kind: 'until'; date: string };

export interface Repeat {
  freq: RepeatFreq;
  end: RepeatEnd;
}

export const MAX_REPEAT_COUNT = 365;
export const DEFAULT_REPEAT: Repeat = { freq: 'weekly', end: { kind: 'count', count: 4 } };

const FREQ: Record<RepeatFreq, string> = { daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY' };
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function utcStamp(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** The last instant of a 'YYYY-MM-DD' day in `tz`, or null for a malformed date. */
function endOfDay(date: string, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  return instantOf({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 23, minute: 59, second: 59 }, tz);
}

/** What is wrong with a repeat for a first post at `startsAt`, in words; null when it is fine. */
export function repeatProblem(r: Repeat, startsAt: number | null, tz: string): string | null {
  if (r.end.kind === 'count') {
    if (!Number.isInteger(r.end.count) || r.end.count < 2) return 'Repeat at least 2 times (once is just a scheduled post).';
    if (r.end.count > MAX_REPEAT_COUNT) return `Repeat at most ${MAX_REPEAT_COUNT} times.`;
    return null;
  }
  const until = endOfDay(r.end.date, tz);
  if (until === null) return 'Pick the last date.';
  if (startsAt !== null && until < startsAt) return 'The last date is before the first post.';
  return null;
}

/** The RRULE body ("FREQ=WEEKLY;COUNT=4"); null while the repeat is not valid. */
export function toRrule(r: Repeat, tz: string): string | null {
  if (repeatProblem(r, null, tz) !== null) return null;
  const end = r.end.kind === 'count' ? `COUNT=${r.end.count}` : `UNTIL=${utcStamp(endOfDay(r.end.date, tz)!)}`;
  return `FREQ=${FREQ[r.freq]};${end}`;
}

/** A saved rule back into the presets; null when the rule is something the presets cannot show. */
export function fromRrule(rrule: string, tz: string): Repeat | null {
  const parts = new Map(
    rrule
      .trim()
      .replace(/^RRULE:/i, '')
      .split(';')
      .filter(Boolean)
      .map((p) => {
        const [k = '', v = ''] = p.split('=');
        return [k.toUpperCase(), v.toUpperCase()] as const;
      }),
  );
  const freq = (Object.keys(FREQ) as RepeatFreq[]).find((f) => FREQ[f] === parts.get('FREQ'));
  if (!freq) return null;
  const known = new Set(['FREQ', 'COUNT', 'UNTIL']);
  if ([...parts.keys()].some((k) => !known.has(k))) return null;
  const count = parts.get('COUNT');
  if (count !== undefined) return { freq, end: { kind: 'count', count: Number(count) } };
  const until = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(parts.get('UNTIL') ?? '');
  if (!until) return null;
  const at = Date.UTC(Number(until[1]), Number(until[2]) - 1, Number(until[3]), Number(until[4]), Number(until[5]), Number(until[6]));
  const w = wallTimeAt(at, tz);
  return { freq, end: { kind: 'until', date: `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}` } };
}

/** "Every Tuesday at 09:30, 4 times" for the first post at `startsAt` in `tz`. */
export function describeRepeat(r: Repeat, startsAt: number, tz: string, locale?: string): string {
  const time = new Intl.DateTimeFormat(locale, { timeZone: tz, hour: '2-digit', minute: '2-digit' }).format(new Date(startsAt));
  const w = wallTimeAt(startsAt, tz);
  let every: string;
  if (r.freq === 'daily') every = `Every day at ${time}`;
  else if (r.freq === 'weekly') every = `Every ${new Intl.DateTimeFormat(locale, { timeZone: tz, weekday: 'long' }).format(new Date(startsAt))} at ${time}`;
  else every = `Every month on the ${ordinal(w.day)} at ${time}${w.day > 28 ? ' (months without that day are skipped)' : ''}`;
  const end =
    r.end.kind === 'count'
      ? `${r.end.count} times`
      : `until ${new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${r.end.date}T12:00:00Z`))}`;
  return `${every}, ${end}`;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${n % 10 > 3 ? 'th' : s}`;
}
