// Times as the Calendar writes them, always on the workspace's clock.

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'clock' | 'full' | 'zone', timezone: string, locale: string | undefined): Intl.DateTimeFormat {
  const key = `${kind}|${timezone}|${locale ?? ''}`;
  let f = cache.get(key);
  if (f) return f;
  const opts: Intl.DateTimeFormatOptions =
    kind === 'clock'
      ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : kind === 'full'
        ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : { timeZoneName: 'short' };
  try {
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: timezone });
  } catch {
    f = new Intl.DateTimeFormat(locale, opts);
  }
  cache.set(key, f);
  return f;
}

/** "09:30" */
export function clockTime(at: number, timezone: string, locale?: string): string {
  return formatter('clock', timezone, locale).format(new Date(at));
}

/** "Monday 30 March 2026 at 09:30" */
export function fullTime(at: number, timezone: string, locale?: string): string {
  return formatter('full', timezone, locale).format(new Date(at));
}

/** "CEST", "GMT+2": the zone's short name at that moment. */
export function zoneAbbreviation(at: number, timezone: string, locale?: string): string {
  return formatter('zone', timezone, locale).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? timezone;
}

/** "09:00" for a whole hour of the week view's gutter. */
export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}
