// Times on the Queue page: relative for scanning ("in 5 min"), exact for checking (on hover, in the
// workspace's timezone, because that is the clock the user scheduled against).

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function amount(ms: number): string {
  const s = Math.round(ms / SECOND);
  if (s < 60) return `${s} s`;
  const totalMin = Math.round(ms / MINUTE);
  if (totalMin < 60) return `${totalMin} min`;
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  // Under three hours the minutes still matter ("in 1 h 20 min"); after that they are noise.
  if (h < 3) return m === 0 ? `${h} h` : `${h} h ${m} min`;
  const hours = Math.round(ms / HOUR);
  if (hours < 24) return `${hours} h`;
  const days = Math.round(ms / DAY);
  if (days < 7) return days === 1 ? '1 day' : `${days} days`;
  if (days < 35) {
    const weeks = Math.round(days / 7);
    return weeks === 1 ? '1 week' : `${weeks} weeks`;
  }
  if (days < 365) {
    const months = Math.round(days / 30.44);
    return months === 1 ? '1 month' : `${months} months`;
  }
  const years = Math.round(days / 365.25);
  return years === 1 ? '1 year' : `${years} years`;
}

/** "in 5 min", "3 h ago", "just now". */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  if (abs < 10 * SECOND) return diff > 0 ? 'in a few seconds' : 'just now';
  return diff > 0 ? `in ${amount(abs)}` : `${amount(abs)} ago`;
}

function formatter(opts: Intl.DateTimeFormatOptions, timezone: string | undefined, locale: string | undefined): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { ...opts, ...(timezone ? { timeZone: timezone } : {}) });
  } catch {
    // An unknown zone (a workspace edited on a newer system): the machine's clock beats nothing.
    return new Intl.DateTimeFormat(locale, opts);
  }
}

/** "Tue, 24 Nov 2026, 02:30:00 (Europe/Paris)": the exact moment, named in the zone it is shown in. */
export function exactTime(at: number, timezone: string | undefined, locale?: string): string {
  const f = formatter(
    { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
    timezone,
    locale,
  );
  return `${f.format(new Date(at))} (${f.resolvedOptions().timeZone})`;
}

/**
 * "02:30" today, "Tue 24 Nov, 02:30" another day — on the timezone's calendar. `withZone` adds
 * the zone's short name ("02:30 PST") where the reader's own clock may differ.
 */
export function shortTime(at: number, now: number, timezone: string | undefined, locale?: string, withZone = false): string {
  const day = formatter({ year: 'numeric', month: '2-digit', day: '2-digit' }, timezone, locale);
  const sameDay = day.format(new Date(at)) === day.format(new Date(now));
  const opts: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    : { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return formatter(withZone ? { ...opts, timeZoneName: 'short' } : opts, timezone, locale).format(new Date(at));
}

/** How long something took: "350 ms", "1.2 s", "3 min 4 s", "2 h 5 min". */
export function durationLabel(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < SECOND - 0.5) return `${Math.round(ms)} ms`;
  if (ms < 10 * SECOND - 50) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  // Round once, then split, so 59.7 s reads "1 min" rather than "60 s".
  const totalS = Math.round(ms / SECOND);
  if (totalS < 60) return `${totalS} s`;
  if (totalS < 3600) {
    const m = Math.floor(totalS / 60);
    const s = totalS % 60;
    return s === 0 ? `${m} min` : `${m} min ${s} s`;
  }
  const totalMin = Math.round(ms / MINUTE);
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
